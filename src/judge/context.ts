// What every check receives: the item, its evidence, the crawl, the framework's year and window,
// and the verdicts of the items judged before it (for dependencies).

import type { Ymd } from '../extract/thai-dates.js';
import type { Check, Framework, Item } from '../rules/schema.js';
import type { CrawlResult, Finding, Severity, Verdict } from '../types.js';
import type { EvidenceUnit } from './evidence-units.js';
import { message, type Vars } from './messages.js';

export interface CheckContext {
  item: Item;
  framework: Framework;
  crawl: CrawlResult;
  units: EvidenceUnit[];
  fiscalYear: number;
  /** The date the assessment is judged at. */
  asOf: Ymd;
  /** Verdicts of items already judged. */
  verdicts: Map<string, Verdict>;
}

export type Outcome = 'pass' | 'fail' | 'review' | 'skip';

export interface Satisfied {
  url: string;
  page?: number;
  excerpt?: string;
}

export interface CheckOutcome {
  outcome: Outcome;
  findings: Finding[];
  satisfiedBy: Satisfied[];
}

export type CheckFn<C extends Check = Check> = (ctx: CheckContext, check: C) => CheckOutcome;

/** Builds findings with the check's (or the item's) wording. */
export function finding(
  check: Check,
  code: string,
  vars: Vars,
  extra: {
    severity?: Severity;
    url?: string;
    page?: number;
    excerpt?: string;
    fix?: { th: string; en: string };
  } = {},
): Finding {
  const f: Finding = {
    code,
    severity: extra.severity ?? check.severity ?? 'fail',
    message: message(code, vars, check.messages),
  };
  if (extra.url) f.url = extra.url;
  if (extra.page !== undefined) f.page = extra.page;
  if (extra.excerpt) f.excerpt = extra.excerpt;
  if (extra.fix) f.fix = extra.fix;
  return f;
}

export function pass(satisfiedBy: Satisfied[] = [], findings: Finding[] = []): CheckOutcome {
  return { outcome: 'pass', findings, satisfiedBy };
}

/** Fails with the given findings; a check softened by the user (severity review/info) reviews or passes. */
export function fail(check: Check, findings: Finding[], satisfiedBy: Satisfied[] = []): CheckOutcome {
  const sev = check.severity ?? 'fail';
  return { outcome: sev === 'fail' ? 'fail' : sev === 'review' ? 'review' : 'pass', findings, satisfiedBy };
}

export function review(findings: Finding[], satisfiedBy: Satisfied[] = []): CheckOutcome {
  return { outcome: 'review', findings, satisfiedBy };
}
