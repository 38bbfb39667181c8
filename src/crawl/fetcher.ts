// One URL → one Resource: redirects followed by hand, byte caps, timeouts, failures classified. Never throws.
import { rmSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FailureClass, FetchFailure, Resource, ResourceKind } from '../types.js';
import { VERSION } from '../version.js';
import { decodeHtml } from './charset.js';
import { type CacheEntry, type HttpCache, sha256Hex, sourceVersion, writeAtomic } from './http-cache.js';
import { type ParsedPage, parseHtml } from './links.js';
import { backoffMs, parseRetryAfter, type RequestGate } from './politeness.js';
import { type JsSignals, jsSignals, staticSuspicion } from './script-signals.js';
import { baseType, sniffKind, sniffMagic } from './sniff.js';
import { normalizeUrl, urlExtension } from './url.js';

/** Names the tool, its version and where to read about it (site owners look up crawlers by this). */
export const DEFAULT_USER_AGENT = `ita-check/${VERSION} (+https://github.com/ita-check/ita-check)`;
export const DEFAULT_TIMEOUT_MS = 20_000;
export const DEFAULT_MAX_REDIRECTS = 10;
export const DEFAULT_MAX_BYTES = 25 * 1024 * 1024;
export const DEFAULT_MAX_HTML_BYTES = 5 * 1024 * 1024;
/** Meta refreshes with at most this delay (seconds) are followed as redirects. */
export const DEFAULT_META_REFRESH_MAX_DELAY = 10;
/** Retries of 429/502/503/504 answers and reset connections (a timeout is retried once at most). */
export const DEFAULT_RETRIES = 2;
export const DEFAULT_RETRY_DELAY_MS = 500;

export interface RequestInfo {
  url: string;
  status: number | null;
  /** Body bytes transferred (0 for a 304: the cached body was used). */
  bytes: number;
  /** A conditional request the server answered 304 Not Modified. */
  revalidated?: boolean;
}

/** Bodies larger than this are kept on disk rather than in memory, when spilling is asked for. */
export const DEFAULT_SPILL_BYTES = 1024 * 1024;

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
  /**
   * Retries for reset or dropped connections and 429/502/503/504 answers; default 2. A timeout is retried once
   * at most; refused connections, DNS and TLS errors, 4xx and too-large bodies never.
   */
  retries?: number;
  /** Base of the exponential backoff before a retry (doubled each time, plus jitter), ms; default 500. */
  retryDelayMs?: number;
  /**
   * Every request waits here for its host's slot and delay (politeness); a Retry-After on 429/503 pauses the
   * host in it. Without a gate a Retry-After is slept through by this call alone.
   */
  gate?: RequestGate;
  /** Accept invalid TLS certificates (self-signed, expired, wrong name); default false. */
  insecure?: boolean;
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
  /** Told when a page is read only in part (nested too deep, too many elements); the Resource does not fail. */
  onNotice?: (notice: { url: string; class: FailureClass; message: string }) => void;
  /**
   * On-disk HTTP cache: a URL with a stored answer is asked for with If-None-Match / If-Modified-Since and a
   * 304 reuses the stored body; a 200 replaces it. Failures, bodies over the caps and `no-store` answers are
   * never stored.
   */
  cache?: HttpCache;
  /**
   * Document bodies (not HTML, not with keepBody) larger than this many bytes are kept on disk: the Resource
   * gets `bodyPath` instead of `body` (see readBody). Default: never (all bodies in memory).
   */
  spillBytes?: number;
  /** Folder for spilled bodies; default: under the cache's dir when `cache` is set, else the OS temp dir. */
  spillDir?: string;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const RETRY_STATUSES = new Set([429, 502, 503, 504]);
/** Statuses whose Retry-After we honour (RFC 9110: 503 and 429, RFC 6585). */
const RETRY_AFTER_STATUSES = new Set([429, 503]);

interface HopResult {
  status: number | null;
  contentType: string | null;
  location: string | null;
  bytes: Uint8Array;
  failure?: FetchFailure;
  /** A request went out (false when aborted while waiting for the gate). */
  requested: boolean;
  /** The connection was reset or dropped (worth a retry), as opposed to refused. */
  transient?: boolean;
  /** Retry-After of a 429/503, ms (capped). */
  retryAfterMs?: number;
  /** Caching headers of the answer. */
  etag?: string | null;
  lastModified?: string | null;
  cacheControl?: string | null;
  setCookie?: boolean;
  /** The body came from the cache (a 304, or within the cache's freshMs without a request). */
  fromCache?: 'revalidated' | 'fresh';
  /** The cache entry the body came from or was stored as. */
  entry?: CacheEntry;
}

