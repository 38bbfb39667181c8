// CI outputs and gates: JUnit XML, Markdown summary, per-finding baseline diff, thresholds.
// Built on a real demo report (test/report/fixtures/demo-report.json) and variants derived from it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as cheerio from 'cheerio';
import { afterAll, describe, expect, it } from 'vitest';
import {
  BaselineError,
  diffReports,
  loadBaseline,
  normaliseFindingUrl,
  parseBaseline,
} from '../../src/report/baseline.js';
import { renderJunit } from '../../src/report/junit.js';
import { MARKDOWN_BUDGET, renderMarkdown } from '../../src/report/markdown.js';
import { type ItemResult, type Report, ReportSchema } from '../../src/report/schema.js';
import { evaluateThresholds, parseFailOn, parseFailUnder } from '../../src/report/thresholds.js';
import { requireTool } from '../helpers/tools.js';

const FIXTURE = join(import.meta.dirname, 'fixtures', 'demo-report.json');
const demo: Report = ReportSchema.parse(JSON.parse(readFileSync(FIXTURE, 'utf8')));
const FAILING = demo.items.filter((i) => i.verdict === 'fail').map((i) => i.id);

function clone(): Report {
  return structuredClone(demo);
}
function item(r: Report, id: string): ItemResult {
  const found = r.items.find((i) => i.id === id);
  if (!found) throw new Error(`no ${id}`);
  return found;
}
function setVerdict(r: Report, id: string, verdict: ItemResult['verdict']): ItemResult {
  const it = item(r, id);
  it.verdict = verdict;
  it.score = verdict === 'pass' ? 100 : verdict === 'fail' ? 0 : null;
  r.scores.counts = {
    pass: r.items.filter((i) => i.verdict === 'pass').length,
    fail: r.items.filter((i) => i.verdict === 'fail').length,
    review: r.items.filter((i) => i.verdict === 'review').length,
  };
  return it;
}

/** O30 fixed (its fail finding gone), O15 broken with a new fail finding. */
function fixOneBreakOne(): Report {
  const r = clone();
  setVerdict(r, 'O30', 'pass').findings = [];
  setVerdict(r, 'O15', 'fail').findings.push({
    code: 'months-missing',
    severity: 'fail',
    message: { th: 'ไม่พบข้อมูลเดือนมีนาคม', en: 'March is missing' },
    url: `${r.site.finalUrl}stat.php?y=2564`,
  });
  r.scores.oit = 85.1;
  return r;
}

