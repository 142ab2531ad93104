/* datetime.c — TZif time zones and date formats.  See datetime.h.
 *
 * A zone is held as one sorted array of transitions: those listed in the
 * TZif file, followed by those its POSIX TZ footer generates for 400+ years
 * after the last listed one.  The Gregorian calendar repeats exactly every
 * 400 years (146097 days, a whole number of weeks), so instants beyond the
 * generated stretch are folded back into it by whole 400-year cycles. */
#include "pipeline/datetime.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pipeline/util.h"

/* ---- calendar arithmetic (proleptic Gregorian) ----------------------- */

#define SECS_PER_DAY 86400
#define CYCLE_DAYS INT64_C(146097)
#define CYCLE_SECS (CYCLE_DAYS * SECS_PER_DAY)
/* Years 0001..9999 with two days of margin for offsets. */
#define UTC_MIN (INT64_C(-62135596800) + 2 * SECS_PER_DAY)
#define UTC_MAX (INT64_C(253402300800) - 2 * SECS_PER_DAY - 1)

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0)))
        q--;
    return q;
}

static bool is_leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int64_t y, int m)
{
    static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && is_leap(y))
        return 29;
    return dim[m - 1];
}

/* Days since 1970-01-01 of y-m-d, m in 1..12 (H. Hinnant's algorithm). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = floor_div(y, 400);
    int64_t yoe = y - era * 400;
    int64_t mp = m > 2 ? m - 3 : m + 9;
    int64_t doy = (153 * mp + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * CYCLE_DAYS + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
    z += 719468;
    int64_t era = floor_div(z, CYCLE_DAYS);
    int64_t doe = z - era * CYCLE_DAYS;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

/* 0 = Sunday. 1970-01-01 was a Thursday. */
static int weekday(int64_t days)
{
    return (int)(days - floor_div(days + 4, 7) * 7 + 4);
}

static int64_t year_of(int64_t utc)
{
    int64_t y;
    int m, d;
    civil_from_days(floor_div(utc, SECS_PER_DAY), &y, &m, &d);
    return y;
}

