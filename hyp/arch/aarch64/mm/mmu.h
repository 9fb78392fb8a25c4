/* The hypervisor's own address space: an EL2 stage-1 identity map. */
#ifndef ARCH_AARCH64_MMU_H
#define ARCH_AARCH64_MMU_H

/* Boot CPU, MMU off: write the tables.  Every CPU: load them and turn the
 * MMU and caches on. */
void mmu_build_tables(void);
void mmu_enable(void);

#endif
