/*
 * dtls_session.c - one DTLS session with one remote address, and a
 * server's table of them (see dtls_session.h).
 */
#include "dtls_session.h"

#include <stdlib.h>
#include <string.h>

#include <mbedtls/net_sockets.h>

#include "socket.h"

#include "visibility.h" /* last: hides what this file defines */

/* mbedTLS's send callback: one record (or several packed) as one datagram. */
static int bio_send(void *context, const unsigned char *data, size_t length)
{
    dtls_session *session = context;
    ENetBuffer buffer = { .data = (void *)data, .dataLength = length };
    int sent = socket_wire_send(session->wire, &session->address, &buffer, 1);
    if (sent < 0)
        return MBEDTLS_ERR_NET_SEND_FAILED;
    if (sent == 0)
        return MBEDTLS_ERR_SSL_WANT_WRITE;
    return sent;
}

/* mbedTLS's receive callback: the offered datagram, whole, once. */
static int bio_receive(void *context, unsigned char *buffer, size_t size)
{
    dtls_session *session = context;
    if (session->input == NULL)
        return MBEDTLS_ERR_SSL_WANT_READ;
    size_t length = session->input_length;
    const unsigned char *input = session->input;
    dtls_session_forget_input(session);
    if (length > size) /* larger than any record mbedTLS accepts: drop it */
        return MBEDTLS_ERR_SSL_WANT_READ;
    memcpy(buffer, input, length);
    return (int)length;
}

dtls_session *dtls_session_new(const mbedtls_ssl_config *conf, socket_entry *wire,
                               const ENetAddress *address)
{
    dtls_session *session = calloc(1, sizeof *session);
    if (session == NULL)
        return NULL;
    session->address = *address;
    session->wire = wire;
    session->state = DTLS_SESSION_HANDSHAKE;
    mbedtls_ssl_init(&session->ssl);
    if (mbedtls_ssl_setup(&session->ssl, conf) != 0) {
        mbedtls_ssl_free(&session->ssl);
        free(session);
        return NULL;
    }
    mbedtls_ssl_set_mtu(&session->ssl, DTLS_HANDSHAKE_MTU);
    mbedtls_ssl_set_bio(&session->ssl, session, bio_send, bio_receive, NULL);
    mbedtls_ssl_set_timer_cb(&session->ssl, &session->timer, mbedtls_timing_set_delay,
                             mbedtls_timing_get_delay);
    return session;
}

void dtls_session_free(dtls_session *session, int notify)
{
    if (session == NULL)
        return;
    if (notify && session->state == DTLS_SESSION_OPEN)
        mbedtls_ssl_close_notify(&session->ssl); /* best effort: one datagram */
    for (size_t i = 0; i < session->outbox_count; i++)
        free(session->outbox[i].data);
    mbedtls_ssl_free(&session->ssl);
    free(session);
}

/* The length of the longest prefix of a datagram made of whole records
 * (a 13-byte header whose last two bytes give the length of what follows). */
static size_t whole_records(const unsigned char *datagram, size_t length)
{
    size_t at = 0;
    while (length - at >= DTLS_RECORD_HEADER_SIZE) {
        size_t record = DTLS_RECORD_HEADER_SIZE +
                        ((size_t)datagram[at + 11] << 8 | datagram[at + 12]);
        if (record > length - at)
            break;
        at += record;
    }
    return at;
}

size_t dtls_strip_epoch0_handshakes(unsigned char *datagram, size_t length)
{
    length = whole_records(datagram, length);
    size_t in = 0, out = 0;
    while (in < length) {
        size_t record = DTLS_RECORD_HEADER_SIZE +
                        ((size_t)datagram[in + 11] << 8 | datagram[in + 12]);
        int epoch0_handshake = datagram[in] == 22 && datagram[in + 3] == 0 &&
                               datagram[in + 4] == 0;
        if (!epoch0_handshake) {
            memmove(datagram + out, datagram + in, record);
            out += record;
        }
        in += record;
    }
    return out;
}

