#!/usr/bin/python3
"""peer_charts.py — the matplotlib peer of `vspreport chart categories`.

    /usr/bin/python3 bench/peer_charts.py --db W.DB --period 2026Q3 [--runs 20] [--out DIR]

Draws the chart a user would otherwise make by hand with matplotlib: the
region's reports by category, received / forwarded / actioned as grouped
horizontal bars (top five categories and the rest folded), value labels on
the bars, title, subtitle, legend, grid, axis title and a source footer, at
slide size (1920 x 1080 px: 20 x 11.25 in at 96 dpi), Okabe-Ito colours —
to PNG, SVG and PDF.  Each format is drawn --runs times in this process
(imports and font cache warm-up excluded, as vspreport's --timings
excludes its start-up) and the mean CPU milliseconds per file (process
time, as vspreport's --timings, so that other jobs on a shared machine do
not skew the comparison) are printed as TSV: format, mean_ms, files.  Reads the same agg_metric rows as vspreport.
"""
import argparse
import os
import sqlite3
import statistics
import sys
import time

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

CATEGORIES = ["piracy", "minors", "csam", "hate", "violence", "terrorism", "sexual", "bullying",
              "self_harm", "fraud", "disinfo", "privacy", "commercial", "other"]
NAMES = {"piracy": "Audiovisual piracy", "minors": "Harmful to minors",
         "csam": "Child sexual abuse material", "hate": "Hate speech", "violence": "Violence",
         "terrorism": "Terrorist content", "sexual": "Sexual content",
         "bullying": "Harassment and bullying", "self_harm": "Self-harm and suicide",
         "fraud": "Scams and fraud", "disinfo": "Disinformation", "privacy": "Privacy violations",
         "commercial": "Hidden advertising", "other": "Other or not specified"}
SERIES = [("received", "Received", "#56B4E9"), ("forwarded", "Forwarded to the platform", "#D55E00"),
          ("actioned", "Actioned by the platform", "#0072B2")]


def load(db, period):
    con = sqlite3.connect(db)
    rows = {}
    for cat, metric, value in con.execute(
            "SELECT category, metric, value FROM agg_metric WHERE period = ? AND country = 'region'"
            " AND metric IN ('received', 'forwarded', 'actioned')", (period,)):
        rows.setdefault(cat, {})[metric] = value or 0
    freeze = con.execute("SELECT data_freeze FROM agg_run WHERE period = ?", (period,)).fetchone()
    con.close()
    cats = sorted((c for c in CATEGORIES if rows.get(c, {}).get("received", 0) > 0),
                  key=lambda c: -rows[c]["received"])
    shown, rest = cats[:5], cats[5:]
    data = [(NAMES[c], [rows[c][m] for m, _, _ in SERIES]) for c in shown]
    if rest:
        data.append(("All other categories (%d)" % len(rest),
                     [sum(rows[c][m] for c in rest) for m, _, _ in SERIES]))
    total = rows.get("*", {}).get("received", 0)
    return data, total, (freeze[0] if freeze else "")


def draw(data, total, freeze, period, path):
    fig = plt.figure(figsize=(20, 11.25), dpi=96)
    ax = fig.add_axes([0.2, 0.12, 0.74, 0.68])
    n = len(data)
    height = 0.26
    for s, (_, label, colour) in enumerate(SERIES):
        ys = [g + (s - 1) * height for g in range(n)]
        vals = [d[1][s] for d in data]
        bars = ax.barh(ys, vals, height=height * 0.92, color=colour, label=label)
        ax.bar_label(bars, labels=["{:,.0f}".format(v) for v in vals], padding=6, fontsize=18,
                     fontweight="bold")
    ax.set_yticks(range(n))
    ax.set_yticklabels([d[0] for d in data], fontsize=20)
    ax.invert_yaxis()
    ax.tick_params(axis="x", labelsize=17)
    ax.xaxis.grid(True, color="#dddddd")
    ax.set_axisbelow(True)
    for side in ("top", "right", "bottom"):
        ax.spines[side].set_visible(False)
    ax.set_xlabel("Reports", fontsize=17, loc="right")
    fig.text(0.033, 0.93, "Reports by category: received, forwarded and actioned", fontsize=36,
             fontweight="bold")
    fig.text(0.033, 0.885, "Western Balkans · %s" % period, fontsize=23, color="#4d4d4d")
    fig.legend(loc="upper left", bbox_to_anchor=(0.03, 0.86), ncol=3, fontsize=18, frameon=False)
    fig.text(0.033, 0.03, "Source: regulators' case logs · Data freeze: %s · n = %s reports received"
             % (freeze[:10], "{:,.0f}".format(total)), fontsize=16, color="#6b6b6b")
    fig.savefig(path)
    plt.close(fig)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", required=True)
    ap.add_argument("--period", required=True)
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--out", default="/tmp/vsp-peer-charts")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    data, total, freeze = load(args.db, args.period)
    for fmt in ("png", "svg", "pdf"):  # warm the font cache and the backends
        draw(data, total, freeze, args.period, os.path.join(args.out, "warm." + fmt))
    print("format\tmean_ms\tfiles")
    for fmt in ("png", "svg", "pdf"):
        times = []
        for i in range(args.runs):
            t0 = time.process_time()
            draw(data, total, freeze, args.period, os.path.join(args.out, "categories-%d.%s" % (i, fmt)))
            times.append(time.process_time() - t0)
        print("%s\t%.2f\t%d" % (fmt, statistics.mean(times) * 1000, len(times)))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
