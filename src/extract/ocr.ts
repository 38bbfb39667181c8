// OCR for scanned PDFs and image evidence, with the system's Tesseract (tesseract-ocr +
// tesseract-ocr-tha) and poppler's pdftoppm. No npm dependency: the binaries are run with execFile
// (no shell), each with a timeout, at most OCR_CONCURRENCY at a time across the whole process.
//
// A PDF is rasterised page by page (pdfinfo for the page count and sizes, then
// `pdftoppm -f n -l n -r <dpi> -gray`), each page image is read by
// `tesseract <image> stdout -l tha+eng --psm 3`, and each page's text goes through normalizeThai.
// Everything happens in a private temp dir that is removed on every path. Never throws.

import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { DocumentText } from '../types.js';
import { matchKey, normalizeThai } from './thai-text.js';

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
  /** Where the per-document temp dir is made (default: os.tmpdir()). */
  tmpDir?: string;
}

export const OCR_DEFAULTS = { maxPages: 10, dpi: 200, timeoutMs: 60_000, langs: 'tha+eng' } as const;

/** Pages of a document OCR'd at once (one document at a time, process-wide): the target has 2 cores. */
export const OCR_CONCURRENCY = 2;

/** A page read with fewer key characters than this is read again with local thresholding. */
const RETRY_BELOW_CHARS = 20;

/** Longest page side rasterised, in pixels (A4 at 200 dpi is 2339; A2 is 4677). */
const MAX_SIDE_PX = 5000;

/** Prefix of the temp dirs (under os.tmpdir()). */
export const OCR_TMP_PREFIX = 'ita-ocr-';

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

/** A counting semaphore. */
function limiter(max: number) {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async <T>(fn: () => Promise<T>): Promise<T> => {
    if (active >= max) await new Promise<void>((r) => waiting.push(r));
    else active++;
    try {
      return await fn();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else active--;
    }
  };
}

/**
 * One document at a time, process-wide, so a document's time budget starts when its turn comes
 * (not while it queues behind others); its pages run OCR_CONCURRENCY at a time.
 */
const oneDocument = limiter(1);

/** Run `fn` over `items`, at most `max` at a time. */
async function eachLimited<T>(items: T[], max: number, fn: (item: T, i: number) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) await fn(items[i]!, i);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(max, items.length)) }, worker));
}

// ---------------------------------------------------------------------------------------------
// Availability

const availabilityMemo = new Map<string, Promise<OcrAvailability>>();

/**
 * Whether OCR can run: `tesseract --version` works, every language of `langs` (default tha+eng)
 * is listed by `tesseract --list-langs`, and `pdftoppm -v` and `pdfinfo -v` work. Memoised per binaries/langs/PATH.
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
  for (const tool of [pdftoppm, siblingBinary(pdftoppm, 'pdfinfo')]) {
    try {
      await run(tool, ['-v'], PROBE_TIMEOUT_MS, env);
    } catch (err) {
      return { ok: false, reason: `${tool} is not usable (${msgOf(err)}): install poppler-utils` };
    }
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

/**
 * Recognise one image: normalised text, or throws RunError. A page read as (almost) nothing is
 * read again with local thresholding: global Otsu blacks out text on a tinted or shaded background
 * (a grey box, a yellowed scan) and Tesseract then sees no text; Sauvola (Tesseract ≥ 5,
 * thresholding_method=2) recovers it. Tesseract 4 ignores the unknown variable.
 */
async function tesseractImage(
  image: string,
  langs: string,
  deadline: number,
  opts: OcrOptions,
): Promise<string> {
  const left = deadline - Date.now();
  if (left <= 0) throw new RunError('OCR time budget used up', true, false);
  const tesseract = opts.bins?.tesseract ?? 'tesseract';
  const args = [image, 'stdout', '-l', langs, '--psm', '3'];
  const first = cleanOcrText((await run(tesseract, args, left, opts.env)).stdout);
  if (matchKey(first).length >= RETRY_BELOW_CHARS) return first;
  const rest = deadline - Date.now();
  if (rest <= 0) return first;
  try {
    const second = cleanOcrText(
      (await run(tesseract, [...args, '-c', 'thresholding_method=2'], rest, opts.env)).stdout,
    );
    return matchKey(second).length > matchKey(first).length ? second : first;
  } catch {
    return first;
  }
}

