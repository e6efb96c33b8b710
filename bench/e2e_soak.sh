#!/usr/bin/env bash
# Runs one browser spec many times in a row under a CPU hog, to catch media flakes that a
# quiet machine hides (docs/webrtc-testing.md, "Black tiles under load").
#
#   bench/e2e_soak.sh [SPEC] [REPEATS] [HOGS] [-- extra playwright args]
#   bench/e2e_soak.sh e2e/meeting.spec.ts 50 2 -- -g 'three people meet'
#
# Builds the frontend, starts HOGS busy-looping Python processes, runs the spec REPEATS
# times (no retries: a flake must count), kills the hogs (also on Ctrl-C) and prints the
# pass/fail tally. The server is this checkout's backend (PYTHONPATH), on RAPAT_E2E_PORT
# (default 8791, away from the suite's 8765 so another run does not collide).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
spec=${1:-e2e/meeting.spec.ts}
repeats=${2:-50}
hogs=${3:-2}
shift $(( $# < 3 ? $# : 3 ))
[ "${1:-}" = "--" ] && shift
export PYTHONPATH="$root/backend/src"
export RAPAT_E2E_PORT="${RAPAT_E2E_PORT:-8791}"
export CI=1
log="${SOAK_LOG:-$root/frontend/test-results/soak-$(date -u +%Y%m%dT%H%M%SZ).log}"
# The server's own log (the SFU's subscriptions and first packets), beside the soak's.
export RAPAT_E2E_SERVER_LOG="${RAPAT_E2E_SERVER_LOG:-${log%.log}-server.log}"

hog_pids=()
stop_hogs() {
  for pid in "${hog_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
}
trap stop_hogs EXIT INT TERM

cd "$root/frontend"
npm run build >/dev/null
for _ in $(seq 1 "$hogs"); do
  python3 -c 'while True: pass' &
  hog_pids+=($!)
done
mkdir -p "$(dirname "$log")"
echo "soak: $spec x$repeats, $hogs CPU hogs, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), log $log (server: $RAPAT_E2E_SERVER_LOG)"
status=0
npx playwright test "$spec" --repeat-each "$repeats" --retries 0 --reporter list "$@" \
  >"$log" 2>&1 || status=$?
stop_hogs
grep -E '^\s+[0-9]+ (passed|failed|flaky|skipped)' "$log" || tail -5 "$log"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg); exit $status"
exit $status
