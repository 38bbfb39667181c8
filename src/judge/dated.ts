// Dates read from evidence, with where they were read: the unit's labels (link text, file name, title)
// or its content (page or document text, table month columns, sheet names).
import {
  type DateMention,
  detectMonthColumns,
  findDates,
  fiscalYearOf,
  monthsInSpan,
  type YM,
} from '../extract/thai-dates.js';
import type { EvidenceUnit } from './evidence-units.js';

export interface DatedMention extends DateMention {
  where: 'label' | 'content';
  page?: number;
}

const cache = new WeakMap<EvidenceUnit, DatedMention[]>();

/** Every date mention of a unit (cached per unit for the run). */
export function mentionsOf(u: EvidenceUnit, fiscalYear: number): DatedMention[] {
  const hit = cache.get(u);
  if (hit) return hit;
  const out: DatedMention[] = [];
  // The agency's claim (link text, file name) is a label; a document's own title is part of its content.
  for (const label of u.labels) {
    const where = u.claims.includes(label) ? 'label' : 'content';
    for (const m of findDates(label, { fiscalYear }))
      out.push({ ...m, where, index: where === 'content' ? 0 : m.index });
  }
  for (const part of u.parts) {
    for (const m of findDates(part.text, { fiscalYear })) {
      const d: DatedMention = { ...m, where: 'content' };
      if (part.page !== undefined) d.page = part.page;
      out.push(d);
    }
  }
  cache.set(u, out);
  return out;
}

/** Fiscal years a mention touches. */
export function fiscalYearsOf(m: DateMention): number[] {
  const a = fiscalYearOf(m.span.start);
  const b = fiscalYearOf(m.span.end);
  const out: number[] = [];
  for (let y = a; y <= b; y++) out.push(y);
  return out;
}

export const ymKey = (ym: YM) => ym.year * 100 + ym.month;

const PERIOD_KINDS = new Set(['range', 'quarter', 'half']);
const MONTHLY_KINDS = new Set(['month', 'range', 'quarter', 'half']);
/** The title block of a page or sheet: where a report says which period it is about. */
const HEAD_CHARS = 350;

function addAll(into: Map<number, YM>, yms: YM[]): void {
  for (const ym of yms) if (ym.year > 0) into.set(ymKey(ym), ym);
}

function sorted(months: Map<number, YM>): YM[] {
  return [...months.values()].sort((a, b) => ymKey(a) - ymKey(b));
}

/**
 * The months a unit's *content* is about, read the way a person reads a report:
 * 1. the period its title block states ("สรุปผล… ประจำเดือนตุลาคม 2563", "ไตรมาสที่ 1 (1 ต.ค. – 31 ธ.ค. 2563)"),
 *    per page or sheet — contract periods and signature dates further down do not change what it is about;
 * 2. otherwise the months of its tables (month columns or rows) and sheet names;
 * 3. otherwise periods stated anywhere, then month names, then single dates.
 */
export function contentMonths(u: EvidenceUnit, fiscalYear: number): YM[] {
  const mentions = mentionsOf(u, fiscalYear).filter((m) => m.where === 'content');
  const head = new Map<number, YM>();
  u.parts.forEach((part, i) => {
    const inHead = mentions.filter(
      (m) => m.index < HEAD_CHARS && (part.page === undefined ? m.page === undefined : m.page === part.page),
    );
    // Later pages of a PDF repeat the title at most; only the first page's head may state a range.
    const kinds = i === 0 ? MONTHLY_KINDS : new Set(['month']);
    for (const m of inHead) if (kinds.has(m.kind)) addAll(head, monthsInSpan(m.span));
  });
  const structural = new Map<number, YM>();
  for (const part of u.parts) {
    if (part.rows?.length) {
      const cols = detectMonthColumns(part.rows);
      if (cols) addAll(structural, cols.months);
    }
    // A spreadsheet sheet named for a month ("ม.ค.64") is that month's data.
    if (part.page === undefined && part.label !== 'page' && part.label !== 'document') {
      for (const m of findDates(part.label, { fiscalYear }))
        if (m.kind === 'month') addAll(structural, monthsInSpan(m.span));
    }
  }
  // A table of months richer than, and consistent with, the title wins; a stray date column does not.
  const consistent = [...head.keys()].every((k) => structural.has(k));
  if (head.size) return sorted(consistent && structural.size >= 3 ? structural : head);
  if (structural.size >= 2) return sorted(structural);
  const months = new Map<number, YM>();
  for (const m of mentions) if (PERIOD_KINDS.has(m.kind)) addAll(months, monthsInSpan(m.span));
  if (months.size) return sorted(months);
  const named = mentions.filter((m) => m.kind === 'month');
  for (const m of named.length ? named : mentions.filter((x) => x.kind === 'day'))
    addAll(months, monthsInSpan(m.span));
  return sorted(months);
}

/** Months the unit's labels claim (link text, file name, title). */
export function labelMonths(u: EvidenceUnit, fiscalYear: number): YM[] {
  const months = new Map<number, YM>();
  for (const m of mentionsOf(u, fiscalYear)) {
    if (m.where !== 'label' || !['month', 'day', 'range', 'quarter', 'half'].includes(m.kind)) continue;
    for (const ym of monthsInSpan(m.span)) months.set(ymKey(ym), ym);
  }
  return [...months.values()].sort((a, b) => ymKey(a) - ymKey(b));
}

/**
 * The period a *plan* says it covers: a range, half or quarter stated in its title block; else its table
 * of months or quarters (a spending plan's month columns, "ไตรมาสที่ 1 | ไตรมาสที่ 2"); else nothing
 * (the plan states only its fiscal year). The times of single projects inside a plan are not the plan's period.
 */
export function planMonths(u: EvidenceUnit, fiscalYear: number): YM[] {
  const mentions = mentionsOf(u, fiscalYear).filter((m) => m.where === 'content');
  const first = u.parts[0];
  const head = new Map<number, YM>();
  for (const m of mentions) {
    const inFirst = first && (first.page === undefined ? m.page === undefined : m.page === first.page);
    if (inFirst && m.index < HEAD_CHARS && PERIOD_KINDS.has(m.kind)) addAll(head, monthsInSpan(m.span));
  }
  if (head.size) return sorted(head);
  const table = new Map<number, YM>();
  for (const part of u.parts) {
    if (part.rows?.length) {
      const cols = detectMonthColumns(part.rows);
      // Month *columns* (a spending plan's monthly breakdown); a column of dates is when each project runs.
      if (cols && cols.axis === 'header' && cols.months.length >= 3) addAll(table, cols.months);
    }
  }
  for (const m of mentions)
    if (m.kind === 'quarter' || m.kind === 'half') addAll(table, monthsInSpan(m.span));
  return sorted(table);
}
