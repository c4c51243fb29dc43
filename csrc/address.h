/*
 * address.h - ENetAddress from and to text. ENet 1.3.17 addresses are IPv4.
 */
#ifndef ENETCONNECTION_ADDRESS_H
#define ENETCONNECTION_ADDRESS_H

#include <enet/enet.h>

/* Room for a dotted IPv4 address and its terminator. */
#define INET_TEXT_SIZE 16

/*
 * Fills `out->host` from `text` (`length` bytes, as Lua counts them):
 *   - a dotted quad, four decimal numbers 0..255 without leading zeros
 *     (inet_pton's form): "127.0.0.1";
 *   - "*", every address (only when allow_any);
 *   - a host name such as "localhost" (resolved, may block).
 * Returns 0, or -1 for: text with a NUL byte inside, empty text, numeric
 * shorthand ("127.1", "2130706433", "0x7f.0.0.1", "0177.0.0.1" and other
 * digits-and-dots text that is not a dotted quad), or a name that does not
 * resolve to an IPv4 address.
 */
int address_parse(const char *text, size_t length, int allow_any, ENetAddress *out);

/* Writes the dotted form of `a->host` into buf (at least 16 bytes). */
void address_format_host(const ENetAddress *a, char *buf, size_t size);

#endif
