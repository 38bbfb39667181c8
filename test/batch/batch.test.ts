// ita-check batch: many sites from a CSV, ranked summaries, resume, interruption, bad input, and the
// summary page opened in a real Chromium (playwright-core, Debian's /usr/bin/chromium).
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Command, CommanderError } from 'commander';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startServer, type TestServer } from '../../fixtures/lib/server.js';
import { runBatch } from '../../src/batch/run.js';
import { BatchInputError, parseSitesCsv } from '../../src/batch/sites.js';
import { BatchStateSchema } from '../../src/batch/state.js';
import { rankSites, renderSummaryHtml } from '../../src/batch/summary.js';
import { registerBatch } from '../../src/cli/batch.js';
import { buildProgram } from '../../src/cli/main.js';
import { parseCsv } from '../../src/input/itas-list.js';
import { ReportSchema } from '../../src/report/schema.js';
import { buildMiniSite } from '../helpers/mini-site.js';

/** The CLI as main() runs it; registers `batch` unless main.ts does already. */
async function cli(...args: string[]) {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => {
    out += String(s);
    return true;
  });
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
    err += String(s);
    return true;
  });
  const state = { exitCode: 0 };
  try {
    const program: Command = buildProgram(state);
    if (!program.commands.some((c) => c.name() === 'batch')) registerBatch(program, state);
    try {
      await program.parseAsync(['node', 'ita-check', ...args]);
    } catch (x) {
      if (x instanceof CommanderError) return { code: 2, out, err };
      throw x;
    }
    return { code: state.exitCode, out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

const LAWS = `<h2>กฎหมายที่เกี่ยวข้องกับการปฏิบัติงาน</h2><ol>
<li>พระราชบัญญัติสภาตำบลและองค์การบริหารส่วนตำบล พ.ศ. 2537 และที่แก้ไขเพิ่มเติม</li>
<li>พระราชบัญญัติกำหนดแผนและขั้นตอนการกระจายอำนาจให้แก่องค์กรปกครองส่วนท้องถิ่น พ.ศ. 2542</li>
<li>พระราชบัญญัติข้อมูลข่าวสารของราชการ พ.ศ. 2540</li></ol>`;
const AUTHORITY = `<h2>อำนาจหน้าที่ขององค์การบริหารส่วนตำบล</h2>
<p>ตามพระราชบัญญัติสภาตำบลและองค์การบริหารส่วนตำบล พ.ศ. 2537 มาตรา 66 และมาตรา 67 องค์การบริหารส่วนตำบลมีอำนาจหน้าที่ดังนี้</p>
<ol><li>จัดให้มีและบำรุงรักษาทางน้ำและทางบก</li><li>รักษาความสะอาดของถนน ทางน้ำ ทางเดิน และที่สาธารณะ</li><li>ป้องกันโรคและระงับโรคติดต่อ</li></ol>`;
const EXECUTIVES = `<div class="person"><img src="/p1.jpg" alt="นายสมชาย ใจดี"><p>นายสมชาย ใจดี</p><p>นายกองค์การบริหารส่วนตำบล</p><p>โทร. 081-234-5678</p></div>`;

const HOSTILE = '<script>alert("x")</script> อบต.<b>ร้าย</b> & "พวก"';

let dir = '';
let servers: TestServer[] = [];
let closedUrl = '';
let browser: Browser | undefined;

function writeCsv(name: string, rows: string[]): string {
  const path = join(dir, name);
  writeFileSync(path, `${rows.join('\n')}\n`);
  return path;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ita-batch-'));
  mkdirSync(join(dir, 'lists'));
  const a = await startServer(
    buildMiniSite({
      rows: {
        O2: [{ text: 'คณะผู้บริหาร', href: '/executives.php' }],
        O3: [{ text: 'อำนาจหน้าที่', href: '/authority.php' }],
        O5: [{ text: 'ติดต่อเรา', href: '/contact.php' }],
        O6: [{ text: 'กฎหมายที่เกี่ยวข้อง', href: '/laws.php' }],
      },
      files: { '/laws.php': LAWS, '/authority.php': AUTHORITY, '/executives.php': EXECUTIVES },
    }),
  );
  const b = await startServer(buildMiniSite({ rows: { O5: [{ text: 'ติดต่อเรา', href: '/contact.php' }] } }));
  // C: the laws page is not on the ITA index; only the ITAS URL list points to it.
  const c = await startServer(
    buildMiniSite({
      rows: { O3: [{ text: 'อำนาจหน้าที่', href: '/authority.php' }] },
      files: { '/authority.php': AUTHORITY, '/hidden-laws.php': LAWS },
    }),
  );
  const d = await startServer(buildMiniSite({ rows: { O1: [] } }));
  const gone = await startServer(new Map());
  closedUrl = gone.url;
  await gone.close();
  servers = [a, b, c, d];
  writeFileSync(join(dir, 'lists', 'c.csv'), `item,url\nO6,${c.url}/hidden-laws.php\n`);
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
    headless: true,
  });
});

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  for (const s of servers) await s.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const requests = () => servers.map((s) => s.stats.requests);

