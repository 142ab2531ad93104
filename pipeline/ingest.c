#include "pipeline/ingest.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pipeline/progress.h"
#include "pipeline/csvrec.h"
#include "pipeline/datetime.h"
#include "pipeline/encoding.h"
#include "pipeline/i18n.h"
#include "pipeline/pipe.h"
#include "pipeline/urlkey.h"
#include "pipeline/util.h"

#define READ_BLOCK (256 * 1024)
#define MAX_COLUMNS 1000
#define DEFAULT_MAX_CELL (1024 * 1024)
/* A record this long can only be a quote never closed swallowing the
 * file: its first line is rejected and reading goes on after it. */
#define MAX_RECORD (16 * 1024 * 1024)
/* More rows than this with bytes invalid in the profile's encoding: the
 * file is in another encoding, refused as a whole. */
#define ENCODING_TOLERANCE 3
/* Rows travel from the parsing thread to the storing thread in batches of
 * this many rows (or this many bytes of text, for rows with long cells);
 * BATCHES of them exist, which bounds the memory between the two. */
#define BATCH_ROWS 1024
#define BATCH_BYTES (1024 * 1024)
#define BATCHES 4

static const char *const reason_codes[VSP_REJECT_COUNT] = {
    "missing_value", "bad_date",       "unmapped_label", "bad_encoding",
    "extra_fields",  "inconsistent",   "field_too_long", "bad_quoting",
    "short_row",     "total_line",
};

/* Catalogue entries in context "reject" (po/), for workbooks and reports. */
static const char *const reason_words[VSP_REJECT_COUNT] = {
    NC_("reject", "A required field is empty"),
    NC_("reject", "A date that cannot be read"),
    NC_("reject", "A label the profile does not map"),
    NC_("reject", "Text not valid in the file's encoding"),
    NC_("reject", "More fields than the header"),
    NC_("reject", "Contradictory fields"),
    NC_("reject", "A field longer than allowed"),
    NC_("reject", "A quote out of place"),
    NC_("reject", "Fewer fields than the header"),
    NC_("reject", "A total line, not a case"),
};

const char *vsp_reject_reason_code(vsp_reject_reason r)
{
    return (unsigned)r < VSP_REJECT_COUNT ? reason_codes[r] : "?";
}

const char *vsp_reject_reason_words(vsp_reject_reason r)
{
    return (unsigned)r < VSP_REJECT_COUNT ? reason_words[r] : "?";
}

vsp_reject_reason vsp_reject_reason_from_code(const char *code)
{
    int r = 0;
    while (r < VSP_REJECT_COUNT && (!code || strcmp(code, reason_codes[r]) != 0))
        r++;
    return (vsp_reject_reason)r;
}

void vsp_ingest_result_init(vsp_ingest_result *r)
{
    memset(r, 0, sizeof *r);
}

void vsp_ingest_result_fini(vsp_ingest_result *r)
{
    free(r->rejects_path);
    r->rejects_path = NULL;
}

/* One timestamp field of the canonical record. */
typedef struct ts_value {
    bool set;
    vsp_timestamp ts;
} ts_value;

/* The canonical record built from one row. */
typedef struct record {
    const char *case_id;
    size_t case_id_len;
    const char *platform;
    const char *item_kind;
    int category_id, decision_id, outcome_id, channel_id;
    ts_value received, decided, forwarded, outcome;
    const char *text[VSP_F_COUNT]; /* decoded text fields, NULL if empty */
    size_t text_len[VSP_F_COUNT];
} record;

/* What the parsing thread hands to the storing thread for one row: a
 * canonical case, or a rejected row.  Text lives in the batch's arena,
 * referred to by offset (the arena may move while the batch fills). */
enum {
    T_CASE_ID, T_PLATFORM, T_CONTENT_URL, T_CONTENT_KEY, T_NATIONAL_LABEL, T_LEGAL_BASIS,
    T_REPORTER_NAME, T_REPORTER_EMAIL, T_REPORTER_PHONE, T_ACCOUNT_HANDLE, T_NOTES,
    T_COUNT,
    /* a rejected row */
    T_MESSAGE = 0, T_RAW = 1
};
#define NO_TEXT SIZE_MAX

typedef struct row_item {
    long line;
    int reject; /* -1 for a case, else the vsp_reject_reason */
    int field;  /* rejected: the canonical field at fault, or -1 */
    int category_id, decision_id, outcome_id, channel_id;
    const char *item_kind; /* a static string */
    ts_value received, decided, forwarded, outcome;
    uint64_t hash;
    size_t off[T_COUNT], len[T_COUNT]; /* off NO_TEXT: NULL */
} row_item;

/* A staged content key: (content_key, case_id) in ingest.key_arena. */
typedef struct key_entry {
    size_t off;                /* the key; the case id follows its NUL */
    const char *p;             /* the same, set when the arena stops moving */
    uint32_t key_len, id_len;
} key_entry;

/* A sorted run of staged keys in ingest.key_spill: bytes [start, end),
 * entries of (uint32 key length, uint32 case id length, key, case id). */
typedef struct key_run {
    uint64_t start, end;
} key_run;

/* A label met before (label_lookup): its text as read, folded, and the
 * id the profile maps it to (0: none). */
#define LABEL_CACHE 64
typedef struct label_hit {
    uint64_t h;
    size_t len;
    char *text, *folded;
    int id;
} label_hit;

typedef struct batch {
    row_item *items;
    size_t n, cap;
    vsp_buf arena;
} batch;

typedef struct ingest {
    vsp_store *store;
    const vsp_profile *profile;
    const vsp_ingest_options *opt;
    vsp_ingest_result *res;
    vsp_error *err;
    const char *path;
    const char *file_name;
    int32_t exported_day; /* YYYYMMDD the export was taken; 0: not stated */
    vsp_status failed; /* first fatal error met inside a callback */
    int forwarded_id;  /* the decision 'forwarded' and the outcome 'pending', */
    int pending_id;    /* looked up by code (vsp_map_code_id) */

    vsp_decoder *decoder;
    bool keeps_ascii; /* the decoder maps ASCII to itself */
    vsp_tz *tz;
    vsp_datefmt *datefmt[VSP_DATE_COUNT];
    size_t max_cell;

    /* Current row: its cells as read (the reader's), and the record. */
    const vsp_csv_cell *cells;
    size_t n_cells;
    const vsp_csv_record *rec;
    long line;      /* physical line where the next row starts */
    bool header_done;
    /* Mapped columns the header lacks (optional ones): an update keeps
     * what the warehouse holds for them. */
    bool absent[VSP_F_COUNT];
    bool any_absent;
    /* Encoding evidence, row by row (rows with bytes of other encodings). */
    bool single_byte;
    uint64_t enc_bad_rows, enc_utf8_rows, enc_other_rows;
    long enc_first_line;
    vsp_buf enc_sample; /* bytes of the rows at fault, for the guess */
    uint64_t bytes_read;
    char delim; /* the profile's, or detected from the header line */
    int column_of[VSP_F_COUNT]; /* -1: not in the file */
    size_t header_width;

    /* Scratch, reused for every row. */
    vsp_buf value[VSP_F_COUNT];
    vsp_buf fold;
    vsp_buf key;
    vsp_buf msg;
    vsp_buf raw;
    vsp_buf dec;
    label_hit labels[VSP_MAP_COUNT][LABEL_CACHE]; /* label_lookup */
    char *suggest_for[VSP_MAP_COUNT]; /* the last unmapped label (folded) per map */
    const char *suggestion[VSP_MAP_COUNT]; /* and its suggestion (the profile's) */
    char **header_names; /* decoded, for messages */
    size_t n_header_names;

    /* The parsing thread fills `cur` and sends it through `pipe` to the
     * storing thread (the caller's), which owns the statements below and
     * reports its failure in sfailed/serr, apart from the parser's. */
    vsp_pipe *pipe;
    batch *cur;
    batch batches[BATCHES];
    vsp_status sfailed;
    vsp_error serr;

    sqlite3_stmt *sel, *ins, *upd, *seen, *hist, *rej, *sel_stored, *key_ins, *key_del;
    vsp_buf stored; /* texts of a stored case (merge_stored) */
    vsp_buf old_key; /* the stored content key of the case being compared */
    /* The content keys of the cases stored since the last run was written
     * (spill_keys), inserted into case_key sorted at the end of the file
     * (flush_keys): entries index the arena, which holds key NUL case_id
     * NUL. */
    vsp_buf key_arena;
    struct key_entry *keys;
    size_t n_keys, cap_keys;
    /* A file with more keys than the stage holds: the stage is sorted and
     * written to a temporary file as a run (spill_keys), and the runs are
     * merged at the end, so that case_key is walked once per file. */
    size_t key_stage; /* bytes of key_arena that make a run */
    FILE *key_spill;
    struct key_run *runs;
    size_t n_runs, cap_runs;
    uint64_t spill_len;
    int64_t run_id;
    int32_t latest_day; /* latest local date of any event of a stored row (DESIGN §5 "as of") */

    /* Bulk load (is_bulk): secondary indexes dropped, recreated before
     * commit.  Large file (bulk_journal): rollback journal while it runs. */
    bool is_bulk, bulk_journal;
    char **index_sql;
    size_t n_index;

    FILE *rejects;
    char *rejects_tmp;
    char *rejects_final;
} ingest;

/* ---- helpers --------------------------------------------------------- */

/* The row as read (UTF-8 whatever the file's encoding) into in->raw. */
static void raw_row(ingest *in)
{
    vsp_buf_clear(&in->raw);
    if (in->rec)
        vsp_decoder_convert(in->decoder, in->rec->raw, in->rec->raw_len, &in->raw);
    else
        vsp_buf_append(&in->raw, "", 0);
}

/* mkdir -p, with mode 0700 for what it creates (rejected rows hold
 * personal data).  0, or -1 and errno. */
static int make_dirs(const char *dir)
{
    char *path = vsp_xstrdup(dir);
    int rc = 0;
    for (char *p = path + 1; rc == 0; p++) {
        if (*p != '/' && *p != '\0')
            continue;
        char was = *p;
        *p = '\0';
        struct stat sb;
        if (stat(path, &sb) != 0 && (mkdir(path, 0700) != 0 && errno != EEXIST))
            rc = -1;
        *p = was;
        if (!was)
            break;
    }
    free(path);
    return rc;
}

static bool rejects_open(ingest *in)
{
    if (in->rejects)
        return true;
    const char *dir = in->opt && in->opt->rejects_dir ? in->opt->rejects_dir : NULL;
    char *store_dir = NULL;
    if (!dir) {
        const char *db = vsp_store_path(in->store);
        const char *slash = strrchr(db, '/');
        store_dir = slash ? vsp_xstrndup(db, (size_t)(slash - db)) : vsp_xstrdup(".");
        if (!*store_dir) {
            free(store_dir);
            store_dir = vsp_xstrdup("/");
        }
        dir = store_dir;
    }
    in->rejects_final = vsp_xasprintf("%s/%s.rejects.csv", dir, in->file_name);
    in->rejects_tmp = vsp_xasprintf("%s.tmp.%ld", in->rejects_final, (long)getpid());
    free(store_dir);
    if (in->opt && in->opt->rejects_dir && make_dirs(in->opt->rejects_dir) != 0) {
        in->sfailed = vsp_error_set(&in->serr, VSP_ECANTCREAT,
                                    "%s: cannot create the folder for the rejects report: %s",
                                    in->opt->rejects_dir, strerror(errno));
        return false;
    }
    in->rejects = fopen(in->rejects_tmp, "wb");
    if (!in->rejects) {
        in->sfailed = vsp_error_set(&in->serr, VSP_ECANTCREAT,
                                    "%s: cannot write rejects report: %s", in->rejects_final,
                                    strerror(errno));
        return false;
    }
    fputs("\xEF\xBB\xBF" "file,line,reason,field,message,raw\n", in->rejects);
    return true;
}

/* One quoted cell of the rejects report.  Analysts open it in a
 * spreadsheet: text that would run as a formula (starting with = + - @,
 * TAB or CR) gets a leading apostrophe, as in the research export. */