static int64_t clamp64(int64_t v, int64_t lo, int64_t hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

static int64_t sat_add(int64_t a, int64_t b)
{
    if (b > 0 && a > INT64_MAX - b)
        return INT64_MAX;
    if (b < 0 && a < INT64_MIN - b)
        return INT64_MIN;
    return a + b;
}

/* Copy at most 40 bytes of untrusted text for a message: control bytes as
 * '?', cut on a UTF-8 boundary, "..." when cut. */
static void echo_text(char *dst, size_t size, const char *s, size_t len)
{
    size_t max = 40, n = len < max ? len : max;
    if (n < len)
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    size_t o = 0;
    for (size_t i = 0; i < n && o + 1 < size; i++) {
        unsigned char c = (unsigned char)s[i];
        dst[o++] = (c < 0x20 || c == 0x7F) ? '?' : (char)c;
    }
    if (n < len)
        for (int k = 0; k < 3 && o + 1 < size; k++)
            dst[o++] = '.';
    if (size)
        dst[o] = '\0';
}

/* ---- time zones -------------------------------------------------------- */

struct vsp_tz {
    char *name;
    uint64_t id;     /* unique per process, keys the per-thread caches */
    size_t n;        /* transitions */
    int64_t *at;     /* UTC instants, strictly ascending */
    int64_t *key;    /* local instant from which off[i] applies (non-decreasing) */
    int32_t *off;    /* offset in force from at[i] on; always differs from the one before */
    int32_t off0;    /* offset before the first transition */
    bool cyclic;     /* beyond cycle_start + CYCLE_SECS, repeat in 400-year cycles */
    int64_t cycle_start;
};

/* One remembered span per thread: instants in [lo, hi) use offset off. */
typedef struct tz_span {
    uint64_t id;
    int64_t lo, hi;
    int32_t off;
} tz_span;

static _Thread_local tz_span utc_cache;
static _Thread_local tz_span local_cache;
static atomic_uint_fast64_t tz_next_id = 1;

/* Last index i with a[i] <= v, as a count (0 = none). */
static size_t count_le(const int64_t *a, size_t n, int64_t v)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (a[mid] <= v)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Offset for value v looked up in arr (at for UTC instants, key for local
 * ones), with the span of v that shares it. */
static tz_span tz_lookup(const vsp_tz *tz, const int64_t *arr, int64_t v)
{
    int64_t shift = 0;
    if (tz->cyclic && v >= tz->cycle_start + CYCLE_SECS) {
        shift = ((v - tz->cycle_start) / CYCLE_SECS) * CYCLE_SECS;
        v -= shift;
    }
    size_t c = count_le(arr, tz->n, v);
    tz_span sp;
    sp.id = tz->id;
    sp.off = c == 0 ? tz->off0 : tz->off[c - 1];
    sp.lo = c == 0 ? INT64_MIN : sat_add(arr[c - 1], shift);
    sp.hi = c == tz->n ? INT64_MAX : sat_add(arr[c], shift);
    return sp;
}

int32_t vsp_tz_utc_offset(const vsp_tz *tz, int64_t utc)
{
    if (!tz)
        return 0;
    utc = clamp64(utc, UTC_MIN, UTC_MAX);
    if (utc_cache.id == tz->id && utc >= utc_cache.lo && utc < utc_cache.hi)
        return utc_cache.off;
    utc_cache = tz_lookup(tz, tz->at, utc);
    return utc_cache.off;
}

int32_t vsp_tz_local_day(const vsp_tz *tz, int64_t utc, int *sec_of_day)
{
    utc = clamp64(utc, UTC_MIN, UTC_MAX);
    int64_t local = utc + vsp_tz_utc_offset(tz, utc);
    int64_t days = floor_div(local, SECS_PER_DAY);
    int64_t y;
    int m, d;
    civil_from_days(days, &y, &m, &d);
    if (sec_of_day)
        *sec_of_day = (int)(local - days * SECS_PER_DAY);
    return (int32_t)(y * 10000 + m * 100 + d);
}

int64_t vsp_tz_local_to_utc(const vsp_tz *tz, int year, int month, int day, int hour,
                            int min, int sec)
{
    int64_t mm = (int64_t)month - 1;
    int64_t y = (int64_t)year + floor_div(mm, 12);
    mm -= floor_div(mm, 12) * 12;
    y = clamp64(y, -1000000, 1000000); /* keeps the arithmetic below in range */
    int64_t local = (days_from_civil(y, (int)mm + 1, 1) + (int64_t)day - 1) * SECS_PER_DAY +
                    (int64_t)hour * 3600 + (int64_t)min * 60 + sec;
    local = clamp64(local, UTC_MIN, UTC_MAX);
    if (!tz)
        return local;
    if (!(local_cache.id == tz->id && local >= local_cache.lo && local < local_cache.hi))
        local_cache = tz_lookup(tz, tz->key, local);
    return local - local_cache.off;
}

const char *vsp_tz_name(const vsp_tz *tz)
{
    return tz ? tz->name : "UTC";
}

void vsp_tz_free(vsp_tz *tz)
{
    if (!tz)
        return;
    free(tz->name);
    free(tz->at);
    free(tz->key);
    free(tz->off);
    free(tz);
}

/* -- POSIX TZ strings (RFC 8536 section 3.3, with the version 3 extensions) */

typedef struct tz_rule_date {
    char kind;       /* 'J' Julian 1..365 without Feb 29, 'N' zero-based 0..365, 'M' month.week.day */
    int a, b, c;     /* J/N: a = day; M: a = month, b = week 1..5, c = weekday 0..6 */
    int32_t time;    /* local seconds after midnight, -167h..167h */
} tz_rule_date;

typedef struct tz_rule {
    int32_t std_off, dst_off; /* east of UTC */
    bool has_dst;
    tz_rule_date start, end;
} tz_rule;

typedef struct cursor {
    const char *p, *end;
} cursor;

static bool cur_digit(const cursor *c)
{
    return c->p < c->end && *c->p >= '0' && *c->p <= '9';
}

static bool cur_num(cursor *c, int maxdigits, int *out)
{
    int v = 0, n = 0;
    while (cur_digit(c) && n < maxdigits) {
        v = v * 10 + (*c->p - '0');
        c->p++;
        n++;
    }
    *out = v;
    return n > 0;
}

static bool tzstr_name(cursor *c)
{
    const char *start = c->p;
    if (c->p < c->end && *c->p == '<') {
        c->p++;
        while (c->p < c->end && *c->p != '>') {
            char ch = *c->p;
            if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
                  (ch >= '0' && ch <= '9') || ch == '+' || ch == '-'))
                return false;
            c->p++;
        }
        if (c->p >= c->end || c->p - start < 2)
            return false;
        c->p++;
        return true;
    }
    while (c->p < c->end && ((*c->p >= 'A' && *c->p <= 'Z') || (*c->p >= 'a' && *c->p <= 'z')))
        c->p++;
    return c->p - start >= 3;
}

/* [+-]hh[:mm[:ss]] with hh <= maxh, into signed seconds. */
static bool tzstr_hms(cursor *c, int maxh, int32_t *out)
{
    int sign = 1, h, m = 0, s = 0;
    if (c->p < c->end && (*c->p == '+' || *c->p == '-')) {
        sign = *c->p == '-' ? -1 : 1;
        c->p++;
    }
    if (!cur_num(c, 3, &h) || h > maxh)
        return false;
    if (c->p < c->end && *c->p == ':') {
        c->p++;
        if (!cur_num(c, 2, &m) || m > 59)
            return false;
        if (c->p < c->end && *c->p == ':') {
            c->p++;
            if (!cur_num(c, 2, &s) || s > 59)
                return false;
        }
    }
    *out = sign * (h * 3600 + m * 60 + s);
    return true;
}

