#include "helpers.h"

#include <stdlib.h>
#include <string.h>

#include "guest_image.h"
#include "hyp/addr.h"

unsigned kt_image(const char *name)
{
	for (unsigned i = 0; i < guest_image_count(); i++)
		if (strcmp(guest_image_name(i), name) == 0)
			return i;
	CHECK_FAIL_("no guest image named %s", name);
}

uint64_t kt_data_pfn(unsigned i)
{
	return kt_ram_pfn() + 0x1000 + i;
}

int64_t kt_hvc(uint64_t op, uint64_t a0, uint64_t a1, uint64_t a2)
{
	return kcore_host_call(op, a0, a1, a2);
}

int64_t kt_ghvc(uint64_t op, uint64_t a0)
{
	return kcore_guest_call(op, a0);
}

unsigned kt_load_vm(unsigned img, uint64_t gfn, uint64_t first_pfn, unsigned nvcpus)
{
	int64_t vm = kt_hvc(HVC_REGISTER_VM, 0, 0, 0);
	unsigned npages = guest_image_npages(img);

	CHECK(vm >= 1);
	for (unsigned v = 0; v < nvcpus; v++)
		CHECK_EQ(kt_hvc(HVC_REGISTER_VCPU, vm, v, 0), 0);
	CHECK_EQ(kt_hvc(HVC_SET_BOOT_INFO, vm, gfn << PAGE_SHIFT, npages), 0);
	for (unsigned idx = 0; idx < npages; idx++) {
		CHECK_EQ(kserv_load_image(img, idx, first_pfn + idx), 0);
		CHECK_EQ(kt_hvc(HVC_REMAP_VM_IMAGE, vm, first_pfn + idx, idx), 0);
	}
	return (unsigned)vm;
}

unsigned kt_boot_vm(unsigned img, uint64_t gfn, uint64_t first_pfn, unsigned nvcpus)
{
	unsigned vm = kt_load_vm(img, gfn, first_pfn, nvcpus);

	CHECK_EQ(kt_hvc(HVC_VERIFY_VM_IMAGE, vm, 0, 0), 0);
	return vm;
}

void kt_run(unsigned cpu, unsigned vm, unsigned vcpu)
{
	sim_set_cpu(cpu);
	CHECK_EQ(kt_hvc(HVC_VCPU_RUN, vm, vcpu, 0), 0);
}

int kt_cpu_access(uint64_t ipa, unsigned flags, uint64_t *val)
{
	struct sim_access acc;

	return sim_cpu_access(sim_cpu(), ipa, flags, val, &acc);
}

int kt_kserv_read(uint64_t pa, uint64_t *val)
{
	return kserv_read64(pa, val);
}

struct kcore_page_view kt_page(uint64_t pfn)
{
	struct kcore_page_view v;

	CHECK(kcore_view_page(pfn, &v));
	return v;
}

struct kcore_vm_view kt_vm(unsigned vm)
{
	struct kcore_vm_view v;

	CHECK(kcore_view_vm(vm, &v));
	return v;
}

struct kcore_smmu_view kt_smmu(unsigned unit)
{
	struct kcore_smmu_view v;

	CHECK(kcore_view_smmu(unit, &v));
	return v;
}

/* --- Events ------------------------------------------------------------ */

static struct sim_event *events;
static size_t n_events, cap_events;

static void record_event(void *ctx, const struct sim_event *ev)
{
	(void)ctx;
	if (n_events == cap_events) {
		cap_events = cap_events ? 2 * cap_events : 1024;
		events = realloc(events, cap_events * sizeof(*events));
		if (!events)
			abort();
	}
	events[n_events++] = *ev;
}

void kt_events_start(void)
{
	n_events = 0;
	sim_set_event_sink(record_event, NULL);
}

void kt_events_stop(void)
{
	sim_set_event_sink(NULL, NULL);
}

size_t kt_events_count(void)
{
	return n_events;
}

const struct sim_event *kt_event(size_t i)
{
	CHECK(i < n_events);
	return &events[i];
}

size_t kt_find_event(size_t from, unsigned kind, bool match_a, uint64_t a)
{
	for (size_t i = from; i < n_events; i++)
		if (events[i].kind == kind && (!match_a || events[i].a == a))
			return i;
	return SIZE_MAX;
}

static bool mutates(const struct sim_event *ev)
{
	switch (ev->kind) {
	case EV_PTE_WRITE: case EV_TLBI_IPA: case EV_TLBI_VMID: case EV_TLBI_ALL:
	case EV_SET_STAGE2: case EV_SMMU_ATTACH: case EV_SMMU_DETACH: case EV_SMMU_TLBI:
	case EV_DC_CIVAC: case EV_DC_CVAC: case EV_PAGE_ZERO: case EV_PHYS_WRITE:
		return true;
	case EV_SHARED_ACCESS:
		return ev->b != 0;
	default:
		return false;
	}
}

