/* The TCG plugin's counts (qemu-plugins/insn_watch.c) against the model.
 *
 * On the model every arch call KCore makes is one event; in the image it
 * is a short, fixed sequence of real instructions (hyp/arch/aarch64/
 * arch_aarch64.c): arch_tlbi_ipa is TLBI IPAS2E1IS, DSB ISH, TLBI
 * VMALLE1IS, DSB ISH between two VTTBR writes each followed by an ISB;
 * arch_tlbi_vmid is TLBI VMALLS12E1IS and DSB ISH between the same two;
 * arch_tlbi_all is TLBI ALLE1IS; arch_set_stage2 ends with an ISB;
 * arch_smmu_tlbi is a DSB ISH; arch_dsb_ish, arch_isb, arch_dc_civac and
 * arch_dc_cvac are one instruction each.  So a program's window must hold
 * exactly the instructions its events imply, but for one table: KCore
 * makes a table with a DSB before it links it in, and the level-2 table
 * for the GiB the image's own host lives in exists before any program
 * runs there (the host made it, faulting its own pages in), while the
 * model makes it at the program's first KServ page in that GiB.  That
 * holds for programs whose steps stay in the host: a guest adds the platform's own world
 * switches and its code page, so for those the counts are shown, not
 * checked.  Exclusive loads are checked against lock acquisitions as a
 * lower bound only (a contended or retried acquisition loads again, and
 * the platform takes locks of its own).
 */
#include <elf.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "hyp/s2desc.h"
#include "replay/replay_qemu.h"

enum wclass {
	W_TLBI_IPAS2E1IS, W_TLBI_VMALLE1IS, W_TLBI_VMALLS12E1IS, W_TLBI_ALLE1IS, W_TLBI_OTHER,
	W_DSB_ISH, W_DSB_OTHER, W_ISB, W_DC_CIVAC, W_DC_CVAC, W_DC_ZVA, W_DC_OTHER, W_LDEX, W_STEX,
	W__COUNT
};

/* The plugin's names, in its order. */
static const char *const wname[W__COUNT] = {
	"tlbi_ipas2e1is", "tlbi_vmalle1is", "tlbi_vmalls12e1is", "tlbi_alle1is", "tlbi_other",
	"dsb_ish", "dsb_other", "isb", "dc_civac", "dc_cvac", "dc_zva", "dc_other", "ldex", "stex",
};

static int read_at(FILE *f, long off, void *buf, size_t len)
{
	return fseek(f, off, SEEK_SET) == 0 && fread(buf, 1, len, f) == len ? 0 : -1;
}

/* The address range of the ELF's .text section. */
static int text_range(const char *image, uint64_t *lo, uint64_t *hi)
{
	FILE *f = fopen(image, "rb");
	Elf64_Ehdr eh;
	Elf64_Shdr names, sh;
	int found = -1;

	if (!f)
		return -1;
	if (read_at(f, 0, &eh, sizeof(eh)) != 0 || memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 ||
	    eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_shentsize != sizeof(Elf64_Shdr) ||
	    eh.e_shstrndx >= eh.e_shnum ||
	    read_at(f, (long)(eh.e_shoff + (uint64_t)eh.e_shstrndx * sizeof(sh)), &names, sizeof(names)) != 0)
		goto out;
	for (unsigned i = 0; i < eh.e_shnum && found != 0; i++) {
		char name[8] = { 0 };
		if (read_at(f, (long)(eh.e_shoff + (uint64_t)i * sizeof(sh)), &sh, sizeof(sh)) != 0 ||
		    read_at(f, (long)(names.sh_offset + sh.sh_name), name, sizeof(name) - 1) != 0)
			break;
		if (strcmp(name, ".text") == 0 && sh.sh_size > 0) {
			*lo = sh.sh_addr;
			*hi = sh.sh_addr + sh.sh_size;
			found = 0;
		}
	}
out:
	fclose(f);
	return found;
}

int replay_plugin_arg(const char *plugin, const char *image, const char *log, char *buf, size_t cap)
{
	uint64_t lo, hi;

	if (text_range(image, &lo, &hi) != 0)
		return -1;
	snprintf(buf, cap, "%s,log=%s,el2_lo=%#" PRIx64 ",el2_hi=%#" PRIx64, plugin, log, lo, hi);
	return 0;
}

/* "window N name=count ..." lines, window N being program N of the batch. */
static unsigned read_windows(const char *log, uint64_t (*w)[W__COUNT], bool *have, unsigned n)
{
	FILE *f = fopen(log, "r");
	char line[1024];
	unsigned got = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		unsigned k;
		int used;
		if (sscanf(line, "window %u%n", &k, &used) != 1 || k >= n)
			continue;
		have[k] = true;
		got++;
		for (char *p = line + used; *p;) {
			char name[32];
			uint64_t v;
			int len;
			if (sscanf(p, " %31[a-z0-9_]=%" SCNu64 "%n", name, &v, &len) != 2)
				break;
			for (unsigned c = 0; c < W__COUNT; c++)
				if (strcmp(name, wname[c]) == 0)
					w[k][c] = v;
			p += len;
		}
	}
	fclose(f);
	return got;
}

