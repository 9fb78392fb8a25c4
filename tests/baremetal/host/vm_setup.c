#include "vm_setup.h"

#include "lib/kstring.h"

#include "guest/guest_program.h"
#include "guest_image.h"
#include "host.h"

static bool find_image(const char *name, unsigned *img)
{
	for (unsigned i = 0; i < guest_image_count(); i++) {
		if (strcmp(guest_image_name(i), name) == 0) {
			*img = i;
			return true;
		}
	}
	return false;
}

/* Register the VM with vCPU 0, declare npages at gpa, fill fresh host
 * pages with the host's own stores (page idx from fill) and hand each to
 * KCore. */
static bool load_pages(struct loaded_vm *v, unsigned npages, uint64_t gpa,
		       void (*fill)(const void *src, unsigned idx, uint8_t *page), const void *src,
		       bool tamper)
{
	v->npages = npages;
	v->gpa = gpa;
	v->vm = kcore_call(HVC_REGISTER_VM, 0, 0, 0);
	HCHECK_RET(v->vm > 0, false);
	HCHECK_EQ_RET(kcore_call(HVC_REGISTER_VCPU, (uint64_t)v->vm, 0, 0), 0, false);
	HCHECK_EQ_RET(kcore_call(HVC_SET_BOOT_INFO, (uint64_t)v->vm, gpa, v->npages), 0, false);
	for (unsigned idx = 0; idx < v->npages; idx++) {
		uint64_t pa = host_alloc_page();
		uint8_t *bytes = (uint8_t *)(uintptr_t)pa;

		fill(src, idx, bytes);
		if (tamper && idx == 0)
			bytes[123] ^= 0x01;
		v->page[idx] = pa;
		HCHECK_EQ_RET(kcore_call(HVC_REMAP_VM_IMAGE, (uint64_t)v->vm, pa >> 12, idx), 0, false);
	}
	return true;
}

static void fill_builtin(const void *src, unsigned idx, uint8_t *page)
{
	guest_image_page(*(const unsigned *)src, idx, page);
}

static void fill_guest_program(const void *src, unsigned idx, uint8_t *page)
{
	(void)src;
	for (unsigned off = 0; off < PAGE_SIZE; off++) {
		unsigned at = idx * PAGE_SIZE + off;
		page[off] = at < guest_program_size ? guest_program[at] : 0;
	}
}

bool vm_load(struct loaded_vm *v, const char *image, uint64_t gpa, bool tamper)
{
	unsigned img;

	HCHECK_RET(find_image(image, &img), false);
	return load_pages(v, guest_image_npages(img), gpa, fill_builtin, &img, tamper);
}

bool vm_load_verified(struct loaded_vm *v, const char *image, uint64_t gpa)
{
	if (!vm_load(v, image, gpa, false))
		return false;
	HCHECK_EQ_RET(kcore_call(HVC_VERIFY_VM_IMAGE, (uint64_t)v->vm, 0, 0), 0, false);
	return true;
}

bool vm_load_guest(struct loaded_vm *v, uint64_t gpa)
{
	unsigned npages = (guest_program_size + PAGE_MASK) >> PAGE_SHIFT;

	return load_pages(v, npages, gpa, fill_guest_program, NULL, false);
}

bool vm_load_guest_verified(struct loaded_vm *v, uint64_t gpa)
{
	if (!vm_load_guest(v, gpa))
		return false;
	HCHECK_EQ_RET(kcore_call(HVC_VERIFY_VM_IMAGE, (uint64_t)v->vm, 0, 0), 0, false);
	return true;
}

static bool is_data_abort(uint64_t esr)
{
	return esr != 0 && esr_class(esr) == ESR_CLASS_DABT_CUR;
}

bool host_read_faults(uint64_t pa)
{
	uint64_t v;

	return is_data_abort(host_probe_read64(pa, &v)) &&
	       is_data_abort(host_probe_read64(HOST_NC_ALIAS + pa, &v));
}

bool host_write_faults(uint64_t pa)
{
	return is_data_abort(host_probe_write64(pa, 0x5a5a5a5a5a5a5a5aull));
}

uint64_t page_pattern(uint64_t seed, unsigned word)
{
	return seed * 0x9e3779b97f4a7c15ull + word + 1;
}

void page_fill(uint64_t pa, uint64_t seed)
{
	volatile uint64_t *w = (volatile uint64_t *)(uintptr_t)pa;

	for (unsigned i = 0; i < 512; i++)
		w[i] = page_pattern(seed, i);
}

uint64_t page_nonzero_words(uint64_t pa, uint64_t alias)
{
	uint64_t nonzero = 0;

	for (unsigned i = 0; i < 512; i++) {
		uint64_t v;
		if (host_probe_read64(alias + pa + 8ull * i, &v) != 0)
			return ~0ull;
		nonzero += v != 0;
	}
	return nonzero;
}
