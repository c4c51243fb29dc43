/*
 * module_parts.c - the list of module parts opened by luaopen_enetconnection_core.
 * Adding a part: declare its open function in its header, list it here.
 */
#include "module.h"

#include "connection.h"
#include "dtls_lua.h"
#include "peer.h"
#include "socket_lua.h"
#include "tls_lua.h"
#include "variant.h"
#ifdef ENETCONNECTION_TESTS
#include "test/wire_capture_lua.h"
#endif

#include "visibility.h" /* last: hides what this file defines */

const module_part module_parts[] = {
    { "connection", connection_open },
    { "socket", socket_lua_open }, /* adds to ENetConnection */
    { "peer", peer_open },
    { "tls", tls_open },
    { "dtls", dtls_open }, /* adds to ENetConnection */
#ifdef ENETCONNECTION_TESTS
    { "capture", wire_capture_lua_open }, /* the test build's hooks, on ENetConnection */
#endif
    { "variant", variant_open },
    { NULL, NULL },
};
