// Finds the agency's own ITA/OIT index page(s) and reads which links it gives for each item.
// Rows are recognised by an O-code (O1, o1, O-1, OIT 1, 01, 011) in the link text, its table row or list
// item, or the heading above it, and failing that by the item's name.
import { includesTerm } from '../extract/thai-text.js';
import type { Framework } from '../rules/schema.js';
import type { CrawlResult, Link, Resource } from '../types.js';
import { parseItemCode } from './item-code.js';
import type { ItemNameMatcher } from './name-match.js';

export interface IndexRow {
  itemId: string;
  link: Link;
  /** The row names the item but gives no usable link (an empty cell or a "#" placeholder). */
  empty: boolean;
}

export interface IndexPage {
  url: string;
  title: string;
  /** Distinct items the page gives rows for. */
  items: number;
  /** Fiscal years (B.E.) the page's title, headings or incoming link text name. */
  years: number[];
  rows: IndexRow[];
}

const MIN_ITEMS_BY_CODE = 8;
const MIN_ITEMS_BY_NAME = 15;
const MIN_NAMED_BY_CODE = 3;

function itemFor(
  text: string | undefined,
  fw: Framework,
  matcher: ItemNameMatcher,
  byName: boolean,
): string | null {
  if (!text) return null;
  const n = parseItemCode(text, fw.items.length);
  if (n !== null) return `O${n}`;
  if (!byName) return null;
  const m = matcher.match(text);
  return m && m.coverage >= 0.35 ? m.itemId : null;
}

function yearsIn(texts: string[]): number[] {
  const years = new Set<number>();
  for (const t of texts) for (const m of t.matchAll(/25[5-9]\d/g)) years.add(Number(m[0]));
  return [...years];
}

function codedRow(link: Link, fw: Framework): boolean {
  return [link.text, link.context, link.heading].some(
    (t) => t !== undefined && parseItemCode(t, fw.items.length) !== null,
  );
}

function rowsOf(
  page: Resource,
  fw: Framework,
  matcher: ItemNameMatcher,
): { rows: IndexRow[]; byCode: number } {
  const rows: IndexRow[] = [];
  const codes = new Set<string>();
  for (const link of page.links ?? []) {
    // Menus repeat on every page: a menu entry counts only when it carries its own O-code ("O1 โครงสร้าง"),
    // as in ITA menus and tab panes styled as navigation.
    if (link.inMenu && parseItemCode(link.text, fw.items.length) === null) continue;
    const viaCode =
      itemFor(link.text, fw, matcher, false) ??
      itemFor(link.context, fw, matcher, false) ??
      itemFor(link.heading, fw, matcher, false);
    const itemId =
      viaCode ??
      itemFor(link.text, fw, matcher, true) ??
      itemFor(link.context, fw, matcher, true) ??
      itemFor(link.heading, fw, matcher, true);
    if (!itemId) continue;
    if (viaCode) codes.add(viaCode);
    // A "#" placeholder resolves to the page itself once the fragment is dropped.
    const empty = Boolean(link.placeholder) || link.url === page.url || link.url === page.finalUrl;
    rows.push({ itemId, link, empty });
  }
  // An item the page gives its own coded row ("O9 | Social Network | -") is what that row says: other
  // links of the page that only mention its name (a Facebook banner in the sidebar) are not its rows.
  const byName = rows.filter((r) => !codes.has(r.itemId) || codedRow(r.link, fw));
  return { rows: byName, byCode: codes.size };
}

/** Incoming link texts per URL, to recognise "ITA 2564" menu entries and banners. */
function incomingTexts(crawl: CrawlResult): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const r of crawl.resources.values()) {
    for (const l of r.links ?? []) {
      const list = map.get(l.url) ?? [];
      if (list.length < 20) list.push(l.text);
      map.set(l.url, list);
    }
  }
  return map;
}

export function findIndexPages(crawl: CrawlResult, fw: Framework, matcher: ItemNameMatcher): IndexPage[] {
  const incoming = incomingTexts(crawl);
  const pages: IndexPage[] = [];
  for (const r of crawl.resources.values()) {
    if (r.kind !== 'html' || r.failure || !r.links?.length) continue;
    const { rows, byCode } = rowsOf(r, fw, matcher);
    const items = new Set(rows.map((x) => x.itemId)).size;
    const labels = [r.title ?? '', ...(r.headings ?? []), ...(incoming.get(r.url) ?? []), r.url];
    const named = fw.indexKeywords.some((k) => labels.some((l) => includesTerm(l, k)));
    // A page named as the ITA page needs only a few coded rows (agencies fill it in over time).
    const enough =
      byCode >= MIN_ITEMS_BY_CODE || (named && (byCode >= MIN_NAMED_BY_CODE || items >= MIN_ITEMS_BY_NAME));
    if (!enough) continue;
    pages.push({ url: r.url, title: r.title ?? '', items, years: yearsIn(labels.slice(0, -1)), rows });
  }
  // An index for another fiscal year ("ITA 2563") is last year's answer: use it only when there is no other.
  const current = pages.filter((p) => p.years.length === 0 || p.years.includes(fw.fiscalYear));
  const chosen = current.length ? current : pages;
  return chosen.sort((a, b) => b.items - a.items);
}
