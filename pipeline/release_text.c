/* release_text.c — the release line, the (R) legend and the revisions
 * note's sentences in the reader's language (pipeline/release_text.h). */
#include "pipeline/release_text.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pipeline/country.h"
#include "pipeline/i18n.h"
#include "pipeline/measures.h"
#include "pipeline/taxonomy.h"
#include "pipeline/util.h"

static const char *tr(const char *lang, const char *msgid)
{
    return vsp_i18n_pget(lang, "release", msgid);
}

static char *empty(char *buf, size_t size)
{
    if (size)
        buf[0] = '\0';
    return buf;
}

char *vsp_release_format(const vsp_release *r, const char *lang, char *buf, size_t size)
{
    if (!r)
        return empty(buf, size);
    char id[48], date[64];
    vsp_release_id(r, id, sizeof id);
    vsp_i18n_date(lang, r->date, date, sizeof date);
    const char *names[] = {"id", "date"};
    const char *values[] = {id, date};
    /* TRANSLATORS: the line every output of a release carries; {id} the
     * release identifier ("2026Q3-v2", never translated), {date} the day it
     * was made.  Provisional: outcomes of the period are still arriving. */
    const char *templ = r->provisional ? tr(lang, "Release {id}, {date} — provisional")
                                       /* TRANSLATORS: as above; final: no outcome is still awaited. */
                                       : tr(lang, "Release {id}, {date} — final");
    vsp_i18n_subst(buf, size, templ, 2, names, values);
    return buf;
}

/* "version 1 of 1 Nov 2026" parts: the previous version and its date. */
static void previous(const vsp_release *r, const char *lang, char *ver, size_t vsize, char *date,
                     size_t dsize)
{
    snprintf(ver, vsize, "%d", r->previous_version > 0 ? r->previous_version : r->version - 1);
    vsp_i18n_date(lang, r->previous_date, date, dsize);
}

char *vsp_release_legend(const vsp_release *r, const char *lang, char *buf, size_t size)
{
    if (!r || r->n_revisions == 0)
        return empty(buf, size);
    char ver[16], date[64];
    previous(r, lang, ver, sizeof ver, date, sizeof date);
    const char *names[] = {"mark", "version", "date"};
    const char *values[] = {VSP_RELEASE_MARK, ver, date};
    /* TRANSLATORS: the legend of the revision mark; {mark} is "(R)", {version}
     * the number of the previous version, {date} the day it was published. */
    vsp_i18n_subst(buf, size,
                   r->previous_date[0]
                       ? tr(lang, "{mark} revised: the figure changed since version {version} of {date}; the revisions note lists the old value and why.")
                       /* TRANSLATORS: as above, when the previous version's date is not known. */
                       : tr(lang, "{mark} revised: the figure changed since version {version}; the revisions note lists the old value and why."),
                   3, names, values);
    return buf;
}

char *vsp_release_revisions_intro(const vsp_release *r, const char *lang, char *buf,
                                  size_t size)
{
    if (!r || r->n_revisions == 0)
        return empty(buf, size);
    char ver[16], prev[16], date[64], period[96];
    snprintf(ver, sizeof ver, "%d", r->version);
    previous(r, lang, prev, sizeof prev, date, sizeof date);
    vsp_i18n_period(lang, r->period, period, sizeof period);
    const char *names[] = {"version", "period", "previous", "date", "mark"};
    const char *values[] = {ver, period, prev, date, VSP_RELEASE_MARK};
    /* TRANSLATORS: opens the revisions note; {version} this version's
     * number, {period} e.g. "Q3 2026", {previous} the previous version's
     * number, {date} the day that version was published, {mark} "(R)". */
    vsp_i18n_subst(buf, size,
                   r->previous_date[0]
                       ? tr(lang, "Version {version} of the figures for {period} replaces version {previous} of {date}. Every published figure that changed is listed here with its old and new value and why; the tables mark it {mark}. Earlier versions stay available unchanged.")
                       /* TRANSLATORS: as above, when the previous version's date is not known. */
                       : tr(lang, "Version {version} of the figures for {period} replaces version {previous}. Every published figure that changed is listed here with its old and new value and why; the tables mark it {mark}. Earlier versions stay available unchanged."),
                   5, names, values);
    return buf;
}

