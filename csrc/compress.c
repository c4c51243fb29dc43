/*
 * compress.c - ENetCompressor adapter for Godot's compression modes.
 *
 * Behaves like Godot's ENet compressor on the wire: the datagram body is
 * gathered into one buffer and compressed as one block (FastLZ level 1 with
 * inputs zero-padded to 16 bytes, a zlib stream at the default level, or
 * one zstd frame at level 3); the result is used only when it is smaller
 * than the input. Decompressors return 0 on any malformed input and ENet
 * then drops the datagram. The range coder is ENet's own, fed without
 * the empty buffers that crash it.
 *
 * Each installed compressor owns one context (gather buffer and codec
 * state, allocated once); ENet frees it through the destroy callback when
 * the mode changes or the host is destroyed. Nothing is allocated per
 * datagram: the zstd contexts live in static workspaces, zlib streams are
 * reset, not recreated (the inflater allocates its 32 KiB window once, the
 * first time a stream is cut short).
 */
#include "compress.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#define ZLIB_CONST
#include <zlib.h>
#define ZSTD_STATIC_LINKING_ONLY /* static contexts: no allocation per call */
#include <zstd.h>

#include <stdatomic.h>

#include "buffers.h"
#include "fastlz.h"

#include "visibility.h" /* last: hides what this file defines */

enum {
    FASTLZ_MIN_INPUT = 16, /* Godot zero-pads shorter inputs to this */
    ZLIB_WINDOW_BITS = 15, /* zlib wrapper, 32 KiB window */
    ZLIB_MEM_LEVEL = 8,
    ZSTD_LEVEL = 3,
};

/* Godot calls FastLZ's automatic level: level 1 below 65,536 bytes. */
_Static_assert(COMPRESS_INPUT_MAX < 65536, "FastLZ datagrams are level 1");
_Static_assert(COMPRESS_INPUT_MAX < UINT_MAX, "zlib lengths are uInt");

typedef struct codec_context {
    ENetHost *host; /* first, as in range_context: whose socket counts failures */
    uint8_t input[COMPRESS_INPUT_MAX]; /* the datagram body, gathered */
    union {
        fastlz_table fastlz;
        struct {
            z_stream deflater, inflater;
        } zlib;
        struct {
            void *cworkspace, *dworkspace;
            ZSTD_CCtx *cctx;
            ZSTD_DCtx *dctx;
            /* zstd may pick a longer encoding when its output room is
             * tight, so it gets full room, as in Godot, then the result is
             * used only if it fits. */
            uint8_t frame[ZSTD_COMPRESSBOUND(COMPRESS_INPUT_MAX)];
        } zstd;
    } codec;
} codec_context;

/* Copies the datagram's buffers into c->input. Returns the body length, or
 * 0 when it is empty or longer than COMPRESS_INPUT_MAX. */
static size_t gather(codec_context *c, const ENetBuffer *buffers,
                     size_t count, size_t length)
{
    return length > COMPRESS_INPUT_MAX ? 0 : buffers_gather(c->input, length, buffers, count);
}

/* Room for a result that is worth sending: smaller than the body (n > 0). */
static size_t room_below(size_t n, size_t out_limit)
{
    return out_limit < n ? out_limit : n - 1;
}

static _Atomic(compress_refusal_hook) refusal_hook;

void compress_set_refusal_hook(compress_refusal_hook hook)
{
    atomic_store(&refusal_hook, hook);
}

/* A datagram that does not decompress came from a remote with another
 * mode (or is garbage): the hook hears of it. Returns 0: ENet drops it. */
static size_t refused(ENetHost *host)
{
    compress_refusal_hook hook = atomic_load(&refusal_hook);
    if (hook != NULL)
        hook(host);
    return 0;
}

/* Range coder -------------------------------------------------------- */

typedef struct range_context {
    ENetHost *host;
    void *coder; /* libenet's */
} range_context;

/* libenet's range coder reads one byte from each empty buffer after the
 * first, and an empty packet's buffer has a NULL pointer: sending one
 * crashes it. It gets the datagram's buffers without the empty ones; the
 * bytes on the wire are those of enet_host_compress_with_range_coder. */
static size_t ENET_CALLBACK range_coder_compress_datagram(
    void *context, const ENetBuffer *buffers, size_t count, size_t in_limit,
    enet_uint8 *out, size_t out_limit)
{
    ENetBuffer kept[ENET_BUFFER_MAXIMUM];
    size_t n = 0;
    if (count > ENET_BUFFER_MAXIMUM)
        return 0;
    for (size_t i = 0; i < count; i++) {
        if (buffers[i].dataLength > 0)
            kept[n++] = buffers[i];
    }
    return enet_range_coder_compress(((range_context *)context)->coder, kept, n,
                                     in_limit, out, out_limit);
}

