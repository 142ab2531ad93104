/* pdf_post.c — adds /Lang, viewer preferences, figure alternative text and
 * table-header scope to a PDF written by cairo 1.16 (see pdf_post.h). */
#include "reports/pdf_post.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#define ZLIB_CONST
#include <zlib.h>

/* ---- text strings -------------------------------------------------- */

/* Next code point of UTF-8 s (len bytes left), or U+FFFD for a bad byte;
 * *used gets the bytes consumed. */
static uint32_t utf8_next(const unsigned char *s, size_t len, size_t *used)
{
    uint32_t c = s[0];
    size_t n = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3
                             : (c & 0xF8) == 0xF0 ? 4 : 0;
    if (n == 0 || n > len) {
        *used = 1;
        return 0xFFFD;
    }
    if (n == 1) {
        *used = 1;
        return c;
    }
    c &= 0x7Fu >> n;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            *used = 1;
            return 0xFFFD;
        }
        c = (c << 6) | (s[i] & 0x3F);
    }
    static const uint32_t min_of[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (c < min_of[n] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
        *used = 1;
        return 0xFFFD;
    }
    *used = n;
    return c;
}

static void put_u16(vsp_buf *out, unsigned v)
{
    vsp_buf_printf(out, "%04X", v & 0xFFFFu);
}

void vsp_pdf_text_string(vsp_buf *out, const char *utf8)
{
    const unsigned char *s = (const unsigned char *)(utf8 ? utf8 : "");
    size_t len = strlen((const char *)s);
    vsp_buf_puts(out, "<FEFF");
    for (size_t i = 0; i < len;) {
        size_t used;
        uint32_t c = utf8_next(s + i, len - i, &used);
        i += used;
        if (c >= 0x10000) {
            c -= 0x10000;
            put_u16(out, 0xD800 + (c >> 10));
            put_u16(out, 0xDC00 + (c & 0x3FF));
        } else {
            put_u16(out, c);
        }
    }
    vsp_buf_putc(out, '>');
}

/* ---- parsing ------------------------------------------------------- */

typedef struct xref_entry {
    size_t offset;
    unsigned gen;
    bool in_use;
} xref_entry;

typedef struct insertion {
    size_t pos;
    char *text;   /* len bytes (may hold NULs: a stream) */
    size_t len;
    size_t del;   /* bytes of the original replaced from pos */
} insertion;

typedef struct parser {
    const unsigned char *p;
    size_t len;
} parser;

static bool is_space(unsigned char c)
{
    return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == '\0';
}

static bool is_delim(unsigned char c)
{
    return is_space(c) || c == '/' || c == '<' || c == '>' || c == '[' || c == ']' ||
           c == '(' || c == ')' || c == '%';
}

static size_t skip_space(const parser *ps, size_t i)
{
    while (i < ps->len && is_space(ps->p[i]))
        i++;
    return i;
}

/* Unsigned integer at i; false if none. */
static bool read_uint(const parser *ps, size_t *i, size_t *value)
{
    size_t j = *i, v = 0;
    if (j >= ps->len || ps->p[j] < '0' || ps->p[j] > '9')
        return false;
    while (j < ps->len && ps->p[j] >= '0' && ps->p[j] <= '9') {
        if (v > (SIZE_MAX - 9) / 10)
            return false;
        v = v * 10 + (size_t)(ps->p[j] - '0');
        j++;
    }
    *i = j;
    *value = v;
    return true;
}

static bool has_word_at(const parser *ps, size_t i, const char *word)
{
    size_t n = strlen(word);
    return i + n <= ps->len && memcmp(ps->p + i, word, n) == 0 &&
           (i + n == ps->len || is_delim(ps->p[i + n]) || word[n - 1] == ' ');
}

/* Position of needle in [from, to), or SIZE_MAX. */
static size_t find(const parser *ps, size_t from, size_t to, const char *needle)
{
    size_t n = strlen(needle);
    if (to > ps->len)
        to = ps->len;
    for (size_t i = from; i + n <= to; i++)
        if (ps->p[i] == (unsigned char)needle[0] && memcmp(ps->p + i, needle, n) == 0)
            return i;
    return SIZE_MAX;
}

