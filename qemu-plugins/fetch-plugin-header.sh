#!/bin/sh
# Put QEMU's plugin API header (qemu-plugin.h) for the installed
# qemu-system-aarch64 into DEST_DIR.
#
#   qemu-plugins/fetch-plugin-header.sh DEST_DIR
#
# Debian ships no binary package with the header, so it comes from the
# source package of exactly the installed QEMU version: the plugin must be
# built against the API that QEMU loads it with (QEMU refuses a plugin whose
# QEMU_PLUGIN_VERSION it does not support).  Idempotent: a header already
# in DEST_DIR for the installed version is kept, and the deb-src entry is
# added only if no source entry exists.  Needs root for apt (or sudo).
set -eu

if [ $# -ne 1 ]; then
	echo "usage: $0 DEST_DIR" >&2
	exit 2
fi
dest=$1
header="$dest/qemu-plugin.h"
stamp="$dest/qemu-plugin.h.version"

version=$(dpkg-query -W -f='${Version}' qemu-system-arm 2>/dev/null || true)
if [ -z "$version" ]; then
	echo "$0: qemu-system-arm is not installed" >&2
	exit 1
fi
if [ -f "$header" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$version" ]; then
	exit 0
fi

sudo=""
[ "$(id -u)" = 0 ] || sudo=sudo

# A deb-src entry for bookworm and its updates, unless one exists already.
if ! grep -rqs '^\(Types:.*deb-src\|deb-src \)' /etc/apt/sources.list /etc/apt/sources.list.d/; then
	$sudo tee /etc/apt/sources.list.d/isofuzz-deb-src.sources >/dev/null <<'EOF'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb-src
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
	$sudo apt-get update -qq
fi

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
# The installed version first; the newest source if the archive no longer
# has it (the plugin API did not change within a Debian release).
if ! (cd "$scratch" && apt-get source -qq "qemu=$version" >/dev/null 2>&1); then
	rm -rf "${scratch:?}"/*
	(cd "$scratch" && apt-get source -qq qemu >/dev/null)
fi
src=$(find "$scratch" -mindepth 2 -maxdepth 4 -path '*/include/qemu/qemu-plugin.h' | head -n 1)
if [ -z "$src" ]; then
	echo "$0: the QEMU source package has no include/qemu/qemu-plugin.h" >&2
	exit 1
fi
mkdir -p "$dest"
cp "$src" "$header.tmp"
mv "$header.tmp" "$header"
echo "$version" > "$stamp"
echo "$0: $header from qemu $version"
