/*
 * errors.c - Godot's Error table and the nil, message, code convention.
 */
#include "errors.h"

#include <stdarg.h>
#include <stdio.h>

#include "visibility.h" /* last: hides what this file defines */

int errors_push_fail(lua_State *L, int code, const char *fmt, ...)
{
    /* vsnprintf, not lua_pushvfstring: callers use %lu and the like. A
     * message longer than the stack buffer is formatted again into a
     * userdata, which the collector frees even if pushing raises. */
    char message[256];
    va_list ap;
    va_start(ap, fmt);
    int length = vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    lua_pushnil(L);
    if (length < 0) {
        lua_pushliteral(L, "(the message could not be formatted)");
    } else if ((size_t)length < sizeof message) {
        lua_pushstring(L, message);
    } else {
        char *whole = lua_newuserdata(L, (size_t)length + 1);
        va_start(ap, fmt);
        vsnprintf(whole, (size_t)length + 1, fmt, ap);
        va_end(ap);
        lua_pushstring(L, whole);
        lua_remove(L, -2);
    }
    lua_pushinteger(L, code);
    return 3;
}

int errors_push_result(lua_State *L, int code, const char *message)
{
    if (code == GD_OK) {
        lua_pushboolean(L, 1);
        return 1;
    }
    return errors_push_fail(L, code, "%s", message);
}

/* Godot's complete @GlobalScope.Error enumeration, in order from 0. */
static const char *const error_names[] = {
    "OK", "FAILED", "ERR_UNAVAILABLE", "ERR_UNCONFIGURED", "ERR_UNAUTHORIZED",
    "ERR_PARAMETER_RANGE_ERROR", "ERR_OUT_OF_MEMORY", "ERR_FILE_NOT_FOUND",
    "ERR_FILE_BAD_DRIVE", "ERR_FILE_BAD_PATH", "ERR_FILE_NO_PERMISSION",
    "ERR_FILE_ALREADY_IN_USE", "ERR_FILE_CANT_OPEN", "ERR_FILE_CANT_WRITE",
    "ERR_FILE_CANT_READ", "ERR_FILE_UNRECOGNIZED", "ERR_FILE_CORRUPT",
    "ERR_FILE_MISSING_DEPENDENCIES", "ERR_FILE_EOF", "ERR_CANT_OPEN",
    "ERR_CANT_CREATE", "ERR_QUERY_FAILED", "ERR_ALREADY_IN_USE", "ERR_LOCKED",
    "ERR_TIMEOUT", "ERR_CANT_CONNECT", "ERR_CANT_RESOLVE",
    "ERR_CONNECTION_ERROR", "ERR_CANT_ACQUIRE_RESOURCE", "ERR_CANT_FORK",
    "ERR_INVALID_DATA", "ERR_INVALID_PARAMETER", "ERR_ALREADY_EXISTS",
    "ERR_DOES_NOT_EXIST", "ERR_DATABASE_CANT_READ", "ERR_DATABASE_CANT_WRITE",
    "ERR_COMPILATION_FAILED", "ERR_METHOD_NOT_FOUND", "ERR_LINK_FAILED",
    "ERR_SCRIPT_FAILED", "ERR_CYCLIC_LINK", "ERR_INVALID_DECLARATION",
    "ERR_DUPLICATE_SYMBOL", "ERR_PARSE_ERROR", "ERR_BUSY", "ERR_SKIP",
    "ERR_HELP", "ERR_BUG", "ERR_PRINTER_ON_FIRE",
};

void errors_push_table(lua_State *L)
{
    int count = (int)(sizeof error_names / sizeof error_names[0]);
    lua_createtable(L, count, count);
    for (int i = 0; i < count; i++) {
        lua_pushinteger(L, i);
        lua_setfield(L, -2, error_names[i]);
        lua_pushstring(L, error_names[i]);
        lua_rawseti(L, -2, i);
    }
}
