// The ita-check command line. Bad input gets a one-line error and exit code 2, never a stack trace.
import { writeFileSync } from 'node:fs';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { reportJsonSchema } from '../report/schema.js';
import { renderTerminal } from '../report/terminal.js';
import { listFrameworks, loadFramework, RuleDataError } from '../rules/load.js';
import { SiteUnreachableError, scan } from '../scan.js';
import { VERSION } from '../version.js';

export const EXIT = { ok: 0, threshold: 1, usage: 2, unreachable: 3 } as const;

class UsageError extends Error {}

function intOption(name: string, min: number, max: number) {
  return (value: string) => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || n < min || n > max)
      throw new InvalidArgumentError(`${name} must be a whole number from ${min} to ${max}`);
    return n;
  };
}

function scoreOption(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 100)
    throw new InvalidArgumentError('must be a score from 0 to 100');
  return n;
}

function httpUrl(value: string): string {
  let u: URL;
  try {
    u = new URL(/^[a-z]+:\/\//i.test(value) ? value : `http://${value}`);
  } catch {
    throw new UsageError(`not a URL: ${value}`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    throw new UsageError(`only http and https URLs can be scanned: ${value}`);
  return u.href;
}

export function buildProgram(): Command {
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
    .argument('<url>', "the agency's main website")
    .option('--framework <id>', 'rule framework (see `ita-check rules`)', 'ita-2564')
    .option('--json <file>', 'write the JSON report to this file')
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
    .option('--ignore-robots', 'do not obey robots.txt')
    .option(
      '--as-of <date>',
      'judge "current" as of this date (YYYY-MM-DD) instead of the end of the OIT window',
    )
    .option('--iit <score>', 'IIT score, to compute the ITA total', scoreOption)
    .option('--eit <score>', 'EIT score, to compute the ITA total', scoreOption)
    .addOption(new Option('--lang <lang>', 'language of the summary').choices(['th', 'en']).default('th'))
    .option('--quiet', 'print nothing but errors')
    .addHelpText(
      'after',
      `
Examples:
  ita-check scan https://www.example.go.th --json report.json
  ita-check scan https://www.example.go.th --iit 96.09 --eit 94.83
  ita-check scan http://127.0.0.1:8080 --framework ita-2565 --max-pages 200

Exit codes: 0 scan finished, 2 bad usage or config, 3 site unreachable.`,
    )
    .action(async (rawUrl: string, o) => {
      if ((o.iit === undefined) !== (o.eit === undefined))
        throw new UsageError('--iit and --eit go together');
      if (o.asOf && !/^\d{4}-\d{2}-\d{2}$/.test(o.asOf))
        throw new UsageError(`--as-of takes a date YYYY-MM-DD, not "${o.asOf}"`);
      const url = httpUrl(rawUrl);
      loadFramework(o.framework); // fail fast on an unknown framework
      const report = await scan(url, {
        framework: o.framework,
        ...(o.asOf ? { asOf: o.asOf } : {}),
        ...(o.iit !== undefined ? { iit: o.iit, eit: o.eit } : {}),
        crawl: {
          maxPages: o.maxPages,
          maxDepth: o.maxDepth,
          maxDocuments: o.maxDocuments,
          concurrency: o.concurrency,
          timeoutMs: o.timeout,
          ignoreRobots: Boolean(o.ignoreRobots),
          ...(o.userAgent ? { userAgent: o.userAgent } : {}),
        },
        onStage: (stage) => {
          if (!o.quiet && process.stderr.isTTY) process.stderr.write(`… ${stage}\n`);
        },
      });
      if (o.json) writeFileSync(o.json, `${JSON.stringify(report, null, 2)}\n`);
      if (!o.quiet) {
        const color = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
        process.stdout.write(`${renderTerminal(report, { color, lang: o.lang })}\n`);
        if (o.json) process.stdout.write(`report: ${o.json}\n`);
      }
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
  return program;
}

function oneLine(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.split('\n')[0] ?? msg;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return EXIT.ok;
  } catch (err) {
    if (err instanceof CommanderError) {
      // commander printed the message already; help and version are not errors.
      if (
        err.code === 'commander.helpDisplayed' ||
        err.code === 'commander.version' ||
        err.code === 'commander.help'
      )
        return EXIT.ok;
      return EXIT.usage;
    }
    if (err instanceof SiteUnreachableError) {
      process.stderr.write(`ita-check: ${oneLine(err)}\n`);
      return EXIT.unreachable;
    }
    if (err instanceof UsageError || err instanceof RuleDataError) {
      process.stderr.write(`ita-check: ${oneLine(err)}\n`);
      return EXIT.usage;
    }
    process.stderr.write(`ita-check: unexpected error: ${oneLine(err)}\n`);
    return 1;
  }
}
