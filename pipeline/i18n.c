#include "pipeline/i18n.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "pipeline/util.h"


const char *const vsp_i18n_langs[] = {"en", "sq", "sr", "sr-Latn", "mk", "bs", "cnr", NULL};

static int lang_index(const char *lang)
{
    if (!lang)
        return -1;
    for (int i = 0; vsp_i18n_langs[i]; i++)
        if (vsp_ascii_iequal(lang, vsp_i18n_langs[i]))
            return i;
    return -1;
}

bool vsp_i18n_lang_valid(const char *lang)
{
    return lang_index(lang) >= 0;
}

const char *vsp_i18n_lang_canon(const char *lang)
{
    int i = lang_index(lang);
    return i < 0 ? NULL : vsp_i18n_langs[i];
}

const char *vsp_i18n_pango_lang(const char *lang)
{
    static const char *const tags[] = {"en", "sq", "sr", "sr-latn", "mk", "bs", "cnr"};
    int i = lang_index(lang);
    return i < 0 ? "en" : tags[i];
}

const char *const vsp_i18n_lang_tags[VSP_I18N_N_LANGS] = {"en", "sq", "sr-Cyrl", "sr-Latn",
                                                         "mk", "bs", "cnr"};

const char *vsp_i18n_lang_tag(const char *lang)
{
    int i = lang_index(lang);
    return i < 0 ? "en" : vsp_i18n_lang_tags[i];
}

/* ---- catalogues ---------------------------------------------------- */

typedef struct entry {
    char *key;    /* "ctx\004msgid" or "msgid" */
    char *str;    /* translation (msgstr, or msgstr[0] of a plural entry), never empty */
    char **forms; /* plural entry: msgstr[0..n_forms-1], each non-empty; else NULL */
    int n_forms;
} entry;

typedef struct catalogue {
    bool loaded; /* tried (even if it failed: fall back to msgids) */
    entry *entries;
    size_t n;
    int nplurals;       /* from the header's Plural-Forms (2, plural = n != 1, if none) */
    char *plural_expr;  /* its plural= expression, NULL for the default */
} catalogue;

static catalogue catalogues[VSP_I18N_N_LANGS];

const char *vsp_i18n_po_dir(void)
{
    const char *env = getenv("VSP_PO_DIR");
    if (env && env[0])
        return env;
    static char found[4096]; /* for the life of the process */
    if (!found[0]) {
        char *p = vsp_data_path("po");
        snprintf(found, sizeof found, "%s", p);
        free(p);
    }
    return found;
}

static int entry_cmp(const void *a, const void *b)
{
    return strcmp(((const entry *)a)->key, ((const entry *)b)->key);
}

/* Parser state for one .po file. */
typedef struct po_parser {
    const char *path;
    long line;
    vsp_buf ctx, id, str;
    vsp_buf forms[VSP_I18N_MAX_PLURALS]; /* msgstr[1..] (msgstr[0] is str) */
    int n_forms, form;                   /* highest msgstr[k] + 1; the one being read */
    bool has_ctx, has_id, has_plural, fuzzy, obsolete_skip;
    int field; /* 0 none, 1 ctx, 2 id, 3 id_plural (ignored), 4 str, 5 str[n>0] */
    entry *entries;
    size_t n, cap;
    char *header; /* msgstr of the empty msgid */
    long header_line;
} po_parser;

/* Decode one quoted string starting at p (which points at the opening
 * quote) and append it to out.  Returns NULL with err set on bad syntax. */
