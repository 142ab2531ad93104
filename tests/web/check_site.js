#!/usr/bin/env node
// check_site.js — vspreport's web edition checked in a real browser:
// Debian's Chromium (/usr/bin/chromium, never a downloaded browser) driven
// by puppeteer-core, with axe-core injected into every page checked.
//
//   node check_site.js SITE_DIR [--only REL]... [--shots DIR]
//
// Without --only it checks what the issue asks for: every page of one
// language (en/*.html), the regional page of every language (*/index.html)
// and the language chooser (index.html); the links of every page of the
// site are checked as well.  --only REL (repeatable) checks just those
// pages (the planted-fault tests use it).  --shots DIR writes full-page
// screenshots at 1280 and 375 CSS px of the regional page in en, sr and mk.
//
// Each checked page must:
//   - load from file:// without requesting anything outside SITE_DIR's
//     parent (no external resource) and without running any script
//   - declare lang on <html>, with lang on every link to another language
//   - have no axe violation of the WCAG 2.0/2.1 A and AA rules
//   - have exactly one h1, and headings that never skip a level
//   - give every chart (svg) role="img" and a non-empty text alternative
//     through aria-labelledby, and follow it with a table that has a
//     caption and header cells with scope
//   - let Tab reach every link, in document order, with a visible focus
//   - not scroll horizontally at 320 CSS px (reflow)
// and no page may hold a relative link to a file that does not exist, or
// to an #id that the target does not have, or an absolute URL.
// Exit status 0 when all is well, 1 with a list of failures otherwise.
'use strict';

const fs = require('fs');
const path = require('path');
const { pathToFileURL, fileURLToPath } = require('url');
const puppeteer = require('puppeteer-core');

const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const CHROMIUM = process.env.VSP_CHROMIUM || '/usr/bin/chromium';

function usage() {
  console.error('usage: node check_site.js SITE_DIR [--only REL]... [--shots DIR]');
  process.exit(2);
}

const args = process.argv.slice(2);
let siteDir = null;
const only = [];
let shots = null;
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--only') only.push(args[++i]);
  else if (args[i] === '--shots') shots = args[++i];
  else if (!siteDir) siteDir = args[i];
  else usage();
}
if (!siteDir) usage();
siteDir = path.resolve(siteDir);
const publicRoot = path.dirname(siteDir);

const failures = [];
function fail(page, msg) {
  failures.push(`${page}: ${msg}`);
}

function allPages(dir, rel = '') {
  let out = [];
  for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out = out.concat(allPages(dir, r));
    else if (e.name.endsWith('.html')) out.push(r);
  }
  return out.sort();
}

const pages = allPages(siteDir);
let checked;
if (only.length) {
  checked = only;
} else {
  const langs = pages.filter((p) => /^[^/]+\/index\.html$/.test(p)).map((p) => p.split('/')[0]);
  if (langs.length !== 7) fail('site', `expected 7 language folders, found ${langs.length}: ${langs}`);
  checked = ['index.html']
    .concat(pages.filter((p) => p.startsWith('en/')))
    .concat(langs.filter((l) => l !== 'en').map((l) => `${l}/index.html`));
}

// ---- links: every page of the site (or the --only pages) -------------

const idCache = new Map();
function idsOf(file) {
  if (!idCache.has(file)) {
    const html = fs.readFileSync(file, 'utf8');
    const ids = new Set();
    for (const m of html.matchAll(/\sid="([^"]*)"/g)) ids.add(m[1]);
    idCache.set(file, ids);
  }
  return idCache.get(file);
}

function unescapeAttr(s) {
  return s.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

function checkLinks(rel) {
  const file = path.join(siteDir, rel);
  const html = fs.readFileSync(file, 'utf8');
  let n = 0;
  for (const m of html.matchAll(/\s(href|src|xlink:href|action|srcset|poster|data)="([^"]*)"/g)) {
    const attr = m[1];
    const url = unescapeAttr(m[2]);
    n++;
    if (/^[a-z][a-z0-9+.-]*:/i.test(url) || url.startsWith('//')) {
      fail(rel, `${attr}="${url}" is not a relative link (the site must work offline and from any host)`);
      continue;
    }
    if (url.startsWith('/')) {
      fail(rel, `${attr}="${url}" is absolute to the host root; use a relative link`);
      continue;
    }
    const [p, frag] = url.split('#');
    const target = p === '' ? file : path.resolve(path.dirname(file), decodeURIComponent(p));
    if (!target.startsWith(publicRoot + path.sep) && target !== publicRoot) {
      fail(rel, `${attr}="${url}" leaves the published folder`);
      continue;
    }
    if (!fs.existsSync(target) || !fs.statSync(target).isFile()) {
      fail(rel, `broken link: ${attr}="${url}" (no file ${path.relative(publicRoot, target)})`);
      continue;
    }
    if (frag !== undefined && frag !== '' && target.endsWith('.html') && !idsOf(target).has(frag)) {
      fail(rel, `broken link: ${attr}="${url}" (no id "${frag}" in ${path.relative(publicRoot, target)})`);
    }
  }
  return n;
}

