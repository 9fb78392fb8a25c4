/* isofuzz-insn-watch: a QEMU TCG plugin (plugin API version 1, QEMU 7.2)
 * that counts the instructions KCore's arch layer relies on as the
 * bare-metal image executes them at EL2: TLB invalidations, DSB, ISB,
 * data-cache maintenance and exclusive loads and stores.
 *
 *   -plugin libisofuzz-insn-watch.so,log=FILE,el2_lo=ADDR,el2_hi=ADDR
 *
 * Every instruction QEMU translates in [el2_lo, el2_hi) (the hypervisor's
 * text: its EL2 map is the identity, so a virtual address there is EL2
 * code) is disassembled with Capstone and, if it is of a watched kind,
 * gets an execution callback.  The image brackets each replayed program
 * with two hint instructions that execute as NOPs (HINT #0x7a before the
 * first step, #0x7b after the last); the counts between them are one
 * window, written to the log as
 *
 *   window N tlbi_ipas2e1is=.. tlbi_vmalle1is=.. ... stex=..
 *
 * and at exit every watched instruction is listed with its address, its
 * kind, how often it ran and its disassembly.
 */
#include <capstone/capstone.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "el2_cost.h"
#include "qemu-plugin.h"
#include "coverage.h"

QEMU_PLUGIN_EXPORT int qemu_plugin_version = QEMU_PLUGIN_VERSION;

#define HINT_WINDOW_START 0xd5032f5fu /* HINT #0x7a */
#define HINT_WINDOW_END 0xd5032f7fu   /* HINT #0x7b */
#define MAX_SITES 8192

enum insn_class {
	C_TLBI_IPAS2E1IS,
	C_TLBI_VMALLE1IS,
	C_TLBI_VMALLS12E1IS,
	C_TLBI_ALLE1IS,
	C_TLBI_OTHER,
	C_DSB_ISH,
	C_DSB_OTHER,
	C_ISB,
	C_DC_CIVAC,
	C_DC_CVAC,
	C_DC_ZVA,
	C_DC_OTHER,
	C_LDEX,
	C_STEX,
	C__COUNT,
	C_NONE = C__COUNT,
};

static const char *const class_name[C__COUNT] = {
	"tlbi_ipas2e1is", "tlbi_vmalle1is", "tlbi_vmalls12e1is", "tlbi_alle1is", "tlbi_other",
	"dsb_ish", "dsb_other", "isb", "dc_civac", "dc_cvac", "dc_zva", "dc_other", "ldex", "stex",
};

struct site {
	uint64_t vaddr;
	enum insn_class cls;
	uint64_t count;
	char text[64];
};

static struct {
	uint64_t lo, hi;
	FILE *log;
	csh cs;
	pthread_mutex_t lock;       /* sites, Capstone and the log */
	struct site sites[MAX_SITES];
	unsigned nsites;
	int window_open;
	unsigned windows;
	uint64_t window_count[C__COUNT];
} W = { .lock = PTHREAD_MUTEX_INITIALIZER };

/* The first word of an operand list ("ipas2e1is, x8" -> "ipas2e1is"). */
static int first_operand_is(const char *ops, const char *word)
{
	size_t n = strlen(word);
	return strncmp(ops, word, n) == 0 && (ops[n] == '\0' || ops[n] == ',' || ops[n] == ' ');
}

