/*
 * tls_alert.h - the names of TLS alert descriptions, for messages that say
 * why a peer ended a DTLS handshake ("fatal alert 48 (unknown_ca)").
 * No Lua here.
 */
#ifndef ENETCONNECTION_TLS_ALERT_H
#define ENETCONNECTION_TLS_ALERT_H

/* The name of alert `description` as the TLS registry gives it, or NULL for
 * a number it does not assign. */
const char *tls_alert_name(int description);

#endif
