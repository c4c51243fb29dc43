/*
 * test_fastlz.c - unit tests of our FastLZ-format codec: round trips of
 * many sizes and contents at both levels, hand-built streams for each
 * instruction form and limit, and hostile streams that must return 0.
 */
#include <stdlib.h>
#include <string.h>

#include "fastlz.h"
#include "payloads.h"
#include "tap.h"

enum { BIG = 80000, FAR_PERIOD = 20000 };

static fastlz_table table;
static uint8_t input[BIG], packed[FASTLZ_BOUND(BIG)], unpacked[BIG];

static const size_t sizes[] = {
    1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 40, 63, 64, 65, 100, 255,
    256, 257, 263, 264, 265, 266, 267, 511, 1000, 1400, 4096, 8191, 8192,
    8193, 8195, 9000, 16384, 65535, 65536, 73727, 73728, 73730, BIG,
};
#define SIZE_COUNT (sizeof sizes / sizeof sizes[0])

/* Random bytes that repeat every FAR_PERIOD bytes: only level 2 reaches. */
static void fill_far(uint8_t *buf, size_t n, uint64_t seed)
{
    payload_random(buf, n < FAR_PERIOD ? n : FAR_PERIOD, seed);
    for (size_t i = FAR_PERIOD; i < n; i++)
        buf[i] = buf[i - FAR_PERIOD];
}

/* Walks the instructions of a valid stream: true when they end exactly at
 * its end and the last one is a literal run (never a match, as Godot's
 * level-2 decoder refuses a far match that ends a stream). */
static int ends_with_literal(const uint8_t *p, size_t n)
{
    int level = (p[0] >> 5) + 1, literal = 0;
    size_t i = 1;
    unsigned ctrl = p[0] & 31u;
    for (;;) {
        literal = ctrl < 32;
        if (literal) {
            i += ctrl + 1;
        } else {
            unsigned more, d;
            if (ctrl >> 5 == 7) {
                do
                    more = p[i++];
                while (level == 2 && more == 255);
            }
            d = p[i++];
            if (level == 2 && d == 255 && (ctrl & 31u) == 31u)
                i += 2;
        }
        if (i >= n)
            break;
        ctrl = p[i++];
    }
    return literal && i == n;
}

/* Compresses and decompresses input[0..n); returns NULL or what failed. */
static const char *round_trip(size_t n, int level, size_t *packed_size)
{
    size_t c = fastlz_compress(input, n, packed, sizeof packed, level, &table);
    *packed_size = c;
    if (c == 0 || c > FASTLZ_BOUND(n))
        return "compressed size is 0 or above the bound";
    if ((packed[0] >> 5) != level - 1)
        return "first byte does not carry the level";
    if (!ends_with_literal(packed, c))
        return "stream does not end with a literal run";
    if (fastlz_decompress(packed, c, unpacked, n) != n)
        return "decompressed length differs";
    if (memcmp(input, unpacked, n) != 0)
        return "decompressed bytes differ";
    if (fastlz_decompress(packed, c, unpacked, n - 1) != 0)
        return "decoded into a buffer one byte too small";
    return NULL;
}

static void test_round_trips(void)
{
    for (int level = 1; level <= 2; level++) {
        for (int kind = 0; kind <= PAYLOAD_KINDS; kind++) {
            const char *name = kind == PAYLOAD_KINDS ? "far-repeat"
                                                     : payload_names[kind];
            int bad = 0;
            for (size_t i = 0; i < SIZE_COUNT; i++) {
                size_t n = sizes[i], c;
                const char *why;
                if (kind == PAYLOAD_KINDS)
                    fill_far(input, n, n);
                else
                    payload_fill((payload_kind)kind, input, n, n * 7 + 1);
                why = round_trip(n, level, &c);
                if (why != NULL && bad++ == 0)
                    tap_note("size %zu: %s", n, why);
            }
            tap_ok(bad == 0, "level %d round trip of %s content at %zu sizes",
                   level, name, SIZE_COUNT);
        }
    }
}

