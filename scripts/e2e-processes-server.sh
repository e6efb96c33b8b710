#!/usr/bin/env sh
# Starts Rapat as `rapat serve --processes 2` for the browser tests of room placement
# (frontend/e2e/processes.spec.ts): the shared port RAPAT_E2E_PROCESSES_PORT (8775) and
# one port per process after it, a fresh SQLite database, the shared Redis under a key
# prefix of its own (several processes meet through Redis).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
workdir=$(mktemp -d "${TMPDIR:-/tmp}/rapat-e2e-processes.XXXXXX")
prefix="rapat-e2e-$(basename "$workdir"):"
redis="${RAPAT_E2E_REDIS_URL:-redis://127.0.0.1:6379/0}"
cleanup() {
  rm -rf "$workdir"
  # this run's keys (most expire by themselves; the rest go now)
  if command -v redis-cli >/dev/null; then
    redis-cli -u "$redis" --scan --pattern "$prefix*" | xargs -r redis-cli -u "$redis" del \
      >/dev/null 2>&1 || true
  fi
}
trap cleanup EXIT INT TERM
export RAPAT_ENV=test
export RAPAT_DATABASE_URL="sqlite+aiosqlite:///$workdir/rapat.db"
export RAPAT_REDIS_URL="$redis"
export RAPAT_CACHE_KEY_PREFIX="$prefix"
export RAPAT_FRONTEND_DIR="$root/frontend/dist"
export RAPAT_PORT="${RAPAT_E2E_PROCESSES_PORT:-8775}"
export RAPAT_PUBLIC_URL="http://127.0.0.1:$RAPAT_PORT"
export RAPAT_DATA_DIR="$workdir"
export RAPAT_SECRET_KEY="e2e-processes-secret-0123456789abcdef0123"
export RAPAT_RATE_LIMITS_ENABLED=false
export RAPAT_BCRYPT_ROUNDS=6
export RAPAT_DEV_MAILBOX_SHOW_ALL=true
export RAPAT_SFU_BIND_ADDRESSES=127.0.0.1
# One participant is a full process here, so that where a new room goes does not depend
# on the CPU the test's own requests cost; a short record lifetime moves rooms quickly.
# A room's process takes two people before its next ones go to the other process, whose
# media is then relayed (decision 70).
export RAPAT_NODE_CAPACITY=1
export RAPAT_NODE_SPILL_LOAD=1.5
export RAPAT_NODE_TTL=2
"$root/.venv/bin/rapat" migrate upgrade
"$root/.venv/bin/rapat" serve --processes 2
