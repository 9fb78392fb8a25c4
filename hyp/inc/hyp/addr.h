/* Opaque address types.
 *
 * A physical address, an intermediate physical address (what a VM calls
 * physical) and a page number are all integers, and mixing them up is the
 * classic stage-2 bug.  Wrapping each in its own struct makes the compiler
 * refuse to pass a guest address where a physical one is expected.
 */
#ifndef HYP_ADDR_H
#define HYP_ADDR_H

#include <stdbool.h>
#include <stdint.h>

#define PAGE_SHIFT 12
#define PAGE_SIZE (1ull << PAGE_SHIFT)
#define PAGE_MASK (PAGE_SIZE - 1)
#define CACHE_LINE_SIZE 64u

typedef struct { uint64_t pa; } paddr_t;   /* physical address */
typedef struct { uint64_t ipa; } ipaddr_t; /* intermediate physical address */

static inline paddr_t pa_init(uint64_t pa) { return (paddr_t){ pa }; }
static inline uint64_t pa_addr(paddr_t pa) { return pa.pa; }
static inline paddr_t pa_add(paddr_t pa, uint64_t off) { return (paddr_t){ pa.pa + off }; }
static inline paddr_t pa_from_pfn(uint64_t pfn) { return (paddr_t){ pfn << PAGE_SHIFT }; }
static inline uint64_t pa_pfn(paddr_t pa) { return pa.pa >> PAGE_SHIFT; }
static inline bool pa_eq(paddr_t a, paddr_t b) { return a.pa == b.pa; }

static inline ipaddr_t ipa_init(uint64_t ipa) { return (ipaddr_t){ ipa }; }
static inline uint64_t ipa_addr(ipaddr_t ipa) { return ipa.ipa; }
static inline ipaddr_t ipa_from_gfn(uint64_t gfn) { return (ipaddr_t){ gfn << PAGE_SHIFT }; }
static inline uint64_t ipa_gfn(ipaddr_t ipa) { return ipa.ipa >> PAGE_SHIFT; }

#endif
