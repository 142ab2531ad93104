/* measures.c — the table of published measures and the one way to print
 * them (measures.h).  Definitions follow queries/0002_aggregates.sql,
 * queries/0003_time.sql and pipeline/aggregate.c (metric_value). */
#include "pipeline/measures.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define C VSP_UNIT_COUNT
#define F VSP_UNIT_FRACTION
#define P VSP_UNIT_PER100K
#define H VSP_UNIT_HOURS
#define D VSP_UNIT_DAYS
#define BOTH (VSP_ADDS_CATEGORIES | VSP_ADDS_COUNTRIES)

/* A duration measure triple: median, P90, n (hours or days). */
#define DUR(code_sfx, metric_sfx, n_code, unit, what, label_median, label_p90, label_n, n_def) \
    {"median_" code_sfx, metric_sfx "_median", unit, metric_sfx "_n", NULL, false, 0,          \
     label_median, "Median " what "."},                                                        \
    {"p90_" code_sfx, metric_sfx "_p90", unit, metric_sfx "_n", NULL, false, 0, label_p90,     \
     "90th percentile (P90) of " what "."},                                                    \
    {n_code, metric_sfx "_n", C, NULL, NULL, false, BOTH, label_n, n_def}

static const vsp_measure measures[] = {
    {"received", "received", C, NULL, NULL, false, BOTH, "received",
     "Reports received by the regulator in the period (by the local date of receipt)."},
    {"assessed", "assessed", C, NULL, NULL, false, BOTH, "assessed",
     "Received reports the regulator has decided on (decision other than pending)."},
    {"forwarded", "forwarded", C, NULL, NULL, false, BOTH, "forwarded (violations)",
     "Reports the regulator found to violate the law and forwarded to the platform."},
    {"actioned", "actioned", C, NULL, NULL, false, BOTH, "actioned by the platform",
     "Forwarded items the platform removed, geo-blocked, age-restricted, or whose account it "
     "suspended or banned."},
    {"outcome_pending", "outcome_pending", C, NULL, NULL, false, BOTH, "outcome pending",
     "Forwarded items without a final outcome from the platform yet (pending or not given)."},
    {"violation_rate", "violation_rate", F, "assessed", NULL, false, 0,
     "violation rate (fraction)", "Forwarded divided by assessed."},
    {"action_rate", "action_rate", F, "forwarded", "outcome_pending", false, 0,
     "action rate (fraction)",
     "Actioned divided by the forwarded items with a final outcome (forwarded minus outcome "
     "pending)."},
    {"population", "population", C, NULL, NULL, true, VSP_ADDS_COUNTRIES, "population",
     "Inhabitants by the latest census in the population table (the region: the six summed)."},
    {"received_per100k", "received_per100k", P, "population", NULL, false, 0,
     "received per 100 000", "Received per 100 000 inhabitants."},
    {"forwarded_per100k", "forwarded_per100k", P, "population", NULL, false, 0,
     "forwarded per 100 000", "Forwarded per 100 000 inhabitants."},
    {"actioned_per100k", "actioned_per100k", P, "population", NULL, false, 0,
     "actioned per 100 000", "Actioned per 100 000 inhabitants."},
    DUR("h_to_action", "h_to_action", "n_to_action", H,
        "hours from forwarding to the platform's action, over actioned items with both times",
        "time to action, median (h)", "time to action, P90 (h)", "time to action, n",
        "Actioned items with a time of day at forwarding and at the outcome (the base of the "
        "hour figures of time to action)."),
    {"share_24h", "share_24h", F, "h_to_action_n", NULL, false, 0,
     "actioned within 24 h (fraction)",
     "Of the actioned items with both times, the share actioned within 24 hours of forwarding."},
    {"share_48h", "share_48h", F, "h_to_action_n", NULL, false, 0,
     "actioned within 48 h (fraction)",
     "Of the actioned items with both times, the share actioned within 48 hours of forwarding."},
    {"share_7d", "share_7d", F, "h_to_action_n", NULL, false, 0,
     "actioned within 7 days (fraction)",
     "Of the actioned items with both times, the share actioned within 168 hours of "
     "forwarding."},
    DUR("h_to_response", "h_to_response", "n_to_response", H,
        "hours from forwarding to the platform's final outcome, over every final outcome with "
        "both times",
        "time to response, median (h)", "time to response, P90 (h)", "time to response, n",
        "Forwarded items with a final outcome and a time of day at forwarding and at the "
        "outcome."),
    DUR("h_received_decided", "h_received_decided", "n_received_decided", H,
        "hours from receipt to the regulator's decision, over items with both times",
        "received to decided, median (h)", "received to decided, P90 (h)",
        "received to decided, n", "Items with a time of day at receipt and at the decision."),
    DUR("h_decided_forwarded", "h_decided_forwarded", "n_decided_forwarded", H,
        "hours from the regulator's decision to forwarding, over items with both times",
        "decided to forwarded, median (h)", "decided to forwarded, P90 (h)",
        "decided to forwarded, n",
        "Forwarded items with a time of day at the decision and at forwarding."),
    DUR("h_received_outcome", "h_received_outcome", "n_received_outcome", H,
        "hours from receipt to the platform's final outcome, over items with both times",
        "received to outcome, median (h)", "received to outcome, P90 (h)",
        "received to outcome, n",
        "Items with a final outcome and a time of day at receipt and at the outcome."),
    DUR("d_to_action", "d_to_action", "n_d_to_action", D,
        "whole calendar days from forwarding to the platform's action, over actioned items "
        "with both dates",
        "time to action, median (days)", "time to action, P90 (days)",
        "time to action in days, n",
        "Actioned items with a date of forwarding and of the outcome (the base of the day "
        "figures of time to action)."),
    {"share_d_1d", "d_share_1d", F, "d_to_action_n", NULL, false, 0,
     "actioned within 1 day (fraction)",
     "Of the actioned items with both dates, the share actioned within 1 calendar day of "
     "forwarding."},
    {"share_d_2d", "d_share_2d", F, "d_to_action_n", NULL, false, 0,
     "actioned within 2 days (fraction)",
     "Of the actioned items with both dates, the share actioned within 2 calendar days of "
     "forwarding."},
    {"share_d_7d", "d_share_7d", F, "d_to_action_n", NULL, false, 0,
     "actioned within 7 days, by date (fraction)",
     "Of the actioned items with both dates, the share actioned within 7 calendar days of "
     "forwarding."},
    DUR("d_to_response", "d_to_response", "n_d_to_response", D,
        "whole calendar days from forwarding to the platform's final outcome, over every final "
        "outcome with both dates",
        "time to response, median (days)", "time to response, P90 (days)",
        "time to response in days, n",
        "Forwarded items with a final outcome and a date of forwarding and of the outcome."),
    DUR("d_received_decided", "d_received_decided", "n_d_received_decided", D,
        "whole calendar days from receipt to the regulator's decision, over items with both "
        "dates",
        "received to decided, median (days)", "received to decided, P90 (days)",
        "received to decided in days, n", "Items with a date of receipt and of the decision."),
    DUR("d_decided_forwarded", "d_decided_forwarded", "n_d_decided_forwarded", D,
        "whole calendar days from the regulator's decision to forwarding, over items with both "
        "dates",
        "decided to forwarded, median (days)", "decided to forwarded, P90 (days)",
        "decided to forwarded in days, n",
        "Forwarded items with a date of the decision and of forwarding."),
    DUR("d_received_outcome", "d_received_outcome", "n_d_received_outcome", D,
        "whole calendar days from receipt to the platform's final outcome, over items with both "
        "dates",
        "received to outcome, median (days)", "received to outcome, P90 (days)",
        "received to outcome in days, n",
        "Items with a final outcome and a date of receipt and of the outcome."),
    {"cohort_n", "cohort_n", C, NULL, NULL, false, BOTH, "forwarded with a date (cohort), n",
     "Forwarded items of the period with a date of forwarding (the cohort)."},
    {"cohort_1d", "cohort_1d", F, "cohort_n", NULL, false, 0,
     "cohort actioned within 1 day (fraction)",
     "Of the cohort, the share actioned within 1 calendar day of forwarding; undefined until "
     "the data are as of 1 day after the period's end."},
    {"cohort_2d", "cohort_2d", F, "cohort_n", NULL, false, 0,
     "cohort actioned within 2 days (fraction)",
     "Of the cohort, the share actioned within 2 calendar days of forwarding; undefined until "
     "the data are as of 2 days after the period's end."},
    {"cohort_7d", "cohort_7d", F, "cohort_n", NULL, false, 0,
     "cohort actioned within 7 days (fraction)",
     "Of the cohort, the share actioned within 7 calendar days of forwarding; undefined until "
     "the data are as of 7 days after the period's end."},
    {"cohort_14d", "cohort_14d", F, "cohort_n", NULL, false, 0,
     "cohort actioned within 14 days (fraction)",
     "Of the cohort, the share actioned within 14 calendar days of forwarding; undefined until "
     "the data are as of 14 days after the period's end."},
    {"cross_border_items", "cross_border_items", C, NULL, NULL, false, VSP_ADDS_CATEGORIES,
     "cross-border items",
     "Items (content keys) received in the period in two or more countries that this country "
     "reported (the region: all of them), by the category of the item's first report."},
};
#define N_MEASURES (sizeof measures / sizeof measures[0])

