/*
 * module.c - luaopen_enetconnection_core: initialises ENet once per process
 * and pins the module in memory, then registers every class and the Error
 * table into the module table.
 */
#include <dlfcn.h>
#include <enet/enet.h>
#include <pthread.h>

#include "block_cache.h"
#include "compat.h"
#include "errors.h"
#include "module.h"
#include "socket.h"

#include "visibility.h" /* last: hides what this file defines */

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

static int enet_status; /* enet_initialize's result, set once per process */

/*
 * Once per process, whichever thread (LOVE threads) loads the module first.
 * The allocator installed in libenet, and the socket hooks libenet binds to
 * when it came in with this module, are libenet's for the life of the
 * process: libenet cannot take them back. So the module is pinned
 * (RTLD_NODELETE): lua_close's dlclose leaves it mapped for the C program
 * or other binding that may keep using libenet. ENet is never
 * deinitialised, for the same reason.
 */
static void module_init(void)
{
    Dl_info self;
    if (dladdr(&enet_status, &self) != 0 && /* any address in this module */
        self.dli_fname != NULL)
        dlopen(self.dli_fname, RTLD_NOW | RTLD_NOLOAD | RTLD_NODELETE);
    enet_status = block_cache_enet_initialize();
}

EXPORT int luaopen_enetconnection_core(lua_State *L)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, module_init); /* also publishes enet_status */
    if (enet_status != 0)
        return luaL_error(L, "enetconnection: enet_initialize failed");

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
