/*
 * drbg.c - a CTR_DRBG seeded from the system entropy (see drbg.h).
 */
#include "drbg.h"

#include <string.h>

#include "visibility.h" /* last: hides what this file defines */

int drbg_seed(drbg *d, const char *label)
{
    mbedtls_entropy_init(&d->entropy);
    mbedtls_ctr_drbg_init(&d->ctr_drbg);
    return mbedtls_ctr_drbg_seed(&d->ctr_drbg, mbedtls_entropy_func, &d->entropy,
                                 (const unsigned char *)label, strlen(label));
}

void drbg_free(drbg *d)
{
    mbedtls_ctr_drbg_free(&d->ctr_drbg);
    mbedtls_entropy_free(&d->entropy);
}
