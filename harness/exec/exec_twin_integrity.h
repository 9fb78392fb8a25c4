/* Integrity, the other direction of noninterference: run a program again
 * with only what KServ and its devices write to pages KServ may not write
 * (neither its own nor granted to it at that moment) changed, and require
 * that what the VMs observe is exactly the same: their reads and
 * instruction fetches, the reads of their own devices, and KCore's
 * verification results.  KServ's writes to its own pages legitimately
 * reach a VM (a page offered to map_vm_page, an image before remap), so
 * they stay as they are. */
#ifndef HARNESS_EXEC_TWIN_INTEGRITY_H
#define HARNESS_EXEC_TWIN_INTEGRITY_H

#include "exec/exec_twin.h"

/* Only a first run a with a write to change and a VM observation to
 * compare can differ. */
bool exec_integrity_worth_running(const struct program *p, const struct exec_result *a);
/* Runs the twin; on a difference sets a->violated and a->v (V_INTEGRITY). */
void exec_integrity_check(const struct program *p, struct exec_result *a, exec_run_fn run);
/* Integrity twin runs made and the steps they ran, since the process
 * started. */
void exec_integrity_counts(struct exec_twin_counts *out);

#endif
