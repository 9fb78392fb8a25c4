/* The stage-2 attribute contract, abstractly. */
#include "model/state/ref_attr.h"

#include <stdbool.h>

#include "hyp/kcore.h"
#include "hyp/s2desc.h"

unsigned ref_desc_perm_any(uint64_t desc)
{
	unsigned perm = 0;

	if (desc & S2_S2AP_R)
		perm |= REF_PERM_R;
	if (desc & S2_S2AP_W)
		perm |= REF_PERM_W;
	if (s2_is_executable(desc))
		perm |= REF_PERM_X;
	return perm;
}

unsigned ref_desc_perm(uint64_t desc)
{
	return (desc & S2_AF) ? ref_desc_perm_any(desc) : 0;
}

unsigned ref_desc_mem(uint64_t desc)
{
	if (s2_is_device(desc))
		return REF_MEM_DEVICE;
	return s2_is_cacheable(desc) ? REF_MEM_NORMAL : REF_MEM_OTHER;
}

static struct ref_attr attr(uint64_t desc)
{
	return (struct ref_attr){ .perm = (uint8_t)ref_desc_perm(desc), .mem = (uint8_t)ref_desc_mem(desc) };
}

struct ref_attr ref_attr_of(enum ref_map_kind k)
{
	switch (k) {
	case REF_MAP_KSERV_RAM: return attr(KCORE_S2_KSERV_RAM);
	case REF_MAP_KSERV_SHARED: return attr(KCORE_S2_KSERV_SHARED);
	case REF_MAP_KSERV_MMIO: return attr(KCORE_S2_KSERV_MMIO);
	case REF_MAP_VM_RAM: return attr(KCORE_S2_VM_RAM);
	case REF_MAP_VM_IMAGE: return attr(KCORE_S2_VM_IMAGE);
	case REF_MAP_VM_MMIO: return attr(KCORE_S2_VM_MMIO);
	default: return attr(KCORE_S2_SMMU);
	}
}

unsigned ref_mem_of(const struct ref_state *s, uint64_t pfn)
{
	return ref_is_mmio(s, pfn) ? REF_MEM_DEVICE : REF_MEM_NORMAL;
}

bool ref_kserv_kind(const struct ref_state *s, uint64_t pfn, enum ref_map_kind *k)
{
	const struct ref_page *p = ref_page_get(s, pfn);

	if (p == NULL) {
		*k = REF_MAP_KSERV_MMIO;
		return ref_is_mmio(s, pfn);
	}
	if (p->owner == KCORE_OWNER_KSERV && !ref_in_kcore_region(s, pfn)) {
		*k = REF_MAP_KSERV_RAM;
		return true;
	}
	*k = REF_MAP_KSERV_SHARED;
	return p->owner >= 1 && p->owner <= KCORE_MAX_VMS && p->share > 0;
}

const char *ref_mem_name(unsigned mem)
{
	return mem == REF_MEM_NORMAL ? "normal" : mem == REF_MEM_DEVICE ? "device" : "other";
}

const char *ref_perm_text(unsigned perm, char buf[4])
{
	buf[0] = perm & REF_PERM_R ? 'r' : '-';
	buf[1] = perm & REF_PERM_W ? 'w' : '-';
	buf[2] = perm & REF_PERM_X ? 'x' : '-';
	buf[3] = 0;
	return buf;
}