/* A period of up to 600 random bytes (then zeros, which fill one hash
 * slot only) repeated once: a match exactly p bytes back, which the encoder
 * must take when the level reaches that far and only then. */
static void test_distance_edges(void)
{
    static const size_t periods[] = { 1, 2, 3, 31, 32, 33, 255, 256, 257,
                                      8191, 8192, 8193, 73727, 73728 };
    for (int level = 1; level <= 2; level++) {
        size_t reach = level == 1 ? 8192 : 73727;
        int bad = 0;
        for (size_t i = 0; i < sizeof periods / sizeof periods[0]; i++) {
            size_t p = periods[i], n = p + 600, one, c;
            const char *why;
            payload_random(input, p < 600 ? p : 600, p);
            if (p > 600)
                memset(input + 600, 0, p - 600);
            for (size_t k = p; k < n; k++)
                input[k] = input[k - p];
            one = fastlz_compress(input, p, packed, sizeof packed, level,
                                  &table);
            why = round_trip(n, level, &c);
            if (why == NULL && (p <= reach) != (c < one + 50))
                why = "repeat taken beyond the reach or missed within it";
            if (why != NULL && bad++ == 0)
                tap_note("period %zu: %s (%zu bytes, one period %zu)", p,
                         why, c, one);
        }
        tap_ok(bad == 0, "level %d matches repeats up to %zu bytes back, "
                         "no farther", level, reach);
    }
}

static void test_ratios(void)
{
    size_t c;
    memset(input, 0, 65536);
    c = fastlz_compress(input, 65536, packed, sizeof packed, 1, &table);
    tap_ok(c > 0 && c < 800, "level 1 packs 64 KiB of zeros into %zu bytes", c);
    payload_text(input, 4096, 3);
    c = fastlz_compress(input, 4096, packed, sizeof packed, 1, &table);
    tap_ok(c > 0 && c < 4096 / 2, "level 1 halves 4 KiB of text (%zu)", c);
    fill_far(input, 65536, 9);
    c = fastlz_compress(input, 65536, packed, sizeof packed, 2, &table);
    tap_ok(c > 0 && c < 65536 / 3,
           "level 2 finds far matches (%zu bytes for 64 KiB)", c);
    c = fastlz_compress(input, 65536, packed, sizeof packed, 1, &table);
    tap_ok(c > 65536, "level 1 cannot reach 20,000 bytes back (%zu)", c);
}

static void test_output_limit(void)
{
    int bad = 0;
    for (int kind = 0; kind < PAYLOAD_KINDS; kind++) {
        size_t n = 5000, c, again;
        payload_fill((payload_kind)kind, input, n, 11);
        c = fastlz_compress(input, n, packed, sizeof packed, 1, &table);
        memcpy(unpacked, packed, c);
        again = fastlz_compress(input, n, packed, c, 1, &table);
        if (again != c || memcmp(unpacked, packed, c) != 0)
            bad++;
        if (fastlz_compress(input, n, packed, c - 1, 1, &table) != 0)
            bad++;
    }
    tap_ok(bad == 0, "the encoder fits an exact output limit and refuses "
                     "one byte less");
    tap_ok(fastlz_compress(input, 0, packed, 100, 1, &table) == 0
               && fastlz_compress(input, 10, packed, 100, 0, &table) == 0
               && fastlz_compress(input, 10, packed, 100, 3, &table) == 0,
           "the encoder returns 0 for empty input and levels other than 1, 2");
}

/* A hand-built stream and the bytes it must decode to. */
typedef struct sample {
    uint8_t in[BIG], out[BIG];
    size_t in_len, out_len;
} sample;
static sample s;

static void emit(int byte)
{
    s.in[s.in_len++] = (uint8_t)byte;
}

/* Appends `n` random literal bytes (runs of 32) to stream and output. */
static void emit_literals(size_t n, int level_marker)
{
    payload_random(s.out + s.out_len, n, n);
    for (size_t done = 0; done < n;) {
        size_t run = n - done < 32 ? n - done : 32;
        emit((int)(run - 1) | (s.in_len == 0 ? level_marker : 0));
        memcpy(s.in + s.in_len, s.out + s.out_len + done, run);
        s.in_len += run;
        done += run;
    }
    s.out_len += n;
}

