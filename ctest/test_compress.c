/*
 * test_compress.c - unit tests of the ENetCompressor adapter, called the
 * way ENet calls it: through host->compressor, with the datagram body
 * split over several ENetBuffers. Covers round trips in every mode, the
 * bytes each codec must produce, Godot's FastLZ padding, refusal of
 * results that do not shrink, hostile input, and switching modes.
 */
#include <stdlib.h>
#include <string.h>

#include <zlib.h>
#include <zstd.h>

#include "compress.h"
#include "fastlz.h"
#include "payloads.h"
#include "tap.h"

/* ENet decodes into its packet buffer minus the protocol header. */
enum { ENET_DECODE_LIMIT = ENET_PROTOCOL_MAXIMUM_MTU - 4 };

static const int modes[] = { COMPRESS_RANGE_CODER, COMPRESS_FASTLZ,
                             COMPRESS_ZLIB, COMPRESS_ZSTD };
static const char *const mode_names[] = { "none", "range coder", "FastLZ",
                                          "zlib", "zstd" };
#define MODE_COUNT (sizeof modes / sizeof modes[0])

static const size_t sizes[] = { 1, 2, 3, 5, 8, 12, 15, 16, 17, 20, 40, 64,
                                100, 255, 1000, 1400, 4092,
                                COMPRESS_INPUT_MAX };
#define SIZE_COUNT (sizeof sizes / sizeof sizes[0])

static ENetHost *host;
static uint8_t body[COMPRESS_INPUT_MAX + 1];
static uint8_t packed[2 * COMPRESS_INPUT_MAX], unpacked[COMPRESS_INPUT_MAX];

/* Compresses body[0..n) handed over in `pieces` buffers, as ENet does. */
static size_t squeeze(size_t n, size_t pieces, size_t out_limit)
{
    ENetBuffer b[4];
    size_t at = 0;
    for (size_t i = 0; i < pieces; i++) {
        size_t len = i + 1 == pieces ? n - at : n / pieces;
        b[i].data = body + at;
        b[i].dataLength = len;
        at += len;
    }
    return host->compressor.compress(host->compressor.context, b, pieces, n,
                                     packed, out_limit);
}

static size_t expand(const uint8_t *in, size_t n, uint8_t *out, size_t limit)
{
    return host->compressor.decompress(host->compressor.context, in, n, out,
                                       limit);
}

/* What a decoder must give back: the body, and for FastLZ bodies under 16
 * bytes the zero padding Godot adds before compressing. */
static int decoded_ok(int mode, size_t n, size_t got)
{
    size_t want = mode == COMPRESS_FASTLZ && n < 16 ? 16 : n;
    if (got != want || memcmp(unpacked, body, n) != 0)
        return 0;
    for (size_t i = n; i < want; i++) {
        if (unpacked[i] != 0)
            return 0;
    }
    return 1;
}

static void test_round_trips(void)
{
    for (size_t m = 0; m < MODE_COUNT; m++) {
        int bad = 0, packed_count = 0;
        compress_install(host, modes[m]);
        for (int kind = 0; kind < PAYLOAD_KINDS; kind++) {
            for (size_t i = 0; i < SIZE_COUNT; i++) {
                size_t n = sizes[i], r, limit, got;
                const char *why = NULL;
                payload_fill((payload_kind)kind, body, n, n + 1);
                r = squeeze(n, 1 + n % 4, n);
                limit = n > ENET_DECODE_LIMIT ? n : ENET_DECODE_LIMIT;
                /* ENet's range coder may return a result as long as the
                 * body; ENet then sends the body uncompressed. */
                if (r != 0 && (r > n || (r == n
                                         && modes[m] != COMPRESS_RANGE_CODER)))
                    why = "result not smaller than the body";
                else if (r == n)
                    continue;
                else if (r == 0 && n >= 100
                         && (kind == PAYLOAD_TEXT || kind == PAYLOAD_ZEROS))
                    why = "compressible body left uncompressed";
                else if (r != 0 && kind == PAYLOAD_RANDOM && n >= 16)
                    why = "random body claimed to compress";
                else if (r != 0) {
                    packed_count++;
                    got = expand(packed, r, unpacked, limit);
                    if (!decoded_ok(modes[m], n, got))
                        why = "decoded body differs";
                }
                if (why != NULL && bad++ == 0)
                    tap_note("%s, size %zu: %s", payload_names[kind], n, why);
            }
        }
        tap_ok(bad == 0 && packed_count > 0,
               "%s: %d bodies of 4 contents x %zu sizes compress smaller "
               "and decode to the same bytes", mode_names[modes[m]],
               packed_count, SIZE_COUNT);
    }
}

/* The range coder's output is libenet's own, zlib and zstd output is
 * exactly the library's at Godot's settings, FastLZ is our level-1
 * encoder. Splitting the body changes nothing. */
