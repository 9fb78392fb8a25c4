/* The isolation breaks a run shows (compare_outcome.h). */
#include <stdio.h>
#include <string.h>

#include "compare/compare_outcome.h"

#define MAX_ITEMS PROGRAM_MAX_STEPS
#define NO_GFN UINT64_MAX

struct judge {
	unsigned cpu_vm[ARCH_MAX_CPUS];      /* the VM each CPU runs, 0: host */
	struct { uint64_t val, gfn; unsigned vm; bool dead; } secret[MAX_ITEMS];
	unsigned nsecret;
	struct { unsigned vm; uint64_t gfn; int count; } grant[MAX_ITEMS];
	unsigned ngrant;
	struct { uint64_t pfn, gfn; unsigned vm; } page[MAX_ITEMS];   /* pages given to VMs */
	unsigned npage;
	struct { uint64_t val; unsigned vm; } hwrite[MAX_ITEMS];    /* host writes to a VM's page */
	unsigned nhwrite;
	uint64_t host_vals[MAX_ITEMS];                               /* every value the host wrote */
	unsigned nhost;
	struct { uint64_t unit, iova, pfn; } dma[MAX_ITEMS];
	unsigned ndma;
	uint64_t unit_owner[KCORE_SMMU_UNITS];  /* 0: KServ's device, else the VM's */
};

static int *grant_of(struct judge *j, unsigned vm, uint64_t gfn, bool make)
{
	for (unsigned i = 0; i < j->ngrant; i++)
		if (j->grant[i].vm == vm && j->grant[i].gfn == gfn)
			return &j->grant[i].count;
	if (!make || j->ngrant == MAX_ITEMS)
		return NULL;
	j->grant[j->ngrant] = (__typeof__(j->grant[0])){ vm, gfn, 0 };
	return &j->grant[j->ngrant++].count;
}

static bool granted(struct judge *j, unsigned vm, uint64_t gfn)
{
	int *c = grant_of(j, vm, gfn, false);
	return c && *c > 0;
}

static bool host_wrote(const struct judge *j, uint64_t val)
{
	for (unsigned i = 0; i < j->nhost; i++)
		if (j->host_vals[i] == val)
			return true;
	return false;
}

static void note(struct outcome *o, unsigned bit, unsigned step)
{
	unsigned k = bit == OUT_HOST_READ ? 0 : bit == OUT_HOST_WRITE ? 1 : 2;
	if (!(o->breaks & bit))
		o->first[k] = (int)step;
	o->breaks |= bit;
}

/* KServ (or a device) read val. */
static void host_read(struct judge *j, uint64_t val, unsigned step, struct outcome *o)
{
	if (val == 0 || host_wrote(j, val))
		return;
	for (unsigned i = 0; i < j->nsecret; i++)
		if (j->secret[i].val == val && !granted(j, j->secret[i].vm, j->secret[i].gfn)) {
			note(o, j->secret[i].dead ? OUT_RESIDUE : OUT_HOST_READ, step);
			return;
		}
}

/* KServ (or a device) wrote val to page pfn. */
static void host_write(struct judge *j, uint64_t pfn, uint64_t val)
{
	if (val == 0)
		return;
	if (j->nhost < MAX_ITEMS)
		j->host_vals[j->nhost++] = val;
	for (unsigned i = 0; i < j->npage; i++)
		if (j->page[i].pfn == pfn && !granted(j, j->page[i].vm, j->page[i].gfn) && j->nhwrite < MAX_ITEMS)
			j->hwrite[j->nhwrite++] = (__typeof__(j->hwrite[0])){ val, j->page[i].vm };
}

static uint64_t dma_pfn(const struct judge *j, uint64_t unit, uint64_t iova)
{
	for (unsigned i = j->ndma; i-- > 0;)
		if (j->dma[i].unit == unit && j->dma[i].iova == (iova & ~(uint64_t)0xfff))
			return j->dma[i].pfn;
	return UINT64_MAX;
}

/* A device a VM owns acts for that VM, not for KServ. */
static bool vm_device(const struct judge *j, uint64_t unit)
{
	return unit < KCORE_SMMU_UNITS && j->unit_owner[unit] != 0;
}