let nLinks = 0;
for (const p of only.length ? only : pages) nLinks += checkLinks(p);

// ---- in the browser ---------------------------------------------------

async function checkPage(browser, rel) {
  const page = await browser.newPage();
  await page.setJavaScriptEnabled(true); // axe needs it; the site itself has no script
  const outside = [];
  await page.setRequestInterception(true);
  page.on('request', (req) => {
    const u = req.url();
    if (u.startsWith('file://')) {
      const f = fileURLToPath(u);
      if (!f.startsWith(publicRoot + path.sep)) outside.push(u);
      req.continue();
    } else if (u.startsWith('data:') || u === 'about:blank') {
      req.continue();
    } else {
      outside.push(u);
      req.abort();
    }
  });
  await page.setViewport({ width: 1280, height: 900 });
  const url = pathToFileURL(path.join(siteDir, rel)).href;
  await page.goto(url, { waitUntil: 'load' });
  for (const u of outside) fail(rel, `requests a resource outside the site: ${u}`);

  const scripts = await page.$$eval('script', (s) => s.length);
  if (scripts) fail(rel, `has ${scripts} <script> element(s); the web edition needs none`);

  // structure: lang, headings, charts, tables
  const st = await page.evaluate(() => {
    const r = { problems: [] };
    const lang = document.documentElement.getAttribute('lang');
    if (!lang || !lang.trim()) r.problems.push('<html> has no lang attribute');
    const hs = [...document.querySelectorAll('h1,h2,h3,h4,h5,h6')];
    const h1 = hs.filter((h) => h.tagName === 'H1').length;
    if (h1 !== 1) r.problems.push(`${h1} h1 elements; a page has exactly one`);
    let prev = 0;
    for (const h of hs) {
      const lv = +h.tagName[1];
      if (prev && lv > prev + 1) r.problems.push(`heading "${h.textContent.trim()}" (h${lv}) skips a level after h${prev}`);
      prev = lv;
    }
    if (hs.length && hs[0].tagName !== 'H1') r.problems.push(`the first heading is ${hs[0].tagName}, not the h1`);
    for (const a of document.querySelectorAll('a[hreflang]')) {
      if (a.getAttribute('hreflang') !== lang && !a.closest('[lang]:not(html)') && !a.querySelector('[lang]'))
        r.problems.push(`link to another language without lang: "${a.textContent.trim()}"`);
    }
    const svgs = [...document.querySelectorAll('svg')];
    r.charts = svgs.length;
    svgs.forEach((svg, i) => {
      const what = `chart ${i + 1}`;
      if (svg.getAttribute('role') !== 'img') r.problems.push(`${what} has no role="img"`);
      const ids = (svg.getAttribute('aria-labelledby') || '').split(/\s+/).filter(Boolean);
      const text = ids.map((id) => (document.getElementById(id) || {}).textContent || '').join(' ').trim();
      if (!ids.length || text.length < 20)
        r.problems.push(`${what} has no text alternative (aria-labelledby naming a <title> that says what it shows)`);
      // its data follow as a table
      const fig = svg.closest('figure');
      let el = fig ? fig.nextElementSibling : null;
      while (el && !el.querySelector('table') && el.tagName !== 'TABLE' && !el.matches('figure')) el = el.nextElementSibling;
      if (!el || el.matches('figure')) {
        // a second chart of the same data (the map) shares the table after the next figure
        let e2 = fig && fig.nextElementSibling;
        while (e2 && !(e2.querySelector && e2.querySelector('table'))) e2 = e2.nextElementSibling;
        if (!e2) r.problems.push(`${what} is not followed by its data table`);
      }
    });
    for (const t of document.querySelectorAll('table')) {
      const cap = t.querySelector('caption');
      if (!cap || !cap.textContent.trim()) r.problems.push('a table without a caption');
      for (const th of t.querySelectorAll('th'))
        if (!['col', 'row', 'colgroup', 'rowgroup'].includes(th.getAttribute('scope')))
          r.problems.push(`header cell "${th.textContent.trim()}" without scope in "${cap ? cap.textContent.trim() : '?'}"`);
    }
    if (!document.querySelector('main')) r.problems.push('no <main> landmark');
    const skip = document.querySelector('a[href="#main"]');
    if (!skip) r.problems.push('no skip link to #main');
    return r;
  });
  for (const p of st.problems) fail(rel, p);

  // axe: WCAG 2.0 and 2.1, levels A and AA
  await page.addScriptTag({ content: AXE_SOURCE });
  const axe = await page.evaluate(async () => {
    const res = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      resultTypes: ['violations'],
    });
    return res.violations.map((v) => ({
      id: v.id,
      help: v.help,
      nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ') + ': ' + (n.failureSummary || '').split('\n').slice(0, 2).join(' ')),
      count: v.nodes.length,
    }));
  });
  for (const v of axe) fail(rel, `axe ${v.id} (${v.help}), ${v.count} node(s): ${v.nodes.join(' | ')}`);

  // keyboard: Tab from the top reaches every link, in document order, each
  // with a visible focus indicator
  const links = await page.$$eval('a[href]', (as) => as.map((a, i) => { a.dataset.vspOrder = i; return i; }).length);
  await page.evaluate(() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); });
  const seen = [];
  let noOutline = 0;
  for (let k = 0; k < links * 2 + 400 && seen.length < links; k++) {
    await page.keyboard.press('Tab');
    const f = await page.evaluate(() => {
      const a = document.activeElement;
      if (!a || a === document.body) return { end: true };
      const cs = getComputedStyle(a);
      const visible = (cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 2) || cs.boxShadow !== 'none';
      return { order: a.dataset.vspOrder === undefined ? null : +a.dataset.vspOrder, visible };
    });
    if (f.end) break;
    if (f.order !== null) {
      seen.push(f.order);
      if (!f.visible) noOutline++;
    }
  }
  const missing = [];
  for (let i = 0; i < links; i++) if (!seen.includes(i)) missing.push(i);
  if (missing.length) fail(rel, `keyboard: Tab does not reach ${missing.length} of ${links} links (first: #${missing[0]})`);
  for (let i = 1; i < seen.length; i++)
    if (seen[i] <= seen[i - 1]) { fail(rel, `keyboard: links are reached out of document order (${seen[i - 1]} then ${seen[i]})`); break; }
  if (noOutline) fail(rel, `keyboard: ${noOutline} link(s) show no visible focus indicator`);

  // reflow at 320 CSS px: no horizontal scrolling of the page
  await page.setViewport({ width: 320, height: 640 });
  const sw = await page.evaluate(() => document.documentElement.scrollWidth);
  if (sw > 320) fail(rel, `reflow: the page is ${sw} px wide at a 320 px viewport (horizontal scrolling)`);

  const bytes = fs.statSync(path.join(siteDir, rel)).size;
  await page.close();
  return { rel, charts: st.charts, links, axe: axe.length, bytes };
}

