// Batch benchmark (not a test): serves 50 small agency sites on 127.0.0.1 (each its own server, each a
// different mix of passing, failing and missing items, a few with an ITAS URL list, one unreachable), then
//  1. runs the batch through runBatch (what `ita-check batch` runs): wall time, sites/min, and RSS after
//     each 10 sites, to show memory does not grow with the number of sites;
//  2. runs it again into a new directory, aborts after ~10 sites, resumes, and checks the finished sites
//     were not fetched again;
//  3. opens summary.html in Chromium: no console errors, no network requests, one row per site.
// Run: npx vite-node scripts/batch-bench.ts [sites]   (or node dist/scripts/batch-bench.js after a build)
// Add --expose-gc (node --expose-gc …) to collect garbage before each RSS reading.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { type ServedFile, startServer, type TestServer } from '../fixtures/lib/server.js';
import { type BatchEvent, defaultSitesConcurrency, runBatch } from '../src/batch/run.js';
import { readSitesCsv } from '../src/batch/sites.js';
import { buildMiniSite, type Row } from '../test/helpers/mini-site.js';

const N = Number(process.argv[2] ?? 50);

const AUTHORITY = `<h2>อำนาจหน้าที่ขององค์การบริหารส่วนตำบล</h2>
<p>ตามพระราชบัญญัติสภาตำบลและองค์การบริหารส่วนตำบล พ.ศ. 2537 มาตรา 66 และมาตรา 67 องค์การบริหารส่วนตำบลมีอำนาจหน้าที่ดังนี้</p>
<ol><li>จัดให้มีและบำรุงรักษาทางน้ำและทางบก</li><li>รักษาความสะอาดของถนน ทางน้ำ ทางเดิน และที่สาธารณะ</li></ol>`;
const LAWS = `<h2>กฎหมายที่เกี่ยวข้องกับการปฏิบัติงาน</h2><ol>
<li>พระราชบัญญัติสภาตำบลและองค์การบริหารส่วนตำบล พ.ศ. 2537 และที่แก้ไขเพิ่มเติม</li>
<li>พระราชบัญญัติกำหนดแผนและขั้นตอนการกระจายอำนาจให้แก่องค์กรปกครองส่วนท้องถิ่น พ.ศ. 2542</li></ol>`;

/** Items whose evidence is a plain page: [item, link text, path, page body]. */
const POOL: [string, string, string, string][] = [
  [
    'O2',
    'คณะผู้บริหาร',
    '/executives.php',
    '<div class="person"><img src="/p1.jpg" alt="นายสมชาย ใจดี"><p>นายสมชาย ใจดี</p><p>นายกองค์การบริหารส่วนตำบล</p><p>โทร. 081-234-5678</p></div>',
  ],
  ['O3', 'อำนาจหน้าที่', '/authority.php', AUTHORITY],
  ['O5', 'ติดต่อเรา', '/contact.php', ''],
  ['O6', 'กฎหมายที่เกี่ยวข้อง', '/laws.php', LAWS],
  [
    'O7',
    'ข่าวประชาสัมพันธ์',
    '/news.php',
    '<ul><li>15 พฤศจิกายน 2563 อบต.จัดงานประเพณีลอยกระทง</li><li>9 ธันวาคม 2563 กิจกรรมวันต่อต้านคอร์รัปชันสากล</li></ul>',
  ],
  [
    'O17',
    'E-Service',
    '/eservice.php',
    '<p>ยื่นคำร้องออนไลน์</p><form action="/eservice.php" method="post"><label>ชื่อ-นามสกุล <input name="name"></label><button>ส่งคำร้อง</button></form>',
  ],
  [
    'O30',
    'แจ้งเรื่องร้องเรียนการทุจริต',
    '/complaint.php',
    '<p>ข้อมูลของผู้ร้องเรียนจะถูกเก็บรักษาเป็นความลับ</p><form method="post" action="/complaint.php"><textarea name="detail"></textarea><input type="submit" value="ส่ง"></form>',
  ],
];

/** Site i: a different subset of the pool, some broken links, some rows without a link, some news pages. */
function siteFiles(i: number): Map<string, ServedFile> {
  const rows: Record<string, Row[]> = {};
  const files: Record<string, string> = {};
  POOL.forEach(([id, text, path, body], k) => {
    if (((i * 7 + 3) >> k) & 1 || k === i % POOL.length) {
      rows[id] = [{ text, href: path }];
      if (body) files[path] = body;
    }
  });
  if (i % 3 === 0) rows.O10 = [{ text: 'Q&A', href: '/missing-qa.php' }]; // a 404
  if (i % 4 === 1) rows.O14 = []; // a row without a link
  for (let p = 0; p < i % 6; p++) files[`/news-${p}.php`] = `<p>ข่าวกิจกรรมที่ ${p} ของหน่วยงาน ${i}</p>`;
  const footer = Object.keys(files)
    .filter((f) => f.startsWith('/news-'))
    .map((f) => `<a href="${f}">ข่าว</a>`)
    .join(' ');
  return buildMiniSite({ rows, files, footer });
}

