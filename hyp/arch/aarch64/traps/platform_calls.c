/* The host's platform calls: DMA, the verdict, guest commands, resets and
 * the replay's input and output (platform_call.h). */
#include "platform_calls.h"

#include <stdbool.h>

#include "arch_aarch64.h"
#include "boot/reset.h"
#include "core/core.h"
#include "firmware/replay_io.h"
#include "guest/guest_abi.h"
#include "hyp/arch.h"
#include "mm/dma.h"
#include "platform_call.h"
#include "traps_inject.h"
#include "world/guest_channel.h"
#include "world/world.h"

static void dma_call(struct trap_frame *f, bool write)
{
	uint64_t unit = f->x[1], iova = f->x[2], value = write ? f->x[3] : 0;

	/* A unit number that does not fit unsigned is out of range too. */
	if (unit > DMA_UNITS)
		unit = DMA_UNITS;
	enum dma_fault fault = dma_access((unsigned)unit, iova, write, &value);
	f->x[0] = -(uint64_t)fault;
	if (!write)
		f->x[1] = value;
}

static void guest_command(struct trap_frame *f)
{
	uint64_t word = f->x[1], kind = (word >> 8) & 0xff;
	struct guest_result r = { 0, 0, 0 };

	if (kind < GUEST_CMD_READ || kind > GUEST_CMD_POWER_OFF || (word >> 17) != 0) {
		f->x[0] = (uint64_t)(int64_t)PLAT_E_ARG;
		return;
	}
	int64_t ret = channel_command((unsigned)(word & 0xff), kind, (word >> 16) & 1, f->x[2], f->x[3], &r);
	f->x[0] = (uint64_t)ret;
	f->x[1] = r.value;
	f->x[2] = r.esr;
	f->x[3] = r.far;
}

static void guest_query(struct trap_frame *f)
{
	unsigned vm = 0, vcpu = 0;
	bool serving = f->x[1] < ARCH_MAX_CPUS && channel_guest_serving((unsigned)f->x[1], &vm, &vcpu);

	f->x[0] = serving;
	f->x[1] = vm;
	f->x[2] = vcpu;
}

static void last_fault(struct trap_frame *f)
{
	uint64_t esr = 0, ipa = 0;

	f->x[0] = trap_last_refused(&esr, &ipa) ? 0 : (uint64_t)(int64_t)PLAT_E_NONE;
	f->x[1] = esr;
	f->x[2] = ipa;
}

static void plat_reset(struct trap_frame *f)
{
	struct kcore_caps caps;

	f->x[0] = reset_caps(f->x[1], &caps) ? (uint64_t)reset_run(&caps) : (uint64_t)(int64_t)PLAT_E_ARG;
}

static void input_call(struct trap_frame *f, uint64_t op)
{
	uint64_t w[3] = { f->x[1], f->x[2], f->x[3] };
	int64_t ret;

	if (op == PLAT_INPUT_SIZE) {
		ret = replay_input_size(&f->x[1]);
	} else if (op == PLAT_INPUT_READ) {
		ret = replay_input_read(f->x[1], w);
		f->x[1] = w[0];
		f->x[2] = w[1];
		f->x[3] = w[2];
	} else {
		ret = replay_output(w);
	}
	f->x[0] = (uint64_t)ret;
}

void platform_host_call(struct trap_frame *f)
{
	uint64_t op = f->x[0];

	switch (op) {
	case PLAT_DMA_READ:
	case PLAT_DMA_WRITE:
		dma_call(f, op == PLAT_DMA_WRITE);
		break;
	case PLAT_EXIT:
		hyp_exit((unsigned)f->x[1]);
	case PLAT_LAST_FAULT:
		last_fault(f);
		break;
	case PLAT_KSERV_FAULT:
		f->x[0] = (uint64_t)core_kserv_fault(f->x[1]);
		break;
	case PLAT_GUEST_OP:
		f->x[0] = (uint64_t)core_guest_call(f->x[1], f->x[2]);
		break;
	case PLAT_GUEST_CMD:
		guest_command(f);
		break;
	case PLAT_GUEST_QUERY:
		guest_query(f);
		break;
	case PLAT_VM_ENTRY:
		f->x[0] = (uint64_t)world_set_vm_entry(f->x[1], f->x[2]);
		break;
	case PLAT_PARK:
		reset_park();
		f->x[0] = 0;
		break;
	case PLAT_RESET:
		plat_reset(f);
		break;
	case PLAT_SCRUB:
		f->x[0] = (uint64_t)reset_scrub_page(f->x[1]);
		break;
	case PLAT_INPUT_SIZE:
	case PLAT_INPUT_READ:
	case PLAT_OUTPUT:
		input_call(f, op);
		break;
	default:
		f->x[0] = (uint64_t)(int64_t)PLAT_E_UNKNOWN;
		break;
	}
}
