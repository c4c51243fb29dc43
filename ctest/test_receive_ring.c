/*
 * test_receive_ring.c - csrc/receive_ring.c, the socket layer's batched
 * receive, on real UDP sockets on 127.0.0.1: one fill reads what waits (up
 * to its bound), in order, with senders; oversized and empty datagrams are
 * dropped and counted; a datagram that does not fit ENet's buffers is
 * refused on take; an empty socket and a bad one.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "receive_ring.h"
#include "tap.h"

static int sock_fd[2];
static struct sockaddr_in sock_addr[2];

/* Two non-blocking UDP sockets on 127.0.0.1, ports picked by the system. */
static int open_sockets(void)
{
    for (int i = 0; i < 2; i++) {
        sock_fd[i] = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
        memset(&sock_addr[i], 0, sizeof sock_addr[i]);
        sock_addr[i].sin_family = AF_INET;
        sock_addr[i].sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t length = sizeof sock_addr[i];
        if (sock_fd[i] < 0 ||
            bind(sock_fd[i], (struct sockaddr *)&sock_addr[i], sizeof sock_addr[i]) != 0 ||
            getsockname(sock_fd[i], (struct sockaddr *)&sock_addr[i], &length) != 0)
            return -1;
    }
    return 0;
}

/* Sends `length` bytes of `fill` from socket 1 to socket 0. */
static void send_datagram(unsigned char fill, size_t length)
{
    static unsigned char data[8192];
    memset(data, fill, length);
    sendto(sock_fd[1], data, length, 0, (struct sockaddr *)&sock_addr[0], sizeof sock_addr[0]);
}

static void test_batch(receive_ring *r)
{
    uint64_t dropped = 0;
    tap_ok(receive_ring_fill(r, sock_fd[0], 16, &dropped) == 0 && !receive_ring_held(r),
           "an empty socket: the fill reads nothing and the ring holds nothing");
    for (int i = 0; i < 20; i++)
        send_datagram((unsigned char)i, 10 + (size_t)i);
    int read = receive_ring_fill(r, sock_fd[0], 100, &dropped);
    if (!tap_ok(read == RECEIVE_RING_SLOTS, "one fill reads at most RECEIVE_RING_SLOTS"))
        tap_note("read %d", read);
    unsigned char buffer[ENET_PROTOCOL_MAXIMUM_MTU];
    ENetBuffer into = { buffer, sizeof buffer };
    int in_order = 1, taken = 0;
    while (receive_ring_held(r)) {
        struct sockaddr_in6 from;
        int length = receive_ring_take(r, &from, &into, 1);
        const struct sockaddr_in *v4 = (const struct sockaddr_in *)&from;
        in_order = in_order && length == 10 + taken && buffer[0] == taken &&
                   v4->sin_family == AF_INET && v4->sin_port == sock_addr[1].sin_port &&
                   v4->sin_addr.s_addr == htonl(INADDR_LOOPBACK);
        taken++;
    }
    tap_ok(in_order && taken == RECEIVE_RING_SLOTS,
           "takes hand the datagrams out in order, with their length and sender");
    read = receive_ring_fill(r, sock_fd[0], 3, &dropped);
    int first = 0;
    if (receive_ring_held(r)) {
        receive_ring_take(r, NULL, &into, 1);
        first = buffer[0];
    }
    tap_ok(read == 3 && first == RECEIVE_RING_SLOTS, "a fill reads at most `max`, and goes on where the last stopped");
    while (receive_ring_held(r))
        receive_ring_take(r, NULL, &into, 1);
    read = receive_ring_fill(r, sock_fd[0], 16, &dropped);
    tap_ok(read == 1 && dropped == 0, "the last datagram waits for the next fill");
    receive_ring_take(r, NULL, &into, 1);
}

static void test_drops(receive_ring *r)
{
    uint64_t dropped = 0;
    send_datagram('a', 5);
    send_datagram('b', 0);                             /* empty */
    send_datagram('c', ENET_PROTOCOL_MAXIMUM_MTU + 1); /* larger than ENet takes */
    send_datagram('d', ENET_PROTOCOL_MAXIMUM_MTU);
    int read = receive_ring_fill(r, sock_fd[0], 16, &dropped);
    if (!tap_ok(read == 4 && dropped == 2, "the fill reads 4 and drops the empty and the oversized"))
        tap_note("read %d, dropped %d", read, (int)dropped);
    unsigned char buffer[ENET_PROTOCOL_MAXIMUM_MTU];
    ENetBuffer into = { buffer, sizeof buffer };
    int a = receive_ring_take(r, NULL, &into, 1);
    int first = buffer[0];
    int d = receive_ring_take(r, NULL, &into, 1);
    tap_ok(a == 5 && first == 'a' && d == ENET_PROTOCOL_MAXIMUM_MTU && buffer[0] == 'd' &&
               !receive_ring_held(r),
           "the two others are kept, in order");

    send_datagram('e', 100);
    receive_ring_fill(r, sock_fd[0], 16, &dropped);
    unsigned char small[10], rest[20];
    ENetBuffer pieces[2] = { { small, sizeof small }, { rest, sizeof rest } };
    tap_ok(receive_ring_take(r, NULL, pieces, 2) == -2 && !receive_ring_held(r),
           "a datagram larger than the buffers is refused (-2) and dropped");

    send_datagram('f', 25);
    receive_ring_fill(r, sock_fd[0], 16, &dropped);
    memset(rest, 0, sizeof rest);
    tap_ok(receive_ring_take(r, NULL, pieces, 2) == 25 && small[9] == 'f' && rest[14] == 'f' &&
               rest[15] == 0,
           "one that fits is spread over the buffers");
}

int main(void)
{
    if (!tap_ok(open_sockets() == 0, "two UDP sockets on 127.0.0.1"))
        return tap_done();
    receive_ring *r = receive_ring_new();
    tap_ok(r != NULL && !receive_ring_held(r), "a new ring holds nothing");
    test_batch(r);
    test_drops(r);
    uint64_t dropped = 0;
    tap_ok(receive_ring_fill(r, -1, 16, &dropped) == -1, "a bad socket: the fill fails (-1)");
    receive_ring_free(r);
    close(sock_fd[0]);
    close(sock_fd[1]);
    return tap_done();
}
