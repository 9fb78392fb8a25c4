/* Booting the image in qemu-system-aarch64 for one batch of programs. */
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
#include "replay/replay_qemu.h"

#define MAX_ARGS 40

/* The board the image is built for (hyp/arch/aarch64/README.md). */
static unsigned build_argv(const struct replay_options *o, const char *append, const char *plugin_arg,
			   char *smp, size_t smpcap, const char **argv)
{
	unsigned n = 0;

	snprintf(smp, smpcap, "%u", o->smp);
	argv[n++] = o->qemu;
	argv[n++] = "-M";
	argv[n++] = "virt,virtualization=on,gic-version=3";
	argv[n++] = "-cpu";
	argv[n++] = "max";
	argv[n++] = "-smp";
	argv[n++] = smp;
	argv[n++] = "-m";
	argv[n++] = "128M";
	argv[n++] = "-display";
	argv[n++] = "none";
	argv[n++] = "-monitor";
	argv[n++] = "none";
	argv[n++] = "-serial";
	argv[n++] = "stdio";
	argv[n++] = "-nic"; /* no NIC: the default one needs an option ROM */
	argv[n++] = "none";
	argv[n++] = "-no-reboot";
	argv[n++] = "-semihosting-config";
	argv[n++] = "enable=on,target=native";
	if (o->icount) {
		argv[n++] = "-icount";
		argv[n++] = "shift=0,sleep=off";
	}
	if (plugin_arg) {
		argv[n++] = "-plugin";
		argv[n++] = plugin_arg;
	}
	argv[n++] = "-kernel";
	argv[n++] = o->image;
	argv[n++] = "-append";
	argv[n++] = append;
	argv[n] = NULL;
	return n;
}


int replay_run_qemu(const struct replay_options *o, const char *in, const char *out,
		    const char *console, const char *plugin_out)
{
	char append[512], smp[16], plugin_arg[1024];
	const char *argv[MAX_ARGS];

	snprintf(append, sizeof(append), "replay in=%s out=%s", in, out);
	if (o->plugin && replay_plugin_arg(o->plugin, o->image, o->coverage ? o->coverage : plugin_out, plugin_arg,
					   sizeof(plugin_arg)) != 0) {
		fprintf(stderr, "replay-qemu: %s: no .text section to watch\n", o->image);
		return -1;
	}
	/* the coverage log is appended to, one boot after another */
	if (o->coverage && strlen(plugin_arg) + sizeof(",mode=coverage") <= sizeof(plugin_arg))
		strcat(plugin_arg, ",mode=coverage");
	build_argv(o, append, o->plugin ? plugin_arg : NULL, smp, sizeof(smp), argv);
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0)
		qemu_proc_exec("replay-qemu", console, argv);
	bool timed_out;
	int status = qemu_proc_wait(pid, o->timeout, &timed_out);
	if (timed_out) {
		fprintf(stderr, "replay-qemu: QEMU did not finish within %u s\n", o->timeout);
		return -1;
	}
	if (status < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "replay-qemu: QEMU ended with status %d\n",
			status >= 0 && WIFEXITED(status) ? WEXITSTATUS(status) : -1);
		return -1;
	}
	return 0;
}
