// Targeted crawling (src/evidence/priority.ts with the crawler's priority frontier): on a generated municipal
// site with a deep news archive, a gallery, a calendar and an ITA index, the crawl fetches the index and every
// evidence URL first, leaves documents nothing ties to an item alone, and stops once the evidence is in.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServedFile, startServer, type TestServer } from '../../fixtures/lib/server.js';
import { buildLargeSite, type LargeSiteManifest } from '../../fixtures/sites/large.js';
import { type CrawlOptions, crawlSite } from '../../src/crawl/crawler.js';
import {
  EVIDENCE_PRIORITY,
  evidencePriority,
  PRIORITY,
  stopWhenCovered,
  targetedCrawl,
} from '../../src/evidence/priority.js';
import { loadFramework } from '../../src/rules/load.js';
import type { CrawlResult, Link, Resource } from '../../src/types.js';

const fw = loadFramework('ita-2564');
let server: TestServer;
let manifest: LargeSiteManifest;

beforeAll(async () => {
  const site = await buildLargeSite({
    newsPosts: 400,
    newsWithPdf: 40,
    procurementPosts: 40,
    albums: 60,
    imagesPerAlbum: 2,
    months: 24,
    events: 40,
    documents: 'stub',
  });
  manifest = site.manifest;
  server = await startServer(site.files);
});

afterAll(async () => {
  await server?.close();
});

const LIMITS: CrawlOptions = { maxPages: 5000, maxDocuments: 5000, maxDepth: 500, useSitemaps: false };

interface Run {
  result: CrawlResult;
  /** Paths requested (decoded), in order. */
  requested: string[];
  requests: number;
}

async function run(opts: CrawlOptions): Promise<Run> {
  const before = server.stats.log.length;
  const result = await crawlSite(`${server.url}/`, { ...LIMITS, ...opts });
  const log = server.stats.log.slice(before);
  return { result, requested: log.map((e) => decodeURI(e.path)), requests: log.length };
}

const fetched = (r: Run, path: string): boolean => r.requested.includes(decodeURI(path));
const htmlFetched = (r: Run): number =>
  [...new Set(r.result.resources.values())].filter((x) => x.kind === 'html').length;

describe('targeted crawl', () => {
  let exhaustive: Run;
  let targeted: Run;

  beforeAll(async () => {
    exhaustive = await run({});
    targeted = await run(targetedCrawl(fw));
  }, 120_000);

  it('fetches the index, every item page and every evidence document', () => {
    const missing = [manifest.indexPath, ...manifest.itemPages, ...manifest.evidenceDocuments].filter(
      (p) => !fetched(targeted, p),
    );
    expect(missing).toEqual([]);
    // The index comes right after the homepage (and robots.txt).
    expect(targeted.requested.indexOf(manifest.indexPath)).toBeLessThan(5);
  });

  it('fetches far fewer pages than the exhaustive crawl', () => {
    expect(manifest.pages.length).toBeGreaterThan(600);
    // The exhaustive crawl reads the whole site (the calendar's endless months cut at 50 variants).
    expect(htmlFetched(exhaustive)).toBeGreaterThan(manifest.pages.length - 10);
    expect(htmlFetched(targeted)).toBeLessThan(htmlFetched(exhaustive) * 0.25);
    expect(targeted.requests).toBeLessThan(exhaustive.requests * 0.2);
  });

  it('leaves documents that are not evidence alone', () => {
    const other = manifest.otherDocuments;
    expect(other.length).toBeGreaterThan(100);
    expect(other.filter((p) => fetched(targeted, p))).toEqual([]);
  });

  it('exhaustive fetches everything within the limits', () => {
    const docs = [...manifest.evidenceDocuments, ...manifest.otherDocuments];
    expect(docs.filter((p) => !fetched(exhaustive, p))).toEqual([]);
    const calendar = manifest.pages.filter((p) => p.startsWith('/calendar/?'));
    const pagesMissed = manifest.pages.filter((p) => !fetched(exhaustive, p) && !calendar.includes(p));
    expect(pagesMissed).toEqual([]);
  });

  it('the stop predicate ends the crawl early', async () => {
    // The same priorities without the stop predicate: the crawl goes on through the archives.
    const noStop = await run({ priority: evidencePriority(fw), minDocumentPriority: PRIORITY.attachment });
    expect(noStop.requests).toBeGreaterThan(targeted.requests * 3);
    expect(htmlFetched(noStop)).toBeGreaterThan(manifest.pages.length - 10);
    // Stopped with work left: the deep news archive was never reached.
    expect(fetched(targeted, '/news/page/30/')).toBe(false);
    expect(fetched(noStop, '/news/page/30/')).toBe(true);
  }, 60_000);

  it('stops between batches once the predicate says so', async () => {
    let calls = 0;
    const r = await run({
      concurrency: 2,
      shouldStop: (s) => {
        calls++;
        expect(s.resources.size).toBeGreaterThan(0);
        return s.resources.size >= 10;
      },
    });
    expect(calls).toBeGreaterThan(1);
    // Requests already in flight finish: at most `concurrency` beyond the point of stopping.
    expect(r.result.resources.size).toBeLessThanOrEqual(10 + 2 + 1);
  });
});

