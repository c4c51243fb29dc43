/*
 * compress_decode.c - libFuzzer target: the decompressor of one mode
 * (FUZZ_MODE, a compress_mode value) called as ENet calls it, through
 * host->compressor. Input bytes 0-1 pick the output limit (0 to 4,096),
 * byte 2 picks the stream: the rest as is, or a valid stream of the rest
 * with one byte changed (bytes 3-4) or cut short (byte 3). The decoder
 * must never touch memory outside either buffer (both sized exactly) nor
 * report more than the limit.
 */
#include <stdlib.h>
#include <string.h>

#include "compress.h"

enum { HEADER = 5 };

static ENetHost *host;
static uint8_t stream[2 * COMPRESS_INPUT_MAX];

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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t limit, n, got;
    uint8_t *in, *out;
    if (size < HEADER)
        return 0;
    limit = (size_t)(data[0] << 8 | data[1]) % (ENET_PROTOCOL_MAXIMUM_MTU + 1);
    n = size - HEADER;
    if (data[2] % 3 == 0 || n == 0 || n > COMPRESS_INPUT_MAX) {
        memcpy(stream, data + HEADER, n);
    } else {
        ENetBuffer body = { .data = (void *)(data + HEADER), .dataLength = n };
        n = host->compressor.compress(host->compressor.context, &body, 1, n,
                                      stream, sizeof stream);
        if (n == 0)
            return 0;
        if (data[2] % 3 == 1)
            stream[data[3] % n] ^= data[4] | 1;
        else
            n = data[3] % n;
    }
    in = malloc(n);
    out = malloc(limit);
    if ((n != 0 && in == NULL) || (limit != 0 && out == NULL))
        abort();
    memcpy(in, stream, n);
    got = host->compressor.decompress(host->compressor.context, in, n, out,
                                      limit);
    if (got > limit)
        abort();
    free(in);
    free(out);
    return 0;
}
