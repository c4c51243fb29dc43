/*
 * buffers.h - the ENetBuffer arrays ENet hands the socket layer and the
 * compressors (one datagram in `count` pieces): their total length, and
 * copies to and from one contiguous block. An empty piece may have a NULL
 * data pointer (an empty packet's): it is never passed to memcpy.
 */
#ifndef ENETCONNECTION_BUFFERS_H
#define ENETCONNECTION_BUFFERS_H

#include <stddef.h>
#include <string.h>

#include <enet/enet.h>

static inline size_t buffers_length(const ENetBuffer *buffers, size_t count)
{
    size_t length = 0;
    for (size_t i = 0; i < count; i++)
        length += buffers[i].dataLength;
    return length;
}

/* Copies the first `length` bytes of the pieces into `out` (at most their
 * total); returns how many it copied. */
static inline size_t buffers_gather(void *out, size_t length,
                                    const ENetBuffer *buffers, size_t count)
{
    size_t at = 0;
    for (size_t i = 0; i < count && at < length; i++) {
        size_t part = buffers[i].dataLength;
        if (part == 0)
            continue;
        if (part > length - at)
            part = length - at;
        memcpy((unsigned char *)out + at, buffers[i].data, part);
        at += part;
    }
    return at;
}

/* Spreads `length` bytes over the pieces, which must hold them
 * (buffers_length >= length). */
static inline void buffers_scatter(const ENetBuffer *buffers, size_t count,
                                   const void *data, size_t length)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < count && length > 0; i++) {
        size_t part = length < buffers[i].dataLength ? length : buffers[i].dataLength;
        if (part == 0)
            continue;
        memcpy(buffers[i].data, p, part);
        p += part;
        length -= part;
    }
}

#endif
