#!/usr/bin/env bash
# Server CPU per request, for finding where ingest's time goes: builds the API in Release, starts it on a fresh
# temporary SQLite file on 127.0.0.1, seeds REPORTERS reporters (perf/seed.mjs), then for each of
#   live      GET /health/live                    (the ceiling's request)
#   validate  POST /v1/submissions/validate       (a submission's HTTP side: key, JSON, checks, engine, body; and,
#                                                 since the twenty-third session, one read of the period's settings)
#   submit    POST /v1/submissions                (the same plus the durable write)
# runs wrk (-t2 -c64, WARMUP s then DURATION s, the same requests as perf/load.sh) and prints requests/s and the
# service's CPU time per request (user + system, from /proc), which moves much less than requests/s when other work
# shares the machine. submit minus validate is about what storing costs (less the period read).
# Settings: REPORTERS [1000], DURATION [8], WARMUP [5], PORT [5198], SKIP_BUILD [0].
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd); root=$(cd "$here/.." && pwd)
REPORTERS=${REPORTERS:-1000}; DURATION=${DURATION:-8}; WARMUP=${WARMUP:-5}; PORT=${PORT:-5198}; SKIP_BUILD=${SKIP_BUILD:-0}

# shellcheck source=service.sh
source "$here/service.sh" >/dev/null
sed 's#"/v1/submissions"#"/v1/submissions/validate"#' "$here/submit.lua" >"$work/validate.lua"
cpu() { awk '{print $14 + $15}' "/proc/$server_pid/stat"; }
written() { awk '/^wchar/ {print $2}' "/proc/$server_pid/io"; } # bytes handed to write(2)/pwrite(2)/send(2): responses, WAL, checkpoints
hz=$(getconf CLK_TCK)
phase() { # name script url
  # The run's number goes to submit.lua, so that the measured run sends each reporter other figures than the warm-up's last.
  timeout $((WARMUP + 30)) wrk -t2 -c64 -d"${WARMUP}s" -s "$2" "$3" -- 0 >/dev/null
  local before after out wrote; before=$(cpu); wrote=$(written)
  out=$(timeout $((DURATION + 30)) wrk -t2 -c64 -d"${DURATION}s" -s "$2" "$3" -- 1 | grep '^RESULT'); after=$(cpu); wrote=$(( $(written) - wrote ))
  awk -v out="$out" -v ticks=$((after - before)) -v hz="$hz" -v name="$1" -v wrote="$wrote" 'BEGIN {
    split(out, f, " "); for (i in f) { split(f[i], kv, "="); v[kv[1]] = kv[2] }
    printf "%-9s %9.0f req/s  %7.1f us CPU/request  %6.1f KB written/request  p99 %s ms  non-2xx %s\n", name, v["rps"], 1e6 * ticks / hz / v["requests"], wrote / 1024 / v["requests"], v["p99_ms"], v["non_2xx"] }'
}
echo "== $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $REPORTERS reporters, wrk -t2 -c64 -d${DURATION}s after ${WARMUP}s"
phase live "$here/get.lua" "$base/health/live"
phase validate "$work/validate.lua" "$base"
phase submit "$here/submit.lua" "$base"
