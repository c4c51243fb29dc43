/*
 * crypto_lua.h - the Crypto table: RSA key generation and self-signed
 * certificates (Godot's Crypto.generate_rsa and
 * generate_self_signed_certificate).
 */
#ifndef ENETCONNECTION_CRYPTO_LUA_H
#define ENETCONNECTION_CRYPTO_LUA_H

#include "compat.h"

/* Adds module.Crypto (module table on top). */
void crypto_open(lua_State *L);

#endif
