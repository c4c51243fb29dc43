/*
 * tls_lua.h - the TLS part of the module: the TLSOptions class (tls_lua.c)
 * and, through it, CryptoKey, X509Certificate and Crypto. The C view of a
 * TLSOptions is tls_options.h.
 */
#ifndef ENETCONNECTION_TLS_LUA_H
#define ENETCONNECTION_TLS_LUA_H

#include "compat.h"
#include "tls_options.h"

/* Registers CryptoKey, X509Certificate, Crypto and TLSOptions into the
 * module table on top of the stack (module part "tls"). */
void tls_open(lua_State *L);

/* The options of the TLSOptions at `idx`, or NULL when it is not one. */
tls_options *tls_options_test(lua_State *L, int idx);

#endif
