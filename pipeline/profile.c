#include "pipeline/profile.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pipeline/country.h"
#include "pipeline/datetime.h"
#include "pipeline/encoding.h"
#include "pipeline/i18n.h"
#include "pipeline/period.h"
#include "pipeline/taxonomy.h"
#include "pipeline/util.h"

static const char *const field_names[VSP_F_COUNT + 1] = {
    "case_id",      "received_at",    "category",       "decision",       "platform",
    "item_kind",    "content_url",    "national_label", "legal_basis",    "decided_at",
    "forwarded_at", "outcome",        "outcome_at",     "channel",        "reporter_name",
    "reporter_email", "reporter_phone", "account_handle", "notes", NULL,
};

static const char *const map_sections[VSP_MAP_COUNT] = {
    "category", "decision", "outcome", "platform", "channel", "item_kind",
};

static const char *const channel_codes[] = {"web_form", "email", "phone", "ex_officio", "other",
                                            NULL};
static const char *const item_kind_codes[] = {"content", "account", NULL};

static const char *const date_field_keys[VSP_DATE_COUNT] = {
    "dates.received_at", "dates.decided_at", "dates.forwarded_at", "dates.outcome_at"};


const char *vsp_field_name(vsp_field f)
{
    return (unsigned)f < VSP_F_COUNT ? field_names[f] : "?";
}

bool vsp_field_required(vsp_field f)
{
    return f == VSP_F_CASE_ID || f == VSP_F_RECEIVED_AT || f == VSP_F_CATEGORY ||
           f == VSP_F_DECISION;
}

const char *vsp_map_section(vsp_map_kind k)
{
    return (unsigned)k < VSP_MAP_COUNT ? map_sections[k] : "?";
}

const char *const *vsp_map_codes(vsp_map_kind k)
{
    switch (k) {
    case VSP_MAP_CATEGORY: return vsp_categories; /* pipeline/taxonomy.h */
    case VSP_MAP_DECISION: return vsp_decisions;
    case VSP_MAP_OUTCOME: return vsp_outcomes;
    case VSP_MAP_CHANNEL: return channel_codes;
    case VSP_MAP_ITEM_KIND: return item_kind_codes;
    default: return NULL;
    }
}

static int code_index(const char *const *codes, const char *code)
{
    for (int i = 0; codes && codes[i]; i++)
        if (strcmp(codes[i], code) == 0)
            return i + 1;
    return 0;
}

int vsp_map_code_id(vsp_map_kind k, const char *code)
{
    return code_index(vsp_map_codes(k), code);
}

static bool in_list(const char *const *list, const char *s)
{
    for (int i = 0; list[i]; i++)
        if (strcmp(list[i], s) == 0)
            return true;
    return false;
}

static char *join_list(const char *const *list)
{
    vsp_buf b;
    vsp_buf_init(&b);
    for (int i = 0; list && list[i]; i++) {
        if (i)
            vsp_buf_puts(&b, " ");
        vsp_buf_puts(&b, list[i]);
    }
    if (!b.data)
        vsp_buf_puts(&b, "");
    return b.data;
}

void vsp_profile_free(vsp_profile *p)
{
    if (!p)
        return;
    free(p->path);
    free(p->name_stem);
    free(p->country);
    free(p->name);
    free(p->short_name);
    free(p->language);
    free(p->timezone);
    free(p->logo);
    free(p->encoding);
    for (int i = 0; i < VSP_DATE_COUNT; i++)
        free(p->dates[i]);
    for (int f = 0; f < VSP_F_COUNT; f++) {
        free(p->defaults[f]);
        for (size_t i = 0; i < p->n_headers[f]; i++)
            free(p->headers[f][i]);
        free(p->headers[f]);
        free(p->headers_text[f]);
    }
    for (size_t i = 0; i < p->n_total_markers; i++)
        free(p->total_markers[i]);
    free(p->total_markers);
    for (int k = 0; k < VSP_MAP_COUNT; k++) {
        for (size_t i = 0; i < p->maps[k].n; i++) {
            free(p->maps[k].entries[i].folded);
            free(p->maps[k].entries[i].label);
        }
        free(p->maps[k].entries);
    }
    for (size_t i = 0; i < p->n_platforms; i++)
        free(p->platforms[i]);
    free(p->platforms);
    free(p);
}

