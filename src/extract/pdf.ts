// PDF text extraction with pdfjs-dist (legacy build, for Node).
//
// Per page: text items are laid out in device space (page rotation applied). `text` follows the
// content-stream order with a line break whenever the baseline moves or pdfjs marks an end of line,
// and a space where the horizontal gap between items is wider than a thin space. `rows` regroups
// the items by baseline (top to bottom, left to right) and splits cells on wide gaps, so tables
// keep their cells. Every line and cell goes through normalizeThai.

import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { DocumentPart, DocumentText } from '../types.js';
import { normalizeThai } from './thai-text.js';

export interface PdfExtractOptions {
  /** Pages read at most (the rest are skipped). Default 200. */
  maxPages?: number;
  /** Larger inputs are refused with error 'too-large'. Default 50 MB. */
  maxBytes?: number;
  /** Whole-document time budget; past it, error 'timeout'. Default 30 s. */
  timeoutMs?: number;
}

export const PDF_DEFAULTS = { maxPages: 200, maxBytes: 50 * 1024 * 1024, timeoutMs: 30_000 } as const;

/** Fewer non-space characters than this over all pages read → a scan. */
export const SCANNED_MAX_CHARS = 20;
/** …or fewer than this per page on average (a scan with stamped page numbers). */
export const SCANNED_CHARS_PER_PAGE = 15;

/** Gap (in font sizes) above which two items on a line are separated by a space. */
const SPACE_GAP = 0.15;
/** Gap (in font sizes) above which two items on a line are different table cells. */
const CELL_GAP = 1.0;

type Pdfjs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');

let pdfjsPromise: Promise<Pdfjs> | undefined;
function loadPdfjs(): Promise<Pdfjs> {
  pdfjsPromise ??= import('pdfjs-dist/legacy/build/pdf.mjs');
  return pdfjsPromise;
}

let assetDirs: { cMapUrl: string; standardFontDataUrl: string; wasmUrl: string } | undefined;
function pdfjsAssets() {
  if (!assetDirs) {
    const pkg = dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));
    // Node reads these with fs, so plain directory paths (with the trailing slash pdfjs requires).
    assetDirs = {
      cMapUrl: `${join(pkg, 'cmaps')}/`,
      standardFontDataUrl: `${join(pkg, 'standard_fonts')}/`,
      wasmUrl: `${join(pkg, 'wasm')}/`,
    };
  }
  return assetDirs;
}

/** One positioned text run, in device space (y grows downwards). */
export interface Run {
  str: string;
  x: number;
  y: number;
  width: number;
  size: number;
  eol: boolean;
}

interface RawTextItem {
  str: string;
  transform: number[];
  width: number;
  height: number;
  hasEOL: boolean;
}

class Timeout extends Error {}

export async function extractPdf(bytes: Uint8Array, opts: PdfExtractOptions = {}): Promise<DocumentText> {
  const maxPages = opts.maxPages ?? PDF_DEFAULTS.maxPages;
  const maxBytes = opts.maxBytes ?? PDF_DEFAULTS.maxBytes;
  const timeoutMs = opts.timeoutMs ?? PDF_DEFAULTS.timeoutMs;

  if (bytes.byteLength > maxBytes) {
    return fail('too-large', `PDF is ${bytes.byteLength} bytes, over the ${maxBytes}-byte limit`);
  }
  if (bytes.byteLength === 0) return fail('corrupt', 'empty file');

  let pdfjs: Pdfjs;
  try {
    pdfjs = await loadPdfjs();
  } catch (err) {
    return fail('unsupported', `PDF reader unavailable: ${message(err)}`);
  }

  const deadline = Date.now() + timeoutMs;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Timeout()), timeoutMs);
  });

  let task: ReturnType<Pdfjs['getDocument']> | undefined;
  try {
    task = pdfjs.getDocument({
      // pdfjs may transfer (detach) the buffer it is given: hand it a copy.
      data: new Uint8Array(bytes),
      isEvalSupported: false,
      useSystemFonts: false,
      disableFontFace: true,
      useWorkerFetch: false,
      stopAtErrors: false,
      verbosity: 0,
      cMapPacked: true,
      ...pdfjsAssets(),
    });
    const loading = task;
    const work = read(pdfjs, loading, maxPages, deadline);
    work.catch(() => undefined); // settled after a timeout too; never unhandled
    return await Promise.race([work, timeout]);
  } catch (err) {
    if (err instanceof Timeout) return fail('timeout', `PDF not read within ${timeoutMs} ms`);
    const name = (err as { name?: string } | null)?.name;
    if (name === 'PasswordException') return fail('encrypted', 'PDF is password-protected');
    return fail('corrupt', `PDF could not be read: ${message(err)}`);
  } finally {
    clearTimeout(timer);
    await task?.destroy().catch(() => undefined);
  }
}

