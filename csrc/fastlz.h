/*
 * fastlz.h - our own codec for the FastLZ block format (levels 1 and 2),
 * the format Godot's COMPRESS_FASTLZ puts on the wire. Written from the
 * format description in docs/compression.md; no third-party code.
 */
#ifndef ENETCONNECTION_FASTLZ_H
#define ENETCONNECTION_FASTLZ_H

#include <stddef.h>
#include <stdint.h>

/* The encoder's hash table of recent 3-byte sequences. It holds no state
 * between calls (each call clears the part it uses), so one table can serve
 * any number of streams, one at a time. Large: keep it off the stack. */
#define FASTLZ_HASH_BITS 13
typedef struct fastlz_table {
    uint32_t slot[1u << FASTLZ_HASH_BITS];
} fastlz_table;

/* Worst-case compressed size of `length` input bytes: the encoder never
 * writes more than this (a match always costs less than the bytes it
 * covers, so only literal control bytes add to the length). */
#define FASTLZ_BOUND(length) ((length) + (length) / 32 + 1)

/* Compresses `length` bytes at `level` (1 or 2) into at most `out_limit`
 * bytes of `output`. Returns the compressed length, or 0 when the level is
 * not 1 or 2, `length` is 0, or the result does not fit in `out_limit`
 * (an out_limit of FASTLZ_BOUND(length) always fits). Level 1 reaches back
 * 8,192 bytes, level 2 73,727. The stream always ends with a literal run,
 * which every FastLZ decoder (Godot's strict level-2 one too) accepts. */
size_t fastlz_compress(const void *input, size_t length, void *output,
                       size_t out_limit, int level, fastlz_table *table);

/* Decompresses a level-1 or level-2 stream (the level is read from its
 * first byte) into at most `out_limit` bytes. Returns the decompressed
 * length, or 0 on any malformed, truncated or oversized input: it never
 * reads outside `input`, writes outside `output`, or copies from before the
 * start of the output. It accepts every stream Godot's FastLZ accepts: it
 * stops when fewer than two input bytes remain, so one trailing byte is
 * ignored (Godot's level-1 decoder does the same; its level-2 decoder
 * refuses such a stream, and a far match that ends one). */
size_t fastlz_decompress(const void *input, size_t length, void *output,
                         size_t out_limit);

#endif