/* Parser state: which section we are in. */
enum section { SEC_NONE, SEC_REGULATOR, SEC_FORMAT, SEC_DEFAULTS, SEC_COLUMNS, SEC_MAP };

typedef struct parser {
    vsp_profile *p;
    const char *path;
    int line;
    enum section sec;
    vsp_map_kind map;
    vsp_error *err;
    vsp_buf fold;
    char *dates_all; /* [format] dates, for fields without their own */
    int optional_line; /* line of [columns] optional, 0 if none */
    /* Per label map, an open-addressing index of entries by folded label
     * (slot = entry index + 1, 0 empty), so that a profile with many
     * labels loads in linear time. */
    size_t *index[VSP_MAP_COUNT];
    size_t index_cap[VSP_MAP_COUNT];
} parser;

static vsp_status perr(parser *ps, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* A config error at the current profile line. */
static vsp_status perr(parser *ps, const char *fmt, ...)
{
    char what[700];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    /* Keys and values echoed from the file may hold control characters. */
    vsp_buf esc;
    vsp_buf_init(&esc);
    vsp_escape(what, strlen(what), 0, &esc);
    vsp_status st = vsp_error_set(ps->err, VSP_ECONFIG, "%s:%d: %s", ps->path, ps->line, esc.data);
    vsp_buf_fini(&esc);
    return st;
}

static void set_str(char **slot, const char *v)
{
    free(*slot);
    *slot = vsp_xstrdup(v);
}

static vsp_field field_by_name(const char *name)
{
    for (int f = 0; f < VSP_F_COUNT; f++)
        if (strcmp(field_names[f], name) == 0)
            return (vsp_field)f;
    return VSP_F_COUNT;
}

static vsp_status on_regulator(parser *ps, const char *key, const char *val)
{
    vsp_profile *p = ps->p;
    if (strcmp(key, "country") == 0) {
        if (!in_list(vsp_countries, val))
            return perr(ps, "country '%s' is not one of AL BA ME MK RS XK", val);
        set_str(&p->country, val);
    } else if (strcmp(key, "name") == 0) {
        set_str(&p->name, val);
    } else if (strcmp(key, "short_name") == 0) {
        set_str(&p->short_name, val);
    } else if (strcmp(key, "language") == 0) {
        if (!in_list(vsp_i18n_langs, val))
            return perr(ps, "language '%s' is not one of en sq sr sr-Latn mk bs cnr", val);
        set_str(&p->language, val);
    } else if (strcmp(key, "timezone") == 0) {
        set_str(&p->timezone, val);
    } else if (strcmp(key, "logo") == 0) {
        if (*val)
            set_str(&p->logo, val);
    } else {
        return perr(ps,
                    "unknown key '%s' in [regulator]; known keys: country name short_name "
                    "language timezone logo",
                    key);
    }
    return VSP_OK;
}

static vsp_status on_format(parser *ps, const char *key, const char *val)
{
    vsp_profile *p = ps->p;
    if (strcmp(key, "encoding") == 0) {
        vsp_error e;
        vsp_decoder *d = vsp_decoder_new(val, &e);
        if (!d)
            return perr(ps, "%s", e.msg);
        vsp_decoder_free(d);
        set_str(&p->encoding, val);
    } else if (strcmp(key, "delimiter") == 0) {
        if (strcmp(val, ",") == 0 || strcmp(val, ";") == 0)
            p->delimiter = val[0];
        else if (vsp_ascii_iequal(val, "tab") || strcmp(val, "\t") == 0)
            p->delimiter = '\t';
        else if (vsp_ascii_iequal(val, "auto"))
            p->delimiter = 0;
        else
            return perr(ps, "delimiter '%s' is not one of , ; tab auto", val);
    } else if (strcmp(key, "header_row") == 0) {
        char *end = NULL;
        errno = 0;
        long v = strtol(val, &end, 10);
        if (errno || !end || *end || v < 1 || v > 1000)
            return perr(ps, "header_row '%s' must be a line number from 1 to 1000", val);
        p->header_row = (int)v;
    } else if (strcmp(key, "total_lines") == 0) {
        for (size_t i = 0; i < p->n_total_markers; i++)
            free(p->total_markers[i]);
        p->n_total_markers = 0;
        const char *s = val;
        for (;;) {
            const char *bar = strchr(s, '|');
            size_t len = bar ? (size_t)(bar - s) : strlen(s);
            size_t tl;
            const char *t = vsp_trim(s, len, &tl);
            if (tl == 0)
                return perr(ps, "empty marker in total_lines; list the first cells of total "
                                "lines separated by |, e.g. 'total_lines = Gjithsej | Total'");
            while (tl > 1 && (t[tl - 1] == ':' || t[tl - 1] == ' '))
                tl--; /* "Ukupno:" is read as "Ukupno", as rows are */
            vsp_fold(t, tl, &ps->fold);
            p->total_markers = vsp_xrealloc(p->total_markers,
                                            (p->n_total_markers + 1) * sizeof(char *));
            p->total_markers[p->n_total_markers++] =
                vsp_xstrdup(ps->fold.data ? ps->fold.data : "");
            if (!bar)
                break;
            s = bar + 1;
        }
    } else if (strcmp(key, "export_date") == 0) {
        if (strcmp(val, "file_name") == 0)
            p->export_date_from_name = true;
        else if (strcmp(val, "none") == 0 || val[0] == '\0')
            p->export_date_from_name = false;
        else
            return perr(ps,
                        "export_date '%s' is not 'file_name' or 'none'; 'file_name' takes the "
                        "date the export was taken from its file name (al-ama-2026-10-05.csv)",
                        val);
    } else if (strcmp(key, "dates") == 0 || strncmp(key, "dates.", 6) == 0) {
        vsp_error e;
        vsp_datefmt *f = vsp_datefmt_new(val, &e);
        if (!f)
            return perr(ps, "%s", e.msg);
        vsp_datefmt_free(f);
        if (strcmp(key, "dates") == 0) {
            set_str(&ps->dates_all, val);
        } else {
            int i = 0;
            while (i < VSP_DATE_COUNT && strcmp(date_field_keys[i], key) != 0)
                i++;
            if (i == VSP_DATE_COUNT)
                return perr(ps,
                            "unknown key '%s' in [format]; per-field date formats are "
                            "dates.received_at, dates.decided_at, dates.forwarded_at, "
                            "dates.outcome_at",
                            key);
            set_str(&p->dates[i], val);
        }
    } else {
        return perr(ps,
                    "unknown key '%s' in [format]; known keys: encoding delimiter header_row "
                    "dates dates.<field> total_lines export_date",
                    key);
    }
    return VSP_OK;
}

/* [columns] optional = field field ...: each a canonical field that is
 * not required (checked once the whole profile is read). */
static vsp_status on_optional(parser *ps, const char *val)
{
    vsp_profile *p = ps->p;
    if (ps->optional_line)
        return perr(ps, "'optional' is given twice (first at line %d); list every optional "
                        "field on one line",
                    ps->optional_line);
    ps->optional_line = ps->line;
    const char *s = val;
    while (*s) {
        while (*s == ' ' || *s == '\t' || *s == ',')
            s++;
        size_t n = strcspn(s, " \t,");
        if (!n)
            break;
        char name[64];
        snprintf(name, sizeof name, "%.*s", (int)(n < 63 ? n : 63), s);
        vsp_field f = n < 63 ? field_by_name(name) : VSP_F_COUNT;
        if (f == VSP_F_COUNT) {
            char *known = join_list(field_names);
            vsp_status st = perr(ps, "optional: unknown canonical field '%s'; known fields: %s",
                                 name, known);
            free(known);
            return st;
        }
        if (vsp_field_required(f))
            return perr(ps, "optional: '%s' is a required field and cannot be optional", name);
        p->optional[f] = true;
        s += n;
    }
    return VSP_OK;
}

static vsp_status on_columns(parser *ps, const char *key, const char *val, bool is_default)
{
    vsp_profile *p = ps->p;
    if (!is_default && strcmp(key, "optional") == 0)
        return on_optional(ps, val);
    vsp_field f = field_by_name(key);
    if (f == VSP_F_COUNT) {
        char *known = join_list(field_names);
        vsp_status st = perr(ps, "unknown canonical field '%s'; known fields: %s", key, known);
        free(known);
        return st;
    }
    if (is_default) {
        set_str(&p->defaults[f], val);
        return VSP_OK;
    }
    if (p->n_headers[f])
        return perr(ps, "field '%s' is mapped twice; list alternative headers on one line, "
                        "separated by |",
                    key);
    set_str(&p->headers_text[f], val);
    p->header_line[f] = ps->line;
    const char *s = val;
    for (;;) {
        const char *bar = strchr(s, '|');
        size_t len = bar ? (size_t)(bar - s) : strlen(s);
        size_t tl;
        const char *t = vsp_trim(s, len, &tl);
        if (tl == 0)
            return perr(ps, "empty source header for field '%s'", key);
        vsp_fold(t, tl, &ps->fold);
        p->headers[f] = vsp_xrealloc(p->headers[f], (p->n_headers[f] + 1) * sizeof(char *));
        p->headers[f][p->n_headers[f]++] = vsp_xstrdup(ps->fold.data ? ps->fold.data : "");
        if (!bar)
            break;
        s = bar + 1;
    }
    return VSP_OK;
}

static int platform_index(vsp_profile *p, const char *code)
{
    for (size_t i = 0; i < p->n_platforms; i++)
        if (strcmp(p->platforms[i], code) == 0)
            return (int)i + 1;
    p->platforms = vsp_xrealloc(p->platforms, (p->n_platforms + 1) * sizeof(char *));
    p->platforms[p->n_platforms++] = vsp_xstrdup(code);
    return (int)p->n_platforms;
}

static bool is_identifier(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
            return false;
    return true;
}

static uint64_t hash_label(const char *s)
{
    uint64_t h = 14695981039346656037ULL; /* FNV-1a */
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    return h;
}

/* The slot of folded in map k's index: its entry, or the empty slot where
 * it belongs. */
static size_t *index_find(parser *ps, vsp_map_kind k, const char *folded)
{
    if (!ps->index_cap[k]) {
        ps->index_cap[k] = 64;
        ps->index[k] = vsp_xcalloc(64, sizeof(size_t));
    }
    const vsp_label_map *m = &ps->p->maps[k];
    size_t mask = ps->index_cap[k] - 1;
    for (size_t i = (size_t)hash_label(folded) & mask;; i = (i + 1) & mask) {
        size_t *slot = &ps->index[k][i];
        if (!*slot || strcmp(m->entries[*slot - 1].folded, folded) == 0)
            return slot;
    }
}

static void index_grow(parser *ps, vsp_map_kind k)
{
    const vsp_label_map *m = &ps->p->maps[k];
    size_t cap = ps->index_cap[k] * 2;
    free(ps->index[k]);
    ps->index[k] = vsp_xcalloc(cap, sizeof(size_t));
    ps->index_cap[k] = cap;
    for (size_t e = 0; e < m->n; e++)
        *index_find(ps, k, m->entries[e].folded) = e + 1;
}

static vsp_status on_map(parser *ps, const char *label, const char *code)
{
    vsp_profile *p = ps->p;
    vsp_label_map *m = &p->maps[ps->map];
    int id;
    if (ps->map == VSP_MAP_PLATFORM) {
        if (!is_identifier(code))
            return perr(ps, "platform code '%s' must be lower-case letters, digits or _ "
                            "(e.g. tiktok)",
                        code);
        id = platform_index(p, code);
    } else {
        id = code_index(vsp_map_codes(ps->map), code);
        if (!id) {
            char *known = join_list(vsp_map_codes(ps->map));
            char sec[64];
            snprintf(sec, sizeof sec, "[%s]", map_sections[ps->map]);
            char what[600];
            snprintf(what, sizeof what, "'%s' is not a code of %s; use one of: %s", code, sec,
                     known);
            free(known);
            return perr(ps, "%s", what);
        }
    }
    if (!*label)
        return perr(ps, "empty label before '= %s'", code);
    vsp_fold(label, strlen(label), &ps->fold);
    const char *folded = ps->fold.data ? ps->fold.data : "";
    size_t *slot = index_find(ps, ps->map, folded);
    if (*slot) {
        const vsp_map_entry *e = &m->entries[*slot - 1];
        if (e->code == id)
            return VSP_OK; /* same label twice, same meaning: harmless */
        char what[600];
        snprintf(what, sizeof what, "label '%s' is already mapped at line %d to another code",
                 label, e->line);
        return perr(ps, "%s", what);
    }
    if (m->n == m->cap) {
        m->cap = m->cap ? m->cap * 2 : 16;
        m->entries = vsp_xrealloc(m->entries, m->cap * sizeof *m->entries);
    }
    *slot = m->n + 1;
    m->entries[m->n].folded = vsp_xstrdup(folded);
    m->entries[m->n].label = vsp_xstrdup(label);
    m->entries[m->n].code = id;
    m->entries[m->n].line = ps->line;
    m->n++;
    if (m->n * 10 >= ps->index_cap[ps->map] * 7)
        index_grow(ps, ps->map);
    return VSP_OK;
}

static int cmp_entry(const void *a, const void *b)
{
    return strcmp(((const vsp_map_entry *)a)->folded, ((const vsp_map_entry *)b)->folded);
}

static vsp_status on_section(parser *ps, const char *name)
{
    static const struct {
        const char *name;
        enum section sec;
    } plain[] = {{"regulator", SEC_REGULATOR},
                 {"format", SEC_FORMAT},
                 {"defaults", SEC_DEFAULTS},
                 {"columns", SEC_COLUMNS}};
    for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++)
        if (strcmp(name, plain[i].name) == 0) {
            ps->sec = plain[i].sec;
            return VSP_OK;
        }
    for (int k = 0; k < VSP_MAP_COUNT; k++)
        if (strcmp(name, map_sections[k]) == 0) {
            ps->sec = SEC_MAP;
            ps->map = (vsp_map_kind)k;
            if (!ps->p->maps[k].section_line)
                ps->p->maps[k].section_line = ps->line;
            return VSP_OK;
        }
    return perr(ps,
                "unknown section [%s]; known sections: [regulator] [format] [defaults] "
                "[columns] [category] [decision] [outcome] [platform] [channel] [item_kind]",
                name);
}