static bool tzstr_date(cursor *c, tz_rule_date *r)
{
    if (c->p >= c->end)
        return false;
    if (*c->p == 'J') {
        c->p++;
        r->kind = 'J';
        if (!cur_num(c, 3, &r->a) || r->a < 1 || r->a > 365)
            return false;
    } else if (*c->p == 'M') {
        c->p++;
        r->kind = 'M';
        if (!cur_num(c, 2, &r->a) || r->a < 1 || r->a > 12)
            return false;
        if (c->p >= c->end || *c->p++ != '.' || !cur_num(c, 1, &r->b) || r->b < 1 || r->b > 5)
            return false;
        if (c->p >= c->end || *c->p++ != '.' || !cur_num(c, 1, &r->c) || r->c > 6)
            return false;
    } else {
        r->kind = 'N';
        if (!cur_num(c, 3, &r->a) || r->a > 365)
            return false;
    }
    r->time = 2 * 3600;
    if (c->p < c->end && *c->p == '/') {
        c->p++;
        if (!tzstr_hms(c, 167, &r->time))
            return false;
    }
    return true;
}

static bool tzstr_parse(const char *s, size_t len, tz_rule *r)
{
    cursor c = {s, s + len};
    int32_t v;
    memset(r, 0, sizeof *r);
    if (!tzstr_name(&c) || !tzstr_hms(&c, 24, &v))
        return false;
    r->std_off = -v;
    if (c.p == c.end)
        return true;
    if (!tzstr_name(&c))
        return false;
    r->has_dst = true;
    r->dst_off = r->std_off + 3600;
    if (c.p < c.end && *c.p != ',') {
        if (!tzstr_hms(&c, 24, &v))
            return false;
        r->dst_off = -v;
    }
    if (c.p == c.end) { /* POSIX default: US rules */
        r->start = (tz_rule_date){'M', 3, 2, 0, 7200};
        r->end = (tz_rule_date){'M', 11, 1, 0, 7200};
        return true;
    }
    if (*c.p++ != ',' || !tzstr_date(&c, &r->start))
        return false;
    if (c.p >= c.end || *c.p++ != ',' || !tzstr_date(&c, &r->end))
        return false;
    return c.p == c.end;
}

/* Local midnight (as days since the epoch) of the rule's day in year y. */
static int64_t rule_day(const tz_rule_date *r, int64_t y)
{
    int64_t jan1 = days_from_civil(y, 1, 1);
    if (r->kind == 'J')
        return jan1 + r->a - 1 + (is_leap(y) && r->a >= 60 ? 1 : 0);
    if (r->kind == 'N')
        return jan1 + r->a;
    int64_t first = days_from_civil(y, r->a, 1);
    int64_t day = first + (r->c - weekday(first) + 7) % 7 + (int64_t)(r->b - 1) * 7;
    while (day - first >= days_in_month(y, r->a))
        day -= 7;
    return day;
}

/* -- TZif ----------------------------------------------------------------- */

typedef struct tzif_head {
    uint32_t isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt;
} tzif_head;

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int64_t be64s(const unsigned char *p)
{
    uint64_t v = (uint64_t)be32(p) << 32 | be32(p + 4);
    return v <= INT64_MAX ? (int64_t)v : -(int64_t)(~v) - 1;
}

static int32_t be32s(const unsigned char *p)
{
    uint32_t v = be32(p);
    return v <= INT32_MAX ? (int32_t)v : -(int32_t)(~v) - 1;
}

static bool tzif_header(const unsigned char *p, size_t avail, tzif_head *h, char *version)
{
    if (avail < 44 || memcmp(p, "TZif", 4) != 0)
        return false;
    *version = (char)p[4];
    h->isutcnt = be32(p + 20);
    h->isstdcnt = be32(p + 24);
    h->leapcnt = be32(p + 28);
    h->timecnt = be32(p + 32);
    h->typecnt = be32(p + 36);
    h->charcnt = be32(p + 40);
    return true;
}

static uint64_t tzif_block_size(const tzif_head *h, unsigned timesz)
{
    return (uint64_t)h->timecnt * timesz + h->timecnt + (uint64_t)h->typecnt * 6 + h->charcnt +
           (uint64_t)h->leapcnt * (timesz + 4) + h->isstdcnt + h->isutcnt;
}

/* A growing list of (instant, offset) pairs. */
typedef struct trans_list {
    int64_t *at;
    int32_t *off;
    size_t n, cap;
} trans_list;

static void trans_push(trans_list *t, int64_t at, int32_t off)
{
    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 256;
        t->at = vsp_xrealloc(t->at, t->cap * sizeof *t->at);
        t->off = vsp_xrealloc(t->off, t->cap * sizeof *t->off);
    }
    t->at[t->n] = at;
    t->off[t->n] = off;
    t->n++;
}

/* Parse a whole TZif file into tz (at, off, off0, cyclic).  Returns NULL on
 * success, else a short reason. */
