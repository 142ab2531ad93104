# Releases (issue 22): a period published from early exports is release
# v1; published again after a later export it is v2, with exactly the
# figures that changed listed in revisions.csv (old and new, and why);
# v1's files stay readable under releases/<period>/v1/, byte for byte what
# v1 published; a third run with nothing changed adds no version.
#
# What the figures are is taken from `vspreport stats` run on the warehouse
# after each run (the key figures as stats prints them), and what changed
# from the two figures.csv files compared in Python: neither from the code
# that writes revisions.csv.  The checker is then shown to fail on a
# revisions.csv with a row left out and with a value changed.
. "$(dirname "$0")/lib/common.sh"
in=$T/in
out=$T/out
pub=$out/public
export VSP_EXPORT_KEY=0123456789abcdef0123456789abcdef
# Three regulators (the sanitizer build is slow); their July exports
# hold 2026Q2 with outcomes still arriving, the October ones hold the
# same cases again with later outcomes, and 2026Q3.
for r in al-ama me-aem xk-kpm; do
  mkdir -p "$in/$r"
  cp "$SRC/samples/$r/$r-2026-07-"*.csv "$in/$r/"
done

# ---- v1: the early exports, on 2026-07-10
export SOURCE_DATE_EPOCH=1783641600
run_vsp run1 run --in "$in" --out "$out" --period 2026Q2 --profiles "$SRC/profiles"
expect_eq "first run" "$rc" 0
[ "$rc" -eq 0 ] || cat "$T/run1.err" >&2
expect_contains "first run names its release" "$T/run1.out" "release 2026Q2-v1 of 2026-07-10"
run_vsp stats1 stats --db "$out/private/warehouse.db" --period 2026Q2 --format csv
expect_eq "stats after v1" "$rc" 0
# what v1 published, copied aside (not linked) to compare with the archive
mkdir -p "$T/v1"
cp -a "$pub/." "$T/v1/" && rm -rf "$T/v1/releases"

# ---- v2: the October exports too, on 2026-10-20
for r in al-ama me-aem xk-kpm; do
  cp "$SRC/samples/$r/$r-2026-10-"*.csv "$in/$r/"
done
export SOURCE_DATE_EPOCH=1792454400
run_vsp run2 run --in "$in" --out "$out" --period 2026Q2 --profiles "$SRC/profiles"
expect_eq "second run" "$rc" 0
[ "$rc" -eq 0 ] || cat "$T/run2.err" >&2
expect_contains "second run names its release" "$T/run2.out" "release 2026Q2-v2 of 2026-10-20"
run_vsp stats2 stats --db "$out/private/warehouse.db" --period 2026Q2 --format csv
expect_eq "stats after v2" "$rc" 0
cp "$pub/manifest.json" "$T/manifest-v2.json"
cp "$pub/revisions.csv" "$T/revisions-v2.csv"

# The revisions note as readers read it, in every edition of v2: no
# figure named by its codebook code (the codes from figures-codebook.csv;
# in English only those with an underscore, the others being English
# words: "received"), in the report's annex (its pages, from the named
# destination of its heading to the next section's, by pdfinfo), the web
# edition's revisions section and the workbook's Revisions sheet (its
# Figure column; its Measure code column is the code, by design).
#
# The regional report's annex length.  It lists, per area and reason, a
# row per changed figure (at most 53 measures) with the region's changed
# categories in that row; the countries' figures over all categories
# only.  From revisions.csv: 4 areas x <= 53 rows, the region's rows with
# <= 14 "category: old -> new" entries (about five to a line at 7.5 pt).
# A page holds about 45 one-line rows, so the region's ~53 rows of up to
# four lines take <= 5 pages and each country's <= 53 one-line rows 1.2
# pages: <= 9 pages with the headings and the intro.  Assert <= 11 (a
# Cyrillic or Albanian edition's words run longer; measured: 8 or 9 in
# every language), where one row per figure took 22 to 28 pages here
# (54 with all six regulators, issue 22's closing note).  Each country's
# edition lists its own figures over all categories and by category in
# one table: <= 6 pages (measured 3 to 5; one row per figure: 7 to 18).
$PY - "$pub" >"$T/annex.out" 2>&1 <<'PY' || { cat "$T/annex.out" >&2; fail "the revisions note of v2 does not read as it should"; }
import csv, glob, os, re, subprocess, sys, zipfile
from html.parser import HTMLParser
import openpyxl
pub = sys.argv[1]
bad = []
codes = [r["measure"] for r in csv.DictReader(open(os.path.join(pub, "figures-codebook.csv"),
                                                     encoding="utf-8", newline=""))]
