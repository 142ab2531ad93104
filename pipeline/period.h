/* period.h — reporting periods: quarters, half-years, years and inclusive
 * date ranges, as local calendar dates YYYYMMDD (a case belongs to the
 * period that holds its received_day, the date in the regulator's zone).
 *
 * Text forms (DESIGN §8): "2026Q3", "2026H2", "2026",
 * "2026-07-01..2026-09-30".  Plain structs, no allocation. */
#ifndef VSP_PERIOD_H
#define VSP_PERIOD_H

#include <stdbool.h>
#include <stdint.h>

#include "pipeline/error.h"

typedef enum vsp_period_kind {
    VSP_PERIOD_QUARTER,
    VSP_PERIOD_HALF,
    VSP_PERIOD_YEAR,
    VSP_PERIOD_RANGE
} vsp_period_kind;

typedef struct vsp_period {
    vsp_period_kind kind;
    char label[32];            /* "2026Q3", "2026H2", "2026", "2026-07-01..2026-09-30" */
    int32_t start_day, end_day; /* YYYYMMDD, inclusive */
} vsp_period;

/* Parse a period.  Accepts lower-case q/h and surrounding spaces; years
 * 1900..9999; a range needs real dates with start <= end.  VSP_EUSAGE with
 * a message that shows the accepted forms on bad text. */
vsp_status vsp_period_parse(const char *text, vsp_period *out, vsp_error *err);

/* The period n periods later (negative: earlier).  Quarters, halves and
 * years step by their own kind; a range shifts by its length in days. */
void vsp_period_shift(const vsp_period *p, int n, vsp_period *out);

/* The quarter, half or year (kind must not be VSP_PERIOD_RANGE) that holds
 * the date day (YYYYMMDD). */
void vsp_period_containing(vsp_period_kind kind, int32_t day, vsp_period *out);

/* "quarter", "half", "year", "range" (the agg_run.kind values). */
const char *vsp_period_kind_name(vsp_period_kind kind);

/* True when day (YYYYMMDD) lies in the period. */
bool vsp_period_contains(const vsp_period *p, int32_t day);

/* ---- calendar helpers (proleptic Gregorian) --------------------------- */

/* True when y-m-d is a real date, years 1..9999. */
bool vsp_date_valid(int y, int m, int d);
/* YYYYMMDD <-> days since 1970-01-01.  day must be a valid date. */
int64_t vsp_day_to_days(int32_t day);
int32_t vsp_days_to_day(int64_t days);
/* "YYYY-MM-DD" into buf (at least 11 bytes). */
void vsp_day_format(int32_t day, char buf[11]);

#endif