/** Minimal XML 1.0 well-formedness check without regular expressions: returns the problems found. */
function wellFormedProblems(xml: string): string[] {
  const problems: string[] = [];
  for (const ch of xml) {
    const c = ch.codePointAt(0)!;
    const ok =
      c === 0x9 ||
      c === 0xa ||
      c === 0xd ||
      (c >= 0x20 && c <= 0xd7ff) ||
      (c >= 0xe000 && c <= 0xfffd) ||
      (c >= 0x10000 && c <= 0x10ffff);
    if (!ok) problems.push(`illegal character U+${c.toString(16)}`);
  }
  const isNameChar = (ch: string) =>
    (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || '-_:.'.includes(ch);
  const checkRefs = (s: string, where: string) => {
    let at = s.indexOf('&');
    while (at >= 0) {
      const end = s.indexOf(';', at);
      const ref = end < 0 ? '' : s.slice(at + 1, end);
      const numeric =
        ref.startsWith('#x') && ref.length > 2
          ? [...ref.slice(2)].every((d) => '0123456789abcdefABCDEF'.includes(d))
          : ref.startsWith('#') && ref.length > 1 && [...ref.slice(1)].every((d) => d >= '0' && d <= '9');
      if (!numeric && !['lt', 'gt', 'amp', 'quot', 'apos'].includes(ref))
        problems.push(`bad reference in ${where}`);
      at = s.indexOf('&', at + 1);
    }
  };
  const stack: string[] = [];
  let roots = 0;
  let i = 0;
  if (xml.startsWith('<?xml')) i = xml.indexOf('?>') + 2;
  while (i < xml.length) {
    if (xml[i] !== '<') {
      let end = xml.indexOf('<', i);
      if (end < 0) end = xml.length;
      const text = xml.slice(i, end);
      if (stack.length === 0 && text.trim() !== '') problems.push('text outside the root element');
      if (text.includes(']]>')) problems.push('"]]>" in text');
      checkRefs(text, 'text');
      i = end;
      continue;
    }
    if (xml.startsWith('</', i)) {
      const end = xml.indexOf('>', i);
      const name = xml.slice(i + 2, end).trim();
      const open = stack.pop();
      if (open !== name) problems.push(`</${name}> closes <${open}>`);
      i = end + 1;
      continue;
    }
    // start tag
    let j = i + 1;
    while (j < xml.length && isNameChar(xml[j]!)) j++;
    const name = xml.slice(i + 1, j);
    if (name === '') problems.push(`bare "<" at ${i}`);
    const seen = new Set<string>();
    let selfClosing = false;
    for (;;) {
      while (xml[j] === ' ' || xml[j] === '\n' || xml[j] === '\t' || xml[j] === '\r') j++;
      if (xml[j] === '>') {
        j++;
        break;
      }
      if (xml.startsWith('/>', j)) {
        selfClosing = true;
        j += 2;
        break;
      }
      const a = j;
      while (j < xml.length && isNameChar(xml[j]!)) j++;
      const attr = xml.slice(a, j);
      if (attr === '' || xml[j] !== '=' || (xml[j + 1] !== '"' && xml[j + 1] !== "'")) {
        problems.push(`malformed attribute in <${name}> at ${a}`);
        return problems;
      }
      if (seen.has(attr)) problems.push(`duplicate attribute ${attr}`);
      seen.add(attr);
      const quote = xml[j + 1]!;
      const close = xml.indexOf(quote, j + 2);
      const value = xml.slice(j + 2, close);
      if (value.includes('<')) problems.push(`"<" in attribute ${attr}`);
      checkRefs(value, `attribute ${attr}`);
      j = close + 1;
    }
    if (stack.length === 0) roots++;
    if (!selfClosing) stack.push(name);
    i = j;
  }
  if (stack.length > 0) problems.push(`unclosed <${stack.join('> <')}>`);
  if (roots !== 1) problems.push(`${roots} root elements`);
  return problems;
}

function xmllint(xml: string): void {
  requireTool('xmllint', ['--version'], 'libxml2-utils');
  execFileSync('xmllint', ['--noout', '-'], { input: xml, stdio: ['pipe', 'ignore', 'pipe'] });
}

describe('fixture', () => {
  it('is a real demo report with failing and passing items', () => {
    expect(demo.items).toHaveLength(43);
    expect(FAILING.length).toBeGreaterThan(0);
    expect(FAILING).toContain('O30');
    expect(item(demo, 'O15').verdict).toBe('pass');
  });
});

describe('renderJunit', () => {
  const xml = renderJunit(demo);
  const $ = cheerio.load(xml, { xml: true });

  it('is well-formed XML', () => {
    expect(wellFormedProblems(xml)).toEqual([]);
    expect(() => xmllint(xml)).not.toThrow();
  });

  it('has one test case per item, one suite per sub-indicator, and the right counts', () => {
    expect($('testcase')).toHaveLength(43);
    expect($('testsuites')).toHaveLength(1);
    const subs = [...new Set(demo.items.map((i) => i.subIndicator))];
    expect($('testsuite')).toHaveLength(subs.length);
    const names = $('testsuite')
      .map((_, el) => $(el).attr('name'))
      .get();
    expect(new Set(names).size).toBe(subs.length);
    expect(names[0]).toBe(`ita-check OIT ${demo.framework.id} ${demo.site.finalUrl} 9.1`);
    const root = $('testsuites');
    expect(root.attr('tests')).toBe('43');
    expect(root.attr('failures')).toBe(String(FAILING.length));
    expect(root.attr('skipped')).toBe('0');
    expect($('failure')).toHaveLength(FAILING.length);
    const suiteFailures = $('testsuite')
      .map((_, el) => Number($(el).attr('failures')))
      .get()
      .reduce((a, b) => a + b, 0);
    expect(suiteFailures).toBe(FAILING.length);
  });

  it('names test cases OIT.<sub> / "<id> <name th>"', () => {
    const o15 = $('testcase').filter((_, el) => $(el).attr('name') === 'O15 ข้อมูลเชิงสถิติการให้บริการ');
    expect(o15).toHaveLength(1);
    expect(o15.attr('classname')).toBe('OIT.9.2');
    expect(o15.find('failure, skipped')).toHaveLength(0);
  });

  it('puts the first fail finding in the message and every finding in the body', () => {
    const o12 = $('testcase').filter((_, el) => ($(el).attr('name') ?? '').startsWith('O12 '));
    const f = item(demo, 'O12').findings[0]!;
    const failure = o12.find('failure');
    expect(failure.attr('message')).toBe(`${f.message.th} — ${f.message.en}`);
    expect(failure.attr('type')).toBe(f.code);
    const body = failure.text();
    for (const x of item(demo, 'O12').findings) expect(body).toContain(x.code);
    expect(body).toContain(f.fix!.th);
    const o13 = $('testcase').filter((_, el) => ($(el).attr('name') ?? '').startsWith('O13 '));
    expect(o13.find('failure').text()).toContain(item(demo, 'O13').findings[0]!.url!);
  });

  it('takes timestamp and time from the report', () => {
    expect($('testsuites').attr('timestamp')).toBe(demo.finishedAt.slice(0, 19));
    expect($('testsuites').attr('time')).toBe((demo.crawl.durationMs / 1000).toFixed(3));
  });

  it('marks review items as skipped', () => {
    const r = clone();
    setVerdict(r, 'O8', 'review').findings = [
      {
        code: 'needs-human',
        severity: 'review',
        message: { th: 'ต้องดูด้วยตา', en: 'Look by eye' },
      },
    ];
    const $r = cheerio.load(renderJunit(r), { xml: true });
    expect($r('testsuites').attr('skipped')).toBe('1');
    const skipped = $r('skipped');
    expect(skipped).toHaveLength(1);
    expect(skipped.attr('message')).toContain('review: ต้องดูด้วยตา — Look by eye');
    expect(skipped.parent().attr('name')).toMatch(/^O8 /);
  });

  it('escapes hostile text and strips characters illegal in XML 1.0', () => {
    const r = clone();
    const hostile = 'a<b>&c"d\'e\u0001f\u0000g\uD800h\uFFFEi]]>j\u001Bk';
    const o15 = setVerdict(r, 'O15', 'fail');
    o15.name.th = 'ชื่อ <&> "x"';
    o15.findings = [
      {
        code: 'x"&<',
        severity: 'fail',
        message: { th: hostile, en: `line1\nline2\t${hostile}` },
        url: 'https://e.example/?a=1&b="2"',
        excerpt: '</testcase></testsuite>',
        fix: { th: '<!-- -->', en: '<![CDATA[x]]>' },
      },
    ];
    r.site.finalUrl = 'https://a.example/?q=<&>';
    const out = renderJunit(r);
    expect(wellFormedProblems(out)).toEqual([]);
    expect(() => xmllint(out)).not.toThrow();
    const $h = cheerio.load(out, { xml: true });
    expect($h('testcase')).toHaveLength(43);
    const stripped = 'a<b>&c"d\'efghi]]>jk';
    const tc = $h('testcase').filter((_, el) => ($h(el).attr('name') ?? '').startsWith('O15 '));
    expect(tc.attr('name')).toBe('O15 ชื่อ <&> "x"');
    expect(tc.find('failure').attr('message')).toBe(`${stripped} — line1\nline2\t${stripped}`);
    expect(tc.find('failure').text()).toContain('</testcase></testsuite>');
  });

  it('xmllint rejects what the checker rejects (sanity check of the checker)', () => {
    const bad = '<a x="1"><b>&nope;</b></a>';
    expect(wellFormedProblems(bad)).not.toEqual([]);
    expect(() => xmllint(bad)).toThrow();
    expect(wellFormedProblems('<a><b></a></b>')).not.toEqual([]);
    expect(wellFormedProblems('<a>\u0001</a>')).not.toEqual([]);
  });
});

describe('renderMarkdown', () => {
  const md = renderMarkdown(demo);

  it('has a title, the scores and the sub-indicator table', () => {
    expect(md).toContain(`## ita-check: ${demo.site.title}`);
    expect(md).toContain(demo.framework.id);
    expect(md).toContain(`OIT ${demo.scores.oit.toFixed(2)} (${demo.scores.grade})`);
    expect(md).toContain(`potential ${demo.scores.oitPotential.toFixed(2)}`);
    for (const [sub, score] of Object.entries(demo.scores.subIndicators)) {
      const row = md.split('\n').find((l) => l.startsWith(`| ${sub} |`));
      expect(row, sub).toBeDefined();
      expect(row).toContain(score.toFixed(2));
      expect(row).toContain(score >= 85 ? '✅' : '❌');
    }
    expect(md).toContain(`fail **${demo.scores.counts.fail}**`);
    expect(md).not.toContain('Changes since baseline');
  });

  it('lists every failing item with its first finding and evidence link', () => {
    expect(md).toContain(`Failing and review items (${FAILING.length})`);
    for (const id of FAILING) {
      const row = md.split('\n').find((l) => l.startsWith(`| **${id}** |`));
      expect(row, id).toBeDefined();
      expect(row).toContain(item(demo, id).name.th);
    }
    const o30 = md.split('\n').find((l) => l.startsWith('| **O30** |'))!;
    expect(o30).toContain(item(demo, 'O30').findings[0]!.message.th);
    expect(o30).toContain('(http://');
    expect(o30.split(' | ')).toHaveLength(5);
  });

  it('escapes pipes, newlines and HTML in table cells', () => {
    const r = clone();
    item(r, 'O30').findings[0]!.message.th = 'a|b\nc<script>';
    item(r, 'O30').findings[0]!.url = 'https://e.example/a|b (c)';
    const out = renderMarkdown(r);
    const row = out.split('\n').find((l) => l.startsWith('| **O30** |'))!;
    expect(row).toContain('a\\|b c&lt;script&gt;');
    expect(out).not.toContain('a|b');
    expect(out).not.toContain('<script>');
    expect(row).toContain('(https://e.example/a%7Cb%20%28c%29)');
    // Every table row still has the same number of unescaped cell separators.
    const unescapedPipes = (l: string) => [...l].filter((ch, k) => ch === '|' && l[k - 1] !== '\\').length;
    expect(unescapedPipes(row)).toBe(6);
  });

  it('adds the baseline section when given a diff', () => {
    const cur = fixOneBreakOne();
    const out = renderMarkdown(cur, diffReports(demo, cur));
    expect(out).toContain('Changes since baseline');
    expect(out).toContain('newly failing (1): **O15**');
    expect(out).toContain('fixed (1): **O30**');
    expect(out).toContain('regression');
    expect(out).toContain(
      `OIT ${demo.scores.oit.toFixed(2)} → 85.10 (${(85.1 - demo.scores.oit).toFixed(2)})`,
    );
    expect(out).toContain('New findings (1)');
    expect(out).toContain('`months-missing`');
    expect(out).toContain('Resolved findings (1)');
    expect(out).toContain('`not-confidential`');
  });

  it('stays under the size budget and says what it cut', () => {
    const r = clone();
    const long = 'ข้อความยาวมาก|'.repeat(500);
    for (const i of r.items) {
      i.verdict = 'fail';
      i.findings = Array.from({ length: 30 }, (_, k) => ({
        code: `c${k}`,
        severity: 'fail' as const,
        message: { th: long, en: long },
        url: `${r.site.finalUrl}${'x'.repeat(2000)}/${k}`,
      }));
    }
    const diff = diffReports(demo, r);
    expect(diff.newFindings.length).toBeGreaterThan(1000);
    const out = renderMarkdown(r, diff);
    expect(Buffer.byteLength(out, 'utf8')).toBeLessThanOrEqual(MARKDOWN_BUDGET);
    expect(out).toMatch(/more findings/);
    expect(out).toContain('Changes since baseline');
  });
});

describe('diffReports', () => {
  it('finds nothing between a report and itself, even when the site moved port', () => {
    const moved = JSON.parse(JSON.stringify(demo).replaceAll('127.0.0.1:40737', '127.0.0.1:5555')) as Report;
    expect(moved.site.hosts).toEqual(['127.0.0.1:5555']);
    for (const cur of [clone(), moved]) {
      const d = diffReports(demo, cur);
      expect(d.newlyFailingItems).toEqual([]);
      expect(d.fixedItems).toEqual([]);
      expect(d.verdictChanges).toEqual([]);
      expect(d.newFindings).toEqual([]);
      expect(d.resolvedFindings).toEqual([]);
      expect(d.regression).toBe(false);
      expect(d.scoreChange).toEqual({ from: demo.scores.oit, to: demo.scores.oit, delta: 0 });
    }
  });

  it('finds exactly the newly failing and fixed items and the finding changes', () => {
    const cur = fixOneBreakOne();
    const d = diffReports(demo, cur);
    expect(d.newlyFailingItems).toEqual(['O15']);
    expect(d.fixedItems).toEqual(['O30']);
    expect(d.verdictChanges).toEqual([
      { id: 'O15', from: 'pass', to: 'fail' },
      { id: 'O30', from: 'fail', to: 'pass' },
    ]);
    expect(d.newFindings).toEqual([
      {
        item: 'O15',
        code: 'months-missing',
        severity: 'fail',
        url: `${demo.site.finalUrl}stat.php?y=2564`,
        message: { th: 'ไม่พบข้อมูลเดือนมีนาคม', en: 'March is missing' },
      },
    ]);
    expect(d.resolvedFindings.map((f) => [f.item, f.code, f.url])).toEqual([
      ['O30', 'not-confidential', 'http://127.0.0.1:40737/webboard.php'],
    ]);
    expect(d.scoreChange.delta).toBe(Math.round((85.1 - demo.scores.oit) * 100) / 100);
    expect(d.regression).toBe(true);
  });

  it('is not a regression when things only get better (and is one the other way round)', () => {
    const better = clone();
    setVerdict(better, 'O30', 'pass').findings = [];
    better.scores.oit = 90;
    const up = diffReports(demo, better);
    expect(up.fixedItems).toEqual(['O30']);
    expect(up.newlyFailingItems).toEqual([]);
    expect(up.regression).toBe(false);
    expect(up.scoreChange.delta).toBeGreaterThan(0);
    const down = diffReports(better, demo);
    expect(down.newlyFailingItems).toEqual(['O30']);
    expect(down.fixedItems).toEqual([]);
    expect(down.newFindings.map((f) => f.code)).toEqual(['not-confidential']);
    expect(down.regression).toBe(true);
  });

  it('sees a new finding on an item that already failed (per finding, not per item)', () => {
    const cur = clone();
    item(cur, 'O13').findings.push({
      code: 'broken-link',
      severity: 'fail',
      message: { th: 'ลิงก์ใช้งานไม่ได้ (HTTP 500)', en: 'Link does not work (HTTP 500)' },
      url: `${cur.site.finalUrl}fileupload/2564/other.pdf`,
    });
    const d = diffReports(demo, cur);
    expect(d.verdictChanges).toEqual([]);
    expect(d.newFindings.map((f) => [f.item, f.code])).toEqual([['O13', 'broken-link']]);
    expect(d.regression).toBe(true);
  });

  it('counts pass → review as a regression, but not a new info finding', () => {
    const review = clone();
    setVerdict(review, 'O16', 'review');
    const d = diffReports(demo, review);
    expect(d.verdictChanges).toEqual([{ id: 'O16', from: 'pass', to: 'review' }]);
    expect(d.newlyFailingItems).toEqual([]);
    expect(d.regression).toBe(true);

    const info = clone();
    item(info, 'O1').findings.push({ code: 'note', severity: 'info', message: { th: 'ก', en: 'a' } });
    const i = diffReports(demo, info);
    expect(i.newFindings).toHaveLength(1);
    expect(i.regression).toBe(false);
  });

  it('pairs findings that share a key and reports site findings as "site"', () => {
    const prev = clone();
    const cur = clone();
    const cm = (th: string) => ({
      code: 'component-missing',
      severity: 'fail' as const,
      message: { th, en: th },
    });
    item(prev, 'O27').findings = [cm('ขาด ก'), cm('ขาด ข')];
    item(cur, 'O27').findings = [cm('ขาด ข')];
    cur.siteFindings.push({
      code: 'tls-invalid',
      severity: 'fail',
      message: { th: 'ใบรับรองหมดอายุ', en: 'Certificate expired' },
    });
    const d = diffReports(prev, cur);
    expect(d.resolvedFindings.map((f) => [f.item, f.message.th])).toEqual([['O27', 'ขาด ก']]);
    expect(d.newFindings.map((f) => [f.item, f.code])).toEqual([['site', 'tls-invalid']]);
    expect(d.regression).toBe(true);
  });

  it('normalises finding URLs', () => {
    const own = new Set(['www.example.go.th']);
    expect(normaliseFindingUrl(undefined, own)).toBe('');
    expect(normaliseFindingUrl('https://www.example.go.th/', own)).toBe('');
    expect(normaliseFindingUrl('http://WWW.example.go.th', own)).toBe('');
    expect(normaliseFindingUrl('https://www.example.go.th/a/b/?x=1#frag', own)).toBe('/a/b?x=1');
    expect(normaliseFindingUrl('https://www.example.go.th/a/b?x=1', own)).toBe('/a/b?x=1');
    expect(normaliseFindingUrl('https://www.example.go.th/%e0%b8%81/', own)).toBe('/%E0%B8%81');
    expect(normaliseFindingUrl('https://www.example.go.th/ก', own)).toBe('/%E0%B8%81');
    expect(normaliseFindingUrl('https://other.go.th/a/', own)).toBe('other.go.th/a');
    expect(normaliseFindingUrl('not a url', own)).toBe('not a url');
  });
});

describe('loadBaseline', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ita-baseline-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a valid report', async () => {
    const r = await loadBaseline(FIXTURE);
    expect(r.items).toHaveLength(43);
  });

  it('throws clear errors on bad files', async () => {
    const missing = join(dir, 'nope.json');
    const e1 = await loadBaseline(missing).catch((e: unknown) => e);
    expect(e1).toBeInstanceOf(BaselineError);
    expect((e1 as BaselineError).message).toBe(`baseline ${missing}: file not found`);
    expect((e1 as BaselineError).missing).toBe(true);

    const notJson = join(dir, 'bad.json');
    writeFileSync(notJson, '{"items": [');
    await expect(loadBaseline(notJson)).rejects.toThrow(`baseline ${notJson}: not valid JSON`);

    const empty = join(dir, 'empty.json');
    writeFileSync(empty, '  \n');
    await expect(loadBaseline(empty)).rejects.toThrow(`baseline ${empty}: file is empty`);

    await expect(loadBaseline(dir)).rejects.toThrow(`baseline ${dir}: is a directory`);

    const wrong = clone() as unknown as { items: Record<string, unknown>[] };
    delete wrong.items[0]!.verdict;
    const wrongPath = join(dir, 'wrong.json');
    writeFileSync(wrongPath, JSON.stringify(wrong));
    const e2 = (await loadBaseline(wrongPath).catch((e: unknown) => e)) as BaselineError;
    expect(e2.message).toMatch(
      new RegExp(`^baseline ${wrongPath}: not an ita-check JSON report: items\\.0\\.verdict`),
    );
    expect(e2.kind).toBe('schema');
    expect(e2.missing).toBe(false);

    expect(() => parseBaseline('[1,2]', 'x.json')).toThrow(/^baseline x\.json: not an ita-check JSON report/);
    expect(() => parseBaseline(JSON.stringify({ ...demo, schemaVersion: '2.0.0' }), 'v2.json')).toThrow(
      /^baseline v2\.json: report schema 2\.0\.0 cannot be compared/,
    );
  });
});

