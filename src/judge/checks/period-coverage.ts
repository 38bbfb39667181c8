// The period the evidence covers, read from its content the way the evaluator reads it:
// every month of a series, the whole fiscal year of a plan, the previous year's annual report,
// activity within the year up to the assessment, a multi-year plan that includes the year.
import {
  compareYmd,
  fiscalYearSpan,
  formatMonthTh,
  monthsOfFiscalYear,
  type YM,
  type Ymd,
} from '../../extract/thai-dates.js';
import type { Check } from '../../rules/schema.js';
import type { Finding } from '../../types.js';
import {
  type CheckContext,
  type CheckFn,
  type CheckOutcome,
  fail,
  finding,
  pass,
  type Satisfied,
} from '../context.js';
import {
  contentMonths,
  type DatedMention,
  fiscalYearsOf,
  labelMonths,
  mentionsOf,
  planMonths,
  ymKey,
} from '../dated.js';
import { contentText, type EvidenceUnit, excerptAround } from '../evidence-units.js';
import { relevantUnits } from '../relevance.js';
import { blockedByUnreadable } from './unreadable.js';

type PeriodCheck = Extract<Check, { type: 'period-coverage' }>;

const EN_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const enMonth = (ym: YM) => `${EN_MONTHS[ym.month - 1]} ${ym.year - 543}`;
/** Consecutive months as ranges: "มกราคม – มีนาคม 2564", "ตุลาคม 2563, มกราคม 2564". */
function runsOf(yms: YM[]): YM[][] {
  const runs: YM[][] = [];
  for (const m of [...yms].sort((a, b) => ymKey(a) - ymKey(b))) {
    const last = runs[runs.length - 1]?.at(-1);
    const next =
      last &&
      (last.month === 12 ? { year: last.year + 1, month: 1 } : { year: last.year, month: last.month + 1 });
    if (next && ymKey(next) === ymKey(m)) runs[runs.length - 1]!.push(m);
    else runs.push([m]);
  }
  return runs;
}
const thRun = (run: YM[]) => {
  const [a, b] = [run[0]!, run[run.length - 1]!];
  if (run.length === 1) return formatMonthTh(a, 'full');
  const head = formatMonthTh(a, 'full');
  return `${a.year === b.year ? head.replace(` ${a.year}`, '') : head} – ${formatMonthTh(b, 'full')}`;
};
const enRun = (run: YM[]) =>
  run.length === 1 ? enMonth(run[0]!) : `${enMonth(run[0]!)} – ${enMonth(run[run.length - 1]!)}`;
const thList = (yms: YM[]) => runsOf(yms).map(thRun).join(', ');
const enList = (yms: YM[]) => runsOf(yms).map(enRun).join(', ');

/** Documents carry the data when there are any; an item page that lists them would only echo their labels. */
function dataUnits(ctx: CheckContext): EvidenceUnit[] {
  const fetched = ctx.units.filter((u) => u.resource && !u.resource.failure);
  const docs = fetched.filter((u) => u.isDocument);
  return relevantUnits(ctx, docs.length ? docs : fetched);
}

function monthsMode(ctx: CheckContext, check: PeriodCheck): CheckOutcome {
  const fy = ctx.fiscalYear;
  const required = monthsOfFiscalYear(fy, check.fromMonth ?? 1, check.toMonth ?? 6);
  const requiredKeys = new Set(required.map(ymKey));
  const covered = new Map<number, Satisfied>();
  const findings: Finding[] = [];
  const otherYears = new Set<number>();
  for (const u of dataUnits(ctx)) {
    const content = contentMonths(u, fy);
    const labels = labelMonths(u, fy);
    for (const ym of content) {
      const fyOfMonth = ym.month >= 10 ? ym.year + 1 : ym.year;
      if (fyOfMonth !== fy) otherYears.add(fyOfMonth);
    }
    const inWindow = content.filter((m) => requiredKeys.has(ymKey(m)));
    const labelled = labels.filter((m) => requiredKeys.has(ymKey(m)));
    if (
      content.length &&
      labelled.length &&
      !labelled.some((m) => content.some((c) => ymKey(c) === ymKey(m)))
    ) {
      // "ไฟล์เดือน ม.ค. 64 เนื้อหาข้างในเป็นของเดือน ก.พ. 64": the label's month stays missing.
      findings.push(
        finding(
          check,
          'month-mismatch',
          {
            found: thList(labelled),
            foundEn: enList(labelled),
            missing: thList(content),
            missingEn: enList(content),
          },
          { url: u.url, excerpt: u.labels[0] },
        ),
      );
    }
    const counted = content.length ? inWindow : u.parts.length && !u.scanned ? labelled : [];
    for (const ym of counted) {
      if (!covered.has(ymKey(ym))) covered.set(ymKey(ym), { url: u.url, excerpt: formatMonthTh(ym) });
    }
  }
  const missing = required.filter((m) => !covered.has(ymKey(m)));
  if (otherYears.size) {
    const years = [...otherYears].sort().join(', ');
    findings.push(
      finding(check, 'other-year-data', { found: years }, { severity: missing.length ? 'fail' : 'info' }),
    );
  }
  if (!missing.length) return pass([...covered.values()], findings);
  const blocked = blockedByUnreadable(ctx, check);
  if (blocked && covered.size === 0) return blocked;
  const missingTh = thList(missing);
  findings.unshift(
    finding(
      check,
      'months-missing',
      { missing: missingTh, missingEn: enList(missing), year: fy },
      {
        fix: {
          th: `เพิ่มข้อมูลเดือน${missingTh} โดยเนื้อหาในไฟล์ต้องตรงกับเดือนที่ระบุ`,
          en: `Publish the data of ${enList(missing)}, with content that matches the month it is labelled`,
        },
      },
    ),
  );
  return fail(check, findings, [...covered.values()]);
}

