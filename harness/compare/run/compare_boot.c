/* Booting Debian's arm64 kernel in qemu-system-aarch64 for the VMM.
 *
 * TCG, one CPU, KVM in nVHE (kvm-arm.mode=nvhe) or protected mode, no
 * KASLR, a device tree without random seeds, a real-time clock that
 * starts at a fixed date and runs on virtual time (the kernel seeds its
 * randomness from it) and instruction counting (-icount
 * shift=0,sleep=off): the same input boots to the same EL2 instruction
 * counts every time. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "replay/qemu_proc.h"
#include "compare/run/compare_boot.h"

#define MAX_ARGS 48
/* Linux's nVHE hypervisor VAs: bit 47 set, below the TTBR1 half.  No
 * EL1 kernel code, and no guest (MMU off, low IPAs) runs there; the VMM's
 * own code is low and it makes no vDSO call inside a window. */
#define HYP_VA_RANGE "range=0x800000000000-0x1000000000000"

int linux_boot(const struct linux_options *o, enum linux_mode m, const char *initrd, const char *console,
	       const char *plugin_log, char *err, size_t errcap)
{
	char kernel[512], append[256], plugin[1024];
	const char *argv[MAX_ARGS];
	unsigned n = 0;

	snprintf(kernel, sizeof(kernel), "%s/vmlinuz", o->dir);
	/* panic=-1: a kernel or hypervisor panic ends QEMU (-no-reboot) at
	 * once instead of waiting for the watchdog */
	snprintf(append, sizeof(append), "console=ttyAMA0 nokaslr quiet panic=-1 kvm-arm.mode=%s",
		 m == LINUX_PROTECTED ? "protected" : "nvhe");
	const char *fixed[] = {
		o->qemu, "-M", "virt,virtualization=on,gic-version=3,dtb-randomness=off", "-cpu", "cortex-a57",
		"-smp", "1", "-m", "1024", "-nic", "none", "-no-reboot", "-display", "none", "-monitor", "none",
		"-serial", "stdio", "-icount", "shift=0,sleep=off", "-rtc", "base=2020-01-01T00:00:00,clock=vm",
		"-kernel", kernel, "-initrd", initrd,
		"-append", append,
	};
	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		argv[n++] = fixed[i];
	if (o->plugin) {
		snprintf(plugin, sizeof(plugin), "%s,mode=el2,log=%s," HYP_VA_RANGE, o->plugin, plugin_log);
		argv[n++] = "-plugin";
		argv[n++] = plugin;
	}
	argv[n] = NULL;
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		snprintf(err, errcap, "fork: %s", strerror(errno));
		return -1;
	}
	if (pid == 0)
		qemu_proc_exec("linux", console, argv);
	bool timed_out;
	int status = qemu_proc_wait(pid, o->timeout, &timed_out);
	if (timed_out) {
		snprintf(err, errcap, "QEMU did not finish within %u s (console: %s)", o->timeout, console);
		return -1;
	}
	if (status < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		snprintf(err, errcap, "QEMU ended with status %d (console: %s)",
			 status >= 0 && WIFEXITED(status) ? WEXITSTATUS(status) : -1, console);
		return -1;
	}
	return 0;
}
