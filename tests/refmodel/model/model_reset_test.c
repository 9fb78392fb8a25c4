/* A reset or copy writes only the parts that differ from what they must
 * become; whatever part a run changed, the result must still equal a
 * fresh reset (or the source of the copy) in every field.  Each case
 * changes one field at a time, of every VM, unit and the rest, so a skip
 * that misses any one field fails here. */
#include <stdlib.h>

#include "check.h"
#include "model_fixture.h"

static const struct ref_map_entry ENTRY = { .key = 0x77, .pa = 0x40400000, .pages = 1, .perm = REF_PERM_RW };

static void same_map(unsigned an, bool ao, const struct ref_map_entry *ae, unsigned bn, bool bo,
		     const struct ref_map_entry *be)
{
	CHECK_EQ(an, bn);
	CHECK_EQ(ao, bo);
	for (unsigned i = 0; i < an; i++) {
		CHECK_EQ(ae[i].key, be[i].key);
		CHECK_EQ(ae[i].pa, be[i].pa);
		CHECK_EQ(ae[i].pages, be[i].pages);
		CHECK_EQ(ae[i].perm, be[i].perm);
		CHECK_EQ(ae[i].mem, be[i].mem);
	}
}

static void same_vm(const struct ref_vm *a, const struct ref_vm *b, bool gens)
{
	CHECK_EQ(a->state, b->state);
	for (unsigned c = 0; c < KCORE_MAX_VCPUS; c++) {
		CHECK_EQ(a->vcpu[c], b->vcpu[c]);
		CHECK_EQ(a->vcpu_cpu[c], b->vcpu_cpu[c]);
	}
	CHECK_EQ(a->boot_set, b->boot_set);
	CHECK_EQ(a->boot_gfn, b->boot_gfn);
	CHECK_EQ(a->boot_npages, b->boot_npages);
	for (unsigned i = 0; i < KCORE_MAX_IMAGE_PAGES; i++)
		CHECK_EQ(a->image_pfn[i], b->image_pfn[i]);
	CHECK_EQ(a->pool_used, b->pool_used);
	same_map(a->map.n, a->map.overflow, a->map.e, b->map.n, b->map.overflow, b->map.e);
	CHECK_EQ(a->map.from_tree, 0);
	CHECK(a->gen != 0 && a->map.gen != 0);
	if (gens) {
		CHECK_EQ(a->gen, b->gen);
		CHECK_EQ(a->map.gen, b->map.gen);
	}
}

static void same_smmu(const struct ref_smmu *a, const struct ref_smmu *b, bool gens)
{
	CHECK_EQ(a->allocated, b->allocated);
	CHECK_EQ(a->owner, b->owner);
	CHECK_EQ(a->pool_used, b->pool_used);
	same_map(a->map.n, a->map.overflow, a->map.e, b->map.n, b->map.overflow, b->map.e);
	CHECK(a->gen != 0 && a->map.gen != 0);
	if (gens) {
		CHECK_EQ(a->gen, b->gen);
		CHECK_EQ(a->map.gen, b->map.gen);
	}
}

/* Every field of a and b but the pages (model_state_test) and, unless
 * gens, the generations (a fresh reset draws its own). */
static void same_state(const struct ref_state *a, const struct ref_state *b, bool gens)
{
	CHECK(memcmp(&a->boot, &b->boot, sizeof(a->boot)) == 0);
	for (unsigned v = 0; v <= KCORE_MAX_VMS; v++)
		same_vm(&a->vm[v], &b->vm[v], gens);
	for (unsigned u = 0; u < KCORE_SMMU_UNITS; u++)
		same_smmu(&a->smmu[u], &b->smmu[u], gens);
	CHECK_EQ(a->kserv_pool_used, b->kserv_pool_used);
	for (unsigned c = 0; c < REF_MAX_CPUS; c++) {
		CHECK_EQ(a->cpu[c].vm, b->cpu[c].vm);
		CHECK_EQ(a->cpu[c].vcpu, b->cpu[c].vcpu);
	}
	unsigned an = a->kserv ? a->kserv->n : 0, bn = b->kserv ? b->kserv->n : 0;
	CHECK_EQ(an, bn);
	CHECK_EQ(a->kserv && a->kserv->overflow, b->kserv && b->kserv->overflow);
}