static const char *po_string(po_parser *ps, const char *p, vsp_buf *out, vsp_error *err)
{
    if (*p != '"') {
        vsp_error_set(err, VSP_ECONFIG, "%s:%ld: expected a quoted string", ps->path, ps->line);
        return NULL;
    }
    p++;
    char c = 0;
    while (*p && *p != '"') {
        if (*p != '\\') {
            vsp_buf_putc(out, *p++);
            continue;
        }
        p++;
        c = *p;
        switch (c) {
        case 'n': vsp_buf_putc(out, '\n'); p++; break;
        case 't': vsp_buf_putc(out, '\t'); p++; break;
        case 'r': vsp_buf_putc(out, '\r'); p++; break;
        case 'a': vsp_buf_putc(out, '\a'); p++; break;
        case 'b': vsp_buf_putc(out, '\b'); p++; break;
        case 'f': vsp_buf_putc(out, '\f'); p++; break;
        case 'v': vsp_buf_putc(out, '\v'); p++; break;
        case '\\': case '"': case '\'': case '?': vsp_buf_putc(out, c); p++; break;
        case 'x': {
            p++;
            int v = 0, k = 0;
            while (k < 2 && ((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f') ||
                             (*p >= 'A' && *p <= 'F'))) {
                v = v * 16 + (*p <= '9' ? *p - '0' : (*p | 0x20) - 'a' + 10);
                p++;
                k++;
            }
            if (k == 0)
                goto bad_escape;
            vsp_buf_putc(out, (char)v);
            break;
        }
        default:
            if (c >= '0' && c <= '7') {
                int v = 0, k = 0;
                while (k < 3 && *p >= '0' && *p <= '7') {
                    v = v * 8 + (*p - '0');
                    p++;
                    k++;
                }
                vsp_buf_putc(out, (char)v);
                break;
            }
            goto bad_escape;
        }
    }
    if (*p != '"') {
        vsp_error_set(err, VSP_ECONFIG, "%s:%ld: unterminated string", ps->path, ps->line);
        return NULL;
    }
    p++;
    while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
        p++;
    if (*p && *p != '#') {
        vsp_error_set(err, VSP_ECONFIG, "%s:%ld: unexpected text after the string", ps->path,
                      ps->line);
        return NULL;
    }
    return p;
bad_escape:
    vsp_error_set(err, VSP_ECONFIG, "%s:%ld: unknown escape sequence '\\%c'", ps->path, ps->line,
                  c ? c : '0');
    return NULL;
}

/* Finish the entry being read, keeping it if it has a translation. */
static void po_flush(po_parser *ps)
{
    if (ps->has_id && ps->id.len == 0 && !ps->has_ctx && !ps->header && ps->str.len > 0)
        ps->header = vsp_xstrdup(ps->str.data);
    bool complete = true; /* a plural entry is used only with every form */
    for (int k = 1; ps->has_plural && k < ps->n_forms; k++)
        complete = complete && ps->forms[k].len > 0;
    if (ps->has_id && ps->str.len > 0 && !ps->fuzzy && ps->id.len > 0 && complete) {
        if (ps->n == ps->cap) {
            ps->cap = ps->cap ? ps->cap * 2 : 256;
            ps->entries = vsp_xrealloc(ps->entries, ps->cap * sizeof *ps->entries);
        }
        char *key = ps->has_ctx
                        ? vsp_xasprintf("%s\004%s", ps->ctx.data ? ps->ctx.data : "", ps->id.data)
                        : vsp_xstrdup(ps->id.data);
        ps->entries[ps->n].key = key;
        ps->entries[ps->n].str = vsp_xstrdup(ps->str.data);
        ps->entries[ps->n].forms = NULL;
        ps->entries[ps->n].n_forms = 0;
        if (ps->has_plural) {
            int nf = ps->n_forms > 0 ? ps->n_forms : 1;
            char **forms = vsp_xcalloc((size_t)nf, sizeof *forms);
            forms[0] = vsp_xstrdup(ps->str.data);
            for (int k = 1; k < nf; k++)
                forms[k] = vsp_xstrdup(ps->forms[k].data);
            ps->entries[ps->n].forms = forms;
            ps->entries[ps->n].n_forms = nf;
        }
        ps->n++;
    }
    vsp_buf_clear(&ps->ctx);
    vsp_buf_clear(&ps->id);
    vsp_buf_clear(&ps->str);
    for (int k = 0; k < VSP_I18N_MAX_PLURALS; k++)
        vsp_buf_clear(&ps->forms[k]);
    ps->n_forms = ps->form = 0;
    ps->has_ctx = ps->has_id = ps->has_plural = ps->fuzzy = false;
    ps->field = 0;
}

static bool keyword(const char *p, const char *kw, const char **rest)
{
    size_t n = strlen(kw);
    if (strncmp(p, kw, n) != 0 || (p[n] != ' ' && p[n] != '\t'))
        return false;
    p += n;
    while (*p == ' ' || *p == '\t')
        p++;
    *rest = p;
    return true;
}

static vsp_status po_parse(po_parser *ps, FILE *f, vsp_error *err)
{
    vsp_status st = VSP_ECONFIG;
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    while ((len = getline(&line, &cap, f)) >= 0) {
        ps->line++;
        const char *p = line;
        if (ps->line == 1 && (unsigned char)p[0] == 0xEF && (unsigned char)p[1] == 0xBB &&
            (unsigned char)p[2] == 0xBF)
            p += 3;
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p == '\0' || *p == '\n' || *p == '\r') {
            continue;
        }
        if (*p == '#') {
            if (p[1] == ',' && strstr(p, "fuzzy")) {
                if (ps->field >= 4)
                    po_flush(ps);
                ps->fuzzy = true;
            }
            continue;
        }
        const char *rest;
        vsp_buf *target = NULL;
        if (*p == '"') {
            switch (ps->field) {
            case 1: target = &ps->ctx; break;
            case 2: target = &ps->id; break;
            case 4: target = &ps->str; break;
            case 5: target = &ps->forms[ps->form]; break;
            case 3: target = NULL; break;
            default:
                vsp_error_set(err, VSP_ECONFIG, "%s:%ld: a string outside any entry", ps->path,
                              ps->line);
                goto out;
            }
            rest = p;
        } else if (keyword(p, "msgctxt", &rest)) {
            if (ps->field >= 4 || ps->has_id || ps->has_ctx)
                po_flush(ps);
            ps->has_ctx = true;
            ps->field = 1;
            target = &ps->ctx;
        } else if (keyword(p, "msgid", &rest)) {
            if (ps->field >= 4 || ps->has_id)
                po_flush(ps);
            ps->has_id = true;
            ps->field = 2;
            target = &ps->id;
        } else if (keyword(p, "msgid_plural", &rest)) {
            ps->field = 3;
            ps->has_plural = true;
        } else if (keyword(p, "msgstr", &rest) || keyword(p, "msgstr[0]", &rest)) {
            if (!ps->has_id) {
                vsp_error_set(err, VSP_ECONFIG, "%s:%ld: msgstr without msgid", ps->path,
                              ps->line);
                goto out;
            }
            if (ps->id.len == 0 && !ps->has_ctx)
                ps->header_line = ps->line;
            if (strncmp(p, "msgstr[", 7) == 0 && ps->n_forms < 1)
                ps->n_forms = 1;
            ps->field = 4;
            target = &ps->str;
        } else if (strncmp(p, "msgstr[", 7) == 0) {
            const char *q = strchr(p, ']');
            if (!q) {
                vsp_error_set(err, VSP_ECONFIG, "%s:%ld: bad msgstr[n]", ps->path, ps->line);
                goto out;
            }
            char *endnum;
            long k = strtol(p + 7, &endnum, 10);
            if (endnum != q || k < 1 || k >= VSP_I18N_MAX_PLURALS || !ps->has_id) {
                vsp_error_set(err, VSP_ECONFIG,
                              "%s:%ld: bad msgstr[n] (n must be 0..%d, after a msgid)",
                              ps->path, ps->line, VSP_I18N_MAX_PLURALS - 1);
                goto out;
            }
            rest = q + 1;
            while (*rest == ' ' || *rest == '\t')
                rest++;
            ps->field = 5;
            ps->form = (int)k;
            target = &ps->forms[k];
            if (ps->n_forms < k + 1)
                ps->n_forms = (int)k + 1;
        } else {
            vsp_error_set(err, VSP_ECONFIG, "%s:%ld: expected msgctxt, msgid or msgstr",
                          ps->path, ps->line);
            goto out;
        }
        vsp_buf scratch;
        vsp_buf_init(&scratch);
        const char *end = po_string(ps, rest, target ? target : &scratch, err);
        vsp_buf_fini(&scratch);
        if (!end)
            goto out;
    }
    if (ferror(f)) {
        vsp_error_set(err, VSP_EIO, "%s: read error: %s", ps->path, strerror(errno));
        goto out;
    }
    po_flush(ps);
    st = VSP_OK;
out:
    free(line);
    return st;
}