static vsp_status parse_line(parser *ps, char *line, size_t len)
{
    if (!vsp_utf8_valid(line, len))
        return perr(ps, "not valid UTF-8; save the profile as UTF-8");
    size_t tl;
    char *t = (char *)(uintptr_t)vsp_trim(line, len, &tl);
    t[tl] = '\0';
    if (tl == 0 || t[0] == '#' || t[0] == ';')
        return VSP_OK;
    if (t[0] == '[') {
        if (t[tl - 1] != ']')
            return perr(ps, "section header '%s' lacks its closing ]", t);
        t[tl - 1] = '\0';
        size_t nl;
        char *name = (char *)(uintptr_t)vsp_trim(t + 1, tl - 2, &nl);
        name[nl] = '\0';
        return on_section(ps, name);
    }
    /* key = value.  Label maps split at the last '=' (labels may hold '='),
     * everything else at the first. */
    char *eq = ps->sec == SEC_MAP ? strrchr(t, '=') : strchr(t, '=');
    if (!eq)
        return perr(ps, "expected 'key = value' or a [section], got '%s'", t);
    *eq = '\0';
    size_t kl, vl;
    char *key = (char *)(uintptr_t)vsp_trim(t, strlen(t), &kl);
    key[kl] = '\0';
    char *val = (char *)(uintptr_t)vsp_trim(eq + 1, strlen(eq + 1), &vl);
    val[vl] = '\0';
    if (kl == 0)
        return perr(ps, "missing key before '='");
    switch (ps->sec) {
    case SEC_NONE:
        return perr(ps, "'%s' comes before any [section]", key);
    case SEC_REGULATOR: return on_regulator(ps, key, val);
    case SEC_FORMAT: return on_format(ps, key, val);
    case SEC_DEFAULTS: return on_columns(ps, key, val, true);
    case SEC_COLUMNS: return on_columns(ps, key, val, false);
    case SEC_MAP: return on_map(ps, key, val);
    }
    return VSP_OK;
}

