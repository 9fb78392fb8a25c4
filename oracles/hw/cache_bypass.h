/* Cache bypass oracle: a page changing owner must not carry data across
 * through either path to memory.
 *
 * The machine's cache is write-back and non-cacheable accesses go straight
 * to memory, so a scrub must hold in both views, and the cache must not
 * keep dirty lines a later eviction would write over the new owner's data:
 *   reclaim (a VM or KCore -> KServ): every byte reads zero through the
 *     coherent view (else scrub-cached) and in memory (else scrub-uncached)
 *   hand-over (KServ -> a VM or KCore): no line of the page is dirty, i.e.
 *     it was cleaned to PoC (else dirty-line)
 *   any hand-over to a VM or KCore: no clean line holds bytes memory does
 *     not (else stale-line: a line cleaned but not invalidated over memory
 *     rewritten around the cache serves the new owner, and whatever
 *     hashes it, a value that changes when the line leaves)
 * Moves between VMs are checked like that too; dirty lines of an old
 * owner other than KServ are not (KCore's own writes are the newest).  A check reads the page's 64 lines once
 * (their cached copy, and memory) through the model's introspection; call
 * it between steps, after the operation that moved the page.
 */
#ifndef ORACLES_HW_CACHE_BYPASS_H
#define ORACLES_HW_CACHE_BYPASS_H

#include <stdbool.h>
#include <stdint.h>

#include "violation.h"

/* Owners are KCORE_OWNER_KSERV, KCORE_OWNER_KCORE or a VM handle.  Returns
 * true and fills *v (page = pfn, vm = the VM on the private side, expected
 * 0, actual the data or line offset found) on a violation; a pfn that is
 * not RAM has nothing to check. */
bool cache_oracle_check_transfer(uint64_t pfn, unsigned old_owner, unsigned new_owner,
				 struct violation *v);

/* The same, passing over the lines set in skip_lines (bit n: the line at
 * offset 64 * n): lines the new owner itself wrote since the transfer,
 * which the caller knows and this oracle does not. */
bool cache_oracle_check_transfer_skip(uint64_t pfn, unsigned old_owner, unsigned new_owner,
				      uint64_t skip_lines, struct violation *v);

#endif
