/* compare.md and compare.json (compare_run.h). */
#include <stdio.h>
#include <string.h>

#include "compare/run/compare_run.h"
#include "program/text/text.h"

static const char *breaks_of(const struct cmp_prog *p, enum cmp_target t, char *buf, unsigned cap)
{
	if (!p->have[t])
		return "-";
	return outcome_text(p->out[t].breaks, buf, cap);
}

static void md_outcomes(FILE *f, const struct cmp_run *r)
{
	char b[T__COUNT][64];

	fprintf(f, "## Outcomes\n\nIsolation breaks each target shows (compare_outcome.h): `host-read` (KServ "
		   "reads a VM's private value), `host-write` (a VM reads what KServ wrote into its page), "
		   "`residue` (KServ reads a VM's value after the VM was torn down); `-` not run.\n\n");
	fprintf(f, "| program |");
	for (unsigned t = 0; t < T__COUNT; t++)
		fprintf(f, " %s |", cmp_target_name[t]);
	fprintf(f, " note |\n|---|");
	for (unsigned t = 0; t < T__COUNT; t++)
		fprintf(f, "---|");
	fprintf(f, "---|\n");
	for (unsigned k = 0; k < r->n; k++) {
		const struct cmp_prog *p = &r->prog[k];
		fprintf(f, "| %s |", p->path);
		for (unsigned t = 0; t < T__COUNT; t++)
			fprintf(f, " %s |", breaks_of(p, (enum cmp_target)t, b[t], sizeof(b[t])));
		if (p->explain[0])
			fprintf(f, " not on KVM: relies on %s |\n", p->explain);
		else
			fprintf(f, " %s |\n", p->problem ? "**PROBLEM**" : "");
	}
	fputc('\n', f);
}

static void md_matches(FILE *f, const struct cmp_run *r)
{
	char line[256];

	fprintf(f, "## The baseline's model against real KVM, step by step\n\n"
		   "Compared: whether each step ran on the CPU's state, accesses' faults and read values, "
		   "calls' success (harness/compare/compare_match.c).  The model runs every access cacheable here: "
		   "TCG has no caches.\n\n| mode | same | different | explained | not applicable |\n|---|---|---|---|---|\n");
	for (int m = 0; m < LINUX__MODES; m++) {
		unsigned s = 0, d = 0, e = 0, na = 0;
		for (unsigned k = 0; k < r->n; k++) {
			s += r->prog[k].match[m].same;
			d += r->prog[k].match[m].different;
			e += r->prog[k].match[m].explained;
			na += r->prog[k].match[m].not_applicable;
		}
		fprintf(f, "| %s | %u | %u | %u | %u |\n", linux_target_name((enum linux_mode)m), s, d, e, na);
	}
	fprintf(f, "\n");
	for (int m = 0; m < LINUX__MODES; m++)
		for (unsigned k = 0; k < r->n; k++) {
			const struct case_match *cm = &r->prog[k].match[m];
			const struct program *p = &r->prog[k].kvm[m].prog;
			for (unsigned i = 0; i < cm->ndiff; i++) {
				const struct step_diff *d = &cm->diff[i];
				program_format_step(line, sizeof(line), &p->step[d->step], NULL);
				fprintf(f, "- %s %s %s step %u `%s`: model `%s`, KVM `%s`%s%s\n",
					d->verdict == MATCH_DIFFERENT ? "**MISMATCH**" : "explained:",
					linux_target_name((enum linux_mode)m), r->prog[k].path, d->step, line, d->model,
					d->kvm, d->why[0] ? ": " : "", d->why);
			}
		}
	fputc('\n', f);
}

