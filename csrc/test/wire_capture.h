/*
 * wire_capture.h - the test build's capture stage of the socket layer
 * (socket_pipeline.c): copies of the last n datagrams a host's socket sent
 * or received on the wire, that is after any filter (DTLS records, not
 * ENet's plaintext). Only in the test build (-DENETCONNECTION_TESTS), where
 * the (Lua) conn:_capture(n) turns it on and conn:_captured() reads it
 * (wire_capture_lua.c). No Lua here.
 */
#ifndef ENETCONNECTION_WIRE_CAPTURE_H
#define ENETCONNECTION_WIRE_CAPTURE_H

#include <stddef.h>

#include <enet/enet.h>

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

/* From now on keep the last `capacity` datagrams a registered socket sends
 * or receives on the wire; 0 stops and frees them. Returns 0, or -1 when
 * out of memory or the socket is not registered. */
int socket_layer_capture(ENetSocket s, size_t capacity);
/* The capture of a registered socket, or NULL when it has none. */
const wire_capture *socket_layer_captured(ENetSocket s);

#endif
