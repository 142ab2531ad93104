#!/usr/bin/python3
"""make_pdf_xref_seeds.py DIR — the seed corpus of fuzz_pdf_xref.

A small PDF laid out as cairo 1.16 writes one (objects, one classic xref
table, trailer, startxref), its offsets computed here, and ways of breaking
the part read_xref reads: no startxref, startxref past the table, a bad
subsection, a short entry, a huge count, two subsections, /Prev, /XRefStm,
no /Root, /Root out of range or free, an empty file, CR LF line ends.
"""
import os
import sys


def pdf(objs, trailer_extra="", root=1, size=None, subsections=None, eol="\n",
        startxref_delta=0, entry_hook=None):
    body = "%PDF-1.5" + eol + "%\xb5\xed\xae\xfb" + eol
    offsets = []
    for i, o in enumerate(objs, start=1):
        offsets.append(len(body.encode("latin-1")))
        body += f"{i} 0 obj{eol}{o}{eol}endobj{eol}"
    xref_at = len(body.encode("latin-1"))
    n = len(objs) + 1
    entries = ["0000000000 65535 f "] + [f"{o:010d} 00000 n " for o in offsets]
    if entry_hook:
        entries = entry_hook(entries)
    x = "xref" + eol
    for first, count in subsections or [(0, n)]:
        x += f"{first} {count}{eol}"
        for e in entries[first:first + count]:
            x += e + eol
    x += f"trailer{eol}<< /Size {size if size is not None else n} /Root {root} 0 R{trailer_extra} >>{eol}"
    x += f"startxref{eol}{xref_at + startxref_delta}{eol}%%EOF{eol}"
    return (body + x).encode("latin-1")


OBJS = [
    "<< /Type /Catalog /Pages 2 0 R /StructTreeRoot 4 0 R >>",
    "<< /Type /Pages /Kids [ 3 0 R ] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [ 0 0 595 842 ] >>",
    "<< /Type /StructTreeRoot /K [ 5 0 R ] >>",
    "<< /Type /StructElem /S /Figure /P 4 0 R >>",
]


def main(out):
    os.makedirs(out, exist_ok=True)
    good = pdf(OBJS)
    seeds = {
        "valid": good,
        "valid-crlf": pdf(OBJS, eol="\r\n"),
        "two-subsections": pdf(OBJS, subsections=[(0, 3), (3, 3)]),
        "empty": b"",
        "no-startxref": good.replace(b"startxref", b"startxrex"),
        "startxref-past-table": pdf(OBJS, startxref_delta=7),
        "startxref-huge": good.rsplit(b"startxref", 1)[0] + b"startxref\n99999999999999999999999\n%%EOF\n",
        "bad-subsection": good.replace(b"xref\n0 6", b"xref\n0 x6"),
        "huge-count": good.replace(b"xref\n0 6", b"xref\n0 9999999"),
        "short-entry": pdf(OBJS, entry_hook=lambda e: e[:3] + ["0000000123 00000"] + e[4:]),
        "free-root": pdf(OBJS, entry_hook=lambda e: [e[0], e[1].replace(" n ", " f ")] + e[2:]),
        "prev": pdf(OBJS, trailer_extra=" /Prev 9"),
        "xrefstm": pdf(OBJS, trailer_extra=" /XRefStm 9"),
        "no-root": good.replace(b"/Root 1 0 R", b"/Rooz 1 0 R"),
        "root-out-of-range": pdf(OBJS, root=60),
        "no-trailer": good.replace(b"trailer", b"trailex"),
        "truncated": good[: len(good) - 40],
    }
    for name, data in seeds.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)
    print(f"{len(seeds)} seeds in {out}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "corpus", "pdf_xref"))
