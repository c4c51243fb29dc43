/*
 * x509.h - the X509Certificate class (Godot's X509Certificate) and the
 * certificate chain it holds.
 *
 * Like key values (crypto_key.h), a chain is immutable and reference
 * counted; load() swaps in a new one. One PEM may hold several
 * certificates: the chain keeps them all, in file order.
 */
#ifndef ENETCONNECTION_X509_H
#define ENETCONNECTION_X509_H

#include <mbedtls/x509_crt.h>

#include "compat.h"

#define X509_METATABLE "enetconnection.X509Certificate"

typedef struct x509_chain {
    int refs;
    mbedtls_x509_crt crt;    /* first certificate; crt.next the rest */
} x509_chain;

/* The X509Certificate userdata: chain is NULL while it is empty. */
typedef struct x509_certificate {
    x509_chain *chain;
} x509_certificate;

/* A new chain (refs 1) with no certificate, or NULL (no memory). */
x509_chain *x509_chain_new(void);
void x509_chain_retain(x509_chain *chain);
/* Drops one reference; frees at zero. NULL is allowed. */
void x509_chain_release(x509_chain *chain);

/* Pushes a new empty X509Certificate. May raise (memory): call it before
 * taking C resources. Fill ->chain to hand a chain (one reference) to Lua. */
x509_certificate *x509_push_new(lua_State *L);

/* The X509Certificate at `arg`, or a Lua error naming the argument. */
x509_certificate *x509_check(lua_State *L, int arg);

/* Registers the class as module.X509Certificate (module table on top). */
void x509_open(lua_State *L);

#endif