describe('evidencePriority', () => {
  const page = (url: string, links: Link[], extra: Partial<Resource> = {}): Resource => ({
    url,
    finalUrl: url,
    redirects: [],
    status: 200,
    servedType: 'text/html',
    kind: 'html',
    bytes: 0,
    depth: 1,
    fetchedAt: '',
    links,
    ...extra,
  });
  const link = (url: string, text: string, extra: Partial<Link> = {}): Link => ({
    url,
    text,
    source: 'a',
    ...extra,
  });
  const base = 'http://x.test';

  it('ranks the index, item links, hubs, posts, archives and pictures', () => {
    const weigh = evidencePriority(fw);
    const from = page(`${base}/about/`, []);
    const p = (l: Link) => weigh(l, from);
    const index = p(link(`${base}/ita/2564/`, 'ITA 2564', { inMenu: true }));
    const lastYear = p(link(`${base}/ita-2563.php`, 'การประเมินคุณธรรมและความโปร่งใส ปี 2563'));
    const item = p(link(`${base}/page.php?id=7`, 'O1 โครงสร้างส่วนราชการ'));
    const named = p(link(`${base}/page.php?id=8`, 'แผนการใช้จ่ายงบประมาณประจำปี'));
    const menu = p(link(`${base}/page.php?id=9`, 'ประวัติความเป็นมา', { inMenu: true }));
    const post = p(link(`${base}/news/123/`, 'กิจกรรมวันเด็ก'));
    const paging = p(link(`${base}/news/page/7/`, '7'));
    const calendar = p(link(`${base}/calendar/?ym=2564-02`, 'เดือนก่อนหน้า'));
    const picture = p(link(`${base}/gallery/1/1.jpg`, ''));
    const doc = p(link(`${base}/files/news-1.pdf`, 'ดาวน์โหลดเอกสาร'));
    expect(index).toBe(PRIORITY.indexThisYear);
    expect(lastYear).toBe(PRIORITY.indexOtherYear);
    expect(item).toBe(PRIORITY.itemLink);
    expect(named).toBe(PRIORITY.itemLink);
    expect(menu).toBe(PRIORITY.hub);
    expect(post).toBe(PRIORITY.post);
    expect(paging).toBe(PRIORITY.archive);
    expect(calendar).toBe(PRIORITY.archive);
    expect(picture).toBe(PRIORITY.image);
    expect(doc).toBe(PRIORITY.none);
    // "capital" is not "ITA".
    expect(p(link(`${base}/capital/`, 'Capital city'))).toBe(PRIORITY.page);
  });

  it('follows the index to item pages, and item pages to their attachments', () => {
    const weigh = evidencePriority(fw);
    const rows = Array.from({ length: 10 }, (_, i) =>
      link(`${base}/ita/o${i + 1}/`, 'คลิก', { context: `O${i + 1} ข้อมูล คลิก` }),
    );
    const index = page(`${base}/ita/`, rows, { title: 'ITA 2564' });
    expect(weigh(rows[0]!, index)).toBe(PRIORITY.indexRow);
    const detail = link(`${base}/news/55/`, 'รายละเอียด');
    const itemPage = page(`${base}/ita/o1/`, [detail], { depth: 2 });
    expect(weigh(detail, itemPage)).toBe(PRIORITY.itemPageLink);
    const pdf = link(`${base}/files/a.pdf`, 'ไฟล์แนบ');
    const hop = page(`${base}/news/55/`, [pdf], { depth: 3 });
    expect(weigh(pdf, hop)).toBe(PRIORITY.attachment);
    // The same detail page reached otherwise: its documents are not evidence.
    const other = evidencePriority(fw);
    expect(other(pdf, page(`${base}/news/55/`, [pdf], { depth: 3 }))).toBe(PRIORITY.none);
  });

  it('stopWhenCovered waits while evidence candidates are pending', () => {
    const stop = stopWhenCovered(fw, { minPages: 1 });
    const resources = new Map<string, Resource>([[`${base}/`, page(`${base}/`, [], { depth: 0 })]]);
    const state = (topPriority: number) => ({
      resources,
      frontierSize: 1,
      inFlight: 0,
      topPriority,
      heldDocuments: 0,
      pending: () => false,
    });
    expect(stop(state(PRIORITY.attachment))).toBe(false);
    expect(stop(state(PRIORITY.hub))).toBe(false);
    expect(stop(state(PRIORITY.page))).toBe(true);
  });
});

