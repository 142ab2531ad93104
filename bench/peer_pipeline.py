#!/usr/bin/python3
"""peer_pipeline.py - the whole quarter the way a user would otherwise do it:
pandas + matplotlib + XlsxWriter (the peer of `vspreport run`, for
bench/bench_pipeline.sh).

    /usr/bin/python3 bench/peer_pipeline.py --in IN --out OUT --period 2026Q3
        [--profiles profiles] [--po po] [--geojson FILE] [--k 5] [--manifest]

IN holds one sub-folder per regulator named like its profile
(IN/al-ama/*.csv ...), the input convention of `vspreport run`; OUT gets
the layout `vspreport run` writes (warehouse.db, charts/, workbooks/,
reports/, export/).  Stages,
each timed and printed as a line `stage <name> <wall s> <cpu s>`:

  ingest     every export read with its profile (bench/peer_profile.py:
             encoding, delimiter, header row, label tables, date formats,
             time zone -> UTC with tz_localize/tz_convert, content key from
             the URL by regex), rejects kept with their reason, duplicates
             within a file dropped, cases upserted into a SQLite warehouse
             with DataFrame.to_sql (file SHA-256 and provenance kept)
  aggregate  the figures of DESIGN section 5 for the period and the seven
             quarters before, per country and region, per category and all:
             counts, decisions, outcomes, rates, per 100 000, median / P90 /
             n of five durations (pandas' linear quantiles), shares within
             24 h / 48 h / 7 d, cross-border items and pairs, data quality;
             written back to the warehouse (agg_* tables)
  charts     the catalogue `vspreport charts` writes: per country funnel,
             categories, outcomes, timeliness, trend; for the region also
             countries, map (choropleth of western-balkans.geojson with
             matplotlib patches), heatmap, crossborder; every language
             (strings from the po/ catalogues) as PNG (1920x1080), SVG and
             PDF, each with its data as CSV.  A figure is built once and saved
             to the three formats.
  workbooks  one XLSX per edition (each regulator in its language and English,
             the region in English and every language) with XlsxWriter: About,
             Summary, Funnel, Categories, Outcomes, Timeliness, Trend
             (region: Countries, Cross-border), Data quality; native charts,
             frozen headers, filters, number formats, document properties
  reports    one PDF per edition with matplotlib's PdfPages: cover, contents,
             key figures, then one page per section with its chart and
             table, data quality, methodology, glossary, input files
  export     the research export of the period: HMAC-SHA-256 pseudonyms
             (hmac.digest), months, k-anonymity (classes under k generalised
             to the quarter, then suppressed), CSV (BOM, CRLF, formulas
             neutralised) + XLSX in constant_memory mode + dictionary +
             anonymisation report
  manifest   (with --manifest, as `vspreport run` writes one) SHA-256, size
             and kind of every output and input in OUT/manifest.json

SOURCE_DATE_EPOCH pins the data freeze and document dates; VSP_EXPORT_KEY is
the pseudonym key (else a random one).  What is not equivalent is listed in
bench/bench_pipeline.sh.
"""

import argparse
import csv
import datetime as dt
import glob
import hashlib
import hmac
import io
import json
import os
import secrets
import sqlite3
import sys
import time

import numpy as np
import pandas as pd

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.backends.backend_pdf import PdfPages  # noqa: E402
from matplotlib.collections import PolyCollection  # noqa: E402
import xlsxwriter  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import peer_profile as pp  # noqa: E402

COUNTRIES = ["AL", "BA", "ME", "MK", "RS", "XK"]
LANGS = ["en", "sq", "sr", "sr-Latn", "mk", "bs", "cnr"]
CATEGORIES = pp.CODES["category"]
DECISIONS = pp.CODES["decision"]
OUTCOMES = pp.CODES["outcome"]
ACTIONED = ["removed", "geo_blocked", "age_restricted", "account_suspended", "account_banned"]
DURATIONS = ["received_decided", "decided_forwarded", "to_action", "to_response",
             "received_outcome"]
DSA = {"piracy": "INTELLECTUAL_PROPERTY_INFRINGEMENTS", "minors": "PROTECTION_OF_MINORS",
       "csam": "PROTECTION_OF_MINORS", "hate": "ILLEGAL_OR_HARMFUL_SPEECH",
       "violence": "VIOLENCE", "terrorism": "RISK_FOR_PUBLIC_SECURITY",
       "sexual": "OTHER_VIOLATION_TC", "bullying": "CYBER_VIOLENCE", "self_harm": "SELF_HARM",
       "fraud": "SCAMS_AND_FRAUD", "disinfo": "NEGATIVE_EFFECTS_ON_CIVIC_DISCOURSE_OR_ELECTIONS",
       "privacy": "DATA_PROTECTION_AND_PRIVACY_VIOLATIONS", "commercial": "CONSUMER_INFORMATION",
       "other": "NOT_SPECIFIED_NOTICE"}
POPULATION = {  # latest census of each country (DESIGN section 5)
    "AL": (2402113, 2023, "INSTAT, Population and Housing Census 2023"),
    "BA": (3531159, 2013, "Agency for Statistics of BiH, Census 2013"),
    "ME": (623633, 2023, "MONSTAT, Census 2023"),
    "MK": (1836713, 2021, "State Statistical Office, Census 2021"),
    "RS": (6647003, 2022, "Statistical Office of the Republic of Serbia, Census 2022"),
    "XK": (1586659, 2024, "Kosovo Agency of Statistics, Census 2024"),
}
EN = {
    "country": {"AL": "Albania", "BA": "Bosnia and Herzegovina", "ME": "Montenegro",
                "MK": "North Macedonia", "RS": "Serbia", "XK": "Kosovo",
                "HR": "Croatia", "SI": "Slovenia", "HU": "Hungary", "RO": "Romania",
                "BG": "Bulgaria", "GR": "Greece", "IT": "Italy", "region": "Western Balkans"},
    "category": {"piracy": "Audiovisual piracy", "minors": "Harmful to minors",
                 "csam": "Child sexual abuse material", "hate": "Hate speech",
                 "violence": "Violence", "terrorism": "Terrorist content",
                 "sexual": "Sexual content", "bullying": "Harassment and bullying",
                 "self_harm": "Self-harm and suicide", "fraud": "Scams and fraud",
                 "disinfo": "Disinformation", "privacy": "Privacy violations",
                 "commercial": "Hidden advertising", "other": "Other or not specified",
                 "*": "All categories"},
    "decision": {"forwarded": "Forwarded to the platform", "no_violation": "No violation",
                 "out_of_remit": "Outside the regulator's remit",
                 "insufficient_info": "Insufficient information", "duplicate": "Duplicate",
                 "pending": "Pending"},
    "outcome": {"removed": "Removed", "geo_blocked": "Blocked in the country",
                "age_restricted": "Age-restricted", "account_suspended": "Account suspended",
                "account_banned": "Account banned", "declined": "Declined",
                "already_unavailable": "Already unavailable", "pending": "Pending"},
    "stage": {"received_decided": "Received → decided", "decided_forwarded": "Decided → forwarded",
              "to_action": "Forwarded → actioned", "to_response": "Forwarded → platform response",
              "received_outcome": "Received → outcome"},
}
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
BLUE, SKY, VERMILLION, GREEN, ORANGE, YELLOW, PURPLE, GREY = (
    "#0072B2", "#56B4E9", "#D55E00", "#009E73", "#E69F00", "#F0E442", "#CC79A7", "#999999")
SERIES = [("received", SKY), ("forwarded", VERMILLION), ("actioned", BLUE)]
SERIES_NAME = {"received": "Received", "forwarded": "Forwarded to the platform",
               "actioned": "Actioned by the platform", "assessed": "Assessed"}
OUTCOME_COLOURS = [BLUE, SKY, GREEN, PURPLE, "#882255", VERMILLION, ORANGE, "#CCCCCC"]
MAP_BINS = ["#DEEBF7", "#9ECAE1", "#6BAED6", "#2171B5", "#08519C"]

plt.rcParams.update({"font.family": ["Noto Sans", "DejaVu Sans"], "svg.hashsalt": "vsp",
                     "pdf.compression": 6})


# ---------------------------------------------------------------------------
# small things: periods, translations, numbers, timing
# ---------------------------------------------------------------------------

