#!/usr/bin/python3
"""check_figures.py FIGURES.csv CODEBOOK.csv STATS.csv QUARTERS

Reads figures.csv back with pandas and checks it, independently of the C
code that wrote it:

 - the file: the contract's header, RFC 4180 CRLF line ends, no byte-order
   mark, rows sorted by (period, area, category, measure), no key twice;
 - the periods: exactly QUARTERS (comma-separated, the quarters from the
   first that holds a case to the last, worked out by the caller);
 - stats: every figure equals `vspreport stats --format csv` (STATS.csv:
   every period and category, one header) as text, every stats figure is
   in figures.csv (population: for the category '*' only), and so is the
   provisional flag of every area and period;
 - units and bases: unit as the codebook says; base_n recomputed from the
   counts of figures.csv by the codebook's base (e.g. action_rate:
   forwarded - outcome_pending);
 - totals: counts whose codebook says they add up do (the categories to
   '*', the six countries to the region), to the unit;
 - rates are never summed but recomputed: violation_rate = forwarded /
   assessed, action_rate = actioned / (forwarded - outcome_pending),
   X_per100k = X * 100000 / population, each to 4 decimals; a rate is
   empty exactly when its base is 0 (a cohort share also until it is
   due); fractions lie in 0..1; a median is
   at most its P90.

Prints one line per problem (at most 40) and exits 1 when there is any.
"""
import sys

import pandas as pd

COLUMNS = ["period", "area", "category", "measure", "value", "unit", "base_n",
           "provisional", "release"]
COUNTRIES = ["AL", "BA", "ME", "MK", "RS", "XK"]


