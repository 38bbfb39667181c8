// One site, end to end: crawl → extract the evidence documents → evidence index → judge → score → report.
// The same function serves the CLI, the demo and (later) batch scans.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import pLimit from 'p-limit';
import {
  type CrawlOptions,
  crawlSite,
  DEFAULT_SPILL_BYTES,
  fetchResource,
  HttpCache,
  isOnSite,
  normalizeUrl,
  readBody,
} from './crawl/index.js';
import { createRenderer, type Renderer, type RenderMode } from './crawl/render.js';
import { buildEvidenceIndex, type EvidenceIndex, type ItasEntry } from './evidence/discover.js';
import { targetedCrawl } from './evidence/priority.js';
import { DocumentCache } from './extract/document.js';
import { ocrAvailable } from './extract/ocr.js';
import { sharedPdfPool } from './extract/pdf-pool.js';
import { TextCache } from './extract/text-cache.js';
import type { Ymd } from './extract/thai-dates.js';
import { judge } from './judge/engine.js';
import { buildReport } from './report/build.js';
import type { ItemResult, Report } from './report/schema.js';
import { loadFramework } from './rules/load.js';
import type { Framework } from './rules/schema.js';
import { applySeverity, type SeverityLevel } from './rules/severity.js';
import type { CrawlResult, Finding, Resource } from './types.js';

export interface ScanOptions {
  framework?: string;
  rulesDir?: string;
  crawl?: CrawlOptions;
  itasList?: ItasEntry[];
  /** ISO date the assessment is judged at; default: the end of the framework's OIT window. */
  asOf?: string;
  iit?: number;
  eit?: number;
  /** Render pages with Chromium: auto (only pages whose static HTML lacks what a browser shows), always, never. */
  render?: RenderMode;
  browserPath?: string;
  /** Keep a screenshot of each item's evidence page in this folder (linked from the HTML report). */
  screenshotsDir?: string;
  /** Read scanned PDFs and images with OCR (Debian's tesseract-ocr, tesseract-ocr-tha, poppler-utils). */
  ocr?: boolean;
  /** Severity overrides, "O5.map" → review. */
  severity?: Record<string, SeverityLevel>;
  onStage?: (stage: 'crawl' | 'extract' | 'judge', detail?: string) => void;
  /** Stops the crawl (Ctrl-C, SIGTERM): what was fetched is still judged and reported. */
  signal?: AbortSignal;
  /**
   * Crawl everything within the limits, breadth first, documents included. Default false: a targeted crawl
   * (evidence first, only documents that may be evidence, stop once every item's evidence is in).
   */
  exhaustive?: boolean;
  /** A revalidating cache of pages, documents and their text (ETag/Last-Modified); none when unset. */
  cacheDir?: string;
  /** Trust cached responses this long without asking the server (default 0: always revalidate). */
  cacheFreshMs?: number;
}

/** The homepage could not be fetched at all: nothing to judge (exit code 3). */
export class SiteUnreachableError extends Error {
  constructor(
    readonly url: string,
    readonly reason: string,
  ) {
    super(`cannot reach ${url}: ${reason}`);
  }
}

export function parseAsOf(iso: string): Ymd {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) throw new Error(`invalid date "${iso}" (use YYYY-MM-DD)`);
  return { year: Number(m[1]) + 543, month: Number(m[2]), day: Number(m[3]) };
}

/** Reads the documents the evidence points to (once each), so the judge can see what they say. */
export async function extractEvidenceDocuments(
  crawl: CrawlResult,
  evidence: EvidenceIndex,
  cache = new DocumentCache(),
) {
  const wanted = new Set<string>();
  for (const list of evidence.byItem.values()) for (const e of list) wanted.add(e.url);
  const limit = pLimit(2);
  await Promise.all(
    [...wanted].map((url) =>
      limit(async () => {
        const r = crawl.resources.get(url);
        if (!r || r.doc || r.kind === 'html') return;
        const body = await readBody(r);
        if (!body) return;
        r.doc = await cache.get(body, r.kind);
      }),
    ),
  );
}

/**
 * Start reading each PDF on the worker pool as the crawl fetches it, while the pool keeps up: the
 * crawl mostly waits on the network, so the text is often ready by the time the judge wants it. A
 * targeted crawl fetches only documents that may be evidence; the rest are read on demand (by hash,
 * so never twice).
 */
function readAhead(cache: DocumentCache): ((doc: Resource) => void) | undefined {
  const pool = sharedPdfPool();
  if (!pool) return undefined;
  return (doc) => {
    if (doc.kind !== 'pdf' || pool.pending >= pool.size * 2) return;
    void readBody(doc)
      .then((body) => (body ? cache.get(body, doc.kind) : undefined))
      .catch(() => undefined);
  };
}

export function siteFindings(crawl: CrawlResult): Finding[] {
  const tls = crawl.errors.filter((e) => e.class === 'tls');
  if (!tls.length) return [];
  return [
    {
      code: 'tls-error',
      severity: 'fail',
      message: {
        th: 'ใบรับรองความปลอดภัย (TLS/SSL) ของเว็บไซต์มีปัญหา ผู้ตรวจอาจเปิดหน้าเว็บไม่ได้',
        en: "The site's TLS certificate is broken: evaluators may not be able to open it",
      },
      url: tls[0]!.url,
    },
  ];
}

