/*
 * variant_budget.h - the memory budget of Variant decoding.
 *
 * A few Variant bytes can stand for much more Lua memory: a 4-byte Callable
 * header becomes a tagged table of about 100 bytes, an 8-byte empty Array a
 * table of about 70. The decoder charges the estimated heap cost of each
 * table and string before creating it, and refuses the input with
 * ERR_INVALID_DATA once the total would pass
 * VARIANT_BUDGET_FACTOR * input length + VARIANT_BUDGET_SLACK.
 *
 * Ordinary data (numbers, strings, arrays, dictionaries) costs well under
 * the factor; tagged values cost 10 to 30 times their bytes, which the slack
 * allows for a few thousand of them per input.
 */
#ifndef ENETCONNECTION_VARIANT_BUDGET_H
#define ENETCONNECTION_VARIANT_BUDGET_H

#include <stddef.h>
#include <stdint.h>

#include "variant_types.h"

#define VARIANT_BUDGET_FACTOR 8
#define VARIANT_BUDGET_SLACK ((uint64_t)1 << 20)
/* The same in words, for the refusal message. */
#define VARIANT_BUDGET_TEXT "8 times its bytes + 1 MiB"

/* The Lua memory that decoding `input_len` bytes may take. */
uint64_t variant_decode_budget(size_t input_len);

/* Lua interns short strings (all of them before 5.2, up to 40 bytes since),
 * so a repeated key such as "name" costs nothing after its first copy. The
 * budget remembers the short strings charged in a small direct-mapped cache,
 * compared byte for byte: only true repeats go free. */
#define VARIANT_SEEN_SLOTS 64

/* One decode's account. */
typedef struct variant_budget {
    uint64_t spent, limit; /* estimated Lua heap bytes */
    struct {
        const char *s; /* in the input, which outlives the decode */
        size_t len;
    } seen[VARIANT_SEEN_SLOTS];
} variant_budget;

/* Opens the account of a decode of `input_len` bytes. */
void variant_budget_init(variant_budget *b, size_t input_len);

/* Charges `cost` bytes about to be created: 0, or -1 when over the budget
 * (nothing charged). */
int variant_budget_charge(variant_budget *b, uint64_t cost);

/* Estimated heap bytes of a table created with `narr` array slots and room
 * for `nrec` hash entries (lua_createtable). */
uint64_t variant_table_cost(uint64_t narr, uint64_t nrec);

/* Estimated heap bytes of a new string of `len` bytes. */
uint64_t variant_string_cost(uint64_t len);

/* What pushing s[0..len) will cost: variant_string_cost, or 0 when the same
 * short string was seen before in this decode (the caller pushes it). */
uint64_t variant_budget_string_cost(variant_budget *b, const char *s, size_t len);

/* Estimated heap bytes of the tables of a decoded math value of shape s. */
uint64_t variant_shape_cost(const variant_shape *s);

#endif
