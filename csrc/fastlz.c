/*
 * fastlz.c - our own FastLZ-format encoder and decoder (levels 1 and 2).
 *
 * The stream is a sequence of instructions; the first byte's top 3 bits hold
 * the level minus one. A control byte below 32 starts a literal run of
 * ctrl + 1 bytes. Otherwise it is a match: length code ctrl >> 5 (7 means
 * "continued": one more byte at level 1, bytes until one below 255 at level
 * 2), then a distance byte; it copies code + 2 bytes from
 * ((ctrl & 31) << 8) + d + 1 bytes back. At level 2 the near code
 * (31, 255) announces a big-endian u16 that is a distance minus 8,192.
 * See docs/compression.md for the full description.
 */
#include "fastlz.h"

#include <string.h>

#include "visibility.h" /* last: hides what this file defines */

enum {
    LITERAL_RUN_MAX = 32,
    MATCH_MIN = 3,
    LEVEL1_MATCH_MAX = 264,    /* code 7 + 255 + 2 */
    LEVEL1_DISTANCE_MAX = 8192,
    LEVEL2_NEAR_MAX = 8191,    /* (31, 255) is the far escape */
    LEVEL2_FAR_BASE = 8192,
    LEVEL2_DISTANCE_MAX = 65535 + 8192,
    LEVEL2_FAR_MATCH_MIN = 5,  /* a far match costs at least 4 bytes */
    HASH_BITS_MIN = 8,
};

static uint32_t read24(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16;
}

static uint32_t hash24(uint32_t v, unsigned bits)
{
    return (v * 2654435761u) >> (32 - bits);
}

/* Smallest table that has a slot per input byte, within the table. */
static unsigned hash_bits_for(size_t length)
{
    unsigned bits = HASH_BITS_MIN;
    while (bits < FASTLZ_HASH_BITS && ((size_t)1 << bits) < length)
        bits++;
    return bits;
}

/* Number of equal bytes at a and b, at most limit. */
static size_t common_length(const uint8_t *a, const uint8_t *b, size_t limit)
{
    size_t n = 0;
    while (n + 8 <= limit) {
        uint64_t x, y;
        memcpy(&x, a + n, 8);
        memcpy(&y, b + n, 8);
        if (x != y)
            break;
        n += 8;
    }
    while (n < limit && a[n] == b[n])
        n++;
    return n;
}

typedef struct writer {
    uint8_t *out;
    size_t pos, limit;
} writer;

/* Writes in[0..count) as literal runs. Returns 0 when it does not fit. */
static int put_literals(writer *w, const uint8_t *in, size_t count)
{
    while (count > 0) {
        size_t run = count < LITERAL_RUN_MAX ? count : LITERAL_RUN_MAX;
        if (w->limit - w->pos < run + 1)
            return 0;
        w->out[w->pos++] = (uint8_t)(run - 1);
        memcpy(w->out + w->pos, in, run);
        w->pos += run;
        in += run;
        count -= run;
    }
    return 1;
}

/* Writes one match instruction (length >= 3, distance within the level's
 * reach, length <= 264 at level 1). Returns 0 when it does not fit. */
static int put_match(writer *w, int level, size_t length, size_t distance)
{
    size_t code = length - 2;
    size_t extra = code < 7 ? 0 : code - 7;
    size_t near = distance - 1;
    int far = level == 2 && distance > LEVEL2_NEAR_MAX;
    size_t need = 2 + (code < 7 ? 0 : 1 + (level == 2 ? extra / 255 : 0))
                  + (far ? 2 : 0);
    if (w->limit - w->pos < need)
        return 0;
    if (far)
        near = (31u << 8) | 255u;
    w->out[w->pos++] = (uint8_t)((code < 7 ? code : 7) << 5 | near >> 8);
    if (code >= 7) {
        if (level == 2) {
            for (; extra >= 255; extra -= 255)
                w->out[w->pos++] = 255;
        }
        w->out[w->pos++] = (uint8_t)extra;
    }
    w->out[w->pos++] = (uint8_t)(near & 255);
    if (far) {
        size_t d = distance - LEVEL2_FAR_BASE;
        w->out[w->pos++] = (uint8_t)(d >> 8);
        w->out[w->pos++] = (uint8_t)(d & 255);
    }
    return 1;
}

/* Level 1 caps a match at 264 bytes: longer ones become several matches at
 * the same distance, never leaving a tail shorter than a match. */