static vsp_status validate(parser *ps)
{
    vsp_profile *p = ps->p;
    struct {
        const char *key;
        const char *val;
    } req[] = {{"country", p->country},     {"name", p->name},
               {"short_name", p->short_name}, {"language", p->language},
               {"timezone", p->timezone}};
    for (size_t i = 0; i < sizeof req / sizeof req[0]; i++)
        if (!req[i].val || !*req[i].val)
            return vsp_error_set(ps->err, VSP_ECONFIG, "%s: [regulator] lacks '%s'", ps->path,
                                 req[i].key);
    vsp_error e;
    vsp_tz *tz = vsp_tz_new(p->timezone, &e);
    if (!tz)
        return vsp_error_set(ps->err, VSP_ECONFIG, "%s: [regulator] timezone: %s", ps->path,
                             e.msg);
    vsp_tz_free(tz);
    if (!p->encoding)
        p->encoding = vsp_xstrdup("utf-8");
    for (int i = 0; i < VSP_DATE_COUNT; i++)
        if (!p->dates[i])
            p->dates[i] = vsp_xstrdup(ps->dates_all ? ps->dates_all : "iso8601");
    for (int f = 0; f < VSP_F_COUNT; f++)
        if (vsp_field_required((vsp_field)f) && !p->n_headers[f] && !p->defaults[f])
            return vsp_error_set(ps->err, VSP_ECONFIG,
                                 "%s: [columns] lacks the required field '%s'; add a line "
                                 "'%s = <header in the export>'",
                                 ps->path, field_names[f], field_names[f]);
    for (int f = 0; f < VSP_F_COUNT; f++)
        if (p->optional[f] && !p->n_headers[f])
            return vsp_error_set(ps->err, VSP_ECONFIG,
                                 "%s:%d: optional: '%s' has no line in [columns]; map it, or "
                                 "leave it out of optional",
                                 ps->path, ps->optional_line, field_names[f]);
    /* Defaults of coded fields must be codes. */
    static const struct {
        vsp_field f;
        vsp_map_kind k;
    } coded[] = {{VSP_F_CATEGORY, VSP_MAP_CATEGORY}, {VSP_F_DECISION, VSP_MAP_DECISION},
                 {VSP_F_OUTCOME, VSP_MAP_OUTCOME},   {VSP_F_CHANNEL, VSP_MAP_CHANNEL},
                 {VSP_F_ITEM_KIND, VSP_MAP_ITEM_KIND}};
    for (size_t i = 0; i < sizeof coded / sizeof coded[0]; i++) {
        const char *d = p->defaults[coded[i].f];
        if (d && !code_index(vsp_map_codes(coded[i].k), d)) {
            char *known = join_list(vsp_map_codes(coded[i].k));
            vsp_error_set(ps->err, VSP_ECONFIG,
                          "%s: [defaults] %s = %s is not a canonical code; use one of: %s",
                          ps->path, field_names[coded[i].f], d, known);
            free(known);
            return VSP_ECONFIG;
        }
    }
    if (p->defaults[VSP_F_PLATFORM] && !is_identifier(p->defaults[VSP_F_PLATFORM]))
        return vsp_error_set(ps->err, VSP_ECONFIG,
                             "%s: [defaults] platform must be lower-case, e.g. tiktok", ps->path);
    for (int k = 0; k < VSP_MAP_COUNT; k++)
        if (p->maps[k].n > 1)
            qsort(p->maps[k].entries, p->maps[k].n, sizeof *p->maps[k].entries, cmp_entry);
    return VSP_OK;
}

