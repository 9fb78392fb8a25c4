/* The host's boot CPU: check the boot arguments, run the test the command
 * line names, report the verdict to the hypervisor. */
#include <stddef.h>
#include "lib/kstring.h"

#include "host.h"
#include "host_defs.h"

uint8_t host_stacks[HOST_MAX_CPUS][HOST_STACK_SIZE] __attribute__((aligned(16)));

_Noreturn void host_main(const struct host_bootargs *args, unsigned cpu);
_Noreturn void host_bad_exception(uint64_t kind, uint64_t esr, uint64_t elr, uint64_t far,
				  uint64_t lr);

static const struct host_bootargs *boot_args;
static bool test_failed;

const struct host_bootargs *host_args(void)
{
	return boot_args;
}

/* Length of the word at s (up to a space or the end). */
static size_t word_len(const char *s)
{
	size_t n = 0;

	while (s[n] && s[n] != ' ')
		n++;
	return n;
}

static bool parse_u64(const char *s, size_t len, uint64_t *out)
{
	unsigned base = 10;
	uint64_t v = 0;

	if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
		len -= 2;
	}
	if (len == 0)
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		unsigned d;
		if (c >= '0' && c <= '9')
			d = (unsigned)(c - '0');
		else if (base == 16 && c >= 'a' && c <= 'f')
			d = (unsigned)(c - 'a' + 10);
		else if (base == 16 && c >= 'A' && c <= 'F')
			d = (unsigned)(c - 'A' + 10);
		else
			return false;
		if (d >= base || v > (UINT64_MAX - d) / base)
			return false;
		v = v * base + d;
	}
	*out = v;
	return true;
}

uint64_t host_arg_u64(const char *key, uint64_t dflt)
{
	size_t klen = strlen(key);
	const char *p = boot_args->cmdline;

	while (*p) {
		while (*p == ' ')
			p++;
		size_t len = word_len(p);
		uint64_t v;
		if (len > klen && memcmp(p, key, klen) == 0 && p[klen] == '=' &&
		    parse_u64(p + klen + 1, len - klen - 1, &v))
			return v;
		p += len;
	}
	return dflt;
}

void host_check_fail(const char *file, int line, const char *what, bool values, uint64_t a,
		     uint64_t b)
{
	test_failed = true;
	if (values)
		kprintf("isofuzz-host: %s:%d: check failed: %s: 0x%lx != 0x%lx\n", file, line, what,
			a, b);
	else
		kprintf("isofuzz-host: %s:%d: check failed: %s\n", file, line, what);
}

static const struct host_test *find_test(const char *cmdline)
{
	size_t len = word_len(cmdline);

	for (unsigned i = 0; i < host_test_count; i++)
		if (strlen(host_tests[i].name) == len && memcmp(host_tests[i].name, cmdline, len) == 0)
			return &host_tests[i];
	return NULL;
}

_Noreturn void host_main(const struct host_bootargs *args, unsigned cpu)
{
	boot_args = args;
	if (args->magic != BOOTARGS_MAGIC || cpu != 0) {
		kprintf("isofuzz-host: bad boot arguments\n");
		host_exit(1);
	}
	/* The test runner times the boot up to this line. */
	kprintf("isofuzz-host: ready on cpu 0 at EL1, %lu cpus, core %s\n", args->ncpus,
		args->has_core ? "on" : "off");

	const struct host_test *t = find_test(args->cmdline);
	if (t == NULL) {
		kprintf("isofuzz-host: no test named \"%s\"\n", args->cmdline);
		host_exit(1);
	}
	kprintf("isofuzz-host: test %s\n", t->name);
	t->fn();
	/* The other CPUs' own console lines come before the verdict, which
	 * the hypervisor prints with a lock of its own. */
	while (host_secondaries_up() != args->ncpus - 1)
		__asm__ volatile("wfe");
	kprintf("isofuzz-host: %s %s\n", test_failed ? "FAIL" : "PASS", t->name);
	host_exit(test_failed ? 1 : 0);
}

static const char *const vector_name[16] = {
	"sync (EL1t)", "irq (EL1t)", "fiq (EL1t)", "serror (EL1t)",
	"sync (EL1h)", "irq (EL1h)", "fiq (EL1h)", "serror (EL1h)",
	"sync (EL0)", "irq (EL0)", "fiq (EL0)", "serror (EL0)",
	"sync (EL0 AArch32)", "irq (EL0 AArch32)", "fiq (EL0 AArch32)", "serror (EL0 AArch32)",
};

/* Lets the other CPUs print their console lines before a crash report,
 * as host_main does before a verdict: an unlocked line printed while one
 * of them prints is cut into pieces the test runner cannot read.  Bounded
 * by two seconds of the generic timer: a CPU that never comes up must not
 * hold the report back. */
static void let_secondaries_print(void)
{
	uint64_t freq, start, now;

	if (boot_args == NULL || boot_args->ncpus == 0)
		return;
	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(freq));
	__asm__ volatile("isb; mrs %0, cntpct_el0" : "=r"(start));
	do {
		if (host_secondaries_up() >= boot_args->ncpus - 1)
			return;
		__asm__ volatile("isb; mrs %0, cntpct_el0" : "=r"(now));
	} while (now - start < 2 * freq);
}

_Noreturn void host_bad_exception(uint64_t kind, uint64_t esr, uint64_t elr, uint64_t far,
				  uint64_t lr)
{
	let_secondaries_print();
	kprintf_unlocked("isofuzz-host: unexpected %s: ESR %lx ELR %lx FAR %lx LR %lx\n",
			 vector_name[kind & 15], esr, elr, far, lr);
	host_exit(1);
}