const TLS_CODES =
  /CERT|SSL|TLS|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|SELF_SIGNED|DEPTH_ZERO|ERR_TLS|HOSTNAME_MISMATCH|ALTNAME/i;
/** Connections that broke after they were made: a retry can help. (Refused or unreachable: it cannot.) */
const TRANSIENT_CODES = /^(ECONNRESET|EPIPE|ECONNABORTED|UND_ERR_SOCKET|UND_ERR_CLOSED)$/;

/** Error codes and messages of a thrown error and its causes (undici wraps: `fetch failed` → cause.code). */
function errorParts(err: unknown): { codes: string[]; message: string } {
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
  return { codes, message: [...new Set(messages)].join(': ') || String(err) };
}

/** Failure class of a thrown fetch error (undici wraps the cause: `TypeError: fetch failed` → cause.code). */
export function classifyError(err: unknown): FetchFailure {
  const { codes, message } = errorParts(err);
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

/** True for a connection reset or dropped mid-way (retry may help); false for refused, DNS, TLS … */
export function isTransientError(err: unknown): boolean {
  const f = classifyError(err);
  return f.class === 'connect' && errorParts(err).codes.some((c) => TRANSIENT_CODES.test(c));
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) {
      resolve();
      return;
    }
    const done = (): void => {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const t = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
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

type FetchFn = (url: string, init: RequestInit) => Promise<Response>;
let insecureFetch: Promise<FetchFn> | undefined;

/** undici's fetch with an Agent that accepts any certificate (loaded on first use). */
function getInsecureFetch(): Promise<FetchFn> {
  insecureFetch ??= import('undici').then(({ Agent, fetch: undiciFetch }) => {
    const dispatcher = new Agent({ connect: { rejectUnauthorized: false } });
    return (url: string, init: RequestInit) =>
      undiciFetch(url, { ...(init as object), dispatcher } as Parameters<
        typeof undiciFetch
      >[1]) as unknown as Promise<Response>;
  });
  return insecureFetch;
}

async function fetchHop(
  url: string,
  opts: FetchOptions,
  jar: Map<string, string>,
  extraHeaders?: Record<string, string>,
): Promise<HopResult> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  const maxHtmlBytes = opts.maxHtmlBytes ?? DEFAULT_MAX_HTML_BYTES;
  let status: number | null = null;
  let requested = false;
  const fail = (f: FetchFailure, contentType: string | null = null): HopResult => ({
    status,
    contentType,
    location: null,
    bytes: new Uint8Array(0),
    failure: status !== null && f.status === undefined ? { ...f, status } : f,
    requested,
  });
  const aborted = (): HopResult => fail({ class: 'other', message: 'aborted' });
  if (opts.signal?.aborted) return aborted();
  // Politeness first: the per-request timeout starts when the request does.
  const release = opts.gate ? await opts.gate.acquire(url, opts.signal) : () => {};
  if (!release) return aborted();
  try {
    if (opts.signal?.aborted) return aborted();
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = opts.signal ? AbortSignal.any([timeout, opts.signal]) : timeout;
    const failFromError = (err: unknown, contentType: string | null = null): HopResult => {
      if (opts.signal?.aborted) return fail({ class: 'other', message: 'aborted' }, contentType);
      if (timeout.aborted)
        return fail({ class: 'timeout', message: `no complete answer within ${timeoutMs} ms` }, contentType);
      const r = fail(classifyError(err), contentType);
      if (isTransientError(err)) r.transient = true;
      return r;
    };
    let res: Response;
    requested = true;
    try {
      const headers: Record<string, string> = {
        'user-agent': opts.userAgent ?? DEFAULT_USER_AGENT,
        accept: 'text/html,application/xhtml+xml,application/pdf,application/xml;q=0.9,*/*;q=0.8',
        'accept-language': 'th,en;q=0.8',
      };
      if (jar.size) headers.cookie = cookieHeader(jar);
      if (extraHeaders) Object.assign(headers, extraHeaders);
      const doFetch: FetchFn = opts.insecure && url.startsWith('https:') ? await getInsecureFetch() : fetch;
      res = await doFetch(url, { redirect: 'manual', signal, headers });
    } catch (err) {
      return failFromError(err);
    }
    status = res.status;
    storeCookies(res, jar);
    const contentType = res.headers.get('content-type');
    const caching = {
      etag: res.headers.get('etag'),
      lastModified: res.headers.get('last-modified'),
      cacheControl: res.headers.get('cache-control'),
      setCookie: res.headers.has('set-cookie'),
    };
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
      return { status, contentType, location, bytes: new Uint8Array(0), requested, ...caching };
    }
    if (status >= 400) {
      await cancel();
      const r = fail(
        { class: status >= 500 ? 'http-5xx' : 'http-4xx', message: `HTTP ${status}`, status },
        contentType,
      );
      if (RETRY_AFTER_STATUSES.has(status)) {
        const after = parseRetryAfter(res.headers.get('retry-after'));
        if (after !== null) r.retryAfterMs = after;
      }
      return r;
    }
    const declared = Number.parseInt(res.headers.get('content-length') ?? '', 10);
    if (Number.isFinite(declared) && declared > maxBytes) {
      await cancel();
      return fail(
        { class: 'too-large', message: `Content-Length ${declared} > ${maxBytes} bytes` },
        contentType,
      );
    }
    // Streamed and counted: a body over the cap is cut there, never buffered whole.
    const chunks: Uint8Array[] = [];
    let read = 0;
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
    return { status, contentType, location: null, bytes: concat(chunks, read), requested, ...caching };
  } finally {
    release();
  }
}