char *vsp_release_regional_scope(const char *lang, char *buf, size_t size)
{
    const char *names[] = {"revisions"};
    const char *values[] = {"revisions.csv"};
    /* TRANSLATORS: under the opening of the regional edition's revisions
     * note; {revisions} a file name. */
    vsp_i18n_subst(buf, size,
                   tr(lang, "This regional edition lists the changed figures of the region and the countries' figures over all categories; each country's figures by category are listed in its own edition, and every changed figure in {revisions}."),
                   1, names, values);
    return buf;
}

char *vsp_release_reason_text(const vsp_revision *v, const char *lang, char *buf, size_t size)
{
    const char *detail = v->detail ? v->detail : "";
    char shown[128];
    /* a date as the language writes it; a profile or version as it is */
    vsp_i18n_date(lang, detail, shown, sizeof shown);
    const char *names[] = {"date", "profile", "version", "detail"};
    const char *values[] = {shown, shown, shown, shown};
    const char *templ = NULL;
    switch (v->reason) {
    case VSP_REVISION_LATER_EXPORT:
        /* TRANSLATORS: why a figure changed; {date} the day the later export was taken. */
        templ = detail[0] ? tr(lang, "later outcomes and events from the export of {date}")
                          : tr(lang, "later outcomes and events from a later export");
        break;
    case VSP_REVISION_CORRECTED:
        /* TRANSLATORS: why a figure changed; {date} the day the correcting export was taken. */
        templ = detail[0] ? tr(lang, "cases corrected by the export of {date}")
                          : tr(lang, "cases corrected by a later export");
        break;
    case VSP_REVISION_REMAPPED:
        /* TRANSLATORS: why a figure changed; {profile} a profile's file name, e.g. "al-ama". */
        templ = detail[0] ? tr(lang, "labels re-mapped in the profile {profile}")
                          : tr(lang, "labels re-mapped in a profile");
        break;
    case VSP_REVISION_METHODOLOGY:
        /* TRANSLATORS: why a figure changed; {version} the vspreport version, e.g. "0.2.0". */
        templ = detail[0] ? tr(lang, "methodology changed in vspreport {version}")
                          : tr(lang, "methodology changed");
        break;
    case VSP_REVISION_OTHER:
        /* TRANSLATORS: why a figure changed, when no cause could be told; {detail} a note. */
        templ = detail[0] ? tr(lang, "other change: {detail}") : tr(lang, "other change");
        break;
    }
    if (!templ)
        templ = tr(lang, "other change");
    vsp_i18n_subst(buf, size, templ, 4, names, values);
    return buf;
}

/* Every measure of figures.csv by its name for readers: the report's
 * table labels (context "report") where the report shows the figure, so
 * the revisions note says what the tables say; else the workbook's
 * (context "workbook", its Figures sheet); the day figures, shares and
 * cohorts that neither names, in context "release".  unit.test_release_text
 * checks that every measure of pipeline/measures.h is here. */
