/* isofuzz-vmm: a KVM VMM that runs isofuzz programs in real VMs.  Its
 * input is the file /input, which the harness appends to the initramfs as
 * a second cpio archive; its records go to the console, each line
 * starting with "@@ " so that the harness can tell them from the
 * kernel's.  Input, one item per line:
 *
 *   isofuzz-kvm 1
 *   ram BASE_PFN NPAGES          the program RAM the pool stands for
 *   prog ID                      then its steps, in the order to run them:
 *   s IDX CPU KIND A0 A1 A2      a step (a program step's name, arguments in hex)
 *   p HEX                        the page a kserv_load before it copies
 *   endprog
 *   cost ROUNDS                  EL2 cost windows
 *   residue NPAGES               residue of a destroyed VM in freed memory
 *
 * Records: `prog ID`, one `o IDX STATUS RET VAL FAULT` per step, `endprog
 * ID`, the cost windows' names, `residue filled N words W pages P
 * scanned_mb M`, and `done`.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "vmm.h"

#define INPUT "/input"

static struct vmm M;
static uint8_t page_buf[VMM_PAGE];

void vmm_record(const char *fmt, ...)
{
	char line[256] = "@@ ";
	va_list ap;

	va_start(ap, fmt);
	int n = vsnprintf(line + 3, sizeof(line) - 4, fmt, ap);
	va_end(ap);
	size_t len = 3 + (n < 0 ? 0 : (size_t)n < sizeof(line) - 4 ? (size_t)n : sizeof(line) - 5);
	line[len++] = '\n';
	/* one write per line: the kernel's own messages go between lines, not into them */
	if (write(1, line, len) < 0)
		exit(1);
}
static int hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static int parse_page(const char *hex)
{
	for (unsigned i = 0; i < VMM_PAGE; i++) {
		int hi = hexval(hex[2 * i]), lo = hi < 0 ? -1 : hexval(hex[2 * i + 1]);
		if (lo < 0)
			return -1;
		page_buf[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

static void init_state(void)
{
	for (unsigned h = 0; h <= VMM_MAX_VMS; h++) {
		M.vm[h].fd = -1;
		for (unsigned i = 0; i < VMM_MAX_VCPUS; i++)
			M.vm[h].vcpu[i].fd = -1;
	}
}

static int run(char *in)
{
	char *save = NULL;
	/* a step waits for the next line: it may be the page of a kserv_load */
	char pending[64] = "";
	unsigned pidx = 0, pcpu = 0;
	uint64_t pa[3] = { 0 };

	for (char *line = strtok_r(in, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		unsigned long long a0, a1, a2, base, n;
		unsigned idx, cpu, id;
		char kind[64];
		bool has_page = line[0] == 'p' && line[1] == ' ';

		if (pending[0]) {
			struct obs o;
			bool ok = !has_page || parse_page(line + 2) == 0;
			vmm_step(&M, pcpu, pending, pa, has_page && ok ? page_buf : NULL, &o);
			vmm_record("o %u %c %" PRId64 " %#" PRIx64 " %d", pidx, o.status, o.ret, o.val, o.fault);
			pending[0] = '\0';
			if (has_page)
				continue;
		}
		if (sscanf(line, "s %u %u %63s %llx %llx %llx", &idx, &cpu, kind, &a0, &a1, &a2) == 6) {
			snprintf(pending, sizeof(pending), "%s", kind);
			pidx = idx, pcpu = cpu, pa[0] = a0, pa[1] = a1, pa[2] = a2;
		} else if (sscanf(line, "ram %lli %lli", &base, &n) == 2) {
			M.base_pfn = base, M.npages = n;
			M.pool = mmap(NULL, n * VMM_PAGE, PROT_READ | PROT_WRITE,
				      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
			if (M.pool == MAP_FAILED)
				return -1;
		} else if (sscanf(line, "prog %u", &id) == 1) {
			vmm_reset(&M);
			vmm_record("prog %u", id);
		} else if (sscanf(line, "endprog %u", &id) == 1) {
			vmm_reset(&M);
			vmm_record("endprog %u", id);
		} else if (sscanf(line, "residue %u", &id) == 1) {
			if (vmm_residue(id) != 0)
				vmm_record("residue failed");
		} else if (sscanf(line, "cost %u", &id) == 1) {
			if (vmm_cost(&M, id) != 0)
				vmm_record("cost failed");
		}
	}
	vmm_record("done");
	return 0;
}

/* The whole input, NUL-terminated. */
static char *read_input(void)
{
	FILE *f = fopen(INPUT, "rb");
	char *buf = NULL;
	size_t cap = 0, len = 0;

	if (!f)
		return NULL;
	for (;;) {
		if (len + 4096 + 1 > cap) {
			cap = cap ? 2 * cap : 1 << 20;
			char *bigger = realloc(buf, cap);
			if (!bigger) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = bigger;
		}
		size_t n = fread(buf + len, 1, 4096, f);
		len += n;
		if (n == 0)
			break;
	}
	fclose(f);
	buf[len] = '\0';
	return buf;
}

int main(void)
{
	char *in = read_input();

	if (!in) {
		vmm_record("error cannot read " INPUT);
		return 2;
	}
	init_state();
	if (kvm_init() != 0) {
		vmm_record("error no KVM");
		return 1;
	}
	int rc = run(in);
	free(in);
	return rc == 0 ? 0 : 1;
}
