/* The plugin's el2 mode (el2_cost.c): selected by the argument mode=el2. */
#ifndef QEMU_PLUGINS_EL2_COST_H
#define QEMU_PLUGINS_EL2_COST_H

#include "qemu-plugin.h"

int el2_cost_install(qemu_plugin_id_t id, int argc, char **argv);

#endif
