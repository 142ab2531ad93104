/* xlsx_stream.c — a constant-memory sheet's rows as libxlsxwriter 1.1.4
 * writes them, deflated while they are written (reports/xlsx_stream.h). */
#include "reports/xlsx_stream.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pipeline/util.h"
#include "reports/xlsx_deflate.h"

#define STR_MAX 32767      /* libxlsxwriter's LXW_STR_MAX, in characters */
#define OUT_FLUSH 65536    /* rendered XML handed to the deflater in pieces of this */
#define NAMED_COLS 256     /* column names kept ready */
#define MARKER "</sheetData>"

enum { CELL_STRING, CELL_NUMBER, CELL_BLANK };

typedef struct scell {
    lxw_col_t col;
    int kind;
    lxw_format *format;
    double number;
    size_t off, len; /* text, in the row's text */
} scell;

/* A row as libxlsxwriter keeps its constant-memory row: cells in column
 * order until the row is flushed. */
typedef struct srow {
    lxw_row_t r;
    bool open;
    scell *cells;
    size_t n, cap;
    vsp_buf text;
} srow;

/* Output bytes being gathered. */
typedef struct obuf {
    char *p;
    size_t len, cap;
} obuf;

typedef struct ssheet {
    const vsp_xlsx_stream *owner;
    lxw_worksheet *ws;
    vsp_xlsx_splice splice;
    unsigned char window[VSP_DEFLATE_WINDOW];
    srow last;  /* its last row: rendered when workbook_close writes the sheet */
    obuf late;
    bool spliced; /* rows were streamed */
} ssheet;

struct vsp_xlsx_stream {
    int level, workers;
    FILE *tmp;
    int fd;
    off_t end;      /* bytes in tmp */
    off_t start;    /* where the current sheet's bytes begin */
    ssheet **sheets;
    size_t n_sheets;
    ssheet *cur;
    lxw_row_t first_row;
    bool lib_flushed; /* libxlsxwriter's own pending row of cur flushed */
    vsp_deflate *d;
    srow row;
    obuf out;
    bool failed;
    int sys_errno; /* of a failed write of the temporary file */
    char names[NAMED_COLS][4];
    uint8_t name_len[NAMED_COLS];
    uint8_t special[256];
};

/* ---- output ----------------------------------------------------------- */

static char *ob_room(obuf *b, size_t n)
{
    if (b->cap - b->len < n) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap - b->len < n)
            cap *= 2;
        b->p = vsp_xrealloc(b->p, cap);
        b->cap = cap;
    }
    return b->p + b->len;
}

/* Decimal digits of u into o; returns their number. */
static size_t fmt_u64(char *o, uint64_t u)
{
    char t[24];
    size_t n = 0;
    do
        t[n++] = (char)('0' + u % 10);
    while ((u /= 10) != 0);
    for (size_t i = 0; i < n; i++)
        o[i] = t[n - 1 - i];
    return n;
}

/* A number as libxlsxwriter writes it (fprintf "%.16G"): whole numbers
 * under 10^15 are the same digits, formatted here; the rest by printf. */
static size_t fmt_number(char o[40], double v)
{
    if (v > -1e15 && v < 1e15 && v == (double)(int64_t)v && !(v == 0 && signbit(v))) {
        int64_t i = (int64_t)v;
        if (i < 0) {
            o[0] = '-';
            return 1 + fmt_u64(o + 1, (uint64_t)-i);
        }
        return fmt_u64(o, (uint64_t)i);
    }
    int n = snprintf(o, 40, "%.16G", v);
    return n < 0 ? 0 : n >= 40 ? 39 : (size_t)n;
}

