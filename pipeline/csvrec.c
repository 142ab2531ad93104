/* csvrec.c — CSV records with damage kept to its own line.  See csvrec.h. */
#include "pipeline/csvrec.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pipeline/util.h"

#define BLOCK (256 * 1024)
#define DEFAULT_MAX_RECORD (16 * 1024 * 1024)
/* An error record whose first line is longer than the limit keeps this
 * much of it. */
#define PREFIX 256

struct vsp_csv_reader {
    vsp_csv_read_fn read;
    void *ctx;
    bool utf8;
    size_t max_record;
    char delim;
    /* Bytes that end or break an unquoted field (the delimiter, CR, LF,
     * the quote), and those that end a run inside a quoted one (the
     * quote, CR, LF): a table lookup per byte in the loops that skip the
     * ordinary ones. */
    bool stop_unquoted[256];
    bool stop_quoted[256];

    char *buf;  /* buf[start..end) is read and not yet consumed */
    size_t cap, start, end;
    bool eof, started;
    long line;  /* physical line of buf[start] */

    /* The record being built: an unquoted cell is its bytes in buf, at
     * buf + off[k] (in_buf[k]); a quoted one is unquoted into text, at
     * text + off[k].  Offsets, as buf and text may move while the record
     * is read. */
    char *text;
    size_t text_len, text_cap;
    size_t *off;
    bool *in_buf;
    vsp_csv_cell *cells;
    size_t n_cells, cap_cells;
};

static const char *const error_words[] = {
    "",
    "quote inside an unquoted field",
    "text after a closing quote",
    "quoted field never closed",
    "record too long",
};

const char *vsp_csv_error_words(vsp_csv_error e)
{
    return (unsigned)e < sizeof error_words / sizeof error_words[0] ? error_words[e] : "?";
}

vsp_csv_reader *vsp_csv_reader_new(vsp_csv_read_fn read, void *ctx, bool utf8, size_t max_record)
{
    vsp_csv_reader *r = vsp_xcalloc(1, sizeof *r);
    r->read = read;
    r->ctx = ctx;
    r->utf8 = utf8;
    r->max_record = max_record ? max_record : DEFAULT_MAX_RECORD;
    r->line = 1;
    r->stop_quoted['"'] = r->stop_quoted['\n'] = r->stop_quoted['\r'] = true;
    vsp_csv_set_delim(r, ',');
    return r;
}

void vsp_csv_reader_free(vsp_csv_reader *r)
{
    if (!r)
        return;
    free(r->buf);
    free(r->text);
    free(r->off);
    free(r->in_buf);
    free(r->cells);
    free(r);
}

void vsp_csv_set_delim(vsp_csv_reader *r, char delim)
{
    r->delim = delim;
    memcpy(r->stop_unquoted, r->stop_quoted, sizeof r->stop_unquoted);
    r->stop_unquoted[(unsigned char)delim] = true;
}

long vsp_csv_line(const vsp_csv_reader *r)
{
    return r->line;
}

/* Read one more block after buf[end]; false at the end of the input.
 * The buffer may move: callers keep indices, never pointers. */
static bool fill(vsp_csv_reader *r)
{
    if (r->eof)
        return false;
    if (r->end + BLOCK > r->cap) {
        size_t cap = r->cap ? r->cap : BLOCK;
        while (cap < r->end + BLOCK)
            cap *= 2;
        r->buf = vsp_xrealloc(r->buf, cap);
        r->cap = cap;
    }
    size_t n = r->read(r->ctx, r->buf + r->end, BLOCK);
    if (n == 0) {
        r->eof = true;
        return false;
    }
    r->end += n;
    return true;
}

/* Is buf[i] there (reading as needed)? */
static inline bool have(vsp_csv_reader *r, size_t i)
{
    while (i >= r->end)
        if (!fill(r))
            return false;
    return true;
}

static void begin(vsp_csv_reader *r)
{
    if (r->started)
        return;
    r->started = true;
    while (r->end - r->start < 3 && fill(r))
        ;
    if (r->end - r->start >= 3 && memcmp(r->buf + r->start, "\xEF\xBB\xBF", 3) == 0)
        r->start += 3;
}

/* Move the unconsumed bytes to the front when the consumed ones are the
 * larger part (only between records: indices of a record stay valid). */