async function read(
  pdfjs: Pdfjs,
  task: ReturnType<Pdfjs['getDocument']>,
  maxPages: number,
  deadline: number,
): Promise<DocumentText> {
  const doc = await task.promise;
  const title = await readTitle(doc);
  const count = Math.min(doc.numPages, Math.max(0, maxPages));
  const parts: DocumentPart[] = [];
  let failed = 0;
  let lastError = '';
  for (let n = 1; n <= count; n++) {
    if (Date.now() > deadline) throw new Timeout();
    try {
      const page = await doc.getPage(n);
      try {
        const viewport = page.getViewport({ scale: 1 });
        const content = await page.getTextContent();
        const items = content.items
          .filter((item) => 'str' in item)
          .map((item) => {
            const it = item as RawTextItem;
            return { it, m: pdfjs.Util.transform(viewport.transform, it.transform) as number[] };
          });
        const runs = toRuns(items);
        parts.push({ label: String(n), page: n, text: pageText(runs), rows: pageRows(runs) });
      } finally {
        page.cleanup();
      }
    } catch (err) {
      if ((err as { name?: string } | null)?.name === 'PasswordException') throw err;
      failed++;
      lastError = message(err);
      parts.push({ label: String(n), page: n, text: '', rows: [] });
    }
  }

  const out: DocumentText = { kind: 'pdf', parts };
  if (title) out.title = title;
  if (count > 0 && failed === count) {
    out.error = { code: 'corrupt', message: `no page of the PDF could be read: ${lastError}` };
    return out;
  }
  const chars = parts.reduce((sum, p) => sum + p.text.replace(/\s/g, '').length, 0);
  // Almost no text overall, or only a page number or stamp per page: the content is images.
  if (count > 0 && (chars < SCANNED_MAX_CHARS || chars < SCANNED_CHARS_PER_PAGE * count)) out.scanned = true;
  if (doc.numPages === 0) out.error = { code: 'corrupt', message: 'PDF has no pages' };
  else if (failed > 0) {
    // Some pages are readable: keep them, but say the file is damaged.
    out.error = { code: 'corrupt', message: `${failed} of ${count} pages could not be read: ${lastError}` };
  }
  return out;
}

/** Unit text directions in device space for quarter turns 0°, 90°, 180°, 270°. */
const QUARTER: [number, number][] = [
  [1, 0],
  [0, 1],
  [-1, 0],
  [0, -1],
];

/**
 * Runs in the frame of the page's dominant text direction (by characters, snapped to a quarter
 * turn), so a page whose text is rotated (/Rotate, or a rotated text matrix for a landscape table)
 * still reads as left-to-right lines from the top.
 */
