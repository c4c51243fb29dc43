/*
 * socket.h - the socket layer under libenet, as its users see it: the
 * bindings that register a host's socket and configure it, and the filters
 * (DTLS) that sit in its pipeline. No Lua here.
 *
 * libenet 1.3.17 calls enet_socket_send / enet_socket_receive through its
 * PLT; this module defines both (socket_hooks.c), so every datagram of
 * every host passes through here. A registered socket runs the pipeline of
 * socket_pipeline.c (filter, link simulator, UDP; docs/design.md draws it);
 * an unregistered one gets plain UDP with ENet's own semantics. libenet
 * also asks for its sockets through enet_socket_create, enet_socket_bind
 * and enet_socket_get_address, which this module defines too
 * (socket_create.c): our hosts' sockets are made here, with their options
 * and family (IPv6 remotes appear to libenet as tokens: address_tokens.h).
 */
#ifndef ENETCONNECTION_SOCKET_H
#define ENETCONNECTION_SOCKET_H

#include <stddef.h>
#include <stdint.h>

#include <netinet/in.h>

#include <enet/enet.h>

#include "linksim.h"

/* A registered socket: what a filter writes to and reads from (the wire,
 * below it), through socket_wire_send / socket_wire_receive. Opaque here. */
typedef struct socket_entry socket_entry;

/*
 * A filter sits between ENet and the wire (DTLS is one). Contracts mirror
 * ENet's:
 *   send:    one ENet datagram made of `count` buffers to `to`. Returns the
 *            number of plaintext bytes accepted, 0 when it would block (ENet
 *            retries later), -1 on a fatal socket error.
 *   receive: the next ENet datagram into `buffers` (ENet passes one buffer of
 *            ENET_PROTOCOL_MAXIMUM_MTU bytes). Returns its length, 0 when none
 *            is ready, -1 on a fatal socket error. Anything else that arrives
 *            (handshakes, garbage) is handled or dropped inside the filter.
 *   peer_gone: ENet forgot the peer at `address` (disconnect, reset): drop
 *            whatever session state belongs to it.
 *   destroy: the socket is going away; free everything.
 * send and receive get the socket's entry, `wire`, which stays valid until
 * destroy: what the filter writes or reads at any time goes through it.
 */
typedef struct socket_filter {
    int (*send)(void *ctx, socket_entry *wire, const ENetAddress *to,
                const ENetBuffer *buffers, size_t count);
    int (*receive)(void *ctx, socket_entry *wire, ENetAddress *from,
                   ENetBuffer *buffers, size_t count);
    void (*peer_gone)(void *ctx, const ENetAddress *address);
    void (*destroy)(void *ctx);
    void *ctx;
} socket_filter;

/* Datagram counters kept by the layer for each registered socket. */
typedef struct socket_counters {
    uint64_t datagrams_sent, bytes_sent;         /* what ENet handed us */
    uint64_t datagrams_received, bytes_received; /* what we handed ENet */
    uint64_t datagrams_dropped; /* oversized, empty, or held when a filter came */
    uint64_t receive_calls; /* recvmsg/recvmmsg system calls, empty ones too */
    uint64_t send_errors;   /* datagrams the kernel refused to send, lost */
    /* received and useless (socket_faults.c): */
    uint64_t datagrams_undecrypted;   /* DTLS the host cannot read, see socket_fault */
    uint64_t datagrams_undecompressed; /* compressed, and not with this host's mode */
} socket_counters;

/* ---- for bindings (socket_registry.c) ----------------------------------- */

/* The highest descriptor number the layer can register. */
#define SOCKET_LAYER_MAX_FD 65535
#define SOCKET_LAYER_FD_TOO_HIGH (-2)

/* Registers a host's socket (its peers pin the tokens of IPv6 remotes:
 * address_tokens.h). Returns 0, -1 when out of memory, or
 * SOCKET_LAYER_FD_TOO_HIGH when the socket is above SOCKET_LAYER_MAX_FD. */