/**
 * Tesseract's text → normalised lines: form feeds and blank lines dropped, each line through
 * normalizeThai (which also folds Tesseract's ํ + า back to ำ and Thai digits to ASCII).
 */
export function cleanOcrText(raw: string): string {
  return raw
    .replace(/\f/g, '\n')
    .split('\n')
    .map((l) => normalizeThai(l))
    .filter((l) => l !== '')
    .join('\n');
}

interface PdfLayout {
  /** Pages in the file. */
  pages: number;
  /** Longest page side among the pages to read, in points (0 when unknown). */
  longest: number;
}

/** Page count and sizes from `pdfinfo` (poppler-utils, next to pdftoppm). Throws RunError. */
async function pdfLayout(
  input: string,
  maxPages: number,
  deadline: number,
  opts: OcrOptions,
): Promise<PdfLayout> {
  const { stdout } = await run(
    siblingBinary(opts.bins?.pdftoppm, 'pdfinfo'),
    ['-f', '1', '-l', String(maxPages), input],
    Math.min(PROBE_TIMEOUT_MS, deadline - Date.now()),
    opts.env,
  );
  const pages = Number(/^Pages:\s+(\d+)/m.exec(stdout)?.[1] ?? 0);
  let longest = 0;
  for (const m of stdout.matchAll(/^Page\s+\d+\s+size:\s+([\d.]+)\s+x\s+([\d.]+)\s+pts/gm)) {
    longest = Math.max(longest, Number(m[1]), Number(m[2]));
  }
  return { pages, longest };
}

/** pdfinfo next to an injected pdftoppm, else on PATH. */
function siblingBinary(pdftoppm: string | undefined, name: string): string {
  if (!pdftoppm || !/[\\/]/.test(pdftoppm)) return name;
  return join(dirname(pdftoppm), name);
}

/**
 * Text of a scanned PDF by OCR: one part per page (the first `maxPages`), `ocr: true`. Failures
 * come back as `error` — 'unsupported': the PDF cannot be read or rasterised, a tool is missing or
 * failed; 'timeout': the budget ran out. Pages read before a failure are kept in `parts`. The budget
 * starts when the document's turn comes: documents are OCR'd one at a time, process-wide. Never
 * throws.
 */
export function ocrPdf(bytes: Uint8Array, opts: OcrOptions = {}): Promise<DocumentText> {
  const out: DocumentText = { kind: 'pdf', parts: [], ocr: true };
  if (bytes.byteLength === 0) return Promise.resolve(fail(out, 'unsupported', 'empty file'));
  return oneDocument(() => guarded(out, opts, (dir) => pdfPages(bytes, dir, out, opts)));
}

/**
 * Page by page, OCR_CONCURRENCY pages at a time: `pdftoppm -f n -l n -r <dpi> -gray` (an
 * uncompressed greyscale PGM: PNG encoding cost ~0.75 s of CPU per A4 page at 200 dpi, for the same
 * OCR result), Tesseract, then the image is deleted — so at most two page images are on disk.
 */