function spanOfYears(text: string): { from: number; to: number; index: number }[] {
  const out: { from: number; to: number; index: number }[] = [];
  for (const m of text.matchAll(/(25\d\d)\s*(?:-|ถึง|–)\s*(25\d\d)/g)) {
    const from = Number(m[1]);
    const to = Number(m[2]);
    if (to > from && to - from <= 10) out.push({ from, to, index: m.index ?? 0 });
  }
  return out;
}

function multiYear(ctx: CheckContext, check: PeriodCheck): CheckOutcome {
  const fy = ctx.fiscalYear;
  const seen: string[] = [];
  for (const u of dataUnits(ctx).concat(ctx.units)) {
    for (const text of [...u.labels, contentText(u)]) {
      for (const s of spanOfYears(text)) {
        if (s.from <= fy && fy <= s.to) return pass([{ url: u.url, excerpt: excerptAround(text, s.index) }]);
        seen.push(`${s.from}–${s.to}`);
      }
    }
  }
  if (!seen.length) {
    const blocked = blockedByUnreadable(ctx, check);
    if (blocked) return blocked;
    return {
      outcome: 'review',
      findings: [finding(check, 'no-date', { year: fy }, { severity: 'review' })],
      satisfiedBy: [],
    };
  }
  return fail(check, [finding(check, 'plan-span', { year: fy, found: seen.slice(0, 3).join(', ') })]);
}

/** Fiscal years the head of a document names (its title block), else anywhere in it. */
function namedFiscalYears(u: EvidenceUnit, fy: number): number[] {
  const ms = mentionsOf(u, fy).filter((m) => m.kind === 'fiscal-year' || m.kind === 'year');
  const head = ms.filter((m) => m.where === 'label' || ((m.page ?? 1) === 1 && m.index < 600));
  return [...new Set((head.length ? head : ms).flatMap(fiscalYearsOf))];
}

function previousYear(ctx: CheckContext, check: PeriodCheck): CheckOutcome {
  const target = ctx.fiscalYear - 1;
  const found = new Set<number>();
  for (const u of dataUnits(ctx)) {
    const years = namedFiscalYears(u, ctx.fiscalYear);
    // A range over the whole previous fiscal year also names it ("1 ต.ค. 2562 – 30 ก.ย. 2563").
    const span = fiscalYearSpan(target);
    const wholeRange = mentionsOf(u, ctx.fiscalYear).some(
      (m) =>
        m.kind === 'range' &&
        compareYmd(m.span.start, span.start) <= 0 &&
        compareYmd(m.span.end, span.end) >= 0,
    );
    if (years.includes(target) || wholeRange) {
      return pass([{ url: u.url, excerpt: u.labels[0] }]);
    }
    for (const y of years) found.add(y);
  }
  const blocked = blockedByUnreadable(ctx, check);
  if (blocked) return blocked;
  const others = [...found].sort();
  const f = finding(
    check,
    'previous-year-missing',
    { prevYear: target, year: ctx.fiscalYear, found: others.join(', ') },
    {
      fix: {
        th: `เผยแพร่รายงานของปีงบประมาณ พ.ศ. ${target} (1 ต.ค. ${target - 1} – 30 ก.ย. ${target})`,
        en: `Publish the report of fiscal year B.E. ${target} (Oct ${target - 544} – Sep ${target - 543})`,
      },
    },
  );
  const extra = others.length
    ? [finding(check, 'year-old', { year: target, found: others.join(', ') }, { severity: 'info' })]
    : [];
  return fail(check, [f, ...extra]);
}

