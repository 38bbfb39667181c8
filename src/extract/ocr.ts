// OCR for scanned PDFs and image evidence, with the system's Tesseract (tesseract-ocr +
// tesseract-ocr-tha) and poppler's pdftoppm. No npm dependency: the binaries are run with execFile
// (no shell), each with a timeout, at most OCR_CONCURRENCY at a time across the whole process.
//
// A PDF is rasterised page by page (pdftoppm -r <dpi> -png), each page image is read by
// `tesseract <png> stdout -l tha+eng --psm 3`, and each page's text goes through normalizeThai.
// Everything happens in a private temp dir that is removed on every path. Never throws.

import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DocumentText } from '../types.js';
import { normalizeThai } from './thai-text.js';

/** Paths (or names looked up on PATH) of the binaries. For tests and unusual installs. */
export interface OcrBinaries {
  tesseract?: string;
  pdftoppm?: string;
}

export interface OcrOptions {
  /** Pages rasterised and read at most. Default 10. */
  maxPages?: number;
  /** Rasterisation resolution. Default 200. */
  dpi?: number;
  /** Whole-document time budget (all pages); past it, error 'timeout'. Default 60 s. */
  timeoutMs?: number;
  /** Tesseract languages. Default 'tha+eng'. */
  langs?: string;
  bins?: OcrBinaries;
  /** Environment for the child processes (default: process.env). For tests. */
  env?: NodeJS.ProcessEnv;
}

export const OCR_DEFAULTS = { maxPages: 10, dpi: 200, timeoutMs: 60_000, langs: 'tha+eng' } as const;

/** Tesseract processes (and pdftoppm runs) at most at once, process-wide: the target has 2 cores. */
export const OCR_CONCURRENCY = 2;

/** Timeout of the availability probes. */
const PROBE_TIMEOUT_MS = 10_000;
/** stdout/stderr cap for a child (tesseract text of one page is a few kB). */
const MAX_BUFFER = 16 * 1024 * 1024;

export type OcrAvailability = { ok: true } | { ok: false; reason: string };

export type ImageExt = 'png' | 'jpg' | 'jpeg' | 'gif' | 'webp' | 'tif' | 'tiff' | 'bmp';

// ---------------------------------------------------------------------------------------------
// Child processes

interface RunResult {
  stdout: string;
  stderr: string;
}

class RunError extends Error {
  constructor(
    message: string,
    readonly timedOut: boolean,
    readonly missing: boolean,
  ) {
    super(message);
  }
}

function run(
  file: string,
  args: string[],
  timeoutMs: number,
  env: NodeJS.ProcessEnv | undefined,
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    execFile(
      file,
      args,
      {
        timeout: Math.max(1, Math.floor(timeoutMs)),
        killSignal: 'SIGKILL',
        maxBuffer: MAX_BUFFER,
        encoding: 'utf8',
        windowsHide: true,
        // Tesseract's OpenMP threads fight each other when two pages run at once on 2 cores.
        env: { ...(env ?? process.env), OMP_THREAD_LIMIT: '1' },
      },
      (err, stdout, stderr) => {
        if (!err) {
          resolve({ stdout, stderr });
          return;
        }
        const e = err as NodeJS.ErrnoException & { killed?: boolean; signal?: string | null };
        const timedOut = Boolean(e.killed) && e.signal === 'SIGKILL';
        const missing = e.code === 'ENOENT';
        const detail = (stderr || '').trim().split('\n').slice(-2).join(' ').slice(0, 300);
        const msg = timedOut
          ? `${file} did not finish within ${Math.round(timeoutMs)} ms`
          : missing
            ? `${file} not found`
            : `${file} failed: ${detail || e.message}`;
        reject(new RunError(msg, timedOut, missing));
      },
    );
  });
}

/** A process-wide limit on concurrent OCR children. */
let active = 0;
const waiting: (() => void)[] = [];
async function limited<T>(fn: () => Promise<T>): Promise<T> {
  if (active >= OCR_CONCURRENCY) await new Promise<void>((r) => waiting.push(r));
  else active++;
  try {
    return await fn();
  } finally {
    const next = waiting.shift();
    if (next) next();
    else active--;
  }
}

// ---------------------------------------------------------------------------------------------
// Availability

const availabilityMemo = new Map<string, Promise<OcrAvailability>>();

/**
 * Whether OCR can run: `tesseract --version` works, every language of `langs` (default tha+eng)
 * is listed by `tesseract --list-langs`, and `pdftoppm -v` works. Memoised per binaries/langs/PATH.
 */
