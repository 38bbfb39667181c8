// Scans many agency sites: a global cap of sites at once (each scan keeps its own per-host cap), never two
// rows on the same host at once, one failing site never stops the rest. Each finished site is written to
// <out>/sites/<slug>.json (and .html) and recorded in <out>/batch-state.json at once, and only a small
// summary of it is kept, so memory stays flat however long the list. A rerun skips the sites already done
// (unchanged row, valid JSON report); an abort stops starting sites, aborts the running ones and writes
// the state and the summary of what is done.
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { renderHtml } from '../report/html.js';
import { type Report, ReportSchema } from '../report/schema.js';
import { loadFramework } from '../rules/load.js';
import { parseAsOf, SiteUnreachableError, scan } from '../scan.js';
import { BatchInputError, type BatchSite } from './sites.js';
import {
  type BatchState,
  loadState,
  type SiteEntry,
  STATE_FILE,
  saveState,
  siteKey,
  writeFileAtomic,
} from './state.js';
import { renderSummaryCsv, renderSummaryHtml, type SiteSummary, summarizeReport } from './summary.js';

export interface BatchScanOptions {
  framework?: string;
  rulesDir?: string;
  /** YYYY-MM-DD. */
  asOf?: string;
  maxPages?: number;
  maxDocuments?: number;
  /** Requests in flight per host (per scan). */
  concurrency?: number;
  timeoutMs?: number;
}

export type BatchEvent =
  | { type: 'skip'; site: BatchSite; summary: SiteSummary; done: number; total: number }
  | { type: 'start'; site: BatchSite; running: number }
  | { type: 'done'; site: BatchSite; summary: SiteSummary; done: number; total: number }
  | { type: 'abort'; running: number };

export interface BatchOptions {
  outDir: string;
  /** Sites scanned at once; default the number of cores (at least 1, at most 8). */
  sitesConcurrency?: number;
  scan?: BatchScanOptions;
  /** Also write each site's HTML report. */
  html?: boolean;
  lang?: 'th' | 'en';
  /** Ignore previous results: redo every site. */
  fresh?: boolean;
  /** Abort: start no more sites, abort the running ones, write the state and summary, return. */
  signal?: AbortSignal;
  /** Shown in the summary header (the CSV path). */
  source?: string;
  onEvent?: (e: BatchEvent) => void;
}

export interface BatchResult {
  /** Rows in the list. */
  total: number;
  /** Rows with a result (skipped + scanned). */
  done: number;
  /** Scanned in this run. */
  scanned: number;
  /** Results reused from a previous run. */
  skipped: number;
  ok: number;
  unreachable: number;
  error: number;
  interrupted: boolean;
  durationMs: number;
  summaryCsv: string;
  summaryHtml: string;
  statePath: string;
  /** The summary of every site done, in row order. */
  sites: SiteSummary[];
}

export function defaultSitesConcurrency(): number {
  return Math.max(1, Math.min(8, availableParallelism()));
}

function oneLine(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  const line = (msg.split('\n')[0] ?? msg).trim() || (err instanceof Error ? err.name : 'error');
  return line.length > 300 ? `${line.slice(0, 299)}…` : line;
}

