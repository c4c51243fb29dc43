/*
 * address.c - parsing and formatting ENet addresses.
 */
#include "address.h"

#include <arpa/inet.h>
#include <string.h>

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

int address_parse(const char *text, size_t length, int allow_any, ENetAddress *out)
{
    if (strlen(text) != length || text[0] == '\0')
        return -1; /* a NUL inside would cut the text short */
    if (allow_any && strcmp(text, "*") == 0) {
        out->host = ENET_HOST_ANY;
        return 0;
    }
    struct in_addr in;
    if (inet_pton(AF_INET, text, &in) == 1) {
        out->host = in.s_addr;
        return 0;
    }
    if (numeric_shorthand(text))
        return -1;
    return enet_address_set_host(out, text) == 0 ? 0 : -1;
}

void address_format_host(const ENetAddress *a, char *buf, size_t size)
{
    struct in_addr in;
    in.s_addr = a->host;
    if (inet_ntop(AF_INET, &in, buf, (socklen_t)size) == NULL && size > 0)
        buf[0] = '\0';
}