export function judgeCrawl(crawl: CrawlResult, fw: Framework, evidence: EvidenceIndex, asOf: string) {
  return judge({ crawl, framework: fw, evidence, asOf: parseAsOf(asOf) });
}

/** A screenshot of each item's first evidence page, for the HTML report (what the evaluator would see). */
async function screenshotEvidence(
  evidence: EvidenceIndex,
  crawl: CrawlResult,
  renderer: Renderer,
  dir: string,
): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const taken = new Map<string, string>();
  for (const [itemId, list] of evidence.byItem) {
    const page = list.find(
      (e) => crawl.resources.get(e.url)?.kind === 'html' && isOnSite(e.url, crawl.siteHosts),
    );
    if (!page) continue;
    let file = taken.get(page.url);
    if (!file) {
      const candidate = join(dir, `${itemId}.png`);
      if (!(await renderer.screenshot(page.url, candidate))) continue;
      file = candidate;
      taken.set(page.url, file);
    }
    page.screenshot = file;
  }
}

/** The evaluator opens every listed URL, linked or not: fetch those the crawl did not reach. */
async function fetchListed(crawl: CrawlResult, list: ItasEntry[], o: CrawlOptions): Promise<void> {
  const missing = [...new Set(list.map((e) => e.url))].filter(
    (u) => !crawl.resources.has(u) && isOnSite(u, crawl.siteHosts),
  );
  const limit = pLimit(o.concurrency ?? 4);
  await Promise.all(
    missing.map((url) =>
      limit(async () => {
        const r = await fetchResource(url, {
          ...(o.timeoutMs ? { timeoutMs: o.timeoutMs } : {}),
          ...(o.userAgent ? { userAgent: o.userAgent } : {}),
        });
        crawl.resources.set(url, r);
        crawl.stats.requests++;
        if (r.kind === 'html') crawl.stats.pages++;
        else crawl.stats.documents++;
        if (r.failure) crawl.errors.push({ url, class: r.failure.class, message: r.failure.message });
      }),
    ),
  );
}

function noteBetterEvidence(
  listed: ItemResult[],
  discovered: ItemResult[],
  listedIds: Set<string>,
): ItemResult[] {
  return listed.map((item, i) => {
    const alt = discovered[i];
    if (!listedIds.has(item.id) || item.verdict === 'pass' || alt?.verdict !== 'pass') return item;
    const url = alt.evidence[0]?.url ?? '';
    const better: Finding = {
      code: 'better-evidence',
      severity: 'info',
      message: {
        th: `พบข้อมูลที่ครบกว่าที่ ${url} ควรใช้ URL นี้ในระบบ ITAS`,
        en: `More complete evidence is at ${url}: submit this URL in ITAS`,
      },
      url,
    };
    return { ...item, findings: [...item.findings, better] };
  });
}

/** What a scan holds open across its stages: the browser, the caches, and what went wrong on the way. */
interface ScanSession {
  fw: Framework;
  asOf: string;
  renderer: Renderer;
  httpCache: HttpCache | undefined;
  documents: DocumentCache;
  ocrState: { ok: boolean; reason?: string } | null;
  /** Site-level notes gathered on the way (a missing browser). */
  warnings: string[];
  /** The ITAS URL list, URLs normalised as the crawl records them. */
  itasList: ItasEntry[] | undefined;
}

async function openSession(opts: ScanOptions): Promise<ScanSession> {
  const base = loadFramework(opts.framework ?? 'ita-2564', opts.rulesDir);
  const fw = opts.severity && Object.keys(opts.severity).length ? applySeverity(base, opts.severity) : base;
  const asOf = opts.asOf ?? fw.assessmentWindow.to;
  parseAsOf(asOf);
  // PDF readers start while the first pages are fetched (see readAhead).
  void sharedPdfPool()?.warm();
  const warnings: string[] = [];
  const renderer = await createRenderer({
    // Screenshots need a browser even when pages are read without one.
    mode: opts.screenshotsDir && (opts.render ?? 'never') === 'never' ? 'auto' : (opts.render ?? 'never'),
    ...(opts.browserPath ? { browserPath: opts.browserPath } : {}),
    onWarning: (msg) => warnings.push(msg),
  });
  const ocrState = opts.ocr ? await ocrAvailable() : null;
  return {
    fw,
    asOf,
    renderer,
    warnings,
    ocrState,
    itasList: opts.itasList?.map((e) => ({ ...e, url: normalizeUrl(e.url) ?? e.url })),
    httpCache: opts.cacheDir ? new HttpCache(opts.cacheDir, { freshMs: opts.cacheFreshMs ?? 0 }) : undefined,
    documents: new DocumentCache({
      opts: { ocr: Boolean(ocrState?.ok) },
      ...(opts.cacheDir ? { textCache: new TextCache(opts.cacheDir) } : {}),
    }),
  };
}

