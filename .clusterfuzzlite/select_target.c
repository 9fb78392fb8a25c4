/* Fixes which hypervisor one fuzz binary attacks.  OSS-Fuzz and
 * ClusterFuzzLite run each binary without our environment, so the choice
 * is made at build time (-DISOFUZZ_SELECT_TARGET="kcore") and set before
 * LLVMFuzzerInitialize reads it; an ISOFUZZ_TARGET already set wins. */
#include <stdlib.h>

#ifndef ISOFUZZ_SELECT_TARGET
#error "build with -DISOFUZZ_SELECT_TARGET=\"kcore\" or \"vanilla\""
#endif

__attribute__((constructor)) static void select_target(void)
{
	setenv("ISOFUZZ_TARGET", ISOFUZZ_SELECT_TARGET, 0);
}
