/* Steps several host tests share: loading a VM image the way KServ does,
 * and looking at pages through both of the host's mappings. */
#ifndef BAREMETAL_VM_SETUP_H
#define BAREMETAL_VM_SETUP_H

#include <stdbool.h>
#include <stdint.h>

#include "hyp/kcore.h"

struct loaded_vm {
	int64_t vm;
	unsigned npages;
	uint64_t gpa;
	uint64_t page[KCORE_MAX_IMAGE_PAGES]; /* physical addresses */
};

/* Register a VM with vCPU 0, declare the image at gpa, write the named
 * built-in image into fresh host pages with the host's own stores (with
 * one byte flipped if tamper) and hand each page to KCore.  Reports and
 * returns false if a step fails. */
bool vm_load(struct loaded_vm *v, const char *image, uint64_t gpa, bool tamper);

/* A VM loaded and verified. */
bool vm_load_verified(struct loaded_vm *v, const char *image, uint64_t gpa);

/* The same with the guest program (guest_program.h) as the image: a VM
 * that really runs, starting at gpa. */
bool vm_load_guest(struct loaded_vm *v, uint64_t gpa);
bool vm_load_guest_verified(struct loaded_vm *v, uint64_t gpa);

/* The host's read of pa, cacheable and non-cacheable: true if both take
 * a data abort. */
bool host_read_faults(uint64_t pa);
/* The host's write of pa: true if it takes a data abort. */
bool host_write_faults(uint64_t pa);
/* Fill a page with a pattern derived from seed, through the cacheable
 * map: word i holds page_pattern(seed, i). */
void page_fill(uint64_t pa, uint64_t seed);
uint64_t page_pattern(uint64_t seed, unsigned word);
/* Count the nonzero 64-bit words of a page read through the alias at
 * offset (0: cacheable, HOST_NC_ALIAS: non-cacheable); ~0 if a read
 * faulted. */
uint64_t page_nonzero_words(uint64_t pa, uint64_t alias);

#endif
