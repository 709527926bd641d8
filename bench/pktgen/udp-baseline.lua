-- bench/pktgen/udp-baseline.lua: the plain-UDP baseline through relay
-- (transport=rtp) terminations, core -> access.
--
-- Either replay imsagw-gen --write-pcap --pcap-udp (pcap mode, give
-- -s 0:udp.pcap and IMSAGW_PCAP=1), or let pktgen's range mode sweep the
-- gateway's core UDP ports of the calls set up for the run: IMSAGW_DST_IP
-- (gateway core address), IMSAGW_SRC_IP, IMSAGW_DST_MAC (gateway core MAC),
-- IMSAGW_PORT_MIN/MAX (first and last termination port; the gateway hands
-- out even ports, so the step is 2) and IMSAGW_SIZE (frame bytes, 214 =
-- 160-byte RTP payload).
--
-- pktgen's payload is its fill pattern ("abcd..." from frame offset 0), so
-- the first UDP payload byte is 'k' (0x6b): RTP version 1, not an RTP
-- packet. A relay flow forwards it as is; an SRTP flow must drop it. This is
-- the gateway's floor cost (parse, lookup, rewrite), not an SRTP figure.
local im = dofile("bench/pktgen/imsagw.lua")
local tx = im.env("IMSAGW_TX", "0")
local rx = im.env("IMSAGW_RX", "1")

pktgen.screen("off")
pktgen.set(tx, "count", 0)
pktgen.set(tx, "burst", 32)
if im.env("IMSAGW_PCAP", "0") == "1" then
	pktgen.pcap(tx, "enable")
else
	local lo = tonumber(im.env("IMSAGW_PORT_MIN", "30000"))
	local hi = tonumber(im.env("IMSAGW_PORT_MAX", "30198"))
	local size = tonumber(im.env("IMSAGW_SIZE", "214"))
	local dip = im.env("IMSAGW_DST_IP", "198.51.100.1")
	local sip = im.env("IMSAGW_SRC_IP", "198.51.100.2")

	pktgen.set_proto(tx, "udp")
	pktgen.dst_mac(tx, "start", im.env("IMSAGW_DST_MAC", "02:00:00:00:0c:01"))
	pktgen.dst_ip(tx, "start", dip)
	pktgen.dst_ip(tx, "inc", "0.0.0.0")
	pktgen.dst_ip(tx, "min", dip)
	pktgen.dst_ip(tx, "max", dip)
	pktgen.src_ip(tx, "start", sip)
	pktgen.src_ip(tx, "inc", "0.0.0.0")
	pktgen.src_ip(tx, "min", sip)
	pktgen.src_ip(tx, "max", sip)
	pktgen.dst_port(tx, "start", lo)
	pktgen.dst_port(tx, "inc", 2)
	pktgen.dst_port(tx, "min", lo)
	pktgen.dst_port(tx, "max", hi)
	pktgen.src_port(tx, "start", 10000)
	pktgen.src_port(tx, "inc", 0)
	pktgen.src_port(tx, "min", 10000)
	pktgen.src_port(tx, "max", 10000)
	pktgen.pkt_size(tx, "start", size)
	pktgen.pkt_size(tx, "inc", 0)
	pktgen.pkt_size(tx, "min", size)
	pktgen.pkt_size(tx, "max", size)
	pktgen.set_range(tx, "enable")
end
im.sweep(tx, rx, "core->access plain UDP relay")
pktgen.set_range(tx, "disable")
pktgen.pcap(tx, "disable")
pktgen.screen("on")
