// Assembles the JSON report from the judged items and the crawl. Scores follow from verdicts only.
import type { Framework } from '../rules/schema.js';
import { grade, itaTotal, scoreOit } from '../score/itas.js';
import type { CrawlResult, Finding } from '../types.js';
import { VERSION } from '../version.js';
import { type ItemResult, type Report, SCHEMA_VERSION } from './schema.js';

export interface BuildInput {
  framework: Framework;
  crawl: CrawlResult;
  items: ItemResult[];
  startedAt: Date;
  finishedAt: Date;
  asOf: string;
  iit?: number;
  eit?: number;
  siteFindings?: Finding[];
}

export function buildReport(input: BuildInput): Report {
  const { framework: fw, crawl, items } = input;
  const confirmed = scoreOit(items, fw, 0);
  const potential = scoreOit(items, fw, 100);
  const counts = { pass: 0, fail: 0, review: 0 };
  for (const i of items) counts[i.verdict]++;
  const home = crawl.resources.get(crawl.startUrl);
  const report: Report = {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'ita-check', version: VERSION },
    site: {
      url: crawl.startUrl,
      finalUrl: crawl.homeUrl,
      hosts: crawl.siteHosts,
      ...(home?.title ? { title: home.title } : {}),
    },
    framework: {
      id: fw.id,
      name: fw.name,
      indicators: fw.indicators.map((i) => ({ id: i.id, name: i.name })),
      subIndicators: fw.subIndicators.map((x) => ({ id: x.id, indicator: x.indicator, name: x.name })),
    },
    fiscalYear: fw.fiscalYear,
    asOf: input.asOf,
    startedAt: input.startedAt.toISOString(),
    finishedAt: input.finishedAt.toISOString(),
    items,
    scores: {
      subIndicators: confirmed.subIndicators,
      indicators: confirmed.indicators,
      oit: confirmed.oit,
      oitPotential: potential.oit,
      grade: grade(confirmed.oit),
      counts,
    },
    crawl: {
      pages: crawl.stats.pages,
      documents: crawl.stats.documents,
      requests: crawl.stats.requests,
      bytes: crawl.stats.bytes,
      durationMs: crawl.stats.durationMs,
      errors: crawl.errors.map((e) => ({ url: e.url, class: e.class, message: e.message })),
    },
    siteFindings: input.siteFindings ?? [],
  };
  if (input.iit !== undefined && input.eit !== undefined) {
    const total = itaTotal(input.iit, input.eit, confirmed.oit);
    report.scores.ita = { iit: input.iit, eit: input.eit, oit: confirmed.oit, total, grade: grade(total) };
  }
  return report;
}
