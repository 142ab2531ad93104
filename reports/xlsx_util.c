/* xlsx_util.c — text, sheet-name, file and locale helpers for XLSX outputs. */
#include "reports/xlsx_util.h"

#include "pipeline/encoding.h"

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <xlsxwriter.h>

/* ---- text ----------------------------------------------------------- */

size_t vsp_xlsx_utf16_len(const char *s)
{
    size_t n = 0;
    uint32_t cp;
    size_t used;
    while ((used = vsp_utf8_next(s, &cp)) > 0) {
        n += cp >= 0x10000 ? 2 : 1;
        s += used;
    }
    return n;
}

uint32_t vsp_xlsx_casefold_cp(uint32_t c)
{
    if (c < 0x80)
        return c >= 'A' && c <= 'Z' ? c + 32 : c;
    if (c >= 0xC0 && c <= 0xDE && c != 0xD7) /* Latin-1 */
        return c + 32;
    if (c >= 0x100 && c <= 0x17F) { /* Latin Extended-A */
        if (c == 0x130)
            return 'i';
        if (c == 0x178)
            return 0xFF;
        if ((c >= 0x100 && c <= 0x137) || (c >= 0x14A && c <= 0x177))
            return c % 2 == 0 ? c + 1 : c;
        if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E))
            return c % 2 == 1 ? c + 1 : c;
        return c;
    }
    if (c >= 0x1C4 && c <= 0x1CC) { /* DŽ Dž dž, LJ Lj lj, NJ Nj nj */
        uint32_t base = 0x1C4 + (c - 0x1C4) / 3 * 3;
        return base + 2;
    }
    if (c >= 0x1CD && c <= 0x1DC) /* Ǎ ǎ ... (pinyin vowels) */
        return c % 2 == 1 ? c + 1 : c;
    if (c >= 0x386 && c <= 0x3AB) { /* Greek */
        if (c == 0x386)
            return 0x3AC;
        if (c >= 0x388 && c <= 0x38A)
            return c + 37;
        if (c == 0x38C)
            return 0x3CC;
        if (c == 0x38E || c == 0x38F)
            return c + 63;
        if (c >= 0x391 && c <= 0x3AB && c != 0x3A2)
            return c + 32;
        return c;
    }
    if (c == 0x3C2) /* final sigma */
        return 0x3C3;
    if (c >= 0x400 && c <= 0x40F) /* Ѐ..Џ (Ђ Ј Љ Њ Ћ Џ Ѓ Ќ Ѕ ...) */
        return c + 80;
    if (c >= 0x410 && c <= 0x42F) /* А..Я */
        return c + 32;
    if ((c >= 0x460 && c <= 0x481) || (c >= 0x48A && c <= 0x4BF) || (c >= 0x4D0 && c <= 0x52F))
        return c % 2 == 0 ? c + 1 : c;
    if (c == 0x4C0)
        return 0x4CF;
    if (c >= 0x4C1 && c <= 0x4CE)
        return c % 2 == 1 ? c + 1 : c;
    if (c >= 0xFF21 && c <= 0xFF3A) /* fullwidth A..Z */
        return c + 32;
    return c;
}

void vsp_xlsx_casefold(const char *s, vsp_buf *out)
{
    vsp_buf_clear(out);
    vsp_buf_append(out, "", 0);
    uint32_t cp;
    size_t used;
    while ((used = vsp_utf8_next(s, &cp)) > 0) {
        vsp_utf8_put(out, vsp_xlsx_casefold_cp(cp));
        s += used;
    }
}

static bool xml_forbidden(uint32_t cp)
{
    return (cp < 0x20 && cp != '\t' && cp != '\n') || cp == 0xFFFE || cp == 0xFFFF;
}

const char *vsp_xlsx_clean_text(const char *s, vsp_buf *out)
{
    vsp_buf_clear(out);
    vsp_buf_append(out, "", 0);
    if (!s)
        return out->data;
    size_t units = 0;
    uint32_t cp;
    size_t used;
    while ((used = vsp_utf8_next(s, &cp)) > 0) {
        s += used;
        if (xml_forbidden(cp))
            continue;
        size_t u = cp >= 0x10000 ? 2 : 1;
        if (units + u > VSP_XLSX_MAX_TEXT)
            break;
        units += u;
        vsp_utf8_put(out, cp);
    }
    return out->data;
}

/* ---- sheet names ---------------------------------------------------- */

static bool forbidden_in_name(uint32_t cp)
{
    return cp == '[' || cp == ']' || cp == ':' || cp == '*' || cp == '?' || cp == '/' ||
           cp == '\\' || cp < 0x20 || cp == 0x7F || cp == 0xFFFE || cp == 0xFFFF;
}

vsp_status vsp_xlsx_sheet_name_check(const char *name, vsp_error *err)
{
    if (!name || !name[0])
        return vsp_error_set(err, VSP_EDATA, "sheet name is empty");
    size_t len = strlen(name);
    if (!vsp_utf8_valid(name, len))
        return vsp_error_set(err, VSP_EDATA, "sheet name is not valid UTF-8");
    if (vsp_xlsx_utf16_len(name) > VSP_XLSX_SHEET_NAME_MAX)
        return vsp_error_set(err, VSP_EDATA, "sheet name '%s' is longer than %d characters",
                             name, VSP_XLSX_SHEET_NAME_MAX);
    if (name[0] == '\'' || name[len - 1] == '\'')
        return vsp_error_set(err, VSP_EDATA,
                             "sheet name '%s' begins or ends with an apostrophe", name);
    const char *p = name;
    uint32_t cp;
    size_t used;
    while ((used = vsp_utf8_next(p, &cp)) > 0) {
        if (forbidden_in_name(cp))
            return vsp_error_set(err, VSP_EDATA,
                                 "sheet name '%s' holds a character Excel forbids "
                                 "([ ] : * ? / \\ or a control character)",
                                 name);
        p += used;
    }
    if (vsp_ascii_iequal(name, "History"))
        return vsp_error_set(err, VSP_EDATA, "sheet name 'History' is reserved by Excel");
    return VSP_OK;
}