const mb = (n: number) => `${(n / 1048576).toFixed(0)} MB`;
function memory(): { rss: number; heap: number } {
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  return { rss: m.rss, heap: m.heapUsed };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ita-batch-bench-'));
  const servers: TestServer[] = [];
  try {
    mkdirSync(join(dir, 'lists'));
    const lines = ['หน่วยงาน,url,list'];
    for (let i = 0; i < N; i++) {
      const files = siteFiles(i);
      if (i === 13) files.set('/', { body: 'ปิดปรับปรุง', status: 503 }); // unreachable
      const s = await startServer(files, { latencyMs: (i % 5) * 4 });
      servers.push(s);
      let list = '';
      if (i % 7 === 2) {
        list = `lists/site-${i}.csv`;
        writeFileSync(join(dir, list), `item,url\nO6,${s.url}/laws.php\nO3,${s.url}/authority.php\n`);
      }
      const name = i % 2 ? `องค์การบริหารส่วนตำบลทดสอบที่ ${i + 1}` : `"เทศบาลตำบลทดสอบ ${i + 1}, จ.ทดสอบ"`;
      lines.push(`${name},${s.url}/,${list}`);
    }
    const csv = join(dir, 'sites.csv');
    writeFileSync(csv, `${lines.join('\n')}\n`);
    const sites = readSitesCsv(csv);
    const cap = defaultSitesConcurrency();
    console.log(`${N} sites, ${cap} at once (${availableParallelism()} cores), node ${process.version}`);

    // 1. The full batch.
    const m0 = memory();
    console.log(`before: RSS ${mb(m0.rss)}, heap ${mb(m0.heap)}`);
    const t0 = performance.now();
    const onEvent = (e: BatchEvent) => {
      if (e.type !== 'done' || e.done % 10 !== 0) return;
      const m = memory();
      const s = (performance.now() - t0) / 1000;
      console.log(
        `  ${String(e.done).padStart(3)} sites  ${s.toFixed(1)} s  RSS ${mb(m.rss)}  heap ${mb(m.heap)}`,
      );
    };
    const out1 = join(dir, 'out-full');
    const r1 = await runBatch(sites, { outDir: out1, html: true, source: csv, onEvent });
    const wall = r1.durationMs / 1000;
    console.log(
      `full run: ${wall.toFixed(1)} s wall, ${((r1.scanned / wall) * 60).toFixed(0)} sites/min; ` +
        `ok ${r1.ok}, unreachable ${r1.unreachable}, error ${r1.error}`,
    );
    const top = r1.sites.filter((s) => s.status === 'ok').sort((a, b) => (b.oit ?? 0) - (a.oit ?? 0));
    console.log(
      `OIT from ${top.at(-1)?.oit?.toFixed(2)} to ${top[0]?.oit?.toFixed(2)} over ${new Set(top.map((s) => s.oit)).size} distinct scores`,
    );

    // 2. Interrupted after ~10 sites, then resumed.
    const out2 = join(dir, 'out-resume');
    const ctl = new AbortController();
    const t1 = performance.now();
    const r2 = await runBatch(sites, {
      outDir: out2,
      signal: ctl.signal,
      onEvent: (e) => {
        if (e.type === 'done' && e.done >= 10) ctl.abort();
      },
    });
    const doneSlugs = new Set(r2.sites.map((s) => s.slug));
    console.log(
      `interrupted run: ${r2.done} of ${r2.total} done in ${((performance.now() - t1) / 1000).toFixed(1)} s (interrupted: ${r2.interrupted})`,
    );
    const finished = sites.map((s, i) => (doneSlugs.has(s.slug) ? i : -1)).filter((i) => i >= 0);
    const before = finished.map((i) => servers[i]!.stats.requests);
    const r3 = await runBatch(sites, { outDir: out2 });
    const refetched = finished.reduce((acc, i, k) => acc + servers[i]!.stats.requests - before[k]!, 0);
    console.log(
      `resumed: ${r3.skipped} reused, ${r3.scanned} scanned in ${(r3.durationMs / 1000).toFixed(1)} s; ` +
        `requests to the ${finished.length} finished sites: ${refetched}; complete: ${!r3.interrupted}`,
    );
    if (refetched !== 0 || r3.done !== N || r3.skipped !== r2.done) throw new Error('resume did not skip');

    // 3. summary.html in Chromium.
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
      headless: true,
    });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      const requests: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      page.on('pageerror', (e) => errors.push(String(e)));
      page.on('request', (q) => requests.push(q.url()));
      const url = pathToFileURL(r1.summaryHtml).href;
      await page.goto(url, { waitUntil: 'load' });
      const rows = await page.locator('table.ranking tbody tr').count();
      const other = requests.filter((u) => u !== url);
      console.log(
        `summary.html: ${rows} rows, ${errors.length} console errors, ${other.length} network requests, ` +
          `${(readFileSync(r1.summaryHtml).length / 1024).toFixed(0)} KB`,
      );
      if (rows !== N || errors.length || other.length)
        throw new Error(`summary.html check failed: ${errors}`);
    } finally {
      await browser.close();
    }
  } finally {
    for (const s of servers) await s.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
