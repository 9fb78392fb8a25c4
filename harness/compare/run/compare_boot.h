/* One boot of the real-KVM target (compare_boot.c). */
#ifndef HARNESS_COMPARE_BOOT_H
#define HARNESS_COMPARE_BOOT_H

#include <stddef.h>

#include "compare/compare.h"

/* Boot o->dir/vmlinuz with initrd, the console going to console and,
 * with o->plugin, the plugin's EL2 windows to plugin_log.  0 if QEMU
 * ended normally, else -1 with the reason in err. */
int linux_boot(const struct linux_options *o, enum linux_mode m, const char *initrd, const char *console,
	       const char *plugin_log, char *err, size_t errcap);

#endif
