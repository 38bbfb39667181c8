// OOXML text extraction: .docx (WordprocessingML) and .xlsx (SpreadsheetML), read with fflate and
// cheerio's XML mode. Only the XML parts are inflated (never media), under an entry-count and
// total-size budget checked against the zip's central directory before anything is inflated.
// Legacy binary .doc/.xls (OLE2 compound files) are recognised and reported as unsupported.

import * as cheerio from 'cheerio';
import { type UnzipFileInfo, unzipSync } from 'fflate';
import type { DocumentPart, DocumentText } from '../types.js';
import { normalizeThai } from './thai-text.js';

export interface OfficeExtractOptions {
  /** Larger inputs are refused with error 'too-large'. Default 50 MB. */
  maxBytes?: number;
  /** Zip entries allowed (all entries, media included). Default 2000. */
  maxEntries?: number;
  /** Total declared uncompressed size of the XML parts inflated. Default 100 MB. */
  maxUncompressedBytes?: number;
  /** Rows kept per sheet (XLSX). Default 50 000. */
  maxRows?: number;
}

export const OFFICE_DEFAULTS = {
  maxBytes: 50 * 1024 * 1024,
  maxEntries: 2000,
  maxUncompressedBytes: 100 * 1024 * 1024,
  maxRows: 50_000,
} as const;

type ErrorCode = NonNullable<DocumentText['error']>['code'];
type OfficeKind = 'docx' | 'xlsx' | 'doc' | 'xls';

class ExtractError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

function fail(kind: OfficeKind, code: ErrorCode, message: string): DocumentText {
  return { kind, parts: [], error: { code, message } };
}

