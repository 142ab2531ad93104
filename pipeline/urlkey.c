/* urlkey.c — canonical content keys from item URLs.  See urlkey.h. */
#include "pipeline/urlkey.h"

#include <stdbool.h>
#include <string.h>

typedef struct span {
    const char *p;
    size_t n;
} span;

static bool is_alpha(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static char lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c + ('a' - 'A')) : c;
}

static bool is_hex(char c)
{
    return is_digit(c) || (lower(c) >= 'a' && lower(c) <= 'f');
}

/* ASCII case-insensitive equality of a span and a lower-case literal. */
static bool span_is(span s, const char *lit)
{
    size_t n = strlen(lit);
    if (s.n != n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (lower(s.p[i]) != lit[i])
            return false;
    return true;
}

static bool span_has_prefix(span s, const char *lit)
{
    size_t n = strlen(lit);
    return s.n >= n && memcmp(s.p, lit, n) == 0;
}

static bool all_digits(span s, size_t max)
{
    if (s.n == 0 || s.n > max)
        return false;
    for (size_t i = 0; i < s.n; i++)
        if (!is_digit(s.p[i]))
            return false;
    return true;
}

/* Every byte in [A-Za-z0-9] or one of extra. */
static bool all_of(span s, const char *extra, size_t max)
{
    if (s.n == 0 || s.n > max)
        return false;
    for (size_t i = 0; i < s.n; i++) {
        char c = s.p[i];
        if (!is_alpha(c) && !is_digit(c) && (c == '\0' || !strchr(extra, c)))
            return false;
    }
    return true;
}

/* Append s, writing spaces, controls and non-ASCII bytes as %XX and
 * upper-casing the hex digits of existing escapes. */
static void put_escaped(vsp_buf *out, const char *s, size_t n)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t run = 0; /* start of the pending plain run */
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        bool plain = c > 0x20 && c < 0x7F;
        bool escape = c == '%' && i + 2 < n && is_hex(s[i + 1]) && is_hex(s[i + 2]);
        if (plain && !escape)
            continue;
        vsp_buf_append(out, s + run, i - run);
        if (escape) {
            char e[3] = {'%', s[i + 1], s[i + 2]};
            for (int k = 1; k < 3; k++)
                if (e[k] >= 'a' && e[k] <= 'f')
                    e[k] = (char)(e[k] - ('a' - 'A'));
            vsp_buf_append(out, e, 3);
            i += 2;
        } else {
            char e[3] = {'%', hex[c >> 4], hex[c & 15]};
            vsp_buf_append(out, e, 3);
        }
        run = i + 1;
    }
    vsp_buf_append(out, s + run, n - run);
}

static const char *raw_key(const char *s, size_t n, vsp_buf *out)
{
    vsp_buf_clear(out);
    vsp_buf_puts(out, "url:");
    put_escaped(out, s, n);
    return VSP_KIND_CONTENT;
}

static const char *tiktok_key(vsp_buf *out, const char *what, span id, bool lower_case)
{
    vsp_buf_clear(out);
    vsp_buf_puts(out, "tiktok:");
    vsp_buf_puts(out, what);
    vsp_buf_putc(out, ':');
    for (size_t i = 0; i < id.n; i++)
        vsp_buf_putc(out, lower_case ? lower(id.p[i]) : id.p[i]);
    return strcmp(what, "account") == 0 ? VSP_KIND_ACCOUNT : VSP_KIND_CONTENT;
}

#define MAX_SEGS 4
#define MAX_ID_DIGITS 30
#define MAX_CODE 64
#define MAX_HANDLE 64

/* TikTok paths; sub is the host part before "tiktok.com" ("www.", "vm.",
 * ""...).  NULL if the path is none of the known forms. */
static const char *tiktok_path(span sub, const span *seg, size_t nseg, vsp_buf *out)
{
    if (nseg >= 1) {
        span handle = {NULL, 0};
        if (seg[0].n >= 1 && seg[0].p[0] == '@')
            handle = (span){seg[0].p + 1, seg[0].n - 1};
        else if (seg[0].n >= 3 && seg[0].p[0] == '%' && seg[0].p[1] == '4' && seg[0].p[2] == '0')
            handle = (span){seg[0].p + 3, seg[0].n - 3};
        if (handle.p) {
            /* the ID alone names a video: any handle, even none ("/@/video/ID") */
            if (nseg == 1)
                return all_of(handle, "._", MAX_HANDLE) ? tiktok_key(out, "account", handle, true)
                                                        : NULL;
            if (nseg == 3 && (span_is(seg[1], "video") || span_is(seg[1], "photo")) &&
                all_digits(seg[2], MAX_ID_DIGITS))
                return tiktok_key(out, span_is(seg[1], "video") ? "video" : "photo", seg[2], false);
            return NULL;
        }
    }
    if (nseg == 2 && span_is(seg[0], "v")) { /* /v/ID or /v/ID.html */
        span id = seg[1];
        if (id.n > 5 && span_is((span){id.p + id.n - 5, 5}, ".html"))
            id.n -= 5;
        return all_digits(id, MAX_ID_DIGITS) ? tiktok_key(out, "video", id, false) : NULL;
    }
    if (nseg == 2 && (span_is(seg[0], "video") || span_is(seg[0], "photo")) &&
        all_digits(seg[1], MAX_ID_DIGITS))
        return tiktok_key(out, span_is(seg[0], "video") ? "video" : "photo", seg[1], false);
    if (nseg == 3 && span_is(seg[0], "share") && span_is(seg[1], "video") &&
        all_digits(seg[2], MAX_ID_DIGITS))
        return tiktok_key(out, "video", seg[2], false);
    if (span_is(seg[0], "embed")) { /* /embed/ID, /embed/v2/ID */
        if (nseg == 2 && all_digits(seg[1], MAX_ID_DIGITS))
            return tiktok_key(out, "video", seg[1], false);
        if (nseg == 3 && seg[1].n >= 2 && lower(seg[1].p[0]) == 'v' &&
            all_digits((span){seg[1].p + 1, seg[1].n - 1}, 3) && all_digits(seg[2], MAX_ID_DIGITS))
            return tiktok_key(out, "video", seg[2], false);
        return NULL;
    }
    if (nseg == 2 && span_is(seg[0], "t") && all_of(seg[1], "_-", MAX_CODE))
        return tiktok_key(out, "short", seg[1], false);
    if (nseg == 1 && (span_is(sub, "vm.") || span_is(sub, "vt.")) && all_of(seg[0], "_-", MAX_CODE))
        return tiktok_key(out, "short", seg[0], false);
    return NULL;
}

