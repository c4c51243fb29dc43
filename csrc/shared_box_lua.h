/*
 * shared_box_lua.h - the userdata of a class whose objects hold a shared
 * value (shared_value.h): CryptoKey, X509Certificate, TLSOptions. A box
 * holds one reference, or none while it is empty.
 */
#ifndef ENETCONNECTION_SHARED_BOX_LUA_H
#define ENETCONNECTION_SHARED_BOX_LUA_H

#include "compat.h"

typedef struct shared_box {
    void *value; /* one reference, or NULL: empty */
} shared_box;

/* Pushes a new empty box with the metatable registered as `metatable`.
 * May raise (memory): call it before taking C resources, then hand it a
 * value with shared_box_set. */
shared_box *shared_box_push(lua_State *L, const char *metatable);

/* Pushes a new box holding a reference to `value`, or nil for NULL. */
void shared_box_push_shared(lua_State *L, const char *metatable, void *value);

/* The box at `arg`, or a Lua error naming the argument:
 * "<type_name> expected, got <type>". */
shared_box *shared_box_check(lua_State *L, int arg, const char *metatable,
                             const char *type_name);

/* Gives the box `value` (taking over one reference; NULL empties it) and
 * drops the reference to what it held. */
void shared_box_set(shared_box *box, void *value);

#endif