if len(codes) < 50:
    bad.append("the codebook lists %d measures" % len(codes))
def codes_in(text, lang):
    return sorted({c for c in codes if (lang != "en" or "_" in c)
                   and re.search(r"(?<![\w])" + re.escape(c) + r"(?![\w])", text)})
def lang_of(path):
    return re.search(r"-\d{4}Q\d-([a-zA-Z-]+)\.\w+$", path).group(1)
pages = {}
for pdf in sorted(glob.glob(os.path.join(pub, "reports", "*.pdf"))):
    dests = {}
    for line in subprocess.run(["pdfinfo", "-dests", pdf], capture_output=True, text=True).stdout.splitlines():
        m = re.match(r"\s*(\d+) .*\"([^\"]+)\"$", line)
        if m:
            dests[m.group(2)] = int(m.group(1))
    if "sec-revisions" not in dests or "sec-colophon" not in dests:
        bad.append("%s: no revisions note (destinations %r)" % (os.path.basename(pdf), sorted(dests)))
        continue
    first, last = dests["sec-revisions"], dests["sec-colophon"]
    text = subprocess.run(["pdftotext", "-f", str(first), "-l", str(last), pdf, "-"],
                          capture_output=True, text=True).stdout
    name = os.path.basename(pdf)
    pages[name] = last - first + 1
    found = codes_in(text, lang_of(pdf))
    if found:
        bad.append("%s: the annex names figures by code: %s" % (name, ", ".join(found[:8])))
    if "revisions.csv" not in text:
        bad.append("%s: the annex does not name revisions.csv" % name)
    bound = 11 if name.startswith("regional-") else 6
    if pages[name] > bound:
        bad.append("%s: the annex runs %d pages, more than %d" % (name, pages[name], bound))
class Section(HTMLParser):
    def __init__(self):
        super().__init__()
        self.depth, self.text = 0, []
    def handle_starttag(self, tag, attrs):
        if tag == "section" and ("aria-labelledby", "sec-revisions") in attrs:
            self.depth = 1
        elif self.depth and tag == "section":
            self.depth += 1
    def handle_endtag(self, tag):
        if self.depth and tag == "section":
            self.depth -= 1
    def handle_data(self, data):
        if self.depth:
            self.text.append(data)
n_web = 0
for page in sorted(glob.glob(os.path.join(pub, "site", "*", "*.html"))):
    p = Section()
    p.feed(open(page, encoding="utf-8").read())
    text = " ".join(p.text)
    lang = page.split(os.sep)[-2]
    if text:
        n_web += 1
    found = codes_in(text, lang)
    if found:
        bad.append("%s: the revisions section names figures by code: %s"
                   % (os.path.relpath(page, pub), ", ".join(found[:8])))
n_wb = 0
for wb in sorted(glob.glob(os.path.join(pub, "workbooks", "*.xlsx"))):
    # the Revisions sheet (its name is translated): the one whose rows
    # carry a measure code and a reason code in its last two columns
    reasons = {"later_export", "corrected_cases", "remapped_labels", "methodology", "other"}
    book = openpyxl.load_workbook(wb, read_only=True)
    names = []
    for ws in book.worksheets:
        rows = [r for r in ws.iter_rows(values_only=True)
                if r and len(r) > 8 and r[7] in codes and r[8] in reasons]
        if rows:
            names = [r[3] for r in rows]
    if not names:
        bad.append("%s: no revisions sheet" % os.path.basename(wb))
        continue
    n_wb += 1
    found = sorted({n for n in names if n in codes})
    if found:
        bad.append("%s: the revisions sheet names figures by code: %s"
                   % (os.path.basename(wb), ", ".join(found[:8])))
