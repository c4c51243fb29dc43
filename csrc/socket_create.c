/*
 * socket_create.c - the socket layer makes the sockets of our hosts.
 *
 * libenet's enet_host_create calls enet_socket_create through its PLT, so
 * the definition below receives every call, as socket_hooks.c receives
 * every send and receive. It acts only when armed, on this thread, by
 * socket_layer_host_create around our binding's own enet_host_create: it
 * then makes the socket and sets the options that must come before bind
 * (SO_REUSEPORT). Every other call - a lua-enet or a C program sharing
 * this libenet, another thread, the probe - gets what ENet 1.3.17's unix.c
 * does: a bare IPv4 socket of the type asked for. Either way libenet binds
 * the socket and then sets its own options (non-blocking, broadcast,
 * 256 KiB buffers); so the buffer sizes a binding asks for are set after
 * enet_host_create returns, or ENet's would replace them.
 */
#include "socket.h"

#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>

#include "visibility.h" /* last: hides what this file defines */

/* The arming of the layer for one enet_host_create: the options in, and,
 * when the layer failed to make the socket, the step and its errno out. */
typedef struct socket_creation {
    const socket_options *options;
    const char *failed_step;
    int error;
} socket_creation;

/* Set only while socket_layer_host_create runs enet_host_create. */
static _Thread_local socket_creation *armed;

static int set_int_option(ENetSocket s, int name, int value)
{
    return setsockopt(s, SOL_SOCKET, name, &value, sizeof value);
}

/* Our host's socket: UDP over IPv4 as ENet's, with the options that must
 * precede bind. A failure is recorded in `creation` for the message. */
static ENetSocket create_armed(socket_creation *creation)
{
    ENetSocket s = socket(AF_INET, SOCK_DGRAM, 0);
    if (s < 0) {
        creation->failed_step = "socket";
        creation->error = errno;
        return ENET_SOCKET_NULL;
    }
    if (creation->options->reuse_port && set_int_option(s, SO_REUSEPORT, 1) != 0) {
        creation->failed_step = "SO_REUSEPORT";
        creation->error = errno;
        close(s);
        errno = creation->error;
        return ENET_SOCKET_NULL;
    }
    return s;
}

EXPORT ENetSocket
enet_socket_create(ENetSocketType type)
{
    if (armed != NULL && type == ENET_SOCKET_TYPE_DATAGRAM)
        return create_armed(armed);
    return socket(AF_INET, type == ENET_SOCKET_TYPE_DATAGRAM ? SOCK_DGRAM : SOCK_STREAM, 0);
}

static int set_buffers(ENetSocket s, const socket_options *options,
                       const char **failed_step)
{
    if (options->receive_buffer > 0 &&
        set_int_option(s, SO_RCVBUF, options->receive_buffer) != 0) {
        *failed_step = "SO_RCVBUF";
        return -1;
    }
    if (options->send_buffer > 0 &&
        set_int_option(s, SO_SNDBUF, options->send_buffer) != 0) {
        *failed_step = "SO_SNDBUF";
        return -1;
    }
    return 0;
}

ENetHost *socket_layer_host_create(const ENetAddress *address, size_t peers,
                                   size_t channels, enet_uint32 in_bandwidth,
                                   enet_uint32 out_bandwidth,
                                   const socket_options *options,
                                   const char **failed_step)
{
    socket_creation creation = { .options = options };
    armed = &creation;
    errno = 0;
    ENetHost *host = enet_host_create(address, peers, channels, in_bandwidth, out_bandwidth);
    armed = NULL;
    *failed_step = creation.failed_step;
    if (host == NULL) {
        if (creation.failed_step != NULL)
            errno = creation.error;
        return NULL;
    }
    if (set_buffers(host->socket, options, failed_step) != 0) {
        int err = errno;
        enet_host_destroy(host);
        errno = err;
        return NULL;
    }
    return host;
}

static int get_int_option(ENetSocket s, int name, int *value)
{
    socklen_t length = sizeof *value;
    return getsockopt(s, SOL_SOCKET, name, value, &length);
}

int socket_layer_read_options(ENetSocket s, socket_options *options)
{
    if (get_int_option(s, SO_REUSEPORT, &options->reuse_port) != 0 ||
        get_int_option(s, SO_RCVBUF, &options->receive_buffer) != 0 ||
        get_int_option(s, SO_SNDBUF, &options->send_buffer) != 0)
        return -1;
    options->reuse_port = options->reuse_port != 0;
    return 0;
}