/**
 * One URL, retried when a retry can help: reset or dropped connections and 429/502/503/504 up to `retries`
 * times, a timeout once; exponential backoff with jitter between tries, or the Retry-After a 429/503 gives
 * (which also pauses the host in the gate).
 */
async function fetchWithRetry(
  url: string,
  opts: FetchOptions,
  jar: Map<string, string>,
  extraHeaders?: Record<string, string>,
): Promise<HopResult> {
  const retries = Math.max(0, opts.retries ?? DEFAULT_RETRIES);
  const base = opts.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS;
  let timeouts = 0;
  for (let attempt = 0; ; attempt++) {
    const r = await fetchHop(url, opts, jar, extraHeaders);
    if (r.requested) {
      const info: RequestInfo = { url, status: r.status, bytes: r.bytes.length };
      if (r.status === 304 && extraHeaders) info.revalidated = true;
      opts.onRequest?.(info);
    }
    if (r.retryAfterMs !== undefined) opts.gate?.pause(url, r.retryAfterMs);
    const cls = r.failure?.class;
    const isTimeout = cls === 'timeout';
    if (isTimeout) timeouts++;
    const retryable =
      r.transient === true ||
      (isTimeout && timeouts <= 1) ||
      (r.status !== null && RETRY_STATUSES.has(r.status) && r.failure !== undefined);
    if (!retryable || attempt >= retries || opts.signal?.aborted) return r;
    if (r.retryAfterMs !== undefined) {
      // The gate holds every request to the host until then; without one, wait here.
      if (!opts.gate) await sleep(r.retryAfterMs, opts.signal);
    } else {
      await sleep(backoffMs(attempt, base), opts.signal);
    }
  }
}

/** The byte cap a body of this answer is held to: HTML has its own, lower one (as in fetchHop). */
function capFor(bytes: Uint8Array, url: string, contentType: string | null, opts: FetchOptions): number {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  const magic = sniffMagic(bytes.subarray(0, 64 * 1024), url, contentType);
  const html = magic === 'html' || (magic === null && baseType(contentType) === 'text/html');
  return html ? Math.min(opts.maxHtmlBytes ?? DEFAULT_MAX_HTML_BYTES, maxBytes) : maxBytes;
}

/**
 * One hop through the cache, when there is one: within the cache's freshMs the stored answer without a
 * request; else a conditional request when the stored answer has validators, whose 304 gives the stored body;
 * a new answer is stored (or, for 404/410, the entry dropped). A stored body that fails its checksum or is
 * over today's caps is not used: the URL is fetched again unconditionally.
 */