for b in bad[:30]:
    print(b)
print("annex pages: " + ", ".join("%s %d" % kv for kv in sorted(pages.items())))
print("%d web pages with a revisions section, %d workbooks checked" % (n_web, n_wb))
sys.exit(1 if bad or n_web < 7 or len(pages) < 7 else 0)
PY
cat "$T/annex.out"

# ---- a third run, nothing changed (a week later): no v3, nothing written
export SOURCE_DATE_EPOCH=1793059200
run_vsp run3 run --in "$in" --out "$out" --period 2026Q2 --profiles "$SRC/profiles"
expect_eq "third run" "$rc" 0
expect_contains "third run: nothing changed" "$T/run3.out" "Nothing changed since the last run"
expect_contains "third run: still v2" "$T/run3.out" "release 2026Q2-v2 of 2026-10-20 stays"
[ -e "$pub/releases/2026Q2/v3" ] && fail "a run with nothing changed made a v3"
ls -a "$pub/releases/2026Q2" | grep -q partial && fail "an unfinished archive was left"
cmp -s "$pub/manifest.json" "$T/manifest-v2.json" || fail "the third run rewrote manifest.json"
cmp -s "$pub/revisions.csv" "$T/revisions-v2.csv" || fail "the third run rewrote revisions.csv"

# A run killed while archiving: an unfinished archive the manifest does
# not name is removed (a link in it removed, not followed); one the
# manifest names (killed between the manifest and the rename) is finished.
mkdir -p "$pub/releases/2026Q2/.v9.partial/reports"
echo partial >"$pub/releases/2026Q2/.v9.partial/reports/x.pdf"
echo mine >"$T/users-file"
ln -s "$T/users-file" "$pub/releases/2026Q2/.v9.partial/link"
mv "$pub/releases/2026Q2/v2" "$pub/releases/2026Q2/.v2.partial"
run_vsp run3b run --in "$in" --out "$out" --period 2026Q2 --profiles "$SRC/profiles"
expect_eq "run after a killed archive" "$rc" 0
expect_contains "the named archive finished" "$T/run3b.err" "finished archiving release 2026Q2-v2"
expect_eq "archives after the clean-up" "$(ls -A "$pub/releases/2026Q2" | tr '\n' ' ')" "v1 v2 "
expect_eq "a user's file behind a link" "$(cat "$T/users-file")" "mine"
cmp -s "$pub/manifest.json" "$T/manifest-v2.json" || fail "the clean-up rewrote manifest.json"

cat >"$T/check.py" <<'PY'
import csv, hashlib, json, os, sys

pub, v1copy, stats1, stats2, revisions = sys.argv[1:6]
bad = []

def sha(p):
    return hashlib.sha256(open(p, "rb").read()).hexdigest()

def rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))

# -- the manifest's release fields
m = json.load(open(os.path.join(pub, "manifest.json")))
rel = m.get("release", {})
want = {"id": "2026Q2-v2", "period": "2026Q2", "version": 2, "date": "2026-10-20",
        "previous_version": 1, "previous_date": "2026-07-10", "path": "releases/2026Q2/v2/"}
for k, v in want.items():
    if rel.get(k) != v:
        bad.append("manifest release.%s = %r, want %r" % (k, rel.get(k), v))
if rel.get("status") not in ("provisional", "final"):
    bad.append("manifest release.status = %r" % rel.get("status"))
earlier = [(r["id"], r["path"], r["date"]) for r in m.get("releases", [])]
if earlier != [("2026Q2-v1", "releases/2026Q2/v1/", "2026-07-10")]:
    bad.append("manifest releases = %r" % earlier)
