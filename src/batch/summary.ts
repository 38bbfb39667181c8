// What a batch keeps of each site (a few hundred bytes, never the report itself), the ranking, and the two
// summaries: summary.csv (one row per site, for spreadsheets) and summary.html (one self-contained page:
// inline CSS, no script, no network; every piece of text escaped).
import { createHash } from 'node:crypto';
import { escapeHtml as esc, safeHttpUrl } from '../report/html.js';
import type { Report } from '../report/schema.js';

export type SiteStatus = 'ok' | 'unreachable' | 'error';

export interface FailingItem {
  id: string;
  /** Thai name of the item. */
  name: string;
  nameEn: string;
  /** First failing finding (else the first finding), both languages. */
  finding?: { th: string; en: string };
}

export interface SiteSummary {
  row: number;
  name: string;
  url: string;
  slug: string;
  status: SiteStatus;
  error?: string;
  durationS: number;
  oit?: number;
  oitPotential?: number;
  grade?: string;
  counts?: { pass: number; fail: number; review: number };
  failing?: FailingItem[];
  /** Relative path of the per-site HTML report, when written. */
  htmlPath?: string;
  /** Relative path of the per-site JSON report, when written. */
  jsonPath?: string;
}

/** The scores and failing items of a report: all the batch keeps once the report is written. */
export function summarizeReport(
  report: Report,
): Pick<SiteSummary, 'oit' | 'oitPotential' | 'grade' | 'counts' | 'failing'> {
  const s = report.scores;
  return {
    oit: s.oit,
    oitPotential: s.oitPotential,
    grade: s.grade,
    counts: { pass: s.counts.pass, fail: s.counts.fail, review: s.counts.review },
    failing: report.items
      .filter((i) => i.verdict === 'fail')
      .map((i) => {
        const f = i.findings.find((x) => x.severity === 'fail') ?? i.findings[0];
        return {
          id: i.id,
          name: i.name.th,
          nameEn: i.name.en,
          ...(f ? { finding: { th: f.message.th, en: f.message.en } } : {}),
        };
      }),
  };
}

export interface RankedSite extends SiteSummary {
  /** 1-based rank among the sites scanned; equal scores share a rank; undefined when not scanned. */
  rank?: number;
}

/** Scanned sites by confirmed OIT, then potential OIT (best first); unreachable and failed ones last. */
export function rankSites(sites: SiteSummary[]): RankedSite[] {
  const ok = sites
    .filter((s) => s.status === 'ok')
    .sort(
      (a, b) =>
        (b.oit ?? 0) - (a.oit ?? 0) ||
        (b.oitPotential ?? 0) - (a.oitPotential ?? 0) ||
        a.name.localeCompare(b.name, 'th') ||
        a.row - b.row,
    );
  const ranked: RankedSite[] = [];
  ok.forEach((s, i) => {
    const prev = ranked[i - 1];
    const tie = prev && prev.oit === s.oit && prev.oitPotential === s.oitPotential;
    ranked.push({ ...s, rank: tie ? prev.rank! : i + 1 });
  });
  const rest = sites.filter((s) => s.status !== 'ok').sort((a, b) => a.row - b.row);
  return [...ranked, ...rest];
}

export interface Totals {
  /** Rows in sites.csv. */
  sites: number;
  /** Sites with a result in this summary. */
  done: number;
  ok: number;
  unreachable: number;
  error: number;
  /** Average confirmed OIT of the scanned sites (undefined when none). */
  averageOit?: number;
  /** Scanned sites with a confirmed OIT of 85 or more. */
  atLeast85: number;
}

export function totals(sites: SiteSummary[], rows: number): Totals {
  const ok = sites.filter((s) => s.status === 'ok');
  const sum = ok.reduce((acc, s) => acc + (s.oit ?? 0), 0);
  return {
    sites: rows,
    done: sites.length,
    ok: ok.length,
    unreachable: sites.filter((s) => s.status === 'unreachable').length,
    error: sites.filter((s) => s.status === 'error').length,
    ...(ok.length ? { averageOit: sum / ok.length } : {}),
    atLeast85: ok.filter((s) => (s.oit ?? 0) >= 85).length,
  };
}

