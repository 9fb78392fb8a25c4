/* arch-panic: arch_panic must end the run with the panic status, from any
 * CPU state, so a KCore invariant failure can never pass for success.  The
 * test runner expects that status. */
#include "el2_tests.h"
#include "hyp/arch.h"

unsigned el2_test_panic(void)
{
	arch_panic("deliberate panic of the arch-panic test");
}