static int put_long_match(writer *w, int level, size_t length, size_t distance)
{
    while (level == 1 && length > LEVEL1_MATCH_MAX) {
        size_t part = LEVEL1_MATCH_MAX;
        if (length - part < MATCH_MIN)
            part = length - MATCH_MIN;
        if (!put_match(w, level, part, distance))
            return 0;
        length -= part;
    }
    return put_match(w, level, length, distance);
}

size_t fastlz_compress(const void *input, size_t length, void *output,
                       size_t out_limit, int level, fastlz_table *table)
{
    const uint8_t *in = input;
    writer w = { output, 0, out_limit };
    size_t anchor = 0, pos = 0;
    size_t reach = level == 1 ? LEVEL1_DISTANCE_MAX : LEVEL2_DISTANCE_MAX;

    if ((level != 1 && level != 2) || length == 0)
        return 0;
    /* Matches stop short of the last byte: the stream always ends with a
     * literal run, as FastLZ's own encoder's do. (Godot's level-2 decoder
     * refuses a far match that ends the stream.) */
    if (length > MATCH_MIN + 1) {
        unsigned bits = hash_bits_for(length);
        size_t last = length - 1 - MATCH_MIN; /* last match start */
        /* Empty slots say position 0: a candidate like any other, checked
         * by content (cheaper than a branch on emptiness). */
        memset(table->slot, 0, sizeof table->slot[0] << bits);
        while (pos <= last) {
            uint32_t v = read24(in + pos);
            uint32_t *slot = &table->slot[hash24(v, bits)];
            size_t cand = *slot, distance = pos - cand, len = 0;
            *slot = (uint32_t)pos;
            if (distance - 1 < reach && read24(in + cand) == v)
                len = MATCH_MIN + common_length(in + cand + MATCH_MIN,
                                                in + pos + MATCH_MIN,
                                                last - pos);
            if (len < MATCH_MIN
                || (level == 2 && distance > LEVEL2_NEAR_MAX
                    && len < LEVEL2_FAR_MATCH_MIN)) {
                pos++;
                continue;
            }
            if (!put_literals(&w, in + anchor, pos - anchor)
                || !put_long_match(&w, level, len, distance))
                return 0;
            pos += len;
            anchor = pos;
            /* Remember the match's last positions for the next search. */
            for (size_t p = pos - 2; p < pos && p <= last; p++)
                table->slot[hash24(read24(in + p), bits)] = (uint32_t)p;
        }
    }
    if (!put_literals(&w, in + anchor, length - anchor))
        return 0;
    if (level == 2)
        w.out[0] |= 1u << 5;
    return w.pos;
}

/* Copies len bytes from distance back to dst. When they overlap, the
 * pattern doubles with each memcpy: no copy reads bytes it writes. */
static void copy_match(uint8_t *dst, size_t distance, size_t len)
{
    const uint8_t *src = dst - distance;
    while (len > 0) {
        size_t step = (size_t)(dst - src) < len ? (size_t)(dst - src) : len;
        memcpy(dst, src, step);
        dst += step;
        len -= step;
    }
}

size_t fastlz_decompress(const void *input, size_t length, void *output,
                         size_t out_limit)
{
    const uint8_t *in = input;
    uint8_t *out = output;
    size_t ip = 0, op = 0;
    unsigned level, ctrl;

    if (length == 0)
        return 0;
    level = (in[0] >> 5) + 1u;
    if (level > 2)
        return 0;
    ctrl = in[ip++] & 31u;
    for (;;) {
        if (ctrl < 32) {
            size_t run = ctrl + 1u;
            if (run > length - ip || run > out_limit - op)
                return 0;
            memcpy(out + op, in + ip, run);
            ip += run;
            op += run;
        } else {
            size_t len = ctrl >> 5, distance;
            unsigned d;
            if (len == 7) {
                unsigned more;
                do {
                    if (ip >= length)
                        return 0;
                    more = in[ip++];
                    len += more;
                } while (level == 2 && more == 255);
            }
            if (ip >= length)
                return 0;
            d = in[ip++];
            if (level == 2 && d == 255 && (ctrl & 31u) == 31u) {
                if (length - ip < 2)
                    return 0;
                distance = ((size_t)in[ip] << 8 | in[ip + 1]) + LEVEL2_FAR_BASE;
                ip += 2;
            } else {
                distance = ((size_t)(ctrl & 31u) << 8) + d + 1;
            }
            len += 2;
            if (distance > op || len > out_limit - op)
                return 0;
            copy_match(out + op, distance, len);
            op += len;
        }
        if (length - ip < 2)
            break;
        ctrl = in[ip++];
    }
    return op;
}
