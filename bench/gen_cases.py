#!/usr/bin/python3
"""gen_cases.py - seeded generator of SYNTHETIC regulator case-log exports.

EVERYTHING THIS SCRIPT WRITES IS SYNTHETIC.  The cases, ids, names, e-mail
addresses, phone numbers, account handles, video ids, notes and all counts
are invented by a pseudo-random generator.  They are not any regulator's
figures, not real complaints and not real people or accounts.

It writes TikTok case-log exports in the six dialects of the regulators that
vspreport reads (profiles/*.ini), for the eight quarters 2024Q4-2026Q3.

Run it with Debian's Python (stdlib only):

  /usr/bin/python3 bench/gen_cases.py --out samples --seed 20261005
      Rewrites samples/ exactly as committed: per regulator a big export
      (2024Q4-2026Q2, taken early July 2026) and a later one (2026Q2-2026Q3,
      taken early October 2026, in which the 2026Q2 cases reappear with
      their decisions and outcomes brought up to date), plus the README
      files.  A handful of deliberately broken rows per regulator are listed
      in samples/README.md.  Beside each export FILE.csv it writes
      FILE.truth: each case's true category, decision, outcome and UTC
      times from the model (not through profiles/), which
      tests/check_truth.py compares with the warehouse row by row.
      After regenerating, `git diff samples` is empty.

  /usr/bin/python3 bench/gen_cases.py --rows 1000000 --regulator al-ama --out /tmp/al.csv
      One large export (2024Q4-2026Q3, as of 5 October 2026) for benchmarks,
      written as it is generated: memory stays flat whatever --rows is.

  /usr/bin/python3 bench/gen_cases.py --rows 1000000 --all --out /tmp/big
      Splits the rows across the six regulators (AL and RS larger, ME and XK
      smaller), one file each: DIR/<regulator>.csv.

  Options for the two large modes:
      --clean        no deliberately broken rows or extra lines
      --seed N       another seed (default 20261005)
      --quarters Q[,Q...]
                     only these quarters get cases (e.g. 2026Q3: a quarter's
                     exports, as bench/bench_scale.sh ingests them)
      --first-quarter Q
                     the eight quarters start at Q (default 2024Q4, at most
                     that); 2024Q3 gives 2024Q3-2026Q2, the history that
                     bench/bench_scale.sh appends a 2026Q3 onto
      --seq-from N   number each year's cases from N+1, so that the export
                     adds cases to a warehouse holding one generated without
                     it instead of updating them
      Without --clean about one row in 20 000 is broken on purpose (unmapped
      label, impossible date, empty required field), and blank lines, an
      exact duplicate row, rows with trailing delimiters and a trailing total
      row are added; --rows counts the case rows, not these extra lines.

  /usr/bin/python3 bench/gen_cases.py --check samples [--profiles profiles]
      Reads every sample back with its profile (encoding, delimiter, header
      row, date formats, label tables), independently of the C code, and
      prints what a reader should find: rows, blank lines, duplicates,
      rejected rows with reasons, cases per quarter, cross-border items.
      Exits 1 if anything besides the deliberate bad rows is wrong.

Determinism: every random draw comes from random.Random objects seeded from
(--seed, purpose) through SHA-256; nothing depends on the clock, on dict or
set iteration order of unordered data, or on hash randomisation.  Time-zone
offsets follow the EU rule (last Sunday of March / October, 01:00 UTC),
which is what tzdata says for all six zones in these years; --check
cross-checks that against zoneinfo when it is available.
"""

import argparse
import bisect
import csv
import datetime as dt
import hashlib
import io
import math
import os
import random
import re
import sys

DEFAULT_SEED = 20261005
DAY = 86400
EPOCH_DATE = dt.date(1970, 1, 1)
EXCEL_EPOCH_DAYS = (dt.date(1899, 12, 30) - EPOCH_DATE).days

SYNTHETIC_NOTE = ("SYNTHETIC DATA: invented by bench/gen_cases.py; not any "
                  "regulator's figures, cases, people or accounts.")

# --------------------------------------------------------------------------
# Time: the EU summer-time rule, civil dates, formatting.
# --------------------------------------------------------------------------


def rng_for(seed, *purpose):
    """A random.Random seeded from (seed, purpose) via SHA-256."""
    text = "/".join([str(seed)] + [str(p) for p in purpose]).encode("utf-8")
    return random.Random(int.from_bytes(hashlib.sha256(text).digest()[:8], "big"))


def epoch(y, m, d, hh=0, mm=0, ss=0):
    return ((dt.date(y, m, d) - EPOCH_DATE).days * DAY + hh * 3600 + mm * 60 + ss)


def last_sunday(y, m):
    d = dt.date(y, m, 31)
    return d - dt.timedelta(days=(d.weekday() - 6) % 7)


# Transitions: [start 2020, end 2020, start 2021, ...] in UTC seconds.
TRANSITIONS = []
for _y in range(2020, 2031):
    for _m in (3, 10):
        _d = last_sunday(_y, _m)
        TRANSITIONS.append(epoch(_d.year, _d.month, _d.day, 1))