int socket_layer_register(const ENetHost *host);
/* Unregisters it, destroying its filter. Safe on unknown sockets. */
void socket_layer_unregister(ENetSocket s);

/* Installs `filter` (copied) on a registered socket, destroying any
 * previous filter. Returns 0, or -1 when the socket is not registered. */
int socket_layer_set_filter(ENetSocket s, const socket_filter *filter);
/* The filter installed on a registered socket, or NULL when it has none.
 * Its owner recognises its own filter by the functions and reaches its
 * context through ->ctx (valid until the filter is replaced or destroyed). */
const socket_filter *socket_layer_filter(ENetSocket s);
/* Tells the socket's filter, if any, that the peer at `address` is gone. */
void socket_layer_peer_gone(ENetSocket s, const ENetAddress *address);

/* Puts a simulated link (see linksim.h) under a registered socket's
 * outgoing datagrams, after any filter (so DTLS records are what it drops
 * or delays); NULL removes it. Returns 0, or -1 when the socket is not
 * registered or memory runs out. */
int socket_layer_simulate(ENetSocket s, const linksim_config *config);
/* The simulated link's counters, or NULL when there is none. */
const linksim_counters *socket_layer_link_counters(ENetSocket s);

/* Counters of a registered socket, or NULL. */
const socket_counters *socket_layer_counters(ENetSocket s);
/* How many IPv6 remotes the socket's token table holds (bounded:
 * address_tokens.h). */
size_t socket_layer_ipv6_remotes(ENetSocket s);

/* ---- for bindings: addresses (socket_udp.c) ----------------------------- */

/* The families (ADDRESS_IPV4 | ADDRESS_IPV6, address.h) a socket reaches:
 * IPv4 for one the layer does not know. */
int socket_layer_families(ENetSocket s);
/* The ENetAddress that stands for `remote` (an address.h address, port
 * included) on a registered socket: its IPv4 host, or an IPv6 remote's
 * token. Returns 0, or -1 when the socket does not reach its family or
 * the token table cannot take it. */
int socket_layer_enet_address(ENetSocket s, const struct sockaddr_in6 *remote,
                              ENetAddress *out);
/* The remote an ENetAddress of the socket stands for, into *out. Returns
 * 0, or -1 for a token the socket's table no longer knows. */
int socket_layer_remote(ENetSocket s, const ENetAddress *a, struct sockaddr_in6 *out);
/* "a.b.c.d:port" or "[v6]:port" of an ENetAddress of the socket, for
 * messages (SOCKET_REMOTE_TEXT_SIZE bytes hold any); a token the table
 * no longer knows reads as the token (0.x.y.z:port). */
#define SOCKET_REMOTE_TEXT_SIZE (INET6_ADDRSTRLEN + 8)
void socket_layer_remote_text(ENetSocket s, const ENetAddress *a, char *text, size_t size);

/* True when libenet's calls reach this layer (probed once per process;
 * socket_hooks.c). */
int socket_layer_active(void);

/* ---- received datagrams nobody can use (socket_faults.c) --------------- */

/* Why a datagram was dropped that a misconfigured remote would send. */
typedef enum socket_fault {
    SOCKET_FAULT_NONE,
    SOCKET_FAULT_DECOMPRESS,    /* compressed, and the host's mode (or none)
                                   cannot decompress it */
    SOCKET_FAULT_NOT_DTLS,      /* a DTLS host got a datagram that is no DTLS */
    SOCKET_FAULT_UNDECRYPTED,   /* a record of an open DTLS session that did not
                                   authenticate (altered, forged, replayed) */
    SOCKET_FAULT_DTLS_ON_PLAIN, /* a host without DTLS got a DTLS handshake */
} socket_fault;

/* Counts a dropped datagram from `from` (datagrams_undecompressed or
 * datagrams_undecrypted) and, the first time this remote gives this fault
 * (the last SOCKET_FAULT_REMOTES remotes are remembered), makes it the
 * socket's last fault. Unregistered sockets: nothing. */
