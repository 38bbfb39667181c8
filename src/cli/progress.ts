// Progress while a scan runs: on a terminal one live line (pages, documents, items, elapsed); without a
// terminal (CI) a plain log line every few seconds; nothing with --quiet.
import type { CrawlProgress } from '../crawl/index.js';

export interface ProgressSink {
  crawl(p: CrawlProgress): void;
  stage(stage: string): void;
  done(): void;
}

export function createProgress(opts: {
  quiet: boolean;
  tty: boolean;
  intervalMs?: number;
  out?: NodeJS.WritableStream;
}): ProgressSink {
  const out = opts.out ?? process.stderr;
  const started = Date.now();
  const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
  if (opts.quiet) return { crawl() {}, stage() {}, done() {} };
  let last: CrawlProgress = { pages: 0, documents: 0, queued: 0 };
  let stage = 'crawl';
  if (opts.tty) {
    let drawn = false;
    const draw = () => {
      out.write(
        `\r\u001b[2K${stage}: ${last.pages} pages, ${last.documents} documents, ${last.queued} queued — ${elapsed()}`,
      );
      drawn = true;
    };
    let lastDraw = 0;
    return {
      crawl(p) {
        last = p;
        if (Date.now() - lastDraw > 100) {
          lastDraw = Date.now();
          draw();
        }
      },
      stage(s) {
        stage = s;
        draw();
      },
      done() {
        if (drawn) out.write('\r\u001b[2K');
      },
    };
  }
  const interval = opts.intervalMs ?? 5000;
  let next = started + interval;
  const log = () =>
    out.write(
      `[ita-check] ${stage}: ${last.pages} pages, ${last.documents} documents, ${last.queued} queued (${elapsed()})\n`,
    );
  return {
    crawl(p) {
      last = p;
      if (Date.now() >= next) {
        next = Date.now() + interval;
        log();
      }
    },
    stage(s) {
      stage = s;
      log();
    },
    done() {
      out.write(`[ita-check] done in ${elapsed()}\n`);
    },
  };
}
