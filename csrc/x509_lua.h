/*
 * x509_lua.h - the X509Certificate class (Godot's X509Certificate): a
 * shared_box holding a certificate chain (x509.h), or nothing while empty.
 */
#ifndef ENETCONNECTION_X509_LUA_H
#define ENETCONNECTION_X509_LUA_H

#include "compat.h"
#include "shared_box_lua.h"
#include "x509.h"

#define X509_METATABLE "enetconnection.X509Certificate"

/* Pushes a new empty X509Certificate. May raise (memory): call it before
 * taking C resources, then hand it a chain with shared_box_set. */
shared_box *x509_push_new(lua_State *L);

/* The X509Certificate at `arg`, or a Lua error naming the argument. */
shared_box *x509_check(lua_State *L, int arg);

/* Registers the class as module.X509Certificate (module table on top). */
void x509_open(lua_State *L);

#endif