// ---------------------------------------------------------------------------------------------- CSV

export const SUMMARY_CSV_COLUMNS = [
  'rank',
  'agency',
  'url',
  'oit',
  'oit_potential',
  'grade',
  'pass',
  'fail',
  'review',
  'failing_items',
  'status',
  'error',
  'duration_s',
] as const;

function csvField(value: string, text = false): string {
  // A spreadsheet runs a cell that starts with = + - @ as a formula: text cells get a leading apostrophe.
  const s = text && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]|^\s|\s$|^#/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const fix2 = (n: number | undefined) => (typeof n === 'number' && Number.isFinite(n) ? n.toFixed(2) : '');

/** summary.csv: UTF-8 with BOM (Excel reads Thai), CRLF (RFC 4180), one row per site, ranked. */
export function renderSummaryCsv(sites: SiteSummary[]): string {
  const rows = [SUMMARY_CSV_COLUMNS.join(',')];
  for (const s of rankSites(sites)) {
    rows.push(
      [
        s.rank === undefined ? '' : String(s.rank),
        csvField(s.name, true),
        csvField(s.url, true),
        fix2(s.oit),
        fix2(s.oitPotential),
        s.grade ?? '',
        s.counts ? String(s.counts.pass) : '',
        s.counts ? String(s.counts.fail) : '',
        s.counts ? String(s.counts.review) : '',
        (s.failing ?? []).map((f) => f.id).join(' '),
        s.status,
        csvField(s.error ?? '', true),
        s.durationS.toFixed(1),
      ].join(','),
    );
  }
  return `\ufeff${rows.join('\r\n')}\r\n`;
}

// --------------------------------------------------------------------------------------------- HTML

type Lang = 'th' | 'en';

const T = {
  title: { th: 'สรุปผลการประเมิน OIT รายหน่วยงาน', en: 'OIT results by agency' },
  kicker: {
    th: 'การประเมินตนเองล่วงหน้า ตัวชี้วัด OIT (O1–O43) หลายหน่วยงาน',
    en: 'OIT pre-assessment (items O1–O43), several agencies',
  },
  source: { th: 'รายชื่อหน่วยงาน', en: 'Site list' },
  generated: { th: 'สร้างเมื่อ', en: 'Generated' },
  sites: { th: 'หน่วยงาน', en: 'Sites' },
  scanned: { th: 'สแกนสำเร็จ', en: 'scanned' },
  unreachable: { th: 'เข้าไม่ได้', en: 'unreachable' },
  error: { th: 'ผิดพลาด', en: 'errors' },
  notDone: { th: 'ยังไม่ได้สแกน', en: 'not scanned yet' },
  average: { th: 'คะแนน OIT เฉลี่ย', en: 'Average OIT' },
  atLeast85: { th: 'ได้ 85 คะแนนขึ้นไป', en: 'Scoring 85 or more' },
  of: { th: 'จาก', en: 'of' },
  interrupted: {
    th: 'การสแกนถูกหยุดกลางคัน: ตารางนี้แสดงเฉพาะหน่วยงานที่สแกนเสร็จแล้ว สั่งคำสั่งเดิมอีกครั้งเพื่อสแกนต่อ',
    en: 'The batch was interrupted: this table shows the sites done so far. Run the same command again to resume.',
  },
  ranking: { th: 'อันดับหน่วยงานตามคะแนน OIT', en: 'Agencies ranked by OIT score' },
  rank: { th: 'อันดับ', en: 'Rank' },
  agency: { th: 'หน่วยงาน', en: 'Agency' },
  oit: { th: 'คะแนน OIT', en: 'OIT' },
  potential: { th: 'คะแนนที่อาจได้', en: 'Potential' },
  grade: { th: 'ระดับ', en: 'Grade' },
  counts: { th: 'ผ่าน / ไม่ผ่าน / ตรวจสอบ', en: 'Pass / fail / review' },
  failing: { th: 'ข้อที่ไม่ผ่าน', en: 'Failing items' },
  status: { th: 'สถานะ', en: 'Status' },
  duration: { th: 'เวลา (วินาที)', en: 'Time (s)' },
  report: { th: 'รายงานฉบับเต็ม', en: 'Full report' },
  none: { th: 'ไม่มีข้อที่ไม่ผ่าน', en: 'No failing items' },
  nItems: { th: 'ข้อ', en: 'items' },
  st_ok: { th: 'สำเร็จ', en: 'ok' },
  st_unreachable: { th: 'เข้าเว็บไซต์ไม่ได้', en: 'unreachable' },
  st_error: { th: 'ผิดพลาด', en: 'error' },
  noSites: { th: 'ยังไม่มีหน่วยงานที่สแกนเสร็จ', en: 'No site done yet' },
  disclaimer: {
    th: 'ผลนี้เป็นการประเมินตนเองล่วงหน้าโดยอัตโนมัติ คะแนนจริงให้โดยผู้ประเมินของสำนักงาน ป.ป.ช. ในระบบ ITAS',
    en: 'This is an automatic pre-assessment; the official score is given by the NACC evaluator in ITAS.',
  },
} satisfies Record<string, Record<Lang, string>>;

