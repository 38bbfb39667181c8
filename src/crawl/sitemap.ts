// Sitemaps (urlset and sitemapindex, optionally gzip): a bounded list of page URLs to seed the frontier.
import { gunzipSync } from 'node:zlib';
import { load } from 'cheerio';
import { type FetchOptions, fetchResource } from './fetcher.js';
import { normalizeUrl } from './url.js';

export interface SitemapOptions extends FetchOptions {
  /** Most page URLs returned; default 500. */
  maxUrls?: number;
  /** Most sitemap files read (index files included); default 10. */
  maxSitemaps?: number;
  /** Keep only URLs this accepts (e.g. on the site). */
  accept?: (url: string) => boolean;
}

export interface ParsedSitemap {
  /** Page URLs of a urlset. */
  urls: string[];
  /** Child sitemaps of a sitemapindex. */
  sitemaps: string[];
}

/** Parse sitemap XML; unknown or broken XML gives empty lists. */
export function parseSitemap(xml: string, sitemapUrl: string): ParsedSitemap {
  const out: ParsedSitemap = { urls: [], sitemaps: [] };
  let $: ReturnType<typeof load>;
  try {
    $ = load(xml, { xml: true });
  } catch {
    return out;
  }
  $('loc').each((_, el) => {
    const parent = (el.parent as { name?: string } | null)?.name?.toLowerCase().replace(/^.*:/, '') ?? '';
    const url = normalizeUrl($(el).text().trim(), sitemapUrl);
    if (!url) return;
    if (parent === 'sitemap') out.sitemaps.push(url);
    else if (parent === 'url') out.urls.push(url);
  });
  return out;
}

function bodyText(body: Uint8Array): string {
  let bytes = body;
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes);
    } catch {
      return '';
    }
  }
  return new TextDecoder('utf-8').decode(bytes);
}

/** Read sitemaps breadth-first from the given URLs; returns de-duplicated page URLs. Never throws. */
export async function readSitemaps(start: string[], opts: SitemapOptions = {}): Promise<string[]> {
  const maxUrls = opts.maxUrls ?? 500;
  const maxSitemaps = opts.maxSitemaps ?? 10;
  const queue = [...new Set(start.map((u) => normalizeUrl(u)).filter((u): u is string => u !== null))];
  const done = new Set<string>();
  const urls = new Set<string>();
  while (queue.length && done.size < maxSitemaps && urls.size < maxUrls) {
    const sm = queue.shift()!;
    if (done.has(sm)) continue;
    done.add(sm);
    const res = await fetchResource(sm, {
      ...opts,
      maxBytes: 10 * 1024 * 1024,
      maxHtmlBytes: 10 * 1024 * 1024,
      parse: false,
      keepBody: true,
      followMetaRefresh: false,
    });
    if (res.failure || !res.body || (res.status ?? 0) >= 300) continue;
    const parsed = parseSitemap(bodyText(res.body), res.finalUrl);
    for (const child of parsed.sitemaps)
      if (!done.has(child) && (!opts.accept || opts.accept(child))) queue.push(child);
    for (const u of parsed.urls) {
      if (urls.size >= maxUrls) break;
      if (!opts.accept || opts.accept(u)) urls.add(u);
    }
  }
  return [...urls];
}