static void clear_vm(struct judge *j, unsigned vm)
{
	for (unsigned i = 0; i < j->nsecret; i++)
		if (j->secret[i].vm == vm)
			j->secret[i].dead = true;
	unsigned k = 0;
	for (unsigned i = 0; i < j->npage; i++)
		if (j->page[i].vm != vm)
			j->page[k++] = j->page[i];
	j->npage = k;
	for (unsigned i = 0; i < j->ngrant; i++)
		if (j->grant[i].vm == vm)
			j->grant[i].count = 0;
}

static void give_page(struct judge *j, unsigned vm, uint64_t gfn, uint64_t pfn)
{
	if (j->npage < MAX_ITEMS)
		j->page[j->npage++] = (__typeof__(j->page[0])){ pfn, gfn, vm };
}

static void step(struct judge *j, const struct program_step *s, const struct step_view *v, unsigned idx,
		 struct outcome *o)
{
	unsigned cpu = s->cpu < ARCH_MAX_CPUS ? s->cpu : 0, vm = j->cpu_vm[cpu];
	const uint64_t *a = s->arg;

	if (!v->ran)
		return;
	switch (s->kind) {
	case STEP_VCPU_RUN: if (v->ok) j->cpu_vm[cpu] = (unsigned)a[0]; break;
	case STEP_GUEST_EXIT:
	case STEP_GUEST_POWER_OFF: j->cpu_vm[cpu] = 0; break;
	case STEP_CLEAR_VM: if (v->ok) clear_vm(j, (unsigned)a[0]); break;
	case STEP_MAP_VM_PAGE: if (v->ok) give_page(j, (unsigned)a[0], a[1], a[2]); break;
	case STEP_REMAP_VM_IMAGE: if (v->ok) give_page(j, (unsigned)a[0], NO_GFN, a[1]); break;
	case STEP_SMMU_ALLOC:
		if (v->ok && a[0] < KCORE_SMMU_UNITS)
			j->unit_owner[a[0]] = a[1];
		break;
	case STEP_SMMU_MAP:
		if (v->ok && j->ndma < MAX_ITEMS)
			j->dma[j->ndma++] = (__typeof__(j->dma[0])){ a[0], a[1], a[2] };
		break;
	case STEP_GUEST_GRANT:
	case STEP_GUEST_REVOKE:
		if (v->ok && vm) {
			int *c = grant_of(j, vm, a[0], true);
			if (c)
				*c += s->kind == STEP_GUEST_GRANT ? 1 : (*c > 0 ? -1 : 0);
		}
		break;
	case STEP_GUEST_WRITE:
		if (vm && !v->fault && a[2] != 0 && j->nsecret < MAX_ITEMS)
			j->secret[j->nsecret++] = (__typeof__(j->secret[0])){ a[2], a[0], vm, false };
		break;
	case STEP_GUEST_READ:
		for (unsigned i = 0; vm && !v->fault && v->val && i < j->nhwrite; i++)
			if (j->hwrite[i].val == v->val && j->hwrite[i].vm == vm)
				note(o, OUT_HOST_WRITE, idx);
		break;
	case STEP_KSERV_READ: if (!v->fault) host_read(j, v->val, idx, o); break;
	case STEP_DMA_READ: if (!v->fault && !vm_device(j, a[0])) host_read(j, v->val, idx, o); break;
	case STEP_KSERV_WRITE: if (!v->fault) host_write(j, a[0] >> 12, a[1]); break;
	case STEP_DMA_WRITE:
		if (!v->fault && !vm_device(j, a[0]))
			host_write(j, dma_pfn(j, a[0], a[1]), a[2]);
		break;
	default: break;
	}
}

void outcome_judge(const struct program *p, const struct step_view *views, const unsigned *order, unsigned n,
		   struct outcome *out)
{
	static struct judge j;

	memset(&j, 0, sizeof(j));
	*out = (struct outcome){ .first = { -1, -1, -1 } };
	for (unsigned k = 0; k < n; k++)
		if (order[k] < p->nsteps)
			step(&j, &p->step[order[k]], &views[order[k]], order[k], out);
}

const char *outcome_text(unsigned breaks, char *buf, unsigned cap)
{
	static const char *const names[] = { "host-read", "host-write", "residue" };
	size_t len = 0;

	buf[0] = '\0';
	for (unsigned k = 0; k < 3; k++)
		if (breaks & (1u << k))
			len += (size_t)snprintf(buf + len, len < cap ? cap - len : 0, "%s%s", len ? "," : "", names[k]);
	if (!breaks)
		snprintf(buf, cap, "none");
	return buf;
}
