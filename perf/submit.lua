-- wrk script for the ingest phase: every request is a full table from a reporter, signed with that
-- reporter's own key, reporters taken in turn (each thread starts at a different offset). Each request also
-- changes cell 1.1 from the reporter's previous one, so that a resubmission is a correction, as in real use, and
-- the district totals move with it: the table as it stands sent again is answered 200 and stores nothing. The
-- value is 1 to 4 x threads below the seeded one (which keeps every rule of the catalogue), from a pair of values
-- of its own for each thread and each run's parity (the run's number is the script's argument, which perf/load.sh
-- counts up), alternating pass by pass: two threads, two passes of one thread or two consecutive runs never send
-- a reporter the same figure twice in a row, nor the seeded one. The requests are built once, in init: building a
-- 2 KB string per request cost wrk a third of a core, taken from the service on the same two cores. The data file
-- (written by perf/seed.mjs) is named by
-- DISCLOSURE_LOAD_DATA.
-- There is no per-response callback: with one, wrk hands every response's headers and body to Lua, which cost it
-- 29-30 µs per request against 21-22 without (measured on this machine), taken from the service on the same
-- cores. Answers that are not 2xx are wrk's own status errors (>= 400; this endpoint never redirects), and
-- perf/load.sh checks that every answered request stored a revision (which only a 201 does), by counting the
-- revisions in the store before and after.
local data = dofile(os.getenv("DISCLOSURE_LOAD_DATA"))
local reporters = data.reporters
local threads = {}
local first, last = string.find(data.suffix, '{"code":"1.1","value":%d+}')
assert(first, "the seeded table has no value for 1.1")
local seeded = tonumber(string.match(string.sub(data.suffix, first, last), '(%d+)}'))
local before = string.sub(data.suffix, 1, first - 1) .. '{"code":"1.1","value":'
local after = "}" .. string.sub(data.suffix, last + 1)

function setup(thread)
  table.insert(threads, thread)
  thread:set("offset", #threads - 1)
end

function init(args)
  n = 0
  step = offset * math.floor(#reporters / 2)
  local run = tonumber(args[1] or "0") or 0
  built = {}
  for v = 1, 2 do
    local less = 1 + 2 * (2 * offset + run % 2) + (v - 1)
    assert(less <= 99, "too many threads: 1.1 would go more than 99 below the seeded value")
    built[v] = {}
    for i, r in ipairs(reporters) do
      built[v][i] = wrk.format("POST", "/v1/submissions",
        { ["Content-Type"] = "application/json", ["X-Api-Key"] = r.key },
        data.prefix .. r.id .. before .. (seeded - less) .. after)
    end
  end
end

function request()
  local i = (step + n) % #reporters
  local v = math.floor((step + n) / #reporters) % 2
  n = n + 1
  return built[v + 1][i + 1]
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d seconds=%.3f rps=%.1f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f non_2xx=%d socket_errors=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    e.status, e.connect + e.read + e.write + e.timeout))
end