function readValidReport(path: string): Report | undefined {
  if (!existsSync(path)) return undefined;
  try {
    const parsed = ReportSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Runs the batch over parsed rows (see readSitesCsv). Throws only for bad options or an unwritable dir. */
export async function runBatch(sites: BatchSite[], opts: BatchOptions): Promise<BatchResult> {
  const t0 = performance.now();
  const so = opts.scan ?? {};
  const framework = so.framework ?? 'ita-2564';
  loadFramework(framework, so.rulesDir); // fail fast on an unknown framework
  if (so.asOf !== undefined) {
    try {
      parseAsOf(so.asOf);
    } catch (err) {
      throw new BatchInputError((err as Error).message);
    }
  }
  const cap = Math.max(1, Math.floor(opts.sitesConcurrency ?? defaultSitesConcurrency()));
  const lang = opts.lang ?? 'th';
  const outDir = opts.outDir;
  const sitesDir = join(outDir, 'sites');
  mkdirSync(sitesDir, { recursive: true });
  const statePath = join(outDir, STATE_FILE);
  const summaryCsv = join(outDir, 'summary.csv');
  const summaryHtml = join(outDir, 'summary.html');
  const signal = opts.signal;
  const emit = (e: BatchEvent) => opts.onEvent?.(e);

  // What judges a site besides its row: other values redo it on a rerun.
  const optionsKey = JSON.stringify([framework, so.asOf ?? '', so.maxPages ?? '', so.maxDocuments ?? '']);
  const previous = opts.fresh ? undefined : loadState(statePath);
  const state: BatchState = {
    version: 1,
    ...(opts.source ? { source: opts.source } : {}),
    startedAt: new Date().toISOString(),
    updatedAt: '',
    complete: false,
    interrupted: false,
    total: sites.length,
    sites: {},
  };
  const results = new Map<number, SiteSummary>();
  const files = (site: BatchSite) => ({
    json: join(sitesDir, `${site.slug}.json`),
    html: join(sitesDir, `${site.slug}.html`),
    jsonRel: `sites/${site.slug}.json`,
    htmlRel: `sites/${site.slug}.html`,
  });
  const total = sites.length;
  let skipped = 0;
  let scanned = 0;

  // 1. Reuse what a previous run finished: same row, same options, a JSON report that validates.
  const toScan: BatchSite[] = [];
  for (const site of sites) {
    const key = siteKey(site, optionsKey);
    const prev = previous?.sites[site.slug];
    const f = files(site);
    let report = prev?.key === key && prev.status === 'ok' ? readValidReport(f.json) : undefined;
    if (!prev || !report) {
      toScan.push(site);
      continue;
    }
    if (opts.html) writeFileAtomic(f.html, renderHtml(report, { lang }));
    const summary: SiteSummary = {
      row: site.row,
      name: site.name,
      url: site.url,
      slug: site.slug,
      status: 'ok',
      durationS: prev.durationS,
      ...summarizeReport(report),
      jsonPath: f.jsonRel,
      ...(existsSync(f.html) ? { htmlPath: f.htmlRel } : {}),
    };
    report = undefined;
    state.sites[site.slug] = { ...prev, name: site.name, row: site.row };
    results.set(site.row, summary);
    skipped++;
    emit({ type: 'skip', site, summary, done: results.size, total });
  }
  saveState(statePath, state);

  // 2. Scan the rest: at most `cap` at once, one at a time per host.
  const scanOne = async (site: BatchSite): Promise<void> => {
    const f = files(site);
    const started = performance.now();
    // A signal per site: whatever a scan hangs on it goes away with the site.
    const siteAbort = new AbortController();
    const onAbort = () => siteAbort.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    if (signal?.aborted) siteAbort.abort();
    let report: Report | undefined;
    let failure: { status: 'unreachable' | 'error'; error: string } | undefined;
    try {
      report = await scan(site.url, {
        framework,
        ...(so.rulesDir ? { rulesDir: so.rulesDir } : {}),
        ...(so.asOf ? { asOf: so.asOf } : {}),
        ...(site.itasList ? { itasList: site.itasList } : {}),
        crawl: {
          ...(so.maxPages !== undefined ? { maxPages: so.maxPages } : {}),
          ...(so.maxDocuments !== undefined ? { maxDocuments: so.maxDocuments } : {}),
          ...(so.concurrency !== undefined ? { concurrency: so.concurrency } : {}),
          ...(so.timeoutMs !== undefined ? { timeoutMs: so.timeoutMs } : {}),
          signal: siteAbort.signal,
        },
      });
    } catch (err) {
      failure =
        err instanceof SiteUnreachableError
          ? { status: 'unreachable', error: oneLine(err) }
          : { status: 'error', error: oneLine(err) };
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
    // Aborted: the crawl stopped early, so the result is partial. Not recorded: a resume redoes it.
    if (siteAbort.signal.aborted) return;
    const durationS = Math.round((performance.now() - started) / 100) / 10;
    let summary: SiteSummary = {
      row: site.row,
      name: site.name,
      url: site.url,
      slug: site.slug,
      status: 'ok',
      durationS,
    };
    if (report) {
      writeFileAtomic(f.json, `${JSON.stringify(report, null, 2)}\n`);
      if (opts.html) writeFileAtomic(f.html, renderHtml(report, { lang }));
      else rmSync(f.html, { force: true }); // an older run's page would not match the new JSON
      summary = {
        ...summary,
        ...summarizeReport(report),
        jsonPath: f.jsonRel,
        ...(opts.html ? { htmlPath: f.htmlRel } : {}),
      };
      report = undefined; // keep nothing of the scan but its summary
    } else if (failure) {
      rmSync(f.json, { force: true });
      rmSync(f.html, { force: true });
      summary = { ...summary, status: failure.status, error: failure.error };
    }
    const entry: SiteEntry = {
      slug: site.slug,
      row: site.row,
      name: site.name,
      url: site.url,
      ...(site.listPath ? { list: site.listPath } : {}),
      key: siteKey(site, optionsKey),
      status: summary.status,
      ...(summary.error ? { error: summary.error } : {}),
      durationS,
      finishedAt: new Date().toISOString(),
    };
    state.sites[site.slug] = entry;
    results.set(site.row, summary);
    scanned++;
    saveState(statePath, state);
    emit({ type: 'done', site, summary, done: results.size, total });
  };

  const queue = [...toScan];
  const running = new Set<Promise<void>>();
  const busyHosts = new Set<string>();
  let fatal: unknown;
  let abortedNoticed = false;
  const internal = new AbortController();
  const stopped = () => signal?.aborted === true || internal.signal.aborted;
  for (;;) {
    while (!stopped() && running.size < cap) {
      const i = queue.findIndex((s) => !busyHosts.has(s.hostKey));
      if (i < 0) break;
      const site = queue.splice(i, 1)[0]!;
      busyHosts.add(site.hostKey);
      emit({ type: 'start', site, running: running.size + 1 });
      const p: Promise<void> = scanOne(site)
        .catch((err: unknown) => {
          // Writing failed (disk full, permissions): that stops the batch.
          fatal ??= err;
          internal.abort();
        })
        .finally(() => {
          busyHosts.delete(site.hostKey);
          running.delete(p);
        });
      running.add(p);
    }
    if (stopped() && !abortedNoticed && signal?.aborted) {
      abortedNoticed = true;
      emit({ type: 'abort', running: running.size });
    }
    if (!running.size) break;
    await Promise.race(running);
  }
  if (fatal) throw fatal;

  // 3. State and summaries of what is done.
  const done = [...results.values()].sort((a, b) => a.row - b.row);
  const interrupted = done.length < total;
  state.complete = !interrupted;
  state.interrupted = interrupted;
  saveState(statePath, state);
  writeFileAtomic(summaryCsv, renderSummaryCsv(done));
  writeFileAtomic(
    summaryHtml,
    renderSummaryHtml(done, {
      lang,
      rows: total,
      interrupted,
      ...(opts.source ? { source: opts.source } : {}),
    }),
  );
  return {
    total,
    done: done.length,
    scanned,
    skipped,
    ok: done.filter((s) => s.status === 'ok').length,
    unreachable: done.filter((s) => s.status === 'unreachable').length,
    error: done.filter((s) => s.status === 'error').length,
    interrupted,
    durationMs: performance.now() - t0,
    summaryCsv,
    summaryHtml,
    statePath,
    sites: done,
  };
}