async function fetchCached(url: string, opts: FetchOptions, jar: Map<string, string>): Promise<HopResult> {
  const cache = opts.cache;
  if (!cache || opts.signal?.aborted) return fetchWithRetry(url, opts, jar);
  const entry = await cache.lookup(url);
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  const usable =
    entry !== undefined &&
    entry.bytes <= maxBytes &&
    (baseType(entry.contentType) !== 'text/html' ||
      entry.bytes <= (opts.maxHtmlBytes ?? DEFAULT_MAX_HTML_BYTES));
  const body = async (e: CacheEntry): Promise<Uint8Array | undefined> => {
    const b = await cache.readBody(e);
    return b && b.length <= capFor(b, url, e.contentType, opts) ? b : undefined;
  };
  if (entry && usable && cache.isFresh(entry)) {
    const b = entry.status === 200 ? await body(entry) : new Uint8Array(0);
    if (b) {
      cache.stats.fresh++;
      return {
        status: entry.status,
        contentType: entry.contentType,
        location: entry.location,
        bytes: b,
        requested: false,
        fromCache: 'fresh',
        entry,
      };
    }
  }
  const validators = entry && usable ? cache.conditionalHeaders(entry) : {};
  const conditional = entry !== undefined && Object.keys(validators).length > 0;
  let r = await fetchWithRetry(url, opts, jar, conditional ? validators : undefined);
  if (conditional && entry && r.status === 304 && !r.failure) {
    const b = await body(entry);
    if (b) {
      await cache.revalidated(entry, {
        etag: r.etag,
        lastModified: r.lastModified,
        cacheControl: r.cacheControl,
      });
      return {
        ...r,
        status: entry.status,
        contentType: entry.contentType,
        location: null,
        bytes: b,
        fromCache: 'revalidated',
        entry,
      };
    }
    // The stored body went bad meanwhile: ask again, without validators.
    await cache.remove(url);
    r = await fetchWithRetry(url, opts, jar);
  }
  if (r.failure) {
    if (r.status === 404 || r.status === 410) await cache.remove(url);
    return r;
  }
  if (r.status !== null && r.status !== 304) {
    const stored = await cache.store(
      url,
      {
        status: r.status,
        contentType: r.contentType,
        location: r.location,
        etag: r.etag || null,
        lastModified: r.lastModified || null,
        cacheControl: r.cacheControl ?? null,
        setCookie: r.setCookie ?? false,
        body: r.bytes,
      },
      entry,
    );
    if (stored) r.entry = stored;
  }
  return r;
}

/** Spill folders made by this process (one per root), removed when it exits. */
const spillDirs = new Map<string, Promise<string>>();
const madeSpillDirs = new Set<string>();
let exitHook = false;

function spillRunDir(opts: FetchOptions): Promise<string> {
  const cache = opts.cache;
  const root = opts.spillDir ?? cache?.tmpDir ?? tmpdir();
  let p = spillDirs.get(root);
  if (!p) {
    p = (async () => {
      let dir: string;
      if (!opts.spillDir && cache) dir = await cache.makeRunDir();
      else {
        await mkdir(root, { recursive: true });
        dir = await mkdtemp(join(root, 'ita-check-bodies-'));
      }
      madeSpillDirs.add(dir);
      if (!exitHook) {
        exitHook = true;
        process.once('exit', () => {
          for (const d of madeSpillDirs) rmSync(d, { recursive: true, force: true });
        });
      }
      return dir;
    })();
    p.catch(() => spillDirs.delete(root));
    spillDirs.set(root, p);
  }
  return p;
}

/** A body written to this run's spill folder (hard-linked from the cache when it is there); its path. */
async function spillBody(bytes: Uint8Array, sha: string, opts: FetchOptions): Promise<string | undefined> {
  try {
    const path = join(await spillRunDir(opts), sha);
    if (opts.cache) return (await opts.cache.linkBlob(sha, path, bytes)) ? path : undefined;
    await writeAtomic(path, bytes);
    return path;
  } catch {
    return undefined;
  }
}

/**
 * The body of a Resource: `body` when it is in memory, else the file at `bodyPath` (a large document spilled
 * to disk); undefined when there is none or the file cannot be read.
 */
export async function readBody(resource: Resource): Promise<Uint8Array | undefined> {
  if (resource.body) return resource.body;
  if (!resource.bodyPath) return undefined;
  try {
    const buf = await readFile(resource.bodyPath);
    return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  } catch {
    return undefined;
  }
}

