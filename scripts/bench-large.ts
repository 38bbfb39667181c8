// npm run bench (second part): ita-check against the crawlers people use, on one large generated agency site
// (fixtures/sites/large.ts: ~3,700 pages, ~630 PDFs) served on 127.0.0.1 with 0 ms and 100 ms per response.
// Side by side, at 4 requests in flight per host: ita-check's full assessment (targeted crawl, then reading
// and judging the evidence), the same with --exhaustive (breadth first within the default limits),
// linkinator's recursive link check (crawl only) and Crawlee's CheerioCrawler (crawl only, in memory); then
// PDF text extraction (pdfjs-dist, in process and on the worker pool) against Poppler's pdftotext on the
// site's distinct PDFs.
// The server runs in a child process and each tool in its own child process, so CPU time and peak RSS are the
// tool's own; requests, bytes and what was fetched are counted by the server.
import { execFileSync, fork } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { closeDocumentBrowser } from '../fixtures/lib/documents.js';
import { type ServedFile, startServer, type TestServer } from '../fixtures/lib/server.js';
import { buildLargeSite, type LargeSiteManifest } from '../fixtures/sites/large.js';

const SELF = fileURLToPath(import.meta.url);
const CONCURRENCY = 4;
const LATENCIES = [0, 100] as const;
/** A tool run that takes longer is stopped (the whole bench must stay within ~10 minutes). */
const RUN_TIMEOUT_MS = 240_000;

type Tool = 'ita-check' | 'ita-check --exhaustive' | 'linkinator' | 'linkinator (uncapped)' | 'crawlee';
const TOOLS: Tool[] = ['ita-check', 'ita-check --exhaustive', 'linkinator', 'crawlee'];
/** linkinator 7's `concurrency` does not bound requests in flight (checks start before they are queued): the
 * comparison caps its fetches at 4 per host like the others; as shipped, it is shown once at 100 ms. */
const EXTRA: Partial<Record<number, Tool[]>> = { 100: ['linkinator (uncapped)'] };

interface ServerCounts {
  requests: number;
  bytes: number;
  pages: number;
  pdfs: number;
  office: number;
  images: number;
  maxInFlight: number;
}

interface ToolResult {
  wallMs: number;
  cpuMs: number;
  maxRssMb: number;
  note: string;
  error?: string;
}

type Row = Record<string, string | number>;