static size_t ENET_CALLBACK range_coder_decompress_datagram(
    void *context, const enet_uint8 *in, size_t in_limit, enet_uint8 *out,
    size_t out_limit)
{
    range_context *r = context;
    size_t n = enet_range_coder_decompress(r->coder, in, in_limit, out, out_limit);
    return n > 0 ? n : refused(r->host);
}

static void ENET_CALLBACK range_coder_destroy(void *context)
{
    range_context *r = context;
    enet_range_coder_destroy(r->coder);
    free(r);
}

/* FastLZ ------------------------------------------------------------- */

static size_t ENET_CALLBACK fastlz_compress_datagram(
    void *context, const ENetBuffer *buffers, size_t count, size_t in_limit,
    enet_uint8 *out, size_t out_limit)
{
    codec_context *c = context;
    size_t n = gather(c, buffers, count, in_limit), padded = n;
    if (n == 0)
        return 0;
    if (n < FASTLZ_MIN_INPUT) {
        memset(c->input + n, 0, FASTLZ_MIN_INPUT - n);
        padded = FASTLZ_MIN_INPUT;
    }
    return fastlz_compress(c->input, padded, out, room_below(n, out_limit), 1,
                           &c->codec.fastlz);
}

/* Like Godot, an output smaller than 16 bytes is decoded through a 16-byte
 * scratch buffer (a padded block decodes to 16). Unlike Godot, the bytes
 * that do not fit must be that zero padding, and the length returned is
 * what was written. ENet's own limit is always larger. */
static size_t fastlz_decode(const enet_uint8 *in, size_t in_limit, enet_uint8 *out,
    size_t out_limit)
{
    uint8_t scratch[FASTLZ_MIN_INPUT];
    size_t n;
    if (out_limit >= FASTLZ_MIN_INPUT)
        return fastlz_decompress(in, in_limit, out, out_limit);
    n = fastlz_decompress(in, in_limit, scratch, sizeof scratch);
    for (size_t i = out_limit; i < n; i++) {
        if (scratch[i] != 0)
            return 0;
    }
    if (n > out_limit)
        n = out_limit;
    memcpy(out, scratch, n);
    return n;
}

static size_t ENET_CALLBACK fastlz_decompress_datagram(
    void *context, const enet_uint8 *in, size_t in_limit, enet_uint8 *out,
    size_t out_limit)
{
    size_t n = fastlz_decode(in, in_limit, out, out_limit);
    return n > 0 ? n : refused(((codec_context *)context)->host);
}

static void ENET_CALLBACK fastlz_destroy(void *context)
{
    free(context);
}

/* zlib --------------------------------------------------------------- */

static size_t ENET_CALLBACK zlib_compress_datagram(
    void *context, const ENetBuffer *buffers, size_t count, size_t in_limit,
    enet_uint8 *out, size_t out_limit)
{
    codec_context *c = context;
    z_stream *z = &c->codec.zlib.deflater;
    size_t n = gather(c, buffers, count, in_limit), room;
    if (n == 0 || deflateReset(z) != Z_OK)
        return 0;
    room = room_below(n, out_limit);
    z->next_in = c->input;
    z->avail_in = (uInt)n;
    z->next_out = out;
    z->avail_out = (uInt)room;
    if (deflate(z, Z_FINISH) != Z_STREAM_END)
        return 0; /* did not fit: not worth compressing */
    return room - z->avail_out;
}

static size_t ENET_CALLBACK zlib_decompress_datagram(
    void *context, const enet_uint8 *in, size_t in_limit, enet_uint8 *out,
    size_t out_limit)
{
    codec_context *c = context;
    z_stream *z = &c->codec.zlib.inflater;
    uInt room = out_limit < UINT_MAX ? (uInt)out_limit : UINT_MAX;
    if (in_limit >= UINT_MAX || inflateReset(z) != Z_OK)
        return refused(c->host);
    z->next_in = in;
    z->avail_in = (uInt)in_limit;
    z->next_out = out;
    z->avail_out = room;
    if (inflate(z, Z_FINISH) != Z_STREAM_END || room == z->avail_out)
        return refused(c->host);
    return room - z->avail_out;
}

static void ENET_CALLBACK zlib_destroy(void *context)
{
    codec_context *c = context;
    deflateEnd(&c->codec.zlib.deflater);
    inflateEnd(&c->codec.zlib.inflater);
    free(c);
}

/* zstd --------------------------------------------------------------- */

