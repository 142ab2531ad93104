/* encoding.c — decoders to UTF-8, validation and folding.  See encoding.h. */
#include "pipeline/encoding.h"

#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pipeline/encoding_nfc.h"

struct vsp_decoder {
    const char *name;           /* canonical, static */
    bool utf8;
    unsigned char len[256];     /* single-byte: UTF-8 length of each byte, 0 = invalid */
    unsigned char bytes[256][4]; /* its UTF-8 bytes (a fourth, unused, so a copy is one word) */
    bool ascii;                 /* bytes 1..0x7F map to themselves */
};

static const struct {
    const char *alias, *name, *iconv_name;
} encodings[] = {
    {"utf-8", "utf-8", NULL},
    {"utf8", "utf-8", NULL},
    {"utf-8-bom", "utf-8", NULL},
    {"windows-1250", "windows-1250", "CP1250"},
    {"cp1250", "windows-1250", "CP1250"},
    {"windows-1251", "windows-1251", "CP1251"},
    {"cp1251", "windows-1251", "CP1251"},
    {"iso-8859-2", "iso-8859-2", "ISO-8859-2"},
    {"iso8859-2", "iso-8859-2", "ISO-8859-2"},
    {"latin2", "iso-8859-2", "ISO-8859-2"},
    {"iso-8859-5", "iso-8859-5", "ISO-8859-5"},
    {"iso8859-5", "iso-8859-5", "ISO-8859-5"},
};

#define SUPPORTED                                                                      \
    "utf-8 (utf8, utf-8-bom), windows-1250 (cp1250), windows-1251 (cp1251), "        \
    "iso-8859-2 (latin2), iso-8859-5"

static const char replacement[3] = {'\xEF', '\xBF', '\xBD'}; /* U+FFFD */

/* ---- UTF-8 --------------------------------------------------------------- */

/* Decode the sequence at s[0..n), n >= 1.  Returns its length and sets *cp
 * if well-formed; else returns 0 and sets *bad to the length of the maximal
 * ill-formed subpart (>= 1) to replace by one U+FFFD. */
static size_t utf8_seq(const unsigned char *s, size_t n, uint32_t *cp, size_t *bad)
{
    unsigned char c = s[0];
    size_t need;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c < 0xC2 || c > 0xF4) {
        *bad = 1;
        return 0;
    }
    if (c < 0xE0) {
        need = 1;
        *cp = c & 0x1Fu;
    } else if (c < 0xF0) {
        need = 2;
        lo = c == 0xE0 ? 0xA0 : 0x80; /* no overlongs */
        hi = c == 0xED ? 0x9F : 0xBF; /* no surrogates */
        *cp = c & 0x0Fu;
    } else {
        need = 3;
        lo = c == 0xF0 ? 0x90 : 0x80; /* no overlongs */
        hi = c == 0xF4 ? 0x8F : 0xBF; /* nothing above U+10FFFF */
        *cp = c & 0x07u;
    }
    for (size_t i = 1; i <= need; i++) {
        if (i >= n || s[i] < lo || s[i] > hi) {
            *bad = i;
            return 0;
        }
        *cp = (*cp << 6) | (s[i] & 0x3Fu);
        lo = 0x80;
        hi = 0xBF;
    }
    return need + 1;
}

