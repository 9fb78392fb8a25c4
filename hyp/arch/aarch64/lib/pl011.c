/* PL011 UART output and a small formatter.
 *
 * QEMU's PL011 comes out of reset enabled, so the driver only waits for
 * room in the transmit FIFO and writes the data register. */
#include "console.h"

#include <stdbool.h>
#include <stddef.h>

#include "boot/layout.h"
#include "hyp/arch.h"

#define UART_DR 0x000
#define UART_FR 0x018
#define UART_FR_TXFF (1u << 5)

static struct arch_spinlock console_lock;

static void uart_putc(char c)
{
	volatile uint32_t *fr = (volatile uint32_t *)(uintptr_t)(UART_BASE + UART_FR);
	volatile uint32_t *dr = (volatile uint32_t *)(uintptr_t)(UART_BASE + UART_DR);

	while (*fr & UART_FR_TXFF)
		;
	*dr = (uint32_t)(unsigned char)c;
}

static void put_str(const char *s)
{
	if (s == NULL)
		s = "(null)";
	while (*s)
		uart_putc(*s++);
}

static void put_num(uint64_t v, unsigned base, unsigned width, char pad)
{
	char buf[24];
	unsigned n = 0;

	do {
		unsigned d = (unsigned)(v % base);
		buf[n++] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
		v /= base;
	} while (v != 0);
	while (n < width && n < sizeof(buf))
		buf[n++] = pad;
	while (n > 0)
		uart_putc(buf[--n]);
}

/* The integer argument of one conversion, widened to 64 bits. */
static uint64_t take_int(va_list *ap, unsigned longs, bool is_signed, bool *negative)
{
	*negative = false;
	if (longs > 0) {
		if (is_signed) {
			int64_t s = va_arg(*ap, int64_t);
			*negative = s < 0;
			return *negative ? 0 - (uint64_t)s : (uint64_t)s;
		}
		return va_arg(*ap, uint64_t);
	}
	if (is_signed) {
		int32_t s = va_arg(*ap, int32_t);
		*negative = s < 0;
		return *negative ? 0 - (uint64_t)(int64_t)s : (uint64_t)s;
	}
	return va_arg(*ap, uint32_t);
}

static void format(const char *fmt, va_list ap_in)
{
	va_list ap;

	va_copy(ap, ap_in);
	for (const char *p = fmt; *p; p++) {
		if (*p != '%') {
			uart_putc(*p);
			continue;
		}
		p++;
		char pad = ' ';
		unsigned width = 0, longs = 0;
		if (*p == '0') {
			pad = '0';
			p++;
		}
		while (*p >= '0' && *p <= '9')
			width = width * 10 + (unsigned)(*p++ - '0');
		while (*p == 'l') {
			longs++;
			p++;
		}
		bool negative;
		uint64_t v;
		switch (*p) {
		case 's':
			put_str(va_arg(ap, const char *));
			break;
		case 'c':
			uart_putc((char)va_arg(ap, int));
			break;
		case 'd':
			v = take_int(&ap, longs, true, &negative);
			if (negative)
				uart_putc('-');
			put_num(v, 10, width, pad);
			break;
		case 'u':
			put_num(take_int(&ap, longs, false, &negative), 10, width, pad);
			break;
		case 'x':
			put_num(take_int(&ap, longs, false, &negative), 16, width, pad);
			break;
		case 'p':
			put_str("0x");
			put_num((uint64_t)(uintptr_t)va_arg(ap, void *), 16, 0, ' ');
			break;
		case '%':
			uart_putc('%');
			break;
		case '\0':
			va_end(ap);
			return;
		default:
			uart_putc('%');
			uart_putc(*p);
			break;
		}
	}
	va_end(ap);
}

void kvprintf(const char *fmt, va_list ap)
{
	arch_spin_lock(&console_lock);
	format(fmt, ap);
	arch_spin_unlock(&console_lock);
}

void kprintf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kvprintf(fmt, ap);
	va_end(ap);
}

void kprintf_unlocked(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	format(fmt, ap);
	va_end(ap);
}
