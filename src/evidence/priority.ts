// Targeted crawling: which links to fetch first, which documents to fetch at all, and when the evidence is in.
// The evidence index (discover.ts) takes an item's evidence from the agency's ITA index (its rows, the item
// pages they point to, one hop further and those pages' attachments) and from links, titles and headings
// naming an item. The crawl fetches those first; news archives, galleries, calendars, tag and category
// listings, paging and pictures come last, and documents that cannot become evidence are not fetched.
import type { CrawlOptions, CrawlState } from '../crawl/crawler.js';
import { DOCUMENT_EXTENSIONS } from '../crawl/sniff.js';
import { urlExtension } from '../crawl/url.js';
import { matchKey } from '../extract/thai-text.js';
import type { Framework } from '../rules/schema.js';
import type { Link, Resource } from '../types.js';
import { parseItemCode } from './item-code.js';
import { ItemNameMatcher } from './name-match.js';

/** Link priorities (higher is fetched sooner). Everything at EVIDENCE or above is an evidence candidate. */
export const PRIORITY = {
  /** A link to the ITA/OIT index: its text or URL names ITA/OIT and the fiscal year. */
  indexThisYear: 1000,
  /** … names ITA/OIT, no year. */
  index: 980,
  /** … names ITA/OIT and another year (last year's index: a fallback). */
  indexOtherYear: 950,
  /** A link on the index page (a row's link). */
  indexRow: 900,
  /** A link on a page named as the ITA page that is not (yet) recognised as the index. */
  itaPage: 850,
  /** Link text carrying an O-code, or mostly an item's name. */
  itemLink: 800,
  /** An item's name inside a longer link text, or in the link's table row or list item. */
  itemMention: 750,
  /** A content link of an item page (one hop, as the evidence index follows it). */
  itemPageLink: 700,
  /** A document (or download) on a page one hop from an item page: its attachments. */
  attachment: 600,
  /** Menus and the homepage's links: the site's own map. */
  hub: 300,
  /** A page whose URL carries a word hinting at an item ("structure", "e-service"). */
  urlHint: 150,
  page: 100,
  /** News and blog posts. */
  post: 50,
  /** Archive paging, tag/category listings, galleries, calendars. */
  archive: 20,
  image: 10,
  /** A document that nothing ties to an item. */
  none: 0,
} as const;

/** At or above: an evidence candidate (documents below it are not fetched; the crawl waits for these). */
export const EVIDENCE_PRIORITY = PRIORITY.attachment;
/** Below this, the frontier holds nothing but ordinary pages, posts, archives and pictures. */
export const HUB_PRIORITY = 200;

/** Evidence levels of a page: what its links may lead to. */
const ITEM_PAGE = 2;
const HOP_PAGE = 1;

const IMAGE_EXTENSIONS = new Set(['jpg', 'jpeg', 'png', 'gif', 'webp', 'bmp', 'tif', 'tiff']);
/** Where the index keywords are Latin words, they must stand alone ("ITA", not "capITAl"). */
const LATIN_TERM = /^[A-Za-z0-9 ]+$/;
/** A letter O-code as written in a row (O1, O-1, OIT 1) — not a bare "01", which dates also start with. */
const LETTER_CODE = /(?<![A-Za-z0-9])(?:OIT|O)\s*[-–.:]?\s*\d{1,2}(?!\d)/i;
const YEAR = /25[5-9]\d/g;
const PAGING =
  /[?&](page|paged|pagenum|pageno|page_no|pg|start|offset|per_page|limit|sort|order|orderby)=|\/page\/\d+/i;
const ARCHIVE =
  /\/(tag|tags|category|categories|archives?|author|feed|calendar|events?|gallery|galleries|albums?|photos?|video|vdo)(\/|\.|$|\?)|[?&](tag|tags|cat|category|album|album_id|gallery_id|photo_id)=|gallery|album|calendar|ปฏิทิน|ภาพกิจกรรม|ภาพข่าว|อัลบั้ม|แกลเลอรี่?/i;