/* Appends to the expected output what a match copies. */
static void expect_copy(size_t length, size_t distance)
{
    for (size_t i = 0; i < length; i++, s.out_len++)
        s.out[s.out_len] = s.out[s.out_len - distance];
}

static void start(void)
{
    s.in_len = s.out_len = 0;
}

/* Checks that the sample decodes exactly; then that every truncation of it
 * decodes to 0 or to a prefix of the output (an instruction boundary). */
static void check_sample(const char *what)
{
    size_t n = fastlz_decompress(s.in, s.in_len, unpacked, sizeof unpacked);
    int prefix_ok = 1;
    tap_ok(n == s.out_len && memcmp(unpacked, s.out, n) == 0,
           "decodes %s (%zu -> %zu bytes)", what, s.in_len, n);
    for (size_t cut = 0; cut < s.in_len; cut++) {
        size_t m;
        /* Long samples: every cut near either end, a stride between. */
        if (cut >= 64 && cut + 64 < s.in_len && cut % 997 != 0)
            continue;
        m = fastlz_decompress(s.in, cut, unpacked, sizeof unpacked);
        if (m > s.out_len || memcmp(unpacked, s.out, m) != 0)
            prefix_ok = 0;
    }
    tap_ok(prefix_ok, "every truncation of %s gives 0 or a prefix", what);
}

static void test_hand_built_streams(void)
{
    start();
    emit(2); emit('a'); emit('b'); emit('c');
    memcpy(s.out, "abc", 3);
    s.out_len = 3;
    check_sample("a 3-byte literal run");

    start();
    emit_literals(32, 0);
    emit_literals(1, 0);
    check_sample("a full 32-byte literal run then a 1-byte run");

    start();
    emit_literals(1, 0);
    emit(1 << 5); emit(0);            /* length 3, distance 1 */
    expect_copy(3, 1);
    check_sample("a match overlapping its own output (distance 1)");

    start();
    emit_literals(2, 0);
    emit(7 << 5); emit(5); emit(1);   /* length 7+5+2 = 14, distance 2 */
    expect_copy(14, 2);
    check_sample("a level-1 length extension with period 2");

    start();
    emit_literals(1, 0);
    emit(7 << 5); emit(255); emit(0); /* the longest level-1 match */
    expect_copy(264, 1);
    check_sample("the longest level-1 match (264 bytes)");

    start();
    emit_literals(8192, 0);
    emit(1 << 5 | 31); emit(255);     /* distance 31*256 + 255 + 1 */
    expect_copy(3, 8192);
    check_sample("the farthest level-1 distance (8,192)");

    start();
    emit_literals(1, 1 << 5);
    emit(7 << 5); emit(255); emit(255); emit(10); emit(0);
    expect_copy(7 + 255 + 255 + 10 + 2, 1);
    check_sample("a level-2 length continued over three bytes");

    start();
    emit_literals(8191, 1 << 5);
    emit(2 << 5 | 31); emit(254);     /* the farthest near distance */
    expect_copy(4, 8191);
    check_sample("the farthest level-2 near distance (8,191)");

    start();
    emit_literals(8192, 1 << 5);
    emit(1 << 5 | 31); emit(255); emit(0); emit(0);
    expect_copy(3, 8192);
    check_sample("the nearest level-2 far distance (8,192)");

    start();
    emit_literals(73727, 1 << 5);
    emit(7 << 5 | 31); emit(255); emit(3); emit(255); emit(255); emit(255);
    expect_copy(7 + 255 + 3 + 2, 73727);
    check_sample("the farthest level-2 distance (73,727) with a long length");
}

/* Decodes a literal stream into out_limit bytes. */
static size_t decode(const uint8_t *stream, size_t n, size_t out_limit)
{
    return fastlz_decompress(stream, n, unpacked, out_limit);
}

