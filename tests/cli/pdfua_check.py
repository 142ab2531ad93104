#!/usr/bin/python3
"""PDF/UA structure of a vspreport PDF, read back with `qpdf --json` (issue 17):
  - the catalog's /Metadata is an XMP stream with pdfuaid:part 1 and the
    document's title (the Info dictionary's /Title) as dc:title;
  - /ViewerPreferences << /DisplayDocTitle true >>, /Lang;
  - every page with annotations has /Tabs /S;
  - in every page's content stream, every text object (BT ... ET) lies in a
    marked-content sequence: a structure element's (BDC with an MCID) or an
    /Artifact; so no text, running headers and page numbers included, is
    left untagged.
Usage: pdfua_check.py FILE.pdf"""
import base64, json, re, subprocess, sys

def fail(msg):
    print('%s: %s' % (sys.argv[1], msg), file=sys.stderr)
    sys.exit(1)

out = subprocess.run(['qpdf', '--json', '--json-stream-data=inline', '--decode-level=generalized',
                      sys.argv[1]], capture_output=True, check=True).stdout
doc = json.loads(out)['qpdf']
objs = doc[1]
trailer = objs['trailer']['value']
def deref(v):
    while isinstance(v, str) and v.endswith(' R'):
        v = objs['obj:' + v]
        v = v.get('value', v)
    return v
def obj(ref):
    return objs['obj:' + ref]
root = deref(trailer['/Root'])
info = deref(trailer.get('/Info'))
if root.get('/ViewerPreferences') is None or deref(root['/ViewerPreferences']).get('/DisplayDocTitle') is not True:
    fail('no /ViewerPreferences << /DisplayDocTitle true >>')
if '/Lang' not in root:
    fail('no /Lang')
if '/Metadata' not in root:
    fail('no /Metadata in the catalog')
meta = obj(root['/Metadata'])['stream']
if meta['dict'].get('/Subtype') != '/XML' or meta['dict'].get('/Type') != '/Metadata':
    fail('/Metadata is not /Type /Metadata /Subtype /XML')
xmp = base64.b64decode(meta['data']).decode('utf-8')
if not re.search(r'<pdfuaid:part>1</pdfuaid:part>', xmp):
    fail('XMP without pdfuaid:part 1')
m = re.search(r'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">(.*?)</rdf:li>', xmp, re.S)
if not m:
    fail('XMP without dc:title')
title = info.get('/Title', '')
if title.startswith('u:'):
    title = title[2:]
unesc = m.group(1).replace('&lt;', '<').replace('&gt;', '>').replace('&quot;', '"').replace('&amp;', '&')
if unesc != title:
    fail('XMP dc:title %r differs from /Title %r' % (unesc, title))

def kids(node):
    node = deref(node)
    if node.get('/Type') == '/Page':
        yield node
        return
    for k in node.get('/Kids', []):
        yield from kids(k)

TOKEN = re.compile(rb'\((?:\\.|[^\\()])*\)|<<|>>|<[0-9A-Fa-f\s]*>|\[|\]|/[^\s()<>\[\]{}/%]*|[^\s()<>\[\]{}/%]+')
pages = list(kids(root['/Pages']))
if not pages:
    fail('no pages')
n_annots = n_art = 0
for no, page in enumerate(pages, 1):
    if '/Annots' in page:
        n_annots += 1
        if page.get('/Tabs') != '/S':
            fail('page %d has annotations but no /Tabs /S' % no)
    contents = page['/Contents']
    refs = contents if isinstance(contents, list) else [contents]
    data = b''.join(base64.b64decode(obj(r)['stream']['data']) for r in refs)
    depth = 0
    for t in TOKEN.findall(data):
        if t in (b'BDC', b'BMC'):
            depth += 1
        elif t == b'EMC':
            depth -= 1
        elif t == b'BT' and depth == 0:
            fail('page %d: text outside any marked content (neither tagged nor an artifact)' % no)
    n_art += data.count(b'/Artifact BMC')
if n_art < len(pages) - 1:  # every page but the cover has its running header and footer
    fail('%d /Artifact sequences over %d pages' % (n_art, len(pages)))
print('%s: %d pages, %d with links, %d artifacts' % (sys.argv[1], len(pages), n_annots, n_art))