static void test_codec_bytes(void)
{
    static uint8_t ref[2 * COMPRESS_INPUT_MAX];
    for (int mode = COMPRESS_RANGE_CODER; mode <= COMPRESS_ZSTD; mode++) {
        int bad = 0;
        compress_install(host, mode);
        for (int run = 0; run < 2 * (PAYLOAD_KINDS - 1); run++) {
            static fastlz_table table;
            int kind = PAYLOAD_TEXT + run / 2;
            size_t n = run % 2 ? COMPRESS_INPUT_MAX : 1400, r, r1, want = 0;
            uLongf zlen = sizeof ref;
            payload_fill((payload_kind)kind, body, n, 77);
            if (mode == COMPRESS_RANGE_CODER) {
                ENetBuffer whole = { .data = body, .dataLength = n };
                void *coder = enet_range_coder_create();
                want = enet_range_coder_compress(coder, &whole, 1, n, ref, n);
                enet_range_coder_destroy(coder);
            } else if (mode == COMPRESS_FASTLZ)
                want = fastlz_compress(body, n, ref, sizeof ref, 1, &table);
            else if (mode == COMPRESS_ZLIB
                     && compress2(ref, &zlen, body, n, Z_DEFAULT_COMPRESSION)
                            == Z_OK)
                want = zlen;
            else if (mode == COMPRESS_ZSTD)
                want = ZSTD_compress(ref, sizeof ref, body, n, 3);
            r1 = squeeze(n, 1, n);
            r = squeeze(n, 3, n);
            if (r != want || r1 != want || memcmp(packed, ref, r) != 0)
                bad++;
            if (mode == COMPRESS_ZSTD
                && ZSTD_getFrameContentSize(packed, r) != n)
                bad++; /* one frame stating its content size */
        }
        tap_ok(bad == 0, "%s output is the reference encoding, however the "
                         "body is split", mode_names[mode]);
    }
}

static void test_limits(void)
{
    int bad = 0;
    for (size_t m = 0; m < MODE_COUNT; m++) {
        size_t r, n = 1000;
        compress_install(host, modes[m]);
        payload_text(body, n, 5);
        r = squeeze(n, 2, 2 * n);
        if (r == 0 || squeeze(n, 2, r) != r || squeeze(n, 2, r - 1) != 0) {
            tap_note("%s: limit %zu", mode_names[modes[m]], r);
            bad++;
        }
        if (modes[m] != COMPRESS_RANGE_CODER) {
            memset(body, 0, COMPRESS_INPUT_MAX + 1);
            if (squeeze(COMPRESS_INPUT_MAX + 1, 1, COMPRESS_INPUT_MAX) != 0) {
                tap_note("%s: oversized body", mode_names[modes[m]]);
                bad++;
            }
        }
    }
    tap_ok(bad == 0, "every mode fits an exact output limit, refuses one "
                     "byte less, and leaves oversized bodies uncompressed");
}

/* Godot pads FastLZ bodies under 16 bytes; decoding into a smaller buffer
 * goes through a 16-byte scratch buffer whose excess must be padding. */
static void test_fastlz_padding(void)
{
    size_t r;
    compress_install(host, COMPRESS_FASTLZ);
    memset(body, 'A', 12);
    r = squeeze(12, 2, 12);
    tap_ok(r > 0 && r < 12 && expand(packed, r, unpacked, 100) == 16
               && decoded_ok(COMPRESS_FASTLZ, 12, 16),
           "a 12-byte body is padded to 16 and decodes to 16 (%zu bytes)", r);
    tap_ok(expand(packed, r, unpacked, 12) == 12
               && memcmp(unpacked, body, 12) == 0,
           "decoding it into 12 bytes drops exactly the padding");
    tap_ok(expand(packed, r, unpacked, 14) == 14
               && expand(packed, r, unpacked, 8) == 0,
           "into 14 bytes keeps two padding zeros; into 8 loses data: 0");
    memcpy(body, "hello", 5);
    tap_ok(squeeze(5, 1, 5) == 0, "a 5-byte body never shrinks: 0");
}

static void test_hostile_input(void)
{
    uint64_t seed = 99;
    for (size_t m = 0; m < MODE_COUNT; m++) {
        int over = 0, accepted_cut = 0;
        size_t r, n = 1400;
        compress_install(host, modes[m]);
        payload_game(body, n, 3);
        r = squeeze(n, 1, n);
        for (size_t cut = 0; cut < r; cut++) {
            uint8_t *in = malloc(cut ? cut : 1);
            uint8_t *out = malloc(ENET_DECODE_LIMIT);
            size_t got;
            memcpy(in, packed, cut);
            got = expand(in, cut, out, ENET_DECODE_LIMIT);
            if (got > ENET_DECODE_LIMIT)
                over++;
            if (got != 0)
                accepted_cut++;
            free(in);
            free(out);
        }
        for (int round = 0; round < 20000; round++) {
            size_t len = 1 + payload_next(&seed) % 200;
            size_t limit = payload_next(&seed) % 2000;
            uint8_t *in = malloc(len), *out = malloc(limit);
            payload_random(in, len, seed);
            if (round % 2 == 0 && len > 4) {
                /* Start like a real stream of this mode. */
                memcpy(in, packed, 4);
            }
            if (expand(in, len, out, limit) > limit)
                over++;
            free(in);
            free(out);
        }
        tap_ok(over == 0, "%s: truncated and random input never decodes "
                          "beyond the limit", mode_names[modes[m]]);
        if (modes[m] == COMPRESS_ZLIB || modes[m] == COMPRESS_ZSTD)
            tap_ok(accepted_cut == 0, "%s: every truncated stream is "
                                      "refused", mode_names[modes[m]]);
    }
}

