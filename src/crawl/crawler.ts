// Breadth-first crawl of one agency site: pages and documents, robots and sitemaps, per-host concurrency.
import pLimit, { type LimitFunction } from 'p-limit';
import type { CrawlError, CrawlResult, Edge, Link, Resource } from '../types.js';
import {
  chainFrom,
  DEFAULT_MAX_BYTES,
  DEFAULT_MAX_HTML_BYTES,
  DEFAULT_TIMEOUT_MS,
  DEFAULT_USER_AGENT,
  type FetchOptions,
  fetchResource,
} from './fetcher.js';
import { RobotsCache, type RobotsRules } from './robots.js';
import { isOnSite, siteHostsFor } from './scope.js';
import { readSitemaps } from './sitemap.js';
import { DOCUMENT_EXTENSIONS, SKIP_EXTENSIONS } from './sniff.js';
import { normalizeUrl, safeDecode, urlExtension } from './url.js';

export interface CrawlProgress {
  pages: number;
  documents: number;
  queued: number;
}

export interface CrawlOptions {
  /** HTML pages fetched at most (failed page fetches count); default 300. */
  maxPages?: number;
  /** Link depth from the homepage (0); default 6. */
  maxDepth?: number;
  /** Documents (PDF, Office, images, other non-HTML) fetched at most; default 400. */
  maxDocuments?: number;
  /** Requests in flight per host; default 4. */
  concurrency?: number;
  /** Per request (per redirect hop); default 20 000 ms. */
  timeoutMs?: number;
  userAgent?: string;
  /** Fetch URLs that robots.txt disallows (robots.txt is still read for its sitemaps). */
  ignoreRobots?: boolean;
  /** Default 10. */
  maxRedirects?: number;
  /** Fetch linked documents (default true); when false they stay links only. */
  fetchDocuments?: boolean;
  /** Byte cap per document; default 25 MB. */
  maxDocumentBytes?: number;
  /** Byte cap per HTML page; default 5 MB. */
  maxHtmlBytes?: number;
  /** Read robots.txt sitemaps (or /sitemap.xml) and seed their URLs at depth 1; default true. */
  useSitemaps?: boolean;
  /** When an https homepage fails on its certificate, crawl its http:// twin (the TLS error is kept); default true. */
  httpFallbackOnTlsError?: boolean;
  onProgress?: (p: CrawlProgress) => void;
  /**
   * Called for every HTML page fetched (the homepage too): may return the page as a browser renders it
   * (menus built by scripts, content loaded after load), or null to keep the static page.
   */
  renderPage?: (page: Resource) => Promise<Resource | null>;
  signal?: AbortSignal;
  /** Order within one depth: higher first (default: discovery order, i.e. BFS). */
  priority?: (link: Link, from: Resource) => number;
}

interface Item {
  url: string;
  depth: number;
  seq: number;
  priority: number;
  /** Seeded from a sitemap: after the links found at the same depth. */
  fromSitemap: boolean;
  /** Guessed from the extension, before fetching. */
  document: boolean;
  image: boolean;
}

const IMAGE_EXTENSIONS = new Set(['jpg', 'jpeg', 'png', 'gif', 'webp', 'bmp', 'tif', 'tiff']);
/** Query keys that are calendar navigation whatever their value. */
const CALENDAR_KEYS =
  /^(year|month|mon|day|date|week|cal|calendar|ym|ymd|yr|tdate|caldate|cal_date|event_date|month_id|year_id|day_id)$/i;
/** Short keys that are calendar navigation when their value is a number (`?m=3&y=2564`, not `?m=news`). */
const SHORT_CALENDAR_KEYS = /^(y|m|d|yy|mm|dd|yyyy)$/i;
const DATE_VALUE = /^\d{4}[-/.]\d{1,2}([-/.]\d{1,2})?$|^\d{8}$/;

function isCalendarParam(key: string, value: string): boolean {
  if (CALENDAR_KEYS.test(key)) return true;
  if (SHORT_CALENDAR_KEYS.test(key) && /^\d{1,4}$/.test(value)) return true;
  return DATE_VALUE.test(value);
}
const MAX_CALENDAR_VARIANTS = 50;
const MAX_URL_LENGTH = 1500;

function before(a: Item, b: Item): boolean {
  if (a.depth !== b.depth) return a.depth < b.depth;
  if (a.fromSitemap !== b.fromSitemap) return !a.fromSitemap;
  if (a.priority !== b.priority) return a.priority > b.priority;
  if (a.image !== b.image) return !a.image;
  return a.seq < b.seq;
}