/* Does the dictionary text [from, to) hold the name pair "/key /value"
 * (value ending at a delimiter)? */
static bool dict_has(const parser *ps, size_t from, size_t to, const char *key,
                     const char *value)
{
    size_t klen = strlen(key), vlen = strlen(value);
    for (size_t i = from; i + klen < to; i++) {
        if (memcmp(ps->p + i, key, klen) != 0 || !is_delim(ps->p[i + klen]))
            continue;
        size_t j = skip_space(ps, i + klen);
        if (j + vlen <= to && memcmp(ps->p + j, value, vlen) == 0 &&
            (j + vlen == to || is_delim(ps->p[j + vlen])))
            return true;
    }
    return false;
}

/* The object num at its xref offset: returns the dictionary's span
 * [*dict_start, *dict_end) where *dict_end is the position of its closing
 * ">>", for objects that are one dictionary and no stream.  False
 * otherwise (not an error: most objects are streams or arrays). */
static bool object_dict(const parser *ps, size_t num, const xref_entry *e, size_t *dict_start,
                        size_t *dict_end, bool *bad_header)
{
    size_t i = e->offset, v;
    *bad_header = false;
    if (!read_uint(ps, &i, &v) || v != num) {
        *bad_header = true;
        return false;
    }
    i = skip_space(ps, i);
    if (!read_uint(ps, &i, &v) || v != e->gen) {
        *bad_header = true;
        return false;
    }
    i = skip_space(ps, i);
    if (!has_word_at(ps, i, "obj")) {
        *bad_header = true;
        return false;
    }
    i = skip_space(ps, i + 3);
    if (i + 2 > ps->len || ps->p[i] != '<' || ps->p[i + 1] != '<')
        return false;
    size_t end = find(ps, i, ps->len, "endobj");
    if (end == SIZE_MAX)
        return false;
    /* a stream has the keyword "stream" after its dictionary */
    size_t close = end;
    while (close > i && is_space(ps->p[close - 1]))
        close--;
    if (close < i + 4 || ps->p[close - 1] != '>' || ps->p[close - 2] != '>')
        return false;
    *dict_start = i;
    *dict_end = close - 2;
    return true;
}

static int cmp_insertion(const void *a, const void *b)
{
    const insertion *x = a, *y = b;
    return x->pos < y->pos ? -1 : x->pos > y->pos;
}

static void xml_escaped(vsp_buf *out, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&': vsp_buf_puts(out, "&amp;"); break;
        case '<': vsp_buf_puts(out, "&lt;"); break;
        case '>': vsp_buf_puts(out, "&gt;"); break;
        case '"': vsp_buf_puts(out, "&quot;"); break;
        default:
            if ((unsigned char)*s >= 0x20 || *s == '\t' || *s == '\n')
                vsp_buf_putc(out, *s);
        }
    }
}

