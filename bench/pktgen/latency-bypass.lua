-- bench/pktgen/latency-bypass.lua: pktgen's latency probes through a relay
-- (bypass) flow of the gateway, beside a load on the same flow.
--
-- pktgen 23.03 builds a probe from the port's single-packet template: a
-- 124-byte UDP frame (128 with FCS) with {TSC, magic "Tstamp22"
-- (0x3232706d61747354), index}, 24 bytes, at UDP payload bytes 6..29, one
-- every 10 ms (app/pktgen.c pktgen_tstamp_inject). It is not RTP (its first
-- payload byte is pktgen's fill, 'k': version 1) and not SRTP, so it only
-- comes back through a relay termination (transport=rtp), and it must come
-- back to the port that sent it: a bypass context with both terminations on
-- the core realm, the first one's remote the pktgen core port's address and
-- IMSAGW_BYPASS_SRC_PORT, the second one's remote the same address on
-- another port. make-pcaps.sh --admin sets one up and writes its ports to
-- pcaps.env:
--   IMSAGW_BYPASS_PORT      the gateway's core port of the first termination
--   IMSAGW_BYPASS_SRC_PORT  the first termination's remote port
-- Through an SRTP flow a probe is dropped (or encrypted): no latency.
--   IMSAGW_TX      port sending the probes and the load (and receiving both
--                  back; default 0, the core port)
--   IMSAGW_PPS     packets/s of the load beside the probes (default 100000)
--   IMSAGW_STEP_MS milliseconds of sending (default 5000)
-- It prints the probes' min/avg/max latency in microseconds (pktgen's
-- averages are over every probe received; it keeps no percentiles).
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local im = dofile(dir .. "imsagw.lua")
local tx = im.env("IMSAGW_TX", "0")
local step = im.num("IMSAGW_STEP_MS", 5000, 100, 60000)
local frame = im.num("IMSAGW_FRAME", 214, 60, 1514)
local dport = im.num("IMSAGW_BYPASS_PORT", 0, 0, 65535)
local sport = im.num("IMSAGW_BYPASS_SRC_PORT", 0, 0, 65535)
local pps = im.num("IMSAGW_PPS", 100000, 1, 1e9)

local mbps = im.link_mbps({ tx })
if mbps == nil or dport == 0 or sport == 0 then
	if mbps ~= nil then
		im.printf("error: IMSAGW_BYPASS_PORT and IMSAGW_BYPASS_SRC_PORT are needed (pcaps.env)\n")
	end
	im.finish()
	return
end
pktgen.set_proto(tx, "udp")
pktgen.set_ipaddr(tx, "dst", im.env("IMSAGW_DST_IP", "198.51.100.1"))
pktgen.set_ipaddr(tx, "src", im.env("IMSAGW_SRC_IP", "198.51.100.2") .. "/24")
pktgen.set_mac(tx, "dst", im.env("IMSAGW_DST_MAC", "02:00:00:00:0c:01"))
pktgen.set(tx, "dport", dport)
pktgen.set(tx, "sport", sport)
pktgen.set(tx, "size", frame + im.FCS)
pktgen.set(tx, "count", 0)
pktgen.set(tx, "burst", 32)
pktgen.latency(tx, "enable")
-- the latency page computes the average; the screen stays on for it
pktgen.page("latency")
local txp, rxp, _, _, _ = im.step(tx, tx, im.percent(mbps, pps, frame), step)
local lat = pktgen.pktStats(tx)[tonumber(tx)].latency
pktgen.latency(tx, "disable")
im.printf("latency bypass: load want=%.0f tx_pps=%.0f rx_pps=%.0f probes=%d skipped=%d "
	  .. "min_us=%.1f avg_us=%.1f max_us=%.1f\n", pps, txp, rxp,
	  lat.num_pkts, lat.num_skipped, lat.min_us, lat.avg_us, lat.max_us)
pktgen.page("main")
im.finish()
