// One URL → one Resource: redirects followed by hand, byte caps, timeouts, failures classified. Never throws.
import type { FailureClass, FetchFailure, Resource, ResourceKind } from '../types.js';
import { decodeHtml } from './charset.js';
import { parseHtml } from './links.js';
import { baseType, sniffKind, sniffMagic } from './sniff.js';
import { normalizeUrl, urlExtension } from './url.js';

export const DEFAULT_USER_AGENT = 'ita-check/0.1 (ITA OIT pre-assessment crawler; Node.js)';
export const DEFAULT_TIMEOUT_MS = 20_000;
export const DEFAULT_MAX_REDIRECTS = 10;
export const DEFAULT_MAX_BYTES = 25 * 1024 * 1024;
export const DEFAULT_MAX_HTML_BYTES = 5 * 1024 * 1024;
/** Meta refreshes with at most this delay (seconds) are followed as redirects. */
export const DEFAULT_META_REFRESH_MAX_DELAY = 10;

export interface RequestInfo {
  url: string;
  status: number | null;
  bytes: number;
}

export interface FetchOptions {
  /** Per request (each redirect hop) timeout; default 20 s. */
  timeoutMs?: number;
  /** Default 10. */
  maxRedirects?: number;
  /** Byte cap for documents; default 25 MB. */
  maxBytes?: number;
  /** Byte cap for HTML; default 5 MB. */
  maxHtmlBytes?: number;
  userAgent?: string;
  /** Aborts the request; the Resource then fails with class 'other' ("aborted"). */
  signal?: AbortSignal;
  /** Link depth recorded in the Resource; default 0. */
  depth?: number;
  /** Retries for reset connections and 429/502/503/504 answers; default 1. */
  retries?: number;
  /** Delay before a retry, ms; default 500. */
  retryDelayMs?: number;
  /** Follow `<meta http-equiv=refresh>` with a delay up to this many seconds as a redirect (false: never). */
  followMetaRefresh?: number | false;
  /** Asked before following each redirect; false stops there: the Resource keeps the 3xx status, finalUrl = target. */
  allowRedirect?: (url: string) => boolean;
  /** Called after every HTTP request (redirect hops and retries included). */
  onRequest?: (info: RequestInfo) => void;
  /** Parse HTML into title/links/text (default true). */
  parse?: boolean;
  /** Keep `body` for every kind, HTML included (robots.txt, sitemaps). */
  keepBody?: boolean;
  /**
   * Asked before requesting a redirect target: a Resource already fetched for that URL (as requested URL or
   * anywhere in its redirect chain) ends the chain without a request; the result combines both chains.
   */
  reuse?: (url: string) => Resource | undefined;
  /** Cookie jar shared across requests (name → value); a private one is used per call otherwise. */
  cookies?: Map<string, string>;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const RETRY_STATUSES = new Set([429, 502, 503, 504]);

interface HopResult {
  status: number | null;
  contentType: string | null;
  location: string | null;
  bytes: Uint8Array;
  failure?: FetchFailure;
}

const TLS_CODES =
  /CERT|SSL|TLS|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|SELF_SIGNED|DEPTH_ZERO|ERR_TLS|HOSTNAME_MISMATCH|ALTNAME/i;

/** Failure class of a thrown fetch error (undici wraps the cause: `TypeError: fetch failed` → cause.code). */
export function classifyError(err: unknown): FetchFailure {
  const codes: string[] = [];
  const messages: string[] = [];
  const seen = new Set<unknown>();
  const visit = (e: unknown): void => {
    if (!e || typeof e !== 'object' || seen.has(e)) return;
    seen.add(e);
    const o = e as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown; name?: unknown };
    if (typeof o.code === 'string') codes.push(o.code);
    if (typeof o.message === 'string' && o.message) messages.push(o.message);
    if (o.name === 'TimeoutError') codes.push('TimeoutError');
    visit(o.cause);
    if (Array.isArray(o.errors)) for (const x of o.errors) visit(x);
  };
  visit(err);
  const message = [...new Set(messages)].join(': ') || String(err);
  const has = (re: RegExp): boolean => codes.some((c) => re.test(c));
  let cls: FailureClass = 'other';
  if (has(/^(ENOTFOUND|EAI_AGAIN|EAI_NODATA|EAI_NONAME|EAI_FAIL)$/)) cls = 'dns';
  else if (
    has(/^(TimeoutError|ETIMEDOUT|UND_ERR_CONNECT_TIMEOUT|UND_ERR_HEADERS_TIMEOUT|UND_ERR_BODY_TIMEOUT)$/)
  )
    cls = 'timeout';
  else if (has(TLS_CODES) || /certificate|ssl|tls/i.test(message)) cls = 'tls';
  else if (
    has(
      /^(ECONNREFUSED|ECONNRESET|EHOSTUNREACH|ENETUNREACH|EPIPE|ECONNABORTED|UND_ERR_SOCKET|UND_ERR_CLOSED)$/,
    )
  )
    cls = 'connect';
  return { class: cls, message };
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        resolve();
      },
      { once: true },
    );
  });
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let p = 0;
  for (const c of chunks) {
    out.set(c, p);
    p += c.length;
  }
  return out;
}

