"""peer_profile.py - the ingest half of the pandas peer (bench/peer_pipeline.py):
what a pandas user writes to read one regulator's case-log export the way
its profile (profiles/*.ini, profiles/README.md) describes it.

  read_profile(path)            a minimal reader of the profile syntax:
                                sections, first '=' in [regulator] [format]
                                [defaults] [columns], last '=' in the label
                                sections, no comments after a value
  read_export(path, profile)    pandas.read_csv with the profile's encoding,
                                delimiter and header row; headers matched
                                with case folding and collapsed spaces
  canonical(df, profile, ...)   labels -> codes (Series.map over the unique
                                labels), dates with the profile's formats ->
                                UTC (tz_localize / tz_convert) and the local
                                calendar day, content keys from the URL
                                (one regex), rejects with their reason

It shares no code with the C reader (pipeline/profile.c, ingest.c,
datetime.c, urlkey.c).  Everything is vectorised where pandas can: the work
a competent pandas user would do, not a row loop.
"""

import re

import numpy as np
import pandas as pd

LABEL_SECTIONS = ("category", "decision", "outcome", "platform", "channel", "item_kind")
CODES = {
    "category": ["piracy", "minors", "csam", "hate", "violence", "terrorism", "sexual",
                 "bullying", "self_harm", "fraud", "disinfo", "privacy", "commercial", "other"],
    "decision": ["forwarded", "no_violation", "out_of_remit", "insufficient_info", "duplicate",
                 "pending"],
    "outcome": ["removed", "geo_blocked", "age_restricted", "account_suspended", "account_banned",
                "declined", "already_unavailable", "pending"],
    "channel": ["web_form", "email", "phone", "ex_officio", "other"],
    "item_kind": ["content", "account"],
    "platform": ["tiktok"],
}
DATE_FIELDS = ("received_at", "decided_at", "forwarded_at", "outcome_at")
ENCODINGS = {"utf-8": "utf-8-sig", "windows-1250": "cp1250", "windows-1251": "cp1251",
             "iso-8859-2": "iso-8859-2", "iso-8859-5": "iso-8859-5"}
TEXT_FIELDS = ("case_id", "content_url", "national_label", "legal_basis", "reporter_name",
               "reporter_email", "reporter_phone", "account_handle", "notes")

_SPACES = re.compile(r"\s+")


def fold(s):
    """Header and label matching: case folded (Latin and Cyrillic), inner runs
    of spaces collapsed, surrounding spaces and a BOM dropped."""
    return _SPACES.sub(" ", s.replace("\ufeff", "")).strip().casefold()


class Profile:
    def __init__(self, path):
        self.path = path
        self.name = path.rsplit("/", 1)[-1][:-4]
        sec = {}
        cur = None
        with open(path, encoding="utf-8-sig") as f:
            for line in f:
                s = line.strip()
                if not s or s[0] in "#;":
                    continue
                if s[0] == "[" and s[-1] == "]":
                    cur = s[1:-1].strip()
                    sec.setdefault(cur, {})
                    continue
                if cur is None or "=" not in s:
                    raise ValueError("%s: bad line %r" % (path, s))
                if cur in LABEL_SECTIONS:
                    k, _, v = s.rpartition("=")
                else:
                    k, _, v = s.partition("=")
                sec[cur][k.strip()] = v.strip()
        reg, fmt = sec.get("regulator", {}), sec.get("format", {})
        self.country = reg["country"]
        self.short_name = reg.get("short_name", "")
        self.regulator = reg.get("name", "")
        self.language = reg.get("language", "en")
        self.timezone = reg["timezone"]
        self.encoding = ENCODINGS[fmt.get("encoding", "utf-8").lower()]
        d = fmt.get("delimiter", "auto")
        self.delimiter = {"tab": "\t", "auto": None}.get(d, d)
        self.header_row = int(fmt.get("header_row", "1"))
        default_dates = [x.strip() for x in fmt.get("dates", "iso8601").split("|")]
        self.dates = {}
        for f in DATE_FIELDS:
            v = fmt.get("dates." + f)
            self.dates[f] = [x.strip() for x in v.split("|")] if v else default_dates
        self.columns = {k: [x.strip() for x in v.split("|")]
                        for k, v in sec.get("columns", {}).items()}
        self.defaults = sec.get("defaults", {})
        self.labels = {}
        for s in LABEL_SECTIONS:
            table = {c: c for c in CODES[s]}  # a canonical code needs no line
            for label, code in sec.get(s, {}).items():
                table[fold(label)] = code
            self.labels[s] = table


