/*
 * module_parts.c - the list of module parts opened by luaopen_enetconnection_core.
 * Adding a part: declare its open function in its header, list it here.
 */
#include "module.h"

#include "connection.h"
#include "dtls_lua.h"
#include "peer.h"
#include "tls_lua.h"
#include "variant.h"
#include "wire_capture.h"

#include "visibility.h" /* last: hides what this file defines */

const module_part module_parts[] = {
    { "connection", connection_open },
    { "peer", peer_open },
    { "tls", tls_open },
    { "dtls", dtls_open }, /* adds to ENetConnection */
    { "capture", wire_capture_open }, /* adds to ENetConnection */
    { "variant", variant_open },
    { NULL, NULL },
};