export function ocrAvailable(
  opts: { bins?: OcrBinaries; langs?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<OcrAvailability> {
  const tesseract = opts.bins?.tesseract ?? 'tesseract';
  const pdftoppm = opts.bins?.pdftoppm ?? 'pdftoppm';
  const langs = opts.langs ?? OCR_DEFAULTS.langs;
  const env = opts.env ?? process.env;
  const key = JSON.stringify([tesseract, pdftoppm, langs, env.PATH ?? '']);
  let p = availabilityMemo.get(key);
  if (!p) {
    p = probe(tesseract, pdftoppm, langs, env);
    availabilityMemo.set(key, p);
  }
  return p;
}

async function probe(
  tesseract: string,
  pdftoppm: string,
  langs: string,
  env: NodeJS.ProcessEnv,
): Promise<OcrAvailability> {
  try {
    await run(tesseract, ['--version'], PROBE_TIMEOUT_MS, env);
  } catch (err) {
    return { ok: false, reason: `tesseract is not usable (${msgOf(err)}): install tesseract-ocr` };
  }
  let listed: Set<string>;
  try {
    // Tesseract 4 prints the list on stderr, 5 on stdout.
    const { stdout, stderr } = await run(tesseract, ['--list-langs'], PROBE_TIMEOUT_MS, env);
    listed = new Set(
      `${stdout}\n${stderr}`
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l && !/\s/.test(l)),
    );
  } catch (err) {
    return { ok: false, reason: `tesseract --list-langs failed (${msgOf(err)})` };
  }
  const missing = langs.split('+').filter((l) => l && !listed.has(l));
  if (missing.length > 0) {
    const pkgs = missing.map((l) => `tesseract-ocr-${l}`).join(', ');
    return { ok: false, reason: `tesseract has no ${missing.join('+')} language data: install ${pkgs}` };
  }
  try {
    await run(pdftoppm, ['-v'], PROBE_TIMEOUT_MS, env);
  } catch (err) {
    return { ok: false, reason: `pdftoppm is not usable (${msgOf(err)}): install poppler-utils` };
  }
  return { ok: true };
}

/** Forget memoised availability (tests). */
export function resetOcrAvailability(): void {
  availabilityMemo.clear();
}

// ---------------------------------------------------------------------------------------------
// OCR

type ErrorCode = 'unsupported' | 'timeout';

/** Recognise one page image: normalised text, or throws RunError. */
async function tesseractPage(
  image: string,
  langs: string,
  deadline: number,
  opts: OcrOptions,
): Promise<string> {
  return limited(async () => {
    const left = deadline - Date.now();
    if (left <= 0) throw new RunError('OCR time budget used up', true, false);
    const { stdout } = await run(
      opts.bins?.tesseract ?? 'tesseract',
      [image, 'stdout', '-l', langs, '--psm', '3'],
      left,
      opts.env,
    );
    return cleanOcrText(stdout);
  });
}

/**
 * Tesseract's text → normalised lines: form feeds and blank lines dropped, each line through
 * normalizeThai.
 */
export function cleanOcrText(raw: string): string {
  return raw
    .replace(/\f/g, '\n')
    .split('\n')
    .map((l) => normalizeThai(l))
    .filter((l) => l !== '')
    .join('\n');
}

/**
 * Text of a scanned PDF by OCR: one part per page (at most `maxPages`), `ocr: true`. Failures come
 * back as `error` ('unsupported': tools missing or the PDF cannot be rasterised; 'timeout': the
 * budget ran out — pages read so far are kept). Never throws.
 */
export async function ocrPdf(bytes: Uint8Array, opts: OcrOptions = {}): Promise<DocumentText> {
  const maxPages = Math.max(1, Math.floor(opts.maxPages ?? OCR_DEFAULTS.maxPages));
  const dpi = Math.max(36, Math.floor(opts.dpi ?? OCR_DEFAULTS.dpi));
  const timeoutMs = opts.timeoutMs ?? OCR_DEFAULTS.timeoutMs;
  const langs = opts.langs ?? OCR_DEFAULTS.langs;
  const deadline = Date.now() + timeoutMs;
  const out: DocumentText = { kind: 'pdf', parts: [], ocr: true };
  if (bytes.byteLength === 0) return fail(out, 'unsupported', 'empty file');

  let dir: string | undefined;
  try {
    dir = await mkdtemp(join(tmpdir(), 'ita-ocr-'));
    const input = join(dir, 'in.pdf');
    await writeFile(input, bytes);
    try {
      await limited(() =>
        run(
          opts.bins?.pdftoppm ?? 'pdftoppm',
          ['-q', '-r', String(dpi), '-png', '-l', String(maxPages), input, join(dir!, 'page')],
          deadline - Date.now(),
          opts.env,
        ),
      );
    } catch (err) {
      // pdftoppm exits non-zero on damaged files even when it rendered some pages: use those.
      if (err instanceof RunError && err.timedOut) return fail(out, 'timeout', timeoutMessage(timeoutMs));
      const pages = await pageImages(dir);
      if (pages.length === 0) return fail(out, 'unsupported', `PDF could not be rasterised: ${msgOf(err)}`);
    }
    const pages = await pageImages(dir);
    if (pages.length === 0) return fail(out, 'unsupported', 'PDF has no pages to rasterise');

    // Pages in parallel (bounded by the process-wide limit), kept in page order.
    const texts: (string | undefined)[] = new Array(pages.length);
    let firstError: RunError | undefined;
    await Promise.all(
      pages.map(async ({ file }, i) => {
        try {
          texts[i] = await tesseractPage(join(dir!, file), langs, deadline, opts);
        } catch (err) {
          const e = err instanceof RunError ? err : new RunError(msgOf(err), false, false);
          firstError ??= e;
        }
      }),
    );
    pages.forEach(({ page }, i) => {
      const text = texts[i];
      if (text !== undefined) out.parts.push({ label: String(page), page, text });
    });
    if (firstError) {
      if (firstError.timedOut) return fail(out, 'timeout', timeoutMessage(timeoutMs));
      const read = out.parts.length;
      return fail(out, 'unsupported', `OCR failed on ${pages.length - read} of ${pages.length} pages: ${firstError.message}`);
    }
    return out;
  } catch (err) {
    return fail(out, 'unsupported', `OCR failed: ${msgOf(err)}`);
  } finally {
    if (dir) await rm(dir, { recursive: true, force: true }).catch(() => undefined);
  }
}

/**
 * Text of an image (screenshot, scanned page as JPEG/PNG …) by OCR: one part labelled 'image',
 * `ocr: true`. Never throws.
 */
export async function ocrImage(bytes: Uint8Array, ext: ImageExt | string, opts: OcrOptions = {}): Promise<DocumentText> {
  const timeoutMs = opts.timeoutMs ?? OCR_DEFAULTS.timeoutMs;
  const langs = opts.langs ?? OCR_DEFAULTS.langs;
  const deadline = Date.now() + timeoutMs;
  const out: DocumentText = { kind: 'image', parts: [], ocr: true };
  if (bytes.byteLength === 0) return fail(out, 'unsupported', 'empty file');
  const safeExt = /^[a-z0-9]{1,5}$/i.test(ext) ? ext.toLowerCase() : 'img';

  let dir: string | undefined;
  try {
    dir = await mkdtemp(join(tmpdir(), 'ita-ocr-'));
    const input = join(dir, `in.${safeExt}`);
    await writeFile(input, bytes);
    const text = await tesseractPage(input, langs, deadline, opts);
    out.parts.push({ label: 'image', text });
    return out;
  } catch (err) {
    if (err instanceof RunError && err.timedOut) return fail(out, 'timeout', timeoutMessage(timeoutMs));
    return fail(out, 'unsupported', `image could not be read by OCR: ${msgOf(err)}`);
  } finally {
    if (dir) await rm(dir, { recursive: true, force: true }).catch(() => undefined);
  }
}

/** Image format by magic bytes, for the temp file name; null when not an image Tesseract reads. */
export function sniffImageExt(bytes: Uint8Array): ImageExt | null {
  const b = (i: number) => bytes[i] ?? -1;
  if (b(0) === 0x89 && b(1) === 0x50 && b(2) === 0x4e && b(3) === 0x47) return 'png';
  if (b(0) === 0xff && b(1) === 0xd8 && b(2) === 0xff) return 'jpg';
  if (b(0) === 0x47 && b(1) === 0x49 && b(2) === 0x46 && b(3) === 0x38) return 'gif';
  if (b(0) === 0x52 && b(1) === 0x49 && b(2) === 0x46 && b(3) === 0x46 && b(8) === 0x57 && b(9) === 0x45)
    return 'webp';
  if ((b(0) === 0x49 && b(1) === 0x49 && b(2) === 0x2a) || (b(0) === 0x4d && b(1) === 0x4d && b(3) === 0x2a))
    return 'tif';
  if (b(0) === 0x42 && b(1) === 0x4d) return 'bmp';
  return null;
}

/** pdftoppm's page images (page-01.png, page-002.png …) in page order. */
async function pageImages(dir: string): Promise<{ file: string; page: number }[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  return names
    .map((file) => {
      const m = /^page-(\d+)\.png$/.exec(file);
      return m ? { file, page: Number(m[1]) } : null;
    })
    .filter((x): x is { file: string; page: number } => x !== null)
    .sort((a, b) => a.page - b.page);
}

function fail(out: DocumentText, code: ErrorCode, message: string): DocumentText {
  out.error = { code, message };
  return out;
}

const timeoutMessage = (ms: number) => `OCR did not finish within ${ms} ms`;

function msgOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

