/*
 * drbg.h - a CTR_DRBG seeded from the system entropy, owned by whoever
 * needs random bytes: one per Crypto call (key or certificate generation)
 * and one per DTLS filter. No process-wide generator: nothing to initialise
 * under a lock, nothing left behind at exit, and a fork()ed child never
 * shares its parent's generator state.
 */
#ifndef ENETCONNECTION_DRBG_H
#define ENETCONNECTION_DRBG_H

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>

typedef struct drbg {
    mbedtls_entropy_context entropy;
    mbedtls_ctr_drbg_context ctr_drbg;
} drbg;

/* Initialises and seeds `d`; `label` personalises it. Returns 0 or an
 * mbedTLS error code. Call drbg_free in both cases. */
int drbg_seed(drbg *d, const char *label);

/* Frees what drbg_seed set up. */
void drbg_free(drbg *d);

/* The f_rng callback for mbedTLS, with a drbg as its context. */
#define drbg_random mbedtls_ctr_drbg_random
#define drbg_context(d) (&(d)->ctr_drbg)

#endif
