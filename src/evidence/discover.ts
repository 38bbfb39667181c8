// Builds the evidence index: for every item, the URLs that show it and how each was found, in order of
// trust: the user's ITAS URL list, the agency's ITA index page (and the item pages it links to), then
// menu and link texts, then page titles and headings that carry the item's name.
import { normalizeThai } from '../extract/thai-text.js';
import type { Framework } from '../rules/schema.js';
import type { CrawlResult, Evidence, EvidenceVia, Link, Resource } from '../types.js';
import { clickPath } from './click-path.js';
import { findIndexPages, type IndexPage } from './ita-index.js';
import { ItemNameMatcher } from './name-match.js';

export interface ItasEntry {
  item: string;
  url: string;
  note?: string;
}

export interface EvidenceIndex {
  byItem: Map<string, Evidence[]>;
  /** Items whose row on the ITA index exists but gives no link. */
  emptyRows: Set<string>;
  indexPages: IndexPage[];
}

const MAX_EVIDENCE = 30;
const MAX_DISCOVERED = 4;
/** Coverage given to an item named inside a text that names another item better (below the strong 0.4). */
const WEAK_COVERAGE = 0.3;

/** The latest B.E. year a text names up to the fiscal year (Thai digits read), or one below it when none. */
function recency(text: string, fiscalYear: number): number {
  const years = [...normalizeThai(text).matchAll(/25[5-9]\d/g)]
    .map((m) => Number(m[0]))
    .filter((y) => y <= fiscalYear);
  return years.length ? Math.max(...years) : fiscalYear - 1;
}

/**
 * Links outside menus that still appear on most pages (sidebar banners, widgets) say nothing about one
 * item. Menu links are already marked; a menu target linked again from an item page's content counts.
 */
function templateUrls(crawl: CrawlResult): Set<string> {
  const counts = new Map<string, number>();
  let pages = 0;
  for (const r of crawl.resources.values()) {
    if (r.kind !== 'html' || !r.links) continue;
    pages++;
    const urls = new Set(r.links.filter((l) => !l.inMenu).map((l) => l.url));
    for (const url of urls) counts.set(url, (counts.get(url) ?? 0) + 1);
  }
  const threshold = Math.max(4, pages * 0.4);
  const out = new Set<string>([crawl.homeUrl, crawl.startUrl]);
  for (const [url, n] of counts) if (n >= threshold) out.add(url);
  return out;
}

class Collector {
  readonly byItem = new Map<string, Evidence[]>();
  readonly homeUrl: string;
  constructor(private readonly crawl: CrawlResult) {
    this.homeUrl = crawl.homeUrl;
  }

  has(itemId: string): boolean {
    return (this.byItem.get(itemId)?.length ?? 0) > 0;
  }

  add(itemId: string, url: string, via: EvidenceVia, linkText: string): boolean {
    const list = this.byItem.get(itemId) ?? [];
    this.byItem.set(itemId, list);
    const r = this.resource(url);
    const finalUrl = r?.finalUrl ?? url;
    if (list.some((e) => e.url === url || e.url === finalUrl) || list.length >= MAX_EVIDENCE) return false;
    list.push({
      url,
      via,
      linkText,
      status: r?.status ?? null,
      contentType: r?.servedType ?? null,
      path: clickPath(this.crawl, url),
    });
    // A page that shows a document in a viewer (iframe, embed) shows that document.
    for (const l of r?.kind === 'html' ? (r.links ?? []) : []) {
      if ((l.source === 'iframe' || l.source === 'embed') && this.isDocument(l.url)) {
        this.add(itemId, l.url, via, l.text || linkText);
      }
    }
    return true;
  }

  isDocument(url: string): boolean {
    const r = this.resource(url);
    return r ? r.kind !== 'html' && r.kind !== 'other' : /\.(pdf|docx?|xlsx?)(\?|$)/i.test(url);
  }