def read_export(path, prof):
    """The export as a DataFrame of strings, one column per mapped field
    (canonical names), plus the physical line of each row."""
    sep = prof.delimiter
    if sep is None:  # auto: guess from the header line
        with open(path, encoding=prof.encoding, newline="") as f:
            for _ in range(prof.header_row):
                head = f.readline()
        sep = max([",", ";", "\t"], key=head.count)
    wanted = {}
    for field, alts in prof.columns.items():
        for a in alts:
            wanted.setdefault(fold(a), []).append(field)
    df = pd.read_csv(path, sep=sep, encoding=prof.encoding, skiprows=prof.header_row - 1,
                     header=0, dtype=str, keep_default_na=False, na_filter=False,
                     skip_blank_lines=True, usecols=lambda c: fold(c) in wanted)
    present = {fold(c): c for c in df.columns}
    rename = {}
    for field, alts in prof.columns.items():
        for a in alts:
            if fold(a) in present:
                rename[present[fold(a)]] = field
                break
    df = df[list(rename)].rename(columns=rename)
    missing = [f for f in ("case_id", "received_at", "category", "decision")
               if f not in df.columns and f not in prof.defaults]
    if missing:
        raise ValueError("%s: required column(s) missing: %s" % (path, ", ".join(missing)))
    # physical line of each row (rows spanning several lines are not
    # counted apart: an approximation the generated data does not hit)
    df["line"] = np.arange(len(df), dtype=np.int64) + prof.header_row + 1
    return df


def map_labels(s, table):
    """Local labels -> codes: each distinct label folded and looked up once."""
    uniq = pd.unique(s)
    m = {v: table.get(fold(v)) if v.strip() else "" for v in uniq}
    return s.map(m)


def _strptime(fmt):
    """A profile date format -> (strptime format, has time)."""
    return _SPACES.sub(" ", fmt), "%H" in fmt


_ISO_OFFSET = re.compile(r"(?:Z|[+-]\d\d:?\d\d)$")
EXCEL_EPOCH = pd.Timestamp("1899-12-30")


