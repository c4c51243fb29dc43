/*
 * test_buffers.c - csrc/buffers.h: length, gather and scatter of a datagram
 * in pieces, including the empty piece of an empty packet, whose data
 * pointer is NULL (built with UBSan, which reports a NULL passed to memcpy).
 */
#include <string.h>

#include "buffers.h"
#include "tap.h"

static void test_length(void)
{
    ENetBuffer pieces[3] = {
        { (void *)"abc", 3 }, { NULL, 0 }, { (void *)"defgh", 5 },
    };
    tap_ok(buffers_length(pieces, 3) == 8, "length is the sum of the pieces");
    tap_ok(buffers_length(pieces, 0) == 0, "no pieces: length 0");
}

static void test_gather(void)
{
    ENetBuffer pieces[4] = {
        { NULL, 0 }, { (void *)"abc", 3 }, { NULL, 0 }, { (void *)"defgh", 5 },
    };
    char out[16];
    memset(out, '.', sizeof out);
    size_t n = buffers_gather(out, 8, pieces, 4);
    if (!tap_ok(n == 8 && memcmp(out, "abcdefgh", 8) == 0,
                "gather joins the pieces, skipping empty ones with a NULL pointer"))
        tap_note("gathered %zu bytes: %.8s", n, out);
    memset(out, '.', sizeof out);
    n = buffers_gather(out, 5, pieces, 4);
    tap_ok(n == 5 && memcmp(out, "abcde.", 6) == 0, "gather stops at `length`");
    n = buffers_gather(out, 16, pieces, 4);
    tap_ok(n == 8, "gather copies at most the pieces' total");
    ENetBuffer empty = { NULL, 0 };
    tap_ok(buffers_gather(out, 0, &empty, 1) == 0, "an empty packet gathers to nothing");
}

static void test_scatter(void)
{
    char a[2], b[4];
    ENetBuffer pieces[3] = { { a, sizeof a }, { NULL, 0 }, { b, sizeof b } };
    buffers_scatter(pieces, 3, "uvwxyz", 6);
    tap_ok(memcmp(a, "uv", 2) == 0 && memcmp(b, "wxyz", 4) == 0,
           "scatter spreads the bytes over the pieces, past an empty one");
    ENetBuffer empty[2] = { { NULL, 0 }, { b, sizeof b } };
    buffers_scatter(empty, 2, "pq", 2);
    tap_ok(memcmp(b, "pqyz", 4) == 0, "scatter skips an empty first piece");
}

int main(void)
{
    test_length();
    test_gather();
    test_scatter();
    return tap_done();
}