static enum insn_class classify(const char *mn, const char *ops)
{
	if (strcmp(mn, "tlbi") == 0) {
		if (first_operand_is(ops, "ipas2e1is"))
			return C_TLBI_IPAS2E1IS;
		if (first_operand_is(ops, "vmalle1is"))
			return C_TLBI_VMALLE1IS;
		if (first_operand_is(ops, "vmalls12e1is"))
			return C_TLBI_VMALLS12E1IS;
		if (first_operand_is(ops, "alle1is"))
			return C_TLBI_ALLE1IS;
		return C_TLBI_OTHER;
	}
	if (strcmp(mn, "dsb") == 0)
		return first_operand_is(ops, "ish") ? C_DSB_ISH : C_DSB_OTHER;
	if (strcmp(mn, "isb") == 0)
		return C_ISB;
	if (strcmp(mn, "dc") == 0) {
		if (first_operand_is(ops, "civac"))
			return C_DC_CIVAC;
		if (first_operand_is(ops, "cvac"))
			return C_DC_CVAC;
		if (first_operand_is(ops, "zva"))
			return C_DC_ZVA;
		return C_DC_OTHER;
	}
	/* ldxr ldaxr ldxp ldaxp ldxrb ldaxrh ...; stxr stlxr stxp stlxp ... */
	if (strncmp(mn, "ldxr", 4) == 0 || strncmp(mn, "ldaxr", 5) == 0 || strncmp(mn, "ldxp", 4) == 0 ||
	    strncmp(mn, "ldaxp", 5) == 0)
		return C_LDEX;
	if (strncmp(mn, "stxr", 4) == 0 || strncmp(mn, "stlxr", 5) == 0 || strncmp(mn, "stxp", 4) == 0 ||
	    strncmp(mn, "stlxp", 5) == 0)
		return C_STEX;
	return C_NONE;
}

/* The site for an instruction at vaddr, made on first translation (a
 * block may be translated again; its instructions keep their site). */
static struct site *site_for(uint64_t vaddr, const uint8_t *bytes, size_t size)
{
	struct site *s = NULL;
	cs_insn *insn;

	pthread_mutex_lock(&W.lock);
	for (unsigned i = 0; i < W.nsites; i++)
		if (W.sites[i].vaddr == vaddr) {
			s = &W.sites[i];
			goto out;
		}
	if (cs_disasm(W.cs, bytes, size, vaddr, 1, &insn) != 1)
		goto out;
	enum insn_class cls = classify(insn->mnemonic, insn->op_str);
	if (cls != C_NONE && W.nsites < MAX_SITES) {
		s = &W.sites[W.nsites++];
		s->vaddr = vaddr;
		s->cls = cls;
		snprintf(s->text, sizeof(s->text), "%.15s %.47s", insn->mnemonic, insn->op_str);
	}
	cs_free(insn, 1);
out:
	pthread_mutex_unlock(&W.lock);
	return s;
}

static void on_watched(unsigned vcpu, void *udata)
{
	struct site *s = udata;

	(void)vcpu;
	__atomic_fetch_add(&s->count, 1, __ATOMIC_RELAXED);
	if (__atomic_load_n(&W.window_open, __ATOMIC_ACQUIRE))
		__atomic_fetch_add(&W.window_count[s->cls], 1, __ATOMIC_RELAXED);
}

static void on_marker(unsigned vcpu, void *udata)
{
	(void)vcpu;
	pthread_mutex_lock(&W.lock);
	if (udata == (void *)&W.window_open) {
		for (unsigned c = 0; c < C__COUNT; c++)
			__atomic_store_n(&W.window_count[c], 0, __ATOMIC_RELAXED);
		__atomic_store_n(&W.window_open, 1, __ATOMIC_RELEASE);
	} else if (__atomic_load_n(&W.window_open, __ATOMIC_ACQUIRE)) {
		__atomic_store_n(&W.window_open, 0, __ATOMIC_RELEASE);
		fprintf(W.log, "window %u", W.windows++);
		for (unsigned c = 0; c < C__COUNT; c++)
			fprintf(W.log, " %s=%" PRIu64, class_name[c],
				__atomic_load_n(&W.window_count[c], __ATOMIC_RELAXED));
		fputc('\n', W.log);
		fflush(W.log);
	}
	pthread_mutex_unlock(&W.lock);
}

