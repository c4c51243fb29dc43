/*
 * visibility.h - which symbols leave core.so: only those marked EXPORT
 * (luaopen_enetconnection_core and the socket layer's enet_socket_create,
 * enet_socket_send and enet_socket_receive). Everything else a .c file defines after including
 * this header is hidden, whatever flags the build passes (luarocks passes
 * its own CFLAGS, without -fvisibility=hidden).
 *
 * Include it last in every .c file, after every other #include: the pragma
 * also applies to declarations, and a library function declared hidden
 * (memcpy, enet_host_create) no longer links.
 */
#ifndef ENETCONNECTION_VISIBILITY_H
#define ENETCONNECTION_VISIBILITY_H

#pragma GCC visibility push(hidden)

#define EXPORT __attribute__((visibility("default")))

#endif
