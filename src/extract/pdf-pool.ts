// PDF text extraction on a pool of worker threads, one per available core (up to 4).
//
// pdfjs's getTextContent is CPU-bound and is most of a scan's extraction time; in workers it runs on the
// other cores, overlapping the crawl's network waits. A worker also isolates the process from a hostile
// PDF: one that blows its heap limit or never yields is killed (and replaced) without taking the scan
// down, and the document gets a one-line error instead.
//
// Workers are compiled JavaScript (dist/…/pdf-worker.js). When the code runs from TypeScript sources
// without a build next to them, there is no worker to start and PDFs are read in process, as before.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { DocumentText } from '../types.js';
import { extractPdf, PDF_DEFAULTS, type PdfExtractOptions } from './pdf.js';

export interface PdfPoolOptions {
  /** Worker threads; default: the available cores, at most 4. */
  size?: number;
  /** The worker script; default: pdf-worker.js beside this module (or its build, from sources). */
  workerUrl?: URL;
  /** Heap limit of each worker, MB (a PDF that needs more is reported too large). Default 512. */
  maxHeapMb?: number;
  /** Past the document's own timeout, how long before a silent worker is killed. Default 5 s. */
  graceMs?: number;
}

interface Job {
  id: number;
  bytes: Uint8Array;
  opts: PdfExtractOptions;
  resolve: (doc: DocumentText) => void;
}

interface Slot {
  worker: Worker;
  /** The worker loaded its code (said so once). */
  ready: boolean;
  job?: Job;
  timer?: NodeJS.Timeout;
  /** Jobs this worker finished (tests and the bench read it). */
  done: number;
}

/** Where the compiled worker is: beside this module when running from dist, else dist/ mirroring src/. */
export function defaultWorkerUrl(moduleUrl = import.meta.url): URL | undefined {
  const here = new URL('./pdf-worker.js', moduleUrl);
  if (!moduleUrl.endsWith('.ts')) return existsSync(fileURLToPath(here)) ? here : undefined;
  const built = new URL(
    moduleUrl.replace(/\/src\/extract\/pdf-pool\.ts$/, '/dist/src/extract/pdf-worker.js'),
  );
  return built.href !== moduleUrl && existsSync(fileURLToPath(built)) ? built : undefined;
}

export class PdfPool {
  readonly size: number;
  private readonly workerUrl: URL;
  private readonly maxHeapMb: number;
  private readonly graceMs: number;
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 1;
  private closed = false;
  /** Workers killed for overrunning or crashing (replaced by fresh ones). */
  restarts = 0;
  /** A worker failed before loading its code (a broken install): PDFs are read in process from then on. */
  broken = false;

  constructor(workerUrl: URL, opts: PdfPoolOptions = {}) {
    this.workerUrl = workerUrl;
    this.size = Math.max(1, opts.size ?? Math.min(4, availableParallelism()));
    this.maxHeapMb = opts.maxHeapMb ?? 512;
    this.graceMs = opts.graceMs ?? 5_000;
  }

  /** Documents waiting for a free worker. */
  get pending(): number {
    return this.queue.length;
  }

  /** Documents each live worker has finished. */
  get perWorker(): number[] {
    return this.slots.map((s) => s.done);
  }

  /** Same contract as extractPdf: never rejects, failures come back as `error`. */
  extract(bytes: Uint8Array, opts: PdfExtractOptions = {}): Promise<DocumentText> {
    if (this.closed || this.broken) return extractPdf(bytes, opts);
    return new Promise((resolve) => {
      // Cloned when posted: the caller keeps its bytes, and so does the job (for the in-process fallback).
      this.queue.push({ id: this.nextId++, bytes, opts, resolve });
      this.pump();
    });
  }

  /**
   * Start every worker now and have each load pdfjs and read a tiny PDF, so the first real document
   * finds a ready reader. A scan calls this as it starts: the crawl's first pages hide the cost.
   */
  warm(): Promise<void> {
    const waits: Promise<void>[] = [];
    while (!this.closed && this.slots.length < this.size) {
      const slot = this.spawn();
      const id = this.nextId++;
      waits.push(
        new Promise<void>((resolve) => {
          const done = (msg: { id: number }) => {
            if (msg.id !== id) return;
            slot.worker.off('message', done);
            if (!slot.job) slot.worker.unref();
            resolve();
          };
          slot.worker.on('message', done);
          slot.worker.once('exit', () => resolve());
        }),
      );
      slot.worker.ref(); // someone may be waiting for the warm-up alone
      slot.worker.postMessage({ id, warm: true });
    }
    return Promise.all(waits).then(() => undefined);
  }