if len(m.get("profiles", [])) != 3:
    bad.append("manifest profiles: %r" % m.get("profiles"))

# -- v1 under releases/2026Q2/v1/: byte for byte what v1 published
arch1 = os.path.join(pub, "releases/2026Q2/v1")
n_v1 = 0
for root, dirs, files in os.walk(v1copy):
    for f in files:
        rel_path = os.path.relpath(os.path.join(root, f), v1copy)
        a = os.path.join(arch1, rel_path)
        n_v1 += 1
        if not os.path.isfile(a):
            bad.append("v1 file not archived: " + rel_path)
        elif sha(a) != sha(os.path.join(root, f)):
            bad.append("v1 file changed in the archive: " + rel_path)
for root, dirs, files in os.walk(arch1):
    for f in files:
        rel_path = os.path.relpath(os.path.join(root, f), arch1)
        if not os.path.isfile(os.path.join(v1copy, rel_path)):
            bad.append("archived as v1 but not published by v1: " + rel_path)
m1 = json.load(open(os.path.join(arch1, "manifest.json")))
if m1["release"]["id"] != "2026Q2-v1" or m1["release"]["version"] != 1:
    bad.append("v1's own manifest: %r" % m1["release"])
if n_v1 < 100:
    bad.append("v1 published only %d files" % n_v1)
# v2's archive is the stable paths' content now, but for the pages of the
# web edition that link to v1: their copy links to it from where it lies
# (releases/2026Q2/v2/site/<lang>/: "../../../v1/..." where the stable page
# has "../../releases/2026Q2/v1/..."), and v2's own manifest lists the
# copy's bytes; it is otherwise the current manifest
arch2 = os.path.join(pub, "releases/2026Q2/v2")
m2 = json.load(open(os.path.join(arch2, "manifest.json")))
listed2 = {o["path"]: o for o in m2["outputs"]}
n_rewritten = 0
for o in m["outputs"]:
    a = os.path.join(arch2, o["path"])
    stable = open(os.path.join(pub, o["path"]), "rb").read()
    if o["path"].startswith("site/") and b'href="../../releases/2026Q2/v1/' in stable:
        want = stable.replace(b'href="../../releases/2026Q2/v1/', b'href="../../../v1/')
        n_rewritten += 1
    else:
        want = stable
    got = open(a, "rb").read() if os.path.isfile(a) else None
    if got != want:
        bad.append("v2 archive differs: " + o["path"])
    a2 = listed2.get(o["path"], {})
    if (a2.get("sha256"), a2.get("size")) != (hashlib.sha256(want).hexdigest(), len(want)):
        bad.append("v2's archived manifest does not list the archived bytes of " + o["path"])
    if o["path"].startswith("releases/"):
        bad.append("the manifest lists the archive file by file: " + o["path"])
if set(listed2) != {o["path"] for o in m["outputs"]}:
    bad.append("v2's archived manifest lists other files than the current one")
if {k: v for k, v in m2.items() if k != "outputs"} != {k: v for k, v in m.items() if k != "outputs"}:
    bad.append("v2's archived manifest is not the current one, outputs aside")
if n_rewritten < 49:  # 7 languages x 7 pages
    bad.append("only %d pages of v2's web edition link to v1" % n_rewritten)

# -- figures.csv: the release column says who published it
f1 = rows(os.path.join(arch1, "figures.csv"))
f2 = rows(os.path.join(pub, "figures.csv"))
if {r["release"] for r in f1} != {"2026Q2-v1"}:
    bad.append("v1 figures.csv release column: %r" % {r["release"] for r in f1})
if {r["release"] for r in f2} != {"2026Q2-v2"}:
    bad.append("v2 figures.csv release column: %r" % {r["release"] for r in f2})