static size_t utf8_put(uint32_t cp, char *o)
{
    if (cp < 0x80) {
        o[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (char)(0xC0 | (cp >> 6));
        o[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | (cp >> 12));
        o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | (cp >> 18));
    o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Eight ASCII bytes, none of them NUL? */
static bool ascii8(const unsigned char *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    const uint64_t ones = UINT64_C(0x0101010101010101), highs = UINT64_C(0x8080808080808080);
    return (v & highs) == 0 && ((v - ones) & ~v & highs) == 0;
}

bool vsp_utf8_valid(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        if (i + 8 <= len && ascii8(p + i)) {
            i += 8;
            continue;
        }
        uint32_t cp;
        size_t bad, k = utf8_seq(p + i, len - i, &cp, &bad);
        if (!k)
            return false;
        i += k;
    }
    return true;
}

size_t vsp_utf8_next(const char *s, uint32_t *cp)
{
    const unsigned char *p = (const unsigned char *)s;
    if (!p[0]) {
        *cp = 0;
        return 0;
    }
    /* A NUL ends any sequence as an ill-formed subpart, so reading stops at
     * the terminator and 4 is a safe bound. */
    size_t bad = 1, k = utf8_seq(p, 4, cp, &bad);
    if (k)
        return k;
    *cp = 0xFFFD;
    return bad;
}

void vsp_utf8_put(vsp_buf *b, uint32_t cp)
{
    char t[4];
    vsp_buf_append(b, t, utf8_put(cp, t));
}

static bool convert_utf8(const unsigned char *p, size_t len, vsp_buf *out)
{
    bool ok = true;
    size_t i = 0, run = 0; /* p[run..i) is valid and not yet copied */
    while (i < len) {
        if (i + 8 <= len && ascii8(p + i)) {
            i += 8;
            continue;
        }
        if (p[i] != 0 && p[i] < 0x80) {
            i++;
            continue;
        }
        uint32_t cp;
        size_t bad = 1, k = p[i] ? utf8_seq(p + i, len - i, &cp, &bad) : 0;
        if (k) {
            i += k;
            continue;
        }
        vsp_buf_append(out, p + run, i - run);
        if (p[i] != 0)
            vsp_buf_append(out, replacement, sizeof replacement);
        ok = false;
        i += bad;
        run = i;
    }
    vsp_buf_append(out, p + run, i - run);
    return ok;
}

/* ---- single-byte encodings --------------------------------------------------- */

static bool build_table(vsp_decoder *d, const char *iconv_name)
{
    iconv_t cd = iconv_open("UTF-8", iconv_name);
    if (cd == (iconv_t)-1)
        return false;
    for (int b = 0; b < 256; b++) {
        char in[1] = {(char)b}, outb[8];
        char *ip = in, *op = outb;
        size_t il = 1, ol = sizeof outb;
        iconv(cd, NULL, NULL, NULL, NULL); /* initial state */
        size_t r = iconv(cd, &ip, &il, &op, &ol);
        size_t n = sizeof outb - ol;
        d->len[b] = 0;
        /* r > 0 counts irreversible (substituted) conversions: not a mapping */
        if (r != 0 || il != 0 || n == 0 || n > 3 || !vsp_utf8_valid(outb, n))
            continue;
        memcpy(d->bytes[b], outb, n);
        d->len[b] = (unsigned char)n;
    }
    iconv_close(cd);
    d->len[0] = 0; /* NUL is dropped, handled apart */
    d->ascii = true;
    for (int b = 1; b < 0x80; b++)
        if (d->len[b] != 1 || d->bytes[b][0] != b)
            d->ascii = false;
    return true;
}

static bool convert_table(const vsp_decoder *d, const unsigned char *p, size_t len, vsp_buf *out)
{
    char tmp[1024];
    size_t o = 0;
    bool ok = true;
    size_t i = 0;
    while (i < len) {
        if (o > sizeof tmp - 8) {
            vsp_buf_append(out, tmp, o);
            o = 0;
        }
        /* eight ASCII bytes at once: every single-byte encoding here keeps
         * ASCII as it is (build_table checks, NUL excluded) */
        if (d->ascii && i + 8 <= len && ascii8(p + i)) {
            memcpy(tmp + o, p + i, 8);
            o += 8, i += 8;
            continue;
        }
        unsigned char c = p[i++];
        unsigned n = d->len[c];
        if (n) {
            memcpy(tmp + o, d->bytes[c], 4);
            o += n;
        } else if (c == 0) {
            ok = false;
        } else {
            memcpy(tmp + o, replacement, 3);
            o += 3;
            ok = false;
        }
    }
    vsp_buf_append(out, tmp, o);
    return ok;
}

/* ---- decoders ------------------------------------------------------------------ */

vsp_decoder *vsp_decoder_new(const char *name, vsp_error *err)
{
    for (size_t i = 0; name && i < sizeof encodings / sizeof encodings[0]; i++) {
        if (!vsp_ascii_iequal(name, encodings[i].alias))
            continue;
        vsp_decoder *d = vsp_xcalloc(1, sizeof *d);
        d->name = encodings[i].name;
        d->utf8 = encodings[i].iconv_name == NULL;
        if (!d->utf8 && !build_table(d, encodings[i].iconv_name)) {
            vsp_error_set(err, VSP_ECONFIG,
                          "encoding '%s': this system's iconv cannot convert from %s "
                          "(are glibc's gconv modules installed?)",
                          encodings[i].name, encodings[i].iconv_name);
            vsp_decoder_free(d);
            return NULL;
        }
        return d;
    }
    char shown[48];
    size_t n = 0;
    for (const char *q = name ? name : ""; *q && n < 40; q++)
        shown[n++] = ((unsigned char)*q < 0x20 || *q == 0x7F) ? '?' : *q;
    shown[n] = '\0';
    vsp_error_set(err, VSP_ECONFIG, "unknown encoding '%s'%s; supported: " SUPPORTED, shown,
                  name && strlen(name) > 40 ? "..." : "");
    return NULL;
}

void vsp_decoder_free(vsp_decoder *d)
{
    free(d);
}

const char *vsp_decoder_name(const vsp_decoder *d)
{
    return d ? d->name : "";
}

bool vsp_decoder_convert(const vsp_decoder *d, const char *in, size_t len, vsp_buf *out)
{
    if (!in || len == 0) {
        vsp_buf_append(out, "", 0); /* out stays a valid string */
        return true;
    }
    const unsigned char *p = (const unsigned char *)in;
    return (!d || d->utf8) ? convert_utf8(p, len, out) : convert_table(d, p, len, out);
}

/* ---- folding --------------------------------------------------------------------- */

static bool fold_space(uint32_t c)
{
    return c == ' ' || (c >= 0x09 && c <= 0x0D) || c == 0x85 || c == 0xA0 || c == 0x1680 ||
           (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F ||
           c == 0x205F || c == 0x3000;
}

static uint32_t fold_cp(uint32_t c)
{
    if (c < 0x80)
        return (c >= 'A' && c <= 'Z') ? c + 32 : c;
    if (c >= 0xC0 && c <= 0xDE && c != 0xD7) /* À..Þ except × */
        return c + 32;
    if (c >= 0x100 && c <= 0x17F) { /* Latin Extended-A */
        if (c == 0x130) /* İ */
            return 'i';
        if (c == 0x178) /* Ÿ */
            return 0xFF;
        if (c == 0x17F) /* ſ */
            return 's';
        if (c <= 0x12F || (c >= 0x132 && c <= 0x137) || (c >= 0x14A && c <= 0x177))
            return c | 1; /* even upper, odd lower */
        if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E))
            return (c & 1) ? c + 1 : c; /* odd upper, even lower */
        return c;
    }
    if (c >= 0x1C4 && c <= 0x1CC) /* Ǆ ǅ ǆ, Ǉ ǈ ǉ, Ǌ ǋ ǌ */
        return 0x1C4 + (c - 0x1C4) / 3 * 3 + 2;
    if (c >= 0x1F1 && c <= 0x1F3) /* Ǳ ǲ ǳ */
        return 0x1F3;
    if (c >= 0x400 && c <= 0x40F) /* Ѐ..Џ */
        return c + 0x50;
    if (c >= 0x410 && c <= 0x42F) /* А..Я */
        return c + 0x20;
    return c;
}

