#!/usr/bin/env bash
# Builds localhost/rapat-services:bookworm, one image with PostgreSQL 15, Redis 7 and
# RabbitMQ 3.10 from Debian 12's packages, and prints its name: the Compose stack's
# services on a machine that reaches no image registry, where the test of the stack
# (backend/tests/deploy/test_compose_up.py) runs them in place of the public images.
# Made once with mmdebstrap (about 5 minutes on 2 busy cores, 590 MB), then reused.
# start-postgres and start-rabbitmq (scripts/service-image/) start them as the public
# images do from the same environment variables; redis-server needs no wrapper.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
image="${1:-localhost/rapat-services:bookworm}"
mirror="${RAPAT_IMAGE_MIRROR:-http://deb.debian.org/debian}"
[ -z "${CONTAINERS_CONF:-}" ] || export CONTAINERS_CONF="$(realpath "$CONTAINERS_CONF")"

if ! podman image exists "$image"; then
	rootfs="$(mktemp -d)"
	trap 'rm -rf "$rootfs"' EXIT
	echo "Making $image from Debian packages (mmdebstrap, about 5 minutes)" >&2
	mmdebstrap --quiet --variant=minbase --include=postgresql-15,redis-server,rabbitmq-server \
		--customize-hook="copy-in $root/scripts/service-image/start-postgres /usr/local/bin" \
		--customize-hook="copy-in $root/scripts/service-image/start-rabbitmq /usr/local/bin" \
		bookworm "$rootfs/rootfs.tar" \
		"deb $mirror bookworm main" "deb $mirror bookworm-updates main" \
		"deb ${mirror%/debian}/debian-security bookworm-security main" >&2
	podman import --quiet "$rootfs/rootfs.tar" "$image" >&2
fi
echo "$image"
