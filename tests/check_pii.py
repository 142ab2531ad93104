#!/usr/bin/python3
"""check_pii.py - no personal datum of the warehouse in any published output.

    check_pii.py --db DB [--labels] [--extra TEXT]... PATH...

Collects from the warehouse's case_record every reporter name, e-mail and
phone, account handle, note, content URL and content key (and the video or
account id inside it), case id and legal basis (with --labels also the
national labels as written, but for those that are a canonical code such
as "Piracy": a workbook may legitimately show a translated category name
that equals a label).  Then opens every output under PATH
(files or folders; XLSX and other zip files part by part, XML reduced to
its text nodes and unescaped; PDFs as pdftotext extracts them and their
pdfinfo metadata; PNGs by their text chunks; SVGs by their text and
attributes; CSV, Markdown and text as they are) and
looks for each datum:

  - as a sequence of words (letters and digits, case folded), so that a
    datum is found whatever punctuation or escaping surrounds it;
  - phones by their digits, inside any phone-like run of digits;
  - anywhere: e-mail addresses, URLs (http, https, www., tiktok.com) and
    @handles in text.

Exit status 0 when nothing is found; every finding is printed.
"""
import argparse
import html
import os
import re
import sqlite3
import subprocess
import sys
import zipfile
import zlib
import xml.etree.ElementTree as ET

WORD = re.compile(r"\w+", re.UNICODE)
PHONE_RUN = re.compile(r"[+(]?\d[\d\s\-./()]{5,}\d")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
URL = re.compile(r"(https?://|www\.|tiktok\.com|vm\.tiktok)", re.I)
HANDLE = re.compile(r"(?<![\w=+\-@'\"])@[A-Za-z0-9_.]{3,}")


def words(s):
    return WORD.findall(s.casefold())


def tokens_from_db(db, labels):
    con = sqlite3.connect(db)
    cols = ["reporter_name", "reporter_email", "account_handle", "notes", "content_url",
            "content_key", "case_id", "legal_basis"] + (["national_label"] if labels else [])
    seqs, phones = {}, set()
    # A label that is itself a canonical code ("Piracy") is public vocabulary.
    codes = {c.casefold() for t in ("category", "decision", "outcome", "channel")
             for (c,) in con.execute("SELECT code FROM %s" % t)}
    for col in cols:
        for (v,) in con.execute("SELECT DISTINCT %s FROM case_record WHERE %s IS NOT NULL" % (col, col)):
            v = str(v).strip()
            if col == "national_label" and v.casefold().replace(" ", "_") in codes:
                continue
            add(seqs, v, col)
            if col == "content_key":  # tiktok:video:741... -> the id alone
                add(seqs, v.rsplit(":", 1)[-1], col)
            if col == "content_url":
                add(seqs, v.split("?")[0], col)
            if col == "notes" and len(v) > 24:
                add(seqs, v[:24], col)
    for (v,) in con.execute("SELECT DISTINCT reporter_phone FROM case_record WHERE reporter_phone IS NOT NULL"):
        d = re.sub(r"\D", "", str(v))
        if len(d) >= 7:
            phones.add(d)
    con.close()
    return seqs, phones


def add(seqs, text, what):
    w = tuple(words(text))
    if not w:
        return
    if len(w) == 1 and (len(w[0]) < 6 or w[0].isdigit() and len(w[0]) < 8):
        return  # too short to be distinctive on its own
    if sum(len(x) for x in w) < 6:
        return
    seqs.setdefault(w, (text, what))


