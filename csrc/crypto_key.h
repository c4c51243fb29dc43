/*
 * crypto_key.h - the CryptoKey class (Godot's CryptoKey) and the key value
 * it holds.
 *
 * A key value is immutable and reference counted: a CryptoKey object, a
 * TLSOptions and a DTLS session may all hold the same one. load() and
 * load_from_string() build a new value and swap it in, so what others hold
 * never changes under them. Counts are plain ints: a value is only ever
 * touched from the Lua state that created it.
 */
#ifndef ENETCONNECTION_CRYPTO_KEY_H
#define ENETCONNECTION_CRYPTO_KEY_H

#include <mbedtls/pk.h>

#include "compat.h"

#define CRYPTO_KEY_METATABLE "enetconnection.CryptoKey"

typedef struct crypto_key_value {
    int refs;
    int public_only;         /* 1: pk holds a public key only */
    mbedtls_pk_context pk;
} crypto_key_value;

/* The CryptoKey userdata: value is NULL while the key is empty. */
typedef struct crypto_key {
    crypto_key_value *value;
} crypto_key;

/* A new value (refs 1) with an empty pk context, or NULL (no memory). */
crypto_key_value *crypto_key_value_new(int public_only);
void crypto_key_value_retain(crypto_key_value *value);
/* Drops one reference; frees (zeroing the key) at zero. NULL is allowed. */
void crypto_key_value_release(crypto_key_value *value);

/* Pushes a new empty CryptoKey. May raise (memory): call it before taking
 * C resources. Fill ->value to hand a value (one reference) to Lua. */
crypto_key *crypto_key_push_new(lua_State *L);

/* The CryptoKey at `arg`, or a Lua error naming the argument. */
crypto_key *crypto_key_check(lua_State *L, int arg);

/* Registers the class as module.CryptoKey (module table on top). */
void crypto_key_open(lua_State *L);

#endif
