#!/usr/bin/env sh
# Starts the shipped nginx site (deploy/nginx/rapat.conf, with only its ports and paths
# changed, as backend/tests/deploy/nginx_site.py does) with a self-signed certificate for
# 127.0.0.1, in front of `rapat serve --processes 2` (scripts/e2e-processes-server.sh), for
# the browser test of a meeting over https:// (frontend/e2e/nginx.spec.ts). Ports:
# RAPAT_E2E_NGINX_PORT (8785) for HTTPS, the next one for plain HTTP; Rapat's shared port
# RAPAT_E2E_NGINX_RAPAT_PORT (8781) and one port per process after it.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
https="${RAPAT_E2E_NGINX_PORT:-8785}"
http=$((https + 1))
shared="${RAPAT_E2E_NGINX_RAPAT_PORT:-8781}"
scratch=$(mktemp -d "${TMPDIR:-/tmp}/rapat-e2e-nginx.XXXXXX")
nginx_pid=
cleanup() {
  if [ -n "$nginx_pid" ]; then kill "$nginx_pid" 2>/dev/null || true; fi
  rm -rf "$scratch"
}
trap cleanup EXIT INT TERM
# The certificate, the site and nginx.conf in $scratch, checked with nginx -t; the
# command that runs them, one word a line.
command=$(cd "$root/backend" &&
  "$root/.venv/bin/python" -m tests.deploy.nginx_site "$scratch" "$https" "$http" "$shared")
# shellcheck disable=SC2086 # the words of the command (paths from mktemp, no spaces)
$command -g "daemon off;" &
nginx_pid=$!
# nginx writes its pid file once it listens; if it stops first (a port taken), so does
# this script, and Playwright says so at once instead of waiting for /healthz.
while [ ! -s "$scratch/nginx.pid" ]; do
  kill -0 "$nginx_pid" 2>/dev/null || { echo "nginx did not start" >&2; exit 1; }
  sleep 0.1
done
export RAPAT_E2E_PROCESSES_PORT="$shared"
export RAPAT_E2E_PUBLIC_URL="https://127.0.0.1:$https"
export RAPAT_NODE_URL="wss://127.0.0.1:$https/node/{index}/ws"
export RAPAT_TRUSTED_PROXIES=127.0.0.1
# Rapat's own placement settings (the processes test shortens them to move rooms fast).
export RAPAT_E2E_NODE_CAPACITY=200 RAPAT_E2E_NODE_SPILL_LOAD=0.8 RAPAT_E2E_NODE_TTL=4
sh "$root/scripts/e2e-processes-server.sh"
