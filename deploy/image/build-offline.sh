#!/usr/bin/env bash
# Builds the init-container image without network or registry and writes it as an OCI archive:
#
#   deploy/image/build-offline.sh [agent jar]   ->  deploy/image/target/redis-l1-agent.oci.tar
#
# Needs Debian's buildah and busybox-static (apt-get install buildah busybox-static). Containers
# are never run: FROM scratch plus COPY needs no RUN. The image store is a private directory under
# target/, so the machine's own store is untouched and nothing is left behind.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
jar="${1:-$here/../../agent/target/redis-l1-agent.jar}"
busybox="${BUSYBOX:-/bin/busybox}"
target="$here/target"
archive="$target/redis-l1-agent.oci.tar"
tag="redis-l1-agent:${IMAGE_TAG:-0.1.0-SNAPSHOT}"

[[ -f "$jar" ]] || { echo "build-offline.sh: no agent jar at $jar (build it: ./mvnw -pl agent -am package)" >&2; exit 2; }
[[ -x "$busybox" ]] || { echo "build-offline.sh: no busybox at $busybox (apt-get install busybox-static)" >&2; exit 2; }
command -v buildah >/dev/null || { echo "build-offline.sh: no buildah (apt-get install buildah)" >&2; exit 2; }

mkdir -p "$target"
work="$(mktemp -d "$target/build.XXXXXX")"
cleanup() {
  buildah --root "$work/store" --runroot "$work/run" --storage-driver vfs rmi --all >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

mkdir "$work/context"
cp "$busybox" "$work/context/busybox"
cp "$jar" "$work/context/javaagent.jar"
store=(--root "$work/store" --runroot "$work/run" --storage-driver vfs)
buildah "${store[@]}" bud --quiet --isolation chroot --pull-never --layers=false \
  -f "$here/Dockerfile.offline" -t "localhost/$tag" "$work/context" >/dev/null
rm -f "$archive"
buildah "${store[@]}" push --quiet "localhost/$tag" "oci-archive:$archive:$tag"
echo "$archive"
