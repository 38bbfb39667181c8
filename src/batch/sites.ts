// The batch input: sites.csv with one agency per row — name, URL and an optional ITAS URL list (a path
// relative to the CSV). RFC 4180 (the reader of the ITAS URL list), UTF-8 with or without BOM, an optional
// header row (which may reorder the columns), blank lines and `#` comment lines ignored. Every problem is
// one line naming the file and line: `sites.csv line 4: not an http(s) URL: "ftp://x.go.th"`.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { ItasEntry } from '../evidence/discover.js';
import { ItasListError, parseCsv, parseItasList } from '../input/itas-list.js';

/** Bad batch input (sites.csv, a listed ITAS URL list, an option): exit code 2. */
export class BatchInputError extends Error {
  override name = 'BatchInputError';
}

export interface BatchSite {
  /** 1-based data row (header, blank and comment lines not counted). */
  row: number;
  /** Line of the CSV the row starts on. */
  line: number;
  name: string;
  /** Absolute http(s) URL. */
  url: string;
  /** The ITAS URL list path as written in the CSV. */
  listPath?: string;
  /** The parsed list, when there is one. */
  itasList?: ItasEntry[];
  /** sha256 of the list file (resume: a changed list redoes the site). */
  listHash?: string;
  /** Host (with port, without "www."): two rows on the same host are never scanned at once. */
  hostKey: string;
  /** Safe file name stem: host + row number. */
  slug: string;
}

const HEADER_NAMES: Record<string, 'name' | 'url' | 'list'> = {
  name: 'name',
  agency: 'name',
  'agency name': 'name',
  agency_name: 'name',
  organization: 'name',
  organisation: 'name',
  หน่วยงาน: 'name',
  ชื่อหน่วยงาน: 'name',
  ชื่อ: 'name',
  url: 'url',
  website: 'url',
  site: 'url',
  homepage: 'url',
  เว็บไซต์: 'url',
  ลิงก์: 'url',
  ลิงค์: 'url',
  list: 'list',
  urls: 'list',
  itas: 'list',
  'itas list': 'list',
  itas_list: 'list',
  'itas-list': 'list',
  'url list': 'list',
  รายการ: 'list',
  'รายการ url': 'list',
};

/** An absolute http(s) URL (a bare host gets http://, as `ita-check scan` does), or null. */
export function siteUrl(raw: string): string | null {
  const value = raw.trim();
  if (!value || /\s/.test(value)) return null;
  let u: URL;
  try {
    u = new URL(/^[a-z][a-z0-9+.-]*:/i.test(value) ? value : `http://${value}`);
  } catch {
    return null;
  }
  if ((u.protocol !== 'http:' && u.protocol !== 'https:') || !u.hostname) return null;
  return u.href;
}

/** Host and port, lower case, without a leading "www." (www.x.go.th and x.go.th are one server). */
export function hostKey(url: string): string {
  return new URL(url).host.toLowerCase().replace(/^www\./, '');
}

/** `www-abt-test-go-th-3`: only [a-z0-9-], never empty, bounded length. */
export function siteSlug(url: string, row: number): string {
  const host = new URL(url).host
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '');
  return `${host || 'site'}-${row}`;
}

function looksLikeUrl(cell: string): boolean {
  return /^https?:\/\//i.test(cell) || /^[\w-]+(\.[\w-]+)+(:\d+)?(\/|$)/.test(cell);
}

export interface ParseSitesOptions {
  /** Directory list paths are relative to (the CSV's); default the current directory. */
  baseDir?: string;
  /** Reads a list file (tests); default readFileSync. */
  readList?: (path: string) => string;
}

/** Parses sites.csv text; throws BatchInputError naming the file and line. */
export function parseSitesCsv(text: string, fileName: string, opts: ParseSitesOptions = {}): BatchSite[] {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let records: ReturnType<typeof parseCsv>;
  try {
    records = parseCsv(body, fileName);
  } catch (err) {
    if (err instanceof ItasListError) throw new BatchInputError(err.message);
    throw err;
  }
  const baseDir = opts.baseDir ?? process.cwd();
  const read = opts.readList ?? ((p: string) => readFileSync(p, 'utf8'));
  const sites: BatchSite[] = [];
  let columns = { name: 0, url: 1, list: 2 };
  let seenData = false;
  for (const rec of records) {
    const where = `${fileName} line ${rec.line}`;
    const cells = rec.fields.map((f, k) => (rec.quoted[k] ? f : f.trim()));
    if (cells.every((f) => f === '')) continue;
    if (!seenData) {
      seenData = true;
      const names = cells.map((f) => HEADER_NAMES[f.toLowerCase().replace(/\s+/g, ' ')]);
      if (!cells.some(looksLikeUrl) && names.some((n) => n !== undefined)) {
        const name = names.indexOf('name');
        const url = names.indexOf('url');
        if (name < 0 || url < 0)
          throw new BatchInputError(`${where}: the header needs a name and a url column`);
        columns = { name, url, list: names.indexOf('list') };
        continue;
      }
    }
    let width = cells.length;
    while (width > 0 && cells[width - 1] === '') width--;
    const used = Math.max(columns.name, columns.url, columns.list) + 1;
    if (width > used)
      throw new BatchInputError(
        `${where}: ${width} fields, expected name,url[,itas list] (put a name that holds commas in double quotes)`,
      );
    const name = (cells[columns.name] ?? '').trim();
    const rawUrl = (cells[columns.url] ?? '').trim();
    const listPath = columns.list >= 0 ? (cells[columns.list] ?? '').trim() : '';
    if (!name) throw new BatchInputError(`${where}: no agency name`);
    if (!rawUrl)
      throw new BatchInputError(
        `${where}: no URL for ${JSON.stringify(name)}${cells[0]?.includes('\t') ? ' (separate the columns with commas, not tabs)' : ''}`,
      );
    const url = siteUrl(rawUrl);
    if (!url) throw new BatchInputError(`${where}: not an http(s) URL: ${JSON.stringify(rawUrl)}`);
    const row = sites.length + 1;
    const site: BatchSite = {
      row,
      line: rec.line,
      name,
      url,
      hostKey: hostKey(url),
      slug: siteSlug(url, row),
    };
    if (listPath) {
      const full = isAbsolute(listPath) ? listPath : resolve(baseDir, listPath);
      if (!existsSync(full) || !statSync(full).isFile())
        throw new BatchInputError(`${where}: no such ITAS URL list: ${listPath}`);
      const listText = read(full);
      try {
        site.itasList = parseItasList(listText, listPath);
      } catch (err) {
        if (err instanceof ItasListError) throw new BatchInputError(`${where}: ${err.message}`);
        throw err;
      }
      site.listPath = listPath;
      site.listHash = createHash('sha256').update(listText).digest('hex');
    }
    sites.push(site);
  }
  if (!sites.length) throw new BatchInputError(`${fileName}: no sites (expected rows name,url[,itas list])`);
  return sites;
}

/** Reads sites.csv from disk; list paths are relative to the CSV. */
export function readSitesCsv(path: string): BatchSite[] {
  if (!existsSync(path) || !statSync(path).isFile()) throw new BatchInputError(`no such file: ${path}`);
  return parseSitesCsv(readFileSync(path, 'utf8'), path, { baseDir: dirname(resolve(path)) });
}
