// Crawl of one agency site, breadth first or targeted (best first by a priority, stopping once the evidence is
// in): pages and documents, robots and sitemaps, per-host concurrency.
import pLimit, { type LimitFunction } from 'p-limit';
import type { CrawlError, CrawlResult, Edge, Link, Resource } from '../types.js';
import {
  chainFrom,
  DEFAULT_MAX_BYTES,
  DEFAULT_MAX_HTML_BYTES,
  DEFAULT_RETRIES,
  DEFAULT_RETRY_DELAY_MS,
  DEFAULT_TIMEOUT_MS,
  DEFAULT_USER_AGENT,
  type FetchOptions,
  fetchResource,
  kindFromUrl,
} from './fetcher.js';
import { Frontier, type FrontierItem } from './frontier.js';
import { DEFAULT_DELAY_MS, HostGate } from './politeness.js';
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
  /** Requests in flight per host (every request: pages, documents, robots.txt, sitemaps); default 4. */
  concurrency?: number;
  /**
   * Minimum delay between the starts of two requests to one host, ms; default 100 (0 disables), except for
   * loopback hosts (localhost, 127.0.0.0/8, ::1), which the default spares. A robots.txt `Crawl-delay` raises
   * it for that host, up to 10 s. A Retry-After (429/503, up to 60 s) pauses the host.
   */
  delayMs?: number;
  /**
   * Time budget for the whole crawl, ms (default: none). When it runs out, requests in flight are aborted, no
   * new ones start, a 'timeout' CrawlError ("time budget of N s used up") is recorded and what was fetched is
   * returned.
   */
  maxTimeMs?: number;
  /** Per request (per redirect hop); default 20 000 ms. */
  timeoutMs?: number;
  /**
   * Retries of reset/dropped connections and 429/502/503/504 answers (a timeout: once at most); default 2.
   * Never for refused connections, DNS, TLS, other 4xx/5xx or too-large bodies.
   */
  retries?: number;
  /** Base of the exponential backoff between retries (doubled each time, plus jitter), ms; default 500. */
  retryDelayMs?: number;
  /**
   * Accept an invalid TLS certificate: the homepage is still fetched strictly first so the certificate error
   * is recorded (class 'tls'), then the site is crawled over https regardless. Default false (then an https
   * homepage with a bad certificate falls back to http://, see httpFallbackOnTlsError).
   */
  insecure?: boolean;
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
   * URLs to fetch whether or not a link reaches them (the ITAS list: the evaluator opens each one). They go
   * through the same politeness gate, cache and budget; no click path is recorded for them.
   */
  seedUrls?: string[];
  /**
   * Called for each document (not HTML) fetched without failure, as it arrives: a scan starts reading
   * PDFs on its worker pool while the crawl goes on.
   */
  onDocument?: (doc: Resource) => void;
  /**
   * Called for every HTML page fetched (the homepage too): may return the page as a browser renders it
   * (menus built by scripts, content loaded after load), or null to keep the static page.
   */
  renderPage?: (page: Resource) => Promise<Resource | null>;
  signal?: AbortSignal;
  /**
   * Targeted crawling: the frontier is taken best first, higher priority sooner whatever the depth (a tie goes
   * to the shallower link, then to discovery order); a URL found again with a higher priority or at a
   * shallower depth moves up, and a page already fetched that is found again with a higher priority has its
   * links weighed again. Default: breadth first (by depth, then discovery order).
   */
  priority?: (link: Link, from: Resource) => number;
  /**
   * With `priority`: a document link (by its extension) whose priority is below this is not fetched (it stays
   * a link and counts nowhere); found again with a priority at or above it, it is fetched. Default: none.
   */
  minDocumentPriority?: number;
  /** Checked between batches of requests: true stops the crawl (requests in flight finish). */
  shouldStop?: (state: CrawlState) => boolean;
  /** On-disk HTTP cache and out-of-memory document bodies for every request (see FetchOptions). */
  http?: Pick<FetchOptions, 'cache' | 'spillBytes' | 'spillDir'>;
}

/** What `shouldStop` sees. */
export interface CrawlState {
  /** Everything fetched so far (as in the result). */
  resources: Map<string, Resource>;
  /** URLs waiting in the frontier. */
  frontierSize: number;
  /** Requests in flight. */
  inFlight: number;
  /** The highest priority among the URLs waiting or in flight; -Infinity when there are none. */
  topPriority: number;
  /** Document links held back by `minDocumentPriority`. */
  heldDocuments: number;
  /** True while the URL waits in the frontier or is being fetched. */
  pending(url: string): boolean;
}