static void entries_free(entry *entries, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(entries[i].key);
        free(entries[i].str);
        for (int k = 0; k < entries[i].n_forms; k++)
            free(entries[i].forms[k]);
        free(entries[i].forms);
    }
    free(entries);
}

static void catalogue_free(catalogue *c)
{
    entries_free(c->entries, c->n);
    free(c->plural_expr);
    c->plural_expr = NULL;
    c->nplurals = 2;
    c->entries = NULL;
    c->n = 0;
    c->loaded = false;
}

/* ---- plural forms -------------------------------------------------- */

/* A small evaluator for the C subset gettext's Plural-Forms use: n,
 * decimal constants, ( ), ! unary, * / %, + -, < <= > >=, == !=, &&, ||,
 * ?: -- unsigned arithmetic, as GNU gettext does; division by zero gives
 * 0 rather than a crash.  Recursive descent with a depth limit; any
 * other character is an error. */
typedef struct plural_eval {
    const char *p;
    unsigned long n;
    int depth;
    bool ok;
} plural_eval;

static unsigned long pe_cond(plural_eval *e);

static void pe_space(plural_eval *e)
{
    while (*e->p == ' ' || *e->p == '\t' || *e->p == '\n' || *e->p == '\r')
        e->p++;
}

static bool pe_eat(plural_eval *e, const char *tok)
{
    pe_space(e);
    size_t l = strlen(tok);
    if (strncmp(e->p, tok, l) != 0)
        return false;
    /* "<" must not take the first half of "<=", "!" of "!=", "=" alone is no operator */
    if (l == 1 && (tok[0] == '<' || tok[0] == '>' || tok[0] == '!') && e->p[1] == '=')
        return false;
    if (l == 1 && (tok[0] == '&' || tok[0] == '|'))
        return false;
    e->p += l;
    return true;
}

static unsigned long pe_primary(plural_eval *e)
{
    pe_space(e);
    if (++e->depth > 64) {
        e->ok = false;
        return 0;
    }
    unsigned long v = 0;
    if (*e->p == 'n') {
        e->p++;
        v = e->n;
    } else if (*e->p >= '0' && *e->p <= '9') {
        while (*e->p >= '0' && *e->p <= '9') {
            v = v * 10 + (unsigned long)(*e->p - '0');
            e->p++;
        }
    } else if (pe_eat(e, "(")) {
        v = pe_cond(e);
        if (!pe_eat(e, ")"))
            e->ok = false;
    } else if (pe_eat(e, "!")) {
        v = !pe_primary(e);
    } else {
        e->ok = false;
    }
    e->depth--;
    return v;
}

static unsigned long pe_mul(plural_eval *e)
{
    unsigned long v = pe_primary(e);
    for (;;) {
        if (pe_eat(e, "*")) {
            v *= pe_primary(e);
        } else if (pe_eat(e, "/")) {
            unsigned long d = pe_primary(e);
            v = d ? v / d : 0;
        } else if (pe_eat(e, "%")) {
            unsigned long d = pe_primary(e);
            v = d ? v % d : 0;
        } else {
            return v;
        }
    }
}

static unsigned long pe_add(plural_eval *e)
{
    unsigned long v = pe_mul(e);
    for (;;) {
        if (pe_eat(e, "+"))
            v += pe_mul(e);
        else if (pe_eat(e, "-"))
            v -= pe_mul(e);
        else
            return v;
    }
}

