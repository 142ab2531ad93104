/* test_csvrec.c — the record splitter: records, quoting, line ends, and
 * damage kept to its own line.  Each case shows the input beside the
 * records expected, written as cells joined by '|', or "!L:C words" for an
 * error record (its line and column, worked out by hand). */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "pipeline/csvrec.h"
#include "pipeline/util.h"

typedef struct mem {
    const char *data;
    size_t len, pos, chunk;
} mem;

/* Reads at most `chunk` bytes at a time, to cross every block boundary. */
static size_t mem_read(void *ctx, char *buf, size_t n)
{
    mem *m = ctx;
    size_t k = m->len - m->pos;
    if (k > n)
        k = n;
    if (m->chunk && k > m->chunk)
        k = m->chunk;
    memcpy(buf, m->data + m->pos, k);
    m->pos += k;
    return k;
}

/* All records of input as one string: "line:cells" per record, ';'
 * between records. */
static void split(const char *input, size_t chunk, size_t max, vsp_buf *out)
{
    mem m = {input, strlen(input), 0, chunk};
    vsp_csv_reader *r = vsp_csv_reader_new(mem_read, &m, true, max);
    vsp_csv_record rec;
    vsp_buf_clear(out);
    vsp_buf_append(out, "", 0);
    while (vsp_csv_next(r, &rec)) {
        if (out->len)
            vsp_buf_putc(out, ';');
        if (rec.error) {
            vsp_buf_printf(out, "%ld!%ld:%ld %s [%.*s]", rec.line, rec.err_line, rec.err_col,
                           vsp_csv_error_words(rec.error), (int)rec.raw_len, rec.raw);
            continue;
        }
        vsp_buf_printf(out, "%ld:", rec.line);
        for (size_t i = 0; i < rec.n_cells; i++)
            vsp_buf_printf(out, "%s%.*s", i ? "|" : "", (int)rec.cells[i].len,
                           rec.cells[i].data);
    }
    vsp_csv_reader_free(r);
}

static const struct {
    const char *in, *want;
} cases[] = {
    {"", ""},
    {"a,b,c\n1,2,3\n", "1:a|b|c;2:1|2|3"},
    {"a,b\r\n1,2\r\n", "1:a|b;2:1|2"},
    {"a,b\r1,2", "1:a|b;2:1|2"},                                  /* CR alone, no last line end */
    {"\xEF\xBB\xBF" "a,b\n", "1:a|b"},                            /* BOM dropped */
    {"a,,\n\n,\n", "1:a||;2:;3:|"},                               /* empty cells, blank line */
    {"\"x,y\",\"he said \"\"hi\"\"\"\n", "1:x,y|he said \"hi\""},
    {"1,\"two\nlines\",3\n4,5,6\n", "1:1|two\nlines|3;3:4|5|6"},  /* quoted line end */
    {"1,\"a\r\nb\",2\r\n3\r\n", "1:1|a\r\nb|2;3:3"},
    {" \"q\" , x \n", "1:q| x "},                                 /* spaces around quotes */
    /* The file: a stray quote costs its own row only. */
    {"a,b,c\n1,\"x\"y,3\n2,5,6\n3,\"z\",9\n4,8,9\n",
     "1:a|b|c;2!2:6 text after a closing quote [1,\"x\"y,3];3:2|5|6;4:3|z|9;5:4|8|9"},
    {"1,x\"y,3\n2,5\n", "1!1:4 quote inside an unquoted field [1,x\"y,3];2:2|5"},
    /* Opened, closed lines later and followed by text: the opening quote
     * is at fault, its line rejected, the lines after it read again. */
    {"1,\"abc\n2,5,6\n3,\"z\",9\n", "1!1:3 text after a closing quote [1,\"abc];2:2|5|6;3:3|z|9"},
    {"h\n1,\"open\n2,x\n", "1:h;2!2:3 quoted field never closed [1,\"open];3:2|x"},
    {"h\n1,\"open", "1:h;2!2:3 quoted field never closed [1,\"open]"},
    /* Columns count characters, not bytes. */
    {"\xC3\xAB,\xC3\xAB\"\n", "1!1:4 quote inside an unquoted field [\xC3\xAB,\xC3\xAB\"]"},
};

static void test_cases(void)
{
    vsp_buf out;
    vsp_buf_init(&out);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        split(cases[i].in, 0, 0, &out);
        CHECK_STR(out.data, cases[i].want);
        split(cases[i].in, 1, 0, &out); /* one byte per read */
        CHECK_STR(out.data, cases[i].want);
    }
    vsp_buf_fini(&out);
}

/* A record over the limit: its first line is rejected (a prefix of it when
 * that line alone is over), and reading goes on. */
