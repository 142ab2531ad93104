/* foreword.c — the foreword's Markdown subset (see foreword.h). */
#include "pipeline/foreword.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pipeline/util.h"

/* ---- inline ---------------------------------------------------------- */

typedef enum { OUT_MARKUP, OUT_PLAIN, OUT_HTML } out_kind;

static void put_escaped(vsp_buf *b, out_kind k, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (k == OUT_PLAIN) {
            vsp_buf_putc(b, c);
            continue;
        }
        switch (c) {
        case '&': vsp_buf_puts(b, "&amp;"); break;
        case '<': vsp_buf_puts(b, "&lt;"); break;
        case '>': vsp_buf_puts(b, "&gt;"); break;
        case '"': vsp_buf_puts(b, "&quot;"); break;
        case '\'': vsp_buf_puts(b, "&#39;"); break;
        default: vsp_buf_putc(b, c);
        }
    }
}

static bool prefix_iequal(const char *s, const char *prefix, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char a = s[i], b = prefix[i];
        if (a >= 'A' && a <= 'Z')
            a = (char)(a - 'A' + 'a');
        if (a != b)
            return false;
    }
    return true;
}

static bool url_ok(const char *u, size_t n)
{
    static const char *const schemes[] = {"https://", "http://", "mailto:"};
    for (size_t i = 0; i < 3; i++) {
        size_t k = strlen(schemes[i]);
        if (n > k && prefix_iequal(u, schemes[i], k)) {
            for (size_t j = 0; j < n; j++)
                if ((unsigned char)u[j] <= ' ' || u[j] == '"' || u[j] == '<' || u[j] == '>' ||
                    u[j] == '\\')
                    return false;
            return true;
        }
    }
    return false;
}

/* Render (out != NULL) or check (out == NULL: *why gets the problem) the
 * inline text s. */
