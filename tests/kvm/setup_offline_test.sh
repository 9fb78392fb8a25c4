#!/bin/sh
# hyp/linux/setup.sh without Debian's archive (apt-get and apt-cache
# that fail, as with no network): it must say so and exit 77, the status
# that makes the suite's tests skipped rather than passed.
#   setup_offline_test.sh SETUP_SH VMM
set -u
setup=$1
vmm=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/bin"
for tool in apt-get apt-cache; do
	printf '#!/bin/sh\necho "E: cannot reach the archive" >&2\nexit 100\n' >"$work/bin/$tool"
	chmod +x "$work/bin/$tool"
done
# dpkg knows arm64 already: the archive is what is missing
printf '#!/bin/sh\n[ "$1" = --print-foreign-architectures ] && echo arm64 && exit 0\nexit 2\n' >"$work/bin/dpkg"
chmod +x "$work/bin/dpkg"
out=$(PATH="$work/bin:$PATH" "$setup" "$work/linux" "$vmm" 2>&1)
rc=$?
echo "$out"
if [ "$rc" != 77 ]; then
	echo "FAIL: exit status $rc, expected 77"
	exit 1
fi
case "$out" in
*"cannot be had"*) ;;
*) echo "FAIL: no message saying why"; exit 1 ;;
esac
if [ -e "$work/linux/vmlinuz" ]; then
	echo "FAIL: a kernel appeared"
	exit 1
fi
echo "ok: skipped with a message"
