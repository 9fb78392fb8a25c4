/* The host's test table: the first word of the command line picks one. */
#include "host.h"
#include "host_tests.h"

const struct host_test host_tests[] = {
	{ "boot-smp", test_boot_smp },
	{ "vm-lifecycle", test_vm_lifecycle },
	{ "kserv-read-vm-page-faults", test_kserv_read_vm_page_faults },
	{ "dma-attack-fails", test_dma_attack_fails },
	{ "reclaim-zeros", test_reclaim_zeros },
	{ "trap-surface", test_trap_surface },
	{ "smp-kserv", test_smp_kserv },
	{ "check-fails", test_check_fails },
	{ "host-crash", test_host_crash },
	{ "guest-lifecycle", test_guest_lifecycle },
	{ "guest-write-kserv-faults", test_guest_write_kserv_faults },
	{ "guest-reclaim-zeros", test_guest_reclaim_zeros },
	{ "guest-grant-revoke", test_guest_grant_revoke },
	{ "replay", test_replay },
};

const unsigned host_test_count = sizeof(host_tests) / sizeof(host_tests[0]);
