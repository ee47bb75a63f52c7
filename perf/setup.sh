#!/usr/bin/env bash
# Installs what perf/load.sh needs on a fresh Debian/Ubuntu machine: wrk (load generator), curl, and
# Node.js (the seeding helper). Idempotent and non-interactive; the .NET SDK of global.json is assumed.
set -euo pipefail

need=()
command -v wrk  >/dev/null || need+=(wrk)
command -v curl >/dev/null || need+=(curl)
command -v node >/dev/null || need+=(nodejs)

if ((${#need[@]} > 0)); then
  sudo=""
  [[ $(id -u) -ne 0 ]] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}"
fi

node -e 'if (parseInt(process.versions.node) < 18) { console.error("Node.js 18 or later is needed (global fetch)"); process.exit(1); }'
command -v dotnet >/dev/null || { echo "The .NET SDK (see global.json) is needed: https://dot.net" >&2; exit 1; }
echo "perf tools ready: $(wrk --version 2>&1 | head -1 | cut -d' ' -f1-2), node $(node --version), dotnet $(dotnet --version)"