def main():
    fig_path, cb_path, stats_path, quarters = sys.argv[1:5]
    problems = []

    def bad(msg):
        problems.append(msg)

    raw = open(fig_path, "rb").read()
    if raw.startswith(b"\xef\xbb\xbf"):
        bad("figures.csv starts with a byte-order mark")
    lines = raw.split(b"\r\n")
    if lines[-1] != b"":
        bad("figures.csv does not end with CRLF")
    if any(b"\n" in l or b"\r" in l for l in lines):
        bad("figures.csv has a line end other than CRLF")

    f = pd.read_csv(fig_path, dtype=str, keep_default_na=False)
    if list(f.columns) != COLUMNS:
        bad("columns %s, want %s" % (list(f.columns), COLUMNS))
        report(problems)
    cb = pd.read_csv(cb_path, dtype=str, keep_default_na=False).set_index("measure")
    st = pd.read_csv(stats_path, dtype=str, keep_default_na=False)

    keys = ["period", "area", "category", "measure"]
    if f.duplicated(keys).any():
        bad("keys twice: %s" % f[f.duplicated(keys)][keys].head(3).values.tolist())
    order = sorted(range(len(f)), key=lambda i: tuple(f.loc[i, k].encode() for k in keys))
    if order != list(range(len(f))):
        bad("rows are not sorted by period, area, category, measure")

    want_q = quarters.split(",")
    got_q = sorted(f["period"].unique())
    if got_q != sorted(want_q):
        bad("periods %s, want the quarters %s" % (got_q, want_q))

    # --- stats, figure by figure ---------------------------------------
    measures = list(cb.index)
    missing_cols = [m for m in measures if m not in st.columns]
    if missing_cols:
        bad("codebook measures not in stats: %s" % missing_cols)
    fi = f.set_index(keys)["value"].to_dict()
    fprov = f.groupby(["period", "area"])["provisional"].agg(lambda s: sorted(set(s)))
    seen = 0
    for _, row in st.iterrows():
        p, a, k = row["period"], row["country"], row["category"]
        for m in measures:
            if m not in st.columns:
                continue
            if cb.loc[m, "categories"] == "*" and k != "*":
                if (p, a, k, m) in fi:
                    bad("%s,%s,%s,%s: a '*'-only measure with a category row" % (p, a, k, m))
                if row[m] != fi.get((p, a, "*", m)):
                    bad("%s,%s,%s,%s: stats %r, figures '*' %r" % (p, a, k, m, row[m],
                                                                 fi.get((p, a, "*", m))))
                continue
            key = (p, a, k, m)
            if key not in fi:
                bad("%s: in stats (%r), not in figures.csv" % (",".join(key), row[m]))
            elif fi[key] != row[m]:
                bad("%s: figures.csv %r, stats %r" % (",".join(key), fi[key], row[m]))
            seen += 1
        pv = fprov.get((p, a))
        if pv != [row["provisional"]]:
            bad("%s,%s: provisional %s in figures.csv, stats %r" % (p, a, pv, row["provisional"]))
    if seen != len(f):
        bad("figures.csv has %d rows, stats gives %d figures" % (len(f), seen))

    # --- units and bases --------------------------------------------------
    units = f["measure"].map(cb["unit"])
    wrong = f[units != f["unit"]]
    for _, r in wrong.head(5).iterrows():
        bad("%s,%s,%s,%s: unit %s, codebook %s" % (r.period, r.area, r.category, r.measure,
                                                   r.unit, cb.loc[r.measure, "unit"]))

    def fig(p, a, k, m):
        v = fi.get((p, a, k, m), "")
        return None if v == "" else float(v)

    for _, r in f.iterrows():
        base = cb.loc[r.measure, "base"]
        if base == "":
            if r.base_n != "":
                bad("%s,%s,%s,%s: a count with base_n %r" % (r.period, r.area, r.category,
                                                             r.measure, r.base_n))
            continue
        parts = [x.strip() for x in base.split(" - ")]
        vals = [fig(r.period, r.area, "*" if x == "population" else r.category, x) for x in parts]
        want = "" if None in vals else "%d" % (vals[0] - sum(vals[1:]))
        if r.base_n != want:
            bad("%s,%s,%s,%s: base_n %r, %s gives %r" % (r.period, r.area, r.category, r.measure,
                                                         r.base_n, base, want))
        # a cohort share is also empty until it is due (codebook: "undefined until")
        due_later = "undefined until" in cb.loc[r.measure, "definition"]
        if r.unit == "fraction" and want != "" and (
                (int(want) == 0 and r.value != "") or
                (int(want) != 0 and r.value == "" and not due_later)):
            bad("%s,%s,%s,%s: value %r with base %s" % (r.period, r.area, r.category, r.measure,
                                                       r.value, want))
        if r.unit == "fraction" and r.value != "" and not 0 <= float(r.value) <= 1:
            bad("%s,%s,%s,%s: fraction %s outside 0..1" % (r.period, r.area, r.category,
                                                          r.measure, r.value))

    # --- totals -------------------------------------------------------------
    counts = f[f["unit"] == "count"].copy()
    counts["n"] = counts["value"].map(lambda v: None if v == "" else int(v))
    adds = cb["adds_up"]
    by_cat = [m for m in measures if "categories" in adds[m].split(";")]
    by_country = [m for m in measures if "countries" in adds[m].split(";")]
    c = counts[counts["measure"].isin(by_cat)]
    parts = c[c["category"] != "*"].groupby(["period", "area", "measure"])["n"].sum()
    total = c[c["category"] == "*"].set_index(["period", "area", "measure"])["n"]
    for key, t in total.items():
        if parts.get(key) != t:
            bad("%s,%s,*,%s: %s, but its categories sum to %s" % (key[0], key[1], key[2], t,
                                                                  parts.get(key)))
    c = counts[counts["measure"].isin(by_country)]
    parts = c[c["area"].isin(COUNTRIES)].groupby(["period", "category", "measure"])["n"].sum()
    total = c[c["area"] == "region"].set_index(["period", "category", "measure"])["n"]
    for key, t in total.items():
        if parts.get(key) != t:
            bad("%s,region,%s,%s: %s, but the six countries sum to %s" % (key[0], key[1], key[2],
                                                                          t, parts.get(key)))
    if not by_cat or not by_country:
        bad("the codebook names no measure that adds up")

    # --- rates, recomputed from the counts, never summed --------------------
    def rate(num, den):
        return "" if den == 0 else "%.4f" % (num / den)

    for (p, a, k), g in f.groupby(["period", "area", "category"]):
        v = dict(zip(g["measure"], g["value"]))
        n = {m: int(x) for m, x in v.items() if x != "" and cb.loc[m, "unit"] == "count"}
        pop = fig(p, a, "*", "population")
        need = ("received", "assessed", "forwarded", "actioned", "outcome_pending")
        if any(m not in n for m in need):
            bad("%s,%s,%s: counts missing: %s" % (p, a, k, [m for m in need if m not in n]))
            continue
        checks = {
            "violation_rate": rate(n["forwarded"], n["assessed"]),
            "action_rate": rate(n["actioned"], n["forwarded"] - n["outcome_pending"]),
        }
        for m in ("received", "forwarded", "actioned"):
            checks[m + "_per100k"] = "" if not pop else "%.4f" % (n[m] * 100000.0 / pop)
        for m, want in checks.items():
            if v.get(m) != want:
                bad("%s,%s,%s,%s: %r, recomputed from the counts %r" % (p, a, k, m, v.get(m), want))
        for m in v:
            if m.startswith("median_") and v[m] != "":
                p90 = v.get("p90_" + m[len("median_"):], "")
                if p90 == "" or float(v[m]) > float(p90):
                    bad("%s,%s,%s,%s: median %s above its P90 %r" % (p, a, k, m, v[m], p90))
    report(problems)


def report(problems):
    for p in problems[:40]:
        print(p)
    if len(problems) > 40:
        print("... and %d more" % (len(problems) - 40))
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
