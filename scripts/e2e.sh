#!/usr/bin/env bash
# End-to-end against started services (api + worker processes on PostgreSQL): Microsoft's
# conformance collection, then a small simulator cycle in each Entra/Okta dialect.
set -euo pipefail
cd "$(dirname "$0")/.."
pnpm --filter @repo/api --silent conformance
pnpm --filter @repo/api --silent e2e:simulate