const char *vsp_content_key(const char *url, size_t len, vsp_buf *out)
{
    vsp_buf_clear(out);
    if (!url || len == 0)
        return NULL;
    size_t n;
    const char *s = vsp_trim(url, len, &n);
    if (n == 0)
        return NULL;

    /* scheme: [A-Za-z][A-Za-z0-9+.-]*:// or a protocol-relative // */
    size_t pos = 0;
    bool had_scheme = false;
    if (is_alpha(s[0])) {
        size_t i = 1;
        while (i < n && (is_alpha(s[i]) || is_digit(s[i]) || s[i] == '+' || s[i] == '.' || s[i] == '-'))
            i++;
        if (i + 2 < n && s[i] == ':' && s[i + 1] == '/' && s[i + 2] == '/') {
            pos = i + 3;
            had_scheme = true;
        }
    }
    if (!had_scheme && n >= 2 && s[0] == '/' && s[1] == '/') {
        pos = 2;
        had_scheme = true;
    }

    /* authority up to '/', '?' or '#'; the path up to '?' or '#' */
    size_t a0 = pos;
    while (pos < n && s[pos] != '/' && s[pos] != '?' && s[pos] != '#')
        pos++;
    span host = {s + a0, pos - a0};
    size_t p0 = pos;
    while (pos < n && s[pos] != '?' && s[pos] != '#')
        pos++;
    span path = {s + p0, pos - p0};

    /* user info (only after a scheme: "@handle" alone is not a host) and port */
    const char *at = NULL;
    for (size_t i = 0; i < host.n; i++)
        if (host.p[i] == '@')
            at = host.p + i;
    if (at) {
        if (!had_scheme)
            return raw_key(s, n, out);
        host.n -= (size_t)(at + 1 - host.p);
        host.p = at + 1;
    }
    span port = {NULL, 0};
    for (size_t i = host.n; i > 0; i--) {
        if (host.p[i - 1] == ':') {
            port = (span){host.p + i, host.n - i};
            host.n = i - 1;
            break;
        }
        if (!is_digit(host.p[i - 1]))
            break;
    }
    while (host.n > 0 && host.p[host.n - 1] == '.')
        host.n--;
    if (host.n == 0)
        return raw_key(s, n, out);
    for (size_t i = 0; i < host.n; i++) {
        unsigned char c = (unsigned char)host.p[i];
        if (!(is_alpha((char)c) || is_digit((char)c) || c == '-' || c == '.' || c == '_' || c >= 0x80))
            return raw_key(s, n, out);
    }

    /* host lower-cased, then TikTok's forms */
    char hbuf[256];
    if (host.n >= sizeof hbuf)
        return raw_key(s, n, out);
    for (size_t i = 0; i < host.n; i++)
        hbuf[i] = lower(host.p[i]);
    span lh = {hbuf, host.n};
    static const char tt[] = "tiktok.com";
    size_t ttn = sizeof tt - 1;
    if ((lh.n == ttn || (lh.n > ttn && lh.p[lh.n - ttn - 1] == '.')) &&
        memcmp(lh.p + lh.n - ttn, tt, ttn) == 0) {
        span seg[MAX_SEGS];
        size_t nseg = 0;
        for (size_t i = 0; i < path.n;) {
            while (i < path.n && path.p[i] == '/')
                i++;
            size_t b = i;
            while (i < path.n && path.p[i] != '/')
                i++;
            if (i > b) {
                if (nseg < MAX_SEGS)
                    seg[nseg] = (span){path.p + b, i - b};
                nseg++;
            }
        }
        if (nseg >= 1 && nseg <= MAX_SEGS) {
            const char *kind = tiktok_path((span){lh.p, lh.n - ttn}, seg, nseg, out);
            if (kind)
                return kind;
        }
    }

    /* anything else: url:host/path */
    if (span_has_prefix(lh, "www."))
        lh = (span){lh.p + 4, lh.n - 4};
    else if (span_has_prefix(lh, "m."))
        lh = (span){lh.p + 2, lh.n - 2};
    while (path.n > 0 && path.p[path.n - 1] == '/')
        path.n--;
    vsp_buf_clear(out);
    vsp_buf_puts(out, "url:");
    put_escaped(out, lh.p, lh.n);
    if (port.n > 0 && !(port.n == 2 && memcmp(port.p, "80", 2) == 0) &&
        !(port.n == 3 && memcmp(port.p, "443", 3) == 0)) {
        vsp_buf_putc(out, ':');
        vsp_buf_append(out, port.p, port.n);
    }
    put_escaped(out, path.p, path.n);
    return VSP_KIND_CONTENT;
}
