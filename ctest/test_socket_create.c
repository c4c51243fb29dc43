/*
 * test_socket_create.c - another ENet user in the module's process keeps
 * ENet's own sockets. The program requires the module into a Lua state
 * (libenet comes in with core.so, so the module's socket hooks are live,
 * as in a Lua program), makes a host there with reuse_port, and then uses
 * that same libenet itself, as a lua-enet sharing it would: its hosts'
 * sockets must be what ENet 1.3.17 makes, without the Lua host's options.
 *
 * The program does not link libenet (that would load it before the module
 * and bypass the hooks): it finds libenet's functions in the copy the
 * module loaded. MODULE_DIR (mk/socket.mk) is the lua5.4 build's folder.
 */
#include <dlfcn.h>
#include <enet/enet.h>
#include <fcntl.h>
#include <lauxlib.h>
#include <lualib.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tap.h"

#define ROUNDS 2000

/* libenet's functions, from the copy the module loaded. */
#define LIBENET(name) static __typeof__(name) *p_##name
LIBENET(enet_host_create);
LIBENET(enet_host_destroy);
LIBENET(enet_host_connect);
LIBENET(enet_host_service);
LIBENET(enet_peer_send);
LIBENET(enet_packet_create);
LIBENET(enet_packet_destroy);

static int load_libenet(void)
{
    void *lib = dlopen("libenet.so.7", RTLD_NOW | RTLD_NOLOAD);
    if (lib == NULL)
        return 0;
#define FIND(name) (p_##name = (__typeof__(name) *)dlsym(lib, #name)) != NULL
    return FIND(enet_host_create) && FIND(enet_host_destroy) && FIND(enet_host_connect) &&
           FIND(enet_host_service) && FIND(enet_peer_send) && FIND(enet_packet_create) &&
           FIND(enet_packet_destroy);
#undef FIND
}

/* Runs `code` in L; returns its single result as an integer, or -1. */
static long run_lua(lua_State *L, const char *code)
{
    if (luaL_dostring(L, code) != LUA_OK) {
        tap_note("%s", lua_tostring(L, -1));
        lua_pop(L, 1);
        return -1;
    }
    long v = lua_isinteger(L, -1) ? (long)lua_tointeger(L, -1) : -1;
    lua_settop(L, 0);
    return v;
}

static int int_option(int fd, int level, int name)
{
    int value = -1;
    socklen_t length = sizeof value;
    return getsockopt(fd, level, name, &value, &length) == 0 ? value : -1;
}

static ENetHost *host_on(enet_uint16 port)
{
    ENetAddress address = { .host = htonl(INADDR_LOOPBACK), .port = port };
    return p_enet_host_create(&address, 1, 1, 0, 0);
}

/* The socket ENet 1.3.17 makes and configures: IPv4 UDP, non-blocking,
 * broadcast, no SO_REUSEPORT, bound where asked. */
static void check_plain_host(ENetHost *h)
{
    int fd = h->socket;
    struct sockaddr_in sin;
    socklen_t length = sizeof sin;
    tap_ok(int_option(fd, SOL_SOCKET, SO_DOMAIN) == AF_INET &&
           int_option(fd, SOL_SOCKET, SO_TYPE) == SOCK_DGRAM, "its socket is IPv4 UDP");
    tap_ok(int_option(fd, SOL_SOCKET, SO_REUSEPORT) == 0,
           "without the Lua host's SO_REUSEPORT");
    tap_ok((fcntl(fd, F_GETFL) & O_NONBLOCK) && int_option(fd, SOL_SOCKET, SO_BROADCAST) == 1,
           "non-blocking, broadcast (libenet's own options)");
    tap_ok(getsockname(fd, (struct sockaddr *)&sin, &length) == 0 &&
           sin.sin_addr.s_addr == htonl(INADDR_LOOPBACK) && ntohs(sin.sin_port) == h->address.port,
           "bound to 127.0.0.1:%d, as host->address says", (int)h->address.port);
}

