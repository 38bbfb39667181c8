// Extracted document text kept on disk between runs, keyed by the document's sha256, its kind, whether OCR
// was on, the extraction options and the extractor version: a re-scan of an unchanged document never parses
// it again, and a changed one (other bytes, other sha256) never gets the old text. Files are written whole
// (temporary name, then rename), so processes may share the folder; an unreadable file is removed and
// counts as a miss. Least recently used files are evicted over a size bound.
import { createHash } from 'node:crypto';
import { mkdir, readFile, unlink, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { pruneDir, sourceVersion, writeAtomic } from '../crawl/http-cache.js';
import type { DocumentText, ResourceKind } from '../types.js';
import { VERSION } from '../version.js';

/**
 * Bump when extraction changes what it returns for the same bytes without a change to the code of this
 * folder (an upgrade of pdfjs-dist or fflate, Tesseract's data): texts stored by another version are then never
 * used. The package version and a hash of this folder's code are part of the key as well, so a release, or an
 * edit of pdf.ts, office.ts, ocr.ts, thai-text.ts …, never reads texts older code extracted.
 */
export const EXTRACTOR_VERSION = '1';

/** Default size bound of the stored texts: 256 MB. */
export const DEFAULT_TEXT_CACHE_MAX_BYTES = 256 * 1024 * 1024;

export interface TextCacheOptions {
  /** Bound on the stored texts, bytes; least recently used are evicted over it. Default 256 MB. */
  maxBytes?: number;
  /** Extractor version (default: EXTRACTOR_VERSION, the package version, a hash of the extract code); for tests. */
  version?: string;
}

export interface TextCacheStats {
  hits: number;
  misses: number;
  stored: number;
  corrupt: number;
  evicted: number;
  errors: number;
}

/** Options that change what extraction returns, as a stable string (paths, binaries, environment left out). */
export function extractionOptionsKey(opts: object): string {
  const skip = new Set(['env', 'bins', 'tmpDir', 'ocr', 'pdfWorkers']);
  const norm = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(norm);
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(v).sort()) {
        const x = (v as Record<string, unknown>)[k];
        if (skip.has(k) || x === undefined || typeof x === 'function') continue;
        out[k] = norm(x);
      }
      return out;
    }
    return v;
  };
  return JSON.stringify(norm(opts));
}

function isDocumentText(x: unknown, kind: ResourceKind): x is DocumentText {
  if (!x || typeof x !== 'object') return false;
  const d = x as Record<string, unknown>;
  return (
    d.kind === kind &&
    Array.isArray(d.parts) &&
    d.parts.every(
      (p: unknown) =>
        !!p &&
        typeof p === 'object' &&
        typeof (p as Record<string, unknown>).label === 'string' &&
        typeof (p as Record<string, unknown>).text === 'string',
    )
  );
}

/**
 * Whether a text may be kept for later runs: not a timeout (another try may finish), and with OCR on, not a
 * scan or image that OCR did not read (Tesseract may be missing now and installed later).
 */
export function worthKeeping(doc: DocumentText, ocr: boolean): boolean {
  if (doc.error?.code === 'timeout') return false;
  if (ocr && !doc.ocr && (doc.scanned || doc.kind === 'image')) return false;
  return true;
}

interface Stored {
  key: string;
  doc: DocumentText;
}

/** The on-disk text cache: `<dir>/text/<key>.json` (give it the same dir as the HttpCache). */
export class TextCache {
  readonly dir: string;
  readonly maxBytes: number;
  readonly version: string;
  readonly stats: TextCacheStats = { hits: 0, misses: 0, stored: 0, corrupt: 0, evicted: 0, errors: 0 };
  private ready: Promise<unknown> | undefined;
  private bytes: number | undefined;
  private pruning: Promise<void> | undefined;

  constructor(cacheDir: string, opts: TextCacheOptions = {}) {
    this.dir = join(cacheDir, 'text');
    this.maxBytes = Math.max(0, opts.maxBytes ?? DEFAULT_TEXT_CACHE_MAX_BYTES);
    this.version = opts.version ?? `${EXTRACTOR_VERSION}+${VERSION}+${sourceVersion(import.meta.url)}`;
  }

  /** The key of a document's text: its sha256, kind, OCR on or off, the options and the extractor version. */
  key(sha256: string, kind: ResourceKind, ocr: boolean, optionsKey = ''): string {
    const rest = createHash('sha256').update(`${this.version}\u0000${optionsKey}`).digest('hex').slice(0, 16);
    return `${sha256}.${kind}.${ocr ? 'ocr' : 'text'}.${rest}`;
  }

  private path(key: string): string {
    return join(this.dir, `${key}.json`);
  }

  async get(
    sha256: string,
    kind: ResourceKind,
    ocr: boolean,
    optionsKey = '',
  ): Promise<DocumentText | undefined> {
    const key = this.key(sha256, kind, ocr, optionsKey);
    const path = this.path(key);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch {
      this.stats.misses++;
      return undefined;
    }
    let stored: Stored | undefined;
    try {
      stored = JSON.parse(text) as Stored;
    } catch {
      stored = undefined;
    }
    if (!stored || stored.key !== key || !isDocumentText(stored.doc, kind)) {
      this.stats.corrupt++;
      this.stats.misses++;
      await unlink(path).catch(() => {});
      return undefined;
    }
    this.stats.hits++;
    const now = new Date();
    await utimes(path, now, now).catch(() => {});
    return stored.doc;
  }

  /** Keep a text (unless worthKeeping says not); never throws. */
  async put(
    sha256: string,
    kind: ResourceKind,
    ocr: boolean,
    optionsKey: string,
    doc: DocumentText,
  ): Promise<void> {
    if (!worthKeeping(doc, ocr)) return;
    const key = this.key(sha256, kind, ocr, optionsKey);
    try {
      this.ready ??= mkdir(this.dir, { recursive: true });
      await this.ready;
      const data = JSON.stringify({ key, doc } satisfies Stored);
      await writeAtomic(this.path(key), data);
      this.stats.stored++;
      if (this.bytes === undefined) await this.prune();
      else {
        this.bytes += Buffer.byteLength(data);
        if (this.bytes > this.maxBytes) await this.prune();
      }
    } catch {
      this.stats.errors++;
    }
  }

  /** Evict least recently used texts while over the bound. */
  prune(): Promise<void> {
    this.pruning ??= (async () => {
      try {
        const r = await pruneDir(this.dir, this.maxBytes);
        this.stats.evicted += r.removed;
        this.bytes = r.bytes;
      } finally {
        this.pruning = undefined;
      }
    })();
    return this.pruning;
  }
}