  resource(url: string): Resource | undefined {
    return this.crawl.resources.get(url);
  }
}

/** Follows an on-site item page one hop: its content links (not menus, not site-wide links) are evidence too. */
function hop(
  c: Collector,
  itemId: string,
  url: string,
  via: EvidenceVia,
  template: Set<string>,
  indexUrls: Set<string>,
  depth = 1,
): void {
  const page = c.resource(url);
  if (page?.kind !== 'html' || page.failure || indexUrls.has(page.url)) return;
  if (page.url === c.homeUrl || page.finalUrl === c.homeUrl) return;
  const links = contentLinks(page, template, indexUrls);
  for (const l of links.slice(0, MAX_EVIDENCE)) {
    if (!c.add(itemId, l.url, via, l.text)) continue;
    // A list page leads to detail pages whose attachments are the evidence (CMS "ไฟล์เอกสารประกอบ"):
    // follow one more level, to documents only.
    if (depth === 1) {
      const child = c.resource(l.url);
      if (child?.kind === 'html' && !child.failure) {
        for (const d of contentLinks(child, template, indexUrls)) {
          if (c.isDocument(d.url)) c.add(itemId, d.url, via, d.text || l.text);
        }
      }
    }
  }
}

/** The links a page's own content gives (not menus, placeholders, the index or the page itself). */
function contentLinks(page: Resource, template: Set<string>, indexUrls: Set<string>): Link[] {
  const usable = (l: Link) => !l.inMenu && !l.placeholder && !indexUrls.has(l.url) && l.url !== page.url;
  // A page that marks its content (main/article) says which links are its own; otherwise links that stand
  // on most pages outside menus (sidebar banners) are set aside.
  const content = (page.links ?? []).filter((l) => l.inContent && usable(l));
  return content.length ? content : (page.links ?? []).filter((l) => usable(l) && !template.has(l.url));
}

export function buildEvidenceIndex(
  crawl: CrawlResult,
  fw: Framework,
  opts: { itasList?: ItasEntry[] } = {},
): EvidenceIndex {
  const matcher = new ItemNameMatcher(fw.items);
  const c = new Collector(crawl);
  const template = templateUrls(crawl);
  const indexPages = findIndexPages(crawl, fw, matcher);
  const indexUrls = new Set(indexPages.map((p) => p.url));
  const emptyRows = new Set<string>();

  // (c) The ITAS list: the URLs the evaluator will open — for a listed item, only those (and what they
  // link to or embed), since the evaluator judges the submitted URLs, not what else the site holds.
  const listed = new Set<string>();
  for (const e of opts.itasList ?? []) {
    listed.add(e.item);
    c.add(e.item, e.url, 'itas-list', e.note ?? '');
  }
  for (const e of opts.itasList ?? []) hop(c, e.item, e.url, 'itas-list', template, new Set());

  // (a) The agency's ITA index: its rows, then the item pages they point to.
  const fromIndex = new Map<string, string[]>();
  for (const page of indexPages) {
    for (const row of page.rows) {
      if (listed.has(row.itemId)) continue;
      if (row.empty) {
        // Only this year's page speaks for this year's submission (last year's is a fallback for links).
        if (page.years.length === 0 || page.years.includes(fw.fiscalYear)) emptyRows.add(row.itemId);
        continue;
      }
      if (c.add(row.itemId, row.link.url, 'ita-index', row.link.text)) {
        fromIndex.set(row.itemId, [...(fromIndex.get(row.itemId) ?? []), row.link.url]);
      }
    }
  }
  for (const [itemId, urls] of fromIndex) {
    emptyRows.delete(itemId);
    for (const url of urls) hop(c, itemId, url, 'ita-item-page', template, indexUrls);
  }

  // (b) Menus, link texts and titles, for items the index did not cover.
  const missing = fw.items.filter((i) => !c.has(i.id)).map((i) => i.id);
  if (missing.length) discoverByName(crawl, matcher, new Set(missing), c, template, indexUrls, fw.fiscalYear);

  return { byItem: c.byItem, emptyRows, indexPages };
}

