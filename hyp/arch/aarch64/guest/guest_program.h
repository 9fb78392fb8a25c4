/* The guest program's bytes (guest/guest.S, one page), as the host
 * carries them: it loads them as a VM image, or maps a copy into a VM
 * whose image holds no code.  KCore's manifest knows the page under the
 * name "guest". */
#ifndef ARCH_AARCH64_GUEST_PROGRAM_H
#define ARCH_AARCH64_GUEST_PROGRAM_H

#include <stdint.h>

extern const uint8_t guest_program[];
extern const unsigned guest_program_size;

#endif
