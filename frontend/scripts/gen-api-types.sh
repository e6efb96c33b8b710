#!/usr/bin/env sh
# Writes the server's OpenAPI document to src/api/openapi.json, which is committed: `--check`
# writes it into a scratch directory and fails when it differs from the committed copy
# (`make api-types-check`). The TypeScript types are made from the committed document by
# scripts/api-types-from-document.sh before every lint, type check, test and build.
#
# The document comes from this checkout's backend (create_app().openapi(), no server needed),
# run by $PYTHON (default: the repository's .venv). Keys are sorted and the file goes through
# Prettier, so the same backend always gives the same bytes.
set -eu
frontend=$(cd "$(dirname "$0")/.." && pwd)
root=$(cd "$frontend/.." && pwd)
python=${PYTHON:-$root/.venv/bin/python}
case $python in */*) python=$(cd "$(dirname "$python")" && pwd)/$(basename "$python") ;; esac
api="$frontend/src/api"

check=false
case "${1:-}" in
  --check) check=true ;;
  '') ;;
  *) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac

out=$(mktemp -d "${TMPDIR:-/tmp}/rapat-api-types.XXXXXX")
trap 'rm -rf "$out"' EXIT INT TERM

# Only RAPAT_ENV=test (which has the /dev routes): settings from the caller's shell, or a
# .env file where it runs (the scratch directory has none), stay out.
for name in $(env | sed -n 's/^\(RAPAT_[A-Za-z0-9_]*\)=.*/\1/p'); do unset "$name"; done
cd "$out"
RAPAT_ENV=test PYTHONPATH="$root/backend/src" "$python" -c '
import json, sys
from rapat.app import create_app
json.dump(create_app().openapi(), sys.stdout, sort_keys=True, indent=2)
sys.stdout.write("\n")
' >"$out/openapi.json"

cd "$frontend"
npx --no-install prettier --config .prettierrc.json --log-level warn --write "$out/openapi.json"

if $check; then
  if ! diff -u "$api/openapi.json" "$out/openapi.json" >"$out/openapi.diff" 2>&1; then
    echo "src/api/openapi.json is out of date with the server; run npm run api:types" >&2
    head -n 40 "$out/openapi.diff" >&2
    exit 1
  fi
  exit 0
fi
cp "$out/openapi.json" "$api/"
sh "$frontend/scripts/api-types-from-document.sh"
