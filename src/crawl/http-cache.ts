// An on-disk HTTP cache shared by runs (and by processes running at once): one small JSON entry per URL
// requested (status, content type, validators, when, sha256 of the body) and the bodies as content-addressed
// blobs. Every file is written to a temporary name and renamed into place, so a reader never sees half a
// file and the last writer wins. Bodies are checked against their sha256 when read; anything unreadable is
// dropped and counted as a miss. Blobs are evicted least recently used first over a size bound.
//
// Layout under the cache dir:
//   entries/<sha256 of the URL>.json   one answer per URL (a 200 with its body, or a redirect)
//   blobs/<sha256 of the body>         the bodies
//   parsed/<key>.json                  what the HTML parser read out of a page (see fetcher.ts)
//   tmp/run-<pid>-<random>/            bodies of one run kept out of memory (see fetcher.ts spillBytes)
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import {
  link,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rename,
  rm,
  stat,
  unlink,
  utimes,
  writeFile,
} from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Default size bound of the blobs: 2 GB. */
export const DEFAULT_CACHE_MAX_BYTES = 2 * 1024 * 1024 * 1024;
/** Eviction goes down to this share of the bound, so it does not run again at the next write. */
const LOW_WATER = 0.9;
/** Temporary files (of a writer that died) older than this are removed by prune. */
const STALE_TMP_MS = 60 * 60 * 1000;
/** Run folders of spilled bodies older than this (their process died) are removed by prune. */
const STALE_RUN_MS = 24 * 60 * 60 * 1000;
const ENTRY_VERSION = 1;

/** `$XDG_CACHE_HOME/ita-check`, else `~/.cache/ita-check`. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_CACHE_HOME;
  return join(xdg && isAbsolute(xdg) ? xdg : join(homedir(), '.cache'), 'ita-check');
}

export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

const sourceVersions = new Map<string, string>();

/**
 * A hash of the code in the folder of a module (its .ts/.js files): part of the keys of derived data (parsed
 * pages, extracted texts), so that changing the code that derives it never serves what older code derived.
 */
export function sourceVersion(moduleUrl: string): string {
  const dir = dirname(fileURLToPath(moduleUrl));
  let v = sourceVersions.get(dir);
  if (v === undefined) {
    const h = createHash('sha256');
    try {
      for (const name of readdirSync(dir).sort()) {
        if (!/\.(ts|js|mjs)$/.test(name)) continue;
        h.update(name);
        h.update(readFileSync(join(dir, name)));
      }
    } catch {
      // unreadable: the version then only depends on what was read
    }
    v = h.digest('hex').slice(0, 16);
    sourceVersions.set(dir, v);
  }
  return v;
}

/** One stored answer for one URL (the URL requested at one hop: redirects are followed hop by hop). */
export interface CacheEntry {
  v: number;
  /** The URL requested (normalised). */
  url: string;
  /** 200, or a redirect status (then `location` is set and there is no body). */
  status: number;
  /** Where the answer leads: `url` itself for a 200, the Location (as sent) for a redirect. */
  finalUrl: string;
  location: string | null;
  contentType: string | null;
  etag: string | null;
  lastModified: string | null;
  /** When the body was fetched (ISO). */
  fetchedAt: string;
  /** When the server last confirmed it (fetch or 304; ISO). */
  validatedAt: string;
  /** sha256 of the body (blobs/<sha256>); null for a redirect. */
  sha256: string | null;
  bytes: number;
  /** Cache-Control no-cache / must-revalidate / max-age=0: always asked again, even within freshMs. */
  noCache?: boolean;
}

export interface HttpCacheOptions {
  /** Bound on the blobs, bytes; least recently used blobs are evicted over it. Default 2 GB. */
  maxBytes?: number;
  /**
   * Answers confirmed less than this long ago (ms) are used without asking the server at all. Default 0:
   * every cached URL is revalidated (If-None-Match / If-Modified-Since), so a re-scan sees every change.
   */
  freshMs?: number;
}