# -- what changed, from the two figures.csv files
key = lambda r: (r["period"], r["area"], r["category"], r["measure"])
old = {key(r): r["value"] for r in f1}
new = {key(r): r["value"] for r in f2}
published = {k[0] for k in old}
changed = {}
for k in set(old) | set(new):
    if k[0] not in published:
        continue  # first published now: not a revision
    o, n = old.get(k, ""), new.get(k, "")
    if o != n:
        changed[k] = (o, n)

# -- revisions.csv lists exactly those, old and new, for v2
rv = rows(revisions)
if not rv or list(rv[0].keys()) != ["release", "period", "area", "category", "measure",
                                     "old", "new", "reason", "detail"]:
    bad.append("revisions.csv header: %r" % (list(rv[0].keys()) if rv else None))
listed = {}
for r in rv:
    if r["release"] != "2026Q2-v2":
        bad.append("a revision of another release: %r" % r)
        continue
    listed[key(r)] = (r["old"], r["new"])
    # the three regulators' October exports are dated 2026-10-05, -02, -05
    # (the file names); each moved its regulator's as-of date
    want_detail = {"AL": "2026-10-05", "ME": "2026-10-02", "XK": "2026-10-05",
                   "region": "2026-10-05"}.get(r["area"])
    if r["reason"] != "later_export" or r["detail"] != want_detail:
        bad.append("reason of %r: %s %s, want later_export %s"
                   % (key(r), r["reason"], r["detail"], want_detail))
if listed != changed:
    for k in sorted(set(changed) - set(listed))[:10]:
        bad.append("changed but not listed: %r %r" % (k, changed[k]))
    for k in sorted(set(listed) - set(changed))[:10]:
        bad.append("listed but not changed: %r %r" % (k, listed[k]))
    for k in sorted(set(listed) & set(changed)):
        if listed[k] != changed[k]:
            bad.append("listed %r as %r, figures say %r" % (k, listed[k], changed[k]))
if len(changed) < 10:
    bad.append("only %d figures changed: the later export should revise many" % len(changed))

# -- and the key figures of 2026Q2 as `stats` printed them before and after
s1 = {r["country"]: r for r in rows(stats1)}
s2 = {r["country"]: r for r in rows(stats2)}
measures = {k[3] for k in old}
n_checked = n_revised = 0
for area in s1:
    for meas in measures:
        if meas not in s1[area]:
            continue
        b, a = s1[area][meas], s2[area][meas]
        k = ("2026Q2", area, "*", meas)
        n_checked += 1
        if old.get(k, "") != b:
            bad.append("v1 figures.csv %r = %r, stats said %r" % (k, old.get(k, ""), b))
        if b != a:
            n_revised += 1
            if listed.get(k) != (b, a):
                bad.append("stats: %r went %r -> %r, revisions.csv says %r"
                           % (k, b, a, listed.get(k)))
        elif k in listed:
            bad.append("stats: %r stayed %r, but revisions.csv lists it" % (k, b))
if n_checked < 100 or n_revised < 5:
    bad.append("stats comparison too small: %d figures, %d revised" % (n_checked, n_revised))

for b in bad[:40]:
    print(b)
print("%d figures of 2026Q2 compared with stats, %d revised; %d revisions in all"
      % (n_checked, n_revised, len(listed)))
sys.exit(1 if bad else 0)
PY

$PY "$T/check.py" "$pub" "$T/v1" "$T/stats1.out" "$T/stats2.out" "$pub/revisions.csv" \
  >"$T/check.out" 2>&1 || { cat "$T/check.out" >&2; fail "the releases do not check out"; }
cat "$T/check.out"

# The checker fails on a revisions.csv with a row left out, and with a new
# value changed.
sed '3d' "$T/revisions-v2.csv" >"$T/rev-short.csv"
$PY "$T/check.py" "$pub" "$T/v1" "$T/stats1.out" "$T/stats2.out" "$T/rev-short.csv" \
  >"$T/check-short.out" 2>&1 && fail "the checker missed a revision left out"
