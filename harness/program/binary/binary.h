/* The binary form of a program: what a fuzz input is.
 *
 * Decoding is total: every byte string, empty and truncated ones included,
 * is a valid program.  Steps are fixed-size records whose operands are pool
 * indexes, so one mutated byte changes one step; values outside the pools
 * live in a literal table, so every program encodes and decodes back to
 * itself.  PROGRAM.md ("Binary form") gives the layout byte by byte.
 */
#ifndef HARNESS_BINARY_H
#define HARNESS_BINARY_H

#include <stddef.h>
#include <stdint.h>

#include "program/pools.h"
#include "program/program.h"

#define BIN_HEADER_SIZE 5
#define BIN_RECORD_SIZE 6
#define BIN_LITERAL_SIZE 8
#define BIN_LITERAL_BANK 64       /* literals one record can reach */
#define BIN_LITERAL_BANKS 32      /* banks the cpu byte can name */
#define BIN_MAX_LITERALS (BIN_LITERAL_BANK * BIN_LITERAL_BANKS)
#define BIN_OPERAND_LITERAL 0xc0u /* operand bytes from here name literals */
#define BIN_CAPS_FLAG 0x08u       /* header byte 0: capacity bytes follow the header */

/* The largest encoding of any program. */
#define BIN_MAX_SIZE                                                        \
	(BIN_HEADER_SIZE + PROGRAM_NCAPS + PROGRAM_MAX_STEPS * BIN_RECORD_SIZE + \
	 BIN_MAX_LITERALS * BIN_LITERAL_SIZE + PROGRAM_MAX_SCHEDULE)

/* Never fails and never reads outside bytes[0, len). */
void program_decode(const uint8_t *bytes, size_t len, const struct program_pools *pools,
		    struct program *out);

/* How many step records the bytes hold, before program_decode keeps the
 * first PROGRAM_MAX_STEPS of them. */
size_t program_decode_records(const uint8_t *bytes, size_t len);

/* The bytes of p, which program_decode turns back into p exactly (with the
 * same pools).  Returns the length, or -1 if p is not well formed
 * (program_check) or cap is too small. */
long program_encode(const struct program *p, const struct program_pools *pools, uint8_t *buf,
		    size_t cap);

#endif
