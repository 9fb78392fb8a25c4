/* VMSAv8-64 stage-2 translation table descriptors, 4 KiB granule.
 *
 * Facts from the Arm ARM (D8, "The VMSAv8-64 translation table format"):
 * the stage-2 walk starts at level 1 with a 39-bit IPA space (VTCR_EL2.T0SZ
 * = 25, SL0 = 1), so a walk has three levels; each table is one 4 KiB page
 * of 512 8-byte descriptors.  Level 1 and 2 entries may be block entries
 * (1 GiB, 2 MiB); level 3 entries are page entries.
 *
 * The same bits are used by KCore (which writes tables) and by the machine
 * model (which walks them); each writes its own code on top of them.
 */
#ifndef HYP_S2DESC_H
#define HYP_S2DESC_H

#include <stdint.h>

#define S2_IPA_BITS 39
#define S2_START_LEVEL 1
#define S2_LAST_LEVEL 3
#define S2_ENTRIES 512u
#define S2_MAX_GFN ((1ull << (S2_IPA_BITS - 12)) - 1)

/* IPA bits indexing each level: level 1 [38:30], level 2 [29:21], level 3 [20:12]. */
static inline unsigned s2_level_shift(unsigned level) { return 12 + 9 * (3 - level); }
static inline unsigned s2_index(uint64_t ipa, unsigned level)
{
	return (unsigned)(ipa >> s2_level_shift(level)) & (S2_ENTRIES - 1);
}

#define S2_VALID (1ull << 0)
#define S2_TYPE_TABLE (1ull << 1) /* levels 1-2: table; level 3: page (must be set) */
#define S2_OA_MASK 0x0000fffffffff000ull /* output address [47:12] */

/* Lower attributes of block and page descriptors. */
#define S2_MEMATTR_SHIFT 2
#define S2_MEMATTR_MASK (0xfull << S2_MEMATTR_SHIFT)
#define S2_MEMATTR_DEVICE_nGnRE (0x1ull << S2_MEMATTR_SHIFT)
#define S2_MEMATTR_NORMAL_NC (0x5ull << S2_MEMATTR_SHIFT)
#define S2_MEMATTR_NORMAL_WB (0xfull << S2_MEMATTR_SHIFT)
#define S2_S2AP_SHIFT 6
#define S2_S2AP_R (1ull << 6)
#define S2_S2AP_W (1ull << 7)
#define S2_S2AP_RW (S2_S2AP_R | S2_S2AP_W)
#define S2_SH_INNER (3ull << 8)
#define S2_AF (1ull << 10)
#define S2_XN (1ull << 54)

/* Ready-made leaf attributes.  S2_PAGE_NORMAL_RW leaves XN clear: the page
 * may also be executed. */
#define S2_PAGE_NORMAL_RW (S2_VALID | S2_TYPE_TABLE | S2_MEMATTR_NORMAL_WB | S2_S2AP_RW | S2_SH_INNER | S2_AF)
#define S2_PAGE_NORMAL_RW_XN (S2_PAGE_NORMAL_RW | S2_XN)
#define S2_PAGE_DEVICE_RW (S2_VALID | S2_TYPE_TABLE | S2_MEMATTR_DEVICE_nGnRE | S2_S2AP_RW | S2_AF | S2_XN)

static inline int s2_is_valid(uint64_t d) { return (int)(d & S2_VALID); }
static inline int s2_is_table(uint64_t d, unsigned level)
{
	return level < S2_LAST_LEVEL && (d & (S2_VALID | S2_TYPE_TABLE)) == (S2_VALID | S2_TYPE_TABLE);
}
static inline uint64_t s2_oa(uint64_t d) { return d & S2_OA_MASK; }
/* Device memory when MemAttr[3:2] == 00. */
static inline int s2_is_device(uint64_t d) { return ((d >> S2_MEMATTR_SHIFT) & 0xc) == 0; }
/* Cacheable (write-back inner and outer) when MemAttr == 1111. */
static inline int s2_is_cacheable(uint64_t d) { return (d & S2_MEMATTR_MASK) == S2_MEMATTR_NORMAL_WB; }
/* Instruction fetches allowed: XN (bits [54:53] at stage 2) clear. */
static inline int s2_is_executable(uint64_t d) { return (d & S2_XN) == 0; }

#endif