static unsigned long pe_rel(plural_eval *e)
{
    unsigned long v = pe_add(e);
    for (;;) {
        if (pe_eat(e, "<="))
            v = v <= pe_add(e);
        else if (pe_eat(e, ">="))
            v = v >= pe_add(e);
        else if (pe_eat(e, "<"))
            v = v < pe_add(e);
        else if (pe_eat(e, ">"))
            v = v > pe_add(e);
        else
            return v;
    }
}

static unsigned long pe_eq(plural_eval *e)
{
    unsigned long v = pe_rel(e);
    for (;;) {
        if (pe_eat(e, "=="))
            v = v == pe_rel(e);
        else if (pe_eat(e, "!="))
            v = v != pe_rel(e);
        else
            return v;
    }
}

static unsigned long pe_and(plural_eval *e)
{
    unsigned long v = pe_eq(e);
    while (pe_eat(e, "&&")) {
        unsigned long w = pe_eq(e); /* both sides parsed: no side effects to skip */
        v = v && w;
    }
    return v;
}

static unsigned long pe_or(plural_eval *e)
{
    unsigned long v = pe_and(e);
    while (pe_eat(e, "||")) {
        unsigned long w = pe_and(e);
        v = v || w;
    }
    return v;
}

static unsigned long pe_cond(plural_eval *e)
{
    if (++e->depth > 64) {
        e->ok = false;
        return 0;
    }
    unsigned long c = pe_or(e);
    if (pe_eat(e, "?")) {
        unsigned long a = pe_cond(e);
        if (!pe_eat(e, ":"))
            e->ok = false;
        unsigned long b = pe_cond(e);
        c = c ? a : b;
    }
    e->depth--;
    return c;
}

bool vsp_i18n_plural_eval(const char *expr, unsigned long n, unsigned long *out)
{
    plural_eval e = {expr, n, 0, true};
    unsigned long v = pe_cond(&e);
    pe_space(&e);
    if (*e.p == ';')
        e.p++;
    pe_space(&e);
    if (!e.ok || *e.p != '\0')
        return false;
    *out = v;
    return true;
}

/* Read "nplurals=N; plural=EXPR;" from a header; check the expression
 * gives a form below N for n = 0..1000. */
static vsp_status plural_forms(catalogue *c, const char *header, const char *path, long line,
                               vsp_error *err)
{
    c->nplurals = 2;
    c->plural_expr = NULL;
    const char *pf = header ? strstr(header, "Plural-Forms:") : NULL;
    if (!pf)
        return VSP_OK;
    const char *np = strstr(pf, "nplurals=");
    const char *pl = strstr(pf, "plural=");
    const char *eol = strchr(pf, '\n');
    if (!eol)
        eol = pf + strlen(pf);
    if (pl && pl > pf && pl[-1] == 'n') /* "nplurals=" itself */
        pl = strstr(pl + 1, "plural=");
    if (!np || !pl || np > eol || pl > eol)
        return vsp_error_set(err, VSP_ECONFIG,
                             "%s:%ld: Plural-Forms needs \"nplurals=N; plural=EXPRESSION;\"",
                             path, line);
    char *endn;
    long nplurals = strtol(np + 9, &endn, 10);
    if (endn == np + 9 || nplurals < 1 || nplurals > VSP_I18N_MAX_PLURALS)
        return vsp_error_set(err, VSP_ECONFIG, "%s:%ld: Plural-Forms: nplurals must be 1..%d",
                             path, line, VSP_I18N_MAX_PLURALS);
    char *expr = vsp_xasprintf("%.*s", (int)(eol - (pl + 7)), pl + 7);
    for (unsigned long n = 0; n <= 1000; n++) {
        unsigned long v;
        if (!vsp_i18n_plural_eval(expr, n, &v) || v >= (unsigned long)nplurals) {
            vsp_status st = vsp_error_set(
                err, VSP_ECONFIG,
                "%s:%ld: Plural-Forms: the expression '%s' %s (n = %lu); write it as in "
                "the GNU gettext manual, e.g. (n != 1)",
                path, line, expr,
                vsp_i18n_plural_eval(expr, n, &v) ? "gives a form beyond nplurals"
                                                  : "is not a valid plural expression",
                n);
            free(expr);
            return st;
        }
    }
    c->nplurals = (int)nplurals;
    c->plural_expr = expr;
    return VSP_OK;
}

vsp_status vsp_i18n_load(const char *lang, vsp_error *err)
{
    int li = lang_index(lang);
    if (li < 0)
        return vsp_error_set(err, VSP_EUSAGE, "unknown language '%s' (use one of: en sq sr "
                                              "sr-Latn mk bs cnr)", lang ? lang : "");
    catalogue *c = &catalogues[li];
    if (c->loaded)
        return VSP_OK;
    c->loaded = true; /* whatever happens, don't try again on every lookup */
    char *path = vsp_xasprintf("%s/%s.po", vsp_i18n_po_dir(), vsp_i18n_langs[li]);
    vsp_status st = VSP_ECONFIG;
    po_parser ps;
    memset(&ps, 0, sizeof ps);
    vsp_buf_init(&ps.ctx);
    vsp_buf_init(&ps.id);
    vsp_buf_init(&ps.str);
    for (int k = 0; k < VSP_I18N_MAX_PLURALS; k++)
        vsp_buf_init(&ps.forms[k]);
    ps.path = path;
    FILE *f = fopen(path, "r");
    if (!f) {
        if (li == 0) { /* English: the msgids are the text */
            st = VSP_OK;
            goto out;
        }
        st = vsp_error_set(err, VSP_ECONFIG,
                           "%s: cannot read the translation catalogue: %s (set VSP_PO_DIR to "
                           "the folder holding the .po files)",
                           path, strerror(errno));
        goto out;
    }
    st = po_parse(&ps, f, err);
    fclose(f);
    if (st == VSP_OK)
        st = plural_forms(c, ps.header, path, ps.header_line, err);
    if (st != VSP_OK) {
        entries_free(ps.entries, ps.n);
        goto out;
    }
    if (ps.n)
        qsort(ps.entries, ps.n, sizeof *ps.entries, entry_cmp);
    c->entries = ps.entries;
    c->n = ps.n;
out:
    vsp_buf_fini(&ps.ctx);
    vsp_buf_fini(&ps.id);
    vsp_buf_fini(&ps.str);
    for (int k = 0; k < VSP_I18N_MAX_PLURALS; k++)
        vsp_buf_fini(&ps.forms[k]);
    free(ps.header);
    free(path);
    return st;
}

