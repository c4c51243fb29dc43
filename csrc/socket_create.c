/*
 * socket_create.c - the socket layer makes the sockets of our hosts.
 *
 * libenet's enet_host_create calls enet_socket_create, enet_socket_bind
 * and enet_socket_get_address through its PLT, so the definitions below
 * receive every call, as socket_hooks.c receives every send and receive.
 * They act only when armed, on this thread, by socket_layer_host_create
 * around our binding's own enet_host_create: the socket is then ours, of
 * the family the binding asked for (socket_bind: IPv4, IPv6 only, or dual
 * stack with IPV6_V6ONLY off), with the options that must come before
 * bind (SO_REUSEPORT), bound to the binding's sockaddr. Every other call -
 * a lua-enet or a C program sharing this libenet, another thread, the
 * probe - gets what ENet 1.3.17's unix.c does: a bare IPv4 socket, bound
 * to an IPv4 address. What else libenet does to a host's socket works
 * for both families: it sets its own options at the socket level
 * (non-blocking, SO_BROADCAST, 256 KiB buffers), waits on it with poll,
 * and closes it. So the buffer sizes a binding asks for are set after
 * enet_host_create returns, or ENet's would replace them.
 */
#include "socket.h"

#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "address.h"

#include "visibility.h" /* last: hides what this file defines */

/* The arming of the layer for one enet_host_create: the options and
 * address in, the socket made, and when the layer failed to make it, the
 * step and its errno out. */
typedef struct socket_creation {
    const socket_options *options;
    const socket_bind *bind;
    ENetSocket socket; /* ENET_SOCKET_NULL until made */
    int ipv6;          /* the socket made is IPv6 */
    const char *failed_step;
    int error;
} socket_creation;

/* Set only while socket_layer_host_create runs enet_host_create. Static
 * TLS (initial-exec, as block_cache.c's pointer): a dynamic TLS block,
 * reached through __tls_get_addr, made LeakSanitizer's exit-time scan of
 * the thread's TLS crash in one exit in ten (GCC 12's sanitizers on glibc
 * 2.36). */
static _Thread_local socket_creation *armed __attribute__((tls_model("initial-exec")));

static int set_int_option(ENetSocket s, int name, int value)
{
    return setsockopt(s, SOL_SOCKET, name, &value, sizeof value);
}

static ENetSocket fail_step(socket_creation *creation, ENetSocket s, const char *step)
{
    creation->failed_step = step;
    creation->error = errno;
    if (s >= 0)
        close(s);
    errno = creation->error;
    return ENET_SOCKET_NULL;
}

/* Our host's socket: UDP of the family asked for, with the options that
 * must precede bind. A failure is recorded in `creation` for the message. */
static ENetSocket create_armed(socket_creation *creation)
{
    const socket_bind *bind = creation->bind;
    ENetSocket s = bind->ipv6 ? socket(AF_INET6, SOCK_DGRAM, 0) : socket(AF_INET, SOCK_DGRAM, 0);
    if (s < 0)
        return fail_step(creation, s, "socket");
    int v6only = bind->v6only;
    if (bind->ipv6 &&
        setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, &v6only, sizeof v6only) != 0)
        return fail_step(creation, s, "IPV6_V6ONLY");
    if (creation->options->reuse_port && set_int_option(s, SO_REUSEPORT, 1) != 0)
        return fail_step(creation, s, "SO_REUSEPORT");
    creation->socket = s;
    creation->ipv6 = bind->ipv6;
    return s;
}

EXPORT ENetSocket
enet_socket_create(ENetSocketType type)
{
    if (armed != NULL && type == ENET_SOCKET_TYPE_DATAGRAM)
        return create_armed(armed);
    return socket(AF_INET, type == ENET_SOCKET_TYPE_DATAGRAM ? SOCK_DGRAM : SOCK_STREAM, 0);
}

/* Whether `s` is the IPv6 socket the armed creation made. */
static int armed_ipv6(ENetSocket s)
{
    return armed != NULL && armed->socket == s && armed->ipv6;
}

EXPORT int
enet_socket_bind(ENetSocket s, const ENetAddress *address)
{
    if (armed_ipv6(s))
        return bind(s, (const struct sockaddr *)&armed->bind->address,
                    sizeof armed->bind->address);
    struct sockaddr_in sin;
    memset(&sin, 0, sizeof sin);
    sin.sin_family = AF_INET;
    if (address != NULL) {
        sin.sin_port = htons(address->port);
        sin.sin_addr.s_addr = address->host;
    }
    return bind(s, (const struct sockaddr *)&sin, sizeof sin);
}

/* The local address as ENet's: an IPv6 socket's port, and its IPv4
 * address when bound to a v4-mapped one, else 0 (any): ENet keeps it in
 * host->address and never sends to it. */
EXPORT int
enet_socket_get_address(ENetSocket s, ENetAddress *address)
{
    union {
        struct sockaddr sa;
        struct sockaddr_in v4;
        struct sockaddr_in6 v6;
    } name;
    socklen_t length = sizeof name;
    if (getsockname(s, &name.sa, &length) != 0)
        return -1;
    if (name.sa.sa_family == AF_INET6) {
        address->host = address_is_ipv4(&name.v6) ? address_ipv4_host(&name.v6) : 0;
        address->port = ntohs(name.v6.sin6_port);
        return 0;
    }
    address->host = name.v4.sin_addr.s_addr;
    address->port = ntohs(name.v4.sin_port);
    return 0;
}

static int ipv6_available;

static void probe_ipv6(void)
{
    ENetSocket s = socket(AF_INET6, SOCK_DGRAM, 0);
    ipv6_available = s >= 0;
    if (s >= 0)
        close(s);
}

int socket_layer_ipv6_available(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, probe_ipv6);
    return ipv6_available;
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

ENetHost *socket_layer_host_create(const ENetAddress *address, const socket_bind *bind,
                                   size_t peers,
                                   size_t channels, enet_uint32 in_bandwidth,
                                   enet_uint32 out_bandwidth,
                                   const socket_options *options,
                                   const char **failed_step)
{
    socket_creation creation = { .options = options, .bind = bind,
                                 .socket = ENET_SOCKET_NULL };
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
    if (bind->ipv6 && bind->v6only && host->socket != creation.socket) {
        /* Something interposed before us made an IPv4 socket and bound it
         * to every address: not what was asked. */
        enet_host_destroy(host);
        *failed_step = "socket";
        errno = EAFNOSUPPORT;
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
