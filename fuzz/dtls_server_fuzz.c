/*
 * dtls_server_fuzz.c - libFuzzer target: arbitrary datagrams sent to a DTLS
 * server host over real loopback UDP, through the whole module (socket
 * layer, DTLS filter, ENet) in a Lua 5.4 state.
 *
 * An input is a list of chunks, each [sender:1][length:2, big-endian]
 * [bytes]; each chunk is one datagram to the server, sent from
 *   sender % 3 == 0: a socket the server has never heard from (the
 *                    cookie exchange, the listener),
 *              == 1: a client whose DTLS session is open (records of a live
 *                    session: forgeries, replays, epoch 0 in an open session),
 *              == 2: a client whose handshake the server has started and is
 *                    waiting to go on (the server's handshake parser).
 * Then the server is serviced until it has nothing left to do. The server
 * must neither crash nor leak (ASan, UBSan) and must keep serving: every
 * CHECK_EVERY inputs the open client exchanges a packet with it.
 *
 * Seeds (fuzz/seeds/dtls_server_fuzz): datagrams of a real handshake
 * between two hosts of this module, captured with conn:_capture, one per
 * sender kind.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#include "connection.h"

#define MAX_CHUNKS 16
#define CHECK_EVERY 512   /* inputs between liveness checks */
/* Time between fresh half-open handshakes: the abandoned ones live on in
 * the server until their retransmission timer runs out (about 15 s), and
 * it runs at most 64 at once. */
#define RENEW_MS 1000

int luaopen_enetconnection_core(lua_State *L);

/* The Lua side: the server, the open client, the half-open client. */
static const char setup_source[] =
    "local enet = ...\n"
    "local C, P = enet.ENetConnection, enet.ENetPacketPeer\n"
    "local key = assert(enet.Crypto.generate_rsa(2048))\n"
    "local cert = assert(enet.Crypto.generate_self_signed_certificate(key))\n"
    "server = C.new()\n"
    "assert(server:create_host_bound('127.0.0.1', 0, 8, 2))\n"
    "assert(server:dtls_server_setup(enet.TLSOptions.server(key, cert)))\n"
    "local port = server:get_local_port()\n"
    "server_port = port\n"
    "local function new_client()\n"
    "  local c = C.new()\n"
    "  assert(c:create_host_bound('127.0.0.1', 0, 1, 2))\n"
    "  assert(c:dtls_client_setup('x', enet.TLSOptions.client_unsafe()))\n"
    "  return c\n"
    "end\n"
    "function drain()\n"
    "  for _ in server:events(0) do end\n"
    "  if client then for _ in client:events(0) do end end\n"
    "end\n"
    "-- the open client, connected and exchanging a packet with the server\n"
    "function check_client()\n"
    "  if client and peer:get_state() == P.STATE_CONNECTED then\n"
    "    peer:send(0, 'alive', P.FLAG_RELIABLE)\n"
    "    for _ = 1, 2000 do\n"
    "      for t, _, data in server:events(0) do\n"
    "        if t == C.EVENT_RECEIVE and data == 'alive' then return end\n"
    "      end\n"
    "      for _ in client:events(1) do end\n"
    "    end\n"
    "    error(('the server stopped serving its open client (client peer state %d, '\n"
    "      .. 'server peers %d, last DTLS failure on the server: %s)'):format(peer:get_state(),\n"
    "      #server:get_peers(), tostring(server:dtls_get_error())))\n"
    "  end\n"
    "  if client then client:destroy() end\n"
    "  client = new_client()\n"
    "  peer = client:connect_to_host('127.0.0.1', port, 2)\n"
    "  for _ = 1, 2000 do\n"
    "    if peer:get_state() == P.STATE_CONNECTED then return end\n"
    "    for _ in client:events(1) do end\n"
    "    for _ in server:events(0) do end\n"
    "  end\n"
    "  error('the open client cannot connect')\n"
    "end\n"
    "-- a client that sends its ClientHello with the cookie, then stops: the\n"
    "-- server's session for it waits for the client's next flight\n"
    "function renew_half_open()\n"
    "  if half then half:destroy() end\n"
    "  half = new_client()\n"
    "  assert(half:_capture(8))\n"
    "  half:connect_to_host('127.0.0.1', port, 2)\n"
    "  half:flush()\n"
    "  for _ = 1, 200 do\n"
    "    if #half:_captured() >= 2 then break end\n"
    "    for _ in server:events(1) do end\n"
    "    half:service(1)\n"
    "  end\n"
    "  for _ in server:events(1) do end\n"
    "end\n";

static lua_State *L;
static int stranger = -1;
static struct sockaddr_in server_address;
static unsigned long inputs;
static uint64_t renewed_ms;

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void call(const char *function)
{
    lua_getglobal(L, function);
    if (lua_pcall(L, 0, 0, 0) != LUA_OK) {
        fprintf(stderr, "dtls_server_fuzz: %s: %s\n", function, lua_tostring(L, -1));
        abort();
    }
}

/* The socket of the host in Lua global `name`. */
static int host_socket(const char *name)
{
    lua_getglobal(L, name);
    connection *c = luaL_checkudata(L, -1, CONNECTION_MT);
    lua_pop(L, 1);
    return c->host->socket;
}

static void close_all(void)
{
    lua_close(L); /* destroys the hosts: LeakSanitizer then sees no host */
    close(stranger);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    L = luaL_newstate();
    luaL_openlibs(L);
    luaL_requiref(L, "enetconnection.core", luaopen_enetconnection_core, 0);
    if (luaL_loadstring(L, setup_source) != LUA_OK) {
        fprintf(stderr, "dtls_server_fuzz: %s\n", lua_tostring(L, -1));
        abort();
    }
    lua_insert(L, -2);
    if (lua_pcall(L, 1, 0, 0) != LUA_OK) {
        fprintf(stderr, "dtls_server_fuzz: setup: %s\n", lua_tostring(L, -1));
        abort();
    }
    call("check_client");
    call("renew_half_open");
    renewed_ms = now_ms();

    lua_getglobal(L, "server_port");
    server_address.sin_family = AF_INET;
    server_address.sin_port = htons((uint16_t)lua_tointeger(L, -1));
    server_address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    lua_pop(L, 1);
    stranger = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in any = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    if (stranger < 0 || bind(stranger, (struct sockaddr *)&any, sizeof any) != 0) {
        perror("dtls_server_fuzz: stranger socket");
        abort();
    }
    atexit(close_all);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int senders[3] = { stranger, host_socket("client"), host_socket("half") };
    size_t at = 0;
    for (int chunk = 0; chunk < MAX_CHUNKS && size - at >= 3; chunk++) {
        int sender = senders[data[at] % 3];
        size_t length = (size_t)data[at + 1] << 8 | data[at + 2];
        at += 3;
        if (length > size - at)
            length = size - at;
        sendto(sender, data + at, length, 0, (struct sockaddr *)&server_address,
               sizeof server_address);
        at += length;
    }
    call("drain");
    /* The stranger's answers (HelloVerifyRequests) are not read: its
     * receive buffer fills and the kernel drops the rest. */
    inputs++;
    if (inputs % CHECK_EVERY == 0)
        call("check_client");
    if (now_ms() - renewed_ms >= RENEW_MS) {
        call("renew_half_open");
        renewed_ms = now_ms();
    }
    return 0;
}
