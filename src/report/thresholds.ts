// CI gates: decide from a report (and optionally a baseline diff) whether a scan should fail the build.
import type { BaselineDiff } from './baseline.js';
import type { Report } from './schema.js';

export interface ThresholdOptions {
  /** Fail when the confirmed OIT score (review counted as 0) is below this. */
  failUnder?: number;
  /** 'any': fail when any item fails; a list of item ids: fail when one of them fails. Review never fails. */
  failOn?: 'any' | string[];
  /** Fail when `diff.regression` is true. Without a diff (first run, no baseline) this gate passes. */
  failOnRegression?: boolean;
  diff?: BaselineDiff;
}

export interface Reason {
  th: string;
  en: string;
}

export interface ThresholdResult {
  failed: boolean;
  reasons: Reason[];
}

const MAX_LISTED = 10;

function list(ids: string[]): string {
  return ids.length > MAX_LISTED
    ? `${ids.slice(0, MAX_LISTED).join(', ')} … (+${ids.length - MAX_LISTED})`
    : ids.join(', ');
}

export function evaluateThresholds(report: Report, opts: ThresholdOptions): ThresholdResult {
  const reasons: Reason[] = [];

  if (opts.failUnder !== undefined) {
    if (!Number.isFinite(opts.failUnder)) throw new Error(`--fail-under: not a number: ${opts.failUnder}`);
    const oit = report.scores.oit;
    if (oit < opts.failUnder)
      reasons.push({
        th: `คะแนน OIT ${oit.toFixed(2)} ต่ำกว่าเกณฑ์ ${opts.failUnder}`,
        en: `OIT score ${oit.toFixed(2)} is below --fail-under ${opts.failUnder}`,
      });
  }

  if (opts.failOn !== undefined) {
    const failing = report.items.filter((i) => i.verdict === 'fail').map((i) => i.id);
    if (opts.failOn === 'any') {
      if (failing.length > 0)
        reasons.push({
          th: `มี ${failing.length} ข้อที่ไม่ผ่าน: ${list(failing)}`,
          en: `${failing.length} item(s) fail: ${list(failing)}`,
        });
    } else {
      const known = new Set(report.items.map((i) => i.id));
      const watched = opts.failOn.map((id) => id.toUpperCase());
      const hit = watched.filter((id) => failing.includes(id));
      if (hit.length > 0)
        reasons.push({
          th: `ข้อที่กำหนดใน --fail-on ไม่ผ่าน: ${list(hit)}`,
          en: `item(s) named in --fail-on fail: ${list(hit)}`,
        });
      // A typo in the gate must not pass silently.
      const unknown = watched.filter((id) => !known.has(id));
      if (unknown.length > 0)
        reasons.push({
          th: `--fail-on ระบุข้อที่ไม่มีในรายงาน: ${list(unknown)}`,
          en: `--fail-on names item(s) not in the report: ${list(unknown)}`,
        });
    }
  }

  if (opts.failOnRegression && opts.diff?.regression) {
    const d = opts.diff;
    const worse = d.verdictChanges
      .filter((c) => c.from === 'pass' && (c.to === 'fail' || c.to === 'review'))
      .map((c) => `${c.id} ${c.from}→${c.to}`);
    const newFail = d.newFindings.filter((f) => f.severity === 'fail').map((f) => `${f.item} ${f.code}`);
    const parts = [...worse, ...newFail];
    reasons.push({
      th: `ถดถอยจาก baseline: ${list(parts)}`,
      en: `regression since the baseline: ${list(parts)}`,
    });
  }

  return { failed: reasons.length > 0, reasons };
}

/** Parse `--fail-on`: "any", or item ids like "O15,O23" (case-insensitive; commas and/or spaces). */
export function parseFailOn(value: string): 'any' | string[] {
  const v = value.trim();
  if (v.toLowerCase() === 'any') return 'any';
  const parts = v.split(/[\s,]+/).filter((p) => p !== '');
  if (parts.length === 0)
    throw new Error(`--fail-on: expected "any" or item ids like "O15,O23", got ${JSON.stringify(value)}`);
  const ids: string[] = [];
  for (const p of parts) {
    const m = /^o(\d{1,2})$/i.exec(p);
    const n = m ? Number(m[1]) : 0;
    if (!m || n < 1)
      throw new Error(
        `--fail-on: ${JSON.stringify(p)} is not an item id (expected "any" or ids like "O15,O23", O1–O99)`,
      );
    const id = `O${n}`;
    if (!ids.includes(id)) ids.push(id);
  }
  return ids;
}

/** Parse `--fail-under`: a score from 0 to 100. */
export function parseFailUnder(value: string): number {
  const v = value.trim();
  const n = v === '' ? Number.NaN : Number(v);
  if (!Number.isFinite(n) || n < 0 || n > 100)
    throw new Error(`--fail-under: expected a score from 0 to 100, got ${JSON.stringify(value)}`);
  return n;
}
