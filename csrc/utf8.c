/*
 * utf8.c - UTF-8 validation under Godot 4's rule (RFC 3629) and Godot 3's.
 *
 * Text is mostly ASCII: runs of it are skipped eight bytes at a time, and
 * only the other bytes are looked at one sequence at a time.
 */
#include "utf8.h"

#include <stdint.h>
#include <string.h>

#include "visibility.h" /* last: hides what this file defines */

/* Number of leading bytes of p[0..n) below 0x80. */
static size_t ascii_run(const unsigned char *p, size_t n)
{
    size_t i = 0;
    for (; n - i >= 8; i += 8) {
        uint64_t word;
        memcpy(&word, p + i, 8);
        if (word & UINT64_C(0x8080808080808080))
            break;
    }
    while (i < n && p[i] < 0x80)
        i++;
    return i;
}

static int is_continuation(unsigned char c)
{
    return (c & 0xC0) == 0x80;
}

/* Length of the valid sequence starting with the non-ASCII byte p[0] (n
 * bytes available), or 0. RFC 3629's table: the second byte's range
 * depends on the lead (it excludes overlongs, surrogates and code points
 * above U+10FFFF), the others are any continuation byte. */
static size_t strict_sequence(const unsigned char *p, size_t n)
{
    unsigned char c = p[0], lo = 0x80, hi = 0xBF;
    size_t len;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        lo = c == 0xE0 ? 0xA0 : 0x80; /* E0 80..9F: overlong */
        hi = c == 0xED ? 0x9F : 0xBF; /* ED A0..BF: surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        lo = c == 0xF0 ? 0x90 : 0x80; /* F0 80..8F: overlong */
        hi = c == 0xF4 ? 0x8F : 0xBF; /* F4 90..: above U+10FFFF */
    } else {
        return 0; /* a continuation byte, C0, C1 (overlong), F5..FF */
    }
    if (n < len || p[1] < lo || p[1] > hi)
        return 0;
    for (size_t k = 2; k < len; k++)
        if (!is_continuation(p[k]))
            return 0;
    return len;
}

/* The same for Godot 3.x: leads C2..FD announce 2 to 6 bytes, each
 * continuation byte must be one; C0 and C1 are refused as overlong. Longer
 * overlongs, surrogates and code points up to 2^31 pass, except one check
 * of Godot 3's: a lead with no payload bits, a second byte 0x80 and a third
 * byte whose top payload bits are zero (E0 80 80..8F, F0 80 80..87, ...). */
static size_t godot3_sequence(const unsigned char *p, size_t n)
{
    unsigned char c = p[0];
    size_t len = c < 0xC2 ? 0 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : c < 0xF8 ? 4 : c < 0xFC ? 5 : c < 0xFE ? 6 : 0;
    if (len == 0 || n < len)
        return 0;
    for (size_t k = 1; k < len; k++)
        if (!is_continuation(p[k]))
            return 0;
    if (len >= 3 && (c & (0xFF >> (len + 1))) == 0 && p[1] == 0x80 &&
        ((p[2] & 0x7F) >> (7 - len)) == 0)
        return 0;
    return len;
}

size_t utf8_valid_prefix(const char *s, size_t len, enum utf8_rule rule)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        if (p[i] < 0x80) {
            i += ascii_run(p + i, len - i);
            continue;
        }
        size_t n = rule == UTF8_GODOT3 ? godot3_sequence(p + i, len - i)
                                       : strict_sequence(p + i, len - i);
        if (n == 0)
            return i;
        i += n;
    }
    return len;
}