export interface HttpCacheStats {
  /** Used without a request (within freshMs). */
  fresh: number;
  /** Answered 304 Not Modified: the stored body was used. */
  revalidated: number;
  /** Answers written (new URLs and changed ones). */
  stored: number;
  /** Of those, URLs that had an entry with another body (changed since). */
  changed: number;
  /** Entries or blobs found unreadable and removed. */
  corrupt: number;
  /** Blobs evicted for the size bound. */
  evicted: number;
  /** Writes that failed (disk full, read-only …); the cache is then only less useful. */
  errors: number;
}

/** What the fetcher hands over for storing. */
export interface StoredResponse {
  status: number;
  contentType: string | null;
  location?: string | null;
  etag?: string | null;
  lastModified?: string | null;
  cacheControl?: string | null;
  /** The answer set cookies: a redirect that does is not stored (it may depend on them). */
  setCookie?: boolean;
  body?: Uint8Array;
}

/** Directives of a Cache-Control header, lower-case. */
export function cacheDirectives(value: string | null | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (value ?? '').split(',')) {
    const [k, v] = part.split('=', 2);
    const key = k?.trim().toLowerCase();
    if (key) out.set(key, (v ?? '').trim().replace(/^"|"$/g, ''));
  }
  return out;
}

function isEntry(x: unknown, url: string): x is CacheEntry {
  if (!x || typeof x !== 'object') return false;
  const e = x as Record<string, unknown>;
  const strOrNull = (v: unknown): boolean => v === null || typeof v === 'string';
  return (
    e.v === ENTRY_VERSION &&
    e.url === url &&
    typeof e.status === 'number' &&
    typeof e.finalUrl === 'string' &&
    strOrNull(e.location) &&
    strOrNull(e.contentType) &&
    strOrNull(e.etag) &&
    strOrNull(e.lastModified) &&
    typeof e.fetchedAt === 'string' &&
    typeof e.validatedAt === 'string' &&
    (e.sha256 === null || (typeof e.sha256 === 'string' && /^[0-9a-f]{64}$/.test(e.sha256))) &&
    typeof e.bytes === 'number' &&
    (e.status === 200 ? e.sha256 !== null : typeof e.location === 'string')
  );
}