function cookieHeader(jar: Map<string, string>): string {
  return [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
}

function storeCookies(res: Response, jar: Map<string, string>): void {
  const list = typeof res.headers.getSetCookie === 'function' ? res.headers.getSetCookie() : [];
  for (const c of list) {
    const pair = c.split(';')[0] ?? '';
    const eq = pair.indexOf('=');
    if (eq > 0) jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
  }
}

async function fetchHop(url: string, opts: FetchOptions, jar: Map<string, string>): Promise<HopResult> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  const maxHtmlBytes = opts.maxHtmlBytes ?? DEFAULT_MAX_HTML_BYTES;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = opts.signal ? AbortSignal.any([timeout, opts.signal]) : timeout;
  let status: number | null = null;
  let read = 0;
  const fail = (f: FetchFailure, contentType: string | null = null): HopResult => ({
    status,
    contentType,
    location: null,
    bytes: new Uint8Array(0),
    failure: status !== null && f.status === undefined ? { ...f, status } : f,
  });
  const failFromError = (err: unknown, contentType: string | null = null): HopResult => {
    if (opts.signal?.aborted) return fail({ class: 'other', message: 'aborted' }, contentType);
    if (timeout.aborted)
      return fail({ class: 'timeout', message: `no complete answer within ${timeoutMs} ms` }, contentType);
    return fail(classifyError(err), contentType);
  };
  let res: Response;
  try {
    const headers: Record<string, string> = {
      'user-agent': opts.userAgent ?? DEFAULT_USER_AGENT,
      accept: 'text/html,application/xhtml+xml,application/pdf,application/xml;q=0.9,*/*;q=0.8',
      'accept-language': 'th,en;q=0.8',
    };
    if (jar.size) headers.cookie = cookieHeader(jar);
    res = await fetch(url, { redirect: 'manual', signal, headers });
  } catch (err) {
    return failFromError(err);
  }
  status = res.status;
  storeCookies(res, jar);
  const contentType = res.headers.get('content-type');
  const cancel = async (): Promise<void> => {
    try {
      await res.body?.cancel();
    } catch {
      // already closed
    }
  };
  if (REDIRECT_STATUSES.has(status)) {
    const location = res.headers.get('location');
    await cancel();
    return { status, contentType, location, bytes: new Uint8Array(0) };
  }
  if (status >= 400) {
    await cancel();
    return fail(
      { class: status >= 500 ? 'http-5xx' : 'http-4xx', message: `HTTP ${status}`, status },
      contentType,
    );
  }
  const declared = Number.parseInt(res.headers.get('content-length') ?? '', 10);
  if (Number.isFinite(declared) && declared > maxBytes) {
    await cancel();
    return fail(
      { class: 'too-large', message: `Content-Length ${declared} > ${maxBytes} bytes` },
      contentType,
    );
  }
  const chunks: Uint8Array[] = [];
  let cap = maxBytes;
  try {
    if (res.body) {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        if (chunks.length === 0) {
          const magic = sniffMagic(chunk, url, contentType);
          const html = magic === 'html' || (magic === null && baseType(contentType) === 'text/html');
          cap = html ? Math.min(maxHtmlBytes, maxBytes) : maxBytes;
        }
        chunks.push(chunk);
        read += chunk.length;
        if (read > cap) {
          await cancel();
          return fail({ class: 'too-large', message: `more than ${cap} bytes` }, contentType);
        }
      }
    }
  } catch (err) {
    return failFromError(err, contentType);
  }
  return { status, contentType, location: null, bytes: concat(chunks, read) };
}

async function fetchWithRetry(url: string, opts: FetchOptions, jar: Map<string, string>): Promise<HopResult> {
  const retries = opts.retries ?? 1;
  for (let attempt = 0; ; attempt++) {
    const r = await fetchHop(url, opts, jar);
    opts.onRequest?.({ url, status: r.status, bytes: r.bytes.length });
    const retryable =
      (r.failure?.class === 'connect' && r.status === null) ||
      (r.status !== null && RETRY_STATUSES.has(r.status));
    if (!retryable || attempt >= retries || opts.signal?.aborted) return r;
    await sleep(opts.retryDelayMs ?? 500, opts.signal);
  }
}

/** Kind guessed from the URL alone (failed fetches): extension, else a page. */
export function kindFromUrl(url: string): ResourceKind {
  const k = sniffKind(new Uint8Array(0), null, url);
  return k === 'other' && urlExtension(url) === '' ? 'html' : k;
}

/**
 * Fetch one URL: redirects followed by hand (loops and chains over maxRedirects fail), meta refreshes with a
 * short delay followed as redirects, body capped, kind sniffed, HTML decoded and parsed. Network errors are
 * returned as `failure`, never thrown. `redirects` lists the URLs that answered with a redirect, in order.
 */