static void csv_cell(FILE *fp, const char *s, size_t len, bool last)
{
    fputc('"', fp);
    if (len && strchr("=+-@\t\r", s[0]))
        fputc('\'', fp);
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '"')
            fputc('"', fp);
        fputc(s[i], fp);
    }
    fputc('"', fp);
    fputc(last ? '\n' : ',', fp);
}

/* ---- batches (parsing thread) ---------------------------------------- */

static row_item *batch_add(ingest *in, long line, int reject)
{
    batch *b = in->cur;
    if (b->n == b->cap) {
        b->cap = b->cap ? b->cap * 2 : BATCH_ROWS;
        b->items = vsp_xrealloc(b->items, b->cap * sizeof *b->items);
    }
    row_item *it = &b->items[b->n++];
    memset(it, 0, sizeof *it);
    it->line = line;
    it->reject = reject;
    it->field = -1;
    return it;
}

static void batch_text(ingest *in, row_item *it, int slot, const char *s, size_t len)
{
    if (!s) {
        it->off[slot] = NO_TEXT;
        return;
    }
    it->off[slot] = in->cur->arena.len;
    it->len[slot] = len;
    vsp_buf_append(&in->cur->arena, s, len);
}

/* Hand the current batch to the storing thread when it is full (or, with
 * `last`, whatever it holds) and take an empty one.  A storing thread
 * that has stopped makes the parser stop too. */
static void batch_flush(ingest *in, bool last)
{
    batch *b = in->cur;
    if (!b || (!last && b->n < BATCH_ROWS && b->arena.len < BATCH_BYTES))
        return;
    in->cur = NULL;
    if (!vsp_pipe_send(in->pipe, b) || (!last && !(in->cur = vsp_pipe_take_empty(in->pipe))))
        in->failed = in->failed ? in->failed : VSP_ESOFTWARE; /* the storer's error wins */
}

/* Reject the current row (line; col > 0 adds the column of the fault)
 * with the message in in->msg. */
static void reject_at(ingest *in, long line, long col, vsp_reject_reason reason, int field)
{
    vsp_ingest_result *res = in->res;
    res->counts.rows_rejected++;
    res->counts.rejected_by[reason]++;
    const char *fname = field >= 0 ? vsp_field_name((vsp_field)field) : NULL;
    if (res->n_samples < VSP_INGEST_SAMPLE_REJECTS) {
        char where[32] = "";
        if (col > 0)
            snprintf(where, sizeof where, ":%ld", col);
        snprintf(res->samples[res->n_samples++], sizeof res->samples[0], "%s:%ld%s: %s%s%s",
                 in->file_name, line, where, fname ? fname : "", fname ? ": " : "",
                 in->msg.data ? in->msg.data : "");
    }
    /* The raw row is stored as UTF-8 whatever the file's encoding. */
    raw_row(in);
    row_item *it = batch_add(in, line, (int)reason);
    it->field = field;
    batch_text(in, it, T_MESSAGE, in->msg.data ? in->msg.data : "", in->msg.len);
    batch_text(in, it, T_RAW, in->raw.data ? in->raw.data : "", in->raw.len);
    batch_flush(in, false);
}

static void reject(ingest *in, long line, vsp_reject_reason reason, int field)
{
    reject_at(in, line, 0, reason, field);
}

/* Append data text to in->msg, escaped for a terminal and cut at max. */
static void msg_text(ingest *in, const char *s, size_t len, size_t max)
{
    vsp_escape(s, len, max, &in->msg);
}

/* ---- storing (the caller's thread) ------------------------------------ */

static const char *item_text(const batch *b, const row_item *it, int slot, size_t *len)
{
    *len = it->len[slot];
    return it->off[slot] == NO_TEXT ? NULL : b->arena.data + it->off[slot];
}

static void store_reject(ingest *in, const batch *b, const row_item *it)
{
    const char *fname = it->field >= 0 ? vsp_field_name((vsp_field)it->field) : NULL;
    const char *code = reason_codes[it->reject];
    size_t msg_len, raw_len;
    const char *msg = item_text(b, it, T_MESSAGE, &msg_len);
    const char *raw = item_text(b, it, T_RAW, &raw_len);
    sqlite3_stmt *st = in->rej;
    sqlite3_bind_int64(st, 1, in->run_id);
    sqlite3_bind_int64(st, 2, it->line);
    sqlite3_bind_text(st, 3, code, -1, SQLITE_STATIC);
    if (fname)
        sqlite3_bind_text(st, 4, fname, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, 4);
    sqlite3_bind_text(st, 5, msg, (int)msg_len, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, raw, (int)raw_len, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE)
        in->sfailed = vsp_store_error(in->store, &in->serr, "storing a rejected row");
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (!in->sfailed && rejects_open(in)) {
        char num[32];
        snprintf(num, sizeof num, "%ld", it->line);
        csv_cell(in->rejects, in->file_name, strlen(in->file_name), false);
        csv_cell(in->rejects, num, strlen(num), false);
        csv_cell(in->rejects, code, strlen(code), false);
        csv_cell(in->rejects, fname ? fname : "", fname ? strlen(fname) : 0, false);
        csv_cell(in->rejects, msg, msg_len, false);
        csv_cell(in->rejects, raw, raw_len, true);
    }
}

/* The decoded text of a field, or NULL when absent/empty: identifiers and
 * labels normalised (vsp_normalize: invisible characters dropped, spaces
 * collapsed, NFC), notes only trimmed.  Sets *bad when the bytes are
 * invalid for the encoding. */
static const char *field_text(ingest *in, vsp_field f, size_t *len, bool *bad)
{
    *len = 0;
    int col = in->column_of[f];
    if (col < 0 || (size_t)col >= in->n_cells) {
        const char *d = in->profile->defaults[f];
        if (d && *d) {
            *len = strlen(d);
            return d;
        }
        return NULL;
    }
    const vsp_csv_cell *cell = &in->cells[col];
    size_t tl;
    const char *t = vsp_trim(cell->data ? cell->data : "", cell->len, &tl);
    if (tl == 0) {
        const char *d = in->profile->defaults[f];
        if (d && *d) {
            *len = strlen(d);
            return d;
        }
        return NULL;
    }
    /* Printable ASCII with single inner spaces (dates, case numbers,
     * URLs, addresses, most labels): decoding and normalising give it back
     * unchanged, so it is used where it lies, in the reader's record. */
    if (in->keeps_ascii && vsp_plain_ascii(t, tl)) {
        *len = tl;
        return t;
    }
    vsp_buf *out = &in->value[f];
    vsp_buf_clear(out);
    if (f == VSP_F_NOTES) {
        if (!vsp_decoder_convert(in->decoder, t, tl, out))
            *bad = true;
        const char *v = vsp_trim(out->data ? out->data : "", out->len, len);
        return *len ? v : NULL;
    }
    if (!vsp_decoder_convert(in->decoder, t, tl, out))
        *bad = true;
    /* Text already normal (most Cyrillic and Latin names and labels) is
     * kept as decoded; the rest is normalised and takes its place. */
    if (!vsp_normal(out->data, out->len)) {
        vsp_normalize(out->data, out->len, &in->dec);
        vsp_buf tmp = *out;
        *out = in->dec;
        in->dec = tmp;
    }
    *len = out->len;
    return *len ? out->data : NULL;
}

/* "column 5 'Kategoria'" for messages. */
static void column_words(ingest *in, int col, vsp_buf *out)
{
    vsp_buf_printf(out, "column %d", col + 1);
    if (col >= 0 && (size_t)col < in->n_header_names && in->header_names[col][0]) {
        vsp_buf_puts(out, " '");
        vsp_escape(in->header_names[col], strlen(in->header_names[col]), 80, out);
        vsp_buf_puts(out, "'");
    }
}

static void column_header(ingest *in, vsp_field f, vsp_buf *out)
{
    vsp_buf_clear(out);
    int col = in->column_of[f];
    if (col >= 0)
        vsp_buf_printf(out, "column %d", col + 1);
    else
        vsp_buf_puts(out, "[defaults]");
}

/* Digits, with spaces, dots or commas between them ("2211", "1 943"). */
static bool is_number(const char *s, size_t len)
{
    bool digit = false;
    for (size_t i = 0; i < len; i++) {
        if (s[i] >= '0' && s[i] <= '9')
            digit = true;
        else if (s[i] != ' ' && s[i] != '.' && s[i] != ',')
            return false;
    }
    return digit;
}

/* A label as folded and what the profile maps it to (0: nothing),
 * remembered per map: an export repeats a handful of labels on every row,
 * and folding one costs more than finding it again. */
static const label_hit *label_lookup(ingest *in, vsp_map_kind k, const char *text, size_t len)
{
    uint64_t h = 14695981039346656037ULL;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)text[i]) * 1099511628211ULL;
    label_hit *e = &in->labels[k][h % LABEL_CACHE];
    if (e->folded && e->h == h && e->len == len && memcmp(e->text, text, len) == 0)
        return e;
    vsp_fold(text, len, &in->fold);
    free(e->text);
    free(e->folded);
    e->h = h;
    e->len = len;
    e->text = vsp_xmalloc(len + 1);
    memcpy(e->text, text, len);
    e->text[len] = '\0';
    e->folded = vsp_xstrdup(in->fold.data ? in->fold.data : "");
    e->id = vsp_profile_lookup(in->profile, k, e->folded);
    return e;
}

/* Map a label; on failure fill in->msg with the fix. Returns id or 0. */
static int map_label(ingest *in, vsp_field f, vsp_map_kind k, const char *text, size_t len)
{
    const label_hit *hit = label_lookup(in, k, text, len);
    if (hit->id)
        return hit->id;
    const char *folded = hit->folded;
    /* The suggestion compares the label with every mapped one: remember
     * the last per map, as an export repeats its unmapped labels. */
    const char *suggest;
    if (in->suggest_for[k] && strcmp(in->suggest_for[k], folded) == 0) {
        suggest = in->suggestion[k];
    } else {
        suggest = vsp_profile_suggest(in->profile, k, folded);
        free(in->suggest_for[k]);
        in->suggest_for[k] = vsp_xstrdup(folded);
        in->suggestion[k] = suggest;
    }
    vsp_buf where;
    vsp_buf_init(&where);
    column_header(in, f, &where);
    vsp_buf_clear(&in->msg);
    vsp_buf_puts(&in->msg, "unmapped label '");
    msg_text(in, text, len, 200);
    vsp_buf_printf(&in->msg, "' (%s); ", where.data);
    /* A count where a label belongs is most often the export's total line
     * ("Total;4342;;;") or a row whose cells slid by a delimiter: say so
     * before suggesting to map it, which is right only for an export that
     * codes labels as numbers. */
    if (!suggest && is_number(text, len))
        vsp_buf_printf(&in->msg,
                       "a number where a label belongs: a total line, or cells moved by a "
                       "missing or extra delimiter, is not a case and can stay rejected; only "
                       "if the export codes labels as numbers, ");
    vsp_buf_printf(&in->msg, "add this line under [%s] in %s: ", vsp_map_section(k),
                   in->profile->path);
    vsp_buf_putc(&in->msg, '\'');
    msg_text(in, text, len, 200);
    if (suggest) {
        vsp_buf_printf(&in->msg, " = %s'", suggest);
    } else {
        vsp_buf_puts(&in->msg, " = <code>' with <code> one of:");
        const char *const *codes = vsp_map_codes(k);
        for (int i = 0; codes && codes[i]; i++)
            vsp_buf_printf(&in->msg, " %s", codes[i]);
        if (!codes)
            vsp_buf_puts(&in->msg, " a lower-case platform name such as tiktok");
    }
    vsp_buf_fini(&where);
    return 0;
}

