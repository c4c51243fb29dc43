/*
 * test_dtls_session.c - csrc/dtls_session.c: the server's session table
 * (bucket count, lookup by host and port, insertion, removal from any
 * place in a chain, a removed address taken again by a new session, a
 * visit that frees what it is given, freeing all) and what a session keeps
 * for mbedTLS (the offered datagram cut to whole records, the epoch-0
 * handshake records stripped for an open session, the bounded outbox).
 * The wire is a stub: no session here gets as far as sending.
 */
#include <stdlib.h>
#include <string.h>

#include "dtls_session.h"
#include "tap.h"

/* ---- the wire, stubbed -------------------------------------------------- */

static int wire_sends;

int socket_wire_send(socket_entry *wire, const ENetAddress *to,
                     const ENetBuffer *buffers, size_t count)
{
    (void)wire, (void)to;
    wire_sends++;
    return count > 0 ? (int)buffers[0].dataLength : 0;
}

int socket_wire_receive(socket_entry *wire, ENetAddress *from,
                        ENetBuffer *buffers, size_t count)
{
    (void)wire, (void)from, (void)buffers, (void)count;
    return 0;
}

/* ---- helpers ------------------------------------------------------------ */

#define HOSTS 3
#define PORTS 100
#define SESSIONS (HOSTS * PORTS)

static mbedtls_ssl_config conf;

/* 127.0.0.(1 + h), port 1000 + 256 p (a key only: no socket is opened).
 * Hosts differ in one byte, ports in their high byte only. */
static ENetAddress address_of(int h, int p)
{
    ENetAddress a = { .host = 0x0100007fu + ((uint32_t)h << 24),
                      .port = (uint16_t)(1000 + 256 * p) };
    return a;
}

static dtls_session *session_at(int h, int p)
{
    ENetAddress a = address_of(h, p);
    return dtls_session_new(&conf, NULL, &a);
}

/* True when every session of all[] marked present is found, itself, by its
 * address, and every other address is not found. */
static int table_matches(const dtls_table *t, dtls_session *const all[],
                         const int present[])
{
    int right = 1;
    for (int i = 0; i < SESSIONS; i++) {
        ENetAddress a = address_of(i / PORTS, i % PORTS);
        dtls_session *found = dtls_table_find(t, &a);
        if (found != (present[i] ? all[i] : NULL)) {
            tap_note("host %d port %d: found %p, expected %s", i / PORTS, i % PORTS,
                     (void *)found, present[i] ? "its session" : "none");
            right = 0;
        }
    }
    return right;
}

/* ---- the table ---------------------------------------------------------- */

static void test_address_equal(void)
{
    const ENetAddress a = { .host = 0x0100007fu, .port = 0x1234 };
    const ENetAddress others[] = {
        { 0x0100007eu, 0x1234 }, { 0x0100017fu, 0x1234 }, { 0x0101007fu, 0x1234 },
        { 0x0200007fu, 0x1234 }, { 0x0100007fu, 0x1235 }, { 0x0100007fu, 0x1334 },
        { 0x1234, 0x007f },
    };
    int differ = 1;
    for (size_t i = 0; i < sizeof others / sizeof others[0]; i++)
        differ &= !dtls_address_equal(&a, &others[i]) && !dtls_address_equal(&others[i], &a);
    ENetAddress copy = a;
    tap_ok(dtls_address_equal(&a, &copy) && differ,
           "addresses are equal when host and port are, and differ on any byte of either");
}

static void test_bucket_count(void)
{
    static const size_t expected[] = { 0, 16, 17, 100, 128, 1000 };
    static const size_t buckets[] = { 16, 16, 32, 128, 128, 1024 };
    int right = 1;
    for (size_t i = 0; i < sizeof expected / sizeof expected[0]; i++) {
        dtls_table t;
        right &= dtls_table_init(&t, expected[i]) == 0 && t.mask + 1 == buckets[i] &&
                 t.count == 0;
        dtls_table_free(&t, 0);
    }
    tap_ok(right, "the bucket count is the power of two at or above the expected "
                  "number of sessions, 16 at least, and the table starts empty");
}