#undef C
#undef F
#undef P
#undef H
#undef D
#undef BOTH
#undef DUR

size_t vsp_measure_count(void)
{
    return N_MEASURES;
}

const vsp_measure *vsp_measure_at(size_t i)
{
    return i < N_MEASURES ? &measures[i] : NULL;
}

const vsp_measure *vsp_measure_by_code(const char *code)
{
    for (size_t i = 0; code && i < N_MEASURES; i++)
        if (strcmp(measures[i].code, code) == 0)
            return &measures[i];
    return NULL;
}

const vsp_measure *vsp_measure_by_metric(const char *metric)
{
    for (size_t i = 0; metric && i < N_MEASURES; i++)
        if (strcmp(measures[i].metric, metric) == 0)
            return &measures[i];
    return NULL;
}

const char *vsp_measure_unit_name(vsp_measure_unit unit)
{
    switch (unit) {
    case VSP_UNIT_COUNT: return "count";
    case VSP_UNIT_FRACTION: return "fraction";
    case VSP_UNIT_PER100K: return "per100k";
    case VSP_UNIT_HOURS: return "hours";
    case VSP_UNIT_DAYS: return "days";
    }
    return "count";
}

/* The measure code of an agg_metric name, or the name itself. */
static const char *metric_code(const char *metric)
{
    const vsp_measure *ms = vsp_measure_by_metric(metric);
    return ms ? ms->code : metric;
}

