/* The model's generations (refstate.h): a VM's or unit's fields and map
 * carry a generation that names one set of values wherever it is found.
 * The state check skips a part whose generations it found equal before,
 * so a writer that forgets to move one would hide a difference.  Random
 * histories of every operation, resets and copies (the linearizer tries
 * an order on a copy and goes back) record the values each generation was
 * first seen with; seeing it again with other values fails. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "model_fixture.h"

enum part { PART_VM, PART_VM_MAP, PART_UNIT, PART_UNIT_MAP };

/* The fields of a VM or unit, without the map. */
struct vm_fields {
	enum kcore_vm_state state;
	enum kcore_vcpu_state vcpu[KCORE_MAX_VCPUS];
	int vcpu_cpu[KCORE_MAX_VCPUS];
	bool boot_set;
	uint64_t boot_gfn, boot_npages, image_pfn[KCORE_MAX_IMAGE_PAGES], pool_used;
};
struct unit_fields { bool allocated; unsigned owner; uint64_t pool_used; };

struct seen {
	uint64_t gen;
	enum part part;
	struct vm_fields vm;          /* PART_VM */
	struct unit_fields unit;      /* PART_UNIT */
	unsigned n;                   /* maps */
	bool overflow;
	struct ref_map_entry *e;
};

static struct seen *seen;
static unsigned nseen, seen_cap;

static bool same_entries(const struct ref_map_entry *a, const struct ref_map_entry *b, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		if (a[i].key != b[i].key || a[i].pa != b[i].pa || a[i].pages != b[i].pages || a[i].perm != b[i].perm ||
		    a[i].mem != b[i].mem)
			return false;
	return true;
}

static struct vm_fields vm_fields_of(const struct ref_vm *v)
{
	struct vm_fields f;
	memset(&f, 0, sizeof(f));
	f.state = v->state;
	memcpy(f.vcpu, v->vcpu, sizeof(f.vcpu));
	memcpy(f.vcpu_cpu, v->vcpu_cpu, sizeof(f.vcpu_cpu));
	f.boot_set = v->boot_set;
	f.boot_gfn = v->boot_gfn;
	f.boot_npages = v->boot_npages;
	memcpy(f.image_pfn, v->image_pfn, sizeof(f.image_pfn));
	f.pool_used = v->pool_used;
	return f;
}

static bool same_vm_fields(const struct vm_fields *a, const struct vm_fields *b)
{
	return memcmp(a, b, sizeof(*a)) == 0; /* both zeroed, then filled field by field */
}

static struct unit_fields unit_fields_of(const struct ref_smmu *u)
{
	struct unit_fields f;
	memset(&f, 0, sizeof(f));
	f.allocated = u->allocated;
	f.owner = u->owner;
	f.pool_used = u->pool_used;
	return f;
}

static bool same_unit_fields(const struct unit_fields *a, const struct unit_fields *b)
{
	return a->allocated == b->allocated && a->owner == b->owner && a->pool_used == b->pool_used;
}

static struct seen *find(uint64_t gen, enum part part)
{
	for (unsigned i = nseen; i-- > 0;)
		if (seen[i].gen == gen && seen[i].part == part)
			return &seen[i];
	return NULL;
}

static struct seen *add(uint64_t gen, enum part part)
{
	if (nseen == seen_cap) {
		seen_cap = seen_cap ? 2 * seen_cap : 256;
		seen = realloc(seen, seen_cap * sizeof(*seen));
		CHECK(seen != NULL);
	}
	struct seen *s = &seen[nseen++];
	memset(s, 0, sizeof(*s));
	s->gen = gen;
	s->part = part;
	return s;
}

/* A map with its generation: the same values as the first time seen. */
static void observe_map(uint64_t gen, enum part part, const struct ref_map_entry *e, unsigned n, bool overflow)
{
	CHECK(gen != 0);
	struct seen *s = find(gen, part);
	if (s == NULL) {
		s = add(gen, part);
		s->n = n;
		s->overflow = overflow;
		s->e = malloc((n ? n : 1) * sizeof(*e));
		CHECK(s->e != NULL);
		memcpy(s->e, e, n * sizeof(*e));
		return;
	}
	CHECK_EQ(s->n, n);
	CHECK_EQ(s->overflow, overflow);
	CHECK(same_entries(s->e, e, n));
}

