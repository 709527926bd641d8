-- bench/pktgen/udp-baseline.lua: the plain-UDP baseline through relay
-- (transport=rtp) terminations, core -> access: the gateway's floor cost
-- (parse, lookup, rewrite), no crypto.
--
-- Two modes:
--  * pcap (default; -s <tx>:udp.pcap): replay make-pcaps.sh's udp.pcap, one
--    frame per relay call in turn, to the ports the gateway gave each call.
--  * range (IMSAGW_PCAP=0): pktgen builds the frames itself, for ONE relay
--    call: IMSAGW_DST_PORT (the gateway's core port of the call) and
--    IMSAGW_SRC_PORT (the core host's port, the termination's remote port),
--    as make-pcaps.sh writes them to pcaps.env; IMSAGW_DST_IP, IMSAGW_SRC_IP,
--    IMSAGW_DST_MAC (defaults: configs/examples/memif-bench.conf). One call,
--    because the gateway picks each termination's port at random (control/
--    ctl_pool.c): no pktgen range (start, step, max) covers several calls.
--
-- pktgen's payload is its fill pattern ("abcd..." from frame offset 0), so
-- the first UDP payload byte is 'k' (0x6b): RTP version 1, not an RTP
-- packet. A relay flow forwards it as is; an SRTP flow must drop it. A relay
-- keeps no replay state, so both modes are valid for as long as they run:
-- a looped pcap is the same traffic again.
--
-- Sizes: IMSAGW_FRAME is the frame without FCS (214 = Ethernet, IPv4, UDP,
-- 12-byte RTP header, 160-byte payload); pktgen is given IMSAGW_FRAME + 4,
-- because it counts the FCS (218 leaves as 214 bytes).
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local im = dofile(dir .. "imsagw.lua")
local tx = im.env("IMSAGW_TX", "0")
local rx = im.env("IMSAGW_RX", "1")
local frame = im.num("IMSAGW_FRAME", 214, 60, 1514)
local pcap = im.env("IMSAGW_PCAP", "1") == "1"

im.link_mbps({ tx, rx }) -- before the screen goes off (link state)
pktgen.screen("off")
pktgen.set(tx, "count", 0)
pktgen.set(tx, "burst", 32)
if pcap then
	pktgen.pcap(tx, "enable")
else
	local dport = im.num("IMSAGW_DST_PORT", 0, 0, 65535)
	local sport = im.num("IMSAGW_SRC_PORT", 0, 0, 65535)
	if dport == 0 or sport == 0 then
		im.printf("error: range mode needs IMSAGW_DST_PORT and IMSAGW_SRC_PORT (pcaps.env)\n")
		im.finish()
		return
	end
	local dip = im.env("IMSAGW_DST_IP", "198.51.100.1")
	local sip = im.env("IMSAGW_SRC_IP", "198.51.100.2")
	local size = frame + im.FCS
	local r = pktgen.range

	-- the single-packet template too: pktgen's rate arithmetic reads its
	-- size even in range mode (app/pktgen.c pktgen_wire_size)
	pktgen.set(tx, "size", size)
	r.dst_mac(tx, "start", im.env("IMSAGW_DST_MAC", "02:00:00:00:0c:01"))
	-- set_proto sets only the single-packet template: the range's own
	-- protocol, or its frames leave as TCP
	r.ip_proto(tx, "udp")
	r.dst_ip(tx, "start", dip)
	r.dst_ip(tx, "inc", "0.0.0.0")
	r.dst_ip(tx, "min", dip)
	r.dst_ip(tx, "max", dip)
	r.src_ip(tx, "start", sip)
	r.src_ip(tx, "inc", "0.0.0.0")
	r.src_ip(tx, "min", sip)
	r.src_ip(tx, "max", sip)
	r.dst_port(tx, "start", dport)
	r.dst_port(tx, "inc", 0)
	r.dst_port(tx, "min", dport)
	r.dst_port(tx, "max", dport)
	r.src_port(tx, "start", sport)
	r.src_port(tx, "inc", 0)
	r.src_port(tx, "min", sport)
	r.src_port(tx, "max", sport)
	r.pkt_size(tx, "start", size)
	r.pkt_size(tx, "inc", 0)
	r.pkt_size(tx, "min", size)
	r.pkt_size(tx, "max", size)
	pktgen.set_range(tx, "enable")
	im.printf("range: %s:%d -> %s:%d, %d-byte frames\n", sip, sport, dip, dport, frame)
end
im.sweep(tx, rx, pcap and "udp-pcap" or "udp-range", frame, "250000,500000,1000000,max")
if pcap then
	pktgen.pcap(tx, "disable")
else
	pktgen.set_range(tx, "disable")
end
im.finish()
