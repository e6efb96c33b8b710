#!/usr/bin/env sh
# Starts Rapat for the browser tests: a fresh SQLite database, the built frontend, port 8765.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
workdir=$(mktemp -d "${TMPDIR:-/tmp}/rapat-e2e.XXXXXX")
trap 'rm -rf "$workdir"' EXIT INT TERM
export RAPAT_ENV=test
export RAPAT_DATABASE_URL="sqlite+aiosqlite:///$workdir/rapat.db"
export RAPAT_FRONTEND_DIR="$root/frontend/dist"
export RAPAT_PORT="${RAPAT_E2E_PORT:-8765}"
export RAPAT_PUBLIC_URL="http://127.0.0.1:$RAPAT_PORT"
export RAPAT_DATA_DIR="$workdir"
# Every browser test signs up from 127.0.0.1; the limits have their own integration tests.
export RAPAT_RATE_LIMITS_ENABLED=false
# bcrypt at full cost makes each sign-up and sign-in take a quarter second for nothing here.
export RAPAT_BCRYPT_ROUNDS=6
# The browser tests act as many people and read each other's mail (reset links too).
export RAPAT_DEV_MAILBOX_SHOW_ALL=true
# Hosts record (the composed file is made with ffmpeg, which `make test-e2e` installs).
export RAPAT_RECORDING_ENABLED=true
# Media on loopback only (Chromium reaches it with --allow-loopback-in-peer-connection).
export RAPAT_SFU_BIND_ADDRESSES=127.0.0.1
"$root/.venv/bin/rapat" migrate upgrade
# Playwright ignores the server's output; a soak keeps it (bench/e2e_soak.sh) to read the
# SFU's side of a failure.
if [ -n "${RAPAT_E2E_SERVER_LOG:-}" ]; then
  exec "$root/.venv/bin/rapat" serve >>"$RAPAT_E2E_SERVER_LOG" 2>&1
fi
"$root/.venv/bin/rapat" serve
