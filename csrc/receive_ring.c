/*
 * receive_ring.c - batched UDP receive for the socket layer.
 *
 * ENet reads one datagram per enet_socket_receive call, up to 256 per
 * service. When they arrive in bursts, one recvmmsg here fetches up to 16
 * and the following calls are served by a copy from memory instead of a
 * system call each. The socket layer decides when to use it (socket_pipeline.c).
 */
#include "receive_ring.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "buffers.h"
#include "check.h"

#include "visibility.h" /* last: hides what this file defines */

/* ENet's receive buffer is ENET_PROTOCOL_MAXIMUM_MTU bytes: a datagram
 * longer than a slot of that size is reported truncated (MSG_TRUNC), and
 * dropped, as recvmsg into ENet's own buffer would. */
#define SLOT_BYTES ENET_PROTOCOL_MAXIMUM_MTU

struct receive_ring {
    unsigned count, next; /* datagrams held; the next one to take */
    struct mmsghdr messages[RECEIVE_RING_SLOTS];
    struct iovec vectors[RECEIVE_RING_SLOTS];
    struct sockaddr_in6 senders[RECEIVE_RING_SLOTS]; /* room for either family */
    unsigned char data[RECEIVE_RING_SLOTS][SLOT_BYTES];
};

receive_ring *receive_ring_new(void)
{
    return calloc(1, sizeof(receive_ring));
}

void receive_ring_free(receive_ring *r)
{
    free(r);
}

int receive_ring_held(const receive_ring *r)
{
    return r->next < r->count;
}

int receive_ring_fill(receive_ring *r, ENetSocket s, unsigned max,
                      uint64_t *dropped)
{
    ENET_ASSERT(!receive_ring_held(r)); /* a fill would lose what it holds */
    if (max > RECEIVE_RING_SLOTS)
        max = RECEIVE_RING_SLOTS;
    for (unsigned i = 0; i < max; i++) {
        r->vectors[i].iov_base = r->data[i];
        r->vectors[i].iov_len = SLOT_BYTES;
        memset(&r->messages[i].msg_hdr, 0, sizeof r->messages[i].msg_hdr);
        r->messages[i].msg_hdr.msg_name = &r->senders[i];
        r->messages[i].msg_hdr.msg_namelen = sizeof r->senders[i];
        r->messages[i].msg_hdr.msg_iov = &r->vectors[i];
        r->messages[i].msg_hdr.msg_iovlen = 1;
    }
    r->count = r->next = 0;
    int got = recvmmsg(s, r->messages, max, MSG_DONTWAIT, NULL);
    if (got < 0)
        return (errno == EWOULDBLOCK || errno == EAGAIN) ? 0 : -1;
    /* Keep the datagrams ENet can take, in order. An empty one is not
     * kept: taken, it would tell ENet "nothing more" while others wait
     * here, and ENet would sleep in poll() through its whole timeout. */
    unsigned kept = 0;
    for (unsigned i = 0; i < (unsigned)got; i++) {
        if ((r->messages[i].msg_hdr.msg_flags & MSG_TRUNC) ||
            r->messages[i].msg_len == 0) {
            (*dropped)++;
            continue;
        }
        if (kept != i) {
            memcpy(r->data[kept], r->data[i], r->messages[i].msg_len);
            r->messages[kept].msg_len = r->messages[i].msg_len;
            r->senders[kept] = r->senders[i];
        }
        kept++;
    }
    r->count = kept;
    return got;
}

int receive_ring_take(receive_ring *r, struct sockaddr_in6 *from,
                      ENetBuffer *buffers, size_t count)
{
    ENET_ASSERT(receive_ring_held(r));
    unsigned i = r->next++;
    size_t length = r->messages[i].msg_len;
    if (length > buffers_length(buffers, count))
        return -2;
    buffers_scatter(buffers, count, r->data[i], length);
    if (from != NULL)
        *from = r->senders[i];
    return (int)length;
}