void vsp_i18n_cleanup(void)
{
    for (int i = 0; i < VSP_I18N_N_LANGS; i++)
        catalogue_free(&catalogues[i]);
}

static const entry *find(const char *lang, const char *key, catalogue **cat)
{
    int li = lang_index(lang);
    if (li < 0)
        return NULL;
    catalogue *c = &catalogues[li];
    if (!c->loaded)
        vsp_i18n_load(lang, NULL);
    *cat = c;
    if (c->n == 0)
        return NULL;
    entry probe = {(char *)(uintptr_t)key, NULL, NULL, 0};
    return bsearch(&probe, c->entries, c->n, sizeof *c->entries, entry_cmp);
}

static const char *lookup(const char *lang, const char *key, const char *fallback)
{
    catalogue *c = NULL;
    const entry *e = find(lang, key, &c);
    return e ? e->str : fallback;
}

int vsp_i18n_plural_index(const char *lang, unsigned long n)
{
    int li = lang_index(lang);
    if (li <= 0) /* English, or unknown: the msgids' own rule */
        return n == 1 ? 0 : 1;
    catalogue *c = &catalogues[li];
    if (!c->loaded)
        vsp_i18n_load(lang, NULL);
    unsigned long v;
    if (!c->plural_expr || !vsp_i18n_plural_eval(c->plural_expr, n, &v))
        return n == 1 ? 0 : 1;
    return (int)v;
}

static const char *plural_lookup(const char *lang, const char *key, const char *msgid,
                                 const char *msgid_plural, unsigned long n)
{
    catalogue *c = NULL;
    const entry *e = find(lang, key, &c);
    if (e && !e->forms)
        return e->str; /* translated without plural forms: one text for every n */
    if (e) {
        int k = vsp_i18n_plural_index(lang, n);
        if (k >= 0 && k < e->n_forms)
            return e->forms[k];
    }
    return n == 1 ? msgid : msgid_plural;
}

const char *vsp_i18n_nget(const char *lang, const char *msgid, const char *msgid_plural,
                          unsigned long n)
{
    return plural_lookup(lang, msgid, msgid, msgid_plural, n);
}

const char *vsp_i18n_npget(const char *lang, const char *ctx, const char *msgid,
                           const char *msgid_plural, unsigned long n)
{
    char *key = vsp_xasprintf("%s\004%s", ctx, msgid);
    const char *r = plural_lookup(lang, key, msgid, msgid_plural, n);
    free(key);
    return r;
}

const char *vsp_i18n_get(const char *lang, const char *msgid)
{
    return lookup(lang, msgid, msgid);
}

const char *vsp_i18n_pget(const char *lang, const char *ctx, const char *msgid)
{
    char small[256];
    size_t lc = strlen(ctx), li = strlen(msgid);
    char *key = lc + li + 2 <= sizeof small ? small : vsp_xmalloc(lc + li + 2);
    memcpy(key, ctx, lc);
    key[lc] = '\004';
    memcpy(key + lc + 1, msgid, li + 1);
    const char *r = lookup(lang, key, msgid);
    if (key != small)
        free(key);
    return r;
}

/* ---- names of codes ------------------------------------------------ */

typedef struct code_name {
    const char *code;
    const char *name;
} code_name;

static const code_name countries[] = {
    {"AL", NC_("country", "Albania")},
    {"BA", NC_("country", "Bosnia and Herzegovina")},
    {"ME", NC_("country", "Montenegro")},
    {"MK", NC_("country", "North Macedonia")},
    {"RS", NC_("country", "Serbia")},
    {"XK", NC_("country", "Kosovo")},
    {"HR", NC_("country", "Croatia")},
    {"SI", NC_("country", "Slovenia")},
    {"HU", NC_("country", "Hungary")},
    {"RO", NC_("country", "Romania")},
    {"BG", NC_("country", "Bulgaria")},
    {"GR", NC_("country", "Greece")},
    {"IT", NC_("country", "Italy")},
    {"region", NC_("country", "Western Balkans")},
    {NULL, NULL},
};

