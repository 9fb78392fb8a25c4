/* Test cases of the EL1 host (host_tests.c lists them). */
#ifndef BAREMETAL_HOST_TESTS_H
#define BAREMETAL_HOST_TESTS_H

void test_boot_smp(void);
void test_vm_lifecycle(void);
void test_kserv_read_vm_page_faults(void);
void test_dma_attack_fails(void);
void test_reclaim_zeros(void);
void test_trap_surface(void);
void test_smp_kserv(void);
void test_check_fails(void);
void test_host_crash(void);
void test_guest_lifecycle(void);
void test_guest_write_kserv_faults(void);
void test_guest_reclaim_zeros(void);
void test_guest_grant_revoke(void);
void test_replay(void);

#endif
