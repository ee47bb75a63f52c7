# Sourced by perf/load.sh and perf/cpu-per-request.sh: the service they measure, built and started the same way.
# Expects here, root, PORT, REPORTERS and SKIP_BUILD to be set. Defines base and admin_key; creates the temporary
# directory $work (removed, and the service stopped, when the calling script exits, however it exits); builds
# src/Disclosure.Api in Release (unless SKIP_BUILD=1); starts it on a fresh SQLite file in $work, on 127.0.0.1 only;
# seeds REPORTERS reporters with a key and a full table each (perf/seed.mjs), writing the data file that the wrk
# scripts read to $work/reporters.lua and exporting its path as DISCLOSURE_LOAD_DATA.

base="http://127.0.0.1:$PORT"
admin_key="perf-admin-$RANDOM$RANDOM$RANDOM"

for tool in wrk curl node dotnet; do
  command -v "$tool" >/dev/null || { echo "$tool is missing: run perf/setup.sh" >&2; exit 2; }
done

work=$(mktemp -d "${TMPDIR:-/tmp}/disclosure-perf.XXXXXX")
server_pid=""
cleanup() {
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 2' INT TERM

if [[ "$SKIP_BUILD" != 1 ]]; then
  echo "== build (Release)"
  timeout 600 dotnet build "$root/src/Disclosure.Api/Disclosure.Api.csproj" -c Release -nologo -v quiet >"$work/build.log" 2>&1 \
    || { tail -30 "$work/build.log" >&2; exit 2; }
fi
app="$root/src/Disclosure.Api/bin/Release/net10.0/Disclosure.Api.dll"
[[ -f "$app" ]] || { echo "no build at $app" >&2; exit 2; }

if curl -fsS -o /dev/null "$base/health/live" 2>/dev/null; then
  echo "something already answers on $base: stop it or set PORT" >&2; exit 2
fi
echo "== start API on $base (SQLite at $work/disclosure.db)"
# Started from its own directory, as in the container image: appsettings.json (Microsoft.AspNetCore at
# Warning) applies, so requests are not logged one by one.
(cd "$(dirname "$app")" && exec env ASPNETCORE_ENVIRONMENT=Production \
  Auth__AdminKey="$admin_key" \
  ConnectionStrings__Sqlite="Data Source=$work/disclosure.db" \
  dotnet "$app" --urls "$base") >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 300); do
  curl -fsS "$base/health/live" >/dev/null 2>&1 && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log" >&2; exit 2; }
  sleep 0.2
done
curl -fsS "$base/health/live" >/dev/null || { echo "the API did not come up in 60 s" >&2; exit 2; }

echo "== seed $REPORTERS reporters, keys and tables"
DISCLOSURE_LOAD_DATA="$work/reporters.lua"
export DISCLOSURE_LOAD_DATA
timeout 300 node "$here/seed.mjs" "$base" "$admin_key" "$REPORTERS" \
  "$root/tests/Disclosure.Catalogue.Tests/Data/gov-info-disclosure-2014.tsv" "$DISCLOSURE_LOAD_DATA"