const ARCHIVE_TEXT =
  /^(หน้า|ถัดไป|ก่อนหน้า|next|prev(ious)?|older|newer|»|«|›|‹|>>|<<|\d{1,4}|ดูทั้งหมด|อ่านต่อ|อ่านทั้งหมด|more|read more|ย้อนกลับ|first|last|หน้าแรก|หน้าสุดท้าย)$|ภาพกิจกรรม|ประมวลภาพ|อัลบั้ม|ปฏิทิน/i;
const POST =
  /news|ข่าว|activity|activities|article|blog|post|\/\d{4}\/\d{1,2}\/|[?&](news_id|nid|post_id|p)=\d/i;
const DOWNLOAD = /download|dowload|file|attach|upload|ดาวน์โหลด|เอกสาร|ไฟล์|\.(pdf|docx?|xlsx?|pptx?)(\?|$)/i;

interface Targets {
  matcher: ItemNameMatcher;
  items: number;
  fiscalYear: number;
  keywords: { latin: RegExp[]; thai: string[] };
  hints: RegExp | null;
}

const targetsCache = new WeakMap<Framework, Targets>();

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function targetsFor(fw: Framework): Targets {
  const cached = targetsCache.get(fw);
  if (cached) return cached;
  const latin: RegExp[] = [];
  const thai: string[] = [];
  for (const k of fw.indexKeywords) {
    if (LATIN_TERM.test(k))
      latin.push(new RegExp(`(?<![A-Za-z])${escapeRe(k).replace(/ /g, '[\\s_+-]*')}(?![A-Za-z])`, 'i'));
    else thai.push(matchKey(k));
  }
  const hintWords = [...new Set(fw.items.flatMap((i) => i.urlHints))].filter((h) => h.length >= 4);
  const hints = hintWords.length
    ? new RegExp(`(^|[/_.=?&-])(${hintWords.map(escapeRe).join('|')})([/_.=?&-]|\\d|$)`, 'i')
    : null;
  const t: Targets = {
    matcher: new ItemNameMatcher(fw.items),
    items: fw.items.length,
    fiscalYear: fw.fiscalYear,
    keywords: { latin, thai },
    hints,
  };
  targetsCache.set(fw, t);
  return t;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Path and query of a URL, decoded (Thai names readable). */
function pathOf(url: string): string {
  const i = url.indexOf('/', url.indexOf('//') + 2);
  return i < 0 ? '/' : safeDecode(url.slice(i));
}

function namesIndex(t: Targets, text: string): boolean {
  if (!text) return false;
  if (t.keywords.latin.some((re) => re.test(text))) return true;
  const key = t.keywords.thai.length ? matchKey(text) : '';
  return t.keywords.thai.some((k) => k && key.includes(k));
}

/**
 * How a link names the ITA index: by its text, or its URL (not on the ITA page itself, whose rows may well
 * live under /ita/); with this year, another, or none.
 */
function indexLinkPriority(t: Targets, link: Link, onItaPage: boolean): number | null {
  const path = pathOf(link.url);
  const byText = namesIndex(t, link.text);
  const byUrl = !onItaPage && namesIndex(t, path.replace(/[/_.=?&-]+/g, ' '));
  if (!byText && !byUrl) return null;
  const years = [...`${link.text} ${path}`.matchAll(YEAR)].map((m) => Number(m[0]));
  if (years.includes(t.fiscalYear)) return PRIORITY.indexThisYear;
  return years.length ? PRIORITY.indexOtherYear : PRIORITY.index;
}

interface Signal {
  priority: number;
  itemId: string;
}

/** The item a link names by code or by name in its text or its row (as discover.ts takes them), and how strongly. */
function itemSignal(t: Targets, link: Link): Signal | null {
  const text = link.text;
  const code = (s: string | undefined) => {
    const n = s && s.length <= 300 && LETTER_CODE.test(s) ? parseItemCode(s, t.items) : null;
    return n === null ? null : `O${n}`;
  };
  const byCode = code(text);
  if (byCode) return { priority: PRIORITY.itemLink, itemId: byCode };
  const m = text ? t.matcher.match(text) : null;
  if (m && m.coverage >= 0.4) return { priority: PRIORITY.itemLink, itemId: m.itemId };
  if (m && m.coverage >= 0.2) return { priority: PRIORITY.itemMention, itemId: m.itemId };
  // "เรื่อง | วันที่ | ดาวน์โหลด": the code or the title stands in the row, the link only says "download".
  const inRow = code(link.context);
  if (inRow) return { priority: PRIORITY.itemMention, itemId: inRow };
  if (!m && link.context) {
    const c = t.matcher.match(link.context);
    if (c && c.coverage >= 0.25) return { priority: PRIORITY.itemMention, itemId: c.itemId };
  }
  return null;
}

/** The item an index row gives a link for (ita-index.ts): a code, else a name, in its text, row or heading. */
function rowItem(t: Targets, link: Link): string | null {
  const texts = [link.text, link.context, link.heading];
  for (const s of texts) {
    const n = s ? parseItemCode(s, t.items) : null;
    if (n !== null) return `O${n}`;
  }
  for (const s of texts) {
    const m = s ? t.matcher.match(s) : null;
    if (m && m.coverage >= 0.35) return m.itemId;
  }
  return null;
}

interface PageFacts {
  /** The page is (or looks like) the ITA index: rows for many items. */
  index: boolean;
  /** Title or headings name the ITA page, or a link to it did. */
  named: boolean;
  /** Title or headings name another fiscal year only. */
  otherYear: boolean;
  /** Index rows: the item each row link gives. */
  rows: Map<Link, string>;
  /** Items the page's title or first headings name (the evidence index may take the page by its title). */
  titleItems: string[];
  /** The page marks its content (main, article): only links there are its own. */
  marked: boolean;
}

function pageFacts(t: Targets, page: Resource, namedByLink: boolean): PageFacts {
  const labels = [page.title ?? '', ...(page.headings ?? [])];
  const named = namedByLink || labels.some((l) => namesIndex(t, l));
  const rows = new Map<Link, string>();
  const codes = new Set<number>();
  for (const l of page.links ?? []) {
    if (l.inMenu) continue;
    for (const s of [l.text, l.context, l.heading]) {
      const n = s ? parseItemCode(s, t.items) : null;
      if (n !== null) {
        codes.add(n);
        break;
      }
    }
  }
  const maybeIndex = codes.size >= 3 || named;
  if (maybeIndex) {
    for (const l of page.links ?? []) {
      if (l.inMenu) continue;
      const id = rowItem(t, l);
      if (id) rows.set(l, id);
    }
  }
  const items = new Set(rows.values()).size;
  const index = codes.size >= 8 || (named && (codes.size >= 3 || items >= 15));
  const years = labels.flatMap((l) => [...l.matchAll(YEAR)].map((m) => Number(m[0])));
  const titleItems: string[] = [];
  if (page.depth > 0) {
    for (const label of [page.title ?? '', ...(page.headings ?? []).slice(0, 2)]) {
      const m = label ? t.matcher.match(label) : null;
      if (m && m.coverage >= 0.5) titleItems.push(m.itemId);
    }
  }
  return {
    index,
    named,
    otherYear: years.length > 0 && !years.includes(t.fiscalYear),
    rows: index ? rows : new Map(),
    titleItems,
    marked: (page.links ?? []).some((l) => l.inContent),
  };
}

export interface PriorityOptions {
  /** URLs known to be item pages (an ITAS list): their links and attachments are evidence. */
  itemUrls?: Iterable<string>;
}

/**
 * The crawler's priority function for a framework (higher = sooner; see PRIORITY). It remembers, per crawl,
 * which pages are the index, item pages and pages one hop from them, so make one per crawl. Pages found only
 * through an item's name count as item pages while no index row of this year gives that item a link (the
 * evidence index looks for items by name only when the index leaves them out).
 */
export function evidencePriority(
  fw: Framework,
  opts: PriorityOptions = {},
): (link: Link, from: Resource) => number {
  const t = targetsFor(fw);
  /** URL → its evidence level (ITEM_PAGE, HOP_PAGE) from the index and item pages that lead to it. */
  const levels = new Map<string, number>();
  for (const u of opts.itemUrls ?? []) levels.set(u, ITEM_PAGE);
  /** URL → the items whose names (or codes) the links to it carry. */
  const namedFor = new Map<string, Set<string>>();
  /** Items an index row of this year gives a link for. */
  const covered = new Set<string>();
  /** Pages linked as the ITA page; as another year's. */
  const namedByLink = new Set<string>();
  const otherYearByLink = new Set<string>();
  const facts = new WeakMap<Resource, PageFacts>();
  const raise = (url: string, level: number): void => {
    if ((levels.get(url) ?? 0) < level) levels.set(url, level);
  };
  const nameFor = (url: string, itemId: string): void => {
    const set = namedFor.get(url) ?? new Set<string>();
    set.add(itemId);
    namedFor.set(url, set);
  };
  const factsOf = (from: Resource): PageFacts => {
    const linkedAsIta = namedByLink.has(from.url) || namedByLink.has(from.finalUrl);
    let f = facts.get(from);
    if (!f || (linkedAsIta && !f.named)) {
      f = pageFacts(t, from, linkedAsIta);
      if (otherYearByLink.has(from.url) || otherYearByLink.has(from.finalUrl)) f.otherYear = true;
      facts.set(from, f);
      if (f.index && !f.otherYear) {
        for (const [l, id] of f.rows) if (!l.placeholder && l.url !== from.url) covered.add(id);
      }
    }
    return f;
  };
  const byName = (url: string, f: PageFacts | null): boolean => {
    for (const id of namedFor.get(url) ?? []) if (!covered.has(id)) return true;
    for (const id of f?.titleItems ?? []) if (!covered.has(id)) return true;
    return false;
  };

  return (link, from) => {
    const f = factsOf(from);
    // The index itself is no item page: its rows are (discover.ts does not hop from it).
    const fromLevel =
      f.index && !f.otherYear
        ? 0
        : Math.max(
            levels.get(from.url) ?? 0,
            levels.get(from.finalUrl) ?? 0,
            byName(from.url, f) || byName(from.finalUrl, null) ? ITEM_PAGE : 0,
          );
    const url = link.url;
    const ext = urlExtension(url);
    const isDoc = DOCUMENT_EXTENSIONS.has(ext);
    const path = pathOf(url);
    /** A link of the page's own (not a menu, not a sidebar when the page marks its content). */
    const own = !link.inMenu && (link.inContent === true || !f.marked);
    let p: number = PRIORITY.none;

    const toIndex = indexLinkPriority(t, link, !link.inMenu && (f.index || f.named));
    if (toIndex !== null) {
      namedByLink.add(url);
      if (toIndex === PRIORITY.indexOtherYear) otherYearByLink.add(url);
      p = toIndex;
    }
    const row = f.index && !link.inMenu ? f.rows.get(link) : undefined;
    if (row && !f.otherYear) {
      raise(url, ITEM_PAGE);
      p = Math.max(p, PRIORITY.indexRow);
    } else if (row) {
      // Another year's index counts only where this year's leaves an item out (ita-index.ts).
      nameFor(url, row);
      if (!covered.has(row)) p = Math.max(p, PRIORITY.indexRow);
    } else if (f.named && !f.index && own) {
      raise(url, ITEM_PAGE);
      p = Math.max(p, PRIORITY.itaPage);
    }
    const signal = row ? null : itemSignal(t, link);
    if (signal) {
      nameFor(url, signal.itemId);
      if (!covered.has(signal.itemId)) p = Math.max(p, signal.priority);
    }
    if (own && fromLevel >= ITEM_PAGE) {
      raise(url, HOP_PAGE);
      p = Math.max(p, PRIORITY.itemPageLink);
    }
    if (own && fromLevel >= HOP_PAGE && (isDoc || DOWNLOAD.test(path) || DOWNLOAD.test(link.text))) {
      p = Math.max(p, PRIORITY.attachment);
    }
    if (p >= EVIDENCE_PRIORITY) return p;

    // Not evidence: documents and pictures wait (the crawler leaves them out below EVIDENCE_PRIORITY).
    if (IMAGE_EXTENSIONS.has(ext)) return PRIORITY.image;
    if (isDoc) return PRIORITY.none;
    if (PAGING.test(path) || ARCHIVE.test(path) || ARCHIVE_TEXT.test(link.text.trim()))
      return PRIORITY.archive;
    const post = POST.test(path);
    if (row || signal || link.inMenu || (from.depth === 0 && link.text && !post)) return PRIORITY.hub;
    if (post) return PRIORITY.post;
    if (t.hints?.test(path)) return PRIORITY.urlHint;
    return PRIORITY.page;
  };
}

export interface StopOptions {
  /** Stop with items still uncovered once nothing at or above this waits; default HUB_PRIORITY. */
  threshold?: number;
  /** Pages fetched at least before stopping with items uncovered; default 30. */
  minPages?: number;
}

/**
 * The crawl's stop predicate: true once no evidence candidate waits (the index, every row's link, one hop from
 * the item pages and their attachments are fetched) and either every item has a candidate (an index row, a
 * link naming it, a page titled with its name) or the frontier holds nothing but ordinary pages, posts,
 * archives and pictures. Make one per crawl.
 */
export function stopWhenCovered(fw: Framework, opts: StopOptions = {}): (state: CrawlState) => boolean {
  const t = targetsFor(fw);
  const threshold = opts.threshold ?? HUB_PRIORITY;
  const minPages = opts.minPages ?? 30;
  const covered = new Set<string>();
  const seen = new WeakSet<Resource>();
  let pages = 0;
  const cover = (page: Resource): void => {
    const lettered = new Set<number>();
    const codes = new Set<number>();
    for (const l of page.links ?? []) {
      if (l.inMenu) continue;
      for (const s of [l.text, l.context]) {
        const n = s ? parseItemCode(s, t.items) : null;
        if (n === null) continue;
        codes.add(n);
        if (LETTER_CODE.test(s!)) lettered.add(n);
        break;
      }
    }
    // Codes count where the page has rows for several items; bare "01"…"09" only beyond what dates give.
    if (lettered.size >= 3) for (const n of lettered) covered.add(`O${n}`);
    if (codes.size >= 10) for (const n of codes) covered.add(`O${n}`);
    for (const l of page.links ?? []) {
      if (!l.text || l.placeholder) continue;
      const m = t.matcher.match(l.text);
      if (m && m.coverage >= 0.2) covered.add(m.itemId);
      else if (!m && l.context) {
        const c = t.matcher.match(l.context);
        if (c && c.coverage >= 0.25) covered.add(c.itemId);
      }
    }
    if (page.depth > 0) {
      for (const label of [page.title ?? '', ...(page.headings ?? []).slice(0, 2)]) {
        const m = label ? t.matcher.match(label) : null;
        if (m && m.coverage >= 0.5) covered.add(m.itemId);
      }
    }
  };
  return (state) => {
    if (state.topPriority >= EVIDENCE_PRIORITY) return false;
    for (const r of state.resources.values()) {
      if (seen.has(r)) continue;
      seen.add(r);
      if (r.kind !== 'html' || r.failure) continue;
      pages++;
      cover(r);
    }
    if (covered.size >= fw.items.length && fw.items.every((i) => covered.has(i.id))) return true;
    return state.topPriority < threshold && pages >= minPages;
  };
}

/** The crawl options of a targeted crawl: priority, documents only when they may be evidence, early stop. */
export function targetedCrawl(
  fw: Framework,
  opts: PriorityOptions & StopOptions = {},
): Pick<CrawlOptions, 'priority' | 'minDocumentPriority' | 'shouldStop'> {
  return {
    priority: evidencePriority(fw, opts),
    minDocumentPriority: EVIDENCE_PRIORITY,
    shouldStop: stopWhenCovered(fw, opts),
  };
}