const CSS = `
:root{--fg:#1b1b1b;--muted:#4a4f57;--bg:#f4f5f7;--card:#fff;--line:#d5d9df;--link:#0b57d0;
--pass-fg:#1b5e20;--pass-bg:#e6f4ea;--fail-fg:#b71c1c;--fail-bg:#fdecea;--rev-fg:#7a4d00;--rev-bg:#fff4e0}
*{box-sizing:border-box}
body{margin:0;font-family:'Sarabun','TH Sarabun New','Noto Sans Thai','Loma','Garuda',system-ui,sans-serif;color:var(--fg);background:var(--bg);line-height:1.5}
a{color:var(--link)}
.wrap{max-width:80rem;margin:0 auto;padding:0 1rem}
header.top{background:#14365d;color:#fff;padding:1.2rem 0}
header.top h1{margin:.2rem 0;font-size:1.6rem}
header.top .kicker,header.top .meta{margin:0;color:#d6e2f0;font-size:.95rem}
.totals{display:grid;grid-template-columns:repeat(auto-fit,minmax(12rem,1fr));gap:.75rem;margin:1rem 0;padding:0}
.totals div{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:.7rem 1rem}
.totals dt{color:var(--muted);font-size:.9rem}.totals dd{margin:0;font-size:1.5rem;font-weight:700}
.totals .n{font-size:.9rem;font-weight:400;color:var(--muted)}
.notice{background:var(--rev-bg);color:var(--rev-fg);border:1px solid #e0b46a;border-radius:8px;padding:.6rem 1rem}
section.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:1rem;margin:1rem 0}
.tablewrap{overflow-x:auto}
table{border-collapse:collapse;width:100%}
th,td{border-bottom:1px solid var(--line);padding:.45rem .5rem;text-align:left;vertical-align:top}
thead th{background:#eef1f5;font-size:.9rem}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.agency .name{font-weight:700}
.agency .url{display:block;font-size:.85rem;overflow-wrap:anywhere}
.agency .rep{font-size:.85rem}
meter{width:5rem;display:block}
.grade{font-weight:700}
.st{display:inline-block;border-radius:4px;padding:0 .4rem;font-size:.85rem;white-space:nowrap}
.st-ok{background:var(--pass-bg);color:var(--pass-fg)}
.st-unreachable,.st-error{background:var(--fail-bg);color:var(--fail-fg)}
.err{display:block;color:var(--fail-fg);font-size:.85rem;overflow-wrap:anywhere}
tr.unranked{color:var(--muted)}
details summary{cursor:pointer}
ul.fails{margin:.3rem 0;padding-left:1.1rem;font-size:.9rem}
ul.fails li{margin:.15rem 0}
ul.fails .iid{font-weight:700}
ul.fails .why{color:var(--muted)}
.none{color:var(--muted);font-style:italic}
footer{color:var(--muted);font-size:.88rem;padding:0 0 2rem}
@media print{body{background:#fff}header.top{background:#fff;color:#000}header.top .kicker,header.top .meta{color:#333}
details>summary::marker{content:''}details::details-content{content-visibility:visible;display:block}}
`;

