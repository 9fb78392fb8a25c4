/* Scene splicing.  A scene is a list of step kinds; each step's operands
 * come from the kind table: every argument takes the scene's value for its
 * type (the scene's VM, vCPU, gfn, page, unit, iova), so a scene is written
 * as the kinds and roles it needs, never as operand lists.  The handles a
 * scene uses come from a static reading of the program up to the insertion
 * point (which VM slots are taken, which VMs are booted, which CPUs are in
 * a guest, which units and pages are in use); it is an estimate, not a
 * run, and a wrong guess only makes some steps fail. */
#include "program/mutator/mutator_scene.h"

#include <string.h>

#include "program/mutator/mutator_rng.h"
#include "program/mutator/mutator_scene_read.h"

#define GUEST_GFN 0x80000ull
#define GFN_1G (1ull << 18)
#define SCENE_MAX_STEPS 64
#define PFN_2M 512u

/* The values a scene's steps take, by operand type. */
struct roles {
	uint64_t vm, vcpu, gfn, pfn, unit, iova, count;
	unsigned cpu;
};

struct scene {
	struct program_step step[SCENE_MAX_STEPS];
	unsigned n;
	struct roles r;
	struct scene_state st;
	const struct program_pools *pools;
	const struct program *p;
	uint64_t *rng;
};

static uint64_t fresh_pfn(struct scene *sc)
{
	return ++sc->st.max_pfn;
}

/* One step of kind k on the role CPU, every operand from the roles by its
 * type. */
static void emit(struct scene *sc, enum step_kind k)
{
	const struct step_info *info = program_step_info(k);
	const struct roles *r = &sc->r;
	struct program_step *s;

	if (sc->n >= SCENE_MAX_STEPS)
		return;
	s = &sc->step[sc->n++];
	memset(s, 0, sizeof(*s));
	s->kind = k;
	s->cpu = r->cpu;
	for (unsigned a = 0; a < PROGRAM_MAX_ARGS; a++) {
		uint64_t *v = &s->arg[a];
		switch (info->arg[a].type) {
		case ARG_VM: *v = r->vm; break;
		case ARG_VCPU: *v = r->vcpu; break;
		case ARG_GFN: *v = r->gfn; break;
		case ARG_GPA: *v = r->gfn << PAGE_SHIFT; break;
		case ARG_PFN: *v = r->pfn; break;
		case ARG_PA: *v = r->pfn << PAGE_SHIFT; break;
		case ARG_IPA: *v = r->gfn << PAGE_SHIFT; break;
		case ARG_IOVA: *v = r->iova; break;
		case ARG_COUNT: *v = r->count; break;
		case ARG_UNIT: *v = r->unit; break;
		case ARG_VAL: *v = sc->pools->type[ARG_VAL].v[rng_below(sc->rng, sc->pools->type[ARG_VAL].n)]; break;
		default: *v = 0; break; /* off 0, image 0 (one page), no flag */
		}
	}
	scene_read_step(&sc->st, s);
}

/* A new VM in the lowest free slot, booted from the one-page image with
 * two vCPUs; or, when fail_verify is set, from a page never loaded, so
 * verification powers it off. */
static void boot(struct scene *sc, bool fail_verify)
{
	struct roles *r = &sc->r;

	r->vm = scene_lowest_free_slot(&sc->st);
	emit(sc, STEP_REGISTER_VM);
	if (!fail_verify) {
		for (r->vcpu = 0; r->vcpu < 2; r->vcpu++)
			emit(sc, STEP_REGISTER_VCPU);
	}
	r->gfn = GUEST_GFN;
	r->count = 1;
	emit(sc, STEP_SET_BOOT_INFO);
	r->pfn = fresh_pfn(sc);
	r->count = 0;
	if (!fail_verify)
		emit(sc, STEP_KSERV_LOAD);
	emit(sc, STEP_REMAP_VM_IMAGE);
	emit(sc, STEP_VERIFY_VM_IMAGE);
	if (fail_verify && r->vm)
		sc->st.slot[r->vm] = SLOT_OFF; /* the unloaded page fails the hash */
	r->vcpu = 0;
}

/* A CPU other than avoid that runs no vCPU, or avoid itself. */
static unsigned idle_cpu(struct scene *sc, unsigned avoid)
{
	unsigned n = sc->p->ncpus, start = rng_below(sc->rng, n);

	for (unsigned k = 0; k < n; k++) {
		unsigned c = (start + k) % n;
		if (c != avoid && !sc->st.cpu_vm[c])
			return c;
	}
	return avoid < n ? avoid : 0;
}

