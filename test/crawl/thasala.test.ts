import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../fixtures/lib/server.js';
import { crawlSite, decodedPath } from '../../src/crawl/index.js';
import type { CrawlResult } from '../../src/types.js';

const ROOT = '/work/shared/sample-sites/thasala';
const EXPECTED = JSON.parse(readFileSync('/work/shared/sample-sites/thasala.expected.json', 'utf8')) as {
  items: Record<string, { evidence: string[] }>;
};

describe('crawl of the thasala sample site (directory mode)', () => {
  let server: TestServer;
  let result: CrawlResult;
  let ms = 0;
  const u = (path: string) => `${server.url}${path}`;

  beforeAll(async () => {
    server = await startServer(ROOT);
    const t = Date.now();
    result = await crawlSite(`${server.url}/`, {});
    ms = Date.now() - t;
  });
  afterAll(async () => {
    await server?.close();
  });

  it('finds ≥ 90 pages and ≥ 40 documents without failures', () => {
    expect(result.stats.pages).toBeGreaterThanOrEqual(90);
    expect(result.stats.documents).toBeGreaterThanOrEqual(40);
    const byKind = new Map<string, number>();
    for (const r of result.resources.values()) byKind.set(r.kind, (byKind.get(r.kind) ?? 0) + 1);
    expect(byKind.get('pdf')).toBe(43);
    expect(byKind.get('docx')).toBe(2);
    expect(byKind.get('xlsx')).toBe(1);
    // The site has no broken links: the only 404 allowed is the /sitemap.xml probe, which is not an error.
    expect(result.errors).toEqual([]);
    expect([...result.resources.values()].filter((r) => r.failure)).toEqual([]);
    expect(server.stats.log.filter((l) => l.status === 404).map((l) => l.path)).toEqual(['/sitemap.xml']);
    // Every request made once.
    const paths = server.stats.log.map((l) => l.path);
    expect(new Set(paths).size).toBe(paths.length);
    expect(result.stats.requests).toBe(paths.length);
    process.stderr.write(
      `thasala: ${ms} ms, ${result.stats.pages} pages, ${result.stats.documents} documents, ${result.stats.requests} requests, ${result.stats.bytes} bytes\n`,
    );
  });

  it('resolves the /?p= short links through their meta refresh to the permalink', () => {
    const short = result.resources.get(u('/?p=161'));
    expect(short).toMatchObject({
      finalUrl: u('/2021/02/08/city-forum-local-plan-2564/'),
      redirects: [u('/?p=161')],
      status: 200,
      kind: 'html',
    });
    expect(short?.title).toContain('ประชุมประชาคมเมือง');
    for (const id of [131, 149])
      expect(result.resources.get(u(`/?p=${id}`))?.finalUrl).not.toBe(u(`/?p=${id}`));
    expect(result.parents.get(u('/?p=161'))?.from).toBe(u('/ita-2564/o33-participation/'));
  });

  it('reaches every evidence path of the expected verdicts, with a click path from the homepage', () => {
    const fetched = new Set<string>();
    for (const r of result.resources.values()) {
      fetched.add(decodedPath(r.url));
      fetched.add(decodedPath(r.finalUrl));
    }
    const missing: string[] = [];
    for (const [item, e] of Object.entries(EXPECTED.items)) {
      for (const path of e.evidence) if (!fetched.has(path)) missing.push(`${item} ${path}`);
    }
    expect(missing).toEqual([]);
    const scan = u('/wp-content/uploads/2563/10/Scan2020-10-19_103512.pdf');
    expect(result.parents.get(scan)).toEqual({
      from: u('/ita-2564/o34-integrity-pledge/'),
      to: scan,
      text: expect.stringContaining('เจตจำนงสุจริต'),
    });
    expect(result.resources.get(scan)?.body?.length).toBeGreaterThan(1000);
  });

  it('reads the ITA index as links with sub-indicator headings', () => {
    const index = result.resources.get(u('/ita-2564/'));
    const o1 = index?.links?.find((l) => l.url === u('/ita-2564/o1-structure/'));
    expect(o1).toMatchObject({ text: 'O1 โครงสร้าง', heading: 'ตัวชี้วัดย่อยที่ 9.1 ข้อมูลพื้นฐาน', inMenu: false });
    expect(result.externalLinks.some((l) => l.url === 'https://www.nacc.go.th/')).toBe(true);
  });
});
