// The PDF worker pool: same text as reading in process, documents spread over the workers, and a
// worker that hangs, dies or runs out of memory costs one document an error, never the scan.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  closeDocumentBrowser,
  corruptPdf,
  encryptedPdf,
  pdfFromHtml,
  truncatedPdf,
} from '../../fixtures/lib/documents.js';
import { extractDocument } from '../../src/extract/document.js';
import { extractPdf } from '../../src/extract/pdf.js';
import { defaultWorkerUrl, PdfPool, sharedPdfPool } from '../../src/extract/pdf-pool.js';
import { longReportHtml, reportHtml } from '../helpers/thai-docs.js';

let report: Uint8Array;
let long: Uint8Array;
const pools: PdfPool[] = [];

function pool(url: URL, opts: ConstructorParameters<typeof PdfPool>[1] = {}): PdfPool {
  const p = new PdfPool(url, opts);
  pools.push(p);
  return p;
}

/** The compiled worker (npm test builds before running vitest). */
function builtWorker(): URL {
  const url = defaultWorkerUrl();
  if (!url) throw new Error('no compiled PDF worker: run `npm run build` first (npm test does)');
  return url;
}

/**
 * A stand-in worker speaking the pool's protocol, misbehaving on demand: a document starting with
 * HANG never answers, EXIT kills the thread, OOM allocates until the heap limit, others answer "ok".
 */
function fakeWorker(): URL {
  const dir = mkdtempSync(join(tmpdir(), 'ita-pool-'));
  const file = join(dir, 'fake-worker.mjs');
  writeFileSync(
    file,
    `import { parentPort } from 'node:worker_threads';
parentPort.postMessage({ ready: true });
parentPort.on('message', (t) => {
  if (t.warm) return parentPort.postMessage({ id: t.id, warm: true });
  const head = new TextDecoder().decode(t.bytes.slice(0, 4));
  if (head === 'HANG') for (;;) {}
  if (head === 'EXIT') process.exit(3);
  if (head === 'OOM!') { const keep = []; for (;;) keep.push(new Array(1e6).fill(Math.random())); }
  parentPort.postMessage({ id: t.id, doc: { kind: 'pdf', parts: [{ label: '1', page: 1, text: 'ok ' + head, rows: [] }] } });
});
`,
  );
  return pathToFileURL(file);
}

const bytes = (s: string) => new TextEncoder().encode(s);

beforeAll(async () => {
  [report, long] = await Promise.all([pdfFromHtml(reportHtml()), pdfFromHtml(longReportHtml(6))]);
}, 120_000);

afterAll(async () => {
  await Promise.all(pools.map((p) => p.close()));
  await closeDocumentBrowser();
});

describe('PdfPool with the real worker', () => {
  it('reads exactly what extractPdf reads in process, errors included', async () => {
    const p = pool(builtWorker(), { size: 2 });
    const inputs = [report, long, corruptPdf(), encryptedPdf(), truncatedPdf(report)];
    const pooled = await Promise.all(inputs.map((b) => p.extract(b)));
    const direct = await Promise.all(inputs.map((b) => extractPdf(b)));
    expect(pooled).toEqual(direct);
    expect(pooled[0]!.parts[0]!.text).toContain('รายงานผลการดำเนินงาน');
    expect(pooled[2]!.error?.code).toBe('corrupt');
    expect(pooled[3]!.error?.code).toBe('encrypted');
  }, 60_000);

  it('spreads documents handed in together over its workers, and leaves the caller its bytes', async () => {
    const p = pool(builtWorker(), { size: 2 });
    await p.warm();
    const copy = new Uint8Array(report);
    const docs = await Promise.all(Array.from({ length: 8 }, () => p.extract(report)));
    expect(docs.every((d) => d.parts.length > 0 && !d.error)).toBe(true);
    expect(p.perWorker).toHaveLength(2);
    expect(p.perWorker.every((n) => n > 0)).toBe(true);
    expect(report).toEqual(copy);
  }, 60_000);

  it('applies the caller’s limits in the worker', async () => {
    const p = pool(builtWorker(), { size: 1 });
    const doc = await p.extract(long, { maxPages: 2 });
    expect(doc.parts).toHaveLength(2);
    expect((await p.extract(report, { maxBytes: 100 })).error?.code).toBe('too-large');
  }, 60_000);

  it('is what extractDocument uses for PDFs under npm test (a compiled worker exists)', async () => {
    const shared = sharedPdfPool();
    expect(shared).not.toBeNull();
    const before = shared!.perWorker.reduce((a, b) => a + b, 0);
    const doc = await extractDocument(report, 'pdf');
    expect(doc.parts[0]!.text).toContain('รายงานผลการดำเนินงาน');
    expect(shared!.perWorker.reduce((a, b) => a + b, 0)).toBe(before + 1);
    // …and in process when asked not to.
    const inProcess = await extractDocument(report, 'pdf', { pdfWorkers: false });
    expect(inProcess).toEqual(doc);
    expect(shared!.perWorker.reduce((a, b) => a + b, 0)).toBe(before + 1);
  }, 60_000);
});