/** Remove the bodies this process spilled to disk (done anyway when it exits). Resources keep dangling paths. */
export async function removeSpilledBodies(): Promise<void> {
  const dirs = [...madeSpillDirs];
  madeSpillDirs.clear();
  spillDirs.clear();
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
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
    const r = await fetchCached(current, opts, jar);
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
    if (kind !== 'html' && (opts.cache || opts.spillBytes !== undefined))
      res.sha256 = r.entry?.sha256 ?? sha256Hex(r.bytes);
    if (
      kind !== 'html' &&
      !opts.keepBody &&
      opts.spillBytes !== undefined &&
      r.bytes.length > opts.spillBytes
    ) {
      const path = await spillBody(r.bytes, res.sha256 ?? sha256Hex(r.bytes), opts);
      if (path) res.bodyPath = path;
      else res.body = r.bytes;
    } else if (kind !== 'html' || opts.keepBody) res.body = r.bytes;
    if (kind !== 'html' || opts.parse === false) return res;

    let parsed: ParsedBody;
    try {
      parsed = await parseBody(r, current, opts);
    } catch (err) {
      res.failure = { class: 'other', message: `cannot parse HTML: ${String(err)}` };
      return res;
    }
    if (parsed.charset !== undefined) res.charset = parsed.charset;
    for (const n of parsed.notices) opts.onNotice?.({ url: current, ...n });
    const page = parsed.page;
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
    if (parsed.signals) res.scriptSignals = parsed.signals;
    return withPage(res, page);
  }
}

/** What parsing an HTML body gives: the page, the charset it was decoded with, notices of parts not read. */
interface ParsedBody {
  charset?: string;
  page: ParsedPage;
  notices: { class: FailureClass; message: string }[];
  /** Only for pages that look as if scripts build them (script-signals.ts). */
  signals?: JsSignals;
}

/** Bump when what a parsed page holds changes shape (the code of this folder is part of the key anyway). */
const PARSE_VERSION = '2';

function isParsedBody(x: unknown): x is ParsedBody {
  if (!x || typeof x !== 'object') return false;
  const b = x as Partial<ParsedBody>;
  const p = b.page as Partial<ParsedPage> | undefined;
  return (
    Array.isArray(b.notices) &&
    (b.charset === undefined || typeof b.charset === 'string') &&
    !!p &&
    typeof p.title === 'string' &&
    Array.isArray(p.headings) &&
    Array.isArray(p.links) &&
    typeof p.mainText === 'string' &&
    typeof p.fullText === 'string' &&
    Array.isArray(p.forms) &&
    Array.isArray(p.images)
  );
}

function parseNow(bytes: Uint8Array, contentType: string | null, url: string): ParsedBody {
  const { text, charset } = decodeHtml(bytes, contentType);
  const notices: ParsedBody['notices'] = [];
  const bounded = boundHtml(text);
  if (bounded.flattened) {
    notices.push({
      class: 'too-large',
      message: `HTML nested deeper than ${MAX_HTML_DEPTH} levels: ${bounded.flattened} elements flattened`,
    });
  }
  if (bounded.cut) {
    notices.push({
      class: 'too-large',
      message: `${bounded.elements} HTML elements: only the first ${MAX_HTML_ELEMENTS} read`,
    });
  }
  const page = parseHtml(bounded.html, url);
  // A page that may need a browser: read its script signals now, while the HTML is at hand (render.ts).
  const signals = staticSuspicion(page) ? jsSignals(bounded.html, url) : undefined;
  return { charset, page, notices, ...(signals ? { signals } : {}) };
}

/**
 * Parse an HTML body, or, with a cache, take what parsing the same body (same bytes, URL, content type and
 * parser code) gave before: a warm re-scan does not parse unchanged pages again.
 */
async function parseBody(r: HopResult, url: string, opts: FetchOptions): Promise<ParsedBody> {
  const cache = opts.cache;
  const sha = r.entry?.sha256;
  if (!cache || !sha) return parseNow(r.bytes, r.contentType, url);
  const key = sha256Hex(
    [PARSE_VERSION, sourceVersion(import.meta.url), url, sha, r.contentType ?? ''].join('\u0000'),
  );
  const kept = await cache.getParsed(key, isParsedBody);
  if (kept) return kept as ParsedBody;
  const parsed = parseNow(r.bytes, r.contentType, url);
  cache.putParsed(key, parsed);
  return parsed;
}

