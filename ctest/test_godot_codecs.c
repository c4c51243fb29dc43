/*
 * test_godot_codecs.c - byte compatibility of our codecs with a real
 * Godot: godot3-server (ctest/godot_codecs.gd) compresses our payloads
 * with PoolByteArray.compress(FastLZ / deflate / zstd) and decompresses
 * our encodings; we decode Godot's encodings through the ENet adapter and
 * compare every byte. Work happens in a temporary directory, removed at
 * the end; Godot runs under `timeout`.
 */
#include <string.h>

#include <zlib.h>
#include <zstd.h>

#include "compress.h"
#include "fastlz.h"
#include "godot.h"
#include "payloads.h"
#include "tap.h"

enum { BIG = 80000, FAR_PERIOD = 20000 };
enum { GD_FASTLZ, GD_DEFLATE, GD_ZSTD, GD_MODES }; /* File.COMPRESSION_* */

static const char *const gd_tags[GD_MODES] = { "fastlz", "deflate", "zstd" };
static const int adapter_modes[GD_MODES] = { COMPRESS_FASTLZ, COMPRESS_ZLIB,
                                             COMPRESS_ZSTD };
static const size_t sizes[] = { 0, 1, 15, 16, 17, 1000, 1400, 4096, 65536 };
#define SIZE_COUNT (sizeof sizes / sizeof sizes[0])

/* Contents: random, repetitive text, zeros, and random bytes repeating
 * every 20,000 bytes (reachable by level-2 far matches only). */
enum { KIND_RANDOM, KIND_TEXT, KIND_ZEROS, KIND_FAR, KINDS };
static const char *const kind_names[KINDS] = { "random", "text", "zeros",
                                               "far" };

typedef struct test_case {
    char name[32];
    size_t size;
    int kind;
} test_case;

static test_case cases[SIZE_COUNT * KINDS];
static size_t case_count;
static char dir[64];
static FILE *jobs;
static ENetHost *host;
static fastlz_table table;
/* The current case's payload, what decoding it must give, encodings. */
static uint8_t payload[BIG], expect[BIG], got[BIG];
static uint8_t ours[FASTLZ_BOUND(BIG) + 1024], theirs[FASTLZ_BOUND(BIG) + 1024];

/* Fills payload[] with the case's bytes. */
static void fill_case(const test_case *c)
{
    uint64_t seed = c->size + (uint64_t)c->kind;
    if (c->kind == KIND_FAR) {
        payload_random(payload, c->size < FAR_PERIOD ? c->size : FAR_PERIOD,
                       seed);
        for (size_t i = FAR_PERIOD; i < c->size; i++)
            payload[i] = payload[i - FAR_PERIOD];
    } else {
        payload_fill(c->kind == KIND_RANDOM  ? PAYLOAD_RANDOM
                     : c->kind == KIND_TEXT ? PAYLOAD_TEXT
                                            : PAYLOAD_ZEROS,
                     payload, c->size, seed);
    }
}

/* What a decoder of Godot mode `gd` gives back for the case, into
 * expect[]: the payload, zero-padded to 16 bytes for FastLZ (Godot pads
 * FastLZ inputs under 16 bytes before compressing). Returns its length. */
static size_t expected(const test_case *c, int gd)
{
    size_t n = gd == GD_FASTLZ && c->size < 16 ? 16 : c->size;
    memset(expect, 0, n);
    memcpy(expect, payload, c->size);
    return n;
}

/* Our encoding of the case in Godot mode `gd` (FastLZ at `level`) into
 * ours[]. zlib and zstd are what the adapter produces (test_compress
 * checks it is exactly these library calls). */
static size_t our_encoding(const test_case *c, int gd, int level)
{
    uLongf zlen = sizeof ours;
    size_t n;
    switch (gd) {
    case GD_FASTLZ:
        n = expected(c, GD_FASTLZ);
        return fastlz_compress(expect, n, ours, sizeof ours, level, &table);
    case GD_DEFLATE:
        return compress2(ours, &zlen, payload, c->size, Z_DEFAULT_COMPRESSION)
                       == Z_OK
                   ? zlen
                   : 0;
    default:
        n = ZSTD_compress(ours, sizeof ours, payload, c->size, 3);
        return ZSTD_isError(n) ? 0 : n;
    }
}

static int write_file(const char *name, const void *data, size_t n)
{
    char path[128];
    FILE *f;
    int ok;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    f = fopen(path, "wb");
    if (f == NULL)
        return 0;
    ok = fwrite(data, 1, n, f) == n;
    return fclose(f) == 0 && ok;
}

/* Reads a file of the work directory into buf, at most cap bytes.
 * Returns its length, or -1 when it cannot be opened. */
static long read_file(const char *name, uint8_t *buf, size_t cap)
{
    char path[256];
    FILE *f;
    size_t n;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    f = fopen(path, "rb");
    if (f == NULL)
        return -1;
    n = fread(buf, 1, cap, f);
    fclose(f);
    return (long)n;
}