def parse_dates(s, formats, tz):
    """Strings -> (UTC seconds as float with NaN, local YYYYMMDD as float,
    precision 1 date / 2 date and time / 0 none, bad mask), numpy arrays.
    Local times are in the profile's zone: the repeated autumn hour is read
    as summer time, the skipped spring hour with the offset before the
    change.  The first format that matches wins."""
    s = s.str.strip().reset_index(drop=True)
    n = len(s)
    local = pd.Series(pd.NaT, index=s.index, dtype="datetime64[ns]")
    utc = pd.Series(pd.NaT, index=s.index, dtype="datetime64[ns, UTC]")
    prec = np.zeros(n, dtype=np.int8)
    todo = (s != "").to_numpy()
    for fmt in formats:
        if not todo.any():
            break
        v = s[todo]
        if fmt == "excel":
            x = pd.to_numeric(v, errors="coerce")
            good = (x.notna() & (x > 0)).to_numpy()
            xg = x[good]
            local[xg.index] = EXCEL_EPOCH + pd.to_timedelta((xg * 86400).round(), unit="s")
            prec[xg.index] = np.where(xg == np.floor(xg), 1, 2)
        elif fmt == "iso8601":
            off = v.str.contains(_ISO_OFFSET).to_numpy()
            good = np.zeros(len(v), dtype=bool)
            if off.any():
                t = pd.to_datetime(v[off], utc=True, errors="coerce")
                t = t[t.notna()]
                utc[t.index] = t
                good[v.index.get_indexer(t.index)] = True
            if (~off).any():
                t = pd.to_datetime(v[~off], errors="coerce")
                t = t[t.notna()]
                local[t.index] = t
                good[v.index.get_indexer(t.index)] = True
            vg = v[good]
            prec[vg.index] = np.where(vg.str.len() > 10, 2, 1)
        else:
            f, has_time = _strptime(fmt)
            t = pd.to_datetime(v, format=f, errors="coerce")
            good = t.notna().to_numpy()
            local[t.index[good]] = t[good]
            prec[t.index[good]] = 2 if has_time else 1
        todo[v.index[good]] = False
    bad = todo  # not empty, and no format matched
    has_local = local.notna()
    if has_local.any():
        lt = local[has_local].dt.tz_localize(tz, ambiguous=np.ones(int(has_local.sum()), bool),
                                             nonexistent=pd.Timedelta(hours=1))
        utc[lt.index] = lt.dt.tz_convert("UTC")
    has_off = (utc.notna() & ~has_local).to_numpy()
    if has_off.any():
        local[has_off] = utc[has_off].dt.tz_convert(tz).dt.tz_localize(None)
    ok = utc.notna().to_numpy()
    secs = utc.dt.tz_localize(None).to_numpy().astype("datetime64[s]").astype(np.int64)
    secs = np.where(ok, secs, 0).astype(np.float64)
    secs[~ok] = np.nan
    days = local.to_numpy().astype("datetime64[D]")
    months = days.astype("datetime64[M]")
    y = months.astype(np.int64) // 12 + 1970
    m = months.astype(np.int64) % 12 + 1
    d = (days - months.astype("datetime64[D]")).astype(np.int64) + 1
    ymd = (y * 10000 + m * 100 + d).astype(np.float64)
    ymd[~ok] = np.nan
    return secs, ymd, np.where(ok, prec, 0), bad


# content key: the TikTok URL forms of urlkey.h, one regex
_TT = re.compile(
    r"^\s*(?:[a-z][a-z0-9+.-]*://)?(?P<sub>(?:www\.|m\.|vm\.|vt\.)?)tiktok\.com(?::\d+)?/"
    r"(?:(?:@|%40)(?P<h1>[^/?#]*)/(?P<kind1>video|photo)/(?P<id1>\d{1,30})"
    r"|(?:@|%40)(?P<acc>[A-Za-z0-9._]{1,64})"
    r"|v/(?P<id2>\d{1,30})(?:\.html)?"
    r"|(?P<kind3>video|photo)/(?P<id3>\d{1,30})"
    r"|share/video/(?P<id4>\d{1,30})"
    r"|embed/(?:v\d{1,3}/)?(?P<id5>\d{1,30})"
    r"|t/(?P<t>[A-Za-z0-9_-]{1,64})"
    r"|(?P<vm>[A-Za-z0-9_-]{1,64}))"
    r"/*(?:[?#].*)?\s*$", re.IGNORECASE)
_ANY = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*://)?(?:[^/@]*@)?(?P<host>[^/:?#\s]+)(?::\d+)?"
                  r"(?P<path>/[^?#]*)?", re.IGNORECASE)


