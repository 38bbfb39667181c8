// JUnit XML for CI test reporters (GitLab, Jenkins, GitHub actions that read JUnit): one <testsuite> per
// sub-indicator (9.1 … 10.2), one <testcase> per item: classname "OIT.9.2", name "O15 ข้อมูลเชิงสถิติการให้บริการ".
// fail → <failure>, review → <skipped>, pass → a plain test case.
import type { ItemResult, Report } from './schema.js';

type Finding = ItemResult['findings'][number];

/** Characters not allowed in XML 1.0 (C0 controls except tab/LF/CR, lone surrogates, U+FFFE/U+FFFF). */
const ILLEGAL_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export function stripIllegalXml(s: string): string {
  return s.replace(ILLEGAL_XML, '');
}

/** Escape for element content. */
export function xmlText(s: string): string {
  return stripIllegalXml(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Escape for a double-quoted attribute value; tab/newline are kept as character references (not normalised). */
export function xmlAttr(s: string): string {
  return xmlText(s)
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\t/g, '&#9;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;');
}

function attrs(a: Record<string, string | number>): string {
  return Object.entries(a)
    .map(([k, v]) => ` ${k}="${xmlAttr(String(v))}"`)
    .join('');
}

function seconds(ms: number): string {
  return (Math.max(0, ms) / 1000).toFixed(3);
}

/** ISO 8601 without zone, as the JUnit XSD wants (report times are UTC). Falls back to the input. */
function junitTimestamp(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toISOString().slice(0, 19);
}

function bilingual(m: { th: string; en: string }): string {
  return m.th === m.en ? m.th : `${m.th} — ${m.en}`;
}

function clip(s: string, n: number): string {
  const cps = [...s];
  return cps.length > n ? `${cps.slice(0, n - 1).join('')}…` : s;
}

/** One finding as plain text lines, for the failure/skipped body. */
function findingText(f: Finding): string {
  const lines = [`[${f.severity}] ${f.code}: ${bilingual(f.message)}`];
  if (f.url) lines.push(`  url: ${f.url}`);
  if (f.page !== undefined) lines.push(`  page: ${f.page}`);
  if (f.excerpt) lines.push(`  excerpt: ${f.excerpt}`);
  if (f.fix) lines.push(`  fix: ${bilingual(f.fix)}`);
  return lines.join('\n');
}

const MAX_EVIDENCE = 20;

function evidenceText(item: ItemResult): string {
  if (item.evidence.length === 0) return 'evidence: none found';
  const lines = item.evidence
    .slice(0, MAX_EVIDENCE)
    .map((e) => `  ${e.url} (${e.status ?? 'no status'}; via ${e.via}; ${e.path.join(' > ') || e.linkText})`);
  if (item.evidence.length > MAX_EVIDENCE) lines.push(`  … +${item.evidence.length - MAX_EVIDENCE} more`);
  return `evidence:\n${lines.join('\n')}`;
}

function mainFinding(item: ItemResult, severity: 'fail' | 'review'): Finding | undefined {
  return (
    item.findings.find((f) => f.severity === severity) ?? item.findings.find((f) => f.severity !== 'info')
  );
}

function testcase(item: ItemResult, time: string): string {
  const head = `    <testcase${attrs({ classname: `OIT.${item.subIndicator}`, name: `${item.id} ${item.name.th}`, time })}`;
  const body: string[] = [];
  const details = item.findings.map(findingText).join('\n\n');
  if (item.verdict === 'fail') {
    const f = mainFinding(item, 'fail');
    const message = f ? bilingual(f.message) : 'ไม่ผ่าน — fail';
    body.push(
      `      <failure${attrs({ message: clip(message, 500), type: f?.code ?? 'fail' })}>${xmlText(details || message)}</failure>`,
    );
  } else if (item.verdict === 'review') {
    const f = mainFinding(item, 'review');
    const message = `ต้องตรวจด้วยคน — needs review: ${f ? bilingual(f.message) : item.name.en}`;
    body.push(`      <skipped${attrs({ message: clip(message, 500) })}>${xmlText(details)}</skipped>`);
  }
  const out = [`${item.name.en}`, evidenceText(item)];
  if (item.verdict === 'pass' && item.findings.length > 0) out.push(`notes:\n${details}`);
  body.push(`      <system-out>${xmlText(out.join('\n'))}</system-out>`);
  return `${head}>\n${body.join('\n')}\n    </testcase>`;
}

export function renderJunit(report: Report): string {
  const subs: string[] = [];
  const bySub = new Map<string, ItemResult[]>();
  for (const item of report.items) {
    const list = bySub.get(item.subIndicator);
    if (list) list.push(item);
    else {
      subs.push(item.subIndicator);
      bySub.set(item.subIndicator, [item]);
    }
  }
  const count = (items: ItemResult[], v: ItemResult['verdict']) =>
    items.filter((i) => i.verdict === v).length;
  const timestamp = junitTimestamp(report.finishedAt);
  // The scan is one crawl: its duration is shared out evenly over the items so suite/case times add up.
  const total = report.items.length;
  const perItemMs = total > 0 ? report.crawl.durationMs / total : 0;
  const base = `ita-check OIT ${report.framework.id} ${report.site.finalUrl || report.site.url}`;
  const s = report.scores;

  const lines: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  lines.push(
    `<testsuites${attrs({
      name: base,
      tests: total,
      failures: count(report.items, 'fail'),
      errors: 0,
      skipped: count(report.items, 'review'),
      time: seconds(report.crawl.durationMs),
      timestamp,
    })}>`,
  );
  for (const sub of subs) {
    const items = bySub.get(sub)!;
    lines.push(
      `  <testsuite${attrs({
        name: `${base} ${sub}`,
        tests: items.length,
        failures: count(items, 'fail'),
        errors: 0,
        skipped: count(items, 'review'),
        time: seconds(perItemMs * items.length),
        timestamp,
      })}>`,
    );
    const props: [string, string | number][] = [
      ['framework', report.framework.id],
      ['fiscalYear', report.fiscalYear],
      ['asOf', report.asOf],
      ['site', report.site.finalUrl],
      ['tool', `${report.tool.name} ${report.tool.version}`],
      ['subIndicator', sub],
      ['subIndicatorScore', s.subIndicators[sub] ?? ''],
      ['oit', s.oit],
      ['oitPotential', s.oitPotential],
      ['grade', s.grade],
    ];
    lines.push('    <properties>');
    for (const [name, value] of props) lines.push(`      <property${attrs({ name, value })}/>`);
    lines.push('    </properties>');
    for (const item of items) lines.push(testcase(item, seconds(perItemMs)));
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}