static void bad_encoding(ingest *in, long line, vsp_field f)
{
    vsp_buf_clear(&in->msg);
    vsp_buf_puts(&in->msg, "bytes that are not valid ");
    vsp_buf_puts(&in->msg, in->profile->encoding);
    vsp_buf_puts(&in->msg, " (or a NUL byte) in ");
    column_words(in, in->column_of[f], &in->msg);
    vsp_buf_printf(&in->msg, "; check [format] encoding in %s", in->profile->path);
    reject(in, line, VSP_REJECT_BAD_ENCODING, (int)f);
}

static bool parse_date(ingest *in, vsp_field f, int which, ts_value *out, long line,
                       bool required)
{
    size_t len;
    bool bad = false;
    const char *t = field_text(in, f, &len, &bad);
    out->set = false;
    if (bad) {
        bad_encoding(in, line, f);
        return false;
    }
    if (!t) {
        if (!required)
            return true;
        vsp_buf_clear(&in->msg);
        vsp_buf_printf(&in->msg, "required value is empty");
        reject(in, line, VSP_REJECT_MISSING_VALUE, (int)f);
        return false;
    }
    char why[256];
    if (!vsp_datefmt_parse(in->datefmt[which], in->tz, t, len, &out->ts, why, sizeof why)) {
        vsp_buf_clear(&in->msg);
        vsp_buf_putc(&in->msg, '\'');
        msg_text(in, t, len, 80);
        vsp_buf_printf(&in->msg, "': %s; fix the date or list its format in [format] of %s", why,
                       in->profile->path);
        reject(in, line, VSP_REJECT_BAD_DATE, (int)f);
        return false;
    }
    out->set = true;
    return true;
}

/* FNV-1a, 64 bits: a digest of the canonical record to tell an unchanged
 * case from an updated one without comparing every column. */
static uint64_t fnv(uint64_t h, const void *data, size_t len)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 1099511628211ULL;
    }
    return h;
}

static uint64_t hash_str(uint64_t h, const char *s, size_t len)
{
    h = fnv(h, s ? s : "", s ? len : 0);
    unsigned char sep = s ? 0x1f : 0x1e;
    return fnv(h, &sep, 1);
}

static uint64_t hash_int(uint64_t h, int64_t v)
{
    return fnv(h, &v, sizeof v);
}

static uint64_t hash_ts(uint64_t h, const ts_value *t)
{
    if (!t->set)
        return hash_int(h, INT64_MIN);
    h = hash_int(h, t->ts.utc);
    return hash_int(h, t->ts.prec);
}

static void bind_ts(sqlite3_stmt *st, int i, const ts_value *t)
{
    if (t->set) {
        sqlite3_bind_int64(st, i, t->ts.utc);
        sqlite3_bind_int64(st, i + 1, t->ts.local_day);
        sqlite3_bind_int(st, i + 2, (int)t->ts.prec);
    } else {
        sqlite3_bind_null(st, i);
        sqlite3_bind_null(st, i + 1);
        sqlite3_bind_null(st, i + 2);
    }
}

static void bind_id(sqlite3_stmt *st, int i, int id)
{
    if (id)
        sqlite3_bind_int(st, i, id);
    else
        sqlite3_bind_null(st, i);
}

/* The texts of a row item, as pointers (into a batch's arena, or into
 * the warehouse's row for the fields an absent column keeps). */
typedef struct item_view {
    const char *s[T_COUNT];
    size_t len[T_COUNT];
} item_view;

static const char *item_text(const batch *b, const row_item *it, int slot, size_t *len);

static void view_of(const batch *b, const row_item *it, item_view *v)
{
    for (int i = 0; i < T_COUNT; i++)
        v->s[i] = item_text(b, it, i, &v->len[i]);
}

/* The digest of a canonical record (row_hash), to tell an unchanged case
 * from an updated one without comparing every column.  Platform and kind,
 * the ids, the dates, then the texts, in a fixed order. */
static uint64_t item_hash(const row_item *it, const item_view *v)
{
    uint64_t h = 14695981039346656037ULL;
    h = hash_str(h, v->s[T_PLATFORM], v->len[T_PLATFORM]);
    h = hash_str(h, it->item_kind, strlen(it->item_kind));
    h = hash_int(h, it->category_id);
    h = hash_int(h, it->decision_id);
    h = hash_int(h, it->outcome_id);
    h = hash_int(h, it->channel_id);
    h = hash_ts(h, &it->received);
    h = hash_ts(h, &it->decided);
    h = hash_ts(h, &it->forwarded);
    h = hash_ts(h, &it->outcome);
    static const int texts[] = {T_CONTENT_URL,    T_NATIONAL_LABEL, T_LEGAL_BASIS,
                                T_REPORTER_NAME,  T_REPORTER_EMAIL, T_REPORTER_PHONE,
                                T_ACCOUNT_HANDLE, T_NOTES};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        h = hash_str(h, v->s[texts[i]], v->len[texts[i]]);
    return h;
}

/* The record packed into the current batch, with its digest (parsing
 * thread). */
static void emit_case(ingest *in, const record *r, long line)
{
    static const struct {
        vsp_field f;
        int slot;
    } texts[] = {{VSP_F_CONTENT_URL, T_CONTENT_URL},
                 {VSP_F_NATIONAL_LABEL, T_NATIONAL_LABEL},
                 {VSP_F_LEGAL_BASIS, T_LEGAL_BASIS},
                 {VSP_F_REPORTER_NAME, T_REPORTER_NAME},
                 {VSP_F_REPORTER_EMAIL, T_REPORTER_EMAIL},
                 {VSP_F_REPORTER_PHONE, T_REPORTER_PHONE},
                 {VSP_F_ACCOUNT_HANDLE, T_ACCOUNT_HANDLE},
                 {VSP_F_NOTES, T_NOTES}};
    row_item *it = batch_add(in, line, -1);
    it->category_id = r->category_id;
    it->decision_id = r->decision_id;
    it->outcome_id = r->outcome_id;
    it->channel_id = r->channel_id;
    it->item_kind = r->item_kind;
    it->received = r->received;
    it->decided = r->decided;
    it->forwarded = r->forwarded;
    it->outcome = r->outcome;
    batch_text(in, it, T_CASE_ID, r->case_id, r->case_id_len);
    batch_text(in, it, T_PLATFORM, r->platform, strlen(r->platform));
    batch_text(in, it, T_CONTENT_KEY, in->key.len ? in->key.data : NULL, in->key.len);
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        batch_text(in, it, texts[i].slot, r->text[texts[i].f], r->text_len[texts[i].f]);
    item_view v;
    view_of(in->cur, it, &v);
    it->hash = item_hash(it, &v);
    batch_flush(in, false);
}

static void bind_slot(sqlite3_stmt *st, int i, const item_view *v, int slot)
{
    if (v->s[slot])
        sqlite3_bind_text(st, i, v->s[slot], (int)v->len[slot], SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

/* Bind ?1..?32 of ingest_insert_case / ingest_update_case. */
static void bind_record(ingest *in, sqlite3_stmt *st, const row_item *it, const item_view *v)
{
    sqlite3_bind_text(st, 1, in->profile->country, -1, SQLITE_STATIC);
    bind_slot(st, 2, v, T_CASE_ID);
    bind_slot(st, 3, v, T_PLATFORM);
    sqlite3_bind_text(st, 4, it->item_kind, -1, SQLITE_STATIC);
    bind_slot(st, 5, v, T_CONTENT_URL);
    bind_slot(st, 6, v, T_CONTENT_KEY);
    sqlite3_bind_int(st, 7, it->category_id);
    bind_slot(st, 8, v, T_NATIONAL_LABEL);
    bind_slot(st, 9, v, T_LEGAL_BASIS);
    bind_ts(st, 10, &it->received);
    bind_ts(st, 13, &it->decided);
    bind_ts(st, 16, &it->forwarded);
    bind_ts(st, 19, &it->outcome);
    sqlite3_bind_int(st, 22, it->decision_id);
    bind_id(st, 23, it->outcome_id);
    bind_id(st, 24, it->channel_id);
    bind_slot(st, 25, v, T_REPORTER_NAME);
    bind_slot(st, 26, v, T_REPORTER_EMAIL);
    bind_slot(st, 27, v, T_REPORTER_PHONE);
    bind_slot(st, 28, v, T_ACCOUNT_HANDLE);
    bind_slot(st, 29, v, T_NOTES);
    sqlite3_bind_int64(st, 30, (int64_t)it->hash);
    sqlite3_bind_int64(st, 31, in->run_id);
    sqlite3_bind_int64(st, 32, it->line);
}

/* Step a statement whose parameters are all bound again before its next
 * use (so no clearing of bindings). */
static bool step_done(ingest *in, sqlite3_stmt *st, const char *what)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        in->sfailed = vsp_store_error(in->store, &in->serr, what);
        return false;
    }
    return true;
}

static void bind_key(ingest *in, sqlite3_stmt *st, const item_view *v)
{
    sqlite3_bind_text(st, 1, in->profile->country, -1, SQLITE_STATIC);
    bind_slot(st, 2, v, T_CASE_ID);
}

/* A stored text into in->stored (the statement is reset before the case
 * is written), its offset in v->s until merge_stored resolves it. */
static void stored_text(ingest *in, sqlite3_stmt *st, int col, item_view *v, int slot,
                        bool *from_store)
{
    const char *t = (const char *)sqlite3_column_text(st, col);
    from_store[slot] = true;
    if (!t) {
        v->s[slot] = NULL;
        v->len[slot] = NO_TEXT;
        return;
    }
    v->len[slot] = (size_t)sqlite3_column_bytes(st, col);
    v->s[slot] = (const char *)(uintptr_t)in->stored.len;
    vsp_buf_append(&in->stored, t, v->len[slot]);
    vsp_buf_putc(&in->stored, '\0');
}

static void stored_ts(sqlite3_stmt *st, int col, ts_value *t)
{
    t->set = sqlite3_column_type(st, col) != SQLITE_NULL;
    if (t->set) {
        t->ts.utc = sqlite3_column_int64(st, col);
        t->ts.local_day = (int32_t)sqlite3_column_int64(st, col + 1);
        t->ts.prec = (vsp_time_prec)sqlite3_column_int(st, col + 2);
    }
}

/* A file that lacks optional columns: the case as stored for those fields
 * (from ingest_select_stored, stepped on its row) and as read for the
 * others, with its digest. */
static void merge_stored(ingest *in, sqlite3_stmt *st, row_item *m, item_view *v)
{
    const bool *absent = in->absent;
    bool from_store[T_COUNT] = {false};
    vsp_buf_clear(&in->stored);
    if (absent[VSP_F_PLATFORM])
        stored_text(in, st, 2, v, T_PLATFORM, from_store);
    /* The kind follows the URL when no column gives it. */
    if (absent[VSP_F_ITEM_KIND] ||
        (absent[VSP_F_CONTENT_URL] && in->column_of[VSP_F_ITEM_KIND] < 0)) {
        const char *k = (const char *)sqlite3_column_text(st, 3);
        m->item_kind = k && strcmp(k, "account") == 0 ? "account" : "content";
    }
    if (absent[VSP_F_CONTENT_URL]) {
        stored_text(in, st, 4, v, T_CONTENT_URL, from_store);
        stored_text(in, st, 5, v, T_CONTENT_KEY, from_store);
    }
    if (absent[VSP_F_NATIONAL_LABEL])
        stored_text(in, st, 6, v, T_NATIONAL_LABEL, from_store);
    if (absent[VSP_F_LEGAL_BASIS])
        stored_text(in, st, 7, v, T_LEGAL_BASIS, from_store);
    if (absent[VSP_F_DECIDED_AT])
        stored_ts(st, 8, &m->decided);
    if (absent[VSP_F_FORWARDED_AT])
        stored_ts(st, 11, &m->forwarded);
    if (absent[VSP_F_OUTCOME]) {
        m->outcome_id = sqlite3_column_int(st, 14); /* NULL: 0 */
        if (m->decision_id != in->forwarded_id)
            m->outcome_id = 0;
        else if (!m->outcome_id)
            m->outcome_id = in->pending_id;
    }
    if (absent[VSP_F_OUTCOME_AT])
        stored_ts(st, 15, &m->outcome);
    if (absent[VSP_F_CHANNEL])
        m->channel_id = sqlite3_column_int(st, 18);
    if (absent[VSP_F_REPORTER_NAME])
        stored_text(in, st, 19, v, T_REPORTER_NAME, from_store);
    if (absent[VSP_F_REPORTER_EMAIL])
        stored_text(in, st, 20, v, T_REPORTER_EMAIL, from_store);
    if (absent[VSP_F_REPORTER_PHONE])
        stored_text(in, st, 21, v, T_REPORTER_PHONE, from_store);
    if (absent[VSP_F_ACCOUNT_HANDLE])
        stored_text(in, st, 22, v, T_ACCOUNT_HANDLE, from_store);
    if (absent[VSP_F_NOTES])
        stored_text(in, st, 23, v, T_NOTES, from_store);
    for (int i = 0; i < T_COUNT; i++)
        if (from_store[i] && v->len[i] != NO_TEXT)
            v->s[i] = in->stored.data + (uintptr_t)v->s[i];
        else if (from_store[i])
            v->len[i] = 0;
    if (!v->s[T_PLATFORM]) {
        v->s[T_PLATFORM] = "tiktok";
        v->len[T_PLATFORM] = 6;
    }
    m->hash = item_hash(m, v);
}