/** Elements without content or end tag. */
const VOID_ELEMENTS = new Set([
  'area',
  'base',
  'basefont',
  'bgsound',
  'br',
  'col',
  'embed',
  'frame',
  'hr',
  'image',
  'img',
  'input',
  'keygen',
  'link',
  'meta',
  'param',
  'source',
  'track',
  'wbr',
]);
/** Elements the parser closes by itself (a new <p> or <li> ends the last): they do not nest without end tags. */
const SELF_CLOSING_SIBLINGS = new Set([
  'p',
  'li',
  'dt',
  'dd',
  'option',
  'optgroup',
  'tr',
  'td',
  'th',
  'thead',
  'tbody',
  'tfoot',
  'colgroup',
  'caption',
  'rb',
  'rt',
  'rtc',
  'rp',
  'html',
  'head',
  'body',
]);
/** Elements whose content is text, not tags. */
const RAW_TEXT = new Set(['script', 'style', 'textarea', 'title', 'xmp', 'noembed', 'noframes', 'plaintext']);
/** Browsers stop nesting here too (Chromium's parser attaches deeper elements as siblings at depth 512). */
export const MAX_HTML_DEPTH = 512;
/**
 * Elements of one page parsed at most: the DOM costs ~700 bytes a node (text nodes included), so a 4 MB page of
 * 200 000 links would take ~300 MB to parse. Agency pages have hundreds to a few thousand elements; a long
 * listing (a year of procurement notices in a table) some thousands more.
 */
export const MAX_HTML_ELEMENTS = 30_000;

export interface BoundedHtml {
  html: string;
  /** Start tags dropped for nesting deeper than the limit. */
  flattened: number;
  /** Start tags in the page when it was cut at the element limit (0: not cut). */
  elements: number;
  cut: boolean;
}

/**
 * HTML made safe to parse: elements nested deeper than `maxDepth` levels are dropped (their text kept), since
 * the parser's scope checks make a page nested 100 000 levels deep take minutes and no browser renders more;
 * and the page is cut before its `maxElements`+1-th start tag, since the DOM of a generated page of hundreds
 * of thousands of elements takes hundreds of MB. The depth is estimated from the tags (void elements and those
 * the parser closes by itself aside). The text comes back unchanged when within both limits.
 */
export function boundHtml(
  html: string,
  maxDepth = MAX_HTML_DEPTH,
  maxElements = MAX_HTML_ELEMENTS,
): BoundedHtml {
  const out: BoundedHtml = { html, flattened: 0, elements: 0, cut: false };
  if (html.length < Math.min(maxDepth, maxElements) * 3) return out;
  const tag = /<!--[\s\S]*?(?:-->|$)|<(\/?)([a-zA-Z][^\s/>]*)[^>]*>/g;
  const stack: string[] = [];
  const dropped = new Map<string, number>();
  const cuts: [number, number][] = [];
  let elements = 0;
  let kept = 0;
  let cutAt = -1;
  for (let m = tag.exec(html); m; m = tag.exec(html)) {
    const name = m[2]?.toLowerCase();
    if (!name) continue; // a comment
    const end = m[1] === '/';
    if (!end) elements++;
    const nests =
      !RAW_TEXT.has(name) &&
      !VOID_ELEMENTS.has(name) &&
      !SELF_CLOSING_SIBLINGS.has(name) &&
      !(!end && m[0].endsWith('/>'));
    const flatten = !end && nests && stack.length >= maxDepth;
    if (!end && !flatten && ++kept > maxElements) {
      cutAt = m.index;
      // The rest is only counted, for the notice (start tags, roughly), without building matches.
      for (let i = html.indexOf('<', tag.lastIndex); i >= 0; i = html.indexOf('<', i + 1)) {
        const c = html.charCodeAt(i + 1) | 0x20;
        if (c >= 0x61 && c <= 0x7a) elements++;
      }
      break;
    }
    if (!end && RAW_TEXT.has(name)) {
      const close = new RegExp(`</${name}[\\s>]`, 'ig');
      close.lastIndex = tag.lastIndex;
      const c = close.exec(html);
      tag.lastIndex = c ? c.index : html.length;
      continue;
    }
    if (!nests) continue;
    if (!end) {
      if (flatten) {
        cuts.push([m.index, tag.lastIndex]);
        dropped.set(name, (dropped.get(name) ?? 0) + 1);
        out.flattened++;
      } else stack.push(name);
      continue;
    }
    const extra = dropped.get(name) ?? 0;
    if (extra > 0) {
      cuts.push([m.index, tag.lastIndex]);
      dropped.set(name, extra - 1);
      continue;
    }
    const at = stack.lastIndexOf(name);
    if (at >= 0) stack.length = at;
  }
  if (!cuts.length && cutAt < 0) return out;
  const end = cutAt < 0 ? html.length : cutAt;
  const parts: string[] = [];
  let from = 0;
  for (const [a, b] of cuts) {
    parts.push(html.slice(from, a));
    from = b;
  }
  parts.push(html.slice(from, end));
  out.html = parts.join('');
  if (cutAt >= 0) {
    out.cut = true;
    out.elements = elements;
  }
  return out;
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