describe('targeted crawl whatever the timing', () => {
  // The menu reaches the e-service page first; the index row naming it as O17 arrives while that page is
  // still being fetched. Its links must still be followed as an item page's, or an early stop leaves the
  // forms behind (a verdict that depended on which response came back first).
  it('treats a page as an item page when its index row is read while the page is in flight', async () => {
    const page = (title: string, body: string, menu = ''): ServedFile => ({
      type: 'text/html; charset=utf-8',
      body: `<!doctype html><html lang="th"><head><meta charset="utf-8"><title>${title}</title></head><body>
<nav class="menu"><ul><li><a href="/">หน้าแรก</a></li>${menu}</ul></nav><main><h1>${title}</h1>${body}</main></body></html>`,
    });
    const rows = [1, 2, 3, 4, 5]
      .map((n) => `<tr><td>O${n}</td><td>ข้อมูลข้อ ${n}</td><td><a href="/o${n}.php">คลิก</a></td></tr>`)
      .join('');
    const files = new Map<string, ServedFile>([
      [
        '/',
        page(
          'องค์การบริหารส่วนตำบลทดสอบ',
          '<p>ยินดีต้อนรับ</p>',
          '<li><a href="/eservice.php">บริการประชาชน</a></li><li><a href="/ita.php">ITA 2564</a></li>',
        ),
      ],
      [
        '/ita.php',
        page(
          'การประเมินคุณธรรมและความโปร่งใส (ITA) ประจำปี 2564',
          `<table><tr><th>ข้อ</th><th>ข้อมูล</th><th>URL</th></tr>${rows}<tr><td>O17</td><td>E-Service</td><td><a href="/eservice.php">คลิก</a></td></tr></table>`,
        ),
      ],
      [
        '/eservice.php',
        {
          ...page('บริการประชาชน', '<ul><li><a href="/form1.php">ขอรับการสนับสนุนน้ำอุปโภคบริโภค</a></li></ul>'),
          delayMs: 400,
        },
      ],
      ['/form1.php', page('แบบฟอร์ม', '<form method="post" action="/send.php"><input name="name"></form>')],
      ...[1, 2, 3, 4, 5].map((n): [string, ServedFile] => [`/o${n}.php`, page(`ข้อ ${n}`, '<p>ข้อมูล</p>')]),
    ]);
    const site = await startServer(files);
    try {
      const result = await crawlSite(`${site.url}/`, {
        useSitemaps: false,
        priority: evidencePriority(fw),
        minDocumentPriority: EVIDENCE_PRIORITY,
        // Stop as soon as no evidence candidate waits or is being fetched.
        shouldStop: (state) => state.topPriority < EVIDENCE_PRIORITY && state.resources.size > 1,
      });
      const paths = [...result.resources.keys()].map((u) => new URL(u).pathname);
      expect(paths).toContain('/eservice.php');
      expect(paths).toContain('/form1.php');
    } finally {
      await site.close();
    }
  });
});
