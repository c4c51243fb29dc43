/*
 * address.h - addresses from and to text: IPv4 and IPv6. An address is a
 * struct sockaddr_in6; an IPv4 one is held in its v4-mapped form
 * (::ffff:a.b.c.d), which is also how a dual-stack socket sees it.
 */
#ifndef ENETCONNECTION_ADDRESS_H
#define ENETCONNECTION_ADDRESS_H

#include <netinet/in.h>
#include <stddef.h>

#include <enet/enet.h>

/* Room for any address's text and its terminator. */
#define INET_TEXT_SIZE INET6_ADDRSTRLEN

/* Address families, as a set (what a socket reaches, what a name may
 * resolve to). */
#define ADDRESS_IPV4 1
#define ADDRESS_IPV6 2

/* address_parse's results besides 0. */
#define ADDRESS_INVALID (-1)   /* no address, or a name that does not resolve */
#define ADDRESS_NO_FAMILY (-2) /* a name that resolves only to other families */

/*
 * Reads `text` (`length` bytes, as Lua counts them) into *out (its port 0):
 *   - a dotted quad, four decimal numbers 0..255 without leading zeros
 *     (inet_pton's form): "127.0.0.1";
 *   - an IPv6 literal as inet_pton reads it, with an optional scope
 *     ("fe80::1%lo"); a v4-mapped one ("::ffff:127.0.0.1") is that IPv4
 *     address;
 *   - "*", every address of both families (only when allow_any; *any set);
 *   - a host name (resolved, may block): the first address the system's
 *     resolver orders first (getaddrinfo, RFC 6724) among `families`.
 * Returns 0, ADDRESS_NO_FAMILY, or ADDRESS_INVALID for: text with a NUL
 * byte inside, empty text, numeric shorthand ("127.1", "2130706433",
 * "0x7f.0.0.1", "0177.0.0.1" and other digits-and-dots text that is not a
 * dotted quad), text with a colon that is no IPv6 literal (never looked
 * up), or a name that does not resolve.
 */
int address_parse(const char *text, size_t length, int allow_any, int families,
                  struct sockaddr_in6 *out, int *any);

/* Whether `a` holds an IPv4 address (v4-mapped). */
int address_is_ipv4(const struct sockaddr_in6 *a);

/* The family set of `a`: ADDRESS_IPV4 or ADDRESS_IPV6. */
int address_family(const struct sockaddr_in6 *a);

/* `a` (network order host) in its v4-mapped form, port `port`. */
void address_from_ipv4(enet_uint32 host, enet_uint16 port, struct sockaddr_in6 *a);

/* The IPv4 host (network order) of a v4-mapped `a`. */
enet_uint32 address_ipv4_host(const struct sockaddr_in6 *a);

/* Writes the text of `a` ("127.0.0.1" for a v4-mapped one, "::1") into
 * buf (INET_TEXT_SIZE bytes hold any); empty text when it does not fit. */
void address_format(const struct sockaddr_in6 *a, char *buf, size_t size);

/* Writes the dotted form of `a->host` into buf (16 bytes hold any): an
 * IPv6 remote's token reads as 0.x.y.z. */
void address_format_host(const ENetAddress *a, char *buf, size_t size);

#endif