static const char *tzif_parse(vsp_tz *tz, const unsigned char *buf, size_t len)
{
    tzif_head h;
    char version;
    if (!tzif_header(buf, len, &h, &version))
        return "not a TZif file";
    const unsigned char *p = buf + 44;
    size_t avail = len - 44;
    unsigned timesz = 4;
    if (version != 0) {
        uint64_t skip = tzif_block_size(&h, 4);
        if (skip > avail)
            return "truncated TZif file";
        p += skip;
        avail -= (size_t)skip;
        if (!tzif_header(p, avail, &h, &version))
            return "bad second TZif header";
        p += 44;
        avail -= 44;
        timesz = 8;
    }
    uint64_t need = tzif_block_size(&h, timesz);
    if (need > avail)
        return "truncated TZif file";
    if (h.typecnt == 0 || h.typecnt > 256)
        return "bad count of local time types";
    if (h.leapcnt != 0)
        return "leap-second (\"right/\") zones are not supported";

    const unsigned char *times = p;
    const unsigned char *idx = times + (size_t)h.timecnt * timesz;
    const unsigned char *types = idx + h.timecnt;
    int32_t type_off[256];
    for (uint32_t i = 0; i < h.typecnt; i++) {
        type_off[i] = be32s(types + 6 * i);
        if (type_off[i] < -89999 || type_off[i] > 93599)
            return "UT offset out of range";
    }

    trans_list tl = {NULL, NULL, 0, 0};
    const char *why = NULL;
    int64_t prev = INT64_MIN;
    for (uint32_t i = 0; i < h.timecnt; i++) {
        int64_t at = timesz == 8 ? be64s(times + 8 * (size_t)i) : be32s(times + 4 * (size_t)i);
        if (idx[i] >= h.typecnt) {
            why = "transition type index out of range";
            goto out;
        }
        if (i > 0 && at <= prev) {
            why = "transition times not ascending";
            goto out;
        }
        prev = at;
        trans_push(&tl, at, type_off[idx[i]]);
    }
    tz->off0 = type_off[0];

    /* The footer: "\n<TZ string>\n" after the version 2+ data. */
    tz_rule rule;
    bool have_rule = false;
    if (timesz == 8 && avail - (size_t)need >= 2 && p[need] == '\n') {
        const char *fs = (const char *)p + need + 1;
        const char *fe = memchr(fs, '\n', avail - (size_t)need - 1);
        if (!fe) {
            why = "unterminated TZ string footer";
            goto out;
        }
        if (fe > fs) {
            if (!tzstr_parse(fs, (size_t)(fe - fs), &rule)) {
                why = "unreadable TZ string footer";
                goto out;
            }
            have_rule = true;
        }
    }

    if (have_rule && !rule.has_dst && tl.n == 0)
        tz->off0 = rule.std_off;
    if (have_rule && !rule.has_dst && tl.n > 0 && tl.off[tl.n - 1] != rule.std_off &&
        tl.at[tl.n - 1] < INT64_MAX)
        trans_push(&tl, tl.at[tl.n - 1] + 1, rule.std_off); /* inconsistent file: trust the rule */
    if (have_rule && rule.has_dst) {
        /* Generate the rule's transitions for 400+ years after the last listed one. */
        int64_t last = tl.n ? tl.at[tl.n - 1] : days_from_civil(1800, 1, 1) * SECS_PER_DAY;
        last = clamp64(last, days_from_civil(1, 1, 1) * SECS_PER_DAY, UTC_MAX);
        int64_t ylast = year_of(last);
        int64_t y1 = ylast + 2;
        size_t first_gen = tl.n;
        for (int64_t y = ylast - 1; y <= y1 + 401; y++) {
            int64_t s = rule_day(&rule.start, y) * SECS_PER_DAY + rule.start.time - rule.std_off;
            int64_t e = rule_day(&rule.end, y) * SECS_PER_DAY + rule.end.time - rule.dst_off;
            int64_t a1 = s < e ? s : e, a2 = s < e ? e : s;
            int32_t o1 = s < e ? rule.dst_off : rule.std_off;
            int32_t o2 = s < e ? rule.std_off : rule.dst_off;
            if (a1 > last)
                trans_push(&tl, a1, o1);
            if (a2 > last)
                trans_push(&tl, a2, o2);
        }
        /* Rules whose DST spans year ends can generate out-of-order
         * instants; insertion sort is cheap on nearly sorted input. */
        for (size_t i = first_gen + 1; i < tl.n; i++) {
            int64_t a = tl.at[i];
            int32_t o = tl.off[i];
            size_t j = i;
            while (j > first_gen && tl.at[j - 1] > a) {
                tl.at[j] = tl.at[j - 1];
                tl.off[j] = tl.off[j - 1];
                j--;
            }
            tl.at[j] = a;
            tl.off[j] = o;
        }
        tz->cyclic = true;
        tz->cycle_start = days_from_civil(y1, 1, 1) * SECS_PER_DAY;
    }

    /* Compact: drop repeated instants (the later wins) and transitions that
     * keep the offset; then build the local keys. */
    size_t n = 0;
    for (size_t i = 0; i < tl.n; i++) {
        if (n > 0 && tl.at[i] == tl.at[n - 1])
            n--;
        int32_t before = n ? tl.off[n - 1] : tz->off0;
        if (tl.off[i] == before)
            continue;
        tl.at[n] = tl.at[i];
        tl.off[n] = tl.off[i];
        n++;
    }
    tz->n = n;
    tz->at = vsp_xmalloc((n ? n : 1) * sizeof *tz->at);
    tz->key = vsp_xmalloc((n ? n : 1) * sizeof *tz->key);
    tz->off = vsp_xmalloc((n ? n : 1) * sizeof *tz->off);
    for (size_t i = 0; i < n; i++) {
        int32_t before = i ? tl.off[i - 1] : tz->off0;
        tz->at[i] = tl.at[i];
        tz->off[i] = tl.off[i];
        /* Local times in a spring-forward gap keep the offset before it; in
         * an autumn overlap, the first reading: either way the new offset
         * applies from the later of the two local readings of the instant. */
        int64_t k = sat_add(tl.at[i], before > tl.off[i] ? before : tl.off[i]);
        tz->key[i] = (i && k < tz->key[i - 1]) ? tz->key[i - 1] : k;
    }
out:
    free(tl.at);
    free(tl.off);
    return why;
}