/* lxw_col_to_name's letters for col into o (up to 3); returns their number. */
static size_t col_letters(char *o, lxw_col_t col)
{
    char t[4];
    size_t n = 0;
    unsigned c = (unsigned)col + 1;
    while (c && n < sizeof t) {
        unsigned rem = c % 26;
        if (rem == 0)
            rem = 26;
        t[n++] = (char)('A' + rem - 1);
        c = (c - 1) / 26;
    }
    for (size_t i = 0; i < n; i++)
        o[i] = t[n - 1 - i];
    return n;
}

/* What needs escaping in a cell's text: 1 & < > (lxw_escape_data), 2 the
 * control characters libxlsxwriter writes as _xHHHH_
 * (lxw_escape_control_characters: all below 0x20 but TAB and LF). */
static void special_table(uint8_t t[256])
{
    memset(t, 0, 256);
    for (int c = 1; c < 0x20; c++)
        t[c] = c == '\t' || c == '\n' ? 0 : 2;
    t['&'] = t['<'] = t['>'] = 1;
}

/* The text of an inline string cell, escaped as libxlsxwriter does, at
 * o (room for 7 bytes a byte); returns the end. */
static char *put_text(char *o, const unsigned char *t, size_t len, const uint8_t *sp)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t i = 0;
    while (i < len) {
        size_t run = i;
        while (run < len && !sp[t[run]])
            run++;
        memcpy(o, t + i, run - i);
        o += run - i;
        if (run == len)
            break;
        unsigned char c = t[run];
        if (c == '&')
            memcpy(o, "&amp;", 5), o += 5;
        else if (c == '<')
            memcpy(o, "&lt;", 4), o += 4;
        else if (c == '>')
            memcpy(o, "&gt;", 4), o += 4;
        else {
            memcpy(o, "_x00", 4);
            o[4] = hex[c >> 4];
            o[5] = hex[c & 15];
            o[6] = '_';
            o += 7;
        }
        i = run + 1;
    }
    return o;
}

/* The first (or last) byte of the text once escaped: is it white space?
 * (libxlsxwriter asks isspace() of the escaped text's ends.) */
static bool escaped_space(unsigned char c, const uint8_t *sp)
{
    return !sp[c] && isspace(c);
}

/* Literal bytes at o, o moved past them. */
#define PUT_LIT(o, lit) (memcpy((o), (lit), sizeof(lit) - 1), (o) += sizeof(lit) - 1)

/* A flushed row, as libxlsxwriter's lxw_worksheet_write_single_row writes
 * it: the style indices are asked for now.  Room for the whole row is made
 * once (the markup of a cell is under 128 bytes, its text at most 7 bytes
 * a byte once escaped). */
static void render_row(const vsp_xlsx_stream *s, lxw_worksheet *ws, const srow *row, obuf *b)
{
    const uint8_t *sp = s->special;
    char num[24];
    size_t num_len = fmt_u64(num, (uint64_t)row->r + 1);
    char *o = ob_room(b, 64 + row->n * 128 + 7 * row->text.len);
    PUT_LIT(o, "<row r=\"");
    memcpy(o, num, num_len), o += num_len;
    PUT_LIT(o, "\">");
    for (size_t i = 0; i < row->n; i++) {
        const scell *c = &row->cells[i];
        lxw_format *f = c->format;
        if (!f && c->col < ws->col_formats_max && ws->col_formats[c->col])
            f = ws->col_formats[c->col];
        int32_t style = f ? lxw_format_get_xf_index(f) : 0;
        PUT_LIT(o, "<c r=\"");
        if (c->col < NAMED_COLS) {
            memcpy(o, s->names[c->col], 4); /* NUL-padded: only the letters count */
            o += s->name_len[c->col];
        } else {
            o += col_letters(o, c->col);
        }
        memcpy(o, num, num_len), o += num_len;
        if (style) {
            PUT_LIT(o, "\" s=\"");
            o += fmt_u64(o, (uint64_t)style);
        }
        if (c->kind == CELL_NUMBER) {
            PUT_LIT(o, "\"><v>");
            o += fmt_number(o, c->number);
            PUT_LIT(o, "</v></c>");
        } else if (c->kind == CELL_BLANK) {
            PUT_LIT(o, "\"/>");
        } else {
            const unsigned char *t = (const unsigned char *)row->text.data + c->off;
            if (escaped_space(t[0], sp) || escaped_space(t[c->len - 1], sp))
                PUT_LIT(o, "\" t=\"inlineStr\"><is><t xml:space=\"preserve\">");
            else
                PUT_LIT(o, "\" t=\"inlineStr\"><is><t>");
            o = put_text(o, t, c->len, sp);
            PUT_LIT(o, "</t></is></c>");
        }
    }
    PUT_LIT(o, "</row>");
    b->len = (size_t)(o - b->p);
}

