#!/usr/bin/env bash
# Builds Rapat's container image with Podman from deploy/container/Containerfile and
# prints its name last (docs/deployment.md, "Container image").
#
#   scripts/build_image.sh [IMAGE]            (default: localhost/rapat:<version>)
#
# 1. The build context, build/image/ (gitignored): Rapat's wheel (scripts/build_wheel.sh)
#    and every dependency as a wheel, resolved by pip for IMAGE_PYTHON (default
#    /usr/bin/python3), which must be the image's Python: Debian 12's 3.11.2 on x86_64
#    (dependencies differ by version: redis wants async-timeout below 3.11.3). The image's
#    build then needs no Python package index.
# 2. The base image: RAPAT_IMAGE_BASE when set (e.g. docker.io/library/debian:bookworm-slim),
#    else localhost/rapat-base:bookworm, made once from Debian packages with mmdebstrap
#    (needs only a Debian mirror, RAPAT_IMAGE_MIRROR, default http://deb.debian.org/debian).
# 3. `podman build --format docker` (the HEALTHCHECK is a Docker-format field).
# PYTHON (default .venv/bin/python, else python3) runs pip. Podman reads CONTAINERS_CONF
# as always; .ci/containers.conf is what this project's CI machine needs.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
python="${PYTHON:-$root/.venv/bin/python}"
[ -x "$python" ] || python=python3
context="$root/build/image"
mirror="${RAPAT_IMAGE_MIRROR:-http://deb.debian.org/debian}"
# Podman's build steps run elsewhere: a relative CONTAINERS_CONF would not be found.
[ -z "${CONTAINERS_CONF:-}" ] || export CONTAINERS_CONF="$(realpath "$CONTAINERS_CONF")"

rm -rf "$context" && mkdir -p "$context/wheels"
wheel="$(PYTHON="$python" "$root/scripts/build_wheel.sh" "$context/wheels" | tail -n 1)"
"$python" -m pip --python "${IMAGE_PYTHON:-/usr/bin/python3}" wheel --quiet \
	--wheel-dir "$context/wheels" "$wheel" >&2
version="$(basename "$wheel" | cut -d- -f2)"
image="${1:-localhost/rapat:$version}"

base="${RAPAT_IMAGE_BASE:-}"
if [ -z "$base" ]; then
	base=localhost/rapat-base:bookworm
	if ! podman image exists "$base"; then
		rootfs="$(mktemp -d)"
		trap 'rm -rf "$rootfs"' EXIT
		echo "Making $base from Debian packages (mmdebstrap, about 2 minutes)" >&2
		mmdebstrap --quiet --variant=minbase bookworm "$rootfs/rootfs.tar" \
			"deb $mirror bookworm main" "deb $mirror bookworm-updates main" \
			"deb ${mirror%/debian}/debian-security bookworm-security main" >&2
		podman import --quiet "$rootfs/rootfs.tar" "$base" >&2
	fi
fi

podman build --quiet --format docker --build-arg "BASE=$base" \
	-f "$root/deploy/container/Containerfile" -t "$image" "$context" >&2
echo "$image"