/* Writes the payloads, our encodings and Godot's job list. */
static int prepare(void)
{
    char name[64];
    int ok = 1;
    for (size_t i = 0; i < SIZE_COUNT; i++) {
        for (int kind = 0; kind < KINDS; kind++) {
            test_case *c = &cases[case_count];
            if (kind == KIND_FAR && sizes[i] <= FAR_PERIOD)
                continue;
            case_count++;
            snprintf(c->name, sizeof c->name, "%s-%zu", kind_names[kind],
                     sizes[i]);
            c->size = sizes[i];
            c->kind = kind;
            fill_case(c);
            snprintf(name, sizeof name, "%s.raw", c->name);
            ok &= write_file(name, payload, c->size);
            for (int gd = 0; gd < GD_MODES; gd++) {
                fprintf(jobs, "encode %s.raw %d %s.godot.%s\n", c->name, gd,
                        c->name, gd_tags[gd]);
                for (int level = 1; c->size > 0 && level <= 2; level++) {
                    size_t n;
                    if (gd != GD_FASTLZ && level == 2)
                        break;
                    n = our_encoding(c, gd, level);
                    snprintf(name, sizeof name, "%s.ours.%s%d", c->name,
                             gd_tags[gd], level);
                    ok &= n > 0 && write_file(name, ours, n);
                    fprintf(jobs, "decode %s %zu %d %s.back.%s%d\n", name,
                            c->size, gd, c->name, gd_tags[gd], level);
                }
            }
        }
    }
    return ok;
}

/* Hand-built FastLZ streams for Godot's decoder: a level-2 match at the
 * farthest distance (73,727) with a length continued over two bytes, then
 * a literal; the same match ending the stream; one trailing byte after a
 * literal at level 1 and at level 2. */
static const uint8_t dangling1[] = { 0, 'A', 7 };
static const uint8_t dangling2[] = { 1 << 5, 'A', 7 };
static size_t farthest_length;

static int prepare_hand_built(void)
{
    static const uint8_t far_match[] = { 7 << 5 | 31, 255, 3, 255, 255, 255 };
    size_t n = 0, out = 73727;
    int ok;
    payload_random(expect, out, 5);
    for (size_t done = 0; done < out;) {
        size_t run = out - done < 32 ? out - done : 32;
        ours[n++] = (uint8_t)((run - 1) | (done == 0 ? 1 << 5 : 0));
        memcpy(ours + n, expect + done, run);
        n += run;
        done += run;
    }
    memcpy(ours + n, far_match, sizeof far_match);
    n += sizeof far_match;
    for (size_t i = 0; i < 7 + 255 + 3 + 2; i++, out++)
        expect[out] = expect[out - 73727];
    ok = write_file("far-at-end.fastlz", ours, n);
    ours[n++] = 0;
    ours[n++] = 'Z';
    expect[out++] = 'Z';
    farthest_length = out;
    fprintf(jobs, "decode farthest.fastlz %zu 0 farthest.back\n", out);
    fprintf(jobs, "decode far-at-end.fastlz %zu 0 far-at-end.back\n", out);
    fprintf(jobs, "decode dangling1.fastlz 100 0 dangling1.back\n");
    fprintf(jobs, "decode dangling2.fastlz 100 0 dangling2.back\n");
    return ok && write_file("farthest.fastlz", ours, n)
           && write_file("farthest.expected", expect, out)
           && write_file("dangling1.fastlz", dangling1, sizeof dangling1)
           && write_file("dangling2.fastlz", dangling2, sizeof dangling2);
}

/* Decodes Godot's encodings through the adapter (as ENet would) and
 * compares them with ours. */