static bool tmp_sink(void *ctx, const void *buf, size_t len)
{
    vsp_xlsx_stream *s = ctx;
    const char *b = buf;
    while (len > 0) {
        ssize_t k = pwrite(s->fd, b, len, s->end);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0) {
            s->sys_errno = k < 0 ? errno : ENOSPC;
            return false;
        }
        b += k, len -= (size_t)k, s->end += k;
    }
    return true;
}

/* Rendered XML to the deflater. */
static void out_flush(vsp_xlsx_stream *s)
{
    if (s->out.len && !s->failed && !vsp_deflate_write(s->d, s->out.p, s->out.len))
        s->failed = true;
    s->out.len = 0;
}

static void row_flush(vsp_xlsx_stream *s)
{
    if (!s->row.open)
        return;
    render_row(s, s->cur->ws, &s->row, &s->out);
    s->row.open = false;
    if (s->out.len >= OUT_FLUSH)
        out_flush(s);
}

/* ---- the stream ----------------------------------------------------- */

vsp_xlsx_stream *vsp_xlsx_stream_new(int level, int workers, vsp_error *err)
{
    if (!vsp_xlsx_block_deflate_available()) {
        vsp_error_set(err, VSP_ESOFTWARE,
                      "rows cannot be spliced into a workbook here (block deflate is not "
                      "available)");
        return NULL;
    }
    FILE *tmp = tmpfile();
    if (!tmp) {
        vsp_error_set(err, VSP_ECANTCREAT, "cannot create a temporary file: %s", strerror(errno));
        return NULL;
    }
    vsp_xlsx_stream *s = vsp_xcalloc(1, sizeof *s);
    s->level = level;
    s->workers = workers;
    s->tmp = tmp;
    s->fd = fileno(tmp);
    vsp_buf_init(&s->row.text);
    for (lxw_col_t c = 0; c < NAMED_COLS; c++)
        s->name_len[c] = (uint8_t)col_letters(s->names[c], c);
    special_table(s->special);
    return s;
}

/* The sheet being streamed ends: its deflated bytes and last row become
 * its splice. */
static void sheet_end(vsp_xlsx_stream *s)
{
    ssheet *sh = s->cur;
    if (!sh)
        return;
    s->cur = NULL;
    if (!s->d)
        return; /* no row came */
    out_flush(s);
    if (!s->failed && !vsp_deflate_flush(s->d, false))
        s->failed = true;
    sh->spliced = true;
    sh->splice.marker = MARKER;
    sh->splice.fd = s->fd;
    sh->splice.offset = s->start;
    sh->splice.deflated = (uint64_t)(s->end - s->start);
    sh->splice.len = vsp_deflate_total(s->d);
    sh->splice.crc = vsp_deflate_crc(s->d);
    sh->splice.window_len = vsp_deflate_window(s->d, sh->window);
    sh->splice.window = sh->window;
    vsp_deflate_free(s->d);
    s->d = NULL;
    /* the last row waits, as libxlsxwriter's does, for workbook_close */
    srow t = sh->last;
    sh->last = s->row;
    s->row = t;
    s->row.open = false;
}