/* ---- normalisation ---------------------------------------------------------------- */

/* Invisible characters dropped from identifiers and labels: C0 and C1
 * controls other than the spaces, and the format characters (Unicode
 * category Cf) that occur in text: soft hyphen, Arabic letter mark,
 * Mongolian vowel separator, zero-width space/non-joiner/joiner, the
 * direction marks, embeddings, overrides and isolates, word joiner and
 * the invisible operators, BOM, interlinear annotation marks. */
static bool is_invisible(uint32_t c)
{
    return (c < 0x20 && !fold_space(c)) || c == 0x7F || (c >= 0x80 && c <= 0x9F && c != 0x85) ||
           c == 0xAD || c == 0x61C || c == 0x180E || (c >= 0x200B && c <= 0x200F) ||
           (c >= 0x202A && c <= 0x202E) || (c >= 0x2060 && c <= 0x2064) ||
           (c >= 0x2066 && c <= 0x206F) || c == 0xFEFF || (c >= 0xFFF9 && c <= 0xFFFB);
}

static int ccc_of(uint32_t c)
{
    /* the table's span first: most letters (Latin, Cyrillic) lie outside it */
    if (c < nfc_cccs[0].mark || c > nfc_cccs[sizeof nfc_cccs / sizeof nfc_cccs[0] - 1].mark)
        return 0;
    size_t lo = 0, hi = sizeof nfc_cccs / sizeof nfc_cccs[0];
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (nfc_cccs[mid].mark == c)
            return nfc_cccs[mid].ccc;
        if (nfc_cccs[mid].mark < c)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

static uint32_t compose(uint32_t base, uint32_t mark)
{
    if (base > 0xFFFF || mark > 0xFFFF)
        return 0;
    size_t lo = 0, hi = sizeof nfc_pairs / sizeof nfc_pairs[0];
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        const struct nfc_pair *e = &nfc_pairs[mid];
        if (e->base == base && e->mark == mark)
            return e->composed;
        if (e->base < base || (e->base == base && e->mark < mark))
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

/* The pair a letter of the table decomposes into, or false. */
static bool decompose(uint32_t c, uint32_t *base, uint32_t *mark)
{
    for (size_t i = 0; i < sizeof nfc_pairs / sizeof nfc_pairs[0]; i++)
        if (nfc_pairs[i].composed == c) {
            *base = nfc_pairs[i].base;
            *mark = nfc_pairs[i].mark;
            return true;
        }
    return false;
}

#define MAX_MARKS 32

/* Compose a starter and the marks after it (canonical order, then
 * canonical composition); marks[] holds *n, keeps the ones left. */
static uint32_t compose_run(uint32_t starter, uint32_t *marks, size_t *n)
{
    /* Decompose the starter, so that ü + macron and u + diaeresis + macron
     * end alike. */
    uint32_t tmp[MAX_MARKS * 2];
    size_t nt = 0;
    uint32_t b, m;
    while (nt < MAX_MARKS && decompose(starter, &b, &m)) {
        tmp[nt++] = m;
        starter = b;
    }
    uint32_t all[MAX_MARKS * 3];
    size_t na = 0;
    while (nt)
        all[na++] = tmp[--nt];
    for (size_t i = 0; i < *n; i++)
        all[na++] = marks[i];
    /* Stable insertion sort by combining class. */
    for (size_t i = 1; i < na; i++) {
        uint32_t v = all[i];
        int cv = ccc_of(v);
        size_t j = i;
        while (j > 0 && ccc_of(all[j - 1]) > cv) {
            all[j] = all[j - 1];
            j--;
        }
        all[j] = v;
    }
    size_t kept = 0;
    int last = 0;
    for (size_t i = 0; i < na; i++) {
        int c = ccc_of(all[i]);
        uint32_t comp = (kept == 0 || last < c) ? compose(starter, all[i]) : 0;
        if (comp) {
            starter = comp;
        } else {
            if (kept < MAX_MARKS)
                marks[kept++] = all[i];
            last = c;
        }
    }
    *n = kept;
    return starter;
}

/* Eight bytes of printable ASCII (0x20-0x7E), no two spaces in a row
 * among them? */
static bool printable8(const unsigned char *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    const uint64_t ones = UINT64_C(0x0101010101010101), highs = UINT64_C(0x8080808080808080);
    /* a byte < 0x20 or >= 0x7F: v - 0x20 borrows, v + 1 carries into 0x80 */
    if (((v - ones * 0x20) | v | (v + ones)) & highs)
        return false;
    uint64_t sp = v ^ (ones * 0x20); /* zero bytes where v holds a space */
    uint64_t zero = (sp - ones) & ~sp & highs;
    return (zero & (zero >> 8)) == 0;
}

/* Only ASCII letters, digits and punctuation, single inner spaces, no
 * surrounding space: nothing to normalise. */
static bool plain_ascii(const char *s, size_t len)
{
    if (len && (s[0] == ' ' || s[len - 1] == ' '))
        return false;
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    /* eight at a time, overlapping by one so a pair of spaces across two
     * words is seen */
    while (i + 8 <= len && printable8(p + i))
        i += 7;
    for (; i < len; i++) {
        unsigned char c = p[i];
        if (c < 0x20 || c >= 0x7F || (c == ' ' && i + 1 < len && p[i + 1] == ' '))
            return false;
    }
    return true;
}

bool vsp_plain_ascii(const char *s, size_t len)
{
    return plain_ascii(s, len);
}

bool vsp_decoder_keeps_ascii(const vsp_decoder *d)
{
    return !d || d->utf8 || d->ascii;
}

/* Text that normalize() gives back as it is: valid UTF-8 without an
 * invisible character, a space other than single inner ASCII spaces, or a
 * combining mark (a starter with no mark after it is emitted unchanged).
 * Cyrillic and Latin names and labels mostly are: one pass, no copy per
 * character. */
static bool plain_text(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    if (len && (p[0] == ' ' || p[len - 1] == ' '))
        return false;
    size_t i = 0;
    while (i < len) {
        unsigned char c = p[i];
        if (c < 0x80) {
            if (c < 0x20 || c == 0x7F || (c == ' ' && i + 1 < len && p[i + 1] == ' '))
                return false;
            i++;
            continue;
        }
        /* Two-byte letters of U+0100-U+02FF and U+0380-U+05FF (Latin
         * Extended, Greek, Cyrillic): none is invisible, a space or a
         * combining mark (those lie in U+0080-U+00FF, U+0300-U+036F and
         * from U+061C on), so a well-formed one is normal as it is. */
        if (((c >= 0xC4 && c <= 0xCB) || (c >= 0xCE && c <= 0xD7)) && i + 1 < len &&
            (p[i + 1] & 0xC0) == 0x80) {
            i += 2;
            continue;
        }
        uint32_t cp;
        size_t bad, k = utf8_seq(p + i, len - i, &cp, &bad);
        if (!k || is_invisible(cp) || fold_space(cp) || ccc_of(cp))
            return false;
        i += k;
    }
    return true;
}

typedef void (*emit_fn)(vsp_buf *out, uint32_t cp);

static void emit_plain(vsp_buf *out, uint32_t cp)
{
    vsp_utf8_put(out, cp);
}

static void emit_folded(vsp_buf *out, uint32_t cp)
{
    vsp_utf8_put(out, fold_cp(cp));
}

static void normalize(const char *s, size_t len, vsp_buf *out, emit_fn emit)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    bool started = false, pending_space = false;
    uint32_t starter = 0;
    bool have_starter = false;
    uint32_t marks[MAX_MARKS];
    size_t n_marks = 0;
    for (;;) {
        uint32_t cp = 0;
        bool end = i >= len;
        if (!end) {
            size_t bad = 1, k = utf8_seq(p + i, len - i, &cp, &bad);
            if (!k) {
                cp = 0xFFFD;
                k = bad;
            }
            i += k;
            if (cp == 0 || is_invisible(cp))
                continue;
            if (ccc_of(cp) && have_starter && !pending_space) {
                if (n_marks < MAX_MARKS)
                    marks[n_marks++] = cp;
                continue;
            }
        }
        if (have_starter) {
            size_t n = n_marks;
            uint32_t c = n ? compose_run(starter, marks, &n) : starter;
            emit(out, c);
            for (size_t k = 0; k < n; k++)
                emit(out, marks[k]);
            have_starter = false;
            n_marks = 0;
        }
        if (end)
            break;
        if (fold_space(cp)) {
            pending_space = started;
            continue;
        }
        if (pending_space)
            vsp_buf_putc(out, ' ');
        pending_space = false;
        started = true;
        starter = cp;
        have_starter = true;
    }
}

bool vsp_normal(const char *s, size_t len)
{
    return plain_ascii(s, len) || plain_text(s, len);
}

void vsp_normalize(const char *s, size_t len, vsp_buf *out)
{
    vsp_buf_clear(out);
    vsp_buf_append(out, "", 0);
    if (!s)
        return;
    if (plain_ascii(s, len) || plain_text(s, len)) {
        vsp_buf_append(out, s, len);
        return;
    }
    normalize(s, len, out, emit_plain);
}

void vsp_fold(const char *s, size_t len, vsp_buf *out)
{
    vsp_buf_clear(out);
    vsp_buf_append(out, "", 0);
    if (!s)
        return;
    if (plain_ascii(s, len)) {
        size_t o = out->len;
        vsp_buf_append(out, s, len);
        for (size_t i = o; i < out->len; i++)
            if (out->data[i] >= 'A' && out->data[i] <= 'Z')
                out->data[i] = (char)(out->data[i] + 32);
        return;
    }
    normalize(s, len, out, emit_folded);
}

/* ---- checks and messages --------------------------------------------------------- */

size_t vsp_decoder_invalid(const vsp_decoder *d, const char *in, size_t len)
{
    const unsigned char *p = (const unsigned char *)in;
    size_t bad = 0;
    if (!d || d->utf8) {
        size_t i = 0;
        while (i < len) {
            if (i + 8 <= len && ascii8(p + i)) {
                i += 8;
                continue;
            }
            uint32_t cp;
            size_t b = 1, k = p[i] ? utf8_seq(p + i, len - i, &cp, &b) : 1;
            if (!k) {
                bad++;
                k = b;
            }
            i += k;
        }
        return bad;
    }
    for (size_t i = 0; i < len; i++) {
        /* eight ASCII bytes at once: every table here maps them */
        while (d->ascii && i + 8 <= len && ascii8(p + i))
            i += 8;
        if (i < len)
            bad += p[i] != 0 && d->len[p[i]] == 0;
    }
    return bad;
}

bool vsp_utf8_multibyte(const char *s, size_t len, size_t *n_multi)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, n = 0;
    while (i < len) {
        if (i + 8 <= len && ascii8(p + i)) {
            i += 8;
            continue;
        }
        uint32_t cp;
        size_t bad, k = utf8_seq(p + i, len - i, &cp, &bad);
        if (!k) {
            *n_multi = n;
            return false;
        }
        n += k > 1;
        i += k;
    }
    *n_multi = n;
    return true;
}

