/* A program's steps as a KVM VMM carries them out.  The VMM keeps the
 * program protocol's VM lifecycle as its own policy (a VM runs once its
 * image is in place, is torn down once powered off), refusing with -1;
 * everything else is KVM's answer (-errno) or what the memory holds. */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "guest_abi.h"
#include "vmm.h"

#define NO_PAGE ((uint8_t *)0)

static uint8_t *host_page(struct vmm *m, uint64_t pfn)
{
	if (pfn < m->base_pfn || pfn - m->base_pfn >= m->npages)
		return NO_PAGE;
	return m->pool + (pfn - m->base_pfn) * VMM_PAGE;
}

static struct vm *vm_get(struct vmm *m, uint64_t h)
{
	return h >= 1 && h <= VMM_MAX_VMS && m->vm[h].state != VM_UNUSED ? &m->vm[h] : NULL;
}

static void vm_destroy(struct vm *v)
{
	for (unsigned i = 0; i < VMM_MAX_VCPUS; i++)
		kvm_vcpu_destroy(&v->vcpu[i]);
	if (v->fd >= 0)
		close(v->fd);
	*v = (struct vm){ .state = VM_UNUSED, .fd = -1 };
	for (unsigned i = 0; i < VMM_MAX_VCPUS; i++) {
		v->vcpu[i].fd = -1;
		v->vcpu_cpu[i] = -1;
	}
}

void vmm_reset(struct vmm *m)
{
	for (unsigned h = 0; h <= VMM_MAX_VMS; h++)
		vm_destroy(&m->vm[h]);
	for (unsigned c = 0; c < VMM_MAX_CPUS; c++)
		m->cpu[c].vm = 0;
	madvise(m->pool, m->npages * VMM_PAGE, MADV_DONTNEED); /* zero-filled again */
}

static int64_t register_vm(struct vmm *m)
{
	for (unsigned h = 1; h <= VMM_MAX_VMS; h++) {
		if (m->vm[h].state != VM_UNUSED)
			continue;
		int fd = kvm_vm_create();
		if (fd < 0)
			return -errno;
		m->vm[h].fd = fd;
		m->vm[h].state = VM_READY;
		m->vm[h].next_slot = 1; /* slot 0 is the guest's code */
		return h;
	}
	return -1;
}

static int64_t register_vcpu(struct vmm *m, uint64_t h, uint64_t id)
{
	struct vm *v = vm_get(m, h);
	if (!v || v->state != VM_READY || id >= VMM_MAX_VCPUS || v->vcpu[id].fd >= 0)
		return -1;
	return kvm_vcpu_create(v->fd, (unsigned)id, &v->vcpu[id]);
}

static int64_t set_boot_info(struct vmm *m, uint64_t h, uint64_t gpa, uint64_t npages)
{
	struct vm *v = vm_get(m, h);
	if (!v || v->state != VM_READY || v->boot_set || (gpa & (VMM_PAGE - 1)) || npages == 0 ||
	    npages > VMM_MAX_IMAGE)
		return -1;
	v->boot_set = true;
	v->boot_gfn = gpa / VMM_PAGE;
	v->boot_npages = (unsigned)npages;
	return 0;
}

static int64_t remap_vm_image(struct vmm *m, uint64_t h, uint64_t pfn, uint64_t idx)
{
	struct vm *v = vm_get(m, h);
	if (!v || v->state != VM_READY || !v->boot_set || idx >= v->boot_npages ||
	    (v->image_filled & (1u << idx)) || host_page(m, pfn) == NO_PAGE)
		return -1;
	v->image_pfn[idx] = pfn;
	v->image_filled |= 1u << idx;
	return 0;
}

static int64_t map_slot(struct vmm *m, struct vm *v, uint64_t gfn, uint64_t pfn)
{
	uint8_t *page = host_page(m, pfn);
	if (!page)
		return -1;
	if (gfn >= (UINT64_MAX >> 12))
		return -EINVAL;
	int err = kvm_vm_slot(v->fd, v->next_slot, gfn * VMM_PAGE, VMM_PAGE, page);
	if (err == 0)
		v->next_slot++;
	return err;
}

/* No image check in KVM: the pages the host named are put in place. */
static int64_t verify_vm_image(struct vmm *m, uint64_t h)
{
	struct vm *v = vm_get(m, h);
	if (!v || v->state != VM_READY || !v->boot_set || v->image_filled != (1u << v->boot_npages) - 1)
		return -1;
	for (unsigned i = 0; i < v->boot_npages; i++) {
		int64_t err = map_slot(m, v, v->boot_gfn + i, v->image_pfn[i]);
		if (err)
			return err;
	}
	v->state = VM_RUNNABLE;
	return 0;
}

static int64_t vcpu_run(struct vmm *m, unsigned cpu, uint64_t h, uint64_t id)
{
	struct vm *v = vm_get(m, h);
	if (!v || v->state != VM_RUNNABLE || id >= VMM_MAX_VCPUS || v->vcpu[id].fd < 0 ||
	    v->vcpu_cpu[id] >= 0 || m->cpu[cpu].vm)
		return -1;
	if (kvm_vcpu_park(&v->vcpu[id]) != 0)
		return -EIO;
	v->vcpu_cpu[id] = (int)cpu;
	m->cpu[cpu].vm = (unsigned)h;
	m->cpu[cpu].vcpu = (unsigned)id;
	return 0;
}

