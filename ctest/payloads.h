/*
 * payloads.h - deterministic test and benchmark contents: random bytes,
 * repetitive text, zeros, and game-like state updates (entity records with
 * slowly moving float positions), all from a seeded generator.
 */
#ifndef ENETCONNECTION_CTEST_PAYLOADS_H
#define ENETCONNECTION_CTEST_PAYLOADS_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef enum payload_kind {
    PAYLOAD_RANDOM,
    PAYLOAD_TEXT,
    PAYLOAD_ZEROS,
    PAYLOAD_GAME,
    PAYLOAD_KINDS
} payload_kind;

static const char *const payload_names[PAYLOAD_KINDS] = {
    "random", "text", "zeros", "game"
};

/* splitmix64: a small, good, seedable generator. */
static inline uint64_t payload_next(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

static inline void payload_random(uint8_t *buf, size_t n, uint64_t seed)
{
    for (size_t i = 0; i < n; i++)
        buf[i] = (uint8_t)(payload_next(&seed) >> 56);
}

/* Chat-like text: words from a small vocabulary. */
static inline void payload_text(uint8_t *buf, size_t n, uint64_t seed)
{
    static const char *const words[] = {
        "player", "moved", "to", "the", "north", "gate", "score", "42",
        "team", "blue", "red", "flag", "captured", "respawn", "in", "5s",
    };
    size_t i = 0;
    while (i < n) {
        const char *w = words[payload_next(&seed) % 16];
        for (size_t k = 0; w[k] != '\0' && i < n; k++)
            buf[i++] = (uint8_t)w[k];
        if (i < n)
            buf[i++] = ' ';
    }
}

/* State updates: 16-byte records (u16 id, 3 x f32 position, u8 health,
 * u8 flags) for entities that move a little between snapshots. */
static inline void payload_game(uint8_t *buf, size_t n, uint64_t seed)
{
    float pos[3] = { 100.0f, 2.0f, -50.0f };
    uint8_t record[16];
    for (size_t i = 0, id = 1; i < n; i += sizeof record, id++) {
        record[0] = (uint8_t)(id & 255);
        record[1] = (uint8_t)(id >> 8);
        for (int a = 0; a < 3; a++) {
            pos[a] += (float)((int)(payload_next(&seed) % 201) - 100) / 64.0f;
            memcpy(record + 2 + 4 * a, &pos[a], 4);
        }
        record[14] = (uint8_t)(100 - id % 7);
        record[15] = (uint8_t)(payload_next(&seed) % 4 == 0 ? 1 : 0);
        memcpy(buf + i, record, n - i < sizeof record ? n - i : sizeof record);
    }
}

static inline void payload_fill(payload_kind kind, uint8_t *buf, size_t n,
                                uint64_t seed)
{
    switch (kind) {
    case PAYLOAD_RANDOM: payload_random(buf, n, seed); break;
    case PAYLOAD_TEXT: payload_text(buf, n, seed); break;
    case PAYLOAD_ZEROS: memset(buf, 0, n); break;
    default: payload_game(buf, n, seed); break;
    }
}

#endif