static void check_godot_encodings(void)
{
    for (int gd = 0; gd < GD_MODES; gd++) {
        int bad = 0, identical = 0, compared = 0, header_ok = 1;
        compress_install(host, adapter_modes[gd]);
        for (size_t i = 0; i < case_count; i++) {
            const test_case *c = &cases[i];
            char name[64];
            long n;
            size_t want, out = 0, mine;
            snprintf(name, sizeof name, "%s.godot.%s", c->name, gd_tags[gd]);
            n = read_file(name, theirs, sizeof theirs);
            if (c->size == 0) {
                if (n != 0 && bad++ == 0)
                    tap_note("%s: Godot encoded nothing as %ld bytes", name, n);
                continue;
            }
            fill_case(c);
            want = expected(c, gd);
            if (n > 0)
                out = host->compressor.decompress(host->compressor.context,
                                                  theirs, (size_t)n, got,
                                                  sizeof got);
            if ((out != want || memcmp(got, expect, want) != 0) && bad++ == 0)
                tap_note("%s: decoded %zu bytes, want %zu", name, out, want);
            /* FastLZ's automatic level: 2 from 65,536 bytes on. */
            if (gd == GD_FASTLZ && n > 0
                && (theirs[0] >> 5) != (c->size < 65536 ? 0 : 1))
                header_ok = 0;
            /* zstd: one frame that states its content size. */
            if (gd == GD_ZSTD && n > 0
                && ZSTD_getFrameContentSize(theirs, (size_t)n) != c->size)
                header_ok = 0;
            mine = our_encoding(c, gd, c->size < 65536 ? 1 : 2);
            compared++;
            if (mine == (size_t)n && memcmp(ours, theirs, mine) == 0)
                identical++;
        }
        tap_ok(bad == 0, "we decode Godot's %s of %zu payloads",
               gd_tags[gd], case_count);
        if (gd == GD_FASTLZ)
            tap_ok(header_ok, "Godot's FastLZ is level 1 below 65,536 bytes, "
                              "level 2 at 65,536");
        if (gd == GD_ZSTD)
            tap_ok(header_ok, "Godot's zstd frames state their content size");
        if (gd == GD_DEFLATE)
            tap_ok(identical == compared,
                   "Godot's deflate is byte-identical to ours (%d of %d)",
                   identical, compared);
        else
            tap_note("Godot's %s is byte-identical to ours in %d of %d",
                     gd_tags[gd], identical, compared);
    }
}

/* Checks what Godot decoded from our encodings. For sizes under 16,
 * Godot's FastLZ decoder hands back 16 bytes (its scratch buffer). */
static void check_our_encodings(void)
{
    for (int gd = 0; gd < GD_MODES; gd++) {
        for (int level = 1; level <= (gd == GD_FASTLZ ? 2 : 1); level++) {
            int bad = 0, checked = 0;
            for (size_t i = 0; i < case_count; i++) {
                const test_case *c = &cases[i];
                char name[64];
                long n;
                size_t want;
                if (c->size == 0)
                    continue;
                fill_case(c);
                snprintf(name, sizeof name, "%s.back.%s%d", c->name,
                         gd_tags[gd], level);
                n = read_file(name, got, sizeof got);
                want = gd == GD_FASTLZ && c->size < 16 ? 16 : c->size;
                checked++;
                if ((n != (long)want || memcmp(got, payload, c->size) != 0)
                    && bad++ == 0)
                    tap_note("%s: Godot gave %ld bytes, want %zu", name, n,
                             want);
            }
            if (gd == GD_FASTLZ)
                tap_ok(bad == 0, "Godot decodes our FastLZ level %d of %d "
                                 "payloads", level, checked);
            else
                tap_ok(bad == 0, "Godot decodes our %s of %d payloads",
                       gd_tags[gd], checked);
        }
    }
}

/* What Godot's FastLZ decoder accepts at the edges of a stream (facts
 * recorded in docs/compression.md). Our decoder accepts all of these. */
static void check_hand_built(void)
{
    long n = read_file("farthest.back", got, sizeof got);
    long m = read_file("farthest.expected", expect, sizeof expect);
    tap_ok(n == (long)farthest_length && m == n
               && memcmp(got, expect, (size_t)n) == 0,
           "Godot decodes a level-2 match at the farthest distance (73,727)");
    tap_ok(read_file("far-at-end.back", got, sizeof got) == 0,
           "Godot's level-2 decoder refuses a far match ending the stream");
    n = read_file("dangling1.back", got, sizeof got);
    tap_ok(n == 1 && got[0] == 'A'
               && fastlz_decompress(dangling1, sizeof dangling1, expect, 100)
                      == 1,
           "Godot's level-1 decoder ignores one trailing byte, as we do");
    tap_ok(read_file("dangling2.back", got, sizeof got) == 0,
           "Godot's level-2 decoder refuses one trailing byte");
}

int main(void)
{
    char done[16] = { 0 }, path[96];
    if (!tap_ok(godot_installed(),
                "godot3-server is installed (scripts/setup peers)"))
        return tap_done();
    if (!godot_workdir_create(dir) || enet_initialize() != 0)
        return 1;
    host = enet_host_create(NULL, 1, 1, 0, 0);
    snprintf(path, sizeof path, "%s/jobs.txt", dir);
    jobs = fopen(path, "w");
    tap_ok(host != NULL && jobs != NULL && prepare() && prepare_hand_built()
               && fclose(jobs) == 0
               && godot_script_install(dir, "godot_codecs.gd"),
           "payloads, our encodings and Godot's jobs written to %s", dir);
    setenv("CODEC_DIR", dir, 1);
    tap_ok(godot_wait(godot_start(dir, "godot_codecs.gd"))
               && read_file("done.txt", (uint8_t *)done, 15) > 0,
           "godot3-server ran %s jobs", done);
    check_godot_encodings();
    check_our_encodings();
    check_hand_built();
    if (host != NULL)
        enet_host_destroy(host);
    enet_deinitialize();
    godot_workdir_remove(dir);
    return tap_done();
}