function sitesCsv(dName = HOSTILE): string[] {
  const [a, b, c, d] = servers.map((s) => s.url);
  return [
    'หน่วยงาน,url,list',
    `องค์การบริหารส่วนตำบลหนึ่ง,${a}/`,
    `"อบต.สอง, จ.ทดสอบ",${b}/`,
    `เทศบาลตำบลสาม,${c}/,lists/c.csv`,
    `"${dName.replace(/"/g, '""')}",${d}/`,
    `อบต.ปิดปรับปรุง,${closedUrl}/`,
  ];
}

function readSummaryCsv(outDir: string) {
  const text = readFileSync(join(outDir, 'summary.csv'), 'utf8');
  expect(text.charCodeAt(0)).toBe(0xfeff);
  const [head, ...rows] = parseCsv(text.slice(1), 'summary.csv').map((r) => r.fields);
  return rows
    .filter((r) => r.some((f) => f !== ''))
    .map((r) => Object.fromEntries(head!.map((k, i) => [k, r[i] ?? ''])));
}

describe('ita-check batch', () => {
  it('scans the list, ranks the agencies, resumes without refetching and redoes a changed row', async () => {
    const csv = writeCsv('sites.csv', sitesCsv());
    const out = join(dir, 'out');
    const r = await cli(
      'batch',
      csv,
      '--out',
      out,
      '--html',
      '--sites-concurrency',
      '3',
      '--timeout',
      '2000',
    );
    expect(r.err).not.toMatch(/internal error|\n\s+at /);
    expect(r.code).toBe(0);
    expect(r.out).toContain('summary.csv');

    const rows = readSummaryCsv(out);
    expect(rows).toHaveLength(5);
    // Ranked by confirmed OIT; the unreachable site is last, unranked.
    const scores = rows.slice(0, 4).map((x) => Number(x.oit));
    expect([...scores].sort((p, q) => q - p)).toEqual(scores);
    expect(rows[0]!.agency).toBe('องค์การบริหารส่วนตำบลหนึ่ง');
    expect(rows[0]!.rank).toBe('1');
    expect(rows[4]).toMatchObject({ agency: 'อบต.ปิดปรับปรุง', status: 'unreachable', rank: '', oit: '' });
    expect(rows[4]!.error).toContain('cannot reach');
    for (const x of rows.slice(0, 4)) {
      expect(x.status).toBe('ok');
      expect(Number(x.pass) + Number(x.fail) + Number(x.review)).toBe(43);
      expect((x.failing_items ?? '').split(' ')).toHaveLength(Number(x.fail));
      expect(x.grade).toMatch(/^(AA|A|B|C|D|E|F)$/);
    }
    expect(rows.map((x) => x.agency)).toContain('อบต.สอง, จ.ทดสอบ');
    expect(rows.find((x) => x.agency === HOSTILE)?.failing_items).toContain('O1');

    // Per-site reports: valid JSON; the ITAS list was used for the site that has one.
    const files = readdirSync(join(out, 'sites')).sort();
    expect(files.filter((f) => f.endsWith('.json'))).toHaveLength(4);
    expect(files.filter((f) => f.endsWith('.html'))).toHaveLength(4);
    for (const f of files) expect(f).toMatch(/^127-0-0-1-\d+-[1-5]\.(json|html)$/);
    const cFile = files.find((f) => f.endsWith('-3.json'))!;
    const cReport = ReportSchema.parse(JSON.parse(readFileSync(join(out, 'sites', cFile), 'utf8')));
    const o6 = cReport.items.find((i) => i.id === 'O6')!;
    expect(o6.evidence[0]).toMatchObject({ via: 'itas-list', url: `${servers[2]!.url}/hidden-laws.php` });
    expect(o6.findings.map((f) => f.code)).toContain('not-linked'); // listed, but no link leads there

    const state = BatchStateSchema.parse(JSON.parse(readFileSync(join(out, 'batch-state.json'), 'utf8')));
    expect(state.complete).toBe(true);
    expect(
      Object.values(state.sites)
        .map((s) => s.status)
        .sort(),
    ).toEqual(['ok', 'ok', 'ok', 'ok', 'unreachable']);

    // summary.html: totals, ranking, failing items with Thai names, links to the per-site reports.
    const html = readFileSync(join(out, 'summary.html'), 'utf8');
    expect(html).toMatch(/id="total-sites">5 /);
    expect(html).toContain('id="at-least-85">0 ');
    const avg = scores.reduce((p, q) => p + q, 0) / 4;
    expect(html).toContain(`id="average-oit">${avg.toFixed(2)}<`);
    expect(html).toContain('O1</span> <span lang="th">');
    expect(html).toMatch(/href="sites\/127-0-0-1-\d+-1\.html"/);
    expect(html).not.toContain('<script>alert');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(html.indexOf('องค์การบริหารส่วนตำบลหนึ่ง')).toBeLessThan(html.indexOf('อบต.ปิดปรับปรุง'));

    // Rerun: nothing fetched again from the finished sites.
    const before = requests();
    const again = await cli('batch', csv, '--out', out, '--html', '--quiet', '--timeout', '2000');
    expect(again.code).toBe(0);
    expect(again.out).toBe('');
    expect(requests()).toEqual(before);
    // The same summary (the unreachable site is tried again, so its time may differ).
    const noTime = (list: Record<string, string>[]) => list.map(({ duration_s: _, ...x }) => x);
    expect(noTime(readSummaryCsv(out))).toEqual(noTime(rows));
    expect(readSummaryCsv(out).slice(0, 4)).toEqual(rows.slice(0, 4));

    // A changed row (the name of row 2) is redone; the others are not.
    writeCsv(
      'sites.csv',
      sitesCsv().map((l, i) => (i === 2 ? l.replace('อบต.สอง', 'อบต.สอง (ใหม่)') : l)),
    );
    const mid = requests();
    expect((await cli('batch', csv, '--out', out, '--quiet', '--timeout', '2000')).code).toBe(0);
    const after = requests();
    expect(after[0]).toBe(mid[0]);
    expect(after[1]).toBeGreaterThan(mid[1]!);
    expect(after[2]).toBe(mid[2]);
    expect(after[3]).toBe(mid[3]);
    expect(readSummaryCsv(out).map((x) => x.agency)).toContain('อบต.สอง (ใหม่), จ.ทดสอบ');

    // --fresh redoes everything.
    const f0 = requests();
    expect((await cli('batch', csv, '--out', out, '--quiet', '--fresh', '--timeout', '2000')).code).toBe(0);
    requests().forEach((n, i) => {
      expect(n).toBeGreaterThan(f0[i]!);
    });
  });

  it('stops on an abort, writes the state and summary of what is done, and resumes', async () => {
    const slow = await startServer(
      buildMiniSite({ rows: { O5: [{ text: 'ติดต่อเรา', href: '/contact.php' }] } }),
      {
        latencyMs: 150,
      },
    );
    try {
      // Three rows on one host: they run one after another even with room for three at once.
      const csv = writeCsv(
        'slow.csv',
        [1, 2, 3].map((n) => `อบต.ช้า ${n},${slow.url}/`),
      );
      const sites = parseSitesCsv(readFileSync(csv, 'utf8'), 'slow.csv', { baseDir: dir });
      const out = join(dir, 'out-abort');
      const ctl = new AbortController();
      const first = await runBatch(sites, {
        outDir: out,
        sitesConcurrency: 3,
        signal: ctl.signal,
        onEvent: (e) => {
          if (e.type === 'done') ctl.abort();
        },
      });
      expect(first.interrupted).toBe(true);
      expect(first.done).toBe(1);
      expect(slow.stats.maxInFlight).toBeLessThanOrEqual(4); // never two scans of one host at once
      const state = BatchStateSchema.parse(JSON.parse(readFileSync(join(out, 'batch-state.json'), 'utf8')));
      expect(state.interrupted).toBe(true);
      expect(Object.keys(state.sites)).toHaveLength(1);
      expect(readSummaryCsv(out)).toHaveLength(1);
      expect(readFileSync(join(out, 'summary.html'), 'utf8')).toContain('class="notice"');

      const second = await runBatch(sites, { outDir: out, sitesConcurrency: 3 });
      expect(second).toMatchObject({ interrupted: false, skipped: 1, scanned: 2, done: 3, ok: 3 });
      expect(readSummaryCsv(out)).toHaveLength(3);
    } finally {
      await slow.close();
    }
  });

  it('exits 130 on SIGINT during a batch', async () => {
    const slow = await startServer(buildMiniSite({ rows: {} }), { latencyMs: 100 });
    try {
      const csv = writeCsv(
        'sigint.csv',
        [1, 2, 3, 4].map((n) => `อบต.${n},${slow.url}/`),
      );
      const out = join(dir, 'out-sigint');
      // The newest SIGINT listener is the batch's (Playwright has one too: it would close the browser).
      const listeners = process.listenerCount('SIGINT');
      const timer = setTimeout(() => {
        const all = process.listeners('SIGINT');
        if (all.length > listeners) (all[all.length - 1] as () => void)();
      }, 400);
      const r = await cli('batch', csv, '--out', out, '--sites-concurrency', '1');
      clearTimeout(timer);
      expect(r.code).toBe(130);
      expect(r.err).toContain('resume');
      const state = BatchStateSchema.parse(JSON.parse(readFileSync(join(out, 'batch-state.json'), 'utf8')));
      expect(state.interrupted).toBe(true);
      expect(Object.keys(state.sites).length).toBeLessThan(4);
      expect(process.listenerCount('SIGINT')).toBe(listeners);
    } finally {
      await slow.close();
    }
  });

  it('rejects a bad sites.csv with one line naming the line, exit code 2', async () => {
    const cases: [string[], RegExp][] = [
      [
        ['name,url', 'อบต.หนึ่ง,https://www.one.go.th', 'อบต.สอง,ftp://two.go.th'],
        /line 3: not an http\(s\) URL/,
      ],
      [['อบต.หนึ่ง,https://www.one.go.th', '', 'อบต.สอง'], /line 3: no URL for "อบต.สอง"/],
      [
        ['อบต.หนึ่ง,https://www.one.go.th,lists/missing.csv'],
        /line 1: no such ITAS URL list: lists\/missing.csv/,
      ],
      [['"อบต.หนึ่ง,https://www.one.go.th'], /line 1: a quoted field is not closed/],
      [['# comment', 'อบต.หนึ่ง,https://www.one.go.th,,extra'], /line 2: 4 fields/],
      [[',https://www.one.go.th'], /line 1: no agency name/],
    ];
    writeFileSync(join(dir, 'lists', 'bad.csv'), 'item,url\nO44,https://x.go.th/\n');
    cases.push([['อบต.หนึ่ง,https://www.one.go.th,lists/bad.csv'], /line 1: lists\/bad.csv line 2: "O44"/]);
    for (const [lines, re] of cases) {
      const csv = writeCsv('bad-sites.csv', lines);
      const r = await cli('batch', csv, '--out', join(dir, 'out-bad'));
      expect(r.code, lines.join(' | ')).toBe(2);
      expect(r.err.trim().split('\n'), lines.join(' | ')).toHaveLength(1);
      expect(r.err, lines.join(' | ')).toMatch(re);
      expect(r.err).toContain('bad-sites.csv');
    }
    expect(() => parseSitesCsv('', 'empty.csv')).toThrow(BatchInputError);
    expect((await cli('batch', join(dir, 'nope.csv'), '--out', join(dir, 'x'))).code).toBe(2);
    expect((await cli('batch', join(dir, 'sites.csv'))).code).toBe(2); // --out is required
    expect((await cli('batch', join(dir, 'sites.csv'), '--out', dir, '--as-of', 'soon')).code).toBe(2);
    expect((await cli('batch', join(dir, 'sites.csv'), '--out', dir, '--framework', 'ita-1999')).code).toBe(
      2,
    );
    expect((await cli('batch', join(dir, 'sites.csv'), '--out', dir, '--sites-concurrency', '0')).code).toBe(
      2,
    );
    const help = await cli('batch', '--help');
    expect(help.out).toContain('--sites-concurrency');
    expect(help.out).toContain('130');
  });

  it('parses header, quoting, Thai names and bare hosts; slugs are safe file names', () => {
    const sites = parseSitesCsv(
      '\ufeffurl,หน่วยงาน\r\nwww.one.go.th,"อบต.""หนึ่ง"""\r\n# comment\r\nhttps://xn--12c.go.th:8443/path?q=1,"เทศบาล\nสอง"\r\n',
      's.csv',
    );
    expect(sites.map((s) => [s.row, s.line, s.name, s.url, s.slug, s.hostKey])).toEqual([
      [1, 2, 'อบต."หนึ่ง"', 'http://www.one.go.th/', 'www-one-go-th-1', 'one.go.th'],
      [
        2,
        4,
        'เทศบาล\nสอง',
        'https://xn--12c.go.th:8443/path?q=1',
        'xn-12c-go-th-8443-2',
        'xn--12c.go.th:8443',
      ],
    ]);
  });

  it('renders a summary page that escapes crawled text and opens in Chromium offline, without errors', async () => {
    const csv = writeCsv('hostile.csv', [sitesCsv()[4]!, sitesCsv()[5]!]);
    const out = join(dir, 'out-hostile');
    const r = await cli('batch', csv, '--out', out, '--html', '--quiet', '--timeout', '2000', '--lang', 'en');
    expect(r.code).toBe(0);
    const page = await browser!.newPage();
    const errors: string[] = [];
    const reqs: string[] = [];
    const dialogs: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    page.on('request', (q) => reqs.push(q.url()));
    const fileUrl = pathToFileURL(join(out, 'summary.html')).href;
    try {
      await page.goto(fileUrl, { waitUntil: 'load' });
      expect(await page.locator('tbody tr').count()).toBe(2);
      expect(await page.locator('script').count()).toBe(0);
      expect(await page.locator('tbody tr').first().locator('.name').textContent()).toBe(HOSTILE);
      await page.locator('tbody tr').first().locator('details summary').click();
      expect(await page.locator('ul.fails li').first().textContent()).toMatch(/^O\d+ \S/);
      expect(await page.locator('html').getAttribute('lang')).toBe('en');
      expect(reqs.filter((u) => u !== fileUrl)).toEqual([]);
      expect(errors).toEqual([]);
      expect(dialogs).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('ranks ties together and puts failed sites last', () => {
    const base = { url: 'https://x.go.th/', durationS: 1, counts: { pass: 1, fail: 0, review: 0 } };
    const ranked = rankSites([
      { ...base, row: 1, name: 'ก', slug: 'a-1', status: 'error', error: 'boom' },
      { ...base, row: 2, name: 'ข', slug: 'b-2', status: 'ok', oit: 50, oitPotential: 60 },
      { ...base, row: 3, name: 'ค', slug: 'c-3', status: 'ok', oit: 90, oitPotential: 90 },
      { ...base, row: 4, name: 'ง', slug: 'd-4', status: 'ok', oit: 50, oitPotential: 60 },
    ]);
    expect(ranked.map((s) => [s.row, s.rank])).toEqual([
      [3, 1],
      [2, 2],
      [4, 2],
      [1, undefined],
    ]);
    expect(renderSummaryHtml([])).toContain('ยังไม่มีหน่วยงานที่สแกนเสร็จ');
  });
});
