/* period.c — parsing, shifting and formatting reporting periods. */
#include "pipeline/period.h"

#include <stdio.h>
#include <string.h>

#define PERIOD_FORMS "expected a quarter (2026Q3), a half-year (2026H2), a year (2026) " \
                     "or a date range (2026-07-01..2026-09-30)"

static bool is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(int y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

bool vsp_date_valid(int y, int m, int d)
{
    return y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= month_days(y, m);
}

/* Howard Hinnant's days_from_civil / civil_from_days. */
int64_t vsp_day_to_days(int32_t day)
{
    int64_t y = day / 10000, m = day / 100 % 100, d = day % 100;
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

int32_t vsp_days_to_day(int64_t days)
{
    days += 719468;
    int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    int64_t doe = days - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t y = yoe + era * 400;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t d = doy - (153 * mp + 2) / 5 + 1;
    int64_t m = mp + (mp < 10 ? 3 : -9);
    y += m <= 2;
    return (int32_t)(y * 10000 + m * 100 + d);
}

void vsp_day_format(int32_t day, char buf[11])
{
    unsigned y = (unsigned)(day / 10000) % 10000u, m = (unsigned)(day / 100) % 100u,
             d = (unsigned)day % 100u;
    char tmp[32];
    snprintf(tmp, sizeof tmp, "%04u-%02u-%02u", y, m, d);
    memcpy(buf, tmp, 10);
    buf[10] = '\0';
}

const char *vsp_period_kind_name(vsp_period_kind kind)
{
    switch (kind) {
    case VSP_PERIOD_QUARTER: return "quarter";
    case VSP_PERIOD_HALF: return "half";
    case VSP_PERIOD_YEAR: return "year";
    case VSP_PERIOD_RANGE: return "range";
    }
    return "?";
}

bool vsp_period_contains(const vsp_period *p, int32_t day)
{
    return day >= p->start_day && day <= p->end_day;
}

/* Quarter/half/year number n (0-based, counted from year 0) -> period. */
static void make_calendar(vsp_period_kind kind, int64_t index, vsp_period *out)
{
    memset(out, 0, sizeof *out);
    out->kind = kind;
    int per_year = kind == VSP_PERIOD_QUARTER ? 4 : kind == VSP_PERIOD_HALF ? 2 : 1;
    int64_t year = index >= 0 ? index / per_year : (index - per_year + 1) / per_year;
    int part = (int)(index - year * per_year); /* 0-based */
    if (year < 1)
        year = 1, part = 0;
    if (year > 9999)
        year = 9999, part = per_year - 1;
    int months = 12 / per_year;
    int m0 = part * months + 1, m1 = m0 + months - 1;
    out->start_day = (int32_t)(year * 10000 + m0 * 100 + 1);
    out->end_day = (int32_t)(year * 10000 + m1 * 100 + month_days((int)year, m1));
    if (kind == VSP_PERIOD_QUARTER)
        snprintf(out->label, sizeof out->label, "%04dQ%d", (int)year, part + 1);
    else if (kind == VSP_PERIOD_HALF)
        snprintf(out->label, sizeof out->label, "%04dH%d", (int)year, part + 1);
    else
        snprintf(out->label, sizeof out->label, "%04d", (int)year);
}

static int64_t calendar_index(const vsp_period *p)
{
    int per_year = p->kind == VSP_PERIOD_QUARTER ? 4 : p->kind == VSP_PERIOD_HALF ? 2 : 1;
    int year = p->start_day / 10000, month = p->start_day / 100 % 100;
    return (int64_t)year * per_year + (month - 1) / (12 / per_year);
}

static void make_range(int32_t start, int32_t end, vsp_period *out)
{
    memset(out, 0, sizeof *out);
    out->kind = VSP_PERIOD_RANGE;
    out->start_day = start;
    out->end_day = end;
    char a[11], b[11];
    vsp_day_format(start, a);
    vsp_day_format(end, b);
    snprintf(out->label, sizeof out->label, "%s..%s", a, b);
}

void vsp_period_containing(vsp_period_kind kind, int32_t day, vsp_period *out)
{
    if (kind == VSP_PERIOD_RANGE) {
        make_range(day, day, out);
        return;
    }
    int per_year = kind == VSP_PERIOD_QUARTER ? 4 : kind == VSP_PERIOD_HALF ? 2 : 1;
    int year = day / 10000, month = day / 100 % 100;
    make_calendar(kind, (int64_t)year * per_year + (month - 1) / (12 / per_year), out);
}

void vsp_period_shift(const vsp_period *p, int n, vsp_period *out)
{
    if (p->kind != VSP_PERIOD_RANGE) {
        make_calendar(p->kind, calendar_index(p) + n, out);
        return;
    }
    int64_t s = vsp_day_to_days(p->start_day), e = vsp_day_to_days(p->end_day);
    int64_t len = e - s + 1;
    int64_t lo = vsp_day_to_days(10101), hi = vsp_day_to_days(99991231);
    int64_t ns = s + len * n, ne = e + len * n;
    if (ns < lo)
        ns = lo, ne = lo + len - 1;
    if (ne > hi)
        ne = hi, ns = hi - len + 1;
    make_range(vsp_days_to_day(ns), vsp_days_to_day(ne), out);
}

/* Read exactly n digits at *s; advance. -1 if not digits. */
static int digits(const char **s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        char c = (*s)[i];
        if (c < '0' || c > '9')
            return -1;
        v = v * 10 + (c - '0');
    }
    *s += n;
    return v;
}

/* "YYYY-MM-DD" -> YYYYMMDD, or -1. */
static int32_t parse_date(const char **s)
{
    const char *p = *s;
    int y = digits(&p, 4);
    if (y < 0 || *p++ != '-')
        return -1;
    int m = digits(&p, 2);
    if (m < 0 || *p++ != '-')
        return -1;
    int d = digits(&p, 2);
    if (d < 0 || !vsp_date_valid(y, m, d))
        return -1;
    *s = p;
    return y * 10000 + m * 100 + d;
}

vsp_status vsp_period_parse(const char *text, vsp_period *out, vsp_error *err)
{
    if (!text)
        text = "";
    char buf[64];
    size_t len = strlen(text);
    while (len && (text[len - 1] == ' ' || text[len - 1] == '\t'))
        len--;
    while (len && (*text == ' ' || *text == '\t'))
        text++, len--;
    if (len == 0 || len >= sizeof buf)
        return vsp_error_set(err, VSP_EUSAGE, "invalid period '%s': %s", text, PERIOD_FORMS);
    memcpy(buf, text, len);
    buf[len] = '\0';

    const char *p = buf;
    if (len > 10 && strstr(buf, "..")) {
        int32_t a = parse_date(&p);
        if (a >= 0 && p[0] == '.' && p[1] == '.') {
            p += 2;
            int32_t b = parse_date(&p);
            if (b >= 0 && *p == '\0') {
                if (b < a)
                    return vsp_error_set(err, VSP_EUSAGE,
                                         "invalid period '%s': the range ends before it starts",
                                         buf);
                make_range(a, b, out);
                return VSP_OK;
            }
        }
        return vsp_error_set(err, VSP_EUSAGE,
                             "invalid period '%s': a date range is two real dates "
                             "YYYY-MM-DD..YYYY-MM-DD, e.g. 2026-07-01..2026-09-30",
                             buf);
    }
    int year = digits(&p, 4);
    if (year < 1900) {
        if (year >= 0)
            return vsp_error_set(err, VSP_EUSAGE, "invalid period '%s': year before 1900", buf);
        return vsp_error_set(err, VSP_EUSAGE, "invalid period '%s': %s", buf, PERIOD_FORMS);
    }
    if (*p == '\0') {
        make_calendar(VSP_PERIOD_YEAR, year, out);
        return VSP_OK;
    }
    if (*p == '-')
        p++;
    char k = *p++;
    int n = (*p >= '0' && *p <= '9') ? *p++ - '0' : -1;
    if ((k == 'Q' || k == 'q') && n >= 1 && n <= 4 && *p == '\0') {
        make_calendar(VSP_PERIOD_QUARTER, (int64_t)year * 4 + n - 1, out);
        return VSP_OK;
    }
    if ((k == 'H' || k == 'h') && n >= 1 && n <= 2 && *p == '\0') {
        make_calendar(VSP_PERIOD_HALF, (int64_t)year * 2 + n - 1, out);
        return VSP_OK;
    }
    if (k == 'Q' || k == 'q')
        return vsp_error_set(err, VSP_EUSAGE, "invalid period '%s': quarters are Q1..Q4", buf);
    if (k == 'H' || k == 'h')
        return vsp_error_set(err, VSP_EUSAGE, "invalid period '%s': half-years are H1 or H2",
                             buf);
    return vsp_error_set(err, VSP_EUSAGE, "invalid period '%s': %s", buf, PERIOD_FORMS);
}
