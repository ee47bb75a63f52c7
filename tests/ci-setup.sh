#!/usr/bin/env bash
# Installs what the browser tests inject into the pages on a fresh machine: axe-core, pinned in tests/browser/package-lock.json,
# for tests/Disclosure.Api.Tests/AccessibilityBrowserTests.cs (Chromium itself comes from openapi/ci-setup.sh).
set -euo pipefail
cd "$(dirname "$0")/browser"
npm ci --no-audit --no-fund