static void compact(vsp_csv_reader *r)
{
    if (r->start == 0)
        return;
    if (r->start == r->end) {
        r->start = r->end = 0;
    } else if (r->start >= r->cap / 2) {
        memmove(r->buf, r->buf + r->start, r->end - r->start);
        r->end -= r->start;
        r->start = 0;
    }
}

const char *vsp_csv_peek(vsp_csv_reader *r, size_t *len)
{
    begin(r);
    *len = r->end - r->start;
    return r->buf ? r->buf + r->start : "";
}

static inline bool is_eol(char c)
{
    return c == '\n' || c == '\r';
}

static void text_put(vsp_csv_reader *r, const char *s, size_t n)
{
    if (n == 0)
        return;
    if (r->text_len + n > r->text_cap) {
        size_t cap = r->text_cap ? r->text_cap : 4096;
        while (cap < r->text_len + n)
            cap *= 2;
        r->text = vsp_xrealloc(r->text, cap);
        r->text_cap = cap;
    }
    memcpy(r->text + r->text_len, s, n);
    r->text_len += n;
}

/* One more cell: len bytes at off in buf (in_buf) or in text. */
static void cell_add(vsp_csv_reader *r, size_t off, size_t len, bool in_buf)
{
    if (r->n_cells == r->cap_cells) {
        r->cap_cells = r->cap_cells ? r->cap_cells * 2 : 32;
        r->cells = vsp_xrealloc(r->cells, r->cap_cells * sizeof *r->cells);
        r->off = vsp_xrealloc(r->off, r->cap_cells * sizeof *r->off);
        r->in_buf = vsp_xrealloc(r->in_buf, r->cap_cells * sizeof *r->in_buf);
    }
    r->off[r->n_cells] = off;
    r->in_buf[r->n_cells] = in_buf;
    r->cells[r->n_cells].len = len;
    r->n_cells++;
}

/* Consume through the end of the current physical line (at r->start),
 * whatever its length, keeping no more than a block of it in memory. */
static void skip_to_eol(vsp_csv_reader *r)
{
    for (;;) {
        while (r->start < r->end && !is_eol(r->buf[r->start]))
            r->start++;
        if (r->start < r->end)
            break;
        r->start = r->end = 0;
        if (!fill(r))
            return; /* the last line, without a line end */
    }
    char c = r->buf[r->start++];
    if (c == '\r' && have(r, r->start) && r->buf[r->start] == '\n')
        r->start++;
}

/* Characters of buf[from..to) (UTF-8 characters, or bytes). */
static long chars(const vsp_csv_reader *r, size_t from, size_t to)
{
    if (!r->utf8)
        return (long)(to - from);
    long n = 0;
    for (size_t i = from; i < to; i++)
        n += ((unsigned char)r->buf[i] & 0xC0) != 0x80;
    return n;
}

/* The record starting at s is malformed (what, at buf[pos] on line
 * pos_line): return its first physical line as an error record and go on
 * at the next line. */
static int error_record(vsp_csv_reader *r, vsp_csv_record *rec, size_t s, vsp_csv_error what,
                        size_t pos, long pos_line)
{
    size_t ls = pos;
    while (ls > s && !is_eol(r->buf[ls - 1]))
        ls--;
    rec->error = what;
    rec->err_line = pos_line;
    rec->err_col = chars(r, ls, pos) + 1;
    rec->err_cell = r->n_cells;
    rec->n_cells = 0;
    rec->cells = NULL;
    rec->lines = 1;
    size_t k = s;
    while (have(r, k) && !is_eol(r->buf[k]) && k - s <= r->max_record)
        k++;
    r->text_len = 0;
    if (have(r, k) && !is_eol(r->buf[k])) {
        /* A first line over the limit: keep its start, skip the rest. */
        size_t keep = k - s < PREFIX ? k - s : PREFIX;
        text_put(r, r->buf + s, keep);
        r->start = k;
        skip_to_eol(r);
        rec->raw = r->text;
        rec->raw_len = keep;
    } else {
        size_t e = k;
        if (have(r, k)) {
            k++;
            if (r->buf[e] == '\r' && have(r, k) && r->buf[k] == '\n')
                k++;
        }
        r->start = k;
        rec->raw = r->buf + s;
        rec->raw_len = e - s;
    }
    r->line = rec->line + 1;
    return 1;
}