static void test_limit(void)
{
    vsp_buf out;
    vsp_buf_init(&out);
    split("1,\"abcdefghij\nklmnopqrstuvwxyz\n2,3\n", 0, 16, &out);
    CHECK_STR(out.data, "1!1:3 record too long [1,\"abcdefghij];2:klmnopqrstuvwxyz;3:2|3");
    split("abcdefghijklmnopqrstuvwxyz,1\n2,3\n", 3, 16, &out);
    CHECK_STR(out.data, "1!1:18 record too long [abcdefghijklmnopq];2:2|3");
    vsp_buf_fini(&out);
}

/* Records longer than a read block (256 KiB), read in odd chunks so that
 * the reader's buffer grows and moves while a record is being split: the
 * unquoted cells, which point into that buffer, and the quoted ones,
 * unquoted apart, still hold their bytes; other delimiters; a cell that
 * ends exactly at the record limit, and one a byte over it. */
static void test_long_records(void)
{
    size_t big = 600 * 1000;
    char *a = malloc(big + 1), *b = malloc(big + 1);
    for (size_t i = 0; i < big; i++) {
        a[i] = (char)('a' + i % 26);
        b[i] = (char)('A' + i % 23);
    }
    a[big] = b[big] = '\0';
    vsp_buf in, want, out;
    vsp_buf_init(&in);
    vsp_buf_init(&want);
    vsp_buf_init(&out);
    vsp_buf_printf(&in, "x;%s;\"%s\";y\r\n1;2\n", a, b);
    vsp_buf_printf(&want, "1:x|%s|%s|y;2:1|2", a, b);
    size_t chunks[] = {0, 99991, 7};
    for (size_t c = 0; c < 3; c++) {
        mem m = {in.data, in.len, 0, chunks[c]};
        vsp_csv_reader *r = vsp_csv_reader_new(mem_read, &m, true, 0);
        vsp_csv_set_delim(r, ';');
        vsp_csv_record rec;
        vsp_buf_clear(&out);
        vsp_buf_append(&out, "", 0);
        while (vsp_csv_next(r, &rec)) {
            if (out.len)
                vsp_buf_putc(&out, ';');
            vsp_buf_printf(&out, "%ld:", rec.line);
            for (size_t i = 0; i < rec.n_cells; i++) {
                if (i)
                    vsp_buf_putc(&out, '|');
                vsp_buf_append(&out, rec.cells[i].data, rec.cells[i].len);
            }
        }
        vsp_csv_reader_free(r);
        CHECK(out.len == want.len && memcmp(out.data, want.data, want.len) == 0);
    }
    /* limit 16, counted from the record's start: a cell may reach it, a
     * byte past it rejects the line (its first 17 bytes kept) */
    split("0123456789abcdefg\n1\n", 5, 16, &out);
    CHECK_STR(out.data, "1:0123456789abcdefg;2:1");
    split("0123456789abcdefgh\n1\n", 5, 16, &out);
    CHECK_STR(out.data, "1!1:18 record too long [0123456789abcdefg];2:1");
    split("\"0123456789abcde\"\n1\n", 5, 16, &out);
    CHECK_STR(out.data, "1:0123456789abcde;2:1");
    split("\"0123456789abcdefgh\"\n1\n", 5, 16, &out);
    CHECK_STR(out.data, "1!1:1 record too long [\"0123456789abcdef];2:1");
    vsp_buf_fini(&in);
    vsp_buf_fini(&want);
    vsp_buf_fini(&out);
    free(a);
    free(b);
}

static void test_skip_and_peek(void)
{
    const char *in = "\xEF\xBB\xBF" "title \"line\nh1;h2\n1;2\n";
    mem m = {in, strlen(in), 0, 0};
    vsp_csv_reader *r = vsp_csv_reader_new(mem_read, &m, true, 0);
    size_t len;
    const char *head = vsp_csv_peek(r, &len);
    CHECK_INT(len, strlen(in) - 3);
    CHECK(memcmp(head, "title", 5) == 0);
    vsp_csv_set_delim(r, ';');
    CHECK_INT(vsp_csv_skip_line(r), 1);
    CHECK_INT(vsp_csv_line(r), 2);
    vsp_csv_record rec;
    CHECK_INT(vsp_csv_next(r, &rec), 1);
    CHECK_INT(rec.line, 2);
    CHECK_INT(rec.n_cells, 2);
    CHECK_INT(vsp_csv_next(r, &rec), 1);
    CHECK_INT(rec.line, 3);
    CHECK_INT(vsp_csv_next(r, &rec), 0);
    CHECK_INT(vsp_csv_skip_line(r), 0);
    vsp_csv_reader_free(r);
}

int main(void)
{
    RUN(test_cases);
    RUN(test_limit);
    RUN(test_long_records);
    RUN(test_skip_and_peek);
    return harness_done();
}
