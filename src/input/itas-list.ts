// The ITAS URL list: the URLs an agency means to enter (or has entered) in ITAS for each item, read from a
// CSV `item,url[,note]` or a JSON file, and written back as that CSV so `ita-check urls <scan.json>` can
// print the best evidence per item ready to paste into ITAS.
//
// CSV: RFC 4180 (quoted fields may hold commas, "" quotes and newlines), UTF-8 with or without BOM, LF or
// CRLF, an optional header row (which may reorder the columns: `url,item`), blank lines, empty rows (`,,`)
// and `#` comment lines ignored, several rows per item allowed.
// JSON (with comments): `[{ "item": "O15", "url": "…", "note": "…" }, …]` or `{ "O15": ["…", …], … }`.
// Item ids are accepted as O15, o15, O-15, OIT 15, 015, 15 (and Thai digits) and normalised to "O15".
import { type Node, type ParseError, parseTree } from 'jsonc-parser';
import type { ItasEntry } from '../evidence/discover.js';

export class ItasListError extends Error {
  override name = 'ItasListError';
}

const THAI_DIGITS = /[๐-๙]/g;

/**
 * "O15", "o15", "O-15", "OIT 15", "015", "15", "O๑๕" → "O15"; null when it is not an item O1–O43.
 * A leading 0 stands for the letter O typed as a zero ("015", "01").
 */
export function normalizeItemId(raw: string | number): string | null {
  const s = String(raw)
    .replace(THAI_DIGITS, (d) => String(d.charCodeAt(0) - 0x0e50))
    .trim();
  const m = /^(?:oit|o)?\s*[-.]?\s*(\d{1,3})$/i.exec(s);
  if (!m) return null;
  const n = Number(m[1]);
  return n >= 1 && n <= 43 ? `O${n}` : null;
}

function checkUrl(raw: string, item: string, where: string): string {
  const url = raw.trim();
  if (url === '') throw new ItasListError(`${where}: no URL for ${item}`);
  let ok = false;
  if (/^https?:\/\//i.test(url)) {
    try {
      ok = new URL(url).hostname !== '';
    } catch {
      ok = false;
    }
  }
  if (!ok) {
    const bare = /^[\w-]+(\.[\w-]+)+(\/|$)/.test(url) && !/\s/.test(url);
    throw new ItasListError(
      `${where}: not an http(s) URL: ${JSON.stringify(url)}` +
        (bare ? ` (ITAS needs the full URL: write "https://${url}")` : ''),
    );
  }
  return url;
}

function entry(item: unknown, url: unknown, note: unknown, where: string): ItasEntry {
  if (typeof item !== 'string' && typeof item !== 'number')
    throw new ItasListError(`${where}: no item id (write O1–O43, e.g. O15)`);
  if (String(item).trim() === '') throw new ItasListError(`${where}: no item id (write O1–O43, e.g. O15)`);
  const id = normalizeItemId(item);
  if (!id) throw new ItasListError(`${where}: ${JSON.stringify(String(item).trim())} is not an item O1–O43`);
  if (typeof url !== 'string') throw new ItasListError(`${where}: no URL for ${id}`);
  const out: ItasEntry = { item: id, url: checkUrl(url, id, where) };
  if (note !== undefined && note !== null) {
    if (typeof note !== 'string') throw new ItasListError(`${where}: the note must be text`);
    if (note !== '') out.note = note;
  }
  return out;
}