static const struct {
    const char *code, *ctx, *label;
} labels[] = {
    {"received", "report", NC_("report", "Reports received")},
    {"assessed", "report", NC_("report", "Reports assessed")},
    {"forwarded", "report", NC_("report", "Violations forwarded to the platform")},
    {"actioned", "report", NC_("report", "Actioned by the platform")},
    {"outcome_pending", "report", NC_("report", "Forwarded, platform outcome pending")},
    {"violation_rate", "report", NC_("report", "Violation rate")},
    {"action_rate", "report", NC_("report", "Action rate")},
    {"population", "workbook", NC_("workbook", "Population")},
    {"received_per100k", "workbook", NC_("workbook", "Reports received per 100 000 inhabitants")},
    {"forwarded_per100k", "workbook", NC_("workbook", "Violations forwarded per 100 000 inhabitants")},
    {"actioned_per100k", "workbook", NC_("workbook", "Actioned per 100 000 inhabitants")},
    {"median_h_to_action", "report", NC_("report", "Median time to action (hours)")},
    {"p90_h_to_action", "report", NC_("report", "90th percentile of time to action (hours)")},
    {"n_to_action", "report", NC_("report", "Items with a time to action (n)")},
    {"share_24h", "workbook", NC_("workbook", "Actioned within 24 hours")},
    {"share_48h", "workbook", NC_("workbook", "Actioned within 48 hours")},
    {"share_7d", "workbook", NC_("workbook", "Actioned within 7 days")},
    {"median_h_to_response", "report", NC_("report", "Median time to platform response (hours)")},
    {"p90_h_to_response", "workbook", NC_("workbook", "Time to response, 90th percentile")},
    {"n_to_response", "workbook", NC_("workbook", "Responses timed")},
    {"median_h_received_decided", "workbook", NC_("workbook", "Median time from receipt to decision")},
    {"p90_h_received_decided", "workbook", NC_("workbook", "Time from receipt to decision, 90th percentile")},
    {"n_received_decided", "workbook", NC_("workbook", "Decisions timed")},
    {"median_h_decided_forwarded", "workbook", NC_("workbook", "Median time from decision to forwarding")},
    {"p90_h_decided_forwarded", "workbook", NC_("workbook", "Time from decision to forwarding, 90th percentile")},
    {"n_decided_forwarded", "workbook", NC_("workbook", "Forwardings timed")},
    {"median_h_received_outcome", "workbook", NC_("workbook", "Median time from receipt to outcome")},
    {"p90_h_received_outcome", "workbook", NC_("workbook", "Time from receipt to outcome, 90th percentile")},
    {"n_received_outcome", "workbook", NC_("workbook", "Outcomes timed")},
    {"median_d_to_action", "report", NC_("report", "Median time to action (days)")},
    {"p90_d_to_action", "workbook", NC_("workbook", "Time to action in days, 90th percentile")},
    {"n_d_to_action", "report", NC_("report", "Items with a time to action in days (n)")},
    {"share_d_1d", "workbook", NC_("workbook", "Actioned within 1 day (by date)")},
    {"share_d_2d", "release", NC_("release", "Actioned within 2 days (by date)")},
    {"share_d_7d", "workbook", NC_("workbook", "Actioned within 7 days (by date)")},
    {"median_d_to_response", "workbook", NC_("workbook", "Median time to response in days")},
    {"p90_d_to_response", "release", NC_("release", "Time to response in days, 90th percentile")},
    {"n_d_to_response", "workbook", NC_("workbook", "Responses dated")},
    {"median_d_received_decided", "release", NC_("release", "Median time from receipt to decision in days")},
    {"p90_d_received_decided", "release", NC_("release", "Time from receipt to decision in days, 90th percentile")},
    {"n_d_received_decided", "release", NC_("release", "Decisions dated")},
    {"median_d_decided_forwarded", "release", NC_("release", "Median time from decision to forwarding in days")},
    {"p90_d_decided_forwarded", "release", NC_("release", "Time from decision to forwarding in days, 90th percentile")},
    {"n_d_decided_forwarded", "release", NC_("release", "Forwardings dated")},
    {"median_d_received_outcome", "release", NC_("release", "Median time from receipt to outcome in days")},
    {"p90_d_received_outcome", "release", NC_("release", "Time from receipt to outcome in days, 90th percentile")},
    {"n_d_received_outcome", "release", NC_("release", "Outcomes dated")},
    /* TRANSLATORS: the cohort: items forwarded in the period that have a
     * date of forwarding; the next four are shares of it. */
    {"cohort_n", "release", NC_("release", "Forwarded in the period, with a date (cohort)")},
    {"cohort_1d", "release", NC_("release", "Cohort: actioned within 1 day")},
    {"cohort_2d", "release", NC_("release", "Cohort: actioned within 2 days")},
    {"cohort_7d", "release", NC_("release", "Cohort: actioned within 7 days")},
    {"cohort_14d", "release", NC_("release", "Cohort: actioned within 14 days")},
    {"cross_border_items", "report", NC_("report", "Cross-border items")},
};

const char *vsp_release_measure_label(const char *measure, const char *lang)
{
    for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
        if (strcmp(measure, labels[i].code) == 0)
            return vsp_i18n_pget(lang, labels[i].ctx, labels[i].label);
    return measure;
}