describe('evaluateThresholds', () => {
  it('--fail-under compares the confirmed OIT score', () => {
    expect(evaluateThresholds(demo, { failUnder: 85 })).toEqual({ failed: false, reasons: [] });
    expect(evaluateThresholds(demo, { failUnder: demo.scores.oit }).failed).toBe(false);
    const r = evaluateThresholds(demo, { failUnder: 90 });
    expect(r.failed).toBe(true);
    expect(r.reasons).toHaveLength(1);
    expect(r.reasons[0]!.en).toContain(`OIT score ${demo.scores.oit.toFixed(2)} is below --fail-under 90`);
    expect(r.reasons[0]!.th).toContain('ต่ำกว่าเกณฑ์ 90');
    const lowConfirmed = clone();
    lowConfirmed.scores.oit = 70;
    lowConfirmed.scores.oitPotential = 95;
    expect(evaluateThresholds(lowConfirmed, { failUnder: 85 }).failed).toBe(true);
    expect(() => evaluateThresholds(demo, { failUnder: Number.NaN })).toThrow(/--fail-under/);
  });

  it('--fail-on any fails on any failing item, not on review', () => {
    const r = evaluateThresholds(demo, { failOn: 'any' });
    expect(r.failed).toBe(true);
    expect(r.reasons[0]!.en).toContain(`${FAILING.length} item(s) fail: ${FAILING.join(', ')}`);
    const clean = clone();
    for (const i of clean.items) if (i.verdict === 'fail') setVerdict(clean, i.id, 'pass');
    expect(evaluateThresholds(clean, { failOn: 'any' }).failed).toBe(false);
    setVerdict(clean, 'O3', 'review');
    expect(evaluateThresholds(clean, { failOn: 'any' }).failed).toBe(false);
  });

  it('--fail-on <ids> fails only when a listed item fails', () => {
    expect(evaluateThresholds(demo, { failOn: ['O15', 'O1'] }).failed).toBe(false);
    const r = evaluateThresholds(demo, { failOn: ['O15', 'O30'] });
    expect(r.failed).toBe(true);
    expect(r.reasons.map((x) => x.en)).toEqual(['item(s) named in --fail-on fail: O30']);
    const typo = evaluateThresholds(demo, { failOn: ['O99'] });
    expect(typo.failed).toBe(true);
    expect(typo.reasons[0]!.en).toContain('not in the report: O99');
  });

  it('--fail-on-regression fails only with a regressing diff', () => {
    const worse = fixOneBreakOne();
    const regressing = diffReports(demo, worse);
    const r = evaluateThresholds(worse, { failOnRegression: true, diff: regressing });
    expect(r.failed).toBe(true);
    expect(r.reasons[0]!.en).toBe('regression since the baseline: O15 pass→fail, O15 months-missing');
    expect(evaluateThresholds(worse, { failOnRegression: false, diff: regressing }).failed).toBe(false);
    expect(evaluateThresholds(worse, { failOnRegression: true }).failed).toBe(false);
    const better = clone();
    setVerdict(better, 'O30', 'pass').findings = [];
    expect(
      evaluateThresholds(better, { failOnRegression: true, diff: diffReports(demo, better) }).failed,
    ).toBe(false);
  });

  it('combines gates and gives one reason each', () => {
    const worse = fixOneBreakOne();
    const r = evaluateThresholds(worse, {
      failUnder: 90,
      failOn: 'any',
      failOnRegression: true,
      diff: diffReports(demo, worse),
    });
    expect(r.failed).toBe(true);
    expect(r.reasons).toHaveLength(3);
    expect(evaluateThresholds(demo, {})).toEqual({ failed: false, reasons: [] });
  });
});

