/* KServ's accesses and the faults every kind of access reports, put in
 * the model's terms (enum replay_fault mirrors enum sim_fault).
 *
 * KServ's stage-1 maps the whole 39-bit IPA space (host_mmu.c), so a KServ
 * access that faults at stage 1 is one the 39-bit space cannot express:
 * the model's address fault.  A stage-2 fault KCore refuses reaches the
 * host as an external abort; PLAT_LAST_FAULT says which fault the stage-2
 * took.  An external abort with no refused stage-2 fault behind it came
 * from the device or bus itself.
 */
#include "replay.h"

#include "guest_image.h"
#include "host.h"
#include "hyp/addr.h"

#define EC_DABT_LOW 0x24
#define EC_DABT_CUR 0x25
#define FSC_EXTERNAL 0x10
#define VA_BITS 39

/* A fault status code (ESR ISS[5:0]) of a stage-2 or stage-1 abort. */
static unsigned from_fsc(uint64_t fsc)
{
	switch (fsc >> 2) {
	case 0: return REPLAY_FAULT_ADDRESS;     /* address size fault */
	case 1:
		/* Translation fault; both stage 2 and the host's stage 1 start
		 * at level 1, so level 0 means an input past their range. */
		return (fsc & 3) == 0 ? REPLAY_FAULT_ADDRESS : REPLAY_FAULT_TRANSLATION;
	case 2: return REPLAY_FAULT_ACCESS_FLAG;
	case 3: return REPLAY_FAULT_PERMISSION;
	default:
		return fsc == FSC_EXTERNAL || (fsc >= 0x14 && fsc <= 0x17) ? REPLAY_FAULT_EXTERNAL
									  : REPLAY_FAULT_OTHER;
	}
}

unsigned replay_guest_fault(uint64_t esr)
{
	if (esr == 0)
		return REPLAY_FAULT_NONE;
	unsigned ec = esr_class(esr);
	if (ec != EC_DABT_LOW && ec != EC_DABT_CUR)
		return REPLAY_FAULT_OTHER;
	/* With its MMU off, the guest's stage 1 only refuses what no physical
	 * address can be: the model's address fault too. */
	if (ec == EC_DABT_CUR && (esr & 0x3f) >> 2 == 1)
		return REPLAY_FAULT_ADDRESS;
	return from_fsc(esr & 0x3f);
}

unsigned replay_dma_fault(int64_t ret)
{
	switch (-ret) {
	case DMA_OK: return REPLAY_FAULT_NONE;
	/* The model has no unit past its last, and a detached unit and an
	 * iova past 39 bits both fault on the address. */
	case DMA_FAULT_UNIT:
	case DMA_FAULT_DETACHED:
	case DMA_FAULT_ADDRESS: return REPLAY_FAULT_ADDRESS;
	case DMA_FAULT_TRANSLATION: return REPLAY_FAULT_TRANSLATION;
	case DMA_FAULT_ACCESS_FLAG: return REPLAY_FAULT_ACCESS_FLAG;
	case DMA_FAULT_PERMISSION: return REPLAY_FAULT_PERMISSION;
	case DMA_FAULT_EXTERNAL: return REPLAY_FAULT_EXTERNAL;
	default: return REPLAY_FAULT_OTHER;
	}
}

static unsigned kserv_fault_of(uint64_t esr)
{
	if (esr == 0)
		return REPLAY_FAULT_NONE;
	if (esr_class(esr) != EC_DABT_CUR)
		return REPLAY_FAULT_OTHER;
	if ((esr & 0x3f) == FSC_EXTERNAL) {
		struct hvc_ret r = host_hvc(PLAT_LAST_FAULT, 0, 0, 0);
		return r.x0 == 0 ? from_fsc(r.x1 & 0x3f) : REPLAY_FAULT_EXTERNAL;
	}
	/* A fault in the host's own stage 1: past the 39-bit space. */
	return REPLAY_FAULT_ADDRESS;
}

/* The address KServ's access at pa uses: its own, or the non-cacheable
 * alias; past 39 bits, the first address no table of the host's maps. */
static uint64_t kserv_va(uint64_t pa, bool nc)
{
	pa &= ~7ull;
	if (pa >> VA_BITS)
		return 1ull << VA_BITS;
	return nc ? HOST_NC_ALIAS + pa : pa;
}

static unsigned kserv_read(uint64_t pa, bool nc, uint64_t *val)
{
	host_hvc(PLAT_LAST_FAULT, 0, 0, 0); /* forget an older refusal */
	uint64_t esr = host_probe_read64(kserv_va(pa, nc), val);
	if (esr != 0)
		*val = 0;
	return kserv_fault_of(esr);
}

static unsigned kserv_write(uint64_t pa, bool nc, uint64_t val)
{
	host_hvc(PLAT_LAST_FAULT, 0, 0, 0);
	return kserv_fault_of(host_probe_write64(kserv_va(pa, nc), val));
}

/* Page idx of image img into pfn, 8 bytes at a time with cacheable
 * writes, up to the first fault (harness/exec/exec_step.c). */
static unsigned kserv_load(uint64_t img, uint64_t idx, uint64_t pfn)
{
	static uint8_t page[PAGE_SIZE];

	guest_image_page((unsigned)(img > 0xffff ? 0xffff : img), (unsigned)(idx > 0xffff ? 0xffff : idx),
			 page);
	for (unsigned off = 0; off < PAGE_SIZE; off += 8) {
		uint64_t v = 0;
		for (unsigned b = 0; b < 8; b++)
			v |= (uint64_t)page[off + b] << (8 * b);
		unsigned f = kserv_write((pfn << PAGE_SHIFT) + off, false, v);
		if (f != REPLAY_FAULT_NONE)
			return f;
	}
	return REPLAY_FAULT_NONE;
}

void replay_kserv_step(const struct replay_step *s, struct replay_obs *o)
{
	switch (s->kind) {
	case STEP_KSERV_READ:
		o->fault = kserv_read(s->arg[0], s->arg[1], &o->val);
		break;
	case STEP_KSERV_WRITE:
		o->fault = kserv_write(s->arg[0], s->arg[2], s->arg[1]);
		break;
	case STEP_KSERV_FAULT:
		o->ret = host_hvc(PLAT_KSERV_FAULT, s->arg[0], 0, 0).x0;
		break;
	case STEP_KSERV_LOAD:
		o->fault = kserv_load(s->arg[0], s->arg[1], s->arg[2]);
		break;
	default:
		break;
	}
}