grep -q "changed but not listed" "$T/check-short.out" || fail "the checker did not say what was left out"
awk -F, 'BEGIN{OFS=","} NR==2{$7=$7"9"} {print}' "$T/revisions-v2.csv" >"$T/rev-value.csv"
$PY "$T/check.py" "$pub" "$T/v1" "$T/stats1.out" "$T/stats2.out" "$T/rev-value.csv" \
  >"$T/check-value.out" 2>&1 && fail "the checker missed a wrong new value"

# ---- v3: a corrected export, a week later: one 2026Q2 case of XK
# whose outcome was "Removed" is "Declined" in it; its events are all
# older than XK's as-of date, so the figures it moves are corrected
# cases, dated by the latest event of the file.
$PY "$SRC/tests/cli/lib/correct_xk.py" "$SRC/samples/xk-kpm/xk-kpm-2026-10-05.csv" \
  "$in/xk-kpm/xk-kpm-2026-10-06-correction.csv" >"$T/corrected-day" ||
  fail "could not make the corrected export"
run_vsp run4 run --in "$in" --out "$out" --period 2026Q2 --profiles "$SRC/profiles"
expect_eq "fourth run" "$rc" 0
[ "$rc" -eq 0 ] || cat "$T/run4.err" >&2
expect_contains "fourth run names its release" "$T/run4.out" "release 2026Q2-v3 of 2026-10-27"
$PY - "$pub" "$(cat "$T/corrected-day")" "$T/revisions-v2.csv" >"$T/check3.out" 2>&1 <<'PY' ||
import csv, io, json, os, sys
pub, day, rev2 = sys.argv[1:4]
bad = []
def rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))
m = json.load(open(os.path.join(pub, "manifest.json")))
r = m["release"]
if (r["id"], r["version"], r["previous_version"], r["previous_date"]) != \
        ("2026Q2-v3", 3, 2, "2026-10-20"):
    bad.append("manifest release: %r" % r)
if [x["id"] for x in m["releases"]] != ["2026Q2-v1", "2026Q2-v2"]:
    bad.append("manifest releases: %r" % m["releases"])
key = lambda x: (x["period"], x["area"], x["category"], x["measure"])
old = {key(x): x["value"] for x in rows(os.path.join(pub, "releases/2026Q2/v2/figures.csv"))}
new = {key(x): x["value"] for x in rows(os.path.join(pub, "figures.csv"))}
changed = {k: (old.get(k, ""), new.get(k, "")) for k in set(old) | set(new)
           if old.get(k, "") != new.get(k, "")}
text = open(os.path.join(pub, "revisions.csv"), encoding="utf-8").read()
if not text.startswith(open(rev2, encoding="utf-8").read()):
    bad.append("revisions.csv does not keep v2's rows first, as they were")
listed = {}
for x in csv.DictReader(io.StringIO(text)):
    if x["release"] != "2026Q2-v3":
        continue
    listed[key(x)] = (x["old"], x["new"])
    if x["area"] not in ("XK", "region"):
        bad.append("a figure of %s revised by XK's correction: %r" % (x["area"], x))
    if (x["reason"], x["detail"]) != ("corrected_cases", day):
        bad.append("reason of %r: %s %s, want corrected_cases %s"
                   % (key(x), x["reason"], x["detail"], day))
if listed != changed:
    bad.append("v3 lists %d revisions, the figures changed %d: %r"
               % (len(listed), len(changed), sorted(set(listed) ^ set(changed))[:5]))
if ("2026Q2", "XK", "*", "actioned") not in listed:
    bad.append("XK's actioned not revised: %r" % sorted(listed)[:5])
else:
    o, n = listed[("2026Q2", "XK", "*", "actioned")]
    if int(n) != int(o) - 1:
        bad.append("XK actioned %s -> %s, want one fewer" % (o, n))
for b in bad[:20]:
    print(b)
print("v3: %d revisions, corrected cases of %s" % (len(listed), day))
sys.exit(1 if bad else 0)
PY
  { cat "$T/check3.out" >&2; fail "the corrected release does not check out"; }
cat "$T/check3.out"

finish