lxw_error vsp_xlsx_stream_sheet(vsp_xlsx_stream *s, lxw_worksheet *ws, lxw_row_t first_row)
{
    sheet_end(s);
    if (s->failed)
        return LXW_ERROR_CREATING_TMPFILE;
    if (!ws || !ws->optimize)
        return LXW_ERROR_FEATURE_NOT_SUPPORTED; /* constant-memory sheets only */
    for (size_t i = 0; i < s->n_sheets; i++)
        if (s->sheets[i]->ws == ws)
            return LXW_ERROR_PARAMETER_VALIDATION; /* each sheet once */
    ssheet *sh = vsp_xcalloc(1, sizeof *sh);
    sh->owner = s;
    sh->ws = ws;
    vsp_buf_init(&sh->last.text);
    s->sheets = vsp_xrealloc(s->sheets, (s->n_sheets + 1) * sizeof *s->sheets);
    s->sheets[s->n_sheets++] = sh;
    s->cur = sh;
    s->first_row = first_row;
    s->lib_flushed = false;
    return LXW_NO_ERROR;
}

/* The cell (row, col) of the current sheet, checked as libxlsxwriter's
 * _check_dimensions checks it and counted in the sheet's dimensions. */
static lxw_error cell_check(vsp_xlsx_stream *s, lxw_row_t row, lxw_col_t col)
{
    if (s->failed)
        return LXW_ERROR_CREATING_TMPFILE;
    if (!s->cur)
        return LXW_ERROR_NULL_PARAMETER_IGNORED;
    if (row >= LXW_ROW_MAX || col >= LXW_COL_MAX || row < s->first_row ||
        (s->row.open && row < s->row.r))
        return LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE;
    lxw_worksheet *ws = s->cur->ws;
    if (row < ws->dim_rowmin)
        ws->dim_rowmin = row;
    if (row > ws->dim_rowmax)
        ws->dim_rowmax = row;
    if (col < ws->dim_colmin)
        ws->dim_colmin = col;
    if (col > ws->dim_colmax)
        ws->dim_colmax = col;
    return LXW_NO_ERROR;
}

/* A new cell in row: the rows before it flushed (libxlsxwriter's own
 * pending row first, at the moment libxlsxwriter would flush it). */
static scell *cell_insert(vsp_xlsx_stream *s, lxw_row_t row, lxw_col_t col)
{
    if (!s->lib_flushed) {
        lxw_worksheet_write_single_row(s->cur->ws);
        s->lib_flushed = true;
    }
    if (s->row.open && row > s->row.r)
        row_flush(s);
    if (!s->d) {
        s->start = s->end;
        s->d = vsp_deflate_new(s->level, s->workers, false, tmp_sink, s);
    }
    srow *r = &s->row;
    if (!r->open) {
        r->open = true;
        r->r = row;
        r->n = 0;
        vsp_buf_clear(&r->text);
    }
    size_t at = r->n;
    while (at > 0 && r->cells[at - 1].col > col)
        at--;
    if (at > 0 && r->cells[at - 1].col == col)
        return &r->cells[at - 1]; /* the last write to a cell wins */
    if (r->n == r->cap) {
        r->cap = r->cap ? 2 * r->cap : 16;
        r->cells = vsp_xrealloc(r->cells, r->cap * sizeof *r->cells);
    }
    memmove(&r->cells[at + 1], &r->cells[at], (r->n - at) * sizeof *r->cells);
    r->n++;
    r->cells[at].col = col;
    return &r->cells[at];
}

