/*
 * errors.h - the two failure conventions: runtime failures return nil,
 * message, code (Godot's Error numbering, godot_error.h); misuse raises a
 * Lua error.
 */
#ifndef ENETCONNECTION_ERRORS_H
#define ENETCONNECTION_ERRORS_H

#include "compat.h"
#include "godot_error.h"

/* Pushes nil, the formatted message and code; returns 3 (for `return`). */
int errors_push_fail(lua_State *L, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Pushes true for OK or nil, message, code otherwise; returns the count. */
int errors_push_result(lua_State *L, int code, const char *message);

/* Pushes the table enet.Error (name -> value and value -> name). */
void errors_push_table(lua_State *L);

#endif
