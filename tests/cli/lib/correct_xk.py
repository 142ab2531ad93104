"""correct_xk.py SRC DST - a corrected export of one case, as a regulator
sends one: the first 2026Q2 case of XK in SRC (the samples' October export)
whose outcome was "Removed" is written to DST, alone under the header,
with the outcome "Declined".  Prints the local calendar date of its latest
event (the ISO date part of each event), which dates the corrected figures.
Used by tests/cli/releases.sh and tests/cli/release_links.sh."""
import csv
import sys

src, dst = sys.argv[1:3]
rows = list(csv.reader(open(src, newline="", encoding="utf-8-sig")))
head = rows[0]
ix = {h.strip(): i for i, h in enumerate(head)}
events = ("Date Received", "Decision date", "Sent to platform", "Response date")
for r in rows[1:]:
    if (len(r) == len(head) and r[ix["Date Received"]].startswith("2026-05")
            and r[ix["Platform response"]] == "Removed"):
        r[ix["Platform response"]] = "Declined"
        with open(dst, "w", newline="", encoding="utf-8") as f:
            csv.writer(f).writerows([head, r])
        print(max(r[ix[c]][:10] for c in events if r[ix[c]]))
        sys.exit(0)
sys.exit("no 2026Q2 case of XK removed in " + src)
