/*
 * crypto_key_lua.h - the CryptoKey class (Godot's CryptoKey): a
 * shared_box holding a key value (crypto_key.h), or nothing while empty.
 */
#ifndef ENETCONNECTION_CRYPTO_KEY_LUA_H
#define ENETCONNECTION_CRYPTO_KEY_LUA_H

#include "compat.h"
#include "crypto_key.h"
#include "shared_box_lua.h"

#define CRYPTO_KEY_METATABLE "enetconnection.CryptoKey"

/* Pushes a new empty CryptoKey. May raise (memory): call it before taking
 * C resources, then hand it a value with shared_box_set. */
shared_box *crypto_key_push_new(lua_State *L);

/* The CryptoKey at `arg`, or a Lua error naming the argument. */
shared_box *crypto_key_check(lua_State *L, int arg);

/* Registers the class as module.CryptoKey (module table on top). */
void crypto_key_open(lua_State *L);

#endif