static const code_name categories[] = {
    {"piracy", NC_("category", "Audiovisual piracy")},
    {"minors", NC_("category", "Harmful to minors")},
    {"csam", NC_("category", "Child sexual abuse material")},
    {"hate", NC_("category", "Hate speech")},
    {"violence", NC_("category", "Violence")},
    {"terrorism", NC_("category", "Terrorist content")},
    {"sexual", NC_("category", "Sexual content")},
    {"bullying", NC_("category", "Harassment and bullying")},
    {"self_harm", NC_("category", "Self-harm and suicide")},
    {"fraud", NC_("category", "Scams and fraud")},
    {"disinfo", NC_("category", "Disinformation")},
    {"privacy", NC_("category", "Privacy violations")},
    {"commercial", NC_("category", "Hidden advertising")},
    {"other", NC_("category", "Other or not specified")},
    {"*", NC_("category", "All categories")},
    {NULL, NULL},
};

static const code_name decisions[] = {
    {"forwarded", NC_("decision", "Forwarded to the platform")},
    {"no_violation", NC_("decision", "No violation")},
    {"out_of_remit", NC_("decision", "Outside the regulator's remit")},
    {"insufficient_info", NC_("decision", "Insufficient information")},
    {"duplicate", NC_("decision", "Duplicate")},
    {"pending", NC_("decision", "Pending")},
    {NULL, NULL},
};

static const code_name outcomes[] = {
    {"removed", NC_("outcome", "Removed")},
    {"geo_blocked", NC_("outcome", "Blocked in the country")},
    {"age_restricted", NC_("outcome", "Age-restricted")},
    {"account_suspended", NC_("outcome", "Account suspended")},
    {"account_banned", NC_("outcome", "Account banned")},
    {"declined", NC_("outcome", "Declined")},
    {"already_unavailable", NC_("outcome", "Already unavailable")},
    {"pending", NC_("outcome", "Pending")},
    {NULL, NULL},
};

static const char *name_of(const code_name *table, const char *ctx, const char *lang,
                           const char *code)
{
    if (!code)
        return "";
    for (const code_name *e = table; e->code; e++)
        if (strcmp(e->code, code) == 0)
            return vsp_i18n_pget(lang, ctx, e->name);
    return code;
}

const char *vsp_i18n_country_en(const char *code)
{
    for (const code_name *e = countries; code && e->code; e++)
        if (vsp_ascii_iequal(e->code, code))
            return e->name;
    return NULL;
}

static const struct {
    const char *code, *name, *short_name;
} regulators[] = {
    {"AL", NC_("regulator", "Audiovisual Media Authority"), NC_("regulator", "AMA")},
    {"BA", NC_("regulator", "Communications Regulatory Agency"), NC_("regulator", "CRA")},
    {"ME", NC_("regulator", "Agency for Electronic Media"), NC_("regulator", "AEM")},
    {"MK", NC_("regulator", "Agency for Audio and Audiovisual Media Services"),
     NC_("regulator", "AVMU")},
    {"RS", NC_("regulator", "Regulatory Authority for Electronic Media"), NC_("regulator", "REM")},
    {"XK", NC_("regulator", "Independent Media Commission"), NC_("regulator", "IMC")},
};

static int regulator_index(const char *code)
{
    for (int i = 0; code && i < (int)(sizeof regulators / sizeof regulators[0]); i++)
        if (vsp_ascii_iequal(regulators[i].code, code))
            return i;
    return -1;
}

const char *vsp_i18n_regulator(const char *lang, const char *code)
{
    int i = regulator_index(code);
    return i < 0 ? NULL : vsp_i18n_pget(lang, "regulator", regulators[i].name);
}

const char *vsp_i18n_regulator_short(const char *lang, const char *code)
{
    int i = regulator_index(code);
    return i < 0 ? NULL : vsp_i18n_pget(lang, "regulator", regulators[i].short_name);
}

char *vsp_i18n_regulator_list(const char *lang, const char *codes, char *buf, size_t size)
{
    if (size == 0)
        return buf;
    buf[0] = '\0';
    size_t o = 0;
    for (const char *p = codes; *p;) {
        while (*p == ',' || *p == ' ')
            p++;
        size_t n = strcspn(p, ", ");
        if (n == 0)
            break;
        char code[8];
        snprintf(code, sizeof code, "%.*s", (int)(n < sizeof code - 1 ? n : sizeof code - 1), p);
        const char *name = vsp_i18n_regulator_short(lang, code);
        int w = snprintf(buf + o, size - o, "%s%s", o ? ", " : "", name ? name : code);
        if (w < 0 || (size_t)w >= size - o)
            break;
        o += (size_t)w;
        p += n;
    }
    return buf;
}

/* Written in lang's script: no Latin letter in a Cyrillic language's text,
 * no Cyrillic letter (U+0400..U+04FF) in a Latin one's. */
static bool in_script(const char *lang, const char *s)
{
    bool cyrillic = !strcmp(lang, "sr") || !strcmp(lang, "mk");
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (cyrillic && ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z')))
            return false;
        if (!cyrillic && *p >= 0xD0 && *p <= 0xD3)
            return false;
    }
    return true;
}

const char *vsp_i18n_regulator_as(const char *lang, const char *code, bool short_name,
                                  const char *own_lang, const char *own_value)
{
    const char *a = vsp_i18n_lang_canon(lang), *b = vsp_i18n_lang_canon(own_lang);
    if (own_value && own_value[0] && a && a == b && in_script(a, own_value))
        return own_value;
    const char *t = short_name ? vsp_i18n_regulator_short(lang, code)
                               : vsp_i18n_regulator(lang, code);
    return t ? t : (own_value && own_value[0] ? own_value : NULL);
}

