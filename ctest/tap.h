/*
 * tap.h - the few TAP helpers the C unit tests share: one "ok N - what" or
 * "not ok N - what" line per check, diagnostics as "# ..." lines, and the
 * plan line "1..N" at the end (scripts/test counts these lines).
 */
#ifndef ENETCONNECTION_CTEST_TAP_H
#define ENETCONNECTION_CTEST_TAP_H

#include <stdarg.h>
#include <stdio.h>

static int tap_checks, tap_failures;

/* Prints one result line for `passed`; returns passed. */
__attribute__((format(printf, 2, 3)))
static int tap_ok(int passed, const char *what, ...)
{
    va_list ap;
    printf("%s %d - ", passed ? "ok" : "not ok", ++tap_checks);
    va_start(ap, what);
    vprintf(what, ap);
    va_end(ap);
    printf("\n");
    if (!passed)
        tap_failures++;
    fflush(stdout);
    return passed;
}

/* Prints a diagnostic line (why a check failed). */
__attribute__((format(printf, 1, 2)))
static void tap_note(const char *what, ...)
{
    va_list ap;
    printf("# ");
    va_start(ap, what);
    vprintf(what, ap);
    va_end(ap);
    printf("\n");
}

/* Prints the plan; returns the process exit status. */
static int tap_done(void)
{
    printf("1..%d\n", tap_checks);
    return tap_failures == 0 ? 0 : 1;
}

#endif
