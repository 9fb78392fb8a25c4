/* The plugin's el2 mode: how many instructions a hypervisor executes at
 * EL2 for one operation.
 *
 *   -plugin libisofuzz-insn-watch.so,mode=el2,log=FILE,range=LO-HI[,range=LO-HI...]
 *   (el2_lo=ADDR,el2_hi=ADDR is one range too, as insn_watch takes it)
 *
 * Every instruction executed at a virtual address in one of the ranges
 * counts: the ranges are where EL2 code runs and nothing else does (the
 * bare-metal image's identity-mapped text; Linux's nVHE hypervisor VAs,
 * which have bit 47 set, a range no EL1 kernel or guest code uses).  The
 * guest or host brackets each operation with HINT #0x7a and #0x7b, which
 * execute as NOPs; each bracket is one window, logged as
 *
 *   el2 window N insns=COUNT
 *
 * Under -icount shift=0,sleep=off and a fixed device tree the counts
 * repeat exactly from run to run.  The count is kept with an inline add
 * (no callback per instruction); a window is the difference of two
 * readings, taken by a callback on each marker.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "el2_cost.h"

#define HINT_WINDOW_START 0xd5032f5fu /* HINT #0x7a */
#define HINT_WINDOW_END 0xd5032f7fu   /* HINT #0x7b */
#define MAX_RANGES 8

static struct {
	uint64_t lo[MAX_RANGES], hi[MAX_RANGES];
	unsigned nranges;
	FILE *log;
	uint64_t count;       /* every counted instruction so far */
	uint64_t start;       /* count at the open window's start */
	int open;
	unsigned windows;
} E;

static int counted(uint64_t vaddr)
{
	for (unsigned i = 0; i < E.nranges; i++)
		if (vaddr >= E.lo[i] && vaddr < E.hi[i])
			return 1;
	return 0;
}

static void on_marker(unsigned vcpu, void *udata)
{
	(void)vcpu;
	if (udata) {
		E.start = __atomic_load_n(&E.count, __ATOMIC_RELAXED);
		E.open = 1;
	} else if (E.open) {
		E.open = 0;
		fprintf(E.log, "el2 window %u insns=%" PRIu64 "\n", E.windows++,
			__atomic_load_n(&E.count, __ATOMIC_RELAXED) - E.start);
		fflush(E.log);
	}
}

static void on_translate(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	(void)id;
	for (size_t i = 0; i < qemu_plugin_tb_n_insns(tb); i++) {
		struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
		uint32_t word = 0;

		if (qemu_plugin_insn_size(insn) == 4)
			memcpy(&word, qemu_plugin_insn_data(insn), 4);
		if (word == HINT_WINDOW_START || word == HINT_WINDOW_END)
			qemu_plugin_register_vcpu_insn_exec_cb(insn, on_marker, QEMU_PLUGIN_CB_NO_REGS,
							       word == HINT_WINDOW_START ? (void *)&E : NULL);
		else if (counted(qemu_plugin_insn_vaddr(insn)))
			qemu_plugin_register_vcpu_insn_exec_inline(insn, QEMU_PLUGIN_INLINE_ADD_U64, &E.count, 1);
	}
}

static void el2_exit(qemu_plugin_id_t id, void *udata)
{
	(void)id;
	(void)udata;
	fprintf(E.log, "el2 total insns=%" PRIu64 " windows=%u\n", E.count, E.windows);
	fclose(E.log);
	E.log = NULL;
}

static int parse_u64(const char *v, uint64_t *out, char stop)
{
	char *end;

	*out = strtoull(v, &end, 0);
	return end != v && *end == stop ? 0 : -1;
}

static int add_range(const char *v)
{
	const char *dash = strchr(v, '-');
	if (!dash || E.nranges == MAX_RANGES || parse_u64(v, &E.lo[E.nranges], '-') != 0 ||
	    parse_u64(dash + 1, &E.hi[E.nranges], '\0') != 0 || E.lo[E.nranges] >= E.hi[E.nranges])
		return -1;
	E.nranges++;
	return 0;
}

int el2_cost_install(qemu_plugin_id_t id, int argc, char **argv)
{
	const char *log = NULL;
	uint64_t lo = 0, hi = 0;
	int bad = 0;

	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "mode=el2") == 0)
			continue;
		if (strncmp(argv[i], "log=", 4) == 0)
			log = argv[i] + 4;
		else if (strncmp(argv[i], "range=", 6) == 0)
			bad |= add_range(argv[i] + 6);
		else if (strncmp(argv[i], "el2_lo=", 7) == 0)
			bad |= parse_u64(argv[i] + 7, &lo, '\0');
		else if (strncmp(argv[i], "el2_hi=", 7) == 0)
			bad |= parse_u64(argv[i] + 7, &hi, '\0');
		else
			bad = -1;
	}
	if (lo < hi && E.nranges < MAX_RANGES) {
		E.lo[E.nranges] = lo;
		E.hi[E.nranges++] = hi;
	}
	if (bad || !log || E.nranges == 0) {
		fprintf(stderr, "isofuzz-insn-watch: mode=el2 expects log=FILE and range=LO-HI\n");
		return -1;
	}
	E.log = fopen(log, "w");
	if (!E.log) {
		perror(log);
		return -1;
	}
	qemu_plugin_register_vcpu_tb_trans_cb(id, on_translate);
	qemu_plugin_register_atexit_cb(id, el2_exit, NULL);
	return 0;
}