int vsp_csv_next(vsp_csv_reader *r, vsp_csv_record *rec)
{
    begin(r);
    compact(r);
    memset(rec, 0, sizeof *rec);
    if (!have(r, r->start))
        return 0;
    const char delim = r->delim;
    const size_t s = r->start, max = r->max_record;
    long line = r->line;
    rec->line = line;
    r->text_len = 0;
    r->n_cells = 0;
    size_t i = s, raw_end;
    for (;;) {
        size_t off = r->text_len, cell_at = 0, cell_len = 0;
        bool in_buf = false;
        size_t j = i;
        while (have(r, j) && (r->buf[j] == ' ' || (r->buf[j] == '\t' && delim != '\t')))
            j++;
        if (have(r, j) && r->buf[j] == '"') {
            size_t qpos = j;
            long qline = line;
            j++;
            for (;;) {
                if (j - s > max)
                    return error_record(r, rec, s, VSP_CSV_TOO_LONG, qpos, qline);
                if (!have(r, j))
                    return error_record(r, rec, s, VSP_CSV_UNTERMINATED, qpos, qline);
                /* A run of ordinary bytes at once. */
                size_t k = j, lim = s + max + 1 < r->end ? s + max + 1 : r->end;
                while (k < lim && !r->stop_quoted[(unsigned char)r->buf[k]])
                    k++;
                if (k > j) {
                    text_put(r, r->buf + j, k - j);
                    j = k;
                    continue;
                }
                char c = r->buf[j];
                if (c == '"') {
                    if (have(r, j + 1) && r->buf[j + 1] == '"') {
                        text_put(r, "\"", 1);
                        j += 2;
                        continue;
                    }
                    j++;
                    break;
                }
                if (c == '\n' || !(have(r, j + 1) && r->buf[j + 1] == '\n'))
                    line++; /* LF, or a CR alone (a CR before LF counts with the LF) */
                text_put(r, &c, 1);
                j++;
            }
            while (have(r, j) && (r->buf[j] == ' ' || (r->buf[j] == '\t' && delim != '\t')))
                j++;
            if (have(r, j) && r->buf[j] != delim && !is_eol(r->buf[j])) {
                /* On the quote's own line the text is what to look at; on a
                 * later line the opening quote was most likely stray. */
                if (line == qline)
                    return error_record(r, rec, s, VSP_CSV_AFTER_QUOTE, j, line);
                return error_record(r, rec, s, VSP_CSV_AFTER_QUOTE, qpos, qline);
            }
            cell_at = off;
            cell_len = r->text_len - off;
        } else {
            j = i;
            /* Ordinary bytes of the block at once; the loop below sees the
             * byte that stops this one, and reads on at a block's end. */
            size_t lim = s + max + 1 < r->end ? s + max + 1 : r->end;
            while (j < lim && !r->stop_unquoted[(unsigned char)r->buf[j]])
                j++;
            while (have(r, j)) {
                char c = r->buf[j];
                if (c == delim || is_eol(c))
                    break;
                if (c == '"')
                    return error_record(r, rec, s, VSP_CSV_STRAY_QUOTE, j, line);
                if (j - s > max)
                    return error_record(r, rec, s, VSP_CSV_TOO_LONG, j, line);
                j++;
            }
            cell_at = i;
            cell_len = j - i;
            in_buf = true;
        }
        cell_add(r, cell_at, cell_len, in_buf);
        if (!have(r, j)) { /* the last record, without a line end */
            raw_end = j;
            r->start = j;
            line++;
            break;
        }
        if (r->buf[j] == delim) {
            i = j + 1;
            continue;
        }
        raw_end = j;
        if (r->buf[j] == '\r' && have(r, j + 1) && r->buf[j + 1] == '\n')
            j++;
        r->start = j + 1;
        line++;
        break;
    }
    r->line = line;
    rec->lines = line - rec->line;
    rec->raw = r->buf + s;
    rec->raw_len = raw_end - s;
    for (size_t k = 0; k < r->n_cells; k++)
        r->cells[k].data = r->in_buf[k] ? r->buf + r->off[k] : r->text ? r->text + r->off[k] : "";
    rec->cells = r->cells;
    rec->n_cells = r->n_cells;
    return 1;
}

int vsp_csv_skip_line(vsp_csv_reader *r)
{
    begin(r);
    compact(r);
    if (!have(r, r->start))
        return 0;
    skip_to_eol(r);
    r->line++;
    return 1;
}