static bool has_guest_steps(const struct replay_case *c)
{
	for (unsigned i = 0; i < c->run.nsteps; i++) {
		enum step_class cls = program_step_info(c->run.step[i].kind)->cls;
		if (cls == STEP_CLASS_GUEST_CALL || cls == STEP_CLASS_GUEST_ACCESS ||
		    c->run.step[i].kind == STEP_VCPU_RUN)
			return true;
	}
	return false;
}

struct expect {
	const char *what;
	enum wclass cls;
	uint64_t want;
	bool at_least;
};

/* Level-2 tables of KServ's the model made and the image had already. */
static uint64_t tables_made_before(const struct replay_case *c, const struct image_layout *l)
{
	unsigned gib = (unsigned)(l->host_base >> 30) % S2_ENTRIES;

	return (c->kserv_gib_tables[gib / 64] >> (gib % 64)) & 1;
}

static unsigned expectations(const uint64_t *ev, uint64_t premade, struct expect *e)
{
	unsigned n = 0;

	e[n++] = (struct expect){ "TLBI IPAS2E1IS = arch_tlbi_ipa", W_TLBI_IPAS2E1IS, ev[EV_TLBI_IPA], false };
	e[n++] = (struct expect){ "TLBI VMALLE1IS = arch_tlbi_ipa", W_TLBI_VMALLE1IS, ev[EV_TLBI_IPA], false };
	e[n++] = (struct expect){ "TLBI VMALLS12E1IS = arch_tlbi_vmid", W_TLBI_VMALLS12E1IS, ev[EV_TLBI_VMID], false };
	e[n++] = (struct expect){ "TLBI ALLE1IS = arch_tlbi_all", W_TLBI_ALLE1IS, ev[EV_TLBI_ALL], false };
	e[n++] = (struct expect){ "DSB ISH = dsb + 2 tlbi_ipa + tlbi_vmid + smmu_tlbi - premade", W_DSB_ISH,
				  ev[EV_DSB] + 2 * ev[EV_TLBI_IPA] + ev[EV_TLBI_VMID] + ev[EV_SMMU_TLBI] - premade,
				  false };
	e[n++] = (struct expect){ "ISB = isb + set_stage2 + 2 (tlbi_ipa + tlbi_vmid)", W_ISB,
				  ev[EV_ISB] + ev[EV_SET_STAGE2] + 2 * (ev[EV_TLBI_IPA] + ev[EV_TLBI_VMID]), false };
	e[n++] = (struct expect){ "DC CIVAC = arch_dc_civac", W_DC_CIVAC, ev[EV_DC_CIVAC], false };
	e[n++] = (struct expect){ "DC CVAC = arch_dc_cvac", W_DC_CVAC, ev[EV_DC_CVAC], false };
	e[n++] = (struct expect){ "exclusive loads >= lock acquisitions", W_LDEX, ev[EV_LOCK_ACQUIRE], true };
	return n;
}

static bool check_one(FILE *f, const struct replay_case *c, const struct image_layout *l, const uint64_t *w)
{
	struct expect e[16];
	unsigned n = expectations(c->events, tables_made_before(c, l), e);
	bool checked = !has_guest_steps(c), ok = true;

	fprintf(f, "plugin %s: EL2 instructions between the program's marks%s\n", c->path,
		checked ? "" : " (shown, not checked: guests add the platform's world switches)");
	for (unsigned i = 0; i < n; i++) {
		bool good = e[i].at_least ? w[e[i].cls] >= e[i].want : w[e[i].cls] == e[i].want;
		fprintf(f, "  %-60s image %6" PRIu64 "  model %6" PRIu64 "%s\n", e[i].what, w[e[i].cls], e[i].want,
			checked && !good ? "  << MISMATCH" : "");
		ok &= good || !checked;
	}
	return ok;
}

bool replay_check_plugin(FILE *f, const char *log, const struct replay_case *cases, unsigned n,
			 const struct image_layout *l)
{
	static uint64_t w[REPLAY_MAX_PROGRAMS][W__COUNT];
	static bool have[REPLAY_MAX_PROGRAMS];
	bool ok = true;

	memset(w, 0, sizeof(w[0]) * n);
	memset(have, 0, sizeof(have[0]) * n);
	if (read_windows(log, w, have, n) != n) {
		fprintf(f, "plugin: the log %s has no window for some program\n", log);
		return false;
	}
	for (unsigned k = 0; k < n; k++)
		ok &= check_one(f, &cases[k], l, w[k]);
	return ok;
}
