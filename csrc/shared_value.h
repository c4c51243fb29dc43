/*
 * shared_value.h - a reference-counted, immutable C value: a key, a
 * certificate chain, TLS options. Whoever holds one (a Lua object, a
 * TLSOptions, a DTLS filter) holds one reference, so a value outlives the
 * Lua object that made it as long as something else uses it. Loading new
 * content into an object makes a new value and swaps it in: what others
 * hold never changes under them.
 *
 * A value's struct starts with a shared_value header; the functions take
 * and return pointers to the whole struct. Counts are plain ints: a value
 * is only ever touched from the thread of the Lua state that made it.
 */
#ifndef ENETCONNECTION_SHARED_VALUE_H
#define ENETCONNECTION_SHARED_VALUE_H

#include <stddef.h>

typedef struct shared_value {
    int refs;
    void (*free_contents)(void *value); /* before the memory goes */
} shared_value;

/* A zeroed value of `size` bytes (a struct starting with shared_value)
 * with one reference, or NULL when out of memory. `free_contents` (may be
 * NULL) frees what the value owns when the last reference goes. */
void *shared_value_new(size_t size, void (*free_contents)(void *value));

/* Takes one more reference; returns `value`. */
void *shared_value_retain(void *value);

/* Drops one reference; frees at zero. NULL is allowed. */
void shared_value_release(void *value);

#endif
