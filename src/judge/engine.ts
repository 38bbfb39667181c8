// Judges every item of a framework from the evidence index: runs the item's checks in order and
// combines them into pass / fail / review. Pure: no network, no clock (the as-of date is an input).

import { isOnSite } from '../crawl/scope.js';
import { DOCUMENT_EXTENSIONS } from '../crawl/sniff.js';
import { urlExtension } from '../crawl/url.js';
import type { EvidenceIndex } from '../evidence/discover.js';
import type { Ymd } from '../extract/thai-dates.js';
import type { CheckResult, ItemResult } from '../report/schema.js';
import type { Framework, Item } from '../rules/schema.js';
import type { CrawlResult, Finding, Verdict } from '../types.js';
import { LOCATION_CHECKS, runCheck } from './checks/index.js';
import { type CheckContext, finding } from './context.js';
import { toUnit } from './evidence-units.js';
import { fill } from './messages.js';

export interface JudgeInput {
  crawl: CrawlResult;
  framework: Framework;
  evidence: EvidenceIndex;
  asOf: Ymd;
}

/** Fills the placeholders every message may use: {year}, {prevYear}, {yearShort}, {item}. */
function withYears(f: Finding, year: number, item: string): Finding {
  const vars = { year, prevYear: year - 1, yearShort: String(year).slice(-2), item };
  return { ...f, message: { th: fill(f.message.th, vars), en: fill(f.message.en, vars) } };
}

/** Two checks may see the same problem (a year check and a period check): say it once. */
function addFinding(into: Finding[], f: Finding): void {
  if (into.some((g) => g.message.th === f.message.th && g.url === f.url)) return;
  into.push(f);
}

function u0<T>(xs: T[]): T {
  return xs[0]!;
}

/** Items in an order where every dependency comes first. */
function dependencyOrder(items: Item[]): Item[] {
  const byId = new Map(items.map((i) => [i.id, i]));
  const done = new Set<string>();
  const out: Item[] = [];
  const visit = (item: Item, stack: string[]) => {
    if (done.has(item.id) || stack.includes(item.id)) return;
    for (const c of item.checks) {
      const dep = c.type === 'depends-on' ? byId.get(c.item) : undefined;
      if (dep) visit(dep, [...stack, item.id]);
    }
    done.add(item.id);
    out.push(item);
  };
  for (const item of items) visit(item, []);
  return out;
}

