# Every link of every page of the web edition resolves, from the stable
# site (OUT/public/site/) and from every archived version of it
# (OUT/public/releases/<P>/v<N>/site/): three versions of 2026Q2 are made
# as a publisher makes them (early exports -> v1, the later exports -> v2,
# a corrected export -> v3), then every href and src of every .html under
# OUT/public is resolved by an HTML parser (Python's html.parser, not
# vspreport's code) and must name a file that is there:
#   - an archived page's links stay inside its own version (its reports,
#     charts, workbooks), except its "earlier versions" links, which must
#     reach another archived version of the period;
#   - a link with a #fragment must find that id in the page it names;
#   - each version's manifest.json lists the bytes its archive holds.
# The checker is then shown to fail on an archived page with the stable
# page's form of the earlier-versions link (what archives held before),
# on an archived page linking out of its version, on a fragment with no
# target and on an archived manifest whose hash does not match.
. "$(dirname "$0")/lib/common.sh"
in=$T/in
out=$T/out
pub=$out/public
export VSP_EXPORT_KEY=0123456789abcdef0123456789abcdef
# Two small regulators (the sanitizer build is slow): their July exports
# hold 2026Q2 with outcomes still arriving; the October ones the same
# cases with later outcomes.
for r in me-aem xk-kpm; do
  mkdir -p "$in/$r"
  cp "$SRC/samples/$r/$r-2026-07-"*.csv "$in/$r/"
done
publish() { # NAME EPOCH WANT-RELEASE
  SOURCE_DATE_EPOCH=$2 run_vsp "$1" run --in "$in" --out "$out" --period 2026Q2 \
    --profiles "$SRC/profiles"
  expect_eq "$1" "$rc" 0
  [ "$rc" -eq 0 ] || cat "$T/$1.err" >&2
  expect_contains "$1 names its release" "$T/$1.out" "release $3"
}
publish run1 1783641600 "2026Q2-v1 of 2026-07-10"
for r in me-aem xk-kpm; do
  cp "$SRC/samples/$r/$r-2026-10-"*.csv "$in/$r/"
done
publish run2 1792454400 "2026Q2-v2 of 2026-10-20"
# v3: one 2026Q2 case of XK whose outcome was "Removed" is "Declined" in a
# corrected export
$PY "$SRC/tests/cli/lib/correct_xk.py" "$SRC/samples/xk-kpm/xk-kpm-2026-10-05.csv" \
  "$in/xk-kpm/xk-kpm-2026-10-06-correction.csv" >/dev/null || fail "could not make the corrected export"
publish run3 1793059200 "2026Q2-v3 of 2026-10-27"
expect_eq "versions archived" "$(ls -A "$pub/releases/2026Q2" | tr '\n' ' ')" "v1 v2 v3 "

cat >"$T/links.py" <<'PY'
import hashlib, json, os, re, sys
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

pub = os.path.realpath(sys.argv[1])
bad = []

class Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links, self.ids = [], set()
    def handle_starttag(self, tag, attrs):
        for k, v in attrs:
            if k in ("href", "src") and v is not None:
                self.links.append((tag, k, v))
            if k in ("id", "name") and v:
                self.ids.add(v)

pages = {}
def page(path):
    if path not in pages:
        p = Page()
        p.feed(open(path, encoding="utf-8").read())
        pages[path] = p
    return pages[path]

version_re = re.compile(r"^releases/([^/]+)/v(\d+)/")
def version_of(rel):  # ("2026Q2", 2) for a file of an archived version, else None
    m = version_re.match(rel)
    return (m.group(1), int(m.group(2))) if m else None

