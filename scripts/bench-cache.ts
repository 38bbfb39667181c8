// Cold scan vs warm re-scan with the on-disk caches (not a test). Serves the demo fixture site on 127.0.0.1
// with 100 ms per-response latency (ETag / Last-Modified on every answer) and runs what scan() runs: crawl,
// evidence index, extraction of the evidence documents, judging; first without any cache, then with an empty
// cache dir (cold), then again on the same dir (warm: every URL revalidated, texts from the text cache), then
// with the cache trusted for an hour (fresh: no request at all). Run: npm run build && node
// dist/scripts/bench-cache.js [latencyMs [spillBytes]], or npx vite-node scripts/bench-cache.ts [latencyMs …].
// Document bodies over spillBytes (default 1 MB) are kept on disk, not in memory.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeDocumentBrowser } from '../fixtures/lib/documents.js';
import { startServer, type TestServer } from '../fixtures/lib/server.js';
import { demoSite } from '../fixtures/sites/demo.js';
import { removeSpilledBodies } from '../src/crawl/fetcher.js';
import { closeSharedPdfPool } from '../src/extract/pdf-pool.js';
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

interface Run {
  row: Row;
  wall: number;
  verdicts: string;
}

/** One scan, as a user runs it (scan(): targeted crawl, read-ahead of PDFs, judging), with or without the caches. */
async function scanOnce(
  server: TestServer,
  name: string,
  cacheDir: string | null,
  freshMs = 0,
): Promise<Run> {
  const log0 = server.stats.log.length;
  const t0 = performance.now();
  const stages: Record<string, number> = {};
  const report = await scan(`${server.url}/`, {
    ...(cacheDir ? { cacheDir, cacheFreshMs: freshMs } : {}),
    onStage: (stage) => {
      stages[stage] = performance.now();
    },
  });
  const t1 = performance.now();
  const log = server.stats.log.slice(log0);
  const at = (k: string) => stages[k] ?? t1;
  return {
    wall: t1 - t0,
    verdicts: report.items.map((i) => `${i.id}:${i.verdict}`).join(' '),
    row: {
      run: name,
      'wall s': ((t1 - t0) / 1000).toFixed(2),
      'crawl s': ((at('extract') - t0) / 1000).toFixed(2),
      'extract s': ((at('judge') - at('extract')) / 1000).toFixed(2),
      'judge+report s': ((t1 - at('judge')) / 1000).toFixed(2),
      requests: log.length,
      '304s': log.filter((l) => l.status === 304).length,
      'MB transferred': (report.crawl.bytes / 1e6).toFixed(3),
    },
  };
}

async function main(): Promise<void> {
  const latencyMs = Number(process.argv[2] ?? 100);
  process.stderr.write('building the demo site …\n');
  const files = await demoSite.build();
  await closeDocumentBrowser();
  // One untimed scan first (no latency), so that loading pdf.js and the JIT do not count for the first run.
  const warmUp = await startServer(files);
  await scanOnce(warmUp, 'warm-up', null);
  await warmUp.close();
  const server = await startServer(files, { latencyMs });
  const dir = mkdtempSync(join(tmpdir(), 'ita-bench-cache-'));
  try {
    const runs: Run[] = [];
    runs.push(await scanOnce(server, 'no cache', null, 0));
    runs.push(await scanOnce(server, 'cold (empty cache)', dir, 0));
    runs.push(await scanOnce(server, 'warm (revalidate all)', dir, 0));
    runs.push(await scanOnce(server, 'warm (fresh for 1 h)', dir, 60 * 60 * 1000));
    const base = runs[0]!;
    const rows = runs.map((r) => ({
      ...r.row,
      'speed-up': (base.wall / r.wall).toFixed(1),
      'same verdicts': r.verdicts === base.verdicts ? 'yes' : 'NO',
    }));
    for (const r of runs) {
      if (r.verdicts === base.verdicts) continue;
      const before = new Set(base.verdicts.split(' '));
      const diff = r.verdicts.split(' ').filter((v) => !before.has(v));
      process.stdout.write(`${r.row.run}: verdicts differ from "no cache": ${diff.join(' ')}\n`);
    }
    process.stdout.write(
      `\nDemo site, ${latencyMs} ms per response, per-host concurrency 4 (speed-up against "no cache")\n${table(rows)}\n`,
    );
    process.stdout.write(
      `\npeak RSS of this process: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB\n`,
    );
  } finally {
    await server.close();
    await removeSpilledBodies();
    await closeSharedPdfPool();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
