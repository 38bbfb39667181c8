// The compact terminal summary: one line per item, then the scores. Colour only on a TTY, never with NO_COLOR.
import type { Report } from './schema.js';

export interface TerminalOptions {
  color?: boolean;
  lang?: 'th' | 'en';
  width?: number;
}

const MARK = { pass: '✔ pass  ', fail: '✘ fail  ', review: '? review' } as const;

function paint(on: boolean, code: number, s: string): string {
  return on ? `\u001b[${code}m${s}\u001b[0m` : s;
}

function clip(s: string, n: number): string {
  return [...s].length > n ? `${[...s].slice(0, n - 1).join('')}…` : s;
}

export function renderTerminal(report: Report, opts: TerminalOptions = {}): string {
  const color = opts.color ?? false;
  const lang = opts.lang ?? 'th';
  const lines: string[] = [];
  lines.push(
    `ita-check ${report.tool.version} — ${report.framework.id} (ปีงบประมาณ ${report.fiscalYear}) — ${report.site.finalUrl}`,
  );
  lines.push('');
  let sub = '';
  for (const item of report.items) {
    if (item.subIndicator !== sub) {
      sub = item.subIndicator;
      lines.push(paint(color, 1, `${sub}`));
    }
    const colorCode = item.verdict === 'pass' ? 32 : item.verdict === 'fail' ? 31 : 33;
    const main =
      item.findings.find((f) => f.severity === 'fail') ?? item.findings.find((f) => f.severity === 'review');
    const reason = main ? main.message[lang] : '';
    lines.push(
      `  ${item.id.padEnd(4)} ${paint(color, colorCode, MARK[item.verdict])} ${clip(item.name[lang], 38).padEnd(38)} ${clip(reason, 70)}`,
    );
  }
  const s = report.scores;
  lines.push('');
  lines.push(
    `ตัวชี้วัดย่อย / sub-indicators: ${Object.entries(s.subIndicators)
      .map(([k, v]) => `${k}=${v.toFixed(2)}`)
      .join('  ')}`,
  );
  lines.push(
    `ตัวชี้วัด / indicators: ${Object.entries(s.indicators)
      .map(([k, v]) => `${k}=${v.toFixed(2)}`)
      .join('  ')}`,
  );
  lines.push(
    paint(color, 1, `OIT ${s.oit.toFixed(2)} (${s.grade})`) +
      `  potential ${s.oitPotential.toFixed(2)}  —  pass ${s.counts.pass}, fail ${s.counts.fail}, review ${s.counts.review}`,
  );
  if (s.ita)
    lines.push(
      `ITA = 0.3×${s.ita.iit} + 0.3×${s.ita.eit} + 0.4×${s.ita.oit} = ${s.ita.total.toFixed(2)} (${s.ita.grade})`,
    );
  const c = report.crawl;
  lines.push(
    `crawl: ${c.pages} pages, ${c.documents} documents, ${c.requests} requests, ${(c.bytes / 1e6).toFixed(1)} MB, ${(c.durationMs / 1000).toFixed(1)} s, ${c.errors.length} errors`,
  );
  for (const f of report.siteFindings) lines.push(`site: ${f.message[lang]}`);
  return lines.join('\n');
}