describe('parseFailOn / parseFailUnder', () => {
  it('accepts "any" and item id lists', () => {
    expect(parseFailOn('any')).toBe('any');
    expect(parseFailOn(' ANY ')).toBe('any');
    expect(parseFailOn('O15,O23')).toEqual(['O15', 'O23']);
    expect(parseFailOn('o15, O23 ,o1')).toEqual(['O15', 'O23', 'O1']);
    expect(parseFailOn('O15 O23')).toEqual(['O15', 'O23']);
    expect(parseFailOn('O05,O5,')).toEqual(['O5']);
  });

  it('rejects anything else with a clear error', () => {
    for (const bad of [
      '',
      ' , ',
      'all',
      'none',
      'O',
      'O0',
      'O100',
      'Q15',
      '15',
      'any,O15',
      'O15;O23',
      'O-1',
    ]) {
      expect(() => parseFailOn(bad), JSON.stringify(bad)).toThrow(/^--fail-on: /);
    }
  });

  it('parses --fail-under', () => {
    expect(parseFailUnder('85')).toBe(85);
    expect(parseFailUnder(' 72.5 ')).toBe(72.5);
    for (const bad of ['', 'abc', '-1', '101', 'NaN'])
      expect(() => parseFailUnder(bad)).toThrow(/--fail-under/);
  });
});