static void teardown(struct scene *sc)
{
	sc->r.vcpu = 0;
	emit(sc, STEP_VCPU_RUN);
	emit(sc, STEP_GUEST_POWER_OFF);
	emit(sc, STEP_CLEAR_VM);
}

static void run_two_power_off_one(struct scene *sc)
{
	struct roles *r = &sc->r;
	unsigned a = r->cpu, b = idle_cpu(sc, a);

	r->vcpu = 0;
	emit(sc, STEP_VCPU_RUN);
	r->cpu = b, r->vcpu = 1;
	emit(sc, STEP_VCPU_RUN);
	r->gfn = GUEST_GFN;
	emit(sc, STEP_GUEST_READ);
	r->cpu = a;
	emit(sc, STEP_GUEST_POWER_OFF);
	emit(sc, STEP_CLEAR_VM); /* refused while the other vCPU runs */
	r->cpu = b;
	emit(sc, STEP_GUEST_READ);
	emit(sc, STEP_GUEST_EXIT);
	r->cpu = a;
	emit(sc, STEP_CLEAR_VM);
}

static void two_units(struct scene *sc)
{
	struct roles *r = &sc->r;
	unsigned placed = 0;

	r->gfn = GUEST_GFN + 1 + rng_below(sc->rng, 4);
	r->pfn = fresh_pfn(sc);
	emit(sc, STEP_MAP_VM_PAGE);
	for (unsigned u = 0; u < KCORE_SMMU_UNITS && placed < 2; u++) {
		if (sc->st.unit_taken[u])
			continue;
		r->unit = u;
		r->iova = (placed + 1) << PAGE_SHIFT;
		emit(sc, STEP_SMMU_ALLOC);
		emit(sc, STEP_SMMU_MAP);
		emit(sc, STEP_DMA_WRITE);
		placed++;
	}
}

/* Grant a page (the VM's own, its image page or one it lacks) up to one
 * time past the share limit, with KServ reading it, then revoke. */
static void share(struct scene *sc)
{
	struct roles *r = &sc->r;
	unsigned host = r->cpu, guest = idle_cpu(sc, host);
	unsigned grants = 1 + rng_below(sc->rng, KCORE_MAX_SHARE + 1);
	static const uint64_t which[] = { 1, 0, 2 };

	r->gfn = GUEST_GFN + 1;
	r->pfn = fresh_pfn(sc);
	emit(sc, STEP_MAP_VM_PAGE);
	r->gfn = GUEST_GFN + which[rng_below(sc->rng, 3)];
	r->cpu = guest, r->vcpu = 0;
	emit(sc, STEP_VCPU_RUN);
	for (unsigned g = 0; g < grants; g++)
		emit(sc, STEP_GUEST_GRANT);
	r->cpu = host;
	emit(sc, STEP_KSERV_READ);
	r->cpu = guest;
	emit(sc, STEP_GUEST_REVOKE);
	r->cpu = host;
	emit(sc, STEP_KSERV_READ);
	r->cpu = guest;
	emit(sc, STEP_GUEST_EXIT);
	r->cpu = host;
}

/* Maps in fresh 1 GiB regions: each takes two table pages, so a few
 * exhaust a VM's or a unit's pool. */
static void fill(struct scene *sc, bool smmu)
{
	struct roles *r = &sc->r;
	unsigned maps = smmu ? KCORE_SMMU_POOL_PAGES / 2 + 1 : KCORE_VM_POOL_PAGES / 2 + 1;

	if (smmu) {
		r->vm = 0; /* KServ's unit maps KServ's pages */
		r->unit = rng_below(sc->rng, KCORE_SMMU_UNITS);
		emit(sc, STEP_SMMU_ALLOC);
	}
	r->pfn = fresh_pfn(sc);
	for (unsigned k = 1; k <= maps; k++) {
		r->gfn = GUEST_GFN + k * GFN_1G;
		r->iova = (uint64_t)k << 30;
		if (!smmu)
			r->pfn = fresh_pfn(sc);
		emit(sc, smmu ? STEP_SMMU_MAP : STEP_MAP_VM_PAGE);
	}
	if (!smmu) { /* device memory needs tables too */
		uint64_t pfn = r->pfn;
		r->gfn = GUEST_GFN + (maps + 1) * GFN_1G;
		r->pfn = sc->pools->mmio_pfn;
		emit(sc, STEP_IOREMAP);
		r->pfn = pfn;
	}
}

static void vmid_cycle(struct scene *sc)
{
	unsigned rounds = 2 + rng_below(sc->rng, KCORE_MIN_VMIDS);

	for (unsigned k = 0; k < rounds; k++) {
		boot(sc, true);
		emit(sc, STEP_CLEAR_VM);
	}
}