static bool tz_name_ok(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n > 255 || name[0] == '/' || strstr(name, ".."))
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = name[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '+' || c == '-' || c == '/'))
            return false;
    }
    return true;
}

#define TZIF_MAX_BYTES (1024 * 1024)

vsp_tz *vsp_tz_new(const char *iana_name, vsp_error *err)
{
    vsp_tz *result = NULL, *tz = NULL;
    char *path = NULL;
    unsigned char *buf = NULL;
    FILE *fp = NULL;
    char shown[64];

    if (!iana_name)
        iana_name = "";
    echo_text(shown, sizeof shown, iana_name, strlen(iana_name));
    if (!tz_name_ok(iana_name)) {
        vsp_error_set(err, VSP_ECONFIG,
                      "time zone '%s': not a valid zone name (use an IANA name such as "
                      "Europe/Belgrade: letters, digits and _+-/ only)",
                      shown);
        goto out;
    }
    const char *dir = getenv("TZDIR");
    if (!dir || !*dir)
        dir = "/usr/share/zoneinfo";
    path = vsp_xasprintf("%s/%s", dir, iana_name);

    tz = vsp_xcalloc(1, sizeof *tz);
    tz->name = vsp_xstrdup(iana_name);
    tz->id = atomic_fetch_add(&tz_next_id, 1);

    fp = fopen(path, "rb");
    if (!fp) {
        if (strcmp(iana_name, "UTC") == 0 || strcmp(iana_name, "Etc/UTC") == 0) {
            tz->at = vsp_xmalloc(sizeof *tz->at);
            tz->key = vsp_xmalloc(sizeof *tz->key);
            tz->off = vsp_xmalloc(sizeof *tz->off);
            result = tz;
            tz = NULL;
            goto out;
        }
        vsp_error_set(err, VSP_ECONFIG,
                      "unknown time zone '%s' (no file %s); use an IANA name such as "
                      "Europe/Belgrade, and install tzdata",
                      shown, path);
        goto out;
    }
    buf = vsp_xmalloc(TZIF_MAX_BYTES + 1);
    size_t len = fread(buf, 1, TZIF_MAX_BYTES + 1, fp);
    if (ferror(fp) || len > TZIF_MAX_BYTES) {
        vsp_error_set(err, VSP_ECONFIG, "time zone '%s': %s is not a time zone file", shown,
                      path);
        goto out;
    }
    const char *why = tzif_parse(tz, buf, len);
    if (why) {
        vsp_error_set(err, VSP_ECONFIG, "time zone '%s': %s: %s", shown, path, why);
        goto out;
    }
    result = tz;
    tz = NULL;
out:
    if (fp)
        fclose(fp);
    free(buf);
    free(path);
    vsp_tz_free(tz);
    return result;
}

/* ---- date formats -------------------------------------------------------- */

enum fmt_kind { FMT_PATTERN, FMT_EXCEL, FMT_ISO };
enum tok_kind { TK_LIT, TK_SPACE, TK_DAY, TK_MONTH, TK_YEAR, TK_HOUR, TK_MIN, TK_SEC };

typedef struct fmt_tok {
    unsigned char kind;
    char lit;
} fmt_tok;

typedef struct fmt_one {
    enum fmt_kind kind;
    vsp_time_prec prec;
    fmt_tok *toks;
    size_t ntok;
} fmt_one;

struct vsp_datefmt {
    fmt_one *v;
    size_t n;
    char *spec; /* formats joined by " | " */
};

#define FMT_MAX_LEN 200

void vsp_datefmt_free(vsp_datefmt *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->n; i++)
        free(f->v[i].toks);
    free(f->v);
    free(f->spec);
    free(f);
}