/* ---- content keys in key order (queries/0004_case_key.sql) ------------- */

/* Bytes of staged keys the stage holds in memory: a bound on the memory
 * they take whatever the size of the file (about 60 000 keys of a TikTok
 * video URL).  A file with more keys writes sorted runs of this size to a
 * temporary file and merges them at the end (flush_keys). */
#define KEY_STAGE_BYTES (4u * 1024 * 1024)
/* Read buffer per run while merging (grown for a longer entry). */
#define KEY_RUN_BUFFER (64u * 1024)

/* BINARY collation of (content_key, case_id): bytes, then the shorter
 * first; the country is the file's, the same for every key. */
static int cmp_key(const char *ka, size_t la, const char *ia, size_t lia, const char *kb,
                   size_t lb, const char *ib, size_t lib)
{
    size_t m = la < lb ? la : lb;
    int r = memcmp(ka, kb, m);
    if (r || la != lb)
        return r ? r : (la < lb ? -1 : 1);
    m = lia < lib ? lia : lib;
    r = memcmp(ia, ib, m);
    if (r || lia == lib)
        return r;
    return lia < lib ? -1 : 1;
}

static int cmp_key_entry(const void *a, const void *b)
{
    const key_entry *x = a, *y = b;
    return cmp_key(x->p, x->key_len, x->p + x->key_len + 1, x->id_len, y->p, y->key_len,
                   y->p + y->key_len + 1, y->id_len);
}

/* The stage, sorted. */
static void sort_stage(ingest *in)
{
    if (!in->n_keys)
        return;
    for (size_t i = 0; i < in->n_keys; i++)
        in->keys[i].p = in->key_arena.data + in->keys[i].off;
    qsort(in->keys, in->n_keys, sizeof *in->keys, cmp_key_entry);
}

static void clear_stage(ingest *in)
{
    in->n_keys = 0;
    vsp_buf_clear(&in->key_arena);
}

/* Where the runs go: $TMPDIR, else /tmp. */
static const char *spill_dir(void)
{
    const char *dir = getenv("TMPDIR");
    return dir && *dir ? dir : "/tmp";
}

static vsp_status spill_error(ingest *in, vsp_error *err, const char *what, int e)
{
    return vsp_error_set(err, VSP_EIO,
                         "%s: %s the file's content keys in a temporary file in %s: %s; "
                         "nothing of it was stored — free space there, or set TMPDIR to a "
                         "folder with room, and ingest it again",
                         in->path, what, spill_dir(), strerror(e));
}

/* The stage, sorted, as one more run at the end of the temporary file
 * (made on the first run, and unlinked at once: it is gone when closed,
 * whatever happens). */
static vsp_status spill_keys(ingest *in, vsp_error *err)
{
    if (!in->key_spill) {
        char *name = vsp_xasprintf("%s/vspreport-keys-XXXXXX", spill_dir());
        int fd = mkstemp(name);
        int e = errno;
        if (fd >= 0) {
            unlink(name);
            if (!(in->key_spill = fdopen(fd, "w+b"))) {
                e = errno;
                close(fd);
            }
        }
        free(name);
        if (!in->key_spill)
            return spill_error(in, err, "cannot keep", e ? e : EIO);
    }
    sort_stage(in);
    key_run run = {in->spill_len, in->spill_len};
    for (size_t i = 0; i < in->n_keys; i++) {
        const key_entry *k = &in->keys[i];
        uint32_t head[2] = {k->key_len, k->id_len};
        errno = 0;
        if (fwrite(head, sizeof head, 1, in->key_spill) != 1 ||
            fwrite(k->p, 1, k->key_len, in->key_spill) != k->key_len ||
            fwrite(k->p + k->key_len + 1, 1, k->id_len, in->key_spill) != k->id_len)
            return spill_error(in, err, "cannot write", errno ? errno : EIO);
        run.end += sizeof head + k->key_len + k->id_len;
    }
    in->spill_len = run.end;
    if (in->n_runs == in->cap_runs) {
        in->cap_runs = in->cap_runs ? in->cap_runs * 2 : 8;
        in->runs = vsp_xrealloc(in->runs, in->cap_runs * sizeof *in->runs);
    }
    in->runs[in->n_runs++] = run;
    clear_stage(in);
    return VSP_OK;
}

/* One key into case_key (the country bound once by the caller). */
static vsp_status insert_key(ingest *in, const char *key, uint32_t key_len, const char *id,
                             uint32_t id_len, vsp_error *err)
{
    sqlite3_stmt *st = in->key_ins;
    sqlite3_bind_text(st, 1, key, (int)key_len, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, id, (int)id_len, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return vsp_store_error(in->store, err, "storing a content key");
    return VSP_OK;
}

/* Reading one run back while merging. */
typedef struct run_reader {
    uint64_t pos, end; /* the next byte to read from the file, the run's end */
    char *buf;
    size_t have, at, cap; /* bytes [at, have) of buf not taken yet */
    const char *key, *id;  /* the current entry, in buf */
    uint32_t key_len, id_len;
} run_reader;

/* At least n bytes of the run in r->buf from r->at: false at the run's end
 * (or a short file), with *e set on a read error. */
static bool run_fill(run_reader *r, int fd, size_t n, int *e)
{
    if (r->have - r->at >= n)
        return true;
    memmove(r->buf, r->buf + r->at, r->have - r->at);
    r->have -= r->at;
    r->at = 0;
    if (n > r->cap) {
        r->cap = n;
        r->buf = vsp_xrealloc(r->buf, r->cap);
    }
    while (r->have < n && r->pos < r->end) {
        uint64_t left = r->end - r->pos;
        size_t want = r->cap - r->have < left ? r->cap - r->have : (size_t)left;
        ssize_t got = pread(fd, r->buf + r->have, want, (off_t)r->pos);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0) {
            *e = got < 0 ? errno : EIO;
            return false;
        }
        r->have += (size_t)got;
        r->pos += (uint64_t)got;
    }
    return r->have >= n;
}

/* The run's next entry into r->key/r->id; false at its end (*e set when
 * the file could not be read back). */
static bool run_next(run_reader *r, int fd, int *e)
{
    uint32_t head[2];
    if (r->have == r->at && r->pos == r->end)
        return false;
    if (!run_fill(r, fd, sizeof head, e)) {
        *e = *e ? *e : EIO;
        return false;
    }
    memcpy(head, r->buf + r->at, sizeof head);
    size_t n = sizeof head + (size_t)head[0] + head[1];
    if (!run_fill(r, fd, n, e)) {
        *e = *e ? *e : EIO;
        return false;
    }
    r->key = r->buf + r->at + sizeof head;
    r->key_len = head[0];
    r->id = r->key + head[0];
    r->id_len = head[1];
    r->at += n;
    return true;
}

static bool run_less(const run_reader *a, const run_reader *b)
{
    return cmp_key(a->key, a->key_len, a->id, a->id_len, b->key, b->key_len, b->id,
                   b->id_len) < 0;
}

/* Restore the heap order of h[0..n) below slot i (smallest entry on top). */
static void heap_down(run_reader **h, size_t n, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, m = i;
        if (l < n && run_less(h[l], h[m]))
            m = l;
        if (l + 1 < n && run_less(h[l + 1], h[m]))
            m = l + 1;
        if (m == i)
            return;
        run_reader *t = h[i];
        h[i] = h[m];
        h[m] = t;
        i = m;
    }
}

/* The runs merged into case_key in key order: one walk over its pages. */
static vsp_status merge_runs(ingest *in, vsp_error *err)
{
    errno = 0;
    if (fflush(in->key_spill) != 0)
        return spill_error(in, err, "cannot write", errno ? errno : EIO);
    int fd = fileno(in->key_spill);
    size_t n = in->n_runs;
    run_reader *readers = vsp_xcalloc(n, sizeof *readers);
    run_reader **heap = vsp_xcalloc(n, sizeof *heap);
    size_t bufsize = n > 64 ? KEY_RUN_BUFFER / 4 : KEY_RUN_BUFFER;
    size_t live = 0;
    int e = 0;
    vsp_status result = VSP_OK;
    for (size_t i = 0; i < n; i++) {
        run_reader *r = &readers[i];
        r->pos = in->runs[i].start;
        r->end = in->runs[i].end;
        r->cap = bufsize;
        r->buf = vsp_xmalloc(r->cap);
        if (run_next(r, fd, &e))
            heap[live++] = r;
        else if (e)
            break;
    }
    for (size_t i = live; i-- > 0;)
        heap_down(heap, live, i);
    while (!e && live && result == VSP_OK) {
        run_reader *r = heap[0];
        result = insert_key(in, r->key, r->key_len, r->id, r->id_len, err);
        if (!run_next(r, fd, &e))
            heap[0] = heap[--live];
        heap_down(heap, live, 0);
    }
    if (e && result == VSP_OK)
        result = spill_error(in, err, "cannot read back", e);
    for (size_t i = 0; i < n; i++)
        free(readers[i].buf);
    free(readers);
    free(heap);
    return result;
}

/* Insert the file's staged keys into case_key in key order: the stage
 * alone, or it and the runs before it merged. */
static vsp_status flush_keys(ingest *in, vsp_error *err)
{
    vsp_status result = VSP_OK;
    sqlite3_bind_text(in->key_ins, 2, in->profile->country, -1, SQLITE_STATIC);
    if (in->n_runs) {
        if (in->n_keys)
            result = spill_keys(in, err);
        if (result == VSP_OK)
            result = merge_runs(in, err);
    } else {
        sort_stage(in);
        for (size_t i = 0; i < in->n_keys && result == VSP_OK; i++) {
            const key_entry *k = &in->keys[i];
            result = insert_key(in, k->p, k->key_len, k->p + k->key_len + 1, k->id_len, err);
        }
    }
    clear_stage(in);
    in->n_runs = 0;
    return result;
}

/* A case's content key, to be inserted with the others in key order. */
static void stage_key(ingest *in, const item_view *v)
{
    const char *key = v->s[T_CONTENT_KEY];
    if (!key)
        return;
    if (in->n_keys == in->cap_keys) {
        in->cap_keys = in->cap_keys ? in->cap_keys * 2 : 4096;
        in->keys = vsp_xrealloc(in->keys, in->cap_keys * sizeof *in->keys);
    }
    key_entry *k = &in->keys[in->n_keys++];
    k->off = in->key_arena.len;
    k->key_len = (uint32_t)v->len[T_CONTENT_KEY];
    k->id_len = (uint32_t)v->len[T_CASE_ID];
    vsp_buf_append(&in->key_arena, key, v->len[T_CONTENT_KEY]);
    vsp_buf_putc(&in->key_arena, '\0');
    vsp_buf_append(&in->key_arena, v->s[T_CASE_ID], v->len[T_CASE_ID]);
    vsp_buf_putc(&in->key_arena, '\0');
    if (in->key_arena.len >= in->key_stage && !in->sfailed)
        in->sfailed = spill_keys(in, &in->serr);
}