function wholeYear(ctx: CheckContext, check: PeriodCheck): CheckOutcome {
  const fy = ctx.fiscalYear;
  const all = monthsOfFiscalYear(fy, 1, 12);
  const found = new Set<number>();
  let partial: { unit: EvidenceUnit; months: YM[] } | null = null;
  for (const u of dataUnits(ctx)) {
    const years = namedFiscalYears(u, fy);
    for (const y of years) found.add(y);
    const months = planMonths(u, fy).filter((m) => all.some((a) => ymKey(a) === ymKey(m)));
    const namesYear = years.includes(fy) || months.length > 0;
    if (!namesYear) continue;
    // A plan "for fiscal year N" with no month detail is taken as the year's plan; one whose detail
    // stops part-way is the evaluator's "ไม่ครอบคลุมระยะเวลาทั้งปีงบประมาณ".
    if (months.length === 0 && years.includes(fy)) return pass([{ url: u.url, excerpt: u.labels[0] }]);
    if (months.length === 12)
      return pass([{ url: u.url, excerpt: `${thList([months[0]!])} – ${thList([months[11]!])}` }]);
    if (!partial || months.length > partial.months.length) partial = { unit: u, months };
  }
  if (partial) {
    const missing = all.filter((a) => !partial.months.some((m) => ymKey(m) === ymKey(a)));
    return fail(check, [
      finding(
        check,
        'not-whole-year',
        { year: fy, missing: thList(missing), missingEn: enList(missing) },
        {
          url: partial.unit.url,
          excerpt: `${thList([partial.months[0]!])} – ${thList([partial.months[partial.months.length - 1]!])}`,
          fix: {
            th: `แผนต้องครอบคลุม 1 ต.ค. ${fy - 1} – 30 ก.ย. ${fy}`,
            en: `The plan must cover 1 Oct ${fy - 544} – 30 Sep ${fy - 543}`,
          },
        },
      ),
    ]);
  }
  const blocked = blockedByUnreadable(ctx, check);
  if (blocked) return blocked;
  const others = [...found].filter((y) => y !== fy).sort();
  return fail(check, [
    others.length
      ? finding(check, 'year-old', { year: fy, found: others.join(', ') })
      : finding(check, 'year-missing', { year: fy }),
  ]);
}

/** Words that introduce a page's publication date, not the date of what it reports. */
const PUBLICATION_CUES =
  /(ลงข่าว|โพสต์|โพสเมื่อ|เผยแพร่เมื่อ|วันที่เผยแพร่|ปรับปรุงล่าสุด|แก้ไขล่าสุด|อัปเดต|อัพเดท|update|posted|เข้าชม)\s*:?\s*(วันที่)?\s*$/i;

function publicationDate(u: EvidenceUnit, m: DatedMention): boolean {
  if (m.where !== 'content') return false;
  for (const part of u.parts) {
    if (part.text.slice(m.index, m.index + m.text.length) === m.text)
      return PUBLICATION_CUES.test(part.text.slice(Math.max(0, m.index - 30), m.index));
  }
  return false;
}

/** A page that links to other evidence of the item is a list: its dates are posting dates. */
function isHub(u: EvidenceUnit, units: EvidenceUnit[]): boolean {
  if (u.isDocument || !u.resource?.links) return false;
  const others = new Set(units.filter((x) => x !== u).map((x) => x.evidence.url));
  return u.resource.links.some((l) => !l.inMenu && others.has(l.url));
}

function currentActivity(ctx: CheckContext, check: PeriodCheck): CheckOutcome {
  const fy = ctx.fiscalYear;
  const start: Ymd = fiscalYearSpan(fy).start;
  let anyDate = false;
  const hits: Satisfied[] = [];
  const fetched = ctx.units.filter((u) => u.resource && !u.resource.failure);
  const leaves = fetched.filter((u) => !isHub(u, fetched));
  for (const u of leaves.length ? leaves : fetched) {
    for (const m of mentionsOf(u, fy)) {
      if (m.kind === 'fiscal-year' || m.kind === 'year' || m.where !== 'content' || publicationDate(u, m))
        continue;
      anyDate = true;
      // Dated inside the year and not after the assessment date.
      if (compareYmd(m.span.end, start) >= 0 && compareYmd(m.span.start, ctx.asOf) <= 0) {
        hits.push({ url: u.url, ...(m.page ? { page: m.page } : {}), excerpt: m.text });
        break;
      }
    }
    if (hits.length >= 3) break;
  }
  if (hits.length) return pass(hits);
  const blocked = blockedByUnreadable(ctx, check);
  if (blocked) return blocked;
  if (!anyDate) {
    // Undated evidence named for the year ("ประจำปีงบประมาณ 2564") is accepted; otherwise a person must look.
    const named = ctx.units.some((u) => namedFiscalYears(u, fy).includes(fy));
    if (named) return pass(ctx.units.slice(0, 1).map((u) => ({ url: u.url })));
    return {
      outcome: 'review',
      findings: [finding(check, 'no-date', { year: fy }, { severity: 'review' })],
      satisfiedBy: [],
    };
  }
  return fail(check, [finding(check, 'not-current', { year: fy })]);
}

export const periodCoverage: CheckFn<PeriodCheck> = (ctx, check) => {
  switch (check.mode) {
    case 'months':
      return monthsMode(ctx, check);
    case 'whole-year':
      return wholeYear(ctx, check);
    case 'previous-year':
      return previousYear(ctx, check);
    case 'current-activity':
      return currentActivity(ctx, check);
    case 'multi-year':
      return multiYear(ctx, check);
  }
};
