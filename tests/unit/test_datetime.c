/* test_datetime.c — time zones against glibc, DST edges worked by hand,
 * and the date formats as a table: input beside expected output.
 *
 * Expected Unix seconds in the tables were computed with GNU date, e.g.
 *   date -u -d '2026-08-14 22:00 UTC' +%s   ->  1786744800
 * and the glibc comparisons use setenv("TZ") + localtime_r/mktime, which the
 * library itself never does. */
#include "pipeline/datetime.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "tests/unit/harness.h"

#define DATE VSP_PREC_DATE
#define DTIME VSP_PREC_DATETIME
#define BEL "Europe/Belgrade"

/* ---- an independent civil-time reference: day counts by plain loops --- */

static int ref_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int64_t ref_year_days[3000]; /* days from 1970-01-01 to Jan 1 of year 0..2999 */

static void ref_init(void)
{
    int64_t d = 0;
    for (int y = 1970; y < 3000; y++) {
        ref_year_days[y] = d;
        d += ref_leap(y) ? 366 : 365;
    }
    d = 0;
    for (int y = 1969; y >= 0; y--) {
        d -= ref_leap(y) ? 366 : 365;
        ref_year_days[y] = d;
    }
}

static int64_t ref_timegm(int y, int mo, int d, int h, int mi, int s)
{
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int64_t days = ref_year_days[y];
    for (int m = 1; m < mo; m++)
        days += mdays[m - 1] + (m == 2 && ref_leap(y));
    days += d - 1;
    return days * 86400 + h * 3600 + mi * 60 + s;
}

static void glibc_zone(const char *zone)
{
    setenv("TZ", zone, 1);
    tzset();
}

