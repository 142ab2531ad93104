/* test_foreword.c — pipeline/foreword.h: the regulator's foreword in its
 * Markdown subset, input beside the blocks and the escaped renderings it
 * must give, and every construct outside the subset refused at its line. */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "pipeline/foreword.h"

static vsp_foreword *parse(const char *text, vsp_error *err)
{
    return vsp_foreword_parse(text, strlen(text), "fw.md", err);
}

static void test_blocks(void)
{
    vsp_error err;
    vsp_foreword *f = parse("\xef\xbb\xbf# Предговор\r\n"
                            "\n"
                            "First line\n"
                            "  continues here.\n"
                            "\n"
                            "- one\n"
                            "* two\n"
                            "12. twelve\n"
                            "### Sub\n"
                            "last",
                            &err);
    CHECK(f != NULL);
    if (!f) {
        fprintf(stderr, "%s\n", err.msg);
        return;
    }
    /* heading 1, paragraph (two lines joined), three items, heading 3, paragraph */
    CHECK_INT(f->n, 7);
    CHECK_INT(f->blocks[0].kind, VSP_FW_HEADING);
    CHECK_INT(f->blocks[0].level, 1);
    CHECK_STR(f->blocks[0].text, "Предговор");
    CHECK_INT(f->blocks[1].kind, VSP_FW_PARA);
    CHECK_INT(f->blocks[1].line, 3);
    CHECK_STR(f->blocks[1].text, "First line continues here.");
    CHECK_INT(f->blocks[2].kind, VSP_FW_ITEM);
    CHECK_INT(f->blocks[2].level, 0);
    CHECK_STR(f->blocks[3].text, "two");
    CHECK_INT(f->blocks[4].level, 12);
    CHECK_STR(f->blocks[4].text, "twelve");
    CHECK_INT(f->blocks[5].level, 3);
    CHECK_INT(f->blocks[5].line, 9);
    CHECK_STR(f->blocks[6].text, "last");
    vsp_foreword_free(f);
}

static void test_inline(void)
{
    const char *src = "We & **they** 1 < 2 *so*: see [the \"report\"](https://x.example/a?b=1&c=2), "
                      "snake_case, \\*not em\\*.";
    vsp_error err;
    vsp_foreword *f = parse(src, &err);
    CHECK(f != NULL);
    vsp_foreword_free(f);
    char *m = vsp_foreword_markup(src);
    CHECK_STR(m, "We &amp; <b>they</b> 1 &lt; 2 <i>so</i>: see the &quot;report&quot; "
                 "(https://x.example/a?b=1&amp;c=2), snake_case, *not em*.");
    free(m);
    char *p = vsp_foreword_plain(src);
    CHECK_STR(p, "We & they 1 < 2 so: see the \"report\" (https://x.example/a?b=1&c=2), "
                 "snake_case, *not em*.");
    free(p);
    char *h = vsp_foreword_html(src);
    CHECK_STR(h, "We &amp; <strong>they</strong> 1 &lt; 2 <em>so</em>: see <a "
                 "href=\"https://x.example/a?b=1&amp;c=2\">the &quot;report&quot;</a>, "
                 "snake_case, *not em*.");
    free(h);
    /* a spreadsheet formula start stays text: plain text is returned as is,
     * and the workbook writes strings, never formulas */
    p = vsp_foreword_plain("=HYPERLINK(\"x\")");
    CHECK_STR(p, "=HYPERLINK(\"x\")");
    free(p);
}

static void test_refused(void)
{
    static const struct {
        const char *text;
        int line;
        const char *says;
    } bad[] = {
        {"ok\n\n<script>alert(1)</script>\n", 3, "raw HTML"},
        {"a\n```\ncode\n```\n", 2, "code blocks"},
        {"x `y` z\n", 1, "code (`...`)"},
        {"> quoted\n", 1, "block quotes"},
        {"| a | b |\n", 1, "tables"},
        {"![logo](https://x/y.png)\n", 1, "images"},
        {"#### deep\n", 1, "three levels"},
        {"#NoSpace\n", 1, "a space after"},
        {"see [x](javascript:alert(1))\n", 1, "https://"},
        {"see [x](https://a b)\n", 1, "https://"},
        {"an *open emphasis\n", 1, "not closed"},
        {"**strong\n", 1, "not closed"},
        {"a [bracket here\n", 1, "starts no link"},
        {"one\ntwo\n\n---\n", 4, "rules"},
        {"ok\nbad \x01 char\n", 2, "control character"},
        {"ok\n\xc3\x28\n", 2, "not UTF-8"},
        {"\n\n", 0, "empty"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        vsp_error err;
        vsp_foreword *f = parse(bad[i].text, &err);
        CHECK(f == NULL);
        vsp_foreword_free(f);
        if (f)
            continue;
        CHECK_INT(err.status, VSP_EDATA);
        char where[32];
        if (bad[i].line)
            snprintf(where, sizeof where, "fw.md:%d: ", bad[i].line);
        else
            snprintf(where, sizeof where, "fw.md: ");
        if (strncmp(err.msg, where, strlen(where)) != 0 || !strstr(err.msg, bad[i].says)) {
            harness_failures++;
            fprintf(stderr, "case %zu: '%s', want '%s...%s'\n", i, err.msg, where, bad[i].says);
        }
        harness_checks++;
    }
    /* too long */
    size_t n = VSP_FOREWORD_MAX_BYTES + 1;
    char *big = malloc(n + 1);
    memset(big, 'a', n);
    big[n] = '\0';
    vsp_error err;
    CHECK(vsp_foreword_parse(big, n, "fw.md", &err) == NULL);
    CHECK(strstr(err.msg, "at most") != NULL);
    free(big);
    /* a missing file is no input */
    CHECK(vsp_foreword_load("/nonexistent/foreword.en.md", &err) == NULL);
    CHECK_INT(err.status, VSP_ENOINPUT);
}

int main(void)
{
    RUN(test_blocks);
    RUN(test_inline);
    RUN(test_refused);
    return harness_done();
}