/* The XMP packet: title, language, PDF/UA-1 identification. */
static void xmp_packet(vsp_buf *x, const vsp_pdf_post *opts)
{
    vsp_buf_puts(x, "<?xpacket begin=\"\xef\xbb\xbf\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
                    "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
                    " <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
                    "  <rdf:Description rdf:about=\"\"\n"
                    "    xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n"
                    "    xmlns:pdfuaid=\"http://www.aiim.org/pdfua/ns/id/\">\n"
                    "   <dc:format>application/pdf</dc:format>\n"
                    "   <dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">");
    xml_escaped(x, opts->title);
    vsp_buf_puts(x, "</rdf:li></rdf:Alt></dc:title>\n");
    if (opts->lang && opts->lang[0]) {
        vsp_buf_puts(x, "   <dc:language><rdf:Bag><rdf:li>");
        xml_escaped(x, opts->lang);
        vsp_buf_puts(x, "</rdf:li></rdf:Bag></dc:language>\n");
    }
    vsp_buf_puts(x, "   <pdfuaid:part>1</pdfuaid:part>\n"
                    "  </rdf:Description>\n"
                    " </rdf:RDF>\n"
                    "</x:xmpmeta>\n"
                    "<?xpacket end=\"w\"?>");
}

/* ---- artifacts ----------------------------------------------------- */

static bool cs_space(unsigned char c)
{
    return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == 0;
}

static bool cs_delim(unsigned char c)
{
    return cs_space(c) || strchr("()<>[]{}/%", c) != NULL;
}

/* Wrap every run of a content stream that no marked-content sequence
 * holds (cairo 1.16 draws the running header and footer, rules and
 * backgrounds outside any structure element) in "/Artifact BMC ... EMC",
 * so that assistive technology skips them (PDF/UA 7.1).  Runs are split
 * at each BDC/BMC that opens at depth 0.  False (and out untouched) for
 * anything unexpected: unbalanced EMC, a structure element opening inside
 * a text object that an artifact would cross, an inline image. */
static bool content_artifacts(const unsigned char *in, size_t n, vsp_buf *out)
{
    vsp_buf o;
    vsp_buf_init(&o);
    size_t i = 0, from = 0, last_op_end = 0;
    int depth = 0;
    bool open = false, in_text = false, opened_in_text = false;
    while (i < n) {
        unsigned char c = in[i];
        if (cs_space(c)) {
            i++;
            continue;
        }
        if (c == '%') {
            while (i < n && in[i] != '\n' && in[i] != '\r')
                i++;
            continue;
        }
        if (c == '(') {
            int par = 0;
            for (; i < n; i++) {
                if (in[i] == '\\') {
                    i++;
                    continue;
                }
                if (in[i] == '(')
                    par++;
                else if (in[i] == ')' && --par == 0) {
                    i++;
                    break;
                }
            }
            continue;
        }
        if (c == '<' && i + 1 < n && in[i + 1] != '<') {
            while (i < n && in[i] != '>')
                i++;
            i++;
            continue;
        }
        if (c == '<' || c == '>') {
            i += 2;
            continue;
        }
        if (strchr("[]{}", c)) {
            i++;
            continue;
        }
        if (c == '/') {
            i++;
            while (i < n && !cs_delim(in[i]))
                i++;
            continue;
        }
        size_t s0 = i;
        while (i < n && !cs_delim(in[i]))
            i++;
        if ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.')
            continue; /* a number: an operand */
        /* an operator */
        size_t len = i - s0;
        const char *op = (const char *)in + s0;
#define OP(name) (len == sizeof(name) - 1 && memcmp(op, name, len) == 0)
        if (OP("BI") || OP("ID") || OP("EI"))
            goto fail;
        if (OP("BDC") || OP("BMC")) {
            if (depth == 0 && open) {
                if (in_text && !opened_in_text)
                    goto fail;
                vsp_buf_append(&o, in + from, last_op_end - from);
                vsp_buf_puts(&o, "\nEMC\n");
                from = last_op_end;
                open = false;
            }
            depth++;
        } else if (OP("EMC")) {
            if (depth == 0)
                goto fail;
            depth--;
        } else {
            if (depth == 0 && !open) {
                vsp_buf_append(&o, in + from, last_op_end - from);
                vsp_buf_puts(&o, "\n/Artifact BMC\n");
                from = last_op_end;
                open = true;
                opened_in_text = in_text;
            }
            if (OP("BT"))
                in_text = true;
            else if (OP("ET")) {
                if (open && depth == 0 && opened_in_text)
                    goto fail; /* an artifact would end outside its text object */
                in_text = false;
            }
        }
#undef OP
        last_op_end = i;
    }
    if (depth != 0)
        goto fail;
    vsp_buf_append(&o, in + from, n - from);
    if (open)
        vsp_buf_puts(&o, "\nEMC\n");
    vsp_buf_clear(out);
    vsp_buf_append(out, o.data, o.len);
    vsp_buf_fini(&o);
    return true;
fail:
    vsp_buf_fini(&o);
    return false;
}

/* Content stream object num, inflated, rewritten by content_artifacts and
 * deflated again, as a replacement of the whole object (with a direct
 * /Length).  False if it is not a single Flate stream as cairo writes. */
static bool content_rewrite(const parser *ps, const xref_entry *xref, size_t n_obj, size_t num,
                            insertion *rep)
{
    size_t i = xref[num].offset, v;
    if (!read_uint(ps, &i, &v) || v != num)
        return false;
    i = skip_space(ps, i);
    if (!read_uint(ps, &i, &v))
        return false;
    i = skip_space(ps, i);
    if (!has_word_at(ps, i, "obj"))
        return false;
    size_t ds = skip_space(ps, i + 3);
    size_t st = find(ps, ds, ps->len, "stream");
    if (st == SIZE_MAX || ds + 2 > st || ps->p[ds] != '<' || ps->p[ds + 1] != '<')
        return false;
    /* the dictionary: /Length (direct or an indirect integer), Flate only */
    if (find(ps, ds, st, "/Filter") == SIZE_MAX || !dict_has(ps, ds, st, "/Filter", "/FlateDecode") ||
        find(ps, ds, st, "/DecodeParms") != SIZE_MAX)
        return false;
    size_t la = find(ps, ds, st, "/Length");
    if (la == SIZE_MAX)
        return false;
    size_t li = skip_space(ps, la + 7), length = 0, ref = 0;
    if (!read_uint(ps, &li, &length))
        return false;
    size_t lj = skip_space(ps, li), gen;
    if (lj < st && read_uint(ps, &lj, &gen) && (lj = skip_space(ps, lj), lj < st) &&
        ps->p[lj] == 'R') {
        ref = length;
        if (ref >= n_obj || !xref[ref].in_use)
            return false;
        size_t k = xref[ref].offset;
        if (!read_uint(ps, &k, &v) || v != ref)
            return false;
        k = skip_space(ps, k);
        if (!read_uint(ps, &k, &v))
            return false;
        k = skip_space(ps, k);
        if (!has_word_at(ps, k, "obj"))
            return false;
        k = skip_space(ps, k + 3);
        if (!read_uint(ps, &k, &length))
            return false;
    }
    size_t data = st + 6;
    if (data < ps->len && ps->p[data] == '\r')
        data++;
    if (data < ps->len && ps->p[data] == '\n')
        data++;
    if (data + length > ps->len)
        return false;
    size_t end = find(ps, data + length, ps->len, "endobj");
    if (end == SIZE_MAX)
        return false;
    end += 6;
    /* inflate */
    vsp_buf raw, fixed;
    vsp_buf_init(&raw);
    vsp_buf_init(&fixed);
    bool ok = false;
    z_stream z;
    memset(&z, 0, sizeof z);
    if (inflateInit(&z) != Z_OK)
        goto done;
    z.next_in = ps->p + data;
    z.avail_in = (uInt)length;
    unsigned char chunk[16384];
    int zr;
    do {
        z.next_out = chunk;
        z.avail_out = sizeof chunk;
        zr = inflate(&z, Z_NO_FLUSH);
        if (zr != Z_OK && zr != Z_STREAM_END) {
            inflateEnd(&z);
            goto done;
        }
        vsp_buf_append(&raw, chunk, sizeof chunk - z.avail_out);
    } while (zr != Z_STREAM_END && z.avail_in > 0);
    inflateEnd(&z);
    if (zr != Z_STREAM_END || !content_artifacts((const unsigned char *)raw.data, raw.len, &fixed))
        goto done;
    /* deflate and write the object anew */
    uLongf clen = compressBound((uLong)fixed.len);
    unsigned char *cbuf = vsp_xmalloc(clen);
    if (compress2(cbuf, &clen, (const Bytef *)fixed.data, (uLong)fixed.len, 6) != Z_OK) {
        free(cbuf);
        goto done;
    }
    vsp_buf obj;
    vsp_buf_init(&obj);
    vsp_buf_printf(&obj, "%zu 0 obj\n<< /Length %lu /Filter /FlateDecode >>\nstream\n", num,
                   (unsigned long)clen);
    vsp_buf_append(&obj, cbuf, clen);
    vsp_buf_puts(&obj, "\nendstream\nendobj");
    free(cbuf);
    rep->pos = xref[num].offset;
    rep->del = end - xref[num].offset;
    rep->len = obj.len;
    rep->text = obj.data; /* ownership moves */
    ok = true;
done:
    vsp_buf_fini(&raw);
    vsp_buf_fini(&fixed);
    return ok;
}

/* ---- the three steps ------------------------------------------------ */

/* A classic cross-reference table, as cairo writes it, and where the
 * trailer and the catalog are. */
typedef struct pdf_xref {
    xref_entry *entry;         /* [n_obj], zeroed where no subsection says */
    size_t n_obj;
    size_t *sub_start, *sub_count, n_sub; /* the subsections, in order */
    size_t xref_off;           /* "xref" */
    size_t trailer;            /* "trailer" */
    size_t startxref;          /* "startxref" */
    size_t root;               /* the trailer's /Root, in use */
} pdf_xref;

static void pdf_xref_fini(pdf_xref *x)
{
    free(x->entry);
    free(x->sub_start);
    free(x->sub_count);
    memset(x, 0, sizeof *x);
}

/* Read the last cross-reference table of the PDF: startxref (within the
 * last kilobyte), the subsections and their entries, the trailer (no
 * /Prev, no /XRefStm: one revision only) and its /Root.  VSP_ESOFTWARE,
 * saying what is missing, for anything else; x is then empty. */
static vsp_status read_xref(const parser *ps, pdf_xref *x, vsp_error *err)
{
    const unsigned char *pdf = ps->p;
    size_t len = ps->len;
    memset(x, 0, sizeof *x);
    size_t sx = SIZE_MAX;
    if (len >= 9) {
        size_t lo = len > 1024 ? len - 1024 : 0;
        for (size_t k = len - 9 + 1; k-- > lo;)
            if (memcmp(pdf + k, "startxref", 9) == 0) {
                sx = k;
                break;
            }
    }
    size_t i = sx == SIZE_MAX ? 0 : skip_space(ps, sx + 9), xref_off;
    if (sx == SIZE_MAX || !read_uint(ps, &i, &xref_off) || xref_off >= sx ||
        !has_word_at(ps, xref_off, "xref")) {
        vsp_error_set(err, VSP_ESOFTWARE,
                      "PDF post-processing: no classic cross-reference table (startxref)");
        goto fail;
    }
    x->startxref = sx;
    x->xref_off = xref_off;
    /* subsections */
    i = skip_space(ps, xref_off + 4);
    while (i < sx && ps->p[i] >= '0' && ps->p[i] <= '9') {
        size_t first, count;
        if (!read_uint(ps, &i, &first) || (i = skip_space(ps, i), !read_uint(ps, &i, &count)) ||
            first + count > 10000000 || count > len / 18) {
            vsp_error_set(err, VSP_ESOFTWARE, "PDF post-processing: bad xref subsection");
            goto fail;
        }
        if (first + count > x->n_obj) {
            x->entry = vsp_xrealloc(x->entry, (first + count) * sizeof *x->entry);
            memset(x->entry + x->n_obj, 0, (first + count - x->n_obj) * sizeof *x->entry);
            x->n_obj = first + count;
        }
        x->sub_start = vsp_xrealloc(x->sub_start, (x->n_sub + 1) * sizeof *x->sub_start);
        x->sub_count = vsp_xrealloc(x->sub_count, (x->n_sub + 1) * sizeof *x->sub_count);
        x->sub_start[x->n_sub] = first;
        x->sub_count[x->n_sub] = count;
        x->n_sub++;
        for (size_t k = 0; k < count; k++) {
            size_t off, gen;
            i = skip_space(ps, i);
            if (!read_uint(ps, &i, &off) || (i = skip_space(ps, i), !read_uint(ps, &i, &gen)) ||
                (i = skip_space(ps, i), i >= len) || (ps->p[i] != 'n' && ps->p[i] != 'f')) {
                vsp_error_set(err, VSP_ESOFTWARE, "PDF post-processing: bad xref entry %zu",
                              first + k);
                goto fail;
            }
            x->entry[first + k].offset = off;
            x->entry[first + k].gen = (unsigned)gen;
            x->entry[first + k].in_use = ps->p[i] == 'n' && off < xref_off;
            i++;
        }
        i = skip_space(ps, i);
    }
    if (!has_word_at(ps, i, "trailer")) {
        vsp_error_set(err, VSP_ESOFTWARE, "PDF post-processing: no trailer after the xref table");
        goto fail;
    }
    x->trailer = i;
    if (find(ps, x->trailer, sx, "/Prev") != SIZE_MAX ||
        find(ps, x->trailer, sx, "/XRefStm") != SIZE_MAX) {
        vsp_error_set(err, VSP_ESOFTWARE,
                      "PDF post-processing: incremental updates are not supported");
        goto fail;
    }
    size_t root_at = find(ps, x->trailer, sx, "/Root"), root = 0;
    i = root_at == SIZE_MAX ? 0 : skip_space(ps, root_at + 5);
    if (root_at == SIZE_MAX || !read_uint(ps, &i, &root) || root >= x->n_obj ||
        !x->entry[root].in_use) {
        vsp_error_set(err, VSP_ESOFTWARE, "PDF post-processing: no /Root in the trailer");
        goto fail;
    }
    x->root = root;
    return VSP_OK;
fail:
    pdf_xref_fini(x);
    return err->status;
}

vsp_status vsp_pdf_read_xref(const unsigned char *pdf, size_t len, size_t *n_objects,
                             vsp_error *err)
{
    parser ps = {pdf, len};
    pdf_xref x;
    vsp_status st = read_xref(&ps, &x, err);
    if (n_objects)
        *n_objects = st == VSP_OK ? x.n_obj : 0;
    pdf_xref_fini(&x);
    return st;
}

/* What to insert into the catalog dictionary (ds..de): /Lang, /Metadata
 * (the XMP object, numbered n_obj), /ViewerPreferences, /PageMode. */
static void plan_catalog(const parser *ps, size_t ds, size_t de, size_t n_obj,
                         const vsp_pdf_post *opts, vsp_buf *add)
{
    if (opts->lang && opts->lang[0] && find(ps, ds, de, "/Lang") == SIZE_MAX) {
        bool plain = strlen(opts->lang) < 36;
        for (const char *c = opts->lang; *c; c++)
            if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
                  (*c >= '0' && *c <= '9') || *c == '-'))
                plain = false;
        vsp_buf_puts(add, "   /Lang ");
        if (plain)
            vsp_buf_printf(add, "(%s)", opts->lang);
        else
            vsp_pdf_text_string(add, opts->lang);
        vsp_buf_putc(add, '\n');
    }
    if (opts->title && find(ps, ds, de, "/Metadata") == SIZE_MAX)
        vsp_buf_printf(add, "   /Metadata %zu 0 R\n", n_obj);
    if (find(ps, ds, de, "/ViewerPreferences") == SIZE_MAX)
        vsp_buf_puts(add, "   /ViewerPreferences << /DisplayDocTitle true >>\n");
    if (find(ps, ds, de, "/PageMode") == SIZE_MAX && find(ps, ds, de, "/Outlines") != SIZE_MAX)
        vsp_buf_puts(add, "   /PageMode /UseOutlines\n");
}

