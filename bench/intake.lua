-- wrk script for bench/cases-load.sh: POST /api/v1/cases at the Kundulun points (one "lon lat grid"
-- per line; points outside every grid, grid "-", are skipped), each request with its own
-- Idempotency-Key and, when a photo file is given, its own photo id (a photo attaches to one case
-- only: thread k of T takes ids k, k+T, k+2T ...). Prints one summary line: 201s, other answers,
-- socket errors, rate and p50/p95/p99 (wrk's own latency histogram).
-- args after --: POINTS TOKEN THREADS RUN [PHOTOS] [RATE]
-- RATE (requests/s in all, optional; give PHOTOS as "-" for none): paces the sends, so the run
-- measures latency at that rate instead of at saturation. Each thread sends its share, one request
-- every THREADS/RATE s across its connections (wrk's delay()), on slots fixed from the first send; a
-- request whose slot has passed goes at once, so a server slower than RATE shows as a rate below RATE.
local threads = {}
local counter = 0

function setup(thread)
  thread:set("index", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

local points = {}
local photos = {}
local next_point, next_photo, sent = 1, 1, 0
local run, headers, stride
local next_slot = 0
created, other, interval = 0, 0, nil

local ffi = require("ffi")
ffi.cdef[[
  typedef struct { long tv_sec; long tv_nsec; } cg_timespec;
  int clock_gettime(int clock, cg_timespec *t);
]]
local now_ts = ffi.new("cg_timespec")
local function now_ms()
  ffi.C.clock_gettime(1, now_ts) -- CLOCK_MONOTONIC
  return tonumber(now_ts.tv_sec) * 1000 + tonumber(now_ts.tv_nsec) / 1e6
end

function init(args)
  local file = assert(io.open(args[1], "r"), "points file not found: " .. tostring(args[1]))
  for line in file:lines() do
    local lon, lat, grid = line:match("^(%S+)%s+(%S+)%s+(%S+)")
    if lon and grid ~= "-" then
      points[#points + 1] = { lon, lat }
    end
  end
  file:close()
  assert(#points > 0, "no inside points in " .. args[1])
  headers = { ["Authorization"] = "Bearer " .. args[2], ["Content-Type"] = "application/json" }
  stride = tonumber(args[3])
  run = args[4]
  if args[6] then
    -- Defined only when pacing: wrk then sends each request when delay() says (milliseconds).
    interval = 1000 * stride / tonumber(args[6])
    delay = paced_delay
  end
  if args[5] and args[5] ~= "-" then
    local ids = assert(io.open(args[5], "r"), "photo file not found: " .. args[5])
    local n = 0
    for line in ids:lines() do
      if n % stride == index then
        photos[#photos + 1] = line
      end
      n = n + 1
    end
    ids:close()
  end
  next_point = (index * 7919) % #points + 1
end

-- The slots are fixed on the clock from the start (start + k * interval): a request whose slot has
-- passed goes at once and the next slot does not move, so a late event loop catches up instead of
-- losing the time (as wrk2 does). A server slower than RATE still shows as a rate below RATE.
function paced_delay()
  local now = now_ms()
  if next_slot == 0 then
    next_slot = now
  end
  local slot = next_slot
  next_slot = next_slot + interval
  if slot <= now then
    return 0
  end
  return slot - now
end

function request()
  local p = points[next_point]
  next_point = next_point % #points + 1
  sent = sent + 1
  local photo = ""
  if #photos > 0 then
    -- Out of photos: reuse the last, which the server refuses (400), so the run shows errors.
    photo = ',"photoIds":["' .. photos[math.min(next_photo, #photos)] .. '"]'
    next_photo = next_photo + 1
  end
  headers["Idempotency-Key"] = "wrk-" .. run .. "-" .. index .. "-" .. sent
  local body = '{"categoryCode":"0301","lon":' .. p[1] .. ',"lat":' .. p[2] ..
    ',"description":"压力测试：垃圾堆放 ' .. index .. '-' .. sent .. '","channel":"patrol"' .. photo .. '}'
  return wrk.format("POST", "/api/v1/cases", headers, body)
end

function response(status, headers, body)
  if status == 201 then
    created = created + 1
  else
    other = other + 1
  end
end

function done(summary, latency, requests)
  local ok, bad = 0, 0
  for _, thread in ipairs(threads) do
    ok = ok + thread:get("created")
    bad = bad + thread:get("other")
  end
  local e = summary.errors
  local every = threads[1]:get("interval")
  local paced = every and string.format(", paced at %.0f/s", 1000 * #threads / every) or ""

  local sockets = e.connect + e.read + e.write + e.timeout
  local seconds = summary.duration / 1e6
  io.write(string.format(
    "intake (wrk%s) POST /api/v1/cases: %d created, %d other answers, %d socket errors in %.1f s = %.0f/s; p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms\n",
    paced, ok, bad, sockets, seconds, ok / seconds, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000))
end