static void md_costs(FILE *f, const struct cmp_run *r)
{
	static const enum cmp_target cols[] = { T_IMAGE, T_KVM, T_PKVM };

	fprintf(f, "## EL2 cost per operation\n\nInstructions executed at EL2, counted by the TCG plugin "
		   "(qemu-plugins/el2_cost.c) under `-icount shift=0,sleep=off`; %u run(s) each.  KVM: the "
		   "guest or the VMM brackets the one operation; KCore's image: the difference of two "
		   "programs (harness/compare/run/compare_image.c).\n\n| operation | kcore | kvm | pkvm |\n|---|---|---|---|\n",
		r->runs);
	for (unsigned op = 0; op < EL2__OPS; op++) {
		fprintf(f, "| %s |", el2_op_name((enum el2_op)op));
		for (unsigned c = 0; c < 3; c++) {
			const struct el2_cost *e = &r->cost[cols[c]][op];
			if (e->have)
				if (e->stable)
					fprintf(f, " %llu |", (unsigned long long)e->insns);
				else
					fprintf(f, " %llu (rounds %llu-%llu) |", (unsigned long long)e->insns,
						(unsigned long long)e->min, (unsigned long long)e->max);
			else
				fprintf(f, " - |");
		}
		fputc('\n', f);
	}
	fprintf(f, "\n(rounds A-B): the rounds within one run differ; the first is shown, then the range.  "
		   "Counts repeat across runs: kcore %s, kvm %s, pkvm %s.\n\n",
		r->cost_repeats[T_IMAGE] ? "yes" : "NO", r->cost_repeats[T_KVM] ? "yes" : "NO",
		r->cost_repeats[T_PKVM] ? "yes" : "NO");
}

static void md_residue(FILE *f, const struct cmp_run *r)
{
	fprintf(f, "## Residue after teardown\n\nA VM fills pages with a value, is destroyed, and its VMM frees the "
		   "memory; then every page of RAM (the kernel's linear map through /proc/kcore) that starts with "
		   "the value is counted (hyp/linux/vmm/residue.c).\n\n| mode | pages filled | pages still "
		   "holding it | words | RAM scanned |\n|---|---|---|---|---|\n");
	for (int m = 0; m < LINUX__MODES; m++) {
		const struct linux_residue *s = &r->residue[m];
		if (s->have)
			fprintf(f, "| %s | %lu | %lu | %lu | %lu MiB |\n", linux_target_name((enum linux_mode)m),
				s->filled, s->pages, s->words, s->scanned_mb);
		else if (m == LINUX_PROTECTED)
			fprintf(f, "| %s | not measurable: reading a page pKVM took panics the hypervisor | | | |\n",
				linux_target_name((enum linux_mode)m));
		else
			fprintf(f, "| %s | not measured (--residue 0) | | | |\n", linux_target_name((enum linux_mode)m));
	}
	fputc('\n', f);
}

int compare_write_md(const char *path, const struct cmp_run *r)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return -1;
	fprintf(f, "# isofuzz compare\n\nTargets: KCore (host library `kcore`, bare-metal image `kcore-image`), the "
		   "baseline's model of KVM (`vanilla`), and Debian's kernel `%s` with KVM in nVHE (`kvm`) and "
		   "protected mode (`pkvm`), under qemu-system-aarch64 TCG.  %u programs; %u unexplained "
		   "model/KVM mismatches; %u problems.\n\n", r->kernel, r->n, r->different, r->problems);
	md_outcomes(f, r);
	md_matches(f, r);
	md_costs(f, r);
	md_residue(f, r);
	return fclose(f);
}

static void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++)
		if (*s == '"' || *s == '\\')
			fprintf(f, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			fprintf(f, "\\u%04x", *s);
		else
			fputc(*s, f);
	fputc('"', f);
}

static void json_breaks(FILE *f, unsigned breaks)
{
	static const char *const names[] = { "host-read", "host-write", "residue" };
	bool first = true;
	fputc('[', f);
	for (unsigned b = 0; b < 3; b++)
		if (breaks & (1u << b)) {
			fprintf(f, "%s\"%s\"", first ? "" : ",", names[b]);
			first = false;
		}
	fputc(']', f);
}