/* glibc's local reading of u: offset, YYYYMMDD and seconds of the day. */
static int glibc_offset(int64_t u, int32_t *day, int *sod)
{
    time_t t = (time_t)u;
    struct tm tm;
    localtime_r(&t, &tm);
    if (day)
        *day = (tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
    if (sod)
        *sod = tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec;
    return (int)(ref_timegm(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                            tm.tm_min, tm.tm_sec) -
                 u);
}

/* What vsp_tz_local_to_utc should give for local time L (as if UTC),
 * worked out from glibc's offsets: the instants L - off that read back as
 * L; none = gap (use the offset before it), two = overlap (the first). */
static int64_t expected_local_to_utc(int64_t L)
{
    int off1 = glibc_offset(L - 86400, NULL, NULL);
    int off2 = glibc_offset(L + 86400, NULL, NULL);
    int64_t c1 = L - off1, c2 = L - off2;
    int ok1 = glibc_offset(c1, NULL, NULL) == off1;
    int ok2 = glibc_offset(c2, NULL, NULL) == off2;
    if (ok1 && ok2)
        return c1 < c2 ? c1 : c2;
    if (ok1)
        return c1;
    if (ok2)
        return c2;
    return c1;
}

static uint64_t rng_state = 0x9E3779B97F4A7C15u;

static uint64_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

static void split_local(int64_t L, int *y, int *mo, int *d, int *h, int *mi, int *s)
{
    int64_t days = L >= 0 ? L / 86400 : -((-L + 86399) / 86400);
    int64_t sod = L - days * 86400;
    int yy = 1970;
    while (ref_year_days[yy + 1] <= days)
        yy++;
    while (ref_year_days[yy] > days)
        yy--;
    int64_t rest = days - ref_year_days[yy];
    int m = 1;
    for (;; m++) {
        int dim = (int)(ref_timegm(m == 12 ? yy + 1 : yy, m == 12 ? 1 : m + 1, 1, 0, 0, 0) -
                        ref_timegm(yy, m, 1, 0, 0, 0)) /
                  86400;
        if (rest < dim)
            break;
        rest -= dim;
    }
    *y = yy;
    *mo = m;
    *d = (int)rest + 1;
    *h = (int)(sod / 3600);
    *mi = (int)(sod / 60 % 60);
    *s = (int)(sod % 60);
}

static int mismatches_reported;

static void check_utc_to_local(const vsp_tz *tz, const char *zone, int64_t u)
{
    int32_t gday;
    int gsod, sod = -1;
    glibc_offset(u, &gday, &gsod);
    int32_t day = vsp_tz_local_day(tz, u, &sod);
    harness_checks++;
    if (day != gday || sod != gsod) {
        harness_failures++;
        if (mismatches_reported++ < 20)
            fprintf(stderr, "%s: utc %lld -> %d %d, glibc %d %d\n", zone, (long long)u,
                    (int)day, sod, (int)gday, gsod);
    }
}

static void check_local_to_utc(const vsp_tz *tz, const char *zone, int64_t L)
{
    int y, mo, d, h, mi, s;
    split_local(L, &y, &mo, &d, &h, &mi, &s);
    int64_t want = expected_local_to_utc(L);
    int64_t got = vsp_tz_local_to_utc(tz, y, mo, d, h, mi, s);
    harness_checks++;
    if (got != want) {
        harness_failures++;
        if (mismatches_reported++ < 20)
            fprintf(stderr, "%s: local %04d-%02d-%02d %02d:%02d:%02d -> %lld, want %lld\n", zone,
                    y, mo, d, h, mi, s, (long long)got, (long long)want);
    }
}

/* Every step (an hour less a second, so the seconds drift) 1990..2040, each offset change to the
 * second with the local times around it, random local times, and the
 * far future where only the TZ footer rule speaks (2040..2600). */
static void compare_zone_with_glibc(const char *zone, int64_t step)
{
    vsp_error err;
    vsp_tz *tz = vsp_tz_new(zone, &err);
    CHECK(tz != NULL);
    if (!tz) {
        fprintf(stderr, "%s\n", err.msg);
        return;
    }
    glibc_zone(zone);
    int64_t from = ref_timegm(1990, 1, 1, 0, 0, 0), to = ref_timegm(2041, 1, 1, 0, 0, 0);
    int prev_off = glibc_offset(from, NULL, NULL);
    int transitions = 0;
    for (int64_t u = from; u < to; u += step) {
        check_utc_to_local(tz, zone, u);
        int off = glibc_offset(u, NULL, NULL);
        if (off == prev_off)
            continue;
        /* an offset change in (u - step, u]: find it to the second */
        int64_t lo = u - step, hi = u;
        while (hi - lo > 1) {
            int64_t mid = lo + (hi - lo) / 2;
            if (glibc_offset(mid, NULL, NULL) == prev_off)
                lo = mid;
            else
                hi = mid;
        }
        transitions++;
        for (int64_t k = hi - 2; k <= hi + 1; k++)
            check_utc_to_local(tz, zone, k);
        int64_t marks[] = {hi + prev_off, hi + off};
        for (int m = 0; m < 2; m++) {
            for (int64_t k = -2; k <= 1; k++)
                check_local_to_utc(tz, zone, marks[m] + k);
            check_local_to_utc(tz, zone, (marks[0] + marks[1]) / 2);
        }
        prev_off = off;
    }
    if (strncmp(zone, "Europe/", 7) == 0)
        CHECK(transitions > 60); /* 1990..2040 has ~100 changes in these zones */

    for (int i = 0; i < 5000; i++) {
        int64_t L = from + (int64_t)(rng() % (uint64_t)(to - from));
        check_local_to_utc(tz, zone, L);
        /* and mktime, away from DST changes */
        int y, mo, d, h, mi, s;
        split_local(L, &y, &mo, &d, &h, &mi, &s);
        if (glibc_offset(L - 86400, NULL, NULL) == glibc_offset(L + 86400, NULL, NULL)) {
            struct tm tm = {0};
            tm.tm_year = y - 1900;
            tm.tm_mon = mo - 1;
            tm.tm_mday = d;
            tm.tm_hour = h;
            tm.tm_min = mi;
            tm.tm_sec = s;
            tm.tm_isdst = -1;
            CHECK_INT(vsp_tz_local_to_utc(tz, y, mo, d, h, mi, s), (int64_t)mktime(&tm));
        }
    }
    int64_t far_to = ref_timegm(2600, 1, 1, 0, 0, 0);
    for (int i = 0; i < 3000; i++) {
        int64_t u = to + (int64_t)(rng() % (uint64_t)(far_to - to));
        check_utc_to_local(tz, zone, u);
        check_local_to_utc(tz, zone, u);
    }
    vsp_tz_free(tz);
}

static void test_against_glibc(void)
{
    static const char *zones[] = {
        "Europe/Tirane", "Europe/Belgrade", "Europe/Skopje", "Europe/Sarajevo",
        "Europe/Podgorica", "UTC",
        /* beyond the brief: negative DST in the rule (Dublin), southern
         * hemisphere, half and quarter hours, a zone that dropped DST */
        "Europe/Dublin", "Australia/Sydney", "America/St_Johns", "Pacific/Chatham",
        "America/Sao_Paulo", "America/New_York",
    };
    for (size_t i = 0; i < sizeof zones / sizeof zones[0]; i++)
        compare_zone_with_glibc(zones[i], i < 6 ? 3599 : 4 * 3599);
}

/* ---- DST edges in Europe/Belgrade, worked by hand ------------------------ */

static void test_belgrade_edges(void)
{
    vsp_error err;
    vsp_tz *tz = vsp_tz_new(BEL, &err);
    CHECK(tz != NULL);
    if (!tz)
        return;
    CHECK_STR(vsp_tz_name(tz), BEL);
    static const struct {
        int y, mo, d, h, mi;
        int64_t utc;
    } to_utc[] = {
        /* 2026-03-29: 02:00 CET jumps to 03:00 CEST at 01:00Z */
        {2026, 3, 29, 1, 59, 1774745940}, /* CET: 00:59Z */
        {2026, 3, 29, 2, 30, 1774747800}, /* in the gap, read as CET: 01:30Z = 03:30 CEST */
        {2026, 3, 29, 3, 0, 1774746000},  /* CEST: 01:00Z */
        /* 2026-10-25: 03:00 CEST falls back to 02:00 CET at 01:00Z */
        {2026, 10, 25, 1, 59, 1792886340}, /* CEST: 2026-10-24 23:59Z */
        {2026, 10, 25, 2, 30, 1792888200}, /* overlap, first (CEST) reading: 00:30Z */
        {2026, 10, 25, 3, 0, 1792893600},  /* CET: 02:00Z */
        /* normalisation: month 13 = January of the next year (CET) */
        {2025, 13, 15, 0, 0, 1768431600}, /* 2026-01-15 00:00 CET = 2026-01-14 23:00Z */
    };
    for (size_t i = 0; i < sizeof to_utc / sizeof to_utc[0]; i++)
        CHECK_INT(vsp_tz_local_to_utc(tz, to_utc[i].y, to_utc[i].mo, to_utc[i].d, to_utc[i].h,
                                      to_utc[i].mi, 0),
                  to_utc[i].utc);

    static const struct {
        int64_t utc;
        int32_t day;
        int sod;
        int32_t off;
    } to_local[] = {
        {1774745999, 20260329, 1 * 3600 + 59 * 60 + 59, 3600}, /* 00:59:59Z = 01:59:59 CET */
        {1774746000, 20260329, 3 * 3600, 7200},                /* 01:00Z   = 03:00 CEST */
        {1792888200, 20261025, 2 * 3600 + 30 * 60, 7200},      /* 00:30Z = 02:30 CEST, first */
        {1792891800, 20261025, 2 * 3600 + 30 * 60, 3600},      /* 01:30Z = 02:30 CET, second */
        {1792889999, 20261025, 2 * 3600 + 59 * 60 + 59, 7200}, /* 00:59:59Z = 02:59:59 CEST */
        {1792890000, 20261025, 2 * 3600, 3600},                /* 01:00Z = 02:00 CET */
        {1786744800, 20260815, 0, 7200},                       /* 2026-08-14 22:00Z = midnight */
        {1786744799, 20260814, 86399, 7200},
    };
    for (size_t i = 0; i < sizeof to_local / sizeof to_local[0]; i++) {
        int sod = -1;
        CHECK_INT(vsp_tz_local_day(tz, to_local[i].utc, &sod), to_local[i].day);
        CHECK_INT(sod, to_local[i].sod);
        CHECK_INT(vsp_tz_utc_offset(tz, to_local[i].utc), to_local[i].off);
    }
    CHECK_INT(vsp_tz_local_day(tz, 1786744800, NULL), 20260815);

    /* absurd inputs are clamped, never undefined */
    int sod;
    CHECK_INT(vsp_tz_local_day(tz, INT64_MAX, &sod) / 10000, 9999);
    CHECK_INT(vsp_tz_local_day(tz, INT64_MIN, &sod) / 10000, 1);
    CHECK(vsp_tz_local_to_utc(tz, 2147483647, 2147483647, 2147483647, 2147483647, 2147483647,
                              2147483647) > 0);
    CHECK(vsp_tz_local_to_utc(tz, -2147483647 - 1, -2147483647 - 1, -2147483647 - 1, -2147483647 - 1,
                              -2147483647 - 1, -2147483647 - 1) < 0);
    vsp_tz_free(tz);
    vsp_tz_free(NULL);
}

/* ---- zone names and files ------------------------------------------------ */

static void test_tz_errors(void)
{
    static const char *bad[] = {
        "Europe/Nowhere", "../etc/passwd", "/etc/localtime", "Europe/../UTC", "Europe/Bel grade",
        "", "Europe", "zone1970.tab", "Europe/Belgrade\n", "Europe\\Belgrade", "Évora",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        vsp_error err;
        vsp_error_clear(&err);
        vsp_tz *tz = vsp_tz_new(bad[i], &err);
        CHECK(tz == NULL);
        CHECK_INT(err.status, VSP_ECONFIG);
        CHECK(strstr(err.msg, "time zone") != NULL);
        vsp_tz_free(tz);
    }
    vsp_error err;
    CHECK(vsp_tz_new(NULL, &err) == NULL);
    CHECK(vsp_tz_new("Europe/Nowhere", NULL) == NULL); /* err may be NULL */
    vsp_tz_new("Europe/Nowhere", &err);
    CHECK(strstr(err.msg, "'Europe/Nowhere'") != NULL);
}

static const char *tmp_dir(void)
{
    static char dir[512];
    const char *base = getenv("VSP_TEST_TMP");
    if (base && *base) {
        mkdir(base, 0777);
        snprintf(dir, sizeof dir, "%s/datetime", base);
    } else {
        snprintf(dir, sizeof dir, "/tmp/vsp_test_datetime_%ld", (long)getpid());
    }
    mkdir(dir, 0777);
    return dir;
}

static void write_file(const char *path, const void *data, size_t len)
{
    FILE *fp = fopen(path, "wb");
    CHECK(fp != NULL);
    if (!fp)
        return;
    fwrite(data, 1, len, fp);
    fclose(fp);
}

static unsigned char *read_all(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    unsigned char *buf = malloc(1 << 20);
    *len = fread(buf, 1, 1 << 20, fp);
    fclose(fp);
    return buf;
}

static void put32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

/* A hand-made TZif header: version, then isut, isstd, leap, time, type, char counts. */
static size_t put_header(unsigned char *p, char version, uint32_t timecnt, uint32_t typecnt,
                         uint32_t charcnt)
{
    memset(p, 0, 44);
    memcpy(p, "TZif", 4);
    p[4] = (unsigned char)version;
    put32(p + 32, timecnt);
    put32(p + 36, typecnt);
    put32(p + 40, charcnt);
    return 44;
}

/* Slim and version-1 files made by hand, and every truncation and many
 * corruptions of a real file: errors, never crashes. */
static void test_tzif_files(void)
{
    const char *dir = tmp_dir();
    char path[600];
    unsigned char f[512];
    size_t n = 0;

    /* "Slim" EU zone: version 2, no transitions at all, one type (CET),
     * footer rule carries every DST change. */
    n += put_header(f + n, 0, 0, 1, 4); /* v1 block: '\0' version is overwritten below */
    f[4] = '2';
    put32(f + n, 3600), f[n + 4] = 0, f[n + 5] = 0, n += 6;
    memcpy(f + n, "CET", 4), n += 4;
    n += put_header(f + n, '2', 0, 1, 4);
    put32(f + n, 3600), f[n + 4] = 0, f[n + 5] = 0, n += 6;
    memcpy(f + n, "CET", 4), n += 4;
    const char *footer = "\nCET-1CEST,M3.5.0,M10.5.0/3\n";
    memcpy(f + n, footer, strlen(footer)), n += strlen(footer);
    snprintf(path, sizeof path, "%s/SlimEU", dir);
    write_file(path, f, n);

    /* Version 1 only: CET with one transition to CEST at 2026-03-29 01:00Z. */
    size_t m = 0;
    unsigned char g[128];
    m += put_header(g, 0, 1, 2, 10);
    put32(g + m, 1774746000), m += 4;
    g[m++] = 1;
    put32(g + m, 3600), g[m + 4] = 0, g[m + 5] = 0, m += 6;
    put32(g + m, 7200), g[m + 4] = 1, g[m + 5] = 4, m += 6;
    memcpy(g + m, "CET\0CEST\0\0", 10), m += 10;
    snprintf(path, sizeof path, "%s/OldV1", dir);
    write_file(path, g, m);

    setenv("TZDIR", dir, 1);
    vsp_error err;
    vsp_tz *slim = vsp_tz_new("SlimEU", &err);
    vsp_tz *v1 = vsp_tz_new("OldV1", &err);
    vsp_tz *utc = vsp_tz_new("UTC", &err); /* built in when the file is missing */
    unsetenv("TZDIR");
    CHECK(slim != NULL);
    CHECK(v1 != NULL);
    CHECK(utc != NULL);
    vsp_tz *fat = vsp_tz_new(BEL, &err);
    CHECK(fat != NULL);
    if (slim && fat) {
        /* Belgrade has kept the EU rule since 1996: slim and fat agree from 1997 on. */
        int64_t from = ref_timegm(1997, 1, 1, 0, 0, 0), to = ref_timegm(2500, 1, 1, 0, 0, 0);
        int differ = 0;
        for (int i = 0; i < 20000; i++) {
            int64_t u = from + (int64_t)(rng() % (uint64_t)(to - from));
            int s1, s2;
            differ += vsp_tz_local_day(slim, u, &s1) != vsp_tz_local_day(fat, u, &s2) || s1 != s2;
            int y, mo, d, h, mi, s;
            split_local(u, &y, &mo, &d, &h, &mi, &s);
            differ += vsp_tz_local_to_utc(slim, y, mo, d, h, mi, s) !=
                      vsp_tz_local_to_utc(fat, y, mo, d, h, mi, s);
        }
        CHECK_INT(differ, 0);
        CHECK_INT(vsp_tz_local_to_utc(slim, 2026, 3, 29, 2, 30, 0), 1774747800);
        CHECK_INT(vsp_tz_local_to_utc(slim, 2026, 10, 25, 2, 30, 0), 1792888200);
    }
    if (v1) {
        CHECK_INT(vsp_tz_utc_offset(v1, 1774745999), 3600);
        CHECK_INT(vsp_tz_utc_offset(v1, 1774746000), 7200);
        CHECK_INT(vsp_tz_utc_offset(v1, 1892746000), 7200); /* no footer: last type forever */
    }
    if (utc) {
        CHECK_INT(vsp_tz_local_to_utc(utc, 2026, 8, 15, 0, 0, 0), 1786752000);
        CHECK_INT(vsp_tz_local_day(utc, 1786752000, NULL), 20260815);
    }
    vsp_tz_free(slim);
    vsp_tz_free(v1);
    vsp_tz_free(utc);
    vsp_tz_free(fat);

    /* Truncations and corruptions of the real Belgrade file. */
    size_t len = 0;
    unsigned char *real = read_all("/usr/share/zoneinfo/Europe/Belgrade", &len);
    CHECK(real != NULL);
    if (!real)
        return;
    snprintf(path, sizeof path, "%s/Broken", dir);
    setenv("TZDIR", dir, 1);
    int loaded = 0;
    for (size_t cut = 0; cut < len; cut += 7) {
        write_file(path, real, cut);
        vsp_tz *tz = vsp_tz_new("Broken", &err);
        if (tz) {
            loaded++;
            vsp_tz_local_day(tz, 1786744800, NULL);
            vsp_tz_local_to_utc(tz, 2026, 8, 15, 0, 0, 0);
        } else {
            CHECK_INT(err.status, VSP_ECONFIG);
        }
        vsp_tz_free(tz);
    }
    unsigned char *copy = malloc(len);
    for (int round = 0; round < 1000; round++) {
        memcpy(copy, real, len);
        for (int k = 0; k < 4; k++)
            copy[rng() % len] = (unsigned char)rng();
        write_file(path, copy, len);
        vsp_tz *tz = vsp_tz_new("Broken", &err);
        if (tz) {
            for (int k = 0; k < 10; k++) {
                int64_t u = (int64_t)(rng() % 20000000000u) - 10000000000;
                vsp_tz_local_day(tz, u, NULL);
                vsp_tz_local_to_utc(tz, 1800 + (int)(rng() % 800), 1 + (int)(rng() % 12),
                                    1 + (int)(rng() % 28), (int)(rng() % 24), 0, 0);
            }
        }
        vsp_tz_free(tz);
    }
    unsetenv("TZDIR");
    free(copy);
    free(real);
    remove(path);
    (void)loaded;
}

/* ---- date formats ---------------------------------------------------------- */

/* Excel serials, worked by hand: serial 25569 is 1970-01-01 (70 years of
 * 365 days + 17 leap days 1904..1968 + 1899-12-30/31 = 25569), and
 * 2026-08-15 is Unix day 1786752000 / 86400 = 20680, so 2026-08-15 is
 * serial 25569 + 20680 = 46249; 365 days earlier, 45884 is 2025-08-15.
 * 0.604166667 d x 86400 = 52200.00003 s -> 14:30:00. */
static const struct parse_case {
    const char *zone, *spec, *in;
    int64_t utc;      /* expected, when ok */
    int32_t day;      /* expected local_day; 0 = the parse must fail */
    vsp_time_prec prec;
    const char *why;  /* expected start of the reason on failure */
} parse_cases[] = {
    /* zone  spec                        input                         utc          local_day  prec */
    {BEL, "%d.%m.%Y",                   "15.08.2026",                 1786744800, 20260815, DATE, 0},  /* 2026-08-14 22:00Z: CEST midnight */
    {BEL, "%d.%m.%Y.",                  "15.8.2026.",                 1786744800, 20260815, DATE, 0},
    {BEL, "%d.%m.%Y | %d.%m.%Y.",       "15.8.2026.",                 1786744800, 20260815, DATE, 0},  /* second format */
    {BEL, "%d/%m/%Y",                   "15/08/2026",                 1786744800, 20260815, DATE, 0},
    {BEL, "%d.%m.%Y",                   "15.01.2026",                 1768431600, 20260115, DATE, 0},  /* CET: 2026-01-14 23:00Z */
    {BEL, "%d.%m.%Y",                   "29.02.2024",                 1709161200, 20240229, DATE, 0},  /* leap year: 2024-02-28 23:00Z */
    {BEL, "%d.%m.%Y",                   "  15.08.2026\t",             1786744800, 20260815, DATE, 0},  /* spaces tolerated */
    {BEL, "%d.%m.%Y",                   "31.12.2199",                 7258028400, 21991231, DATE, 0},  /* last year allowed: 2199-12-30 23:00Z */
    {BEL, "%d.%m.%Y %H:%M",             "15.08.2026 14:30",           1786797000, 20260815, DTIME, 0}, /* 12:30Z */
    {BEL, "%d.%m.%Y %H:%M",             "15.08.2026    14:30",        1786797000, 20260815, DTIME, 0}, /* a space matches a run */
    {BEL, "%d.%m.%Y %H:%M:%S",          "15.08.2026 14:30:45",        1786797045, 20260815, DTIME, 0},
    {BEL, "%d.%m.%Y %H",                "15.08.2026 9",               1786777200, 20260815, DTIME, 0}, /* 07:00Z */
    {BEL, "%d.%m.%Y %H:%M",             "29.03.2026 02:30",           1774747800, 20260329, DTIME, 0}, /* DST gap -> 03:30 CEST */
    {BEL, "%d%m%Y",                     "15082026",                   1786744800, 20260815, DATE, 0},
    {BEL, "%d%m%Y",                     "1582026",                    1786744800, 20260815, DATE, 0},  /* 15|8|2026 after backtracking */
    {BEL, "%Y-%m-%d %%",                "2026-08-15 %",               1786744800, 20260815, DATE, 0},
    {BEL, "iso8601",                    "2026-08-15",                 1786744800, 20260815, DATE, 0},
    {BEL, "iso8601",                    "2026-08-15T14:30:00+02:00",  1786797000, 20260815, DTIME, 0},
    {BEL, "iso8601",                    "2026-08-15T12:30:00Z",       1786797000, 20260815, DTIME, 0},
    {BEL, "iso8601",                    "2026-08-15 14:30",           1786797000, 20260815, DTIME, 0}, /* local time */
    {BEL, "iso8601",                    "2026-08-15t12:30z",          1786797000, 20260815, DTIME, 0},
    {BEL, "iso8601",                    "2026-08-15T14:30+0200",      1786797000, 20260815, DTIME, 0},
    {BEL, "iso8601",                    "2026-08-15T14:30+02",        1786797000, 20260815, DTIME, 0},
    {BEL, "iso8601",                    "2026-08-15T14:30:00.999+02:00", 1786797000, 20260815, DTIME, 0}, /* fraction truncated */
    {BEL, "iso8601",                    "2026-08-15T14:30:00-05:00",  1786822200, 20260815, DTIME, 0}, /* 19:30Z = 21:30 CEST */
    {BEL, "iso8601",                    "2026-08-15T23:30:00Z",       1786836600, 20260816, DTIME, 0}, /* 01:30 CEST next day */
    {BEL, "iso8601",                    "2026-10-25T02:30:00+01:00",  1792891800, 20261025, DTIME, 0}, /* second 02:30 */
    {BEL, "excel",                      "46249",                      1786744800, 20260815, DATE, 0},
    {BEL, "excel",                      "46249.604166667",            1786797000, 20260815, DTIME, 0}, /* 14:30 local */
    {BEL, "EXCEL",                      "46249,5",                    1786788000, 20260815, DTIME, 0}, /* 12:00 CEST = 10:00Z */
    {BEL, "excel",                      "46249.0",                    1786744800, 20260815, DATE, 0},  /* all-zero fraction: a date */
    {BEL, "excel",                      "45884",                      1755208800, 20250815, DATE, 0},  /* 2025-08-14 22:00Z */
    {"UTC", "excel",                    "46249.99999999",             1786838400, 20260816, DTIME, 0}, /* 86399.999 s rounds to next midnight */
    {"UTC", "excel",                    "1",                         -2208988800, 19000101, DATE, 0},
    {"UTC", "excel",                    "59",                        -2203977600, 19000228, DATE, 0},
    {"UTC", "excel",                    "61",                        -2203891200, 19000301, DATE, 0},  /* after the fake 1900-02-29 */
    {BEL, "%d.%m.%Y | excel | iso8601", "2026-08-15T12:30:00Z",       1786797000, 20260815, DTIME, 0},
    /* failures: the reason names the problem */
    {BEL, "%d.%m.%Y",                   "31.02.2026",                 0, 0, 0, "no such date: 31.02.2026"},
    {BEL, "%d.%m.%Y",                   "29.02.2025",                 0, 0, 0, "no such date: 29.02.2025"},
    {BEL, "%d.%m.%Y",                   "32.01.2026",                 0, 0, 0, "no such date: 32.01.2026"},
    {BEL, "%d.%m.%Y",                   "15.13.2026",                 0, 0, 0, "no such date: 15.13.2026"},
    {BEL, "%d.%m.%Y",                   "00.08.2026",                 0, 0, 0, "no such date"},
    {BEL, "%d.%m.%Y",                   "32.01",                      0, 0, 0, "does not match any of: %d.%m.%Y"},
    {BEL, "%d.%m.%Y %H:%M",             "15.08.2026 24:00",           0, 0, 0, "no such time of day: 15.08.2026 24:00"},
    {BEL, "%d.%m.%Y %H:%M",             "15.08.2026 14:60",           0, 0, 0, "no such time of day"},
    {BEL, "%d.%m.%Y %H:%M:%S",          "15.08.2026 14:30:60",        0, 0, 0, "no such time of day"},
    {BEL, "%d.%m.%Y",                   "15.08.2026x",                0, 0, 0, "does not match any of: %d.%m.%Y"},
    {BEL, "%d.%m.%Y",                   "15.08.20266",                0, 0, 0, "does not match"},
    {BEL, "%d.%m.%Y",                   "15.8.2026.",                 0, 0, 0, "does not match"},
    {BEL, "%d.%m.%Y",                   "15.08.1899",                 0, 0, 0, "year outside 1900..2199: 15.08.1899"},
    {BEL, "%d.%m.%Y",                   "01.01.2200",                 0, 0, 0, "year outside"},
    {BEL, "%d.%m.%Y",                   "",                           0, 0, 0, "empty date"},
    {BEL, "%d.%m.%Y",                   " \t ",                       0, 0, 0, "empty date"},
    {BEL, "%d.%m.%Y",                   "\xEF\xBC\x91\xEF\xBC\x95.08.2026", 0, 0, 0, "does not match"}, /* fullwidth digits */
    {BEL, "%d.%m.%Y | excel",           "15-08-2026",                 0, 0, 0, "does not match any of: %d.%m.%Y | excel"},
    {BEL, "iso8601",                    "2026-8-15",                  0, 0, 0, "does not match"},
    {BEL, "iso8601",                    "2026-08-15T14:30:00+24:00",  0, 0, 0, "no such time of day"},
    {BEL, "iso8601",                    "2026-08-15T14:30:00+02:00x", 0, 0, 0, "does not match"},
    {BEL, "iso8601",                    "2026-08-15T",                0, 0, 0, "does not match"},
    {BEL, "iso8601",                    "2026-02-30",                 0, 0, 0, "no such date"},
    {BEL, "iso8601",                    "2026-08-15T24:00",           0, 0, 0, "no such time of day"},
    {"UTC", "excel",                    "60",                         0, 0, 0, "no such date: 60"},    /* the fake 1900-02-29 */
    {"UTC", "excel",                    "0",                          0, 0, 0, "no such date"},
    {BEL, "excel",                      "-1",                         0, 0, 0, "does not match"},
    {BEL, "excel",                      "1e5",                        0, 0, 0, "does not match"},
    {BEL, "excel",                      "46249.",                     0, 0, 0, "does not match"},
    {BEL, "excel",                      "110000",                     0, 0, 0, "year outside"},        /* serial in 2201 */
    {BEL, "excel",                      "12345678",                   0, 0, 0, "does not match"},
};

static void test_parse_table(void)
{
    for (size_t i = 0; i < sizeof parse_cases / sizeof parse_cases[0]; i++) {
        const struct parse_case *c = &parse_cases[i];
        vsp_error err;
        vsp_tz *tz = vsp_tz_new(c->zone, &err);
        vsp_datefmt *f = vsp_datefmt_new(c->spec, &err);
        CHECK(tz != NULL);
        CHECK(f != NULL);
        if (!tz || !f) {
            fprintf(stderr, "case %zu: %s\n", i, err.msg);
            vsp_tz_free(tz);
            vsp_datefmt_free(f);
            continue;
        }
        vsp_timestamp ts;
        char why[200];
        bool ok = vsp_datefmt_parse(f, tz, c->in, strlen(c->in), &ts, why, sizeof why);
        if (c->day) {
            if (!ok)
                fprintf(stderr, "case %zu '%s': %s\n", i, c->in, why);
            CHECK(ok);
            CHECK_INT(ts.utc, c->utc);
            CHECK_INT(ts.local_day, c->day);
            CHECK_INT(ts.prec, c->prec);
        } else {
            CHECK(!ok);
            CHECK_INT(ts.prec, VSP_PREC_NONE);
            if (strncmp(why, c->why, strlen(c->why)) != 0)
                fprintf(stderr, "case %zu '%s': why \"%s\", want \"%s...\"\n", i, c->in, why, c->why);
            CHECK(strncmp(why, c->why, strlen(c->why)) == 0);
        }
        vsp_datefmt_free(f);
        vsp_tz_free(tz);
    }
}

static void test_hostile_input(void)
{
    vsp_error err;
    vsp_tz *tz = vsp_tz_new(BEL, &err);
    vsp_datefmt *f = vsp_datefmt_new("%d.%m.%Y %H:%M | %d.%m.%Y | excel | iso8601", &err);
    CHECK(tz != NULL && f != NULL);
    if (!tz || !f)
        return;
    vsp_timestamp ts;
    char why[64];

    /* embedded NUL: the length counts, not the terminator */
    CHECK(!vsp_datefmt_parse(f, tz, "15.08\0.2026", 11, &ts, why, sizeof why));
    CHECK(!vsp_datefmt_parse(f, tz, "15.08.2026\0", 11, &ts, why, sizeof why));
    CHECK(vsp_datefmt_parse(f, tz, "15.08.2026\0garbage", 10, &ts, why, sizeof why));
    CHECK_INT(ts.utc, 1786744800);

    /* very long input: rejected, reason short and terminated */
    size_t n = 100000;
    char *big = malloc(n);
    memset(big, '1', n);
    CHECK(!vsp_datefmt_parse(f, tz, big, n, &ts, why, sizeof why));
    CHECK(strlen(why) < sizeof why);
    memcpy(big, "31.02.2026", 10);
    memset(big + 10, ' ', n - 10);
    CHECK(!vsp_datefmt_parse(f, tz, big, n, &ts, why, sizeof why)); /* trailing spaces trimmed */
    CHECK_STR(why, "no such date: 31.02.2026");
    free(big);

    /* a reason echoes control bytes as '?' and cuts long text */
    vsp_datefmt *g = vsp_datefmt_new("%d.%m.%Y", &err);
    char why2[200];
    CHECK(!vsp_datefmt_parse(g, tz, "31.02.2026", 10, &ts, why2, sizeof why2));
    CHECK(!vsp_datefmt_parse(g, tz, "31.02\x01""2026", 10, &ts, why2, sizeof why2));
    CHECK_STR(why2, "does not match any of: %d.%m.%Y");
    vsp_datefmt_free(g);

    /* NULL and tiny reason buffers */
    CHECK(!vsp_datefmt_parse(f, tz, NULL, 5, &ts, NULL, 0));
    CHECK(!vsp_datefmt_parse(f, tz, "x", 1, NULL, why, 1));
    CHECK_STR(why, "");
    CHECK(vsp_datefmt_parse(f, NULL, "2026-08-15", 10, &ts, NULL, 0)); /* tz NULL = UTC */
    CHECK_INT(ts.utc, 1786752000);

    /* random bytes from a small alphabet never crash */
    static const char alphabet[] = "0123456789.:-+/ TZz,%\0\xC2\xA0";
    char buf[40];
    int matched = 0;
    for (int i = 0; i < 200000; i++) {
        size_t len = rng() % sizeof buf;
        for (size_t k = 0; k < len; k++)
            buf[k] = alphabet[rng() % (sizeof alphabet - 1)];
        matched += vsp_datefmt_parse(f, tz, buf, len, &ts, why, sizeof why);
    }
    (void)matched;
    vsp_datefmt_free(f);
    vsp_tz_free(tz);
}

static void test_spec_errors(void)
{
    static const struct {
        const char *spec, *want;
    } cases[] = {
        {"%d.%q.%Y",               "date format 1 '%d.%q.%Y' of \"%d.%q.%Y\": unknown token %q"},
        {"",                       "date format 1 '' of \"\": empty format"},
        {"%d.%m.%Y | ",            "date format 2 '' of \"%d.%m.%Y | \": empty format"},
        {"%d.%m",                  "date format 1 '%d.%m' of \"%d.%m\": needs %d, %m and %Y"},
        {"%d.%m.%Y %M",            "date format 1 '%d.%m.%Y %M' of \"%d.%m.%Y %M\": %M needs %H and %S needs %M"},
        {"%d.%d.%m.%Y",            "date format 1 '%d.%d.%m.%Y' of \"%d.%d.%m.%Y\": %d appears twice"},
        {"%d.%m.%Y%",              "date format 1 '%d.%m.%Y%' of \"%d.%m.%Y%\": lone % at the end"},
        {"excel | %d.%m.%Y | xls", "date format 3 'xls' of \"excel | %d.%m.%Y | xls\": needs %d, %m and %Y"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        vsp_error err;
        vsp_error_clear(&err);
        vsp_datefmt *f = vsp_datefmt_new(cases[i].spec, &err);
        CHECK(f == NULL);
        CHECK_INT(err.status, VSP_ECONFIG);
        if (strncmp(err.msg, cases[i].want, strlen(cases[i].want)) != 0)
            fprintf(stderr, "spec \"%s\": got \"%s\"\n", cases[i].spec, err.msg);
        CHECK(strncmp(err.msg, cases[i].want, strlen(cases[i].want)) == 0);
    }
    vsp_error err;
    CHECK(vsp_datefmt_new(NULL, &err) == NULL);
    vsp_datefmt *f = vsp_datefmt_new("  %d.%m.%Y|excel  |  ISO8601 ", &err);
    CHECK(f != NULL);
    CHECK_STR(vsp_datefmt_spec(f), "%d.%m.%Y | excel | ISO8601");
    vsp_datefmt_free(f);
    vsp_datefmt_free(NULL);
}

int main(void)
{
    ref_init();
    RUN(test_parse_table);
    RUN(test_spec_errors);
    RUN(test_hostile_input);
    RUN(test_belgrade_edges);
    RUN(test_tz_errors);
    RUN(test_tzif_files);
    RUN(test_against_glibc);
    return harness_done();
}
