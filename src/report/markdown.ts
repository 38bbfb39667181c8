// A Markdown summary for a CI job page ($GITHUB_STEP_SUMMARY) or a PR/MR comment: scores, sub-indicators,
// failing and review items, and (with a baseline diff) what changed. Kept under ~60 KB: long lists are cut
// with a count, because GitHub comments stop at 65,536 characters.
import type { BaselineDiff, FindingChange } from './baseline.js';
import type { ItemResult, Report } from './schema.js';

/** Sub-indicator pass mark shown in the table (the OIT grade A threshold). */
export const SUB_TARGET = 85;
/** Byte budget of the whole summary (UTF-8: Thai takes 3 bytes a character). */
export const MARKDOWN_BUDGET = 60_000;

const ROW_LIMITS = [200, 60, 25, 10, 5];

/** Escape text for a GFM table cell: no raw newlines or pipes, no HTML. */
export function mdCell(s: string): string {
  return s
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '')
    .replace(/\r\n?|\n/g, ' ')
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/`/g, '\\`')
    .trim();
}

function clip(s: string, n: number): string {
  const cps = [...s];
  return cps.length > n ? `${cps.slice(0, n - 1).join('')}…` : s;
}

/** A link whose target cannot break the table or the link syntax. */
function mdLink(url: string): string {
  if (!url) return '';
  let label = url;
  try {
    const u = new URL(url);
    label = `${u.host}${decodeURIComponentSafe(u.pathname)}${decodeURIComponentSafe(u.search)}`;
  } catch {
    return mdCell(clip(url, 80));
  }
  const target = url.replace(
    /[\s()<>|\\`[\]"]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
  );
  return `[${mdCell(clip(label, 60)).replace(/[[\]]/g, '\\$&')}](${target})`;
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function fmt(n: number): string {
  return n.toFixed(2);
}

function mainFinding(item: ItemResult) {
  return (
    item.findings.find((f) => f.severity === (item.verdict === 'review' ? 'review' : 'fail')) ??
    item.findings.find((f) => f.severity !== 'info')
  );
}

function table(header: string[], rows: string[][], limit: number, what: string): string[] {
  const out = [`| ${header.join(' | ')} |`, `|${header.map(() => ' --- ').join('|')}|`];
  for (const r of rows.slice(0, limit)) out.push(`| ${r.join(' | ')} |`);
  if (rows.length > limit)
    out.push('', `… และอีก ${rows.length - limit} ${what} / ${rows.length - limit} more ${what}`);
  return out;
}

const VERDICT = { pass: '✅ pass', fail: '❌ fail', review: '⚠️ review', absent: '— absent' } as const;

function findingRows(list: FindingChange[]): string[][] {
  return list.map((f) => [
    mdCell(f.item),
    `\`${f.code.replace(/`/g, '')}\``,
    mdCell(f.severity),
    mdCell(clip(f.message.th, 160)),
    mdLink(f.url),
  ]);
}

function render(report: Report, diff: BaselineDiff | undefined, limit: number): string {
  const s = report.scores;
  const site = report.site.finalUrl || report.site.url;
  const out: string[] = [];
  out.push(`## ita-check: ${mdCell(report.site.title ?? site)}`);
  out.push('');
  out.push(
    `**${mdCell(site)}** · ${mdCell(report.framework.name.th)} (\`${report.framework.id}\`, ปีงบประมาณ ${report.fiscalYear}, as of ${mdCell(report.asOf)})`,
  );
  out.push('');
  out.push(
    `**OIT ${fmt(s.oit)} (${mdCell(s.grade)})** ${s.oit >= SUB_TARGET ? '✅' : '❌'} — ยืนยันแล้ว / confirmed · ` +
      `ศักยภาพ / potential ${fmt(s.oitPotential)} (review นับเป็น 100 / review counted as 100)`,
  );
  if (s.ita)
    out.push(
      '',
      `ITA = 0.3×IIT ${fmt(s.ita.iit)} + 0.3×EIT ${fmt(s.ita.eit)} + 0.4×OIT ${fmt(s.ita.oit)} = **${fmt(s.ita.total)} (${mdCell(s.ita.grade)})**`,
    );
  out.push('');
  out.push(
    `ผ่าน / pass **${s.counts.pass}** · ไม่ผ่าน / fail **${s.counts.fail}** · ต้องตรวจ / review **${s.counts.review}** · ` +
      `crawl: ${report.crawl.pages} pages, ${report.crawl.documents} documents, ${report.crawl.errors.length} errors, ` +
      `${(report.crawl.durationMs / 1000).toFixed(1)} s`,
  );
  out.push('');

  // Sub-indicators, in the order items appear.
  const subs: string[] = [];
  for (const i of report.items) if (!subs.includes(i.subIndicator)) subs.push(i.subIndicator);
  for (const k of Object.keys(s.subIndicators)) if (!subs.includes(k)) subs.push(k);
  out.push(`### ตัวชี้วัดย่อย / Sub-indicators (เกณฑ์ / target ${SUB_TARGET})`);
  out.push('');
  const subRows = subs.map((sub) => {
    const items = report.items.filter((i) => i.subIndicator === sub);
    const score = s.subIndicators[sub];
    const n = (v: ItemResult['verdict']) => items.filter((i) => i.verdict === v).length;
    return [
      mdCell(sub),
      score === undefined ? '—' : fmt(score),
      score === undefined ? '—' : score >= SUB_TARGET ? '✅' : '❌',
      String(items.length),
      String(n('pass')),
      String(n('fail')),
      String(n('review')),
    ];
  });
  out.push(
    ...table(
      ['ตัวชี้วัดย่อย', 'คะแนน / score', `≥ ${SUB_TARGET}`, 'ข้อ / items', 'pass', 'fail', 'review'],
      subRows,
      1000,
      '',
    ),
  );
  out.push('');

  const bad = report.items.filter((i) => i.verdict !== 'pass');
  out.push(`### ข้อที่ไม่ผ่านและต้องตรวจ / Failing and review items (${bad.length})`);
  out.push('');
  if (bad.length === 0) out.push('ผ่านทุกข้อ / every item passes. 🎉');
  else {
    const rows = bad.map((i) => {
      const f = mainFinding(i);
      return [
        `**${i.id}**`,
        VERDICT[i.verdict],
        mdCell(clip(i.name.th, 80)),
        mdCell(clip(f?.message.th ?? '', 160)),
        mdLink(f?.url ?? i.evidence[0]?.url ?? ''),
      ];
    });
    out.push(...table(['ข้อ', 'ผล', 'ชื่อ', 'ข้อค้นพบ / finding', 'หลักฐาน / evidence'], rows, limit, 'items'));
  }
  out.push('');

  if (report.siteFindings.length > 0) {
    out.push(`### ข้อค้นพบระดับเว็บไซต์ / Site findings (${report.siteFindings.length})`, '');
    const rows = report.siteFindings.map((f) => [
      `\`${f.code.replace(/`/g, '')}\``,
      mdCell(f.severity),
      mdCell(clip(f.message.th, 160)),
      mdLink(f.url ?? ''),
    ]);
    out.push(...table(['code', 'severity', 'ข้อความ', 'URL'], rows, limit, 'findings'), '');
  }

  if (diff) out.push(...renderDiff(diff, limit));

  out.push(
    `<sub>${mdCell(`${report.tool.name} ${report.tool.version}`)} · scan finished ${mdCell(report.finishedAt)}</sub>`,
  );
  return `${out.join('\n')}\n`;
}

