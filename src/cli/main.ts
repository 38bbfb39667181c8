// The ita-check command line. Bad input gets a one-line error and exit code 2, never a stack trace.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { ConfigError, findConfig, loadConfig, mergeOptions, type ScanFlags } from '../config/load.js';
import { starterConfig } from '../config/starter.js';
import { defaultCacheDir } from '../crawl/http-cache.js';
import { RenderUnavailableError } from '../crawl/render.js';
import { ItasListError, parseItasList, writeItasList } from '../input/itas-list.js';
import {
  type BaselineDiff,
  BaselineError,
  diffReports,
  loadBaseline,
  parseBaseline,
} from '../report/baseline.js';
import { renderHtml } from '../report/html.js';
import { renderJunit } from '../report/junit.js';
import { renderMarkdown } from '../report/markdown.js';
import { type Report, reportJsonSchema } from '../report/schema.js';
import { renderTerminal } from '../report/terminal.js';
import { evaluateThresholds, parseFailOn } from '../report/thresholds.js';
import { listFrameworks, loadFramework, RuleDataError } from '../rules/load.js';
import type { SeverityLevel } from '../rules/severity.js';
import { SiteUnreachableError, scan } from '../scan.js';
import { VERSION } from '../version.js';
import { registerBatch } from './batch.js';
import { intOption } from './options.js';
import { createProgress } from './progress.js';

/** Exit codes: a public contract for scheduled scans. */
export const EXIT = { ok: 0, threshold: 1, usage: 2, unreachable: 3, internal: 4, interrupted: 130 } as const;

class UsageError extends Error {}

function scoreOption(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > 100)
    throw new InvalidArgumentError('must be a score from 0 to 100');
  return n;
}

