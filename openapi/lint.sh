#!/usr/bin/env bash
# Lints openapi/disclosure.v1.json with Redocly (redocly.yaml) and Spectral (.spectral.yaml); exits non-zero when
# either reports an error. The linters come from package-lock.json: `npm ci` here, or openapi/ci-setup.sh.
set -uo pipefail
cd "$(dirname "$0")"
export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true NO_UPDATE_NOTIFIER=1
if [ ! -x node_modules/.bin/redocly ] || [ ! -x node_modules/.bin/spectral ]; then
  npm ci --no-audit --no-fund || exit 1
fi
status=0
echo "== redocly lint"
node_modules/.bin/redocly lint disclosure.v1.json --format=stylish || status=1
echo "== spectral lint"
node_modules/.bin/spectral lint disclosure.v1.json --ruleset .spectral.yaml --fail-severity=error || status=1
if [ "$status" -eq 0 ]; then echo "openapi lint: no errors"; else echo "openapi lint: errors found" >&2; fi
exit "$status"