function renderDiff(diff: BaselineDiff, limit: number): string[] {
  const out: string[] = [];
  const sc = diff.scoreChange;
  const sign = sc.delta > 0 ? '+' : '';
  out.push('### การเปลี่ยนแปลงจาก baseline / Changes since baseline');
  out.push('');
  out.push(
    `baseline ${mdCell(diff.baselineFinishedAt)} · OIT ${fmt(sc.from)} → ${fmt(sc.to)} (${sign}${fmt(sc.delta)}) · ` +
      (diff.regression ? '**❌ ถดถอย / regression**' : '✅ ไม่ถดถอย / no regression'),
  );
  if (diff.frameworkChanged)
    out.push('', '⚠️ baseline ใช้เกณฑ์คนละปี / the baseline was judged against a different framework.');
  out.push('');
  const ids = (l: string[]) => (l.length ? l.map((id) => `**${mdCell(id)}**`).join(', ') : '—');
  out.push(`- ไม่ผ่านใหม่ / newly failing (${diff.newlyFailingItems.length}): ${ids(diff.newlyFailingItems)}`);
  out.push(`- แก้แล้ว / fixed (${diff.fixedItems.length}): ${ids(diff.fixedItems)}`);
  const other = diff.verdictChanges.filter(
    (c) => !diff.newlyFailingItems.includes(c.id) && !diff.fixedItems.includes(c.id),
  );
  out.push(
    `- เปลี่ยนผลอื่น ๆ / other changes (${other.length}): ${
      other.length ? other.map((c) => `**${mdCell(c.id)}** ${c.from} → ${c.to}`).join(', ') : '—'
    }`,
  );
  out.push('');
  if (diff.verdictChanges.length > 0) {
    out.push('| ข้อ | ก่อน / before | หลัง / after |', '| --- | --- | --- |');
    for (const c of diff.verdictChanges.slice(0, limit))
      out.push(`| **${mdCell(c.id)}** | ${VERDICT[c.from]} | ${VERDICT[c.to]} |`);
    if (diff.verdictChanges.length > limit)
      out.push('', `… ${diff.verdictChanges.length - limit} more changes`);
    out.push('');
  }
  const header = ['ข้อ', 'code', 'severity', 'ข้อความ', 'URL'];
  out.push(`#### ข้อค้นพบใหม่ / New findings (${diff.newFindings.length})`, '');
  if (diff.newFindings.length) out.push(...table(header, findingRows(diff.newFindings), limit, 'findings'));
  else out.push('—');
  out.push('');
  out.push(`#### ข้อค้นพบที่หายไป / Resolved findings (${diff.resolvedFindings.length})`, '');
  if (diff.resolvedFindings.length)
    out.push(...table(header, findingRows(diff.resolvedFindings), limit, 'findings'));
  else out.push('—');
  out.push('');
  return out;
}

function bytes(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

export function renderMarkdown(report: Report, diff?: BaselineDiff): string {
  let md = '';
  for (const limit of ROW_LIMITS) {
    md = render(report, diff, limit);
    if (bytes(md) <= MARKDOWN_BUDGET) return md;
  }
  // Still too big (absurdly long texts): cut at a line boundary and say so.
  const note = '\n\n… ตัดให้สั้นลง / truncated: see the JSON report for everything.\n';
  const lines = md.split('\n');
  let size = bytes(note);
  const kept: string[] = [];
  for (const line of lines) {
    const b = bytes(line) + 1;
    if (size + b > MARKDOWN_BUDGET) break;
    kept.push(line);
    size += b;
  }
  return `${kept.join('\n')}${note}`;
}