vsp_profile *vsp_profile_load(const char *path, vsp_error *err)
{
    vsp_profile *result = NULL;
    parser ps = {0};
    vsp_buf_init(&ps.fold);
    ps.path = path;
    ps.err = err;
    ps.p = vsp_xcalloc(1, sizeof *ps.p);
    ps.p->path = vsp_xstrdup(path);
    const char *base = vsp_basename(path);
    const char *dot = strrchr(base, '.');
    ps.p->name_stem = vsp_xstrndup(base, dot ? (size_t)(dot - base) : strlen(base));
    ps.p->header_row = 1;
    ps.p->delimiter = 0;

    FILE *fp = fopen(path, "rb");
    if (!fp) {
        vsp_error_set(err, VSP_ENOINPUT, "%s: cannot open profile: %s", path, strerror(errno));
        goto out;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    bool failed = false;
    while ((n = getline(&line, &cap, fp)) >= 0) {
        ps.line++;
        char *s = line;
        size_t len = (size_t)n;
        if (ps.line == 1 && len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
            s += 3;
            len -= 3;
        }
        if (memchr(s, '\0', len)) {
            perr(&ps, "holds a NUL byte; save the profile as UTF-8 text");
            failed = true;
            break;
        }
        if (parse_line(&ps, s, len) != VSP_OK) {
            failed = true;
            break;
        }
    }
    free(line);
    if (!failed && ferror(fp)) {
        vsp_error_set(err, VSP_EIO, "%s: read error: %s", path, strerror(errno));
        failed = true;
    }
    fclose(fp);
    if (failed || validate(&ps) != VSP_OK)
        goto out;
    result = ps.p;
    ps.p = NULL;
out:
    vsp_profile_free(ps.p);
    vsp_buf_fini(&ps.fold);
    free(ps.dates_all);
    for (int k = 0; k < VSP_MAP_COUNT; k++)
        free(ps.index[k]);
    return result;
}

int vsp_profile_lookup(const vsp_profile *p, vsp_map_kind k, const char *folded)
{
    const vsp_label_map *m = &p->maps[k];
    vsp_map_entry key = {.folded = (char *)(uintptr_t)folded};
    const vsp_map_entry *hit =
        m->n ? bsearch(&key, m->entries, m->n, sizeof *m->entries, cmp_entry) : NULL;
    if (hit)
        return hit->code;
    if (k == VSP_MAP_PLATFORM) {
        for (size_t i = 0; i < p->n_platforms; i++)
            if (strcmp(p->platforms[i], folded) == 0)
                return (int)i + 1;
        return 0;
    }
    return code_index(vsp_map_codes(k), folded);
}

/* Edit distance on bytes, bounded to short labels. */
static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 200 || lb > 200)
        return (size_t)-1;
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

