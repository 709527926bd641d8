-- bench/pktgen/latency-bypass.lua: pktgen's latency probes through a relay
-- (bypass) flow of the gateway, beside a load.
--
-- A pktgen probe is a UDP packet built from the port's single-packet
-- template with a 16-byte {magic 0xf00dcafe, index, TSC} at UDP payload
-- bytes 6..21: it is not RTP (version 1, see udp-baseline.lua) and not SRTP,
-- so it only comes back through a relay termination (transport=rtp) whose
-- ports the probe template targets (IMSAGW_DST_IP/PORT). Through an SRTP
-- flow it is encrypted or dropped. The probe must return to the same pktgen
-- port and core, so wire the gateway's relay flow from core to core: both
-- terminations of the bypass context on the core realm, the second one's
-- remote pointing back at the pktgen port.
--   IMSAGW_TX  port sending probes (and receiving them back)
local im = dofile("bench/pktgen/imsagw.lua")
local tx = im.env("IMSAGW_TX", "0")
local step = math.min(tonumber(im.env("IMSAGW_STEP_MS", "10000")), 60000)

pktgen.screen("off")
pktgen.set_proto(tx, "udp")
pktgen.set_ipaddr(tx, "dst", im.env("IMSAGW_DST_IP", "198.51.100.1"))
pktgen.set_ipaddr(tx, "src", im.env("IMSAGW_SRC_IP", "198.51.100.2") .. "/24")
pktgen.set_mac(tx, "dst", im.env("IMSAGW_DST_MAC", "02:00:00:00:0c:01"))
pktgen.set(tx, "dport", tonumber(im.env("IMSAGW_DST_PORT", "30000")))
pktgen.set(tx, "sport", tonumber(im.env("IMSAGW_SRC_PORT", "10000")))
pktgen.set(tx, "size", 214)
pktgen.set(tx, "rate", tonumber(im.env("IMSAGW_PROBE_RATE", "1")))
pktgen.latency(tx, "enable")
pktgen.start(tx)
pktgen.delay(step)
pktgen.stop(tx)
pktgen.latency(tx, "disable")
printf("latency probes sent for %d ms on port %s: read the latency page (page latency)\n",
       step, tx)
pktgen.screen("on")
