/*
 * wire_capture.c - the test build's capture of wire datagrams (see
 * wire_capture.h): the ring, and its place in a socket's entry.
 */
#include "wire_capture.h"

#include <stdlib.h>
#include <string.h>

#include "buffers.h"
#include "check.h"
#include "socket_entry.h"

#include "visibility.h" /* last: hides what this file defines */

wire_capture *wire_capture_new(size_t capacity)
{
    wire_capture *capture = calloc(1, sizeof *capture + capacity * sizeof(wire_datagram));
    if (capture != NULL)
        capture->capacity = capacity;
    return capture;
}

void wire_capture_free(wire_capture *capture)
{
    if (capture == NULL)
        return;
    for (size_t i = 0; i < capture->capacity; i++)
        free(capture->datagrams[i].data);
    free(capture);
}

void wire_capture_add(wire_capture *capture, int sent, const ENetAddress *address,
                      const ENetBuffer *buffers, size_t count, size_t length)
{
    ENET_ASSERT(capture->next < capture->capacity && capture->count <= capture->capacity);
    unsigned char *copy = malloc(length > 0 ? length : 1);
    if (copy == NULL)
        return;
    buffers_gather(copy, length, buffers, count);
    wire_datagram *slot = &capture->datagrams[capture->next];
    free(slot->data);
    slot->sent = sent;
    if (address != NULL)
        slot->address = *address;
    else
        memset(&slot->address, 0, sizeof slot->address);
    slot->length = length;
    slot->data = copy;
    capture->next = (capture->next + 1) % capture->capacity;
    if (capture->count < capture->capacity)
        capture->count++;
}

int socket_layer_capture(ENetSocket s, size_t capacity)
{
    socket_entry *e = socket_registry_find(s);
    if (e == NULL)
        return -1;
    wire_capture *capture = NULL;
    if (capacity > 0 && (capture = wire_capture_new(capacity)) == NULL)
        return -1;
    wire_capture_free(e->capture);
    e->capture = capture;
    return 0;
}

const wire_capture *socket_layer_captured(ENetSocket s)
{
    socket_entry *e = socket_registry_find(s);
    return e != NULL ? e->capture : NULL;
}