const char *vsp_i18n_country(const char *lang, const char *code)
{
    const char *en = vsp_i18n_country_en(code);
    return en ? vsp_i18n_pget(lang, "country", en) : (code ? code : "");
}

const char *vsp_i18n_category(const char *lang, const char *code)
{
    return name_of(categories, "category", lang, code);
}

const char *vsp_i18n_decision(const char *lang, const char *code)
{
    return name_of(decisions, "decision", lang, code);
}

const char *vsp_i18n_outcome(const char *lang, const char *code)
{
    return name_of(outcomes, "outcome", lang, code);
}

/* ---- placeholders, periods, dates ---------------------------------- */

size_t vsp_i18n_subst(char *buf, size_t size, const char *templ, size_t n,
                      const char *const names[], const char *const values[])
{
    size_t out = 0;
#define PUT(ch)                                                                                   \
    do {                                                                                          \
        if (out + 1 < size)                                                                       \
            buf[out] = (ch);                                                                      \
        out++;                                                                                    \
    } while (0)
    for (const char *p = templ; *p;) {
        if (*p == '{') {
            const char *close = strchr(p, '}');
            bool done = false;
            if (close) {
                size_t len = (size_t)(close - p - 1);
                for (size_t i = 0; i < n; i++) {
                    if (strlen(names[i]) == len && strncmp(p + 1, names[i], len) == 0) {
                        size_t vlen = strlen(values[i]);
                        for (const char *v = values[i]; *v; v++)
                            PUT(*v);
                        p = close + 1;
                        /* a value that ends a sentence with its own period
                         * ("10. јул 2026.", "2. квартал 2026.") takes the
                         * template's: one period, not two */
                        if (vlen && values[i][vlen - 1] == '.' && p[0] == '.' && p[1] != '.')
                            p++;
                        done = true;
                        break;
                    }
                }
            }
            if (done)
                continue;
        }
        PUT(*p);
        p++;
    }
    if (size > 0)
        buf[out < size ? out : size - 1] = '\0';
#undef PUT
    return out;
}

static const char *const month_names[12] = {
    NC_("month", "Jan"), NC_("month", "Feb"), NC_("month", "Mar"), NC_("month", "Apr"),
    NC_("month", "May"), NC_("month", "Jun"), NC_("month", "Jul"), NC_("month", "Aug"),
    NC_("month", "Sep"), NC_("month", "Oct"), NC_("month", "Nov"), NC_("month", "Dec"),
};

static bool all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

char *vsp_i18n_date(const char *lang, const char *iso, char *buf, size_t size)
{
    if (size == 0)
        return buf;
    if (!iso || strlen(iso) < 10 || !all_digits(iso, 4) || iso[4] != '-' ||
        !all_digits(iso + 5, 2) || iso[7] != '-' || !all_digits(iso + 8, 2)) {
        snprintf(buf, size, "%s", iso ? iso : "");
        return buf;
    }
    int month = (iso[5] - '0') * 10 + (iso[6] - '0');
    int day = (iso[8] - '0') * 10 + (iso[9] - '0');
    if (month < 1 || month > 12) {
        snprintf(buf, size, "%s", iso);
        return buf;
    }
    char year[8], dd[12], mm[12]; /* room for any int: GCC cannot see the 1-31 range */
    snprintf(year, sizeof year, "%.4s", iso);
    snprintf(dd, sizeof dd, "%d", day);
    snprintf(mm, sizeof mm, "%d", month);
    const char *names[] = {"day", "month", "mm", "year"};
    const char *values[] = {dd, vsp_i18n_pget(lang, "month", month_names[month - 1]), mm, year};
    /* TRANSLATORS: a date; {day} 1-31, {month} abbreviated month name,
     * {mm} month number 1-12, {year} four digits. */
    vsp_i18n_subst(buf, size, vsp_i18n_pget(lang, "date", "{day} {month} {year}"), 4, names,
                   values);
    return buf;
}

char *vsp_i18n_period(const char *lang, const char *label, char *buf, size_t size)
{
    if (size == 0)
        return buf;
    size_t len = label ? strlen(label) : 0;
    char year[8], num[4];
    if (len == 6 && all_digits(label, 4) && (label[4] == 'Q' || label[4] == 'q') &&
        label[5] >= '1' && label[5] <= '4') {
        snprintf(year, sizeof year, "%.4s", label);
        snprintf(num, sizeof num, "%c", label[5]);
        const char *names[] = {"n", "year"};
        const char *values[] = {num, year};
        /* TRANSLATORS: a quarter of a year, {n} = 1..4 */
        vsp_i18n_subst(buf, size, vsp_i18n_pget(lang, "period", "Q{n} {year}"), 2, names,
                       values);
    } else if (len == 6 && all_digits(label, 4) && (label[4] == 'H' || label[4] == 'h') &&
               (label[5] == '1' || label[5] == '2')) {
        snprintf(year, sizeof year, "%.4s", label);
        snprintf(num, sizeof num, "%c", label[5]);
        const char *names[] = {"n", "year"};
        const char *values[] = {num, year};
        /* TRANSLATORS: a half of a year, {n} = 1 or 2 */
        vsp_i18n_subst(buf, size, vsp_i18n_pget(lang, "period", "H{n} {year}"), 2, names,
                       values);
    } else if (len == 4 && all_digits(label, 4)) {
        const char *names[] = {"year"};
        const char *values[] = {label};
        vsp_i18n_subst(buf, size, vsp_i18n_pget(lang, "period", "{year}"), 1, names, values);
    } else if (len == 22 && strncmp(label + 10, "..", 2) == 0) {
        char a[64], b[64], first[11];
        snprintf(first, sizeof first, "%.10s", label);
        vsp_i18n_date(lang, first, a, sizeof a);
        vsp_i18n_date(lang, label + 12, b, sizeof b);
        const char *names[] = {"start", "end"};
        const char *values[] = {a, b};
        vsp_i18n_subst(buf, size, vsp_i18n_pget(lang, "period", "{start} – {end}"), 2, names,
                       values);
    } else {
        snprintf(buf, size, "%s", label ? label : "");
    }
    return buf;
}