def content_keys(url):
    """Series of URLs (strings, '' = none) -> (content key or None, kind)."""
    u = url.str.strip()
    m = u.str.extract(_TT)
    key = pd.Series(None, index=u.index, dtype=object)
    kind = pd.Series("content", index=u.index, dtype=object)
    vid = m["id1"].fillna(m["id2"]).fillna(m["id3"]).fillna(m["id4"]).fillna(m["id5"])
    photo = (m["kind1"].str.lower() == "photo") | (m["kind3"].str.lower() == "photo")
    has = vid.notna()
    key[has] = np.where(photo[has], "tiktok:photo:", "tiktok:video:") + vid[has]
    acc = m["acc"].notna() & ~has
    key[acc] = "tiktok:account:" + m["acc"][acc].str.lower()
    kind[acc] = "account"
    t = m["t"].notna()
    key[t] = "tiktok:short:" + m["t"][t]
    vm = m["vm"].notna() & m["sub"].str.lower().isin(["vm.", "vt."])
    key[vm] = "tiktok:short:" + m["vm"][vm]
    rest = key.isna() & (u != "")
    if rest.any():
        g = u[rest].str.extract(_ANY)
        host = g["host"].str.lower().str.replace(r"^(?:www\.|m\.)", "", regex=True)
        path = g["path"].fillna("").str.rstrip("/")
        k = "url:" + host + path
        k = k.where(g["host"].notna(), "url:" + u[rest])
        key[rest] = k
    return key, kind


def canonical(df, prof):
    """The canonical case records of one export and its rejects.
    Returns (cases DataFrame, rejects DataFrame[line, field, reason], blank)."""
    n0 = len(df)
    fields = [c for c in df.columns if c != "line"]
    blank = (df[fields] == "").all(axis=1) if fields else pd.Series(False, index=df.index)
    df = df[~blank]
    out = pd.DataFrame({"country": prof.country, "line": df["line"]}, index=df.index)
    reason = pd.Series("", index=df.index, dtype=object)
    field_at = pd.Series("", index=df.index, dtype=object)

    def reject(mask, field, why):
        m = mask & (reason == "")
        reason[m] = why
        field_at[m] = field

    for f in TEXT_FIELDS:
        out[f] = df[f].str.strip() if f in df.columns else ""
    reject(out["case_id"] == "", "case_id", "empty_required")
    for sec in LABEL_SECTIONS:
        if sec in df.columns:
            v = map_labels(df[sec], prof.labels[sec])
            reject(v.isna(), sec, "unmapped_label")
            v = v.fillna("")
            if sec in prof.defaults:
                v = v.where(v != "", prof.defaults[sec])
        else:
            v = pd.Series(prof.defaults.get(sec, ""), index=df.index, dtype=object)
        out[sec] = v
    reject(out["category"] == "", "category", "empty_required")
    reject(out["decision"] == "", "decision", "empty_required")
    if "national_label" not in df.columns and "category" in df.columns:
        out["national_label"] = df["category"].str.strip()
    for f in DATE_FIELDS:
        base = f[:-3]
        if f in df.columns:
            secs, day, prec, bad = parse_dates(df[f], prof.dates[f], prof.timezone)
            reject(pd.Series(bad, index=df.index), f, "bad_date")
        else:
            secs = day = np.full(len(df), np.nan)
            prec = np.zeros(len(df), dtype=np.int8)
        out[base + "_ts"] = secs
        out[base + "_day"] = day
        out[base + "_prec"] = np.where(np.isnan(secs), np.nan, prec)
    reject(out["received_ts"].isna(), "received_at", "empty_required")
    fwd = out["decision"] == "forwarded"
    reject((out["outcome"] != "") & ~fwd, "outcome", "outcome_not_forwarded")
    out.loc[fwd & (out["outcome"] == ""), "outcome"] = "pending"
    key, kind = content_keys(out["content_url"])
    out["content_key"] = key
    if "item_kind" not in df.columns and "item_kind" not in prof.defaults:
        out["item_kind"] = kind
    if "platform" not in df.columns and "platform" not in prof.defaults:
        out["platform"] = "tiktok"
    bad = reason != ""
    rejects = pd.DataFrame({"line": out["line"][bad], "field": field_at[bad],
                            "reason": reason[bad]})
    for c in ("outcome", "channel"):
        out[c] = out[c].replace("", None)
    return out[~bad], rejects, int(n0 - len(df))