/* ENet hands the compressor an empty buffer with a NULL pointer when an
 * empty packet is sent (libenet's own range coder then crashes reading
 * it). Every mode must skip empty buffers wherever they are. */
static void test_empty_buffers(void)
{
    for (size_t m = 0; m < MODE_COUNT; m++) {
        ENetBuffer b[5] = {
            { .data = NULL, .dataLength = 0 },
            { .data = body, .dataLength = 60 },
            { .data = NULL, .dataLength = 0 },
            { .data = NULL, .dataLength = 0 },
            { .data = body + 60, .dataLength = 40 },
        };
        size_t r, got;
        compress_install(host, modes[m]);
        payload_text(body, 100, 21);
        r = host->compressor.compress(host->compressor.context, b, 5, 100,
                                      packed, 100);
        got = r == 0 ? 0 : expand(packed, r, unpacked, ENET_DECODE_LIMIT);
        tap_ok(r > 0 && decoded_ok(modes[m], 100, got),
               "%s: empty buffers around the body are skipped",
               mode_names[modes[m]]);
    }
}

/* zlib streams are accepted exactly when inflate reaches their end, as in
 * Godot: one that wants a preset dictionary is refused, bytes after the
 * end are ignored. */
static void test_zlib_stream_end(void)
{
    static const uint8_t wants_dictionary[] = { 0x78, 0x20, 1, 2, 3, 4, 0x4b,
                                                0x04, 0x00 };
    size_t r;
    compress_install(host, COMPRESS_ZLIB);
    tap_ok(expand(wants_dictionary, sizeof wants_dictionary, unpacked, 100)
               == 0,
           "zlib: a stream that needs a preset dictionary is refused");
    payload_text(body, 300, 8);
    r = squeeze(300, 1, 300);
    memcpy(packed + r, "junk", 4);
    tap_ok(r > 0 && expand(packed, r + 4, unpacked, 1000) == 300
               && memcmp(unpacked, body, 300) == 0,
           "zlib: bytes after the end of the stream are ignored");
}

static void test_mode_switching(void)
{
    static const int sequence[] = { COMPRESS_FASTLZ, COMPRESS_ZLIB,
                                    COMPRESS_ZSTD, COMPRESS_RANGE_CODER,
                                    COMPRESS_NONE, COMPRESS_ZSTD,
                                    COMPRESS_ZLIB, COMPRESS_FASTLZ };
    static const int invalid[] = { -1, 5, 99 };
    int bad = 0;
    ENetCompressor before;
    for (size_t i = 0; i < sizeof sequence / sizeof sequence[0]; i++) {
        size_t r;
        if (compress_install(host, sequence[i]) != 0)
            bad++;
        if (sequence[i] == COMPRESS_NONE) {
            if (host->compressor.context != NULL)
                bad++;
            continue;
        }
        payload_text(body, 500, i);
        r = squeeze(500, 2, 500);
        if (r == 0 || !decoded_ok(sequence[i], 500,
                                  expand(packed, r, unpacked, 600)))
            bad++;
    }
    tap_ok(bad == 0, "switching modes on a live host: each mode installs "
                     "and works, none removes the compressor");
    before = host->compressor;
    bad = 0;
    for (size_t i = 0; i < sizeof invalid / sizeof invalid[0]; i++) {
        if (compress_install(host, invalid[i]) != -1
            || memcmp(&before, &host->compressor, sizeof before) != 0)
            bad++;
    }
    tap_ok(bad == 0, "an unknown mode returns -1 and keeps the compressor");
}

int main(void)
{
    if (enet_initialize() != 0)
        return 1;
    host = enet_host_create(NULL, 1, 1, 0, 0);
    if (!tap_ok(host != NULL, "an ENet host to install compressors on"))
        return tap_done();
    test_round_trips();
    test_codec_bytes();
    test_limits();
    test_fastlz_padding();
    test_hostile_input();
    test_empty_buffers();
    test_zlib_stream_end();
    test_mode_switching();
    enet_host_destroy(host); /* frees the last compressor (LeakSanitizer) */
    enet_deinitialize();
    return tap_done();
}