static void test_find_insert_remove(void)
{
    dtls_table t;
    dtls_table_init(&t, 4); /* 16 buckets: long chains */
    dtls_session *all[SESSIONS];
    int present[SESSIONS];
    for (int i = 0; i < SESSIONS; i++) {
        all[i] = session_at(i / PORTS, i % PORTS);
        present[i] = 1;
        dtls_table_insert(&t, all[i]);
    }
    tap_ok(t.count == SESSIONS, "inserting %d sessions counts %d", SESSIONS, SESSIONS);
    tap_ok(table_matches(&t, all, present),
           "each is found by its address, among others with the same host or port");
    ENetAddress absent[] = { address_of(0, PORTS), address_of(HOSTS, 0),
                             { .host = 0, .port = 1000 } };
    int none = 1;
    for (size_t i = 0; i < sizeof absent / sizeof absent[0]; i++)
        none &= dtls_table_find(&t, &absent[i]) == NULL;
    tap_ok(none, "a known host on another port, or a known port on another host, "
                 "finds nothing");

    for (int i = 0; i < SESSIONS; i += 3) {
        dtls_table_remove(&t, all[i]);
        present[i] = 0;
    }
    size_t left = SESSIONS - (SESSIONS + 2) / 3;
    tap_ok(t.count == left && table_matches(&t, all, present),
           "removing every third session (from chains' heads, middles and ends) "
           "leaves the others found and counted");
    dtls_table_remove(&t, all[0]);
    dtls_session *stranger = session_at(HOSTS, 0);
    dtls_table_remove(&t, stranger);
    tap_ok(t.count == left && table_matches(&t, all, present),
           "removing a session again, or one never inserted, changes nothing");

    dtls_session *first = all[0];
    all[0] = session_at(0, 0);
    present[0] = 1;
    dtls_table_insert(&t, all[0]);
    tap_ok(t.count == left + 1 && table_matches(&t, all, present),
           "a new session for a removed address is found, not the old one");
    /* The old one, unlinked, is taken again (a remote coming back). */
    dtls_table_remove(&t, all[0]);
    dtls_session_free(all[0], 0);
    all[0] = first;
    dtls_table_insert(&t, first);
    tap_ok(t.count == left + 1 && table_matches(&t, all, present),
           "a removed session can be inserted again");

    for (int i = 0; i < SESSIONS; i++)
        if (!present[i])
            dtls_session_free(all[i], 0);
    dtls_session_free(stranger, 0);
    wire_sends = 0;
    dtls_table_free(&t, 1);
    tap_ok(t.buckets == NULL && t.count == 0 && wire_sends == 0,
           "freeing the table frees every session (none open: no close_notify sent)");
    dtls_table_free(&t, 1);
    tap_ok(t.buckets == NULL, "freeing it twice is harmless");
}

/* Counts the visits of each session in last_seen_ms; frees those of even
 * p (address_of) after unlinking them, as an expiry does. */
static void visit_and_expire_even(dtls_session *s, void *context)
{
    dtls_table *t = context;
    s->last_seen_ms++;
    if ((s->address.port - 1000) / 256 % 2 == 0) {
        dtls_table_remove(t, s);
        dtls_session_free(s, 1);
    }
}

static void test_each(void)
{
    dtls_table t;
    dtls_table_init(&t, 4);
    dtls_session *all[SESSIONS];
    int present[SESSIONS];
    for (int i = 0; i < SESSIONS; i++) {
        all[i] = session_at(i / PORTS, i % PORTS);
        dtls_table_insert(&t, all[i]);
    }
    dtls_table_each(&t, visit_and_expire_even, &t);
    int once = 1;
    for (int i = 0; i < SESSIONS; i++) {
        present[i] = i % PORTS % 2 == 1;
        if (present[i])
            once &= all[i]->last_seen_ms == 1;
    }
    tap_ok(once, "each visits every session once");
    tap_ok(t.count == SESSIONS / 2 && table_matches(&t, all, present),
           "a visit may remove and free the session it is given: the rest stay");
    dtls_table_free(&t, 0);
}

/* ---- one session -------------------------------------------------------- */

/* Writes a record (type, epoch, body length; the body zero but for its
 * first byte) at p; returns its end. */
static unsigned char *record(unsigned char *p, int type, int epoch, size_t body)
{
    memset(p, 0, DTLS_RECORD_HEADER_SIZE + body);
    p[0] = (unsigned char)type;
    p[1] = 0xfe, p[2] = 0xfd;
    p[3] = (unsigned char)(epoch >> 8), p[4] = (unsigned char)epoch;
    p[11] = (unsigned char)(body >> 8), p[12] = (unsigned char)body;
    if (body > 0) /* a mark that tells the records apart */
        p[DTLS_RECORD_HEADER_SIZE] = (unsigned char)(type + epoch);
    return p + DTLS_RECORD_HEADER_SIZE + body;
}

