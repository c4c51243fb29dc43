/*
 * socket_faults.c - datagrams a host received and could not use because
 * the remote is set up differently (another compression mode, DTLS on one
 * side only): counted on the socket's entry, and the first one of each
 * remote kept as the socket's last fault, which a binding turns into a
 * message (conn:get_receive_error). Without it, such a remote only ever
 * shows as ENet's connect timeout, on both sides.
 */
#include "socket_entry.h"

#include <string.h>

#include "visibility.h" /* last: hides what this file defines */

void socket_wire_fault(socket_entry *wire, const ENetAddress *from, socket_fault kind)
{
    if (kind == SOCKET_FAULT_DECOMPRESS)
        wire->counters.datagrams_undecompressed++;
    else
        wire->counters.datagrams_undecrypted++;
    for (unsigned i = 0; i < SOCKET_FAULT_REMOTES; i++) {
        if (wire->faulted[i].kind == kind && wire->faulted[i].from.host == from->host &&
            wire->faulted[i].from.port == from->port)
            return; /* reported already: counted only */
    }
    wire->faulted[wire->faulted_next].from = *from;
    wire->faulted[wire->faulted_next].kind = kind;
    wire->faulted_next = (wire->faulted_next + 1) % SOCKET_FAULT_REMOTES;
    wire->last_fault = kind;
    wire->last_fault_from = *from;
}

void socket_layer_fault(ENetSocket s, const ENetAddress *from, socket_fault kind)
{
    socket_entry *e = socket_registry_find(s);
    if (e != NULL)
        socket_wire_fault(e, from, kind);
}

socket_fault socket_layer_last_fault(ENetSocket s, ENetAddress *from)
{
    socket_entry *e = socket_registry_find(s);
    if (e == NULL || e->last_fault == SOCKET_FAULT_NONE)
        return SOCKET_FAULT_NONE;
    *from = e->last_fault_from;
    return e->last_fault;
}
