/*
 * utf8.h - is a byte string valid UTF-8, as a Godot decoder judges it?
 *
 * A Godot String is Unicode text: Godot's Variant decoder refuses a STRING
 * (and a StringName, NodePath name, PackedStringArray element...) whose
 * bytes do not parse as UTF-8, with ERR_INVALID_DATA. Godot 4 accepts
 * exactly RFC 3629 UTF-8; Godot 3 is laxer (docs/variant.md, "Strings and
 * UTF-8"). No Lua here.
 */
#ifndef ENETCONNECTION_UTF8_H
#define ENETCONNECTION_UTF8_H

#include <stddef.h>

enum utf8_rule {
    UTF8_STRICT, /* RFC 3629: no overlongs, no surrogates, nothing above U+10FFFF */
    UTF8_GODOT3, /* what Godot 3's String::parse_utf8 lets through */
};

/* The length of the longest prefix of s[0..len) made of whole sequences
 * valid under `rule`: len when the whole string is valid, otherwise the
 * offset of the first byte of the first invalid (or truncated) sequence. */
size_t utf8_valid_prefix(const char *s, size_t len, enum utf8_rule rule);

#endif
