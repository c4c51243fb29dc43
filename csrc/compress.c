/*
 * compress.c - ENetCompressor adapter for Godot's compression modes.
 */
#include "compress.h"

int compress_install(ENetHost *host, int mode)
{
    switch (mode) {
    case COMPRESS_NONE:
        enet_host_compress(host, NULL);
        return 0;
    case COMPRESS_RANGE_CODER:
        return enet_host_compress_with_range_coder(host) == 0 ? 0 : -1;
    default:
        return -1;
    }
}