type Item = FrontierItem;

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
/** More path segments than this: a relative-link loop, not a real folder tree. */
const MAX_PATH_SEGMENTS = 25;
/** More query parameters than this, or one key this many times: a query string that keeps growing. */
const MAX_QUERY_PARAMS = 25;
const MAX_QUERY_KEY_REPEATS = 3;
/** A query string that grew by a parameter from page to page this many times in a row: a trap. */
const MAX_QUERY_GROWTH = 6;
/** Links of one page followed at most (a page with 200 000 links is a generator, not a menu). */
const MAX_LINKS_PER_PAGE = 5000;
/** A year (Gregorian or Buddhist era) as a path segment. */
const YEAR_SEGMENT = /^(19|20|25)\d\d$/;
/** Session ids carried in the path: `;jsessionid=…`, `;sid=…`, ASP.NET cookieless `(S(…))`. */
const PATH_SESSION = /;[a-z_]*(sess|sid)[a-z_]*=[^/?]*|\((?:[A-Z]\([^)]*\))+\)/gi;

/** The URL without session ids in its path: URLs that differ only by those are one resource. */
export function sessionFreeUrl(url: string): string {
  const m = /^(https?:\/\/[^/?#]*)([^?#]*)(.*)$/is.exec(url);
  if (!m) return url;
  const path = m[2]!;
  const clean = path.replace(PATH_SESSION, '');
  return clean === path ? url : `${m[1]}${clean.replace(/\/{2,}/g, '/') || '/'}${m[3]}`;
}

/** True when `child` is `parent` (same path) with parameters appended to its query string. */
function queryGrows(parent: string, child: string): boolean {
  const p = parent.indexOf('?');
  const c = child.indexOf('?');
  if (c < 0) return false;
  const pBase = p < 0 ? parent : parent.slice(0, p);
  if (pBase !== child.slice(0, c)) return false;
  if (p < 0) return true;
  return child.startsWith(`${parent}&`);
}

function isNumberIn(s: string | undefined, min: number, max: number): boolean {
  if (s === undefined || !/^\d{1,2}$/.test(s)) return false;
  const n = Number(s);
  return n >= min && n <= max;
}

/** Counts a variant of `key`; true when there are now more than MAX_CALENDAR_VARIANTS of it. */
function tooManyVariants(counts: Map<string, Set<string>>, key: string, variant: string): boolean {
  const set = counts.get(key) ?? new Set<string>();
  counts.set(key, set);
  set.add(variant);
  return set.size > MAX_CALENDAR_VARIANTS;
}

/** A block of 2+ path segments repeated right after itself (`/a/b/a/b`): a relative link resolved in a loop. */
function repeatedBlock(segs: string[]): string | null {
  for (let len = 2; len * 2 <= segs.length; len++) {
    for (let i = 0; i + 2 * len <= segs.length; i++) {
      let same = true;
      for (let k = 0; k < len && same; k++) same = segs[i + k] === segs[i + len + k];
      if (same) return segs.slice(i, i + len).join('/');
    }
  }
  return null;
}

/**
 * Why a URL looks like a crawler trap, or null: over-long URLs, paths that repeat themselves or go too deep,
 * query strings that keep growing, and endless calendars (more than 50 variants of the calendar parameters of
 * one path, or of the year/month segments of one path shape). `calendarCounts` carries the variants seen.
 */
export function trapReason(url: string, calendarCounts: Map<string, Set<string>>): string | null {
  if (url.length > MAX_URL_LENGTH) return `URL longer than ${MAX_URL_LENGTH} characters`;
  const u = new URL(url);
  const segs = u.pathname.split('/').filter((s) => s !== '');
  const counts = new Map<string, number>();
  for (const seg of segs) {
    const n = (counts.get(seg) ?? 0) + 1;
    counts.set(seg, n);
    if (n >= 3) return `path repeats "${safeDecode(seg)}" ${n} times`;
  }
  if (segs.length > MAX_PATH_SEGMENTS) return `path deeper than ${MAX_PATH_SEGMENTS} folders`;
  const block = repeatedBlock(segs);
  if (block) return `path repeats "${safeDecode(block)}"`;
  // Calendars in the path: /calendar/2564/05/ → /calendar/2564/06/ … (a year, then a month 1–12, maybe a day;
  // counted per path with those replaced).
  const y = segs.findIndex((s, i) => YEAR_SEGMENT.test(s) && isNumberIn(segs[i + 1], 1, 12));
  if (y >= 0) {
    const n = isNumberIn(segs[y + 2], 1, 31) ? 3 : 2;
    const shape = segs.map((s, i) => (i >= y && i < y + n ? '#' : s)).join('/');
    if (tooManyVariants(calendarCounts, `${u.origin}/${shape}${u.search}`, segs.slice(y, y + n).join('/'))) {
      return `more than ${MAX_CALENDAR_VARIANTS} dated variants of ${u.origin}/${safeDecode(shape)}`;
    }
  }
  if (u.search) {
    const params = u.search.slice(1).split('&');
    if (params.length > MAX_QUERY_PARAMS) return `query string with more than ${MAX_QUERY_PARAMS} parameters`;
    const keys = new Map<string, number>();
    // Variants of the calendar parameters, per path and other parameters.
    const rest: string[] = [];
    const cal: string[] = [];
    for (const p of params) {
      const eq = p.indexOf('=');
      const key = eq < 0 ? p : p.slice(0, eq);
      const value = eq < 0 ? '' : safeDecode(p.slice(eq + 1)).trim();
      const n = (keys.get(key) ?? 0) + 1;
      keys.set(key, n);
      if (n >= MAX_QUERY_KEY_REPEATS) return `query string repeats "${safeDecode(key)}" ${n} times`;
      (isCalendarParam(key, value) ? cal : rest).push(p);
    }
    if (cal.length) {
      const key = `${u.origin}${u.pathname}?${rest.sort().join('&')}`;
      if (tooManyVariants(calendarCounts, key, cal.sort().join('&'))) {
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
  // The caller's signal and the time budget: either stops the crawl (requests in flight are aborted).
  const budget = new AbortController();
  let budgetTimer: ReturnType<typeof setTimeout> | undefined;
  const maxTimeMs = opts.maxTimeMs;
  const budgetUsed = (): boolean => budget.signal.aborted;
  if (maxTimeMs !== undefined && Number.isFinite(maxTimeMs) && maxTimeMs >= 0) {
    budgetTimer = setTimeout(() => budget.abort(), maxTimeMs);
  }
  const signal = opts.signal ? AbortSignal.any([opts.signal, budget.signal]) : budget.signal;
  // The default delay spares loopback hosts (demo, local mirrors, tests); an explicit delayMs applies to all.
  const gate = new HostGate({
    concurrency,
    delayMs: opts.delayMs ?? DEFAULT_DELAY_MS,
    exemptLoopback: opts.delayMs === undefined,
  });

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
    retries: opts.retries ?? DEFAULT_RETRIES,
    retryDelayMs: opts.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS,
    gate,
    signal,
    onRequest: (info) => {
      stats.requests++;
      stats.bytes += info.bytes;
    },
    onNotice: (notice) => errors.push(notice),
    ...opts.http,
  };
  if (opts.maxRedirects !== undefined) baseFetch.maxRedirects = opts.maxRedirects;

  const count = (r: Resource): void => {
    if (r.kind === 'html') stats.pages++;
    else stats.documents++;
    if (r.failure) errors.push({ url: r.url, class: r.failure.class, message: r.failure.message });
  };
  const finish = (homeUrl: string, siteHosts: string[], start: string): CrawlResult => {
    clearTimeout(budgetTimer);
    if (budgetUsed()) {
      const seconds = Number(((maxTimeMs ?? 0) / 1000).toFixed(1));
      errors.push({ url: start, class: 'timeout', message: `time budget of ${seconds} s used up` });
    }
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
  if (home.failure?.class === 'tls' && start.startsWith('https:') && opts.insecure) {
    // Certificate not trusted, but asked to go on: crawl over https regardless, the error kept on record.
    const tlsMessage = home.failure.message;
    baseFetch.insecure = true;
    const again = await fetchResource(start, { ...baseFetch, depth: 0 });
    if (!again.failure) {
      errors.push({ url: start, class: 'tls', message: tlsMessage });
      home = again;
    }
  }
  if (home.failure?.class === 'tls' && start.startsWith('https:') && opts.httpFallbackOnTlsError !== false) {
    const plain = await fetchResource(`http:${start.slice('https:'.length)}`, { ...baseFetch, depth: 0 });
    if (!plain.failure) {
      // Keep the certificate problem on record: it is a finding in itself.
      errors.push({ url: start, class: 'tls', message: home.failure.message });
      home = { ...plain, url: start };
    }
  }
  if (home.failure?.message === 'aborted' && budgetUsed()) {
    home = {
      ...home,
      failure: { class: 'timeout', message: 'time budget used up before the homepage answered' },
    };
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
    const origin = new URL(url).origin;
    if (!loadedRobots.has(origin)) {
      loadedRobots.set(origin, r);
      // Crawl-delay for us raises the host's delay (capped at 10 s in the gate).
      gate.setCrawlDelay(url, r.crawlDelay());
    }
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
  /** URLs without path session ids (`;jsessionid=`, `(S(…))`) already queued: one fetch per resource. */
  const sessionFree = new Set<string>();
  /** Session-id variants skipped per path, to report the trap once. */
  const sessionVariants = new Map<string, number>();
  /** URL → how many pages in a row grew the query string to reach it (see queryGrows). */
  const growth = new Map<string, number>();
  /**
   * A URL not fetched because it looks like a crawler trap: its Resource carries the reason (no request made),
   * so evidence pointing at it is not mistaken for a page never linked; the error is recorded once per path.
   */
  const trap = (url: string, reason: string, depth: number, keep = true): void => {
    if (keep && !resources.has(url)) {
      resources.set(url, {
        url,
        finalUrl: url,
        redirects: [],
        status: null,
        servedType: null,
        kind: kindFromUrl(url),
        bytes: 0,
        depth,
        fetchedAt: new Date().toISOString(),
        failure: { class: 'trap', message: reason },
      });
    }
    const key = new URL(url).pathname;
    if (trappedPaths.has(key)) return;
    trappedPaths.add(key);
    errors.push({ url, class: 'trap', message: reason });
  };
  const weigh = opts.priority;
  const minDocumentPriority = weigh ? opts.minDocumentPriority : undefined;
  const frontier = new Frontier(weigh ? 'best-first' : 'breadth-first');
  let seq = 0;
  /** Targeted crawls: document links held back (priority below minDocumentPriority) → depth found at. */
  const held = new Map<string, number>();
  /** Targeted crawls: HTML pages whose links were followed → the priority they were fetched at. */
  const expandedAt = new Map<string, number>();
  /** Pages fetched earlier and since found again with a higher priority: their links are weighed again. */
  const reweigh: Resource[] = [];
  const inFlight = new Map<string, Item>();

  const enqueue = (url: string, depth: number, priority: number, fromSitemap: boolean): void => {
    const ext = urlExtension(url);
    if (SKIP_EXTENSIONS.has(ext)) return;
    const document = DOCUMENT_EXTENSIONS.has(ext);
    if (document && !fetchDocuments) return;
    if (document && minDocumentPriority !== undefined && priority < minDocumentPriority) {
      held.set(url, Math.min(depth, held.get(url) ?? depth));
      return;
    }
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

  /** Targeted crawls: a URL met before, found again on another page. */
  const reconsider = (
    link: Link,
    from: Resource,
    depth: number,
    weighFn: NonNullable<typeof weigh>,
  ): void => {
    const url = link.url;
    const heldAt = held.get(url);
    const queued = frontier.get(url);
    const fetchedAt = expandedAt.get(url);
    const flying = inFlight.get(url);
    if (heldAt === undefined && !queued && fetchedAt === undefined && !flying) return;
    const priority = weighFn(link, from);
    if (flying && fetchedAt === undefined) {
      // Being fetched: the page is expanded at the better priority when it lands, and the priority
      // function has now seen this link (an index row makes it an item page whatever the timing).
      flying.priority = Math.max(flying.priority, priority);
    } else if (heldAt !== undefined) {
      if (priority >= (minDocumentPriority ?? Number.NEGATIVE_INFINITY)) {
        held.delete(url);
        enqueue(url, Math.min(heldAt, depth), priority, false);
      }
    } else if (queued) {
      const shallower = depth < queued.depth;
      if (frontier.improve(url, priority, depth) && shallower) {
        // The shorter click path, as a breadth-first crawl would have found it.
        parents.set(url, { from: from.finalUrl, to: url, text: link.text });
      }
    } else if (fetchedAt !== undefined && priority > fetchedAt) {
      expandedAt.set(url, priority);
      const page = resources.get(url) ?? finals.get(url);
      if (page) reweigh.push(page);
    }
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
    const depth = from.depth + 1;
    if (seen.has(url)) {
      if (weigh) reconsider(link, from, depth, weigh);
      return;
    }
    if (depth > maxDepth) return;
    seen.add(url);
    const plain = sessionFreeUrl(url);
    if (plain !== url) {
      if (sessionFree.has(plain)) {
        const path = new URL(plain).pathname;
        const n = (sessionVariants.get(path) ?? 0) + 1;
        sessionVariants.set(path, n);
        if (n >= 3) trap(url, `session ids in the path of ${plain}`, depth, false);
        return;
      }
      sessionFree.add(plain);
    }
    if (queryGrows(from.finalUrl, url)) {
      const n = (growth.get(from.finalUrl) ?? 0) + 1;
      if (n > MAX_QUERY_GROWTH) {
        trap(url, `query string grows from page to page (${n} times)`, depth);
        return;
      }
      growth.set(url, n);
    }
    const reason = trapReason(url, calendarCounts);
    if (reason) {
      trap(url, reason, depth);
      return;
    }
    enqueue(url, depth, weigh ? weigh(link, from) : 0, false);
  };

  const followLinks = (page: Resource, again: boolean): void => {
    if (page.kind !== 'html' || page.failure || !page.links) return;
    let followed = 0;
    for (const link of page.links) {
      if (link.placeholder) continue;
      if (++followed > MAX_LINKS_PER_PAGE) {
        if (!again) {
          errors.push({
            url: page.url,
            class: 'trap',
            message: `${page.links.length} links on one page: only the first ${MAX_LINKS_PER_PAGE} followed`,
          });
        }
        return;
      }
      consider(link, page);
    }
  };

  /** Follows a fetched page's links (and weighs again those of pages found to matter more meanwhile). */
  const expand = (page: Resource, priority = Number.POSITIVE_INFINITY): void => {
    if (weigh && page.kind === 'html' && !page.failure) {
      for (const u of [page.url, page.finalUrl])
        expandedAt.set(u, Math.max(priority, expandedAt.get(u) ?? priority));
    }
    followLinks(page, false);
    for (let again = reweigh.pop(); again; again = reweigh.pop()) followLinks(again, true);
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
      enqueue(url, 1, weigh ? weigh({ url, text: '', source: 'a' }, home) : 0, true);
    }
  }
  for (const url of opts.seedUrls ?? []) {
    if (seen.has(url) || !onSite(url)) continue;
    seen.add(url);
    // First in line, documents included: the evaluator will open every one of them.
    enqueue(url, 1, Number.MAX_SAFE_INTEGER, true);
  }
  // Links of the homepage go before the sitemap seeds of the same depth (see `before`).
  expand(home);

  // 3. The frontier, breadth first (best first when targeted), under per-host concurrency limits.
  const limits = new Map<string, LimitFunction>();
  const limitFor = (host: string): LimitFunction => {
    let l = limits.get(host);
    if (!l) {
      l = pLimit(concurrency);
      limits.set(host, l);
    }
    return l;
  };
  const allBusy = (): boolean => {
    for (const l of limits.values()) if (l.activeCount + l.pendingCount < concurrency) return false;
    return true;
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
    if (signal.aborted && res.failure?.message === 'aborted') {
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
    if (isDoc && !res.failure && res.status !== null && res.status < 300) opts.onDocument?.(res);
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
    expand(res, item.priority);
  };

  const running = new Set<Promise<void>>();
  const state = (): CrawlState => {
    let topPriority = frontier.peek()?.priority ?? Number.NEGATIVE_INFINITY;
    for (const item of inFlight.values()) topPriority = Math.max(topPriority, item.priority);
    return {
      resources,
      frontierSize: frontier.size,
      inFlight: inFlight.size,
      topPriority,
      heldDocuments: held.size,
      pending: (url) => frontier.has(url) || inFlight.has(url),
    };
  };
  for (;;) {
    if (signal.aborted) break;
    if (opts.shouldStop?.(state())) break;
    const deferred: Item[] = [];
    for (let item = frontier.pop(); item; item = frontier.pop()) {
      if (item.document ? docsUsed >= maxDocuments : pagesUsed >= maxPages) continue;
      const host = new URL(item.url).host;
      const limit = limitFor(host);
      if (limit.activeCount + limit.pendingCount >= concurrency) {
        deferred.push(item);
        // Every host busy (one host, usually): nothing more can start before a request ends.
        if (deferred.length >= 500 || allBusy()) break;
        continue;
      }
      if (item.document) docsUsed++;
      else pagesUsed++;
      inFlight.set(item.url, item);
      const p: Promise<void> = limit(() => visitItem(item))
        .catch((err: unknown) => {
          errors.push({ url: item.url, class: 'other', message: `crawler error: ${String(err)}` });
        })
        .finally(() => {
          running.delete(p);
          inFlight.delete(item.url);
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
