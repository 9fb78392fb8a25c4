/* Planted bugs: deliberate slips of the kind kernel developers make, each
 * compiled in only when the build is configured with -Dbug=NAME.  The bug
 * benchmark (reports/bugs) builds KCore once per bug and measures how fast
 * the fuzzers and oracles find each one; reports/bugs/BUGS.md lists them.
 *
 * A site in KCore reads
 *
 *     #if KCORE_BUG(SHARE_UNDERFLOW)
 *             ...the mistake...
 *     #endif
 *
 * (or #if !KCORE_BUG(...) around the code the mistake leaves out).  The
 * selected bug's macro KCORE_BUG_<NAME> comes from a header meson
 * generates into KCore's build directory; the default configuration
 * (bug=none) generates it empty, and a build that does not provide it at
 * all (the freestanding compile check) gets no bug either.
 */
#ifndef KCORE_BUGS_H
#define KCORE_BUGS_H

#if defined(__has_include)
#if __has_include("kcore_bug_config.h")
#include "kcore_bug_config.h"
#endif
#endif

/* An undefined macro is 0 in #if: every bug but the selected one is off. */
#define KCORE_BUG(name) (KCORE_BUG_##name + 0)

/* Every planted bug, in the order of BUGS.md.  The build option's choices
 * and the benchmark's programs (corpus/bugs/<name>.txt) use the same names
 * in lower case; tests/bugs checks that the lists agree. */
#if defined(KCORE_BUG_KSERV_UNMAP_NO_TLBI) || defined(KCORE_BUG_TLBI_BEFORE_DSB) ||        \
	defined(KCORE_BUG_NO_FINAL_DSB) || defined(KCORE_BUG_REMAP_WITHOUT_BBM) ||          \
	defined(KCORE_BUG_VMID_REUSE) || defined(KCORE_BUG_RECLAIM_NO_SCRUB) ||             \
	defined(KCORE_BUG_SCRUB_NO_CLEAN) || defined(KCORE_BUG_PAGE_TWO_GFNS) ||            \
	defined(KCORE_BUG_VM_PAGE_DMA_MAPPED) || defined(KCORE_BUG_SMMU_FOREIGN_PAGE) ||    \
	defined(KCORE_BUG_KCORE_RANGE_OFF_BY_ONE) || defined(KCORE_BUG_SHARE_UNDERFLOW) ||  \
	defined(KCORE_BUG_GRANT_UNOWNED_GFN) || defined(KCORE_BUG_IMAGE_TOCTOU) ||          \
	defined(KCORE_BUG_MAP_LOCK_GAP) || defined(KCORE_BUG_CLEAR_RUNNING_VM) ||           \
	defined(KCORE_BUG_IOREMAP_RAM) || defined(KCORE_BUG_KSERV_FAULT_UNLOCKED) ||        \
	defined(KCORE_BUG_SMMU_UNMAP_NO_TLBI)
#define KCORE_PLANTED_BUG 1
#else
#define KCORE_PLANTED_BUG 0
#endif

#endif