export function judgeItem(item: Item, input: JudgeInput, verdicts: Map<string, Verdict>): ItemResult {
  const { crawl, framework, evidence } = input;
  const ev = evidence.byItem.get(item.id) ?? [];
  const units = ev.map((e) => toUnit(e, crawl.resources.get(e.url)));
  // Where to look is not what is there: a navigation guide, or (for a report or plan) the homepage a row
  // starts from, is checked for where it is but never read as the item's content.
  const home = new Set([crawl.homeUrl, crawl.startUrl]);
  const pointer = (u: (typeof units)[number]) =>
    u.guide || (item.kind === 'document' && (home.has(u.url) || home.has(u.evidence.url)));
  const content = units.filter((u) => !pointer(u));
  const ctx: CheckContext = {
    item,
    framework,
    crawl,
    units,
    fiscalYear: framework.fiscalYear,
    asOf: input.asOf,
    verdicts,
  };
  const contentCtx: CheckContext = { ...ctx, units: content };
  const onlyPointers = units.length > 0 && content.length === 0;
  const findings: Finding[] = [];
  const checks: CheckResult[] = [];
  let stop = false;
  let verdict: Verdict = 'pass';
  // Content checks need something to read: evidence that is all off-site or unfetched is judged by
  // where it is (on-main-site decides), not failed for saying nothing.
  const readable = units.some((u) => u.resource && !u.resource.failure);
  for (const check of item.checks) {
    if (
      !stop &&
      !readable &&
      units.length &&
      !LOCATION_CHECKS.has(check.type) &&
      check.type !== 'depends-on' &&
      check.type !== 'external-links' &&
      check.type !== 'online-channel'
    ) {
      checks.push({ check: check.type, outcome: 'skip', satisfiedBy: [] });
      continue;
    }
    const location = LOCATION_CHECKS.has(check.type) || check.type === 'depends-on';
    if (stop || (onlyPointers && !location)) {
      checks.push({ check: check.type, outcome: 'skip', satisfiedBy: [] });
      continue;
    }
    const out = runCheck(check, location ? ctx : contentCtx);
    checks.push({ check: check.type, outcome: out.outcome, satisfiedBy: out.satisfiedBy });
    for (const f of out.findings) addFinding(findings, withYears(f, framework.fiscalYear, item.id));
    if (out.outcome === 'fail') verdict = 'fail';
    else if (out.outcome === 'review' && verdict === 'pass') verdict = 'review';
    // Without a working URL there is nothing to read: the rest of the checks are skipped.
    if (
      out.outcome === 'fail' &&
      LOCATION_CHECKS.has(check.type) &&
      (check.type === 'url-present' || check.type === 'reachable')
    )
      stop = true;
  }
  const first = item.checks[0] ?? { type: 'url-present' as const };
  if (onlyPointers && !stop) {
    // Only the homepage and a guide to the menus: the steps lead the evaluator to nothing he can score.
    verdict = 'fail';
    findings.unshift(
      finding(
        first,
        'pointers-only',
        { item: item.id },
        { url: units.find((u) => u.guide)?.url ?? units[0]!.url },
      ),
    );
  }
  // A report or plan whose documents could none of them be read (scans) has not been read: whatever the
  // page around them says, a person must look before it counts as passed.
  if (verdict === 'pass' && item.kind === 'document') {
    const docs = units.filter(
      (u) => u.isDocument && u.resource && !u.resource.failure && u.resource.kind !== 'image',
    );
    if (docs.length && docs.every((u) => u.scanned || u.unreadable)) {
      verdict = 'review';
      findings.push(
        finding(
          first,
          u0(docs).scanned ? 'scanned-document' : 'unreadable-document',
          { found: u0(docs).unreadable ?? '' },
          {
            severity: 'review',
            url: u0(docs).url,
          },
        ),
      );
    }
  }
  const discoveredOnly =
    ev.length > 0 && ev.every((e) => e.via === 'menu' || e.via === 'title' || e.via === 'content');
  // A report whose files all fail to open (the page around them only names it): the evaluator cannot read
  // it, so it scores 0, and that is the first thing to say (not what the page alone lacks).
  if (verdict !== 'pass' && item.kind === 'document') {
    const files = units.filter(
      (u) => isOnSite(u.url, crawl.siteHosts) && DOCUMENT_EXTENSIONS.has(urlExtension(u.url)),
    );
    const broken = files.filter((u) => u.resource && (u.resource.failure || (u.resource.status ?? 0) >= 400));
    if (files.length && broken.length === files.length) {
      verdict = 'fail';
      const status = broken[0]!.resource!.status;
      findings.unshift(
        finding(
          first,
          'document-unreachable',
          { status: status ? `HTTP ${status}` : 'error' },
          { url: broken[0]!.url },
        ),
      );
    }
  }
  if (evidence.emptyRows.has(item.id)) {
    // The agency's own ITA page gives the item no URL: that is what it submits, so the evaluator finds
    // "ไม่มี URL", whatever else the site holds (found-outside-index below says where it is).
    if (discoveredOnly) {
      verdict = 'fail';
      const present = item.checks.find((c) => c.type === 'url-present') ?? first;
      findings.unshift(finding(present, 'no-url', { item: item.id }));
    }
    const stated = discoveredOnly || ev.length === 0;
    findings.push(finding(first, 'empty-row', { item: item.id }, { severity: stated ? 'fail' : 'info' }));
  }
  if (evidence.indexPages.length && discoveredOnly) {
    findings.push(
      finding(first, 'found-outside-index', { url: ev[0]!.url }, { severity: 'info', url: ev[0]!.url }),
    );
  }
  const ocrUnit = units.find((u) => u.ocr);
  if (ocrUnit) findings.push(finding(first, 'ocr-text', {}, { severity: 'info', url: ocrUnit.url }));
  return {
    id: item.id,
    name: item.name,
    subIndicator: item.subIndicator,
    group: item.group,
    verdict,
    score: verdict === 'pass' ? 100 : verdict === 'fail' ? 0 : null,
    evidence: ev,
    findings,
    checks,
  };
}

export function judge(input: JudgeInput): ItemResult[] {
  const verdicts = new Map<string, Verdict>();
  const results = new Map<string, ItemResult>();
  for (const item of dependencyOrder(input.framework.items)) {
    const r = judgeItem(item, input, verdicts);
    verdicts.set(item.id, r.verdict);
    results.set(item.id, r);
  }
  return input.framework.items.map((i) => results.get(i.id)!);
}