static int64_t clear_vm(struct vmm *m, uint64_t h)
{
	struct vm *v = vm_get(m, h);
	if (!v || v->state != VM_OFF)
		return -1;
	for (unsigned i = 0; i < VMM_MAX_VCPUS; i++)
		if (v->vcpu_cpu[i] >= 0)
			return -1;
	vm_destroy(v);
	return 0;
}

static void leave_guest(struct vmm *m, unsigned cpu)
{
	struct vm *v = &m->vm[m->cpu[cpu].vm];

	v->vcpu_cpu[m->cpu[cpu].vcpu] = -1;
	m->cpu[cpu].vm = 0;
}

static void guest_step(struct vmm *m, unsigned cpu, const char *kind, const uint64_t *a, struct obs *o)
{
	struct vm *v = &m->vm[m->cpu[cpu].vm];
	struct vcpu *vc = &v->vcpu[m->cpu[cpu].vcpu];
	struct guest_result r;

	if (strcmp(kind, "guest_exit") == 0) {
		leave_guest(m, cpu);
		return;
	}
	/* KVM stops every vCPU of a VM at PSCI SYSTEM_OFF: KVM_RUN would
	 * wait for ever. */
	if (v->state == VM_OFF) {
		o->status = OBS_STOPPED;
		return;
	}
	if (strcmp(kind, "guest_power_off") == 0) {
		kvm_guest_command(vc, GUEST_OP_POWER_OFF, 0, 0, &r);
		if (!r.system_off)
			o->status = OBS_BROKEN;
		v->state = VM_OFF;
		leave_guest(m, cpu);
		return;
	}
	uint64_t ipa = a[0] * VMM_PAGE + (a[1] & 0xff8);
	bool write = strcmp(kind, "guest_write") == 0;
	kvm_guest_command(vc, write ? GUEST_OP_WRITE : GUEST_OP_READ, ipa, a[2], &r);
	if (r.error || r.system_off)
		o->status = OBS_BROKEN;
	o->fault = r.fault;
	o->val = r.fault || write ? 0 : r.value;
}

static void host_access(struct vmm *m, const char *kind, const uint64_t *a, const uint8_t *page, struct obs *o)
{
	if (strcmp(kind, "kserv_load") == 0) {
		uint8_t *dst = host_page(m, a[2]);
		if (dst && page)
			memcpy(dst, page, VMM_PAGE);
		o->ret = dst ? 0 : -1;
		return;
	}
	uint8_t *p = host_page(m, a[0] / VMM_PAGE);
	if (!p) {
		o->fault = true;
		return;
	}
	p += a[0] & 0xff8;
	if (strcmp(kind, "kserv_write") == 0)
		memcpy(p, &a[1], 8);
	else
		memcpy(&o->val, p, 8);
}

void vmm_step(struct vmm *m, unsigned cpu, const char *kind, const uint64_t *a, const uint8_t *page,
	      struct obs *o)
{
	*o = (struct obs){ .status = OBS_DONE };
	if (cpu >= VMM_MAX_CPUS) {
		o->status = OBS_BROKEN;
		return;
	}
	bool in_guest = m->cpu[cpu].vm != 0;
	if (strncmp(kind, "guest_", 6) == 0) {
		if (!in_guest)
			o->status = OBS_NOT_GUEST;
		else
			guest_step(m, cpu, kind, a, o);
		return;
	}
	if (in_guest) {
		o->status = OBS_NOT_HOST;
		return;
	}
	if (strncmp(kind, "kserv_", 6) == 0)
		host_access(m, kind, a, page, o);
	else if (strcmp(kind, "register_vm") == 0)
		o->ret = register_vm(m);
	else if (strcmp(kind, "register_vcpu") == 0)
		o->ret = register_vcpu(m, a[0], a[1]);
	else if (strcmp(kind, "set_boot_info") == 0)
		o->ret = set_boot_info(m, a[0], a[1], a[2]);
	else if (strcmp(kind, "remap_vm_image") == 0)
		o->ret = remap_vm_image(m, a[0], a[1], a[2]);
	else if (strcmp(kind, "verify_vm_image") == 0)
		o->ret = verify_vm_image(m, a[0]);
	else if (strcmp(kind, "vcpu_run") == 0)
		o->ret = vcpu_run(m, cpu, a[0], a[1]);
	else if (strcmp(kind, "map_vm_page") == 0)
		o->ret = vm_get(m, a[0]) && m->vm[a[0]].state != VM_OFF ? map_slot(m, &m->vm[a[0]], a[1], a[2]) : -1;
	else if (strcmp(kind, "clear_vm") == 0)
		o->ret = clear_vm(m, a[0]);
	else
		o->status = OBS_BROKEN;
}
