/* Test functions run at EL2 (el2_tests.c lists them). */
#ifndef EL2_TESTS_H
#define EL2_TESTS_H

unsigned el2_test_locks(void);
void el2_test_locks_secondary(unsigned cpu);
unsigned el2_test_tables(void);
unsigned el2_test_dma(void);
unsigned el2_test_panic(void);
unsigned el2_test_sha256(void);

#endif
