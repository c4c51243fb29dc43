/*
 * fastlz_levels.c - libFuzzer target: our FastLZ codec at both levels
 * (byte 0 picks level 1 or 2; the rest is the input). The encoder must fit
 * FASTLZ_BOUND, the stream must decode back exactly into a buffer of the
 * input's size, and one byte less must be refused.
 */
#include <stdlib.h>
#include <string.h>

#include "fastlz.h"

static fastlz_table table;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int level;
    size_t n, c;
    uint8_t *packed, *out;
    if (size < 2)
        return 0;
    level = 1 + (data[0] & 1);
    n = size - 1;
    packed = malloc(FASTLZ_BOUND(n));
    out = malloc(n);
    if (packed == NULL || out == NULL)
        abort();
    c = fastlz_compress(data + 1, n, packed, FASTLZ_BOUND(n), level, &table);
    if (c == 0 || c > FASTLZ_BOUND(n) || (packed[0] >> 5) != level - 1)
        abort();
    if (fastlz_decompress(packed, c, out, n) != n
        || memcmp(out, data + 1, n) != 0)
        abort();
    if (fastlz_decompress(packed, c, out, n - 1) != 0)
        abort();
    free(packed);
    free(out);
    return 0;
}