function toRuns(items: { it: RawTextItem; m: number[] }[]): Run[] {
  const weight = [0, 0, 0, 0];
  for (const { it, m } of items) {
    const q = (((Math.round(Math.atan2(m[1] ?? 0, m[0] ?? 1) / (Math.PI / 2)) % 4) + 4) % 4) as 0 | 1 | 2 | 3;
    weight[q]! += it.str.length;
  }
  const [dx, dy] = QUARTER[weight.indexOf(Math.max(...weight))]!;
  return items.map(({ it, m }) => {
    const px = m[4] ?? 0;
    const py = m[5] ?? 0;
    return {
      str: it.str,
      // Along the text direction, and across it (the next line is "below").
      x: px * dx + py * dy,
      y: -px * dy + py * dx,
      width: it.width,
      size: Math.hypot(m[2] ?? 0, m[3] ?? 0) || it.height || 10,
      eol: it.hasEOL,
    };
  });
}

async function readTitle(doc: { getMetadata(): Promise<{ info: unknown; metadata: unknown }> }) {
  try {
    const { info, metadata } = await doc.getMetadata();
    let raw = (info as { Title?: unknown } | null)?.Title;
    if (typeof raw !== 'string' || !raw.trim()) {
      const md = metadata as { get?(name: string): unknown } | null;
      raw = md?.get?.('dc:title');
    }
    if (typeof raw !== 'string') return undefined;
    const t = clean(raw.replace(/^Microsoft (Word|Excel|PowerPoint) - /, ''));
    if (!t || /^(about:blank|untitled)$/i.test(t) || /^(data|file|blob):/i.test(t)) return undefined;
    return t;
  } catch {
    return undefined;
  }
}

const isBlank = (s: string) => s.trim() === '';

/**
 * Thai presentation forms some fonts expose in the text layer (Windows PUA U+F700–F71A, Mac PUA
 * U+F884–F89E: shifted tone marks and vowels, descender-less ญ/ฐ — as in HarfBuzz's Thai shaper;
 * plus the raised marks of fonts-tlwg, U+F71E–F720).
 */
const THAI_PUA: Record<number, number> = (() => {
  const m: Record<number, number> = {};
  const add = (base: number, ...pua: number[]) => {
    for (const p of pua) m[p] = base;
  };
  // Tone marks ่ ้ ๊ ๋ ์: shifted down, down-left, left (Windows, then Mac).
  for (let i = 0; i < 5; i++)
    add(0x0e48 + i, 0xf70a + i, 0xf705 + i, 0xf713 + i, 0xf88b + 3 * i, 0xf88c + 3 * i, 0xf88a + 3 * i);
  add(0x0e38, 0xf718, 0xf89b); // ุ
  add(0x0e39, 0xf719, 0xf89c); // ู
  add(0x0e3a, 0xf71a, 0xf89d); // ฺ
  add(0x0e31, 0xf710, 0xf884); // ั
  for (let i = 0; i < 4; i++) add(0x0e34 + i, 0xf701 + i, 0xf885 + i); // ิ ี ึ ื
  add(0x0e47, 0xf712, 0xf889); // ็
  add(0x0e4d, 0xf711, 0xf899); // ํ
  add(0x0e0d, 0xf70f, 0xf89a); // ญ
  add(0x0e10, 0xf700, 0xf89e); // ฐ
  // fonts-tlwg extensions: raised nikhahit, maitaikhu, yamakkan.
  add(0x0e4d, 0xf71e);
  add(0x0e47, 0xf71f);
  add(0x0e4e, 0xf720);
  return m;
})();

/**
 * Undo text-layer artefacts before normalizeThai: Thai PUA glyphs, ำ that shapers decomposed with
 * the nikhahit moved before the tone mark (ํ ้ า → ้ ำ), and LibreOffice's ำ + า.
 */
export function repairThaiTextLayer(s: string): string {
  return (
    s
      .replace(/[\uF700-\uF720\uF884-\uF89E]/g, (c) => {
        const base = THAI_PUA[c.charCodeAt(0)];
        return base === undefined ? c : String.fromCharCode(base);
      })
      .replace(/\u0E4D([\u0E48-\u0E4B])\u0E32/g, '$1\u0E33')
      .replace(/\u0E4D\u0E32/g, '\u0E33')
      // LibreOffice maps the nikhahit glyph to ำ and fixes it with /ActualText, which pdfjs ignores:
      // ำ (+ tone) + า never occurs in Thai.
      .replace(/\u0E33([\u0E48-\u0E4B]?)\s*\u0E32/g, '$1\u0E33')
  );
}