/** Stage 1, gather: crawl the site (targeted unless exhaustive), then fetch the ITAS-listed URLs it left out. */
async function gather(url: string, s: ScanSession, opts: ScanOptions): Promise<CrawlResult> {
  const listedUrls = (s.itasList ?? []).map((e) => e.url);
  const crawl = await crawlSite(url, {
    ...(opts.exhaustive ? {} : targetedCrawl(s.fw, { itemUrls: listedUrls })),
    ...(opts.crawl ?? {}),
    // With a cache, document bodies live in it (no copies in memory); without, large ones go to a temp file.
    http: {
      ...(s.httpCache ? { cache: s.httpCache } : {}),
      spillBytes: s.httpCache ? 0 : DEFAULT_SPILL_BYTES,
    },
    ...(opts.signal ? { signal: opts.signal } : {}),
    ...(listedUrls.length ? { seedUrls: listedUrls } : {}),
    onDocument: readAhead(s.documents),
    ...(opts.render && opts.render !== 'never'
      ? { renderPage: (p: Resource) => s.renderer.renderPage(p) }
      : {}),
  });
  const home = crawl.resources.get(crawl.startUrl);
  if (!home || home.failure || (home.status !== null && home.status >= 400)) {
    const reason = home?.failure?.message ?? (home?.status ? `HTTP ${home.status}` : 'no response');
    throw new SiteUnreachableError(url, reason);
  }
  if (s.itasList?.length) await fetchListed(crawl, s.itasList, opts.crawl ?? {});
  return crawl;
}

/**
 * Stage 3, judge: read the evidence documents, then judge each item. With an ITAS list, the items are
 * judged on the listed URLs, and what the site holds beyond them is judged too, to say where it is better.
 */
async function assess(
  crawl: CrawlResult,
  evidence: EvidenceIndex,
  s: ScanSession,
  opts: ScanOptions,
): Promise<ItemResult[]> {
  opts.onStage?.('extract');
  await extractEvidenceDocuments(crawl, evidence, s.documents);
  opts.onStage?.('judge');
  const items = judgeCrawl(crawl, s.fw, evidence, s.asOf);
  const itasList = s.itasList;
  if (!itasList?.length) return items;
  const discovered = buildEvidenceIndex(crawl, s.fw);
  await extractEvidenceDocuments(crawl, discovered, s.documents);
  return noteBetterEvidence(
    items,
    judgeCrawl(crawl, s.fw, discovered, s.asOf),
    new Set(itasList.map((e) => e.item)),
  );
}

/** Findings about the scan as a whole: TLS, no browser, no OCR, interrupted. */
function scanFindings(crawl: CrawlResult, s: ScanSession, opts: ScanOptions): Finding[] {
  return [
    ...siteFindings(crawl),
    ...s.warnings.map((w) => ({
      code: 'render-unavailable',
      severity: 'info' as const,
      message: { th: `อ่านหน้าเว็บโดยไม่ใช้ JavaScript: ${w}`, en: w },
    })),
    ...(s.ocrState && !s.ocrState.ok
      ? [
          {
            code: 'ocr-unavailable',
            severity: 'info' as const,
            message: {
              th: `อ่านไฟล์สแกนด้วย OCR ไม่ได้: ${s.ocrState.reason}`,
              en: `OCR is not available: ${s.ocrState.reason}`,
            },
          },
        ]
      : []),
    ...(opts.signal?.aborted
      ? [
          {
            code: 'interrupted',
            severity: 'review' as const,
            message: {
              th: 'การตรวจถูกหยุดก่อนเสร็จ ผลนี้มาจากหน้าที่อ่านได้ก่อนหยุดเท่านั้น',
              en: 'The scan was interrupted: these results come only from what was read before it stopped',
            },
          },
        ]
      : []),
  ];
}

/**
 * One site, in stages (as Lighthouse gathers, then audits, then reports): gather (crawl) → evidence index
 * (and screenshots of it) → assess (read documents, judge) → score and report.
 */
export async function scan(url: string, opts: ScanOptions = {}): Promise<Report> {
  const startedAt = new Date();
  const session = await openSession(opts);
  opts.onStage?.('crawl');
  let crawl: CrawlResult;
  let evidence: EvidenceIndex;
  try {
    crawl = await gather(url, session, opts);
    const itasList = session.itasList;
    evidence = buildEvidenceIndex(crawl, session.fw, itasList ? { itasList } : {});
    if (opts.screenshotsDir) await screenshotEvidence(evidence, crawl, session.renderer, opts.screenshotsDir);
  } finally {
    await session.renderer.close();
  }
  const items = await assess(crawl, evidence, session, opts);
  // Spilled bodies are removed at process exit (a batch runs several scans in one process).
  await session.httpCache?.flush();
  return buildReport({
    framework: session.fw,
    crawl,
    items,
    startedAt,
    finishedAt: new Date(),
    asOf: session.asOf,
    ...(opts.iit !== undefined ? { iit: opts.iit } : {}),
    ...(opts.eit !== undefined ? { eit: opts.eit } : {}),
    siteFindings: scanFindings(crawl, session, opts),
  });
}