/** Binary heap of frontier items, best first. */
class Frontier {
  private readonly items: Item[] = [];
  get size(): number {
    return this.items.length;
  }
  push(item: Item): void {
    const a = this.items;
    a.push(item);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(a[i]!, a[p]!)) break;
      [a[i], a[p]] = [a[p]!, a[i]!];
      i = p;
    }
  }
  pop(): Item | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length && last) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && before(a[l]!, a[m]!)) m = l;
        if (r < a.length && before(a[r]!, a[m]!)) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m]!, a[i]!];
        i = m;
      }
    }
    return top;
  }
}

/** Why a URL looks like a crawler trap, or null. */
export function trapReason(url: string, calendarCounts: Map<string, Set<string>>): string | null {
  if (url.length > MAX_URL_LENGTH) return `URL longer than ${MAX_URL_LENGTH} characters`;
  const u = new URL(url);
  const counts = new Map<string, number>();
  for (const seg of u.pathname.split('/')) {
    if (!seg) continue;
    const n = (counts.get(seg) ?? 0) + 1;
    counts.set(seg, n);
    if (n >= 3) return `path repeats "${seg}" ${n} times`;
  }
  if (u.search) {
    // Variants of the calendar parameters, per path and other parameters.
    const rest: string[] = [];
    const cal: string[] = [];
    for (const p of u.search.slice(1).split('&')) {
      const eq = p.indexOf('=');
      const key = eq < 0 ? p : p.slice(0, eq);
      const value = eq < 0 ? '' : safeDecode(p.slice(eq + 1)).trim();
      (isCalendarParam(key, value) ? cal : rest).push(p);
    }
    if (cal.length) {
      const key = `${u.origin}${u.pathname}?${rest.sort().join('&')}`;
      const set = calendarCounts.get(key) ?? new Set<string>();
      calendarCounts.set(key, set);
      set.add(cal.sort().join('&'));
      if (set.size > MAX_CALENDAR_VARIANTS) {
        return `more than ${MAX_CALENDAR_VARIANTS} calendar-like variants of ${u.origin}${u.pathname}`;
      }
    }
  }
  return null;
}

function withScheme(url: string): string {
  const t = url.trim();
  return /^[a-z][a-z0-9+.-]*:/i.test(t) ? t : `http://${t.replace(/^\/+/, '')}`;
}

/** A copy of a Resource under another URL of its redirect chain (linked too); no request made. */
function aliasOf(r: Resource, url: string, depth = r.depth): Resource {
  return { ...r, url, depth, redirects: chainFrom(r, url) };
}

/** The Resource for a URL: by requested URL, else the one whose redirects ended there. */
export function findResource(result: CrawlResult, url: string): Resource | undefined {
  const direct = result.resources.get(url);
  if (direct) return direct;
  for (const r of result.resources.values()) if (r.finalUrl === url) return r;
  return undefined;
}

/**
 * Crawl the site at startUrl. The homepage is fetched first (redirects followed; the site's hosts come from its
 * final URL). An unreachable homepage gives a result whose only resource carries the failure. Resources are keyed
 * by the (normalised) URL requested; a redirect's final URL that pages also link to gets a copy (no new request).
 */
