/*
 * test_module_unload.c - a C program that links libenet itself loads the
 * module into a Lua state, closes the state (which dlcloses core.so) and
 * keeps using libenet. The module installed its allocator in libenet (and,
 * when libenet came in with it, its socket hooks), process-wide; it must
 * stay mapped, or the next libenet allocation jumps into unmapped memory.
 *
 * MODULE_DIR (set by mk/module.mk) is the lua5.4 build's folder. The
 * program loads nothing itself: require does.
 */
#include <enet/enet.h>
#include <lauxlib.h>
#include <link.h>
#include <lualib.h>
#include <stdio.h>
#include <string.h>

#include "tap.h"

#define ROUNDS 2000
#define MESSAGES 200

/* Opens a Lua state, requires the module, makes a host through it, and
 * closes the state. Returns whether the Lua part ran without error. */
static int load_and_close(void)
{
    lua_State *L = luaL_newstate();
    if (L == NULL)
        return 0;
    luaL_openlibs(L);
    int ok = luaL_dostring(L,
        "package.cpath = '" MODULE_DIR "/?.so'\n"
        "local core = require('enetconnection.core')\n"
        "local c = core.ENetConnection.new()\n"
        "assert(c:create_host_bound('127.0.0.1', 0))\n"
        "c:destroy()\n") == LUA_OK;
    if (!ok)
        tap_note("%s", lua_tostring(L, -1));
    lua_close(L);
    return ok;
}

static int find_core(struct dl_phdr_info *info, size_t size, void *found)
{
    (void)size;
    const char *name = info->dlpi_name;
    size_t n = strlen(name);
    const char *tail = "/enetconnection/core.so";
    if (n >= strlen(tail) && strcmp(name + n - strlen(tail), tail) == 0)
        *(int *)found = 1;
    return 0;
}

static int core_mapped(void)
{
    int found = 0;
    dl_iterate_phdr(find_core, &found);
    return found;
}

static ENetHost *host_on_loopback(void)
{
    ENetAddress address = { .port = 0 };
    enet_address_set_host_ip(&address, "127.0.0.1");
    return enet_host_create(&address, 1, 1, 0, 0);
}

/* Services both hosts once; returns the server's RECEIVE count. */
static int service_both(ENetHost *a, ENetHost *b)
{
    int received = 0;
    ENetEvent e;
    ENetHost *hosts[] = { a, b };
    for (int i = 0; i < 2; i++) {
        while (enet_host_service(hosts[i], &e, 1) > 0) {
            if (e.type == ENET_EVENT_TYPE_RECEIVE) {
                received++;
                enet_packet_destroy(e.packet);
            }
        }
    }
    return received;
}

/* Two hosts on 127.0.0.1 connect and exchange reliable messages, each one
 * a packet created and destroyed by libenet's allocator. */
static void use_libenet(void)
{
    ENetHost *server = host_on_loopback();
    ENetHost *client = host_on_loopback();
    ENetAddress to;
    if (!tap_ok(server != NULL && client != NULL &&
                enet_socket_get_address(server->socket, &to) == 0,
                "libenet creates two hosts after the state closed"))
        return;
    enet_address_set_host_ip(&to, "127.0.0.1");
    ENetPeer *peer = enet_host_connect(client, &to, 1, 0);
    int round = 0;
    while (peer != NULL && peer->state != ENET_PEER_STATE_CONNECTED && round++ < ROUNDS)
        service_both(server, client);
    tap_ok(peer != NULL && peer->state == ENET_PEER_STATE_CONNECTED,
           "the client connects (%d rounds)", round);

    int sent = 0, received = 0;
    for (round = 0; received < MESSAGES && round < ROUNDS; round++) {
        if (sent < MESSAGES && peer->state == ENET_PEER_STATE_CONNECTED) {
            char text[32];
            int n = snprintf(text, sizeof text, "message %d", sent);
            ENetPacket *packet = enet_packet_create(text, (size_t)n, ENET_PACKET_FLAG_RELIABLE);
            if (packet != NULL && enet_peer_send(peer, 0, packet) == 0)
                sent++;
            else if (packet != NULL)
                enet_packet_destroy(packet);
        }
        received += service_both(client, server);
    }
    tap_ok(received == MESSAGES, "the server receives %d of %d messages", received, MESSAGES);
    enet_host_destroy(client);
    enet_host_destroy(server);
}

int main(void)
{
    if (enet_initialize() != 0) {
        tap_ok(0, "enet_initialize");
        return tap_done();
    }
    tap_ok(load_and_close(), "a Lua state requires the module and closes");
    tap_ok(core_mapped(), "core.so stays mapped after lua_close");
    use_libenet();
    tap_ok(load_and_close(), "a second state requires the pinned module and closes");
    use_libenet();
    enet_deinitialize();
    return tap_done();
}
