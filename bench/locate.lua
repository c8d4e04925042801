-- wrk script for bench/locate-http.sh: cycles GET /api/v1/geo/locate over the fixed query
-- points (one "lon lat [grid]" per line in the file given after --), each thread starting at its own
-- offset, and prints p50/p95/p99 at the end (wrk --latency prints p50/75/90/99 only).
local threads = {}
local counter = 0

function setup(thread)
  thread:set("offset", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

local paths = {}
local next_index = 1

function init(args)
  local file = assert(io.open(args[1], "r"), "points file not found: " .. tostring(args[1]))
  for line in file:lines() do
    local lon, lat = line:match("^(%S+)%s+(%S+)")
    if lon then
      paths[#paths + 1] = "/api/v1/geo/locate?lon=" .. lon .. "&lat=" .. lat
    end
  end
  file:close()
  assert(#paths > 0, "no points in " .. args[1])
  next_index = (offset * math.floor(#paths / 2)) % #paths + 1
end

function request()
  local path = paths[next_index]
  next_index = next_index % #paths + 1
  return wrk.format("GET", path)
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  io.write(string.format("requests: %d in %.1f s = %.0f req/s; the non-2xx above are 404s: points outside every boundary the app holds\n",
    summary.requests, seconds, summary.requests / seconds))
  io.write(string.format("latency: p50 %.2f ms, p95 %.2f ms, p99 %.2f ms, max %.2f ms, mean %.2f ms\n",
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, latency.mean / 1000))
  io.write(string.format("errors: connect %d, read %d, write %d, status %d, timeout %d\n",
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.status, summary.errors.timeout))
end
