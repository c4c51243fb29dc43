/*
 * test_tls_alert.c - csrc/tls_alert.c: the alerts our DTLS messages name,
 * and no name for a number the TLS registry does not assign.
 */
#include <stddef.h>
#include <string.h>

#include "tap.h"
#include "tls_alert.h"

static void names(int description, const char *expected)
{
    const char *name = tls_alert_name(description);
    tap_ok(name != NULL && strcmp(name, expected) == 0, "alert %d is %s (got %s)", description,
           expected, name ? name : "none");
}

int main(void)
{
    names(0, "close_notify");
    names(40, "handshake_failure");
    names(42, "bad_certificate");
    names(48, "unknown_ca");
    names(70, "protocol_version");
    names(80, "internal_error");
    names(113, "bad_certificate_status_response");
    names(120, "no_application_protocol");
    static const int unassigned[] = { -1, 1, 23, 52, 99, 117, 121, 255, 256 };
    int none = 1;
    for (size_t i = 0; i < sizeof unassigned / sizeof unassigned[0]; i++) {
        const char *name = tls_alert_name(unassigned[i]);
        if (name != NULL) {
            tap_note("%d is named %s", unassigned[i], name);
            none = 0;
        }
    }
    tap_ok(none, "numbers the registry does not assign have no name");
    return tap_done();
}