export async function crawlSite(startUrl: string, opts: CrawlOptions = {}): Promise<CrawlResult> {
  const t0 = Date.now();
  const maxPages = opts.maxPages ?? 300;
  const maxDepth = opts.maxDepth ?? 6;
  const maxDocuments = opts.maxDocuments ?? 400;
  const concurrency = Math.max(1, opts.concurrency ?? 4);
  const fetchDocuments = opts.fetchDocuments ?? true;
  const userAgent = opts.userAgent ?? DEFAULT_USER_AGENT;
  const signal = opts.signal;

  const resources = new Map<string, Resource>();
  const parents = new Map<string, Edge>();
  const externalLinks: Link[] = [];
  const externalSeen = new Set<string>();
  const errors: CrawlError[] = [];
  const stats = { pages: 0, documents: 0, requests: 0, bytes: 0, durationMs: 0 };

  const cookies = new Map<string, string>();
  const baseFetch: FetchOptions = {
    timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    userAgent,
    cookies,
    maxBytes: opts.maxDocumentBytes ?? DEFAULT_MAX_BYTES,
    maxHtmlBytes: opts.maxHtmlBytes ?? DEFAULT_MAX_HTML_BYTES,
    onRequest: (info) => {
      stats.requests++;
      stats.bytes += info.bytes;
    },
  };
  if (opts.maxRedirects !== undefined) baseFetch.maxRedirects = opts.maxRedirects;
  if (signal) baseFetch.signal = signal;

  const count = (r: Resource): void => {
    if (r.kind === 'html') stats.pages++;
    else stats.documents++;
    if (r.failure) errors.push({ url: r.url, class: r.failure.class, message: r.failure.message });
  };
  const finish = (homeUrl: string, siteHosts: string[], start: string): CrawlResult => {
    stats.durationMs = Date.now() - t0;
    return { startUrl: start, homeUrl, siteHosts, resources, parents, externalLinks, stats, errors };
  };
  const addExternal = (link: Link): void => {
    const key = `${link.url}\u0000${link.text}`;
    if (externalSeen.has(key)) return;
    externalSeen.add(key);
    externalLinks.push(link);
  };

  // 1. The homepage.
  const start = normalizeUrl(withScheme(startUrl));
  if (!start) {
    const bad: Resource = {
      url: startUrl,
      finalUrl: startUrl,
      redirects: [],
      status: null,
      servedType: null,
      kind: 'html',
      bytes: 0,
      depth: 0,
      fetchedAt: new Date().toISOString(),
      failure: { class: 'blocked-scheme', message: `not an http(s) URL: ${startUrl}` },
    };
    resources.set(startUrl, bad);
    count(bad);
    return finish(startUrl, [], startUrl);
  }
  let home = await fetchResource(start, { ...baseFetch, depth: 0 });
  if (home.failure?.class === 'tls' && start.startsWith('https:') && opts.httpFallbackOnTlsError !== false) {
    const plain = await fetchResource(`http:${start.slice('https:'.length)}`, { ...baseFetch, depth: 0 });
    if (!plain.failure) {
      // Keep the certificate problem on record: it is a finding in itself.
      errors.push({ url: start, class: 'tls', message: home.failure.message });
      home = { ...plain, url: start };
    }
  }
  if (!home.failure && home.kind === 'html' && opts.renderPage) home = (await opts.renderPage(home)) ?? home;
  resources.set(start, home);
  count(home);
  if (home.failure) return finish(home.finalUrl, siteHostsFor(home.finalUrl), start);

  const homeUrl = home.finalUrl;
  const siteHosts = siteHostsFor(homeUrl);
  const onSite = (u: string): boolean => isOnSite(u, siteHosts);
  if (homeUrl !== start) resources.set(homeUrl, aliasOf(home, homeUrl));

  // 2. robots.txt (read even when ignored, for its sitemaps) and sitemaps.
  const robots = new RobotsCache({ ...baseFetch, retries: 0 });
  const loadedRobots = new Map<string, RobotsRules>();
  const robotsFor = async (url: string): Promise<RobotsRules> => {
    const r = await robots.get(url);
    loadedRobots.set(new URL(url).origin, r);
    return r;
  };
  const allowedNow = (url: string): boolean => {
    if (opts.ignoreRobots) return true;
    const r = loadedRobots.get(new URL(url).origin);
    return r ? r.isAllowed(url) : true;
  };
  const homeRobots = await robotsFor(homeUrl);

  /** Every URL queued, fetched or reached by a redirect. */
  const seen = new Set<string>([start, homeUrl, ...home.redirects]);
  /** Final URLs of fetched resources → the resource (for de-duplication after redirects). */
  const finals = new Map<string, Resource>([[homeUrl, home]]);
  /** Every URL of a fetched resource's chain (requested, redirects, final) → the resource. */
  const reached = new Map<string, Resource>();
  const remember = (r: Resource): void => {
    for (const u of [r.url, ...r.redirects, r.finalUrl]) if (!reached.has(u)) reached.set(u, r);
  };
  remember(home);
  const calendarCounts = new Map<string, Set<string>>();
  const trappedPaths = new Set<string>();
  const frontier = new Frontier();
  let seq = 0;

  const enqueue = (url: string, depth: number, priority: number, fromSitemap: boolean): void => {
    const ext = urlExtension(url);
    if (SKIP_EXTENSIONS.has(ext)) return;
    const document = DOCUMENT_EXTENSIONS.has(ext);
    if (document && !fetchDocuments) return;
    frontier.push({
      url,
      depth,
      seq: seq++,
      priority,
      fromSitemap,
      document,
      image: IMAGE_EXTENSIONS.has(ext),
    });
  };

  const consider = (link: Link, from: Resource): void => {
    const url = link.url;
    if (url === from.url || url === from.finalUrl) return;
    if (!parents.has(url) && url !== start && url !== homeUrl) {
      parents.set(url, { from: from.finalUrl, to: url, text: link.text });
    }
    if (!onSite(url)) {
      addExternal(link);
      return;
    }
    if (seen.has(url)) return;
    const depth = from.depth + 1;
    if (depth > maxDepth) return;
    seen.add(url);
    const trap = trapReason(url, calendarCounts);
    if (trap) {
      const key = new URL(url).pathname;
      if (!trappedPaths.has(key)) {
        trappedPaths.add(key);
        errors.push({ url, class: 'trap', message: trap });
      }
      return;
    }
    enqueue(url, depth, opts.priority ? opts.priority(link, from) : 0, false);
  };

  const expand = (page: Resource): void => {
    if (page.kind !== 'html' || page.failure || !page.links) return;
    for (const link of page.links) if (!link.placeholder) consider(link, page);
  };

  if (opts.useSitemaps !== false) {
    const origin = new URL(homeUrl).origin;
    const listed = homeRobots.sitemaps().filter(onSite);
    const sitemapUrls = listed.length ? listed : [`${origin}/sitemap.xml`];
    const seeds = await readSitemaps(sitemapUrls, {
      ...baseFetch,
      retries: 0,
      accept: onSite,
      maxUrls: Math.max(10, Math.floor(maxPages / 4)),
    });
    for (const url of seeds) {
      if (seen.has(url) || maxDepth < 1) continue;
      seen.add(url);
      if (trapReason(url, calendarCounts)) continue;
      enqueue(url, 1, 0, true);
    }
  }
  // Links of the homepage go before the sitemap seeds of the same depth (see `before`).
  expand(home);

  // 3. The frontier, breadth first, under per-host concurrency limits.
  const limits = new Map<string, LimitFunction>();
  const limitFor = (host: string): LimitFunction => {
    let l = limits.get(host);
    if (!l) {
      l = pLimit(concurrency);
      limits.set(host, l);
    }
    return l;
  };
  let pagesUsed = 1;
  let docsUsed = 0;

  const progress = (): void => {
    opts.onProgress?.({ pages: stats.pages, documents: stats.documents, queued: frontier.size });
  };

  const visitItem = async (item: Item): Promise<void> => {
    const release = (): void => {
      if (item.document) docsUsed--;
      else pagesUsed--;
    };
    // A URL already met in another fetch's redirect chain: record a copy, no request.
    const done = reached.get(item.url);
    if (done) {
      release();
      resources.set(item.url, aliasOf(done, item.url, item.depth));
      return;
    }
    if (!opts.ignoreRobots) {
      const rules = await robotsFor(item.url);
      if (!rules.isAllowed(item.url)) {
        release();
        errors.push({ url: item.url, class: 'robots', message: `disallowed by ${rules.url}` });
        return;
      }
    }
    let res = await fetchResource(item.url, {
      ...baseFetch,
      depth: item.depth,
      allowRedirect: (u) => onSite(u) && allowedNow(u),
      reuse: (u) => reached.get(u),
    });
    if (!res.failure && res.kind === 'html' && opts.renderPage) res = (await opts.renderPage(res)) ?? res;
    if (signal?.aborted && res.failure?.message === 'aborted') {
      release();
      return;
    }
    const isDoc = res.kind !== 'html';
    if (isDoc !== item.document) {
      if (isDoc) {
        pagesUsed--;
        docsUsed++;
      } else {
        docsUsed--;
        pagesUsed++;
      }
    }
    resources.set(item.url, res);
    count(res);
    remember(res);
    for (const r of res.redirects) seen.add(r);

    if (res.finalUrl !== item.url) {
      const edge = parents.get(item.url);
      if (
        !onSite(res.finalUrl) ||
        (!res.failure && res.status !== null && res.status >= 300 && res.status < 400)
      ) {
        // Stopped at an off-site (or robots-disallowed) redirect: the target is an external link.
        if (!onSite(res.finalUrl)) addExternal({ url: res.finalUrl, text: edge?.text ?? '', source: 'a' });
        else
          errors.push({
            url: item.url,
            class: 'robots',
            message: `redirects to ${res.finalUrl}, disallowed`,
          });
        return;
      }
      if (edge && !parents.has(res.finalUrl)) parents.set(res.finalUrl, { ...edge, to: res.finalUrl });
      if (finals.has(res.finalUrl) || (seen.has(res.finalUrl) && resources.has(res.finalUrl))) return;
      seen.add(res.finalUrl);
    }
    finals.set(res.finalUrl, res);
    expand(res);
  };

  const running = new Set<Promise<void>>();
  for (;;) {
    if (signal?.aborted) break;
    const deferred: Item[] = [];
    while (frontier.size) {
      const item = frontier.pop()!;
      if (item.document ? docsUsed >= maxDocuments : pagesUsed >= maxPages) continue;
      const host = new URL(item.url).host;
      const limit = limitFor(host);
      if (limit.activeCount + limit.pendingCount >= concurrency) {
        deferred.push(item);
        if (deferred.length >= 500) break;
        continue;
      }
      if (item.document) docsUsed++;
      else pagesUsed++;
      const p: Promise<void> = limit(() => visitItem(item))
        .catch((err: unknown) => {
          errors.push({ url: item.url, class: 'other', message: `crawler error: ${String(err)}` });
        })
        .finally(() => {
          running.delete(p);
          progress();
        });
      running.add(p);
    }
    for (const d of deferred) frontier.push(d);
    if (running.size === 0) break;
    await Promise.race(running);
  }
  await Promise.allSettled([...running]);
  return finish(homeUrl, siteHosts, start);
}