static void observe(const struct ref_model *m)
{
	for (unsigned v = 1; v <= KCORE_MAX_VMS; v++) {
		const struct ref_vm *vm = fx_vm(m, v);
		struct vm_fields f = vm_fields_of(vm);
		CHECK(vm->gen != 0);
		struct seen *s = find(vm->gen, PART_VM);
		if (s == NULL) {
			s = add(vm->gen, PART_VM);
			s->vm = f;
		} else if (!same_vm_fields(&s->vm, &f)) {
			CHECK_FAIL_("VM %u's fields changed under generation %llu", v, (unsigned long long)vm->gen);
		}
		observe_map(vm->map.gen, PART_VM_MAP, vm->map.e, vm->map.n, vm->map.overflow);
	}
	for (unsigned u = 0; u < KCORE_SMMU_UNITS; u++) {
		const struct ref_smmu *unit = &ref_state_of(m)->smmu[u];
		struct unit_fields f = unit_fields_of(unit);
		CHECK(unit->gen != 0);
		struct seen *s = find(unit->gen, PART_UNIT);
		if (s == NULL) {
			s = add(unit->gen, PART_UNIT);
			s->unit = f;
		} else if (!same_unit_fields(&s->unit, &f)) {
			CHECK_FAIL_("unit %u's fields changed under generation %llu", u, (unsigned long long)unit->gen);
		}
		observe_map(unit->map.gen, PART_UNIT_MAP, unit->map.e, unit->map.n, unit->map.overflow);
	}
}

static void forget_seen(void)
{
	for (unsigned i = 0; i < nseen; i++)
		free(seen[i].e);
	free(seen);
	seen = NULL;
	nseen = seen_cap = 0;
}

static uint64_t pick(uint64_t n)
{
	return (uint64_t)rand() % n;
}

/* One random operation, arguments from small pools so that they meet. */
static void random_op(struct ref_model *m)
{
	uint64_t vm = pick(8) ? 1 + pick(2) : pick(10), pfn = FX_KSERV_PFN(pick(24)), gfn = FX_IMAGE_GFN + pick(6);
	uint64_t unit = pick(5), iova = pick(6) << 12;
	unsigned cpu = (unsigned)pick(FX_NCPUS);

	switch (pick(20)) {
	case 0: ref_host_call(m, cpu, HVC_REGISTER_VM, 0, 0, 0); break;
	case 1: ref_host_call(m, cpu, HVC_REGISTER_VCPU, vm, pick(3), 0); break;
	case 2: ref_host_call(m, cpu, HVC_SET_BOOT_INFO, vm, FX_IMAGE_GFN << 12, 1 + pick(2)); break;
	case 3: ref_host_call(m, cpu, HVC_REMAP_VM_IMAGE, vm, pfn, pick(3)); break;
	case 4: fx_images_good = pick(4) != 0; ref_host_call(m, cpu, HVC_VERIFY_VM_IMAGE, vm, 0, 0); break;
	case 5: ref_host_call(m, cpu, HVC_VCPU_RUN, vm, pick(3), 0); break;
	case 6: ref_host_call(m, cpu, HVC_MAP_VM_PAGE, vm, gfn + 8 + 512 * pick(3), pfn); break;
	case 7: ref_host_call(m, cpu, HVC_CLEAR_VM, vm, 0, 0); break;
	case 8: ref_host_call(m, cpu, HVC_SMMU_ALLOC, unit, pick(3), 0); break;
	case 9: ref_host_call(m, cpu, HVC_SMMU_MAP, unit, iova, pfn); break;
	case 10: ref_host_call(m, cpu, HVC_SMMU_UNMAP, unit, iova, 0); break;
	case 11: ref_host_call(m, cpu, HVC_SMMU_FREE, unit, 0, 0); break;
	case 12: ref_host_call(m, cpu, HVC_IOREMAP, vm, (gfn + 16 + 512 * pick(3)) << 12, FX_MMIO_PA(pick(3))); break;
	case 13: ref_guest_call(m, cpu, GHVC_GRANT, gfn + 8 * pick(2)); break;
	case 14: ref_guest_call(m, cpu, GHVC_REVOKE, gfn + 8 * pick(2)); break;
	case 15: ref_guest_call(m, cpu, GHVC_POWER_OFF, 0); break;
	case 16: ref_guest_call(m, cpu, GHVC_EXIT, 0); break;
	case 17: ref_kserv_fault(m, cpu, pfn << 12); break;
	default: ref_host_call(m, cpu, HVC_VCPU_RUN, vm, 0, 0); break;
	}
}

