/* Residue after teardown: a VM fills pages with a value, is destroyed,
 * its memory goes back to the kernel; then every page of the kernel's
 * linear map (all RAM, through /proc/kcore) that starts with the value
 * is counted, with the words in it that still hold it.
 * The value exists only where the guest wrote it: the VMM hands the
 * guest value ^ GUEST_FILL_MASK and compares that way too. */
#include <elf.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "guest_abi.h"
#include "vmm.h"

#define RESIDUE_IPA 0x40000000ull
#define LINEAR_LO 0xffff000000000000ull /* PAGE_OFFSET with 48-bit VAs */
#define LINEAR_HI 0xffff800000000000ull
#define CHUNK (256u << 10)

static volatile uint64_t mask_v = GUEST_FILL_MASK;
static volatile uint64_t handed_v = 0x0123456789abcdefull; /* value ^ mask */

struct hits { unsigned long words, pages, scanned_mb; };

static void scan_range(int fd, uint64_t off, uint64_t len, uint64_t *buf, struct hits *h)
{
	const uint64_t mask = mask_v, handed = handed_v;

	for (uint64_t done = 0; done < len; done += CHUNK) {
		size_t n = len - done < CHUNK ? (size_t)(len - done) : CHUNK;
		if (pread(fd, buf, n, (off_t)(off + done)) != (ssize_t)n)
			break;
		/* the guest fills whole pages: a page that kept the fill starts
		 * with it (looking at every word would take a minute of TCG) */
		for (size_t page = 0; page < n / VMM_PAGE; page++) {
			const uint64_t *p = buf + page * (VMM_PAGE / 8);
			if ((p[0] ^ mask) != handed)
				continue;
			for (size_t w = 0; w < VMM_PAGE / 8; w++)
				h->words += (p[w] ^ mask) == handed;
			h->pages++;
		}
		memset(buf, 0, n); /* no copy stays in the buffer for a later chunk */
		h->scanned_mb = (unsigned long)((done + n) >> 20);
	}
}

/* The linear map's segments of /proc/kcore.  Everything the scan needs
 * is set up before the VM is torn down: the kernel hands out the pages
 * freed last first (and zeroes them then), so an allocation after the
 * teardown would wipe the very pages to search. */
struct kcore {
	int fd;
	uint64_t *buf;
	unsigned n;
	Elf64_Phdr seg[16];
};

static int kcore_open(struct kcore *k)
{
	Elf64_Ehdr eh;

	k->n = 0;
	k->fd = open("/proc/kcore", O_RDONLY);
	k->buf = mmap(NULL, CHUNK, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (k->fd < 0 || k->buf == MAP_FAILED || pread(k->fd, &eh, sizeof(eh), 0) != sizeof(eh) ||
	    memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0)
		return -1;
	memset(k->buf, 0, CHUNK);
	for (unsigned i = 0; i < eh.e_phnum && k->n < 16; i++) {
		Elf64_Phdr ph;
		if (pread(k->fd, &ph, sizeof(ph), (off_t)(eh.e_phoff + i * sizeof(ph))) != sizeof(ph))
			return -1;
		if (ph.p_type == PT_LOAD && ph.p_vaddr >= LINEAR_LO && ph.p_vaddr < LINEAR_HI)
			k->seg[k->n++] = ph;
	}
	return 0;
}

static void kcore_scan(struct kcore *k, struct hits *h)
{
	unsigned long total_mb = 0;

	for (unsigned i = 0; i < k->n; i++) {
		scan_range(k->fd, k->seg[i].p_offset, k->seg[i].p_filesz, k->buf, h);
		total_mb += h->scanned_mb;
	}
	h->scanned_mb = total_mb;
	munmap(k->buf, CHUNK);
	close(k->fd);
}

int vmm_residue(unsigned npages)
{
	struct vcpu vc;
	struct guest_result r;
	struct hits h = { 0 };
	struct kcore k;
	uint8_t *pages = mmap(NULL, (size_t)npages * VMM_PAGE, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int vm = kvm_vm_create();

	if (kcore_open(&k) != 0 || pages == MAP_FAILED || vm < 0 || kvm_vcpu_create(vm, 0, &vc) != 0 ||
	    kvm_vm_slot(vm, 1, RESIDUE_IPA, (uint64_t)npages * VMM_PAGE, pages) != 0 || kvm_vcpu_park(&vc) != 0)
		return -1;
	for (unsigned i = 0; i < npages; i++) {
		kvm_guest_command(&vc, GUEST_OP_FILL, RESIDUE_IPA + (uint64_t)i * VMM_PAGE, handed_v, &r);
		if (r.error || r.fault)
			return -1;
	}
	kvm_vcpu_destroy(&vc);
	close(vm);
	munmap(pages, (size_t)npages * VMM_PAGE);
	kcore_scan(&k, &h);
	vmm_record("residue filled %u words %lu pages %lu scanned_mb %lu", npages, h.words, h.pages,
		   h.scanned_mb);
	return 0;
}
