/* Booting a VM from an image KServ supplies: set_boot_info declares where
 * the image goes, remap_vm_image takes each page away from KServ, and
 * verify_vm_image hashes the pages against KCore's built-in manifest
 * before the VM may run. */
#include "base/bugs.h"
#include "base/kmem.h"
#include "base/layout.h"
#include "base/locks.h"
#include "base/ops.h"
#include "boot/manifest.h"
#include "boot/sha256.h"
#include "hyp/arch.h"
#include "hyp/kcore.h"
#include "hyp/s2desc.h"
#include "mm/npt.h"
#include "mm/s2page.h"
#include "vm/vm.h"

static int64_t set_boot_info(struct core_locked core, uint64_t vm, uint64_t gpa, uint64_t npages)
{
	if (!kcore_vm_valid(core, vm))
		return -KCORE_E_VM;

	int64_t err = hyp_boot_info_checks(kcore_vm_slot(core, (unsigned)vm, false), gpa, npages);
	if (err)
		return err;

	hyp_boot_info_set(kcore_vm_slot(core, (unsigned)vm, true), gpa, npages);
	return 0;
}

int64_t kcore_op_set_boot_info(uint64_t vm, uint64_t gpa, uint64_t npages)
{
	struct core_locked core = kcore_lock_core();
	int64_t ret = set_boot_info(core, vm, gpa, npages);

	kcore_unlock_core(core);
	return ret;
}

static int64_t remap_checks(struct core_locked core, uint64_t vm, uint64_t pfn, uint64_t idx)
{
	if (!kcore_vm_valid(core, vm))
		return -KCORE_E_VM;

	const struct hyp_vm_slot *s = kcore_vm_slot(core, (unsigned)vm, false);
	if (s->state != VM_READY)
		return -KCORE_E_VM_STATE;
	if (!s->boot_set || idx >= s->boot_npages || (s->image_filled & (1u << idx)))
		return -KCORE_E_BOOT_INFO;
	if (!kcore_is_ram_pfn(pfn))
		return -KCORE_E_PFN;
	return 0;
}

int64_t kcore_op_remap_vm_image(uint64_t vm, uint64_t pfn, uint64_t idx)
{
	struct core_locked core = kcore_lock_core();
	int64_t ret = remap_checks(core, vm, pfn, idx);

	if (ret) {
		kcore_unlock_core(core);
		return ret;
	}

	struct s2page_locked pages = kcore_lock_s2page();
	struct s2page page = kcore_s2page_get(pages, pfn);
	if (page.owner != KCORE_OWNER_KSERV)
		ret = -KCORE_E_OWNER;
	else if (page.dma)
		ret = -KCORE_E_DMA;
	if (!ret) {
		page.owner = KCORE_OWNER_KCORE;
		kcore_s2page_put(pages, pfn, page);

#if !KCORE_BUG(IMAGE_TOCTOU)
		/* (Planted bug: left out, KServ keeps its mapping.) */
		struct kserv_npt_locked kserv = kcore_lock_kserv_npt();
		kcore_kserv_unmap_page(kserv, pfn);
		kcore_unlock_kserv_npt(kserv);
#endif
		kcore_page_clean_to_poc(pfn);

		struct hyp_vm_slot *s = kcore_vm_slot(core, (unsigned)vm, true);
		s->image_pfn[idx] = pfn;
		s->image_filled |= 1u << idx;
	}
	kcore_unlock_s2page(pages);
	kcore_unlock_core(core);
	return ret;
}

/* SHA-256 of the image pages in index order, read through KCore's own
 * (cacheable) view of memory. */
static void hash_image(const struct hyp_vm_slot *s, uint8_t digest[SHA256_DIGEST_SIZE])
{
	struct sha256_ctx ctx;
	uint8_t chunk[256];

	sha256_init(&ctx);
	for (uint32_t idx = 0; idx < s->boot_npages; idx++) {
		paddr_t page = pa_from_pfn(s->image_pfn[idx]);

		for (uint64_t off = 0; off < PAGE_SIZE; off += sizeof(chunk)) {
			arch_phys_read(pa_add(page, off), chunk, sizeof(chunk));
			sha256_update(&ctx, chunk, sizeof(chunk));
		}
	}
	sha256_final(&ctx, digest);
}

/* The verified image becomes the VM's, page idx at boot_gfn + idx.  The
 * pages were cleaned to PoC and unmapped from KServ by remap_vm_image. */
static void hand_image_to_vm(struct core_locked core, unsigned vm)
{
	const struct hyp_vm_slot *s = kcore_vm_slot(core, vm, false);
	struct vm_npt_locked npt = kcore_lock_vm_npt(vm);
	struct s2page_locked pages = kcore_lock_s2page();

	for (uint32_t idx = 0; idx < s->boot_npages; idx++) {
		uint64_t pfn = s->image_pfn[idx], gfn = s->boot_gfn + idx;
		struct s2page page = kcore_s2page_get(pages, pfn);

		/* A READY VM has mapped nothing yet, so its pool has room for
		 * the at most 2 + 2 tables eight consecutive gfns need. */
		if (page.owner != KCORE_OWNER_KCORE || !kcore_pgt_can_map(kcore_vm_npt(npt), gfn))
			arch_panic("boot: image page not KCore's or no room to map it");
		page.owner = (uint8_t)vm;
		page.gfn = (uint32_t)gfn;
		kcore_s2page_put(pages, pfn, page);
		kcore_pgt_map(kcore_vm_npt(npt), gfn, pa_addr(pa_from_pfn(pfn)) | KCORE_S2_VM_IMAGE);
	}
	kcore_unlock_s2page(pages);
	kcore_unlock_vm_npt(npt);
}

static int64_t verify_vm_image(struct core_locked core, uint64_t vm)
{
	if (!kcore_vm_valid(core, vm))
		return -KCORE_E_VM;

	struct hyp_vm_slot *s = kcore_vm_slot(core, (unsigned)vm, false);
	if (s->state != VM_READY)
		return -KCORE_E_VM_STATE;
	if (!s->boot_set || s->image_filled != (1u << s->boot_npages) - 1)
		return -KCORE_E_BOOT_INFO;

	uint8_t digest[SHA256_DIGEST_SIZE];
	hash_image(s, digest);
	if (!kcore_manifest_match(s->boot_npages, digest)) {
		/* The pages stay KCore's until clear_vm scrubs them. */
		kcore_vm_slot(core, (unsigned)vm, true)->state = VM_POWERED_OFF;
		return -KCORE_E_VERIFY;
	}
	hand_image_to_vm(core, (unsigned)vm);
	kcore_vm_slot(core, (unsigned)vm, true)->state = VM_VERIFIED;
	return 0;
}

int64_t kcore_op_verify_vm_image(uint64_t vm)
{
	struct core_locked core = kcore_lock_core();
	int64_t ret = verify_vm_image(core, vm);

	kcore_unlock_core(core);
	return ret;
}