const clean = (s: string) => normalizeThai(repairThaiTextLayer(s));

const THAI_END = /[\u0E01-\u0E4E\uF700-\uF720]$/;
const THAI_START = /^\s+[\u0E01-\u0E4E\uF700-\uF720]/;

/**
 * pdfjs prefixes a run with a space when it saw a whitespace-like glyph before it, even one with no
 * advance (a zero-width space drawn with the space glyph). Between two Thai letters with no real gap
 * on the page, that space is an artefact: drop it.
 */
function dropPhantomSpace(before: string, str: string, gap: number, size: number): string {
  if (gap < SPACE_GAP * size && THAI_START.test(str) && THAI_END.test(before)) return str.trimStart();
  return str;
}

/** Text in content-stream order: a new line when the baseline moves or pdfjs marks EOL. */
export function pageText(runs: Run[]): string {
  const lines: string[] = [];
  let line = '';
  let prev: Run | undefined;
  let space = false;
  let breakNext = false;
  for (const r of runs) {
    if (isBlank(r.str)) {
      // Whitespace runs (real spaces, or pdfjs' markers for wide gaps) and empty EOL markers.
      // A space only where it has width: pdfjs also emits hairline "spaces" inside Thai clusters.
      if (r.str.length > 0 && line && r.width >= SPACE_GAP * r.size) space = true;
      if (r.eol) breakNext = true;
      continue;
    }
    if (line && (breakNext || (prev && Math.abs(r.y - prev.y) > 0.5 * Math.min(r.size, prev.size)))) {
      lines.push(line);
      line = '';
      space = false;
      prev = undefined;
    }
    breakNext = false;
    let str = r.str;
    if (line && prev) {
      const gap = r.x - (prev.x + prev.width);
      const size = Math.min(r.size, prev.size);
      str = dropPhantomSpace(line, str, gap, size);
      // A wide jump back on the same baseline (another column or a re-ordered run) also separates.
      if (space || gap > SPACE_GAP * size || gap < -2 * size) line += ' ';
    }
    line += str;
    space = false;
    prev = r;
    if (r.eol) breakNext = true;
  }
  lines.push(line);
  return lines
    .map(clean)
    .filter((l) => l !== '')
    .join('\n');
}

/** Items grouped by baseline, top to bottom; cells split on gaps wider than CELL_GAP font sizes. */
export function pageRows(runs: Run[]): string[][] {
  const items = runs.filter((r) => !isBlank(r.str)).sort((a, b) => a.y - b.y || a.x - b.x);
  const lines: Run[][] = [];
  for (const r of items) {
    const cur = lines[lines.length - 1];
    const first = cur?.[0];
    if (cur && first && Math.abs(r.y - first.y) <= 0.35 * Math.min(r.size, first.size)) cur.push(r);
    else lines.push([r]);
  }
  const rows: string[][] = [];
  for (const line of lines) {
    line.sort((a, b) => a.x - b.x);
    const cells: string[] = [];
    let cell = '';
    let prev: Run | undefined;
    for (const r of line) {
      if (prev) {
        const gap = r.x - (prev.x + prev.width);
        const size = Math.min(r.size, prev.size);
        if (gap > CELL_GAP * size) {
          cells.push(cell);
          cell = '';
        } else if (gap > SPACE_GAP * size) cell += ' ';
        cell += cell ? dropPhantomSpace(cell, r.str, gap, size) : r.str;
      } else cell += r.str;
      prev = r;
    }
    cells.push(cell);
    const row = cells.map(clean).filter((c) => c !== '');
    if (row.length > 0) rows.push(row);
  }
  return rows;
}

function fail(code: NonNullable<DocumentText['error']>['code'], msg: string): DocumentText {
  return { kind: 'pdf', parts: [], error: { code, message: msg } };
}

function message(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
