// npm run bench: prints speed and memory figures (not a test). Builds the fixture agency sites, then
// measures (1) a full scan of each, served on 127.0.0.1 with 0 ms and 100 ms per-response latency, and
// (2) PDF text extraction over every fixture PDF (worker pool and in process), against Poppler's pdftotext
// when it is installed.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeDocumentBrowser } from '../fixtures/lib/documents.js';
import { type ServedFile, startServer } from '../fixtures/lib/server.js';
import { demoSite } from '../fixtures/sites/demo.js';
import { referenceSite } from '../fixtures/sites/reference.js';
import { vendor874Site } from '../fixtures/sites/vendor874.js';
import { extractPdf } from '../src/extract/pdf.js';
import { scan } from '../src/scan.js';

type Row = Record<string, string | number>;

function table(rows: Row[]): string {
  const keys = Object.keys(rows[0] ?? {});
  const width = keys.map((k) => Math.max(k.length, ...rows.map((r) => String(r[k]).length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(width[i]!)).join('  ');
  return [
    line(keys),
    line(width.map((w) => '-'.repeat(w))),
    ...rows.map((r) => line(keys.map((k) => String(r[k])))),
  ].join('\n');
}

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

async function benchScans(sites: { name: string; files: Map<string, ServedFile> }[]): Promise<Row[]> {
  const rows: Row[] = [];
  for (const latencyMs of [0, 100]) {
    for (const site of sites) {
      const server = await startServer(site.files, { latencyMs });
      const t0 = performance.now();
      const c0 = cpuMs();
      try {
        const report = await scan(`${server.url}/`, {});
        const wall = performance.now() - t0;
        rows.push({
          site: site.name,
          latency: `${latencyMs} ms`,
          'wall s': (wall / 1000).toFixed(2),
          'cpu s': ((cpuMs() - c0) / 1000).toFixed(2),
          requests: server.stats.requests,
          'max in flight': server.stats.maxInFlight,
          pages: report.crawl.pages,
          documents: report.crawl.documents,
          MB: (report.crawl.bytes / 1e6).toFixed(2),
          'pages/s': (report.crawl.pages / (wall / 1000)).toFixed(1),
          OIT: report.scores.oit.toFixed(2),
          'rss MB': (process.memoryUsage().rss / 1e6).toFixed(0),
        });
      } finally {
        await server.close();
      }
    }
  }
  return rows;
}

function hasPdftotext(): boolean {
  try {
    execFileSync('pdftotext', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

async function benchPdf(pdfs: Uint8Array[]): Promise<Row[]> {
  const bytes = pdfs.reduce((n, p) => n + p.length, 0);
  await extractPdf(pdfs[0]!); // load pdfjs once, as a scan does
  const t0 = performance.now();
  let pages = 0;
  for (const pdf of pdfs) pages += (await extractPdf(pdf)).parts.length;
  const ours = (performance.now() - t0) / 1000;
  // The same documents on the worker pool a scan uses (started and warmed as a scan starts it).
  const { PdfPool, defaultWorkerUrl } = await import('../src/extract/pdf-pool.js');
  const url = defaultWorkerUrl();
  const pool = url ? new PdfPool(url) : undefined;
  await pool?.warm();
  const tp = performance.now();
  await Promise.all(pdfs.map((p) => (pool ? pool.extract(p) : extractPdf(p))));
  const pooled = (performance.now() - tp) / 1000;
  await pool?.close();
  const rows: Row[] = [
    {
      extractor: `ita-check, pool of ${pool?.size ?? 1} workers, first pass`,
      documents: pdfs.length,
      pages,
      MB: (bytes / 1e6).toFixed(2),
      s: pooled.toFixed(2),
      'pages/s': (pages / pooled).toFixed(0),
      'MB/s': (bytes / 1e6 / pooled).toFixed(2),
    },
    {
      extractor: 'ita-check in process, one at a time (second pass)',
      documents: pdfs.length,
      pages,
      MB: (bytes / 1e6).toFixed(2),
      s: ours.toFixed(2),
      'pages/s': (pages / ours).toFixed(0),
      'MB/s': (bytes / 1e6 / ours).toFixed(2),
    },
  ];
  if (hasPdftotext()) {
    const dir = mkdtempSync(join(tmpdir(), 'ita-bench-'));
    const files = pdfs.map((p, i) => {
      const f = join(dir, `${i}.pdf`);
      writeFileSync(f, p);
      return f;
    });
    const t1 = performance.now();
    for (const f of files)
      execFileSync('pdftotext', ['-q', f, '-'], { stdio: ['ignore', 'ignore', 'ignore'] });
    const theirs = (performance.now() - t1) / 1000;
    rmSync(dir, { recursive: true, force: true });
    rows.push({
      extractor: 'pdftotext (poppler, one process per file)',
      documents: pdfs.length,
      pages,
      MB: (bytes / 1e6).toFixed(2),
      s: theirs.toFixed(2),
      'pages/s': (pages / theirs).toFixed(0),
      'MB/s': (bytes / 1e6 / theirs).toFixed(2),
    });
    rows.push({
      extractor: 'ratio ita-check / pdftotext (pool; in process)',
      documents: '',
      pages: '',
      MB: '',
      s: '',
      'pages/s': `${(theirs / pooled).toFixed(2)}; ${(theirs / ours).toFixed(2)}`,
      'MB/s': '',
    });
  }
  return rows;
}

async function main(): Promise<void> {
  process.stderr.write('building fixture sites …\n');
  const sites = [
    { name: 'demo', files: await demoSite.build() },
    { name: 'reference', files: await referenceSite.build() },
    { name: 'vendor874', files: await vendor874Site.build() },
  ];
  await closeDocumentBrowser();
  const pdfs: Uint8Array[] = [];
  for (const s of sites)
    for (const f of s.files.values())
      if (f.body instanceof Uint8Array && Buffer.from(f.body.subarray(0, 5)).toString('latin1') === '%PDF-')
        pdfs.push(f.body);

  process.stdout.write(
    `\nFull assessment of each fixture site (per-host concurrency 4)\n${table(await benchScans(sites))}\n`,
  );
  process.stdout.write(`\nPDF text extraction over the fixture PDFs\n${table(await benchPdf(pdfs))}\n`);
  process.stdout.write(
    `\npeak RSS of this process: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB\n`,
  );
}

main()
  .then(() => import('../src/extract/pdf-pool.js'))
  .then((m) => m.closeSharedPdfPool())
  .catch((err: unknown) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