/* Fields a VM's change: k-th of them; false past the last. */
static bool change_vm(struct ref_vm *v, unsigned k)
{
	unsigned c = k % KCORE_MAX_VCPUS, i = k % KCORE_MAX_IMAGE_PAGES;
	switch (k / 8) {
	case 0: v->state = VM_VERIFIED; break;
	case 1: v->vcpu[c] = VCPU_READY; break;
	case 2: v->vcpu_cpu[c] = 2; break;
	case 3: v->boot_set = true; break;
	case 4: v->boot_gfn = 0x80000 + k; break;
	case 5: v->boot_npages = k; break;
	case 6: v->image_pfn[i] = 0x40400 + k; break;
	case 7: v->pool_used = 3; break;
	case 8: v->map.e[0] = ENTRY; v->map.n = 1; ref_vm_map_moved(v); return true;
	case 9: v->map.overflow = true; ref_vm_map_moved(v); return true;
	default: return false;
	}
	ref_vm_moved(v);
	return true;
}

static bool change_smmu(struct ref_smmu *u, unsigned k)
{
	switch (k) {
	case 0: u->allocated = true; break;
	case 1: u->owner = 2; break;
	case 2: u->pool_used = 1; break;
	case 3: u->map.e[0] = ENTRY; u->map.n = 1; ref_smmu_map_moved(u); return true;
	case 4: u->map.overflow = true; ref_smmu_map_moved(u); return true;
	default: return false;
	}
	ref_smmu_moved(u);
	return true;
}

/* The rest of the state. */
static bool change_rest(struct ref_state *s, unsigned k)
{
	switch (k) {
	case 0: s->kserv_pool_used = 9; return true;
	case 1: s->cpu[k % REF_MAX_CPUS].vm = 1; return true;
	case 2: s->cpu[REF_MAX_CPUS - 1].vcpu = 3; return true;
	case 3: s->kserv->n = 1; s->kserv->e[0] = ENTRY; return true;
	case 4: s->kserv->overflow = true; return true;
	case 5: s->boot.mmio_pages ^= 1; return true;
	default: return false;
	}
}

/* Every single change, one at a time, of part p (0..VMs: VM v; then
 * units; then the rest): k-th change; false past the last. */
static bool change(struct ref_state *s, unsigned p, unsigned k)
{
	if (p <= KCORE_MAX_VMS)
		return change_vm(&s->vm[p], k);
	if (p <= KCORE_MAX_VMS + KCORE_SMMU_UNITS)
		return change_smmu(&s->smmu[p - KCORE_MAX_VMS - 1], k);
	return change_rest(s, k);
}

#define PARTS (KCORE_MAX_VMS + KCORE_SMMU_UNITS + 2)

static struct ref_state *new_state(const struct kcore_boot *b)
{
	struct ref_state *s = calloc(1, sizeof(*s));
	CHECK(s != NULL && ref_state_reset(s, b));
	s->kserv = calloc(1, sizeof(*s->kserv)); /* as an abstraction leaves it */
	CHECK(s->kserv != NULL);
	return s;
}

TEST(reset_equals_a_fresh_one_whatever_changed)
{
	struct kcore_boot b;
	fx_boot(&b);
	struct ref_state *s = new_state(&b), *fresh = new_state(&b);
	unsigned changes = 0;

	for (unsigned p = 0; p < PARTS; p++)
		for (unsigned k = 0; change(s, p, k); k++, changes++) {
			const struct ref_vm *v = &s->vm[p <= KCORE_MAX_VMS ? p : 0];
			uint64_t gen = v->gen, map_gen = v->map.gen;
			CHECK(ref_state_reset(s, &b));
			same_state(s, fresh, false);
			/* a part that changed and came back names new values */
			if (p <= KCORE_MAX_VMS)
				CHECK(k >= 64 ? v->map.gen != map_gen : v->gen != gen);
		}
	CHECK(changes > 100);
	ref_state_release(s);
	ref_state_release(fresh);
	free(s);
	free(fresh);
}

TEST(copy_equals_its_source_whatever_changed)
{
	struct kcore_boot b;
	fx_boot(&b);
	struct ref_state *src = new_state(&b), *dst = new_state(&b), *fresh = new_state(&b);

	for (unsigned p = 0; p < PARTS; p++)
		for (unsigned k = 0; change(src, p, k); k++) {
			CHECK(ref_state_copy(dst, src)); /* the change, copied */
			same_state(dst, src, true);
			CHECK(ref_state_reset(src, &b));
			CHECK(ref_state_copy(dst, src)); /* and undone */
			same_state(dst, src, true);
			same_state(dst, fresh, false);
		}
	ref_state_release(src);
	ref_state_release(dst);
	ref_state_release(fresh);
	free(src);
	free(dst);
	free(fresh);
}

static const struct test_case cases[] = {
	CASE(reset_equals_a_fresh_one_whatever_changed),
	CASE(copy_equals_its_source_whatever_changed),
};

int main(int argc, char **argv)
{
	return test_main(argc, argv, cases, N_CASES(cases));
}