/* vsp_release_value_text with `extra` more decimals than a reader's
 * (0: the reader's). */
static char *value_text(const char *measure, const char *value, const char *lang, int extra,
                        char *buf, size_t size)
{
    if (size == 0)
        return buf;
    char *end = NULL;
    errno = 0;
    double v = value && value[0] ? strtod(value, &end) : NAN;
    if (!value || !value[0] || errno || !end || *end || !isfinite(v)) {
        /* absent: an en dash; anything unreadable as it is */
        snprintf(buf, size, "%s", value && value[0] ? value : "\xe2\x80\x93");
        return buf;
    }
    char n[VSP_FMT_MAX];
    const char *names[] = {"n"};
    const char *values[] = {n};
    const vsp_measure *ms = vsp_measure_by_code(measure);
    switch (ms ? ms->unit : VSP_UNIT_COUNT) {
    case VSP_UNIT_FRACTION:
        vsp_fmt_pct(lang, v, 1 + extra, buf, size);
        break;
    case VSP_UNIT_PER100K:
        vsp_fmt_num(lang, v, 2 + extra, buf, size);
        break;
    case VSP_UNIT_HOURS:
        vsp_fmt_num(lang, v, 1 + extra, n, sizeof n);
        vsp_i18n_subst(buf, size, vsp_i18n_pget(lang, "number", "{n} h"), 1, names, values);
        break;
    case VSP_UNIT_DAYS:
        vsp_fmt_num(lang, v, 1 + extra, n, sizeof n);
        vsp_i18n_subst(buf, size, vsp_i18n_pget(lang, "report", "{n} days"), 1, names, values);
        break;
    case VSP_UNIT_COUNT:
        vsp_fmt_int(lang, v, buf, size);
        break;
    }
    return buf;
}

char *vsp_release_value_text(const char *measure, const char *value, const char *lang,
                             char *buf, size_t size)
{
    return value_text(measure, value, lang, 0, buf, size);
}

char *vsp_release_change_text(const vsp_revision *v, const char *lang, char *buf, size_t size)
{
    char was[2 * VSP_FMT_MAX], now[2 * VSP_FMT_MAX];
    /* figures.csv has at most two decimals more than a reader's figure */
    for (int extra = 0; extra <= 2; extra++) {
        value_text(v->measure, v->old_value, lang, extra, was, sizeof was);
        value_text(v->measure, v->new_value, lang, extra, now, sizeof now);
        if (strcmp(was, now) != 0)
            break;
    }
    /* one unit: a line breaks before or after a change, never inside it */
    size_t o = 0;
    const char *parts[] = {was, " \xe2\x86\x92 ", now};
    for (size_t k = 0; k < 3 && size; k++)
        for (const char *c = parts[k]; *c && o + 3 < size; c++) {
            if (*c == ' ') {
                buf[o++] = '\xc2';
                buf[o++] = '\xa0';
            } else {
                buf[o++] = *c;
            }
        }
    if (size)
        buf[o] = '\0';
    return buf;
}

char *vsp_release_measure_code(const char *metric, char *buf, size_t size)
{
    /* the one measures table: a metric that is no published measure is
     * never in figures.csv, so never revised; it keeps its own name */
    const vsp_measure *ms = vsp_measure_by_metric(metric);
    if (size)
        snprintf(buf, size, "%s", ms ? ms->code : metric);
    return buf;
}

bool vsp_release_revised_metric(const vsp_release *r, const char *period, const char *area,
                                const char *category, const char *metric)
{
    if (!r || r->n_revisions == 0 || !period || !area || !category || !metric)
        return false;
    char code[96];
    vsp_release_measure_code(metric, code, sizeof code);
    return vsp_release_revised(r, period, area, category, code);
}

bool vsp_release_revision_in(const vsp_revision *v, const char *area)
{
    if (!area || strcmp(area, "region") == 0)
        return strcmp(v->area, "region") == 0 || strcmp(v->category, "*") == 0;
    return strcmp(v->area, area) == 0;
}