size_t kt_mutating_events(void)
{
	size_t n = 0;

	for (size_t i = 0; i < n_events; i++)
		if (mutates(&events[i])) {
			if (!n)
				fprintf(stderr, "first mutating event: %s a=0x%llx\n",
					sim_event_name(events[i].kind),
					(unsigned long long)events[i].a);
			n++;
		}
	return n;
}

/* --- Nothing changed ---------------------------------------------------- */

struct kt_snapshot {
	uint64_t ram_pfn, ram_pages;
	struct kcore_page_view *pages;
	struct kcore_vm_view vms[KCORE_MAX_VMS + 1];
	struct kcore_smmu_view units[KCORE_SMMU_UNITS];
	struct kcore_cpu_view cpus[ARCH_MAX_CPUS];
	struct kcore_region_view region;
};

struct kt_snapshot *kt_snapshot_take(void)
{
	struct kt_snapshot *s = calloc(1, sizeof(*s));
	const struct kcore_boot *boot = kcore_view_boot();

	CHECK(s != NULL);
	s->ram_pfn = boot->ram_base_pfn;
	s->ram_pages = boot->ram_pages;
	s->pages = calloc(s->ram_pages, sizeof(*s->pages));
	CHECK(s->pages != NULL);
	for (uint64_t i = 0; i < s->ram_pages; i++)
		CHECK(kcore_view_page(s->ram_pfn + i, &s->pages[i]));
	for (unsigned vm = 1; vm <= KCORE_MAX_VMS; vm++)
		CHECK(kcore_view_vm(vm, &s->vms[vm]));
	for (unsigned u = 0; u < KCORE_SMMU_UNITS; u++)
		CHECK(kcore_view_smmu(u, &s->units[u]));
	for (unsigned c = 0; c < boot->ncpus; c++)
		CHECK(kcore_view_cpu(c, &s->cpus[c]));
	kcore_view_region(&s->region);
	return s;
}

static void check_same_page(uint64_t pfn, const struct kcore_page_view *a, const struct kcore_page_view *b)
{
	if (a->owner != b->owner || a->share != b->share || a->dma != b->dma || a->gfn != b->gfn)
		CHECK_FAIL_("page 0x%llx changed: owner %u->%u share %u->%u dma %u->%u",
			    (unsigned long long)pfn, a->owner, b->owner, a->share, b->share,
			    a->dma, b->dma);
}

static void check_same_vm(unsigned vm, const struct kcore_vm_view *a, const struct kcore_vm_view *b)
{
	bool same = a->state == b->state && a->vmid == b->vmid && a->npt_root == b->npt_root &&
		    a->boot_set == b->boot_set && a->boot_gfn == b->boot_gfn &&
		    a->boot_npages == b->boot_npages && a->pool_used == b->pool_used;

	for (unsigned v = 0; v < KCORE_MAX_VCPUS; v++)
		same = same && a->vcpu[v] == b->vcpu[v] && a->vcpu_cpu[v] == b->vcpu_cpu[v];
	for (unsigned i = 0; i < KCORE_MAX_IMAGE_PAGES; i++)
		same = same && a->image_pfn[i] == b->image_pfn[i];
	if (!same)
		CHECK_FAIL_("VM %u changed", vm);
}

void kt_snapshot_check(struct kt_snapshot *s)
{
	struct kt_snapshot *now = kt_snapshot_take();

	for (uint64_t i = 0; i < s->ram_pages; i++)
		check_same_page(s->ram_pfn + i, &s->pages[i], &now->pages[i]);
	for (unsigned vm = 1; vm <= KCORE_MAX_VMS; vm++)
		check_same_vm(vm, &s->vms[vm], &now->vms[vm]);
	for (unsigned u = 0; u < KCORE_SMMU_UNITS; u++) {
		const struct kcore_smmu_view *a = &s->units[u], *b = &now->units[u];
		if (a->allocated != b->allocated || a->owner != b->owner || a->root != b->root ||
		    a->pool_used != b->pool_used)
			CHECK_FAIL_("SMMU unit %u changed", u);
	}
	for (unsigned c = 0; c < ARCH_MAX_CPUS; c++)
		if (s->cpus[c].vm != now->cpus[c].vm || s->cpus[c].vcpu != now->cpus[c].vcpu)
			CHECK_FAIL_("CPU %u changed", c);
	if (s->region.kserv_pool_used != now->region.kserv_pool_used)
		CHECK_FAIL_("KServ's pool changed");
	free(now->pages);
	free(now);
	free(s->pages);
	free(s);
}
