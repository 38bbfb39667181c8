// The command line: exit codes, one-line errors, the JSON report written even for a small site.
import { mkdtempSync, readFileSync } from 'node:fs';
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
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toContain('cannot reach');
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
