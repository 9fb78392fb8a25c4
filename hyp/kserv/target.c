/* Choosing the hypervisor target by name (command lines, corpus headers). */
#include "hyp_target.h"

#include <stddef.h>
#include <string.h>

static const struct hyp_target *const targets[] = { &target_kcore, &target_vanilla };

const struct hyp_target *target_by_name(const char *name)
{
	if (name == NULL)
		return NULL;
	for (size_t i = 0; i < sizeof(targets) / sizeof(targets[0]); i++)
		if (strcmp(name, targets[i]->name) == 0)
			return targets[i];
	return NULL;
}