static void random_history(unsigned seed)
{
	struct ref_model *m = fx_model(), *tried = ref_new(); /* m is the fixture's */
	struct kcore_boot b;
	CHECK(tried != NULL);
	fx_boot(&b);
	srand(seed);
	observe(m);
	for (unsigned step = 0; step < 1500; step++) {
		unsigned r = (unsigned)pick(100);
		if (r < 4) {
			/* an order tried on a copy, then given up or kept */
			CHECK(ref_copy(tried, m));
			observe(tried);
			random_op(tried);
			observe(tried);
			if (r < 2)
				CHECK(ref_copy(m, tried));
		} else if (r == 4) {
			CHECK_EQ(ref_init(m, &b), KCORE_OK);
		} else {
			random_op(m);
		}
		observe(m);
	}
	ref_delete(tried);
	forget_seen();
	fx_images_good = true;
}

TEST(generation_names_one_set_of_values)
{
	for (unsigned seed = 1; seed <= 12; seed++)
		random_history(seed);
}

/* The histories above do reach the parts that move. */
TEST(histories_move_every_part)
{
	struct ref_model *m = fx_model();
	unsigned vm = fx_running_vm(m, 1, FX_KSERV_PFN(0), 1);
	uint64_t g = fx_vm(m, vm)->gen, mg = fx_vm(m, vm)->map.gen;
	CHECK_EQ(fx_hvc(m, HVC_MAP_VM_PAGE, vm, 0x33, FX_KSERV_PFN(5)), KCORE_OK);
	CHECK(fx_vm(m, vm)->gen != g);
	CHECK(fx_vm(m, vm)->map.gen != mg);
	g = fx_vm(m, vm)->gen;
	mg = fx_vm(m, vm)->map.gen;
	CHECK_EQ(fx_ghvc(m, 1, GHVC_EXIT, 0), KCORE_OK);
	CHECK(fx_vm(m, vm)->gen != g);
	CHECK_EQ(fx_vm(m, vm)->map.gen, mg); /* fields only */
	uint64_t ug = ref_state_of(m)->smmu[2].gen, umg = ref_state_of(m)->smmu[2].map.gen;
	CHECK_EQ(fx_hvc(m, HVC_SMMU_ALLOC, 2, 0, 0), KCORE_OK);
	CHECK(ref_state_of(m)->smmu[2].gen != ug);
	CHECK_EQ(ref_state_of(m)->smmu[2].map.gen, umg);
	CHECK_EQ(fx_hvc(m, HVC_SMMU_MAP, 2, 0x4000, FX_KSERV_PFN(9)), KCORE_OK);
	umg = ref_state_of(m)->smmu[2].map.gen;
	CHECK_EQ(fx_hvc(m, HVC_SMMU_UNMAP, 2, 0x4000, 0), KCORE_OK);
	CHECK(ref_state_of(m)->smmu[2].map.gen != umg);
}

static const struct test_case cases[] = {
	CASE(generation_names_one_set_of_values),
	CASE(histories_move_every_part),
};

int main(int argc, char **argv)
{
	return test_main(argc, argv, cases, N_CASES(cases));
}
