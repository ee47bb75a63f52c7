#!/usr/bin/env bash
# Two builds compared at once, for a before/after pair on a noisy shared machine: starts the Release build of each
# checkout (perf/service.sh of each, on a fresh temporary SQLite file, each with REPORTERS reporters), then ROUNDS times
# drives both at the same moment with the same load (wrk -t1 -c32 each, DURATION s, the ingest requests of perf/load.sh,
# or the dry run with REQUEST=validate) and prints each service's CPU per request and the ratio B/A. Whatever the machine
# does during a round, it does to both, so the ratio moves far less than either figure; the first round or two are the
# JIT still warming up.
# Usage: perf/pair.sh CHECKOUT_A CHECKOUT_B   (both built: dotnet build src/Disclosure.Api/Disclosure.Api.csproj -c Release)
# Settings: ROUNDS [6], DURATION [10], REPORTERS [1000], REQUEST [submit|validate], PORT_A [5301], PORT_B [5302].
set -euo pipefail
[[ $# -eq 2 ]] || { sed -n '2,9p' "$0" >&2; exit 2; }
a=$(cd "$1" && pwd); b=$(cd "$2" && pwd)
ROUNDS=${ROUNDS:-6}; DURATION=${DURATION:-10}; REQUEST=${REQUEST:-submit}
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d "${TMPDIR:-/tmp}/disclosure-pair.XXXXXX")
holders=()
cleanup() { rm -f "$dir"/*.info; for p in "${holders[@]}"; do wait "$p" 2>/dev/null || true; done; rm -rf "$dir"; }
trap cleanup EXIT
trap 'exit 2' INT TERM

# One service held up by its own checkout's perf/service.sh until its info file is removed (which stops it).
hold() { # checkout port name
  (root=$1; here=$1/perf; PORT=$2; REPORTERS=${REPORTERS:-1000}; SKIP_BUILD=1
   # shellcheck source=service.sh
   source "$here/service.sh" >"$dir/$3.log" 2>&1
   echo "$server_pid $DISCLOSURE_LOAD_DATA $base" >"$dir/$3.info"
   while [[ -f "$dir/$3.info" ]]; do sleep 1; done) &
  holders+=($!)
}
hold "$a" "${PORT_A:-5301}" a
hold "$b" "${PORT_B:-5302}" b
for _ in $(seq 600); do [[ -s "$dir/a.info" && -s "$dir/b.info" ]] && break; sleep 1; done
[[ -s "$dir/a.info" && -s "$dir/b.info" ]] || { cat "$dir"/*.log >&2; exit 2; }
read -r pid_a data_a base_a <"$dir/a.info"; read -r pid_b data_b base_b <"$dir/b.info"
path=/v1/submissions; [[ "$REQUEST" == validate ]] && path=/v1/submissions/validate
sed "s#\"/v1/submissions\"#\"$path\"#" "$here/submit.lua" >"$dir/request.lua"

hz=$(getconf CLK_TCK)
cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; }
answered() { grep -oE 'requests=[0-9]+' "$1" | cut -d= -f2; }
echo "== $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); A = $a, B = $b; $REQUEST, wrk -t1 -c32 -d${DURATION}s each, at once"
for r in $(seq "$ROUNDS"); do
  ca=$(cpu "$pid_a"); cb=$(cpu "$pid_b")
  DISCLOSURE_LOAD_DATA=$data_a timeout $((DURATION + 30)) wrk -t1 -c32 -d"${DURATION}s" -s "$dir/request.lua" "$base_a" -- "$r" >"$dir/a.txt" & wa=$!
  DISCLOSURE_LOAD_DATA=$data_b timeout $((DURATION + 30)) wrk -t1 -c32 -d"${DURATION}s" -s "$dir/request.lua" "$base_b" -- "$r" >"$dir/b.txt" & wb=$!
  wait "$wa" "$wb"
  awk -v r="$r" -v ca=$(( $(cpu "$pid_a") - ca )) -v cb=$(( $(cpu "$pid_b") - cb )) -v na="$(answered "$dir/a.txt")" -v nb="$(answered "$dir/b.txt")" -v hz="$hz" 'BEGIN {
    x = 1e6 * ca / hz / na; y = 1e6 * cb / hz / nb
    printf "round %d  A %7.1f us/request (%d answered)  B %7.1f us/request (%d answered)  B/A %.3f\n", r, x, na, y, nb, y / x }'
done
