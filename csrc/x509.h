/*
 * x509.h - the X509Certificate class (Godot's X509Certificate) and the
 * certificate chain it holds.
 *
 * Like key values (crypto_key.h), a chain is a shared value
 * (shared_value.h); load() swaps in a new one. One PEM may hold several
 * certificates: the chain keeps them all, in file order.
 */
#ifndef ENETCONNECTION_X509_H
#define ENETCONNECTION_X509_H

#include <mbedtls/x509_crt.h>

#include "shared_box_lua.h"
#include "shared_value.h"

#define X509_METATABLE "enetconnection.X509Certificate"

typedef struct x509_chain {
    shared_value shared;
    mbedtls_x509_crt crt;    /* first certificate; crt.next the rest */
} x509_chain;

/* A new chain (one reference) with no certificate, or NULL (no memory). */
x509_chain *x509_chain_new(void);

/* Pushes a new empty X509Certificate (a shared_box whose value is an
 * x509_chain). May raise (memory): call it before taking C resources,
 * then hand it a chain with shared_box_set. */
shared_box *x509_push_new(lua_State *L);

/* The X509Certificate at `arg`, or a Lua error naming the argument. */
shared_box *x509_check(lua_State *L, int arg);

/* Registers the class as module.X509Certificate (module table on top). */
void x509_open(lua_State *L);

#endif
