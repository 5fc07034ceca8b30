#!/usr/bin/env bash
# Makes sure Redis (and PostgreSQL when DATABASE_URL points at it, or for tests) answer on loopback.
# Usage: scripts/services.sh redis | postgres | all
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DATA="$ROOT/.data"
REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379}

hostport() { # url default-port → "host port"
  local rest=${1#*://}; rest=${rest#*@}; rest=${rest%%/*}; rest=${rest%%\?*}
  local host=${rest%%:*} port=${rest##*:}
  [ "$port" = "$rest" ] && port=$2
  echo "${host:-127.0.0.1} ${port}"
}
answers() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }
wait_for() { for _ in $(seq 1 50); do answers "$1" "$2" && return 0; sleep 0.2; done; return 1; }
loopback() { [[ "$1" == 127.* || "$1" == localhost || "$1" == ::1 ]]; }

ensure_redis() {
  read -r host port < <(hostport "$REDIS_URL" 6379)
  answers "$host" "$port" && return 0
  if command -v redis-server >/dev/null && loopback "$host"; then
    mkdir -p "$DATA"
    # Job hashes hold fields of up to ~600 bytes (the SCIM body); stored compactly they take 30 %
    # less memory (README, Performance). The ziplist name works on Redis 6 and 7.
    redis-server --daemonize yes --bind 127.0.0.1 --port "$port" --save "" --appendonly no \
      --maxmemory-policy noeviction --hash-max-ziplist-value 1024 \
      --dir "$DATA" --logfile "$DATA/redis.log" >/dev/null
    wait_for "$host" "$port" && return 0
  fi
  echo "Redis is not answering at $REDIS_URL: install it (sudo apt-get install redis-server) or set REDIS_URL to a running Redis." >&2
  exit 1
}

ensure_postgres() {
  local url=${1:-postgres://postgres@127.0.0.1:5432/postgres}
  read -r host port < <(hostport "$url" 5432)
  answers "$host" "$port" && return 0
  if command -v pg_ctlcluster >/dev/null && loopback "$host"; then
    local version; version=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -1)
    [ -n "$version" ] && pg_ctlcluster --skip-systemctl-redirect "$version" main start >/dev/null 2>&1 || true
    wait_for "$host" "$port" && return 0
  fi
  echo "PostgreSQL is not answering at $host:$port: install it (sudo apt-get install postgresql) or fix DATABASE_URL." >&2
  exit 1
}

case "${1:-all}" in
  redis) ensure_redis ;;
  postgres) ensure_postgres "${DATABASE_URL:-}" ;;
  all) ensure_redis; ensure_postgres "${TEST_DATABASE_URL:-}" ;;
  *) echo "usage: $0 redis|postgres|all" >&2; exit 2 ;;
esac