function sha256(s: string): string {
  return createHash('sha256').update(s, 'utf8').digest('base64');
}

function num(n: number | undefined): string {
  return typeof n === 'number' && Number.isFinite(n) ? n.toFixed(2) : '–';
}

/** A relative link inside the output directory: only our own safe file names (sites/<slug>.html). */
function localHref(path: string): string | undefined {
  return /^sites\/[a-z0-9-]+\.html$/.test(path) ? path : undefined;
}

export interface SummaryHtmlOptions {
  lang?: Lang;
  /** Rows in sites.csv (the header says how many are not done yet). */
  rows?: number;
  /** The batch was interrupted. */
  interrupted?: boolean;
  /** Shown in the header: the CSV the batch read. */
  source?: string;
  generatedAt?: Date;
}

function failingCell(s: RankedSite, lang: Lang): string {
  if (s.status !== 'ok') return '';
  const list = s.failing ?? [];
  if (!list.length) return `<span class="none">${esc(T.none[lang])}</span>`;
  const ids = list.map((f) => esc(f.id)).join(', ');
  const items = list
    .map((f) => {
      const why = f.finding ? ` <span class="why">— ${esc(f.finding[lang])}</span>` : '';
      return `<li><span class="iid">${esc(f.id)}</span> <span lang="th">${esc(f.name)}</span>${why}</li>`;
    })
    .join('');
  return `<details><summary>${esc(list.length)} ${esc(T.nItems[lang])}: ${ids}</summary><ul class="fails">${items}</ul></details>`;
}

function row(s: RankedSite, lang: Lang): string {
  const u = safeHttpUrl(s.url);
  const urlHtml = u
    ? `<a class="url" href="${esc(u.href)}" rel="noopener noreferrer" target="_blank">${esc(u.href)}</a>`
    : `<code class="url">${esc(s.url)}</code>`;
  const rep = s.htmlPath ? localHref(s.htmlPath) : undefined;
  const status = `<span class="st st-${esc(s.status)}">${esc(T[`st_${s.status}`][lang])}</span>${
    s.error ? `<span class="err">${esc(s.error)}</span>` : ''
  }`;
  const ok = s.status === 'ok';
  return [
    `<tr id="site-${esc(s.slug)}" class="${ok ? 'ranked' : 'unranked'}" data-status="${esc(s.status)}">`,
    `<td class="num">${s.rank === undefined ? '–' : esc(s.rank)}</td>`,
    `<td class="agency"><span class="name">${esc(s.name)}</span>${urlHtml}${
      rep ? `<a class="rep" href="${esc(rep)}">${esc(T.report[lang])}</a>` : ''
    }</td>`,
    `<td class="num">${ok ? `${num(s.oit)}<meter min="0" max="100" low="84.99" high="85" optimum="100" value="${esc(num(s.oit))}"></meter>` : '–'}</td>`,
    `<td class="num">${ok ? num(s.oitPotential) : '–'}</td>`,
    `<td class="grade">${ok ? esc(s.grade ?? '') : '–'}</td>`,
    `<td class="num">${s.counts ? `${esc(s.counts.pass)} / ${esc(s.counts.fail)} / ${esc(s.counts.review)}` : '–'}</td>`,
    `<td>${failingCell(s, lang)}</td>`,
    `<td>${status}</td>`,
    `<td class="num">${esc(s.durationS.toFixed(1))}</td>`,
    '</tr>',
  ].join('');
}

