/* The operation table KCore and the baseline both answer: one function per
 * operation of hyp/kcore.h, the switch from operation numbers to them, and
 * the entry points around it.  Each hypervisor declares its operations
 * with HYP_OPS_DECLARE(prefix), defines prefix_register_vm and the rest,
 * and hands the table HYP_OPS_TABLE(prefix) to the entry points. */
#ifndef HYP_OPS_H
#define HYP_OPS_H

#include <stdbool.h>
#include <stdint.h>

#include "hyp/kcore.h"
#include "hyp_guest.h"

struct hyp_ops {
	/* Host hypercalls. */
	int64_t (*register_vm)(void);
	int64_t (*register_vcpu)(uint64_t vm, uint64_t vcpu);
	int64_t (*set_boot_info)(uint64_t vm, uint64_t gpa, uint64_t npages);
	int64_t (*remap_vm_image)(uint64_t vm, uint64_t pfn, uint64_t idx);
	int64_t (*verify_vm_image)(uint64_t vm);
	int64_t (*vcpu_run)(uint64_t vm, uint64_t vcpu);
	int64_t (*map_vm_page)(uint64_t vm, uint64_t gfn, uint64_t pfn);
	int64_t (*clear_vm)(uint64_t vm);
	int64_t (*smmu_alloc)(uint64_t unit, uint64_t owner);
	int64_t (*smmu_map)(uint64_t unit, uint64_t iova, uint64_t pfn);
	int64_t (*smmu_unmap)(uint64_t unit, uint64_t iova);
	int64_t (*smmu_iova_to_phys)(uint64_t unit, uint64_t iova);
	int64_t (*smmu_free)(uint64_t unit);
	int64_t (*ioremap)(uint64_t vm, uint64_t gpa, uint64_t pa);
	/* Guest hypercalls. */
	int64_t (*grant)(uint64_t gfn);
	int64_t (*revoke)(uint64_t gfn);
	int64_t (*power_off)(void);
	int64_t (*guest_exit)(void);
	/* The host's stage-2 fault. */
	int64_t (*kserv_fault)(uint64_t pa);
};

/* Declarations and table of the operations named p##_register_vm and so
 * on: the list of operations is written here once, not in each
 * hypervisor. */
#define HYP_OPS_DECLARE(p) \
	int64_t p##_register_vm(void); \
	int64_t p##_register_vcpu(uint64_t vm, uint64_t vcpu); \
	int64_t p##_set_boot_info(uint64_t vm, uint64_t gpa, uint64_t npages); \
	int64_t p##_remap_vm_image(uint64_t vm, uint64_t pfn, uint64_t idx); \
	int64_t p##_verify_vm_image(uint64_t vm); \
	int64_t p##_vcpu_run(uint64_t vm, uint64_t vcpu); \
	int64_t p##_map_vm_page(uint64_t vm, uint64_t gfn, uint64_t pfn); \
	int64_t p##_clear_vm(uint64_t vm); \
	int64_t p##_smmu_alloc(uint64_t unit, uint64_t owner); \
	int64_t p##_smmu_map(uint64_t unit, uint64_t iova, uint64_t pfn); \
	int64_t p##_smmu_unmap(uint64_t unit, uint64_t iova); \
	int64_t p##_smmu_iova_to_phys(uint64_t unit, uint64_t iova); \
	int64_t p##_smmu_free(uint64_t unit); \
	int64_t p##_ioremap(uint64_t vm, uint64_t gpa, uint64_t pa); \
	int64_t p##_grant(uint64_t gfn); \
	int64_t p##_revoke(uint64_t gfn); \
	int64_t p##_power_off(void); \
	int64_t p##_guest_exit(void); \
	int64_t p##_kserv_fault(uint64_t pa)

#define HYP_OPS_TABLE(p) { \
	.register_vm = p##_register_vm, .register_vcpu = p##_register_vcpu, \
	.set_boot_info = p##_set_boot_info, .remap_vm_image = p##_remap_vm_image, \
	.verify_vm_image = p##_verify_vm_image, .vcpu_run = p##_vcpu_run, \
	.map_vm_page = p##_map_vm_page, .clear_vm = p##_clear_vm, \
	.smmu_alloc = p##_smmu_alloc, .smmu_map = p##_smmu_map, \
	.smmu_unmap = p##_smmu_unmap, .smmu_iova_to_phys = p##_smmu_iova_to_phys, \
	.smmu_free = p##_smmu_free, .ioremap = p##_ioremap, \
	.grant = p##_grant, .revoke = p##_revoke, .power_off = p##_power_off, \
	.guest_exit = p##_guest_exit, .kserv_fault = p##_kserv_fault }

/* A hypervisor as its entry points see it: its operations, its CPUs,
 * its set-up and what it checks when a call returns. */
struct hyp_entry {
	const struct hyp_ops *ops;
	struct hyp_percpu *percpu;
	const char *entered_too_early;     /* the panic for a call before init */
	void (*call_returning)(void);      /* after every operation */
	/* init's steps: the layout check and record, then every reset in
	 * order (a NULL-terminated list), the CPUs' last. */
	bool (*layout_fits)(const struct kcore_boot *boot);
	void (*layout_set)(const struct kcore_boot *boot);
	void (*const *resets)(void);
	bool initialised;                  /* init has succeeded once */
};

/* Set up from scratch.  A rejected layout leaves everything as it was. */
int64_t hyp_entry_init(struct hyp_entry *e, const struct kcore_boot *boot);
/* Per-CPU set-up, after init: puts the calling CPU in the host. */
void hyp_entry_init_cpu(const struct hyp_entry *e);
int64_t hyp_entry_host_call(const struct hyp_entry *e,
			    uint64_t op, uint64_t a0, uint64_t a1, uint64_t a2);
int64_t hyp_entry_guest_call(const struct hyp_entry *e, uint64_t op, uint64_t a0);
int64_t hyp_entry_kserv_fault(const struct hyp_entry *e, uint64_t pa);

/* Defines p##_init, p##_init_cpu, p##_host_call, p##_guest_call and
 * p##_kserv_fault, the entry points of hyp/kcore.h, over the entry e. */
#define HYP_ENTRY_POINTS(p, e) \
	int64_t p##_init(const struct kcore_boot *boot) \
	{ return hyp_entry_init(&(e), boot); } \
	void p##_init_cpu(void) \
	{ hyp_entry_init_cpu(&(e)); } \
	int64_t p##_host_call(uint64_t op, uint64_t a0, uint64_t a1, uint64_t a2) \
	{ return hyp_entry_host_call(&(e), op, a0, a1, a2); } \
	int64_t p##_guest_call(uint64_t op, uint64_t a0) \
	{ return hyp_entry_guest_call(&(e), op, a0); } \
	int64_t p##_kserv_fault(uint64_t pa) \
	{ return hyp_entry_kserv_fault(&(e), pa); }

#endif