/* ---- numbers ------------------------------------------------------- */

static char *copy_out(char *buf, size_t size, const char *s)
{
    if (size)
        snprintf(buf, size, "%s", s);
    return buf;
}

/* Group the digits of a plain C-locale number ("-12345.67") and swap in
 * the language's marks. */
static char *localise(const char *lang, const char *plain, char *buf, size_t size)
{
    /* TRANSLATORS: the decimal mark (en "."; most of the region ","). */
    const char *dec = vsp_i18n_pget(lang, "number", ".");
    /* TRANSLATORS: the thousands separator (en ","; "." or a no-break
     * space U+00A0 elsewhere). */
    const char *grp = vsp_i18n_pget(lang, "number", ",");
    char out[VSP_FMT_MAX * 2];
    size_t o = 0;
    const char *p = plain;
    if (*p == '-') {
        memcpy(out + o, "\xe2\x88\x92", 3); /* U+2212 MINUS SIGN */
        o += 3;
        p++;
    }
    size_t digits = strspn(p, "0123456789");
    for (size_t i = 0; i < digits; i++) {
        out[o++] = p[i];
        size_t left = digits - i - 1;
        if (left > 0 && left % 3 == 0) {
            size_t gl = strlen(grp);
            if (o + gl < sizeof out - 16) {
                memcpy(out + o, grp, gl);
                o += gl;
            }
        }
    }
    p += digits;
    if (*p == '.') {
        size_t dl = strlen(dec);
        memcpy(out + o, dec, dl);
        o += dl;
        p++;
        size_t fd = strspn(p, "0123456789");
        if (o + fd >= sizeof out)
            fd = sizeof out - o - 1;
        memcpy(out + o, p, fd);
        o += fd;
    }
    out[o] = '\0';
    return copy_out(buf, size, out);
}

char *vsp_fmt_num(const char *lang, double value, int decimals, char *buf, size_t size)
{
    if (!isfinite(value))
        return copy_out(buf, size, "\xe2\x80\x93");
    if (decimals < 0)
        decimals = 0;
    if (decimals > 6)
        decimals = 6;
    if (fabs(value) >= 1e18)
        decimals = 0;
    char plain[VSP_FMT_MAX];
    snprintf(plain, sizeof plain, "%.*f", decimals, value);
    if (strspn(plain, "-0.") == strlen(plain) && plain[0] == '-')
        memmove(plain, plain + 1, strlen(plain)); /* no "-0" */
    return localise(lang, plain, buf, size);
}

char *vsp_fmt_int(const char *lang, double value, char *buf, size_t size)
{
    return vsp_fmt_num(lang, value, 0, buf, size);
}

char *vsp_fmt_pct(const char *lang, double fraction, int decimals, char *buf, size_t size)
{
    if (!isfinite(fraction))
        return copy_out(buf, size, "\xe2\x80\x93");
    if (decimals > 3)
        decimals = 3;
    char num[VSP_FMT_MAX];
    double pct = fraction * 100.0, scale = pow(10.0, decimals);
    /* only an exact 100 % reads 100 %: a share with any case missing
     * from its numerator shows 99.9 % (or 99 %), never 100 % */
    if (fraction < 1.0 && round(pct * scale) >= 100.0 * scale)
        pct = (100.0 * scale - 1.0) / scale;
    vsp_fmt_num(lang, pct, decimals, num, sizeof num);
    const char *names[] = {"n"};
    const char *values[] = {num};
    /* TRANSLATORS: a percentage; a no-break space before % where the
     * language puts one. */
    vsp_i18n_subst(buf, size, vsp_i18n_pget(lang, "number", "{n}%"), 1, names, values);
    return buf;
}

char *vsp_fmt_hours(const char *lang, double hours, char *buf, size_t size)
{
    if (!isfinite(hours))
        return copy_out(buf, size, "\xe2\x80\x93");
    char num[VSP_FMT_MAX];
    vsp_fmt_num(lang, hours, fabs(hours) < 10 ? 1 : 0, num, sizeof num);
    const char *names[] = {"n"};
    const char *values[] = {num};
    /* TRANSLATORS: a duration in hours; {n} is the number. */
    vsp_i18n_subst(buf, size, vsp_i18n_pget(lang, "number", "{n} h"), 1, names, values);
    return buf;
}

char *vsp_fmt_tick(const char *lang, double value, double step, char *buf, size_t size)
{
    int decimals = 0;
    if (step > 0 && isfinite(step)) {
        double s = step;
        while (decimals < 6 && fabs(s - round(s)) > 1e-9 * fmax(1.0, fabs(s))) {
            s *= 10;
            decimals++;
        }
    }
    return vsp_fmt_num(lang, value, decimals, buf, size);
}
