/*
 * module.c - luaopen_enetconnection_core: initialises ENet once, registers
 * every class and the Error table into the module table.
 */
#include <enet/enet.h>

#include "compat.h"
#include "errors.h"
#include "module.h"
#include "socket.h"

#define MODULE_VERSION "0.1.0"

/* (Lua) enet.socket_layer_active(): true when libenet's socket calls reach
 * this module's layer (needed by DTLS); false when libenet was loaded
 * globally before the module. */
static int module_socket_layer_active(lua_State *L)
{
    lua_pushboolean(L, socket_layer_active());
    return 1;
}

__attribute__((visibility("default"))) int luaopen_enetconnection_core(lua_State *L)
{
    static int enet_ready;
    if (!enet_ready) {
        if (enet_initialize() != 0)
            return luaL_error(L, "enetconnection: enet_initialize failed");
        enet_ready = 1; /* never deinitialised: other Lua states may use it */
    }

    lua_newtable(L);
    lua_pushliteral(L, MODULE_VERSION);
    lua_setfield(L, -2, "VERSION");
    ENetVersion v = enet_linked_version();
    lua_pushfstring(L, "%d.%d.%d", (int)ENET_VERSION_GET_MAJOR(v),
                    (int)ENET_VERSION_GET_MINOR(v), (int)ENET_VERSION_GET_PATCH(v));
    lua_setfield(L, -2, "ENET_VERSION");
    errors_push_table(L);
    lua_setfield(L, -2, "Error");

    lua_pushcfunction(L, module_socket_layer_active);
    lua_setfield(L, -2, "socket_layer_active");

    for (const module_part *part = module_parts; part->open != NULL; part++)
        part->open(L);
    return 1;
}
