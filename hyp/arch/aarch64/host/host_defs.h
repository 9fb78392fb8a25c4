/* Constants shared by the host's assembly and C. */
#ifndef HOST_DEFS_H
#define HOST_DEFS_H

#define HOST_MAX_CPUS 8
#define HOST_STACK_SIZE 0x4000

#endif
