/*
 * module.c - luaopen_enetconnection_core: initialises ENet once, registers
 * every class and the Error table into the module table.
 */
#include <enet/enet.h>

#include "block_cache.h"
#include "compat.h"
#include "errors.h"
#include "module.h"
#include "socket.h"

#define MODULE_VERSION "0.1.0"

/*** The module's functions and fields.
 * @module enetconnection
 */

/***
 * Fields of the module table.
 * @table fields
 * @field VERSION this module's version, e.g. "0.1.0"
 * @field ENET_VERSION the version of the libenet it runs on, e.g. "1.3.17"
 * @field Error Godot's Error codes, name to number and number to name
 *   (`enet.Error.ERR_CANT_CREATE == 20`, `enet.Error[20] == "ERR_CANT_CREATE"`)
 * @field null Godot's null inside Variant containers (a NULL light userdata)
 * @field ENetConnection the class table (see ENetConnection)
 * @field ENetPacketPeer the class table (see ENetPacketPeer)
 * @field TLSOptions the class table (see TLSOptions)
 * @field CryptoKey the class table (see CryptoKey)
 * @field X509Certificate the class table (see X509Certificate)
 * @field Crypto key and certificate generation (see Crypto)
 */

/***
 * A new connection without a host: `ENetConnection.new()`.
 * @function new
 * @treturn ENetConnection
 */

/***
 * (Lua) Whether libenet's socket calls reach this module's socket layer,
 * which DTLS and the socket counters need. False when libenet was loaded
 * globally before this module (`LD_PRELOAD`, another binding linked
 * first): plain ENet still works then, and DTLS setup returns
 * `ERR_UNAVAILABLE`. Probes once per process.
 * @function socket_layer_active
 * @treturn boolean
 */
static int module_socket_layer_active(lua_State *L)
{
    lua_pushboolean(L, socket_layer_active());
    return 1;
}

__attribute__((visibility("default"))) int luaopen_enetconnection_core(lua_State *L)
{
    static int enet_ready;
    if (!enet_ready) {
        if (block_cache_enet_initialize() != 0)
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
