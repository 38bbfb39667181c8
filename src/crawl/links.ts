// Parse an HTML page: title, headings, links (with their row context and heading), main and full text.
import { load } from 'cheerio';
import type { FormInfo, Link, LinkSource } from '../types.js';
import { normalizeUrl, safeDecode } from './url.js';

/** The subset of domhandler's node shape this module reads. */
export interface DomNode {
  type: string;
  name?: string;
  data?: string;
  attribs?: Record<string, string>;
  children?: DomNode[];
  parent?: DomNode | null;
  next?: DomNode | null;
}

export interface ParsedPage {
  title: string;
  /** h1–h6 texts in document order (those outside menus; all of them when every heading is in a menu). */
  headings: string[];
  links: Link[];
  mainText: string;
  fullText: string;
  /** Absolute target of `<meta http-equiv=refresh content="N; url=…">`. */
  metaRefresh?: string;
  /** Its delay in seconds. */
  metaRefreshDelay?: number;
  /** Absolute target of `<link rel=canonical>`. */
  canonical?: string;
  /** Forms of the page (not those inside comments). */
  forms: FormInfo[];
  /** Pictures in the page's content (not menus, not icons): executives' photos, charts. */
  images: { src: string; alt: string }[];
}

const SKIP_TEXT = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'head',
  'svg',
  'iframe',
  'object',
  'title',
]);
const BLOCK = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'br',
  'caption',
  'center',
  'dd',
  'details',
  'dialog',
  'div',
  'dl',
  'dt',
  'fieldset',
  'figcaption',
  'figure',
  'footer',
  'form',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hgroup',
  'hr',
  'img',
  'li',
  'main',
  'nav',
  'ol',
  'option',
  'p',
  'pre',
  'section',
  'select',
  'summary',
  'table',
  'tbody',
  'td',
  'tfoot',
  'th',
  'thead',
  'tr',
  'ul',
  'button',
  'body',
]);
const HEADING = /^h[1-6]$/;
const CAPTION_CLASSES = [
  'card-header',
  'card-title',
  'panel-heading',
  'panel-title',
  'accordion-header',
  'accordion-button',
  'widget-title',
];
const INLINE_WRAPPERS = new Set(['font', 'span', 'u', 'i', 'em', 'b', 'strong', 'small', 'big']);
const CAPTION_PARENTS = new Set(['p', 'div', 'td', 'th', 'li', 'center', 'body', 'section', 'dt', 'dd']);