static void test_offer(void)
{
    dtls_session *s = session_at(0, 0);
    unsigned char datagram[200];
    unsigned char *end = record(datagram, 23, 1, 20);
    end = record(end, 23, 1, 30);
    size_t whole = (size_t)(end - datagram);
    record(end, 23, 1, 40); /* header and 10 of its 40 bytes: partial */
    dtls_session_offer(s, datagram, whole + DTLS_RECORD_HEADER_SIZE + 10);
    tap_ok(dtls_session_has_input(s) && s->input == datagram && s->input_length == whole,
           "an offered datagram is cut to its whole records");
    dtls_session_forget_input(s);
    tap_ok(!dtls_session_has_input(s) && s->input_length == 0, "forgotten, it is gone");
    dtls_session_offer(s, datagram, whole);
    tap_ok(s->input == datagram && s->input_length == whole,
           "a datagram of whole records is offered whole");
    dtls_session_offer(s, datagram, DTLS_RECORD_HEADER_SIZE + 19);
    tap_ok(!dtls_session_has_input(s), "a datagram with no whole record offers nothing");
    dtls_session_offer(s, datagram, DTLS_RECORD_HEADER_SIZE - 1);
    tap_ok(!dtls_session_has_input(s), "nor does one shorter than a record header");
    dtls_session_free(s, 1);
}

static void test_strip_epoch0_handshakes(void)
{
    unsigned char datagram[300], *end = datagram;
    end = record(end, 22, 0, 30); /* a ClientHello, say: stripped */
    end = record(end, 23, 1, 20); /* application data: kept */
    end = record(end, 22, 0, 10); /* stripped */
    end = record(end, 22, 1, 12); /* a handshake of epoch 1: kept */
    end = record(end, 22, 256, 0); /* and of epoch 256: kept */
    end = record(end, 21, 0, 2);  /* an alert of epoch 0: kept */
    size_t whole = (size_t)(end - datagram);
    record(end, 23, 1, 50);       /* partial: dropped */
    size_t left = dtls_strip_epoch0_handshakes(datagram, whole + DTLS_RECORD_HEADER_SIZE);
    size_t kept = 4 * DTLS_RECORD_HEADER_SIZE + 20 + 12 + 0 + 2;
    int right = left == kept && datagram[0] == 23 && datagram[DTLS_RECORD_HEADER_SIZE] == 24;
    unsigned char *second = datagram + DTLS_RECORD_HEADER_SIZE + 20;
    right &= second[0] == 22 && second[4] == 1 && second[DTLS_RECORD_HEADER_SIZE] == 23;
    unsigned char *third = second + DTLS_RECORD_HEADER_SIZE + 12;
    right &= third[0] == 22 && third[3] == 1 && third[4] == 0;
    unsigned char *fourth = third + DTLS_RECORD_HEADER_SIZE;
    right &= fourth[0] == 21 && fourth[DTLS_RECORD_HEADER_SIZE] == 21;
    tap_ok(right, "stripping removes the epoch-0 handshake records and a partial "
                  "record, and keeps the others whole and in order");
    record(datagram, 23, 1, 30);
    tap_ok(dtls_strip_epoch0_handshakes(datagram, DTLS_RECORD_HEADER_SIZE + 30 - 1) == 0,
           "a datagram of one partial record strips to nothing");
}

static void test_outbox(void)
{
    dtls_session *s = session_at(0, 0);
    int accepted = 0;
    for (int i = 0; i < DTLS_OUTBOX_SIZE; i++)
        accepted += dtls_session_queue(s, "datagram", (size_t)i) == 0;
    tap_ok(accepted == DTLS_OUTBOX_SIZE && s->outbox_count == DTLS_OUTBOX_SIZE &&
               s->outbox[3].length == 3 && memcmp(s->outbox[3].data, "dat", 3) == 0,
           "the outbox keeps copies of %d datagrams (an empty one too)", DTLS_OUTBOX_SIZE);
    tap_ok(dtls_session_queue(s, "one more", 8) == -1 && s->outbox_count == DTLS_OUTBOX_SIZE,
           "and refuses one more");
    dtls_session_free(s, 1); /* frees the queued copies: ASan tells */
    s = session_at(0, 1);
    dtls_session_queue(s, "early", 5);
    int r = dtls_session_flush_queue(s);
    tap_ok(r < 0 && s->outbox_count == 0,
           "flushing before the handshake is done fails with mbedTLS's error "
           "and still empties the outbox (%d)", r);
    dtls_session_free(s, 1);
}

int main(void)
{
    mbedtls_ssl_config_init(&conf);
    if (mbedtls_ssl_config_defaults(&conf, MBEDTLS_SSL_IS_SERVER,
                                    MBEDTLS_SSL_TRANSPORT_DATAGRAM,
                                    MBEDTLS_SSL_PRESET_DEFAULT) != 0) {
        tap_ok(0, "mbedTLS configures a DTLS server");
        return tap_done();
    }
    test_address_equal();
    test_bucket_count();
    test_find_insert_remove();
    test_each();
    test_offer();
    test_strip_epoch0_handshakes();
    test_outbox();
    mbedtls_ssl_config_free(&conf);
    return tap_done();
}
