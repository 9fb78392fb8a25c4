/* The programs of the bench's length rows: prefixes of one program whose
 * state grows with every few steps (KServ faults in a new page, a VM is
 * given a new one, KServ reads it back), and of one of the same length
 * whose state stays flat (rejected calls and reads of one page).  The
 * difference between two prefixes is what those steps cost. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/bench.h"
#include "program/file/progfile.h"
#include "program/text/text.h"

const unsigned bench_length_steps[BENCH_LENGTHS] = { 0, 20, 40, 60, 80, 420, 440, 460, 480, 500 };

static const char boot_vm[] =
	"config cpus=1\n"
	"cpu0 register_vm\n"
	"cpu0 register_vcpu vm=1 vcpu=0\n"
	"cpu0 set_boot_info vm=1 gpa=0x80000000 npages=1\n"
	"cpu0 kserv_load img=tiny idx=0 pfn=0x400e0\n"
	"cpu0 remap_vm_image vm=1 pfn=0x400e0 idx=0\n"
	"cpu0 verify_vm_image vm=1\n";
#define BOOT_STEPS 6u

/* Step i (from 0) after the boot of the growing program. */
static int growing_step(char *buf, size_t n, unsigned i)
{
	unsigned k = i / 3;
	switch (i % 3) {
	case 0: return snprintf(buf, n, "cpu0 kserv_write pa=%#llx val=%#x\n", (0x41000ull + k) << 12, i + 1);
	case 1: return snprintf(buf, n, "cpu0 map_vm_page vm=1 gfn=%#x pfn=%#x\n", 0x80100u + k, 0x42000u + k);
	default: return snprintf(buf, n, "cpu0 kserv_read pa=%#llx\n", (0x41000ull + k) << 12);
	}
}

static int flat_step(char *buf, size_t n, unsigned i)
{
	if (i % 2)
		return snprintf(buf, n, "cpu0 register_vcpu vm=7 vcpu=0\n");
	return snprintf(buf, n, "cpu0 kserv_read pa=0x41000000\n");
}

/* The boot and then steps steps of gen, parsed. */
static int make(struct program *p, unsigned steps, int (*gen)(char *, size_t, unsigned))
{
	size_t cap = sizeof(boot_vm) + (size_t)steps * 80;
	char *text = malloc(cap), err[256];
	if (!text)
		return -1;
	size_t used = strlen(strcpy(text, boot_vm));
	for (unsigned i = 0; i < steps; i++)
		used += (size_t)gen(text + used, cap - used, i);
	int r = program_parse(text, "bench-lengths", progfile_images(), p, err, sizeof(err));
	if (r != 0)
		fprintf(stderr, "%s\n", err);
	free(text);
	return r;
}

int bench_lengths_load(struct bench_inputs *in)
{
	in->n = 2 * BENCH_LENGTHS;
	in->prog = calloc(in->n, sizeof(*in->prog));
	if (!in->prog)
		return -1;
	for (unsigned j = 0; j < BENCH_LENGTHS; j++)
		if (bench_length_steps[j] + BOOT_STEPS > PROGRAM_MAX_STEPS ||
		    make(&in->prog[j], bench_length_steps[j], growing_step) != 0 ||
		    make(&in->prog[BENCH_LENGTHS + j], bench_length_steps[j], flat_step) != 0) {
			bench_inputs_free(in);
			return -1;
		}
	return 0;
}
