#!/usr/bin/env bash
# `pnpm test`: lint, types, formatting, unit tests, then integration tests against real PostgreSQL,
# Redis and SMTP, then the conformance and simulator runs against a started service, then the
# reliability and security suite (crash, restarts, fuzzing, isolation, abuse).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
export TURBO_TELEMETRY_DISABLED=1
bash scripts/services.sh all
pnpm exec prettier --check . --log-level warn
pnpm exec turbo run lint typecheck test:unit --output-logs=errors-only
pnpm exec turbo run test:int --concurrency=1 --output-logs=new-only
bash scripts/e2e.sh
pnpm --filter @repo/api test:reliability
