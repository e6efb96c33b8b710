#!/usr/bin/env bash
# Builds Rapat's wheel with the built web app inside (the package's `rapat/web/`, which
# the server serves when installed: docs/deployment.md). Prints the wheel's path last.
#
#   scripts/build_wheel.sh [OUT_DIR]          (default: build/wheel, gitignored)
#
# The web app is frontend/dist, built first when it is missing or older than a source
# (as `make setup` does); RAPAT_FRONTEND_DIST=<dir> takes an already built one instead.
# PYTHON (default .venv/bin/python, else python3) runs pip; the build runs in pip's
# isolated environment with the build-system requirements of backend/pyproject.toml.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
out="$(mkdir -p "${1:-$root/build/wheel}" && cd "${1:-$root/build/wheel}" && pwd)"
python="${PYTHON:-$root/.venv/bin/python}"
[ -x "$python" ] || python=python3

dist="${RAPAT_FRONTEND_DIST:-}"
if [ -z "$dist" ]; then
	dist="$root/frontend/dist"
	cd "$root/frontend"
	sources=(src public index.html package.json package-lock.json vite.config.ts)
	if [ ! -f dist/index.html ] ||
		[ -n "$(find "${sources[@]}" -newer dist/index.html -print -quit 2>/dev/null)" ]; then
		[ -d node_modules ] || npm ci --no-audit --no-fund --loglevel=error
		npm run build >&2
	fi
fi
[ -f "$dist/index.html" ] || { echo "no built web app in $dist" >&2; exit 1; }

# Build from a copy, so the checkout never holds a rapat/web/ (an editable install keeps
# serving frontend/dist) and no build output lands in the source tree.
staging="$(mktemp -d)"
trap 'rm -rf "$staging"' EXIT
cp "$root/backend/pyproject.toml" "$root/LICENSE" "$staging/"
cp -r "$root/backend/src" "$staging/src"
find "$staging/src" -name __pycache__ -prune -exec rm -rf {} +
rm -rf "$staging"/src/*.egg-info
cp -r "$dist" "$staging/src/rapat/web"

rm -f "$out"/rapat-*.whl
"$python" -m pip wheel --quiet --no-deps --wheel-dir "$out" "$staging" >&2
wheel="$(ls "$out"/rapat-*.whl)"

# The wheel must carry the app it was built with: its index and every hashed asset.
"$python" - "$wheel" "$dist" <<'EOF'
import sys, zipfile
from pathlib import Path

wheel, dist = sys.argv[1], Path(sys.argv[2])
names = set(zipfile.ZipFile(wheel).namelist())
wanted = {f"rapat/web/{p.relative_to(dist).as_posix()}" for p in dist.rglob("*") if p.is_file()}
missing = sorted(wanted - names)
if missing or "rapat/web/index.html" not in names:
    sys.exit(f"{wheel} lacks web app files: {missing[:5]}")
EOF
echo "$wheel"
