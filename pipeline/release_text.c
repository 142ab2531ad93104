/* release_text.c — the release line, the (R) legend and the revisions
 * note's sentences in the reader's language (pipeline/release_text.h). */
#include "pipeline/release_text.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pipeline/i18n.h"
#include "pipeline/measures.h"

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

/* The measures the reports name, by code, with the report's own labels
 * (context "report"), so the revisions note says what the tables say. */
static const struct {
    const char *code, *label;
} labels[] = {
    {"received", NC_("report", "Reports received")},
    {"assessed", NC_("report", "Reports assessed")},
    {"forwarded", NC_("report", "Violations forwarded to the platform")},
    {"actioned", NC_("report", "Actioned by the platform")},
    {"outcome_pending", NC_("report", "Forwarded, platform outcome pending")},
    {"violation_rate", NC_("report", "Violation rate")},
    {"action_rate", NC_("report", "Action rate")},
    {"median_h_to_action", NC_("report", "Median time to action (hours)")},
    {"p90_h_to_action", NC_("report", "90th percentile of time to action (hours)")},
    {"n_to_action", NC_("report", "Items with a time to action (n)")},
    {"median_h_to_response", NC_("report", "Median time to platform response (hours)")},
    {"median_d_to_action", NC_("report", "Median time to action (days)")},
    {"n_d_to_action", NC_("report", "Items with a time to action in days (n)")},
    {"cross_border_items", NC_("report", "Cross-border items")},
};

const char *vsp_release_measure_label(const char *measure, const char *lang)
{
    for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
        if (strcmp(measure, labels[i].code) == 0)
            return vsp_i18n_pget(lang, "report", labels[i].label);
    return measure;
}

char *vsp_release_value_text(const char *measure, const char *value, const char *lang,
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
        vsp_fmt_pct(lang, v, 1, buf, size);
        break;
    case VSP_UNIT_PER100K:
        vsp_fmt_num(lang, v, 2, buf, size);
        break;
    case VSP_UNIT_HOURS:
        vsp_fmt_num(lang, v, 1, n, sizeof n);
        vsp_i18n_subst(buf, size, vsp_i18n_pget(lang, "number", "{n} h"), 1, names, values);
        break;
    case VSP_UNIT_DAYS:
        vsp_fmt_num(lang, v, 1, n, sizeof n);
        vsp_i18n_subst(buf, size, vsp_i18n_pget(lang, "report", "{n} days"), 1, names, values);
        break;
    case VSP_UNIT_COUNT:
        vsp_fmt_int(lang, v, buf, size);
        break;
    }
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
