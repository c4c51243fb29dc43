/*
 * variant_encoder.h - the Variant encoder's state and byte writer, shared by
 * variant_encode.c (values, tables, containers) and variant_encode_tagged.c
 * (tagged Godot types). Internal.
 */
#ifndef ENETCONNECTION_VARIANT_ENCODER_H
#define ENETCONNECTION_VARIANT_ENCODER_H

#include <stddef.h>
#include <stdint.h>

#include "variant.h"

/* One step of the path from the encoded value to the item being encoded,
 * kept in the C frames of the walk and only read to word an error. */
typedef struct path_step {
    const struct path_step *parent;
    const char *field; /* ".field", or NULL */
    int key_slot;      /* stack slot of a dictionary key, or 0 */
    lua_Integer index; /* array index when field and key_slot are unset */
} path_step;

typedef struct encoder {
    lua_State *L;
    const variant_options *opt;
    int buffer_slot, array_mt, dict_mt, visiting; /* stack slots */
    unsigned char *data;                          /* in the buffer userdata */
    size_t len, cap;
} encoder;

/* Raises "cannot encode as a Godot Variant: <message> (at <path>)". */
void encoder_fail(encoder *e, const path_step *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4), noreturn));

/* Appenders; each may grow the buffer (or raise past 2 GiB). */
void encoder_put_u32(encoder *e, uint32_t v, const path_step *at);
void encoder_put_u64(encoder *e, uint64_t v, const path_step *at);
void encoder_put_f32(encoder *e, double d, const path_step *at);
void encoder_put_f64(encoder *e, double d, const path_step *at);
/* u32 length (len + extra), the bytes, `extra` zero bytes, padding to 4. */
void encoder_put_bytes(encoder *e, const char *s, size_t len, size_t extra,
                       const path_step *at);
/* The same for the bytes of a Godot String (a String, StringName, NodePath
 * name, Signal name or PackedStringArray element): raises, pointing to
 * PackedByteArray, when they are not UTF-8 as the mode's Godot reads it. */
void encoder_put_string(encoder *e, const char *s, size_t len, size_t extra,
                        const path_step *at);
/* Raises as encoder_put_string does when s[0..len) is not UTF-8. */
void encoder_check_utf8(encoder *e, const char *s, size_t len, const path_step *at);
/* The header of Godot 4 type `type` in the current mode, or a raise when
 * Godot 3 lacks the type. */
void encoder_put_header(encoder *e, int type, uint32_t flags, const path_step *at);

/* Pushes t[name] (raw access); returns its Lua type. */
int encoder_push_field(lua_State *L, int t, const char *name);

/* Encodes the table at t as the tagged Godot type `type` (variant_types.h):
 * math types, StringName, NodePath, RID, Object, Callable, Signal and the
 * packed arrays. */
void encoder_put_tagged(encoder *e, int t, int type, const path_step *at);

#endif