void socket_layer_fault(ENetSocket s, const ENetAddress *from, socket_fault kind);
/* The same, for a filter, on its wire. */
void socket_wire_fault(socket_entry *wire, const ENetAddress *from, socket_fault kind);
/* The socket's last fault and its remote; SOCKET_FAULT_NONE when none. */
socket_fault socket_layer_last_fault(ENetSocket s, ENetAddress *from);

/* ---- for bindings: making a host's socket (socket_create.c) ------------- */

/* What a binding asks of the socket of a host it creates. */
typedef struct socket_options {
    int reuse_port;     /* SO_REUSEPORT: other sockets may bind the same address and port */
    int receive_buffer; /* SO_RCVBUF in bytes; 0: ENet's 256 KiB */
    int send_buffer;    /* SO_SNDBUF in bytes; 0: ENet's 256 KiB */
} socket_options;

/* Where the socket of a host binds. */
typedef struct socket_bind {
    int ipv6;   /* 0: an IPv4 socket bound to enet_host_create's address */
    int v6only; /* with ipv6: IPv6 only; 0: dual stack (IPv4 v4-mapped) */
    struct sockaddr_in6 address; /* with ipv6: the address and port */
} socket_bind;

/* Whether this machine makes IPv6 sockets (probed once per process). */
int socket_layer_ipv6_available(void);

/* enet_host_create (same arguments) with the host's socket made by the
 * layer, bound as `bind` says (an IPv6 socket needs the layer active,
 * and IPv6 available), and `options` applied: those that must precede
 * bind while libenet asks for the socket, the buffer sizes after libenet
 * set its own. Only this call, on this thread, gets such a socket: any
 * other call of enet_socket_create, enet_socket_bind or
 * enet_socket_get_address (another ENet user, another thread) gets ENet's
 * own behaviour. Needs socket_layer_active() for reuse_port and IPv6
 * (otherwise libenet's own calls run). Returns NULL with errno set (0:
 * ENet refused), and *failed_step naming the step that failed when it was
 * not the bind ("socket", "IPV6_V6ONLY", "SO_REUSEPORT", "SO_RCVBUF",
 * "SO_SNDBUF"), else NULL. */
ENetHost *socket_layer_host_create(const ENetAddress *address, const socket_bind *bind,
                                   size_t peers,
                                   size_t channels, enet_uint32 in_bandwidth,
                                   enet_uint32 out_bandwidth,
                                   const socket_options *options,
                                   const char **failed_step);

/* Reads a socket's effective options back from the system (Linux doubles
 * buffer sizes for its bookkeeping and caps them). Returns 0, or -1 with
 * errno set. */
int socket_layer_read_options(ENetSocket s, socket_options *options);

/* Sends through the socket's filter if it has one (socket_send on a DTLS
 * host is encrypted), else as plain UDP; not counted as ENet's. Same
 * returns as enet_socket_send. (socket_pipeline.c) */
int socket_layer_send_raw(ENetSocket s, const ENetAddress *to,
                          const void *data, size_t length);

/* ---- for filters: the wire (socket_pipeline.c) -------------------------- */

/* One datagram down the stages below the filter: bytes sent, 0 = would
 * block, -1 = the socket itself is unusable. A datagram the kernel refuses
 * for its destination counts as sent (and in send_errors). */
int socket_wire_send(socket_entry *wire, const ENetAddress *to,
                     const ENetBuffer *buffers, size_t count);
/* The next datagram from the socket: its length, 0 = none ready, -1 =
 * error. A datagram larger than the buffers is dropped (counted) and the
 * next one is read instead, where ENet would fail the whole service call;
 * so is an empty one, which ENet would take for "none ready". */
int socket_wire_receive(socket_entry *wire, ENetAddress *from,
                        ENetBuffer *buffers, size_t count);

#endif