const char *vsp_encoding_guess(const char *s, size_t len)
{
    size_t multi;
    if (vsp_utf8_multibyte(s, len, &multi) && multi)
        return "utf-8";
    /* Cyrillic in windows-1251 writes nearly every letter with a byte of
     * C0-FF; Latin in windows-1250 only its č ć đ š ž ë ç. */
    size_t ascii_letters = 0, high = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')
            ascii_letters++;
        else if (c >= 0xC0)
            high++;
    }
    return high > ascii_letters ? "windows-1251" : "windows-1250";
}

void vsp_escape(const char *s, size_t len, size_t max, vsp_buf *out)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, start = out->len;
    while (i < len) {
        if (max && out->len - start >= max) {
            vsp_buf_puts(out, "...");
            break;
        }
        uint32_t cp;
        size_t bad = 1, k = utf8_seq(p + i, len - i, &cp, &bad);
        if (!k) {
            vsp_buf_printf(out, "\\x%02X", p[i]);
            i += 1;
            continue;
        }
        if (cp == '\t')
            vsp_buf_puts(out, "\\t");
        else if (cp == '\n')
            vsp_buf_puts(out, "\\n");
        else if (cp == '\r')
            vsp_buf_puts(out, "\\r");
        else if (cp < 0x20 || cp == 0x7F)
            vsp_buf_printf(out, "\\x%02X", (unsigned)cp);
        else if (is_invisible(cp) || cp == 0x85 || cp == 0x2028 || cp == 0x2029)
            vsp_buf_printf(out, "\\u%04X", (unsigned)cp);
        else
            vsp_buf_append(out, p + i, k);
        i += k;
    }
    vsp_buf_append(out, "", 0);
}