  async close(): Promise<void> {
    this.closed = true;
    const slots = this.slots.splice(0);
    for (const s of slots) {
      clearTimeout(s.timer);
      s.job?.resolve(fail('timeout', 'PDF reading stopped: the scan is closing'));
    }
    for (const job of this.queue.splice(0))
      job.resolve(fail('timeout', 'PDF reading stopped: the scan is closing'));
    await Promise.all(slots.map((s) => s.worker.terminate().catch(() => undefined)));
  }

  private pump(): void {
    while (this.queue.length > 0) {
      let slot = this.slots.find((s) => !s.job);
      if (!slot && this.slots.length < this.size) slot = this.spawn();
      if (!slot) return;
      this.run(slot, this.queue.shift()!);
    }
  }

  private spawn(): Slot {
    const worker = new Worker(this.workerUrl, {
      // A small young generation: ~35 MB less per worker on the bench site, at no measurable cost in speed.
      resourceLimits: { maxOldGenerationSizeMb: this.maxHeapMb, maxYoungGenerationSizeMb: 8 },
      stdout: false,
      stderr: false,
    });
    const slot: Slot = { worker, ready: false, done: 0 };
    worker.on('message', (msg: { id: number; doc: DocumentText; ready?: boolean }) => {
      if (msg.ready) {
        slot.ready = true;
        return;
      }
      const job = slot.job;
      if (!job || job.id !== msg.id) return;
      this.finish(slot, msg.doc);
    });
    worker.on('error', (err: Error & { code?: string }) => {
      const tooBig = err.code === 'ERR_WORKER_OUT_OF_MEMORY';
      this.replace(
        slot,
        tooBig
          ? fail('too-large', `PDF needs more than ${this.maxHeapMb} MB of memory to read`)
          : fail('corrupt', `PDF reader failed: ${err.message}`),
      );
    });
    worker.on('exit', () => {
      if (this.slots.includes(slot)) this.replace(slot, fail('corrupt', 'PDF reader stopped unexpectedly'));
    });
    worker.unref(); // an idle pool never keeps the process alive
    this.slots.push(slot);
    return slot;
  }

  private run(slot: Slot, job: Job): void {
    slot.job = job;
    slot.worker.ref(); // …but a busy one does: the caller is waiting on it
    const budget = (job.opts.timeoutMs ?? PDF_DEFAULTS.timeoutMs) + this.graceMs;
    slot.timer = setTimeout(() => {
      // pdfjs did not come back even past its own deadline: a synchronous loop. Only killing it stops it.
      this.replace(slot, fail('timeout', `PDF not read within ${Math.round(budget / 1000)} s`));
      void slot.worker.terminate().catch(() => undefined);
    }, budget);
    slot.worker.postMessage({ id: job.id, bytes: job.bytes, opts: job.opts });
  }

  private finish(slot: Slot, doc: DocumentText): void {
    const job = slot.job;
    clearTimeout(slot.timer);
    slot.job = undefined;
    slot.done++;
    slot.worker.unref();
    job?.resolve(doc);
    this.pump();
  }

  /**
   * The worker is dead or doomed: answer its job, drop it; the next job starts a fresh one. A worker that
   * died before loading its code means none can run here: its job and all later ones are read in process.
   */
  private replace(slot: Slot, doc: DocumentText): void {
    const i = this.slots.indexOf(slot);
    if (i < 0) return;
    this.slots.splice(i, 1);
    this.restarts++;
    clearTimeout(slot.timer);
    const job = slot.job;
    slot.job = undefined;
    if (!slot.ready && !this.closed) {
      this.broken = true;
      void slot.worker.terminate().catch(() => undefined);
      for (const j of [...(job ? [job] : []), ...this.queue.splice(0)])
        void extractPdf(j.bytes, j.opts).then(j.resolve);
      return;
    }
    job?.resolve(doc);
    if (!this.closed) this.pump();
  }
}

let shared: PdfPool | null | undefined;

/**
 * The process-wide pool (batch scans share it, so CPU use stays bounded), or null when there is no
 * compiled worker or ITA_CHECK_PDF_WORKERS=0. ITA_CHECK_PDF_WORKERS=n sets its size.
 */
export function sharedPdfPool(): PdfPool | null {
  if (shared !== undefined) return shared;
  const env = process.env.ITA_CHECK_PDF_WORKERS;
  const size = env !== undefined && /^\d+$/.test(env) ? Number(env) : undefined;
  const url = defaultWorkerUrl();
  shared = size === 0 || !url ? null : new PdfPool(url, size ? { size } : {});
  return shared;
}

export async function closeSharedPdfPool(): Promise<void> {
  const pool = shared;
  shared = undefined;
  await pool?.close();
}

function fail(code: NonNullable<DocumentText['error']>['code'], message: string): DocumentText {
  return { kind: 'pdf', parts: [], error: { code, message } };
}
