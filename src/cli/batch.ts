// `ita-check batch <sites.csv> --out <dir>`: scans every agency of a list, writes one report per site, a
// ranked summary.csv/summary.html and a state file to resume from. Exit codes: 0 the batch finished (even
// when some sites failed), 2 bad input, 130 interrupted (Ctrl-C or SIGTERM; rerun to resume).

import { resolve } from 'node:path';
import { type Command, Option } from 'commander';
import { type BatchEvent, defaultSitesConcurrency, runBatch } from '../batch/run.js';
import { BatchInputError, readSitesCsv } from '../batch/sites.js';
import { loadFramework, RuleDataError } from '../rules/load.js';
import { intOption } from './options.js';

export const EXIT_INTERRUPTED = 130;

interface BatchFlags {
  out: string;
  sitesConcurrency?: number;
  framework: string;
  maxPages: number;
  maxDocuments: number;
  concurrency: number;
  timeout: number;
  asOf?: string;
  html?: boolean;
  lang: 'th' | 'en';
  fresh?: boolean;
  quiet?: boolean;
}

function progressLine(e: BatchEvent, lang: 'th' | 'en'): string | undefined {
  if (e.type === 'abort')
    return lang === 'th'
      ? `หยุดการสแกน: ไม่เริ่มหน่วยงานใหม่ และยกเลิกที่กำลังสแกน ${e.running} แห่ง (กด Ctrl-C อีกครั้งเพื่อออกทันที)`
      : `interrupted: starting no more sites, aborting ${e.running} running (Ctrl-C again to quit at once)`;
  if (e.type === 'start') return undefined;
  const s = e.summary;
  const n = `[${String(e.done).padStart(String(e.total).length)}/${e.total}]`;
  const what =
    s.status === 'ok'
      ? `OIT ${s.oit?.toFixed(2)} ${s.grade ?? ''}`.trim()
      : `${s.status}: ${s.error ?? ''}`.trim();
  const tail =
    e.type === 'skip' ? (lang === 'th' ? ' (ผลเดิม)' : ' (previous result)') : ` ${s.durationS.toFixed(1)} s`;
  return `${n} ${s.name} ${s.url} — ${what}${tail}`;
}

