/*
 * wire_capture.h - a test hook of the socket layer: copies of the last n
 * datagrams a host's socket sent or received on the wire, that is after
 * any filter (DTLS records, not ENet's plaintext). Off unless a test turns
 * it on with the (Lua) conn:_capture(n); conn:_captured() reads it.
 */
#ifndef ENETCONNECTION_WIRE_CAPTURE_H
#define ENETCONNECTION_WIRE_CAPTURE_H

#include <stddef.h>

#include <enet/enet.h>

#include "compat.h"

typedef struct wire_datagram {
    int sent;            /* 1: sent by the socket, 0: received */
    ENetAddress address; /* where it went, or where it came from */
    size_t length;
    unsigned char *data;
} wire_datagram;

/* A ring of the last `capacity` datagrams. */
typedef struct wire_capture {
    size_t capacity, count, next;
    wire_datagram datagrams[];
} wire_capture;

/* A new empty ring (capacity >= 1), or NULL when out of memory. */
wire_capture *wire_capture_new(size_t capacity);
/* Frees the ring and its copies. NULL is allowed. */
void wire_capture_free(wire_capture *capture);

/* Copies one datagram of `length` bytes given as ENet buffers, replacing
 * the oldest when full. A copy that cannot be allocated is skipped. */
void wire_capture_add(wire_capture *capture, int sent, const ENetAddress *address,
                      const ENetBuffer *buffers, size_t count, size_t length);

/* Adds conn:_capture(n) and conn:_captured() to module.ENetConnection
 * (module part "capture"; module table on top). */
void wire_capture_open(lua_State *L);

#endif