static size_t ENET_CALLBACK zstd_compress_datagram(
    void *context, const ENetBuffer *buffers, size_t count, size_t in_limit,
    enet_uint8 *out, size_t out_limit)
{
    codec_context *c = context;
    size_t n = gather(c, buffers, count, in_limit), r;
    if (n == 0)
        return 0;
    r = ZSTD_compressCCtx(c->codec.zstd.cctx, c->codec.zstd.frame,
                          sizeof c->codec.zstd.frame, c->input, n, ZSTD_LEVEL);
    if (ZSTD_isError(r) || r > room_below(n, out_limit))
        return 0;
    memcpy(out, c->codec.zstd.frame, r);
    return r;
}

static size_t ENET_CALLBACK zstd_decompress_datagram(
    void *context, const enet_uint8 *in, size_t in_limit, enet_uint8 *out,
    size_t out_limit)
{
    codec_context *c = context;
    size_t r = ZSTD_decompressDCtx(c->codec.zstd.dctx, out, out_limit, in,
                                   in_limit);
    return ZSTD_isError(r) || r == 0 ? refused(c->host) : r;
}

static void ENET_CALLBACK zstd_destroy(void *context)
{
    codec_context *c = context;
    free(c->codec.zstd.cworkspace);
    free(c->codec.zstd.dworkspace);
    free(c);
}

/* Installing --------------------------------------------------------- */

/* Fills `k` with a new context and the callbacks of `mode`. Returns 0, or
 * -1 when out of memory (nothing is left allocated). */
static int compressor_create(ENetCompressor *k, ENetHost *host, int mode)
{
    codec_context *c = calloc(1, sizeof *c);
    if (c == NULL)
        return -1;
    c->host = host;
    k->context = c;
    switch (mode) {
    case COMPRESS_FASTLZ:
        k->compress = fastlz_compress_datagram;
        k->decompress = fastlz_decompress_datagram;
        k->destroy = fastlz_destroy;
        return 0;
    case COMPRESS_ZLIB:
        k->compress = zlib_compress_datagram;
        k->decompress = zlib_decompress_datagram;
        k->destroy = zlib_destroy;
        if (deflateInit2(&c->codec.zlib.deflater, Z_DEFAULT_COMPRESSION,
                         Z_DEFLATED, ZLIB_WINDOW_BITS, ZLIB_MEM_LEVEL,
                         Z_DEFAULT_STRATEGY) != Z_OK)
            break;
        if (inflateInit2(&c->codec.zlib.inflater, ZLIB_WINDOW_BITS) != Z_OK) {
            deflateEnd(&c->codec.zlib.deflater);
            break;
        }
        return 0;
    case COMPRESS_ZSTD: {
        /* Sized for the largest input; smaller ones need less. */
        ZSTD_compressionParameters p =
            ZSTD_getCParams(ZSTD_LEVEL, COMPRESS_INPUT_MAX, 0);
        size_t csize = ZSTD_estimateCCtxSize_usingCParams(p);
        size_t dsize = ZSTD_estimateDCtxSize();
        k->compress = zstd_compress_datagram;
        k->decompress = zstd_decompress_datagram;
        k->destroy = zstd_destroy;
        c->codec.zstd.cworkspace = malloc(csize);
        c->codec.zstd.dworkspace = malloc(dsize);
        if (c->codec.zstd.cworkspace != NULL
            && c->codec.zstd.dworkspace != NULL) {
            c->codec.zstd.cctx =
                ZSTD_initStaticCCtx(c->codec.zstd.cworkspace, csize);
            c->codec.zstd.dctx =
                ZSTD_initStaticDCtx(c->codec.zstd.dworkspace, dsize);
            if (c->codec.zstd.cctx != NULL && c->codec.zstd.dctx != NULL)
                return 0;
        }
        free(c->codec.zstd.cworkspace);
        free(c->codec.zstd.dworkspace);
        break;
    }
    }
    free(c);
    return -1;
}

int compress_install(ENetHost *host, int mode)
{
    ENetCompressor k;
    switch (mode) {
    case COMPRESS_NONE:
        enet_host_compress(host, NULL);
        return 0;
    case COMPRESS_RANGE_CODER: {
        range_context *r = malloc(sizeof *r);
        if (r == NULL)
            return -1;
        r->host = host;
        r->coder = enet_range_coder_create();
        if (r->coder == NULL) {
            free(r);
            return -1;
        }
        k.context = r;
        k.compress = range_coder_compress_datagram;
        k.decompress = range_coder_decompress_datagram;
        k.destroy = range_coder_destroy;
        enet_host_compress(host, &k);
        return 0;
    }
    case COMPRESS_FASTLZ:
    case COMPRESS_ZLIB:
    case COMPRESS_ZSTD:
        /* enet_host_compress destroys the previous compressor's context. */
        if (compressor_create(&k, host, mode) != 0)
            return -1;
        enet_host_compress(host, &k);
        return 0;
    default:
        return -1;
    }
}
