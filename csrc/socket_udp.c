/*
 * socket_udp.c - the last stage of the socket layer: one datagram onto or
 * off the wire with sendmsg/recvmsg, as ENet's own unix.c does (see
 * socket_entry.h for the two differences on receive), and the addresses'
 * way between ENet's 32-bit hosts and the socket's sockaddr.
 *
 * On a socket with IPv6 (socket_create.c makes our hosts' sockets dual
 * stack) an IPv4 remote is the v4-mapped ::ffff:a.b.c.d on the wire and
 * its own address in ENet; any other IPv6 remote is a token in ENet
 * (address_tokens.h), looked up on the way out. An IPv4 socket (ENet's
 * own, or ours bound to an IPv4 address) needs neither.
 */
#include "socket_entry.h"

#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "address.h"
#include "address_tokens.h"

#include "visibility.h" /* last: hides what this file defines */

/* ENet's address as the socket's sockaddr: its length, or 0 for a token
 * that the socket's table does not know (errno EHOSTUNREACH). */
static socklen_t to_sockaddr(const socket_entry *e, const ENetAddress *a, socket_sockaddr *out)
{
    if (e == NULL || !(e->families & ADDRESS_IPV6)) {
        memset(&out->v4, 0, sizeof out->v4);
        out->v4.sin_family = AF_INET;
        out->v4.sin_port = htons(a->port);
        out->v4.sin_addr.s_addr = a->host;
        return sizeof out->v4;
    }
    if (!address_tokens_is_token(a->host)) {
        address_from_ipv4(a->host, a->port, &out->v6);
        return sizeof out->v6;
    }
    const struct sockaddr_in6 *remote =
        e->tokens != NULL ? address_tokens_find(e->tokens, a->host) : NULL;
    if (remote == NULL) {
        errno = EHOSTUNREACH; /* a stale token: its remote is forgotten */
        return 0;
    }
    out->v6 = *remote;
    out->v6.sin6_port = htons(a->port);
    return sizeof out->v6;
}

int socket_udp_enet_address(socket_entry *e, const socket_sockaddr *from, ENetAddress *out)
{
    if (from->sa.sa_family == AF_INET) {
        out->host = from->v4.sin_addr.s_addr;
        out->port = ntohs(from->v4.sin_port);
        return 0;
    }
    out->port = ntohs(from->v6.sin6_port);
    if (address_is_ipv4(&from->v6)) {
        out->host = address_ipv4_host(&from->v6);
        return 0;
    }
    if (e == NULL)
        return -1;
    if (e->tokens == NULL &&
        (e->tokens = address_tokens_new(e->host, ADDRESS_TOKENS_UNPINNED_MAX)) == NULL)
        return -1;
    out->host = address_tokens_intern(e->tokens, &from->v6);
    return out->host != 0 ? 0 : -1;
}

int socket_udp_send(ENetSocket s, socket_entry *e, const ENetAddress *to,
                    const ENetBuffer *buffers, size_t count)
{
    socket_sockaddr name;
    struct msghdr msg;
    memset(&msg, 0, sizeof msg);
    if (to != NULL) {
        msg.msg_namelen = to_sockaddr(e, to, &name);
        if (msg.msg_namelen == 0)
            return -1;
        msg.msg_name = &name;
    }
    /* ENetBuffer on Unix is laid out as struct iovec (ENet relies on it). */
    msg.msg_iov = (struct iovec *)buffers;
    msg.msg_iovlen = count;
    return (int)sendmsg(s, &msg, MSG_NOSIGNAL);
}

int socket_udp_receive(ENetSocket s, socket_entry *e, ENetAddress *from,
                       ENetBuffer *buffers, size_t count)
{
    socket_counters *counters = e != NULL ? &e->counters : NULL;
    for (int drops = 0; drops < SOCKET_MAX_DROPS_PER_RECEIVE; drops++) {
        socket_sockaddr name;
        struct msghdr msg;
        memset(&msg, 0, sizeof msg);
        msg.msg_name = &name;
        msg.msg_namelen = sizeof name;
        msg.msg_iov = (struct iovec *)buffers;
        msg.msg_iovlen = count;
        if (counters != NULL)
            counters->receive_calls++;
        ssize_t got = recvmsg(s, &msg, MSG_NOSIGNAL);
        if (got < 0)
            return socket_udp_would_block() ? 0 : -1;
        ENetAddress sender;
        if ((msg.msg_flags & MSG_TRUNC) || got == 0 ||
            socket_udp_enet_address(e, &name, &sender) != 0) {
            /* Larger than ENet's MTU: not ENet. Drop it and read the next
             * rather than fail the whole service call as ENet would. Empty:
             * not ENet either, and 0 would tell ENet "nothing more". An
             * IPv6 source the token table cannot take: lost. */
            if (counters != NULL)
                counters->datagrams_dropped++;
            continue;
        }
        if (from != NULL)
            *from = sender;
        return (int)got;
    }
    return 0;
}

/* ---- for bindings (socket.h) -------------------------------------------- */

int socket_layer_families(ENetSocket s)
{
    socket_entry *e = socket_registry_find(s);
    return e != NULL ? e->families : ADDRESS_IPV4;
}

int socket_layer_enet_address(ENetSocket s, const struct sockaddr_in6 *remote,
                              ENetAddress *out)
{
    socket_entry *e = socket_registry_find(s);
    int families = e != NULL ? e->families : ADDRESS_IPV4;
    if (!(address_family(remote) & families))
        return -1;
    socket_sockaddr name = { .v6 = *remote };
    return socket_udp_enet_address(e, &name, out);
}

int socket_layer_remote(ENetSocket s, const ENetAddress *a, struct sockaddr_in6 *out)
{
    socket_entry *e = socket_registry_find(s);
    if (!address_tokens_is_token(a->host)) {
        address_from_ipv4(a->host, a->port, out);
        return 0;
    }
    const struct sockaddr_in6 *remote =
        e != NULL && e->tokens != NULL ? address_tokens_find(e->tokens, a->host) : NULL;
    if (remote == NULL)
        return -1;
    *out = *remote;
    out->sin6_port = htons(a->port);
    return 0;
}

void socket_layer_remote_text(ENetSocket s, const ENetAddress *a, char *text, size_t size)
{
    struct sockaddr_in6 remote;
    char host[INET_TEXT_SIZE];
    if (socket_layer_remote(s, a, &remote) != 0) {
        address_format_host(a, host, sizeof host);
        snprintf(text, size, "%s:%d", host, (int)a->port);
    } else {
        address_format(&remote, host, sizeof host);
        snprintf(text, size, address_is_ipv4(&remote) ? "%s:%d" : "[%s]:%d", host, (int)a->port);
    }
}
