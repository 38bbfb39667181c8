// Thai dates, months and periods: Buddhist-era years, the October fiscal year, and the date
// expressions found in titles of periodic reports ("รอบ 6 เดือน (ต.ค.64 - มี.ค.65)",
// "ไตรมาสที่ 2", "วันที่ ๑๑ เดือน มกราคม พ.ศ. ๒๕๖๕", "18ธค66", "2023-10-16T11:05:03" …).
//
// Every year in this API is a Buddhist-era (พ.ศ.) year, e.g. 2564; months are 1–12.
// Fiscal year N (ปีงบประมาณ พ.ศ. N) runs from 1 October N-1 to 30 September N.

import { normalizeThai } from './thai-text.js';

/** A month: BE year (0 = unknown year, only from `detectMonthColumns`) and month 1–12. */
export interface YM {
  year: number;
  month: number;
}

/** A calendar day, BE year. */
export interface Ymd {
  year: number;
  month: number;
  day: number;
}

/** An inclusive span of days. */
export interface Span {
  start: Ymd;
  end: Ymd;
}

export type DateMentionKind = 'day' | 'month' | 'range' | 'quarter' | 'half' | 'fiscal-year' | 'year';

export interface DateMention {
  kind: DateMentionKind;
  span: Span;
  /** The matched text, as it stands in `normalizeThai(input)`. */
  text: string;
  /** Offset of `text` in `normalizeThai(input)` (equal to the input offset when the input is normalised). */
  index: number;
}

export interface DateContext {
  /** The fiscal year (BE) to place quarters, rounds and year-less months in when the text names none. */
  fiscalYear?: number;
}

// ---------------------------------------------------------------------------------------------
// Years and calendar arithmetic

/**
 * A year as written → BE: 4 digits ≥ 2400 as is; 1900–2200 (CE) + 543; 2 digits (0–99) → 2500 + n
 * (64 → 2564). Anything else throws a RangeError.
 */
export function toBE(year: number): number {
  if (!Number.isInteger(year)) throw new RangeError(`year must be an integer: ${year}`);
  if (year >= 2400) return year;
  if (year >= 1900 && year <= 2200) return year + 543;
  if (year >= 0 && year <= 99) return 2500 + year;
  throw new RangeError(`not a recognisable year: ${year}`);
}

/** BE → CE. */
export function toCE(be: number): number {
  return be - 543;
}