async function pdfPages(bytes: Uint8Array, dir: string, out: DocumentText, opts: OcrOptions) {
  const maxPages = Math.max(1, Math.floor(opts.maxPages ?? OCR_DEFAULTS.maxPages));
  const timeoutMs = opts.timeoutMs ?? OCR_DEFAULTS.timeoutMs;
  const langs = opts.langs ?? OCR_DEFAULTS.langs;
  const deadline = Date.now() + timeoutMs;
  const input = join(dir, 'in.pdf');
  await writeFile(input, bytes);

  let layout: PdfLayout;
  try {
    layout = await pdfLayout(input, maxPages, deadline, opts);
  } catch (err) {
    if (err instanceof RunError && err.timedOut) return fail(out, 'timeout', timeoutMessage(timeoutMs));
    return fail(out, 'unsupported', `PDF could not be rasterised: ${msgOf(err)}`);
  }
  const count = Math.min(layout.pages, maxPages);
  if (count === 0) return fail(out, 'unsupported', 'PDF could not be rasterised: no pages');
  // No page's long side over MAX_SIDE_PX: a poster or A0 plan at 200 dpi would be gigabytes.
  const requested = Math.max(36, Math.floor(opts.dpi ?? OCR_DEFAULTS.dpi));
  const dpi =
    layout.longest > 0
      ? Math.max(36, Math.min(requested, Math.floor((MAX_SIDE_PX * 72) / layout.longest)))
      : requested;

  const pages = Array.from({ length: count }, (_, i) => i + 1);
  const texts: (string | undefined)[] = new Array(count);
  let firstError: RunError | undefined;
  await eachLimited(pages, OCR_CONCURRENCY, async (page, i) => {
    if (firstError?.timedOut) return;
    const base = join(dir, `page-${page}`);
    try {
      const left = deadline - Date.now();
      if (left <= 0) throw new RunError('OCR time budget used up', true, false);
      const n = String(page);
      await run(
        opts.bins?.pdftoppm ?? 'pdftoppm',
        ['-q', '-f', n, '-l', n, '-r', String(dpi), '-gray', '-singlefile', input, base],
        left,
        opts.env,
      );
      texts[i] = await tesseractImage(`${base}.pgm`, langs, deadline, opts);
    } catch (err) {
      const e = err instanceof RunError ? err : new RunError(msgOf(err), false, false);
      // A timeout decides the error code; otherwise the first failure is reported.
      if (!firstError || (e.timedOut && !firstError.timedOut)) firstError = e;
    } finally {
      await rm(`${base}.pgm`, { force: true }).catch(() => undefined);
    }
  });
  pages.forEach((page, i) => {
    const text = texts[i];
    if (text !== undefined) out.parts.push({ label: String(page), page, text });
  });
  if (!firstError) return out;
  if (firstError.timedOut) return fail(out, 'timeout', timeoutMessage(timeoutMs));
  const failed = count - out.parts.length;
  return fail(out, 'unsupported', `OCR failed on ${failed} of ${count} pages: ${firstError.message}`);
}

/**
 * Text of an image (a screenshot, a page scanned to JPEG/PNG …) by OCR: one part labelled
 * 'image', `ocr: true`. `ext` names the format (png, jpg …; Tesseract sniffs the bytes anyway).
 * Failures as for ocrPdf. Never throws.
 */
export function ocrImage(
  bytes: Uint8Array,
  ext: ImageExt | string,
  opts: OcrOptions = {},
): Promise<DocumentText> {
  const out: DocumentText = { kind: 'image', parts: [], ocr: true };
  if (bytes.byteLength === 0) return Promise.resolve(fail(out, 'unsupported', 'empty file'));
  const safeExt = /^[a-z0-9]{1,5}$/i.test(ext) ? ext.toLowerCase() : 'img';
  return oneDocument(() =>
    guarded(out, opts, async (dir) => {
      const timeoutMs = opts.timeoutMs ?? OCR_DEFAULTS.timeoutMs;
      const input = join(dir, `in.${safeExt}`);
      await writeFile(input, bytes);
      try {
        const text = await tesseractImage(
          input,
          opts.langs ?? OCR_DEFAULTS.langs,
          Date.now() + timeoutMs,
          opts,
        );
        out.parts.push({ label: 'image', text });
        return out;
      } catch (err) {
        if (err instanceof RunError && err.timedOut) return fail(out, 'timeout', timeoutMessage(timeoutMs));
        return fail(out, 'unsupported', `image could not be read by OCR: ${msgOf(err)}`);
      }
    }),
  );
}

/** Run `work` in a fresh temp dir that is removed afterwards whatever happens; never throws. */
async function guarded(
  out: DocumentText,
  opts: OcrOptions,
  work: (dir: string) => Promise<DocumentText>,
): Promise<DocumentText> {
  let dir: string | undefined;
  try {
    dir = await mkdtemp(join(opts.tmpDir ?? tmpdir(), OCR_TMP_PREFIX));
    return await work(dir);
  } catch (err) {
    return fail(out, 'unsupported', `OCR failed: ${msgOf(err)}`);
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

function fail(out: DocumentText, code: ErrorCode, message: string): DocumentText {
  out.error = { code, message };
  return out;
}

const timeoutMessage = (ms: number) => `OCR did not finish within ${ms} ms`;

function msgOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
