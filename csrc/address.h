/*
 * address.h - ENetAddress from and to text. ENet 1.3.17 addresses are IPv4.
 */
#ifndef ENETCONNECTION_ADDRESS_H
#define ENETCONNECTION_ADDRESS_H

#include <enet/enet.h>

/* Room for a dotted IPv4 address and its terminator. */
#define INET_TEXT_SIZE 16

/* Fills `out->host` from a dotted IPv4 address, "*" (any; only when
 * allow_any), "localhost" or a host name (resolved, may block). Returns 0,
 * -1 when the text is not an address and cannot be resolved. */
int address_parse(const char *text, int allow_any, ENetAddress *out);

/* Writes the dotted form of `a->host` into buf (at least 16 bytes). */
void address_format_host(const ENetAddress *a, char *buf, size_t size);

#endif
