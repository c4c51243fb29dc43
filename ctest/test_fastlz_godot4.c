/*
 * test_fastlz_godot4.c - streams shaped like the ones a Godot 4 peer sends
 * in COMPRESS_FASTLZ mode, decoded by our adapter through
 * host->compressor the way ENet decodes a received datagram.
 *
 * Godot 4 never ran here, so its output is built by hand from what its
 * source shows (facts, no code; docs/compression.md has them): bodies under
 * 16 bytes are zero-padded to 16, bodies under 65,536 bytes are level 1,
 * and its level-1 encoder writes two literal bytes first, literal runs of
 * up to 32 bytes, matches 1 to 8,191 bytes back, repeats longer than 264
 * bytes as 262-byte pieces plus a last piece of 3 to 264, a repeated byte
 * as a match at distance 1, matches right after matches, and a literal run
 * at the end. Our own encoder makes different choices (pieces of 264,
 * distance 8,192), so these streams are not what it produces.
 */
#include <string.h>

#include "compress.h"
#include "payloads.h"
#include "tap.h"

/* ENet decodes into its packet buffer minus the protocol header. */
enum { ENET_DECODE_LIMIT = ENET_PROTOCOL_MAXIMUM_MTU - 4 };
/* Godot picks level 1 below this body length. */
enum { LEVEL1_BELOW = 65536, GODOT_PIECE = 262, LONGEST_PIECE = 264 };

/* A stream being written and the body it decodes to. */
typedef struct godot_stream {
    uint8_t bytes[LEVEL1_BELOW];
    uint8_t body[LEVEL1_BELOW];
    size_t length, body_length;
} godot_stream;

static ENetHost *host;
static godot_stream g;
static uint8_t decoded[LEVEL1_BELOW];

static void start(void)
{
    g.length = g.body_length = 0;
}

/* Appends `n` bytes of `src` as literal runs of at most 32 bytes. The first
 * byte of a level-1 stream carries the marker 0 in its top 3 bits, so a
 * literal control byte (0 to 31) needs no change. */
static void literals(const uint8_t *src, size_t n)
{
    for (size_t done = 0; done < n;) {
        size_t run = n - done < 32 ? n - done : 32;
        g.bytes[g.length++] = (uint8_t)(run - 1);
        memcpy(g.bytes + g.length, src + done, run);
        memcpy(g.body + g.body_length, src + done, run);
        g.length += run;
        g.body_length += run;
        done += run;
    }
}

/* One level-1 match instruction of 3 to 264 bytes from `distance` back. */
static void piece(size_t length, size_t distance)
{
    size_t code = length - 2, d = distance - 1;
    if (code < 7) {
        g.bytes[g.length++] = (uint8_t)(code << 5 | d >> 8);
    } else {
        g.bytes[g.length++] = (uint8_t)(7 << 5 | d >> 8);
        g.bytes[g.length++] = (uint8_t)(code - 7);
    }
    g.bytes[g.length++] = (uint8_t)(d & 255);
    for (size_t i = 0; i < length; i++, g.body_length++)
        g.body[g.body_length] = g.body[g.body_length - distance];
}

/* A repeat of `length` bytes from `distance` back, split as Godot 4 does. */
static void match(size_t length, size_t distance)
{
    while (length > LONGEST_PIECE) {
        piece(GODOT_PIECE, distance);
        length -= GODOT_PIECE;
    }
    piece(length, distance);
}

static size_t expand(size_t limit)
{
    return host->compressor.decompress(host->compressor.context, g.bytes,
                                       g.length, decoded, limit);
}

static int decodes_to_body(size_t limit)
{
    size_t got = expand(limit);
    if (got == g.body_length && memcmp(decoded, g.body, got) == 0)
        return 1;
    tap_note("decoded %zu bytes, want the %zu of the body", got,
             g.body_length);
    return 0;
}

/* A game-state datagram body with every instruction form Godot's level-1
 * encoder writes. */
