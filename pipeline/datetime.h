/* datetime.h — time zones from the system's TZif files, and the date
 * formats that regulators' case logs use, turned into UTC timestamps.
 *
 * A vsp_tz is read once (RFC 8536 TZif, versions 1-3, 64-bit data and the
 * POSIX TZ footer for instants after the last listed transition) and then
 * answers conversions with a binary search over its transitions plus a
 * one-entry per-thread cache.  The library never touches the TZ environment
 * variable or mktime(3).  A vsp_tz and a vsp_datefmt are read-only after
 * creation and may be shared between threads. */
#ifndef VSP_DATETIME_H
#define VSP_DATETIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pipeline/error.h"

typedef enum vsp_time_prec {
    VSP_PREC_NONE = 0,
    VSP_PREC_DATE = 1,
    VSP_PREC_DATETIME = 2
} vsp_time_prec;

typedef struct vsp_timestamp {
    int64_t utc;       /* Unix seconds UTC; date-only: local midnight of that date in the zone, as UTC */
    int32_t local_day; /* local calendar date in the zone, YYYYMMDD (e.g. 20260815) */
    vsp_time_prec prec;
} vsp_timestamp;

/* ---- time zones ------------------------------------------------------- */

typedef struct vsp_tz vsp_tz; /* an IANA time zone, e.g. "Europe/Belgrade" */

/* Read the zone from $TZDIR/<name> (default /usr/share/zoneinfo).  Names
 * may hold only [A-Za-z0-9_+-/], must not start with '/' nor contain "..".
 * "UTC" and "Etc/UTC" work even without tzdata installed.  NULL and err set
 * (VSP_ECONFIG, message naming the zone) if unknown or unreadable.  Caller
 * frees with vsp_tz_free. */
vsp_tz *vsp_tz_new(const char *iana_name, vsp_error *err);
void vsp_tz_free(vsp_tz *tz);

/* The name the zone was opened with (borrowed; lives as long as tz). */
const char *vsp_tz_name(const vsp_tz *tz);

/* Local civil time -> UTC.  In the spring-forward gap, the time is read with
 * the offset before the gap (so 02:30 on the March change becomes 03:30
 * local); in the autumn overlap, the first (summer-time) instant.  Fields
 * out of range are normalised (month 13 = January of the next year, ...);
 * the result is clamped to the years 0001..9999. */
int64_t vsp_tz_local_to_utc(const vsp_tz *tz, int year, int month, int day, int hour,
                            int min, int sec);

/* UTC -> local date as YYYYMMDD, and optionally (sec_of_day not NULL) the
 * local seconds since local midnight, 0..86399.  utc is clamped to the
 * years 0001..9999. */
int32_t vsp_tz_local_day(const vsp_tz *tz, int64_t utc, int *sec_of_day);

/* Offset of local time from UTC at that instant, in seconds (east
 * positive: +7200 for CEST). */
int32_t vsp_tz_utc_offset(const vsp_tz *tz, int64_t utc);

/* ---- date formats ----------------------------------------------------- */

typedef struct vsp_datefmt vsp_datefmt; /* a compiled list of formats */

/* Compile "fmt | fmt | ..." (formats separated by '|', surrounding spaces
 * trimmed).
 *
 * Tokens: %d day (1-2 digits), %m month (1-2 digits), %Y year (4 digits),
 * %H hour (1-2 digits), %M minute (2 digits), %S second (2 digits), %% a
 * literal %; a space (or tab) in the format matches one or more spaces or
 * tabs; every other byte matches itself.  A format needs %d, %m and %Y once
 * each; %M needs %H, %S needs %M.  A format containing %H is DATETIME
 * precision, otherwise DATE.
 *
 * Special whole formats (case-insensitive):
 *   excel    Excel serial day number, 1900 date system with the 1900-02-29
 *            bug (45884 = 2025-08-15; serial 60 is rejected).  '.' or ','
 *            starts a fractional part, the local time of day, rounded to the
 *            nearest second -> DATETIME; an integer (or an all-zero fraction,
 *            as in "46249.0") -> DATE.
 *   iso8601  YYYY-MM-DD -> DATE; YYYY-MM-DD[T or spaces]HH:MM[:SS[.fraction]]
 *            followed by Z, +-HH:MM, +-HHMM, +-HH or nothing (nothing = local
 *            time in the zone) -> DATETIME.  Fractions of a second are
 *            truncated.
 *
 * Returns NULL and sets err (VSP_ECONFIG, says which format and what is
 * wrong) on a bad spec.  Caller frees with vsp_datefmt_free. */
vsp_datefmt *vsp_datefmt_new(const char *spec, vsp_error *err);
void vsp_datefmt_free(vsp_datefmt *f);

/* Parse s[0..len) with the first format that matches the WHOLE text
 * (surrounding spaces ignored) and gives a valid calendar date and time
 * (years 1900..2199, hour 0-23, minute and second 0-59).  Fill *out and
 * return true.  Date-only results: utc = local midnight in tz, as UTC;
 * local_day = that date.  Local datetimes: utc via vsp_tz_local_to_utc,
 * local_day = the date as written.  Datetimes with an explicit offset: utc
 * from the offset, local_day computed in tz.  tz NULL means UTC.
 *
 * Returns false if no format matches; then, if why is not NULL, writes a
 * short English reason into why (size why_size, always terminated), e.g.
 * "no such date: 31.02.2026" or "does not match any of: %d.%m.%Y | excel".
 * The input is echoed at most 40 bytes long, control bytes shown as '?'. */
bool vsp_datefmt_parse(const vsp_datefmt *f, const vsp_tz *tz, const char *s, size_t len,
                       vsp_timestamp *out, char *why, size_t why_size);

/* The spec the list was compiled from, formats joined by " | " (borrowed). */
const char *vsp_datefmt_spec(const vsp_datefmt *f);

#endif
