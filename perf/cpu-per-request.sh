#!/usr/bin/env bash
# Server CPU per request, for finding where ingest's time goes: builds the API in Release, starts it on a fresh
# temporary SQLite file on 127.0.0.1, seeds REPORTERS reporters (perf/seed.mjs), then for each of
#   live      GET /health/live                    (the ceiling's request)
#   validate  POST /v1/submissions/validate       (a submission's HTTP side: key, JSON, checks, engine, body)
#   submit    POST /v1/submissions                (the same plus the durable write)
# runs wrk (-t2 -c64, WARMUP s then DURATION s, the same requests as perf/load.sh) and prints requests/s and the
# service's CPU time per request (user + system, from /proc), which moves much less than requests/s when other work
# shares the machine. submit minus validate is what storing costs.
# Settings: REPORTERS [1000], DURATION [8], WARMUP [5], PORT [5198], SKIP_BUILD [0].
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd); root=$(cd "$here/.." && pwd)
REPORTERS=${REPORTERS:-1000}; DURATION=${DURATION:-8}; WARMUP=${WARMUP:-5}; PORT=${PORT:-5198}; SKIP_BUILD=${SKIP_BUILD:-0}
base="http://127.0.0.1:$PORT"; admin_key="perf-admin-$RANDOM$RANDOM$RANDOM"
for tool in wrk curl node dotnet; do command -v "$tool" >/dev/null || { echo "$tool is missing: run perf/setup.sh" >&2; exit 2; }; done
if curl -fsS -o /dev/null "$base/health/live" 2>/dev/null; then echo "something already answers on $base: stop it or set PORT" >&2; exit 2; fi
work=$(mktemp -d "${TMPDIR:-/tmp}/disclosure-cpu.XXXXXX"); pid=""
cleanup() { [[ -n "$pid" ]] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
if [[ "$SKIP_BUILD" != 1 ]]; then
  timeout 600 dotnet build "$root/src/Disclosure.Api/Disclosure.Api.csproj" -c Release -nologo -v quiet >"$work/build.log" 2>&1 || { tail -30 "$work/build.log" >&2; exit 2; }
fi
app="$root/src/Disclosure.Api/bin/Release/net10.0/Disclosure.Api.dll"
(cd "$(dirname "$app")" && exec env ASPNETCORE_ENVIRONMENT=Production Auth__AdminKey="$admin_key" \
  ConnectionStrings__Sqlite="Data Source=$work/disclosure.db" dotnet "$app" --urls "$base") >"$work/server.log" 2>&1 &
pid=$!
for _ in $(seq 300); do curl -fsS "$base/health/live" >/dev/null 2>&1 && break; kill -0 "$pid" 2>/dev/null || { cat "$work/server.log" >&2; exit 2; }; sleep 0.2; done
export DISCLOSURE_LOAD_DATA="$work/reporters.lua"
timeout 300 node "$here/seed.mjs" "$base" "$admin_key" "$REPORTERS" "$root/tests/Disclosure.Catalogue.Tests/Data/gov-info-disclosure-2014.tsv" "$DISCLOSURE_LOAD_DATA" >/dev/null
sed 's#"/v1/submissions"#"/v1/submissions/validate"#; s/status ~= 201/status ~= 200/' "$here/submit.lua" >"$work/validate.lua"
cpu() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
hz=$(getconf CLK_TCK)
phase() { # name script url
  timeout $((WARMUP + 30)) wrk -t2 -c64 -d"${WARMUP}s" -s "$2" "$3" >/dev/null
  local before after out; before=$(cpu)
  out=$(timeout $((DURATION + 30)) wrk -t2 -c64 -d"${DURATION}s" -s "$2" "$3" | grep '^RESULT'); after=$(cpu)
  awk -v out="$out" -v ticks=$((after - before)) -v hz="$hz" -v name="$1" 'BEGIN {
    split(out, f, " "); for (i in f) { split(f[i], kv, "="); v[kv[1]] = kv[2] }
    printf "%-9s %9.0f req/s  %7.1f us CPU/request  p99 %s ms  non-2xx %s\n", name, v["rps"], 1e6 * ticks / hz / v["requests"], v["p99_ms"], v["non_2xx"] }'
}
echo "== $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $REPORTERS reporters, wrk -t2 -c64 -d${DURATION}s after ${WARMUP}s"
phase live "$here/get.lua" "$base/health/live"
phase validate "$work/validate.lua" "$base"
phase submit "$here/submit.lua" "$base"