/* An updated case whose content key changed: the old key leaves case_key
 * now, the new one is staged. */
static void update_key(ingest *in, const item_view *v)
{
    const char *old = in->old_key.len ? in->old_key.data : NULL;
    size_t old_len = old ? in->old_key.len - 1 : 0; /* old_key holds its NUL */
    const char *now = v->s[T_CONTENT_KEY];
    if ((!old && !now) ||
        (old && now && old_len == v->len[T_CONTENT_KEY] && memcmp(old, now, old_len) == 0))
        return;
    if (old) {
        sqlite3_stmt *st = in->key_del;
        sqlite3_bind_text(st, 1, old, (int)old_len, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, in->profile->country, -1, SQLITE_STATIC);
        bind_slot(st, 3, v, T_CASE_ID);
        if (!step_done(in, st, "replacing a content key"))
            return;
    }
    stage_key(in, v);
}

static void store_case(ingest *in, const batch *b, const row_item *it)
{
    vsp_ingest_counts *c = &in->res->counts;
    const ts_value *ev[] = {&it->received, &it->decided, &it->forwarded, &it->outcome};
    for (size_t i = 0; i < sizeof ev / sizeof ev[0]; i++)
        if (ev[i]->set && ev[i]->ts.local_day > in->latest_day)
            in->latest_day = (int32_t)ev[i]->ts.local_day;
    item_view v;
    view_of(b, it, &v);
    /* Try the insert first: a new case costs one B-tree search. */
    bind_record(in, in->ins, it, &v);
    if (!step_done(in, in->ins, "storing a case"))
        return;
    if (sqlite3_changes(vsp_store_db(in->store)) == 1) {
        c->rows_new++;
        stage_key(in, &v);
        return;
    }
    sqlite3_stmt *sel = in->any_absent ? in->sel_stored : in->sel;
    bind_key(in, sel, &v);
    int rc = sqlite3_step(sel);
    uint64_t old_hash = rc == SQLITE_ROW ? (uint64_t)sqlite3_column_int64(sel, 0) : 0;
    int64_t seen_run = rc == SQLITE_ROW ? sqlite3_column_int64(sel, 1) : 0;
    if (rc != SQLITE_ROW) {
        in->sfailed = vsp_store_error(in->store, &in->serr, "looking up a case");
        sqlite3_reset(sel);
        return;
    }
    /* the stored content key (column 2 of ingest_select_case, 5 of
     * ingest_select_stored), kept past the reset */
    const char *old_key = (const char *)sqlite3_column_text(sel, in->any_absent ? 5 : 2);
    vsp_buf_clear(&in->old_key);
    if (old_key)
        vsp_buf_append(&in->old_key, old_key, strlen(old_key) + 1);
    row_item merged = *it;
    if (in->any_absent)
        merge_stored(in, sel, &merged, &v);
    sqlite3_reset(sel);
    if (seen_run == in->run_id) {
        c->rows_duplicate++;
        if (old_hash != merged.hash)
            c->duplicate_conflicts++;
    } else if (old_hash == merged.hash) {
        c->rows_unchanged++;
        bind_key(in, in->seen, &v);
        sqlite3_bind_int64(in->seen, 3, in->run_id);
        step_done(in, in->seen, "marking a case as seen");
    } else {
        bind_record(in, in->upd, &merged, &v);
        if (step_done(in, in->upd, "updating a case")) {
            c->rows_updated++;
            update_key(in, &v);
            if (in->sfailed)
                return;
            /* The provenance trail: this run changed this case from this line. */
            sqlite3_stmt *st = in->hist;
            bind_key(in, st, &v);
            sqlite3_bind_int64(st, 3, in->run_id);
            sqlite3_bind_int64(st, 4, it->line);
            sqlite3_bind_text(st, 5, "updated", -1, SQLITE_STATIC);
            step_done(in, st, "recording provenance");
        }
    }
}

/* Store every row of the batches the parsing thread sends, until it is
 * done or storing fails. */
static void store_batches(ingest *in)
{
    batch *b;
    while ((b = vsp_pipe_receive(in->pipe)) != NULL) {
        for (size_t i = 0; i < b->n && !in->sfailed; i++) {
            if (b->items[i].reject >= 0)
                store_reject(in, b, &b->items[i]);
            else
                store_case(in, b, &b->items[i]);
        }
        b->n = 0;
        vsp_buf_clear(&b->arena);
        vsp_pipe_give_back(in->pipe, b);
        if (in->sfailed) {
            vsp_pipe_cancel(in->pipe);
            return;
        }
    }
}

static bool row_is_blank(ingest *in)
{
    for (size_t i = 0; i < in->n_cells; i++) {
        size_t tl;
        vsp_trim(in->cells[i].data, in->cells[i].len, &tl);
        if (tl)
            return false;
    }
    return true;
}

/* A refusal of the whole file for its encoding: what the rows at fault
 * look like, and what to put in the profile. */
static void refuse_encoding(ingest *in, const char *why)
{
    const char *guess = vsp_encoding_guess(in->enc_sample.data ? in->enc_sample.data : "",
                                           in->enc_sample.len);
    if (strcmp(guess, vsp_decoder_name(in->decoder)) == 0)
        guess = in->single_byte ? "utf-8" : "windows-1250";
    in->failed = vsp_error_set(
        in->err, VSP_EDATA,
        "%s:%ld: %s; the file is most likely %s, not %s as the profile says. Nothing of it "
        "was stored: set 'encoding = %s' in [format] of %s (or use a profile made for this "
        "export) and ingest it again",
        in->path, in->enc_first_line, why, guess, in->profile->encoding, guess,
        in->profile->path);
}

/* Keep evidence of the file's encoding from a row's bytes; refuse the file
 * once more than a few rows hold bytes its encoding does not have. */
static void encoding_evidence(ingest *in, const char *raw, size_t len, long line)
{
    size_t multi = 0;
    bool utf8 = vsp_utf8_multibyte(raw, len, &multi);
    bool bad = in->single_byte ? vsp_decoder_invalid(in->decoder, raw, len) > 0 : !utf8;
    if (in->single_byte && utf8 && multi)
        in->enc_utf8_rows++;
    else if (in->single_byte && !utf8)
        in->enc_other_rows++;
    if (!bad && !(in->single_byte && utf8 && multi))
        return;
    if (!in->enc_first_line)
        in->enc_first_line = line;
    if (in->enc_sample.len < 64 * 1024)
        vsp_buf_append(&in->enc_sample, raw, len);
    if (bad && ++in->enc_bad_rows > ENCODING_TOLERANCE && !in->failed) {
        char why[160];
        snprintf(why, sizeof why,
                 "%llu rows so far hold bytes that are not valid %s (the first on this line)",
                 (unsigned long long)in->enc_bad_rows, in->profile->encoding);
        refuse_encoding(in, why);
    }
}

/* Edit distance on bytes of two short strings (SIZE_MAX if long). */
static size_t distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 200 || lb > 200)
        return SIZE_MAX;
    size_t row[201];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t prev = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t cur = row[j];
            size_t best = prev + (a[i - 1] != b[j - 1]);
            if (row[j] + 1 < best)
                best = row[j] + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            prev = cur;
        }
    }
    return row[lb];
}

/* Find every mapped field's column in the header row.  A mapped column the
 * header lacks stops the file unless the field is optional; two columns
 * of the same name that the profile maps stop it too. */
