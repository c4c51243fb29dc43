/*
 * test_address.c - csrc/address.c: which texts address_parse accepts
 * (dotted quads, IPv6 literals, "*" for bind, host names) and refuses (a
 * NUL inside, empty text, numeric shorthand, digits-and-dots that are no
 * quad, colons that are no IPv6 literal), and address_format within its
 * buffer. No DNS server is asked: the names
 * are "localhost" (the hosts file) and one with a 64-octet label, which
 * the resolver refuses before any query.
 */
#include <arpa/inet.h>
#include <string.h>

#include "address.h"
#include "tap.h"

/* Parses a C string as IPv4 (a name: to IPv4 only); returns
 * address_parse's result, out->host filled (ENET_HOST_ANY for "*"). */
static int parse(const char *text, int allow_any, ENetAddress *out)
{
    struct sockaddr_in6 a;
    int any;
    int r = address_parse(text, strlen(text), allow_any, ADDRESS_IPV4, &a, &any);
    if (r == 0)
        out->host = any ? ENET_HOST_ANY : address_is_ipv4(&a) ? address_ipv4_host(&a) : 0xdead;
    return r;
}

/* Parses a C string allowing both families; its text back in `text`. */
static int parse6(const char *text, int families, char *back, size_t size)
{
    struct sockaddr_in6 a;
    int any;
    int r = address_parse(text, strlen(text), 0, families, &a, &any);
    if (r == 0)
        address_format(&a, back, size);
    return r;
}

static void test_ipv6(void)
{
    char text[INET_TEXT_SIZE];
    tap_ok(parse6("::1", ADDRESS_IPV4, text, sizeof text) == 0 && strcmp(text, "::1") == 0,
           "an IPv6 literal is read whatever families names may resolve to");
    tap_ok(parse6("2001:0db8:0:0::5", ADDRESS_IPV6, text, sizeof text) == 0 &&
               strcmp(text, "2001:db8::5") == 0,
           "an IPv6 literal comes back in its short form (%s)", text);
    tap_ok(parse6("::ffff:127.0.0.1", ADDRESS_IPV6, text, sizeof text) == 0 &&
               strcmp(text, "127.0.0.1") == 0,
           "a v4-mapped literal is that IPv4 address");
    struct sockaddr_in6 a;
    int any;
    tap_ok(address_parse("fe80::1%lo", 10, 0, ADDRESS_IPV6, &a, &any) == 0 &&
               a.sin6_scope_id != 0,
           "a link-local literal keeps its scope");
    static const char *const refused[] = {
        ":::1", "1::2::3", "[::1]", "localhost:80", "::1:", "2001:db8::g", "::1 ",
    };
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++)
        tap_ok(parse6(refused[i], ADDRESS_IPV4 | ADDRESS_IPV6, text, sizeof text) ==
                   ADDRESS_INVALID,
               "refuses \"%s\" (a colon, no IPv6 literal: never looked up)", refused[i]);
    tap_ok(parse6("localhost", ADDRESS_IPV4, text, sizeof text) == 0 &&
               strcmp(text, "127.0.0.1") == 0,
           "a name resolves among the families asked for only (localhost: 127.0.0.1)");
    address_from_ipv4(htonl(0x7f000001), 7, &a);
    tap_ok(address_is_ipv4(&a) && address_family(&a) == ADDRESS_IPV4 &&
               address_ipv4_host(&a) == htonl(0x7f000001) && ntohs(a.sin6_port) == 7,
           "an IPv4 address in its v4-mapped form, and back");
    char small[4] = "xyz";
    address_format(&a, small, sizeof small);
    tap_ok(small[0] == '\0', "a buffer too small for the text gets empty text");
}

static void test_accepted(void)
{
    ENetAddress a = { 0, 4242 };
    tap_ok(parse("127.0.0.1", 0, &a) == 0 && a.host == htonl(0x7f000001) && a.port == 4242,
           "a dotted quad: its host in network order, the port untouched");
    tap_ok(parse("255.255.255.255", 0, &a) == 0 && a.host == 0xffffffffu,
           "255.255.255.255");
    tap_ok(parse("0.0.0.0", 0, &a) == 0 && a.host == 0, "0.0.0.0");
    a.host = 1;
    tap_ok(parse("*", 1, &a) == 0 && a.host == ENET_HOST_ANY, "\"*\" for a bind: every address");
    a.host = 0;
    tap_ok(parse("localhost", 0, &a) == 0 && a.host == htonl(0x7f000001),
           "a host name: localhost resolves to 127.0.0.1");
}

static int parse_length(const char *text, size_t length)
{
    struct sockaddr_in6 a;
    int any;
    return address_parse(text, length, 1, ADDRESS_IPV4 | ADDRESS_IPV6, &a, &any);
}

static void test_refused(void)
{
    static const char *const refused[] = {
        "127.1", "2130706433", "0x7f.0.0.1", "0177.0.0.1", "127.0.0.01",
        "1.2.3.4.5", "256.0.0.1", "1.2.3.", "...", "1..2.3",
    };
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        ENetAddress a = { 0x01020304, 1 };
        if (!tap_ok(parse(refused[i], 1, &a) == -1, "refuses \"%s\" (no dotted quad, no name)",
                    refused[i]))
            tap_note("read as %08x", (unsigned)ntohl(a.host));
    }
    ENetAddress a;
    tap_ok(parse_length("127.0.0.1\0evil", 14) == -1,
           "refuses text with a NUL inside (length counts past it)");
    tap_ok(parse_length("", 0) == -1, "refuses empty text");
    char name[80];
    memset(name, 'x', 64);
    strcpy(name + 64, ".invalid");
    tap_ok(parse(name, 0, &a) == -1, "refuses a name that does not resolve");
}

static void test_format(void)
{
    struct sockaddr_in6 a;
    address_from_ipv4(htonl(0xc0a80001), 0, &a);
    char text[INET_TEXT_SIZE];
    address_format(&a, text, sizeof text);
    tap_ok(strcmp(text, "192.168.0.1") == 0, "formats 192.168.0.1 (got %s)", text);
    address_from_ipv4(0xffffffffu, 0, &a);
    address_format(&a, text, sizeof text);
    tap_ok(strcmp(text, "255.255.255.255") == 0, "the longest IPv4 form fits");
    memset(&a.sin6_addr, 0xff, sizeof a.sin6_addr);
    address_format(&a, text, sizeof text);
    tap_ok(strcmp(text, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff") == 0,
           "the longest IPv6 form fits INET_TEXT_SIZE");
    char none[2] = "u";
    address_format(&a, none, 0);
    tap_ok(none[0] == 'u', "a buffer of size 0 is not written");
    ENetAddress host = { htonl(0xc0a80001), 0 };
    char dotted[16];
    address_format_host(&host, dotted, sizeof dotted);
    tap_ok(strcmp(dotted, "192.168.0.1") == 0, "address_format_host: the dotted form (%s)", dotted);
    ENetAddress back = { 0, 0 };
    address_from_ipv4(htonl(0x0a000102), 0, &a);
    address_format(&a, text, sizeof text);
    tap_ok(parse(text, 0, &back) == 0 && back.host == htonl(0x0a000102),
           "format then parse gives it back");
}

int main(void)
{
    test_accepted();
    test_refused();
    test_format();
    test_ipv6();
    return tap_done();
}
