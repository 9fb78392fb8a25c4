/* The plugin's coverage mode (coverage.h): every translated block in the
 * hypervisor's text gets an execution callback that counts it; a block
 * that ends in a conditional branch (B.cond, CBZ, CBNZ, TBZ, TBNZ, found
 * with Capstone) learns which way it went from the next block the same
 * vCPU runs.  Blocks outside the text get a callback too, only to forget
 * the vCPU's last block, so a branch is never credited with a return from
 * EL1.  Mapping addresses to source lines is left to the reader of the
 * log, which has the image's DWARF line table.
 *
 * A block is counted whole: an exception in its middle would credit the
 * instructions after it, which KCore's code does not do (it takes no
 * faults at EL2).
 */
#include <capstone/capstone.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coverage.h"

#define MAX_VCPUS 64

struct block {
	uint64_t vaddr;
	unsigned ninsns;
	int cond;                 /* ends in a conditional branch */
	uint64_t branch;          /* that branch's address */
	uint64_t target, next;    /* where it goes when taken, and when not */
	uint64_t ran, taken, fell;
	struct block *older;
};

static struct {
	uint64_t lo, hi;
	FILE *log;
	csh cs;
	pthread_mutex_t lock;     /* the block list and Capstone */
	struct block *blocks;     /* newest first */
	struct block *last[MAX_VCPUS];
} C = { .lock = PTHREAD_MUTEX_INITIALIZER };

static int is_conditional_branch(const char *mn)
{
	return strncmp(mn, "b.", 2) == 0 || strcmp(mn, "cbz") == 0 || strcmp(mn, "cbnz") == 0 ||
	       strcmp(mn, "tbz") == 0 || strcmp(mn, "tbnz") == 0;
}

/* The branch target: the last immediate of the operands ("x0, #0x4000"). */
static int branch_target(const char *ops, uint64_t *target)
{
	const char *hash = strrchr(ops, '#');
	char *end;

	if (!hash)
		return -1;
	*target = strtoull(hash + 1, &end, 0);
	return end == hash + 1 ? -1 : 0;
}

static void note_branch(struct block *b, uint64_t vaddr, const uint8_t *bytes, size_t size)
{
	cs_insn *insn;

	if (cs_disasm(C.cs, bytes, size, vaddr, 1, &insn) != 1)
		return;
	if (is_conditional_branch(insn->mnemonic) && branch_target(insn->op_str, &b->target) == 0) {
		b->cond = 1;
		b->branch = vaddr;
		b->next = vaddr + size;
	}
	cs_free(insn, 1);
}

static void on_block(unsigned vcpu, void *udata)
{
	struct block *b = udata;
	struct block *prev = vcpu < MAX_VCPUS ? C.last[vcpu] : NULL;

	__atomic_fetch_add(&b->ran, 1, __ATOMIC_RELAXED);
	if (prev && prev->cond) {
		if (b->vaddr == prev->target)
			__atomic_fetch_add(&prev->taken, 1, __ATOMIC_RELAXED);
		else if (b->vaddr == prev->next)
			__atomic_fetch_add(&prev->fell, 1, __ATOMIC_RELAXED);
	}
	if (vcpu < MAX_VCPUS)
		C.last[vcpu] = b;
}

static void on_outside(unsigned vcpu, void *udata)
{
	(void)udata;
	if (vcpu < MAX_VCPUS)
		C.last[vcpu] = NULL;
}

static void on_translate(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	size_t n = qemu_plugin_tb_n_insns(tb);
	uint64_t vaddr = qemu_plugin_tb_vaddr(tb);
	struct block *b;

	(void)id;
	if (n == 0 || vaddr < C.lo || vaddr >= C.hi) {
		qemu_plugin_register_vcpu_tb_exec_cb(tb, on_outside, QEMU_PLUGIN_CB_NO_REGS, NULL);
		return;
	}
	b = calloc(1, sizeof(*b));
	if (!b)
		return;
	b->vaddr = vaddr;
	b->ninsns = (unsigned)n;
	struct qemu_plugin_insn *last = qemu_plugin_tb_get_insn(tb, n - 1);
	pthread_mutex_lock(&C.lock);
	note_branch(b, qemu_plugin_insn_vaddr(last), qemu_plugin_insn_data(last), qemu_plugin_insn_size(last));
	b->older = C.blocks;
	C.blocks = b;
	pthread_mutex_unlock(&C.lock);
	qemu_plugin_register_vcpu_tb_exec_cb(tb, on_block, QEMU_PLUGIN_CB_NO_REGS, b);
}

static void coverage_exit(qemu_plugin_id_t id, void *udata)
{
	(void)id;
	(void)udata;
	pthread_mutex_lock(&C.lock);
	for (struct block *b = C.blocks; b; b = b->older) {
		uint64_t ran = __atomic_load_n(&b->ran, __ATOMIC_RELAXED);
		if (!ran)
			continue;
		fprintf(C.log, "block %#" PRIx64 " %u\n", b->vaddr, b->ninsns);
		if (b->cond)
			fprintf(C.log, "branch %#" PRIx64 " %" PRIu64 " %" PRIu64 "\n", b->branch,
				__atomic_load_n(&b->taken, __ATOMIC_RELAXED),
				__atomic_load_n(&b->fell, __ATOMIC_RELAXED));
	}
	fclose(C.log);
	C.log = NULL;
	pthread_mutex_unlock(&C.lock);
	cs_close(&C.cs);
}

int coverage_mode_requested(int argc, char **argv)
{
	for (int i = 0; i < argc; i++)
		if (strcmp(argv[i], "mode=coverage") == 0)
			return 1;
	return 0;
}

int coverage_install(qemu_plugin_id_t id, const qemu_info_t *info, int argc, char **argv)
{
	const char *log = NULL;
	int bad = 0;

	(void)info;
	for (int i = 0; i < argc; i++) {
		char *end = NULL;
		if (strcmp(argv[i], "mode=coverage") == 0)
			continue;
		if (strncmp(argv[i], "log=", 4) == 0)
			log = argv[i] + 4;
		else if (strncmp(argv[i], "el2_lo=", 7) == 0)
			C.lo = strtoull(argv[i] + 7, &end, 0);
		else if (strncmp(argv[i], "el2_hi=", 7) == 0)
			C.hi = strtoull(argv[i] + 7, &end, 0);
		else
			bad = 1;
		if (end && *end)
			bad = 1;
	}
	if (bad || !log || C.lo >= C.hi) {
		fprintf(stderr, "isofuzz-insn-watch: expected mode=coverage,log=FILE,el2_lo=ADDR,el2_hi=ADDR\n");
		return -1;
	}
	if (cs_open(CS_ARCH_ARM64, CS_MODE_ARM, &C.cs) != CS_ERR_OK) {
		fprintf(stderr, "isofuzz-insn-watch: Capstone has no AArch64 disassembler\n");
		return -1;
	}
	C.log = fopen(log, "a");
	if (!C.log) {
		perror(log);
		cs_close(&C.cs);
		return -1;
	}
	qemu_plugin_register_vcpu_tb_trans_cb(id, on_translate);
	qemu_plugin_register_atexit_cb(id, coverage_exit, NULL);
	return 0;
}
