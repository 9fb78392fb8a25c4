/* Semihosting calls: HLT #0xF000 with the operation in w0 and a pointer to
 * its parameter block in x1 (Arm semihosting specification, AArch64). */
#include "semihost.h"

#include <stdint.h>

#include "lib/kstring.h"

#define SYS_OPEN 0x01
#define SYS_WRITE 0x05
#define SYS_READ 0x06
#define SYS_FLEN 0x0c
#define SYS_GET_CMDLINE 0x15
#define SYS_EXIT 0x18
#define ADP_STOPPED_APPLICATION_EXIT 0x20026

static uint64_t semihost_call(uint64_t op, const void *block)
{
	register uint64_t x0 __asm__("x0") = op;
	register uint64_t x1 __asm__("x1") = (uint64_t)(uintptr_t)block;

	__asm__ volatile("hlt #0xf000" : "+r"(x0) : "r"(x1) : "memory");
	return x0;
}

int semihost_cmdline(char *buf, size_t len)
{
	uint64_t block[2] = { (uint64_t)(uintptr_t)buf, len };

	if (len == 0)
		return -1;
	if (semihost_call(SYS_GET_CMDLINE, block) != 0)
		return -1;
	/* The debugger stores the length it wrote, terminator excluded. */
	if (block[1] >= len)
		return -1;
	buf[block[1]] = '\0';
	return 0;
}

long semihost_open(const char *path, unsigned mode)
{
	uint64_t block[3] = { (uint64_t)(uintptr_t)path, mode, strlen(path) };

	return (long)semihost_call(SYS_OPEN, block);
}

long semihost_flen(long handle)
{
	uint64_t block[1] = { (uint64_t)handle };

	return (long)semihost_call(SYS_FLEN, block);
}

/* SYS_READ and SYS_WRITE answer how many bytes were NOT moved. */
long semihost_read(long handle, void *buf, size_t len)
{
	uint64_t block[3] = { (uint64_t)handle, (uint64_t)(uintptr_t)buf, len };
	uint64_t left = semihost_call(SYS_READ, block);

	return left > len ? -1 : (long)(len - left);
}

long semihost_write(long handle, const void *buf, size_t len)
{
	uint64_t block[3] = { (uint64_t)handle, (uint64_t)(uintptr_t)buf, len };
	uint64_t left = semihost_call(SYS_WRITE, block);

	return left > len ? -1 : (long)(len - left);
}

_Noreturn void semihost_exit(unsigned status)
{
	/* AArch64 SYS_EXIT takes a block: the reason, then the exit status. */
	uint64_t block[2] = { ADP_STOPPED_APPLICATION_EXIT, status };

	semihost_call(SYS_EXIT, block);
	/* Only reached without a debugger: nothing else to do. */
	for (;;)
		__asm__ volatile("wfi");
}