const char *vsp_measure_base_text(const vsp_measure *ms, char *buf, size_t size)
{
    if (size == 0)
        return buf;
    buf[0] = '\0';
    if (!ms->base)
        return buf;
    if (ms->base_minus)
        snprintf(buf, size, "%s - %s", metric_code(ms->base), metric_code(ms->base_minus));
    else
        snprintf(buf, size, "%s", metric_code(ms->base));
    return buf;
}

bool vsp_measure_format(const vsp_measure *ms, double v, char *buf, size_t size)
{
    if (size == 0)
        return false;
    if (!isfinite(v)) {
        buf[0] = '\0';
        return false;
    }
    switch (ms->unit) {
    case VSP_UNIT_COUNT: snprintf(buf, size, "%.0f", v); break;
    case VSP_UNIT_FRACTION:
    case VSP_UNIT_PER100K: snprintf(buf, size, "%.4f", v); break;
    case VSP_UNIT_DAYS: {
        /* a median or P90 of whole days is a multiple of 0.1 day */
        long long tenths = llround(fabs(v) * 10.0);
        snprintf(buf, size, "%s%lld.%lld0", v < 0 && tenths ? "-" : "", tenths / 10, tenths % 10);
        break;
    }
    case VSP_UNIT_HOURS: {
        /* snap to the exact multiple of 0.1 s, then round half up */
        double tenths = round(v * 36000.0);
        long long cents = (long long)((fabs(tenths) + 180.0) / 360.0);
        snprintf(buf, size, "%s%lld.%02lld", tenths < 0 && cents ? "-" : "", cents / 100,
                 cents % 100);
        break;
    }
    }
    /* never print "-0.00" */
    if (buf[0] == '-' && strspn(buf + 1, "0.") == strlen(buf + 1))
        memmove(buf, buf + 1, strlen(buf));
    return true;
}

bool vsp_measure_format_figure(const vsp_measure *ms, const vsp_metrics *m, const char *country,
                               const char *category, char *buf, size_t size)
{
    double v;
    const char *cat = ms->star_only ? "*" : category;
    if (!vsp_metrics_get(m, country, cat, ms->metric, &v)) {
        if (size)
            buf[0] = '\0';
        return false;
    }
    return vsp_measure_format(ms, v, buf, size);
}

bool vsp_measure_base_n(const vsp_measure *ms, const vsp_metrics *m, const char *country,
                        const char *category, int64_t *n)
{
    if (!ms->base)
        return false;
    double a, b = 0;
    const char *cat = strcmp(ms->base, "population") == 0 ? "*" : category;
    if (!vsp_metrics_get(m, country, cat, ms->base, &a) || !isfinite(a))
        return false;
    if (ms->base_minus &&
        (!vsp_metrics_get(m, country, category, ms->base_minus, &b) || !isfinite(b)))
        return false;
    *n = llround(a - b);
    return true;
}