describe('PdfPool when a worker misbehaves', () => {
  it('kills a worker that never answers, reports a timeout, and reads the next document on a new one', async () => {
    const p = pool(fakeWorker(), { size: 1, graceMs: 50 });
    const hung = await p.extract(bytes('HANG'), { timeoutMs: 50 });
    expect(hung.error?.code).toBe('timeout');
    expect(p.restarts).toBe(1);
    const next = await p.extract(bytes('next'));
    expect(next.parts[0]!.text).toBe('ok next');
  }, 30_000);

  it('answers a document whose worker died with a one-line error, and carries on', async () => {
    const p = pool(fakeWorker(), { size: 2 });
    const [dead, ok1, ok2] = await Promise.all([
      p.extract(bytes('EXIT')),
      p.extract(bytes('good')),
      p.extract(bytes('fine')),
    ]);
    expect(dead.error?.code).toBe('corrupt');
    expect(dead.error?.message).not.toContain('\n');
    expect(ok1.parts[0]!.text).toBe('ok good');
    expect(ok2.parts[0]!.text).toBe('ok fine');
  }, 30_000);

  it('reports a document that exhausts the worker heap as too large', async () => {
    const p = pool(fakeWorker(), { size: 1, maxHeapMb: 32 });
    const doc = await p.extract(bytes('OOM!'));
    expect(doc.error?.code).toBe('too-large');
    expect((await p.extract(bytes('afte'))).parts[0]!.text).toBe('ok afte');
  }, 60_000);

  it('finishes queued documents with an error when closed', async () => {
    const p = pool(fakeWorker(), { size: 1, graceMs: 60_000 });
    const running = p.extract(bytes('HANG'), { timeoutMs: 60_000 });
    const queued = p.extract(bytes('wait'));
    await new Promise((r) => setTimeout(r, 50));
    await p.close();
    expect((await running).error?.code).toBe('timeout');
    expect((await queued).error?.code).toBe('timeout');
  }, 30_000);
});

describe('PdfPool without a working worker', () => {
  it('reads PDFs in process when the worker cannot load its code (a broken install)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ita-pool-'));
    const file = join(dir, 'broken-worker.mjs');
    writeFileSync(file, "import './missing-module.js';\n");
    const p = pool(pathToFileURL(file), { size: 2 });
    const docs = await Promise.all([p.extract(report), p.extract(report), p.extract(corruptPdf())]);
    expect(p.broken).toBe(true);
    expect(docs[0]).toEqual(await extractPdf(report));
    expect(docs[1]!.parts[0]!.text).toContain('รายงานผลการดำเนินงาน');
    expect(docs[2]!.error?.code).toBe('corrupt');
    expect((await p.extract(report)).parts.length).toBeGreaterThan(0);
  }, 60_000);
});

describe('defaultWorkerUrl', () => {
  it('finds the build of the worker when running from TypeScript sources', () => {
    const fromSource = defaultWorkerUrl('file:///nowhere/src/extract/pdf-pool.ts');
    expect(fromSource).toBeUndefined(); // no build there
    const here = defaultWorkerUrl(new URL('../../src/extract/pdf-pool.ts', import.meta.url).href);
    expect(here?.pathname).toMatch(/\/dist\/src\/extract\/pdf-worker\.js$/);
  });
});
