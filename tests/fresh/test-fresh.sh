#!/bin/sh
# The README's two commands on a clean Debian 12 machine.
#
#   tests/fresh/test-fresh.sh [CAMPAIGN_SECONDS]
#
# A minimal Debian 12 root (debootstrap --variant=minbase bookworm, from the
# archive apt already uses) stands in for a new machine with nothing
# installed.  A fresh clone of this checkout's HEAD goes into it, and there
# `make test` and then `make campaign` run as a new user would run them:
# everything they need, they must install themselves.  Packages this
# machine has installed by hand cannot help them.
#
# The root is made once and kept as a tarball outside the repository
# (FRESH_CACHE), so later runs unpack it in seconds; the .deb files the
# root downloads are kept there too, which saves the download but not the
# install.  If the archive cannot be reached the script says so and
# fails: it never passes without having run.
#
# The last line counts the tests run inside the root, in the same form as
# .ci/run's ("fresh: N passed, N failed, N skipped").  Exit 0 only if both
# commands succeeded.
set -eu

seconds=${1:-60}
here=$(cd "$(dirname "$0")/../.." && pwd)
cache=${FRESH_CACHE:-/var/cache/isofuzz-fresh}
tarball="$cache/bookworm-minbase.tar"
keep=${FRESH_KEEP:-0}

die() { echo "test-fresh: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "needs root (debootstrap, chroot and mounts)"
command -v debootstrap >/dev/null || die "debootstrap is not installed (make deps installs it)"
git -C "$here" rev-parse --verify -q HEAD >/dev/null || die "$here is not a git checkout with a commit"

# The archive apt already uses: the first deb URI for bookworm's main.
mirror() {
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		awk '/^Types:.*deb( |$)/{d=1} /^$/{d=0} d&&/^URIs:/{print $2; exit}' "$f"
	done | grep -v security | head -n 1
	grep -hs '^deb ' /etc/apt/sources.list | awk '{print $2}' | grep -v security | head -n 1
}
url=$(mirror | head -n 1)
[ -n "$url" ] || url=http://deb.debian.org/debian

if [ ! -f "$tarball" ]; then
	echo "test-fresh: making a minimal bookworm root from $url (once; cached in $tarball)"
	mkdir -p "$cache"
	stage=$(mktemp -d "$cache/stage.XXXXXX")
	if ! debootstrap --variant=minbase bookworm "$stage" "$url" >"$cache/debootstrap.log" 2>&1; then
		tail -n 20 "$cache/debootstrap.log" >&2
		rm -rf "$stage"
		die "debootstrap failed: the package archive at $url could not be reached or used (log: $cache/debootstrap.log)"
	fi
	tar -C "$stage" -cf "$tarball.tmp" .
	mv "$tarball.tmp" "$tarball"
	rm -rf "$stage"
fi

root=$(mktemp -d /var/tmp/isofuzz-fresh.XXXXXX)
mounted=""
cleanup() {
	for m in $mounted; do umount -R -l "$m" 2>/dev/null || true; done
	# Never delete through a mount that is still there: /dev and the apt
	# cache are this machine's own.
	if grep -q " $root/" /proc/mounts; then
		echo "test-fresh: $root still has mounts; left in place" >&2
	elif [ "$keep" = 1 ]; then
		echo "test-fresh: root kept in $root"
	else
		rm -rf "$root"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

tar -C "$root" -xf "$tarball"

# A new machine's apt sources: this machine's binary entries, and no
# deb-src entry (the build must add the one it needs).
rm -f "$root"/etc/apt/sources.list "$root"/etc/apt/sources.list.d/*
for f in /etc/apt/sources.list.d/*.sources; do
	[ -f "$f" ] || continue
	awk 'BEGIN{RS=""; ORS="\n\n"} /Types:[^\n]*deb([ \n]|$)/ && !/Types:[^\n]*deb-src/' "$f" \
		>"$root/etc/apt/sources.list.d/$(basename "$f")"
done
[ -f /etc/apt/sources.list ] && grep -s '^deb ' /etc/apt/sources.list >"$root/etc/apt/sources.list" || true
cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true

mount -t proc proc "$root/proc" && mounted="$root/proc $mounted"
mount -t sysfs sys "$root/sys" && mounted="$root/sys $mounted"
mount --rbind /dev "$root/dev" && mount --make-rslave "$root/dev" && mounted="$root/dev $mounted"
mkdir -p "$cache/debs/partial"
mount --bind "$cache/debs" "$root/var/cache/apt/archives" &&
	mounted="$root/var/cache/apt/archives $mounted"

git clone -q --no-local "$here" "$root/src/isofuzz"
echo "test-fresh: $(git -C "$root/src/isofuzz" log -1 --format='%h %s') in a clean bookworm root"

# Only make itself comes first: the README's commands are make targets.
run() {
	chroot "$root" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		HOME=/root LANG=C.UTF-8 TERM=dumb CI="${CI:-}" /bin/sh -c "$1"
}
run 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends make >/dev/null' ||
	die "could not install make in the clean root (is the archive reachable?)"

status=0
run 'cd /src/isofuzz && make test' || status=1
# The report's image coverage replays 100 of the kept inputs: QEMU runs a
# few a second, and the check is that it works, not how much it covers.
run "cd /src/isofuzz && make campaign CAMPAIGN_SECONDS=$seconds REPORT_FLAGS='--image-inputs 100'" || {
	echo "test-fresh: make campaign failed (a violation, or it could not run)"
	status=1
}

if python3 - "$root/src/isofuzz" <<'PY'
import glob, json, os, sys
counts = {"passed": 0, "failed": 0, "skipped": 0}
for log in glob.glob(os.path.join(sys.argv[1], "build*", "meson-logs", "testlog.json")):
    for line in open(log):
        result = json.loads(line).get("result")
        key = {"OK": "passed", "EXPECTEDFAIL": "passed", "SKIP": "skipped"}.get(result, "failed")
        counts[key] += 1
print("fresh: %(passed)d passed, %(failed)d failed, %(skipped)d skipped" % counts)
sys.exit(0 if counts["passed"] else 1)
PY
then :; else status=1; fi
exit $status
