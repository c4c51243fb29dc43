/*
 * compress.h - installs one of Godot's compression modes on an ENet host as
 * an ENetCompressor whose context (buffers, codec state) belongs to the host.
 */
#ifndef ENETCONNECTION_COMPRESS_H
#define ENETCONNECTION_COMPRESS_H

#include <enet/enet.h>

/* ENetConnection.CompressionMode values (Godot's). */
enum compress_mode {
    COMPRESS_NONE = 0,
    COMPRESS_RANGE_CODER = 1,
    COMPRESS_FASTLZ = 2,
    COMPRESS_ZLIB = 3,
    COMPRESS_ZSTD = 4,
};

/* Largest datagram body the FastLZ, zlib and zstd compressors take (larger
 * ones are sent uncompressed). ENet hands them at most
 * ENET_PROTOCOL_MAXIMUM_MTU (4,096) bytes; the room up to 16 KiB lets tests
 * and benchmarks run whole game packets through the same code. */
#define COMPRESS_INPUT_MAX 16384

/* Replaces the host's compressor. Returns 0, or -1 when out of memory or the
 * mode is not one of the above (the host keeps its previous compressor). */
int compress_install(ENetHost *host, int mode);

/* Called with the host whenever one of its compressors (not ENet's own
 * receive path) drops a datagram that does not decompress, inside ENet's
 * receive (host->receivedAddress is its sender). One for the process, set
 * by the module when it opens (it counts them on the host's socket); none
 * by default. */
typedef void (*compress_refusal_hook)(ENetHost *host);
void compress_set_refusal_hook(compress_refusal_hook hook);

#endif
