-- wrk script for the ingest phase: every request is a full table from a reporter, signed with that
-- reporter's own key, reporters taken in turn (each thread starts at a different offset). Counts every
-- answer that is not 201. The data file (written by perf/seed.mjs) is named by DISCLOSURE_LOAD_DATA.
local data = dofile(os.getenv("DISCLOSURE_LOAD_DATA"))
local reporters = data.reporters
local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("offset", #threads - 1)
end

function init(args)
  n = 0
  non201 = 0
  statuses = ""
  step = offset * math.floor(#reporters / 2)
end

function request()
  local r = reporters[((step + n) % #reporters) + 1]
  n = n + 1
  return wrk.format("POST", "/v1/submissions",
    { ["Content-Type"] = "application/json", ["X-Api-Key"] = r.key },
    data.prefix .. r.id .. data.suffix)
end

function response(status, headers, body)
  if status ~= 201 then
    non201 = non201 + 1
    if #statuses < 200 then statuses = statuses .. status .. " " end
  end
end

function done(summary, latency, requests)
  local bad, seen = 0, ""
  for _, t in ipairs(threads) do
    bad = bad + t:get("non201")
    seen = seen .. t:get("statuses")
  end
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d seconds=%.3f rps=%.1f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f non_2xx=%d socket_errors=%d statuses=[%s]\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    bad, e.connect + e.read + e.write + e.timeout, seen))
end
