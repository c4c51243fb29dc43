/*
 * module.h - the parts of the module. Each part's open function receives the
 * module table on top of the stack, adds its classes and functions to it,
 * and leaves the stack as it found it.
 */
#ifndef ENETCONNECTION_MODULE_H
#define ENETCONNECTION_MODULE_H

#include "compat.h"

typedef struct module_part {
    const char *name;
    void (*open)(lua_State *L);
} module_part;

/* Defined in module_parts.c: the list, ending with { NULL, NULL }. */
extern const module_part module_parts[];

#endif
