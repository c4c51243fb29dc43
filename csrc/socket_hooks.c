/*
 * socket_hooks.c - where libenet enters the socket layer: the two symbols
 * the module exports, and the probe that tells whether libenet's calls
 * reach them.
 *
 * libenet calls enet_socket_send / enet_socket_receive through its PLT;
 * when Lua loads this module, those calls bind to the definitions below. A
 * registered socket's datagrams go through its pipeline
 * (socket_pipeline.c); any other socket gets plain UDP, as in ENet.
 */
#include "socket_entry.h"

#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>

#include "visibility.h" /* last: hides what this file defines */

static atomic_int probe_seen;

EXPORT int
enet_socket_send(ENetSocket s, const ENetAddress *to,
                 const ENetBuffer *buffers, size_t count)
{
    socket_entry *e = socket_registry_find(s);
    if (e == NULL) {
        int sent = socket_udp_send(s, NULL, to, buffers, count);
        return sent >= 0 ? sent : socket_udp_would_block() ? 0 : -1;
    }
    if (e->is_probe)
        atomic_store(&probe_seen, 1);
    return socket_pipeline_send(e, to, buffers, count);
}

EXPORT int
enet_socket_receive(ENetSocket s, ENetAddress *from, ENetBuffer *buffers,
                    size_t count)
{
    socket_entry *e = socket_registry_find(s);
    if (e == NULL)
        return socket_udp_receive(s, NULL, from, buffers, count);
    return socket_pipeline_receive(e, from, buffers, count);
}

/* ---- the probe ---------------------------------------------------------- */

/* A throw-away host on 127.0.0.1 connects to itself and flushes: if libenet's
 * send reaches our hook, the layer is live. When libenet was loaded globally
 * before this module (LD_PRELOAD, another binding), it is not. */
static int probe_state; /* 1 active, -1 inactive, once probed */

static void probe_run(void)
{
    ENetAddress address = { .host = htonl(INADDR_LOOPBACK), .port = 0 };
    ENetHost *host = enet_host_create(&address, 1, 1, 0, 0);
    if (host == NULL) {
        probe_state = -1;
        return;
    }
    ENetAddress self;
    if (socket_layer_register(host) == 0 &&
        enet_socket_get_address(host->socket, &self) == 0) {
        socket_registry_find(host->socket)->is_probe = 1;
        self.host = htonl(INADDR_LOOPBACK);
        if (enet_host_connect(host, &self, 1, 0) != NULL)
            enet_host_flush(host);
    }
    socket_layer_unregister(host->socket);
    enet_host_destroy(host);
    probe_state = atomic_load(&probe_seen) ? 1 : -1;
}

int socket_layer_active(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, probe_run); /* also publishes probe_state */
    return probe_state > 0;
}
