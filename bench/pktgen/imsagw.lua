-- bench/pktgen/imsagw.lua: helpers shared by the imsagw pktgen scripts.
-- Loaded with dofile() from the other scripts. Written against
-- Pktgen-DPDK 23.03.0 (app/lpktgenlib.c), checked on it over net_memif:
-- pktgen.set(), pktgen.start/stop(), pktgen.pcap(), pktgen.range.*,
-- pktgen.set_range(), pktgen.portStats(), pktgen.linkState(),
-- pktgen.pktStats(), pktgen.delay(), pktgen.quit(). pktgen's Lua has no
-- global printf: every line goes through M.printf (string.format).
local M = {}

-- Settings come from the environment so that one script serves every lab:
--   IMSAGW_TX       pktgen port that sends (default: the script's)
--   IMSAGW_RX       pktgen port that receives what the gateway forwards
--   IMSAGW_PPS      comma list of packets/s to step through; "max" is
--                   pktgen's 100 % (flat out)
--   IMSAGW_RATES    comma list of pktgen rate percentages instead (a share
--                   of the link speed the port reports: 100 Gb/s on memif)
--   IMSAGW_STEP_MS  milliseconds per step (default 3000, at most 60000)
--   IMSAGW_FRAME    frame bytes without FCS the port sends (214: RTP with a
--                   160-byte payload), for the rate arithmetic
--   IMSAGW_HOLD_MS  > 0: at the end keep the ports until the gateway closes
--                   them (at most this long), then quit pktgen (bench/pktgen/
--                   run.sh); 0 (default): return to pktgen's prompt

-- Every result line starts with "imsagw-pktgen: " so that a wrapper can
-- pick it out of pktgen's screen output.
function M.printf(fmt, ...)
	io.write("imsagw-pktgen: " .. string.format(fmt, ...))
	io.flush()
end

function M.env(name, default)
	local v = os.getenv(name)
	if v == nil or v == "" then
		return default
	end
	return v
end

-- A number from the environment, clamped to [lo, hi].
function M.num(name, default, lo, hi)
	local v = tonumber(M.env(name, tostring(default))) or default
	return math.max(lo, math.min(hi, v))
end

-- pktgen counts the 4-byte FCS in every size it is given (set "size",
-- pktgen.range.pkt_size): a frame of N bytes on the wire without FCS is
-- size N + 4 (218 for 214).
M.FCS = 4
-- pktgen's rate arithmetic (app/pktgen.c pktgen_packet_rate): per packet
-- the frame without FCS plus 24 bytes (FCS 4, preamble 7, SFD 1, gap 12).
local WIRE_OVERHEAD = 24

-- Wait until every port in the list is up (bounded: 10 s) and return the
-- link speed in Mb/s of the first. pktgen refreshes a port's link state
-- from its display timer, so this must run while the screen is on.
function M.link_mbps(ports)
	local speed = nil
	for _ = 1, 100 do
		local up = true
		for _, p in ipairs(ports) do
			local s = pktgen.linkState(p)[tonumber(p)] or ""
			local mbps = tonumber(string.match(s, "^<UP%-(%d+)%-"))
			if mbps == nil then
				up = false
			elseif speed == nil then
				speed = mbps
			end
		end
		if up and speed ~= nil then
			return speed
		end
		speed = nil
		pktgen.delay(100)
	end
	M.printf("error: link down on port(s) %s after 10 s\n", table.concat(ports, ","))
	return nil
end

-- pktgen's rate is a percentage of the link speed the port reports; the
-- percentage that makes it send pps frames/s of frame bytes (no FCS).
function M.percent(mbps, pps, frame)
	local pct = pps * (frame + WIRE_OVERHEAD) * 8 * 100 / (mbps * 1e6)
	return math.min(100, pct)
end

-- The steps to run: {pps = wanted packets/s or nil for flat out, pct =
-- pktgen's rate}. IMSAGW_RATES (percentages) wins over IMSAGW_PPS.
function M.steps(mbps, frame, default_pps)
	local t = {}
	local rates = M.env("IMSAGW_RATES", nil)
	if rates ~= nil then
		for r in string.gmatch(rates, "[^,]+") do
			local x = tonumber(r)
			if x ~= nil and x > 0 and x <= 100 then
				table.insert(t, { pps = mbps * 1e6 * x / 100 / ((frame + WIRE_OVERHEAD) * 8),
						  pct = x })
			end
		end
		return t
	end
	for r in string.gmatch(M.env("IMSAGW_PPS", default_pps), "[^,]+") do
		local x = tonumber(r)
		if r == "max" then
			table.insert(t, { pps = nil, pct = 100 })
		elseif x ~= nil and x > 0 then
			table.insert(t, { pps = x, pct = M.percent(mbps, x, frame) })
		end
	end
	return t
end

-- Packet counters of one port since the last pktgen.clr(). pktgen copies
-- the port's counters once a second (its timer thread), so read them at
-- least a second after the last packet moved.
function M.counters(port)
	local t = pktgen.portStats(port, "port")[tonumber(port)]
	if t == nil then
		return 0, 0, 0
	end
	return t.opackets or 0, t.ipackets or 0, t.imissed or 0
end

-- pktgen's per-second rates of a port (its timer thread's last 1 s tick):
-- packets/s sent and received.
function M.rate(port)
	local t = pktgen.portStats(port, "rate")[tonumber(port)]
	if t == nil then
		return 0, 0
	end
	return t.opackets or 0, t.ipackets or 0
end

local function median(t)
	if #t == 0 then
		return 0
	end
	table.sort(t)
	return t[math.floor((#t + 1) / 2)]
end

-- Send for step_ms at pktgen rate pct; return the offered and forwarded
-- packets/s and the totals. The rates are the median of pktgen's own
-- per-second rates (its timer thread's 1 s ticks, by the TSC) read once a
-- second from the second second on, when the last tick lies wholly inside
-- the step: pktgen.delay() sleeps in 10 ms slices, and on a CPU shared with
-- pktgen's polling threads it oversleeps (by 5-30 % here), so totals
-- divided by step_ms would overstate the rate. Steps of 3 s or more.
function M.step(tx, rx, pct, step)
	local txr, rxr = {}, {}
	pktgen.stop(tx)
	-- pktgen keeps the rate as a string it parses with strtod
	pktgen.set(tx, "rate", string.format("%.4f", pct))
	pktgen.delay(100)
	pktgen.clr()
	pktgen.start(tx)
	local n = math.max(1, math.floor(step / 1000))
	for k = 1, n do
		pktgen.delay(step / n)
		if n == 1 or k > 1 then
			table.insert(txr, (M.rate(tx)))
			table.insert(rxr, select(2, M.rate(rx)))
		end
	end
	pktgen.stop(tx)
	pktgen.delay(1500) -- in-flight packets arrive, pktgen's 1 s counters catch up
	local tx1, _, _ = M.counters(tx)
	local _, rx1, miss = M.counters(rx)
	return median(txr), median(rxr), tx1, rx1, miss
end

-- Send at each step for IMSAGW_STEP_MS; print wanted, offered (what pktgen
-- sent) and forwarded (what came back on rx) packets/s, one line per step:
--   imsagw-pktgen: step LABEL want=PPS|max rate=PCT tx_pps=N rx_pps=N
--                  tx=N rx=N rx/tx=R ...
-- (tx, rx, rx/tx: the step's exact totals). first_pass (optional) is the
-- number of packets before the source repeats itself (a pcap's length): a
-- step that crosses it is marked "replay". Every loop is bounded (steps x
-- step_ms). pktgen paces every port of one lcore by the rate of the first
-- (app/pktgen.c pktgen_main_rxtx_loop): the sending port must be port 0.
function M.sweep(tx, rx, label, frame, default_pps, first_pass)
	local step = M.num("IMSAGW_STEP_MS", 3000, 100, 60000)
	local mbps = M.link_mbps({ tx, rx })
	if mbps == nil then
		return
	end
	local sent = 0
	M.printf("sweep %s: tx port %s, rx port %s, link %d Mb/s, %d-byte frames, %d ms steps\n",
		 label, tx, rx, mbps, frame, step)
	for _, s in ipairs(M.steps(mbps, frame, default_pps)) do
		local txp, rxp, tx1, rx1, miss = M.step(tx, rx, s.pct, step)
		local note = ""
		if first_pass ~= nil and first_pass > 0 then
			if sent + tx1 > first_pass then
				note = string.format(" replay (past the pcap's %d packets: rates only)",
						     first_pass)
			else
				note = " first-pass"
			end
		end
		sent = sent + tx1
		M.printf("step %s want=%s rate=%.4f tx_pps=%.0f rx_pps=%.0f tx=%d rx=%d rx/tx=%.4f "
			 .. "rx_imissed=%d%s\n", label, s.pps and string.format("%.0f", s.pps) or "max",
			 s.pct, txp, rxp, tx1, rx1, tx1 > 0 and rx1 / tx1 or 0, miss, note)
	end
end

-- The end of a script: with IMSAGW_HOLD_MS, hold the ports until the
-- gateway has closed them (net_memif on DPDK 22.11 unmaps a connection's
-- rings under a peer that still polls them: the gateway stops its workers
-- first, then closes), at most that long, then quit pktgen.
function M.finish()
	pktgen.screen("on") -- the display timer refreshes the link state
	M.printf("done\n")
	local hold = M.num("IMSAGW_HOLD_MS", 0, 0, 600000)
	if hold <= 0 then
		return
	end
	M.printf("holding the ports (at most %d ms)\n", hold)
	for _ = 1, math.ceil(hold / 100) do
		local t = pktgen.linkState("all")
		local up = false
		for i = 0, (t.n or 0) - 1 do
			if string.match(t[i] or "", "^<UP") then
				up = true
			end
		end
		if not up then
			M.printf("the gateway closed the ports\n")
			break
		end
		pktgen.delay(100)
	end
	pktgen.quit()
end

return M
