#!/bin/busybox sh
# The initramfs's init: mount what the VMM needs, run it, power off.
/bin/busybox mkdir -p /proc /dev /sys
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t devtmpfs dev /dev
if [ -e /dev/kvm ]; then
	/vmm
	echo "isofuzz-vmm: exit $?"
else
	echo "isofuzz-vmm: no /dev/kvm"
fi
/bin/busybox poweroff -f
