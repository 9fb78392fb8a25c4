/* Events of the machine model: one per arch call KCore makes, plus the
 * machine's own (TLB fills, evictions, accesses by guests, KServ and DMA).
 * They are the oracles' input.  Field use per kind is listed beside it. */
#ifndef SIM_EVENT_H
#define SIM_EVENT_H

#include <stdint.h>

enum sim_event_kind {
	EV_PTE_WRITE = 1, /* a=table pa, b=index, c=old desc, d=new desc */
	EV_TLBI_IPA,      /* a=vmid, b=ipa */
	EV_TLBI_VMID,     /* a=vmid */
	EV_TLBI_ALL,      /* - */
	EV_DSB,           /* - */
	EV_ISB,           /* - */
	EV_SET_STAGE2,    /* a=vmid, b=root pa */
	EV_SMMU_ATTACH,   /* a=unit, b=root pa */
	EV_SMMU_DETACH,   /* a=unit */
	EV_SMMU_TLBI,     /* a=unit */
	EV_DC_CIVAC,      /* a=pa */
	EV_DC_CVAC,       /* a=pa */
	EV_PAGE_ZERO,     /* a=page pa */
	EV_PHYS_READ,     /* a=pa, b=len (KCore's own read) */
	EV_PHYS_WRITE,    /* a=pa, b=len (KCore's own write) */
	EV_LOCK_ACQUIRE,  /* a=lock id (after it is taken) */
	EV_LOCK_RELEASE,  /* a=lock id (before it is let go) */
	EV_SHARED_ACCESS, /* a=object id, b=1 for a write */
	EV_PANIC,         /* - (KCore invariant failure) */
	/* machine-side */
	EV_TLB_FILL,      /* a=vmid, b=ipa of the entry, c=pa of the entry, d=leaf descriptor */
	EV_CACHE_EVICT,   /* a=line pa, b=1 if it was dirty */
	EV_CPU_ACCESS,    /* a=vmid, b=ipa, c=pa (or ~0 on fault), d=SIM_ACC_* flags | fault << 8 */
	EV_DMA_ACCESS,    /* a=unit, b=iova, c=pa (or ~0 on fault), d=SIM_ACC_* flags | fault << 8 */
	EV__COUNT
};

struct sim_event {
	uint64_t seq;     /* position in the stream since the last restore */
	uint16_t kind;
	uint16_t cpu;
	uint32_t pad;
	uint64_t a, b, c, d;
};

const char *sim_event_name(unsigned kind);

#endif
