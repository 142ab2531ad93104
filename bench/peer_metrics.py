#!/usr/bin/python3
"""peer_metrics.py - an independent pandas implementation of vspreport's key
figures (DESIGN section 5), read straight from the warehouse's case_record.

It shares no code and no SQL with pipeline/aggregate.c: it reads the cases
with their category/decision/outcome *codes*, takes "actioned" and "final"
from DESIGN section 4 (not from the outcome table), groups with pandas and
takes quantiles with pandas' default (linear interpolation between closest
ranks).  It prints the same CSV as `vspreport stats --format csv`, so
tests/cli/stats_peer.sh can compare the two figure by figure.

Run with Debian's Python (pandas): /usr/bin/python3 bench/peer_metrics.py
  --db DB --period 2026Q3 [--category CODE]
      the key figures of one quarter, as `vspreport stats --format csv`
  --trend
      also compute every figure for all categories and the seven quarters
      before (what `vspreport aggregate` computes; the benchmark uses this)
  --print-all
      with --trend: print the rows of all eight quarters, each for all
      categories ('*' first, then by code), one header line
"""

import argparse
import sqlite3
import sys

import numpy as np
import pandas as pd

ACTIONED = {"removed", "geo_blocked", "age_restricted", "account_suspended", "account_banned"}
DURATIONS = ["received_decided", "decided_forwarded", "to_action", "to_response",
             "received_outcome"]


