/*
 * variant.h - Godot's Variant binary encoding (var_to_bytes / bytes_to_var,
 * PacketPeer.put_var / get_var) between Lua values and byte strings.
 *
 * The Lua representation of every Godot type is documented in
 * docs/variant.md. Godot 4 is the default; a Godot 3 mode speaks the 3.x
 * type ids and payloads.
 */
#ifndef ENETCONNECTION_VARIANT_H
#define ENETCONNECTION_VARIANT_H

#include <stddef.h>

#include "compat.h"

/* Encoding choices. A NULL pointer means all zero: Godot 4, single precision. */
typedef struct variant_options {
    int godot3;           /* Godot 3.x type ids and payloads */
    int double_precision; /* encode real_t components (vectors, transforms...)
                             as 64-bit, as a Godot built with precision=double
                             does; decoding accepts both sizes always */
} variant_options;

/* Why a decode failed. `reason` is static text; `offset` is the byte offset
 * in the input where the fault was found. */
typedef struct variant_status {
    int code;           /* GD_OK or Godot's Error value */
    const char *reason;
    size_t offset;
} variant_status;

/* Reads the options at `arg`: a table, or absent, nil or false (Godot's
 * full_objects / allow_objects argument) for all zero. Raises a Lua error
 * naming the argument for true, an unknown option or anything else. */
void variant_check_options(lua_State *L, int arg, variant_options *opt);

/*
 * Encodes the Lua value at `idx` and pushes the bytes as one Lua string.
 * Raises a Lua error for values Godot cannot represent (functions, threads,
 * full userdata, cyclic tables, malformed tagged tables, nesting deeper than
 * 1024). Only Lua-owned memory is used, so the error leaks nothing.
 */
void variant_push_bytes(lua_State *L, int idx, const variant_options *opt);

/*
 * Decodes one Variant from `data` (trailing bytes are ignored, as Godot does).
 * On success pushes the value and returns GD_OK. On failure pushes nothing,
 * fills *st and returns st->code: GD_ERR_INVALID_DATA (malformed, or the
 * value would take more Lua memory than variant_decode_budget(len), see
 * variant_budget.h), GD_ERR_FILE_EOF (a string runs past the end),
 * GD_ERR_UNAUTHORIZED (a full object), GD_ERR_OUT_OF_MEMORY (nesting deeper
 * than 1024, or the Lua stack cannot grow). Never raises for any input, except when Lua itself runs out
 * of memory.
 */
int variant_push_value(lua_State *L, const char *data, size_t len,
                       const variant_options *opt, variant_status *st);

/* Pushes nil, a message built from *st, and st->code; returns 3. */
int variant_push_failure(lua_State *L, const variant_status *st);

/* Module part: var_to_bytes, bytes_to_var, null, Array, Dictionary. */
void variant_open(lua_State *L);

#endif
