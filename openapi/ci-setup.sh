#!/usr/bin/env bash
# Installs what the OpenAPI checks need on a fresh machine, as root: Debian's chromium for the Swagger UI browser test
# (tests/Disclosure.Api.Tests/SwaggerUiBrowserTests.cs) and the pinned linters for openapi/lint.sh.
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk
fi
# Scarf is a dependency's download analytics; CI sends nothing anywhere.
SCARF_ANALYTICS=false npm ci --no-audit --no-fund
