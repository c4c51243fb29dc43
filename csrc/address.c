/*
 * address.c - parsing and formatting addresses (address.h).
 */
#include "address.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <string.h>
#include <sys/socket.h>

#include "visibility.h" /* last: hides what this file defines */

/* Text that C's inet_aton reads as a number but that is not a dotted quad
 * ("127.1", "2130706433", "0x7f.0.0.1", "0177.0.0.1"), or made of digits
 * and dots only ("1.2.3.4.5"), which no host name is. getaddrinfo would take
 * the first kind as that number. */
static int numeric_shorthand(const char *text)
{
    struct in_addr in;
    return inet_aton(text, &in) != 0 || strspn(text, "0123456789.") == strlen(text);
}

int address_is_ipv4(const struct sockaddr_in6 *a)
{
    return IN6_IS_ADDR_V4MAPPED(&a->sin6_addr);
}

int address_family(const struct sockaddr_in6 *a)
{
    return address_is_ipv4(a) ? ADDRESS_IPV4 : ADDRESS_IPV6;
}

void address_from_ipv4(enet_uint32 host, enet_uint16 port, struct sockaddr_in6 *a)
{
    memset(a, 0, sizeof *a);
    a->sin6_family = AF_INET6;
    a->sin6_port = htons(port);
    a->sin6_addr.s6_addr[10] = 0xff;
    a->sin6_addr.s6_addr[11] = 0xff;
    memcpy(&a->sin6_addr.s6_addr[12], &host, 4);
}

enet_uint32 address_ipv4_host(const struct sockaddr_in6 *a)
{
    enet_uint32 host;
    memcpy(&host, &a->sin6_addr.s6_addr[12], 4);
    return host;
}

/* One result of getaddrinfo into *out (port 0). */
static void from_sockaddr(const struct sockaddr *sa, struct sockaddr_in6 *out)
{
    if (sa->sa_family == AF_INET) {
        address_from_ipv4(((const struct sockaddr_in *)sa)->sin_addr.s_addr, 0, out);
        return;
    }
    memcpy(out, sa, sizeof *out);
    out->sin6_port = 0;
    out->sin6_flowinfo = 0;
}

/* getaddrinfo with `flags`: the first result of a family in `families`. */
static int resolve(const char *text, int flags, int families, struct sockaddr_in6 *out)
{
    struct addrinfo hints, *list;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_DGRAM;
    hints.ai_flags = flags;
    if (getaddrinfo(text, NULL, &hints, &list) != 0)
        return ADDRESS_INVALID;
    int result = ADDRESS_NO_FAMILY;
    for (const struct addrinfo *ai = list; ai != NULL; ai = ai->ai_next) {
        if (ai->ai_family != AF_INET && ai->ai_family != AF_INET6)
            continue;
        struct sockaddr_in6 found;
        from_sockaddr(ai->ai_addr, &found);
        if (address_family(&found) & families) {
            *out = found;
            result = 0;
            break;
        }
    }
    freeaddrinfo(list);
    return result;
}

int address_parse(const char *text, size_t length, int allow_any, int families,
                  struct sockaddr_in6 *out, int *any)
{
    *any = 0;
    if (strlen(text) != length || text[0] == '\0')
        return ADDRESS_INVALID; /* a NUL inside would cut the text short */
    if (allow_any && strcmp(text, "*") == 0) {
        memset(out, 0, sizeof *out);
        out->sin6_family = AF_INET6;
        *any = 1;
        return 0;
    }
    struct in_addr in;
    if (inet_pton(AF_INET, text, &in) == 1) {
        address_from_ipv4(in.s_addr, 0, out);
        return 0;
    }
    if (strchr(text, ':') != NULL) /* an IPv6 literal, or nothing: no name has a colon */
        return resolve(text, AI_NUMERICHOST, ADDRESS_IPV4 | ADDRESS_IPV6, out) == 0
                   ? 0 : ADDRESS_INVALID;
    if (numeric_shorthand(text))
        return ADDRESS_INVALID;
    return resolve(text, 0, families, out);
}

void address_format(const struct sockaddr_in6 *a, char *buf, size_t size)
{
    const char *done;
    if (address_is_ipv4(a)) {
        done = inet_ntop(AF_INET, &a->sin6_addr.s6_addr[12], buf, (socklen_t)size);
    } else {
        done = inet_ntop(AF_INET6, &a->sin6_addr, buf, (socklen_t)size);
    }
    if (done == NULL && size > 0)
        buf[0] = '\0';
}

void address_format_host(const ENetAddress *a, char *buf, size_t size)
{
    struct in_addr in;
    in.s_addr = a->host;
    if (inet_ntop(AF_INET, &in, buf, (socklen_t)size) == NULL && size > 0)
        buf[0] = '\0';
}