/** Collapse whitespace (NBSP included) and drop zero-width characters. */
export function fold(s: string): string {
  return s
    .replace(/[\u200B-\u200D\u2060\uFEFF]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

function isElement(n: DomNode): boolean {
  return n.type === 'tag' || n.type === 'script' || n.type === 'style';
}

function attr(n: DomNode, name: string): string | undefined {
  return n.attribs?.[name];
}

function classOf(n: DomNode): string {
  return (attr(n, 'class') ?? '').toLowerCase();
}

/** Pre-order traversal without recursion (malformed pages can nest thousands deep). */
function walk(root: DomNode, enter: (n: DomNode) => boolean, exit?: (n: DomNode) => void): void {
  const stack: { node: DomNode; i: number }[] = [];
  if (enter(root)) stack.push({ node: root, i: 0 });
  else {
    exit?.(root);
    return;
  }
  while (stack.length) {
    const top = stack[stack.length - 1]!;
    const kids = top.node.children ?? [];
    if (top.i < kids.length) {
      const child = kids[top.i++]!;
      if (enter(child)) stack.push({ node: child, i: 0 });
      else exit?.(child);
    } else {
      stack.pop();
      exit?.(top.node);
    }
  }
}

/** Visible text of a subtree, with spaces at block boundaries and none inside inline runs (Thai has no spaces). */
export function textOf(
  node: DomNode,
  skip?: (n: DomNode) => boolean,
  maxChars = Number.POSITIVE_INFINITY,
): string {
  const parts: string[] = [];
  let length = 0;
  walk(
    node,
    (n) => {
      if (length > maxChars) return false;
      if (n.type === 'text') {
        parts.push(n.data ?? '');
        length += n.data?.length ?? 0;
        return false;
      }
      if (n.type === 'comment' || n.type === 'directive' || n.type === 'cdata') return false;
      if (isElement(n)) {
        if (n !== node && (SKIP_TEXT.has(n.name ?? '') || skip?.(n))) return false;
        if (BLOCK.has(n.name ?? '')) parts.push(' ');
      }
      return true;
    },
    (n) => {
      if (isElement(n) && BLOCK.has(n.name ?? '')) parts.push(' ');
    },
  );
  const text = fold(parts.join(''));
  return length > maxChars ? text.slice(0, maxChars) : text;
}

function isMenuRegion(n: DomNode, inSectioning: boolean): boolean {
  const name = n.name ?? '';
  if (name === 'html' || name === 'body' || name === 'main' || name === 'article') return false;
  if (name === 'nav') return true;
  if ((name === 'header' || name === 'footer') && !inSectioning) return true;
  const role = (attr(n, 'role') ?? '').toLowerCase();
  if (role === 'navigation' || (!inSectioning && (role === 'banner' || role === 'contentinfo'))) return true;
  const cls = classOf(n);
  if (cls.includes('menu') || cls.includes('nav')) return true;
  if ((attr(n, 'id') ?? '').toLowerCase().includes('menu')) return true;
  return false;
}

function isContentRegion(n: DomNode): boolean {
  const name = n.name ?? '';
  return name === 'main' || name === 'article' || (attr(n, 'role') ?? '').toLowerCase() === 'main';
}

function elementChildren(n: DomNode): DomNode[] {
  return (n.children ?? []).filter(isElement);
}

function closest(n: DomNode, names: ReadonlySet<string>): DomNode | null {
  for (let p = n.parent ?? null; p; p = p.parent ?? null) if (names.has(p.name ?? '')) return p;
  return null;
}

const ROW_OR_ITEM = new Set(['tr', 'li']);
const TABLE_ROW = new Set(['tr']);
const SHORT_BLOCKS = new Set(['p', 'div', 'td', 'dd', 'dt', 'span', 'font', 'center', 'section']);
const LISTS = new Set(['ul', 'ol']);
const NOSCRIPT = new Set(['noscript']);
const CONTEXT_ROW_MAX = 600;
const CONTEXT_BLOCK_MAX = 300;
/** Raw characters read before a text is known to be too long (whitespace folds away). */
const ROW_SCAN = CONTEXT_ROW_MAX * 4;
const BLOCK_SCAN = CONTEXT_BLOCK_MAX * 4;
const LINK_TEXT_MAX = 1000;

/** Cell texts of a table row joined with " | " (empty cells left out). */
function rowText(tr: DomNode): string {
  const cells = elementChildren(tr).filter((c) => c.name === 'td' || c.name === 'th');
  if (!cells.length) return textOf(tr, undefined, ROW_SCAN);
  return cells
    .map((c) => textOf(c, undefined, ROW_SCAN))
    .filter((t) => t !== '')
    .join(' | ');
}

/** Whether a text node or element contributes nothing but spacing/punctuation. */
function isBlankSibling(n: DomNode): boolean {
  if (n.type === 'text') return /^[\s:：\-–—|]*$/.test(n.data ?? '');
  if (n.type === 'comment') return true;
  return n.name === 'br';
}

/** A strong/b whose block contains nothing else: a caption such as "ตัวชี้วัดย่อยที่ 9.1 ข้อมูลพื้นฐาน". */
function isStrongCaption(n: DomNode): boolean {
  if (n.name !== 'strong' && n.name !== 'b') return false;
  for (let p = n.parent ?? null; p; p = p.parent ?? null) if (p.name === 'a') return false;
  if (hasLink(n)) return false;
  let node = n;
  while (node.parent && INLINE_WRAPPERS.has(node.parent.name ?? '')) {
    const others = (node.parent.children ?? []).filter((c) => c !== node && !isBlankSibling(c));
    if (others.length) return false;
    node = node.parent;
  }
  const parent = node.parent;
  if (!parent || !CAPTION_PARENTS.has(parent.name ?? '')) return false;
  // In a table, only a row with a single cell is a caption row ("O1" in "O1 | โครงสร้าง | …" is not).
  if ((parent.name === 'td' || parent.name === 'th') && parent.parent) {
    const cells = elementChildren(parent.parent).filter((c) => c.name === 'td' || c.name === 'th');
    if (cells.length > 1) return false;
  }
  const others = (parent.children ?? []).filter((c) => c !== node && !isBlankSibling(c));
  return others.length === 0;
}

/** Elements that may label the block of links after them (see labelText). */
const LABELS = new Set(['span', 'font', 'label', 'strong', 'b', 'p', 'div', 'dt']);
/** Blocks a label may stand before. */
const LABELLED_BLOCKS = new Set(['div', 'ul', 'ol', 'table', 'dl', 'p', 'section', 'dd']);

function hasLink(n: DomNode): boolean {
  let found = false;
  walk(n, (c) => {
    if (c.name === 'a' || c.name === 'area') found = true;
    return !found;
  });
  return found;
}

/**
 * A short, link-free label followed by a block of links: "<span>O29 แนวปฏิบัติ…</span><div>1.<a>…</a></div>",
 * "<p>O1 โครงสร้าง</p><ul><li><a>…</a></li></ul>" (template-built ITA pages label each item so). Its text
 * applies to the links of that block, as a heading's would.
 */
function labelText(n: DomNode): string | null {
  if (!LABELS.has(n.name ?? '')) return null;
  const t = textOf(n, undefined, 151);
  if (t.length < 2 || t.length > 150 || hasLink(n)) return null;
  let next = n.next ?? null;
  while (next && !isElement(next) && isBlankSibling(next)) next = next.next ?? null;
  if (!next || !isElement(next) || !LABELLED_BLOCKS.has(next.name ?? '')) return null;
  return hasLink(next) ? t : null;
}

/** Heading-like text that applies to the links after it, or null. */
function captionText(n: DomNode): string | null {
  const name = n.name ?? '';
  if (HEADING.test(name) || name === 'caption' || name === 'legend')
    return textOf(n, undefined, LINK_TEXT_MAX) || null;
  const cls = classOf(n);
  if (cls && CAPTION_CLASSES.some((c) => cls.split(/\s+/).includes(c)))
    return textOf(n, undefined, LINK_TEXT_MAX) || null;
  if (name === 'tr') {
    // A group row: one cell spanning the table ("9.1 ข้อมูลพื้นฐาน"), without links.
    const cells = elementChildren(n).filter((c) => c.name === 'td' || c.name === 'th');
    const only = cells[0];
    if (cells.length === 1 && only) {
      const spans = Number.parseInt(attr(only, 'colspan') ?? '1', 10) > 1;
      if (only.name === 'th' || spans) {
        const t = textOf(only, undefined, LINK_TEXT_MAX);
        if (!hasLink(only) && t && t.length <= 200) return t;
      }
    }
    return null;
  }
  if (isStrongCaption(n)) {
    const t = textOf(n, undefined, LINK_TEXT_MAX);
    if (t.length >= 2 && t.length <= 150) return t;
  }
  return labelText(n);
}

/** Quoted strings in JavaScript that look like URLs: `MM_openBrWindow('news_detail.php?news_id=912',…)`. */
export function urlsInScript(code: string): string[] {
  const out: string[] = [];
  const re = /'([^'\n]*)'|"([^"\n]*)"/g;
  for (let m = re.exec(code); m; m = re.exec(code)) {
    const s = (m[1] ?? m[2] ?? '').trim();
    if (looksLikeUrl(s)) out.push(s);
  }
  return out;
}

