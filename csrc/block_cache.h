/*
 * block_cache.h - a per-thread cache of the small blocks libenet allocates
 * and frees for every message (packets, their data, commands,
 * acknowledgements), installed as libenet's malloc/free.
 */
#ifndef ENETCONNECTION_BLOCK_CACHE_H
#define ENETCONNECTION_BLOCK_CACHE_H

/* Initialises ENet (once per process) with the cache as its allocator
 * where the C library supports it, plain malloc/free elsewhere. Returns
 * enet_initialize's result. */
int block_cache_enet_initialize(void);

/* A host was created / destroyed in this thread. The cache keeps blocks
 * only while the thread has a host; the last destroy frees them all. */
void block_cache_hold(void);
void block_cache_release(void);

#endif