static void json_prog(FILE *f, const struct cmp_prog *p)
{
	fprintf(f, "{\"path\":");
	json_str(f, p->path);
	fprintf(f, ",\"corpus\":");
	json_str(f, p->corpus);
	fprintf(f, ",\"outcome\":{");
	for (unsigned t = 0; t < T__COUNT; t++) {
		fprintf(f, "%s\"%s\":", t ? "," : "", cmp_target_name[t]);
		if (p->have[t])
			json_breaks(f, p->out[t].breaks);
		else
			fprintf(f, "null");
	}
	fprintf(f, "},\"explanation\":");
	json_str(f, p->explain);
	fprintf(f, ",\"problem\":%s", p->problem ? "true" : "false");
	for (int m = 0; m < LINUX__MODES; m++) {
		const struct case_match *cm = &p->match[m];
		fprintf(f, ",\"vanilla_vs_%s\":{\"same\":%u,\"different\":%u,\"explained\":%u,\"not_applicable\":%u,\"diffs\":[",
			m == LINUX_PROTECTED ? "pkvm" : "kvm", cm->same, cm->different, cm->explained, cm->not_applicable);
		for (unsigned i = 0; i < cm->ndiff; i++) {
			fprintf(f, "%s{\"step\":%u,\"explained\":%s,\"model\":", i ? "," : "", cm->diff[i].step,
				cm->diff[i].verdict == MATCH_EXPLAINED ? "true" : "false");
			json_str(f, cm->diff[i].model);
			fprintf(f, ",\"kvm\":");
			json_str(f, cm->diff[i].kvm);
			fprintf(f, ",\"why\":");
			json_str(f, cm->diff[i].why);
			fputc('}', f);
		}
		fprintf(f, "]}");
	}
	fputc('}', f);
}

int compare_write_json(const char *path, const struct cmp_run *r)
{
	static const struct { enum cmp_target t; const char *name; } cols[] = {
		{ T_IMAGE, "kcore" }, { T_KVM, "kvm" }, { T_PKVM, "pkvm" } };
	FILE *f = fopen(path, "w");
	if (!f)
		return -1;
	fprintf(f, "{\"kernel\":");
	json_str(f, r->kernel);
	fprintf(f, ",\"targets\":[\"kcore\",\"kcore-image\",\"vanilla\",\"kvm\",\"pkvm\"],\"programs\":[");
	for (unsigned k = 0; k < r->n; k++) {
		fprintf(f, "%s\n", k ? "," : "");
		json_prog(f, &r->prog[k]);
	}
	fprintf(f, "],\n\"el2_cost\":{");
	for (unsigned c = 0; c < 3; c++) {
		fprintf(f, "%s\"%s\":{", c ? "," : "", cols[c].name);
		for (unsigned op = 0; op < EL2__OPS; op++) {
			const struct el2_cost *e = &r->cost[cols[c].t][op];
			fprintf(f, "%s\"%s\":", op ? "," : "", el2_op_name((enum el2_op)op));
			if (e->have)
				fprintf(f, "{\"insns\":%llu,\"min\":%llu,\"max\":%llu,\"stable\":%s}",
					(unsigned long long)e->insns, (unsigned long long)e->min,
					(unsigned long long)e->max, e->stable ? "true" : "false");
			else
				fprintf(f, "null");
		}
		fprintf(f, ",\"repeats\":%s}", r->cost_repeats[cols[c].t] ? "true" : "false");
	}
	fprintf(f, "},\n\"residue\":{");
	for (int m = 0; m < LINUX__MODES; m++) {
		const struct linux_residue *s = &r->residue[m];
		fprintf(f, "%s\"%s\":", m ? "," : "", m == LINUX_PROTECTED ? "pkvm" : "kvm");
		if (s->have)
			fprintf(f, "{\"pages_filled\":%lu,\"pages_left\":%lu,\"words_left\":%lu,\"scanned_mb\":%lu}",
				s->filled, s->pages, s->words, s->scanned_mb);
		else
			fprintf(f, "null");
	}
	fprintf(f, "},\n\"runs\":%u,\"unexplained_mismatches\":%u,\"problems\":%u}\n", r->runs, r->different,
		r->problems);
	return fclose(f);
}