def quarter_shift(label, n):
    y, q = int(label[:4]), int(label[5])
    i = y * 4 + q - 1 + n
    return "%04dQ%d" % (i // 4, i % 4 + 1)


def quarter_days(label):
    y, q = int(label[:4]), int(label[5])
    end = {1: 331, 2: 630, 3: 930, 4: 1231}[q]
    return y * 10000 + (3 * q - 2) * 100 + 1, y * 10000 + end


class Tr:
    """A language: the po/ catalogue (msgctxt, msgid) -> msgstr, read with a
    minimal parser, and number formatting from its 'number' context."""

    def __init__(self, lang, po_dir):
        self.lang = lang
        self.cat = {}
        if lang != "en":
            self._read(os.path.join(po_dir, lang + ".po"))
        self.dec = self.get("number", ".")
        self.sep = self.get("number", ",")
        self.pct_pat = self.get("number", "{n}%")
        self.h_pat = self.get("number", "{n} h")

    def _read(self, path):
        cur = None
        entry = {}
        with open(path, encoding="utf-8") as f:
            for line in f:
                line = line.strip()
                if line.startswith("msgctxt "):
                    entry = {"msgctxt": line[8:].strip()[1:-1]}
                    cur = "msgctxt"
                elif line.startswith("msgid "):
                    entry.setdefault("msgctxt", "")
                    entry["msgid"] = line[6:].strip()[1:-1]
                    cur = "msgid"
                elif line.startswith("msgstr "):
                    entry["msgstr"] = line[7:].strip()[1:-1]
                    cur = "msgstr"
                elif line.startswith('"') and cur:
                    entry[cur] = entry.get(cur, "") + line[1:-1]
                elif not line and "msgstr" in entry:
                    self._add(entry)
                    entry, cur = {}, None
        if "msgstr" in entry:
            self._add(entry)

    def _add(self, e):
        un = lambda s: s.replace('\\"', '"').replace("\\n", "\n").replace("\\\\", "\\")  # noqa
        if e.get("msgstr"):
            self.cat[(e.get("msgctxt", ""), un(e["msgid"]))] = un(e["msgstr"])

    def get(self, ctx, msgid, **kw):
        s = self.cat.get((ctx, msgid), msgid)
        for k, v in kw.items():
            s = s.replace("{" + k + "}", str(v))
        return s

    def name(self, kind, code):
        return self.get(kind, EN[kind][code])

    def int(self, n):
        return "{:,.0f}".format(n).replace(",", self.sep) if n == n else "–"

    def num(self, x, d=1):
        if x is None or x != x:
            return "–"
        return "{:,.{d}f}".format(x, d=d).replace(",", "\x00").replace(".", self.dec) \
            .replace("\x00", self.sep)

    def pct(self, x, d=0):
        return "–" if x is None or x != x else self.pct_pat.replace("{n}", self.num(100 * x, d))

    def hours(self, x):
        if x is None or x != x:
            return "–"
        return self.h_pat.replace("{n}", self.num(x, 1 if x < 10 else 0))

    def period(self, label):
        return self.get("period", "Q{n} {year}", n=label[5], year=label[:4])

    def date(self, d):
        return self.get("date", "{day} {month} {year}", day=d.day,
                        month=self.get("month", MONTHS[d.month - 1]), year=d.year)


class Stages:
    def __init__(self):
        self.times = []

    def run(self, name, fn, *a):
        w0, c0 = time.perf_counter(), time.process_time()
        r = fn(*a)
        w, c = time.perf_counter() - w0, time.process_time() - c0
        self.times.append((name, w, c))
        print("stage %s %.3f %.3f" % (name, w, c), flush=True)
        return r


def fnum(v):
    return 0 if v is None or v != v else v


# ---------------------------------------------------------------------------
# ingest
# ---------------------------------------------------------------------------

CASE_COLUMNS = ["country", "case_id", "platform", "item_kind", "content_url", "content_key",
                "category", "national_label", "legal_basis",
                "received_ts", "received_day", "received_prec", "decided_ts", "decided_day",
                "decided_prec", "forwarded_ts", "forwarded_day", "forwarded_prec",
                "outcome_ts", "outcome_day", "outcome_prec", "decision", "outcome", "channel",
                "reporter_name", "reporter_email", "reporter_phone", "account_handle", "notes"]


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for b in iter(lambda: f.read(1 << 20), b""):
            h.update(b)
    return h.hexdigest()


def ingest(ctx):
    con = ctx.con
    con.executescript("""
        PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;
        CREATE TABLE IF NOT EXISTS ingest_run (id INTEGER PRIMARY KEY, file_name TEXT, profile TEXT,
            country TEXT, sha256 TEXT, file_size INTEGER, finished_at TEXT, rows_read INTEGER,
            blank_lines INTEGER, rows_new INTEGER, rows_updated INTEGER, rows_unchanged INTEGER,
            rows_duplicate INTEGER, rows_rejected INTEGER);
        CREATE TABLE IF NOT EXISTS reject (run_id INTEGER, line INTEGER, field TEXT, reason TEXT);
    """)
    ctx.inputs = []
    for sub in sorted(os.listdir(ctx.inp)):
        folder = os.path.join(ctx.inp, sub)
        if not os.path.isdir(folder):
            continue
        own = glob.glob(os.path.join(folder, "*.ini"))
        prof = pp.Profile(own[0] if own else os.path.join(ctx.profiles, sub + ".ini"))
        ctx.profile[prof.country] = prof
        for path in sorted(glob.glob(os.path.join(folder, "*.csv"))):
            digest = sha256_file(path)
            ctx.inputs.append((path, digest, os.path.getsize(path)))
            if con.execute("SELECT 1 FROM ingest_run WHERE sha256 = ?", (digest,)).fetchone():
                continue  # unchanged input: not re-ingested
            raw = pp.read_export(path, prof)
            cases, rejects, blank = pp.canonical(raw, prof)
            dup = cases.duplicated(subset=["case_id"], keep="last")
            cases = cases[~dup]
            # upsert: a digest of the canonical fields against what is stored
            cases = cases.assign(row_hash=pd.util.hash_pandas_object(
                cases[CASE_COLUMNS], index=False).astype(np.int64))
            stored = pd.DataFrame({"case_id": pd.Series([], dtype=object),
                                   "old_hash": pd.Series([], dtype=np.float64)})
            if con.execute("SELECT 1 FROM sqlite_master WHERE name = 'case_record'").fetchone():
                stored = pd.read_sql_query("SELECT case_id, row_hash AS old_hash FROM case_record"
                                           " WHERE country = ?", con, params=(prof.country,))
            m = cases.merge(stored, on="case_id", how="left")
            new = m["old_hash"].isna()
            changed = ~new & (m["old_hash"] != m["row_hash"])
            cur = con.execute(
                "INSERT INTO ingest_run(file_name, profile, country, sha256, file_size, finished_at,"
                " rows_read, blank_lines, rows_new, rows_updated, rows_unchanged, rows_duplicate,"
                " rows_rejected) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (os.path.basename(path), prof.name, prof.country, digest, os.path.getsize(path),
                 ctx.freeze_iso, len(raw) - blank, blank, int(new.sum()), int(changed.sum()),
                 int((~new & ~changed).sum()), int(dup.sum()), len(rejects)))
            run_id = cur.lastrowid
            if len(changed) and changed.any():
                con.executemany("DELETE FROM case_record WHERE country = ? AND case_id = ?",
                                [(prof.country, c) for c in m.loc[changed, "case_id"]])
            out = m.loc[new | changed, CASE_COLUMNS + ["line", "row_hash"]]
            out = out.assign(run_id=run_id)
            out.to_sql("case_record", con, if_exists="append", index=False, chunksize=20000)
            rejects.assign(run_id=run_id).to_sql("reject", con, if_exists="append", index=False)
            con.commit()
    con.executescript("""
        CREATE UNIQUE INDEX IF NOT EXISTS case_key ON case_record(country, case_id);
        CREATE INDEX IF NOT EXISTS case_content ON case_record(content_key);
        CREATE INDEX IF NOT EXISTS case_day ON case_record(received_day);
    """)
    con.commit()


# ---------------------------------------------------------------------------
# aggregate
# ---------------------------------------------------------------------------

def figures(df, keys):
    g = df.groupby(keys, sort=False)
    out = g.agg(received=("country", "size"), assessed=("assessed", "sum"),
                forwarded=("forwarded", "sum"), actioned=("actioned", "sum"),
                outcome_pending=("outcome_pending", "sum"), w24=("w24", "sum"),
                w48=("w48", "sum"), w7d=("w7d", "sum"))
    for d in DURATIONS:
        q = g[d].quantile([0.5, 0.9]).unstack()
        out["h_%s_median" % d] = q[0.5]
        out["h_%s_p90" % d] = q[0.9]
        out["h_%s_n" % d] = g[d].count()
    dec = df.groupby(keys + ["decision"], sort=False).size().unstack(fill_value=0)
    out = out.join(dec.add_prefix("decision_"))
    oc = df[df["forwarded"]].groupby(keys + ["outcome_f"], sort=False).size() \
        .unstack(fill_value=0)
    out = out.join(oc.add_prefix("outcome_").drop(columns=["outcome_pending"], errors="ignore"))
    return out


