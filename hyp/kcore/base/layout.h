/* The machine layout KCore was booted with: written once by kcore_init,
 * read-only afterwards, so it needs no lock. */
#ifndef KCORE_LAYOUT_H
#define KCORE_LAYOUT_H

#include <stdbool.h>
#include <stdint.h>

#include "hyp/kcore.h"
#include "hyp/s2desc.h"

/* Highest page frame RAM or MMIO may use: KServ's stage-2 maps physical
 * pages at the same address, so they must fit the 39-bit IPA space. */
#define KCORE_MAX_PFN S2_MAX_GFN

/* The capacities of the layout KCore was booted with, each at its value
 * (a 0 in the boot description is already replaced by the maximum). */
const struct kcore_caps *kcore_caps(void);

/* Check a layout (see kcore_init); true if KCore can run on it. */
bool kcore_layout_fits(const struct kcore_boot *boot);
void kcore_layout_set(const struct kcore_boot *boot);
const struct kcore_boot *kcore_layout(void);

bool kcore_is_ram_pfn(uint64_t pfn);
bool kcore_is_mmio_pfn(uint64_t pfn);
/* Position of a RAM pfn in RAM (pfn must be RAM). */
uint64_t kcore_ram_index(uint64_t pfn);

#endif