static void test_datagram(void)
{
    uint8_t state[128], text[64], tail[13];
    payload_game(state, sizeof state, 4);
    payload_text(text, sizeof text, 5);
    payload_random(tail, sizeof tail, 6);
    start();
    literals(state, 40);      /* 32 + 8: two runs */
    match(16, 16);            /* the next record repeats the last one */
    match(20, 32);            /* a match right after a match */
    literals(state + 40, 5);
    match(600, 1);            /* a repeated byte: pieces 262, 262, 76 */
    match(300, 650);          /* pieces 262 and 38 */
    literals(text, 64);
    match(LONGEST_PIECE, 1000); /* the longest single piece */
    match(7, 8);              /* the longest short form */
    match(9, 3);              /* the shortest extended form */
    literals(tail, sizeof tail);
    tap_ok(g.body_length < ENET_DECODE_LIMIT && g.length < g.body_length
               && g.bytes[0] >> 5 == 0,
           "a level-1 stream of %zu bytes for a %zu-byte datagram body",
           g.length, g.body_length);
    tap_ok(decodes_to_body(ENET_DECODE_LIMIT),
           "the adapter decodes it into ENet's buffer, byte for byte");
    tap_ok(expand(g.body_length) == g.body_length
               && expand(g.body_length - 1) == 0,
           "it fits a limit of exactly its length and refuses one less");
}

/* The largest body Godot encodes at level 1, reaching the farthest its
 * encoder goes (8,191 bytes back). */
static void test_largest_level1_body(void)
{
    static uint8_t start_bytes[8200];
    uint8_t tail[13];
    payload_random(start_bytes, sizeof start_bytes, 7);
    payload_random(tail, sizeof tail, 8);
    start();
    literals(start_bytes, sizeof start_bytes);
    match(LEVEL1_BELOW - 1 - sizeof start_bytes - sizeof tail, 8191);
    literals(tail, sizeof tail);
    tap_ok(g.body_length == LEVEL1_BELOW - 1 && g.bytes[0] >> 5 == 0,
           "a level-1 stream of %zu bytes for a %zu-byte body", g.length,
           g.body_length);
    tap_ok(decodes_to_body(LEVEL1_BELOW - 1)
               && expand(LEVEL1_BELOW - 2) == 0,
           "the adapter decodes it exactly, and refuses one byte less room");
}

/* Godot 4 zero-pads a body under 16 bytes to 16 and compresses that; ENet
 * sends the result only when it is smaller than the body itself. Godot
 * 3.2.3's PoolByteArray.compress writes exactly these two streams. */
static void test_padded_short_bodies(void)
{
    static const uint8_t as_godot_writes[] = { 1, 'A', 'A', 7 << 5, 1, 1,
                                               3, 0, 0, 0, 0 };
    static const uint8_t zeros[16];
    uint8_t a12[12];
    memset(a12, 'A', sizeof a12);

    /* 12 x 'A' + 4 zeros: two literals, 10 bytes from 2 back, 4 literals. */
    start();
    literals(a12, 2);
    match(10, 2);
    literals(zeros, 4);
    tap_ok(g.length == sizeof as_godot_writes
               && memcmp(g.bytes, as_godot_writes, g.length) == 0
               && g.length < sizeof a12,
           "a 12-byte body padded to 16 is an 11-byte stream (sent "
           "compressed)");
    tap_ok(decodes_to_body(ENET_DECODE_LIMIT) && g.body_length == 16
               && memcmp(decoded, a12, sizeof a12) == 0,
           "decoded into ENet's buffer: the body and the 4 zeros of padding");
    tap_ok(expand(12) == 12 && memcmp(decoded, a12, 12) == 0,
           "decoded into 12 bytes: the body without the padding (12, as "
           "Godot 4 returns)");
    tap_ok(expand(11) == 0, "into 11 bytes a body byte is lost: refused");

    /* 12 zeros + 4: two literals, 11 bytes from 2 back, 3 literals. */
    start();
    literals(zeros, 2);
    match(11, 2);
    literals(zeros, 3);
    tap_ok(g.length == 10 && g.body_length == 16
               && decodes_to_body(ENET_DECODE_LIMIT)
               && expand(12) == 12,
           "12 zero bytes padded to 16: a 10-byte stream, decoded to 16 "
           "zeros (12 into a 12-byte buffer)");
}

int main(void)
{
    if (enet_initialize() != 0)
        return 1;
    host = enet_host_create(NULL, 1, 1, 0, 0);
    if (!tap_ok(host != NULL && compress_install(host, COMPRESS_FASTLZ) == 0,
                "an ENet host with the FastLZ compressor"))
        return tap_done();
    test_datagram();
    test_largest_level1_body();
    test_padded_short_bodies();
    enet_host_destroy(host);
    enet_deinitialize();
    return tap_done();
}
