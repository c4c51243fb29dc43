/*
 * udp_pingpong.c - the kernel's own share of the ipv6 rows of bench/run:
 * a 64-byte UDP ping-pong between two processes on loopback, with no ENet
 * and no Lua, over the three kinds of socket our hosts use: IPv4
 * (127.0.0.1), dual stack (an IPv6 socket talking to ::ffff:127.0.0.1)
 * and IPv6 (::1). Each waits in poll() as ENet does. The families take
 * turns, ROUNDS times; the medians and their ratios to IPv4 are printed,
 * so the binding's ratios can be read against what the kernel allows.
 *
 *   udp_pingpong [COUNT [ROUNDS]]   (default 20000 round trips, 5 rounds)
 */
#define _POSIX_C_SOURCE 200809L
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SIZE 64
#define MAX_ROUNDS 15
#define FAMILIES 3

static const char *const names[FAMILIES] = { "IPv4", "dual stack", "IPv6 ::1" };

static double now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static void die(const char *what)
{
    perror(what);
    exit(2);
}

/* A socket of `family` (0 IPv4, 1 dual stack, 2 IPv6) bound to loopback
 * port 0; its address, as a peer reaches it, into *to. */
static int open_socket(int family, struct sockaddr_storage *to, socklen_t *length)
{
    int s = socket(family == 0 ? AF_INET : AF_INET6, SOCK_DGRAM, 0);
    if (s < 0)
        die("socket");
    memset(to, 0, sizeof *to);
    if (family == 0) {
        struct sockaddr_in *a = (struct sockaddr_in *)to;
        a->sin_family = AF_INET;
        a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        *length = sizeof *a;
    } else {
        int off = 0;
        if (setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof off) != 0)
            die("IPV6_V6ONLY");
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)to;
        a->sin6_family = AF_INET6;
        if (family == 1) /* bound to every address; reached as ::ffff:127.0.0.1 */
            a->sin6_addr = in6addr_any;
        else
            a->sin6_addr = in6addr_loopback;
        *length = sizeof *a;
    }
    if (bind(s, (struct sockaddr *)to, *length) != 0 ||
        getsockname(s, (struct sockaddr *)to, length) != 0)
        die("bind");
    if (family == 1)
        inet_pton(AF_INET6, "::ffff:127.0.0.1", &((struct sockaddr_in6 *)to)->sin6_addr);
    return s;
}

static void wait_readable(int s)
{
    struct pollfd p = { .fd = s, .events = POLLIN };
    if (poll(&p, 1, 5000) != 1)
        die("poll (no answer in 5 s)");
}

/* Echoes every datagram back to its sender, forever (killed by the parent). */
static void echo(int s)
{
    char data[SIZE];
    for (;;) {
        struct sockaddr_storage from;
        socklen_t length = sizeof from;
        wait_readable(s);
        ssize_t n = recvfrom(s, data, sizeof data, 0, (struct sockaddr *)&from, &length);
        if (n > 0)
            sendto(s, data, (size_t)n, 0, (struct sockaddr *)&from, length);
    }
}

/* Microseconds per round trip of `count` from a client of `family`. */
static double round_trips(int family, int count)
{
    struct sockaddr_storage server_address, unused;
    socklen_t server_length, unused_length;
    int server = open_socket(family, &server_address, &server_length);
    pid_t child = fork();
    if (child < 0)
        die("fork");
    if (child == 0)
        echo(server);
    close(server);
    int client = open_socket(family, &unused, &unused_length);
    char data[SIZE] = { 0 };
    double t0 = now_us();
    for (int i = 0; i < count; i++) {
        if (sendto(client, data, sizeof data, 0, (struct sockaddr *)&server_address,
                   server_length) != SIZE)
            die("sendto");
        wait_readable(client);
        if (recv(client, data, sizeof data, 0) != SIZE)
            die("recv");
    }
    double rtt = (now_us() - t0) / count;
    kill(child, SIGKILL);
    waitpid(child, NULL, 0);
    close(client);
    return rtt;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, by_value);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int main(int argc, char **argv)
{
    int count = argc > 1 ? atoi(argv[1]) : 20000;
    int rounds = argc > 2 ? atoi(argv[2]) : 5;
    if (count < 1 || rounds < 1 || rounds > MAX_ROUNDS) {
        fprintf(stderr, "usage: udp_pingpong [COUNT [ROUNDS <= %d]]\n", MAX_ROUNDS);
        return 2;
    }
    double rtt[FAMILIES][MAX_ROUNDS], med[FAMILIES];
    for (int r = 0; r < rounds; r++)
        for (int f = 0; f < FAMILIES; f++)
            rtt[f][r] = round_trips(f, count);
    printf("kernel UDP ping-pong, 64 B, poll(), medians of %d rounds of %d\n", rounds, count);
    for (int f = 0; f < FAMILIES; f++) {
        med[f] = median(rtt[f], rounds);
        printf("%-12s %8.1f us/rtt   speed over IPv4 %.3f\n", names[f], med[f], med[0] / med[f]);
    }
    return 0;
}
