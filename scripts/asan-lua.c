/*
 * asan-lua.c - a minimal lua5.4 interpreter built with ASan and UBSan, for
 * `make asan`. The sanitizer runtimes are linked statically into it, so the
 * instrumented module loads without LD_PRELOAD and the helper programs the
 * specs start (mktemp, python, openssl) run unsanitized.
 *
 * Usage: asan-lua5.4 -e CHUNK | asan-lua5.4 SCRIPT [ARGS...]
 * Like lua5.4: `arg` holds the script and its arguments; the exit status is
 * the script's os.exit status, or 1 when it raised an error.
 */
#include <stdio.h>
#include <stdlib.h>

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

static int report(lua_State *L, int status)
{
    if (status != LUA_OK) {
        const char *msg = lua_tostring(L, -1);
        fprintf(stderr, "asan-lua: %s\n", msg ? msg : "(error object is not a string)");
        lua_pop(L, 1);
    }
    return status;
}

static int traceback(lua_State *L)
{
    luaL_traceback(L, L, lua_tostring(L, 1), 1);
    return 1;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s -e CHUNK | SCRIPT [ARGS...]\n", argv[0]);
        return 2;
    }
    lua_State *L = luaL_newstate();
    luaL_openlibs(L);

    /* arg[0] is the script (or the interpreter, for -e); then its arguments;
     * arg[-1] the interpreter, which a script may run again (examples) */
    int chunk = argv[1][0] == '-' && argv[1][1] == 'e' && argc >= 3;
    int script = chunk ? 2 : 1;
    lua_createtable(L, argc, 2);
    lua_pushstring(L, chunk ? argv[0] : argv[1]);
    lua_rawseti(L, -2, 0);
    if (!chunk) {
        lua_pushstring(L, argv[0]);
        lua_rawseti(L, -2, -1);
    }
    for (int i = script + 1; i < argc; i++) {
        lua_pushstring(L, argv[i]);
        lua_rawseti(L, -2, i - script);
    }
    lua_setglobal(L, "arg");

    int status = chunk ? luaL_loadstring(L, argv[2]) : luaL_loadfile(L, argv[1]);
    if (report(L, status) == LUA_OK) {
        lua_pushcfunction(L, traceback);
        lua_insert(L, 1);
        int nargs = 0;
        for (int i = script + 1; i < argc; i++, nargs++)
            lua_pushstring(L, argv[i]);
        status = report(L, lua_pcall(L, nargs, 0, 1));
    }
    lua_close(L);
    return status == LUA_OK ? 0 : 1;
}