const char *vsp_profile_suggest(const vsp_profile *p, vsp_map_kind k, const char *folded)
{
    const vsp_label_map *m = &p->maps[k];
    size_t best = (size_t)-1;
    int code = 0;
    for (size_t i = 0; i < m->n; i++) {
        size_t d = edit_distance(folded, m->entries[i].folded);
        if (d < best) {
            best = d;
            code = m->entries[i].code;
        }
    }
    size_t len = strlen(folded);
    if (!code || best > len / 3 + 1)
        return NULL;
    if (k == VSP_MAP_PLATFORM)
        return p->platforms[code - 1];
    return vsp_map_codes(k)[code - 1];
}

/* Two to four ASCII digits at s, as a number; -1 if they are not digits. */
static int digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

/* The date at s if one of the accepted forms starts there and is not part
 * of a longer run of digits: YYYY-MM-DD, YYYY_MM_DD, YYYY.MM.DD, YYYYMMDD,
 * DD.MM.YYYY, DD-MM-YYYY.  0 if none. */
static int32_t date_at(const char *name, size_t i, size_t len)
{
    const char *s = name + i;
    if (i > 0 && is_digit(name[i - 1]))
        return 0;
    int y = -1, m = -1, d = -1;
    size_t used = 0;
    if (len - i >= 10 && (s[4] == '-' || s[4] == '_' || s[4] == '.') && s[7] == s[4]) {
        y = digits(s, 4), m = digits(s + 5, 2), d = digits(s + 8, 2), used = 10;
    } else if (len - i >= 10 && (s[2] == '.' || s[2] == '-') && s[5] == s[2]) {
        d = digits(s, 2), m = digits(s + 3, 2), y = digits(s + 6, 4), used = 10;
    } else if (len - i >= 8) {
        y = digits(s, 4), m = digits(s + 4, 2), d = digits(s + 6, 2), used = 8;
    }
    if (y < 1900 || m < 0 || d < 0 || (i + used < len && is_digit(name[i + used])))
        return 0;
    if (!vsp_date_valid(y, m, d))
        return 0;
    return (int32_t)(y * 10000 + m * 100 + d);
}

vsp_status vsp_profile_export_day(const vsp_profile *p, const char *file_name, int32_t *day,
                                  vsp_error *err)
{
    *day = 0;
    if (!p->export_date_from_name)
        return VSP_OK;
    size_t len = strlen(file_name);
    /* the last date in the name: "cases-2026Q3-export-2026-10-05.csv" */
    for (size_t i = 0; i < len; i++) {
        int32_t d = date_at(file_name, i, len);
        if (d)
            *day = d;
    }
    if (*day)
        return VSP_OK;
    return vsp_error_set(err, VSP_EDATA,
                         "%s: profile %s takes the export date from the file name "
                         "(export_date = file_name), but '%s' holds no date; rename the file "
                         "to include the date the export was taken (%s-2026-10-05.csv) or give "
                         "it with --exported-at",
                         file_name, p->path, file_name, p->name_stem);
}
