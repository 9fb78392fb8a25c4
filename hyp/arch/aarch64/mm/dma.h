/* The software DMA engine: the devices behind the SMMU.
 *
 * The board has no SMMU in use, so arch_smmu_attach() only records each
 * unit's table root, and a "device" access is done here at EL2 by walking
 * that table exactly as an SMMU would (and as the machine model does).
 * The EL1 host reaches it through platform hypercalls, which is how tests
 * mount DMA attacks.
 */
#ifndef ARCH_AARCH64_DMA_H
#define ARCH_AARCH64_DMA_H

#include <stdbool.h>
#include <stdint.h>

#include "traps/platform_call.h"

#define DMA_UNITS 8

/* A 64-bit DMA access by unit at iova (8-byte aligned).  Reads fill *val,
 * writes store it.  Returns DMA_OK or the fault; faults change nothing. */
enum dma_fault dma_access(unsigned unit, uint64_t iova, bool write, uint64_t *val);

/* The unit's recorded root, 0 when detached. */
uint64_t dma_unit_root(unsigned unit);

#endif