DST_DAYS = {}  # local day number -> 'spring' | 'fall'
for _i, _t in enumerate(TRANSITIONS):
    DST_DAYS[_t // DAY] = "spring" if _i % 2 == 0 else "fall"


def utc_offset(t):
    """Offset (seconds) of CET/CEST at UTC second t."""
    return 7200 if bisect.bisect_right(TRANSITIONS, t) % 2 == 1 else 3600


def wall_to_utc(w):
    """Local wall-clock seconds (as if UTC) -> UTC.  Ambiguous times take the
    first occurrence (summer time); times in the spring gap move an hour on."""
    t = w - 7200
    if utc_offset(t) == 7200:
        return t
    return w - 3600


def in_repeated_hour(t):
    """True if t falls in the second pass of the hour that repeats in autumn."""
    i = bisect.bisect_right(TRANSITIONS, t)
    return i % 2 == 0 and i > 0 and t - TRANSITIONS[i - 1] < 3600


YMD = {}


def ymd(dn):
    r = YMD.get(dn)
    if r is None:
        d = EPOCH_DATE + dt.timedelta(days=dn)
        r = YMD[dn] = (d.year, d.month, d.day)
    return r


def local_parts(t):
    lt = t + utc_offset(t)
    dn = lt // DAY
    s = lt - dn * DAY
    return dn, s // 3600, (s // 60) % 60, s % 60


def local_day(t):
    return (t + utc_offset(t)) // DAY


def quarter_of_day(dn):
    y, m, _ = ymd(dn)
    return "%dQ%d" % (y, (m - 1) // 3 + 1)


class DateFmt:
    """Formats a UTC second in a regulator's style (local time)."""

    def __init__(self, kind):
        self.kind = kind
        self.cache = {}

    def day_text(self, dn):
        c = self.cache.get(dn)
        if c is None:
            y, m, d = ymd(dn)
            k = self.kind
            if k == "dmy_dot":
                c = "%02d.%02d.%04d" % (d, m, y)
            elif k == "dmy_dot_dot":
                c = "%02d.%02d.%04d." % (d, m, y)
            elif k == "dmy_loose":
                c = "%d.%d.%04d." % (d, m, y)
            elif k == "dmy_slash":
                c = "%02d/%02d/%04d" % (d, m, y)
            elif k in ("iso_offset", "iso_z", "ymd_hms"):
                c = "%04d-%02d-%02d" % (y, m, d)
            elif k == "excel":
                c = str(dn - EXCEL_EPOCH_DAYS)
            else:
                raise ValueError(k)
            self.cache[dn] = c
        return c

    def fmt(self, t, date_only=False):
        k = self.kind
        if k == "iso_z":
            dn = t // DAY
            s = t - dn * DAY
            return "%sT%02d:%02d:%02dZ" % (self.day_text(dn), s // 3600, (s // 60) % 60, s % 60)
        off = utc_offset(t)
        lt = t + off
        dn = lt // DAY
        s = lt - dn * DAY
        if date_only or k == "dmy_loose":
            return self.day_text(dn)
        if k == "excel":
            v = "%.7f" % (s / DAY)
            v = v.rstrip("0").rstrip(".")
            return self.day_text(dn) + (v[1:] if v != "0" else "")
        if k == "iso_offset":
            return "%sT%02d:%02d:%02d+%02d:00" % (self.day_text(dn), s // 3600, (s // 60) % 60, s % 60, off // 3600)
        if k == "ymd_hms":
            return "%s %02d:%02d:%02d" % (self.day_text(dn), s // 3600, (s // 60) % 60, s % 60)
        return "%s %02d:%02d" % (self.day_text(dn), s // 3600, (s // 60) % 60)

    def shown(self, t, date_only=False):
        """What the text fmt(t, date_only) tells a reader, from the model
        rather than by reading the text back: (UTC second or None for a
        date alone, local date 'YYYY-MM-DD').  Minute formats drop the
        seconds (offsets are whole hours, so local and UTC minutes agree);
        an Excel serial without a fraction (midnight) is a date alone."""
        k = self.kind
        dn = local_day(t)
        day = "%04d-%02d-%02d" % ymd(dn)
        if date_only or k == "dmy_loose":
            return None, day
        if k == "excel" and (t + utc_offset(t)) % DAY == 0:
            return None, day
        if k in ("dmy_dot", "dmy_dot_dot", "dmy_slash"):
            return t - t % 60, day
        return t, day


# --------------------------------------------------------------------------
# Shared vocabulary.
# --------------------------------------------------------------------------

CATEGORIES = ["piracy", "minors", "csam", "hate", "violence", "terrorism", "sexual",
              "bullying", "self_harm", "fraud", "disinfo", "privacy", "commercial", "other"]
BASE_CAT_WEIGHTS = {"piracy": 30, "minors": 24, "csam": 0.6, "hate": 8, "violence": 6,
                    "terrorism": 0.4, "sexual": 4, "bullying": 6, "self_harm": 2,
                    "fraud": 6, "disinfo": 4, "privacy": 3, "commercial": 3, "other": 3}
FORWARD_P = {"piracy": .64, "minors": .52, "csam": .96, "hate": .46, "violence": .50,
             "terrorism": .88, "sexual": .66, "bullying": .40, "self_harm": .62,
             "fraud": .55, "disinfo": .20, "privacy": .45, "commercial": .35, "other": .15}
ACCOUNT_P = {"piracy": .10, "fraud": .25, "bullying": .10, "sexual": .06, "commercial": .08}
URGENT = ("csam", "terrorism", "self_harm")
OUTCOMES_CONTENT = {
    "piracy": [("removed", 55), ("geo_blocked", 22), ("declined", 9), ("already_unavailable", 14)],
    "hate": [("geo_blocked", 45), ("removed", 30), ("declined", 19), ("already_unavailable", 6)],
    "disinfo": [("geo_blocked", 35), ("removed", 20), ("declined", 38), ("already_unavailable", 7)],
    "minors": [("removed", 45), ("age_restricted", 20), ("geo_blocked", 10), ("declined", 15),
               ("already_unavailable", 10)],
    "commercial": [("removed", 35), ("age_restricted", 15), ("geo_blocked", 15), ("declined", 28),
                   ("already_unavailable", 7)],
    None: [("removed", 48), ("geo_blocked", 22), ("age_restricted", 5), ("declined", 15),
           ("already_unavailable", 10)],
}
OUTCOMES_ACCOUNT = [("account_suspended", 34), ("account_banned", 26), ("geo_blocked", 12),
                    ("declined", 18), ("already_unavailable", 10)]
NONFORWARD = [("no_violation", 62), ("out_of_remit", 15), ("insufficient_info", 12), ("duplicate", 11)]
CHANNELS = [("web_form", 74), ("email", 12), ("phone", 5), ("ex_officio", 7), ("other", 2)]
HOURS_PUBLIC = [1, .6, .4, .3, .3, .4, .8, 1.5, 2.5, 3, 3.2, 3.3, 3.5, 3.4, 3.4, 3.5, 3.8, 4.2,
                4.8, 5.5, 6, 6, 5, 3]
HOURS_OFFICE = [0, 0, 0, 0, 0, 0, 0, .5, 3, 4, 4, 4, 3, 3.5, 4, 3.5, 2, .5, 0, 0, 0, 0, 0, 0]

HANDLE_A = ["futboll", "sport", "live", "stream", "klip", "vlog", "daily", "fan", "zona", "hd",
            "show", "lajme", "vesti", "hit", "muzika", "gol", "kanal", "story", "meme", "trend"]
HANDLE_B = ["demo", "test", "sample", "primer", "shembull", "example", "fake", "mock"]

def set_quarters(first):
    """The eight quarters generated, from `first` (default 2024Q4): every
    function reads these three names when it runs."""
    global QUARTERS, QUARTER_START, QUARTER_END
    y, n = int(first[:4]), int(first[5])
    QUARTERS = []
    for _ in range(8):
        QUARTERS.append("%dQ%d" % (y, n))
        y, n = (y + 1, 1) if n == 4 else (y, n + 1)
    QUARTER_START = {q: epoch(int(q[:4]), 3 * int(q[5]) - 2, 1) // DAY for q in QUARTERS}
    QUARTER_END = {}  # exclusive, local day number
    for q in QUARTERS:
        qy, qn = int(q[:4]), int(q[5])
        QUARTER_END[q] = (epoch(qy + 1, 1, 1) if qn == 4 else epoch(qy, 3 * qn + 1, 1)) // DAY


set_quarters("2024Q4")


def cum(pairs):
    vals, acc, out = [], 0.0, []
    for v, w in pairs:
        acc += w
        vals.append(v)
        out.append(acc)
    return vals, [x / acc for x in out]


def ri(rng, a, b):
    """Uniform integer in [a, b] (faster than Random.randint)."""
    return a + int(rng.random() * (b - a + 1))


def rc(rng, seq):
    """Uniform element of seq (faster than Random.choice)."""
    return seq[int(rng.random() * len(seq))]


def pick(rng, table):
    vals, c = table
    return vals[bisect.bisect_left(c, rng.random())]


# --------------------------------------------------------------------------
# The six dialects.
# --------------------------------------------------------------------------


class Dialect:
    pass


def _names(pairs, surnames, domain="example.org"):
    """(display first name, ascii slug) x (display surname, ascii slug)."""
    out = []
    for f, fs in pairs:
        for s, ss in surnames:
            out.append(("%s %s" % (f, s), "%s.%s" % (fs, ss)))
    return out


def make_dialects():
    D = {}

    # ---------------------------------------------------------------- AL AMA
    d = Dialect()
    d.key, d.country, d.tz = "al-ama", "AL", "Europe/Tirane"
    d.encoding, d.codec, d.delimiter, d.lineterm = "utf-8 with BOM", "utf-8-sig", ";", "\n"
    d.title = None
    d.exports = [("2026-07-03", epoch(2026, 7, 3, 8, 15)), ("2026-10-05", epoch(2026, 10, 5, 7, 40))]
    d.ramp = (400, 1100)
    d.cat_adj = {"piracy": 36, "minors": 22}
    d.fwd_adj = 0.04
    d.id_fmt = lambda y, n: "AMA-%d-%05d" % (y, n)
    d.fmt = {"*": DateFmt("dmy_dot")}
    d.date_only_p = 0.03
    d.columns = [
        ("ID e rastit", "case_id"), ("Data e marrjes", "received_at"), ("Kanali", "channel"),
        ("Emri i ankuesit", "reporter_name"), ("Email i ankuesit", "reporter_email"),
        ("Telefoni", "reporter_phone"), ("Linku i përmbajtjes", "content_url"), ("Lloji", "item_kind"),
        ("Llogaria", "account_handle"), ("Kategoria", "category"), ("Baza ligjore", "legal_basis"),
        ("Vendimi", "decision"), ("Data e vendimit", "decided_at"),
        ("Data e dërgimit te TikTok", "forwarded_at"), ("Përgjigja e TikTok", "outcome"),
        ("Data e përgjigjes", "outcome_at"), ("Shënime", "notes"), ("Punonjësi", "x_officer"),
        ("Statusi i brendshëm", "x_status"), ("Prioriteti", "x_priority")]
    d.renames = {1: {"Data e marrjes": "Data e pranimit"}}
    d.labels = {
        "category": {
            "piracy": [("Piratëri audiovizive", 80), ("Transmetim i paautorizuar", 20)],
            "minors": [("Përmbajtje e dëmshme për të miturit", 70), ("Alkool / drogë", 12),
                       ("Sfida të rrezikshme (#challenge)", 18)],
            "csam": [("Abuzim seksual me fëmijë", 1)], "hate": [("Gjuhë urrejtjeje", 1)],
            "violence": [("Dhunë; kërcënim", 1)], "terrorism": [("Përmbajtje terroriste", 1)],
            "sexual": [("Përmbajtje pornografike", 1)],
            "bullying": [("Bullizëm / ngacmim kibernetik", 1)],
            "self_harm": [("Vetëdëmtim / vetëvrasje", 1)], "fraud": [("Mashtrim", 1)],
            "disinfo": [("Dezinformim", 1)], "privacy": [("Shkelje e privatësisë", 1)],
            "commercial": [("Reklamë e fshehtë", 1)], "other": [("Tjetër", 1)]},
        "decision": {"forwarded": "Përcjellë te TikTok", "no_violation": "Nuk ka shkelje",
                     "out_of_remit": "Jashtë juridiksionit",
                     "insufficient_info": "Informacion i pamjaftueshëm",
                     "duplicate": "Ankesë e përsëritur", "pending": "Në shqyrtim"},
        "outcome": {"removed": "Hequr", "geo_blocked": "Bllokuar në Shqipëri",
                    "age_restricted": "Kufizim moshe", "account_suspended": "Llogari e pezulluar",
                    "account_banned": "Llogari e fshirë", "declined": "Refuzuar nga TikTok",
                    "already_unavailable": "Nuk ishte më online",
                    "pending": "Në pritje të përgjigjes"},
        "channel": {"web_form": "Formulari online", "email": "Email", "phone": "Telefon",
                    "ex_officio": "Kryesisht (ex officio)", "other": "Tjetër"},
        "item_kind": {"content": "Video", "account": "Llogari"},
    }
    d.pending_outcome = "label"
    d.bad = {"label": ("category", "Piratri audiovizive"), "label2": ("decision", "Percjelle te TikTok"),
             "empty": "category", "date": "31.02.2026 10:20"}
    d.total = lambda n, w: ["Totali", str(n)] + [""] * 3
    d.names = _names([("Arta", "arta"), ("Besnik", "besnik"), ("Dritan", "dritan"), ("Elira", "elira"),
                      ("Fatos", "fatos"), ("Gentiana", "gentiana"), ("Ilir", "ilir"), ("Jonida", "jonida"),
                      ("Klodian", "klodian"), ("Lindita", "lindita"), ("Mirela", "mirela"),
                      ("Ndriçim", "ndricim"), ("Orjona", "orjona"), ("Petrit", "petrit"),
                      ("Rudina", "rudina"), ("Sokol", "sokol"), ("Teuta", "teuta"), ("Valbona", "valbona")],
                     [("Shembulli", "shembulli"), ("Prova", "prova"), ("Testi", "testi"), ("Mostra", "mostra")])
    d.phone_prefix = "+000 6%d %03d %04d"
    d.legal = [("Ligji 97/2013, neni 33", 40), ("Ligji 97/2013, neni 48", 25),
               ("Ligji 35/2016, neni 4", 35)]
    d.notes_p = 0.33
    d.notes = [
        'Transmetim live i ndeshjes "{m}" pa të drejta; ankuesi është mbajtësi i të drejtave',
        "Prindi raporton se fëmija e ka parë videon në shkollë",
        "Ankuesi dërgoi edhe një link:\n{u}",
        'Llogaria "{h}" publikon çdo javë përmbajtje të njëjtë; shih rastin {c}',
        'Videoja përmban "sfidën" e rrezikshme; e shpërndarë gjerësisht',
        "Telefonatë; ankuesi nuk dha link, vetëm emrin e llogarisë",
        "Kërkesë nga institucioni partner, nr. prot. {n}",
        'Përshkrimi i ankuesit:\n"Videoja fyen komunitetin"\nKërkon heqje',
    ]
    d.matches = ["Superliga, java {n}", "Kupa, çerekfinale", "Ndeshje miqësore {n}"]
    d.extras = {"x_officer": lambda r: "Analist %02d" % ri(r, 1, 9),
                "x_priority": lambda r: None}
    d.officer_pool = None
    d.sort_desc = False
    D[d.key] = d

    # ---------------------------------------------------------------- BA RAK
    d = Dialect()
    d.key, d.country, d.tz = "ba-cra", "BA", "Europe/Sarajevo"
    d.encoding, d.codec, d.delimiter, d.lineterm = "windows-1250", "cp1250", ",", "\r\n"
    d.title = ("Regulatorna agencija za komunikacije – Evidencija prijava sadržaja na platformi TikTok "
               "(izvoz {date}) – SINTETIČKI PODACI, nisu stvarni podaci Agencije")
    d.exports = [("2026-07-02", epoch(2026, 7, 2, 11, 5)), ("2026-10-06", epoch(2026, 10, 6, 9, 30))]
    d.ramp = (180, 470)
    d.cat_adj = {"hate": 11}
    d.fwd_adj = 0.0
    d.id_fmt = lambda y, n: "RAK-TT-%02d-%04d" % (y % 100, n)
    d.fmt = {"*": DateFmt("excel")}
    d.date_only_p = 0.02
    d.columns = [
        ("R.br.", "x_rowno"), ("Broj predmeta", "case_id"), ("Datum prijema", "received_at"),
        ("Način prijave", "channel"), ("Podnosilac", "reporter_name"), ("E-mail", "reporter_email"),
        ("Telefon", "reporter_phone"), ("Link", "content_url"), ("Vrsta", "item_kind"),
        ("Kategorija", "category"), ("Odluka", "decision"), ("Datum odluke", "decided_at"),
        ("Datum prosljeđivanja", "forwarded_at"), ("Odgovor platforme", "outcome"),
        ("Datum odgovora", "outcome_at"), ("Napomena", "notes"), ("Zadužen", "x_officer"),
        ("Entitet", "x_entity")]
    d.renames = {}
    d.labels = {
        "category": {
            "piracy": [("Piratstvo", 75), ("Neovlašteni prijenos", 25)],
            "minors": [("Sadržaj štetan za maloljetnike", 85), ("Opasni izazovi", 15)],
            "csam": [("Seksualno zlostavljanje djece", 1)], "hate": [("Govor mržnje", 1)],
            "violence": [("Nasilje", 1)], "terrorism": [("Terorizam", 1)],
            "sexual": [("Pornografija", 1)], "bullying": [("Vršnjačko nasilje / uznemiravanje", 1)],
            "self_harm": [("Samopovređivanje", 1)], "fraud": [("Prevara", 1)],
            "disinfo": [("Dezinformacije", 1)], "privacy": [("Povreda privatnosti", 1)],
            "commercial": [("Prikriveno oglašavanje", 1)], "other": [("Ostalo", 1)]},
        "decision": {"forwarded": "Proslijeđeno platformi", "no_violation": "Nema povrede",
                     "out_of_remit": "Nije u nadležnosti", "insufficient_info": "Nedovoljno podataka",
                     "duplicate": "Duplikat", "pending": "U obradi"},
        "outcome": {"removed": "Uklonjeno", "geo_blocked": "Geo-blokirano",
                    "age_restricted": "Dobno ograničeno", "account_suspended": "Nalog suspendovan",
                    "account_banned": "Nalog ugašen", "declined": "Odbijeno",
                    "already_unavailable": "Već nedostupno", "pending": "Čeka odgovor"},
        "channel": {"web_form": "Web obrazac", "email": "E-mail", "phone": "Telefon",
                    "ex_officio": "Po službenoj dužnosti", "other": "Ostalo"},
        "item_kind": {"content": "Video", "account": "Profil"},
    }
    d.pending_outcome = "empty"
    d.bad = {"label": ("category", "Govor mrznje"), "label2": ("outcome", "Uklonjen sadrzaj"),
             "empty": "case_id", "date": "31.02.2026"}
    d.total = lambda n, w: ["Ukupno:", "", str(n)] + [""] * (w - 3)
    d.names = _names([("Amra", "amra"), ("Edin", "edin"), ("Lejla", "lejla"), ("Mirza", "mirza"),
                      ("Ivana", "ivana"), ("Dragan", "dragan"), ("Selma", "selma"), ("Tarik", "tarik"),
                      ("Maja", "maja"), ("Nermin", "nermin"), ("Jasna", "jasna"), ("Goran", "goran")],
                     [("Primjerović", "primjerovic"), ("Testić", "testic"), ("Uzorković", "uzorkovic")])
    d.phone_prefix = "+000 6%d %03d %04d"
    d.legal = None
    d.notes_p = 0.30
    d.notes = [
        'Prijenos utakmice "{m}" bez prava, nosilac prava dostavio dopis',
        "Roditelj prijavio video koji kruži po školi",
        "Podnosilac dostavio i drugi link:\n{u}",
        'Profil "{h}" redovno objavljuje isti sadržaj, vidi predmet {c}',
        "Prijava telefonom, bez linka, samo naziv profila",
        'Sadržaj sa "izazovom" – opasan za djecu, širi se među učenicima',
        'Citat iz prijave: "ovo je sramota, uklonite", hvala',
    ]
    d.matches = ["Premijer liga BiH, {n}. kolo", "Kup BiH, četvrtfinale", "Prijateljska utakmica {n}"]
    d.extras = {"x_officer": lambda r: "Analitičar %d" % ri(r, 1, 6),
                "x_entity": lambda r: rc(r, ["FBiH", "FBiH", "FBiH", "RS", "RS", "BD", ""])}
    d.sort_desc = False
    D[d.key] = d

    # ---------------------------------------------------------------- ME AEM
    d = Dialect()
    d.key, d.country, d.tz = "me-aem", "ME", "Europe/Podgorica"
    d.encoding, d.codec, d.delimiter, d.lineterm = "windows-1250", "cp1250", ";", "\r\n"
    d.title = None
    d.exports = [("2026-07-06", epoch(2026, 7, 6, 10, 0)), ("2026-10-02", epoch(2026, 10, 2, 12, 0))]
    d.ramp = (140, 310)
    d.cat_adj = {"minors": 28}
    d.fwd_adj = 0.0
    d.id_fmt = lambda y, n: "02-%d/%02d" % (n, y % 100)
    d.fmt = {"*": DateFmt("dmy_loose")}
    d.date_only_p = 1.0
    d.columns = [
        ("Broj predmeta", "case_id"), ("Datum prijema", "received_at"),
        ("Način podnošenja", "channel"), ("Podnosilac prijave", "reporter_name"),
        ("E-pošta", "reporter_email"), ("Kontakt telefon", "reporter_phone"),
        ("Link ka sadržaju", "content_url"), ("Kategorija", "category"),
        ("Odluka Agencije", "decision"), ("Datum odluke", "decided_at"),
        ("Datum prosljeđivanja", "forwarded_at"), ("Odgovor platforme", "outcome"),
        ("Datum odgovora", "outcome_at"), ("Napomena", "notes"), ("Obrađivač", "x_officer"),
        ("Broj akta", "x_act")]
    d.renames = {}
    d.labels = {
        "category": {
            "piracy": [("Piraterija", 1)],
            "minors": [("Štetno po maloljetnike", 80), ("Alkohol i droge", 20)],
            "csam": [("Seksualno zlostavljanje djece", 1)], "hate": [("Govor mržnje", 1)],
            "violence": [("Nasilje", 1)], "terrorism": [("Terorizam", 1)],
            "sexual": [("Pornografski sadržaj", 1)], "bullying": [("Sajber nasilje", 1)],
            "self_harm": [("Samopovređivanje", 1)], "fraud": [("Prevara", 1)],
            "disinfo": [("Dezinformacije", 1)], "privacy": [("Povreda privatnosti", 1)],
            "commercial": [("Prikriveno oglašavanje", 1)], "other": [("Ostalo", 1)]},
        "decision": {"forwarded": "Proslijeđeno TikTok-u", "no_violation": "Nema kršenja",
                     "out_of_remit": "Van nadležnosti", "insufficient_info": "Nepotpuna prijava",
                     "duplicate": "Ponovljena prijava", "pending": "U postupku"},
        "outcome": {"removed": "Uklonjen", "geo_blocked": "Blokiran u Crnoj Gori",
                    "age_restricted": "Ograničen uzrast", "account_suspended": "Nalog suspendovan",
                    "account_banned": "Nalog ugašen", "declined": "Odbijen",
                    "already_unavailable": "Već uklonjen", "pending": "Čeka se odgovor"},
        "channel": {"web_form": "Web forma", "email": "E-pošta", "phone": "Telefon",
                    "ex_officio": "Po službenoj dužnosti", "other": "Drugo"},
    }
    d.content_only = True
    d.pending_outcome = "mixed"
    d.bad = {"label": ("category", "Pirateria"), "empty": "decision", "date": "31.2.2026."}
    d.total = lambda n, w: ["Ukupno", str(n)] + [""] * (w - 2)
    d.names = _names([("Jovana", "jovana"), ("Nikola", "nikola"), ("Milica", "milica"),
                      ("Stefan", "stefan"), ("Ana", "ana"), ("Marko", "marko"), ("Tamara", "tamara"),
                      ("Đorđe", "djordje"), ("Ivana", "ivana"), ("Luka", "luka")],
                     [("Primjerović", "primjerovic"), ("Probić", "probic"), ("Oglednić", "oglednic")])
    d.phone_prefix = "+000 6%d %03d %03d"
    d.legal = None
    d.notes_p = 0.28
    d.notes = [
        'Prenos utakmice "{m}" bez prava; prijavio nosilac prava',
        "Roditelj prijavio video; dijete ga vidjelo u školi",
        "Podnosilac dostavio još jedan link:\r\n{u}",
        'Nalog "{h}" objavljuje isti sadržaj; vidjeti predmet {c}',
        "Prijava telefonom; bez linka",
        'Iz prijave: "uklonite ovo što prije"; proslijeđeno hitno',
    ]
    d.matches = ["Prva liga, {n}. kolo", "Kup Crne Gore", "Prijateljska utakmica {n}"]
    d.extras = {"x_officer": lambda r: "Službenik %d" % ri(r, 1, 4),
                "x_act": lambda r: "01-%d/%d" % (ri(r, 100, 2999), ri(r, 24, 26))
                if r.random() < .5 else ""}
    d.sort_desc = False
    D[d.key] = d

    # ---------------------------------------------------------------- MK AVMU
    d = Dialect()
    d.key, d.country, d.tz = "mk-avmu", "MK", "Europe/Skopje"
    d.encoding, d.codec, d.delimiter, d.lineterm = "utf-8", "utf-8", "\t", "\n"
    d.title = None
    d.exports = [("2026-07-01", epoch(2026, 7, 1, 13, 20)), ("2026-10-07", epoch(2026, 10, 7, 8, 50))]
    d.ramp = (210, 540)
    d.cat_adj = {"fraud": 8}
    d.fwd_adj = 0.0
    d.id_fmt = lambda y, n: "ТТ-%d/%04d" % (y, n)
    d.fmt = {"*": DateFmt("dmy_slash")}
    d.date_only_p = 0.0
    d.columns = [
        ("Бр. на предмет", "case_id"), ("Датум на пријава", "received_at"),
        ("Начин на пријавување", "channel"), ("Подносител", "reporter_name"),
        ("Е-пошта", "reporter_email"), ("Телефон", "reporter_phone"), ("Линк", "content_url"),
        ("Вид на содржина", "item_kind"), ("Профил", "account_handle"), ("Категорија", "category"),
        ("Правна основа", "legal_basis"), ("Одлука", "decision"), ("Датум на одлука", "decided_at"),
        ("Датум на проследување", "forwarded_at"), ("Одговор од платформата", "outcome"),
        ("Датум на одговор", "outcome_at"), ("Забелешка", "notes"), ("Обработил", "x_officer"),
        ("Град", "x_city")]
    d.renames = {}
    d.labels = {
        "category": {
            "piracy": [("Пиратерија", 1)],
            "minors": [("Штетно за малолетници", 80), ("Алкохол и дроги", 20)],
            "csam": [("Сексуална злоупотреба на деца", 1)], "hate": [("Говор на омраза", 1)],
            "violence": [("Насилство", 1)], "terrorism": [("Тероризам", 1)],
            "sexual": [("Порнографија", 1)], "bullying": [("Сајбер малтретирање", 1)],
            "self_harm": [("Самоповредување", 1)], "fraud": [("Измама", 1)],
            "disinfo": [("Дезинформации", 1)], "privacy": [("Повреда на приватноста", 1)],
            "commercial": [("Прикриено рекламирање", 1)], "other": [("Друго", 1)]},
        "decision": {"forwarded": "Проследено до TikTok", "no_violation": "Нема прекршување",
                     "out_of_remit": "Надвор од надлежност", "insufficient_info": "Недоволно податоци",
                     "duplicate": "Дупликат", "pending": "Во постапка"},
        "outcome": {"removed": "Отстрането", "geo_blocked": "Геоблокирано",
                    "age_restricted": "Старосно ограничување",
                    "account_suspended": "Профилот суспендиран", "account_banned": "Профилот избришан",
                    "declined": "Одбиено", "already_unavailable": "Веќе недостапно",
                    "pending": "Во тек"},
        "channel": {"web_form": "Веб-формулар", "email": "Е-пошта", "phone": "Телефон",
                    "ex_officio": "По службена должност", "other": "Друго"},
        "item_kind": {"content": "Видео", "account": "Профил"},
    }
    d.pending_outcome = "label"
    d.bad = {"label": ("category", "Пиретерија"), "empty": "received_at", "date": "31/02/2026 10:15"}
    d.total = lambda n, w: ["Вкупно", str(n)]
    d.names = _names([("Ана", "ana"), ("Бојан", "bojan"), ("Елена", "elena"), ("Горан", "goran"),
                      ("Ивана", "ivana"), ("Марко", "marko"), ("Сара", "sara"), ("Филип", "filip"),
                      ("Марија", "marija"), ("Никола", "nikola")],
                     [("Примерски", "primerski"), ("Пробевски", "probevski"), ("Тестоска", "testoska")])
    d.phone_prefix = "+000 7%d %03d %03d"
    d.legal = [("Закон за аудио и аудиовизуелни медиумски услуги, чл. 48", 45),
               ("Закон за аудио и аудиовизуелни медиумски услуги, чл. 50", 30),
               ("Закон за авторското право", 25)]
    d.notes_p = 0.30
    d.notes = [
        'Пренос на натпревар "{m}" без права; пријавено од носителот на правата',
        "Родител пријавува видео што кружи во училиште",
        "Копирано од е-пошта:\tпрепратена порака од граѓанин",
        "Подносителот достави уште еден линк:\n{u}",
        'Профилот "{h}" објавува иста содржина, види предмет {c}',
        'Цитат: "веднаш отстранете го", пријава по телефон',
    ]
    d.matches = ["Прва лига, {n}. коло", "Куп, четвртфинале", "Пријателски натпревар {n}"]
    d.extras = {"x_officer": lambda r: "Аналитичар %d" % ri(r, 1, 7),
                "x_city": lambda r: rc(r, ["Скопје", "Скопје", "Скопје", "Битола", "Куманово",
                                              "Прилеп", "Тетово", "Охрид", "Штип", ""])}
    d.sort_desc = True
    D[d.key] = d

    # ---------------------------------------------------------------- RS REM
    d = Dialect()
    d.key, d.country, d.tz = "rs-rem", "RS", "Europe/Belgrade"
    d.encoding, d.codec, d.delimiter, d.lineterm = "windows-1251", "cp1251", ";", "\r\n"
    d.title = None
    d.exports = [("2026-07-03", epoch(2026, 7, 3, 6, 55)), ("2026-10-05", epoch(2026, 10, 5, 11, 10))]
    d.ramp = (450, 1180)
    d.cat_adj = {"disinfo": 6, "hate": 9}
    d.fwd_adj = -0.05
    d.id_fmt = lambda y, n: "07-%05d/%d" % (n, y)
    d.fmt = {"*": DateFmt("dmy_dot_dot"), "outcome_at": DateFmt("ymd_hms")}
    d.date_only_p = 0.04
    d.columns = [
        ("Редни број", "x_rowno"), ("Број предмета", "case_id"), ("Датум пријема", "received_at"),
        ("Начин пријаве", "channel"), ("Подносилац", "reporter_name"), ("Имејл", "reporter_email"),
        ("Телефон", "reporter_phone"), ("Платформа", "platform"), ("Веза (URL)", "content_url"),
        ("Тип", "item_kind"), ("Налог", "account_handle"), ("Категорија", "category"),
        ("Правни основ", "legal_basis"), ("Одлука", "decision"), ("Датум одлуке", "decided_at"),
        ("Датум прослеђивања", "forwarded_at"), ("Одговор платформе", "outcome"),
        ("Датум одговора", "outcome_at"), ("Напомена", "notes"), ("Обрађивач", "x_officer"),
        ("Интерни број", "x_internal"), ("Статус у писарници", "x_registry"), ("Рок", "x_deadline")]
    d.renames = {}
    d.reorder = {1: ["Број предмета", "Категорија", "Одлука", "Датум пријема"]}
    d.labels = {
        "category": {
            "piracy": [("Пиратерија", 75), ("Неовлашћено емитовање", 25)],
            "minors": [("Штетно за малолетнике", 82), ("Опасни изазови", 18)],
            "csam": [("Сексуално злостављање деце", 1)], "hate": [("Говор мржње", 1)],
            "violence": [("Насиље", 1)], "terrorism": [("Тероризам", 1)],
            "sexual": [("Порнографија", 1)], "bullying": [("Вршњачко насиље", 1)],
            "self_harm": [("Самоповређивање", 1)], "fraud": [("Превара", 1)],
            "disinfo": [("Дезинформације", 1)], "privacy": [("Повреда приватности", 1)],
            "commercial": [("Прикривено оглашавање", 1)], "other": [("Остало", 1)]},
        "decision": {"forwarded": "Прослеђено платформи", "no_violation": "Нема повреде",
                     "out_of_remit": "Ван надлежности", "insufficient_info": "Недовољно података",
                     "duplicate": "Дупликат", "pending": "У поступку"},
        "outcome": {"removed": "Уклоњено", "geo_blocked": "Геоблокирано",
                    "age_restricted": "Старосно ограничено", "account_suspended": "Налог суспендован",
                    "account_banned": "Налог угашен", "declined": "Одбијено",
                    "already_unavailable": "Већ недоступно", "pending": "Чека се одговор"},
        "channel": {"web_form": "Веб образац", "email": "Имејл", "phone": "Телефон",
                    "ex_officio": "По службеној дужности", "other": "Остало"},
        "item_kind": {"content": "Видео", "account": "Налог"},
        "platform": {"tiktok": "TikTok"},
    }
    d.pending_outcome = "empty"
    d.bad = {"label": ("category", "Говор мрзње"), "empty": "received_at", "date": "31.02.2026. 11:20"}
    d.total = lambda n, w: ["", "Укупно", str(n)] + [""] * (w - 3)
    d.names = _names([("Марко", "marko"), ("Јелена", "jelena"), ("Немања", "nemanja"),
                      ("Милица", "milica"), ("Стефан", "stefan"), ("Ана", "ana"), ("Душан", "dusan"),
                      ("Тијана", "tijana"), ("Никола", "nikola"), ("Драгана", "dragana"),
                      ("Вук", "vuk"), ("Сања", "sanja")],
                     [("Примеровић", "primerovic"), ("Тестић", "testic"), ("Огледић", "ogledic"),
                      ("Узорковић", "uzorkovic")])
    d.phone_prefix = "+000 6%d %03d %04d"
    d.legal = [("Закон о електронским медијима, чл. 50", 35),
               ("Закон о електронским медијима, чл. 68", 30),
               ("Закон о ауторском и сродним правима", 35)]
    d.notes_p = 0.32
    d.notes = [
        'Пренос утакмице "{m}" без права; пријавио носилац права',
        "Родитељ пријављује видео који кружи по школи",
        "Подносилац је доставио још један линк:\n{u}",
        'Налог "{h}" објављује исти садржај; видети предмет {c}',
        "Пријава телефоном; без линка, само назив налога",
        'Из пријаве: "уклоните ово хитно"; прослеђено по хитном поступку',
        "Допис институције, бр. {n}",
    ]
    d.matches = ["Суперлига, {n}. коло", "Куп Србије, четвртфинале", "Пријатељска утакмица {n}"]
    d.extras = {"x_officer": lambda r: "Аналитичар %d" % ri(r, 1, 12),
                "x_internal": lambda r: "ИН-%06d" % ri(r, 1, 999999)}
    d.sort_desc = False
    D[d.key] = d

    # ---------------------------------------------------------------- XK KPM
    d = Dialect()
    d.key, d.country, d.tz = "xk-kpm", "XK", "Europe/Belgrade"
    d.encoding, d.codec, d.delimiter, d.lineterm = "utf-8", "utf-8", ",", "\n"
    d.title = None
    d.exports = [("2026-07-07", epoch(2026, 7, 7, 9, 0)), ("2026-10-05", epoch(2026, 10, 5, 13, 45))]
    d.ramp = (150, 360)
    d.cat_adj = {"hate": 9}
    d.fwd_adj = 0.0
    d.id_fmt = lambda y, n: "KPM-%02d-%04d" % (y % 100, n)
    d.fmt = {"*": DateFmt("iso_offset"), "forwarded_at": DateFmt("iso_z"),
             "outcome_at": DateFmt("iso_z")}
    d.date_only_p = 0.0
    d.columns = [
        ("Case No.", "case_id"), ("Date received", "received_at"), ("Channel", "channel"),
        ("Complainant", "reporter_name"), ("Complainant e-mail", "reporter_email"),
        ("Complainant phone", "reporter_phone"), ("URL", "content_url"), ("Platform", "platform"),
        ("Type", "item_kind"), ("Account", "account_handle"), ("Category", "category"),
        ("Decision", "decision"), ("Decision date", "decided_at"),
        ("Sent to platform", "forwarded_at"), ("Platform response", "outcome"),
        ("Response date", "outcome_at"), ("Notes", "notes"), ("Officer", "x_officer"),
        ("Complaint language", "x_lang"), ("Municipality", "x_muni")]
    d.renames = {1: {"Case No.": "Case number", "Date received": " Date Received "}}
    d.added = {1: ("Last modified", "x_modified")}
    d.labels = {
        "category": {
            "piracy": [("Piracy", 80), ("Piratëri", 20)],
            "minors": [("Harmful to minors", 78), ("Përmbajtje e dëmshme për fëmijë", 22)],
            "csam": [("Child sexual abuse material", 1)],
            "hate": [("Hate speech", 75), ("Gjuhë e urrejtjes", 25)],
            "violence": [("Violence", 1)], "terrorism": [("Terrorist content", 1)],
            "sexual": [("Pornography", 1)], "bullying": [("Cyberbullying", 1)],
            "self_harm": [("Self-harm", 1)], "fraud": [("Fraud / scam", 1)],
            "disinfo": [("Disinformation", 1)], "privacy": [("Privacy", 1)],
            "commercial": [("Hidden advertising", 1)], "other": [("Other", 80), ("Tjetër", 20)]},
        "decision": {"forwarded": "Forwarded to TikTok", "no_violation": "No violation",
                     "out_of_remit": "Outside mandate", "insufficient_info": "Insufficient information",
                     "duplicate": "Duplicate", "pending": "Under review"},
        "decision_alt": {"forwarded": "Dërguar te TikTok", "no_violation": "Nuk ka shkelje"},
        "outcome": {"removed": "Removed", "geo_blocked": "Geo-blocked (Kosovo)",
                    "age_restricted": "Age-restricted", "account_suspended": "Account suspended",
                    "account_banned": "Account banned", "declined": "Declined",
                    "already_unavailable": "Already unavailable", "pending": "Pending"},
        "channel": {"web_form": "Web form", "email": "E-mail", "phone": "Phone",
                    "ex_officio": "Ex officio", "other": "Other"},
        "item_kind": {"content": "Video", "account": "Account"},
        "platform": {"tiktok": "TikTok"},
        "platform_alt": ["TikTok", "TikTok", "TikTok", "TikTok", "TIKTOK", "TikTok ", "Tik Tok", "tiktok"],
    }
    d.pending_outcome = "mixed"
    d.bad = {"label": ("category", "Harmfull to minors"), "empty": "decision",
             "date": "2026-02-31T10:20:00+01:00"}
    d.total = lambda n, w: ["Total", str(n)] + [""] * (w - 2)
    d.names = _names([("Arben", "arben"), ("Drita", "drita"), ("Blerta", "blerta"), ("Faton", "faton"),
                      ("Vjosa", "vjosa"), ("Liridon", "liridon"), ("Milan", "milan"), ("Jane", "jane"),
                      ("Alex", "alex"), ("Era", "era")],
                     [("Example", "example"), ("Shembulli", "shembulli"), ("Sample", "sample")])
    d.phone_prefix = "+000 4%d %03d %03d"
    d.legal = None
    d.notes_p = 0.30
    d.notes = [
        'Complainant says the stream of "{m}" runs every weekend, see also {c}',
        "Parent reports the video circulates in school, asks for removal",
        "Second link sent by e-mail:\n{u}",
        'Account "{h}" reposts the same clip, Serbian and Albanian captions',
        "Phone report, no link, only the account name",
        'Quoted: "take it down, please", forwarded urgently',
        "Ankuesi kërkon heqjen e videos, shih rastin {c}",
    ]
    d.matches = ["Superliga, java {n}", "Kupa e Kosovës", "Ndeshje miqësore {n}"]
    d.extras = {"x_officer": lambda r: "Officer %02d" % ri(r, 1, 6),
                "x_lang": lambda r: rc(r, ["Albanian", "Albanian", "Albanian", "Albanian",
                                              "Serbian", "English", "Turkish"]),
                "x_muni": lambda r: rc(r, ["Prishtinë", "Prishtinë", "Prizren", "Pejë", "Gjakovë",
                                              "Mitrovicë", "Ferizaj", "Gjilan", ""])}
    d.sort_desc = False
    D[d.key] = d

    for d in D.values():
        d.fields = [f for _, f in d.columns]
        d.width = len(d.columns)
        if not hasattr(d, "reorder"):
            d.reorder = {}
        if not hasattr(d, "added"):
            d.added = {}
        if not hasattr(d, "content_only"):
            d.content_only = False
        w = dict(BASE_CAT_WEIGHTS)
        w.update(d.cat_adj)
        d.cat_table = cum([(c, w[c]) for c in CATEGORIES])
        d.cat_labels = {c: cum(d.labels["category"][c]) for c in CATEGORIES}
        d.legal_table = cum(d.legal[:-1]) if d.legal else None
        d.extras_sorted = sorted(d.extras.items())
        d.fdate = lambda field, dd=d: dd.fmt.get(field, dd.fmt["*"])
    return D


DIALECTS = make_dialects()
ORDER = ["al-ama", "ba-cra", "me-aem", "mk-avmu", "rs-rem", "xk-kpm"]
SIZE_WEIGHT = {k: DIALECTS[k].ramp[0] + DIALECTS[k].ramp[1] for k in ORDER}

T_CHANNELS = cum(CHANNELS)
T_NONFWD = cum(NONFORWARD)
T_OUT_CONTENT = {k: cum(v) for k, v in OUTCOMES_CONTENT.items()}
T_OUT_ACCOUNT = cum(OUTCOMES_ACCOUNT)
T_HOURS_PUBLIC = cum(list(enumerate(HOURS_PUBLIC)))
T_HOURS_OFFICE = cum(list(enumerate(HOURS_OFFICE)))

# --------------------------------------------------------------------------
# URLs.
# --------------------------------------------------------------------------

SHORT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789"
VIDEO_FORMS = cum([
    ("https://www.tiktok.com/@{h}/video/{v}", 34),
    ("https://www.tiktok.com/@{h}/video/{v}?is_from_webapp=1&sender_device=pc", 12),
    ("https://www.tiktok.com/@{h}/video/{v}?_r=1&_t={t}", 5),
    ("https://www.tiktok.com/@{h}/video/{v}/", 4),
    ("https://www.tiktok.com/@{h}/video/{v}?lang={lang}", 2),
    ("www.tiktok.com/@{h}/video/{v}", 5),
    ("tiktok.com/@{h}/video/{v}", 5),
    ("http://tiktok.com/@{h}/video/{v}", 2),
    ("https://m.tiktok.com/v/{v}.html", 5),
    ("https://m.tiktok.com/v/{v}.html?u_code={t}&preview_pb=0", 2),
    ("https://m.tiktok.com/@{h}/video/{v}", 3),
    ("HTTPS://WWW.TIKTOK.COM/@{H}/VIDEO/{v}", 2),
    (" https://www.tiktok.com/@{h}/video/{v} ", 1),
    ("SHORT:vm", 10),
    ("SHORT:vt", 3),
    ("SHORT:t", 2),
])
LONG_VIDEO_FORMS = cum([(f, w) for f, w in zip(VIDEO_FORMS[0], [1] * 99) if not f.startswith("SHORT")])
ACCOUNT_FORMS = cum([
    ("https://www.tiktok.com/@{h}", 50), ("https://www.tiktok.com/@{h}/", 10),
    ("https://www.tiktok.com/@{h}?lang={lang}", 8), ("tiktok.com/@{h}", 10),
    ("www.tiktok.com/@{h}", 8), ("https://m.tiktok.com/@{h}", 6), ("HTTPS://WWW.TIKTOK.COM/@{H}", 3),
    ("https://www.tiktok.com/@{h}?is_from_webapp=1&sender_device=pc", 5)])
LANG_OF = {"AL": "sq", "BA": "bs", "ME": "sr", "MK": "mk", "RS": "sr", "XK": "sq"}


def short_code(rng, prefix):
    return prefix + "".join(rc(rng, SHORT_ALPHABET) for _ in range(7))


def make_url(rng, kind, vid, handle, country, long_only=False):
    if kind == "account":
        form = pick(rng, ACCOUNT_FORMS)
    else:
        form = pick(rng, LONG_VIDEO_FORMS if long_only else VIDEO_FORMS)
        if form == "SHORT:vm":
            return "https://vm.tiktok.com/%s/" % short_code(rng, "ZM")
        if form == "SHORT:vt":
            return "https://vt.tiktok.com/%s/" % short_code(rng, "ZS")
        if form == "SHORT:t":
            return "https://www.tiktok.com/t/%s/" % short_code(rng, "ZT")
    return form.format(h=handle, H=handle.upper(), v=vid, t="8" + str(rng.getrandbits(40)),
                       lang=LANG_OF[country])


def new_handle(rng):
    a = rc(rng, HANDLE_A)
    b = rc(rng, HANDLE_B)
    sep = rc(rng, [".", "_", ""])
    return "%s%s%s%d" % (a, sep, b, ri(rng, 1, 9999))


def content_key(url, kind_hint=None):
    """Reference content key of a URL (independent of the C code)."""
    u = url.strip()
    if not u:
        return None
    low = u.lower()
    low = re.sub(r"^https?://", "", low)
    low = low.split("?", 1)[0].split("#", 1)[0].rstrip("/")
    m = re.search(r"/video/(\d+)$", low) or re.match(r"m\.tiktok\.com/v/(\d+)\.html$", low)
    if m:
        return "tiktok:video:" + m.group(1)
    m = re.match(r"(?:www\.|m\.)?tiktok\.com/@([^/]+)$", low)
    if m:
        return "tiktok:account:" + m.group(1)
    return "tiktok:url:" + u.strip()


# --------------------------------------------------------------------------
# Cases.
# --------------------------------------------------------------------------


class Case:
    __slots__ = ("cid", "recv", "recv_date_only", "channel", "reporter", "email", "phone", "kind",
                 "vid", "handle", "url", "show_handle", "category", "cat_label", "legal", "decision",
                 "dec_t", "fwd_t", "outcome", "out_t", "out_t_known", "notes", "extras", "shared",
                 "platform_label", "dec_alt", "quarter", "day", "out_rec", "out2", "out2_t")


def lognorm_hours(rng, median_h, sigma, lo, hi):
    v = median_h * math.exp(rng.gauss(0.0, sigma))
    return int(3600 * min(hi, max(lo, v)))


def office_snap(rng, t):
    """Move t into office hours (Mon-Fri 08-17 local), forward only."""
    dn, h, _, _ = local_parts(t)
    wd = (dn + 3) % 7  # 0 = Monday
    if wd < 5 and 8 <= h < 17:
        return t
    if h >= 17 or wd >= 5:
        dn += 1
    while (dn + 3) % 7 >= 5:
        dn += 1
    wall = dn * DAY + 8 * 3600 + ri(rng, 0, 3 * 3600)
    return max(t, wall_to_utc(wall))


def no_fold(t):
    return t + 3600 if in_repeated_hour(t) else t


class Generator:
    """Generates one regulator's cases in received order, streaming."""

    def __init__(self, d, seed, quarter_counts, shared, clean):
        self.d = d
        self.seed = seed
        self.counts = quarter_counts
        self.shared = shared  # day -> list of (wall seconds, item dict)
        self.rng = rng_for(seed, "cases", d.key)
        self.recent = []
        self.seq = {}
        self.seq_base = 0  # case numbers of a year start after this (--seq-from)
        self.clean = clean

    def day_weights(self, q):
        r = rng_for(self.seed, "days", self.d.key, q)
        days = list(range(QUARTER_START[q], QUARTER_END[q]))
        spikes = set(r.sample(days, 3))
        w = []
        for i, dn in enumerate(days):
            wd = (dn + 3) % 7
            x = 1.0 if wd < 5 else (0.85 if wd == 5 else 0.9)
            x *= 0.9 + 0.2 * i / len(days)
            if dn in spikes:
                x *= 1.9
            w.append(x)
        return days, w

    def cases(self):
        for q in QUARTERS:
            n = self.counts.get(q, 0)
            if n <= 0:
                continue
            days, w = self.day_weights(q)
            tot = sum(w)
            acc = 0.0
            done = 0
            debt = 0
            for dn, x in zip(days, w):
                acc += x
                target = int(round(n * acc / tot))
                k = target - done
                done = target
                todays = []
                for wall, item in self.shared.get(dn, ()):
                    todays.append((wall, item))
                special = DST_DAYS.get(dn)
                if special:
                    for hh, mm in ((1, 20), (1, 45)) if special == "spring" else ((1, 50), (2, 20), (2, 40)):
                        todays.append((dn * DAY + hh * 3600 + mm * 60 + ri(self.rng, 0, 59), "dst"))
                k_rand = k - len(todays) - debt
                debt = max(0, -k_rand)
                for _ in range(max(0, k_rand)):
                    todays.append((None, None))
                made = []
                for wall, item in todays:
                    made.append(self.make(dn, wall, item))
                made.sort(key=lambda c: (c.recv, c.shared or ""))
                for c in made:
                    y = ymd(local_day(c.recv))[0]
                    s = self.seq.get(y, self.seq_base) + 1
                    self.seq[y] = s
                    c.cid = self.d.id_fmt(y, s)
                    c.quarter = q
                    yield c

    def make(self, dn, wall, item):
        d, r = self.d, self.rng
        c = Case()
        c.shared = None
        urgent_dst = item == "dst"
        if isinstance(item, dict):
            c.shared = item["id"]
        ch = pick(r, T_CHANNELS)
        if c.shared or urgent_dst:
            ch = "web_form" if r.random() < .85 else "ex_officio"
        c.channel = ch
        if wall is None:
            hours = T_HOURS_OFFICE if ch in ("phone", "ex_officio") else T_HOURS_PUBLIC
            wall = dn * DAY + pick(r, hours) * 3600 + ri(r, 0, 3599)
        c.recv = wall_to_utc(wall)
        c.day = local_day(c.recv)
        c.recv_date_only = (d.date_only_p >= 1.0 or
                            (ch in ("phone", "ex_officio", "other") and r.random() < d.date_only_p * 8))
        # reporter
        c.reporter = c.email = c.phone = ""
        if ch != "ex_officio" and not (ch == "web_form" and r.random() < .1):
            name, slug = rc(r, d.names)
            c.reporter = name
            if ch in ("web_form", "email"):
                c.email = "%s.%d@example.org" % (slug, ri(r, 1, 99))
            if ch == "phone" or r.random() < .35:
                c.phone = d.phone_prefix % (ri(r, 7, 9), ri(r, 0, 999), ri(r, 0, 999))
        # item
        dup_of = None
        if isinstance(item, dict):
            cat, kind, vid, handle = item["category"], item["kind"], item["vid"], item["handle"]
        else:
            if self.recent and r.random() < .035:
                dup_of = rc(r, self.recent)
                cat, kind, vid, handle = dup_of
            else:
                cat = pick(r, d.cat_table)
                if urgent_dst:
                    cat = rc(r, ["csam", "minors", "terrorism", "piracy"])
                kind = "account" if (not d.content_only and r.random() < ACCOUNT_P.get(cat, .03)) else "content"
                handle = new_handle(r)
                posted = c.recv - ri(r, 600, 20 * DAY)
                vid = (posted << 32) | r.getrandbits(32) if kind == "content" else None
                self.recent.append((cat, kind, vid, handle))
                if len(self.recent) > 400:
                    del self.recent[:100]
        c.category, c.kind, c.vid, c.handle = cat, kind, vid, handle
        c.cat_label = pick(r, d.cat_labels[cat])
        if r.random() < .02:
            c.cat_label = c.cat_label + " "  # trailing space: label matching trims
        if ch in ("phone", "other") and r.random() < .35:
            c.url = ""
        else:
            c.url = make_url(r, kind, vid, handle, d.country, long_only=bool(c.shared))
        c.show_handle = ("@" if r.random() < .6 else "") + handle if (kind == "account" or r.random() < .5) else ""
        if d.legal:
            # the last entry of d.legal is the copyright law, for piracy only
            c.legal = d.legal[-1][0] if cat == "piracy" else pick(r, d.legal_table)
        else:
            c.legal = ""
        c.platform_label = rc(r, d.labels["platform_alt"]) if "platform_alt" in d.labels else "TikTok"
        c.dec_alt = "decision_alt" in d.labels and r.random() < .12
        # decision
        qi = QUARTERS.index(quarter_of_day(dn))
        p_fwd = FORWARD_P[cat] + d.fwd_adj + 0.01 * (qi - 3)
        if c.url == "":
            dec = "insufficient_info" if r.random() < .7 else "no_violation"
        elif dup_of is not None and r.random() < .85:
            dec = "duplicate"
        elif r.random() < p_fwd:
            dec = "forwarded"
        else:
            dec = pick(r, T_NONFWD)
        c.decision = dec
        if urgent_dst or cat in URGENT:
            c.dec_t = c.recv + lognorm_hours(r, 2.0, .7, .25, 30)
        elif dec in ("duplicate", "insufficient_info"):
            c.dec_t = office_snap(r, c.recv + lognorm_hours(r, 12, .9, .5, 200))
        else:
            t = c.recv + lognorm_hours(r, 28, 1.0, .5, 230)
            if r.random() < .03:
                t = c.recv + ri(r, 9 * DAY, 15 * DAY)  # waiting for a legal opinion
            c.dec_t = office_snap(r, t) if r.random() < .85 else t
        c.dec_t = no_fold(c.dec_t)
        c.fwd_t = c.out_t = None
        c.outcome = None
        c.out_t_known = True
        c.out_rec = c.out2 = c.out2_t = None
        if dec == "forwarded":
            if urgent_dst or r.random() < .45:
                f = c.dec_t + ri(r, 60, 1200)
            else:
                f = c.dec_t + ri(r, 7200, 72 * 3600)
                g = office_snap(r, f)
                f = g if g - c.dec_t <= 84 * 3600 else f
            c.fwd_t = no_fold(f)
            if kind == "account":
                out = pick(r, T_OUT_ACCOUNT)
            else:
                out = pick(r, T_OUT_CONTENT.get(cat, T_OUT_CONTENT[None]))
            med = 6 if cat == "piracy" else (3 if cat in URGENT else 20)
            if out == "declined":
                med *= 2.5
            if urgent_dst:
                delay = ri(r, 1800, 3 * 3600)
            else:
                delay = lognorm_hours(r, med, 1.2, 1, 28 * 24)
            c.out_t = no_fold(c.fwd_t + delay)
            c.outcome = out
            # the response is entered in the case log days later, in batches
            c.out_rec = c.out_t + lognorm_hours(r, 150, 1.0, 1, 60 * 24)
            if out == "declined" and r.random() < .15:
                # escalated after the refusal; the platform acts on review
                c.out2 = "removed" if kind == "content" else "account_suspended"
                c.out2_t = no_fold(c.out_t + ri(r, 3 * DAY, 20 * DAY))
            if d.key in ("me-aem", "ba-cra") and r.random() < .012:
                c.out_t_known = False
        # notes and extras
        c.notes = ""
        if r.random() < d.notes_p:
            c.notes = self.note(r, c)
        c.extras = {k: f(r) for k, f in d.extras_sorted}
        return c

    def note(self, r, c):
        d = self.d
        tpl = rc(r, d.notes)
        other = self.d.id_fmt(ymd(c.day)[0], ri(r, 1, 400))
        return tpl.format(m=rc(r, d.matches).format(n=ri(r, 1, 36)), h=c.handle,
                          u=make_url(r, c.kind, c.vid or 7000000000000000000 + r.getrandbits(40),
                                     c.handle, d.country),
                          c=other, n=ri(r, 100, 9999))


def shared_items(seed, quarter, n):
    """Cross-border items of one quarter: same video/account, 2-3 countries."""
    r = rng_for(seed, "xborder", quarter)
    q0, q1 = QUARTER_START[quarter], QUARTER_END[quarter]
    out = []
    for i in range(n):
        k = 2 if r.random() < .7 else 3
        countries = sorted(r.sample(ORDER, k), key=ORDER.index)
        cat = rc(r, ["piracy"] * 5 + ["minors"] * 3 + ["hate", "violence", "fraud", "disinfo"])
        kind = "account" if r.random() < .12 else "content"
        base_day = ri(r, q0, q1 - 6)
        handle = new_handle(r)
        posted = epoch(1970, 1, 1) + base_day * DAY - ri(r, 3600, 5 * DAY)
        vid = (posted << 32) | r.getrandbits(32) if kind == "content" else None
        item = {"id": "%s-%03d" % (quarter, i), "category": cat, "kind": kind, "vid": vid,
                "handle": handle, "at": {}}
        for cc in countries:
            item["at"][cc] = base_day * DAY + ri(r, 0, 4 * DAY - 1)
        out.append(item)
    return out


def shared_by_day(seed, key, counts_by_quarter):
    res = {}
    for q in QUARTERS:
        n = counts_by_quarter.get(q, 0)
        if n <= 0:
            continue
        for item in shared_items(seed, q, n):
            if key in item["at"]:
                wall = item["at"][key]
                if DIALECTS[key].content_only and item["kind"] == "account":
                    continue
                res.setdefault(wall // DAY, []).append((wall, item))
    return res


# --------------------------------------------------------------------------
# Rendering a case as of an export time.
# --------------------------------------------------------------------------


def canonical(c, d, e):
    """Canonical values (as local labels/strings) of case c as of export e."""
    v = {"case_id": c.cid, "category": c.cat_label, "content_url": c.url,
         "reporter_name": c.reporter, "reporter_email": c.email, "reporter_phone": c.phone,
         "account_handle": c.show_handle, "notes": c.notes, "legal_basis": "",
         "channel": d.labels["channel"][c.channel], "platform": c.platform_label}
    if "item_kind" in d.labels:
        v["item_kind"] = d.labels["item_kind"][c.kind]
    v["received_at"] = d.fdate("received_at").fmt(c.recv, c.recv_date_only)
    dec = c.decision if c.dec_t <= e else "pending"
    labels = d.labels["decision_alt"] if (c.dec_alt and dec in d.labels.get("decision_alt", {})) \
        else d.labels["decision"]
    v["decision"] = labels[dec]
    v["decided_at"] = v["forwarded_at"] = v["outcome"] = v["outcome_at"] = ""
    state = "open"
    if dec != "pending":
        v["decided_at"] = d.fdate("decided_at").fmt(c.dec_t)
        v["legal_basis"] = c.legal if dec == "forwarded" else ""
        state = "closed"
        if dec == "forwarded":
            state = "open"
            if c.fwd_t <= e:
                v["forwarded_at"] = d.fdate("forwarded_at").fmt(c.fwd_t)
            if c.out_rec <= e:
                out, out_t = c.outcome, c.out_t
                if c.out2 and c.out2_t + 2 * DAY <= e:
                    out, out_t = c.out2, c.out2_t
                v["outcome"] = d.labels["outcome"][out]
                v["_out"] = out
                if c.out_t_known:
                    v["outcome_at"] = d.fdate("outcome_at").fmt(out_t)
                    v["_out_t"] = out_t
                state = "closed"
            elif c.fwd_t <= e:
                po = d.pending_outcome
                if po == "label" or (po == "mixed" and (c.recv // 60) % 2 == 0):
                    v["outcome"] = d.labels["outcome"]["pending"]
    v["_state"] = state
    v["_dec"] = dec
    return v


TRUTH_COLUMNS = ["country", "case_id", "status", "category", "decision", "outcome",
                 "received_utc", "received_day", "decided_utc", "decided_day",
                 "forwarded_utc", "forwarded_day", "outcome_utc", "outcome_day"]


def iso_utc(t):
    return dt.datetime.fromtimestamp(t, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def truth_row(c, d, v, status):
    """The case as the generator's model has it at the export (not read back
    through any profile): canonical codes, and each time as the UTC second
    and local date its text carries ('' where the text has none)."""
    dec = v["_dec"]
    out = ""
    if dec == "forwarded":
        out = v.get("_out", "pending")
    times = [("received_at", c.recv, c.recv_date_only)]
    if dec != "pending":
        times.append(("decided_at", c.dec_t, False))
        times.append(("forwarded_at", c.fwd_t if v["forwarded_at"] else None, False))
        times.append(("outcome_at", v.get("_out_t"), False))
    row = [d.country, c.cid, status, c.category, dec, out]
    for fld, t, date_only in times:
        if t is None:
            row += ["", ""]
            continue
        utc, day = d.fdate(fld).shown(t, date_only)
        row += [iso_utc(utc) if utc is not None else "", day]
    row += [""] * (len(TRUTH_COLUMNS) - len(row))
    return row


def write_truth(path, rows):
    """TAB-separated, UTF-8, one line per case row of the export (a case
    broken on purpose has status 'rejected'), in the export's order."""
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("# SYNTHETIC: the true canonical values of %s per the generator's model\n"
                % os.path.basename(path).replace(".truth", ".csv"))
        f.write("\t".join(TRUTH_COLUMNS) + "\n")
        for r in rows:
            f.write("\t".join(r) + "\n")


DEADLINE_FMT = DateFmt("dmy_dot_dot")


def render(c, d, e, fields, rowno):
    v = canonical(c, d, e)
    st = v["_state"]
    for k, x in c.extras.items():
        v[k] = x if x is not None else ""
    v["x_rowno"] = str(rowno)
    if d.key == "al-ama":
        v["x_status"] = "Mbyllur" if st == "closed" else "Hapur"
        v["x_priority"] = "I lartë" if c.category in URGENT or c.category == "minors" else "Normal"
    elif d.key == "rs-rem":
        v["x_registry"] = "Архивирано" if st == "closed" else "Отворено"
        v["x_deadline"] = DEADLINE_FMT.fmt(c.recv + 8 * DAY, True)
    elif d.key == "xk-kpm":
        last = max(t for t in (c.recv, c.dec_t, c.fwd_t, c.out_rec, c.out2_t + 2 * DAY if c.out2_t else None) if t is not None and t <= e)
        v["x_modified"] = d.fmt["*"].fmt(last)
    return [v.get(f, "") for f in fields], v


def export_columns(d, idx):
    cols = list(d.columns)
    ren = d.renames.get(idx, {})
    cols = [(ren.get(h, h), f) for h, f in cols]
    if idx in d.reorder:
        front = [d.renames.get(idx, {}).get(h, h) for h in d.reorder[idx]]
        first = [c for c in cols if c[0] in front]
        first.sort(key=lambda c: front.index(c[0]))
        # keep a leading row-number column first
        lead = [c for c in cols if c[1] == "x_rowno"]
        rest = [c for c in cols if c not in first and c not in lead]
        cols = lead + first + rest
    if idx in d.added:
        cols.append(d.added[idx])
    return cols


# --------------------------------------------------------------------------
# Writers.
# --------------------------------------------------------------------------


def open_csv(path, d):
    f = open(path, "w", encoding=d.codec, newline="")
    w = csv.writer(f, delimiter=d.delimiter, lineterminator=d.lineterm, quoting=csv.QUOTE_MINIMAL)
    return f, w


def write_title(f, d, date_text, width):
    if d.title:
        t = d.title.format(date=date_text)
        f.write(t + d.delimiter * (width - 1) + d.lineterm)


def ramp_counts(d, seed, scale=1.0):
    r = rng_for(seed, "ramp", d.key)
    a, b = d.ramp
    out = {}
    for i, q in enumerate(QUARTERS):
        x = a * (b / a) ** (i / 7.0) * (1 + r.uniform(-.06, .06))
        out[q] = int(round(x * scale))
    return out


def xborder_counts(seed, per_q):
    r = rng_for(seed, "xborder-n")
    return {q: per_q + ri(r, -4, 8) for q in QUARTERS}


# ---- samples --------------------------------------------------------------

KIND_TEXT = {
    "blank": "blank line between rows",
    "blank_end": "two blank lines at the end of the file",
    "allempty": "a row of delimiters only (an empty spreadsheet row)",
    "total": "trailing total row",
    "dup": "the same case twice (identical rows)",
    "label": "unmapped label (not in the profile on purpose)",
    "label2": "unmapped label (not in the profile on purpose)",
    "date": "invalid date",
    "empty": "empty required field",
    "trail": "trailing delimiters (extra empty fields after the last column)",
}


def build_samples(out, seed):
    os.makedirs(out, exist_ok=True)
    xb = xborder_counts(seed, 30)
    report = {"files": [], "bad": [], "quarters": {}, "final": {}, "xborder": {}}
    final_all = {}
    for key in ORDER:
        d = DIALECTS[key]
        counts = ramp_counts(d, seed)
        gen = Generator(d, seed, counts, shared_by_day(seed, key, xb), clean=False)
        cases = list(gen.cases())
        sub = os.path.join(out, key)
        os.makedirs(sub, exist_ok=True)
        q2 = QUARTER_START["2026Q2"]
        q3e = QUARTER_END["2026Q3"]
        plan = [(0, [c for c in cases if c.day < QUARTER_START["2026Q3"]]),
                (1, [c for c in cases if q2 <= c.day < q3e])]
        final = {}
        prev_vals = {}
        mr = rng_for(seed, "messy", key)
        for idx, sel in plan:
            date_text, e = d.exports[idx]
            name = "%s-%s.csv" % (key, date_text)
            path = os.path.join(sub, name)
            cols = export_columns(d, idx)
            fields = [f for _, f in cols]
            if d.sort_desc:
                sel = list(reversed(sel))
            rows = []
            for i, c in enumerate(sel):
                row, v = render(c, d, e, fields, i + 1)
                rows.append(["row", row, c, v])
            # eligible cases for breaking: not shared, not in the overlap quarter
            if idx == 0:
                elig = [i for i, x in enumerate(rows) if not x[2].shared and x[2].day < q2]
            else:
                elig = [i for i, x in enumerate(rows) if not x[2].shared and x[2].day >= QUARTER_START["2026Q3"]]
            bad = []
            kinds = ["label", "empty", "dup", "trail", "trail"]
            if idx == 0:
                kinds += ["date"]
            elif "label2" in d.bad:
                kinds += ["label2"]
            chosen = mr.sample(elig, len(kinds))
            if "label2" in kinds and d.bad["label2"][0] == "outcome":
                with_out = [i for i in elig if rows[i][3]["outcome"] and i not in chosen]
                chosen[kinds.index("label2")] = rc(mr, with_out)
            for kind, i in zip(kinds, chosen):
                x = rows[i]
                row, c = x[1], x[2]
                if kind in ("label", "label2"):
                    fld, lab = d.bad[kind]
                    row[fields.index(fld)] = lab
                    x[0] = "bad"
                    bad.append((kind, c.cid, "%s %s = %r" % (KIND_TEXT[kind].split(" (")[0], fld, lab)))
                elif kind == "empty":
                    fld = d.bad["empty"]
                    was = row[fields.index(fld)]
                    row[fields.index(fld)] = ""
                    x[0] = "bad"
                    bad.append((kind, c.cid if fld != "case_id" else "(was %s)" % was,
                                "empty required field %s" % fld))
                elif kind == "date":
                    fix = d.bad["date"]
                    row[fields.index("received_at")] = fix
                    x[0] = "bad"
                    bad.append((kind, c.cid, "invalid date in received_at: %r" % fix))
                elif kind == "trail":
                    x[1] = row + [""] * (2 + i % 3)
                    bad.append((kind, c.cid, "%d trailing delimiters (row is valid)" % (len(x[1]) - len(fields))))
            # structural additions (insert from the end so indices hold)
            inserts = []
            di = [i for i in chosen if rows[i][0] == "row" and len(rows[i][1]) == len(fields)]
            dup_i = [i for k, i in zip(kinds, chosen) if k == "dup"][0]
            gap = 1 if idx == 0 else 37
            inserts.append((min(dup_i + gap, len(rows)), ["dup", list(rows[dup_i][1]), rows[dup_i][2], None]))
            bad.append(("dup", rows[dup_i][2].cid, "same case twice%s" % (
                " (adjacent rows)" if gap == 1 else " (37 rows apart)")))
            bpos = mr.sample(range(10, len(rows) - 10), 2 if idx == 0 else 1)
            for p in bpos:
                inserts.append((p, ["blank", None, None, None]))
                bad.append(("blank", "", "blank line"))
            if d.key == "ba-cra":
                p = ri(mr, 10, len(rows) - 10)
                inserts.append((p, ["allempty", [""] * len(fields), None, None]))
                bad.append(("allempty", "", "row of delimiters only"))
            inserts.sort(key=lambda x: -x[0])
            for p, item in inserts:
                rows.insert(p, item)
            n_cases = len(sel)
            rows.append(["total", d.total(n_cases, len(fields)), None, None])
            bad.append(("total", "", "total row %r" % d.delimiter.join(d.total(n_cases, len(fields)))))
            if idx == 1 or d.key in ("me-aem", "xk-kpm"):
                rows.append(["blank", None, None, None])
                rows.append(["blank", None, None, None])
                bad.append(("blank_end", "", "two blank lines at the end"))
            # write
            f, w = open_csv(path, d)
            write_title(f, d, date_text[8:10] + "." + date_text[5:7] + "." + date_text[:4], len(fields))
            w.writerow([h for h, _ in cols])
            for kind, row, c, v in rows:
                if kind == "blank":
                    f.write(d.lineterm)
                else:
                    w.writerow(row)
            f.close()
            write_truth(os.path.join(sub, "%s-%s.truth" % (key, date_text)),
                        [truth_row(c, d, v, "ok" if kind == "row" else "rejected")
                         for kind, row, c, v in rows if kind in ("row", "bad")])
            # bookkeeping of what an ingest should end with
            n_updated = n_unchanged = n_new = 0
            for kind, row, c, v in rows:
                if kind != "row":
                    continue
                canon = {k: x for k, x in v.items() if not k.startswith("x_") and not k.startswith("_")}
                if c.cid in final:
                    if prev_vals.get(c.cid) == canon:
                        n_unchanged += 1
                    else:
                        n_updated += 1
                else:
                    n_new += 1
                final[c.cid] = (c, v)
                prev_vals[c.cid] = canon
            size = os.path.getsize(path)
            report["files"].append({
                "key": key, "name": name, "path": "%s/%s" % (key, name), "size": size, "cases": n_cases,
                "new": n_new, "updated": n_updated, "unchanged": n_unchanged,
                "rejected": sum(1 for x in rows if x[0] in ("bad", "total")),
                "dup": sum(1 for x in rows if x[0] == "dup"),
                "blank": sum(1 for x in rows if x[0] in ("blank", "allempty")),
                "export": d.exports[idx][1], "cols": len(fields)})
            for b in bad:
                report["bad"].append((key, name) + b)
        final_all[key] = final
    report["final"] = final_all
    write_readmes(out, seed, report, xb)
    return report


# ---- big files ------------------------------------------------------------


def write_big(path, d, seed, rows, clean, quarter_share=None, quarters=None, seq_from=0):
    weights = ramp_counts(d, seed)
    if quarters:
        weights = {q: (w if q in quarters else 0) for q, w in weights.items()}
    tot = sum(weights.values())
    counts, acc, done = {}, 0, 0
    for q in QUARTERS:
        acc += weights[q]
        t = int(round(rows * acc / tot))
        counts[q] = t - done
        done = t
    xb_n = {q: max(10, sum(counts.values()) // 8 // 300) for q in QUARTERS}
    if quarter_share is not None:
        xb_n = quarter_share
    gen = Generator(d, seed, counts, shared_by_day(seed, d.key, xb_n), clean)
    gen.seq_base = seq_from
    e = epoch(2026, 10, 5, 9, 0)
    fields = d.fields
    f, w = open_csv(path, d)
    write_title(f, d, "05.10.2026", len(fields))
    w.writerow([h for h, _ in d.columns])
    mr = rng_for(seed, "big-messy", d.key)
    every = 20000
    kinds = ["blank", "dup", "label", "trail", "date", "empty"]
    n = 0
    last = None
    i_bad = 0
    for c in gen.cases():
        n += 1
        row, v = render(c, d, e, fields, n)
        if not clean and n % every == every // 2:
            kind = kinds[i_bad % len(kinds)]
            i_bad += 1
            if kind == "blank":
                f.write(d.lineterm)
            elif kind == "dup" and last is not None:
                w.writerow(last)
            elif kind == "label":
                row[fields.index(d.bad["label"][0])] = d.bad["label"][1]
            elif kind == "trail":
                row = row + ["", ""]
            elif kind == "date":
                row[fields.index("received_at")] = d.bad["date"]
            elif kind == "empty":
                row[fields.index(d.bad["empty"])] = ""
        w.writerow(row)
        last = row
    if not clean:
        w.writerow(d.total(n, len(fields)))
        f.write(d.lineterm)
    f.close()
    return n


# --------------------------------------------------------------------------
# README files for samples/.
# --------------------------------------------------------------------------


FMT_TEXT = {"dmy_dot": "`15.08.2026 14:30`", "dmy_dot_dot": "`15.08.2026. 14:30`",
            "dmy_loose": "`15.8.2026.`", "dmy_slash": "`15/08/2026 14:30`",
            "iso_offset": "`2026-08-15T14:30:00+02:00`", "iso_z": "`2026-08-15T12:30:00Z`",
            "ymd_hms": "`2026-08-15 14:30:00`", "excel": "`46249.6041667`"}


def fmt_size(n):
    return "%.0f KiB" % (n / 1024.0) if n < 1024 * 1024 else "%.2f MiB" % (n / 1048576.0)


def write_readmes(out, seed, report, xb):
    final = report["final"]
    L = []
    L.append("# samples/ — SYNTHETIC case-log exports")
    L.append("")
    L.append("**Everything in this folder is synthetic.** The cases, case ids, counts, names, e-mail")
    L.append("addresses (all `@example.org`), phone numbers (all `+000 …`), account handles, video ids")
    L.append("and notes are invented by `bench/gen_cases.py`. They are not any regulator's figures,")
    L.append("not real complaints, and not real people or accounts. Do not quote them as statistics.")
    L.append("")
    L.append("Regenerate (the result is byte-identical to what is committed):")
    L.append("")
    L.append("    /usr/bin/python3 bench/gen_cases.py --out samples --seed %d" % seed)
    L.append("    /usr/bin/python3 bench/gen_cases.py --check samples   # read back with profiles/")
    L.append("")
    L.append("Beside each export `FILE.csv` lies `FILE.truth` (TAB-separated, UTF-8): every case row of")
    L.append("the export with its true category, decision and outcome codes and the UTC second and local")
    L.append("date of each time the export shows, taken from the generator's model, not read back through")
    L.append("any profile. `tests/check_truth.py` compares the warehouse with it, case by case.")
    L.append("")
    L.append("Each regulator has its own folder and profile (`profiles/<folder>.ini`) and two exports:")
    L.append("a big one taken early July 2026 covering 2024Q4–2026Q2, and a later one taken early")
    L.append("October 2026 covering 2026Q2–2026Q3. Every 2026Q2 case appears in both; the later")
    L.append("export brings decisions and outcomes up to date (a later export updates earlier cases).")
    L.append("")
    L.append("## Files")
    L.append("")
    L.append("| file | encoding | delimiter | lines end | size | case rows | new | updated | unchanged | duplicates | rejected | blank |")
    L.append("|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    dname = {";": "`;`", ",": "`,`", "\t": "TAB"}
    total = 0
    for x in report["files"]:
        d = DIALECTS[x["key"]]
        total += x["size"]
        L.append("| `%s` | %s | %s | %s | %s | %d | %d | %d | %d | %d | %d | %d |" % (
            x["path"], d.encoding, dname[d.delimiter], "CRLF" if d.lineterm == "\r\n" else "LF",
            fmt_size(x["size"]), x["cases"], x["new"], x["updated"], x["unchanged"], x["dup"],
            x["rejected"], x["blank"]))
    L.append("")
    L.append("Total size: %s. *case rows* = rows that are one case each (including the ones broken on" % fmt_size(total))
    L.append("purpose); *new / updated / unchanged* = what ingesting the files in date order should report")
    L.append("for the valid rows (updated = a 2026Q2 case whose canonical fields changed since July);")
    L.append("*duplicates* = extra copies of a row already in the same file; *rejected* = the broken rows")
    L.append("listed below plus the trailing total row; *blank* = blank lines (and BA's row of commas).")
    L.append("")
    L.append("## Dialects")
    L.append("")
    L.append("| folder | country | encoding | delimiter | header row | dates | time zone | notes |")
    L.append("|---|---|---|---|---|---|---|---|")
    notes = {
        "al-ama": "Albanian headers; `15.08.2026 14:30`, some date-only received dates; the October export renames `Data e marrjes` to `Data e pranimit`",
        "ba-cra": "Bosnian headers; Excel serial day numbers with fractions (`46249.6041667`), integers for date-only; a title line above the header; title, total and empty rows padded with commas like a spreadsheet export",
        "me-aem": "Montenegrin Latin headers; date only `15.8.2026.`; CRLF, also inside quoted notes; no item-type or platform column (profile defaults)",
        "mk-avmu": "Macedonian Cyrillic headers and labels; `15/08/2026 14:30`; newest case first; TABs inside quoted notes",
        "rs-rem": "Serbian Cyrillic; `15.08.2026. 14:30`; response date `2026-08-15 14:30:00` (per-field override); extra columns; the October export has a different column order",
        "xk-kpm": "English headers, English and Albanian labels; received/decided with offset `2026-08-15T14:30:00+02:00`, sent/response in UTC `…Z`; the October export renames two headers (one with stray spaces) and adds a column",
    }
    for key in ORDER:
        d = DIALECTS[key]
        L.append("| `%s` | %s | %s | %s | %d | %s | %s | %s |" % (
            key, d.country, d.encoding, dname[d.delimiter], 2 if d.title else 1,
            ", ".join(FMT_TEXT[k] for k in sorted(set(f.kind for f in d.fmt.values()))), d.tz,
            notes[key]))
    L.append("")
    # per quarter
    L.append("## Cases per regulator and quarter (after ingesting both exports)")
    L.append("")
    L.append("Counted by the received date in the regulator's time zone; rejected rows excluded.")
    L.append("Decision and outcome as of the October export.")
    L.append("")
    L.append("| regulator | " + " | ".join(QUARTERS) + " | total |")
    L.append("|---|" + "---:|" * (len(QUARTERS) + 1))
    grand = {q: 0 for q in QUARTERS}
    for key in ORDER:
        cnt = {q: 0 for q in QUARTERS}
        for cid, (c, v) in final[key].items():
            cnt[c.quarter] += 1
        for q in QUARTERS:
            grand[q] += cnt[q]
        L.append("| %s | %s | %d |" % (DIALECTS[key].country, " | ".join(str(cnt[q]) for q in QUARTERS),
                                      sum(cnt.values())))
    L.append("| all | %s | %d |" % (" | ".join(str(grand[q]) for q in QUARTERS), sum(grand.values())))
    L.append("")
    L.append("Decisions and outcomes over all quarters:")
    L.append("")
    decs = ["forwarded", "no_violation", "out_of_remit", "insufficient_info", "duplicate", "pending"]
    outs = ["removed", "geo_blocked", "age_restricted", "account_suspended", "account_banned",
            "declined", "already_unavailable", "pending"]
    L.append("| regulator | " + " | ".join(decs) + " | " + " | ".join("out: " + o for o in outs) + " |")
    L.append("|---|" + "---:|" * (len(decs) + len(outs)))
    for key in ORDER:
        d = DIALECTS[key]
        dc = {k: 0 for k in decs}
        oc = {k: 0 for k in outs}
        rev_out = {v: k for k, v in d.labels["outcome"].items()}
        for cid, (c, v) in final[key].items():
            dc[v["_dec"]] += 1
            if v["_dec"] == "forwarded":
                oc[rev_out.get(v["outcome"], "pending") if v["outcome"] else "pending"] += 1
        L.append("| %s | %s | %s |" % (d.country, " | ".join(str(dc[k]) for k in decs),
                                       " | ".join(str(oc[k]) for k in outs)))
    L.append("")
    # cross-border
    L.append("## Cross-border items")
    L.append("")
    L.append("Content keys (videos by id, accounts by handle; short links are not resolvable and never")
    L.append("count) reported in two or more countries within the same quarter, computed from the URLs")
    L.append("of the accepted rows by the generator's own reference normaliser:")
    L.append("")
    per_q = {q: {} for q in QUARTERS}
    for key in ORDER:
        for cid, (c, v) in final[key].items():
            k = content_key(v["content_url"])
            if k and not k.startswith("tiktok:url:"):
                per_q[c.quarter].setdefault(k, set()).add(DIALECTS[key].country)
    L.append("| quarter | videos | accounts | in 3 countries |")
    L.append("|---|---:|---:|---:|")
    for q in QUARTERS:
        multi = [(k, s) for k, s in sorted(per_q[q].items()) if len(s) >= 2]
        L.append("| %s | %d | %d | %d |" % (q, sum(1 for k, s in multi if ":video:" in k),
                                            sum(1 for k, s in multi if ":account:" in k),
                                            sum(1 for k, s in multi if len(s) >= 3)))
    L.append("")
    # DST
    L.append("## Around the DST changes")
    L.append("")
    L.append("Every regulator has cases received in the small hours of the four change days in range")
    L.append("(2024-10-27, 2025-03-30, 2025-10-26, 2026-03-29), decided, forwarded and answered within")
    L.append("a few hours, so their durations cross the change. No local time in the spring gap is")
    L.append("written. On the autumn days some received times fall in the repeated hour 02:00–02:59;")
    L.append("they mean the first pass (summer time, UTC+2); later events of the same case that fall")
    L.append("in the second pass were moved on by an hour, so wall-clock order equals real order.")
    L.append("Kosovo's file carries offsets and is unambiguous.")
    L.append("")
    # bad rows
    L.append("## Deliberately broken or untidy rows")
    L.append("")
    L.append("Listed by file and kind (no line numbers). *rejected* rows must be reported with file,")
    L.append("line, field and reason and must not reach the warehouse; the others must be absorbed.")
    L.append("")
    L.append("| file | kind | case | detail | expected |")
    L.append("|---|---|---|---|---|")
    expect = {"blank": "skipped, counted as blank", "blank_end": "skipped, counted as blank",
              "allempty": "skipped as blank (or rejected as an empty row)",
              "total": "rejected (not a case)", "dup": "counted as duplicate, not an update",
              "label": "rejected: unmapped label", "label2": "rejected: unmapped label",
              "date": "rejected: invalid date", "empty": "rejected: required field empty",
              "trail": "accepted (extra empty fields ignored)"}
    for key, name, kind, cid, detail in report["bad"]:
        L.append("| `%s/%s` | %s | %s | %s | %s |" % (key, name, kind, cid.replace("|", "\\|") if cid else "",
                                                   detail.replace("|", "\\|").replace("\t", "TAB"),
                                                   expect[kind]))
    L.append("")
    L.append("Also on purpose, in every file and all valid: labels with a trailing space, notes with")
    L.append("quoted newlines, doubled quotes and delimiters inside quotes, URLs in every form")
    L.append("(`www.`, `m.`, no scheme, `http://`, upper case, query strings, trailing slash,")
    L.append("surrounding spaces, `m.tiktok.com/v/ID.html`, `vm.`/`vt.tiktok.com` and")
    L.append("`tiktok.com/t/` short links, account URLs `tiktok.com/@handle`), some rows without a URL")
    L.append("(phone reports), the same video reported twice in one country (decision *duplicate*),")
    L.append("forwarded cases not yet sent or still waiting for the platform (outcome pending, as an")
    L.append("empty cell or as a label), and in BA and ME a few outcomes without a response date.")
    L.append("")
    with open(os.path.join(out, "README.md"), "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(L))
    for key in ORDER:
        d = DIALECTS[key]
        M = ["# samples/%s — SYNTHETIC export of %s (%s)" % (key, d.key.split("-")[1].upper(), d.country), "",
             "Synthetic data invented by `bench/gen_cases.py`: not the regulator's figures, cases,",
             "people or accounts. Read with `profiles/%s.ini`; see `../README.md` for what the" % key,
             "files contain and the rows that are broken on purpose.", ""]
        for x in report["files"]:
            if x["key"] == key:
                M.append("- `%s`: %d case rows, %s" % (x["name"], x["cases"], fmt_size(x["size"])))
        M.append("")
        with open(os.path.join(out, key, "README.md"), "w", encoding="utf-8", newline="\n") as f:
            f.write("\n".join(M))


# --------------------------------------------------------------------------
# --check: read the samples back with the profiles, independently.
# --------------------------------------------------------------------------

CANON = ["case_id", "received_at", "category", "decision", "platform", "item_kind", "content_url",
         "national_label", "legal_basis", "decided_at", "forwarded_at", "outcome", "outcome_at",
         "channel", "reporter_name", "reporter_email", "reporter_phone", "account_handle", "notes"]
REQUIRED = ["case_id", "received_at", "category", "decision"]
LABEL_SECTIONS = ["category", "decision", "outcome", "platform", "channel", "item_kind"]
CODES = {"category": set(CATEGORIES),
         "decision": {"forwarded", "no_violation", "out_of_remit", "insufficient_info", "duplicate", "pending"},
         "outcome": {"removed", "geo_blocked", "age_restricted", "account_suspended", "account_banned",
                     "declined", "already_unavailable", "pending"},
         "platform": {"tiktok"}, "channel": {"web_form", "email", "phone", "ex_officio", "other"},
         "item_kind": {"content", "account"}}
DATE_FIELDS = ["received_at", "decided_at", "forwarded_at", "outcome_at"]
ENCODINGS = {"utf-8": "utf-8-sig", "windows-1250": "cp1250", "windows-1251": "cp1251",
             "iso-8859-2": "iso8859_2", "iso-8859-5": "iso8859_5"}


TOTAL_WORDS = ("Total", "Totali", "Ukupno", "Укупно", "Вкупно")


def parse_profile(path):
    """The profile format of profiles/README.md, as a reference reader."""
    prof = {"sections": {}, "errors": []}
    sec = None
    with open(path, encoding="utf-8-sig") as f:
        for n, line in enumerate(f, 1):
            s = line.strip()
            if not s or s[0] in "#;":
                continue
            if s.startswith("[") and s.endswith("]"):
                sec = s[1:-1].strip()
                if sec in prof["sections"]:
                    prof["errors"].append("%s:%d: section [%s] repeated" % (path, n, sec))
                prof["sections"].setdefault(sec, [])
                continue
            if sec is None or "=" not in s:
                prof["errors"].append("%s:%d: not a key = value line" % (path, n))
                continue
            if sec in LABEL_SECTIONS:
                k, v = s.rsplit("=", 1)
            else:
                k, v = s.split("=", 1)
            prof["sections"][sec].append((k.strip(), v.strip(), n))
    return prof


def date_parser(spec):
    """Return a function text -> (utc seconds or None for date-only day, prec) or raise."""
    alts = [a.strip() for a in spec.split("|")]
    parsers = []
    for a in alts:
        if a == "excel":
            parsers.append(("excel", None))
        elif a == "iso8601":
            parsers.append(("iso", re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?"
                                              r"(Z|[+-]\d{2}:?\d{2})?)?$")))
        else:
            rx, order = "", []
            i = 0
            while i < len(a):
                if a[i] == "%" and i + 1 < len(a):
                    t = a[i + 1]
                    rx += r"(\d{4})" if t == "Y" else r"(\d{1,2})"
                    order.append(t)
                    i += 2
                else:
                    rx += re.escape(a[i])
                    i += 1
            parsers.append(("fmt", (re.compile(rx + "$"), order)))

    def parse(text):
        text = text.strip()
        for kind, p in parsers:
            if kind == "excel":
                if re.match(r"^\d+(\.\d+)?$", text):
                    v = float(text)
                    days = int(v)
                    secs = int(round((v - days) * DAY))
                    dn = days + EXCEL_EPOCH_DAYS
                    if "." in text:
                        return wall_to_utc_checked(dn * DAY + secs), 2
                    return wall_to_utc_checked(dn * DAY), 1
                continue
            if kind == "iso":
                m = p.match(text)
                if not m:
                    continue
                y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
                dn = (dt.date(y, mo, d) - EPOCH_DATE).days
                if m.group(4) is None:
                    return wall_to_utc_checked(dn * DAY), 1
                w = dn * DAY + int(m.group(4)) * 3600 + int(m.group(5)) * 60 + int(m.group(6) or 0)
                z = m.group(7)
                if z is None:
                    return wall_to_utc_checked(w), 2
                if z == "Z":
                    return w, 2
                sign = 1 if z[0] == "+" else -1
                zz = z[1:].replace(":", "")
                return w - sign * (int(zz[:2]) * 3600 + int(zz[2:]) * 60), 2
            rx, order = p
            m = rx.match(text)
            if not m:
                continue
            vals = dict(zip(order, (int(g) for g in m.groups())))
            dn = (dt.date(vals["Y"], vals["m"], vals["d"]) - EPOCH_DATE).days  # raises on 31.02.
            if "H" not in vals:
                return wall_to_utc_checked(dn * DAY), 1
            if vals["H"] > 23 or vals.get("M", 0) > 59 or vals.get("S", 0) > 59:
                raise ValueError("time out of range")
            return wall_to_utc_checked(dn * DAY + vals["H"] * 3600 + vals.get("M", 0) * 60 + vals.get("S", 0)), 2
        raise ValueError("matches none of the date formats")
    return parse


def wall_to_utc_checked(w):
    t = wall_to_utc(w)
    if t + utc_offset(t) != w:
        raise ValueError("local time does not exist (spring gap)")
    return t


def check(sample_dir, profile_dir):
    problems = 0
    try:
        import zoneinfo
        for tzname in sorted(set(d.tz for d in DIALECTS.values())):
            z = zoneinfo.ZoneInfo(tzname)
            for t in range(epoch(2024, 9, 1), epoch(2026, 12, 31), 1800):
                if utc_offset(t) != int(dt.datetime.fromtimestamp(t, z).utcoffset().total_seconds()):
                    print("zoneinfo disagrees for %s at %d" % (tzname, t))
                    problems += 1
                    break
    except ImportError:
        print("note: zoneinfo not available, EU rule not cross-checked")
    xb = {}
    for key in ORDER:
        ppath = os.path.join(profile_dir, key + ".ini")
        prof = parse_profile(ppath)
        for e in prof["errors"]:
            print(e)
            problems += 1
        S = prof["sections"]
        reg = {k: v for k, v, _ in S.get("regulator", [])}
        fmt = {k: v for k, v, _ in S.get("format", [])}
        dflt = {k: v for k, v, _ in S.get("defaults", [])}
        cols = {k: [h.strip() for h in v.split("|")] for k, v, _ in S.get("columns", [])}
        labels = {}
        for sec in LABEL_SECTIONS:
            labels[sec] = {}
            for k, v, n in S.get(sec, []):
                if v not in CODES[sec]:
                    print("%s:%d: [%s] %s = %s: not a canonical code" % (ppath, n, sec, k, v))
                    problems += 1
                lk = k.strip().lower()
                if lk in labels[sec] and labels[sec][lk] != v:
                    print("%s:%d: label %r mapped twice" % (ppath, n, k))
                    problems += 1
                labels[sec][lk] = v
        for k in ("country", "name", "short_name", "language", "timezone"):
            if not reg.get(k):
                print("%s: [regulator] %s missing" % (ppath, k))
                problems += 1
        for k in REQUIRED:
            if k not in cols:
                print("%s: required column %s not mapped" % (ppath, k))
                problems += 1
        for k in list(cols) + list(dflt):
            if k not in CANON:
                print("%s: %s is not a canonical field" % (ppath, k))
                problems += 1
        enc = ENCODINGS[fmt["encoding"]]
        delim = {"tab": "\t"}.get(fmt["delimiter"], fmt["delimiter"])
        hrow = int(fmt.get("header_row", "1"))
        parsers = {f: date_parser(fmt.get("dates." + f, fmt["dates"])) for f in DATE_FIELDS}
        files = sorted(x for x in os.listdir(os.path.join(sample_dir, key)) if x.endswith(".csv"))
        state = {}
        for name in files:
            path = os.path.join(sample_dir, key, name)
            raw = open(path, "rb").read()
            if fmt["encoding"] != "utf-8" and raw.startswith(b"\xef\xbb\xbf"):
                print("%s: BOM in a non-UTF-8 file" % path)
            text = raw.decode(enc)
            lines_ending = "CRLF" if "\r\n" in text else "LF"
            f = io.StringIO(text, newline="")
            for _ in range(hrow - 1):
                f.readline()
            rd = csv.reader(f, delimiter=delim)
            header = next(rd)
            hidx = {h.strip().lower(): i for i, h in enumerate(header)}
            colmap = {}
            for field, alts in cols.items():
                found = [hidx[a.lower()] for a in alts if a.lower() in hidx]
                if not found:
                    print("%s: no column for %s (%s)" % (path, field, " | ".join(alts)))
                    problems += 1
                else:
                    colmap[field] = found[0]
            unmapped = [h for i, h in enumerate(header) if i not in colmap.values()]
            seen = {}
            stats = {"rows": 0, "blank": 0, "dup": 0, "rejected": 0, "ok": 0, "order": 0}
            reasons = []
            line = hrow
            for row in rd:
                start = line + 1
                line = hrow - 1 + rd.line_num
                if not row or all(x.strip() == "" for x in row):
                    stats["blank"] += 1
                    continue
                stats["rows"] += 1
                extra = row[len(header):]
                if any(x.strip() for x in extra):
                    reasons.append((start, "more fields than the header"))
                    stats["rejected"] += 1
                    continue
                get = lambda fld: row[colmap[fld]].strip() if fld in colmap and colmap[fld] < len(row) else ""
                key_t = tuple(row[:len(header)])
                cid = get("case_id")
                if cid in seen:
                    if seen[cid] == key_t:
                        stats["dup"] += 1
                        continue
                    reasons.append((start, "case %s twice with different content" % cid))
                err = None
                for fld in REQUIRED:
                    if not get(fld):
                        err = "required field %s empty" % fld
                        break
                vals = {}
                if not err:
                    for sec in ("category", "decision", "outcome", "platform", "channel", "item_kind"):
                        v = get(sec) if sec in colmap else dflt.get(sec, "")
                        if not v:
                            vals[sec] = None
                            continue
                        if sec in colmap:
                            code = labels[sec].get(v.lower())
                        else:
                            code = v if v in CODES[sec] else None
                        if code is None:
                            err = "unmapped %s label %r in column %r" % (sec, v, header[colmap[sec]].strip())
                            break
                        vals[sec] = code
                times = {}
                if not err:
                    for fld in DATE_FIELDS:
                        v = get(fld)
                        if v:
                            try:
                                times[fld] = parsers[fld](v)
                            except ValueError as ex:
                                err = "invalid date in %s: %r (%s)" % (fld, v, ex)
                                break
                if not err and vals.get("outcome") and vals.get("decision") != "forwarded":
                    err = "outcome on a case that was not forwarded"
                if err:
                    d = DIALECTS[key]
                    bad_labels = [v[1] for k, v in d.bad.items() if k.startswith("label")]
                    cells = [x.strip() for x in row]
                    expected = (any(lab in cells for lab in bad_labels) or d.bad["date"] in cells
                                or err == "required field %s empty" % d.bad["empty"]
                                or any(x.rstrip(":") in TOTAL_WORDS for x in cells))
                    if not expected:
                        problems += 1
                        err += "  <-- NOT ONE OF THE DELIBERATE BAD ROWS"
                    reasons.append((start, err))
                    stats["rejected"] += 1
                    continue
                seen[cid] = key_t
                stats["ok"] += 1
                ts = [times[f_][0] for f_ in DATE_FIELDS if f_ in times]
                precs = [times[f_][1] for f_ in DATE_FIELDS if f_ in times]
                for a, b, pa, pb in zip(ts, ts[1:], precs, precs[1:]):
                    if b < a and not (pa == 1 or pb == 1) and not (pa == 1 and local_day(a) <= local_day(b)):
                        stats["order"] += 1
                        reasons.append((start, "times out of order"))
                        problems += 1
                        break
                rday = local_day(times["received_at"][0]) if times["received_at"][1] == 2 \
                    else (times["received_at"][0] + utc_offset(times["received_at"][0])) // DAY
                q = quarter_of_day(rday)
                state[cid] = (q, get("content_url"))
            print("%s: %s %s, header line %d, %d columns (%d not mapped: %s)" % (
                path, fmt["encoding"], lines_ending, hrow, len(header), len(unmapped),
                ", ".join(h.strip() for h in unmapped)))
            print("   rows %(rows)d = ok %(ok)d + duplicates %(dup)d + rejected %(rejected)d; blank %(blank)d" % stats)
            for ln, why in reasons:
                print("   line %d: %s" % (ln, why))
        per_q = {}
        for cid, (q, url) in state.items():
            per_q[q] = per_q.get(q, 0) + 1
            k = content_key(url)
            if k and not k.startswith("tiktok:url:"):
                xb.setdefault((q, k), set()).add(reg["country"])
        print("   %s cases per quarter: %s" % (reg["country"], ", ".join("%s %d" % (q, per_q.get(q, 0)) for q in QUARTERS)))
    cnt = {}
    for (q, k), s in xb.items():
        if len(s) >= 2:
            cnt[q] = cnt.get(q, 0) + 1
    print("cross-border items per quarter: " + ", ".join("%s %d" % (q, cnt.get(q, 0)) for q in QUARTERS))
    print("problems: %d" % problems)
    return 1 if problems else 0


# --------------------------------------------------------------------------


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog="All output is SYNTHETIC. See the top of this file for usage.")
    ap.add_argument("--out", help="samples folder, or output file (--regulator), or folder (--all)")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--rows", type=int, help="write N case rows (large files for benchmarks)")
    ap.add_argument("--regulator", choices=ORDER, help="with --rows: one file for this regulator")
    ap.add_argument("--all", action="store_true", help="with --rows: split N across the six regulators")
    ap.add_argument("--clean", action="store_true", help="with --rows: no broken rows or extra lines")
    ap.add_argument("--quarters", metavar="Q[,Q...]",
                    help="with --rows: only these quarters get cases (e.g. 2026Q3)")
    ap.add_argument("--first-quarter", default="2024Q4", metavar="Q",
                    help="with --rows: the first of the eight quarters (default 2024Q4; "
                         "2024Q3: the eight before 2026Q3)")
    ap.add_argument("--seq-from", type=int, default=0, metavar="N",
                    help="with --rows: number each year's cases from N+1 (a later export)")
    ap.add_argument("--check", metavar="DIR", help="read samples in DIR back with the profiles")
    ap.add_argument("--profiles", default=os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                       "..", "profiles"))
    a = ap.parse_args(argv)
    if a.check:
        return check(a.check, a.profiles)
    if not a.out:
        ap.error("--out is required")
    if a.rows is not None:
        if a.rows < 0:
            ap.error("--rows must be >= 0")
        fq = a.first_quarter
        if not (len(fq) == 6 and fq[:4].isdigit() and fq[4] == "Q" and fq[5] in "1234"
                and "2000Q1" <= fq <= "2024Q4"):
            ap.error("--first-quarter: a quarter from 2000Q1 to 2024Q4, whose eight end "
                     "before the exports are taken in October 2026 (got %s)" % fq)
        set_quarters(a.first_quarter)
        quarters = None
        if a.quarters:
            quarters = set(a.quarters.split(","))
            if not quarters <= set(QUARTERS):
                ap.error("--quarters: each of %s (got %s)" % (", ".join(QUARTERS), a.quarters))
        if a.seq_from < 0:
            ap.error("--seq-from must be >= 0")
        if a.regulator:
            n = write_big(a.out, DIALECTS[a.regulator], a.seed, a.rows, a.clean,
                          quarters=quarters, seq_from=a.seq_from)
            print("%s: %d case rows (%s)" % (a.out, n, "clean" if a.clean else "with broken rows"),
                  file=sys.stderr)
            return 0
        if a.all:
            os.makedirs(a.out, exist_ok=True)
            tot = sum(SIZE_WEIGHT.values())
            acc = done = 0
            xb_n = {q: max(10, a.rows // 8 // 600) for q in QUARTERS}
            for key in ORDER:
                acc += SIZE_WEIGHT[key]
                t = int(round(a.rows * acc / tot))
                path = os.path.join(a.out, key + ".csv")
                n = write_big(path, DIALECTS[key], a.seed, t - done, a.clean, xb_n,
                              quarters=quarters, seq_from=a.seq_from)
                done = t
                print("%s: %d case rows" % (path, n), file=sys.stderr)
            return 0
        ap.error("--rows needs --regulator KEY or --all")
    build_samples(a.out, a.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
