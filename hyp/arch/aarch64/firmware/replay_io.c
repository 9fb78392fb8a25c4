/* Replay input and output through semihosting (replay_io.h). */
#include "replay_io.h"

#include <stdbool.h>
#include <stddef.h>

#include "arch_aarch64.h"
#include "boot/layout.h"
#include "hyp/arch.h"
#include "lib/console.h"
#include "lib/kstring.h"
#include "semihost.h"
#include "traps/platform_call.h"

#define PATH_MAX_LEN 200

static struct arch_spinlock lock;
static bool tried, ready;
static uint64_t input_size;
static long output;

/* The value of key=... on the command line, copied into buf. */
static bool arg_path(const char *args, const char *key, char *buf, size_t cap)
{
	size_t klen = strlen(key);

	for (const char *p = args; *p;) {
		while (*p == ' ')
			p++;
		size_t len = 0;
		while (p[len] && p[len] != ' ')
			len++;
		if (len > klen && memcmp(p, key, klen) == 0 && p[klen] == '=' && len - klen - 1 < cap) {
			memcpy(buf, p + klen + 1, len - klen - 1);
			buf[len - klen - 1] = '\0';
			return true;
		}
		p += len;
	}
	return false;
}

static bool open_files(void)
{
	char in[PATH_MAX_LEN], out[PATH_MAX_LEN];
	const char *args = hyp_cmdline_args();

	if (!arg_path(args, "in", in, sizeof(in)) || !arg_path(args, "out", out, sizeof(out)))
		return false;
	long h = semihost_open(in, SEMIHOST_RB);
	long size = h < 0 ? -1 : semihost_flen(h);
	if (size < 0 || (uint64_t)size > REPLAY_INPUT_MAX) {
		kprintf("isofuzz-hyp: replay input %s: cannot read it, or over %lu bytes\n", in,
			(uint64_t)REPLAY_INPUT_MAX);
		return false;
	}
	if (semihost_read(h, (void *)(uintptr_t)REPLAY_INPUT_BASE, (size_t)size) != size)
		return false;
	input_size = (uint64_t)size;
	output = semihost_open(out, SEMIHOST_WB);
	if (output < 0) {
		kprintf("isofuzz-hyp: replay output %s: cannot create it\n", out);
		return false;
	}
	return true;
}

static bool files_ready(void)
{
	arch_spin_lock(&lock);
	if (!tried) {
		tried = true;
		ready = open_files();
	}
	arch_spin_unlock(&lock);
	return ready;
}

int64_t replay_input_size(uint64_t *size)
{
	if (!files_ready())
		return PLAT_E_NO_INPUT;
	*size = input_size;
	return 0;
}

int64_t replay_input_read(uint64_t offset, uint64_t w[3])
{
	if (!files_ready())
		return PLAT_E_NO_INPUT;
	offset &= ~7ull;
	for (unsigned i = 0; i < 3; i++) {
		uint64_t at = offset + 8ull * i;
		w[i] = 0;
		if (offset < input_size && at < input_size && input_size - at >= 8)
			w[i] = *(const uint64_t *)(uintptr_t)(REPLAY_INPUT_BASE + at);
	}
	return 0;
}

int64_t replay_output(const uint64_t w[3])
{
	if (!files_ready())
		return PLAT_E_NO_INPUT;
	arch_spin_lock(&lock);
	long n = semihost_write(output, w, 3 * sizeof(uint64_t));
	arch_spin_unlock(&lock);
	return n == 3 * (long)sizeof(uint64_t) ? 0 : PLAT_E_NO_INPUT;
}
