/*
 * peer.h - the ENetPacketPeer userdata: Godot's methods on a peer, its
 * received-packet queue and error state. Its identity and lifetime (which
 * userdata stands for which remote, and when it dies) belong to
 * peer_registry.h.
 */
#ifndef ENETCONNECTION_PEER_H
#define ENETCONNECTION_PEER_H

#include <enet/enet.h>

#include "address.h"
#include "compat.h"
#include "packet.h"

/* The metatable name; its address tags the userdata (class_check). */
extern const char peer_metatable_name[];
#define PEER_MT peer_metatable_name

/* The number of ENetPacketPeer methods: each peer's own table holds them. */
extern const int peer_method_count;

typedef struct peer_wrapper {
    const char *class_name;   /* PEER_MT, for class_check */
    ENetPeer *peer;           /* NULL once dead */
    enet_uint32 connect_id;   /* detects a recycled slot */
    size_t slot;
    ENetAddress address;      /* kept for tostring and after death */
    char remote[INET_TEXT_SIZE]; /* its text ("::1"), kept after death */
    size_t channels;          /* the last channel count seen, kept after death */
    packet_queue queue;       /* received, not yet read; survives death */
    packet_hold held;         /* taken from the queue, being copied to Lua */
    int last_error;           /* for get_packet_error */
    size_t encode_buffer_max_size; /* put_var's limit (Godot's PacketPeer
                                      property); 0: Godot's default, 8 MiB */
} peer_wrapper;

void peer_open(lua_State *L);

#endif