/* The edits, sorted by position. */
typedef struct pdf_plan {
    insertion *ins;
    size_t n_ins;
} pdf_plan;

static void plan_add(pdf_plan *pl, insertion in)
{
    pl->ins = vsp_xrealloc(pl->ins, (pl->n_ins + 1) * sizeof *pl->ins);
    pl->ins[pl->n_ins++] = in;
}

static void pdf_plan_fini(pdf_plan *pl)
{
    for (size_t k = 0; k < pl->n_ins; k++)
        free(pl->ins[k].text);
    free(pl->ins);
    pl->ins = NULL;
    pl->n_ins = 0;
}

/* Every edit the options ask for, from the objects the xref lists: the
 * catalog's entries, /Tabs on pages with links, /Alt on each Figure
 * element (in document order; their count must match opts->n_figures),
 * the TH scope, and, with opts->artifacts, each page's content stream
 * rewritten.  Sorted by position in the file. */
static vsp_status plan_insertions(const parser *ps, const pdf_xref *x, const vsp_pdf_post *opts,
                                  pdf_plan *pl, vsp_error *err)
{
    vsp_status st = VSP_ESOFTWARE;
    size_t *contents = NULL, n_contents = 0;
    size_t n_fig = 0;
    bool catalog_done = false;
    for (size_t num = 1; num < x->n_obj; num++) {
        if (!x->entry[num].in_use)
            continue;
        size_t ds, de;
        bool bad;
        if (!object_dict(ps, num, &x->entry[num], &ds, &de, &bad)) {
            if (bad) {
                vsp_error_set(err, VSP_ESOFTWARE,
                              "PDF post-processing: object %zu is not where the xref says", num);
                goto out;
            }
            continue;
        }
        vsp_buf add;
        vsp_buf_init(&add);
        if (num == x->root) {
            if (!dict_has(ps, ds, de, "/Type", "/Catalog")) {
                vsp_buf_fini(&add);
                vsp_error_set(err, VSP_ESOFTWARE, "PDF post-processing: /Root is no catalog");
                goto out;
            }
            plan_catalog(ps, ds, de, x->n_obj, opts, &add);
            catalog_done = true;
        } else if (dict_has(ps, ds, de, "/Type", "/Page")) {
            if (find(ps, ds, de, "/Annots") != SIZE_MAX && find(ps, ds, de, "/Tabs") == SIZE_MAX)
                vsp_buf_puts(&add, "   /Tabs /S\n");
            size_t ca = find(ps, ds, de, "/Contents"), cn = 0;
            size_t ci = ca == SIZE_MAX ? 0 : skip_space(ps, ca + 9);
            if (ca != SIZE_MAX && read_uint(ps, &ci, &cn) && cn < x->n_obj &&
                x->entry[cn].in_use) {
                contents = vsp_xrealloc(contents, (n_contents + 1) * sizeof *contents);
                contents[n_contents++] = cn;
            }
        } else if (dict_has(ps, ds, de, "/Type", "/StructElem")) {
            if (dict_has(ps, ds, de, "/S", "/Figure")) {
                if (n_fig < opts->n_figures && find(ps, ds, de, "/Alt") == SIZE_MAX) {
                    vsp_buf_puts(&add, "   /Alt ");
                    vsp_pdf_text_string(&add, opts->figure_alt[n_fig]);
                    vsp_buf_putc(&add, '\n');
                }
                n_fig++;
            } else if (dict_has(ps, ds, de, "/S", "/TH") && find(ps, ds, de, "/A") == SIZE_MAX) {
                vsp_buf_puts(&add, "   /A << /O /Table /Scope /Column >>\n");
            }
        }
        if (add.len)
            plan_add(pl, (insertion){de, add.data, add.len, 0}); /* ownership moves */
        else
            vsp_buf_fini(&add);
    }
    if (!catalog_done) {
        vsp_error_set(err, VSP_ESOFTWARE, "PDF post-processing: catalog not found");
        goto out;
    }
    if (n_fig != opts->n_figures) {
        vsp_error_set(err, VSP_ESOFTWARE,
                      "PDF post-processing: %zu Figure elements in the PDF, %zu alternative "
                      "texts",
                      n_fig, opts->n_figures);
        goto out;
    }
    /* running headers, footers and decoration as artifacts: every page's
     * content stream rewritten (a page whose stream is not as expected is
     * left as it was) */
    for (size_t k = 0; opts->artifacts && k < n_contents; k++) {
        insertion rep;
        if (content_rewrite(ps, x->entry, x->n_obj, contents[k], &rep))
            plan_add(pl, rep);
    }
    qsort(pl->ins, pl->n_ins, sizeof *pl->ins, cmp_insertion);
    st = VSP_OK;
out:
    free(contents);
    return st;
}

