-- wrk script for bench/cases-load.sh: GET /api/v1/cases/{id} over a file of case ids (one a line),
-- each thread starting at its own offset. Prints one summary line like bench/intake.lua.
-- args after --: IDS TOKEN
local threads = {}
local counter = 0

function setup(thread)
  thread:set("index", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

local paths = {}
local next_index = 1
local headers
ok, other = 0, 0

function init(args)
  local file = assert(io.open(args[1], "r"), "ids file not found: " .. tostring(args[1]))
  for line in file:lines() do
    if #line > 0 then
      paths[#paths + 1] = "/api/v1/cases/" .. line
    end
  end
  file:close()
  assert(#paths > 0, "no ids in " .. args[1])
  npaths = #paths
  headers = { ["Authorization"] = "Bearer " .. args[2] }
  next_index = (index * 131) % #paths + 1
end

function request()
  local path = paths[next_index]
  next_index = next_index % #paths + 1
  return wrk.format("GET", path, headers)
end

function response(status, headers, body)
  if status == 200 then
    ok = ok + 1
  else
    other = other + 1
  end
end

function done(summary, latency, requests)
  local good, bad = 0, 0
  for _, thread in ipairs(threads) do
    good = good + thread:get("ok")
    bad = bad + thread:get("other")
  end
  local e = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format(
    "detail (wrk) GET /api/v1/cases/{id} over %d cases: %d ok, %d other answers, %d socket errors in %.1f s = %.0f/s; p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms\n",
    threads[1]:get("npaths"), good, bad, e.connect + e.read + e.write + e.timeout, seconds, good / seconds, latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