function tmpName(path: string): string {
  return `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
}

/** Write a file whole or not at all: to a temporary name beside it, then renamed over it. */
export async function writeAtomic(path: string, data: Uint8Array | string): Promise<void> {
  const tmp = tmpName(path);
  try {
    await writeFile(tmp, data);
    await rename(tmp, path);
  } catch (err) {
    await unlink(tmp).catch(() => {});
    throw err;
  }
}

/** Set a file's times to now (least-recently-used order); false when it is gone. */
async function touch(path: string): Promise<boolean> {
  const now = new Date();
  try {
    await utimes(path, now, now);
    return true;
  } catch {
    return false;
  }
}

/**
 * Remove files of `dir` least recently used (mtime) first until their total is at most `maxBytes` × 0.9,
 * when it is over `maxBytes`; leftover temporary files of dead writers are removed too. Returns the files
 * removed and the bytes left.
 */
export async function pruneDir(
  dir: string,
  maxBytes: number,
  now = Date.now(),
): Promise<{ removed: number; bytes: number }> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return { removed: 0, bytes: 0 };
  }
  const files: { path: string; size: number; mtime: number }[] = [];
  let total = 0;
  let removed = 0;
  for (const name of names) {
    const path = join(dir, name);
    try {
      const st = await stat(path);
      if (!st.isFile()) continue;
      if (name.endsWith('.tmp')) {
        if (now - st.mtimeMs > STALE_TMP_MS) await unlink(path).catch(() => {});
        continue;
      }
      files.push({ path, size: st.size, mtime: st.mtimeMs });
      total += st.size;
    } catch {
      // removed meanwhile (another process)
    }
  }
  if (total <= maxBytes) return { removed, bytes: total };
  files.sort((a, b) => a.mtime - b.mtime);
  const target = maxBytes * LOW_WATER;
  for (const f of files) {
    if (total <= target) break;
    try {
      await unlink(f.path);
      removed++;
    } catch {
      // gone already
    }
    total -= f.size;
  }
  return { removed, bytes: total };
}

/**
 * The revalidating HTTP cache (see the top of this file). Never throws on a bad or missing file: reads give
 * undefined, writes count an error. Give it to fetchResource/crawlSite as `cache`.
 */
export class HttpCache {
  readonly dir: string;
  readonly maxBytes: number;
  readonly freshMs: number;
  readonly stats: HttpCacheStats = {
    fresh: 0,
    revalidated: 0,
    stored: 0,
    changed: 0,
    corrupt: 0,
    evicted: 0,
    errors: 0,
  };
  private ready: Promise<void> | undefined;
  /** Blob bytes as last counted plus those written since (undefined: not counted yet). */
  private blobBytes: number | undefined;
  private parsedBytes: number | undefined;
  private pruning: Promise<void> | undefined;
  /** Writes not waited for (see flush). */
  private readonly pending = new Set<Promise<unknown>>();

  constructor(dir: string = defaultCacheDir(), opts: HttpCacheOptions = {}) {
    this.dir = dir;
    this.maxBytes = Math.max(0, opts.maxBytes ?? DEFAULT_CACHE_MAX_BYTES);
    this.freshMs = Math.max(0, opts.freshMs ?? 0);
  }

  get entriesDir(): string {
    return join(this.dir, 'entries');
  }

  get blobsDir(): string {
    return join(this.dir, 'blobs');
  }

  get parsedDir(): string {
    return join(this.dir, 'parsed');
  }

  /** Bound on the parsed pages: an eighth of maxBytes. */
  private get parsedMaxBytes(): number {
    return this.maxBytes / 8;
  }

  /** Where runs keep bodies out of memory (same file system as the blobs: hard links work). */
  get tmpDir(): string {
    return join(this.dir, 'tmp');
  }

  blobPath(sha: string): string {
    return join(this.blobsDir, sha);
  }

  entryPath(url: string): string {
    return join(this.entriesDir, `${sha256Hex(url)}.json`);
  }

  private init(): Promise<void> {
    this.ready ??= (async () => {
      await mkdir(this.entriesDir, { recursive: true });
      await mkdir(this.blobsDir, { recursive: true });
      await mkdir(this.parsedDir, { recursive: true });
      await mkdir(this.tmpDir, { recursive: true });
    })();
    return this.ready;
  }

  /**
   * The stored answer for a URL, when it is whole: a valid entry whose blob (for a 200) exists. A corrupt
   * entry, or one whose blob was evicted, is removed and gives undefined.
   */
  async lookup(url: string): Promise<CacheEntry | undefined> {
    const path = this.entryPath(url);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch {
      return undefined;
    }
    let entry: unknown;
    try {
      entry = JSON.parse(text);
    } catch {
      entry = undefined;
    }
    if (!isEntry(entry, url)) {
      this.stats.corrupt++;
      await unlink(path).catch(() => {});
      return undefined;
    }
    if (entry.sha256 !== null) {
      try {
        const st = await stat(this.blobPath(entry.sha256));
        if (st.size !== entry.bytes) throw new Error('size');
      } catch {
        // Evicted (or replaced by garbage): the entry is of no use without its body.
        await this.removeIfSame(path, text);
        return undefined;
      }
    }
    return entry;
  }

  /** True when the entry may be used without asking the server (within freshMs). */
  isFresh(entry: CacheEntry, now = Date.now()): boolean {
    if (this.freshMs <= 0 || entry.noCache) return false;
    const at = Date.parse(entry.validatedAt);
    return Number.isFinite(at) && now - at >= 0 && now - at < this.freshMs;
  }

  /** Validators to send for an entry (empty when it has none). */
  conditionalHeaders(entry: CacheEntry): Record<string, string> {
    const h: Record<string, string> = {};
    if (entry.status !== 200) return h;
    if (entry.etag) h['if-none-match'] = entry.etag;
    if (entry.lastModified) h['if-modified-since'] = entry.lastModified;
    return h;
  }

  /** The body of an entry, checked against its sha256; a damaged blob is removed (with the entry). */
  async readBody(entry: CacheEntry): Promise<Uint8Array | undefined> {
    if (entry.sha256 === null) return new Uint8Array(0);
    const path = this.blobPath(entry.sha256);
    let buf: Buffer;
    try {
      buf = await readFile(path);
    } catch {
      return undefined;
    }
    const bytes = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
    if (sha256Hex(bytes) !== entry.sha256) {
      this.stats.corrupt++;
      await unlink(path).catch(() => {});
      await unlink(this.entryPath(entry.url)).catch(() => {});
      return undefined;
    }
    this.later(touch(path));
    return bytes;
  }

  /** Run a write without waiting for it (flush waits for all of them). */
  private later(p: Promise<unknown>): void {
    const q = p.catch(() => {
      this.stats.errors++;
    });
    this.pending.add(q);
    void q.finally(() => this.pending.delete(q));
  }

  /** Wait for the writes started without waiting (touches, revalidations, parsed pages). */
  async flush(): Promise<void> {
    while (this.pending.size) await Promise.all([...this.pending]);
  }

  /** What was stored under a key with putParsed (parsed JSON), or undefined; unreadable files are removed. */
  async getParsed(key: string, valid: (x: unknown) => boolean): Promise<unknown> {
    const path = join(this.parsedDir, `${key}.json`);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch {
      return undefined;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      value = undefined;
    }
    if (!valid(value)) {
      this.stats.corrupt++;
      await unlink(path).catch(() => {});
      return undefined;
    }
    this.later(touch(path));
    return value;
  }

  /** Keep a value derived from a body (a parsed page) under a key; written without waiting. */
  putParsed(key: string, value: unknown): void {
    // Serialised now: what is kept is the value as given, whatever happens to the object later.
    const data = JSON.stringify(value);
    this.later(
      (async () => {
        await this.init();
        await writeAtomic(join(this.parsedDir, `${key}.json`), data);
        if (this.parsedBytes !== undefined) this.parsedBytes += data.length;
        if (this.parsedBytes === undefined || this.parsedBytes > this.parsedMaxBytes) await this.prune();
      })(),
    );
  }

  /**
   * Store an answer: a 200 with its body, or a redirect. Not stored (and any older entry removed): other
   * statuses, `Cache-Control: no-store`, redirects that set cookies. Returns the entry written, if any.
   */
  async store(url: string, res: StoredResponse, known?: CacheEntry): Promise<CacheEntry | undefined> {
    const cc = cacheDirectives(res.cacheControl);
    const redirect = res.status >= 300 && res.status < 400 && typeof res.location === 'string';
    if (cc.has('no-store') || !(res.status === 200 || redirect) || (redirect && res.setCookie)) {
      await this.remove(url);
      return undefined;
    }
    try {
      await this.init();
      const now = new Date().toISOString();
      let sha: string | null = null;
      let bytes = 0;
      if (!redirect) {
        const body = res.body ?? new Uint8Array(0);
        sha = sha256Hex(body);
        bytes = body.length;
        await this.putBlob(sha, body);
      }
      const maxAge = cc.get('max-age');
      const entry: CacheEntry = {
        v: ENTRY_VERSION,
        url,
        status: res.status,
        finalUrl: redirect ? (res.location as string) : url,
        location: redirect ? (res.location as string) : null,
        contentType: res.contentType,
        etag: res.etag ?? null,
        lastModified: res.lastModified ?? null,
        fetchedAt: now,
        validatedAt: now,
        sha256: sha,
        bytes,
      };
      if (cc.has('no-cache') || cc.has('must-revalidate') || maxAge === '0') entry.noCache = true;
      await writeAtomic(this.entryPath(url), JSON.stringify(entry));
      this.stats.stored++;
      if (known && known.sha256 !== sha) this.stats.changed++;
      return entry;
    } catch {
      this.stats.errors++;
      return undefined;
    }
  }

  /** A 304 confirmed the entry: note when (and any new validators the server sent). */
  async revalidated(
    entry: CacheEntry,
    update: { etag?: string | null; lastModified?: string | null; cacheControl?: string | null } = {},
  ): Promise<void> {
    this.stats.revalidated++;
    const next: CacheEntry = { ...entry, validatedAt: new Date().toISOString() };
    if (update.etag) next.etag = update.etag;
    if (update.lastModified) next.lastModified = update.lastModified;
    if (update.cacheControl !== undefined && update.cacheControl !== null) {
      const cc = cacheDirectives(update.cacheControl);
      if (cc.has('no-store')) {
        await this.remove(entry.url);
        return;
      }
      if (cc.has('no-cache') || cc.has('must-revalidate') || cc.get('max-age') === '0') next.noCache = true;
      else delete next.noCache;
    }
    // Not waited for: only a later run within freshMs needs to know.
    this.later(this.init().then(() => writeAtomic(this.entryPath(entry.url), JSON.stringify(next))));
  }

  /** Forget a URL (its blob stays until evicted: other URLs may share it). */
  async remove(url: string): Promise<void> {
    await unlink(this.entryPath(url)).catch(() => {});
  }

  /**
   * A file at `dest` with the body of blob `sha`: a hard link (no copy, and it outlives the blob's
   * eviction), else a copy of `bytes`. False when neither worked.
   */
  async linkBlob(sha: string, dest: string, bytes: Uint8Array): Promise<boolean> {
    try {
      await link(this.blobPath(sha), dest);
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') return true;
    }
    try {
      await writeAtomic(dest, bytes);
      return true;
    } catch {
      return false;
    }
  }

  /** Remove least recently used blobs while over the bound (and stale leftovers of dead processes). */
  prune(): Promise<void> {
    this.pruning ??= (async () => {
      try {
        const r = await pruneDir(this.blobsDir, this.maxBytes);
        this.stats.evicted += r.removed;
        this.blobBytes = r.bytes;
        const p = await pruneDir(this.parsedDir, this.parsedMaxBytes);
        this.parsedBytes = p.bytes;
        await pruneDir(this.entriesDir, Number.POSITIVE_INFINITY);
        await this.pruneRuns();
      } finally {
        this.pruning = undefined;
      }
    })();
    return this.pruning;
  }

  /** Current size of the blobs, bytes (counted from the disk). */
  async size(): Promise<number> {
    const r = await pruneDir(this.blobsDir, Number.POSITIVE_INFINITY);
    return r.bytes;
  }

  /** Make a folder for one run's spilled bodies under tmp/ (removed by the caller, or by prune a day later). */
  async makeRunDir(): Promise<string> {
    await this.init();
    return mkdtemp(join(this.tmpDir, `run-${process.pid}-`));
  }

  private async pruneRuns(now = Date.now()): Promise<void> {
    let names: string[];
    try {
      names = await readdir(this.tmpDir);
    } catch {
      return;
    }
    for (const name of names) {
      if (!name.startsWith('run-')) continue;
      const path = join(this.tmpDir, name);
      try {
        const st = await stat(path);
        if (now - st.mtimeMs > STALE_RUN_MS) await rm(path, { recursive: true, force: true });
      } catch {
        // removed meanwhile
      }
    }
  }

  private async putBlob(sha: string, body: Uint8Array): Promise<void> {
    const path = this.blobPath(sha);
    try {
      const st = await stat(path);
      if (st.size === body.length) {
        await touch(path);
        return;
      }
    } catch {
      // not there yet
    }
    await writeAtomic(path, body);
    if (this.blobBytes === undefined) {
      await this.prune();
    } else {
      this.blobBytes += body.length;
      if (this.blobBytes > this.maxBytes) await this.prune();
    }
  }

  /** Remove an entry file unless another writer replaced it since it was read. */
  private async removeIfSame(path: string, text: string): Promise<void> {
    try {
      if ((await readFile(path, 'utf8')) === text) await unlink(path);
    } catch {
      // gone already
    }
  }
}
