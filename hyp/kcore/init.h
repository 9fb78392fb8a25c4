#ifndef KCORE_INIT_H
#define KCORE_INIT_H

/* Panics unless kcore_init has succeeded once: entering KCore before it is
 * set up is a bug of the platform code, not something a host can cause. */
void kcore_assert_initialised(void);

#endif