static void fill_slots(struct scene *sc)
{
	for (unsigned vm = 1; vm <= KCORE_MAX_VMS + 1; vm++)
		if (vm > KCORE_MAX_VMS || sc->st.slot[vm] == SLOT_FREE)
			emit(sc, STEP_REGISTER_VM);
}

/* KServ touches pages in fresh 2 MiB blocks of RAM: each fault takes a
 * level-3 table from KServ's pool. */
static void fill_kserv(struct scene *sc)
{
	uint64_t base = sc->pools->type[ARG_PFN].v[0] & ~(uint64_t)(PFN_2M - 1);
	unsigned faults = 3 + rng_below(sc->rng, 4);

	for (unsigned k = 1; k <= faults; k++) {
		sc->r.pfn = base + (uint64_t)k * PFN_2M + rng_below(sc->rng, PFN_2M);
		emit(sc, k % 2 ? STEP_KSERV_FAULT : STEP_KSERV_READ);
	}
}

/* The capacity a scene runs out, lowered to its minimum. */
static void lower_cap(struct program *p, enum scene_kind k)
{
	switch (k) {
	case SCENE_FILL_VM: p->caps.vm_pool_pages = KCORE_MIN_VM_POOL_PAGES; break;
	case SCENE_FILL_SMMU: p->caps.smmu_pool_pages = KCORE_MIN_SMMU_POOL_PAGES + 2; break;
	case SCENE_VMID_CYCLE: p->caps.vmids = KCORE_MIN_VMIDS; break;
	case SCENE_SHARE: p->caps.max_share = KCORE_MIN_SHARE; break;
	case SCENE_FILL_KSERV: p->caps.kserv_pool_pages = KCORE_MIN_KSERV_POOL_PAGES + 2; break;
	default: break;
	}
}

/* A booted VM to act on: one the program has (reuse), else a new one. */
static void pick_vm(struct scene *sc, int reuse)
{
	unsigned live[KCORE_MAX_VMS], n = 0;

	for (unsigned vm = 1; vm <= KCORE_MAX_VMS; vm++)
		if (sc->st.slot[vm] == SLOT_VERIFIED)
			live[n++] = vm;
	if (reuse && n) {
		sc->r.vm = live[rng_below(sc->rng, n)];
		return;
	}
	boot(sc, false);
}

static void build(struct scene *sc, enum scene_kind k, int reuse)
{
	switch (k) {
	case SCENE_BOOT: boot(sc, false); break;
	case SCENE_UNITS: pick_vm(sc, reuse); two_units(sc); break;
	case SCENE_RUN_TWO_OFF: pick_vm(sc, reuse); run_two_power_off_one(sc); break;
	case SCENE_SHARE: pick_vm(sc, reuse); share(sc); break;
	case SCENE_TEARDOWN: pick_vm(sc, reuse); teardown(sc); break;
	case SCENE_REUSE_SLOT: pick_vm(sc, reuse); teardown(sc); boot(sc, false); break;
	case SCENE_FILL_VM: pick_vm(sc, reuse); fill(sc, false); break;
	case SCENE_FILL_SMMU: fill(sc, true); break;
	case SCENE_VMID_CYCLE: vmid_cycle(sc); break;
	case SCENE_FILL_SLOTS: fill_slots(sc); break;
	case SCENE_FILL_KSERV: fill_kserv(sc); break;
	default: break;
	}
}

void mutator_splice_scene(const struct program_pools *pools, struct program *p, unsigned at,
			  enum scene_kind k, int reuse, uint64_t *rng)
{
	static struct scene sc;
	unsigned room;

	if (at > p->nsteps)
		at = p->nsteps;
	memset(&sc, 0, sizeof(sc));
	sc.pools = pools, sc.p = p, sc.rng = rng;
	/* Scenes with two vCPUs want two CPUs. */
	if (p->ncpus < 2)
		p->ncpus = 2;
	scene_read_program(&sc.st, sc.pools, sc.p, at);
	sc.r.cpu = idle_cpu(&sc, p->ncpus);
	build(&sc, k, reuse);
	if (!reuse)
		lower_cap(p, k);
	room = PROGRAM_MAX_STEPS - p->nsteps;
	if (sc.n > room)
		sc.n = room;
	memmove(&p->step[at + sc.n], &p->step[at], (p->nsteps - at) * sizeof(p->step[0]));
	memcpy(&p->step[at], sc.step, sc.n * sizeof(sc.step[0]));
	p->nsteps += sc.n;
}
