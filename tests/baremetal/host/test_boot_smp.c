/* boot-smp: every CPU of the board reached the host at EL1 and can make a
 * hypercall there. */
#include <stddef.h>

#include "host.h"
#include "host_defs.h"
#include "host_tests.h"

struct cpu_report {
	uint64_t mpidr_aff0;
	int64_t hvc;
	uint64_t current_el;
};

static struct cpu_report report[HOST_MAX_CPUS];

static void report_in(unsigned cpu, void *arg)
{
	uint64_t mpidr, el;

	(void)arg;
	__asm__ volatile("mrs %0, mpidr_el1" : "=r"(mpidr));
	__asm__ volatile("mrs %0, CurrentEL" : "=r"(el));
	report[cpu].mpidr_aff0 = mpidr & 0xff;
	report[cpu].current_el = (el >> 2) & 3;
	/* Operation 0 is no operation of KCore's: whatever the core, the
	 * call must come back with E_OP. */
	report[cpu].hvc = kcore_call(0, 0, 0, 0);
}

void test_boot_smp(void)
{
	unsigned ncpus = (unsigned)host_args()->ncpus;

	HCHECK_EQ(ncpus, host_arg_u64("cpus", 4));
	HCHECK(ncpus <= HOST_MAX_CPUS);
	while (host_secondaries_up() != ncpus - 1)
		__asm__ volatile("wfe");
	for (unsigned cpu = 1; cpu < ncpus; cpu++)
		host_run_on(cpu, report_in, NULL);
	report_in(0, NULL);
	for (unsigned cpu = 0; cpu < ncpus; cpu++) {
		HCHECK_EQ(report[cpu].mpidr_aff0, cpu);
		HCHECK_EQ(report[cpu].current_el, 1);
		HCHECK_EQ(report[cpu].hvc, -KCORE_E_OP);
	}
	kprintf("isofuzz-host: all %u cpus answered at EL1\n", ncpus);
}
