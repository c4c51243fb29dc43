/*
 * address.c - parsing and formatting ENet addresses.
 */
#include "address.h"

#include <arpa/inet.h>
#include <string.h>

int address_parse(const char *text, int allow_any, ENetAddress *out)
{
    if (allow_any && strcmp(text, "*") == 0) {
        out->host = ENET_HOST_ANY;
        return 0;
    }
    struct in_addr in;
    if (inet_pton(AF_INET, text, &in) == 1) {
        out->host = in.s_addr;
        return 0;
    }
    if (text[0] == '\0')
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
