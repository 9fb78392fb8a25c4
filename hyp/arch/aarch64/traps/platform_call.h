/* Hypercalls the platform (not KCore) answers: the software DMA engine that
 * stands in for devices behind the SMMU, the test verdict, the guest's
 * command channel, resets between replayed programs and the replay's
 * input and output.
 *
 * Their numbers follow the SMC Calling Convention's vendor-specific
 * hypervisor service range (fast call, SMC64, owning entity 6), far from
 * KCore's small operation numbers, so the trap handler tells them apart
 * without KCore knowing they exist.  Every other number goes to KCore.
 * Arguments in x1..x3, results in x0..x3; x0 < 0 is an error.
 *
 * Included by the guest's assembly too: numbers only outside C.
 */
#ifndef ARCH_AARCH64_PLATFORM_CALL_H
#define ARCH_AARCH64_PLATFORM_CALL_H

#define PLAT_CALL_BASE 0xc6000000
#define PLAT_CALL_LIMIT 0xc6000100

/* --- From the host ------------------------------------------------------- */

/* dma_read(unit, iova): x0 = 0 or -fault (enum dma_fault), x1 = the
 * 64-bit value read at iova (8-byte aligned). */
#define PLAT_DMA_READ (PLAT_CALL_BASE + 1)
/* dma_write(unit, iova, value): x0 = 0 or -fault. */
#define PLAT_DMA_WRITE (PLAT_CALL_BASE + 2)
/* exit(status): the run ends with this status (0 = pass). */
#define PLAT_EXIT (PLAT_CALL_BASE + 3)
/* last_fault(): the stage-2 abort the platform last refused on this CPU
 * (the one the host just received as an external abort): x1 = its ESR_EL2,
 * x2 = the faulting IPA; x0 = PLAT_E_NONE if there was none. */
#define PLAT_LAST_FAULT (PLAT_CALL_BASE + 4)
/* kserv_fault(pa): x0 = KCore's answer to a stage-2 fault of the host's
 * at pa, asked for without an access (as a host that maps ahead). */
#define PLAT_KSERV_FAULT (PLAT_CALL_BASE + 5)
/* guest_op(op, arg): a guest operation of KCore's made from the host, so
 * that KCore's own check that the caller runs a guest is what answers. */
#define PLAT_GUEST_OP (PLAT_CALL_BASE + 6)

/* guest_cmd(cpu | kind << 8 | nc << 16, a, b): hand one command to the
 * guest waiting on that CPU and wait for it to finish (guest_abi.h).
 * x0 = 0, or PLAT_E_NO_GUEST if no guest runs there; x1 = the value read
 * or the hypercall's result, x2 = the ESR of a fault the access took (0
 * for none), x3 = the faulting address. */
#define PLAT_GUEST_CMD (PLAT_CALL_BASE + 0x10)
/* guest_query(cpu): x0 = 1 if a guest takes commands on that CPU (it
 * asked for its first and has not left), else 0; x1 = its VM, x2 = its
 * vCPU. */
#define PLAT_GUEST_QUERY (PLAT_CALL_BASE + 0x11)
/* vm_entry(vm, ipa): where this VM's vCPUs start on their first run,
 * for images that hold no code (the default is the image's first page). */
#define PLAT_VM_ENTRY (PLAT_CALL_BASE + 0x12)

/* park(): wait at EL2 for the next reset, then rejoin the host on KCore's
 * fresh stage-2.  reset(caps): once every other CPU is parked (guests are
 * taken out of their VMs), set KCore up again with kcore_init, the boot
 * layout and these capacities, and release them; caps holds one byte per
 * field of struct kcore_caps in its order (vmids, vm_pool_pages,
 * smmu_pool_pages, kserv_pool_pages, max_share; 0 is the maximum), and
 * PLAT_E_ARG, before anything is parked or changed, refuses capacities
 * KCore would not take.  scrub(pfn): zero a page the host owns and clean it to the point
 * of coherency (a fresh machine's memory), PLAT_E_ARG for another page. */
#define PLAT_PARK (PLAT_CALL_BASE + 0x20)
#define PLAT_RESET (PLAT_CALL_BASE + 0x21)
#define PLAT_SCRUB (PLAT_CALL_BASE + 0x22)

/* input_size(): x1 = bytes of replay input (x0 = PLAT_E_NO_INPUT without
 * one); input_read(offset): x1..x3 = the three words at offset (zero past
 * the end); output(a, b, c): append the three words to the replay
 * output. */
#define PLAT_INPUT_SIZE (PLAT_CALL_BASE + 0x30)
#define PLAT_INPUT_READ (PLAT_CALL_BASE + 0x31)
#define PLAT_OUTPUT (PLAT_CALL_BASE + 0x32)

/* --- From a guest (every other platform call is refused there) --------- */

/* wait(): block until the host hands this CPU a command; x0 = kind, x1,
 * x2 = its operands.  done(value, esr, far): the command is finished. */
#define PLAT_GUEST_WAIT (PLAT_CALL_BASE + 0x40)
#define PLAT_GUEST_DONE (PLAT_CALL_BASE + 0x41)

/* Errors. */
#define PLAT_E_UNKNOWN (-1)   /* no such call (here) */
#define PLAT_E_ARG (-2)       /* an argument is out of range */
#define PLAT_E_NO_GUEST (-3)  /* no guest waits on that CPU */
#define PLAT_E_NONE (-4)      /* nothing to report */
#define PLAT_E_NO_INPUT (-5)  /* the run has no replay input or output */
#define PLAT_E_BUSY (-6)      /* another CPU is handing that guest a command */

#ifndef __ASSEMBLER__
/* Why a DMA access failed: the translation the SMMU would report. */
enum dma_fault {
	DMA_OK = 0,
	DMA_FAULT_UNIT,        /* unit index out of range */
	DMA_FAULT_DETACHED,    /* unit has no table: all DMA blocked */
	DMA_FAULT_ADDRESS,     /* iova beyond the 39-bit input range or unaligned */
	DMA_FAULT_TRANSLATION, /* invalid descriptor on the walk */
	DMA_FAULT_ACCESS_FLAG, /* leaf without AF */
	DMA_FAULT_PERMISSION,  /* S2AP forbids the access */
	DMA_FAULT_EXTERNAL,    /* output address is not RAM */
};
#endif

#endif