def aggregate(ctx):
    con = ctx.con
    periods = [quarter_shift(ctx.period, -n) for n in range(7, -1, -1)]
    first, _ = quarter_days(periods[0])
    _, last = quarter_days(periods[-1])
    df = pd.read_sql_query(
        "SELECT country, case_id, category, decision, outcome, content_key, received_day,"
        " received_ts, decided_ts, forwarded_ts, outcome_ts, run_id FROM case_record"
        " WHERE received_day BETWEEN ? AND ?", con, params=(first, last))
    day = df["received_day"].astype(np.int64)
    df["period"] = (day // 10000).astype(str) + "Q" + ((day // 100 % 100 - 1) // 3 + 1).astype(str)
    fwd = df["decision"] == "forwarded"
    df["assessed"] = df["decision"] != "pending"
    df["forwarded"] = fwd
    df["outcome_f"] = df["outcome"].fillna("pending")
    df["outcome_pending"] = fwd & (df["outcome_f"] == "pending")
    final = fwd & (df["outcome_f"] != "pending")
    df["actioned"] = fwd & df["outcome"].isin(ACTIONED)

    def hours(end, start, mask):
        h = (df[end] - df[start]) / 3600.0
        return h.where(mask & (h >= 0))

    allrows = pd.Series(True, index=df.index)
    df["received_decided"] = hours("decided_ts", "received_ts", allrows)
    df["decided_forwarded"] = hours("forwarded_ts", "decided_ts", allrows)
    df["to_action"] = hours("outcome_ts", "forwarded_ts", df["actioned"])
    df["to_response"] = hours("outcome_ts", "forwarded_ts", final)
    df["received_outcome"] = hours("outcome_ts", "received_ts", final)
    ta = df["to_action"]
    df["w24"], df["w48"], df["w7d"] = ta <= 24, ta <= 48, ta <= 168

    parts = []
    for keys, fixed in ((["period", "country", "category"], {}),
                        (["period", "country"], {"category": "*"}),
                        (["period", "category"], {"country": "region"}),
                        (["period"], {"country": "region", "category": "*"})):
        f = figures(df, keys).reset_index()
        for k, v in fixed.items():
            f[k] = v
        parts.append(f)
    fig = pd.concat(parts, ignore_index=True).set_index(["period", "country", "category"])
    full = pd.MultiIndex.from_product([periods, COUNTRIES + ["region"], CATEGORIES + ["*"]],
                                      names=["period", "country", "category"])
    fig = fig.reindex(full)
    counts = [c for c in fig.columns if not c.startswith("h_") or c.endswith("_n")]
    fig[counts] = fig[counts].fillna(0)
    for c in ["decision_" + d for d in DECISIONS] + ["outcome_" + o for o in OUTCOMES]:
        if c not in fig:
            fig[c] = 0.0
    fig["violation_rate"] = fig["forwarded"] / fig["assessed"].replace(0, np.nan)
    fig["action_rate"] = fig["actioned"] / (fig["forwarded"] - fig["outcome_pending"]).replace(0, np.nan)
    ctry = fig.index.get_level_values("country")
    pop = pd.Series({c: v[0] for c, v in POPULATION.items()})
    pop["region"] = pop.sum()
    fig["population"] = ctry.map(pop).astype(float)
    for m in ("received", "forwarded", "actioned"):
        fig[m + "_per100k"] = fig[m] * 100000.0 / fig["population"]
    n = fig["h_to_action_n"].replace(0, np.nan)
    fig["share_24h"], fig["share_48h"], fig["share_7d"] = fig["w24"] / n, fig["w48"] / n, fig["w7d"] / n

    # cross-border items: a content key reported in two or more countries
    k = df[df["content_key"].notna()]
    nc = k.groupby(["period", "content_key"])["country"].nunique()
    keys = nc[nc >= 2].reset_index()[["period", "content_key"]]
    rows = k.merge(keys, on=["period", "content_key"])
    rows["cat_id"] = rows["category"].map({c: i for i, c in enumerate(CATEGORIES)})
    firsts = rows.sort_values(["received_ts", "country", "cat_id"]).groupby(
        ["period", "content_key"], sort=False).head(1)
    items = firsts[["period", "content_key", "category", "received_day"]].rename(
        columns={"category": "item_category"})
    who = rows[["period", "content_key", "country"]].drop_duplicates().merge(
        items, on=["period", "content_key"])
    lists = who.sort_values("country").groupby(["period", "content_key"])["country"].agg(",".join)
    items = items.merge(lists.rename("countries").reset_index(), on=["period", "content_key"])
    items["n_countries"] = items["countries"].str.count(",") + 1
    items = items.sort_values(["period", "n_countries", "received_day"],
                              ascending=[True, False, True])
    items["item"] = items.groupby("period").cumcount() + 1
    pairs = who.merge(who, on=["period", "content_key", "item_category", "received_day"])
    pairs = pairs[pairs["country_x"] < pairs["country_y"]]
    pc = pairs.groupby(["period", "country_x", "country_y", "item_category"]).size()
    pall = pairs.groupby(["period", "country_x", "country_y"]).size()
    pair_tab = pd.concat([pc.reset_index(name="items"),
                          pall.reset_index(name="items").assign(item_category="*")])
    pair_tab.columns = ["period", "country_a", "country_b", "category", "items"]
    xb = pd.concat([
        who.groupby(["period", "country", "item_category"]).size(),
        who.groupby(["period", "country"]).size().rename(lambda x: x).to_frame(0)
        .assign(item_category="*").set_index("item_category", append=True)[0],
        items.groupby(["period", "item_category"]).size().to_frame(0).assign(country="region")
        .set_index("country", append=True).reorder_levels([0, 2, 1])[0],
        items.groupby(["period"]).size().to_frame(0).assign(country="region", item_category="*")
        .set_index(["country", "item_category"], append=True)[0]])
    xb.index.names = ["period", "country", "category"]
    fig["cross_border_items"] = xb.reindex(fig.index).fillna(0)
    fig = fig.drop(columns=["w24", "w48", "w7d"])

    # data quality: the runs that brought the cases of the period
    quality = pd.read_sql_query("SELECT * FROM ingest_run", con)
    cur = df[df["period"] == ctx.period].groupby("run_id").size()
    quality["cases"] = quality["id"].map(cur).fillna(0).astype(int)
    reasons = pd.read_sql_query("SELECT run_id, reason, count(*) AS rows FROM reject"
                                " GROUP BY run_id, reason", con)

    # into the warehouse, as the renderers of vspreport read them
    long = fig.reset_index().melt(id_vars=["period", "country", "category"], var_name="metric")
    con.execute("DROP TABLE IF EXISTS agg_metric")
    long.to_sql("agg_metric", con, index=False, chunksize=20000)
    items.drop(columns=["content_key"]).to_sql("agg_crossborder", con, index=False,
                                               if_exists="replace")
    pair_tab.to_sql("agg_crossborder_pair", con, index=False, if_exists="replace")
    quality.to_sql("agg_quality", con, index=False, if_exists="replace")
    con.commit()
    ctx.fig = fig
    ctx.F = fig.to_dict("index")
    ctx.items = items[items["period"] == ctx.period]
    ctx.pairs = pair_tab[pair_tab["period"] == ctx.period]
    ctx.quality = quality
    ctx.reasons = reasons
    ctx.periods = periods


# ---------------------------------------------------------------------------
# chart data (shared by charts, workbooks and reports)
# ---------------------------------------------------------------------------

def m(ctx, c, metric, cat="*", period=None):
    return fnum(ctx.F[(period or ctx.period, c, cat)][metric])


def mv(ctx, c, metric, cat="*", period=None):
    """Like m() but keeps NaN (undefined figures)."""
    return ctx.F[(period or ctx.period, c, cat)][metric]


def top_categories(ctx, c):
    cats = [k for k in CATEGORIES if m(ctx, c, "received", k) > 0]
    return sorted(cats, key=lambda k: -m(ctx, c, "received", k))


def chart_rows(ctx, chart, c, tr):
    """The data of one chart as (table, key, label, metric, value) rows: the
    CSV beside each chart, and the tables of workbooks and reports."""
    rows = []
    if chart == "funnel":
        prev = None
        for s in ("received", "assessed", "forwarded", "actioned"):
            v = m(ctx, c, s)
            rows.append(("stage", s, tr.get("stage", SERIES_NAME[s]), "count", v))
            rows.append(("stage", s, tr.get("stage", SERIES_NAME[s]), "share_of_previous",
                         v / prev if prev else None))
            prev = v
    elif chart == "categories":
        for k in top_categories(ctx, c):
            for s, _ in SERIES:
                rows.append(("category", k, tr.name("category", k), s, m(ctx, c, s, k)))
    elif chart == "outcomes":
        cats = ["*"] + sorted([k for k in CATEGORIES if m(ctx, c, "forwarded", k) > 0],
                              key=lambda k: -m(ctx, c, "forwarded", k))
        for k in cats:
            rows.append(("category", k, tr.name("category", k), "forwarded",
                         m(ctx, c, "forwarded", k)))
            for o in OUTCOMES:
                mm = "outcome_pending" if o == "pending" else "outcome_" + o
                rows.append(("category", k, tr.name("category", k), "outcome_" + o,
                             m(ctx, c, mm, k)))
    elif chart == "timeliness":
        for d in DURATIONS:
            for q in ("median", "p90", "n"):
                rows.append(("stage", d, tr.get("stage", EN["stage"][d]), q,
                             mv(ctx, c, "h_%s_%s" % (d, q))))
        for s, lab in (("share_24h", "Within 24 hours"), ("share_48h", "Within 48 hours"),
                       ("share_7d", "Within 7 days")):
            rows.append(("share", s, tr.get("stage", lab), "share", mv(ctx, c, s)))
    elif chart == "trend":
        for p in ctx.periods:
            for s, _ in SERIES:
                rows.append(("period", p, tr.period(p), s, m(ctx, c, s, period=p)))
    elif chart in ("countries", "map"):
        order = sorted(COUNTRIES, key=lambda x: -m(ctx, x, "received_per100k"))
        for x in (order if chart == "countries" else COUNTRIES):
            ms = (["received_per100k", "forwarded_per100k", "actioned_per100k", "received",
                   "forwarded", "actioned", "population"] if chart == "countries"
                  else ["received_per100k", "received", "population"])
            for mm in ms:
                rows.append(("country", x, tr.name("country", x), mm, m(ctx, x, mm)))
    elif chart == "heatmap":
        for k in top_categories(ctx, "region"):
            for x in COUNTRIES + ["region"]:
                rows.append(("category", k, tr.name("category", k), x, m(ctx, x, "received", k)))
    elif chart == "crossborder":
        by = ctx.items.groupby("item_category").size().sort_values(ascending=False)
        for k, v in by.items():
            rows.append(("category", k, tr.name("category", k), "items", v))
        pa = ctx.pairs[ctx.pairs["category"] == "*"].sort_values("items", ascending=False)
        for a, b, v in zip(pa["country_a"], pa["country_b"], pa["items"]):
            rows.append(("pair", a + "-" + b, "%s – %s" % (tr.name("country", a),
                                                          tr.name("country", b)), "items", v))
    return rows


def rows_by(rows, table):
    """rows of one table -> ordered {key: (label, {metric: value})}"""
    out = {}
    for t, k, lab, mm, v in rows:
        if t == table:
            out.setdefault(k, (lab, {}))[1][mm] = v
    return out


# ---------------------------------------------------------------------------
# charts: each draw_* draws into a box of a figure, at a font scale
# ---------------------------------------------------------------------------

def style(ax, s, grid="x"):
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.tick_params(labelsize=15 * s)
    if grid:
        getattr(ax, grid + "axis").grid(True, color="#dddddd")
        ax.set_axisbelow(True)


def legend(fig, box, items, s):
    x0, y0, w, h = box
    handles = [plt.Rectangle((0, 0), 1, 1, color=col) for _, col in items]
    fig.legend(handles, [lab for lab, _ in items], loc="lower left",
               bbox_to_anchor=(x0, y0 + h), ncol=min(len(items), 4), fontsize=15 * s,
               frameon=False)


def draw_funnel(fig, box, rows, tr, s):
    x0, y0, w, h = box
    ax = fig.add_axes([x0 + 0.18 * w, y0, 0.8 * w, h])
    st = rows_by(rows, "stage")
    vals = [st[k][1]["count"] for k in st]
    mx = max(vals + [1])
    labels = [st[k][0] for k in st]
    cols = [SKY, GREY, VERMILLION, BLUE]
    ys = list(range(len(vals)))
    ax.barh(ys, vals, left=[(mx - v) / 2 for v in vals], color=cols, height=0.7)
    prevs = ["", "{pct} of received", "{pct} of assessed", "{pct} of forwarded"]
    for y, v, (k, (lab, d)), p in zip(ys, vals, st.items(), prevs):
        ax.text(mx * 1.02, y, tr.int(v), va="center", fontsize=20 * s, fontweight="bold")
        if p and d.get("share_of_previous") is not None:
            ax.text(mx * 1.02, y + 0.3, tr.get("funnel", p, pct=tr.pct(d["share_of_previous"])),
                    va="center", fontsize=13 * s, color="#555555")
    ax.set_yticks(ys)
    ax.set_yticklabels(labels, fontsize=17 * s)
    ax.invert_yaxis()
    ax.set_xlim(0, mx * 1.25)
    ax.set_xticks([])
    for side in ("top", "right", "bottom", "left"):
        ax.spines[side].set_visible(False)


def hbars(ax, labels, series, colours, tr, s, fmt=None):
    n = len(labels)
    hgt = 0.8 / max(len(series), 1)
    for i, (vals, col) in enumerate(zip(series, colours)):
        ys = [g + (i - (len(series) - 1) / 2) * hgt for g in range(n)]
        bars = ax.barh(ys, vals, height=hgt * 0.92, color=col)
        ax.bar_label(bars, labels=[(fmt or tr.int)(v) for v in vals], padding=4,
                     fontsize=13 * s, fontweight="bold")
    ax.set_yticks(range(n))
    ax.set_yticklabels(labels, fontsize=15 * s)
    ax.invert_yaxis()


def draw_categories(fig, box, rows, tr, s):
    x0, y0, w, h = box
    cats = rows_by(rows, "category")
    keys = list(cats)
    shown, rest = keys[:5], keys[5:]
    labels = [cats[k][0] for k in shown]
    series = [[cats[k][1][m_] for k in shown] for m_, _ in SERIES]
    if rest:
        labels.append(tr.get("chart", "All other categories ({n})", n=len(rest)))
        for i, (m_, _) in enumerate(SERIES):
            series[i].append(sum(cats[k][1][m_] for k in rest))
    ax = fig.add_axes([x0 + 0.22 * w, y0, 0.74 * w, h * 0.9])
    hbars(ax, labels, series, [c for _, c in SERIES], tr, s)
    style(ax, s)
    ax.set_xlabel(tr.get("axis", "Reports"), fontsize=14 * s, loc="right")
    legend(fig, (x0, y0, w, h * 0.92), [(tr.get("series", SERIES_NAME[m_]), c)
                                         for m_, c in SERIES], s)


def draw_outcomes(fig, box, rows, tr, s):
    x0, y0, w, h = box
    cats = rows_by(rows, "category")
    ax = fig.add_axes([x0 + 0.2 * w, y0, 0.7 * w, h * 0.85])
    keys = list(cats)
    left = np.zeros(len(keys))
    for o, col in zip(OUTCOMES, OUTCOME_COLOURS):
        tot = np.array([max(cats[k][1]["forwarded"], 1) for k in keys], dtype=float)
        v = np.array([cats[k][1]["outcome_" + o] for k in keys], dtype=float) / tot
        ax.barh(range(len(keys)), v, left=left, color=col, height=0.7,
                label=tr.name("outcome", o))
        left += v
    for i, k in enumerate(keys):
        ax.text(1.02, i, "n = " + tr.int(cats[k][1]["forwarded"]), va="center", fontsize=12 * s)
    ax.set_yticks(range(len(keys)))
    ax.set_yticklabels([cats[k][0] for k in keys], fontsize=13 * s)
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xticks([0, .25, .5, .75, 1])
    ax.set_xticklabels([tr.pct(x) for x in (0, .25, .5, .75, 1)])
    style(ax, s)
    legend(fig, (x0, y0, w, h * 0.87), [(tr.name("outcome", o), c)
                                         for o, c in zip(OUTCOMES, OUTCOME_COLOURS)], s * 0.85)


def draw_timeliness(fig, box, rows, tr, s):
    x0, y0, w, h = box
    st = rows_by(rows, "stage")
    ax = fig.add_axes([x0 + 0.22 * w, y0 + 0.06 * h, 0.4 * w, h * 0.84])
    labels = [st[k][0] + "\nn = " + tr.int(fnum(st[k][1]["n"])) for k in st]
    med = [fnum(st[k][1]["median"]) for k in st]
    p90 = [fnum(st[k][1]["p90"]) for k in st]
    hbars(ax, labels, [med, p90], [BLUE, SKY], tr, s, fmt=tr.hours)
    style(ax, s)
    ax.set_xlabel(tr.get("axis", "Hours"), fontsize=14 * s, loc="right")
    legend(fig, (x0, y0, w, h * 0.9), [(tr.get("series", "Median"), BLUE),
                                        (tr.get("series", "90th percentile"), SKY)], s)
    sh = rows_by(rows, "share")
    ax2 = fig.add_axes([x0 + 0.7 * w, y0 + 0.06 * h, 0.28 * w, h * 0.78])
    vals = [fnum(sh[k][1]["share"]) for k in sh]
    bars = ax2.bar(range(len(vals)), vals, color=GREEN, width=0.6)
    ax2.bar_label(bars, labels=[tr.pct(v) for v in vals], fontsize=14 * s, fontweight="bold")
    ax2.set_xticks(range(len(vals)))
    ax2.set_xticklabels([sh[k][0] for k in sh], fontsize=12 * s)
    ax2.set_yticks([])
    ax2.set_ylim(0, 1.1)
    style(ax2, s, grid=None)
    ax2.spines["left"].set_visible(False)
    ax2.set_title(tr.get("chart", "Share of actioned items, by time to action"),
                  fontsize=15 * s, fontweight="bold", loc="left")


def draw_trend(fig, box, rows, tr, s):
    x0, y0, w, h = box
    per = rows_by(rows, "period")
    ax = fig.add_axes([x0 + 0.06 * w, y0 + 0.06 * h, 0.9 * w, h * 0.82])
    xs = range(len(per))
    for m_, col in SERIES:
        v = [per[p][1][m_] for p in per]
        ax.plot(xs, v, color=col, marker="o", linewidth=3 * s, markersize=8 * s)
        for x, y in zip(xs, v):
            ax.annotate(tr.int(y), (x, y), textcoords="offset points", xytext=(0, 8 * s),
                        ha="center", fontsize=12 * s,
                        bbox=dict(boxstyle="square,pad=0.1", fc="white", ec="none"))
    ax.set_xticks(list(xs))
    ax.set_xticklabels([per[p][0] for p in per], fontsize=13 * s)
    ax.set_ylim(bottom=0)
    style(ax, s, grid="y")
    legend(fig, (x0, y0, w, h * 0.9), [(tr.get("series", SERIES_NAME[m_]), c)
                                        for m_, c in SERIES], s)


def draw_countries(fig, box, rows, tr, s):
    x0, y0, w, h = box
    cs = rows_by(rows, "country")
    ax = fig.add_axes([x0 + 0.2 * w, y0 + 0.05 * h, 0.76 * w, h * 0.85])
    labels = [cs[k][0] for k in cs]
    series = [[cs[k][1][m_ + "_per100k"] for k in cs] for m_, _ in SERIES]
    counts = [[cs[k][1][m_] for k in cs] for m_, _ in SERIES]
    n = len(labels)
    hgt = 0.8 / 3
    for i, ((m_, col), vals, cn) in enumerate(zip(SERIES, series, counts)):
        ys = [g + (i - 1) * hgt for g in range(n)]
        bars = ax.barh(ys, vals, height=hgt * 0.92, color=col)
        ax.bar_label(bars, labels=["%s (%s)" % (tr.num(v), tr.int(c)) for v, c in zip(vals, cn)],
                     padding=4, fontsize=12 * s)
    ax.set_yticks(range(n))
    ax.set_yticklabels(labels, fontsize=15 * s)
    ax.invert_yaxis()
    style(ax, s)
    ax.set_xlabel(tr.get("axis", "Reports per 100 000 inhabitants (count in brackets)"),
                  fontsize=13 * s, loc="right")
    legend(fig, (x0, y0, w, h * 0.92), [(tr.get("series", SERIES_NAME[m_]), c)
                                         for m_, c in SERIES], s)


_GEO = {}


def geometry(path):
    """geojson -> {code: (name, focus, [rings])}, projected (lon * cos(lat0), lat)."""
    if path not in _GEO:
        with open(path, encoding="utf-8") as f:
            g = json.load(f)
        k = np.cos(np.radians(43.0))
        out = {}
        for feat in g["features"]:
            p = feat["properties"]
            geo = feat["geometry"]
            polys = geo["coordinates"] if geo["type"] == "MultiPolygon" else [geo["coordinates"]]
            rings = []
            for poly in polys:
                for r in poly[:1]:  # outer rings (holes drawn over by neighbours)
                    a = np.asarray(r, dtype=float)
                    rings.append(np.column_stack([a[:, 0] * k, a[:, 1]]))
            out[p["code"]] = (p["name"], p.get("focus", False), rings)
        _GEO[path] = out
    return _GEO[path]


def draw_map(fig, box, rows, tr, s, geojson):
    x0, y0, w, h = box
    cs = rows_by(rows, "country")
    geo = geometry(geojson)
    vals = {k: cs[k][1]["received_per100k"] for k in cs}
    top = max(list(vals.values()) + [1])
    step = max(1, int(np.ceil(top / 5.0 / 5.0)) * 5) if top > 5 else 1
    ax = fig.add_axes([x0, y0, 0.66 * w, h * 0.9])
    k = np.cos(np.radians(43.0))
    ax.set_xlim(13.0 * k, 24.0 * k)
    ax.set_ylim(39.0, 47.0)
    ax.set_aspect("equal", adjustable="datalim")
    ax.axis("off")
    grey, focus, cols = [], [], []
    for code, (name, is_focus, rings) in geo.items():
        if code in vals:
            b = min(int(vals[code] // step), 4)
            focus += rings
            cols += [MAP_BINS[b]] * len(rings)
        else:
            grey += rings
            c = np.concatenate(rings).mean(axis=0)
            ax.text(c[0], c[1], tr.name("country", code) if code in EN["country"] else name,
                    fontsize=12 * s, color="#888888", ha="center", clip_on=True)
    ax.add_collection(PolyCollection(grey, facecolors="#E3E3E3", edgecolors="white",
                                     linewidths=0.8 * s))
    ax.add_collection(PolyCollection(focus, facecolors=cols, edgecolors="white",
                                     linewidths=1.5 * s))
    for code in vals:
        rings = geo[code][2]
        big = max(rings, key=len)
        c = big.mean(axis=0)
        ax.text(c[0], c[1], "%s\n%s" % (tr.name("country", code), tr.num(vals[code])),
                fontsize=12 * s, ha="center", va="center", fontweight="bold")
    items = [(tr.get("legend", "{from} to under {to}", **{"from": tr.int(i * step),
                                                           "to": tr.int((i + 1) * step)}),
              MAP_BINS[i]) for i in range(4, -1, -1)]
    handles = [plt.Rectangle((0, 0), 1, 1, color=c) for _, c in items]
    fig.legend(handles, [t for t, _ in items], loc="upper left",
               bbox_to_anchor=(x0 + 0.69 * w, y0 + 0.85 * h), fontsize=14 * s, frameon=False,
               title=tr.get("axis", "Reports received per 100 000 inhabitants"),
               title_fontsize=14 * s)
    fig.text(x0 + 0.69 * w, y0 + 0.3 * h, tr.get("legend", "Population: latest census of each "
                                                  "country. Neighbouring countries in grey."),
             fontsize=12 * s, wrap=True, color="#555555")


def draw_heatmap(fig, box, rows, tr, s):
    x0, y0, w, h = box
    cats = rows_by(rows, "category")
    cols = COUNTRIES + ["region"]
    a = np.array([[cats[k][1][c] for c in cols] for k in cats], dtype=float).reshape(-1, len(cols))
    ax = fig.add_axes([x0 + 0.22 * w, y0, 0.74 * w, h * 0.86])
    share = a / np.maximum(a.sum(axis=0, keepdims=True), 1)
    ax.imshow(share, cmap="Blues", aspect="auto", vmin=0, vmax=max(share.max(), 1e-9))
    for i in range(a.shape[0]):
        for j in range(a.shape[1]):
            ax.text(j, i, tr.int(a[i, j]), ha="center", va="center", fontsize=11 * s,
                    color="white" if share[i, j] > 0.6 * share.max() else "black")
    ax.set_xticks(range(len(cols)))
    ax.set_xticklabels([tr.name("country", c) if c != "region" else tr.get("chart", "All six")
                        for c in cols], fontsize=12 * s, rotation=0, wrap=True)
    ax.xaxis.tick_top()
    ax.set_yticks(range(len(cats)))
    ax.set_yticklabels([cats[k][0] for k in cats], fontsize=12 * s)
    for sp in ax.spines.values():
        sp.set_visible(False)


def draw_crossborder(fig, box, rows, tr, s):
    x0, y0, w, h = box
    cats = rows_by(rows, "category")
    pairs = rows_by(rows, "pair")
    if not cats:
        fig.text(x0 + w / 2, y0 + h / 2, tr.get("chart", "No item was reported in more than one "
                                                 "country in this period"),
                 ha="center", fontsize=18 * s)
        return
    ax = fig.add_axes([x0 + 0.2 * w, y0 + 0.04 * h, 0.26 * w, h * 0.8])
    hbars(ax, [cats[k][0] for k in cats], [[cats[k][1]["items"] for k in cats]], [PURPLE], tr, s)
    style(ax, s)
    ax.set_title(tr.get("chart", "By category"), fontsize=15 * s, fontweight="bold", loc="left")
    keys = list(pairs)
    shown, rest = keys[:8], keys[8:]
    labels = [pairs[k][0] for k in shown]
    vals = [pairs[k][1]["items"] for k in shown]
    if rest:
        labels.append(tr.get("chart", "All other pairs ({n})", n=len(rest)))
        vals.append(sum(pairs[k][1]["items"] for k in rest))
    ax2 = fig.add_axes([x0 + 0.72 * w, y0 + 0.04 * h, 0.26 * w, h * 0.8])
    hbars(ax2, labels, [vals], [ORANGE], tr, s)
    style(ax2, s)
    ax2.set_title(tr.get("chart", "By pair of countries"), fontsize=15 * s, fontweight="bold",
                  loc="left")
    ax2.set_xlabel(tr.get("axis", "Items"), fontsize=13 * s, loc="right")


TITLES = {
    "funnel": "From citizen report to platform action",
    "categories": "Reports by category: received, forwarded and actioned",
    "outcomes": "What the platform did with forwarded items, by category",
    "timeliness": "How long each step takes",
    "trend": "Reports over the last eight periods",
    "countries": "Reports per 100 000 inhabitants, by country",
    "map": "Reports received per 100 000 inhabitants",
    "heatmap": "Reports received, by category and country",
    "crossborder": "Items reported in two or more countries",
}
COUNTRY_CHARTS = ["funnel", "categories", "outcomes", "timeliness", "trend"]
REGION_CHARTS = COUNTRY_CHARTS + ["countries", "map", "heatmap", "crossborder"]


def draw(ctx, chart, fig, box, rows, tr, s):
    if chart == "map":
        draw_map(fig, box, rows, tr, s, ctx.geojson)
    else:
        globals()["draw_" + chart](fig, box, rows, tr, s)


def chart_figure(ctx, chart, c, tr, rows):
    """A slide-size chart: title, subtitle, the chart, source footer."""
    fig = plt.figure(figsize=(20, 11.25), dpi=96)
    fig.text(0.033, 0.92, tr.get("chart", TITLES[chart]), fontsize=34, fontweight="bold")
    fig.text(0.033, 0.875, "%s · %s" % (tr.name("country", c), tr.period(ctx.period)),
             fontsize=21, color="#4d4d4d")
    draw(ctx, chart, fig, (0.033, 0.13, 0.93, 0.66), rows, tr, 1.0)
    foot = " · ".join([tr.get("footer", "Source: regulators' case logs"),
                       tr.get("footer", "Data freeze: {date}", date=tr.date(ctx.freeze)),
                       tr.get("footer", "n = {n} reports received",
                              n=tr.int(m(ctx, c, "received")))])
    fig.add_artist(plt.Line2D([0.033, 0.967], [0.075, 0.075], color="#dddddd", lw=1))
    fig.text(0.033, 0.04, foot, fontsize=15, color="#6b6b6b")
    fig.text(0.967, 0.04, "peer", fontsize=15, color="#6b6b6b", ha="right")
    return fig


def charts(ctx):
    n = 0
    for c in COUNTRIES + ["region"]:
        folder = "regional" if c == "region" else c
        for lang in LANGS:
            tr = ctx.tr[lang]
            d = os.path.join(ctx.out, "charts", folder, lang)
            os.makedirs(d, exist_ok=True)
            for chart in (REGION_CHARTS if c == "region" else COUNTRY_CHARTS):
                rows = chart_rows(ctx, chart, c, tr)
                with open(os.path.join(d, chart + ".csv"), "w", newline="", encoding="utf-8") as f:
                    w = csv.writer(f)
                    w.writerow(["chart", "country", "period", "table", "key", "label", "metric",
                                "value"])
                    for r in rows:
                        w.writerow([chart, c, ctx.period] + ["" if v is None or v != v else v
                                                             for v in r])
                fig = chart_figure(ctx, chart, c, tr, rows)
                for ext in ("png", "svg", "pdf"):
                    fig.savefig(os.path.join(d, chart + "." + ext), dpi=96,
                                metadata={"Date": None} if ext == "svg" else
                                ({"CreationDate": None} if ext == "pdf" else None))
                    n += 1
                plt.close(fig)
    ctx.chart_files = n


# ---------------------------------------------------------------------------
# editions: workbooks and reports
# ---------------------------------------------------------------------------

def editions(ctx):
    out = []
    for c in COUNTRIES:
        if c in ctx.profile:
            lang = ctx.profile[c].language
            for lg in dict.fromkeys([lang, "en"]):
                out.append((c, lg))
    for lg in LANGS:
        out.append(("region", lg))
    return out


def key_figures(ctx, c, tr):
    prev = quarter_shift(ctx.period, -1)
    spec = [("Reports received", "received", "count"), ("Reports assessed", "assessed", "count"),
            ("Violations forwarded to the platform", "forwarded", "count"),
            ("Actioned by the platform", "actioned", "count"),
            ("Forwarded, platform outcome pending", "outcome_pending", "count"),
            ("Violation rate", "violation_rate", "rate"), ("Action rate", "action_rate", "rate"),
            ("Median time to action (hours)", "h_to_action_median", "hours"),
            ("90th percentile of time to action (hours)", "h_to_action_p90", "hours"),
            ("Items with a time to action (n)", "h_to_action_n", "count"),
            ("Median time to platform response (hours)", "h_to_response_median", "hours"),
            ("Cross-border items", "cross_border_items", "count")]
    rows = []
    for lab, key, kind in spec:
        a, b = mv(ctx, c, key), mv(ctx, c, key, period=prev)
        if kind == "rate":
            ch = (a - b) * 100 if a == a and b == b else None
        else:
            ch = (a - b) / b if b and a == a and b == b else None
        rows.append((lab, key, kind, a, b, ch))
    return rows


def workbook(ctx, c, lang):
    tr = ctx.tr[lang]
    name = "%s-%s-%s.xlsx" % ("regional" if c == "region" else c, ctx.period, lang)
    os.makedirs(os.path.join(ctx.out, "workbooks"), exist_ok=True)
    path = os.path.join(ctx.out, "workbooks", name)
    wb = xlsxwriter.Workbook(path, {"strings_to_numbers": False, "strings_to_formulas": False})
    wb.set_properties({"title": "%s: transparency report %s" % (tr.name("country", c),
                                                                 tr.period(ctx.period)),
                       "author": "peer", "created": ctx.freeze.replace(tzinfo=None)})
    bold = wb.add_format({"bold": True})
    head = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
    title = wb.add_format({"bold": True, "font_size": 16})
    intf = wb.add_format({"num_format": "#,##0"})
    pctf = wb.add_format({"num_format": "0.0%"})
    hf = wb.add_format({"num_format": "0.0"})
    dec = wb.add_format({"num_format": "0.00"})

    def table(ws, r0, headers, rows, fmts, chart=None):
        ws.write_row(r0, 0, headers, head)
        for i, row in enumerate(rows):
            for j, (v, f) in enumerate(zip(row, fmts)):
                if v is None or (isinstance(v, float) and v != v):
                    ws.write_blank(r0 + 1 + i, j, None)
                else:
                    ws.write(r0 + 1 + i, j, v, f)
        ws.freeze_panes(r0 + 1, 0)
        ws.autofilter(r0, 0, r0 + len(rows), len(headers) - 1)
        ws.set_column(0, 0, 34)
        ws.set_column(1, len(headers) - 1, 14)
        return r0 + 1, r0 + len(rows)

    def add_chart(ws, sheet, kind, first, last, cols, names, anchor, sub=None, title_=""):
        ch = wb.add_chart({"type": kind, **({"subtype": sub} if sub else {})})
        for col, nm, colour in zip(cols, names, [SKY, VERMILLION, BLUE, GREEN, ORANGE, PURPLE,
                                                 "#882255", GREY]):
            ch.add_series({"name": nm, "categories": [sheet, first, 0, last, 0],
                           "values": [sheet, first, col, last, col],
                           "fill": {"color": colour}, "line": {"color": colour},
                           "data_labels": {"value": True} if len(cols) < 4 else {}})
        ch.set_title({"name": title_})
        ch.set_size({"width": 720, "height": 420})
        if kind == "bar":
            ch.set_y_axis({"reverse": True})
        ws.insert_chart(anchor, ch)

    ws = wb.add_worksheet("About")
    ws.write(0, 0, "%s — %s" % (tr.name("country", c), tr.period(ctx.period)), title)
    about = [("Period", ctx.period), ("Data freeze", ctx.freeze_iso),
             ("Source", tr.get("footer", "Source: regulators' case logs")),
             ("Definitions", "received; assessed (decision is not pending); violations = "
                             "forwarded; violation rate = forwarded / assessed; action rate = "
                             "actioned / (forwarded - outcome pending)"),
             ("Durations", "hours; median, P90 and n, linear interpolation between closest ranks"),
             ("Per 100 000", "population of the latest census")]
    for i, (k, v) in enumerate(about):
        ws.write(2 + i, 0, k, bold)
        ws.write(2 + i, 1, v)
    for i, cc in enumerate(COUNTRIES):
        ws.write_row(10 + i, 0, [tr.name("country", cc), POPULATION[cc][0], POPULATION[cc][1],
                                 POPULATION[cc][2]])
    ws.set_column(0, 0, 30)
    ws.set_column(1, 1, 90)

    ws = wb.add_worksheet("Summary")
    kf = key_figures(ctx, c, tr)
    table(ws, 0, ["Indicator", ctx.period, quarter_shift(ctx.period, -1), "Change"],
          [(lab, a, b, ch) for lab, _, kind, a, b, ch in kf],
          [None, intf, intf, dec])

    ws = wb.add_worksheet("Funnel")
    rows = rows_by(chart_rows(ctx, "funnel", c, tr), "stage")
    f, last = table(ws, 0, ["Stage", "Reports", "Share of previous"],
                    [(lab, d["count"], d["share_of_previous"]) for lab, d in rows.values()],
                    [None, intf, pctf])
    add_chart(ws, "Funnel", "bar", f, last, [1], ["Reports"], "E2",
              title_=tr.get("chart", TITLES["funnel"]))
    dr = [(tr.name("decision", d), m(ctx, c, "decision_" + d)) for d in DECISIONS]
    table(ws, last + 3, ["Decision", "Reports"], dr, [None, intf])

    ws = wb.add_worksheet("Categories")
    cats = ["*"] + CATEGORIES
    rows = [(tr.name("category", k), m(ctx, c, "received", k), m(ctx, c, "assessed", k),
             m(ctx, c, "forwarded", k), m(ctx, c, "actioned", k), mv(ctx, c, "violation_rate", k),
             mv(ctx, c, "action_rate", k), mv(ctx, c, "h_to_action_median", k),
             mv(ctx, c, "h_to_action_p90", k), m(ctx, c, "h_to_action_n", k),
             "STATEMENT_CATEGORY_" + DSA.get(k, "") if k != "*" else "")
            for k in cats]
    f, last = table(ws, 0, ["Category", "Received", "Assessed", "Forwarded", "Actioned",
                            "Violation rate", "Action rate", "Median h to action",
                            "P90 h to action", "n", "DSA category"], rows,
                    [None, intf, intf, intf, intf, pctf, pctf, hf, hf, intf, None])
    add_chart(ws, "Categories", "bar", f + 1, last, [1, 3, 4],
              [tr.get("series", SERIES_NAME[x]) for x in ("received", "forwarded", "actioned")],
              "M2", title_=tr.get("chart", TITLES["categories"]))

    ws = wb.add_worksheet("Outcomes")
    rows = [(tr.name("category", k), m(ctx, c, "forwarded", k)) +
            tuple(m(ctx, c, "outcome_pending" if o == "pending" else "outcome_" + o, k)
                  for o in OUTCOMES) for k in cats]
    f, last = table(ws, 0, ["Category", "Forwarded"] + [tr.name("outcome", o) for o in OUTCOMES],
                    rows, [None] + [intf] * 9)
    add_chart(ws, "Outcomes", "bar", f, last, list(range(2, 10)),
              [tr.name("outcome", o) for o in OUTCOMES], "L2", sub="percent_stacked",
              title_=tr.get("chart", TITLES["outcomes"]))

    ws = wb.add_worksheet("Timeliness")
    rows = [(tr.get("stage", EN["stage"][d]), mv(ctx, c, "h_%s_median" % d),
             mv(ctx, c, "h_%s_p90" % d), m(ctx, c, "h_%s_n" % d)) for d in DURATIONS]
    f, last = table(ws, 0, ["Stage", "Median (hours)", "P90 (hours)", "n"], rows,
                    [None, hf, hf, intf])
    add_chart(ws, "Timeliness", "bar", f, last, [1, 2], ["Median", "P90"], "F2",
              title_=tr.get("chart", TITLES["timeliness"]))
    rows = [(lab, mv(ctx, c, k)) for k, lab in (("share_24h", "Within 24 hours"),
                                                ("share_48h", "Within 48 hours"),
                                                ("share_7d", "Within 7 days"))]
    f2, last2 = table(ws, last + 3, ["Time to action", "Share of actioned"], rows, [None, pctf])
    add_chart(ws, "Timeliness", "column", f2, last2, [1], ["Share"], "F24",
              title_=tr.get("chart", "Share of actioned items, by time to action"))

    ws = wb.add_worksheet("Trend")
    tm = ["received", "assessed", "forwarded", "actioned", "outcome_pending", "violation_rate",
          "action_rate", "h_to_action_median", "h_to_action_p90", "cross_border_items"]
    rows = [(p,) + tuple(mv(ctx, c, x, period=p) for x in tm) for p in ctx.periods]
    f, last = table(ws, 0, ["Period"] + tm, rows,
                    [None] + [intf] * 5 + [pctf, pctf, hf, hf, intf])
    add_chart(ws, "Trend", "line", f, last, [1, 3, 4],
              [tr.get("series", SERIES_NAME[x]) for x in ("received", "forwarded", "actioned")],
              "M2", title_=tr.get("chart", TITLES["trend"]))

    if c == "region":
        ws = wb.add_worksheet("Countries")
        cm = ["received", "forwarded", "actioned", "population", "received_per100k",
              "forwarded_per100k", "actioned_per100k", "violation_rate", "action_rate",
              "h_to_action_median", "h_to_action_p90", "h_to_action_n", "cross_border_items"]
        rows = [(tr.name("country", x),) + tuple(mv(ctx, x, k) for k in cm)
                for x in COUNTRIES + ["region"]]
        f, last = table(ws, 0, ["Country"] + cm, rows,
                        [None, intf, intf, intf, intf, dec, dec, dec, pctf, pctf, hf, hf, intf,
                         intf])
        add_chart(ws, "Countries", "bar", f, last - 1, [5, 6, 7],
                  [tr.get("series", SERIES_NAME[x]) for x in ("received", "forwarded",
                                                               "actioned")],
                  "B12", title_=tr.get("chart", TITLES["countries"]))
        rows = [(tr.name("category", k),) + tuple(m(ctx, x, "received", k) for x in COUNTRIES)
                for k in CATEGORIES]
        table(ws, 34, ["Category"] + COUNTRIES, rows, [None] + [intf] * 6)

        ws = wb.add_worksheet("Cross-border")
        xr = chart_rows(ctx, "crossborder", c, tr)
        cats_ = rows_by(xr, "category")
        f, last = table(ws, 0, ["Category", "Items"],
                        [(lab, d["items"]) for lab, d in cats_.values()], [None, intf])
        if cats_:
            add_chart(ws, "Cross-border", "bar", f, last, [1], ["Items"], "E2",
                      title_=tr.get("chart", TITLES["crossborder"]))
        pr = rows_by(xr, "pair")
        table(ws, max(last, 20) + 3, ["Pair of countries", "Items"],
              [(lab, d["items"]) for lab, d in pr.values()], [None, intf])

    ws = wb.add_worksheet("Data quality")
    q = ctx.quality
    qc = ["file_name", "profile", "country", "sha256", "rows_read", "blank_lines", "rows_new",
          "rows_updated", "rows_unchanged", "rows_duplicate", "rows_rejected", "cases"]
    if c != "region":
        q = q[q["country"] == c]
    table(ws, 0, qc, q[qc].values.tolist(), [None] * 4 + [intf] * 8)
    wb.close()
    return path


def workbooks(ctx):
    ctx.workbooks = [workbook(ctx, c, lang) for c, lang in editions(ctx)]


A4 = (8.27, 11.69)


def page(pdf, ctx, c, tr, title, pageno, total):
    fig = plt.figure(figsize=A4)
    fig.text(0.07, 0.965, "%s — %s" % (tr.name("country", c), tr.period(ctx.period)),
             fontsize=8, color="#555555")
    fig.text(0.93, 0.025, "Page %d of %d" % (pageno, total), fontsize=8, ha="right",
             color="#555555")
    if title:
        fig.text(0.07, 0.92, title, fontsize=16, fontweight="bold")
    return fig


def page_table(fig, rect, headers, rows, fs=7.5):
    ax = fig.add_axes(rect)
    ax.axis("off")
    if not rows:
        return
    t = ax.table(cellText=[["" if v is None else v for v in r] for r in rows], colLabels=headers,
                 loc="upper center", cellLoc="right", colLoc="right")
    t.auto_set_font_size(False)
    t.set_fontsize(fs)
    t.scale(1, 1.25)
    for (i, j), cell in t.get_celld().items():
        cell.set_edgecolor("#dddddd")
        if j == 0:
            cell._loc = "left"
            cell.set_text_props(ha="left")
        if i == 0:
            cell.set_text_props(fontweight="bold")


def text_page(fig, paras, y=0.88):
    for head, body in paras:
        if head:
            fig.text(0.07, y, head, fontsize=11, fontweight="bold")
            y -= 0.025
        fig.text(0.07, y, body, fontsize=9, wrap=True, va="top")
        y -= 0.02 * (1 + len(body) // 95) + 0.02


METHODOLOGY = [
    ("Period and data freeze", "A case belongs to the period that holds its date received in "
     "the regulator's time zone. Whatever is open at the data freeze counts as pending."),
    ("Definitions", "Violation rate = forwarded / assessed. Action rate = actioned / (forwarded - "
     "outcome pending). Actioned = removed, blocked in the country, age-restricted, account "
     "suspended or banned."),
    ("Population", "Per 100 000 inhabitants with the latest census of each country: AL 2023, BA "
     "2013, ME 2023, MK 2021, RS 2022, XK 2024."),
    ("How the figures are made", "Durations in hours where both ends exist and the end is not "
     "earlier; median and P90 interpolate linearly between closest ranks (PERCENTILE.INC)."),
]
GLOSSARY = [(EN["category"][k], "DSA STATEMENT_CATEGORY_" + DSA[k]) for k in CATEGORIES]


def report(ctx, c, lang):
    tr = ctx.tr[lang]
    name = "%s-%s-%s.pdf" % ("regional" if c == "region" else c, ctx.period, lang)
    os.makedirs(os.path.join(ctx.out, "reports"), exist_ok=True)
    path = os.path.join(ctx.out, "reports", name)
    region = c == "region"
    sections = [("Key figures", None), ("From report to platform action", "funnel"),
                ("Categories of content", "categories"), ("Platform outcomes", "outcomes"),
                ("Timeliness", "timeliness"), ("Trend over eight periods", "trend"),
                ("Audiovisual piracy", "piracy")]
    if region:
        sections += [("Countries compared", "countries"), ("Map", "map"),
                     ("Categories by country", "heatmap"), ("Cross-border items", "crossborder")]
    sections += [("Data quality", None), ("Methodology and definitions", None),
                 ("Glossary", None), ("About this report", None)]
    total = len(sections) + 2
    with PdfPages(path, metadata={
            "Title": "%s transparency report, %s" % (tr.name("country", c), tr.period(ctx.period)),
            "Author": "Regulators of the Western Balkans", "Subject": "VSP reports",
            "Keywords": "transparency report; TikTok; DSA; " + ctx.period,
            "Creator": "peer_pipeline.py", "CreationDate": ctx.freeze}) as pdf:
        fig = page(pdf, ctx, c, tr, None, 1, total)
        fig.text(0.07, 0.7, "%s\ntransparency report" % tr.name("country", c), fontsize=28,
                 fontweight="bold")
        fig.text(0.07, 0.55, tr.period(ctx.period), fontsize=22)
        fig.text(0.07, 0.45, "Data freeze  %s\nLanguage  %s" % (tr.date(ctx.freeze), lang),
                 fontsize=11)
        pdf.savefig(fig)
        plt.close(fig)
        fig = page(pdf, ctx, c, tr, "Contents", 2, total)
        for i, (t, _) in enumerate(sections):
            fig.text(0.07, 0.86 - i * 0.03, "%d  %s" % (i + 1, t), fontsize=11)
            fig.text(0.93, 0.86 - i * 0.03, str(i + 3), fontsize=11, ha="right")
        pdf.savefig(fig)
        plt.close(fig)
        for i, (title, chart) in enumerate(sections):
            fig = page(pdf, ctx, c, tr, "%d %s" % (i + 1, title), i + 3, total)
            box = (0.07, 0.52, 0.86, 0.36)
            if title == "Key figures":
                kf = key_figures(ctx, c, tr)

                def fmt(kind, v):
                    return {"count": tr.int, "rate": tr.pct, "hours": tr.num}[kind](v) \
                        if v == v and v is not None else "–"
                page_table(fig, [0.07, 0.3, 0.86, 0.58],
                           ["Indicator", tr.period(ctx.period),
                            tr.period(quarter_shift(ctx.period, -1)), "Change"],
                           [(lab, fmt(kind, a), fmt(kind, b),
                             "–" if ch is None else ("%+.1f pp" % ch if kind == "rate"
                                                     else "%+.1f%%" % (100 * ch)))
                            for lab, _, kind, a, b, ch in kf], fs=9)
            elif chart == "piracy":
                rows = [("period", p, tr.period(p), s_, m(ctx, c, s_, "piracy", period=p))
                        for p in ctx.periods for s_, _ in SERIES]
                draw_trend(fig, box, rows, tr, 0.45)
                per = rows_by(rows, "period")
                page_table(fig, [0.07, 0.06, 0.86, 0.4],
                           ["Period"] + [tr.get("series", SERIES_NAME[s_]) for s_, _ in SERIES],
                           [[lab] + [tr.int(d[s_]) for s_, _ in SERIES]
                            for lab, d in per.values()])
            elif chart:
                rows = chart_rows(ctx, chart, c, tr)
                draw(ctx, chart, fig, box, rows, tr, 0.45)
                tab = {}
                for t, k, lab, mm, v in rows:
                    tab.setdefault((t, k), {"": lab})[mm] = v
                metrics = list(dict.fromkeys(mm for _, _, _, mm, _ in rows))[:8]
                body = [[d[""]] + [("–" if d.get(x) is None or d.get(x) != d.get(x) else
                                    (tr.num(d[x], 2) if isinstance(d[x], float) and
                                     d[x] != int(d[x]) else tr.int(d[x])))
                                   for x in metrics] for d in list(tab.values())[:24]]
                page_table(fig, [0.07, 0.04, 0.86, 0.44],
                           [""] + [x.replace("outcome_", "") for x in metrics], body, fs=6.5)
            elif title == "Data quality":
                q = ctx.quality if region else ctx.quality[ctx.quality["country"] == c]
                qc = ["file_name", "rows_read", "rows_new", "rows_updated", "rows_unchanged",
                      "rows_duplicate", "rows_rejected", "cases"]
                page_table(fig, [0.07, 0.3, 0.86, 0.58], qc,
                           [[r[0]] + [tr.int(x) for x in r[1:]] for r in q[qc].values.tolist()])
            elif title.startswith("Methodology"):
                text_page(fig, METHODOLOGY)
            elif title == "Glossary":
                page_table(fig, [0.07, 0.3, 0.86, 0.58], ["Category", "DSA"], GLOSSARY)
            else:
                page_table(fig, [0.07, 0.3, 0.86, 0.58], ["Input file", "SHA-256"],
                           [(os.path.basename(p), d) for p, d, _ in ctx.inputs
                            if region or os.path.basename(os.path.dirname(p)) ==
                            ctx.profile[c].name], fs=6.5)
            pdf.savefig(fig)
            plt.close(fig)
    return path


def reports(ctx):
    ctx.reports = [report(ctx, c, lang) for c, lang in editions(ctx)]


# ---------------------------------------------------------------------------
# research export
# ---------------------------------------------------------------------------

EXPORT_COLUMNS = ["case_pseudonym", "content_pseudonym", "country", "received_period",
                  "period_grain", "period_start", "period_end", "category", "dsa_category",
                  "decision", "outcome", "channel", "hours_received_to_decided",
                  "hours_decided_to_forwarded", "hours_forwarded_to_outcome",
                  "hours_received_to_outcome"]


def export(ctx):
    first, last = quarter_days(ctx.period)
    df = pd.read_sql_query(
        "SELECT country, case_id, content_key, received_day, category, decision, outcome, channel,"
        " received_ts, decided_ts, forwarded_ts, outcome_ts FROM case_record"
        " WHERE received_day BETWEEN ? AND ?", ctx.con, params=(first, last))
    k = ctx.k
    day = df["received_day"].astype(np.int64)
    y, mo = day // 10000, day // 100 % 100
    df["month"] = y.astype(str) + "-" + mo.map("{:02d}".format)
    df["outcome"] = df["outcome"].fillna("")
    df["channel"] = df["channel"].fillna("")
    qi = ["country", "category", "decision", "outcome", "channel"]
    size = df.groupby(qi + ["month"])["case_id"].transform("size")
    month_ok = size >= k
    gen = df[~month_ok]
    qsize = gen.groupby(qi)["case_id"].transform("size")
    released = pd.concat([df[month_ok].assign(received_period=lambda d: d["month"],
                                              period_grain="month"),
                          gen[qsize >= k].assign(received_period=ctx.period,
                                                 period_grain="quarter")])
    suppressed = int((qsize < k).sum())
    r = released
    mstart = pd.to_datetime(r["month"] + "-01")
    q0, q1 = (dt.date(first // 10000, first // 100 % 100, 1),
              dt.date(last // 10000, last // 100 % 100, last % 100))
    isq = r["period_grain"] == "quarter"
    r["period_start"] = np.where(isq, q0.isoformat(), mstart.dt.strftime("%Y-%m-%d"))
    r["period_end"] = np.where(isq, q1.isoformat(),
                               (mstart + pd.offsets.MonthEnd(0)).dt.strftime("%Y-%m-%d"))
    r["dsa_category"] = "STATEMENT_CATEGORY_" + r["category"].map(DSA)

    def hours(a, b):
        h = (r[b] - r[a]) / 3600.0
        return np.floor(h.where(h >= 0) + 0.5).astype("Int64")

    r["hours_received_to_decided"] = hours("received_ts", "decided_ts")
    r["hours_decided_to_forwarded"] = hours("decided_ts", "forwarded_ts")
    r["hours_forwarded_to_outcome"] = hours("forwarded_ts", "outcome_ts")
    r["hours_received_to_outcome"] = hours("received_ts", "outcome_ts")
    key = ctx.key
    r["case_pseudonym"] = ["c" + hmac.digest(key, b"case\x1f" + c.encode() + b"\x1f" +
                                             i.encode(), "sha256")[:16].hex()
                           for c, i in zip(r["country"], r["case_id"])]
    r["content_pseudonym"] = ["i" + hmac.digest(key, b"content\x1f" + x.encode(),
                                                "sha256")[:16].hex() if x else ""
                              for x in r["content_key"].fillna("")]
    rank = {"category": CATEGORIES, "decision": DECISIONS, "outcome": [""] + OUTCOMES,
            "channel": [""] + pp.CODES["channel"]}
    for c, order in rank.items():
        r[c + "_rank"] = r[c].map({v: i for i, v in enumerate(order)})
    r = r.sort_values(["country", "received_period", "category_rank", "decision_rank",
                       "outcome_rank", "channel_rank", "case_pseudonym"])[EXPORT_COLUMNS]
    d = os.path.join(ctx.out, "export")
    os.makedirs(d, exist_ok=True)
    base = os.path.join(d, "research-" + ctx.period)
    # CSV: text a spreadsheet would run as a formula gets a leading apostrophe
    text = [c for c in EXPORT_COLUMNS if r[c].dtype == object]
    safe = r.copy()
    for c in text:
        bad = safe[c].str.match(r"^[=+\-@\t\r]", na=False)
        if bad.any():
            safe.loc[bad, c] = "'" + safe.loc[bad, c]
    safe.to_csv(base + ".csv.tmp", index=False, encoding="utf-8-sig", lineterminator="\r\n")
    # XLSX in constant-memory mode, rows in order
    wb = xlsxwriter.Workbook(base + ".xlsx.tmp", {"constant_memory": True,
                                                   "strings_to_numbers": False,
                                                   "strings_to_formulas": False})
    wb.set_properties({"title": "Research export " + ctx.period,
                       "created": ctx.freeze.replace(tzinfo=None)})
    ws = wb.add_worksheet("Cases")
    hd = wb.add_format({"bold": True})
    ws.write_row(0, 0, EXPORT_COLUMNS, hd)
    cols = [r[c].astype(object).where(r[c].notna(), None).tolist() for c in EXPORT_COLUMNS]
    for i, row in enumerate(zip(*cols), start=1):
        ws.write_row(i, 0, row)
    dictionary = [("case_pseudonym", "text", "c + 32 hex digits", "keyed pseudonym of the case"),
                  ("content_pseudonym", "text", "i + 32 hex digits", "keyed pseudonym of the item")]
    dictionary += [(c, "text", "", "") for c in EXPORT_COLUMNS[2:]]
    ws = wb.add_worksheet("Dictionary")
    for i, row in enumerate([("column", "type", "values", "description")] + dictionary):
        ws.write_row(i, 0, row)
    ws = wb.add_worksheet("Anonymisation")
    summary = [("cases received in the period", len(df)),
               ("released at month grain", int(month_ok.sum())),
               ("generalised to the quarter, released", int((qsize >= k).sum())),
               ("suppressed", suppressed), ("released in total", len(r)), ("k", k)]
    for i, row in enumerate(summary):
        ws.write_row(i, 0, row)
    wb.close()
    with open(base + "-dictionary.csv.tmp", "w", newline="", encoding="utf-8-sig") as f:
        csv.writer(f).writerows([("column", "type", "values", "description")] + dictionary)
    with open(base + "-anonymisation.md.tmp", "w", encoding="utf-8") as f:
        f.write("# Anonymisation report: research export %s\n\n| | rows |\n|---|---:|\n" % ctx.period)
        for lab, v in summary:
            f.write("| %s | %s |\n" % (lab, v))
        f.write("\n## By country\n\n| country | cases | released | suppressed |\n"
                "|---|---:|---:|---:|\n")
        rel = r.groupby("country").size()
        for c, n in df.groupby("country").size().items():
            f.write("| %s | %d | %d | %d |\n" % (c, n, rel.get(c, 0), n - rel.get(c, 0)))
    for ext in (".csv", ".xlsx", "-dictionary.csv", "-anonymisation.md"):
        os.replace(base + ext + ".tmp", base + ext)
    ctx.export_rows = len(r)


def manifest(ctx):
    outs = []
    for root, _, files in os.walk(ctx.out):
        for f in sorted(files):
            p = os.path.join(root, f)
            if p.endswith(("manifest.json", ".db", ".db-wal", ".db-shm")):
                continue
            outs.append({"path": os.path.relpath(p, ctx.out), "sha256": sha256_file(p),
                         "size": os.path.getsize(p), "kind": p.rsplit(".", 1)[-1]})
    man = {"period": ctx.period, "data_freeze": ctx.freeze_iso, "outputs": outs,
           "inputs": [{"path": p, "sha256": d, "size": s} for p, d, s in ctx.inputs]}
    with open(os.path.join(ctx.out, "manifest.json"), "w") as f:
        json.dump(man, f, indent=1)


# ---------------------------------------------------------------------------

class Ctx:
    pass


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    top = os.path.dirname(here)
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--in", dest="inp", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--period", default="2026Q3")
    ap.add_argument("--profiles", default=os.path.join(top, "profiles"))
    ap.add_argument("--po", default=os.path.join(top, "po"))
    ap.add_argument("--geojson", default="/work/shared/data/western-balkans.geojson")
    ap.add_argument("--k", type=int, default=5)
    ap.add_argument("--manifest", action="store_true")
    ap.add_argument("--skip", default="", help="comma-separated stages to leave out (charts,"
                    "workbooks,reports,export), for checking the others; the benchmark runs all")
    a = ap.parse_args()
    ctx = Ctx()
    ctx.inp, ctx.out, ctx.period, ctx.profiles, ctx.geojson, ctx.k = (
        a.inp, a.out, a.period, a.profiles, a.geojson, a.k)
    os.makedirs(a.out, exist_ok=True)
    sde = os.environ.get("SOURCE_DATE_EPOCH")
    ctx.freeze = (dt.datetime.fromtimestamp(int(sde), dt.timezone.utc) if sde
                  else dt.datetime.now(dt.timezone.utc)).replace(microsecond=0)
    ctx.freeze_iso = ctx.freeze.strftime("%Y-%m-%dT%H:%M:%SZ")
    key = os.environ.get("VSP_EXPORT_KEY")
    ctx.key = key.encode() if key else secrets.token_bytes(32)
    ctx.profile = {}
    ctx.tr = {lang: Tr(lang, a.po) for lang in LANGS}
    ctx.con = sqlite3.connect(os.path.join(a.out, "warehouse.db"))
    st = Stages()
    st.run("ingest", ingest, ctx)
    st.run("aggregate", aggregate, ctx)
    skip = set(a.skip.split(","))
    ctx.chart_files, ctx.workbooks, ctx.reports, ctx.export_rows = 0, [], [], 0
    for name, fn in (("charts", charts), ("workbooks", workbooks), ("reports", reports),
                     ("export", export)):
        if name not in skip:
            st.run(name, fn, ctx)
    if a.manifest:
        st.run("manifest", manifest, ctx)
    ctx.con.close()
    print("files charts %d workbooks %d reports %d export_rows %d" % (
        ctx.chart_files, len(ctx.workbooks), len(ctx.reports), ctx.export_rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