const char *vsp_datefmt_spec(const vsp_datefmt *f)
{
    return f ? f->spec : "";
}

static bool is_sp(char c)
{
    return c == ' ' || c == '\t';
}

/* Compile one format text[0..len); false with the reason in why if bad. */
static bool fmt_compile(const char *text, size_t len, fmt_one *out, char *why, size_t why_size)
{
    memset(out, 0, sizeof *out);
    if (len == 0) {
        snprintf(why, why_size, "empty format");
        return false;
    }
    if (len > FMT_MAX_LEN) {
        snprintf(why, why_size, "format longer than %d bytes", FMT_MAX_LEN);
        return false;
    }
    char low[16];
    if (len < sizeof low) {
        for (size_t i = 0; i < len; i++)
            low[i] = (text[i] >= 'A' && text[i] <= 'Z') ? (char)(text[i] + 32) : text[i];
        low[len] = '\0';
        if (strcmp(low, "excel") == 0 || strcmp(low, "iso8601") == 0) {
            out->kind = low[0] == 'e' ? FMT_EXCEL : FMT_ISO;
            out->prec = VSP_PREC_DATETIME; /* at most; the value decides */
            return true;
        }
    }
    out->kind = FMT_PATTERN;
    out->toks = vsp_xmalloc(len * sizeof *out->toks);
    int seen[8] = {0};
    for (size_t i = 0; i < len; i++) {
        fmt_tok t = {TK_LIT, text[i]};
        if (is_sp(text[i])) {
            while (i + 1 < len && is_sp(text[i + 1]))
                i++;
            t.kind = TK_SPACE;
        } else if (text[i] == '%') {
            if (i + 1 >= len) {
                snprintf(why, why_size, "lone %% at the end (write %%%% for a literal %%)");
                return false;
            }
            char c = text[++i];
            switch (c) {
            case 'd': t.kind = TK_DAY; break;
            case 'm': t.kind = TK_MONTH; break;
            case 'Y': t.kind = TK_YEAR; break;
            case 'H': t.kind = TK_HOUR; break;
            case 'M': t.kind = TK_MIN; break;
            case 'S': t.kind = TK_SEC; break;
            case '%': t.lit = '%'; break;
            default:
                if ((unsigned char)c >= 0x21 && (unsigned char)c < 0x7F)
                    snprintf(why, why_size, "unknown token %%%c (known: %%d %%m %%Y %%H %%M %%S %%%%)", c);
                else
                    snprintf(why, why_size, "unknown token after %% (known: %%d %%m %%Y %%H %%M %%S %%%%)");
                return false;
            }
            if (t.kind != TK_LIT && seen[t.kind]++) {
                snprintf(why, why_size, "%%%c appears twice", c);
                return false;
            }
        }
        out->toks[out->ntok++] = t;
    }
    if (!seen[TK_DAY] || !seen[TK_MONTH] || !seen[TK_YEAR]) {
        snprintf(why, why_size, "needs %%d, %%m and %%Y");
        return false;
    }
    if ((seen[TK_MIN] && !seen[TK_HOUR]) || (seen[TK_SEC] && !seen[TK_MIN])) {
        snprintf(why, why_size, "%%M needs %%H and %%S needs %%M");
        return false;
    }
    out->prec = seen[TK_HOUR] ? VSP_PREC_DATETIME : VSP_PREC_DATE;
    return true;
}

vsp_datefmt *vsp_datefmt_new(const char *spec, vsp_error *err)
{
    vsp_datefmt *result = NULL;
    vsp_datefmt *f = vsp_xcalloc(1, sizeof *f);
    vsp_buf joined;
    vsp_buf_init(&joined);
    if (!spec)
        spec = "";
    size_t cap = 1;
    for (const char *q = spec; *q; q++)
        cap += *q == '|';
    f->v = vsp_xcalloc(cap, sizeof *f->v);

    const char *p = spec;
    for (size_t k = 1;; k++) {
        const char *bar = strchr(p, '|');
        size_t flen = bar ? (size_t)(bar - p) : strlen(p);
        const char *b = p, *e = p + flen;
        while (b < e && is_sp(*b))
            b++;
        while (e > b && is_sp(e[-1]))
            e--;
        char why[160];
        if (!fmt_compile(b, (size_t)(e - b), &f->v[f->n], why, sizeof why)) {
            char shown[64];
            echo_text(shown, sizeof shown, b, (size_t)(e - b));
            free(f->v[f->n].toks);
            vsp_error_set(err, VSP_ECONFIG, "date format %zu '%s' of \"%.200s\": %s", k, shown,
                          spec, why);
            goto out;
        }
        f->n++;
        if (joined.len)
            vsp_buf_puts(&joined, " | ");
        vsp_buf_append(&joined, b, (size_t)(e - b));
        if (!bar)
            break;
        p = bar + 1;
    }
    f->spec = joined.data ? joined.data : vsp_xstrdup("");
    vsp_buf_init(&joined);
    result = f;
    f = NULL;
out:
    vsp_buf_fini(&joined);
    vsp_datefmt_free(f);
    return result;
}