export function registerBatch(program: Command, state: { exitCode: number }): void {
  program
    .command('batch')
    .description('scan every agency of a CSV list; write a report per site and a ranked summary')
    .argument('<sites.csv>', 'rows name,url[,itas url list] (the list path relative to the CSV)')
    .requiredOption('--out <dir>', 'output directory (sites/, summary.csv, summary.html, batch-state.json)')
    .option(
      '--sites-concurrency <n>',
      `sites scanned at once (default: ${defaultSitesConcurrency()}, the number of cores)`,
      intOption('--sites-concurrency', 1, 64),
    )
    .option('--framework <id>', 'rule framework (see `ita-check rules`)', 'ita-2564')
    .option('--max-pages <n>', 'most HTML pages to fetch per site', intOption('--max-pages', 1, 100000), 400)
    .option(
      '--max-documents <n>',
      'most documents to fetch per site',
      intOption('--max-documents', 0, 100000),
      500,
    )
    .option('--concurrency <n>', 'requests in flight per host', intOption('--concurrency', 1, 32), 4)
    .option(
      '--timeout <ms>',
      'per-request timeout in milliseconds',
      intOption('--timeout', 100, 600000),
      20000,
    )
    .option(
      '--as-of <date>',
      'judge "current" as of this date (YYYY-MM-DD) instead of the end of the OIT window',
    )
    .option('--html', "also write each site's HTML report")
    .addOption(
      new Option('--lang <lang>', 'language of the summary and reports').choices(['th', 'en']).default('th'),
    )
    .option('--fresh', 'ignore previous results in the output directory: scan every site again')
    .option('--quiet', 'print nothing but errors')
    .addHelpText(
      'after',
      `
sites.csv: one agency per row, name,url[,itas url list]; an optional header row (name,url,list);
Thai names welcome; quote a name that holds commas: "อบต.ทดสอบ, จ.นครศรีธรรมราช",https://www.example.go.th

A rerun with the same --out resumes: sites whose row is unchanged and whose JSON report is there are
not scanned again (--fresh scans them all).

Examples:
  ita-check batch sites.csv --out results
  ita-check batch sites.csv --out results --html --sites-concurrency 4

Exit codes: 0 the batch finished (even when some sites are unreachable), 2 bad input,
130 interrupted (the state and the summary of what is done are written; rerun to resume).`,
    )
    .action(async (csvPath: string, o: BatchFlags) => {
      const lang = o.lang;
      let sites: ReturnType<typeof readSitesCsv>;
      try {
        if (o.asOf !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(o.asOf))
          throw new BatchInputError(`--as-of takes a date YYYY-MM-DD, not "${o.asOf}"`);
        try {
          loadFramework(o.framework);
        } catch (err) {
          if (err instanceof RuleDataError) throw new BatchInputError(err.message);
          throw err;
        }
        sites = readSitesCsv(csvPath);
      } catch (err) {
        if (!(err instanceof BatchInputError)) throw err;
        process.stderr.write(`ita-check: ${err.message.split('\n')[0]}\n`);
        state.exitCode = 2;
        return;
      }

      const abort = new AbortController();
      let signals = 0;
      const onSignal = () => {
        signals++;
        if (signals === 1) abort.abort();
        else process.exit(EXIT_INTERRUPTED); // a second Ctrl-C: quit at once (the state is already written)
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      const say = (line: string | undefined) => {
        if (line && !o.quiet) process.stderr.write(`${line}\n`);
      };
      let result: Awaited<ReturnType<typeof runBatch>>;
      try {
        result = await runBatch(sites, {
          outDir: resolve(o.out),
          ...(o.sitesConcurrency !== undefined ? { sitesConcurrency: o.sitesConcurrency } : {}),
          scan: {
            framework: o.framework,
            ...(o.asOf ? { asOf: o.asOf } : {}),
            maxPages: o.maxPages,
            maxDocuments: o.maxDocuments,
            concurrency: o.concurrency,
            timeoutMs: o.timeout,
          },
          html: Boolean(o.html),
          lang,
          fresh: Boolean(o.fresh),
          signal: abort.signal,
          source: csvPath,
          onEvent: (e) => say(progressLine(e, lang)),
        });
      } catch (err) {
        if (!(err instanceof BatchInputError)) throw err;
        process.stderr.write(`ita-check: ${err.message.split('\n')[0]}\n`);
        state.exitCode = 2;
        return;
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }

      if (!o.quiet) {
        const th = lang === 'th';
        const avg = result.sites.filter((s) => s.status === 'ok');
        const mean = avg.length ? avg.reduce((a, s) => a + (s.oit ?? 0), 0) / avg.length : undefined;
        process.stdout.write(
          (th
            ? `หน่วยงาน ${result.done}/${result.total}: สำเร็จ ${result.ok}, เข้าไม่ได้ ${result.unreachable}, ผิดพลาด ${result.error} (สแกน ${result.scanned}, ใช้ผลเดิม ${result.skipped})`
            : `sites ${result.done}/${result.total}: ok ${result.ok}, unreachable ${result.unreachable}, error ${result.error} (scanned ${result.scanned}, reused ${result.skipped})`) +
            (mean !== undefined ? `, ${th ? 'OIT เฉลี่ย' : 'average OIT'} ${mean.toFixed(2)}` : '') +
            `, ${(result.durationMs / 1000).toFixed(1)} s\n`,
        );
        for (const p of [result.summaryCsv, result.summaryHtml, result.statePath])
          process.stdout.write(`written: ${p}\n`);
      }
      if (abort.signal.aborted) {
        process.stderr.write(
          `ita-check: interrupted after ${result.done} of ${result.total} sites; run the same command again to resume\n`,
        );
        state.exitCode = EXIT_INTERRUPTED;
        return;
      }
      state.exitCode = 0;
    });
}
