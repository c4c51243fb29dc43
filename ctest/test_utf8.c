/*
 * test_utf8.c - csrc/utf8.c against reference checkers written the other
 * way round (decode the code point, then judge it): every 1-, 2- and 3-byte
 * string, every 4-byte string with a few last bytes, under both rules, at
 * every alignment of the eight-byte ASCII skip; and the ASCII skip itself.
 */
#include <stdint.h>
#include <string.h>

#include "tap.h"
#include "utf8.h"

/* Bytes a lead announces by its bit pattern (0: not a lead). */
static size_t announced(unsigned char c)
{
    if (c < 0x80)
        return 1;
    if ((c & 0xE0) == 0xC0)
        return 2;
    if ((c & 0xF0) == 0xE0)
        return 3;
    if ((c & 0xF8) == 0xF0)
        return 4;
    if ((c & 0xFC) == 0xF8)
        return 5;
    if ((c & 0xFE) == 0xFC)
        return 6;
    return 0;
}

/* Decodes the sequence at p (n bytes left): its length, or 0 when the
 * lead is not one, bytes are missing or a continuation byte is wrong. */
static size_t decode(const unsigned char *p, size_t n, uint32_t *cp)
{
    size_t len = announced(p[0]);
    if (len == 0 || len > n)
        return 0;
    *cp = len == 1 ? p[0] : p[0] & (0x7Fu >> len);
    for (size_t k = 1; k < len; k++) {
        if (p[k] < 0x80 || p[k] > 0xBF)
            return 0;
        *cp = *cp << 6 | (p[k] & 0x3Fu);
    }
    return len;
}

static size_t reference(const unsigned char *p, size_t n, enum utf8_rule rule)
{
    static const uint32_t shortest[] = { 0, 0, 0x80, 0x800, 0x10000, 0x200000, 0x4000000 };
    size_t i = 0;
    while (i < n) {
        uint32_t cp;
        size_t len = decode(p + i, n - i, &cp);
        if (len == 0)
            return i;
        if (rule == UTF8_STRICT) {
            if (len > 4 || cp < shortest[len] || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
                return i;
        } else {
            /* Godot 3: 2-byte overlongs refused; longer forms only when
             * the code point is below 2^(5 len - 11) (utf8.c says which
             * bytes those are). */
            if (len == 2 && cp < 0x80)
                return i;
            if (len >= 3 && cp >> (5 * len - 11) == 0)
                return i;
        }
        i += len;
    }
    return n;
}

static unsigned long mismatches;

/* Checks `seq` (m bytes) after `pad` ASCII bytes and before two more. */
static void check(const unsigned char *seq, size_t m, size_t pad, enum utf8_rule rule)
{
    unsigned char buf[32];
    memset(buf, 'x', pad);
    memcpy(buf + pad, seq, m);
    memcpy(buf + pad + m, "yz", 2);
    size_t n = pad + m + 2;
    size_t got = utf8_valid_prefix((const char *)buf, n, rule);
    size_t want = reference(buf, n, rule);
    if (got != want && mismatches++ < 10) {
        tap_note("rule %d, pad %zu, bytes %02x %02x %02x %02x (m=%zu): got %zu, want %zu",
                 (int)rule, pad, seq[0], m > 1 ? seq[1] : 0, m > 2 ? seq[2] : 0,
                 m > 3 ? seq[3] : 0, m, got, want);
    }
}

static void test_exhaustive(enum utf8_rule rule, const char *name)
{
    static const unsigned char last[] = { 0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0xBF, 0xC0, 0xFF };
    unsigned char s[6];
    mismatches = 0;
    for (unsigned a = 0; a < 256; a++) {
        s[0] = (unsigned char)a;
        check(s, 1, a % 9, rule);
        for (unsigned b = 0; b < 256; b++) {
            s[1] = (unsigned char)b;
            check(s, 2, b % 9, rule);
            for (unsigned c = 0; c < 256; c++) {
                s[2] = (unsigned char)c;
                check(s, 3, (a + c) % 9, rule);
                if (a < 0xF0)
                    continue;
                for (size_t k = 0; k < sizeof last; k++) {
                    s[3] = last[k];
                    check(s, 4, k, rule);
                }
            }
        }
    }
    tap_ok(mismatches == 0, "%s: every 1-3 byte string and 4-byte strings from leads F0..FF "
           "agree with the reference (%lu mismatches)", name, mismatches);
}

/* 5- and 6-byte forms: Godot 3 takes some, RFC 3629 none. */
static void test_long_forms(void)
{
    static const unsigned char five[] = { 0xF8, 0x88, 0x80, 0x80, 0x80 };
    static const unsigned char five_quirk[] = { 0xF8, 0x80, 0x83, 0x80, 0x80 };
    static const unsigned char six[] = { 0xFC, 0x80, 0x82, 0x80, 0x80, 0x80 };
    static const unsigned char six_quirk[] = { 0xFC, 0x80, 0x81, 0x80, 0x80, 0x80 };
    tap_ok(utf8_valid_prefix((const char *)five, 5, UTF8_GODOT3) == 5 &&
               utf8_valid_prefix((const char *)six, 6, UTF8_GODOT3) == 6,
           "Godot 3 takes F8 88 80 80 80 and FC 80 82 80 80 80 (as godot3-server does)");
    tap_ok(utf8_valid_prefix((const char *)five_quirk, 5, UTF8_GODOT3) == 0 &&
               utf8_valid_prefix((const char *)six_quirk, 6, UTF8_GODOT3) == 0,
           "Godot 3 refuses F8 80 83 80 80 and FC 80 81 80 80 80 (as godot3-server does)");
    tap_ok(utf8_valid_prefix((const char *)five, 5, UTF8_STRICT) == 0 &&
               utf8_valid_prefix((const char *)six, 6, UTF8_STRICT) == 0,
           "RFC 3629 refuses 5- and 6-byte forms");
}

/* The eight-byte ASCII skip: a bad byte is found wherever it sits in
 * strings of 0 to 40 bytes, and a multi-byte character does not stop it. */
static void test_ascii_skip(void)
{
    char buf[48];
    int ok = 1;
    for (size_t n = 1; n <= 40; n++) {
        for (size_t k = 0; k < n; k++) {
            memset(buf, 'a', n);
            buf[k] = (char)0xFF;
            ok &= utf8_valid_prefix(buf, n, UTF8_STRICT) == k;
            buf[k] = (char)0x80;
            ok &= utf8_valid_prefix(buf, n, UTF8_GODOT3) == k;
            if (k + 2 <= n) {
                memcpy(buf + k, "\xC3\xA9", 2); /* é */
                ok &= utf8_valid_prefix(buf, n, UTF8_STRICT) == n;
            }
        }
    }
    ok &= utf8_valid_prefix("", 0, UTF8_STRICT) == 0;
    tap_ok(ok, "a bad byte is found at each offset of 1..40-byte ASCII strings, é passes");
}

int main(void)
{
    test_exhaustive(UTF8_STRICT, "strict (Godot 4)");
    test_exhaustive(UTF8_GODOT3, "Godot 3");
    test_long_forms();
    test_ascii_skip();
    return tap_done();
}