/* -- parsing -- */

/* Outcomes, worst to best; a failed parse reports the best one seen. */
enum parse_res { PR_NOMATCH = 0, PR_BADYEAR, PR_BADTIME, PR_BADDATE, PR_OK };

typedef struct fields {
    int y, mo, d, h, mi, s;
    bool has_off;
    int32_t off;
} fields;

static enum parse_res fields_check(const fields *fl)
{
    if (fl->mo < 1 || fl->mo > 12 || fl->d < 1 || fl->d > days_in_month(fl->y, fl->mo))
        return PR_BADDATE;
    if (fl->h > 23 || fl->mi > 59 || fl->s > 59)
        return PR_BADTIME;
    if (fl->y < 1900 || fl->y > 2199)
        return PR_BADYEAR;
    return PR_OK;
}

static bool is_dig(char c)
{
    return c >= '0' && c <= '9';
}

/* Exactly n digits at s[*pos..]. */
static bool take_digits(const char *s, size_t len, size_t *pos, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (*pos >= len || !is_dig(s[*pos]))
            return false;
        v = v * 10 + (s[(*pos)++] - '0');
    }
    *out = v;
    return true;
}

static enum parse_res best_of(enum parse_res a, enum parse_res b)
{
    return a > b ? a : b;
}

static enum parse_res match_pattern(const fmt_one *f, size_t ti, const char *s, size_t len,
                                    size_t pos, fields *fl)
{
    for (; ti < f->ntok; ti++) {
        const fmt_tok *t = &f->toks[ti];
        int *dst = NULL;
        switch (t->kind) {
        case TK_LIT:
            if (pos >= len || s[pos] != t->lit)
                return PR_NOMATCH;
            pos++;
            break;
        case TK_SPACE:
            if (pos >= len || !is_sp(s[pos]))
                return PR_NOMATCH;
            while (pos < len && is_sp(s[pos]))
                pos++;
            break;
        case TK_YEAR:
            if (!take_digits(s, len, &pos, 4, &fl->y))
                return PR_NOMATCH;
            break;
        case TK_MIN:
            if (!take_digits(s, len, &pos, 2, &fl->mi))
                return PR_NOMATCH;
            break;
        case TK_SEC:
            if (!take_digits(s, len, &pos, 2, &fl->s))
                return PR_NOMATCH;
            break;
        default: { /* 1 or 2 digits: try the longer reading first */
            dst = t->kind == TK_DAY ? &fl->d : t->kind == TK_MONTH ? &fl->mo : &fl->h;
            int nd = 0;
            while (nd < 2 && pos + (size_t)nd < len && is_dig(s[pos + (size_t)nd]))
                nd++;
            enum parse_res best = PR_NOMATCH;
            for (int w = nd; w >= 1; w--) {
                size_t p2 = pos;
                if (!take_digits(s, len, &p2, w, dst))
                    return PR_NOMATCH;
                enum parse_res r = match_pattern(f, ti + 1, s, len, p2, fl);
                if (r == PR_OK)
                    return r;
                best = best_of(best, r);
            }
            return best;
        }
        }
    }
    return pos == len ? fields_check(fl) : PR_NOMATCH;
}

static enum parse_res match_iso(const char *s, size_t len, fields *fl, vsp_time_prec *prec)
{
    size_t pos = 0;
    if (!take_digits(s, len, &pos, 4, &fl->y) || pos >= len || s[pos++] != '-' ||
        !take_digits(s, len, &pos, 2, &fl->mo) || pos >= len || s[pos++] != '-' ||
        !take_digits(s, len, &pos, 2, &fl->d))
        return PR_NOMATCH;
    if (pos == len) {
        *prec = VSP_PREC_DATE;
        return fields_check(fl);
    }
    if (s[pos] == 'T' || s[pos] == 't')
        pos++;
    else if (is_sp(s[pos]))
        while (pos < len && is_sp(s[pos]))
            pos++;
    else
        return PR_NOMATCH;
    if (!take_digits(s, len, &pos, 2, &fl->h) || pos >= len || s[pos++] != ':' ||
        !take_digits(s, len, &pos, 2, &fl->mi))
        return PR_NOMATCH;
    if (pos < len && s[pos] == ':') {
        pos++;
        if (!take_digits(s, len, &pos, 2, &fl->s))
            return PR_NOMATCH;
        if (pos < len && (s[pos] == '.' || s[pos] == ',')) {
            pos++;
            if (pos >= len || !is_dig(s[pos]))
                return PR_NOMATCH;
            while (pos < len && is_dig(s[pos]))
                pos++; /* truncated */
        }
    }
    if (pos < len && (s[pos] == 'Z' || s[pos] == 'z')) {
        fl->has_off = true;
        fl->off = 0;
        pos++;
    } else if (pos < len && (s[pos] == '+' || s[pos] == '-')) {
        int sign = s[pos++] == '-' ? -1 : 1, oh, om = 0;
        if (!take_digits(s, len, &pos, 2, &oh))
            return PR_NOMATCH;
        if (pos < len && s[pos] == ':') {
            pos++;
            if (!take_digits(s, len, &pos, 2, &om))
                return PR_NOMATCH;
        } else if (pos < len && !take_digits(s, len, &pos, 2, &om)) {
            return PR_NOMATCH;
        }
        if (oh > 23 || om > 59)
            return PR_BADTIME;
        fl->has_off = true;
        fl->off = sign * (oh * 3600 + om * 60);
    }
    if (pos != len)
        return PR_NOMATCH;
    *prec = VSP_PREC_DATETIME;
    return fields_check(fl);
}