static void on_translate(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	(void)id;
	for (size_t i = 0; i < qemu_plugin_tb_n_insns(tb); i++) {
		struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
		uint64_t vaddr = qemu_plugin_insn_vaddr(insn);
		const uint8_t *bytes = qemu_plugin_insn_data(insn);
		size_t size = qemu_plugin_insn_size(insn);
		uint32_t word;

		if (size != 4)
			continue;
		memcpy(&word, bytes, 4);
		if (word == HINT_WINDOW_START || word == HINT_WINDOW_END) {
			qemu_plugin_register_vcpu_insn_exec_cb(insn, on_marker, QEMU_PLUGIN_CB_NO_REGS,
							       word == HINT_WINDOW_START ? (void *)&W.window_open
											 : NULL);
			continue;
		}
		if (vaddr < W.lo || vaddr >= W.hi)
			continue;
		struct site *s = site_for(vaddr, bytes, size);
		if (s)
			qemu_plugin_register_vcpu_insn_exec_cb(insn, on_watched, QEMU_PLUGIN_CB_NO_REGS, s);
	}
}

static int by_address(const void *a, const void *b)
{
	const struct site *x = a, *y = b;
	return x->vaddr < y->vaddr ? -1 : x->vaddr > y->vaddr;
}

static void plugin_exit(qemu_plugin_id_t id, void *udata)
{
	(void)id;
	(void)udata;
	pthread_mutex_lock(&W.lock);
	qsort(W.sites, W.nsites, sizeof(W.sites[0]), by_address);
	for (unsigned i = 0; i < W.nsites; i++)
		fprintf(W.log, "insn %#" PRIx64 " %s %" PRIu64 " %s\n", W.sites[i].vaddr,
			class_name[W.sites[i].cls], __atomic_load_n(&W.sites[i].count, __ATOMIC_RELAXED),
			W.sites[i].text);
	fclose(W.log);
	W.log = NULL;
	pthread_mutex_unlock(&W.lock);
	cs_close(&W.cs);
}

static int parse_u64(const char *v, uint64_t *out)
{
	char *end;

	*out = strtoull(v, &end, 0);
	return *v != '\0' && *end == '\0' ? 0 : -1;
}

QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info, int argc,
					   char **argv)
{
	const char *log = NULL;
	int bad = 0;

	if (coverage_mode_requested(argc, argv))
		return coverage_install(id, info, argc, argv);
	if (strcmp(info->target_name, "aarch64") != 0 || !info->system_emulation) {
		fprintf(stderr, "isofuzz-insn-watch: for qemu-system-aarch64 only\n");
		return -1;
	}
	for (int i = 0; i < argc; i++)
		if (strcmp(argv[i], "mode=el2") == 0)
			return el2_cost_install(id, argc, argv);
	for (int i = 0; i < argc; i++) {
		if (strncmp(argv[i], "log=", 4) == 0)
			log = argv[i] + 4;
		else if (strncmp(argv[i], "el2_lo=", 7) == 0)
			bad |= parse_u64(argv[i] + 7, &W.lo);
		else if (strncmp(argv[i], "el2_hi=", 7) == 0)
			bad |= parse_u64(argv[i] + 7, &W.hi);
		else
			bad = -1;
	}
	if (bad || !log || W.lo >= W.hi) {
		fprintf(stderr, "isofuzz-insn-watch: expected log=FILE,el2_lo=ADDR,el2_hi=ADDR\n");
		return -1;
	}
	if (cs_open(CS_ARCH_ARM64, CS_MODE_ARM, &W.cs) != CS_ERR_OK) {
		fprintf(stderr, "isofuzz-insn-watch: Capstone has no AArch64 disassembler\n");
		return -1;
	}
	W.log = fopen(log, "w");
	if (!W.log) {
		perror(log);
		cs_close(&W.cs);
		return -1;
	}
	qemu_plugin_register_vcpu_tb_trans_cb(id, on_translate);
	qemu_plugin_register_atexit_cb(id, plugin_exit, NULL);
	return 0;
}