static void test_hostile_streams(void)
{
    static const uint8_t run_past_end[] = { 4, 'a', 'b' };
    static const uint8_t before_start[] = { 0, 'a', 1 << 5, 1 };
    static const uint8_t far_before_start[] = { 1 << 5, 'a', 1 << 5 | 31,
                                                255, 0, 0 };
    static const uint8_t no_distance[] = { 0, 'a', 7 << 5, 5 };
    static const uint8_t endless_length[] = { 1 << 5, 'a', 7 << 5, 255, 255 };
    static const uint8_t short_far[] = { 1 << 5, 'a', 1 << 5 | 31, 255, 0 };
    static const uint8_t dangling[] = { 0, 'a', 7 };
    static const uint8_t run_of_four[] = { 0, 'x', 1 << 5, 0 };
    int bad = 0;

    tap_ok(decode(run_past_end, 0, 100) == 0, "empty input decodes to 0");
    for (int marker = 2; marker < 8; marker++) {
        uint8_t stream[] = { (uint8_t)(marker << 5), 'a' };
        if (decode(stream, sizeof stream, 100) != 0)
            bad++;
    }
    tap_ok(bad == 0, "level markers 3 to 8 are refused");
    tap_ok(decode(run_past_end, sizeof run_past_end, 100) == 0,
           "a literal run longer than the input is refused");
    tap_ok(decode(before_start, sizeof before_start, 100) == 0,
           "a match reaching before the output start is refused");
    tap_ok(decode(far_before_start, sizeof far_before_start, 100) == 0,
           "a far match reaching before the output start is refused");
    tap_ok(decode(no_distance, sizeof no_distance, 100) == 0,
           "a match missing its distance byte is refused");
    tap_ok(decode(endless_length, sizeof endless_length, 100) == 0,
           "a level-2 length running off the end is refused");
    tap_ok(decode(short_far, sizeof short_far, 100) == 0,
           "a far distance cut short is refused");
    tap_ok(decode(run_of_four, sizeof run_of_four, 3) == 0
               && decode(run_of_four, sizeof run_of_four, 4) == 4,
           "a match beyond the output limit is refused, at the limit fits");
    tap_ok(decode(run_past_end, 2, 0) == 0,
           "a literal beyond a zero output limit is refused");
    tap_ok(decode(dangling, sizeof dangling, 100) == 1,
           "one trailing byte is ignored, as FastLZ's decoder does");
}

/* Garbage and damaged streams: decoded into buffers of exactly the limit
 * (AddressSanitizer sees any access outside), never more than the limit. */
static void test_garbage(void)
{
    uint64_t seed = 12345;
    int over = 0;
    for (int round = 0; round < 200000; round++) {
        size_t n = 1 + payload_next(&seed) % 64;
        size_t limit = payload_next(&seed) % 300;
        uint8_t *in = malloc(n), *out = malloc(limit);
        payload_random(in, n, seed);
        if (fastlz_decompress(in, n, out, limit) > limit)
            over++;
        free(in);
        free(out);
    }
    tap_ok(over == 0, "random streams never decode beyond the limit");

    over = 0;
    for (int round = 0; round < 3000; round++) {
        size_t n = 1 + payload_next(&seed) % 3000, c, limit;
        uint8_t *in, *out;
        payload_fill((payload_kind)(round % PAYLOAD_KINDS), input, n, seed);
        c = fastlz_compress(input, n, packed, sizeof packed, 1 + round % 2,
                            &table);
        for (int flips = 0; flips < 3; flips++)
            packed[payload_next(&seed) % c] ^= (uint8_t)(1u << (seed % 8));
        limit = n;
        in = malloc(c);
        out = malloc(limit);
        memcpy(in, packed, c);
        if (fastlz_decompress(in, c, out, limit) > limit)
            over++;
        free(in);
        free(out);
    }
    tap_ok(over == 0, "damaged streams never decode beyond the limit");
}

int main(void)
{
    test_round_trips();
    test_distance_edges();
    test_ratios();
    test_output_limit();
    test_hand_built_streams();
    test_hostile_streams();
    test_garbage();
    return tap_done();
}