function table(rows: Row[]): string {
  const keys = Object.keys(rows[0] ?? {});
  const width = keys.map((k) => Math.max(k.length, ...rows.map((r) => String(r[k] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(width[i]!)).join('  ');
  return [
    line(keys),
    line(width.map((w) => '-'.repeat(w))),
    ...rows.map((r) => line(keys.map((k) => String(r[k] ?? '')))),
  ].join('\n');
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** The server's own key for a request target (fixtures/lib/server.ts decodes path and query alike). */
function decodedTarget(target: string): string {
  const q = target.indexOf('?');
  if (q < 0) return safeDecode(target);
  return `${safeDecode(target.slice(0, q))}?${safeDecode(target.slice(q + 1))}`;
}

function sizeOf(f: ServedFile): number {
  return typeof f.body === 'string' ? Buffer.byteLength(f.body) : f.body.length;
}

// ---------------------------------------------------------------------------------------------------
// Child: the site server

async function serve(): Promise<void> {
  const { files, manifest, distinctPdfs } = await buildLargeSite();
  await closeDocumentBrowser();
  // The distinct PDFs, for the extraction benchmark in the parent.
  const pdfDir = mkdtempSync(join(tmpdir(), 'ita-bench-pdf-'));
  const pdfPaths = distinctPdfs.map((p, i) => {
    const f = join(pdfDir, `${i}.pdf`);
    writeFileSync(f, p);
    return f;
  });
  const byTarget = new Map<string, ServedFile>();
  for (const [k, v] of files) byTarget.set(decodedTarget(k), v);
  const servers = new Map<number, TestServer>();
  const marks = new Map<number, number>();
  for (const latencyMs of LATENCIES) servers.set(latencyMs, await startServer(files, { latencyMs }));
  const counts = (latencyMs: number): ServerCounts => {
    const s = servers.get(latencyMs)!;
    const c: ServerCounts = {
      requests: 0,
      bytes: 0,
      pages: 0,
      pdfs: 0,
      office: 0,
      images: 0,
      maxInFlight: 0,
    };
    for (const e of s.stats.log.slice(marks.get(latencyMs) ?? 0)) {
      c.requests++;
      const f = byTarget.get(decodedTarget(e.path));
      if (!f || e.status !== 200) continue;
      if (e.method === 'GET') c.bytes += sizeOf(f);
      const type = f.type ?? '';
      if (type.startsWith('text/html')) c.pages++;
      else if (type === 'application/pdf') c.pdfs++;
      else if (type.startsWith('image/')) c.images++;
      else if (type.includes('officedocument')) c.office++;
    }
    c.maxInFlight = s.stats.maxInFlight;
    return c;
  };
  process.on('message', (msg: { type: string; latencyMs: number }) => {
    if (msg.type === 'reset') {
      const s = servers.get(msg.latencyMs)!;
      marks.set(msg.latencyMs, s.stats.log.length);
      s.stats.maxInFlight = 0;
      process.send?.({ type: 'reset' });
    } else if (msg.type === 'counts') {
      process.send?.({ type: 'counts', counts: counts(msg.latencyMs) });
    } else if (msg.type === 'close') {
      rmSync(pdfDir, { recursive: true, force: true });
      void Promise.all([...servers.values()].map((s) => s.close())).then(() => process.exit(0));
    }
  });
  process.send?.({
    type: 'ready',
    urls: Object.fromEntries([...servers].map(([l, s]) => [l, s.url])),
    counts: manifest.counts,
    pdfPaths,
  });
}

// ---------------------------------------------------------------------------------------------------
// Child: one tool, one run

/** At most `n` fetches at a time (the response read whole inside the slot); linkinator fetches with it. */
function capFetch(n: number): void {
  const plain = globalThis.fetch;
  let active = 0;
  const waiting: (() => void)[] = [];
  globalThis.fetch = async (input, init) => {
    if (active >= n) await new Promise<void>((r) => waiting.push(r));
    active++;
    try {
      const res = await plain(input, init);
      const body = init?.method === 'HEAD' ? null : await res.arrayBuffer();
      const copy = new Response(body, {
        status: res.status,
        statusText: res.statusText,
        headers: res.headers,
      });
      Object.defineProperty(copy, 'url', { value: res.url });
      return copy;
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}

async function runTool(tool: Tool, url: string): Promise<ToolResult> {
  const origin = new URL(url).origin;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  let note = '';
  if (tool === 'ita-check' || tool === 'ita-check --exhaustive') {
    const { scan } = await import('../src/scan.js');
    const stages: [string, number][] = [];
    const report = await scan(url, {
      exhaustive: tool !== 'ita-check',
      crawl: { concurrency: CONCURRENCY },
      onStage: (stage) => stages.push([stage, performance.now()]),
    });
    const end = performance.now();
    const n = report.items.filter((i) => i.verdict === 'pass').length;
    const { LARGE_SITE_EXPECTED } = await import('../fixtures/sites/large.js');
    const agree = report.items.filter((i) => LARGE_SITE_EXPECTED[i.id] === i.verdict).length;
    const took = stages.map(
      ([name, at], i) => `${name} ${(((stages[i + 1]?.[1] ?? end) - at) / 1000).toFixed(1)}`,
    );
    note = `OIT ${report.scores.oit.toFixed(2)}, ${n}/43 pass, ${agree}/43 as expected; s: ${took.join(', ')}`;
  } else if (tool === 'linkinator' || tool === 'linkinator (uncapped)') {
    if (tool === 'linkinator') capFetch(CONCURRENCY);
    const { LinkChecker } = await import('linkinator');
    const result = await new LinkChecker().check({
      path: url,
      recurse: true,
      concurrency: CONCURRENCY,
      timeout: 20_000,
      linksToSkip: async (link: string) => !link.startsWith(origin),
    });
    const broken = result.links.filter((l) => l.state === 'BROKEN').length;
    note = `${result.links.length} links checked, ${broken} broken`;
  } else {
    const { CheerioCrawler, Configuration, log } = await import('@crawlee/cheerio');
    log.setLevel(log.LEVELS.OFF);
    const config = new Configuration({ persistStorage: false, purgeOnStart: false });
    let handled = 0;
    let failed = 0;
    const crawler = new CheerioCrawler(
      {
        minConcurrency: CONCURRENCY,
        maxConcurrency: CONCURRENCY,
        maxRequestsPerCrawl: 100_000,
        // Documents and pictures are downloaded too (not parsed), as a site crawl that keeps them would.
        additionalMimeTypes: [
          'application/pdf',
          'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
          'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
          'image/png',
          'image/jpeg',
          'text/plain',
          'text/css',
          'application/javascript',
        ],
        requestHandler: async ({ enqueueLinks }) => {
          handled++;
          await enqueueLinks({ strategy: 'same-hostname' });
        },
        failedRequestHandler: () => {
          failed++;
        },
      },
      config,
    );
    await crawler.run([url]);
    note = `${handled} requests handled, ${failed} failed`;
  }
  const cpu = process.cpuUsage(c0);
  return {
    wallMs: performance.now() - t0,
    cpuMs: (cpu.user + cpu.system) / 1000,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    note,
  };
}

// ---------------------------------------------------------------------------------------------------
// Parent

interface Child {
  send(msg: unknown): void;
  next<T>(type: string): Promise<T>;
  kill(): void;
}

function spawnChild(args: string[], cwd?: string): Child {
  // Loopback only: no proxy in between.
  const env = { ...process.env };
  for (const k of ['http_proxy', 'https_proxy', 'HTTP_PROXY', 'HTTPS_PROXY']) delete env[k];
  const child = fork(SELF, args, {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env,
    ...(cwd ? { cwd } : {}),
  });
  const waiting: { type: string; resolve: (v: unknown) => void; reject: (e: Error) => void }[] = [];
  child.on('message', (msg: { type: string }) => {
    const i = waiting.findIndex((w) => w.type === msg.type);
    if (i >= 0) waiting.splice(i, 1)[0]!.resolve(msg);
  });
  child.on('exit', (code) => {
    for (const w of waiting.splice(0)) w.reject(new Error(`child ${args.join(' ')} exited (${code})`));
  });
  return {
    send: (msg) => child.send(msg as never),
    next: <T>(type: string) =>
      new Promise<T>((resolve, reject) =>
        waiting.push({ type, resolve: resolve as (v: unknown) => void, reject }),
      ),
    kill: () => child.kill(),
  };
}

async function measure(server: Child, tool: Tool, url: string, latencyMs: number, cwd: string) {
  server.send({ type: 'reset', latencyMs });
  await server.next('reset');
  const child = spawnChild(['run', tool, url], cwd);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<ToolResult>((resolve) => {
    timer = setTimeout(() => {
      child.kill();
      resolve({
        wallMs: RUN_TIMEOUT_MS,
        cpuMs: 0,
        maxRssMb: 0,
        note: '',
        error: `stopped after ${RUN_TIMEOUT_MS / 1000} s`,
      });
    }, RUN_TIMEOUT_MS);
  });
  const result = await Promise.race([
    child.next<{ result: ToolResult }>('result').then((m) => m.result),
    timeout,
  ]).catch(
    (err: unknown) => ({ wallMs: 0, cpuMs: 0, maxRssMb: 0, note: '', error: String(err) }) as ToolResult,
  );
  clearTimeout(timer);
  server.send({ type: 'counts', latencyMs });
  const { counts } = await server.next<{ counts: ServerCounts }>('counts');
  return { result, counts };
}

function hasPdftotext(): boolean {
  try {
    execFileSync('pdftotext', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

interface PdfBench {
  rows: Row[];
  /** pdftotext's time over ours (the worker pool, as a scan reads PDFs): first pass, second pass. */
  cold: number | null;
  warm: number | null;
  /** The same first pass against pdftotext run on as many processes as the pool has workers. */
  coldParallel: number | null;
  workers: number;
}

/** pdftotext over every file, `jobs` processes at a time; wall seconds. */
async function pdftotextAll(paths: string[], jobs: number): Promise<number> {
  const { execFile } = await import('node:child_process');
  const t0 = performance.now();
  let next = 0;
  const lane = async () => {
    while (next < paths.length) {
      const f = paths[next++]!;
      await new Promise<void>((resolve) => {
        execFile('pdftotext', ['-q', '-enc', 'UTF-8', f, '-'], { maxBuffer: 64 * 1024 * 1024 }, () =>
          resolve(),
        );
      });
    }
  };
  await Promise.all(Array.from({ length: jobs }, lane));
  return (performance.now() - t0) / 1000;
}

async function benchPdf(paths: string[]): Promise<PdfBench> {
  const { extractPdf } = await import('../src/extract/pdf.js');
  const { PdfPool, defaultWorkerUrl } = await import('../src/extract/pdf-pool.js');
  const pdfs = paths.map((f) => new Uint8Array(readFileSync(f)));
  const bytes = pdfs.reduce((n, p) => n + p.length, 0);
  const measure = async (read: () => Promise<number>) => {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const pages = await read();
    const cpu = process.cpuUsage(c0);
    return { s: (performance.now() - t0) / 1000, cpu: (cpu.user + cpu.system) / 1e6, pages };
  };
  // In process, one document after another (the reader before the worker pool).
  await extractPdf(pdfs[0]!); // load pdfjs once, as a scan does
  const sequential = await measure(async () => {
    let pages = 0;
    for (const pdf of pdfs) pages += (await extractPdf(pdf)).parts.length;
    return pages;
  });
  // The worker pool, every document handed over at once (as a scan's crawl hands them in).
  const url = defaultWorkerUrl();
  const pooled = (pool: InstanceType<typeof PdfPool> | undefined) => async () =>
    (await Promise.all(pdfs.map((p) => (pool ? pool.extract(p) : extractPdf(p))))).reduce(
      (n, d) => n + d.parts.length,
      0,
    );
  // A pool started from nothing: worker start-up and pdfjs loading are in the time.
  const fresh = url ? new PdfPool(url) : undefined;
  const startUp = await measure(pooled(fresh));
  await fresh?.close();
  // A scan starts its pool as the crawl begins (the first HTML pages hide it): the first pass is then
  // every document read for the first time, by workers that are up.
  const pool = url ? new PdfPool(url) : undefined;
  const t0 = performance.now();
  await pool?.warm();
  const warmUpS = (performance.now() - t0) / 1000;
  const cold = await measure(pooled(pool));
  const warm = await measure(pooled(pool));
  const workers = pool?.size ?? 1;
  await pool?.close();
  const pages = cold.pages;
  const row = (name: string, s: number, cpu: string): Row => ({
    extractor: name,
    documents: pdfs.length,
    pages,
    MB: (bytes / 1e6).toFixed(2),
    'wall s': s.toFixed(2),
    'cpu s': cpu,
    'pages/s': (pages / s).toFixed(0),
    'MB/s': (bytes / 1e6 / s).toFixed(2),
  });
  const rows = [
    row('ita-check, in process, one at a time', sequential.s, sequential.cpu.toFixed(2)),
    row(`ita-check, pool of ${workers} started from nothing`, startUp.s, startUp.cpu.toFixed(2)),
    row(
      `ita-check, pool of ${workers} (started in ${warmUpS.toFixed(2)} s, as a scan begins), first pass`,
      cold.s,
      cold.cpu.toFixed(2),
    ),
    row(`ita-check, pool of ${workers} workers, second pass`, warm.s, warm.cpu.toFixed(2)),
  ];
  const none = { rows, cold: null, warm: null, coldParallel: null, workers };
  if (!hasPdftotext()) return none;
  const theirs = await pdftotextAll(paths, 1);
  rows.push(row('pdftotext (Poppler), one process at a time', theirs, '(children)'));
  const theirsParallel = await pdftotextAll(paths, workers);
  rows.push(row(`pdftotext (Poppler), ${workers} processes at a time`, theirsParallel, '(children)'));
  // Per-page cost on the longest document, where the per-file start-up no longer dominates.
  const longest = pdfs.reduce((best, p, i) => (p.length > pdfs[best]!.length ? i : best), 0);
  const tl = performance.now();
  const longPages = (await extractPdf(pdfs[longest]!)).parts.length;
  const oursLong = (performance.now() - tl) / 1000;
  const tp = performance.now();
  execFileSync('pdftotext', ['-q', '-enc', 'UTF-8', paths[longest]!, '-'], {
    stdio: ['ignore', 'ignore', 'ignore'],
  });
  const theirsLong = (performance.now() - tp) / 1000;
  rows.push({
    extractor: `longest PDF (${longPages} pages): ita-check vs pdftotext pages/s`,
    documents: 1,
    pages: longPages,
    MB: (pdfs[longest]!.length / 1e6).toFixed(2),
    'wall s': `${oursLong.toFixed(2)} / ${theirsLong.toFixed(2)}`,
    'cpu s': '',
    'pages/s': `${(longPages / oursLong).toFixed(0)} / ${(longPages / theirsLong).toFixed(0)}`,
    'MB/s': '',
  });
  return {
    rows,
    cold: theirs / cold.s,
    warm: theirs / warm.s,
    coldParallel: theirsParallel / cold.s,
    workers,
  };
}

async function main(): Promise<void> {
  const started = performance.now();
  const server = spawnChild(['serve']);
  process.stderr.write(
    'building and serving the large site (PDFs cached under fixtures/generated/cache) …\n',
  );
  const ready = await server.next<{
    urls: Record<string, string>;
    counts: LargeSiteManifest['counts'];
    pdfPaths: string[];
  }>('ready');
  const c = ready.counts;
  // Each tool runs in an empty folder: nothing it might write lands in the repository.
  const cwd = mkdtempSync(join(tmpdir(), 'ita-bench-run-'));
  mkdirSync(cwd, { recursive: true });
  const rows: Row[] = [];
  const byKey = new Map<string, { result: ToolResult; counts: ServerCounts }>();
  try {
    // --pdf-only: just the extraction part (quicker, when working on the readers).
    for (const latencyMs of process.argv.includes('--pdf-only') ? [] : LATENCIES) {
      const url = `${ready.urls[String(latencyMs)]}/`;
      for (const tool of [...TOOLS, ...(EXTRA[latencyMs] ?? [])]) {
        process.stderr.write(`${tool} at ${latencyMs} ms …\n`);
        const m = await measure(server, tool, url, latencyMs, cwd);
        byKey.set(`${tool}@${latencyMs}`, m);
        const s = m.result.wallMs / 1000;
        rows.push({
          tool,
          latency: `${latencyMs} ms`,
          'wall s': m.result.error ? `- (${m.result.error})` : s.toFixed(1),
          requests: m.counts.requests,
          MB: (m.counts.bytes / 1e6).toFixed(1),
          pages: m.counts.pages,
          pdfs: m.counts.pdfs,
          'office+img': m.counts.office + m.counts.images,
          'pages/s': s > 0 ? (m.counts.pages / s).toFixed(0) : '',
          'cpu s': (m.result.cpuMs / 1000).toFixed(1),
          'peak RSS MB': m.result.maxRssMb.toFixed(0),
          'max in flight': m.counts.maxInFlight,
          result: m.result.note,
        });
      }
    }
  } catch (err) {
    server.send({ type: 'close' });
    throw err;
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
  const pdf = await benchPdf(ready.pdfPaths);
  server.send({ type: 'close' });
  const ours = byKey.get('ita-check@100');
  const lk = byKey.get('linkinator@100');
  const fmt = (x: number) => x.toFixed(2);
  const targets: Row[] = [];
  if (ours && lk && !ours.result.error && !lk.result.error) {
    const speed = ours.result.wallMs / lk.result.wallMs;
    const req = ours.counts.requests / lk.counts.requests;
    targets.push({
      target: 'full assessment faster than linkinator crawl-only (100 ms)',
      measured: `${fmt(ours.result.wallMs / 1000)} s vs ${fmt(lk.result.wallMs / 1000)} s = ${fmt(speed)}×`,
      met: speed < 1 ? 'yes' : 'NO',
    });
    targets.push({
      target: '≤ 30% of linkinator’s requests (100 ms)',
      measured: `${ours.counts.requests} / ${lk.counts.requests} = ${(req * 100).toFixed(1)}%`,
      met: req <= 0.3 ? 'yes' : 'NO',
    });
  }
  const uncapped = byKey.get('linkinator (uncapped)@100');
  if (ours && uncapped && !ours.result.error && !uncapped.result.error) {
    const speed = ours.result.wallMs / uncapped.result.wallMs;
    targets.push({
      target: '(linkinator as shipped, ~unbounded in flight, 100 ms)',
      measured: `${fmt(ours.result.wallMs / 1000)} s vs ${fmt(uncapped.result.wallMs / 1000)} s = ${fmt(speed)}×`,
      met: speed < 1 ? 'yes' : 'no',
    });
  }
  if (pdf.cold !== null && pdf.warm !== null) {
    targets.push({
      target: 'PDF extraction ≥ 0.5× pdftotext pages/s',
      measured: `pool of ${pdf.workers}: first pass ${fmt(pdf.cold)}×, second pass ${fmt(pdf.warm)}×`,
      met: pdf.warm >= 0.5 ? (pdf.cold >= 0.5 ? 'yes' : 'warm only') : 'NO',
    });
    if (pdf.coldParallel !== null) {
      targets.push({
        target: `(against pdftotext on ${pdf.workers} processes too, per core)`,
        measured: `first pass ${fmt(pdf.coldParallel)}×`,
        met: pdf.coldParallel >= 0.5 ? 'yes' : 'no',
      });
    }
  }
  const rss = Math.max(...LATENCIES.map((l) => byKey.get(`ita-check@${l}`)?.result.maxRssMb ?? 0));
  targets.push({
    target: 'peak RSS of the full assessment < 400 MB',
    measured: `${rss.toFixed(0)} MB`,
    met: rss < 400 ? 'yes' : 'NO',
  });

  process.stdout.write(
    `\nLarge site: ${c.pages} HTML pages, ${c.pdfs} PDFs (${c.distinctPdfs} distinct), ${c.office} DOCX/XLSX, ${c.images} pictures; ${CONCURRENCY} requests in flight per host\n${table(rows)}\n`,
  );
  process.stdout.write(`\nPDF text extraction over the site's distinct PDFs\n${table(pdf.rows)}\n`);
  process.stdout.write(`\nTargets\n${table(targets)}\n`);
  process.stdout.write(`\nbench-large took ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
}

const [mode, ...args] = process.argv.slice(2);
if (mode === 'serve') {
  serve().catch((err: unknown) => {
    process.stderr.write(`server failed: ${String(err)}\n`);
    process.exit(1);
  });
} else if (mode === 'run') {
  runTool(args[0] as Tool, args[1]!)
    .then((result) => {
      process.send?.({ type: 'result', result }, () => process.exit(0));
    })
    .catch((err: unknown) => {
      process.stderr.write(
        `${args[0]} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
      );
      process.exit(1);
    });
} else {
  main().catch((err: unknown) => {
    process.stderr.write(`bench-large failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
}