size_t vsp_release_revisions_in(const vsp_release *r, const char *area)
{
    size_t n = 0;
    for (size_t i = 0; r && i < r->n_revisions; i++)
        n += vsp_release_revision_in(&r->revisions[i], area);
    return n;
}

/* A revision with the keys it is ordered by. */
typedef struct ordered {
    const vsp_revision *v;
    int area, measure, category;
} ordered;

static int index_of(const char *const *codes, const char *code)
{
    for (int i = 0; codes[i]; i++)
        if (strcmp(codes[i], code) == 0)
            return i;
    return INT_MAX / 2;
}

static int cmp_ordered(const void *pa, const void *pb)
{
    const ordered *a = pa, *b = pb;
    if (a->area != b->area)
        return a->area < b->area ? -1 : 1;
    int c = strcmp(a->v->area, b->v->area); /* codes not among the six */
    if (c)
        return c;
    if (a->v->reason != b->v->reason)
        return a->v->reason < b->v->reason ? -1 : 1;
    if ((c = strcmp(a->v->detail ? a->v->detail : "", b->v->detail ? b->v->detail : "")))
        return c;
    if (a->measure != b->measure)
        return a->measure < b->measure ? -1 : 1;
    if ((c = strcmp(a->v->measure, b->v->measure)))
        return c;
    if (a->category != b->category)
        return a->category < b->category ? -1 : 1;
    if ((c = strcmp(a->v->category, b->v->category)))
        return c;
    return strcmp(a->v->period, b->v->period);
}

const vsp_revision **vsp_release_revisions_ordered(const vsp_release *r, const char *area,
                                                   size_t *n)
{
    *n = vsp_release_revisions_in(r, area);
    if (*n == 0)
        return NULL;
    ordered *o = vsp_xmalloc(*n * sizeof *o);
    size_t k = 0;
    for (size_t i = 0; i < r->n_revisions; i++) {
        const vsp_revision *v = &r->revisions[i];
        if (!vsp_release_revision_in(v, area))
            continue;
        o[k].v = v;
        o[k].area = strcmp(v->area, "region") == 0 ? -1 : index_of(vsp_countries, v->area);
        o[k].category = strcmp(v->category, "*") == 0 ? -1 : index_of(vsp_categories, v->category);
        o[k].measure = INT_MAX / 2;
        for (size_t m = 0; m < vsp_measure_count(); m++)
            if (strcmp(vsp_measure_at(m)->code, v->measure) == 0)
                o[k].measure = (int)m;
        k++;
    }
    qsort(o, k, sizeof *o, cmp_ordered);
    const vsp_revision **out = vsp_xmalloc(k * sizeof *out);
    for (size_t i = 0; i < k; i++)
        out[i] = o[i].v;
    free(o);
    return out;
}

bool vsp_release_same_why(const vsp_revision *a, const vsp_revision *b)
{
    return strcmp(a->area, b->area) == 0 && a->reason == b->reason &&
           strcmp(a->detail ? a->detail : "", b->detail ? b->detail : "") == 0;
}

bool vsp_release_by_category(const vsp_release *r, const vsp_revision *v)
{
    return strcmp(v->category, "*") != 0 || strcmp(v->period, r->period) != 0;
}

void vsp_release_row_text(const vsp_release *r, const vsp_revision **list, size_t n,
                          const char *lang, vsp_buf *all, vsp_buf *cats)
{
    vsp_buf_clear(all);
    vsp_buf_clear(cats);
    for (size_t q = 0; q < n; q++) {
        const vsp_revision *v = list[q];
        char change[4 * VSP_FMT_MAX + 8];
        vsp_release_change_text(v, lang, change, sizeof change);
        if (!vsp_release_by_category(r, v) && !all->len) {
            vsp_buf_puts(all, change);
            continue;
        }
        /* another period's figure (none today: revisions are of the
         * released period) says its period */
        char period[96] = "";
        if (strcmp(v->period, r->period) != 0)
            vsp_i18n_period(lang, v->period, period, sizeof period);
        vsp_buf_printf(cats, "%s%s%s%s: %s", cats->len ? "; " : "",
                       vsp_i18n_category(lang, v->category), period[0] ? ", " : "", period,
                       change);
    }
}