function failOnOption(value: string): 'any' | string[] {
  try {
    return parseFailOn(value);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
}

function severityOption(
  value: string,
  previous: Record<string, SeverityLevel> = {},
): Record<string, SeverityLevel> {
  const m = /^(O\d{1,2}\.[\w-]+)=(fail|review|info)$/i.exec(value.trim());
  if (!m)
    throw new InvalidArgumentError(`"${value}" is not ITEM.criterion=fail|review|info (e.g. O5.map=info)`);
  return { ...previous, [m[1]!.replace(/^o/, 'O')]: m[2]!.toLowerCase() as SeverityLevel };
}

function httpUrl(value: string): string {
  let u: URL;
  try {
    u = new URL(/^[a-z][a-z0-9+.-]*:/i.test(value) ? value : `http://${value}`);
  } catch {
    throw new UsageError(`not a URL: ${value}`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    throw new UsageError(`only http and https URLs can be scanned: ${value}`);
  return u.href;
}

function readReport(path: string): Report {
  if (!existsSync(path)) throw new UsageError(`no such file: ${path}`);
  return parseBaseline(readFileSync(path, 'utf8'), path);
}

interface Outputs {
  json?: string;
  html?: string;
  junit?: string;
  markdown?: string;
}

/** Writes every requested output; the JSON report first, so it exists whatever happens next. */
function writeOutputs(report: Report, out: Outputs, lang: 'th' | 'en', diff?: BaselineDiff): string[] {
  const written: string[] = [];
  const write = (path: string | undefined, text: () => string) => {
    if (!path) return;
    writeFileSync(path, text());
    written.push(path);
  };
  write(out.json, () => `${JSON.stringify(report, null, 2)}\n`);
  write(out.html, () => renderHtml(report, { lang }));
  write(out.junit, () => renderJunit(report));
  write(out.markdown, () => renderMarkdown(report, diff));
  return written;
}

function diffSummary(diff: BaselineDiff, lang: 'th' | 'en'): string {
  const th = lang === 'th';
  const parts = [
    `${th ? 'เทียบกับผลครั้งก่อน' : 'since the baseline'} (${diff.baselineFinishedAt}):`,
    `OIT ${diff.scoreChange.from.toFixed(2)} → ${diff.scoreChange.to.toFixed(2)}`,
    `${th ? 'ไม่ผ่านใหม่' : 'newly failing'}: ${diff.newlyFailingItems.join(', ') || '-'}`,
    `${th ? 'แก้ไขแล้ว' : 'fixed'}: ${diff.fixedItems.join(', ') || '-'}`,
    `${th ? 'ข้อค้นพบใหม่' : 'new findings'}: ${diff.newFindings.length}`,
  ];
  if (diff.regression) parts.push(th ? '— มีการถดถอย' : '— regression');
  return parts.join('  ');
}

function baselineSummary(file: string, d: BaselineDiff): NonNullable<Report['baseline']> {
  const f = (x: BaselineDiff['newFindings'][number]) => ({
    item: x.item,
    code: x.code,
    url: x.url,
    message: x.message,
  });
  return {
    file,
    finishedAt: d.baselineFinishedAt,
    newlyFailingItems: d.newlyFailingItems,
    fixedItems: d.fixedItems,
    verdictChanges: d.verdictChanges.map((v) => ({ id: v.id, from: v.from, to: v.to })),
    newFindings: d.newFindings.map(f),
    resolvedFindings: d.resolvedFindings.map(f),
    scoreChange: d.scoreChange,
    regression: d.regression,
  };
}

/** Only the flags the user typed: defaults come from the merge, below the config file. */
function typedFlags(cmd: Command): ScanFlags {
  const o = cmd.opts();
  const flags: Record<string, unknown> = {};
  for (const key of Object.keys(o)) {
    if (cmd.getOptionValueSource(key) === 'cli') flags[key] = o[key];
  }
  if (flags.ignoreRobots !== undefined) flags.ignoreRobots = Boolean(flags.ignoreRobots);
  return flags as ScanFlags;
}

async function runScan(rawUrl: string | undefined, cmd: Command): Promise<number> {
  const o = cmd.opts();
  const configPath = o.config ? resolve(o.config) : findConfig(process.cwd());
  if (o.config && !existsSync(configPath!)) throw new UsageError(`no such config file: ${o.config}`);
  const config = configPath ? loadConfig(configPath) : {};
  const opts = mergeOptions(config, typedFlags(cmd));
  const target = rawUrl ?? opts.site;
  if (!target) throw new UsageError('no site to scan: give a URL or set "site" in ita-check.config.json');
  if ((opts.iit === undefined) !== (opts.eit === undefined))
    throw new UsageError('--iit and --eit go together');
  if (opts.asOf && !/^\d{4}-\d{2}-\d{2}$/.test(opts.asOf))
    throw new UsageError(`--as-of takes a date YYYY-MM-DD, not "${opts.asOf}"`);
  const url = httpUrl(target);
  loadFramework(opts.framework); // fail fast on an unknown framework
  const itasList = opts.urls ? readItasList(opts.urls) : undefined;
  let baseline: Report | undefined;
  if (opts.baseline) {
    try {
      baseline = await loadBaseline(opts.baseline);
    } catch (err) {
      // The first scheduled run has no baseline yet: say so and go on.
      if (err instanceof BaselineError && err.missing) {
        if (!opts.quiet)
          process.stderr.write(
            `ita-check: no baseline at ${opts.baseline} yet; this scan will be the first\n`,
          );
      } else throw err;
    }
  }

  const verbose = Boolean(o.verbose);
  const progress = createProgress({ quiet: opts.quiet, tty: Boolean(process.stderr.isTTY) });
  const stageStart = Date.now();
  // Ctrl-C or SIGTERM: stop fetching, judge what was read, write the reports, exit 130.
  const stop = new AbortController();
  const onSignal = () => {
    if (!opts.quiet) process.stderr.write('\nita-check: stopping; writing the partial report …\n');
    stop.abort();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let report: Report;
  try {
    report = await scan(url, {
      framework: opts.framework,
      ...(opts.asOf ? { asOf: opts.asOf } : {}),
      ...(opts.iit !== undefined && opts.eit !== undefined ? { iit: opts.iit, eit: opts.eit } : {}),
      ...(itasList ? { itasList } : {}),
      severity: opts.severity,
      signal: stop.signal,
      ocr: Boolean(o.ocr),
      ...(o.exhaustive ? { exhaustive: true } : {}),
      ...(o.cache === false ? {} : { cacheDir: o.cacheDir ?? defaultCacheDir() }),
      ...(o.cacheFresh !== undefined ? { cacheFreshMs: o.cacheFresh * 1000 } : {}),
      render: o.render,
      ...(o.screenshots ? { screenshotsDir: o.screenshots } : {}),
      ...(o.browserPath ? { browserPath: o.browserPath } : {}),
      crawl: {
        maxPages: opts.maxPages,
        maxDepth: opts.maxDepth,
        maxDocuments: opts.maxDocuments,
        concurrency: opts.concurrency,
        timeoutMs: opts.timeout,
        ignoreRobots: opts.ignoreRobots,
        ...(o.delay !== undefined ? { delayMs: o.delay } : {}),
        ...(o.maxTime !== undefined ? { maxTimeMs: o.maxTime * 1000 } : {}),
        ...(o.retries !== undefined ? { retries: o.retries } : {}),
        ...(o.insecure ? { insecure: true } : {}),
        ...(opts.userAgent ? { userAgent: opts.userAgent } : {}),
        onProgress: (p) => progress.crawl(p),
      },
      onStage: (stage) => {
        progress.stage(stage);
        if (verbose)
          process.stderr.write(
            `[ita-check] ${stage} at ${((Date.now() - stageStart) / 1000).toFixed(1)} s\n`,
          );
      },
    });
  } finally {
    progress.done();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }

  const diff = baseline ? diffReports(baseline, report) : undefined;
  if (diff && opts.baseline) report.baseline = baselineSummary(opts.baseline, diff);
  const written = writeOutputs(report, opts, opts.lang, diff);
  if (!opts.quiet) {
    const color = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
    process.stdout.write(`${renderTerminal(report, { color, lang: opts.lang })}\n`);
    if (diff) process.stdout.write(`${diffSummary(diff, opts.lang)}\n`);
    for (const path of written) process.stdout.write(`written: ${path}\n`);
  }
  if (verbose)
    for (const e of report.crawl.errors)
      process.stderr.write(`[ita-check] ${e.class}: ${e.url} ${e.message}\n`);

  if (stop.signal.aborted) return EXIT.interrupted;
  const gate = evaluateThresholds(report, {
    ...(opts.failUnder !== undefined ? { failUnder: opts.failUnder } : {}),
    ...(opts.failOn !== undefined ? { failOn: opts.failOn } : {}),
    failOnRegression: opts.failOnRegression,
    ...(diff ? { diff } : {}),
  });
  if (gate.failed) {
    for (const r of gate.reasons) process.stderr.write(`ita-check: ${r[opts.lang]}\n`);
    return EXIT.threshold;
  }
  return EXIT.ok;
}

function readItasList(path: string) {
  if (!existsSync(path)) throw new UsageError(`no such ITAS URL list: ${path}`);
  return parseItasList(readFileSync(path, 'utf8'), path);
}

/** The best evidence per item, ready to paste into ITAS: what satisfied the checks, else what was found. */
function bestEvidence(report: Report) {
  const entries: { item: string; url: string; note?: string }[] = [];
  for (const item of report.items) {
    // Better evidence found on the site beats a submitted URL that fails.
    const better = item.findings.filter((f) => f.code === 'better-evidence' && f.url).map((f) => f.url!);
    if (better.length) {
      for (const url of better) entries.push({ item: item.id, url });
      continue;
    }
    const satisfied = item.checks.flatMap((c) => c.satisfiedBy.map((s) => s.url));
    const urls = [
      ...new Set([
        ...item.evidence.filter((e) => satisfied.includes(e.url)).map((e) => e.url),
        ...item.evidence.map((e) => e.url),
      ]),
    ];
    for (const url of urls.slice(0, 3)) {
      const ev = item.evidence.find((e) => e.url === url);
      entries.push({ item: item.id, url, ...(ev?.linkText ? { note: ev.linkText } : {}) });
    }
  }
  return entries;
}

export function buildProgram(state: { exitCode: number } = { exitCode: EXIT.ok }): Command {
  const program = new Command();
  program
    .name('ita-check')
    .description("Pre-assess a Thai public agency's website against the ITA OIT items O1–O43")
    .version(VERSION, '-V, --version')
    .showHelpAfterError('(run ita-check --help for usage)')
    .exitOverride();

  program
    .command('scan')
    .description("crawl the agency's main website, judge O1–O43 and print the scores")
    .argument('[url]', 'the agency\'s main website (or "site" in the config file)')
    .option('--config <file>', 'config file (default: ./ita-check.config.json when present)')
    .option('--framework <id>', 'rule framework (see `ita-check rules`)', 'ita-2564')
    .option('--json <file>', 'write the JSON report to this file')
    .option('--html <file>', 'write the self-contained HTML report to this file')
    .option('--junit <file>', 'write a JUnit XML report (one test case per item)')
    .option('--markdown <file>', 'write a Markdown summary (CI job page, pull request comment)')
    .option('--urls <file>', 'the ITAS URL list (CSV item,url[,note] or JSON) to check first')
    .option('--max-pages <n>', 'most HTML pages to fetch', intOption('--max-pages', 1, 100000), 400)
    .option('--max-depth <n>', 'most links from the homepage', intOption('--max-depth', 0, 50), 8)
    .option('--max-documents <n>', 'most documents to fetch', intOption('--max-documents', 0, 100000), 500)
    .option('--concurrency <n>', 'requests in flight per host', intOption('--concurrency', 1, 32), 4)
    .option(
      '--timeout <ms>',
      'per-request timeout in milliseconds',
      intOption('--timeout', 100, 600000),
      20000,
    )
    .option('--user-agent <ua>', 'User-Agent header')
    .option(
      '--delay <ms>',
      'least time between two requests to one host (default 100; 0 for none)',
      intOption('--delay', 0, 60000),
    )
    .option(
      '--max-time <s>',
      'total time budget: stop fetching after this and judge what was read',
      intOption('--max-time', 1, 86400),
    )
    .option(
      '--retries <n>',
      'retries of a request that may succeed again (429, 503, resets)',
      intOption('--retries', 0, 10),
    )
    .option('--insecure', 'accept broken TLS certificates (the problem is still reported)')
    .option('--exhaustive', 'crawl everything within the limits, not only what may be evidence')
    .option(
      '--cache-dir <dir>',
      'revalidating cache of pages, documents and their text (default: ~/.cache/ita-check)',
    )
    .option('--no-cache', 'do not use or write the cache')
    .option(
      '--cache-fresh <s>',
      'trust cached responses this many seconds without asking the server',
      intOption('--cache-fresh', 0, 31536000),
    )
    .option('--ignore-robots', 'do not obey robots.txt')
    .option(
      '--as-of <date>',
      'judge "current" as of this date (YYYY-MM-DD) instead of the end of the OIT window',
    )
    .option('--iit <score>', 'IIT score, to compute the ITA total', scoreOption)
    .option('--eit <score>', 'EIT score, to compute the ITA total', scoreOption)
    .option('--fail-under <score>', 'exit 1 when the confirmed OIT score is below this', scoreOption)
    .option(
      '--fail-on <items>',
      'exit 1 when any item (any) or one of these items (O15,O23) fails',
      failOnOption,
    )
    .option('--baseline <file>', 'a previous JSON report: show what newly fails, got fixed or changed')
    .option('--fail-on-regression', 'exit 1 when an item or finding regressed since the baseline')
    .addOption(
      new Option(
        '--render <mode>',
        'render pages with Chromium: auto (only pages that need it), always, never',
      )
        .choices(['auto', 'always', 'never'])
        .default('auto'),
    )
    .option('--browser-path <path>', 'Chromium to render with (default /usr/bin/chromium)')
    .option(
      '--screenshots <dir>',
      "keep a screenshot of each item's evidence page in this folder (linked from the HTML report)",
    )
    .option(
      '--ocr',
      'read scanned PDFs and images with OCR (needs tesseract-ocr, tesseract-ocr-tha, poppler-utils)',
    )
    .option(
      '--severity <key=level>',
      'soften or harden a criterion, e.g. O5.map=info (repeatable)',
      severityOption,
    )
    .addOption(
      new Option('--lang <lang>', 'language of the summary and reports').choices(['th', 'en']).default('th'),
    )
    .option('--quiet', 'print nothing but errors')
    .option('--verbose', 'print stage timings and every crawl error')
    .addHelpText(
      'after',
      `
Examples:
  ita-check scan https://www.example.go.th --json report.json --html report.html
  ita-check scan https://www.example.go.th --iit 96.09 --eit 94.83
  ita-check scan https://www.example.go.th --urls itas-urls.csv
  ita-check scan --config ita-check.config.json --baseline last.json --fail-on-regression --junit junit.xml

Exit codes: 0 scan finished, 1 a threshold failed (--fail-under, --fail-on, --fail-on-regression),
2 bad usage or config, 3 site unreachable, 4 internal error.`,
    )
    .action(async (rawUrl: string | undefined, _o: unknown, cmd: Command) => {
      state.exitCode = await runScan(rawUrl, cmd);
    });

  program
    .command('report')
    .description('re-render a saved JSON report as HTML, Markdown or JUnit')
    .argument('<scan.json>', 'a JSON report written by `ita-check scan --json`')
    .option('--html <file>', 'write the HTML report')
    .option('--markdown <file>', 'write the Markdown summary')
    .option('--junit <file>', 'write the JUnit XML report')
    .option('--baseline <file>', 'a previous JSON report to compare with (Markdown)')
    .addOption(new Option('--lang <lang>', 'language').choices(['th', 'en']).default('th'))
    .action(
      async (
        path: string,
        o: { html?: string; markdown?: string; junit?: string; baseline?: string; lang: 'th' | 'en' },
      ) => {
        const report = readReport(path);
        if (!o.html && !o.markdown && !o.junit)
          throw new UsageError('say what to write: --html, --markdown or --junit');
        const diff = o.baseline ? diffReports(await loadBaseline(o.baseline), report) : undefined;
        for (const p of writeOutputs(report, o, o.lang, diff)) process.stdout.write(`written: ${p}\n`);
      },
    );

  program
    .command('urls')
    .description('print the best evidence per item as an ITAS URL list (CSV item,url,note)')
    .argument('<scan.json>', 'a JSON report written by `ita-check scan --json`')
    .option('--out <file>', 'write to this file instead of standard output')
    .action((path: string, o: { out?: string }) => {
      const csv = writeItasList(bestEvidence(readReport(path)));
      if (o.out) writeFileSync(o.out, csv);
      else process.stdout.write(csv);
    });

  program
    .command('init')
    .description('write a commented starter ita-check.config.json')
    .option('--force', 'overwrite an existing file')
    .action((o: { force?: boolean }) => {
      const path = resolve('ita-check.config.json');
      if (existsSync(path) && !o.force) throw new UsageError(`${path} exists (use --force to overwrite)`);
      writeFileSync(path, starterConfig());
      process.stdout.write(`written: ${path}\n`);
    });

  program
    .command('rules')
    .description('list the rule frameworks and their items')
    .argument('[framework]', 'show one framework only')
    .action((id?: string) => {
      const ids = id ? [id] : listFrameworks();
      for (const fid of ids) {
        const fw = loadFramework(fid);
        process.stdout.write(
          `${fw.id}  ${fw.name.th}\n  fiscal year ${fw.fiscalYear}, OIT window ${fw.assessmentWindow.from} – ${fw.assessmentWindow.to}\n`,
        );
        for (const item of fw.items) {
          process.stdout.write(
            `  ${item.id.padEnd(4)} ${item.subIndicator.padEnd(5)} ${item.name.th} — ${item.name.en}\n`,
          );
        }
      }
    });

  program
    .command('schema')
    .description('print the JSON Schema of the JSON report')
    .action(() => {
      process.stdout.write(`${JSON.stringify(reportJsonSchema(), null, 2)}\n`);
    });

  registerBatch(program, state);
  return program;
}

function oneLine(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.split('\n')[0] ?? msg;
}

export async function main(argv: string[]): Promise<number> {
  const state = { exitCode: EXIT.ok as number };
  const program = buildProgram(state);
  try {
    await program.parseAsync(argv);
    return state.exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      // commander printed the message already; help and version are not errors.
      if (['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(err.code))
        return EXIT.ok;
      return EXIT.usage;
    }
    if (err instanceof RenderUnavailableError) {
      process.stderr.write(`ita-check: ${oneLine(err)}\n`);
      return EXIT.usage;
    }
    if (err instanceof SiteUnreachableError) {
      process.stderr.write(`ita-check: ${oneLine(err)}\n`);
      return EXIT.unreachable;
    }
    if (
      err instanceof UsageError ||
      err instanceof RuleDataError ||
      err instanceof ConfigError ||
      err instanceof ItasListError ||
      err instanceof BaselineError
    ) {
      process.stderr.write(`ita-check: ${oneLine(err)}\n`);
      return EXIT.usage;
    }
    const code = (err as NodeJS.ErrnoException)?.code;
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR') {
      process.stderr.write(`ita-check: ${oneLine(err)}\n`);
      return EXIT.usage;
    }
    process.stderr.write(`ita-check: internal error: ${oneLine(err)}\n`);
    return EXIT.internal;
  }
}
