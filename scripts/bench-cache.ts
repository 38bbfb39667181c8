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
import pLimit from 'p-limit';
import { closeDocumentBrowser } from '../fixtures/lib/documents.js';
import { startServer, type TestServer } from '../fixtures/lib/server.js';
import { demoSite } from '../fixtures/sites/demo.js';
import { crawlSite } from '../src/crawl/crawler.js';
import { DEFAULT_SPILL_BYTES, readBody, removeSpilledBodies } from '../src/crawl/fetcher.js';
import { HttpCache } from '../src/crawl/http-cache.js';
import { buildEvidenceIndex } from '../src/evidence/discover.js';
import { DocumentCache, extractDocument } from '../src/extract/document.js';
import { TextCache } from '../src/extract/text-cache.js';
import { loadFramework } from '../src/rules/load.js';
import { judgeCrawl } from '../src/scan.js';

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

/** One scan, as src/scan.ts does it, with or without the caches. */
async function scanOnce(
  server: TestServer,
  name: string,
  cacheDir: string | null,
  freshMs = 0,
  spillBytes = DEFAULT_SPILL_BYTES,
): Promise<Run> {
  const cache = cacheDir ? new HttpCache(cacheDir, { freshMs }) : undefined;
  const textCache = cacheDir ? new TextCache(cacheDir) : undefined;
  const log0 = server.stats.log.length;
  const t0 = performance.now();
  const crawl = await crawlSite(`${server.url}/`, {
    http: { ...(cache ? { cache } : {}), spillBytes },
  });
  const t1 = performance.now();
  const fw = loadFramework('ita-2564');
  const evidence = buildEvidenceIndex(crawl, fw);
  const t2 = performance.now();
  let parsed = 0;
  const docs = new DocumentCache({
    extract: (...args) => {
      parsed++;
      return extractDocument(...args);
    },
    ...(textCache ? { textCache } : {}),
  });
  const wanted = new Set<string>();
  for (const list of evidence.byItem.values()) for (const e of list) wanted.add(e.url);
  const limit = pLimit(2);
  await Promise.all(
    [...wanted].map((url) =>
      limit(async () => {
        const r = crawl.resources.get(url);
        if (!r || r.doc || r.kind === 'html') return;
        const bytes = await readBody(r);
        if (bytes) r.doc = await docs.get(bytes, r.kind);
      }),
    ),
  );
  const t3 = performance.now();
  const items = judgeCrawl(crawl, fw, evidence, fw.assessmentWindow.to);
  const t4 = performance.now();
  const log = server.stats.log.slice(log0);
  const spilled = [...crawl.resources.values()].filter((r) => r.bodyPath).length;
  return {
    wall: t4 - t0,
    verdicts: items.map((i) => `${i.id}:${i.verdict}`).join(' '),
    row: {
      run: name,
      'wall s': ((t4 - t0) / 1000).toFixed(2),
      'crawl s': ((t1 - t0) / 1000).toFixed(2),
      'evidence s': ((t2 - t1) / 1000).toFixed(2),
      'extract s': ((t3 - t2) / 1000).toFixed(2),
      'judge s': ((t4 - t3) / 1000).toFixed(2),
      requests: log.length,
      '304s': log.filter((l) => l.status === 304).length,
      'from cache, no request': cache?.stats.fresh ?? 0,
      'MB transferred': (crawl.stats.bytes / 1e6).toFixed(3),
      'documents parsed': parsed,
      'bodies on disk': spilled,
    },
  };
}

async function main(): Promise<void> {
  const latencyMs = Number(process.argv[2] ?? 100);
  const spillBytes = Number(process.argv[3] ?? DEFAULT_SPILL_BYTES);
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
    runs.push(await scanOnce(server, 'no cache', null, 0, spillBytes));
    runs.push(await scanOnce(server, 'cold (empty cache)', dir, 0, spillBytes));
    runs.push(await scanOnce(server, 'warm (revalidate all)', dir, 0, spillBytes));
    runs.push(await scanOnce(server, 'warm (fresh for 1 h)', dir, 60 * 60 * 1000, spillBytes));
    const base = runs[0]!;
    const rows = runs.map((r) => ({
      ...r.row,
      'speed-up': (base.wall / r.wall).toFixed(1),
      'same verdicts': r.verdicts === base.verdicts ? 'yes' : 'NO',
    }));
    process.stdout.write(
      `\nDemo site, ${latencyMs} ms per response, per-host concurrency 4 (speed-up against "no cache")\n${table(rows)}\n`,
    );
    process.stdout.write(
      `\npeak RSS of this process: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB\n`,
    );
  } finally {
    await server.close();
    await removeSpilledBodies();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