/* The new file into out: the body with the planned edits, the XMP object
 * (with opts->title), a fresh xref table with every offset shifted, the
 * old trailer (its /Size one more with the XMP object) and startxref. */
static vsp_status write_patched(const parser *ps, const pdf_xref *x, const pdf_plan *pl,
                                const vsp_pdf_post *opts, vsp_buf *out, vsp_error *err)
{
    const unsigned char *pdf = ps->p;
    const insertion *ins = pl->ins;
    size_t n_ins = pl->n_ins, n_obj = x->n_obj, sx = x->startxref, trailer = x->trailer;
    size_t from = 0;
    for (size_t k = 0; k < n_ins; k++) {
        vsp_buf_append(out, pdf + from, ins[k].pos - from);
        vsp_buf_append(out, ins[k].text, ins[k].len);
        from = ins[k].pos + ins[k].del;
    }
    vsp_buf_append(out, pdf + from, x->xref_off - from);
    /* the XMP metadata, a new object numbered after every other */
    size_t xmp_off = 0;
    if (opts->title) {
        vsp_buf xmp;
        vsp_buf_init(&xmp);
        xmp_packet(&xmp, opts);
        xmp_off = out->len;
        vsp_buf_printf(out, "%zu 0 obj\n<< /Type /Metadata /Subtype /XML /Length %zu >>\nstream\n",
                       n_obj, xmp.len);
        vsp_buf_append(out, xmp.data, xmp.len);
        vsp_buf_puts(out, "\nendstream\nendobj\n");
        vsp_buf_fini(&xmp);
    }
    size_t new_xref = out->len;
    vsp_buf_puts(out, "xref\n");
    for (size_t s = 0; s < x->n_sub; s++) {
        vsp_buf_printf(out, "%zu %zu\n", x->sub_start[s], x->sub_count[s]);
        for (size_t k = 0; k < x->sub_count[s]; k++) {
            const xref_entry *e = &x->entry[x->sub_start[s] + k];
            if (!e->in_use) {
                vsp_buf_printf(out, "%010zu %05u f \n", e->offset, e->gen);
                continue;
            }
            size_t at = e->offset;
            for (size_t m = 0; m < n_ins && ins[m].pos < e->offset; m++)
                at = at + ins[m].len - ins[m].del;
            vsp_buf_printf(out, "%010zu %05u n \n", at, e->gen);
        }
    }
    if (opts->title) {
        vsp_buf_printf(out, "%zu 1\n%010zu 00000 n \n", n_obj, xmp_off);
        /* the trailer with /Size one more */
        size_t size_at = find(ps, trailer, sx, "/Size");
        size_t v = skip_space(ps, size_at == SIZE_MAX ? sx : size_at + 5), size = 0;
        size_t num_start = v;
        if (size_at == SIZE_MAX || !read_uint(ps, &v, &size) || size != n_obj)
            return vsp_error_set(err, VSP_ESOFTWARE,
                                 "PDF post-processing: trailer /Size is not %zu", n_obj);
        vsp_buf_append(out, pdf + trailer, num_start - trailer);
        vsp_buf_printf(out, "%zu", n_obj + 1);
        vsp_buf_append(out, pdf + v, sx - v);
    } else {
        vsp_buf_append(out, pdf + trailer, sx - trailer);
    }
    vsp_buf_printf(out, "startxref\n%zu\n%%%%EOF\n", new_xref);
    return VSP_OK;
}

vsp_status vsp_pdf_post_process(const unsigned char *pdf, size_t len, const vsp_pdf_post *opts,
                                vsp_buf *out, vsp_error *err)
{
    parser ps = {pdf, len};
    pdf_xref x;
    pdf_plan pl = {NULL, 0};
    vsp_buf_clear(out);
    vsp_status st = read_xref(&ps, &x, err);
    if (st == VSP_OK)
        st = plan_insertions(&ps, &x, opts, &pl, err);
    if (st == VSP_OK)
        st = write_patched(&ps, &x, &pl, opts, out, err);
    pdf_plan_fini(&pl);
    pdf_xref_fini(&x);
    return st;
}