/* Excel 1900 date system: serial 1 = 1900-01-01, 60 = the nonexistent
 * 1900-02-29, 61 = 1900-03-01, 25569 = 1970-01-01. */
static enum parse_res match_excel(const char *s, size_t len, fields *fl, vsp_time_prec *prec)
{
    size_t pos = 0;
    int64_t serial = 0;
    while (pos < len && is_dig(s[pos]) && pos < 7)
        serial = serial * 10 + (s[pos++] - '0');
    if (pos == 0 || (pos < len && is_dig(s[pos])))
        return PR_NOMATCH;
    uint64_t num = 0, den = 1;
    bool frac = false;
    if (pos < len && (s[pos] == '.' || s[pos] == ',')) {
        pos++;
        if (pos >= len)
            return PR_NOMATCH;
        for (int k = 0; pos < len && is_dig(s[pos]); pos++, k++) {
            if (k < 14) {
                num = num * 10 + (uint64_t)(s[pos] - '0');
                den *= 10;
            }
            frac = frac || s[pos] != '0';
        }
    }
    if (pos != len)
        return PR_NOMATCH;
    if (serial == 0 || serial == 60)
        return PR_BADDATE;
    int64_t days = serial - (serial < 60 ? 25568 : 25569);
    int64_t secs = (int64_t)((num * SECS_PER_DAY + den / 2) / den);
    if (secs >= SECS_PER_DAY) {
        days++;
        secs -= SECS_PER_DAY;
    }
    int64_t y;
    civil_from_days(days, &y, &fl->mo, &fl->d);
    fl->y = (int)y;
    fl->h = (int)(secs / 3600);
    fl->mi = (int)(secs / 60 % 60);
    fl->s = (int)(secs % 60);
    *prec = frac ? VSP_PREC_DATETIME : VSP_PREC_DATE;
    return fields_check(fl);
}

bool vsp_datefmt_parse(const vsp_datefmt *f, const vsp_tz *tz, const char *s, size_t len,
                       vsp_timestamp *out, char *why, size_t why_size)
{
    if (why && why_size)
        why[0] = '\0';
    if (out)
        *out = (vsp_timestamp){0, 0, VSP_PREC_NONE};
    if (!s)
        len = 0;
    if (len)
        s = vsp_trim(s, len, &len);
    if (len == 0) {
        if (why && why_size)
            snprintf(why, why_size, "empty date");
        return false;
    }
    enum parse_res best = PR_NOMATCH;
    for (size_t i = 0; f && i < f->n; i++) {
        const fmt_one *fo = &f->v[i];
        fields fl = {0, 0, 0, 0, 0, 0, false, 0};
        vsp_time_prec prec = fo->prec;
        enum parse_res r;
        if (fo->kind == FMT_EXCEL)
            r = match_excel(s, len, &fl, &prec);
        else if (fo->kind == FMT_ISO)
            r = match_iso(s, len, &fl, &prec);
        else
            r = match_pattern(fo, 0, s, len, 0, &fl);
        if (r != PR_OK) {
            best = best_of(best, r);
            continue;
        }
        vsp_timestamp ts;
        ts.prec = prec;
        if (fl.has_off) {
            int64_t local = days_from_civil(fl.y, fl.mo, fl.d) * SECS_PER_DAY + fl.h * 3600 +
                            fl.mi * 60 + fl.s;
            ts.utc = local - fl.off;
            ts.local_day = vsp_tz_local_day(tz, ts.utc, NULL);
        } else {
            ts.utc = vsp_tz_local_to_utc(tz, fl.y, fl.mo, fl.d, fl.h, fl.mi, fl.s);
            ts.local_day = fl.y * 10000 + fl.mo * 100 + fl.d;
        }
        if (out)
            *out = ts;
        return true;
    }
    if (why && why_size) {
        char shown[64];
        echo_text(shown, sizeof shown, s, len);
        switch (best) {
        case PR_BADDATE: snprintf(why, why_size, "no such date: %s", shown); break;
        case PR_BADTIME: snprintf(why, why_size, "no such time of day: %s", shown); break;
        case PR_BADYEAR:
            snprintf(why, why_size, "year outside 1900..2199: %s", shown);
            break;
        default:
            snprintf(why, why_size, "does not match any of: %s", f ? f->spec : "(no formats)");
            break;
        }
    }
    return false;
}
