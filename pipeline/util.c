#include "pipeline/util.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void out_of_memory(size_t size)
{
    fprintf(stderr, "vspreport: out of memory (asked for %zu bytes)\n", size);
    abort();
}

void *vsp_xmalloc(size_t size)
{
    void *p = malloc(size ? size : 1);
    if (!p)
        out_of_memory(size);
    return p;
}

void *vsp_xcalloc(size_t count, size_t size)
{
    void *p = calloc(count ? count : 1, size ? size : 1);
    if (!p)
        out_of_memory(count * size);
    return p;
}

void *vsp_xrealloc(void *ptr, size_t size)
{
    void *p = realloc(ptr, size ? size : 1);
    if (!p)
        out_of_memory(size);
    return p;
}

char *vsp_xstrdup(const char *s)
{
    return vsp_xstrndup(s, strlen(s));
}

char *vsp_xstrndup(const char *s, size_t n)
{
    char *p = vsp_xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *vsp_xasprintf(const char *fmt, ...)
{
    if (!fmt) /* never, but it keeps GCC's -Wformat-truncation quiet under UBSan */
        fmt = "";
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        out_of_memory(0);
    char *p = vsp_xmalloc((size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

void vsp_buf_init(vsp_buf *b)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
}

void vsp_buf_fini(vsp_buf *b)
{
    free(b->data);
    vsp_buf_init(b);
}

void vsp_buf_clear(vsp_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

static void buf_reserve(vsp_buf *b, size_t extra)
{
    if (b->len + extra + 1 <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + extra + 1)
        cap *= 2;
    b->data = vsp_xrealloc(b->data, cap);
    b->cap = cap;
}

void vsp_buf_append(vsp_buf *b, const void *data, size_t len)
{
    buf_reserve(b, len);
    if (len)
        memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
}

bool vsp_buf_append_file(vsp_buf *b, const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return false;
    char chunk[65536];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, fp)) > 0)
        vsp_buf_append(b, chunk, got);
    int bad = ferror(fp) ? (errno ? errno : EIO) : 0;
    fclose(fp);
    if (bad)
        errno = bad;
    return !bad;
}

void vsp_buf_puts(vsp_buf *b, const char *s)
{
    vsp_buf_append(b, s, strlen(s));
}

void vsp_buf_putc(vsp_buf *b, char c)
{
    vsp_buf_append(b, &c, 1);
}

void vsp_buf_printf(vsp_buf *b, const char *fmt, ...)
{
    if (!fmt) /* never, but it keeps GCC's -Wformat-truncation quiet under UBSan */
        fmt = "";
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    buf_reserve(b, (size_t)n);
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

bool vsp_ascii_iequal(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        int ca = (unsigned char)*a, cb = (unsigned char)*b;
        if (ca >= 'A' && ca <= 'Z')
            ca += 'a' - 'A';
        if (cb >= 'A' && cb <= 'Z')
            cb += 'a' - 'A';
        if (ca != cb)
            return false;
    }
    return *a == *b;
}

static size_t space_len(const char *s, size_t len)
{
    if (len >= 1 && (s[0] == ' ' || s[0] == '\t' || s[0] == '\r' || s[0] == '\n'))
        return 1;
    if (len >= 2 && (unsigned char)s[0] == 0xC2 && (unsigned char)s[1] == 0xA0)
        return 2;
    return 0;
}

static size_t space_len_back(const char *s, size_t len)
{
    if (len >= 1 && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r' ||
                     s[len - 1] == '\n'))
        return 1;
    if (len >= 2 && (unsigned char)s[len - 2] == 0xC2 && (unsigned char)s[len - 1] == 0xA0)
        return 2;
    return 0;
}

const char *vsp_trim(const char *s, size_t len, size_t *out_len)
{
    size_t k;
    while ((k = space_len(s, len)) > 0) {
        s += k;
        len -= k;
    }
    while ((k = space_len_back(s, len)) > 0)
        len -= k;
    *out_len = len;
    return s;
}

const char *vsp_basename(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

vsp_status vsp_source_time(time_t *out, vsp_error *err)
{
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    if (!sde || !sde[0]) {
        *out = time(NULL);
        return VSP_OK;
    }
    const char *p = sde;
    long long v = 0;
    bool ok = *p != '\0';
    for (; ok && *p; p++) {
        if (*p < '0' || *p > '9' || v > 253402300799LL / 10) {
            ok = false;
            break;
        }
        v = v * 10 + (*p - '0');
    }
    if (!ok || v > 253402300799LL) { /* up to 9999-12-31T23:59:59Z */
        *out = time(NULL);
        return vsp_error_set(err, VSP_EUSAGE,
                             "SOURCE_DATE_EPOCH='%.40s' is not a whole number of seconds since "
                             "1970-01-01 (0 to 253402300799); unset it, or set it to one such as "
                             "%lld for the time now",
                             sde, (long long)time(NULL));
    }
    *out = (time_t)v;
    return VSP_OK;
}

vsp_status vsp_source_time_iso(char buf[32], vsp_error *err)
{
    time_t t;
    vsp_status st = vsp_source_time(&t, err);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return st;
}

#ifndef VSP_DATADIR
#define VSP_DATADIR "/usr/local/share/vspreport"
#endif
#ifndef VSP_DATADIR_FROM_BINDIR
#define VSP_DATADIR_FROM_BINDIR "../share/vspreport"
#endif

static bool is_dir_path(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}

char *vsp_data_path(const char *sub)
{
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            const char *rel[] = {VSP_DATADIR_FROM_BINDIR, "vspreport-data"};
            for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++) {
                char *p = vsp_xasprintf("%s/%s/%s", exe, rel[i], sub);
                if (is_dir_path(p))
                    return p;
                free(p);
            }
        }
    }
    return vsp_xasprintf("%s/%s", VSP_DATADIR, sub);
}

static bool csv_is_number(const char *s)
{
    if (*s == '-' || *s == '+')
        s++;
    bool digits = false;
    for (; *s >= '0' && *s <= '9'; s++)
        digits = true;
    if (*s == '.')
        for (s++; *s >= '0' && *s <= '9'; s++)
            digits = true;
    return digits && *s == '\0';
}

void vsp_buf_csv_field(vsp_buf *b, const char *s)
{
    bool formula = s[0] && strchr("=+-@\t\r", s[0]) && !csv_is_number(s);
    bool quote = formula || strpbrk(s, ",\"\r\n") != NULL;
    if (quote)
        vsp_buf_putc(b, '"');
    if (formula)
        vsp_buf_putc(b, '\'');
    for (; *s; s++) {
        if (*s == '"')
            vsp_buf_putc(b, '"');
        vsp_buf_putc(b, *s);
    }
    if (quote)
        vsp_buf_putc(b, '"');
}
