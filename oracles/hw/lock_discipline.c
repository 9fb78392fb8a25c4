#include "hw/lock_discipline.h"

#include <string.h>

#include "hyp/kcore_locks.h"

/* Per-VM locks and objects carry the VM handle as their index. */
static int lock_vm(uint32_t lock_id)
{
	return KID_CLASS(lock_id) == KLOCK_VM_NPT ? (int)KID_INDEX(lock_id) : 0;
}

static int object_vm(uint32_t obj_id)
{
	uint32_t cls = KID_CLASS(obj_id);

	return cls == KOBJ_VM_INFO || cls == KOBJ_VM_NPT ? (int)KID_INDEX(obj_id) : 0;
}

void lock_oracle_reset(struct lock_oracle *o)
{
	memset(o, 0, sizeof(*o));
}

/* The last place lock_id is held: locks go mostly in the reverse order
 * they came, and removing any one of equal entries leaves the same set. */
static int find_held(const struct lock_oracle *o, unsigned cpu, uint32_t lock_id)
{
	for (unsigned i = o->nheld[cpu]; i-- > 0;)
		if (o->held[cpu][i] == lock_id)
			return (int)i;
	return -1;
}

static void report(struct violation *v, enum violation_kind kind, unsigned cpu, int vm,
		   uint64_t expected, uint64_t actual)
{
	violation_init(v, kind);
	v->cpu = (int)cpu;
	v->vm = vm;
	v->expected = expected;
	v->actual = actual;
}

/* The reports, out of line (NOINLINE): a clean event, nearly every one,
 * then runs a short function that saves no registers. */
#define NOINLINE __attribute__((noinline))

/* The held lock of highest class among the first n is the one the order
 * is broken against. */
static NOINLINE bool report_order(const struct lock_oracle *o, unsigned cpu, uint32_t id, unsigned n,
				  struct violation *v)
{
	int worst = -1;

	for (unsigned i = 0; i < n; i++)
		if (KID_CLASS(o->held[cpu][i]) >= KID_CLASS(id) &&
		    (worst < 0 || KID_CLASS(o->held[cpu][i]) > KID_CLASS(o->held[cpu][worst])))
			worst = (int)i;
	if (worst < 0)
		return false;
	uint32_t h = o->held[cpu][worst];
	report(v, V_LOCK_ORDER, cpu, lock_vm(id), h, id);
	violation_detail(v, "cpu %u takes %s lock 0x%x (class %u) while holding %s lock 0x%x (class %u)",
			 cpu, lock_class_name(id), id, KID_CLASS(id), lock_class_name(h), h, KID_CLASS(h));
	return true;
}

static NOINLINE bool report_unlock(unsigned cpu, uint32_t id, struct violation *v)
{
	report(v, V_UNLOCK_NOT_HELD, cpu, lock_vm(id), 0, id);
	violation_detail(v, "cpu %u releases %s lock 0x%x it does not hold", cpu, lock_class_name(id), id);
	return true;
}

static NOINLINE bool report_access(unsigned cpu, uint32_t obj, uint32_t need, bool write, struct violation *v)
{
	report(v, V_LOCK_NOT_HELD, cpu, object_vm(obj), need, obj);
	if (need == 0)
		violation_detail(v, "cpu %u %s object 0x%x of no known class (no lock protects it)",
				 cpu, write ? "writes" : "reads", obj);
	else
		violation_detail(v, "cpu %u %s %s object 0x%x without %s lock 0x%x",
				 cpu, write ? "writes" : "reads", lock_object_name(obj), obj,
				 lock_class_name(need), need);
	return true;
}

static bool acquire(struct lock_oracle *o, unsigned cpu, uint32_t id, struct violation *v)
{
	unsigned n = o->nheld[cpu];
	bool bad = false;

	for (unsigned i = 0; i < n; i++)
		bad |= KID_CLASS(o->held[cpu][i]) >= KID_CLASS(id);
	if (n == LOCK_MAX_HELD)
		o->overflow = true;
	else
		o->held[cpu][o->nheld[cpu]++] = id;
	return bad && report_order(o, cpu, id, n, v);
}

/* Keep acquisition order for the rest: reports name the oldest lock. */
static NOINLINE void remove_held(struct lock_oracle *o, unsigned cpu, unsigned i)
{
	memmove(&o->held[cpu][i], &o->held[cpu][i + 1], (o->nheld[cpu] - i - 1) * sizeof(o->held[cpu][0]));
	o->nheld[cpu]--;
}

static bool release(struct lock_oracle *o, unsigned cpu, uint32_t id, struct violation *v)
{
	int i = find_held(o, cpu, id);

	if (i < 0)
		return !o->overflow && report_unlock(cpu, id, v);
	if ((unsigned)i + 1 == o->nheld[cpu])
		o->nheld[cpu]--; /* the newest: nothing moves */
	else
		remove_held(o, cpu, (unsigned)i);
	return false;
}

static bool shared_access(const struct lock_oracle *o, unsigned cpu, uint32_t obj, bool write,
			  struct violation *v)
{
	uint32_t need = kobj_lock(obj);

	if (need != 0 && find_held(o, cpu, need) >= 0)
		return false;
	return report_access(cpu, obj, need, write, v);
}

bool lock_oracle_reads(unsigned kind)
{
	return kind == EV_LOCK_ACQUIRE || kind == EV_LOCK_RELEASE || kind == EV_SHARED_ACCESS;
}

bool lock_oracle_event(struct lock_oracle *o, const struct sim_event *ev, struct violation *v)
{
	unsigned cpu = ev->cpu;

	if (cpu >= ARCH_MAX_CPUS)
		return false;
	switch (ev->kind) {
	case EV_LOCK_ACQUIRE:
		return acquire(o, cpu, (uint32_t)ev->a, v);
	case EV_LOCK_RELEASE:
		return release(o, cpu, (uint32_t)ev->a, v);
	case EV_SHARED_ACCESS:
		return shared_access(o, cpu, (uint32_t)ev->a, ev->b != 0, v);
	default:
		return false;
	}
}

bool lock_oracle_op_end(struct lock_oracle *o, unsigned cpu, struct violation *v)
{
	uint32_t first;

	if (cpu >= ARCH_MAX_CPUS || o->nheld[cpu] == 0)
		return false;
	first = o->held[cpu][0];
	report(v, V_LOCK_LEAKED, cpu, lock_vm(first), 0, first);
	violation_detail(v, "cpu %u returned holding %u lock(s), first %s lock 0x%x",
			 cpu, (unsigned)o->nheld[cpu], lock_class_name(first), first);
	o->nheld[cpu] = 0;
	return true;
}