void vsp_xlsx_names_init(vsp_xlsx_names *names)
{
    names->folded = NULL;
    names->n = names->cap = 0;
}

void vsp_xlsx_names_fini(vsp_xlsx_names *names)
{
    for (size_t i = 0; i < names->n; i++)
        free(names->folded[i]);
    free(names->folded);
    vsp_xlsx_names_init(names);
}

bool vsp_xlsx_names_taken(const vsp_xlsx_names *names, const char *name)
{
    vsp_buf f;
    vsp_buf_init(&f);
    vsp_xlsx_casefold(name, &f);
    bool taken = false;
    for (size_t i = 0; i < names->n && !taken; i++)
        taken = strcmp(names->folded[i], f.data) == 0;
    vsp_buf_fini(&f);
    return taken;
}

static void claim(vsp_xlsx_names *names, const char *name)
{
    if (names->n == names->cap) {
        names->cap = names->cap ? names->cap * 2 : 16;
        names->folded = vsp_xrealloc(names->folded, names->cap * sizeof *names->folded);
    }
    vsp_buf f;
    vsp_buf_init(&f);
    vsp_xlsx_casefold(name, &f);
    names->folded[names->n++] = vsp_xstrdup(f.data);
    vsp_buf_fini(&f);
}

vsp_status vsp_xlsx_names_add(vsp_xlsx_names *names, const char *name, vsp_error *err)
{
    vsp_status st = vsp_xlsx_sheet_name_check(name, err);
    if (st != VSP_OK)
        return st;
    if (vsp_xlsx_names_taken(names, name))
        return vsp_error_set(err, VSP_EDATA,
                             "sheet name '%s' is used twice (Excel ignores case)", name);
    claim(names, name);
    return VSP_OK;
}

/* Copy at most max_units UTF-16 units of clean characters of s into b. */
static void name_chars(vsp_buf *b, const char *s, size_t max_units)
{
    size_t units = 0;
    uint32_t cp;
    size_t used;
    while ((used = vsp_utf8_next(s, &cp)) > 0) {
        s += used;
        if (cp < 0x20 || cp == 0x7F || cp == 0xFFFE || cp == 0xFFFF)
            continue;
        if (forbidden_in_name(cp))
            cp = '-';
        size_t u = cp >= 0x10000 ? 2 : 1;
        if (units + u > max_units)
            break;
        units += u;
        vsp_utf8_put(b, cp);
    }
}

/* Drop apostrophes and spaces at both ends (in place). */
static void trim_name(vsp_buf *b)
{
    size_t start = 0, end = b->len;
    while (start < end && (b->data[start] == '\'' || b->data[start] == ' '))
        start++;
    while (end > start && (b->data[end - 1] == '\'' || b->data[end - 1] == ' '))
        end--;
    memmove(b->data, b->data + start, end - start);
    b->len = end - start;
    b->data[b->len] = '\0';
}

const char *vsp_xlsx_names_make(vsp_xlsx_names *names, const char *wanted, char *buf,
                                size_t size)
{
    vsp_buf b;
    vsp_buf_init(&b);
    vsp_buf_append(&b, "", 0);
    name_chars(&b, wanted ? wanted : "", VSP_XLSX_SHEET_NAME_MAX);
    trim_name(&b);
    if (b.len == 0) {
        vsp_buf_puts(&b, "Sheet");
    } else if (vsp_ascii_iequal(b.data, "History")) {
        vsp_buf_clear(&b);
        vsp_buf_puts(&b, "History (1)");
    }
    char base[VSP_XLSX_SHEET_NAME_BUF];
    snprintf(base, sizeof base, "%s", b.data);
    for (int k = 2; vsp_xlsx_names_taken(names, b.data) && k < 100000; k++) {
        char suffix[16];
        snprintf(suffix, sizeof suffix, " (%d)", k);
        vsp_buf_clear(&b);
        vsp_buf_append(&b, "", 0);
        name_chars(&b, base, VSP_XLSX_SHEET_NAME_MAX - strlen(suffix));
        trim_name(&b);
        vsp_buf_puts(&b, suffix);
    }
    claim(names, b.data);
    snprintf(buf, size, "%s", b.data);
    vsp_buf_fini(&b);
    return buf;
}

/* ---- reproducibility ------------------------------------------------ */

void vsp_xlsx_numeric_guard_begin(vsp_xlsx_numeric_guard *g)
{
    g->saved = NULL;
    const char *cur = setlocale(LC_NUMERIC, NULL);
    if (cur && strcmp(cur, "C") != 0 && strcmp(cur, "POSIX") != 0) {
        g->saved = vsp_xstrdup(cur);
        setlocale(LC_NUMERIC, "C");
    }
}

void vsp_xlsx_numeric_guard_end(vsp_xlsx_numeric_guard *g)
{
    if (g->saved) {
        setlocale(LC_NUMERIC, g->saved);
        free(g->saved);
        g->saved = NULL;
    }
}

const char *vsp_xlsx_strerror(int lxw_error_code)
{
    return lxw_strerror((lxw_error)lxw_error_code);
}