/** Drops exact repeats (same item and URL), keeping the first. */
function dedupe(entries: ItasEntry[]): ItasEntry[] {
  const seen = new Set<string>();
  return entries.filter((e) => {
    const key = `${e.item} ${e.url}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

// ---------------------------------------------------------------------------------------------- CSV

export interface CsvRecord {
  /** 1-based line the record starts on. */
  line: number;
  fields: string[];
  /** Which fields were quoted (a quoted "#…" is data, not a comment). */
  quoted: boolean[];
}

/** RFC 4180 records with the line each starts on. Unquoted fields are kept as written (not trimmed). */
export function parseCsv(text: string, fileName: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let quoted: boolean[] = [];
  let field = '';
  let isQuoted = false;
  let line = 1;
  let recordLine = 1;
  let i = 0;
  const endField = () => {
    fields.push(field);
    quoted.push(isQuoted);
    field = '';
    isQuoted = false;
  };
  const endRecord = () => {
    endField();
    records.push({ line: recordLine, fields, quoted });
    fields = [];
    quoted = [];
  };
  while (i < text.length) {
    const c = text[i]!;
    if (fields.length === 0 && field.trim() === '' && !isQuoted && c === '#') {
      // A comment line: skipped whole, so quotes in it open nothing.
      while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
      field = '';
      continue;
    }
    if (c === '"' && field.trim() === '' && !isQuoted) {
      // A quoted field (spaces before the opening quote are tolerated).
      const startLine = line;
      field = '';
      isQuoted = true;
      i++;
      for (;;) {
        if (i >= text.length)
          throw new ItasListError(`${fileName} line ${startLine}: a quoted field is not closed`);
        const q = text[i]!;
        if (q === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (q === '\r' || q === '\n') {
          if (q === '\r' && text[i + 1] === '\n') {
            field += '\r';
            i++;
          }
          line++;
        }
        field += text[i];
        i++;
      }
      // Only spaces may follow the closing quote before the separator or the end of the line.
      while (text[i] === ' ' || text[i] === '\t') i++;
      const next = text[i];
      if (next !== undefined && next !== ',' && next !== '\n' && next !== '\r')
        throw new ItasListError(
          `${fileName} line ${line}: text after a closing quote (write "" for a quote inside a quoted field)`,
        );
      continue;
    }
    if (c === ',') {
      endField();
      i++;
    } else if (c === '\n' || c === '\r') {
      endRecord();
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
      line++;
      recordLine = line;
    } else {
      field += c;
      i++;
    }
  }
  if (field !== '' || isQuoted || fields.length > 0) endRecord();
  return records;
}

const HEADER_NAMES: Record<string, 'item' | 'url' | 'note'> = {
  item: 'item',
  id: 'item',
  oit: 'item',
  ข้อ: 'item',
  ตัวชี้วัด: 'item',
  url: 'url',
  link: 'url',
  ลิงก์: 'url',
  ลิงค์: 'url',
  note: 'note',
  notes: 'note',
  หมายเหตุ: 'note',
};

function parseCsvList(text: string, fileName: string): ItasEntry[] {
  const out: ItasEntry[] = [];
  let columns = { item: 0, url: 1, note: 2 };
  let seenData = false;
  for (const rec of parseCsv(text, fileName)) {
    const where = `${fileName} line ${rec.line}`;
    const cells = rec.fields.map((f, k) => (rec.quoted[k] ? f : f.trim()));
    if (cells.every((f) => f === '')) continue; // blank line or an empty spreadsheet row
    if (!seenData) {
      seenData = true;
      // A header names at least one known column and does not start with an item id.
      const names = cells.map((f) => HEADER_NAMES[f.toLowerCase()]);
      if (normalizeItemId(cells[0]!) === null && names.some((n) => n !== undefined)) {
        const item = names.indexOf('item');
        const url = names.indexOf('url');
        if (item >= 0 && url >= 0) columns = { item, url, note: names.indexOf('note') };
        continue;
      }
    }
    // Trailing empty cells (spreadsheets pad rows) do not count.
    let width = cells.length;
    while (width > 0 && cells[width - 1] === '') width--;
    const used = Math.max(columns.item, columns.url, columns.note) + 1;
    if (width > used)
      throw new ItasListError(
        `${where}: ${width} fields, expected item,url,note (put a note that holds commas in double quotes)`,
      );
    if (cells.length < 2)
      throw new ItasListError(
        `${where}: expected item,url[,note]${cells[0]!.includes('\t') ? ' separated by commas, not tabs' : ''}`,
      );
    out.push(
      entry(
        cells[columns.item],
        cells[columns.url] ?? '',
        columns.note >= 0 ? cells[columns.note] : undefined,
        where,
      ),
    );
  }
  return out;
}

// --------------------------------------------------------------------------------------------- JSON

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) line++;
  }
  return line;
}

function nodeValue(n: Node | undefined): unknown {
  if (!n) return undefined;
  if (n.type === 'array' || n.type === 'object') return n; // only reached for a wrong shape
  return n.value;
}

function parseJsonList(text: string, fileName: string): ItasEntry[] {
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: true });
  const err = errors[0];
  if (err || !root)
    throw new ItasListError(`${fileName} line ${lineOf(text, err?.offset ?? 0)}: not valid JSON`);
  const at = (n: Node) => `${fileName} line ${lineOf(text, n.offset)}`;
  const out: ItasEntry[] = [];
  if (root.type === 'array') {
    for (const el of root.children ?? []) {
      if (el.type !== 'object')
        throw new ItasListError(`${at(el)}: expected an object { "item": "O15", "url": "https://…" }`);
      const fields: Record<string, Node | undefined> = {};
      for (const prop of el.children ?? []) {
        const [k, v] = prop.children ?? [];
        const key = String(k?.value);
        if (key !== 'item' && key !== 'url' && key !== 'note')
          throw new ItasListError(
            `${at(prop)}: unknown field ${JSON.stringify(key)} (expected item, url, note)`,
          );
        fields[key] = v;
      }
      const url = fields.url;
      if (url && url.type !== 'string') throw new ItasListError(`${at(url)}: the url must be a string`);
      out.push(entry(nodeValue(fields.item), nodeValue(url), nodeValue(fields.note), at(el)));
    }
    return dedupe(out);
  }
  if (root.type === 'object') {
    for (const prop of root.children ?? []) {
      const [k, v] = prop.children ?? [];
      const key = String(k?.value);
      const urls = v?.type === 'array' ? (v.children ?? []) : v ? [v] : [];
      if (urls.length === 0) entry(key, undefined, undefined, at(prop)); // throws: bad id or no URL
      for (const u of urls) {
        if (u.type !== 'string') throw new ItasListError(`${at(u)}: expected a URL string`);
        out.push(entry(key, u.value, undefined, at(u)));
      }
    }
    return dedupe(out);
  }
  throw new ItasListError(
    `${fileName} line ${lineOf(text, root.offset)}: expected a list [{ "item", "url" }] or an object { "O15": ["https://…"] }`,
  );
}

// ---------------------------------------------------------------------------------------------- API

/**
 * Reads an ITAS URL list: JSON when it starts with [ or { (after comments), else CSV; a .json file must be
 * JSON. Errors are one line naming the file and line: `urls.csv line 7: "O44" is not an item O1–O43`.
 */
export function parseItasList(text: string, fileName: string): ItasEntry[] {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  // Leading JSON comments do not hide a JSON file.
  const first = body.replace(/^(?:\s+|\/\/[^\n]*|\/\*[\s\S]*?\*\/)*/, '')[0];
  if (first === '[' || first === '{') return parseJsonList(body, fileName);
  if (/\.json$/i.test(fileName))
    throw new ItasListError(`${fileName} line 1: expected a JSON list or object`);
  return dedupe(parseCsvList(body, fileName));
}

function csvField(s: string): string {
  return /[",\r\n]|^\s|\s$|^#/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The CSV form (`item,url,note`, quoted where needed, LF line ends) that parseItasList reads back. */
export function writeItasList(entries: ItasEntry[]): string {
  const rows = ['item,url,note'];
  for (const e of entries) rows.push([e.item, e.url, e.note ?? ''].map(csvField).join(','));
  return `${rows.join('\n')}\n`;
}
