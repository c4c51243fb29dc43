/*
 * check.h - ENET_ASSERT(invariant): aborts with the file and line when the
 * invariant is false in builds made with -DENETCONNECTION_ASSERT (the ASan
 * build, the C unit tests, the fuzz targets); compiled out otherwise (the
 * expression is not evaluated, only type-checked). For the engine's own
 * invariants, never for input checks: bad input is handled, not asserted.
 */
#ifndef ENETCONNECTION_CHECK_H
#define ENETCONNECTION_CHECK_H

#ifdef ENETCONNECTION_ASSERT
#include <stdio.h>
#include <stdlib.h>

#define ENET_ASSERT(x)                                                          \
    ((x) ? (void)0                                                              \
         : (fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, \
                    #x),                                                        \
            abort()))
#else
#define ENET_ASSERT(x) ((void)sizeof(!(x)))
#endif

#endif