void dtls_session_offer(dtls_session *session, const unsigned char *datagram,
                        size_t length)
{
    /* mbedTLS 2.28 fails the whole session (an "internal error") when a
     * datagram ends with a partial record after one it skipped (a replay,
     * another epoch): anyone could end a session with one spoofed datagram.
     * A partial record is junk in any case: it is cut off here. */
    length = whole_records(datagram, length);
    session->input = length > 0 ? datagram : NULL;
    session->input_length = length;
}

int dtls_session_has_input(const dtls_session *session)
{
    return session->input != NULL;
}

void dtls_session_forget_input(dtls_session *session)
{
    session->input = NULL;
    session->input_length = 0;
}

int dtls_session_queue(dtls_session *session, const void *data, size_t length)
{
    if (session->outbox_count == DTLS_OUTBOX_SIZE)
        return -1;
    unsigned char *copy = malloc(length > 0 ? length : 1);
    if (copy == NULL)
        return -1;
    memcpy(copy, data, length);
    session->outbox[session->outbox_count].data = copy;
    session->outbox[session->outbox_count].length = length;
    session->outbox_count++;
    return 0;
}

int dtls_session_flush_queue(dtls_session *session)
{
    int result = 0;
    for (size_t i = 0; i < session->outbox_count; i++) {
        dtls_outgoing *out = &session->outbox[i];
        if (result == 0) {
            int written = mbedtls_ssl_write(&session->ssl, out->data, out->length);
            if (written < 0 && written != MBEDTLS_ERR_SSL_WANT_WRITE)
                result = written; /* a full socket buffer only loses this one */
        }
        free(out->data);
    }
    session->outbox_count = 0;
    return result;
}

int dtls_address_equal(const ENetAddress *a, const ENetAddress *b)
{
    return a->host == b->host && a->port == b->port;
}

/* ---- the table ---------------------------------------------------------- */

static size_t address_hash(const ENetAddress *address)
{
    uint64_t key = ((uint64_t)address->host << 16) | address->port;
    key ^= key >> 29;
    key *= UINT64_C(0xbf58476d1ce4e5b9);
    key ^= key >> 32;
    return (size_t)key;
}

int dtls_table_init(dtls_table *table, size_t expected)
{
    size_t buckets = 16;
    while (buckets < expected)
        buckets <<= 1;
    table->buckets = calloc(buckets, sizeof *table->buckets);
    table->mask = buckets - 1;
    table->count = 0;
    return table->buckets != NULL ? 0 : -1;
}

void dtls_table_free(dtls_table *table, int notify)
{
    if (table->buckets == NULL)
        return;
    for (size_t i = 0; i <= table->mask; i++) {
        dtls_session *session = table->buckets[i];
        while (session != NULL) {
            dtls_session *next = session->table_next;
            dtls_session_free(session, notify);
            session = next;
        }
    }
    free(table->buckets);
    table->buckets = NULL;
    table->count = 0;
}

dtls_session *dtls_table_find(const dtls_table *table, const ENetAddress *address)
{
    dtls_session *session = table->buckets[address_hash(address) & table->mask];
    while (session != NULL && !dtls_address_equal(&session->address, address))
        session = session->table_next;
    return session;
}

void dtls_table_insert(dtls_table *table, dtls_session *session)
{
    dtls_session **bucket = &table->buckets[address_hash(&session->address) & table->mask];
    session->table_next = *bucket;
    *bucket = session;
    table->count++;
}

void dtls_table_remove(dtls_table *table, dtls_session *session)
{
    dtls_session **link = &table->buckets[address_hash(&session->address) & table->mask];
    while (*link != NULL && *link != session)
        link = &(*link)->table_next;
    if (*link == NULL)
        return;
    *link = session->table_next;
    session->table_next = NULL;
    table->count--;
}

void dtls_table_each(dtls_table *table, void (*visit)(dtls_session *, void *),
                     void *context)
{
    for (size_t i = 0; i <= table->mask; i++) {
        dtls_session *session = table->buckets[i];
        while (session != NULL) {
            dtls_session *next = session->table_next;
            visit(session, context);
            session = next;
        }
    }
}