function run(kind: OfficeKind, fn: () => DocumentText): DocumentText {
  try {
    return fn();
  } catch (err) {
    if (err instanceof ExtractError) return fail(kind, err.code, err.message);
    return fail(
      kind,
      'corrupt',
      `${kind.toUpperCase()} could not be read: ${(err as Error)?.message ?? err}`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Container sniffing and the zip budget

const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

export function isOle(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && OLE_MAGIC.every((b, i) => bytes[i] === b);
}

export function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 3 || bytes[2] === 5);
}

/** UTF-16LE "EncryptedPackage": the stream name of a password-protected OOXML file (an OLE container). */
function hasEncryptedPackage(bytes: Uint8Array): boolean {
  const needle = Array.from('EncryptedPackage').flatMap((c) => [c.charCodeAt(0), 0]);
  const limit = Math.min(bytes.length - needle.length, 8 * 1024 * 1024);
  outer: for (let i = 0; i <= limit; i++) {
    for (let j = 0; j < needle.length; j++) if (bytes[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

/** Legacy binary Word/Excel (or an OLE container that is not one we read). */
export function extractLegacyOffice(bytes: Uint8Array, kind: 'doc' | 'xls'): DocumentText {
  if (isOle(bytes) && hasEncryptedPackage(bytes)) {
    return fail(kind, 'encrypted', 'Office document is password-protected (encrypted OOXML package)');
  }
  const what = kind === 'doc' ? 'Word 97–2003 (.doc)' : 'Excel 97–2003 (.xls)';
  return fail(
    kind,
    'unsupported',
    `${what} binary files are not read yet; save as PDF, .docx or .xlsx to have the text checked`,
  );
}

/** Inflate the XML parts of an OOXML zip, within the limits. Throws ExtractError. */
function readZip(bytes: Uint8Array, opts: OfficeExtractOptions, kind: OfficeKind): Map<string, Uint8Array> {
  const maxBytes = opts.maxBytes ?? OFFICE_DEFAULTS.maxBytes;
  const maxEntries = opts.maxEntries ?? OFFICE_DEFAULTS.maxEntries;
  const maxTotal = opts.maxUncompressedBytes ?? OFFICE_DEFAULTS.maxUncompressedBytes;
  if (bytes.byteLength > maxBytes) {
    throw new ExtractError('too-large', `file is ${bytes.byteLength} bytes, over the ${maxBytes}-byte limit`);
  }
  if (isOle(bytes)) {
    if (hasEncryptedPackage(bytes))
      throw new ExtractError('encrypted', 'Office document is password-protected');
    const legacy = kind === 'docx' ? 'doc' : 'xls';
    const r = extractLegacyOffice(bytes, legacy);
    throw new ExtractError(r.error!.code, r.error!.message);
  }
  if (!isZip(bytes)) throw new ExtractError('corrupt', `not a ${kind.toUpperCase()} file (no zip signature)`);

  let entries = 0;
  let total = 0;
  const filter = (f: UnzipFileInfo): boolean => {
    entries++;
    if (entries > maxEntries) {
      throw new ExtractError('too-large', `zip has more than ${maxEntries} entries (zip bomb?)`);
    }
    const wanted = /\.(xml|rels)$/i.test(f.name) && !f.name.endsWith('/');
    if (!wanted) return false;
    total += f.originalSize;
    if (f.originalSize < 0 || total > maxTotal) {
      throw new ExtractError(
        'too-large',
        `XML parts declare over ${maxTotal} bytes uncompressed (${f.name}: ${f.originalSize}) — zip bomb?`,
      );
    }
    return true;
  };
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, { filter });
  } catch (err) {
    if (err instanceof ExtractError) throw err;
    throw new ExtractError('corrupt', `damaged zip: ${(err as Error)?.message ?? err}`);
  }
  // fflate checks neither sizes nor CRCs: do it, so a damaged part is not read as garbage text.
  const dir = centralDirectory(bytes);
  const out = new Map<string, Uint8Array>();
  for (const [name, data] of Object.entries(files)) {
    const entry = dir.get(name);
    if (entry && (data.length !== entry.size || crc32(data) !== entry.crc)) {
      throw new ExtractError('corrupt', `damaged zip: ${name} fails its size/CRC check`);
    }
    out.set(name.replace(/^\/+/, ''), data);
  }
  return out;
}

/** name → { crc, uncompressed size } from the central directory (classic zip; zip64 entries omitted). */
function centralDirectory(bytes: Uint8Array): Map<string, { crc: number; size: number }> {
  const out = new Map<string, { crc: number; size: number }>();
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let eocd = -1;
  for (let i = bytes.length - 22; i >= 0 && i >= bytes.length - 65_557; i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return out;
  const count = view.getUint16(eocd + 10, true);
  let p = view.getUint32(eocd + 16, true);
  for (let i = 0; i < count && p + 46 <= bytes.length; i++) {
    if (view.getUint32(p, true) !== 0x02014b50) break;
    const flags = view.getUint16(p + 8, true);
    const crc = view.getUint32(p + 16, true);
    const size = view.getUint32(p + 24, true);
    const nameLen = view.getUint16(p + 28, true);
    const extraLen = view.getUint16(p + 30, true);
    const commentLen = view.getUint16(p + 32, true);
    const raw = bytes.subarray(p + 46, p + 46 + nameLen);
    const name = flags & 0x800 ? utf8.decode(raw) : String.fromCharCode(...raw);
    if (size !== 0xffffffff) out.set(name, { crc, size });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

let crcTable: Uint32Array | undefined;
function crc32(data: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (let i = 0; i < data.length; i++) c = crcTable[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const utf8 = new TextDecoder('utf-8');

function decodeXml(data: Uint8Array): string {
  // UTF-16 parts exist (rare); honour a BOM.
  if (data[0] === 0xff && data[1] === 0xfe) return new TextDecoder('utf-16le').decode(data);
  if (data[0] === 0xfe && data[1] === 0xff) return new TextDecoder('utf-16be').decode(data);
  return utf8.decode(data);
}

// ---------------------------------------------------------------------------------------------
// A small DOM view over cheerio's parse (domhandler nodes), by local name (namespace prefix dropped)

interface XNode {
  type: string;
  name?: string;
  data?: string;
  attribs?: Record<string, string>;
  children?: XNode[];
}

function parseXml(data: Uint8Array | undefined): XNode | undefined {
  if (!data) return undefined;
  const $ = cheerio.load(decodeXml(data), { xml: true });
  return $.root()[0] as unknown as XNode;
}

const local = (n: XNode): string => {
  const name = n.name ?? '';
  const i = name.indexOf(':');
  return i < 0 ? name : name.slice(i + 1);
};

const isTag = (n: XNode): boolean => n.type === 'tag' || n.type === 'script' || n.type === 'style';

function kids(n: XNode): XNode[] {
  return (n.children ?? []).filter(isTag);
}

/** Attribute by local name (r:id, id …). */
function attr(n: XNode, name: string): string | undefined {
  const a = n.attribs ?? {};
  if (a[name] !== undefined) return a[name];
  for (const [k, v] of Object.entries(a)) if (k.endsWith(`:${name}`)) return v;
  return undefined;
}

/** Depth-first search for elements by local name (not descending into matches). */
function findAll(n: XNode | undefined, name: string, out: XNode[] = []): XNode[] {
  if (!n) return out;
  for (const c of kids(n)) {
    if (local(c) === name) out.push(c);
    else findAll(c, name, out);
  }
  return out;
}

function first(n: XNode | undefined, name: string): XNode | undefined {
  return findAll(n, name)[0];
}

/** Raw character data under a node. */
function rawText(n: XNode): string {
  if (n.type === 'text') return n.data ?? '';
  let s = '';
  for (const c of n.children ?? []) s += rawText(c);
  return s;
}

/** Relationship targets of a part, resolved to zip paths. */
function relationships(
  files: Map<string, Uint8Array>,
  part: string,
): Map<string, { type: string; target: string }> {
  const dir = part.includes('/') ? part.slice(0, part.lastIndexOf('/')) : '';
  const base = part.slice(part.lastIndexOf('/') + 1);
  const relsPath = `${dir ? `${dir}/` : ''}_rels/${base}.rels`;
  const out = new Map<string, { type: string; target: string }>();
  for (const r of findAll(parseXml(files.get(relsPath)), 'Relationship')) {
    const id = attr(r, 'Id');
    const target = attr(r, 'Target');
    if (!id || !target || attr(r, 'TargetMode') === 'External') continue;
    out.set(id, { type: attr(r, 'Type') ?? '', target: resolvePart(dir, target) });
  }
  return out;
}

function resolvePart(dir: string, target: string): string {
  const segs = target.startsWith('/') ? [] : dir.split('/').filter(Boolean);
  for (const s of target.split('/')) {
    if (s === '' || s === '.') continue;
    if (s === '..') segs.pop();
    else segs.push(s);
  }
  return segs.join('/');
}

/** The main part named by the package relationships, or a conventional default. */
function mainPart(files: Map<string, Uint8Array>, fallback: string): string {
  for (const r of relationships(files, '').values()) {
    if (r.type.endsWith('/officeDocument') && files.has(r.target)) return r.target;
  }
  return fallback;
}

function coreTitle(files: Map<string, Uint8Array>): string | undefined {
  let corePath = 'docProps/core.xml';
  for (const r of relationships(files, '').values()) {
    if (r.type.endsWith('/core-properties')) corePath = r.target;
  }
  const t = first(parseXml(files.get(corePath)), 'title');
  const title = t ? normalizeThai(rawText(t)) : '';
  return title || undefined;
}

// ---------------------------------------------------------------------------------------------
// DOCX

/** Elements whose content is not document text (deleted runs, field codes, duplicate fallbacks …). */
const DOCX_SKIP = new Set([
  'delText',
  'instrText',
  'delInstrText',
  'fldData',
  'moveFrom',
  'del',
  'Fallback',
  'rPr',
  'pPr',
  'tblPr',
  'trPr',
  'tcPr',
  'sectPr',
  'footnotePr',
  'endnotePr',
]);

interface DocxOut {
  lines: string[];
  rows: string[][];
}

/** Block-level content (body, cell, text box, content control): paragraphs and tables, in order. */
function docxBlocks(n: XNode, out: DocxOut): void {
  for (const c of kids(n)) {
    const name = local(c);
    if (DOCX_SKIP.has(name)) continue;
    if (name === 'p') docxParagraph(c, out);
    else if (name === 'tbl') docxTable(c, out);
    else docxBlocks(c, out);
  }
}

function docxParagraph(p: XNode, out: DocxOut): void {
  let text = '';
  const boxes: XNode[] = [];
  const walk = (n: XNode) => {
    for (const c of n.children ?? []) {
      if (!isTag(c)) continue;
      const name = local(c);
      if (DOCX_SKIP.has(name)) continue;
      switch (name) {
        case 't':
          text += rawText(c);
          break;
        case 'tab':
        case 'ptab':
          text += '\t';
          break;
        case 'br':
        case 'cr':
          text += '\n';
          break;
        case 'noBreakHyphen':
          text += '-';
          break;
        case 'txbxContent':
          boxes.push(c);
          break;
        default:
          walk(c);
      }
    }
  };
  walk(p);
  for (const line of text.split('\n')) {
    const l = normalizeThai(line);
    if (l) out.lines.push(l);
  }
  for (const b of boxes) docxBlocks(b, out);
}

function docxTable(tbl: XNode, out: DocxOut): void {
  for (const tr of kids(tbl).flatMap((c) => (local(c) === 'tr' ? [c] : findAll(c, 'tr')))) {
    const cells: string[] = [];
    for (const tc of kids(tr).flatMap((c) => (local(c) === 'tc' ? [c] : findAll(c, 'tc')))) {
      const inner: DocxOut = { lines: [], rows: [] };
      docxBlocks(tc, inner);
      cells.push(normalizeThai(inner.lines.join(' ')));
      // A merged cell spans grid columns: pad so later cells stay in their columns.
      const span = Number(attr(first(tc, 'gridSpan') ?? { type: 'tag' }, 'val') ?? '1');
      for (let i = 1; i < Math.min(span, 64); i++) cells.push('');
    }
    while (cells.length > 0 && cells[cells.length - 1] === '') cells.pop();
    if (cells.length === 0) continue;
    out.rows.push(cells);
    out.lines.push(cells.join('\t'));
  }
}

export function extractDocx(bytes: Uint8Array, opts: OfficeExtractOptions = {}): DocumentText {
  return run('docx', () => {
    const files = readZip(bytes, opts, 'docx');
    const main = mainPart(files, 'word/document.xml');
    const doc = parseXml(files.get(main));
    const body = first(doc, 'body');
    if (!body) throw new ExtractError('corrupt', `not a Word document (no ${main} body)`);
    const out: DocxOut = { lines: [], rows: [] };
    docxBlocks(body, out);
    const part: DocumentPart = { label: 'document', text: out.lines.join('\n'), rows: out.rows };
    const result: DocumentText = { kind: 'docx', parts: [part] };
    const title = coreTitle(files);
    if (title) result.title = title;
    return result;
  });
}

// ---------------------------------------------------------------------------------------------
// XLSX

/** "C3" → 2 (0-based column). */
export function columnIndex(ref: string): number | undefined {
  const m = /^\$?([A-Za-z]{1,3})\$?\d*$/.exec(ref);
  if (!m) return undefined;
  let n = 0;
  for (const ch of m[1]!.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

const BUILTIN_DATE_FORMATS = new Set([
  14, 15, 16, 17, 22, 27, 28, 29, 30, 31, 34, 35, 36, 50, 51, 52, 53, 54, 57, 58, 71, 72, 73, 74, 75, 76, 77,
  78, 79, 80, 81,
]);

/** True for number formats that show a date (d/m/y, Thai ว/ด/ป, Buddhist-era e/bbbb). */
export function isDateFormat(code: string): boolean {
  const s = code
    .replace(/"[^"]*"/g, '')
    .replace(/\\./g, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/_.|\*./g, '');
  if (/^(general|@)?$/i.test(s.trim())) return false;
  if (/[0#?]/.test(s)) return false;
  return /[dyeb\u0E27\u0E14\u0E1B]/i.test(s);
}

/** Excel serial day → ISO date (and time when it has one). */
export function serialToIso(serial: number, date1904: boolean): string | undefined {
  if (!Number.isFinite(serial) || serial < 1 || serial > 2_958_465) return undefined;
  let ms: number;
  if (date1904) ms = Date.UTC(1904, 0, 1) + serial * 86_400_000;
  else if (serial < 60) ms = Date.UTC(1899, 11, 31) + serial * 86_400_000;
  else ms = Date.UTC(1899, 11, 30) + serial * 86_400_000; // 60 is Lotus' 29 Feb 1900; shown as 1 Mar
  const d = new Date(Math.round(ms / 60_000) * 60_000);
  const iso = d.toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.slice(0, 16);
}

function formatNumber(v: string): string {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n)) return v;
  return String(Number(n.toPrecision(15)));
}

interface Styles {
  dateStyles: Set<number>;
}

function readStyles(xml: XNode | undefined): Styles {
  const custom = new Map<number, string>();
  for (const f of findAll(first(xml, 'numFmts'), 'numFmt')) {
    custom.set(Number(attr(f, 'numFmtId')), attr(f, 'formatCode') ?? '');
  }
  const dateStyles = new Set<number>();
  kids(first(xml, 'cellXfs') ?? { type: 'tag' })
    .filter((x) => local(x) === 'xf')
    .forEach((xf, i) => {
      const id = Number(attr(xf, 'numFmtId') ?? '0');
      const code = custom.get(id);
      if (code !== undefined ? isDateFormat(code) : BUILTIN_DATE_FORMATS.has(id)) dateStyles.add(i);
    });
  return { dateStyles };
}

/** Text of a shared/inline string item: runs joined, phonetic guides (rPh) left out. */
function stringItem(si: XNode): string {
  let s = '';
  const walk = (n: XNode) => {
    for (const c of kids(n)) {
      const name = local(c);
      if (name === 'rPh' || name === 'phoneticPr') continue;
      if (name === 't') s += rawText(c);
      else walk(c);
    }
  };
  walk(si);
  return s;
}

function sheetRows(
  xml: XNode | undefined,
  sst: string[],
  styles: Styles,
  date1904: boolean,
  maxRows: number,
): string[][] {
  const rows: string[][] = [];
  const data = first(xml, 'sheetData');
  if (!data) return rows;
  for (const row of kids(data)) {
    if (local(row) !== 'row') continue;
    if (rows.length >= maxRows) break;
    const cells: string[] = [];
    let next = 0;
    for (const c of kids(row)) {
      if (local(c) !== 'c') continue;
      const ref = attr(c, 'r');
      const col = (ref ? columnIndex(ref) : undefined) ?? next;
      next = col + 1;
      if (col > 16_383) continue;
      const t = attr(c, 't') ?? 'n';
      const vNode = kids(c).find((k) => local(k) === 'v');
      const v = vNode ? rawText(vNode) : '';
      let text: string;
      switch (t) {
        case 's':
          text = sst[Number(v)] ?? '';
          break;
        case 'inlineStr': {
          const is = kids(c).find((k) => local(k) === 'is');
          text = is ? stringItem(is) : v;
          break;
        }
        case 'b':
          text = v === '1' ? 'TRUE' : v === '0' ? 'FALSE' : v;
          break;
        case 'str':
        case 'e':
        case 'd':
          text = v;
          break;
        default: {
          const style = Number(attr(c, 's') ?? '0');
          const iso = styles.dateStyles.has(style) ? serialToIso(Number(v), date1904) : undefined;
          text = iso ?? formatNumber(v);
        }
      }
      text = normalizeThai(text);
      if (text === '') continue;
      while (cells.length < col) cells.push('');
      cells[col] = text;
    }
    if (cells.length > 0) rows.push(cells);
  }
  return rows;
}

export function extractXlsx(bytes: Uint8Array, opts: OfficeExtractOptions = {}): DocumentText {
  return run('xlsx', () => {
    const files = readZip(bytes, opts, 'xlsx');
    const wbPath = mainPart(files, 'xl/workbook.xml');
    const wb = parseXml(files.get(wbPath));
    const sheets = findAll(first(wb, 'sheets'), 'sheet');
    if (!wb || !first(wb, 'workbook') || sheets.length === 0) {
      throw new ExtractError('corrupt', `not an Excel workbook (no sheets in ${wbPath})`);
    }
    const pr = first(wb, 'workbookPr');
    const date1904 = /^(1|true)$/i.test((pr && attr(pr, 'date1904')) ?? '');
    const rels = relationships(files, wbPath);
    const relOfType = (suffix: string) => [...rels.values()].find((r) => r.type.endsWith(suffix))?.target;

    const sst = findAll(parseXml(files.get(relOfType('/sharedStrings') ?? 'xl/sharedStrings.xml')), 'si').map(
      stringItem,
    );
    const styles = readStyles(parseXml(files.get(relOfType('/styles') ?? 'xl/styles.xml')));
    const maxRows = opts.maxRows ?? OFFICE_DEFAULTS.maxRows;

    const parts: DocumentPart[] = [];
    sheets.forEach((sheet, i) => {
      const label = normalizeThai(attr(sheet, 'name') ?? '') || `Sheet${i + 1}`;
      const rel = rels.get(attr(sheet, 'id') ?? '');
      const path = rel?.target ?? `xl/worksheets/sheet${i + 1}.xml`;
      const rows =
        rel && !rel.type.endsWith('/worksheet')
          ? []
          : sheetRows(parseXml(files.get(path)), sst, styles, date1904, maxRows);
      parts.push({ label, text: rows.map((r) => r.join('\t')).join('\n'), rows });
    });
    const result: DocumentText = { kind: 'xlsx', parts };
    const title = coreTitle(files);
    if (title) result.title = title;
    return result;
  });
}