/** Days in a month of a BE year (leap years by the Gregorian rule on the CE year). */
export function daysInMonth(be: number, month: number): number {
  if (month === 2) {
    const ce = be - 543;
    return (ce % 4 === 0 && ce % 100 !== 0) || ce % 400 === 0 ? 29 : 28;
  }
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

export function isValidYmd(d: Ymd): boolean {
  return (
    Number.isInteger(d.year) &&
    Number.isInteger(d.month) &&
    Number.isInteger(d.day) &&
    d.month >= 1 &&
    d.month <= 12 &&
    d.day >= 1 &&
    d.day <= daysInMonth(d.year, d.month)
  );
}

/** Negative when a is before b, 0 when equal, positive when after. */
export function compareYmd(a: Ymd, b: Ymd): number {
  return a.year - b.year || a.month - b.month || a.day - b.day;
}

/** Negative when a is before b, 0 when equal, positive when after. */
export function compareYM(a: YM, b: YM): number {
  return a.year - b.year || a.month - b.month;
}

/** The whole of one month. */
export function monthSpan(ym: YM): Span {
  return {
    start: { year: ym.year, month: ym.month, day: 1 },
    end: { year: ym.year, month: ym.month, day: daysInMonth(ym.year, ym.month) },
  };
}

/** Fiscal year `be`: 1 October (be-1) – 30 September be. */
export function fiscalYearSpan(be: number): Span {
  return { start: { year: be - 1, month: 10, day: 1 }, end: { year: be, month: 9, day: 30 } };
}

/** The fiscal year a day or month falls in (October–December belong to the next year's budget). */
export function fiscalYearOf(d: Ymd | YM): number {
  return d.month >= 10 ? d.year + 1 : d.year;
}

/** Position of a month in the fiscal year: October = 1 … September = 12. */
export function fiscalMonthIndex(ym: YM): number {
  return ((ym.month + 2) % 12) + 1;
}

/** The month at fiscal position `index` (1 = October of be-1 … 12 = September of be). */
function fiscalMonth(be: number, index: number): YM {
  return { year: index <= 3 ? be - 1 : be, month: ((index + 8) % 12) + 1 };
}

/**
 * Months of fiscal year `be` from fiscal position `fromIndex` to `toIndex` inclusive (1 = October of
 * be-1, 12 = September of be), in order. Empty when fromIndex > toIndex.
 */
export function monthsOfFiscalYear(be: number, fromIndex = 1, toIndex = 12): YM[] {
  for (const i of [fromIndex, toIndex]) {
    if (!Number.isInteger(i) || i < 1 || i > 12) throw new RangeError(`fiscal month index out of 1–12: ${i}`);
  }
  const out: YM[] = [];
  for (let i = fromIndex; i <= toIndex; i++) out.push(fiscalMonth(be, i));
  return out;
}

/** Quarter q (1 = Oct–Dec … 4 = Jul–Sep) of fiscal year `be`. */
export function fiscalQuarterSpan(be: number, q: number): Span {
  return fiscalMonthsSpan(be, q * 3 - 2, q * 3);
}

/** Span of fiscal positions from..to (1 = October) of fiscal year `be`. */
function fiscalMonthsSpan(be: number, from: number, to: number): Span {
  return { start: monthSpan(fiscalMonth(be, from)).start, end: monthSpan(fiscalMonth(be, to)).end };
}

/** Every month touched by a span, in order. */
export function monthsInSpan(span: Span): YM[] {
  const out: YM[] = [];
  let y = span.start.year;
  let m = span.start.month;
  while (y < span.end.year || (y === span.end.year && m <= span.end.month)) {
    out.push({ year: y, month: m });
    m++;
    if (m > 12) {
      m = 1;
      y++;
    }
  }
  return out;
}

/** True when `inner` lies entirely within `outer` (bounds inclusive). */
export function spanContains(outer: Span, inner: Span): boolean {
  return compareYmd(outer.start, inner.start) <= 0 && compareYmd(inner.end, outer.end) <= 0;
}

// ---------------------------------------------------------------------------------------------
// Month names

export interface MonthNames {
  readonly month: number;
  /** Full Thai name: มกราคม. */
  readonly th: string;
  /** Abbreviation: ม.ค. (also accepted as ม.ค, มค, "ม. ค."). */
  readonly thShort: string;
  /** Truncated form seen in titles: มกรา. */
  readonly thTruncated: string;
  readonly en: string;
  readonly enShort: string;
  /** Further accepted spellings (common misspellings, Sept). */
  readonly aliases: readonly string[];
}

export const MONTHS: readonly MonthNames[] = [
  {
    month: 1,
    th: 'มกราคม',
    thShort: 'ม.ค.',
    thTruncated: 'มกรา',
    en: 'January',
    enShort: 'Jan',
    aliases: [],
  },
  {
    month: 2,
    th: 'กุมภาพันธ์',
    thShort: 'ก.พ.',
    thTruncated: 'กุมภา',
    en: 'February',
    enShort: 'Feb',
    aliases: ['กุมภาพันธ', 'กุมภาพัน'],
  },
  { month: 3, th: 'มีนาคม', thShort: 'มี.ค.', thTruncated: 'มีนา', en: 'March', enShort: 'Mar', aliases: [] },
  { month: 4, th: 'เมษายน', thShort: 'เม.ย.', thTruncated: 'เมษา', en: 'April', enShort: 'Apr', aliases: [] },
  { month: 5, th: 'พฤษภาคม', thShort: 'พ.ค.', thTruncated: 'พฤษภา', en: 'May', enShort: 'May', aliases: [] },
  { month: 6, th: 'มิถุนายน', thShort: 'มิ.ย.', thTruncated: 'มิถุนา', en: 'June', enShort: 'Jun', aliases: [] },
  {
    month: 7,
    th: 'กรกฎาคม',
    thShort: 'ก.ค.',
    thTruncated: 'กรกฎา',
    en: 'July',
    enShort: 'Jul',
    aliases: ['กรกฏาคม', 'กรกฏา'],
  },
  { month: 8, th: 'สิงหาคม', thShort: 'ส.ค.', thTruncated: 'สิงหา', en: 'August', enShort: 'Aug', aliases: [] },
  {
    month: 9,
    th: 'กันยายน',
    thShort: 'ก.ย.',
    thTruncated: 'กันยา',
    en: 'September',
    enShort: 'Sep',
    aliases: ['Sept'],
  },
  { month: 10, th: 'ตุลาคม', thShort: 'ต.ค.', thTruncated: 'ตุลา', en: 'October', enShort: 'Oct', aliases: [] },
  {
    month: 11,
    th: 'พฤศจิกายน',
    thShort: 'พ.ย.',
    thTruncated: 'พฤศจิกา',
    en: 'November',
    enShort: 'Nov',
    aliases: ['พฤศจิการยน'],
  },
  {
    month: 12,
    th: 'ธันวาคม',
    thShort: 'ธ.ค.',
    thTruncated: 'ธันวา',
    en: 'December',
    enShort: 'Dec',
    aliases: [],
  },
];

const isLatin = (s: string): boolean => /^[a-z]/i.test(s);
const monthKey = (s: string): string => s.toLowerCase().replace(/[.\s]/g, '');

/** Month-name key (lower-case, without dots and spaces) → month. */
const MONTH_BY_KEY = new Map<string, number>();
for (const m of MONTHS) {
  for (const name of [m.th, m.thShort, m.thTruncated, m.en, m.enShort, ...m.aliases]) {
    MONTH_BY_KEY.set(monthKey(name), m.month);
  }
}

/**
 * The month named by `s` in any accepted form ("มกราคม", "ม.ค.", "ม.ค", "มค", "มกรา", "Jan", "January",
 * "Sept"), or null. The whole string must be the name (surrounding spaces and "เดือน" allowed).
 */
export function parseMonthName(s: string): number | null {
  const k = monthKey(normalizeThai(s).replace(/^เดือน/, ''));
  return MONTH_BY_KEY.get(k) ?? null;
}

const monthNames = (month: number): MonthNames => {
  const m = MONTHS[month - 1];
  if (!m) throw new RangeError(`month out of 1–12: ${month}`);
  return m;
};

/** "มกราคม 2564" (full) or "ม.ค. 64" (short). A year of 0 (unknown) is left out. */
export function formatMonthTh(ym: YM, style: 'full' | 'short' = 'full'): string {
  const names = monthNames(ym.month);
  if (ym.year === 0) return style === 'full' ? names.th : names.thShort;
  return style === 'full'
    ? `${names.th} ${ym.year}`
    : `${names.thShort} ${String(ym.year % 100).padStart(2, '0')}`;
}

/** "1 ตุลาคม 2563" (full) or "1 ต.ค. 63" (short). */
export function formatDateTh(d: Ymd, style: 'full' | 'short' = 'full'): string {
  return `${d.day} ${formatMonthTh(d, style)}`;
}

/** "ต.ค. 63 - มี.ค. 64"-style label of a span by months. */
export function formatSpanTh(span: Span, style: 'full' | 'short' = 'short'): string {
  const a = formatMonthTh(span.start, style);
  const b = formatMonthTh(span.end, style);
  return a === b ? a : `${a} - ${b}`;
}

// ---------------------------------------------------------------------------------------------
// Regular expressions (all run on normalizeThai'd text)

const byLengthDesc = (a: string, b: string): number => b.length - a.length;
const alt = (xs: string[]): string => [...new Set(xs)].sort(byLengthDesc).join('|');

const FULL_TH = alt(MONTHS.flatMap((m) => [m.th, ...m.aliases.filter((a) => !isLatin(a) && a.length > 5)]));
const TRUNC_TH = alt(
  MONTHS.flatMap((m) => [m.thTruncated, ...m.aliases.filter((a) => !isLatin(a) && a.length <= 5)]),
);
const shortParts = (m: MonthNames): string[] => m.thShort.split('.').filter(Boolean);
/** "ม.ค." → ม\.\s?ค\.? (the first dot required; the final one optional). */
const SHORT_TH = alt(MONTHS.map((m) => `${shortParts(m).join('\\.\\s?')}\\.?`));
const DOTLESS_TH = alt(MONTHS.map((m) => shortParts(m).join('')));
const EN = alt(MONTHS.flatMap((m) => [m.en, m.enShort, ...m.aliases.filter(isLatin)]));

const TH_CHAR = '\\u0E01-\\u0E4E';
const TH_CONS = '\\u0E01-\\u0E2E';
/** An abbreviation or truncated month must not continue a Thai word (except after "เดือน", "ถึง"). */
const TH_START = `(?:(?<=(?:เดือน|ถึง)\\s?)|(?<![${TH_CHAR}.]))`;
/** …nor run on into another abbreviation: "ก.ค.ศ.", "ก.พ.ร.", "ส.ค.ส." are not months. */
const SHORT_END = `(?!\\.?(?!ถึง|พ\\.?\\s?ศ|ปี|ค\\.\\s?ศ)[${TH_CONS}])`;
/** A number followed by one of these is a count or an amount, not a year. */
const UNITS = '(?:วัน(?!ที่)|ครั้ง|ราย|คน|เรื่อง|บาท|ล้าน|ชั่วโมง|ชม\\.|นาที|ฉบับ|แห่ง|ชิ้น|รายการ|โครงการ|หน้า|ข้อ|หลัง|%)';
const NUM_END = `(?!\\d|[.,]\\d|\\s*${UNITS})`;
/** "พ.ศ." / "ค.ศ." in their usual spellings. */
const ERA = '(?:พ\\.\\s?ศ\\.?|พศ\\.?|ค\\.\\s?ศ\\.?|คศ\\.?)';

const MONTH_RE_SRC =
  `(?:(?<mfull>${FULL_TH})` +
  `|${TH_START}(?<mshort>${SHORT_TH})${SHORT_END}` +
  `|(?<![${TH_CHAR}])(?<mdotless>${DOTLESS_TH})(?=\\s?\\d)` +
  `|${TH_START}(?<mtrunc>${TRUNC_TH})(?![${TH_CHAR}])` +
  `|(?<![A-Za-z])(?<men>(?:${EN})\\.?)(?![A-Za-z]))`;

/** A number after these words is an ordinal or a reference ("ไตรมาสที่ 1 เดือนตุลาคม …"), not a day. */
const NOT_A_DAY = '(?<!(?:ไตรมาส|งวด|รอบ|ครั้ง|ข้อ|ฉบับ|ลำดับ|หมู่|มาตรา|ชั้น|เล่ม|หน้า|ปี)(?:ที่)?\\s*)';
/** [day[-day2]] [เดือน] MONTH [[ปี] [พ.ศ.] YEAR] */
const ATOM_RE = new RegExp(
  `(?:(?:วันที่\\s*)?(?<![\\d,.:/])${NOT_A_DAY}(?<d1>[0-3]?\\d)(?!\\d)(?:\\s*(?:-|ถึง)\\s*(?<d2>[0-3]?\\d)(?!\\d))?\\s*(?:เดือน\\s*)?)?` +
    `(?<mpre>เดือน\\s*)?${MONTH_RE_SRC}` +
    `(?:\\s*(?<ypre>(?:ปี\\s*)?(?:${ERA}\\s*)?)(?<year>\\d{4}|\\d{2})${NUM_END})?`,
  'giud',
);
/** "October 16, 2020" */
const EN_MDY_RE = new RegExp(
  `(?<![A-Za-z])(?<men>(?:${EN})\\.?)\\s+(?<d1>[0-3]?\\d)(?:st|nd|rd|th)?,?\\s+(?<year>\\d{4})(?!\\d)`,
  'giud',
);
/** d/m/y (Thai order; BE or CE year), d-m-yyyy, d.m.yyyy */
const DMY_RE = /(?<![\d/.-])(?<d>[0-3]?\d)(?<sep>[/.-])(?<m>[01]?\d)\k<sep>(?<y>\d{4}|\d{2})(?!\d|[/.-]\d)/gu;
/** ISO and y/m/d: 2023-10-16, 2023-10-16T11:05:03, 2566/10/16 */
const YMD_RE =
  /(?<![\d/.-])(?<y>\d{4})(?<sep>[-/])(?<m>[01]?\d)\k<sep>(?<d>[0-3]?\d)(?:T\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?(?!\d|[/.-]\d)/gu;
/** ปีงบประมาณ [พ.ศ.] 2564 [- 2565]; FY2021 */
const FY_RE = new RegExp(
  `(?<pre>(?:ประจำ)?ปีงบ(?:ประมาณ)?ฯ?|(?<![A-Za-z])(?:FY|fiscal\\s+year)(?![A-Za-z]))\\s*(?:${ERA}\\s*)?` +
    `(?<y1>\\d{4}|\\d{2})${NUM_END}` +
    `(?:\\s*(?:-|ถึง|to)\\s*(?:(?:ปีงบ(?:ประมาณ)?ฯ?|FY)\\s*)?(?:${ERA}\\s*)?(?<y2>\\d{4}|\\d{2})${NUM_END})?`,
  'giud',
);
/** ประจำปี 2563, ปี พ.ศ. 2563, ปี 2561-2565, (พ.ศ. 2566-2570) */
const YEAR_RE = new RegExp(
  `(?:(?<pre>ประจำปี|ปี)\\s*(?<era>${ERA}\\s*)?(?<y1>\\d{4}|\\d{2})${NUM_END}` +
    `(?:\\s*(?:-|ถึง)\\s*(?:${ERA}\\s*)?(?<y2>\\d{4}|\\d{2})${NUM_END})?` +
    `|(?<![${TH_CHAR}])(?<era2>พ\\.\\s?ศ\\.?|พศ\\.?)\\s*(?<z1>\\d{4})\\s*(?:-|ถึง)\\s*(?:${ERA}\\s*)?(?<z2>\\d{4}|\\d{2})${NUM_END})`,
  'giud',
);
/** ไตรมาสที่ 2, ไตรมาส 1-2, ไตรมาสแรก, ไตรมาสที่ 2/2564 */
const QUARTER_RE =
  /ไตรมาส(?:ที่)?\s*(?:(?<q1>[1-4])(?!\d)(?:\s*(?:-|ถึง|และ)\s*(?:ไตรมาส(?:ที่)?\s*)?(?<q2>[1-4])(?!\d))?|(?<qw>แรก|สุดท้าย))(?:\s*\/\s*(?:พ\.?\s?ศ\.?\s*)?(?<y>\d{4}|\d{2})(?!\d))?/gu;
/** รอบ 6 เดือน, รอบ6เดือน, 6 เดือนแรก, รอบ 12 เดือน, ครึ่งปีแรก */
const ROUND_RE =
  /รอบ\s*(?<n>3|6|9|12)\s*เดือน(?<w>แรก|หลัง)?|(?<![\d.,])(?<n2>3|6|9)\s*เดือน(?<w2>แรก|หลัง)|ครึ่งปี(?:งบประมาณ)?(?<w3>แรก|หลัง)/gu;
const CONNECTOR = /^\s*(?:-|~|ถึง(?:วันที่|เดือน)?|จนถึง(?:วันที่|เดือน)?|to|until|till|through)\s*$/i;

// ---------------------------------------------------------------------------------------------
// findDates

/** A date-like element before ranges are assembled. */
interface Atom {
  index: number;
  end: number;
  month: number;
  year?: number;
  day?: number;
  /** Second day of "1-31 ตุลาคม 2563". */
  day2?: number;
  /** Usable on its own (has a year, a day, "เดือน", or is a full Thai month name). */
  strong: boolean;
}

interface Candidate {
  kind: DateMentionKind;
  span: Span;
  index: number;
  end: number;
  /** Set on single fiscal-year / year mentions: the fiscal year they name. */
  anchorFy?: number;
}

interface Pending {
  /** What still needs a fiscal year. */
  type: 'round' | 'quarter' | 'atom' | 'pair';
  index: number;
  end: number;
  /** A year written right with it ("ไตรมาส 2/2564"). */
  fy?: number;
  build: (fy: number) => Candidate | null;
}

/** A written year → BE, or null when implausible. `ce2`: a 2-digit year is CE (English context). */
function yearOf(tok: string, ce2 = false): number | null {
  const n = Number(tok);
  if (tok.length === 4) {
    if (n >= 2400 && n <= 2700) return n;
    if (n >= 1900 && n <= 2200) return n + 543;
    return null;
  }
  if (tok.length === 2) {
    if (ce2) return 2000 + n + 543;
    // 2-digit BE years: 2540–2599 (CE 1997–2056); smaller numbers are counts more often than years.
    return n >= 40 ? 2500 + n : null;
  }
  return null;
}

function ymd(year: number, month: number, day: number): Ymd | null {
  const d = { year, month, day };
  return isValidYmd(d) ? d : null;
}

/** Pick non-overlapping candidates, longest first (earliest on ties), then return them in text order. */
function pickNonOverlapping<T extends { index: number; end: number }>(xs: T[]): T[] {
  const sorted = [...xs].sort((a, b) => b.end - b.index - (a.end - a.index) || a.index - b.index);
  const kept: T[] = []; // sorted by index, pairwise disjoint
  for (const x of sorted) {
    const lo = firstAtOrAfter(kept, x.index);
    const before = kept[lo - 1];
    const after = kept[lo];
    if ((before && before.end > x.index) || (after && after.index < x.end)) continue;
    kept.splice(lo, 0, x);
  }
  return kept;
}

function monthGroup(g: Record<string, string | undefined>): { name: string; tok: string } | null {
  for (const name of ['mfull', 'mshort', 'mdotless', 'mtrunc', 'men']) {
    const tok = g[name];
    if (tok !== undefined) return { name, tok };
  }
  return null;
}

function collectAtoms(text: string): Atom[] {
  const atoms: Atom[] = [];
  for (const m of text.matchAll(ATOM_RE)) {
    const g = m.groups ?? {};
    const ix = m.indices?.groups ?? {};
    const mg = monthGroup(g);
    if (!mg) continue;
    const month = MONTH_BY_KEY.get(monthKey(mg.tok));
    const monthIx = ix[mg.name];
    if (month === undefined || !monthIx) continue;
    const cls = mg.name;
    let index = m.index;
    let end = m.index + m[0].length;
    // Year
    let year: number | undefined;
    if (g.year !== undefined) {
      const ce = /ค/.test(g.ypre ?? '');
      const y = cls === 'men' && g.year.length === 2 && !ce ? null : yearOf(g.year, ce);
      if (y === null) end = monthIx[1];
      else year = y;
    }
    if (cls === 'mdotless' && year === undefined) continue;
    // Day(s)
    let day: number | undefined;
    let day2: number | undefined;
    if (g.d1 !== undefined) {
      const d1 = Number(g.d1);
      const d2 = g.d2 === undefined ? undefined : Number(g.d2);
      const maxDay =
        year === undefined ? (month === 2 ? 29 : daysInMonth(2563, month)) : daysInMonth(year, month);
      const okDay = (d: number): boolean => d >= 1 && d <= maxDay;
      if (okDay(d1) && (d2 === undefined || (okDay(d2) && d2 > d1))) {
        day = d1;
        day2 = d2;
      } else {
        index = ix.mpre?.[0] ?? monthIx[0];
      }
    }
    const hasPrefix =
      g.mpre !== undefined || /เดือน\s*$/.test(text.slice(Math.max(0, monthIx[0] - 7), monthIx[0]));
    const strong =
      year !== undefined || (cls !== 'men' && (day !== undefined || hasPrefix || cls === 'mfull'));
    atoms.push({ index, end, month, year, day, day2, strong });
  }
  for (const m of text.matchAll(EN_MDY_RE)) {
    const g = m.groups ?? {};
    const month = MONTH_BY_KEY.get(monthKey(g.men ?? ''));
    const year = yearOf(g.year ?? '');
    const day = Number(g.d1);
    if (month === undefined || year === null || !ymd(year, month, day)) continue;
    atoms.push({ index: m.index, end: m.index + m[0].length, month, year, day, strong: true });
  }
  for (const m of text.matchAll(DMY_RE)) {
    const g = m.groups ?? {};
    const yTok = g.y ?? '';
    if (g.sep !== '/' && yTok.length !== 4) continue;
    const year = yearOf(yTok);
    const month = Number(g.m);
    const day = Number(g.d);
    if (year === null || !ymd(year, month, day)) continue;
    atoms.push({ index: m.index, end: m.index + m[0].length, month, year, day, strong: true });
  }
  for (const m of text.matchAll(YMD_RE)) {
    const g = m.groups ?? {};
    const year = yearOf(g.y ?? '');
    const month = Number(g.m);
    const day = Number(g.d);
    if (year === null || !ymd(year, month, day)) continue;
    atoms.push({ index: m.index, end: m.index + m[0].length, month, year, day, strong: true });
  }
  return pickNonOverlapping(atoms);
}

const atomStart = (a: Atom, year: number): Ymd | null => ymd(year, a.month, a.day ?? 1);
const atomEnd = (a: Atom, year: number): Ymd | null =>
  ymd(year, a.month, a.day2 ?? a.day ?? daysInMonth(year, a.month));

/** The year a month of fiscal year `fy` falls in. */
const yearInFiscal = (month: number, fy: number): number => (month >= 10 ? fy - 1 : fy);

function atomCandidate(a: Atom, year: number): Candidate | null {
  const start = atomStart(a, year);
  const end = atomEnd(a, year);
  if (!start || !end) return null;
  const kind: DateMentionKind = a.day2 !== undefined ? 'range' : a.day !== undefined ? 'day' : 'month';
  return { kind, span: { start, end }, index: a.index, end: a.end };
}

/** Two atoms joined by "-", "ถึง" … → a range. Years missing on one side come from the other. */
function pairCandidate(a: Atom, b: Atom, fy?: number): Candidate | null {
  let ya = a.year;
  let yb = b.year;
  if (ya === undefined && yb === undefined) {
    if (fy === undefined) return null;
    ya = yearInFiscal(a.month, fy);
    yb = yearInFiscal(b.month, fy);
  } else if (ya === undefined && yb !== undefined) {
    ya = yb;
    const s = atomStart(a, ya);
    const e = atomEnd(b, yb);
    if (s && e && compareYmd(s, e) > 0) ya--;
  } else if (yb === undefined && ya !== undefined) {
    yb = ya;
    const s = atomStart(a, ya);
    const e = atomEnd(b, yb);
    if (s && e && compareYmd(s, e) > 0) yb++;
  }
  if (ya === undefined || yb === undefined) return null;
  const start = atomStart(a, ya);
  const end = atomEnd(b, yb);
  if (!start || !end || compareYmd(start, end) > 0) return null;
  // A range over more than ten years is more likely two unrelated dates.
  if (yb - ya > 10) return null;
  return { kind: 'range', span: { start, end }, index: a.index, end: b.end };
}

const fySpanOf = (y1: number, y2?: number): Span => ({
  start: fiscalYearSpan(y1).start,
  end: fiscalYearSpan(y2 ?? y1).end,
});

/** Second year of "2561-2565" / "2561-65"; null unless it follows y1 within 20 years. */
function secondYear(y1: number, tok: string | undefined, ce2 = false): number | null | undefined {
  if (tok === undefined) return undefined;
  const y2 = tok.length === 2 && !ce2 ? Math.floor(y1 / 100) * 100 + Number(tok) : yearOf(tok, ce2);
  return y2 !== null && y2 > y1 && y2 - y1 <= 20 ? y2 : null;
}

/**
 * Date mentions in `text` (normalised with `normalizeThai` first; `text`/`index` of each mention refer
 * to the normalised text), in text order, without overlaps (a range wins over its parts).
 *
 * Recognised:
 * - days: "1 ตุลาคม 2563", "19 ต.ค. 2563", "วันที่ ๑๑ เดือน มกราคม พ.ศ. ๒๕๖๕", "18ธค66", "1/8/2569"
 *   (d/m/y, BE or CE), "16-10-2566", "2023-10-16", "2023-10-16T11:05:03" (CE; the time zone is ignored),
 *   "16 Oct 2020", "October 16, 2020";
 * - months: "มกราคม 2564", "ม.ค. 64", "ม.ค.64", "เดือนมกราคม 64", "มกรา 64", "Jan 2021";
 * - ranges: two of the above joined by "-", "–", "ถึง", "to"; a year written only on one side is
 *   copied to the other (rolling back/forward a year when needed: "1 ตุลาคม – 31 ธันวาคม 2563");
 *   "1-31 ตุลาคม 2563";
 * - fiscal years: "ปีงบประมาณ พ.ศ. 2564", "ประจำปีงบประมาณ 2564", "ปีงบประมาณ 64", "FY2021",
 *   "ปีงบประมาณ 2564-2565" (several years: kind 'fiscal-year' with a longer span);
 * - years: "ประจำปี 2563", "ปี พ.ศ. 2563", "ปี 2561-2565", "พ.ศ. 2566-2570": kind 'year', spanning the
 *   *fiscal* year(s) — Thai agencies' "ประจำปี 2563" reports cover the budget year. A lone
 *   "พ.ศ. 2540" (as in the names of Acts) is not a mention;
 * - quarters "ไตรมาสที่ 2", "ไตรมาส 1-2", "ไตรมาสแรก", "ไตรมาสที่ 2/2564" (1 = Oct–Dec);
 * - rounds: "รอบ 6 เดือน", "6 เดือนแรก", "ครึ่งปีแรก" (kind 'half', Oct–Mar), "รอบ 6 เดือนหลัง"
 *   (Apr–Sep), "รอบ 3 เดือน" (quarter 1), "รอบ 9 เดือน" (range Oct–Jun), "รอบ 12 เดือน" (fiscal-year).
 *
 * Quarters, rounds and dates without a year ("เดือน มิถุนายน", "1 ตุลาคม – 31 ธันวาคม") are placed in a
 * fiscal year taken from, in order: a year written with them ("ไตรมาส 2/2564"); for quarters and
 * rounds, a date range right after them ("ไตรมาสที่ 1 เดือนตุลาคม 2565-เดือนธันวาคม 2565"); the
 * nearest fiscal-year/year mention in the text; `ctx.fiscalYear`. Without any, they are dropped.
 *
 * Never dates: bare numbers, amounts ("2,564 บาท"), phone numbers, section/page numbers
 * ("มาตรา 50", "หน้า 1/8"), abbreviations that look like months ("ก.พ.ร.", "ก.ค.ศ.").
 */
export function findDates(input: string, ctx: DateContext = {}): DateMention[] {
  const text = normalizeThai(input);
  const fixed: Candidate[] = [];
  const pending: Pending[] = [];

  // Fiscal years and years.
  for (const m of text.matchAll(FY_RE)) {
    const g = m.groups ?? {};
    const ix = m.indices?.groups ?? {};
    const en = /^[A-Za-z]/.test(g.pre ?? '');
    const y1 = yearOf(g.y1 ?? '', en);
    if (y1 === null) continue;
    const y2 = secondYear(y1, g.y2, en);
    const end = y2 === null ? (ix.y1?.[1] ?? m.index) : m.index + m[0].length;
    const anchorFy = y2 ? undefined : y1;
    fixed.push({ kind: 'fiscal-year', span: fySpanOf(y1, y2 ?? undefined), index: m.index, end, anchorFy });
  }
  for (const m of text.matchAll(YEAR_RE)) {
    const g = m.groups ?? {};
    const ix = m.indices?.groups ?? {};
    if (g.z1 !== undefined) {
      const z1 = yearOf(g.z1);
      const z2 = z1 === null ? null : secondYear(z1, g.z2);
      if (z1 === null || !z2) continue;
      fixed.push({ kind: 'year', span: fySpanOf(z1, z2), index: m.index, end: m.index + m[0].length });
      continue;
    }
    const tok = g.y1 ?? '';
    // "ปี 60" is too often a count ("3 ปี 60 วัน"): 2-digit years need "ประจำปี" or "พ.ศ.".
    if (tok.length === 2 && g.pre !== 'ประจำปี' && !g.era) continue;
    const y1 = yearOf(tok, /ค/.test(g.era ?? ''));
    if (y1 === null) continue;
    const y2 = secondYear(y1, g.y2);
    const end = y2 === null ? (ix.y1?.[1] ?? m.index) : m.index + m[0].length;
    const anchorFy = y2 ? undefined : y1;
    fixed.push({ kind: 'year', span: fySpanOf(y1, y2 ?? undefined), index: m.index, end, anchorFy });
  }

  // Quarters.
  for (const m of text.matchAll(QUARTER_RE)) {
    const g = m.groups ?? {};
    const q1 = g.qw === 'แรก' ? 1 : g.qw === 'สุดท้าย' ? 4 : Number(g.q1);
    const q2 = g.q2 === undefined ? q1 : Number(g.q2);
    if (q2 < q1) continue;
    const fy = g.y === undefined ? undefined : (yearOf(g.y) ?? undefined);
    const index = m.index;
    const end = m.index + m[0].length;
    pending.push({
      type: 'quarter',
      index,
      end,
      fy,
      build: (f) => ({
        kind: 'quarter',
        span: { start: fiscalQuarterSpan(f, q1).start, end: fiscalQuarterSpan(f, q2).end },
        index,
        end,
      }),
    });
  }
  // Rounds.
  for (const m of text.matchAll(ROUND_RE)) {
    const g = m.groups ?? {};
    const n = Number(g.n ?? g.n2 ?? 6);
    const late = (g.w ?? g.w2 ?? g.w3) === 'หลัง';
    const index = m.index;
    const end = m.index + m[0].length;
    let kind: DateMentionKind;
    let from: number;
    let to: number;
    if (n === 12) [kind, from, to] = ['fiscal-year', 1, 12];
    else if (n === 3) [kind, from, to] = late ? ['quarter', 10, 12] : ['quarter', 1, 3];
    else if (n === 9) [kind, from, to] = late ? ['range', 4, 12] : ['range', 1, 9];
    else [kind, from, to] = late ? ['half', 7, 12] : ['half', 1, 6];
    pending.push({
      type: 'round',
      index,
      end,
      build: (f) => ({ kind, span: fiscalMonthsSpan(f, from, to), index, end }),
    });
  }

  // Dates, months and ranges.
  const atoms = collectAtoms(text);
  for (let i = 0; i < atoms.length; i++) {
    const a = atoms[i]!;
    const b = atoms[i + 1];
    if (b && CONNECTOR.test(text.slice(a.end, b.index)) && (a.strong || b.strong || a.year || b.year)) {
      if (a.year !== undefined || b.year !== undefined) {
        const c = pairCandidate(a, b);
        if (c) {
          fixed.push(c);
          i++;
          continue;
        }
      } else {
        pending.push({ type: 'pair', index: a.index, end: b.end, build: (f) => pairCandidate(a, b, f) });
        i++;
        continue;
      }
    }
    if (!a.strong) continue;
    if (a.year !== undefined) {
      const c = atomCandidate(a, a.year);
      if (c) fixed.push(c);
    } else {
      pending.push({
        type: 'atom',
        index: a.index,
        end: a.end,
        build: (f) => atomCandidate(a, yearInFiscal(a.month, f)),
      });
    }
  }

  // Place what needs a fiscal year.
  const settled = pickNonOverlapping(fixed);
  /** Single fiscal years written in the text (not inside a date), for placing what needs one. */
  const anchors = settled.flatMap((c) =>
    c.anchorFy === undefined ? [] : [{ index: c.index, end: c.end, fy: c.anchorFy }],
  );
  const dated = settled.filter((c) => c.kind !== 'fiscal-year' && c.kind !== 'year');
  for (const p of pending) {
    let fy = p.fy;
    if (fy === undefined && (p.type === 'quarter' || p.type === 'round')) {
      const next = dated[firstAtOrAfter(dated, p.end)];
      if (next && /^[\s([:,-]*$/.test(text.slice(p.end, next.index))) fy = fiscalYearOf(next.span.start);
    }
    if (fy === undefined) fy = nearestAnchor(anchors, p.index, p.end) ?? ctx.fiscalYear;
    if (fy === undefined) continue;
    const c = p.build(fy);
    if (c) fixed.push(c);
  }

  return pickNonOverlapping(fixed).map((c) => ({
    kind: c.kind,
    span: c.span,
    text: text.slice(c.index, c.end),
    index: c.index,
  }));
}

/** Index of the first item (sorted by index) whose index is ≥ pos; items.length when none. */
function firstAtOrAfter(items: { index: number }[], pos: number): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (items[mid]!.index < pos) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The fiscal year of the anchor nearest to [index, end) (anchors sorted and disjoint); the earlier on ties. */
function nearestAnchor(
  anchors: { index: number; end: number; fy: number }[],
  index: number,
  end: number,
): number | undefined {
  const i = firstAtOrAfter(anchors, index);
  let best: { d: number; fy: number } | undefined;
  for (const a of [anchors[i - 2], anchors[i - 1], anchors[i], anchors[i + 1]]) {
    if (!a) continue;
    const d = a.end <= index ? index - a.end : a.index >= end ? a.index - end : 0;
    if (!best || d < best.d) best = { d, fy: a.fy };
  }
  return best?.fy;
}

/**
 * Months covered by the day, month, range, quarter and half mentions of `text` (fiscal-year and
 * year mentions are left out: a report "ประจำปีงบประมาณ 2564" does not show monthly data by
 * itself), unique and sorted.
 */
export function monthsMentioned(text: string, ctx?: DateContext): YM[] {
  const seen = new Map<number, YM>();
  for (const m of findDates(text, ctx)) {
    if (m.kind === 'fiscal-year' || m.kind === 'year') continue;
    for (const ym of monthsInSpan(m.span)) seen.set(ym.year * 100 + ym.month, ym);
  }
  return [...seen.entries()].sort((a, b) => a[0] - b[0]).map(([, ym]) => ym);
}

// ---------------------------------------------------------------------------------------------
// Month columns in tables

export interface MonthColumns {
  /** 'header': months across row `row`, in columns `cells`; 'column': months down column `col`, in rows `cells`. */
  axis: 'header' | 'column';
  /** The month column (axis 'column'), or the first month column of the header row (axis 'header'). */
  col: number;
  /** The header row (axis 'header'), or the first month row (axis 'column'). */
  row: number;
  /** Column indexes (header) or row indexes (column) of the month cells, in order. */
  cells: number[];
  /** The months, in the same order; year 0 when no year could be found. */
  months: YM[];
}

const CELL_RE = new RegExp(
  `^(?:เดือน\\s*)?(?<tok>[${TH_CHAR}.\\s]+?|[A-Za-z]+\\.?)\\s*[-/']?\\s*(?<era>${ERA}\\s*)?(?<y>\\d{4}|\\d{2})?$`,
  'u',
);

interface CellMonth {
  month: number;
  year?: number;
}

/** A table cell that is just a month, optionally with a year: "ต.ค.63", "ตุลาคม 2563", "Oct-20", "2020-10". */
function parseMonthCell(cell: string): CellMonth | null {
  const s = normalizeThai(cell).replace(/[\s:*]+$/, '');
  if (s.length === 0 || s.length > 30) return null;
  const num = /^(?<y>\d{4})[-/](?<m>[01]?\d)(?:[-/]0?1)?$/.exec(s) ?? /^(?<m>[01]?\d)\/(?<y>\d{4})$/.exec(s);
  if (num?.groups) {
    const month = Number(num.groups.m);
    const year = yearOf(num.groups.y ?? '');
    return month >= 1 && month <= 12 && year !== null ? { month, year } : null;
  }
  const m = CELL_RE.exec(s);
  if (!m?.groups) return null;
  const tok = m.groups.tok ?? '';
  const month = MONTH_BY_KEY.get(monthKey(tok));
  if (month === undefined) return null;
  if (m.groups.y === undefined) return { month };
  const en = isLatin(tok) || /ค/.test(m.groups.era ?? '');
  const year = yearOf(m.groups.y, en);
  return year === null ? null : { month, year };
}

/**
 * Find the months of a table: a header row whose cells are months ("ต.ค.63 | พ.ย. 63 | …", "ตุลาคม |
 * พฤศจิกายน | …"), or a column whose cells are months (one row per month). At least two month cells
 * are needed; the row or column with the most wins (a header row on ties).
 *
 * Years missing from some month cells are carried from their neighbours (rolling over at January);
 * when no month cell has a year, a fiscal year or year named elsewhere in the table ("ปีงบประมาณ
 * 2564") is used — October–December of fiscal year N are in N-1 when the months start at October or
 * later — then `ctx.fiscalYear`; otherwise the months get year 0.
 */
export function detectMonthColumns(rows: string[][], ctx: DateContext = {}): MonthColumns | null {
  const grid = rows.map((r) => r.map(parseMonthCell));
  type Found = { axis: 'header' | 'column'; line: number; cells: number[]; parsed: CellMonth[] };
  let best: Found | null = null;
  const consider = (f: Found): void => {
    if (f.cells.length < 2 || new Set(f.parsed.map((p) => p.month)).size < 2) return;
    if (!best || f.cells.length > best.cells.length) best = f;
  };
  grid.forEach((row, r) => {
    const cells: number[] = [];
    const parsed: CellMonth[] = [];
    row.forEach((p, c) => {
      if (p) {
        cells.push(c);
        parsed.push(p);
      }
    });
    consider({ axis: 'header', line: r, cells, parsed });
  });
  const width = Math.max(0, ...rows.map((r) => r.length));
  for (let c = 0; c < width; c++) {
    const cells: number[] = [];
    const parsed: CellMonth[] = [];
    grid.forEach((row, r) => {
      const p = row[c];
      if (p) {
        cells.push(r);
        parsed.push(p);
      }
    });
    consider({ axis: 'column', line: c, cells, parsed });
  }
  const found = best as Found | null;
  if (!found) return null;

  const parsed = found.parsed;
  let years = parsed.map((p) => p.year);
  if (years.every((y) => y === undefined)) {
    const monthCells = new Set(
      found.cells.map((i) => (found.axis === 'header' ? `${found.line}:${i}` : `${i}:${found.line}`)),
    );
    const others = rows.flatMap((r, ri) => r.filter((_, ci) => !monthCells.has(`${ri}:${ci}`))).join(' | ');
    const mention = findDates(others).find((m) => m.kind === 'fiscal-year' || m.kind === 'year');
    const fy = mention ? fiscalYearOf(mention.span.end) : ctx.fiscalYear;
    const first = parsed[0]!;
    if (fy !== undefined) {
      years = [first.month >= 10 ? fy - 1 : fy];
      for (let i = 1; i < parsed.length; i++) years.push(undefined);
    }
  }
  const filled = fillYears(
    parsed.map((p) => p.month),
    years,
  );
  return {
    axis: found.axis,
    col: found.axis === 'column' ? found.line : found.cells[0]!,
    row: found.axis === 'header' ? found.line : found.cells[0]!,
    cells: found.cells,
    months: parsed.map((p, i) => ({ year: filled[i] ?? 0, month: p.month })),
  };
}

/** Fill missing years in a month sequence from known neighbours, rolling over at year ends. */
function fillYears(months: number[], years: (number | undefined)[]): (number | undefined)[] {
  const out = [...years];
  // forward
  for (let i = 1; i < months.length; i++) {
    const prev = out[i - 1];
    if (out[i] === undefined && prev !== undefined) out[i] = months[i]! < months[i - 1]! ? prev + 1 : prev;
  }
  // backward (cells before the first known year)
  for (let i = months.length - 2; i >= 0; i--) {
    const next = out[i + 1];
    if (out[i] === undefined && next !== undefined) out[i] = months[i]! > months[i + 1]! ? next - 1 : next;
  }
  return out;
}