lxw_error vsp_xlsx_stream_string(vsp_xlsx_stream *s, lxw_row_t row, lxw_col_t col,
                                 const char *text, lxw_format *format)
{
    if (!text || !text[0]) {
        if (!format)
            return LXW_NO_ERROR; /* as libxlsxwriter: nothing at all */
        lxw_error e = cell_check(s, row, col);
        if (e != LXW_NO_ERROR)
            return e;
        scell *c = cell_insert(s, row, col);
        c->kind = CELL_BLANK;
        c->format = format;
        return LXW_NO_ERROR;
    }
    lxw_error e = cell_check(s, row, col);
    if (e != LXW_NO_ERROR)
        return e;
    size_t len = strlen(text);
    if (len > STR_MAX) { /* lxw_utf8_strlen: characters, not bytes */
        size_t chars = 0;
        for (size_t i = 0; i < len; i++)
            chars += ((unsigned char)text[i] & 0xC0) != 0x80;
        if (chars > STR_MAX)
            return LXW_ERROR_MAX_STRING_LENGTH_EXCEEDED;
    }
    scell *c = cell_insert(s, row, col);
    c->kind = CELL_STRING;
    c->format = format;
    c->off = s->row.text.len;
    c->len = len;
    vsp_buf_append(&s->row.text, text, len);
    return LXW_NO_ERROR;
}

lxw_error vsp_xlsx_stream_number(vsp_xlsx_stream *s, lxw_row_t row, lxw_col_t col, double value,
                                 lxw_format *format)
{
    lxw_error e = cell_check(s, row, col);
    if (e != LXW_NO_ERROR)
        return e;
    scell *c = cell_insert(s, row, col);
    c->kind = CELL_NUMBER;
    c->format = format;
    c->number = value;
    return LXW_NO_ERROR;
}

/* The splice's late bytes: the sheet's last row, rendered now. */
static bool late_row(void *ctx, const char **data, size_t *len)
{
    ssheet *sh = ctx;
    sh->late.len = 0;
    if (sh->last.open)
        render_row(sh->owner, sh->ws, &sh->last, &sh->late);
    *data = sh->late.p;
    *len = sh->late.len;
    return true;
}

lxw_error vsp_xlsx_stream_close(vsp_xlsx_stream *s, lxw_workbook *wb, int workers)
{
    sheet_end(s);
    size_t n = 0;
    vsp_xlsx_splice *sp = vsp_xcalloc(s->n_sheets + 1, sizeof *sp);
    for (size_t i = 0; i < s->n_sheets && !s->failed; i++) {
        ssheet *sh = s->sheets[i];
        if (!sh->spliced)
            continue;
        /* the part libxlsxwriter's packager names: worksheets counted from 1 */
        int index = 0;
        lxw_worksheet *w;
        STAILQ_FOREACH(w, wb->worksheets, list_pointers)
        {
            index++;
            if (w == sh->ws)
                break;
        }
        sp[n] = sh->splice;
        snprintf(sp[n].part, sizeof sp[n].part, "xl/worksheets/sheet%d.xml", index);
        sp[n].late = late_row;
        sp[n].late_ctx = sh;
        n++;
    }
    bool blocks = vsp_xlsx_block_deflate_begin(workers);
    if (blocks)
        vsp_xlsx_block_deflate_splices(sp, n);
    lxw_error e = workbook_close(wb);
    if (blocks)
        vsp_xlsx_block_deflate_end();
    free(sp);
    if (e == LXW_NO_ERROR && (s->failed || (!blocks && n > 0)))
        e = LXW_ERROR_ZIP_FILE_OPERATION; /* the rows could not be spliced in */
    return e;
}

int vsp_xlsx_stream_errno(const vsp_xlsx_stream *s)
{
    return s && s->failed ? s->sys_errno : 0;
}

void vsp_xlsx_stream_free(vsp_xlsx_stream *s)
{
    if (!s)
        return;
    vsp_deflate_free(s->d);
    for (size_t i = 0; i < s->n_sheets; i++) {
        free(s->sheets[i]->last.cells);
        vsp_buf_fini(&s->sheets[i]->last.text);
        free(s->sheets[i]->late.p);
        free(s->sheets[i]);
    }
    free(s->sheets);
    free(s->row.cells);
    vsp_buf_fini(&s->row.text);
    free(s->out.p);
    if (s->tmp)
        fclose(s->tmp);
    free(s);
}
