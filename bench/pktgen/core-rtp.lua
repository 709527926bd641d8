-- bench/pktgen/core-rtp.lua: core -> access, RTP in, SRTP out (the protect
-- path).
--
-- pktgen replays a pcap of valid RTP (make-pcaps.sh: core-rtp.pcap, through
-- SRTP calls) on the port wired to the gateway's core port; the gateway
-- protects it and sends SRTP out of its access port to the pktgen port
-- IMSAGW_RX, where it is counted (pktgen cannot check SRTP: imsagw-gen gives
-- verified goodput). Ports as bench/pktgen/run.sh wires them: 0 = access,
-- 1 = core (the order of the --vdev options, as imsagw-gen's --ports 0,1).
--
--   pktgen -l 0-1 -n 1 --no-huge -m 4096 --no-pci \
--     --vdev=net_memif0,role=client,socket=/run/imsagw/memif-access.sock,mac=02:00:00:00:0a:02 \
--     --vdev=net_memif1,role=client,socket=/run/imsagw/memif-core.sock,mac=02:00:00:00:0c:02 \
--     -- -P -m "1.[0-1]" -s 1:core-rtp.pcap -f bench/pktgen/core-rtp.lua
--   (with LD_PRELOAD=mtu_shim.so on net_memif: docs/pktgen.md)
--
-- The pcap is a first pass only. pktgen loops it (its pcap mbufs cycle in
-- file order), so after IMSAGW_PCAP_PKTS packets every flow's RTP sequence
-- numbers jump back to the start: the gateway will not reuse an SRTP index
-- for them (that would repeat keystream, RFC 3711 §9.2), so what it forwards
-- after the first pass is not a protect figure. Each step says whether it
-- stayed in the first pass ("first-pass": offered and forwarded are valid)
-- or crossed it ("replay": offered is a rate, forwarded is not the protect
-- path). Size the pcap to the run: make-pcaps.sh N PKTS gives N x PKTS.
--   IMSAGW_PCAP_PKTS  packets in the pcap (default 0: unknown, not marked)
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local im = dofile(dir .. "imsagw.lua")
local tx = im.env("IMSAGW_TX", "0")
local rx = im.env("IMSAGW_RX", "1")
local frame = im.num("IMSAGW_FRAME", 214, 60, 1514)

im.link_mbps({ tx, rx }) -- before the screen goes off (link state)
pktgen.screen("off")
pktgen.set(tx, "count", 0)       -- until stopped
pktgen.set(tx, "burst", 32)
pktgen.pcap(tx, "enable")        -- the file given with -s <tx>:FILE
im.sweep(tx, rx, "core-rtp", frame, "50000,100000,200000",
	 im.num("IMSAGW_PCAP_PKTS", 0, 0, 1e12))
pktgen.pcap(tx, "disable")
im.finish()
