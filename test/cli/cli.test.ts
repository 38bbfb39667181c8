// The command line: exit codes, one-line errors, the JSON report written even for a small site.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startServer } from '../../fixtures/lib/server.js';
import { EXIT, main } from '../../src/cli/main.js';
import { ReportSchema } from '../../src/report/schema.js';
import { buildMiniSite } from '../helpers/mini-site.js';

async function run(...args: string[]) {
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
  try {
    const code = await main(['node', 'ita-check', ...args]);
    return { code, out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

// The CLI caches in the user's cache folder by default: keep the tests' cache in a folder of their own.
process.env.XDG_CACHE_HOME = mkdtempSync(join(tmpdir(), 'ita-cli-cache-'));

afterEach(() => {
  vi.restoreAllMocks();
});

describe('ita-check CLI', () => {
  it('prints its version and help', async () => {
    const v = await run('--version');
    expect(v.code).toBe(EXIT.ok);
    expect(v.out.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const h = await run('scan', '--help');
    expect(h.code).toBe(EXIT.ok);
    expect(h.out).toContain('--max-pages');
    expect(h.out).toContain('Exit codes');
  });

  it('rejects bad flags with one line and exit code 2', async () => {
    for (const args of [
      ['scan', 'http://127.0.0.1:9', '--max-pages', 'many'],
      ['scan', 'http://127.0.0.1:9', '--concurrency', '0'],
      ['scan', 'http://127.0.0.1:9', '--bogus'],
      ['scan', 'ftp://example.go.th'],
      ['scan', 'http://127.0.0.1:9', '--framework', 'ita-1999'],
      ['scan', 'http://127.0.0.1:9', '--iit', '96'],
      ['scan', 'http://127.0.0.1:9', '--as-of', 'yesterday'],
      ['scan'],
    ]) {
      const r = await run(...args);
      expect(r.code, args.join(' ')).toBe(EXIT.usage);
      expect(r.err.trim().length, args.join(' ')).toBeGreaterThan(0);
      expect(r.err, args.join(' ')).not.toMatch(/\n\s+at /); // no stack trace
    }
  });

  it('says the site is unreachable with exit code 3', async () => {
    const server = await startServer(new Map());
    const url = server.url;
    await server.close();
    const r = await run('scan', url, '--timeout', '2000');
    expect(r.code).toBe(EXIT.unreachable);
    // Progress lines aside (stderr is no terminal here), the error is one line.
    const errors = r.err.split('\n').filter((l) => l.startsWith('ita-check:'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('cannot reach');
    expect(r.err).not.toMatch(/\n\s+at /);
  });

  it('scans a site, prints the summary and writes a JSON report that matches the schema', async () => {
    const server = await startServer(
      buildMiniSite({
        rows: {
          O3: [{ text: 'อำนาจหน้าที่', href: '/authority.php' }],
          O5: [{ text: 'ติดต่อเรา', href: '/contact.php' }],
          O6: [{ text: 'กฎหมายที่เกี่ยวข้อง', href: '/laws.php' }],
        },
        files: {
          '/laws.php':
            '<p>พระราชบัญญัติสภาตำบลและองค์การบริหารส่วนตำบล พ.ศ. 2537 และที่แก้ไขเพิ่มเติม พระราชบัญญัติกำหนดแผนและขั้นตอนการกระจายอำนาจ</p>',
          '/authority.php': '<p>อำนาจหน้าที่ตามพระราชบัญญัติสภาตำบลและองค์การบริหารส่วนตำบล มาตรา 66 มาตรา 67</p>',
        },
      }),
    );
    try {
      const dir = mkdtempSync(join(tmpdir(), 'ita-cli-'));
      const file = join(dir, 'r.json');
      const r = await run(
        'scan',
        server.url,
        '--json',
        file,
        '--iit',
        '96.09',
        '--eit',
        '94.83',
        '--lang',
        'en',
      );
      expect(r.code).toBe(EXIT.ok);
      expect(r.out).toContain('OIT');
      expect(r.out).toContain('ITA = 0.3×96.09');
      const report = ReportSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
      expect(report.items).toHaveLength(43);
      expect(report.items.find((i) => i.id === 'O6')?.evidence[0]?.via).toBe('ita-index');
      expect(report.items.find((i) => i.id === 'O17')?.findings[0]?.message.th).toBe('ไม่มี URL');
      expect(report.scores.ita?.total).toBeGreaterThan(0);
    } finally {
      await server.close();
    }
  });

  it('lists frameworks and prints the JSON Schema', async () => {
    const rules = await run('rules');
    expect(rules.code).toBe(EXIT.ok);
    expect(rules.out).toContain('ita-2564');
    expect(rules.out).toContain('ita-2565');
    expect(rules.out).toContain('O43');
    expect(rules.out).toContain('No Gift Policy');
    const schema = await run('schema');
    const json = JSON.parse(schema.out) as { properties: Record<string, unknown> };
    for (const key of [
      'schemaVersion',
      'tool',
      'site',
      'framework',
      'fiscalYear',
      'items',
      'scores',
      'crawl',
    ])
      expect(json.properties).toHaveProperty(key);
  });
});

const LAWS = `<h2>กฎหมายที่เกี่ยวข้องกับการปฏิบัติงาน</h2><ol>
<li>พระราชบัญญัติสภาตำบลและองค์การบริหารส่วนตำบล พ.ศ. 2537 และที่แก้ไขเพิ่มเติม</li>
<li>พระราชบัญญัติกำหนดแผนและขั้นตอนการกระจายอำนาจให้แก่องค์กรปกครองส่วนท้องถิ่น พ.ศ. 2542</li>
<li>พระราชบัญญัติข้อมูลข่าวสารของราชการ พ.ศ. 2540</li>
<li>ระเบียบกระทรวงมหาดไทยว่าด้วยการจัดทำแผนพัฒนาขององค์กรปกครองส่วนท้องถิ่น พ.ศ. 2548</li></ol>`;

const AUTHORITY = `<h2>อำนาจหน้าที่ขององค์การบริหารส่วนตำบล</h2>
<p>ตามพระราชบัญญัติสภาตำบลและองค์การบริหารส่วนตำบล พ.ศ. 2537 มาตรา 66 และมาตรา 67 องค์การบริหารส่วนตำบลมีอำนาจหน้าที่ดังนี้</p>
<ol><li>จัดให้มีและบำรุงรักษาทางน้ำและทางบก</li><li>รักษาความสะอาดของถนน ทางน้ำ ทางเดิน และที่สาธารณะ</li><li>ป้องกันโรคและระงับโรคติดต่อ</li><li>ป้องกันและบรรเทาสาธารณภัย</li></ol>`;

describe('ita-check CLI for scheduled scans', () => {
  const site = () =>
    buildMiniSite({
      rows: {
        O3: [{ text: 'อำนาจหน้าที่', href: '/authority.php' }],
        O5: [{ text: 'ติดต่อเรา', href: '/contact.php' }],
        O6: [{ text: 'กฎหมายที่เกี่ยวข้อง', href: '/laws.php' }],
      },
      files: {
        '/laws.php': LAWS,
        '/authority.php': AUTHORITY,
        '/hidden-laws.php': '<p>พระราชบัญญัติสภาตำบลและองค์การบริหารส่วนตำบล พ.ศ. 2537 ระเบียบกระทรวงมหาดไทย</p>',
      },
    });

  it('exits 1 on --fail-under and --fail-on, and writes JUnit, Markdown and HTML', async () => {
    const server = await startServer(site());
    try {
      const dir = mkdtempSync(join(tmpdir(), 'ita-cli-'));
      const r = await run(
        'scan',
        server.url,
        '--quiet',
        '--fail-under',
        '85',
        '--fail-on',
        'O6,O17',
        '--json',
        join(dir, 's.json'),
        '--junit',
        join(dir, 'j.xml'),
        '--markdown',
        join(dir, 's.md'),
        '--html',
        join(dir, 'r.html'),
      );
      expect(r.code).toBe(EXIT.threshold);
      expect(r.err).toMatch(/O17/);
      expect(r.out).toBe('');
      expect(readFileSync(join(dir, 'j.xml'), 'utf8').match(/<testcase /g)).toHaveLength(43);
      expect(readFileSync(join(dir, 's.md'), 'utf8')).toContain('O17');
      expect(readFileSync(join(dir, 'r.html'), 'utf8')).toContain('id="O17"');
      // The same report passes with no thresholds.
      expect((await run('scan', server.url, '--quiet')).code).toBe(EXIT.ok);
    } finally {
      await server.close();
    }
  });

  it('compares with a baseline and fails on a regression', async () => {
    const files = site();
    const server = await startServer(files);
    try {
      const dir = mkdtempSync(join(tmpdir(), 'ita-cli-'));
      const base = join(dir, 'base.json');
      const first = await run(
        'scan',
        server.url,
        '--json',
        base,
        '--baseline',
        join(dir, 'none.json'),
        '--fail-on-regression',
      );
      expect(first.code).toBe(EXIT.ok);
      expect(first.err).toContain('no baseline');
      // The next night the laws page is gone (and the site answers on another port): O6 regresses.
      files.delete('/laws.php');
      const next = await startServer(files);
      const md = join(dir, 's.md');
      const second = await run(
        'scan',
        next.url,
        '--baseline',
        base,
        '--fail-on-regression',
        '--markdown',
        md,
        '--json',
        join(dir, 'next.json'),
        '--html',
        join(dir, 'next.html'),
        '--lang',
        'en',
      );
      await next.close();
      expect(second.code).toBe(EXIT.threshold);
      expect(second.out).toContain('newly failing: O6');
      expect(second.out).not.toContain('newly failing: O6, ');
      expect(readFileSync(md, 'utf8')).toContain('O6');
      // Every output shows the change: the JSON report carries it, the HTML report lists it.
      const nextReport = ReportSchema.parse(JSON.parse(readFileSync(join(dir, 'next.json'), 'utf8')));
      expect(nextReport.baseline?.newlyFailingItems).toEqual(['O6']);
      expect(nextReport.baseline?.regression).toBe(true);
      expect(readFileSync(join(dir, 'next.html'), 'utf8')).toContain('Changes since the baseline');
    } finally {
      await server.close();
    }
  });

  it('checks the ITAS URL list first and says when the site holds better evidence', async () => {
    const server = await startServer(site());
    try {
      const dir = mkdtempSync(join(tmpdir(), 'ita-cli-'));
      const list = join(dir, 'urls.csv');
      // O6 is submitted with a page no link reaches; O3 with a broken URL.
      writeFileSync(
        list,
        `item,url,note\nO6,${server.url}/hidden-laws.php,กฎหมาย\nO3,${server.url}/nowhere.php,\n`,
      );
      const json = join(dir, 's.json');
      const r = await run('scan', server.url, '--quiet', '--urls', list, '--json', json);
      expect(r.code).toBe(EXIT.ok);
      const report = ReportSchema.parse(JSON.parse(readFileSync(json, 'utf8')));
      const o6 = report.items.find((i) => i.id === 'O6')!;
      expect(o6.evidence[0]).toMatchObject({ via: 'itas-list', status: 200, path: [] });
      expect(o6.findings.map((f) => f.code)).toContain('not-linked');
      const o3 = report.items.find((i) => i.id === 'O3')!;
      expect(o3.verdict, JSON.stringify(o3.findings)).toBe('fail');
      expect(o3.findings.find((f) => f.code === 'better-evidence')?.message.th).toContain('/authority.php');
      // `urls` turns a report back into a list ready for ITAS.
      const urls = await run('urls', json);
      expect(urls.out.split('\n')[0]).toBe('item,url,note');
      expect(urls.out).toContain('/authority.php');
    } finally {
      await server.close();
    }
  });

  it('re-renders a saved report', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ita-cli-'));
    const server = await startServer(site());
    const json = join(dir, 's.json');
    try {
      await run('scan', server.url, '--quiet', '--json', json);
    } finally {
      await server.close();
    }
    const html = join(dir, 'again.html');
    const r = await run('report', json, '--html', html, '--lang', 'en');
    expect(r.code).toBe(EXIT.ok);
    expect(readFileSync(html, 'utf8')).toContain('<html');
    expect((await run('report', join(dir, 'missing.json'), '--html', html)).code).toBe(EXIT.usage);
    writeFileSync(join(dir, 'bad.json'), '{"schemaVersion": 1}');
    const bad = await run('report', join(dir, 'bad.json'), '--html', html);
    expect(bad.code).toBe(EXIT.usage);
    expect(bad.err.trim().split('\n')).toHaveLength(1);
  });

  it('reads a config file, lets flags override it, and names a bad field', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ita-cli-'));
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const init = await run('init');
      expect(init.code).toBe(EXIT.ok);
      expect((await run('init')).code).toBe(EXIT.usage); // no silent overwrite
      writeFileSync(join(dir, 'bad.json'), '{ "maxPage": 10 }');
      const bad = await run('scan', 'http://127.0.0.1:9', '--config', join(dir, 'bad.json'));
      expect(bad.code).toBe(EXIT.usage);
      expect(bad.err).toContain('maxPage');
      expect(bad.err).toContain('maxPages');
      const sev = await run(
        'scan',
        'http://127.0.0.1:9',
        '--severity',
        'O5.nothing=info',
        '--timeout',
        '500',
      );
      expect(sev.code).toBe(EXIT.usage);
      expect(sev.err).toContain('O5');
    } finally {
      process.chdir(cwd);
    }
  });
});

describe('ita-check CLI when interrupted', () => {
  it('writes the partial report on SIGINT and exits 130', async () => {
    const rows: Record<string, { text: string; href: string }[]> = {};
    const files: Record<string, string> = {};
    for (let n = 1; n <= 40; n++) {
      rows[`O${n}`] = [{ text: `ข้อมูล ${n}`, href: `/page-${n}.php` }];
      files[`/page-${n}.php`] = `<p>หน้า ${n}</p>`;
    }
    const server = await startServer(buildMiniSite({ rows, files }), { latencyMs: 300 });
    const dir = mkdtempSync(join(tmpdir(), 'ita-cli-'));
    const json = join(dir, 'partial.json');
    try {
      const timer = setTimeout(() => process.emit('SIGINT'), 1500);
      const r = await run('scan', server.url, '--json', json, '--concurrency', '2');
      clearTimeout(timer);
      expect(r.code).toBe(EXIT.interrupted);
      const report = ReportSchema.parse(JSON.parse(readFileSync(json, 'utf8')));
      expect(report.siteFindings.map((f) => f.code)).toContain('interrupted');
      expect(report.crawl.pages).toBeLessThan(40);
      expect(report.items).toHaveLength(43);
    } finally {
      await server.close();
    }
  });
});

describe('ita-check CLI cache', () => {
  it('revalidates an unchanged site with 304s and judges it the same', async () => {
    const rows = {
      O6: [{ text: 'กฎหมายที่เกี่ยวข้อง', href: '/laws.php' }],
      O3: [{ text: 'อำนาจหน้าที่', href: '/authority.php' }],
      O5: [{ text: 'ติดต่อ', href: '/contact.php' }],
    };
    const server = await startServer(
      buildMiniSite({ rows, files: { '/laws.php': LAWS, '/authority.php': AUTHORITY } }),
    );
    const dir = mkdtempSync(join(tmpdir(), 'ita-cli-'));
    try {
      const cache = join(dir, 'cache');
      const a = join(dir, 'a.json');
      const b = join(dir, 'b.json');
      expect((await run('scan', server.url, '--quiet', '--cache-dir', cache, '--json', a)).code).toBe(
        EXIT.ok,
      );
      const before = server.stats.notModified ?? 0;
      expect((await run('scan', server.url, '--quiet', '--cache-dir', cache, '--json', b)).code).toBe(
        EXIT.ok,
      );
      expect((server.stats.notModified ?? 0) - before).toBeGreaterThan(0);
      const verdicts = (f: string) =>
        ReportSchema.parse(JSON.parse(readFileSync(f, 'utf8'))).items.map((i) => i.verdict);
      expect(verdicts(b)).toEqual(verdicts(a));
      // --no-cache asks for everything again.
      const again = server.stats.notModified ?? 0;
      expect((await run('scan', server.url, '--quiet', '--no-cache')).code).toBe(EXIT.ok);
      expect(server.stats.notModified ?? 0).toBe(again);
    } finally {
      await server.close();
    }
  });
});