function looksLikeUrl(s: string): boolean {
  if (s === '' || s.startsWith('#') || /^javascript:/i.test(s)) return false;
  if (/^(https?:)?\/\/[^\s/]/i.test(s)) return true;
  if (/^\.{0,2}\/[^\s]*$/.test(s) && s.length > 1) return true;
  if (/^\.{0,2}\/.*\.(pdf|docx?|xlsx?|jpe?g|png|html?|php)$/i.test(s)) return true; // Thai file names with spaces
  if (/^\?[^\s]+=/.test(s)) return true;
  if (/^[^\s?#'"=,;:()]+\.[a-z][a-z0-9]{1,4}(?:[?#]\S*)?$/i.test(s)) return true;
  return /^[^?#'"=,;:()]+\.(pdf|docx?|xlsx?|jpe?g|png)$/i.test(s);
}

/** `content` of a meta refresh: delay and target (null target when it only reloads). */
export function parseRefresh(content: string): { delay: number; url: string | null } {
  const m = /^\s*(\d+(?:\.\d+)?)?\s*[;,]?\s*(?:url\s*=\s*)?(.*)$/i.exec(content);
  const delay = Number.parseFloat(m?.[1] ?? '0') || 0;
  const url = (m?.[2] ?? '').trim().replace(/^['"]|['"]$/g, '');
  return { delay, url: url || null };
}

/** Link sources whose target may be a document viewer. */
const VIEWER_SOURCES = new Set<LinkSource>(['a', 'area', 'iframe', 'embed', 'javascript', 'onclick']);
/** Paths of self-hosted viewers that take the document in `?file=` / `?doc=` (FlowPaper, pdf.js, flipbooks). */
const VIEWER_PATH = /flowpaper|flipbook|pdfjs|pdf\.js|pdf-?viewer|\/viewer(\.html?|\.php)?$|\/web\/viewer/i;
const GOOGLE_VIEWER_PATHS = new Set(['/viewer', '/gview', '/viewerng/viewer']);

/** A viewer's document parameter as an absolute URL (relative ones resolved against the viewer when allowed). */
function viewerParam(value: string | null, viewer: URL, relative: boolean): string | null {
  let v = (value ?? '').trim();
  if (!v) return null;
  // Double-encoded (`?pdf=https%253A%252F%252F…` arrives as `https%3A%2F%2F…`).
  if (/^https?%3A/i.test(v)) v = safeDecode(v);
  if (!relative && !/^(https?:)?\/\//i.test(v)) return null;
  const url = normalizeUrl(v, viewer.href);
  return url && url !== normalizeUrl(viewer.href) ? url : null;
}

/**
 * The documents a viewer URL shows: FlowPaper (`flowpaper.com/…?pdf=<url>`, self-hosted `…?pdf=|file=|doc=`),
 * Google Docs viewer (`docs.google.com/viewer?url=`, `gview?url=`), pdf.js (`viewer.html?file=`), Google Drive
 * (`/file/d/<id>/preview|view` → its download URL). Empty for any other URL.
 */
export function viewerTargets(url: string): string[] {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return [];
  }
  const host = u.hostname.toLowerCase();
  const q = u.searchParams;
  if (host === 'drive.google.com' || host === 'docs.google.com') {
    const m = /^(?:\/a\/[^/]+)?\/file\/d\/([A-Za-z0-9_-]{10,})(?:\/(?:preview|view|edit)?)?\/?$/.exec(
      u.pathname,
    );
    if (m) return [`https://drive.google.com/uc?export=download&id=${m[1]}`];
    if (host === 'docs.google.com' && GOOGLE_VIEWER_PATHS.has(u.pathname)) {
      const t = viewerParam(q.get('url'), u, false);
      return t ? [t] : [];
    }
    return [];
  }
  if (host === 'flowpaper.com' || host.endsWith('.flowpaper.com')) {
    const t = viewerParam(q.get('pdf') ?? q.get('PDFFile') ?? q.get('doc'), u, false);
    return t ? [t] : [];
  }
  const out: string[] = [];
  const viewerPath = VIEWER_PATH.test(u.pathname);
  // `?pdf=<…>.pdf` names the document on any page (absolute or from the site root unless the page is a
  // viewer); `?file=` / `?doc=` only on a viewer's path (download.php?file= is not one).
  const pdf = (q.get('pdf') ?? '').trim();
  if (pdf && (viewerPath || (/\.pdf$/i.test(pdf.split(/[?#]/)[0] ?? '') && /^(https?:|\/)/i.test(pdf)))) {
    const t = viewerParam(pdf, u, true);
    if (t) out.push(t);
  }
  if (viewerPath) {
    for (const key of ['file', 'doc']) {
      const t = viewerParam(q.get(key), u, true);
      if (t && !out.includes(t)) out.push(t);
    }
  }
  return out;
}

interface WalkState {
  menu: boolean[];
  heading: string | undefined;
}

class LinkCollector {
  readonly links: Link[] = [];
  private readonly seen = new Set<string>();
  private readonly byKey = new Map<string, Link>();
  private readonly contextCache = new Map<DomNode, string | undefined>();

  constructor(
    private readonly base: string,
    private readonly inContent: () => boolean = () => false,
  ) {}

  add(raw: string, source: LinkSource, text: string, el: DomNode | null, state: WalkState): string | null {
    const url = this.addOne(raw, source, text, el, state);
    // A document viewer (FlowPaper, Google Docs viewer, pdf.js, Google Drive preview): the document too.
    if (url && VIEWER_SOURCES.has(source))
      for (const target of viewerTargets(url)) this.addOne(target, source, text, el, state);
    return url;
  }

  private addOne(
    raw: string,
    source: LinkSource,
    text: string,
    el: DomNode | null,
    state: WalkState,
  ): string | null {
    const url = normalizeUrl(raw, this.base);
    if (!url) return null;
    const key = `${url}\u0000${text}${source === 'meta-refresh' || source === 'canonical' ? `\u0000${source}` : ''}`;
    const menuNow = Boolean(state.menu[state.menu.length - 1]);
    const context = el ? this.contextOf(el) : undefined;
    const earlier = this.byKey.get(key);
    if (earlier) {
      // The same link in a menu and again in the content (an item page pointing at a menu target):
      // the content occurrence is what the page says, so it wins.
      if (earlier.inMenu && !menuNow) {
        earlier.inMenu = false;
        if (this.inContent()) earlier.inContent = true;
        if (context) earlier.context = context;
        if (state.heading) earlier.heading = state.heading;
        return url;
      }
      // The same "คลิกที่นี่" link in another row of a table, or under another label (one list page
      // given for O22 and O23): each row is a separate statement, so each is kept, once.
      const rowKey = `${key}\u0000${context ?? ''}\u0000${state.heading ?? ''}`;
      if (menuNow || earlier.inMenu || (!context && !state.heading) || this.byKey.has(rowKey)) return url;
      if (earlier.context === context && earlier.heading === state.heading) return url;
      this.byKey.set(rowKey, earlier);
    }
    const link: Link = { url, text, source };
    if (!earlier) this.byKey.set(key, link);
    if (context) link.context = context;
    if (state.heading) link.heading = state.heading;
    if (state.menu[state.menu.length - 1]) link.inMenu = true;
    else link.inMenu = false;
    if (!link.inMenu && this.inContent()) link.inContent = true;
    this.links.push(link);
    return url;
  }

  /** A table row with data cells and no link at all: a placeholder whose text is the row's first cells. */
  emptyRow(row: DomNode, state: WalkState): void {
    const cells = elementChildren(row).filter((c) => c.name === 'td' || c.name === 'th');
    if (cells.length < 2 || !cells.some((c) => c.name === 'td')) return;
    const text = fold(
      cells
        .slice(0, 2)
        .map((c) => textOf(c, undefined, LINK_TEXT_MAX))
        .join(' '),
    );
    if (text) this.placeholder(text, row, state);
  }

  /** A link to nowhere, recorded with the page's own URL and never followed. */
  placeholder(text: string, el: DomNode, state: WalkState): void {
    if (!text) return;
    const url = normalizeUrl(this.base);
    if (!url) return;
    const key = `${url}\u0000${text}\u0000placeholder`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    const link: Link = { url, text, source: 'a', placeholder: true, inMenu: false };
    const context = this.contextOf(el);
    if (context) link.context = context;
    if (state.heading) link.heading = state.heading;
    this.links.push(link);
  }

  private contextOf(el: DomNode): string | undefined {
    const row = el.name === 'tr' || el.name === 'li' ? el : closest(el, ROW_OR_ITEM);
    // A list inside a table cell ("OIT 35 | การมีส่วนร่วมของผู้บริหาร | <ul><li><a>…"): the table row says
    // which item the link is for, so it is the context when it is short enough to be one row of a table.
    const tableRow = row?.name === 'li' ? closest(row, TABLE_ROW) : null;
    for (const r of tableRow ? [tableRow, row!] : row ? [row] : []) {
      if (!this.contextCache.has(r)) {
        const t = r.name === 'tr' ? rowText(r) : textOf(r, (n) => LISTS.has(n.name ?? ''), ROW_SCAN);
        this.contextCache.set(r, t && t.length <= CONTEXT_ROW_MAX ? t : undefined);
      }
      const cached = this.contextCache.get(r);
      if (cached) return cached;
    }
    const own = textOf(el, undefined, BLOCK_SCAN);
    let levels = 0;
    for (let p = el.parent ?? null; p && p.type !== 'root' && levels < 8; p = p.parent ?? null, levels++) {
      const name = p.name ?? '';
      if (name === 'body' || name === 'html') break;
      if (!SHORT_BLOCKS.has(name)) continue;
      const t = textOf(p, undefined, BLOCK_SCAN);
      if (t.length > CONTEXT_BLOCK_MAX) break;
      if (t.length > own.length) return t;
    }
    return undefined;
  }
}

function imageName(src: string): string {
  const path = src.split(/[?#]/)[0] ?? '';
  const file = safeDecode(path.slice(path.lastIndexOf('/') + 1));
  return file.replace(/\.[a-z0-9]{2,5}$/i, '');
}

/** Text of a link: visible text, else an image's alt/title, the link's title/aria-label, the image file name. */
function linkText(el: DomNode): string {
  const t = textOf(el, undefined, LINK_TEXT_MAX);
  if (t) return t;
  if (el.name === 'area' || el.name === 'img') {
    const a = fold(attr(el, 'alt') ?? '') || fold(attr(el, 'title') ?? '');
    if (a) return a;
  }
  const imgs: DomNode[] = [];
  walk(el, (n) => {
    if (n.name === 'img' || (n.name === 'input' && (attr(n, 'type') ?? '').toLowerCase() === 'image'))
      imgs.push(n);
    return true;
  });
  for (const img of imgs) {
    const a = fold(attr(img, 'alt') ?? '');
    if (a) return a;
  }
  for (const img of imgs) {
    const a = fold(attr(img, 'title') ?? '');
    if (a) return a;
  }
  const own = fold(attr(el, 'title') ?? '') || fold(attr(el, 'aria-label') ?? '');
  if (own) return own;
  if (el.name === 'img') return imageName(attr(el, 'src') ?? '');
  for (const img of imgs) {
    const src = attr(img, 'src') ?? attr(img, 'data-src') ?? '';
    if (src) return imageName(src);
  }
  return '';
}

/** Parse one HTML page. Never throws on malformed markup. */
export function parseHtml(html: string, pageUrl: string): ParsedPage {
  const $ = load(html, { scriptingEnabled: false });
  const root = $.root()[0] as unknown as DomNode;

  let base = pageUrl;
  const baseHref = $('base[href]').first().attr('href');
  if (baseHref) base = normalizeUrl(baseHref, pageUrl) ?? pageUrl;

  // Text inside <main>/<article>/[role=main]: when a page marks its content, sidebars are not content.
  const content: string[] = [];
  let inContent = 0;
  const collector = new LinkCollector(base, () => inContent > 0);
  /** Open tables (outside menus): rows that gave links, and rows that gave none. */
  const tables: { linked: number; bare: { row: DomNode; heading: string | undefined }[] }[] = [];
  const rowStarts = new Map<DomNode, { links: number; heading: string | undefined }>();
  const full: string[] = [];
  const main: string[] = [];
  const headingsMain: string[] = [];
  const headingsAll: string[] = [];
  let metaRefresh: string | undefined;
  let metaRefreshDelay: number | undefined;
  let canonical: string | undefined;

  const contentFrames = new Set<DomNode>();
  const visit = (top: DomNode, state: WalkState, collectText: boolean): void => {
    const frames = new Map<DomNode, { menuPushed: boolean; savedHeading: string | undefined }>();
    let sectioning = 0;
    let skipText = 0;
    walk(
      top,
      (n) => {
        if (n.type === 'text') {
          if (collectText && skipText === 0) {
            full.push(n.data ?? '');
            if (!state.menu[state.menu.length - 1]) {
              main.push(n.data ?? '');
              if (inContent > 0) content.push(n.data ?? '');
            }
          }
          return false;
        }
        if (n.type === 'comment') {
          const data = n.data ?? '';
          if (/<(a|area|iframe)\s/i.test(data)) {
            const frag = load(data, { scriptingEnabled: false }, false).root()[0] as unknown as DomNode;
            visit(frag, { menu: [...state.menu], heading: state.heading }, false);
          }
          return false;
        }
        if (!isElement(n)) return n.type === 'root';
        const name = n.name ?? '';
        const frame = { menuPushed: false, savedHeading: state.heading };
        if (isContentRegion(n)) {
          state.menu.push(false);
          frame.menuPushed = true;
          if (collectText) {
            inContent++;
            contentFrames.add(n);
          }
        } else if (isMenuRegion(n, sectioning > 0)) {
          state.menu.push(true);
          frame.menuPushed = true;
        }
        if (name === 'article' || name === 'main' || name === 'aside') sectioning++;
        if (SKIP_TEXT.has(name)) skipText++;
        frames.set(n, frame);
        if (collectText && BLOCK.has(name)) {
          full.push(' ');
          main.push(' ');
          content.push(' ');
        }

        const caption = captionText(n);
        if (caption) {
          state.heading = caption;
          if (HEADING.test(name) && collectText) {
            headingsAll.push(caption);
            if (!state.menu[state.menu.length - 1]) headingsMain.push(caption);
          }
        }

        onElement(n, name, state, !collectText);
        if (collectText && !state.menu[state.menu.length - 1]) {
          if (name === 'table') tables.push({ linked: 0, bare: [] });
          else if (name === 'tr') rowStarts.set(n, { links: collector.links.length, heading: state.heading });
        }
        return true;
      },
      (n) => {
        const frame = frames.get(n);
        if (!frame) return;
        const name = n.name ?? '';
        const started = name === 'tr' ? rowStarts.get(n) : undefined;
        const table = tables[tables.length - 1];
        if (started && table) {
          if (collector.links.length > started.links) table.linked++;
          else table.bare.push({ row: n, heading: started.heading });
        }
        if (name === 'table' && collectText && !state.menu[state.menu.length - 1]) {
          const done = tables.pop();
          // A table of links in which some rows give none ("O9 | Social Network | -"): each such row is
          // a statement that the item has no URL, kept as a placeholder (never followed).
          if (done && done.linked >= 2)
            for (const { row, heading } of done.bare) collector.emptyRow(row, { menu: [], heading });
        }
        if (collectText && BLOCK.has(name)) {
          full.push(' ');
          main.push(' ');
          content.push(' ');
        }
        if (contentFrames.delete(n)) inContent--;
        if (SKIP_TEXT.has(name)) skipText--;
        if (name === 'article' || name === 'main' || name === 'aside') sectioning--;
        if (frame.menuPushed) {
          const wasMenu = state.menu.pop();
          // Headings seen inside a menu only apply inside it.
          if (wasMenu) state.heading = frame.savedHeading;
        }
      },
    );
  };

  const onElement = (n: DomNode, name: string, state: WalkState, inComment: boolean): void => {
    if ((name === 'a' || name === 'area') && n.attribs?.href !== undefined) {
      const href = (n.attribs.href ?? '').trim();
      if (/^javascript:/i.test(href)) {
        const code = safeDecode(href.slice('javascript:'.length));
        const urls = urlsInScript(code);
        if (urls.length) {
          const text = linkText(n);
          for (const u of urls) collector.add(u, 'javascript', text, n, state);
        }
      } else if (href !== '' && !href.startsWith('#')) {
        collector.add(href, name === 'area' ? 'area' : 'a', linkText(n), n, state);
      }
      const goesNowhere = href === '' || href.startsWith('#') || /^javascript:\s*(void|;|$)/i.test(href);
      if (goesNowhere && !urlsInScript(n.attribs?.onclick ?? '').length) {
        // Kept for index rows ("O17 | E-Service | #"): the item has no URL. Menus use "#" for toggles.
        if (!state.menu[state.menu.length - 1]) collector.placeholder(linkText(n), n, state);
      }
    }
    const onclick = n.attribs?.onclick;
    if (onclick) {
      const urls = urlsInScript(onclick);
      if (urls.length) {
        const text = linkText(n);
        for (const u of urls) collector.add(u, 'onclick', text, n, state);
      }
    }
    if (name === 'iframe' || name === 'frame') {
      let src = (attr(n, 'src') ?? '').trim();
      if (!src || src === 'about:blank') src = (attr(n, 'data-src') ?? '').trim();
      if (src && src !== 'about:blank') {
        collector.add(src, 'iframe', fold(attr(n, 'title') ?? '') || fold(attr(n, 'name') ?? ''), n, state);
      }
    } else if (name === 'embed') {
      const src = (attr(n, 'src') ?? '').trim();
      if (src) collector.add(src, 'embed', fold(attr(n, 'title') ?? ''), n, state);
    } else if (name === 'object') {
      const data = (attr(n, 'data') ?? '').trim();
      if (data) collector.add(data, 'embed', fold(attr(n, 'title') ?? ''), n, state);
    } else if (name === 'meta' && !inComment) {
      // A refresh inside <noscript> is the no-JavaScript fallback, not the page's redirect.
      if ((attr(n, 'http-equiv') ?? '').toLowerCase() === 'refresh' && !closest(n, NOSCRIPT)) {
        const { delay, url } = parseRefresh(attr(n, 'content') ?? '');
        if (url) {
          const abs = collector.add(url, 'meta-refresh', '', null, state);
          if (abs && metaRefresh === undefined) {
            metaRefresh = abs;
            metaRefreshDelay = delay;
          }
        }
      }
    } else if (name === 'link' && !inComment) {
      const rel = (attr(n, 'rel') ?? '').toLowerCase().split(/\s+/);
      const href = (attr(n, 'href') ?? '').trim();
      if (rel.includes('canonical') && href) {
        const abs = collector.add(href, 'canonical', '', null, state);
        if (abs && canonical === undefined) canonical = abs;
      }
    }
  };

  try {
    visit(root, { menu: [], heading: undefined }, true);
  } catch {
    // Never fail on a page: keep what was collected.
  }

  const forms = readForms($, base);
  const images = readContentImages($, base);
  const titleText = fold($('title').first().text());
  const fullText = fold(full.join(''));
  let mainText = fold(content.join('')) || fold(main.join(''));
  if (!mainText) mainText = fullText;
  const headings = headingsMain.length ? headingsMain : headingsAll;
  const page: ParsedPage = {
    title: titleText || headings[0] || '',
    headings,
    links: collector.links,
    mainText,
    fullText,
    forms,
    images,
  };
  if (metaRefresh !== undefined) {
    page.metaRefresh = metaRefresh;
    if (metaRefreshDelay !== undefined) page.metaRefreshDelay = metaRefreshDelay;
  }
  if (canonical !== undefined) page.canonical = canonical;
  return page;
}

const ICON_MAX_PX = 40;

/** Images in the marked content (or the body without nav/header/footer), icons and spacers left out. */
function readContentImages($: ReturnType<typeof load>, base: string): { src: string; alt: string }[] {
  const scope = $('main, article, [role=main]').length
    ? $('main img, article img, [role=main] img')
    : $('body img');
  const out: { src: string; alt: string }[] = [];
  scope.each((_, el) => {
    const $el = $(el);
    if ($el.closest('nav, header, footer, [class*=menu], [id*=menu]').length) return;
    const w = Number($el.attr('width'));
    const h = Number($el.attr('height'));
    if ((w && w <= ICON_MAX_PX) || (h && h <= ICON_MAX_PX)) return;
    const src = normalizeUrl($el.attr('src') ?? $el.attr('data-src') ?? '', base);
    if (src || ($el.attr('src') ?? '').startsWith('data:'))
      out.push({ src: src ?? 'data:', alt: fold($el.attr('alt') ?? '') });
  });
  return out.slice(0, 500);
}

/** Input types a visitor types or picks a value into (hidden fields, buttons and boxes are not fields). */
const FILLED_INPUTS = new Set([
  '',
  'text',
  'email',
  'tel',
  'number',
  'date',
  'datetime-local',
  'file',
  'url',
  'search',
]);
const SEARCH_NAMES = /^(s|q|search|keyword|keywords|query|searchword|kw|txtsearch|search_text|txt_search)$/i;

/** Forms with their action, method and the labels (or names) of the fields a visitor fills in. */
function readForms($: ReturnType<typeof load>, base: string): FormInfo[] {
  const forms: FormInfo[] = [];
  const formEls = $('form').toArray();
  if (!formEls.length) return forms;
  // Table-layout pages: `<table><form><tr><td><input>` leaves the form empty and its fields after it.
  const order = new Map<unknown, number>();
  $('form, input, textarea, select').each((i, el) => {
    order.set(el, i);
  });
  formEls.forEach((formEl, k) => {
    const form = $(formEl);
    let fieldEls = form.find('input, textarea, select').toArray();
    if (!fieldEls.length) {
      const from = order.get(formEl) ?? 0;
      const to = formEls[k + 1]
        ? (order.get(formEls[k + 1]) ?? Number.POSITIVE_INFINITY)
        : Number.POSITIVE_INFINITY;
      fieldEls = form
        .parent()
        .find('input, textarea, select')
        .toArray()
        .filter((el) => {
          const i = order.get(el) ?? -1;
          return i > from && i < to;
        });
    }
    const rawAction = (form.attr('action') ?? '').trim();
    const action =
      normalizeUrl(rawAction, base) ?? (rawAction === '' || rawAction.startsWith('#') ? base : rawAction);
    const method = (form.attr('method') ?? 'get').trim().toLowerCase() || 'get';
    const fields: string[] = [];
    let search = /search/i.test(
      `${form.attr('role') ?? ''} ${form.attr('class') ?? ''} ${form.attr('id') ?? ''}`,
    );
    for (const fieldEl of fieldEls) {
      const field = $(fieldEl);
      const tag = (fieldEl as unknown as DomNode).name ?? '';
      const type = (field.attr('type') ?? '').trim().toLowerCase();
      if (tag === 'input' && !FILLED_INPUTS.has(type)) continue;
      const name = (field.attr('name') ?? '').trim();
      if (type === 'search' || SEARCH_NAMES.test(name)) search = true;
      const id = field.attr('id');
      let label = '';
      if (id) {
        const forLabel = form.find('label').filter((_, l) => $(l).attr('for') === id);
        label = fold(forLabel.first().text());
        if (!label)
          label = fold(
            $('label')
              .filter((_, l) => $(l).attr('for') === id)
              .first()
              .text(),
          );
      }
      if (!label) label = fold(field.closest('label').text());
      if (!label)
        label =
          fold(field.attr('placeholder') ?? '') ||
          fold(field.attr('aria-label') ?? '') ||
          fold(field.attr('title') ?? '');
      const text = label || name;
      if (text) fields.push(text);
    }
    // A lone text box (plus its button) whose only job is to look something up is a site search.
    if (
      !search &&
      fields.length === 1 &&
      /ค้นหา|search/i.test(fold(form.text()) + (form.find('[type=submit]').attr('value') ?? ''))
    ) {
      search = true;
    }
    forms.push({ action, method, fields, search });
  });
  return forms;
}