/* Services both hosts until the client's peer is connected and the server
 * received one reliable message; returns whether it did. */
static int exchange(ENetHost *server, ENetHost *client)
{
    ENetPeer *peer = p_enet_host_connect(client, &server->address, 1, 0);
    int received = 0, sent = 0;
    for (int round = 0; peer != NULL && !received && round < ROUNDS; round++) {
        if (!sent && peer->state == ENET_PEER_STATE_CONNECTED) {
            ENetPacket *packet = p_enet_packet_create("hello", 5, ENET_PACKET_FLAG_RELIABLE);
            sent = packet != NULL && p_enet_peer_send(peer, 0, packet) == 0;
        }
        ENetHost *hosts[] = { client, server };
        ENetEvent e;
        for (int i = 0; i < 2; i++) {
            while (p_enet_host_service(hosts[i], &e, 1) > 0) {
                if (e.type == ENET_EVENT_TYPE_RECEIVE) {
                    received = e.packet->dataLength == 5 && memcmp(e.packet->data, "hello", 5) == 0;
                    p_enet_packet_destroy(e.packet);
                }
            }
        }
    }
    return received;
}

int main(void)
{
    lua_State *L = luaL_newstate();
    luaL_openlibs(L);
    long active = run_lua(L,
        "package.cpath = '" MODULE_DIR "/?.so'\n"
        "enet = require('enetconnection.core')\n"
        "return enet.socket_layer_active() and 1 or 0");
    tap_ok(active == 1, "the module's socket layer is live in this program");
    long port = run_lua(L,
        "shared = enet.ENetConnection.new()\n"
        "assert(shared:create_host_bound('127.0.0.1', 0, {reuse_port = true}))\n"
        "return shared:get_local_port()");
    tap_ok(port > 0, "a Lua host with reuse_port on port %ld", port);

    if (!tap_ok(load_libenet(), "libenet's functions, from the module's copy"))
        return tap_done();
    void *core = dlopen(MODULE_DIR "/enetconnection/core.so", RTLD_NOW | RTLD_NOLOAD);
    Dl_info where;
    void *create = core ? dlsym(core, "enet_socket_create") : NULL;
    tap_ok(create != NULL && dladdr(create, &where) != 0 &&
           strstr(where.dli_fname, "enetconnection/core.so") != NULL,
           "libenet's lookup of enet_socket_create finds the module's");

    ENetHost *server = host_on(0), *client = host_on(0);
    if (tap_ok(server != NULL && client != NULL, "a plain ENet user makes two hosts")) {
        check_plain_host(server);
        tap_ok(exchange(server, client), "its client connects and sends a reliable message");
    }
    ENetHost *same = host_on((enet_uint16)port);
    tap_ok(same == NULL, "its host cannot bind the Lua host's port (it did not ask for reuse_port)");
    if (same != NULL)
        p_enet_host_destroy(same);

    ENetSocket (*create_socket)(ENetSocketType) = (ENetSocket (*)(ENetSocketType))create;
    ENetSocket stream = create_socket ? create_socket(ENET_SOCKET_TYPE_STREAM) : -1;
    tap_ok(stream >= 0 && int_option(stream, SOL_SOCKET, SO_TYPE) == SOCK_STREAM &&
           int_option(stream, SOL_SOCKET, SO_DOMAIN) == AF_INET,
           "a stream socket asked of enet_socket_create is ENet's: IPv4 TCP");
    if (stream >= 0)
        close(stream);

    long again = run_lua(L,
        "local h = enet.ENetConnection.new()\n"
        "assert(h:create_host_bound('127.0.0.1', shared:get_local_port(), {reuse_port = true}))\n"
        "return h:get_socket_options().reuse_port and 1 or 0");
    tap_ok(again == 1, "afterwards a second Lua host with reuse_port still shares the port");

    if (client != NULL)
        p_enet_host_destroy(client);
    if (server != NULL)
        p_enet_host_destroy(server);
    lua_close(L);
    return tap_done();
}