static void read_header(ingest *in, long line)
{
    const vsp_profile *p = in->profile;
    in->header_width = in->n_cells;
    vsp_buf folded;
    vsp_buf_init(&folded);
    size_t n = in->n_cells;
    char **names = vsp_xcalloc(n ? n : 1, sizeof *names);
    in->header_names = vsp_xcalloc(n ? n : 1, sizeof *in->header_names);
    in->n_header_names = n;
    bool bad_bytes = false;
    for (size_t i = 0; i < n; i++) {
        vsp_buf_clear(&in->raw);
        if (!vsp_decoder_convert(in->decoder, in->cells[i].data, in->cells[i].len, &in->raw))
            bad_bytes = true;
        vsp_normalize(in->raw.data, in->raw.len, &folded);
        in->header_names[i] = vsp_xstrdup(folded.data);
        vsp_fold(in->raw.data, in->raw.len, &folded);
        names[i] = vsp_xstrdup(folded.data);
    }
    size_t multi = 0;
    bool utf8 = vsp_utf8_multibyte(in->rec->raw, in->rec->raw_len, &multi);
    for (int f = 0; f < VSP_F_COUNT; f++) {
        in->column_of[f] = -1;
        for (size_t a = 0; a < p->n_headers[f] && in->column_of[f] < 0; a++)
            for (size_t i = 0; i < n; i++)
                if (strcmp(names[i], p->headers[f][a]) == 0) {
                    in->column_of[f] = (int)i;
                    break;
                }
    }
    /* A header in UTF-8 read as a single-byte encoding, or the reverse,
     * is said as such before any column is looked for. */
    if ((in->single_byte && utf8 && multi) || (!in->single_byte && bad_bytes)) {
        in->enc_first_line = line;
        vsp_buf_append(&in->enc_sample, in->rec->raw, in->rec->raw_len);
        refuse_encoding(in, in->single_byte ? "the header is UTF-8 text with multi-byte "
                                              "characters"
                                            : "the header holds bytes that are not UTF-8");
    }
    for (int f = 0; f < VSP_F_COUNT && !in->failed; f++) {
        int col = in->column_of[f];
        if (col < 0)
            continue;
        for (size_t j = 0; j < n; j++)
            if ((int)j != col && strcmp(names[j], names[col]) == 0) {
                vsp_buf_clear(&in->msg);
                vsp_escape(in->header_names[col], strlen(in->header_names[col]), 120, &in->msg);
                in->failed = vsp_error_set(
                    in->err, VSP_EDATA,
                    "%s:%ld: columns %d and %zu are both named '%s', and the profile maps that "
                    "name to '%s'; nothing of this file was stored. Rename one of them in the "
                    "export so that it is clear which holds %s",
                    in->path, line, col + 1, j + 1, in->msg.data, vsp_field_name((vsp_field)f),
                    vsp_field_name((vsp_field)f));
                break;
            }
    }
    for (int f = 0; f < VSP_F_COUNT && !in->failed; f++) {
        if (in->column_of[f] >= 0 || !p->n_headers[f])
            continue;
        if (p->optional[f]) {
            in->absent[f] = true;
            in->any_absent = true;
            continue;
        }
        /* The closest header present, for "did you mean". */
        size_t best = SIZE_MAX, best_col = 0;
        for (size_t i = 0; i < n; i++)
            for (size_t a = 0; a < p->n_headers[f]; a++) {
                size_t d = distance(names[i], p->headers[f][a]);
                if (d < best) {
                    best = d;
                    best_col = i;
                }
            }
        vsp_buf_clear(&in->msg);
        if (best != SIZE_MAX && best <= strlen(names[best_col]) / 3 + 2) {
            vsp_buf_puts(&in->msg, "did you mean '");
            vsp_escape(in->header_names[best_col], strlen(in->header_names[best_col]), 120,
                       &in->msg);
            vsp_buf_printf(&in->msg, "' (column %zu)? ", best_col + 1);
        } else {
            vsp_buf_puts(&in->msg, "the header has ");
            for (size_t i = 0; i < n && in->msg.len < 400; i++) {
                vsp_buf_puts(&in->msg, i ? ", '" : "'");
                vsp_escape(in->header_names[i], strlen(in->header_names[i]), 60, &in->msg);
                vsp_buf_putc(&in->msg, '\'');
            }
            vsp_buf_puts(&in->msg, n ? ". " : "no columns. ");
        }
        vsp_buf want;
        vsp_buf_init(&want);
        vsp_escape(p->headers_text[f], strlen(p->headers_text[f]), 200, &want);
        in->failed = vsp_error_set(
            in->err, VSP_EDATA,
            "%s:%ld: no column '%s' for the field '%s' (%s:%d); %sNothing of this file was "
            "stored. Fix the header, or add its new name as an alternative ('%s = %s | <new "
            "name>')%s%s%s",
            in->path, line, want.data, vsp_field_name((vsp_field)f), p->path,
            p->header_line[f], in->msg.data, vsp_field_name((vsp_field)f), want.data,
            vsp_field_required((vsp_field)f) ? "" : ", or, if this export may lack it, list ",
            vsp_field_required((vsp_field)f) ? "" : vsp_field_name((vsp_field)f),
            vsp_field_required((vsp_field)f) ? "" : " under 'optional' in [columns]");
        vsp_buf_fini(&want);
    }
    for (int f = 0; f < VSP_F_COUNT && !in->failed; f++) {
        if (in->column_of[f] >= 0 || !vsp_field_required((vsp_field)f) || p->defaults[f])
            continue;
        in->failed = vsp_error_set(in->err, VSP_EDATA,
                                   "%s:%ld: no column for the required field '%s'", in->path,
                                   line, vsp_field_name((vsp_field)f));
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    vsp_buf_fini(&folded);
    in->header_done = true;
}

/* Words that start a total line in the region's exports, folded. */
static const char *const total_words[] = {
    "total", "totali", "totale", "gjithsej", "shuma", "ukupno", "svega", "suma", "zbir",
    "укупно", "вкупно", "сума", "збир", "свега", "vkupno", "sum", NULL};

/* Folded first non-empty cell of the row into in->fold; its index, or -1. */
static int first_cell(ingest *in)
{
    for (size_t i = 0; i < in->n_cells; i++) {
        size_t tl;
        const char *t = vsp_trim(in->cells[i].data, in->cells[i].len, &tl);
        if (!tl)
            continue;
        vsp_buf_clear(&in->raw);
        vsp_decoder_convert(in->decoder, t, tl, &in->raw);
        vsp_normalize(in->raw.data, in->raw.len, &in->dec);
        vsp_fold(in->raw.data, in->raw.len, &in->fold);
        while (in->fold.len && (in->fold.data[in->fold.len - 1] == ':' ||
                                in->fold.data[in->fold.len - 1] == ' '))
            in->fold.data[--in->fold.len] = '\0';
        return (int)i;
    }
    return -1;
}

/* A declared total line (skipped), a row that looks like one (rejected
 * as such), or neither. */
static int total_line(ingest *in)
{
    const vsp_profile *p = in->profile;
    /* With no marker declared, only a total word followed by numbers alone
     * makes a total line: a row with other text after its first cell (a
     * case) is told apart before its first cell is decoded and folded. */
    if (!p->n_total_markers) {
        size_t i = 0, tl = 0;
        while (i < in->n_cells && (vsp_trim(in->cells[i].data, in->cells[i].len, &tl), !tl))
            i++;
        for (i++; i < in->n_cells; i++) {
            const char *t = vsp_trim(in->cells[i].data, in->cells[i].len, &tl);
            if (tl && !is_number(t, tl))
                return 0;
        }
    }
    int first = first_cell(in);
    if (first < 0)
        return 0;
    for (size_t i = 0; i < p->n_total_markers; i++)
        if (strcmp(in->fold.data, p->total_markers[i]) == 0)
            return 2;
    bool word = false;
    for (int i = 0; total_words[i] && !word; i++)
        word = strcmp(in->fold.data, total_words[i]) == 0;
    if (!word)
        return 0;
    for (size_t i = (size_t)first + 1; i < in->n_cells; i++) {
        size_t tl;
        const char *t = vsp_trim(in->cells[i].data, in->cells[i].len, &tl);
        if (tl && !is_number(t, tl))
            return 0;
    }
    return 1;
}

static void process_row(ingest *in, const vsp_csv_record *rec)
{
    const vsp_profile *p = in->profile;
    vsp_ingest_counts *c = &in->res->counts;
    long line = rec->line;
    in->rec = rec;
    in->cells = rec->cells;
    in->n_cells = rec->n_cells;
    if (!in->header_done) {
        if (rec->error) {
            in->failed = vsp_error_set(in->err, VSP_EDATA,
                                       "%s:%ld:%ld: the header row has a %s; fix the quoting",
                                       in->path, rec->err_line, rec->err_col,
                                       vsp_csv_error_words(rec->error));
            return;
        }
        if (row_is_blank(in) && line > p->header_row)
            return;
        read_header(in, line);
        return;
    }
    if (!rec->error && row_is_blank(in)) {
        c->blank_lines++;
        return;
    }
    int total = rec->error ? 0 : total_line(in);
    if (total == 2) {
        c->total_lines++;
        return;
    }
    c->rows_read++;
    encoding_evidence(in, rec->raw, rec->raw_len, line);
    if (in->failed)
        return;
    if (rec->error) {
        vsp_buf_clear(&in->msg);
        vsp_buf_printf(&in->msg, "%s", vsp_csv_error_words(rec->error));
        if (rec->err_line != line)
            vsp_buf_printf(&in->msg, " (line %ld, column %ld)", rec->err_line, rec->err_col);
        switch (rec->error) {
        case VSP_CSV_STRAY_QUOTE:
            vsp_buf_puts(&in->msg, "; a quote inside a value needs the whole value quoted and "
                                   "the quote doubled (\"a \"\"b\"\" c\")");
            break;
        case VSP_CSV_AFTER_QUOTE:
            vsp_buf_puts(&in->msg, rec->err_line == line
                                       ? "; a quoted value ends at its closing quote: double a "
                                         "quote inside it (\"\"), or quote the whole value"
                                       : "; the quote opened here is closed only on a later "
                                         "line, most likely it is stray");
            break;
        case VSP_CSV_UNTERMINATED:
            vsp_buf_puts(&in->msg, "; the quote opened here is never closed: close it, or "
                                   "double it if it is part of the value");
            break;
        default:
            vsp_buf_printf(&in->msg, "; no record may run over %d MiB — most likely a quote "
                                     "never closed",
                           MAX_RECORD >> 20);
            break;
        }
        vsp_buf_puts(&in->msg, "; only this line was rejected, reading went on at the next");
        reject_at(in, line, rec->err_line == line ? rec->err_col : 0, VSP_REJECT_BAD_QUOTING,
                  -1);
        return;
    }
    if (total == 1) {
        vsp_buf_clear(&in->msg);
        vsp_buf_puts(&in->msg, "looks like a total line ('");
        msg_text(in, in->dec.data, in->dec.len, 40);
        vsp_buf_puts(&in->msg, "' and numbers), not a case; to skip such lines without "
                               "rejecting them, add 'total_lines = ");
        msg_text(in, in->dec.data, in->dec.len, 40);
        vsp_buf_printf(&in->msg, "' under [format] in %s", p->path);
        reject(in, line, VSP_REJECT_TOTAL_LINE, -1);
        return;
    }
    if (in->n_cells > MAX_COLUMNS) {
        vsp_buf_clear(&in->msg);
        vsp_buf_printf(&in->msg, "more than %d cells in one row", MAX_COLUMNS);
        reject(in, line, VSP_REJECT_EXTRA_FIELDS, -1);
        return;
    }
    for (size_t i = 0; i < in->n_cells; i++) {
        if (in->cells[i].len <= in->max_cell)
            continue;
        int field = -1;
        for (int f = 0; f < VSP_F_COUNT && field < 0; f++)
            if (in->column_of[f] == (int)i)
                field = f;
        vsp_buf_clear(&in->msg);
        vsp_buf_printf(&in->msg, "a cell is longer than %zu bytes (%zu bytes in ", in->max_cell,
                       in->cells[i].len);
        column_words(in, (int)i, &in->msg);
        vsp_buf_puts(&in->msg, ")");
        reject(in, line, VSP_REJECT_FIELD_TOO_LONG, field);
        return;
    }
    for (size_t i = in->header_width; i < in->n_cells; i++) {
        size_t tl;
        vsp_trim(in->cells[i].data, in->cells[i].len, &tl);
        if (tl) {
            vsp_buf_clear(&in->msg);
            vsp_buf_printf(&in->msg,
                           "%zu cells but the header has %zu columns; a delimiter inside a "
                           "value must be quoted",
                           in->n_cells, in->header_width);
            reject(in, line, VSP_REJECT_EXTRA_FIELDS, -1);
            return;
        }
    }
    if (in->n_cells < in->header_width) {
        vsp_buf_clear(&in->msg);
        vsp_buf_printf(&in->msg,
                       "row has %zu of %zu columns; it was cut short (a line break inside an "
                       "unquoted value, or a truncated export)",
                       in->n_cells, in->header_width);
        reject(in, line, VSP_REJECT_SHORT_ROW, -1);
        return;
    }

    record r;
    memset(&r, 0, sizeof r);
    /* Text fields first: every decoding problem is found before mapping. */
    for (int f = 0; f < VSP_F_COUNT; f++) {
        bool bad = false;
        r.text[f] = field_text(in, (vsp_field)f, &r.text_len[f], &bad);
        if (bad) {
            bad_encoding(in, line, (vsp_field)f);
            return;
        }
    }
    if (!r.text[VSP_F_CASE_ID]) {
        vsp_buf_clear(&in->msg);
        vsp_buf_puts(&in->msg, "required value is empty");
        reject(in, line, VSP_REJECT_MISSING_VALUE, VSP_F_CASE_ID);
        return;
    }
    r.case_id = r.text[VSP_F_CASE_ID];
    r.case_id_len = r.text_len[VSP_F_CASE_ID];

    static const struct {
        vsp_field f;
        vsp_map_kind k;
        bool required;
    } coded[] = {{VSP_F_CATEGORY, VSP_MAP_CATEGORY, true},
                 {VSP_F_DECISION, VSP_MAP_DECISION, true},
                 {VSP_F_OUTCOME, VSP_MAP_OUTCOME, false},
                 {VSP_F_CHANNEL, VSP_MAP_CHANNEL, false},
                 {VSP_F_ITEM_KIND, VSP_MAP_ITEM_KIND, false}};
    int ids[5] = {0};
    for (size_t i = 0; i < sizeof coded / sizeof coded[0]; i++) {
        vsp_field f = coded[i].f;
        if (!r.text[f]) {
            if (!coded[i].required)
                continue;
            vsp_buf_clear(&in->msg);
            vsp_buf_puts(&in->msg, "required value is empty");
            reject(in, line, VSP_REJECT_MISSING_VALUE, (int)f);
            return;
        }
        ids[i] = map_label(in, f, coded[i].k, r.text[f], r.text_len[f]);
        if (!ids[i]) {
            reject(in, line, VSP_REJECT_UNMAPPED_LABEL, (int)f);
            return;
        }
    }
    r.category_id = ids[0];
    r.decision_id = ids[1];
    r.outcome_id = ids[2];
    r.channel_id = ids[3];

    /* Platform: mapped, or a plain lower-case name ("TikTok " -> tiktok). */
    r.platform = "tiktok";
    if (r.text[VSP_F_PLATFORM]) {
        const label_hit *hit =
            label_lookup(in, VSP_MAP_PLATFORM, r.text[VSP_F_PLATFORM], r.text_len[VSP_F_PLATFORM]);
        if (hit->id) {
            r.platform = p->platforms[hit->id - 1];
        } else {
            size_t flen = strlen(hit->folded);
            bool ident = flen > 0 && flen <= 32;
            for (size_t i = 0; ident && i < flen; i++) {
                char ch = hit->folded[i];
                ident = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_';
            }
            if (!ident) {
                map_label(in, VSP_F_PLATFORM, VSP_MAP_PLATFORM, r.text[VSP_F_PLATFORM],
                          r.text_len[VSP_F_PLATFORM]);
                reject(in, line, VSP_REJECT_UNMAPPED_LABEL, VSP_F_PLATFORM);
                return;
            }
            /* the cache's copy: nothing else is looked up in this row */
            r.platform = hit->folded;
        }
    }

    /* Content key and item kind from the URL. */
    const char *kind = NULL;
    vsp_buf_clear(&in->key);
    if (r.text[VSP_F_CONTENT_URL])
        kind = vsp_content_key(r.text[VSP_F_CONTENT_URL], r.text_len[VSP_F_CONTENT_URL], &in->key);
    if (ids[4])
        r.item_kind = vsp_map_codes(VSP_MAP_ITEM_KIND)[ids[4] - 1];
    else
        r.item_kind = kind ? kind : "content";

    if (!r.text[VSP_F_NATIONAL_LABEL]) {
        r.text[VSP_F_NATIONAL_LABEL] = r.text[VSP_F_CATEGORY];
        r.text_len[VSP_F_NATIONAL_LABEL] = r.text_len[VSP_F_CATEGORY];
    }

    if (!parse_date(in, VSP_F_RECEIVED_AT, VSP_DATE_RECEIVED, &r.received, line, true) ||
        !parse_date(in, VSP_F_DECIDED_AT, VSP_DATE_DECIDED, &r.decided, line, false) ||
        !parse_date(in, VSP_F_FORWARDED_AT, VSP_DATE_FORWARDED, &r.forwarded, line, false) ||
        !parse_date(in, VSP_F_OUTCOME_AT, VSP_DATE_OUTCOME, &r.outcome, line, false))
        return;

    if (r.decision_id == in->forwarded_id) {
        if (!r.outcome_id)
            r.outcome_id = in->pending_id; /* open at the freeze: pending */
    } else if (r.outcome_id && r.outcome_id != in->pending_id) {
        vsp_buf_clear(&in->msg);
        vsp_buf_printf(&in->msg,
                       "platform outcome '%.*s' on a case whose decision '%.*s' is not "
                       "forwarded; only forwarded cases have an outcome — correct the "
                       "decision or the outcome in the export",
                       (int)r.text_len[VSP_F_OUTCOME], r.text[VSP_F_OUTCOME],
                       (int)r.text_len[VSP_F_DECISION], r.text[VSP_F_DECISION]);
        reject(in, line, VSP_REJECT_INCONSISTENT, VSP_F_OUTCOME);
        return;
    } else {
        r.outcome_id = 0;
    }
    emit_case(in, &r, line);
}

/* ---- the file -------------------------------------------------------- */

/* Guess the delimiter from the header line: the most frequent of , ; TAB
 * outside quotes. */
static char detect_delimiter(const char *buf, size_t len, int header_row)
{
    int line = 1;
    size_t i = 0;
    while (i < len && line < header_row) {
        if (buf[i] == '\n')
            line++;
        i++;
    }
    size_t counts[3] = {0, 0, 0};
    bool quoted = false;
    for (; i < len; i++) {
        char ch = buf[i];
        if (ch == '"')
            quoted = !quoted;
        else if (!quoted && (ch == '\n' || ch == '\r'))
            break;
        else if (!quoted && ch == ',')
            counts[0]++;
        else if (!quoted && ch == ';')
            counts[1]++;
        else if (!quoted && ch == '\t')
            counts[2]++;
    }
    if (counts[2] >= counts[0] && counts[2] >= counts[1] && counts[2])
        return '\t';
    return counts[1] > counts[0] ? ';' : ',';
}

static vsp_status prepare_all(ingest *in)
{
    struct {
        sqlite3_stmt **slot;
        const char *name;
    } q[] = {{&in->sel, "ingest_select_case"},      {&in->ins, "ingest_insert_case"},
             {&in->upd, "ingest_update_case"},      {&in->seen, "ingest_mark_seen"},
             {&in->hist, "ingest_insert_history"},  {&in->rej, "ingest_insert_reject"},
             {&in->sel_stored, "ingest_select_stored"}, {&in->key_ins, "ingest_insert_key"},
             {&in->key_del, "ingest_delete_key"}};
    for (size_t i = 0; i < sizeof q / sizeof q[0]; i++) {
        *q[i].slot = vsp_store_prepare(in->store, q[i].name, in->err);
        if (!*q[i].slot)
            return in->err->status;
    }
    return VSP_OK;
}

static vsp_status open_run(ingest *in, uint64_t size)
{
    char now[32];
    vsp_store_utc_now(now);
    sqlite3_stmt *st = vsp_store_prepare(in->store, "ingest_insert_run", in->err);
    if (!st)
        return in->err->status;
    sqlite3_bind_text(st, 1, in->path, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, in->file_name, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, (int64_t)size);
    sqlite3_bind_text(st, 4, in->profile->name_stem, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, in->profile->country, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, now, -1, SQLITE_STATIC);
    if (in->exported_day > 0)
        sqlite3_bind_int(st, 7, in->exported_day);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return vsp_store_error(in->store, in->err, "recording the ingest run");
    in->run_id = sqlite3_last_insert_rowid(vsp_store_db(in->store));
    in->res->run_id = in->run_id;
    st = vsp_store_prepare(in->store, "ingest_update_country", in->err);
    if (!st)
        return in->err->status;
    const vsp_profile *p = in->profile;
    sqlite3_bind_text(st, 1, p->country, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, p->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, p->short_name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, p->language, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, p->timezone, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return vsp_store_error(in->store, in->err, "recording the regulator");
    return VSP_OK;
}

static vsp_status finish_run(ingest *in)
{
    char now[32];
    vsp_store_utc_now(now);
    const vsp_ingest_counts *c = &in->res->counts;
    sqlite3_stmt *st = vsp_store_prepare(in->store, "ingest_finish_run", in->err);
    if (!st)
        return in->err->status;
    sqlite3_bind_int64(st, 1, in->run_id);
    sqlite3_bind_text(st, 2, in->res->sha256, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, now, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, (int64_t)c->rows_read);
    sqlite3_bind_int64(st, 5, (int64_t)c->blank_lines);
    sqlite3_bind_int64(st, 6, (int64_t)c->rows_new);
    sqlite3_bind_int64(st, 7, (int64_t)c->rows_updated);
    sqlite3_bind_int64(st, 8, (int64_t)c->rows_unchanged);
    sqlite3_bind_int64(st, 9, (int64_t)c->rows_duplicate);
    sqlite3_bind_int64(st, 10, (int64_t)c->rows_rejected);
    if (in->latest_day > 0)
        sqlite3_bind_int(st, 11, in->latest_day);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return vsp_store_error(in->store, in->err, "closing the ingest run");
    return VSP_OK;
}

/* Bytes per row below which a file is surely not bigger than the table. */
#define BULK_BYTES_PER_ROW 400

/* Decided before the file's transaction, since the journal mode can only
 * change outside one.  A file of 10 000 rows or more runs with a rollback
 * journal, in which the pages the load appends (the table's and most of
 * case_agg's) are written once, not to the WAL and again at the
 * checkpoint; WAL comes back after it (bulk_end).  1M rows: ingest 6.2 ->
 * 4.9 s; six files into one warehouse 8.9-9.0 -> 7.6-8.2 s (measured with
 * bench/bench_ingest.sh and the inputs of bench/bench_pipeline.sh).
 * A file that may hold more rows than the whole table is moreover a bulk
 * load (is_bulk, bulk_start). */
static vsp_status bulk_plan(ingest *in, uint64_t size)
{
    if (size / BULK_BYTES_PER_ROW < 10000)
        return VSP_OK;
    sqlite3_stmt *st = vsp_store_prepare(in->store, "ingest_count_cases", in->err);
    if (!st)
        return in->err->status;
    int64_t most = (int64_t)(size / BULK_BYTES_PER_ROW); /* rows the file may hold */
    sqlite3_bind_int64(st, 1, most + 1);
    int64_t cases = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : INT64_MAX;
    sqlite3_finalize(st);
    in->is_bulk = most >= cases;
    in->bulk_journal = vsp_store_bulk_journal(in->store, true);
    return VSP_OK;
}

static void bulk_end(ingest *in)
{
    if (in->bulk_journal)
        vsp_store_bulk_journal(in->store, false);
    in->bulk_journal = false;
}

/* In a bulk load, drop case_record's secondary indexes now and build them
 * again at the end (bulk_finish), inside the file's transaction. */
static vsp_status bulk_start(ingest *in)
{
    if (!in->is_bulk)
        return VSP_OK;
    sqlite3_stmt *st = vsp_store_prepare(in->store, "ingest_case_indexes", in->err);
    if (!st)
        return in->err->status;
    char **names = NULL;
    while (sqlite3_step(st) == SQLITE_ROW) {
        names = vsp_xrealloc(names, (in->n_index + 1) * sizeof *names);
        in->index_sql = vsp_xrealloc(in->index_sql, (in->n_index + 1) * sizeof *in->index_sql);
        names[in->n_index] = vsp_xstrdup((const char *)sqlite3_column_text(st, 0));
        in->index_sql[in->n_index++] = vsp_xstrdup((const char *)sqlite3_column_text(st, 1));
    }
    sqlite3_finalize(st);
    vsp_status result = VSP_OK;
    for (size_t i = 0; i < in->n_index; i++) {
        char *drop = vsp_xasprintf("DROP INDEX \"%s\"", names[i]);
        if (result == VSP_OK &&
            sqlite3_exec(vsp_store_db(in->store), drop, NULL, NULL, NULL) != SQLITE_OK)
            result = vsp_store_error(in->store, in->err, "dropping an index for a bulk load");
        free(drop);
        free(names[i]);
    }
    free(names);
    return result;
}

static vsp_status bulk_finish(ingest *in)
{
    if (!in->n_index)
        return VSP_OK;
    sqlite3 *db = vsp_store_db(in->store);
    /* The index sort spills to temporary files, not to memory, and its
     * in-memory runs are bounded by the cache size: memory stays flat
     * whatever the size of the table (store.c sets the usual values). */
    sqlite3_exec(db, "PRAGMA temp_store = FILE; PRAGMA cache_size = -8192", NULL, NULL, NULL);
    vsp_status result = VSP_OK;
    for (size_t i = 0; i < in->n_index && result == VSP_OK; i++)
        if (sqlite3_exec(db, in->index_sql[i], NULL, NULL, NULL) != SQLITE_OK)
            result = vsp_store_error(in->store, in->err, "rebuilding an index after a bulk load");
    sqlite3_exec(db, "PRAGMA temp_store = MEMORY; PRAGMA cache_size = -16384", NULL, NULL, NULL);
    return result;
}

/* What the record reader reads through: the file, hashed and counted as
 * it is read, with the progress line. */
typedef struct source {
    ingest *in;
    FILE *fp;
    vsp_sha256 *sha;
    uint64_t done;
    vsp_progress *prog;
    int read_errno;
} source;

static size_t source_read(void *ctx, char *buf, size_t n)
{
    source *src = ctx;
    size_t got = fread(buf, 1, n, src->fp);
    if (got == 0 && ferror(src->fp))
        src->read_errno = errno ? errno : EIO;
    vsp_sha256_update(src->sha, buf, got);
    src->done += got;
    vsp_progress_update(src->prog, src->in->res->counts.rows_read, src->done);
    return got;
}

/* Read the file record by record; the caller holds the transaction. */
static vsp_status parse_file(ingest *in, FILE *fp, uint64_t size)
{
    vsp_status result = VSP_EIO;
    vsp_progress prog;
    vsp_progress_init(&prog, in->file_name, size);
    if (!in->opt || !in->opt->progress)
        prog.enabled = false;
    source src = {in, fp, vsp_sha256_new(), 0, &prog, 0};
    size_t max_record = in->max_cell * 2 > MAX_RECORD ? in->max_cell * 2 : MAX_RECORD;
    vsp_csv_reader *rd =
        vsp_csv_reader_new(source_read, &src, !in->single_byte, max_record);
    size_t len;
    const char *head = vsp_csv_peek(rd, &len);
    char delim = in->profile->delimiter;
    if (!delim)
        delim = detect_delimiter(head, len, in->profile->header_row);
    in->delim = delim;
    vsp_csv_set_delim(rd, delim);
    /* Title lines above the header are skipped unread. */
    while (vsp_csv_line(rd) < in->profile->header_row && vsp_csv_skip_line(rd))
        ;
    vsp_csv_record rec;
    while (!in->failed && vsp_csv_next(rd, &rec)) {
        process_row(in, &rec);
        in->rec = NULL;
        in->cells = NULL;
        in->n_cells = 0;
    }
    in->bytes_read = src.done;
    if (src.read_errno) {
        result = vsp_error_set(in->err, VSP_EIO, "%s: read error: %s", in->path,
                               strerror(src.read_errno));
        goto out;
    }
    if (in->failed) {
        result = in->failed;
        goto out;
    }
    if (!in->header_done) {
        result = vsp_error_set(in->err, VSP_EDATA,
                               "%s: no header row (the profile says line %d); is this an "
                               "empty file, or is header_row wrong?",
                               in->path, in->profile->header_row);
        goto out;
    }
    /* Every row with non-ASCII text is UTF-8, and none is anything else:
     * the export is UTF-8 whatever the profile says. */
    if (in->single_byte && in->enc_utf8_rows && !in->enc_other_rows) {
        char why[200];
        snprintf(why, sizeof why,
                 "%llu rows hold UTF-8 multi-byte characters (the first on this line) and no "
                 "row holds text that is not UTF-8",
                 (unsigned long long)in->enc_utf8_rows);
        refuse_encoding(in, why);
        result = in->failed;
        goto out;
    }
    result = VSP_OK;
out:
    vsp_sha256_final(src.sha, in->res->sha256);
    vsp_progress_fini(&prog);
    vsp_csv_reader_free(rd);
    return result;
}

/* The parsing thread: read, parse, map and validate the file into
 * batches, while the caller's thread stores them. */
typedef struct parse_job {
    ingest *in;
    FILE *fp;
    uint64_t size;
    vsp_status status;
} parse_job;

static void *parse_thread(void *arg)
{
    parse_job *job = arg;
    ingest *in = job->in;
    in->cur = vsp_pipe_take_empty(in->pipe);
    job->status = in->cur ? parse_file(in, job->fp, job->size) : VSP_ESOFTWARE;
    if (job->status == VSP_OK)
        batch_flush(in, true);
    vsp_pipe_close(in->pipe);
    return NULL;
}

/* Parse on a second thread and store on this one: on two cores the
 * file is read and validated while SQLite writes the rows before. */
static vsp_status parse_and_store(ingest *in, FILE *fp, uint64_t size)
{
    void *slots[BATCHES];
    for (size_t i = 0; i < BATCHES; i++)
        slots[i] = &in->batches[i];
    in->pipe = vsp_pipe_new(slots, BATCHES);
    parse_job job = {in, fp, size, VSP_OK};
    pthread_t parser;
    int e = pthread_create(&parser, NULL, parse_thread, &job);
    if (e != 0) {
        vsp_pipe_free(in->pipe);
        in->pipe = NULL;
        return vsp_error_set(in->err, VSP_ETEMPFAIL, "cannot start the parsing thread: %s",
                             strerror(e));
    }
    store_batches(in);
    pthread_join(parser, NULL);
    vsp_pipe_free(in->pipe);
    in->pipe = NULL;
    if (in->sfailed) { /* the parser stopped because storing failed */
        *in->err = in->serr;
        return in->sfailed;
    }
    return job.status;
}

static void ingest_fini(ingest *in)
{
    sqlite3_finalize(in->sel);
    sqlite3_finalize(in->ins);
    sqlite3_finalize(in->upd);
    sqlite3_finalize(in->seen);
    sqlite3_finalize(in->hist);
    sqlite3_finalize(in->rej);
    sqlite3_finalize(in->sel_stored);
    sqlite3_finalize(in->key_ins);
    sqlite3_finalize(in->key_del);
    vsp_buf_fini(&in->stored);
    vsp_buf_fini(&in->old_key);
    vsp_buf_fini(&in->key_arena);
    free(in->keys);
    if (in->key_spill)
        fclose(in->key_spill);
    free(in->runs);
    vsp_decoder_free(in->decoder);
    vsp_tz_free(in->tz);
    for (int i = 0; i < VSP_DATE_COUNT; i++)
        vsp_datefmt_free(in->datefmt[i]);
    for (size_t i = 0; i < in->n_header_names; i++)
        free(in->header_names[i]);
    free(in->header_names);
    vsp_buf_fini(&in->dec);
    vsp_buf_fini(&in->enc_sample);
    for (int k = 0; k < VSP_MAP_COUNT; k++) {
        free(in->suggest_for[k]);
        for (size_t i = 0; i < LABEL_CACHE; i++) {
            free(in->labels[k][i].text);
            free(in->labels[k][i].folded);
        }
    }
    for (int f = 0; f < VSP_F_COUNT; f++)
        vsp_buf_fini(&in->value[f]);
    vsp_buf_fini(&in->fold);
    vsp_buf_fini(&in->key);
    vsp_buf_fini(&in->msg);
    vsp_buf_fini(&in->raw);
    if (in->rejects) {
        fclose(in->rejects);
        unlink(in->rejects_tmp);
    }
    free(in->rejects_tmp);
    free(in->rejects_final);
    for (size_t i = 0; i < BATCHES; i++) {
        free(in->batches[i].items);
        vsp_buf_fini(&in->batches[i].arena);
    }
    for (size_t i = 0; i < in->n_index; i++)
        free(in->index_sql[i]);
    free(in->index_sql);
}

vsp_status vsp_ingest_file(vsp_store *store, const vsp_profile *profile, const char *path,
                           const vsp_ingest_options *opt, vsp_ingest_result *res,
                           vsp_error *err)
{
    vsp_status result = VSP_ESOFTWARE;
    ingest in;
    memset(&in, 0, sizeof in);
    in.store = store;
    in.forwarded_id = vsp_map_code_id(VSP_MAP_DECISION, "forwarded");
    in.pending_id = vsp_map_code_id(VSP_MAP_OUTCOME, "pending");
    in.profile = profile;
    in.opt = opt;
    in.res = res;
    in.err = err;
    in.path = path;
    in.file_name = vsp_basename(path);
    in.line = 1;
    in.max_cell = opt && opt->max_cell_bytes ? opt->max_cell_bytes : DEFAULT_MAX_CELL;
    in.key_stage = opt && opt->key_stage_bytes ? opt->key_stage_bytes : KEY_STAGE_BYTES;
    for (int f = 0; f < VSP_F_COUNT; f++)
        vsp_buf_init(&in.value[f]);
    vsp_buf_init(&in.fold);
    vsp_buf_init(&in.key);
    vsp_buf_init(&in.msg);
    vsp_buf_init(&in.raw);
    vsp_buf_init(&in.dec);
    vsp_buf_init(&in.stored);
    vsp_buf_init(&in.old_key);
    vsp_buf_init(&in.key_arena);
    vsp_buf_init(&in.enc_sample);
    for (size_t i = 0; i < BATCHES; i++)
        vsp_buf_init(&in.batches[i].arena);
    double t0 = vsp_now();
    bool in_tx = false, fk_off = false;

    FILE *fp = fopen(path, "rb");
    if (!fp) {
        result = vsp_error_set(err, VSP_ENOINPUT, "%s: cannot open: %s", path, strerror(errno));
        goto out;
    }
    struct stat sb;
    if (fstat(fileno(fp), &sb) != 0 || !S_ISREG(sb.st_mode)) {
        result = vsp_error_set(err, VSP_ENOINPUT, "%s: not a regular file", path);
        goto out;
    }
    res->file_size = (uint64_t)sb.st_size;
    /* --exported-at wins over what the profile finds in the file name */
    if (opt && opt->exported_day > 0)
        in.exported_day = opt->exported_day;
    else if (vsp_profile_export_day(profile, in.file_name, &in.exported_day, err) != VSP_OK) {
        result = err->status;
        goto out;
    }
    in.decoder = vsp_decoder_new(profile->encoding, err);
    in.single_byte = in.decoder && strcmp(vsp_decoder_name(in.decoder), "utf-8") != 0;
    in.keeps_ascii = in.decoder && vsp_decoder_keeps_ascii(in.decoder);
    in.tz = in.decoder ? vsp_tz_new(profile->timezone, err) : NULL;
    if (!in.tz) {
        result = err->status;
        goto out;
    }
    for (int i = 0; i < VSP_DATE_COUNT; i++)
        if (!(in.datefmt[i] = vsp_datefmt_new(profile->dates[i], err))) {
            result = err->status;
            goto out;
        }
    /* Every key an ingest writes is valid by construction: the country
     * from the profile (profile.c accepts only the six), the category,
     * decision, outcome and channel ids from the compiled taxonomy that
     * queries/0001_schema.sql seeds, the run id just inserted.  Checking
     * them again costs seven parent look-ups per row, a tenth of a bulk
     * ingest, so enforcement is off for the ingest's own transaction (it
     * can only change outside one) and back on after it.  The tests run
     * PRAGMA foreign_key_check after ingests. */
    sqlite3_exec(vsp_store_db(store), "PRAGMA foreign_keys = OFF", NULL, NULL, NULL);
    fk_off = true;
    if ((result = bulk_plan(&in, res->file_size)) != VSP_OK ||
        (result = vsp_store_begin(store, err)) != VSP_OK)
        goto out;
    in_tx = true;
    if ((result = prepare_all(&in)) != VSP_OK || (result = open_run(&in, res->file_size)) != VSP_OK)
        goto out;
    if ((result = bulk_start(&in)) != VSP_OK ||
        (result = parse_and_store(&in, fp, res->file_size)) != VSP_OK)
        goto out;
    /* What was hashed must be the file as it is: same size and time of
     * change as before reading, and as many bytes as it has. */
    struct stat after;
    if (fstat(fileno(fp), &after) != 0 || after.st_size != sb.st_size ||
        after.st_mtim.tv_sec != sb.st_mtim.tv_sec || after.st_mtim.tv_nsec != sb.st_mtim.tv_nsec ||
        in.bytes_read != (uint64_t)sb.st_size) {
        result = vsp_error_set(
            err, VSP_EDATA,
            "%s: the file changed while it was read (%llu bytes when opened, %llu read, %llu "
            "now%s); nothing of it was stored. Ingest it again once whatever writes it has "
            "finished",
            path, (unsigned long long)sb.st_size, (unsigned long long)in.bytes_read,
            (unsigned long long)after.st_size,
            after.st_mtim.tv_sec != sb.st_mtim.tv_sec || after.st_mtim.tv_nsec != sb.st_mtim.tv_nsec
                ? ", modified meanwhile"
                : "");
        goto out;
    }
    if ((result = flush_keys(&in, err)) != VSP_OK || (result = bulk_finish(&in)) != VSP_OK)
        goto out;
    if ((result = finish_run(&in)) != VSP_OK)
        goto out;
    if (in.rejects && fflush(in.rejects) != 0) {
        result = vsp_error_set(err, VSP_EIO, "%s: cannot write: %s", in.rejects_tmp,
                               strerror(errno));
        goto out;
    }
    if ((result = vsp_store_commit(store, err)) != VSP_OK)
        goto out;
    in_tx = false;
    if (in.rejects) {
        int bad = fclose(in.rejects);
        in.rejects = NULL;
        if (bad || rename(in.rejects_tmp, in.rejects_final) != 0) {
            /* The warehouse holds the rejects; only the report is lost. */
            unlink(in.rejects_tmp);
            result = vsp_error_set(err, VSP_ECANTCREAT,
                                   "%s: ingested, but cannot write the rejects report: %s "
                                   "(the rejected rows are in the warehouse table reject)",
                                   in.rejects_final, strerror(errno));
            goto out;
        }
        res->rejects_path = in.rejects_final;
        in.rejects_final = NULL;
    }
    result = VSP_OK;
out:
    if (in_tx)
        vsp_store_rollback(store);
    bulk_end(&in);
    if (fk_off)
        sqlite3_exec(vsp_store_db(store), "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
    if (fp)
        fclose(fp);
    ingest_fini(&in);
    res->seconds = vsp_now() - t0;
    return result;
}