def texts_of(path):
    """(name, text) of every part of an output."""
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as z:
            for part in z.namelist():
                data = z.read(part)
                if part.endswith(".xml") or part.endswith(".rels"):
                    try:
                        root = ET.fromstring(data)
                        yield "%s:%s" % (path, part), "\n".join(
                            t for e in root.iter() for t in (e.text, e.tail) if t and t.strip())
                    except ET.ParseError:
                        yield "%s:%s" % (path, part), html.unescape(data.decode("utf-8", "replace"))
                else:
                    yield "%s:%s" % (path, part), data.decode("utf-8", "replace")
    elif path.endswith(".svg"):
        # text nodes and attribute values, not the namespaces' own addresses
        root = ET.parse(path).getroot()
        yield path, "\n".join([t for e in root.iter() for t in (e.text, e.tail) if t and t.strip()] +
                              [v for e in root.iter() for k, v in e.attrib.items()
                               if not v.startswith("http://www.w3.org/")])
    elif path.endswith(".png"):
        # pixels carry no text a pattern could find; the text chunks can
        with open(path, "rb") as f:
            data = f.read()
        texts, i = [], 8
        while i + 8 <= len(data):
            n = int.from_bytes(data[i:i + 4], "big")
            kind, body = data[i + 4:i + 8], data[i + 8:i + 8 + n]
            if kind in (b"tEXt", b"iTXt"):
                texts.append(body.replace(b"\0", b"\n").decode("utf-8", "replace"))
            elif kind == b"zTXt":
                key, _, rest = body.partition(b"\0")
                texts.append(key.decode("latin-1") + "\n" + zlib.decompress(rest[1:]).decode("latin-1"))
            i += 12 + n
        yield path, "\n".join(texts)
    elif path.endswith(".pdf"):
        # the text as a reader copies it, and the document's metadata
        # (its raw bytes are compressed streams: noise to the patterns)
        for tool in (["pdftotext", "-enc", "UTF-8", path, "-"], ["pdfinfo", "-enc", "UTF-8", path]):
            out = subprocess.run(tool, capture_output=True).stdout.decode("utf-8", "replace")
            # the PDF library's own name and web address are no one's data
            yield "%s:%s" % (path, tool[0]), "\n".join(
                l for l in out.splitlines() if not l.startswith("Producer:"))
    else:
        with open(path, "rb") as f:
            yield path, html.unescape(f.read().decode("utf-8", "replace"))


def scan(name, text, seqs, phones, first_words, findings):
    w = words(text)
    for i in range(len(w)):
        for n in (3, 2, 1):
            cands = first_words.get(tuple(w[i:i + n]))
            if not cands:
                continue
            for seq in cands:
                if tuple(w[i:i + len(seq)]) == seq:
                    findings.append("%s: %s %r" % (name, seqs[seq][1], seqs[seq][0]))
    lengths = sorted({len(p) for p in phones})
    for run in PHONE_RUN.findall(text):
        d = re.sub(r"\D", "", run)
        hits = {d[i:i + n] for n in lengths for i in range(len(d) - n + 1)} & phones
        for p in sorted(hits):
            findings.append("%s: phone %s in %r" % (name, p, run))
    for m in EMAIL.finditer(text):
        findings.append("%s: e-mail address %r" % (name, m.group(0)))
    for m in URL.finditer(text):
        findings.append("%s: URL %r" % (name, text[max(0, m.start() - 10):m.end() + 30]))
    for m in HANDLE.finditer(text):
        findings.append("%s: handle %r" % (name, m.group(0)))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", required=True)
    ap.add_argument("--labels", action="store_true")
    ap.add_argument("--extra", action="append", default=[])
    ap.add_argument("paths", nargs="+")
    a = ap.parse_args()
    seqs, phones = tokens_from_db(a.db, a.labels)
    for e in a.extra:
        add(seqs, e, "crafted")
        d = re.sub(r"\D", "", e)
        if len(d) >= 7 and re.fullmatch(r"[+\d\s\-()./]+", e):
            phones.add(d)
    first_words = {}
    for seq in seqs:
        first_words.setdefault(seq[:min(3, len(seq))], []).append(seq)
    files = []
    for p in a.paths:
        if os.path.isdir(p):
            for d, _, fs in os.walk(p):
                files += [os.path.join(d, f) for f in sorted(fs)]
        else:
            files.append(p)
    findings, parts = [], 0
    for f in files:
        for name, text in texts_of(f):
            parts += 1
            scan(name, text, seqs, phones, first_words, findings)
    if findings:
        for f in findings[:50]:
            print("FOUND:", f, file=sys.stderr)
        print("%d personal data found in %d parts of %d files" % (len(findings), parts, len(files)),
              file=sys.stderr)
        return 1
    print("no personal data: %d data (%d phones) searched in %d parts of %d files"
          % (len(seqs), len(phones), parts, len(files)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
