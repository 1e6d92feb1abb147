-- The mixed workload of make soak for wrk:
--   wrk ... -s tests/soak/mixed.lua URL -- MIX TOKEN MAXID TAG
-- MIX is tests/soak/mix.txt (bench/openloop reads the same file): one
-- request a line, NAME WEIGHT METHOD PATH [JSON BODY]; {id} becomes a
-- contact id drawn from 1..MAXID, {n} TAG, the thread and a number.
-- wrk counts only socket errors and "Non-2xx or 3xx" answers; here any
-- answer outside 2xx is an error, and done() prints, for tests/soak/run.sh:
--   mixed requests N answered N errors N socket N seconds S rps R
--         p50 MS p90 MS p99 MS max MS
--   mixed sent NAME N ...   (requests of each line of MIX)
-- (requests: wrk's count of answers; answered: those response() saw;
-- errors: answers outside 2xx; socket: wrk's connect, read, write and
-- timeout errors; latencies from wrk's own record.)
-- With no error, every write sent was acknowledged but those still in
-- flight when wrk stopped (at most one per connection).

local threads = {}
local counter = 0

function setup(thread)
	thread:set("id", #threads + 1)
	table.insert(threads, thread)
end

local mix, total, token, maxid, tag = {}, 0, nil, 1, "w"

function init(args)
	local path = args[1]
	mixpath = path
	token, maxid, tag = args[2], tonumber(args[3]), args[4] .. "t" .. id
	local f = assert(io.open(path, "r"))
	for l in f:lines() do
		if not l:match("^%s*#") and l:match("%S") then
			local name, weight, method, p, body = l:match("^%s*(%S+)%s+(%d+)%s+(%S+)%s+(%S+)%s*(.*)$")
			assert(name, "mixed.lua: not NAME WEIGHT METHOD PATH [BODY]: " .. l)
			table.insert(mix, {name = name, weight = tonumber(weight), method = method, path = p,
				body = body ~= "" and body or nil})
			total = total + tonumber(weight)
			_G["sent_" .. name] = 0
		end
	end
	f:close()
	math.randomseed(id * 7919 + os.time())
	answered, errors = 0, 0
end

local function fill(t, cid, n)
	return (t:gsub("{id}", tostring(cid)):gsub("{n}", tag .. "-" .. n))
end

function request()
	local w = math.random(total)
	local l
	for _, m in ipairs(mix) do
		if w <= m.weight then
			l = m
			break
		end
		w = w - m.weight
	end
	counter = counter + 1
	local cid = math.random(maxid)
	local headers = {Authorization = "Bearer " .. token}
	local body = nil
	if l.body then
		body = fill(l.body, cid, counter)
		headers["Content-Type"] = "application/json"
	end
	_G["sent_" .. l.name] = _G["sent_" .. l.name] + 1
	return wrk.format(l.method, fill(l.path, cid, counter), headers, body)
end

function response(status, headers, body)
	answered = answered + 1
	if status < 200 or status > 299 then
		errors = errors + 1
		if errors <= 3 then
			io.stderr:write("mixed.lua: answer " .. status .. ": " .. body:sub(1, 300) .. "\n")
		end
	end
end

function done(summary, latency, requests)
	local a, e = 0, 0
	for _, t in ipairs(threads) do
		a = a + t:get("answered")
		e = e + t:get("errors")
	end
	local se = summary.errors
	io.write(string.format("mixed requests %d answered %d errors %d socket %d seconds %.1f rps %.1f"
		.. " p50 %.2f p90 %.2f p99 %.2f max %.2f\n",
		summary.requests, a, e, se.connect + se.read + se.write + se.timeout, summary.duration / 1e6,
		summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1e3,
		latency:percentile(90) / 1e3, latency:percentile(99) / 1e3, latency.max / 1e3))
	-- the names, in the order of the file, from the first thread's copy
	local line = "mixed sent"
	local f = assert(io.open(threads[1]:get("mixpath"), "r"))
	for l in f:lines() do
		local name = l:match("^%s*([^#%s]%S*)%s+%d+")
		if name then
			local n = 0
			for _, t in ipairs(threads) do
				n = n + t:get("sent_" .. name)
			end
			line = line .. " " .. name .. " " .. n
		end
	end
	f:close()
	io.write(line .. "\n")
end
