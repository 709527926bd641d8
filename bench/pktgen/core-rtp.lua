-- bench/pktgen/core-rtp.lua: core -> access, RTP in, SRTP out.
--
-- pktgen replays a pcap of valid RTP (imsagw-gen --write-pcap) on the port
-- wired to the gateway's core port; the gateway protects it and sends SRTP
-- out of its access port to the pktgen port IMSAGW_RX, where it is counted
-- (pktgen cannot check SRTP: use imsagw-gen for verified goodput).
--
--   pktgen -l 0-2 -n 4 -- -P -m "[1].0,[2].1" -s 0:core-rtp.pcap -f bench/pktgen/core-rtp.lua
--
-- Caveat: pktgen loops the file, so each flow's sequence numbers jump back
-- at the loop boundary. The gateway's sender side keeps counting the SRTP
-- index (RFC 3711 index estimation from the RTP sequence number), so short
-- runs are valid; a run longer than the pcap's packets per flow measures a
-- stream whose indices repeat -- count only rates, not correctness.
local im = dofile("bench/pktgen/imsagw.lua")
local tx = im.env("IMSAGW_TX", "0")
local rx = im.env("IMSAGW_RX", "1")

pktgen.screen("off")
pktgen.set(tx, "count", 0)       -- until stopped
pktgen.set(tx, "burst", 32)
pktgen.pcap(tx, "enable")        -- the file given with -s <tx>:FILE
im.sweep(tx, rx, "core->access RTP->SRTP")
pktgen.pcap(tx, "disable")
pktgen.screen("on")