def quarter_of(day):
    """YYYYMMDD (a Series) -> quarter label like 2026Q3."""
    year = day // 10000
    q = (day // 100 % 100 - 1) // 3 + 1
    return year.astype(str) + "Q" + q.astype(str)


def shift_quarter(label, n):
    year, q = int(label[:4]), int(label[5])
    idx = year * 4 + (q - 1) + n
    return "%04dQ%d" % (idx // 4, idx % 4 + 1)


def quarter_end(label):
    """2026Q3 -> 20260930."""
    year, q = int(label[:4]), int(label[5])
    return year * 10000 + 3 * q * 100 + (31 if q in (1, 4) else 30)


def ordinal_of(day):
    import datetime
    return datetime.date(day // 10000, day // 100 % 100, day % 100).toordinal()


def load(con, first_day, last_day):
    df = pd.read_sql_query(
        """SELECT c.country, c.received_day, cat.code AS category, cat.id AS category_id,
                  d.code AS decision, o.code AS outcome, c.content_key,
                  c.received_ts, c.decided_ts, c.forwarded_ts, c.outcome_ts,
                  c.received_prec, c.decided_prec, c.forwarded_prec, c.outcome_prec,
                  c.decided_day, c.forwarded_day, c.outcome_day
           FROM case_record c
           JOIN category cat ON cat.id = c.category_id
           JOIN decision d ON d.id = c.decision_id
           LEFT JOIN outcome o ON o.id = c.outcome_id
           WHERE c.received_day BETWEEN ? AND ?""",
        con, params=(first_day, last_day))
    df["period"] = quarter_of(df["received_day"])
    fwd = df["decision"] == "forwarded"
    df["assessed"] = df["decision"] != "pending"
    df["forwarded"] = fwd
    df["outcome_pending"] = fwd & (df["outcome"].isna() | (df["outcome"] == "pending"))
    final = fwd & df["outcome"].notna() & (df["outcome"] != "pending")
    actioned = fwd & df["outcome"].isin(ACTIONED)
    df["actioned"] = actioned

    def hours(end, start, mask):
        # DESIGN section 5: "where both ends exist" -- an end exists only with
        # its time of day (<field>_prec 2); a date alone is no time to count from
        timed = lambda ts: df[ts].notna() & (df[ts.replace("_ts", "_prec")] == 2)
        h = (df[end] - df[start]) / 3600.0
        return h.where(mask & timed(end) & timed(start) & (h >= 0))

    everyone = pd.Series(True, index=df.index)
    df["received_decided"] = hours("decided_ts", "received_ts", everyone)
    df["decided_forwarded"] = hours("forwarded_ts", "decided_ts", everyone)
    df["to_action"] = hours("outcome_ts", "forwarded_ts", actioned)
    df["to_response"] = hours("outcome_ts", "forwarded_ts", final)
    df["received_outcome"] = hours("outcome_ts", "received_ts", final)
    ta = df["to_action"]
    df["w24"] = ta.notna() & (ta <= 24)
    df["w48"] = ta.notna() & (ta <= 48)
    df["w7d"] = ta.notna() & (ta <= 168)

    # DESIGN section 5: whole days, the difference of the local calendar
    # dates, wherever both ends have a date (where both also have a time of
    # day, the instants must be in order as well)
    def ordinal(col):
        d = df[col]
        out = pd.Series(np.nan, index=df.index)
        ok = d.notna()
        out[ok] = pd.to_datetime(d[ok].astype("int64").astype(str), format="%Y%m%d").map(
            lambda t: t.toordinal())
        return out

    day = {"received": ordinal("received_day"), "decided": ordinal("decided_day"),
           "forwarded": ordinal("forwarded_day"), "outcome": ordinal("outcome_day")}

    def days(end, start, mask):
        timed = lambda f: df[f + "_ts"].notna() & (df[f + "_prec"] == 2)
        both_timed = timed(end) & timed(start)
        d = day[end] - day[start]
        disorder = both_timed & (df[end + "_ts"] < df[start + "_ts"])
        return d.where(mask & d.notna() & (d >= 0) & ~disorder)

    df["d_received_decided"] = days("decided", "received", everyone)
    df["d_decided_forwarded"] = days("forwarded", "decided", everyone)
    df["d_to_action"] = days("outcome", "forwarded", actioned)
    df["d_to_response"] = days("outcome", "forwarded", final)
    df["d_received_outcome"] = days("outcome", "received", final)
    da = df["d_to_action"]
    df["wd1"] = da.notna() & (da <= 1)
    df["wd2"] = da.notna() & (da <= 2)
    df["wd7"] = da.notna() & (da <= 7)
    # the cohort: forwarded items with a forwarding date, actioned within N days
    coh = fwd & day["forwarded"].notna()
    df["coh_n"] = coh
    for n in (1, 2, 7, 14):
        df["coh%d" % n] = coh & da.notna() & (da <= n)
    return df


def crossborder(df):
    """Items (period, content_key) reported in >= 2 countries, with the
    category of their first received case, and who reported them."""
    k = df[df["content_key"].notna()]
    n = k.groupby(["period", "content_key"])["country"].nunique()
    keys = n[n >= 2].reset_index()[["period", "content_key"]]
    rows = k.merge(keys, on=["period", "content_key"])
    first = (rows.sort_values(["received_ts", "country", "category_id"])
             .groupby(["period", "content_key"], sort=False).head(1)
             [["period", "content_key", "category"]].rename(columns={"category": "item_category"}))
    who = rows[["period", "content_key", "country"]].drop_duplicates().merge(
        first, on=["period", "content_key"])
    return first, who


def figures(df, group):
    """Every figure per group (a list of columns, possibly empty -> region)."""
    g = df.groupby(group) if group else df.groupby(lambda _: 0)
    out = g.agg(received=("country", "size"), assessed=("assessed", "sum"),
                forwarded=("forwarded", "sum"), actioned=("actioned", "sum"),
                outcome_pending=("outcome_pending", "sum"), w24=("w24", "sum"),
                w48=("w48", "sum"), w7d=("w7d", "sum"), wd1=("wd1", "sum"),
                wd2=("wd2", "sum"), wd7=("wd7", "sum"), coh_n=("coh_n", "sum"),
                coh1=("coh1", "sum"), coh2=("coh2", "sum"), coh7=("coh7", "sum"),
                coh14=("coh14", "sum"))
    for d in DURATIONS + ["d_" + x for x in DURATIONS]:
        out["n_" + d] = g[d].count()
        out["median_" + d] = g[d].quantile(0.5)
        out["p90_" + d] = g[d].quantile(0.9)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True)
    ap.add_argument("--period", required=True, help="a quarter, e.g. 2026Q3")
    ap.add_argument("--category", default="*")
    ap.add_argument("--trend", action="store_true",
                    help="compute all categories and the 7 quarters before as well")
    ap.add_argument("--print-all", action="store_true",
                    help="with --trend: print every quarter and every category")
    a = ap.parse_args()

    con = sqlite3.connect("file:%s?mode=ro" % a.db, uri=True)
    countries = [r[0] for r in con.execute("SELECT code FROM country ORDER BY code")]
    pop = dict(con.execute("SELECT country, population FROM population"))
    freeze = con.execute("SELECT max(finished_at) FROM ingest_run").fetchone()[0] or ""
    # as of (DESIGN section 5): a stated export date, else the latest date of
    # any event among the country's cases; the region: the earliest
    stated = dict(con.execute("SELECT country, max(exported_day) FROM ingest_run "
                              "WHERE finished_at IS NOT NULL AND exported_day IS NOT NULL "
                              "GROUP BY country"))
    as_of = {}
    for c in countries:
        latest = con.execute("SELECT max(received_day), max(decided_day), max(forwarded_day), "
                             "max(outcome_day) FROM case_record WHERE country = ?",
                             (c,)).fetchone()
        latest = max([x for x in latest if x is not None], default=None)
        if stated.get(c) or latest:
            as_of[c] = stated.get(c) or latest
    if as_of:
        as_of["region"] = min(as_of.values())

    first = shift_quarter(a.period, -7) if a.trend else a.period
    fy, fq = int(first[:4]), int(first[5])
    y, q = int(a.period[:4]), int(a.period[5])
    first_day = fy * 10000 + (3 * fq - 2) * 100 + 1
    last_day = y * 10000 + 3 * q * 100 + 31
    df = load(con, first_day, last_day)
    items, who = crossborder(df)

    # every figure, as vspreport aggregate computes them
    by_country_cat = figures(df, ["period", "country", "category"])
    by_country = figures(df, ["period", "country"])
    by_region_cat = figures(df, ["period", "category"])
    by_region = figures(df, ["period"])
    xb_country_cat = who.groupby(["period", "country", "item_category"]).size()
    xb_country = who.groupby(["period", "country"]).size()
    xb_region_cat = items.groupby(["period", "item_category"]).size()
    xb_region = items.groupby(["period"]).size()

    def pick(table, key):
        try:
            return table.loc[key]
        except KeyError:
            return None

    def count(series, key):
        try:
            return int(series.loc[key])
        except KeyError:
            return 0

    region_pop = sum(pop[c] for c in countries) if all(c in pop for c in countries) else None
    header = ["country", "period", "category", "received", "assessed", "forwarded", "actioned",
              "outcome_pending", "violation_rate", "action_rate", "population",
              "received_per100k", "forwarded_per100k", "actioned_per100k",
              "median_h_to_action", "p90_h_to_action", "n_to_action", "share_24h", "share_48h",
              "share_7d", "median_h_to_response", "p90_h_to_response", "n_to_response",
              "median_h_received_decided", "p90_h_received_decided", "n_received_decided",
              "median_h_decided_forwarded", "p90_h_decided_forwarded", "n_decided_forwarded",
              "median_h_received_outcome", "p90_h_received_outcome", "n_received_outcome",
              "median_d_to_action", "p90_d_to_action", "n_d_to_action", "share_d_1d",
              "share_d_2d", "share_d_7d", "median_d_to_response", "p90_d_to_response",
              "n_d_to_response", "median_d_received_decided", "p90_d_received_decided",
              "n_d_received_decided", "median_d_decided_forwarded", "p90_d_decided_forwarded",
              "n_d_decided_forwarded", "median_d_received_outcome", "p90_d_received_outcome",
              "n_d_received_outcome", "cohort_n", "cohort_1d", "cohort_2d", "cohort_7d",
              "cohort_14d", "cross_border_items", "data_as_of", "data_as_of_from",
              "provisional", "hours_from", "last_ingest"]
    print(",".join(header))
    if a.print_all:
        cats = ["*"] + sorted(r[0] for r in con.execute("SELECT code FROM category"))
        periods = [shift_quarter(a.period, n) for n in range(-7 if a.trend else 0, 1)]
        todo = [(P, K) for P in periods for K in cats]
    else:
        todo = [(a.period, a.category)]

    def f4(x):
        return "" if x is None or (isinstance(x, float) and np.isnan(x)) else "%.4f" % x

    def f2(x):
        # hours: a median or P90 of whole seconds is a multiple of 0.1 s;
        # snap to it and round half up to 2 decimals (as vspreport does)
        if x is None or (isinstance(x, float) and np.isnan(x)):
            return ""
        tenths = int(round(x * 36000.0))
        cents = (abs(tenths) + 180) // 360
        return "%s%d.%02d" % ("-" if tenths < 0 and cents else "", cents // 100, cents % 100)

    def f2d(x):
        # days: a median or P90 of whole days is a multiple of 0.1 day
        if x is None or (isinstance(x, float) and np.isnan(x)):
            return ""
        tenths = int(round(x * 10.0))
        return "%s%d.%d0" % ("-" if tenths < 0 else "", abs(tenths) // 10, abs(tenths) % 10)

    def ratio(a_, b_):
        return None if b_ == 0 else a_ / b_

    for (P, K) in todo:
        for c in countries + ["region"]:
            if c == "region":
                r = pick(by_region, P) if K == "*" else pick(by_region_cat, (P, K))
                xb = count(xb_region, P) if K == "*" else count(xb_region_cat, (P, K))
                p_ = region_pop
            else:
                r = pick(by_country, (P, c)) if K == "*" else pick(by_country_cat, (P, c, K))
                xb = count(xb_country, (P, c)) if K == "*" else count(xb_country_cat, (P, c, K))
                p_ = pop.get(c)
            v = {k: 0 for k in ["received", "assessed", "forwarded", "actioned", "outcome_pending",
                                 "w24", "w48", "w7d", "wd1", "wd2", "wd7", "coh_n", "coh1",
                                 "coh2", "coh7", "coh14"]}
            dur = {}
            for d in DURATIONS + ["d_" + x for x in DURATIONS]:
                dur[d] = (0, None, None)
            if r is not None:
                for k in v:
                    v[k] = int(r[k])
                for d in DURATIONS + ["d_" + x for x in DURATIONS]:
                    dur[d] = (int(r["n_" + d]), r["median_" + d], r["p90_" + d])
            n_ta = dur["to_action"][0]

            def per100k(x):
                return None if not p_ else x * 100000.0 / p_

            row = [c, P, K, v["received"], v["assessed"], v["forwarded"], v["actioned"],
                   v["outcome_pending"], f4(ratio(v["forwarded"], v["assessed"])),
                   f4(ratio(v["actioned"], v["forwarded"] - v["outcome_pending"])),
                   p_ if p_ else "", f4(per100k(v["received"])), f4(per100k(v["forwarded"])),
                   f4(per100k(v["actioned"])),
                   f2(dur["to_action"][1]), f2(dur["to_action"][2]), n_ta,
                   f4(ratio(v["w24"], n_ta)), f4(ratio(v["w48"], n_ta)), f4(ratio(v["w7d"], n_ta)),
                   f2(dur["to_response"][1]), f2(dur["to_response"][2]), dur["to_response"][0],
                   f2(dur["received_decided"][1]), f2(dur["received_decided"][2]),
                   dur["received_decided"][0],
                   f2(dur["decided_forwarded"][1]), f2(dur["decided_forwarded"][2]),
                   dur["decided_forwarded"][0],
                   f2(dur["received_outcome"][1]), f2(dur["received_outcome"][2]),
                   dur["received_outcome"][0]]
            n_da = dur["d_to_action"][0]
            row += [f2d(dur["d_to_action"][1]), f2d(dur["d_to_action"][2]), n_da,
                    f4(ratio(v["wd1"], n_da)), f4(ratio(v["wd2"], n_da)), f4(ratio(v["wd7"], n_da))]
            for d in ["d_to_response", "d_received_decided", "d_decided_forwarded",
                      "d_received_outcome"]:
                row += [f2d(dur[d][1]), f2d(dur[d][2]), dur[d][0]]
            # the cohort share within N days: only once the data are as of N
            # days after the period's end
            ao = as_of.get(c)
            end = quarter_end(P)
            lag = None if ao is None else ordinal_of(ao) - ordinal_of(end)
            row.append(v["coh_n"])
            for n in (1, 2, 7, 14):
                row.append("" if lag is None or lag < n else f4(ratio(v["coh%d" % n], v["coh_n"])))
            row.append(xb)
            if ao is None:
                row += ["", "", ""]
            else:
                whose = c if c != "region" else ";".join(
                    x for x in countries if as_of.get(x) == ao)
                # the period is provisional while outcomes are still arriving
                # (for the whole country: every category), or within 30 days
                whole = pick(by_region, P) if c == "region" else pick(by_country, (P, c))
                pending = int(whole["outcome_pending"]) if whole is not None else 0
                prov = 1 if pending > 0 or lag < 30 else 0
                row += ["%04d-%02d-%02d" % (ao // 10000, ao // 100 % 100, ao % 100), whose, prov]
            # whose hours the row pools: countries with a time to response in hours
            if c == "region":
                tbl = by_country if K == "*" else by_country_cat
                hf = [x for x in countries
                      if (lambda rr: rr is not None and int(rr["n_to_response"]) > 0)(
                          pick(tbl, (P, x) if K == "*" else (P, x, K)))]
                row.append(";".join(hf))
            else:
                row.append(c if dur["to_response"][0] > 0 else "")
            row.append(freeze)
            print(",".join(str(x) for x in row))
    return 0


if __name__ == "__main__":
    sys.exit(main())
