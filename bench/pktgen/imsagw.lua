-- bench/pktgen/imsagw.lua: helpers shared by the imsagw pktgen scripts.
-- Loaded with dofile() from the other scripts; pktgen's Lua API as in
-- Pktgen-DPDK (app/lpktgenlib.c): pktgen.set(), pktgen.start/stop(),
-- pktgen.pcap(), pktgen.set_range(), pktgen.portStats(), pktgen.delay().
local M = {}

-- Settings come from the environment so that one script serves every lab:
--   IMSAGW_TX   pktgen port that sends (default "0")
--   IMSAGW_RX   pktgen port that receives what the gateway forwards ("1")
--   IMSAGW_RATES  comma list of rate percentages to step through
--   IMSAGW_STEP_MS  milliseconds per step (default 5000, at most 60000)
function M.env(name, default)
	local v = os.getenv(name)
	if v == nil or v == "" then
		return default
	end
	return v
end

function M.rates()
	local s = M.env("IMSAGW_RATES", "10,25,50,75,100")
	local t = {}
	for r in string.gmatch(s, "[^,]+") do
		local x = tonumber(r)
		if x ~= nil and x > 0 and x <= 100 then
			table.insert(t, x)
		end
	end
	return t
end

-- Packet counters of one port. Newer pktgen returns t[pid].curr.*, older
-- releases t[pid].* directly (portStats(port, "port")).
function M.counters(port)
	local pid = tonumber(port)
	local t = pktgen.portStats(port, "port")
	local p = t[pid]
	if p == nil then
		return 0, 0, 0
	end
	if p.curr ~= nil then
		p = p.curr
	end
	return p.opackets or 0, p.ipackets or 0, p.imissed or 0
end

-- Send at each rate for step_ms; print offered and forwarded packets/s
-- and the share that came back. Every loop is bounded (rates x step).
function M.sweep(tx, rx, label)
	local step = math.min(tonumber(M.env("IMSAGW_STEP_MS", "5000")), 60000)
	printf("%-28s %6s %12s %12s %8s\n", label, "rate%", "tx pps", "rx pps", "rx/tx")
	for _, r in ipairs(M.rates()) do
		pktgen.stop(tx)
		pktgen.set(tx, "rate", r)
		pktgen.delay(200)
		pktgen.clr()
		local tx0, _, _ = M.counters(tx)
		local _, rx0, _ = M.counters(rx)
		pktgen.start(tx)
		pktgen.delay(step)
		pktgen.stop(tx)
		pktgen.delay(300) -- let in-flight packets arrive
		local tx1, _, _ = M.counters(tx)
		local _, rx1, miss = M.counters(rx)
		local txp = (tx1 - tx0) * 1000 / step
		local rxp = (rx1 - rx0) * 1000 / step
		printf("%-28s %6.1f %12.0f %12.0f %8.4f (rx imissed %d)\n", label, r, txp, rxp,
		       txp > 0 and rxp / txp or 0, miss)
	end
end

return M
