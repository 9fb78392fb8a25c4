/* The plugin's coverage mode (coverage.c): which EL2 instructions of the
 * image ran, and which way each conditional branch went.
 *
 *   -plugin libisofuzz-insn-watch.so,mode=coverage,log=FILE,el2_lo=ADDR,el2_hi=ADDR
 *
 * The log is appended to, so several boots (one per batch of programs)
 * add up in one file:
 *
 *   block ADDR NINSNS          a translated block in [el2_lo, el2_hi) that ran
 *   branch ADDR TAKEN FALLTHROUGH   a conditional branch ending a block:
 *                                   how often each way was seen (counts)
 */
#ifndef QEMU_PLUGINS_COVERAGE_H
#define QEMU_PLUGINS_COVERAGE_H

#include "qemu-plugin.h"

/* Whether the arguments ask for the coverage mode. */
int coverage_mode_requested(int argc, char **argv);
int coverage_install(qemu_plugin_id_t id, const qemu_info_t *info, int argc, char **argv);

#endif