static bool inline_run(const char *s, out_kind k, vsp_buf *out, const char **why)
{
    bool em = false, strong = false;
    char em_mark = 0;
    for (size_t i = 0; s[i];) {
        char c = s[i];
        if (c == '\\' && s[i + 1] && strchr("\\*_[]()#-.!`", s[i + 1])) {
            if (out)
                put_escaped(out, k, s + i + 1, 1);
            i += 2;
            continue;
        }
        if (c == '*' && s[i + 1] == '*') {
            strong = !strong;
            if (out && k != OUT_PLAIN)
                vsp_buf_puts(out, strong ? (k == OUT_HTML ? "<strong>" : "<b>")
                                         : (k == OUT_HTML ? "</strong>" : "</b>"));
            i += 2;
            continue;
        }
        if (c == '*' || c == '_') {
            /* an underscore inside a word is a letter (snake_case) */
            if (c == '_' && i > 0 && s[i - 1] != ' ' && s[i + 1] && s[i + 1] != ' ' && !em) {
                if (out)
                    put_escaped(out, k, s + i, 1);
                i++;
                continue;
            }
            if (em && c != em_mark) {
                if (out)
                    put_escaped(out, k, s + i, 1);
                i++;
                continue;
            }
            em = !em;
            em_mark = em ? c : 0;
            if (out && k != OUT_PLAIN)
                vsp_buf_puts(out, em ? (k == OUT_HTML ? "<em>" : "<i>")
                                     : (k == OUT_HTML ? "</em>" : "</i>"));
            i++;
            continue;
        }
        if (c == '!' && s[i + 1] == '[') {
            *why = "images are not part of the foreword's Markdown; describe it in words";
            return false;
        }
        if (c == '`') {
            *why = "code (`...`) is not part of the foreword's Markdown; write it as text";
            return false;
        }
        if (c == '<' && (s[i + 1] == '/' || s[i + 1] == '!' ||
                         (s[i + 1] >= 'a' && s[i + 1] <= 'z') ||
                         (s[i + 1] >= 'A' && s[i + 1] <= 'Z'))) {
            *why = "raw HTML is not allowed in the foreword; use *emphasis*, **strong** or "
                   "[text](https://...) instead";
            return false;
        }
        if (c == '[') {
            const char *close = strchr(s + i + 1, ']');
            if (!close || close[1] != '(') {
                *why = "a '[' that starts no link: write links as [text](https://...), or "
                       "\\[ for the bracket itself";
                return false;
            }
            const char *end = strchr(close + 2, ')');
            if (!end) {
                *why = "a link without its closing ')'";
                return false;
            }
            const char *url = close + 2;
            size_t ulen = (size_t)(end - url);
            if (!url_ok(url, ulen)) {
                *why = "a link must go to an https://, http:// or mailto: address without "
                       "spaces";
                return false;
            }
            size_t tlen = (size_t)(close - (s + i + 1));
            if (tlen == 0) {
                *why = "a link without text: write [text](https://...)";
                return false;
            }
            for (const char *q = s + i + 1; q < close; q++)
                if (*q == '[' || *q == '`' || *q == '<') {
                    *why = "a link's text holds '[', '`' or '<'";
                    return false;
                }
            if (out) {
                if (k == OUT_HTML) {
                    vsp_buf_puts(out, "<a href=\"");
                    put_escaped(out, k, url, ulen);
                    vsp_buf_puts(out, "\">");
                    put_escaped(out, k, s + i + 1, tlen);
                    vsp_buf_puts(out, "</a>");
                } else {
                    put_escaped(out, k, s + i + 1, tlen);
                    vsp_buf_puts(out, " (");
                    put_escaped(out, k, url, ulen);
                    vsp_buf_putc(out, ')');
                }
            }
            i = (size_t)(end - s) + 1;
            continue;
        }
        if (c == ']') {
            *why = "a ']' outside a link: write \\] for the bracket itself";
            return false;
        }
        if (out)
            put_escaped(out, k, s + i, 1);
        i++;
    }
    if (strong || em) {
        *why = strong ? "'**' opened and not closed on this paragraph"
                      : "'*' or '_' emphasis opened and not closed on this paragraph";
        return false;
    }
    return true;
}

static char *render(const char *text, out_kind k)
{
    vsp_buf b;
    vsp_buf_init(&b);
    const char *why = NULL;
    if (!inline_run(text, k, &b, &why)) { /* checked at load: not reached */
        vsp_buf_clear(&b);
        put_escaped(&b, k, text, strlen(text));
    }
    vsp_buf_putc(&b, '\0');
    return b.data;
}

char *vsp_foreword_markup(const char *text)
{
    return render(text, OUT_MARKUP);
}

char *vsp_foreword_plain(const char *text)
{
    return render(text, OUT_PLAIN);
}

char *vsp_foreword_html(const char *text)
{
    return render(text, OUT_HTML);
}

/* ---- blocks ---------------------------------------------------------- */

void vsp_foreword_free(vsp_foreword *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->n; i++)
        free(f->blocks[i].text);
    free(f->blocks);
    free(f);
}

static void add(vsp_foreword *f, vsp_fw_kind kind, int level, int line, const char *text,
                size_t len)
{
    f->blocks = vsp_xrealloc(f->blocks, (f->n + 1) * sizeof *f->blocks);
    vsp_fw_block *b = &f->blocks[f->n++];
    b->kind = kind;
    b->level = level;
    b->line = line;
    b->text = vsp_xmalloc(len + 1);
    memcpy(b->text, text, len);
    b->text[len] = '\0';
}

