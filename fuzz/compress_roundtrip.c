/*
 * compress_roundtrip.c - libFuzzer target: one mode's compressor and
 * decompressor (FUZZ_MODE) through host->compressor. The input after byte
 * 0 is a datagram body handed over in 1 to 4 buffers (byte 0); whatever
 * the compressor returns must be no longer than the body and decode back
 * to it exactly (FastLZ: plus the zero padding to 16 bytes), also into a
 * buffer of exactly the body's size.
 */
#include <stdlib.h>
#include <string.h>

#include "compress.h"

static ENetHost *host;
static uint8_t packed[COMPRESS_INPUT_MAX];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    if (enet_initialize() != 0)
        abort();
    host = enet_host_create(NULL, 1, 1, 0, 0);
    if (host == NULL || compress_install(host, FUZZ_MODE) != 0)
        abort();
    return 0;
}

/* Decodes packed[0..r) into exactly `limit` bytes; checks the result. */
static void check_decode(const uint8_t *body, size_t n, size_t r,
                         size_t limit)
{
    size_t want = FUZZ_MODE == COMPRESS_FASTLZ && n < 16 && limit >= 16 ? 16
                                                                        : n;
    uint8_t *out = malloc(limit);
    size_t got;
    if (out == NULL)
        abort();
    got = host->compressor.decompress(host->compressor.context, packed, r,
                                      out, limit);
    if (got != want || memcmp(out, body, n) != 0)
        abort();
    for (size_t i = n; i < want; i++) {
        if (out[i] != 0)
            abort();
    }
    free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ENetBuffer parts[4];
    size_t pieces, n, r, at = 0;
    if (size < 2 || size - 1 > COMPRESS_INPUT_MAX)
        return 0;
    pieces = 1 + data[0] % 4;
    n = size - 1;
    for (size_t i = 0; i < pieces; i++) {
        size_t len = i + 1 == pieces ? n - at : n / pieces;
        parts[i].data = (void *)(data + 1 + at);
        parts[i].dataLength = len;
        at += len;
    }
    r = host->compressor.compress(host->compressor.context, parts, pieces, n,
                                  packed, n);
    if (r == 0)
        return 0;
    if (r > n || (r == n && FUZZ_MODE != COMPRESS_RANGE_CODER))
        abort(); /* only ENet's range coder returns "no smaller" */
    check_decode(data + 1, n, r, n < 16 ? 16 : n);
    check_decode(data + 1, n, r, n);
    return 0;
}
