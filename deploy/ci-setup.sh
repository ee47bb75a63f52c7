#!/usr/bin/env bash
# Installs what tests/Disclosure.Deploy.Tests needs beyond the .NET SDK: a compose CLI for
# `config -q` (no Docker engine is needed for that). Idempotent and non-interactive.
#
# Kubernetes schema validation needs nothing here: the schemas are committed under
# deploy/schemas/k8s-1.30 and read by the test project (YamlDotNet + JsonSchema.Net from NuGet).
set -euo pipefail

if docker compose version >/dev/null 2>&1 || docker-compose version >/dev/null 2>&1; then
  echo "ci-setup: compose CLI present"
  exit 0
fi

# Debian 12 packages Compose 1.29 (the Python v1 CLI); the v2 plugin (docker-compose-plugin)
# comes only from Docker's own apt repository. 1.29 validates this file's features
# (compose spec without `version:`, depends_on conditions, file secrets, tmpfs, read_only).
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends docker-compose
docker-compose version