/* A UTF-8 check that also refuses control characters (tab aside). */
static size_t bad_utf8(const unsigned char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        unsigned char c = s[i];
        if (c < 0x80) {
            if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F)
                return i + 1;
            i++;
            continue;
        }
        size_t k = c >= 0xF5 ? 0 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
        if (k == 0 || i + k > n)
            return i + 1;
        for (size_t j = 1; j < k; j++)
            if ((s[i + j] & 0xC0) != 0x80)
                return i + 1;
        if ((k == 3 && c == 0xE0 && s[i + 1] < 0xA0) || (k == 3 && c == 0xED && s[i + 1] >= 0xA0) ||
            (k == 4 && c == 0xF0 && s[i + 1] < 0x90) || (k == 4 && c == 0xF4 && s[i + 1] >= 0x90))
            return i + 1;
        /* C1 controls U+0080..U+009F */
        if (k == 2 && c == 0xC2 && s[i + 1] < 0xA0)
            return i + 1;
        i += k;
    }
    return 0;
}

vsp_foreword *vsp_foreword_parse(const char *text, size_t len, const char *name, vsp_error *err)
{
    if (len > VSP_FOREWORD_MAX_BYTES) {
        vsp_error_set(err, VSP_EDATA, "%s: the foreword is %zu bytes; at most %d are accepted",
                      name, len, VSP_FOREWORD_MAX_BYTES);
        return NULL;
    }
    size_t at = bad_utf8((const unsigned char *)text, len);
    if (at) {
        int line = 1;
        for (size_t i = 0; i + 1 < at; i++)
            line += text[i] == '\n';
        vsp_error_set(err, VSP_EDATA,
                      "%s:%d: not UTF-8 text, or a control character: save the foreword as "
                      "UTF-8 plain text",
                      name, line);
        return NULL;
    }
    size_t skip = len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0 ? 3 : 0; /* a BOM */
    vsp_foreword *f = vsp_xmalloc(sizeof *f);
    f->blocks = NULL;
    f->n = 0;
    vsp_buf para;
    vsp_buf_init(&para);
    int para_line = 0, line = 0;
    const char *p = text + skip, *end = text + len;
    const char *why = NULL;
    int why_line = 0;
#define FAIL(l, ...)                                                                            \
    do {                                                                                        \
        char m_[400];                                                                           \
        snprintf(m_, sizeof m_, __VA_ARGS__);                                                   \
        vsp_error_set(err, VSP_EDATA, "%s:%d: %s", name, (l), m_);                             \
        goto fail;                                                                              \
    } while (0)
    while (p <= end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        line++;
        size_t n = (size_t)(le - p);
        if (n && p[n - 1] == '\r')
            n--;
        /* trim */
        const char *s = p;
        size_t m = n;
        while (m && (*s == ' ' || *s == '\t'))
            s++, m--;
        while (m && (s[m - 1] == ' ' || s[m - 1] == '\t'))
            m--;
        size_t indent = (size_t)(s - p);
        bool blank = m == 0;
        bool heading = m && s[0] == '#';
        bool bullet = m >= 2 && (s[0] == '-' || s[0] == '*' || s[0] == '+') && s[1] == ' ';
        size_t dl = 0;
        while (dl < m && s[dl] >= '0' && s[dl] <= '9')
            dl++;
        bool numbered = dl > 0 && dl < 4 && dl + 1 < m && s[dl] == '.' && s[dl + 1] == ' ';
        if (!blank) {
            if (m >= 3 && (memcmp(s, "```", 3) == 0 || memcmp(s, "~~~", 3) == 0))
                FAIL(line, "code blocks are not part of the foreword's Markdown; write the "
                           "text as a paragraph");
            if (s[0] == '>')
                FAIL(line, "block quotes ('>') are not part of the foreword's Markdown; write "
                           "a paragraph");
            if (s[0] == '|')
                FAIL(line, "tables are not part of the foreword's Markdown; the report has the "
                           "figures' tables");
            if (m >= 3 && (s[0] == '-' || s[0] == '*' || s[0] == '_' || s[0] == '=')) {
                size_t r = 0;
                while (r < m && (s[r] == s[0] || s[r] == ' '))
                    r++;
                if (r == m)
                    FAIL(line, "rules and underlined headings are not part of the foreword's "
                               "Markdown; use '# Heading'");
            }
            if (indent >= 4 && !para.len)
                FAIL(line, "an indented code block: start the line at its first column");
        }
        bool ends_para = blank || heading || bullet || numbered || !nl;
        if ((blank || heading || bullet || numbered) && para.len) {
            vsp_buf_putc(&para, '\0');
            if (!inline_run(para.data, OUT_PLAIN, NULL, &why)) {
                why_line = para_line;
                goto bad_inline;
            }
            add(f, VSP_FW_PARA, 0, para_line, para.data, strlen(para.data));
            vsp_buf_clear(&para);
        }
        if (heading) {
            size_t h = 0;
            while (h < m && s[h] == '#')
                h++;
            if (h > 3)
                FAIL(line, "headings go three levels deep at most ('###')");
            if (h >= m || s[h] != ' ')
                FAIL(line, "write a heading as '# Text', with a space after the '#'");
            const char *t = s + h + 1;
            size_t tl = m - h - 1;
            char *tmp = vsp_xmalloc(tl + 1);
            memcpy(tmp, t, tl);
            tmp[tl] = '\0';
            bool ok = inline_run(tmp, OUT_PLAIN, NULL, &why);
            free(tmp);
            if (!ok) {
                why_line = line;
                goto bad_inline;
            }
            add(f, VSP_FW_HEADING, (int)h, line, t, tl);
        } else if (bullet || numbered) {
            const char *t = bullet ? s + 2 : s + dl + 2;
            size_t tl = bullet ? m - 2 : m - dl - 2;
            char *tmp = vsp_xmalloc(tl + 1);
            memcpy(tmp, t, tl);
            tmp[tl] = '\0';
            bool ok = inline_run(tmp, OUT_PLAIN, NULL, &why);
            free(tmp);
            if (!ok) {
                why_line = line;
                goto bad_inline;
            }
            add(f, VSP_FW_ITEM, bullet ? 0 : atoi(s), line, t, tl);
        } else if (!blank) {
            if (!para.len)
                para_line = line;
            else
                vsp_buf_putc(&para, ' ');
            vsp_buf_append(&para, s, m);
        }
        if (!nl) {
            if (para.len) {
                vsp_buf_putc(&para, '\0');
                if (!inline_run(para.data, OUT_PLAIN, NULL, &why)) {
                    why_line = para_line;
                    goto bad_inline;
                }
                add(f, VSP_FW_PARA, 0, para_line, para.data, strlen(para.data));
            }
            break;
        }
        (void)ends_para;
        p = nl + 1;
    }
#undef FAIL
    vsp_buf_fini(&para);
    if (f->n == 0) {
        vsp_error_set(err, VSP_EDATA, "%s: the foreword is empty", name);
        vsp_foreword_free(f);
        return NULL;
    }
    return f;
bad_inline:
    vsp_error_set(err, VSP_EDATA, "%s:%d: %s", name, why_line, why);
fail:
    vsp_buf_fini(&para);
    vsp_foreword_free(f);
    return NULL;
}

vsp_foreword *vsp_foreword_load(const char *path, vsp_error *err)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        vsp_error_set(err, VSP_ENOINPUT, "%s: cannot open the foreword: %s", path,
                      strerror(errno));
        return NULL;
    }
    vsp_buf b;
    vsp_buf_init(&b);
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0 && b.len <= VSP_FOREWORD_MAX_BYTES)
        vsp_buf_append(&b, chunk, n);
    bool bad = ferror(fp) != 0;
    fclose(fp);
    if (bad) {
        vsp_buf_fini(&b);
        vsp_error_set(err, VSP_ENOINPUT, "%s: cannot read the foreword", path);
        return NULL;
    }
    vsp_foreword *f = vsp_foreword_parse(b.data ? b.data : "", b.len, path, err);
    vsp_buf_fini(&b);
    return f;
}