/** summary.html: totals, then every agency ranked by score with its failing items and report link. */
export function renderSummaryHtml(sites: SiteSummary[], opts: SummaryHtmlOptions = {}): string {
  const lang: Lang = opts.lang === 'en' ? 'en' : 'th';
  const ranked = rankSites(sites);
  const t = totals(sites, opts.rows ?? sites.length);
  const csp = `default-src 'none'; style-src 'sha256-${sha256(CSS)}'; img-src data:; base-uri 'none'; form-action 'none'`;
  const when = (opts.generatedAt ?? new Date())
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, ' UTC');
  const notDone = t.sites - t.done;
  const out: string[] = [
    '<!doctype html>',
    `<html lang="${lang}">`,
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${csp}">`,
    '<meta name="referrer" content="no-referrer">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${esc(T.title[lang])}</title>`,
    '<link rel="icon" href="data:,">',
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    '<header class="top"><div class="wrap">',
    `<p class="kicker">${esc(T.kicker[lang])}</p>`,
    `<h1>${esc(T.title[lang])}</h1>`,
    `<p class="meta">${opts.source ? `${esc(T.source[lang])}: <code>${esc(opts.source)}</code> · ` : ''}${esc(T.generated[lang])} ${esc(when)}</p>`,
    '</div></header>',
    '<main><div class="wrap">',
    '<dl class="totals">',
    `<div><dt>${esc(T.sites[lang])}</dt><dd id="total-sites">${esc(t.sites)} <span class="n">(${esc(T.scanned[lang])} ${esc(t.ok)}, ${esc(T.unreachable[lang])} ${esc(t.unreachable)}, ${esc(T.error[lang])} ${esc(t.error)}${notDone > 0 ? `, ${esc(T.notDone[lang])} ${esc(notDone)}` : ''})</span></dd></div>`,
    `<div><dt>${esc(T.average[lang])}</dt><dd id="average-oit">${num(t.averageOit)}</dd></div>`,
    `<div><dt>${esc(T.atLeast85[lang])}</dt><dd id="at-least-85">${esc(t.atLeast85)} <span class="n">${esc(T.of[lang])} ${esc(t.ok)}</span></dd></div>`,
    '</dl>',
    opts.interrupted ? `<p class="notice" role="status">${esc(T.interrupted[lang])}</p>` : '',
    '<section class="card" aria-labelledby="h-rank">',
    `<h2 id="h-rank">${esc(T.ranking[lang])}</h2>`,
  ];
  if (!ranked.length) out.push(`<p class="none">${esc(T.noSites[lang])}</p>`);
  else
    out.push(
      '<div class="tablewrap"><table class="ranking"><thead><tr>',
      `<th scope="col" class="num">${esc(T.rank[lang])}</th><th scope="col">${esc(T.agency[lang])}</th>`,
      `<th scope="col" class="num">${esc(T.oit[lang])}</th><th scope="col" class="num">${esc(T.potential[lang])}</th>`,
      `<th scope="col">${esc(T.grade[lang])}</th><th scope="col" class="num">${esc(T.counts[lang])}</th>`,
      `<th scope="col">${esc(T.failing[lang])}</th><th scope="col">${esc(T.status[lang])}</th>`,
      `<th scope="col" class="num">${esc(T.duration[lang])}</th>`,
      '</tr></thead><tbody>',
      ...ranked.map((s) => row(s, lang)),
      '</tbody></table></div>',
    );
  out.push(
    '</section>',
    '</div></main>',
    `<footer><div class="wrap"><p>${esc(T.disclaimer[lang])}</p></div></footer>`,
    '</body></html>',
    '',
  );
  return out.join('\n');
}