async function screenshots(browser, dir) {
  fs.mkdirSync(dir, { recursive: true });
  const made = [];
  for (const lang of ['en', 'sr', 'mk']) {
    for (const width of [1280, 375]) {
      const page = await browser.newPage();
      await page.setViewport({ width, height: 900 });
      await page.goto(pathToFileURL(path.join(siteDir, lang, 'index.html')).href, { waitUntil: 'load' });
      const file = path.join(dir, `${lang}-${width}.png`);
      await page.screenshot({ path: file, fullPage: true });
      made.push(file);
      await page.close();
    }
  }
  return made;
}

(async () => {
  if (!fs.existsSync(CHROMIUM)) {
    console.error(`check_site: ${CHROMIUM} not found; install Debian's chromium (scripts/setup.sh)`);
    process.exit(1);
  }
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--allow-file-access-from-files', '--font-render-hinting=none'],
  });
  try {
    for (const rel of checked) {
      if (!fs.existsSync(path.join(siteDir, rel))) { fail(rel, 'page missing'); continue; }
      const r = await checkPage(browser, rel);
      console.log(`check_site: ${r.rel}: ${r.bytes} bytes, ${r.charts} charts, ${r.links} links, ${r.axe} axe violation(s)`);
    }
    if (shots) for (const f of await screenshots(browser, shots)) console.log(`check_site: screenshot ${f}`);
  } finally {
    await browser.close();
  }
  console.log(`check_site: ${checked.length} page(s) checked in Chromium, links of ${only.length ? only.length : pages.length} page(s) (${nLinks} links)`);
  if (failures.length) {
    for (const f of failures) console.error(`check_site: FAIL ${f}`);
    console.error(`check_site: ${failures.length} failure(s)`);
    process.exit(1);
  }
  console.log('check_site: ok');
})().catch((e) => {
  console.error(`check_site: ${e && e.stack ? e.stack : e}`);
  process.exit(1);
});