n_pages = n_links = 0
earlier = {}  # (where the page is: "stable" or N) -> versions its links reach
for root, dirs, files in os.walk(pub):
    dirs.sort()
    for f in sorted(files):
        if not f.endswith(".html"):
            continue
        path = os.path.join(root, f)
        rel = os.path.relpath(path, pub)
        n_pages += 1
        mine = version_of(rel)
        for tag, attr, url in page(path).links:
            n_links += 1
            u = urlsplit(url)
            if u.scheme or u.netloc:
                if attr == "src" or u.scheme not in ("https", "http", "mailto"):
                    bad.append("%s: <%s %s=%r>: not a file of the edition" % (rel, tag, attr, url))
                continue
            if not u.path:  # "#frag": this page
                target = path
            else:
                if u.path.startswith("/"):
                    bad.append("%s: %r: an absolute path" % (rel, url))
                    continue
                target = os.path.normpath(os.path.join(root, unquote(u.path)))
            trel = os.path.relpath(target, pub)
            if trel.startswith(".."):
                bad.append("%s: %r leaves the public folder" % (rel, url))
                continue
            if not os.path.isfile(target):
                bad.append("%s: %r -> %s: no such file" % (rel, url, trel))
                continue
            if u.fragment and target.endswith(".html") and u.fragment not in page(target).ids:
                bad.append("%s: %r: no id %r in %s" % (rel, url, u.fragment, trel))
            theirs = version_of(trel)
            if theirs and theirs != mine:
                # an earlier-versions link: to the same page of another
                # version of the period, from the stable page or an archived one
                if "/site/" not in trel or (mine and theirs[0] != mine[0]):
                    bad.append("%s: %r: reaches %s, not a page of the web edition" % (rel, url, trel))
                earlier.setdefault("stable" if not mine else mine[1], set()).add(theirs[1])
            elif mine and theirs != mine:
                bad.append("%s: %r -> %s: leaves its version v%d" % (rel, url, trel, mine[1]))

# the earlier versions each page reaches: the stable site (v3) and the
# archived v3 reach v2 and v1; v2 reaches v1; v1 none
want = {"stable": {1, 2}, 3: {1, 2}, 2: {1}}
if earlier != want:
    bad.append("earlier-versions links reach %r, want %r" % (earlier, want))

# each manifest lists the bytes its folder holds
def sha(p):
    return hashlib.sha256(open(p, "rb").read()).hexdigest()
n_listed = 0
for mroot in [pub] + [os.path.join(pub, "releases/2026Q2", v)
                      for v in sorted(os.listdir(os.path.join(pub, "releases/2026Q2")))]:
    m = json.load(open(os.path.join(mroot, "manifest.json")))
    for o in m["outputs"]:
        p = os.path.join(mroot, o["path"])
        n_listed += 1
        if not os.path.isfile(p):
            bad.append("%s lists %s, not there" % (os.path.relpath(mroot, pub), o["path"]))
        elif os.path.getsize(p) != o["size"] or sha(p) != o["sha256"]:
            bad.append("%s/manifest.json: %s is not the bytes it lists"
                       % (os.path.relpath(mroot, pub), o["path"]))

for b in bad[:30]:
    print(b)
if len(bad) > 30:
    print("... %d more" % (len(bad) - 30))
print("%d pages, %d links, %d manifest entries checked; earlier versions reached: %r"
      % (n_pages, n_links, n_listed, sorted((str(k), sorted(v)) for k, v in earlier.items())))
sys.exit(1 if bad or n_pages < 100 else 0)
PY

$PY "$T/links.py" "$pub" >"$T/links.out" 2>&1 || { cat "$T/links.out" >&2; fail "links of the web edition do not resolve"; }
cat "$T/links.out"

# The checker fails where it should, each time on a copy (hard links; a
# planted file is written anew, so the original stays).
plant() { # WHAT WANT-MESSAGE COMMAND...
  local what=$1 want=$2
  shift 2
  rm -rf "$T/planted"
  cp -al "$pub" "$T/planted"
  (cd "$T/planted" && eval "$@") || { fail "cannot plant: $what"; return; }
  if $PY "$T/links.py" "$T/planted" >"$T/planted.out" 2>&1; then
    fail "the link checker passed $what"
  elif ! grep -qF -- "$want" "$T/planted.out"; then
    fail "the link checker on $what: no '$want' in:"
    sed 's/^/    /' "$T/planted.out" >&2
  fi
}
v2page=releases/2026Q2/v2/site/en/index.html
plant "the stable form of an earlier-versions link in an archive" "no such file" \
  "sed 's|href=\"../../../v1/|href=\"../../releases/2026Q2/v1/|' $v2page >x && mv x $v2page"
plant "an archived page linking to the stable reports" "leaves its version v2" \
  "sed '0,/href=\"..\/..\/reports\//s||href=\"../../../../../reports/|' $v2page >x && mv x $v2page"
plant "a fragment with no target" "no id 'nowhere'" \
  "sed 's|href=\"#main\"|href=\"#nowhere\"|' $v2page >x && mv x $v2page"
plant "an archived page changed after its manifest" "is not the bytes it lists" \
  "echo '<!-- -->' >>$v2page.x && cat $v2page >>$v2page.x && mv $v2page.x $v2page"
finish