interface Candidate {
  url: string;
  text: string;
  via: EvidenceVia;
  length: number;
  coverage: number;
}

function discoverByName(
  crawl: CrawlResult,
  matcher: ItemNameMatcher,
  wanted: Set<string>,
  c: Collector,
  template: Set<string>,
  indexUrls: Set<string>,
  fiscalYear: number,
): void {
  const candidates = new Map<string, Candidate[]>();
  const push = (itemId: string, cand: Candidate) => {
    const list = candidates.get(itemId) ?? [];
    if (!list.some((x) => x.url === cand.url)) list.push(cand);
    candidates.set(itemId, list);
  };
  const seenLinks = new Set<string>();
  for (const r of crawl.resources.values()) {
    for (const l of r.links ?? []) {
      const key = `${l.url}\u0000${l.text}`;
      if (seenLinks.has(key) || !l.text || l.placeholder || l.url === crawl.homeUrl) continue;
      seenLinks.add(key);
      const m = matcher.match(l.text);
      // Other items the text also names (a news headline about a forum to review the plan): weak
      // candidates, used only where an item has nothing better.
      const others = [
        ...matcher.matchAll(l.text).map((o) => ({ ...o, text: l.text })),
        // …or its row ("กระดานถาม-ตอบ | ท่านสามารถ… แสดงความคิดเห็น…").
        ...(l.context
          ? matcher.matchAll(l.context).map((o) => ({ ...o, coverage: o.coverage / 2, text: l.context! }))
          : []),
      ];
      for (const other of others) {
        if (other.itemId === m?.itemId || !wanted.has(other.itemId)) continue;
        push(other.itemId, {
          url: l.url,
          text: other.text,
          via: 'menu',
          length: other.length,
          coverage: Math.min(other.coverage, WEAK_COVERAGE),
        });
      }
      if (m && wanted.has(m.itemId) && m.coverage >= 0.2) {
        push(m.itemId, { url: l.url, text: l.text, via: 'menu', length: m.length, coverage: m.coverage });
        continue;
      }
      // "เรื่อง | วันที่ | ดาวน์โหลด": the title stands in the row, the link only says "download".
      const c = !m && l.context ? matcher.match(l.context) : null;
      if (c && wanted.has(c.itemId) && c.coverage >= 0.25) {
        push(c.itemId, {
          url: l.url,
          text: l.context ?? l.text,
          via: 'menu',
          length: c.length,
          coverage: c.coverage / 2,
        });
      }
    }
    if (r.kind === 'html' && !r.failure && r.url !== crawl.homeUrl) {
      for (const label of [r.title ?? '', ...(r.headings ?? []).slice(0, 2)]) {
        const m = label ? matcher.match(label) : null;
        if (!m || !wanted.has(m.itemId) || m.coverage < 0.5) continue;
        push(m.itemId, { url: r.url, text: label, via: 'title', length: m.length, coverage: m.coverage });
      }
    }
  }
  for (const [itemId, list] of candidates) {
    // Texts that are mostly the item's name come first; a name inside a longer text only when there is
    // nothing better (a news headline that mentions an item is weak evidence of it).
    const strong = list.filter((c) => c.coverage >= 0.4);
    const use = strong.length ? strong : list;
    // Among texts as good as each other, this fiscal year's before older ones ("แผน… 2564" over "… 2560").
    use.sort(
      (a, b) =>
        b.length - a.length ||
        recency(b.text, fiscalYear) - recency(a.text, fiscalYear) ||
        b.coverage - a.coverage ||
        (a.via === 'menu' ? -1 : 1),
    );
    for (const cand of use.slice(0, MAX_DISCOVERED)) {
      if (c.add(itemId, cand.url, cand.via, cand.text))
        hop(c, itemId, cand.url, 'content', template, indexUrls);
    }
  }
}
