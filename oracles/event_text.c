/* Event fields by name, per kind as sim/event.h lays them out. */
#include "event_text.h"

#include <inttypes.h>
#include <stdio.h>

#include "hyp/kcore_locks.h"
#include "lock_names.h"
#include "sim/machine.h"

#define PAGE_BITS 12
#define NO_PA UINT64_MAX

static int lock_text(char *buf, size_t cap, const char *name, uint64_t id)
{
	uint32_t lock = (uint32_t)id;

	if (KID_CLASS(lock) == KLOCK_VM_NPT)
		return snprintf(buf, cap, "%s lock=%s vm=%u", name, lock_class_name(lock), KID_INDEX(lock));
	return snprintf(buf, cap, "%s lock=%s", name, lock_class_name(lock));
}

static int object_text(char *buf, size_t cap, uint64_t id, uint64_t write)
{
	uint32_t obj = (uint32_t)id;
	const char *rw = write ? "write" : "read";

	switch (KID_CLASS(obj)) {
	case KOBJ_VM_INFO:
	case KOBJ_VM_NPT:
		return snprintf(buf, cap, "shared-access %s %s vm=%u", rw, lock_object_name(obj), KID_INDEX(obj));
	case KOBJ_SMMU:
		return snprintf(buf, cap, "shared-access %s smmu unit=%u", rw, KID_INDEX(obj));
	case KOBJ_S2PAGE:
		return snprintf(buf, cap, "shared-access %s s2page entry=%#x", rw, KID_INDEX(obj));
	default:
		return snprintf(buf, cap, "shared-access %s %s", rw, lock_object_name(obj));
	}
}

/* A guest's, KServ's or a device's access: where it went and what it met. */
static int access_text(char *buf, size_t cap, const struct sim_event *ev, const char *who, const char *addr)
{
	unsigned flags = (unsigned)(ev->d & 0xff), fault = (unsigned)(ev->d >> 8);
	char pa[48], why[40] = "";

	if (ev->c == NO_PA)
		snprintf(pa, sizeof(pa), "none");
	else
		snprintf(pa, sizeof(pa), "%#" PRIx64 " (pfn %#" PRIx64 ")", ev->c, ev->c >> PAGE_BITS);
	if (fault)
		snprintf(why, sizeof(why), " fault=%s", sim_fault_name((int)fault));
	return snprintf(buf, cap, "%s %s=%" PRIu64 " %s %s=%#" PRIx64 " pa=%s%s%s", sim_event_name(ev->kind), who,
			ev->a, flags & SIM_ACC_WRITE ? "write" : "read", addr, ev->b, pa,
			flags & SIM_ACC_NONCACHEABLE ? " non-cacheable" : "", why);
}

int event_text(char *buf, size_t cap, const struct sim_event *ev)
{
	const char *name = sim_event_name(ev->kind);

	switch (ev->kind) {
	case EV_PTE_WRITE:
		return snprintf(buf, cap, "%s table=%#" PRIx64 " index=%" PRIu64 " old=%#" PRIx64 " new=%#" PRIx64, name,
				ev->a, ev->b, ev->c, ev->d);
	case EV_TLBI_IPA:
		return snprintf(buf, cap, "%s vmid=%" PRIu64 " ipa=%#" PRIx64, name, ev->a, ev->b);
	case EV_TLBI_VMID:
		return snprintf(buf, cap, "%s vmid=%" PRIu64, name, ev->a);
	case EV_SET_STAGE2:
		return snprintf(buf, cap, "%s vmid=%" PRIu64 " root=%#" PRIx64, name, ev->a, ev->b);
	case EV_SMMU_ATTACH:
		return snprintf(buf, cap, "%s unit=%" PRIu64 " root=%#" PRIx64, name, ev->a, ev->b);
	case EV_SMMU_DETACH:
	case EV_SMMU_TLBI:
		return snprintf(buf, cap, "%s unit=%" PRIu64, name, ev->a);
	case EV_DC_CIVAC:
	case EV_DC_CVAC:
	case EV_CACHE_EVICT:
		return snprintf(buf, cap, "%s pa=%#" PRIx64 " pfn=%#" PRIx64 "%s", name, ev->a, ev->a >> PAGE_BITS,
				ev->kind == EV_CACHE_EVICT ? (ev->b ? " dirty" : " clean") : "");
	case EV_PAGE_ZERO:
		return snprintf(buf, cap, "%s pfn=%#" PRIx64, name, ev->a >> PAGE_BITS);
	case EV_PHYS_READ:
	case EV_PHYS_WRITE:
		return snprintf(buf, cap, "%s pa=%#" PRIx64 " len=%" PRIu64, name, ev->a, ev->b);
	case EV_LOCK_ACQUIRE:
	case EV_LOCK_RELEASE:
		return lock_text(buf, cap, name, ev->a);
	case EV_SHARED_ACCESS:
		return object_text(buf, cap, ev->a, ev->b);
	case EV_TLB_FILL:
		return snprintf(buf, cap, "%s vmid=%" PRIu64 " ipa=%#" PRIx64 " pfn=%#" PRIx64 " desc=%#" PRIx64, name,
				ev->a, ev->b, ev->c >> PAGE_BITS, ev->d);
	case EV_CPU_ACCESS:
		return access_text(buf, cap, ev, "vmid", "ipa");
	case EV_DMA_ACCESS:
		return access_text(buf, cap, ev, "unit", "iova");
	default:
		return snprintf(buf, cap, "%s", name);
	}
}