export async function fetchResource(url: string, opts: FetchOptions = {}): Promise<Resource> {
  const start = normalizeUrl(url) ?? url;
  const jar = opts.cookies ?? new Map<string, string>();
  const maxRedirects = opts.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  const metaLimit =
    opts.followMetaRefresh === undefined ? DEFAULT_META_REFRESH_MAX_DELAY : opts.followMetaRefresh;
  const redirects: string[] = [];
  /** URL → cookies when it was requested: the same URL with the same cookies again is a loop. */
  const visited = new Map<string, string>();
  const base = {
    url: start,
    depth: opts.depth ?? 0,
    fetchedAt: new Date().toISOString(),
  };
  const failed = (
    current: string,
    failure: FetchFailure,
    status: number | null,
    type: string | null,
  ): Resource => ({
    ...base,
    finalUrl: current,
    redirects: [...redirects],
    status,
    servedType: baseType(type),
    kind: kindFromUrl(current),
    bytes: 0,
    failure,
  });

  if (!/^https?:\/\//i.test(start)) {
    return failed(start, { class: 'blocked-scheme', message: `not an http(s) URL: ${url}` }, null, null);
  }

  let current = start;
  const isLoop = (next: string): boolean => visited.get(next) === cookieHeader(jar);
  /** Move to the next URL of a redirect chain; returns a Resource when the chain must stop. */
  const hop = (target: string | null, status: number | null, type: string | null): Resource | null => {
    const next = target === null ? null : normalizeUrl(target, current);
    if (!next) {
      return failed(
        current,
        { class: 'blocked-scheme', message: `redirect to ${target}`, ...(status ? { status } : {}) },
        status,
        type,
      );
    }
    if (isLoop(next)) {
      return failed(current, { class: 'redirect-loop', message: `redirect loop at ${next}` }, status, type);
    }
    if (redirects.length >= maxRedirects) {
      return failed(
        current,
        { class: 'too-many-redirects', message: `more than ${maxRedirects} redirects` },
        status,
        type,
      );
    }
    if (opts.allowRedirect && !opts.allowRedirect(next)) {
      redirects.push(current);
      return {
        ...base,
        finalUrl: next,
        redirects: [...redirects],
        status,
        servedType: baseType(type),
        kind: kindFromUrl(next),
        bytes: 0,
      };
    }
    redirects.push(current);
    current = next;
    return null;
  };

  for (;;) {
    if (current !== start && opts.reuse) {
      const known = opts.reuse(current);
      if (known) return joinChain(base, redirects, current, known);
    }
    visited.set(current, cookieHeader(jar));
    const r = await fetchWithRetry(current, opts, jar);
    if (r.failure) return failed(current, r.failure, r.status, r.contentType);
    if (r.status !== null && REDIRECT_STATUSES.has(r.status)) {
      if (r.location === null) {
        return failed(
          current,
          { class: 'other', message: `HTTP ${r.status} without Location`, status: r.status },
          r.status,
          r.contentType,
        );
      }
      const stop = hop(r.location, r.status, r.contentType);
      if (stop) return stop;
      continue;
    }
    const kind = sniffKind(r.bytes, r.contentType, current);
    const res: Resource = {
      ...base,
      finalUrl: current,
      redirects: [...redirects],
      status: r.status,
      servedType: baseType(r.contentType),
      kind,
      bytes: r.bytes.length,
    };
    if (kind !== 'html' || opts.keepBody) res.body = r.bytes;
    if (kind !== 'html' || opts.parse === false) return res;

    let page: ReturnType<typeof parseHtml>;
    try {
      const { text, charset } = decodeHtml(r.bytes, r.contentType);
      res.charset = charset;
      page = parseHtml(text, current);
    } catch (err) {
      res.failure = { class: 'other', message: `cannot parse HTML: ${String(err)}` };
      return res;
    }
    const refresh = page.metaRefresh;
    if (
      metaLimit !== false &&
      refresh !== undefined &&
      refresh !== current &&
      (page.metaRefreshDelay ?? 0) <= metaLimit &&
      // A loop, a long chain or an off-limits target: keep the page itself (its links hold the target).
      !isLoop(refresh) &&
      redirects.length < maxRedirects &&
      (!opts.allowRedirect || opts.allowRedirect(refresh))
    ) {
      redirects.push(current);
      current = refresh;
      continue;
    }
    return withPage(res, page);
  }
}

/** `known` seen from `at` (a URL of its chain): its redirects from there on, its answer. */
export function chainFrom(known: Resource, at: string): string[] {
  const i = known.redirects.indexOf(at);
  if (i >= 0) return known.redirects.slice(i);
  return at === known.url && known.url !== known.finalUrl ? [...known.redirects] : [];
}

function joinChain(
  base: { url: string; depth: number; fetchedAt: string },
  redirects: string[],
  current: string,
  known: Resource,
): Resource {
  return { ...known, ...base, redirects: [...redirects, ...chainFrom(known, current)] };
}

function withPage(res: Resource, page: ReturnType<typeof parseHtml>): Resource {
  res.title = page.title;
  res.headings = page.headings;
  res.links = page.links;
  res.mainText = page.mainText;
  res.fullText = page.fullText;
  if (page.forms.length) res.forms = page.forms;
  if (page.images.length) res.images = page.images;
  return res;
}
