/*
 * fail_send.c - an LD_PRELOAD shim for the specs: sendmsg() to chosen
 * loopback ports fails as if the kernel refused the destination, and sends
 * nothing. It stands in for unroutable or firewalled peers, so no spec ever
 * needs an address off the loopback interface.
 *
 *   ENETCONNECTION_FAIL_SEND="PORT=ERRNO,PORT=ERRNO,..."
 *
 * PORT is on 127.0.0.0/8 or ::1; ERRNO is one of ENETUNREACH, EINVAL,
 * EPERM, ENOBUFS (refused destinations) or ENOTSOCK (an unusable socket).
 * Every other sendmsg() goes to the next definition (libc's, or ASan's
 * interceptor, which in turn finds this one through dlsym(RTLD_NEXT)).
 * The socket layer sends only through sendmsg() (csrc/socket_udp.c).
 */
#include <dlfcn.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#define MAX_REFUSED 8

typedef ssize_t (*sendmsg_fn)(int, const struct msghdr *, int);

static sendmsg_fn next_sendmsg;

static struct {
    unsigned port; /* host order */
    int error;
} refused[MAX_REFUSED];
static size_t refused_count;

static const struct {
    const char *name;
    int value;
} errno_names[] = {
    { "ENETUNREACH", ENETUNREACH }, { "EINVAL", EINVAL },     { "EPERM", EPERM },
    { "ENOBUFS", ENOBUFS },         { "ENOTSOCK", ENOTSOCK },
};

/* The errno called `name` (length bytes), or 0. */
static int errno_named(const char *name, size_t length)
{
    for (size_t i = 0; i < sizeof errno_names / sizeof errno_names[0]; i++)
        if (strlen(errno_names[i].name) == length && memcmp(errno_names[i].name, name, length) == 0)
            return errno_names[i].value;
    return 0;
}

/* A malformed setting aborts: a spec must not run believing in a refusal
 * that is not there. */
static _Noreturn void bad_setting(const char *where)
{
    fprintf(stderr, "fail_send: bad ENETCONNECTION_FAIL_SEND near '%s'\n", where);
    abort();
}

static void parse_refused(const char *spec)
{
    while (*spec != '\0') {
        char *end;
        unsigned long port = strtoul(spec, &end, 10);
        if (*end != '=' || port == 0 || port > 65535 || refused_count == MAX_REFUSED)
            bad_setting(spec);
        const char *name = end + 1;
        size_t length = strcspn(name, ",");
        int error = errno_named(name, length);
        if (error == 0)
            bad_setting(spec);
        refused[refused_count].port = (unsigned)port;
        refused[refused_count].error = error;
        refused_count++;
        spec = name + length + (name[length] == ',');
    }
}

__attribute__((constructor)) static void fail_send_init(void)
{
    next_sendmsg = (sendmsg_fn)dlsym(RTLD_NEXT, "sendmsg");
    const char *spec = getenv("ENETCONNECTION_FAIL_SEND");
    if (spec != NULL)
        parse_refused(spec);
}

/* The port of a loopback destination, or 0. */
static unsigned loopback_port(const struct sockaddr *to, socklen_t length)
{
    if (to == NULL)
        return 0;
    if (to->sa_family == AF_INET && length >= sizeof(struct sockaddr_in)) {
        const struct sockaddr_in *sin = (const struct sockaddr_in *)to;
        return (ntohl(sin->sin_addr.s_addr) >> 24) == 127 ? ntohs(sin->sin_port) : 0;
    }
    if (to->sa_family == AF_INET6 && length >= sizeof(struct sockaddr_in6)) {
        const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)to;
        const struct in6_addr *a = &sin6->sin6_addr;
        int loopback = IN6_IS_ADDR_LOOPBACK(a) || (IN6_IS_ADDR_V4MAPPED(a) && a->s6_addr[12] == 127);
        return loopback ? ntohs(sin6->sin6_port) : 0;
    }
    return 0;
}

__attribute__((visibility("default"))) ssize_t sendmsg(int fd, const struct msghdr *msg, int flags)
{
    unsigned port = msg != NULL ? loopback_port(msg->msg_name, msg->msg_namelen) : 0;
    for (size_t i = 0; port != 0 && i < refused_count; i++) {
        if (refused[i].port == port) {
            errno = refused[i].error;
            return -1;
        }
    }
    if (next_sendmsg == NULL) {
        errno = ENOSYS;
        return -1;
    }
    return next_sendmsg(fd, msg, flags);
}
