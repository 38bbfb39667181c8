// One site, end to end: crawl → extract the evidence documents → evidence index → judge → score → report.
// The same function serves the CLI, the demo and (later) batch scans.
import pLimit from 'p-limit';
import { type CrawlOptions, crawlSite } from './crawl/index.js';
import { buildEvidenceIndex, type EvidenceIndex, type ItasEntry } from './evidence/discover.js';
import { DocumentCache } from './extract/document.js';
import type { Ymd } from './extract/thai-dates.js';
import { judge } from './judge/engine.js';
import { buildReport } from './report/build.js';
import type { Report } from './report/schema.js';
import { loadFramework } from './rules/load.js';
import type { Framework } from './rules/schema.js';
import type { CrawlResult, Finding } from './types.js';

export interface ScanOptions {
  framework?: string;
  rulesDir?: string;
  crawl?: CrawlOptions;
  itasList?: ItasEntry[];
  /** ISO date the assessment is judged at; default: the end of the framework's OIT window. */
  asOf?: string;
  iit?: number;
  eit?: number;
  onStage?: (stage: 'crawl' | 'extract' | 'judge', detail?: string) => void;
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
        if (!r?.body || r.doc || r.kind === 'html') return;
        r.doc = await cache.get(r.body, r.kind);
      }),
    ),
  );
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

export async function scan(url: string, opts: ScanOptions = {}): Promise<Report> {
  const fw = loadFramework(opts.framework ?? 'ita-2564', opts.rulesDir);
  const asOf = opts.asOf ?? fw.assessmentWindow.to;
  parseAsOf(asOf);
  const startedAt = new Date();
  opts.onStage?.('crawl');
  const crawl = await crawlSite(url, opts.crawl ?? {});
  const home = crawl.resources.get(crawl.startUrl);
  if (!home || home.failure || (home.status !== null && home.status >= 400)) {
    const reason = home?.failure?.message ?? (home?.status ? `HTTP ${home.status}` : 'no response');
    throw new SiteUnreachableError(url, reason);
  }
  const evidence = buildEvidenceIndex(crawl, fw, opts.itasList ? { itasList: opts.itasList } : {});
  opts.onStage?.('extract');
  await extractEvidenceDocuments(crawl, evidence);
  opts.onStage?.('judge');
  const items = judgeCrawl(crawl, fw, evidence, asOf);
  return buildReport({
    framework: fw,
    crawl,
    items,
    startedAt,
    finishedAt: new Date(),
    asOf,
    ...(opts.iit !== undefined ? { iit: opts.iit } : {}),
    ...(opts.eit !== undefined ? { eit: opts.eit } : {}),
    siteFindings: siteFindings(crawl),
  });
}
