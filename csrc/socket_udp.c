/*
 * socket_udp.c - the last stage of the socket layer: one datagram onto or
 * off the wire with sendmsg/recvmsg, as ENet's own unix.c does (see
 * socket_entry.h for the two differences on receive).
 */
#include "socket_entry.h"

#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "visibility.h" /* last: hides what this file defines */

static void to_sockaddr(const ENetAddress *a, struct sockaddr_in *sin)
{
    memset(sin, 0, sizeof *sin);
    sin->sin_family = AF_INET;
    sin->sin_port = htons(a->port);
    sin->sin_addr.s_addr = a->host;
}

int socket_udp_send(ENetSocket s, const ENetAddress *to,
                    const ENetBuffer *buffers, size_t count)
{
    struct sockaddr_in sin;
    struct msghdr msg;
    memset(&msg, 0, sizeof msg);
    if (to != NULL) {
        to_sockaddr(to, &sin);
        msg.msg_name = &sin;
        msg.msg_namelen = sizeof sin;
    }
    /* ENetBuffer on Unix is laid out as struct iovec (ENet relies on it). */
    msg.msg_iov = (struct iovec *)buffers;
    msg.msg_iovlen = count;
    return (int)sendmsg(s, &msg, MSG_NOSIGNAL);
}

int socket_udp_receive(ENetSocket s, ENetAddress *from, ENetBuffer *buffers,
                       size_t count, socket_counters *counters)
{
    for (int drops = 0; drops < SOCKET_MAX_DROPS_PER_RECEIVE; drops++) {
        struct sockaddr_in sin;
        struct msghdr msg;
        memset(&msg, 0, sizeof msg);
        msg.msg_name = &sin;
        msg.msg_namelen = sizeof sin;
        msg.msg_iov = (struct iovec *)buffers;
        msg.msg_iovlen = count;
        if (counters != NULL)
            counters->receive_calls++;
        ssize_t got = recvmsg(s, &msg, MSG_NOSIGNAL);
        if (got < 0)
            return socket_udp_would_block() ? 0 : -1;
        if ((msg.msg_flags & MSG_TRUNC) || got == 0) {
            /* Larger than ENet's MTU: not ENet. Drop it and read the next
             * rather than fail the whole service call as ENet would. Empty:
             * not ENet either, and 0 would tell ENet "nothing more". */
            if (counters != NULL)
                counters->datagrams_dropped++;
            continue;
        }
        if (from != NULL) {
            from->host = sin.sin_addr.s_addr;
            from->port = ntohs(sin.sin_port);
        }
        return (int)got;
    }
    return 0;
}
