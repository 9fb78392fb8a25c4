#!/bin/sh
# The real-KVM target's kernel and initramfs, from Debian's archive:
#
#   hyp/linux/setup.sh OUTDIR VMM
#
# Resolves the kernel package linux-image-arm64:arm64 depends on (the ABI
# number changes with each kernel update), downloads it and
# busybox-static:arm64 with apt-get, and writes OUTDIR/vmlinuz,
# OUTDIR/initramfs.cpio (busybox, the init script and the VMM) and
# OUTDIR/kernel-package.  Downloads are cached in OUTDIR/debs; nothing here
# is committed.  Exit status: 0 done, 77 the archive cannot be reached
# (a test that needs the kernel is then skipped), 1 anything else.
set -eu

out=$(mkdir -p "$1" && cd "$1" && pwd)
vmm=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
here=$(cd "$(dirname "$0")" && pwd)
sudo=""
[ "$(id -u)" = 0 ] || sudo=sudo

# Already made from this VMM and these scripts: nothing to do.
fresh() {
	[ -f "$out/vmlinuz" ] && [ -f "$out/initramfs.cpio" ] && [ -f "$out/kernel-package" ] || return 1
	for f in "$vmm" "$here/init.sh" "$here/setup.sh" "$here/mkinitramfs.py"; do
		[ "$out/initramfs.cpio" -nt "$f" ] || return 1
	done
}
fresh && exit 0

unreachable() {
	echo "linux setup: $1: Debian's arm64 packages cannot be had; the real-KVM target is skipped" >&2
	exit 77
}

if ! dpkg --print-foreign-architectures | grep -qx arm64; then
	$sudo dpkg --add-architecture arm64 || unreachable "dpkg --add-architecture arm64"
fi
candidate() { apt-cache depends "$1" 2>/dev/null | awk '/Depends: linux-image-[0-9]/ { print $2; exit }'; }
pkg=$(candidate linux-image-arm64:arm64)
if [ -z "$pkg" ]; then
	$sudo apt-get update -qq >/dev/null 2>&1 || unreachable "apt-get update"
	pkg=$(candidate linux-image-arm64:arm64)
fi
[ -n "$pkg" ] || unreachable "no candidate for linux-image-arm64:arm64"
pkg=${pkg%:arm64}

mkdir -p "$out/debs"
cd "$out/debs"
for p in "$pkg" busybox-static; do
	ls "${p}"_*_arm64.deb >/dev/null 2>&1 && continue
	apt-get download -q "$p:arm64" >/dev/null 2>&1 || unreachable "apt-get download $p:arm64"
done

rm -rf "$out/kernel" "$out/rootfs"
dpkg-deb -x "$(ls "${pkg}"_*_arm64.deb | head -n 1)" "$out/kernel"
cp "$(ls "$out"/kernel/boot/vmlinuz-* | head -n 1)" "$out/vmlinuz.new"
mkdir -p "$out/rootfs/bin" "$out/busybox"
dpkg-deb -x "$(ls busybox-static_*_arm64.deb | head -n 1)" "$out/busybox"
cp "$out/busybox/bin/busybox" "$out/rootfs/bin/busybox"
ln -sf busybox "$out/rootfs/bin/sh"
cp "$here/init.sh" "$out/rootfs/init"
cp "$vmm" "$out/rootfs/vmm"
chmod 755 "$out/rootfs/init" "$out/rootfs/vmm" "$out/rootfs/bin/busybox"
python3 "$here/mkinitramfs.py" "$out/rootfs" "$out/initramfs.cpio.new"
mv "$out/vmlinuz.new" "$out/vmlinuz"
mv "$out/initramfs.cpio.new" "$out/initramfs.cpio"
echo "$pkg" >"$out/kernel-package"
rm -rf "$out/kernel" "$out/busybox" "$out/rootfs"
echo "linux setup: $pkg in $out"
