// The self-contained HTML report: one file, inline CSS/JS/SVG, no network access of any kind.
// Everything is rendered here in both languages; the inline script only toggles attributes
// (language, filter, open/closed). All crawled text is hostile: every interpolation goes through esc(),
// and only http/https URLs become links (and --screenshots file links). A CSP with hashes of the one style and one script blocks the rest.

import { createHash } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import type { CheckResult, ItemResult, Report } from './schema.js';

export type HtmlLang = 'th' | 'en';

export interface HtmlOptions {
  lang?: HtmlLang;
}

interface Bi {
  th: string;
  en: string;
}

type Finding = Report['siteFindings'][number];
type Evidence = ItemResult['evidence'][number];

// ---------------------------------------------------------------------------------------------
// Escaping and URLs

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escape for HTML text and quoted attribute values; drops control and bidi-override characters. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '')
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g, '')
    .replace(/[&<>"']/g, (c) => ESC[c] ?? c);
}
const esc = escapeHtml;

/** The URL when it is an absolute http(s) URL, else undefined (javascript:, data:, relative, garbage). */
export function safeHttpUrl(raw: string): URL | undefined {
  try {
    const u = new URL(raw);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u : undefined;
  } catch {
    return undefined;
  }
}

function displayUrl(u: URL): string {
  try {
    return decodeURI(u.href);
  } catch {
    return u.href;
  }
}

/** A link to an http(s) URL (text defaults to the readable URL); anything else is shown as plain text. */
function link(raw: string, text?: string): string {
  const u = safeHttpUrl(raw);
  const label = text?.trim() ? text : undefined;
  if (!u) {
    const shown = label
      ? `${esc(label)} <code class="url">${esc(raw)}</code>`
      : `<code class="url">${esc(raw)}</code>`;
    return `<span class="nolink">${shown}</span>`;
  }
  return `<a class="${label ? 'lt' : 'url'}" href="${esc(u.href)}" rel="noopener noreferrer" target="_blank">${esc(label ?? displayUrl(u))}</a>`;
}

function urlText(raw: string): string {
  const u = safeHttpUrl(raw);
  return `<code class="url">${esc(u ? displayUrl(u) : raw)}</code>`;
}

// ---------------------------------------------------------------------------------------------
// Bilingual text

/** Both languages; CSS shows the one matching <html lang>. */
function bi(text: Bi): string {
  if (text.th === text.en) return esc(text.th);
  return `<span class="l-th" lang="th">${esc(text.th)}</span><span class="l-en" lang="en">${esc(text.en)}</span>`;
}

const b = (th: string, en: string): Bi => ({ th, en });

const L = {
  skip: b('ข้ามไปยังผลรายข้อ', 'Skip to the item results'),
  kicker: b('รายงานการประเมินตนเองล่วงหน้า ตัวชี้วัด OIT (O1–O43)', 'OIT pre-assessment report (items O1–O43)'),
  language: b('ภาษา', 'Language'),
  site: b('เว็บไซต์', 'Website'),
  framework: b('กรอบการประเมิน', 'Framework'),
  fiscalYear: b('ปีงบประมาณ', 'Fiscal year'),
  asOf: b('ประเมิน ณ วันที่', 'Judged as of'),
  scanned: b('วันที่สแกน', 'Scanned'),
  tool: b('เครื่องมือ', 'Tool'),
  summary: b('สรุปผล', 'Summary'),
  oit: b('คะแนน OIT (ยืนยันแล้ว)', 'OIT score (confirmed)'),
  oitNote: b('ข้อที่ต้องตรวจสอบนับเป็น 0', 'items needing review count as 0'),
  potential: b('คะแนนที่อาจได้', 'Potential score'),
  potentialNote: b('ถ้าข้อที่ต้องตรวจสอบผ่านทั้งหมด', 'if every item needing review passes'),
  grade: b('ระดับ', 'Grade'),
  counts: b('จำนวนข้อ', 'Items'),
  indicator: b('ตัวชี้วัด', 'Indicator'),
  ita: b('คะแนน ITA รวม', 'ITA total'),
  chartCaption: b(
    'คะแนนตัวชี้วัดย่อย 9.1–10.2 เทียบกับเกณฑ์ผ่าน 85 คะแนน (เส้นประ)',
    'Sub-indicator scores 9.1–10.2 against the pass mark of 85 (dashed line)',
  ),
  passMark: b('เกณฑ์ 85', 'pass mark 85'),
  subTable: b('คะแนนรายตัวชี้วัดย่อย', 'Scores by sub-indicator'),
  subIndicator: b('ตัวชี้วัดย่อย', 'Sub-indicator'),
  name: b('ชื่อ', 'Name'),
  score: b('คะแนน', 'Score'),
  vsMark: b('เทียบเกณฑ์ 85', 'Against 85'),
  atMark: b('ถึงเกณฑ์', 'at or above'),
  belowMark: b('ต่ำกว่าเกณฑ์', 'below'),
  overview: b('ภาพรวมรายข้อ', 'Items at a glance'),
  items: b('ผลรายข้อ', 'Item results'),
  show: b('แสดง', 'Show'),
  fAll: b('ทั้งหมด', 'All'),
  fFail: b('ไม่ผ่าน', 'Failing'),
  fReview: b('ต้องตรวจสอบ', 'Review'),
  fFailReview: b('ไม่ผ่านและต้องตรวจสอบ', 'Failing + review'),
  expandAll: b('ขยายทั้งหมด', 'Expand all'),
  collapseAll: b('ย่อทั้งหมด', 'Collapse all'),
  shown: b('ข้อที่แสดง', 'Items shown'),
  of: b('จาก', 'of'),
  filterEmpty: b('ไม่มีข้อที่ตรงกับตัวกรองนี้', 'No item matches this filter'),
  findings: b('ข้อค้นพบ', 'Findings'),
  noFindings: b('ไม่มีข้อค้นพบ', 'No findings'),
  checks: b('การตรวจ', 'Checks'),
  check: b('รายการตรวจ', 'Check'),
  outcome: b('ผล', 'Outcome'),
  satisfiedBy: b('สิ่งที่พบ', 'Satisfied by'),
  sameAbove: b('เหมือนแถวบน', 'Same as the row above'),
  noChecks: b('ไม่มีผลการตรวจ', 'No checks recorded'),
  evidence: b('หลักฐานที่พบ', 'Evidence found'),
  noEvidence: b('ไม่พบหลักฐาน', 'No evidence found'),
  evLink: b('ลิงก์และ URL', 'Link and URL'),
  via: b('พบจาก', 'Found via'),
  http: b('สถานะ HTTP', 'HTTP status'),
  noResponse: b('ไม่มีการตอบกลับ', 'no response'),
  path: b('เส้นทางจากหน้าแรก', 'Click path from the homepage'),
  home: b('หน้าแรก', 'Home'),
  page: b('หน้า', 'page'),
  fix: b('วิธีแก้ไข', 'How to fix'),
  code: b('รหัส', 'code'),
  siteFindings: b('ข้อค้นพบระดับเว็บไซต์', 'Site-level findings'),
  noSiteFindings: b('ไม่มีข้อค้นพบระดับเว็บไซต์', 'No site-level findings'),
  crawl: b('การสำรวจเว็บไซต์', 'Crawl'),
  pages: b('หน้าเว็บ', 'Pages'),
  documents: b('เอกสาร', 'Documents'),
  requests: b('คำขอ', 'Requests'),
  bytes: b('ข้อมูลที่ดาวน์โหลด', 'Downloaded'),
  duration: b('เวลาที่ใช้', 'Duration'),
  seconds: b('วินาที', 's'),
  errors: b('ข้อผิดพลาด', 'Errors'),
  errorList: b('รายการข้อผิดพลาด', 'Error list'),
  more: b('และอีก', 'and'),
  moreTail: b('รายการ', 'more'),
  disclaimer: b(
    'ผลนี้เป็นการประเมินตนเองล่วงหน้าโดยอัตโนมัติ คะแนนจริงให้โดยผู้ประเมินของสำนักงาน ป.ป.ช. ในระบบ ITAS',
    'This is an automatic pre-assessment; the official score is given by the NACC evaluator in ITAS.',
  ),
  generated: b('สร้างโดย', 'Generated by'),
  schema: b('โครงสร้างข้อมูล', 'schema'),
} satisfies Record<string, Bi>;

const VERDICT: Record<string, { icon: string; word: Bi }> = {
  pass: { icon: '✓', word: b('ผ่าน', 'Pass') },
  fail: { icon: '✗', word: b('ไม่ผ่าน', 'Fail') },
  review: { icon: '?', word: b('ต้องตรวจสอบ', 'Needs review') },
  skip: { icon: '–', word: b('ข้าม', 'Skipped') },
  info: { icon: 'i', word: b('ข้อสังเกต', 'Note') },
};

const CHECK_NAMES: Record<string, Bi> = {
  'url-present': b('มี URL ของข้อมูล', 'URL present'),
  reachable: b('เปิดได้', 'Reachable'),
  'on-main-site': b('อยู่บนเว็บไซต์หลัก', 'On the main website'),
  'linked-from-home': b('เข้าถึงได้จากหน้าแรก', 'Linked from the homepage'),
  'fiscal-year': b('ปีงบประมาณถูกต้อง', 'Right fiscal year'),
  'period-coverage': b('ครอบคลุมช่วงเวลาที่กำหนด', 'Covers the required period'),
  components: b('มีองค์ประกอบครบ', 'Required components present'),
  'people-contacts': b('ข้อมูลผู้บริหารและการติดต่อ', 'People and contact details'),
  'external-links': b('ลิงก์ไปยังระบบภายนอก', 'Links to external systems'),
  'online-channel': b('มีช่องทางออนไลน์', 'Online channel'),
  'has-content': b('มีเนื้อหา', 'Has content'),
  'depends-on': b('ขึ้นกับผลของข้ออื่น', 'Depends on another item'),
};

const VIA: Record<string, Bi> = {
  'itas-list': b('รายการ URL ที่ส่งในระบบ ITAS', 'URL list submitted in ITAS'),
  'ita-index': b('หน้ารวมข้อมูล ITA ของหน่วยงาน', "The agency's ITA index page"),
  'ita-item-page': b('หน้าของข้อนี้ที่ลิงก์จากหน้ารวม ITA', 'The item page linked from the ITA index'),
  menu: b('เมนูของเว็บไซต์', 'A site menu'),
  title: b('ชื่อหน้าหรือหัวเรื่อง', 'A page title or heading'),
  content: b('ลิงก์ในเนื้อหาของหน้า', 'A link in page content'),
};

/**
 * Names of the ITA 2564/2565 sub-indicators and indicators, for report files written before reports
 * carried their framework's names (report.framework.subIndicators / indicators win when present).
 */
const SUB_NAMES: Record<string, Bi> = {
  '9.1': b('ข้อมูลพื้นฐาน', 'Basic information'),
  '9.2': b('การบริหารงาน', 'Administration'),
  '9.3': b('การบริหารเงินงบประมาณ', 'Budget management'),
  '9.4': b('การบริหารและพัฒนาทรัพยากรบุคคล', 'Human resource management and development'),
  '9.5': b('การส่งเสริมความโปร่งใส', 'Promoting transparency'),
  '10.1': b('การดำเนินการเพื่อป้องกันการทุจริต', 'Actions to prevent corruption'),
  '10.2': b('มาตรการภายในเพื่อป้องกันการทุจริต', 'Internal measures to prevent corruption'),
};
const INDICATOR_NAMES: Record<string, Bi> = {
  '9': b('การเปิดเผยข้อมูล', 'Information disclosure'),
  '10': b('การป้องกันการทุจริต', 'Corruption prevention'),
};

const PASS_MARK = 85;

// ---------------------------------------------------------------------------------------------
// Formatting

function num(n: number | undefined): string {
  return typeof n === 'number' && Number.isFinite(n) ? n.toFixed(2) : '–';
}

function fmtDate(iso: string, dateOnly: boolean): Bi {
  const d = dateOnly && /^\d{4}-\d{2}-\d{2}$/.test(iso) ? new Date(`${iso}T00:00:00Z`) : new Date(iso);
  if (Number.isNaN(d.getTime())) return b(iso, iso);
  const o: Intl.DateTimeFormatOptions = dateOnly
    ? { dateStyle: 'long', timeZone: 'UTC' }
    : { dateStyle: 'long', timeStyle: 'short', timeZone: 'Asia/Bangkok' };
  try {
    const th = new Intl.DateTimeFormat('th-TH', o).format(d);
    const en = new Intl.DateTimeFormat('en-GB', o).format(d);
    return dateOnly ? b(th, en) : b(`${th} (เวลาประเทศไทย)`, `${en} (Thailand time)`);
  } catch {
    return b(iso, iso);
  }
}

function verdictBadge(v: string, cls = 'badge'): string {
  const k = VERDICT[v] ? v : 'review';
  const d = VERDICT[k]!;
  return `<span class="${cls} v-${k}"><span class="icon" aria-hidden="true">${d.icon}</span> ${bi(d.word)}</span>`;
}

function agencyName(report: Report): string {
  const title = report.site.title?.trim();
  if (title) return title;
  for (const raw of [report.site.finalUrl, report.site.url]) {
    try {
      return new URL(raw).host;
    } catch {
      /* next */
    }
  }
  return report.site.url;
}

// ---------------------------------------------------------------------------------------------
// Pieces

function renderFinding(f: Finding): string {
  const sev = VERDICT[f.severity] ? f.severity : 'info';
  const where: string[] = [];
  if (f.url) where.push(link(f.url));
  if (f.page !== undefined) where.push(`${bi(L.page)} ${esc(f.page)}`);
  return [
    `<li class="finding sev-${sev}">`,
    `<p class="fhead">${verdictBadge(sev, 'sev')} <span class="msg">${bi(f.message)}</span></p>`,
    where.length ? `<p class="where">${where.join(' · ')}</p>` : '',
    f.excerpt ? `<blockquote class="excerpt">${esc(f.excerpt)}</blockquote>` : '',
    f.fix ? `<p class="fix"><strong>${bi(L.fix)}:</strong> ${bi(f.fix)}</p>` : '',
    `<p class="fcode">${bi(L.code)}: <code>${esc(f.code)}</code></p>`,
    '</li>',
  ].join('');
}

function renderFindings(list: Finding[], none: Bi): string {
  if (!list.length) return `<p class="none">${bi(none)}</p>`;
  return `<ul class="findings">${list.map(renderFinding).join('')}</ul>`;
}

/** A URL on the agency's own hosts shown as its path (shorter, readable); others in full. */
function shortUrl(raw: string, hosts: ReadonlySet<string>): string | undefined {
  const u = safeHttpUrl(raw);
  if (!u || !hosts.has(u.host)) return undefined;
  const p = `${u.pathname}${u.search}`;
  try {
    return decodeURI(p);
  } catch {
    return p;
  }
}

function renderCheck(c: CheckResult, prev: CheckResult | undefined, hosts: ReadonlySet<string>): string {
  const name = CHECK_NAMES[c.check];
  let by = '–';
  if (c.satisfiedBy.length && prev && JSON.stringify(prev.satisfiedBy) === JSON.stringify(c.satisfiedBy)) {
    by = `<span class="same">${bi(L.sameAbove)}</span>`;
  } else if (c.satisfiedBy.length) {
    by = `<ul class="sat">${c.satisfiedBy
      .map(
        (s) =>
          `<li>${link(s.url, shortUrl(s.url, hosts))}${s.page !== undefined ? ` · ${bi(L.page)} ${esc(s.page)}` : ''}${
            s.excerpt ? ` <q class="excerpt">${esc(s.excerpt)}</q>` : ''
          }</li>`,
      )
      .join('')}</ul>`;
  }
  return `<tr><th scope="row">${name ? `${bi(name)} ` : ''}<code>${esc(c.check)}</code></th><td>${verdictBadge(c.outcome, 'sev')}</td><td>${by}</td></tr>`;
}

function renderEvidence(e: Evidence): string {
  const via = VIA[e.via];
  const path = [bi(L.home), ...e.path.map((p) => esc(p))].join(' <span aria-hidden="true">›</span> ');
  const status =
    e.status === null
      ? bi(L.noResponse)
      : `${esc(e.status)}${e.contentType ? ` <span class="ctype">${esc(e.contentType)}</span>` : ''}`;
  const text = e.linkText?.trim() ? e.linkText : undefined;
  return [
    `<tr><td>${link(e.url, text)}`,
    text && safeHttpUrl(e.url) ? `<br>${urlText(e.url)}` : '',
    // A local screenshot file (--screenshots): a plain link, nothing is loaded into the report.
    e.screenshot
      ? `<br><a href="${esc(pathToFileURL(e.screenshot).href)}">${bi({ th: 'ภาพหน้าจอ', en: 'Screenshot' })}</a>`
      : '',
    `</td><td>${via ? bi(via) : esc(e.via)}</td><td>${status}</td><td>${path}</td></tr>`,
  ].join('');
}

function renderItem(item: ItemResult, hosts: ReadonlySet<string>): string {
  const verdict = VERDICT[item.verdict] ? item.verdict : 'review';
  const main =
    item.findings.find((f) => f.severity === 'fail') ?? item.findings.find((f) => f.severity === 'review');
  const id = esc(item.id);
  return [
    `<details class="item v-${verdict}" id="${id}" data-verdict="${verdict}">`,
    `<summary><h5 class="ititle"><span class="iid">${id}</span> <span class="iname">${bi(item.name)}</span></h5>`,
    verdictBadge(verdict),
    main ? `<span class="reason">${bi(main.message)}</span>` : '',
    '</summary><div class="ibody">',
    `<section class="part"><h6>${bi(L.findings)} (${item.findings.length})</h6>${renderFindings(item.findings, L.noFindings)}</section>`,
    `<section class="part"><h6>${bi(L.checks)} (${item.checks.length})</h6>`,
    item.checks.length
      ? `<div class="tablewrap"><table class="checks"><thead><tr><th scope="col">${bi(L.check)}</th><th scope="col">${bi(L.outcome)}</th><th scope="col">${bi(L.satisfiedBy)}</th></tr></thead><tbody>${item.checks.map((c, i) => renderCheck(c, item.checks[i - 1], hosts)).join('')}</tbody></table></div>`
      : `<p class="none">${bi(L.noChecks)}</p>`,
    '</section>',
    `<section class="part"><h6>${bi(L.evidence)} (${item.evidence.length})</h6>`,
    item.evidence.length
      ? `<div class="tablewrap"><table class="evidence"><thead><tr><th scope="col">${bi(L.evLink)}</th><th scope="col">${bi(L.via)}</th><th scope="col">${bi(L.http)}</th><th scope="col">${bi(L.path)}</th></tr></thead><tbody>${item.evidence.map(renderEvidence).join('')}</tbody></table></div>`
      : `<p class="none">${bi(L.noEvidence)}</p>`,
    '</section></div></details>',
  ].join('');
}

interface SubGroup {
  id: string;
  groups: { name: Bi; items: ItemResult[] }[];
  items: ItemResult[];
}

function groupItems(items: ItemResult[]): SubGroup[] {
  const subs: SubGroup[] = [];
  for (const item of items) {
    let sub = subs.find((s) => s.id === item.subIndicator);
    if (!sub) {
      sub = { id: item.subIndicator, groups: [], items: [] };
      subs.push(sub);
    }
    sub.items.push(item);
    let g = sub.groups.find((x) => x.name.th === item.group.th && x.name.en === item.group.en);
    if (!g) {
      g = { name: item.group, items: [] };
      sub.groups.push(g);
    }
    g.items.push(item);
  }
  return subs;
}

function slug(id: string): string {
  return id.replace(/[^A-Za-z0-9]/g, '-');
}

interface Names {
  sub: Record<string, Bi>;
  indicator: Record<string, Bi>;
}

/** The framework's own names from the report, else the built-in 2564/2565 ones. */
function namesOf(report: Report): Names {
  const fw = report.framework;
  return {
    sub: fw.subIndicators ? Object.fromEntries(fw.subIndicators.map((x) => [x.id, x.name])) : SUB_NAMES,
    indicator: fw.indicators ? Object.fromEntries(fw.indicators.map((x) => [x.id, x.name])) : INDICATOR_NAMES,
  };
}

function subTitle(id: string, names: Names): string {
  const name = names.sub[id];
  return `${esc(id)}${name ? ` ${bi(name)}` : ''}`;
}

function renderChart(subs: string[], scores: Record<string, number>): string {
  const left = 56;
  const width = 600;
  const rowH = 34;
  const top = 28;
  const h = top + subs.length * rowH + 28;
  const x = (v: number) => left + (Math.max(0, Math.min(100, v)) / 100) * width;
  const parts: string[] = [];
  for (const t of [0, 25, 50, 75, 100]) {
    parts.push(
      `<line x1="${x(t)}" y1="${top - 6}" x2="${x(t)}" y2="${h - 22}" stroke="#c9cdd3" stroke-width="1"/>`,
      `<text x="${x(t)}" y="${h - 6}" text-anchor="middle" class="tick">${t}</text>`,
    );
  }
  subs.forEach((id, i) => {
    const v = scores[id];
    const y = top + i * rowH;
    const ok = typeof v === 'number' && v >= PASS_MARK;
    parts.push(`<text x="${left - 8}" y="${y + 19}" text-anchor="end" class="lab">${esc(id)}</text>`);
    if (typeof v === 'number' && Number.isFinite(v)) {
      parts.push(
        `<rect x="${left}" y="${y + 4}" width="${(x(v) - left).toFixed(1)}" height="20" rx="2" fill="${ok ? '#2e7d32' : '#c62828'}"/>`,
        `<text x="${(x(v) + 6).toFixed(1)}" y="${y + 19}" class="val">${num(v)}</text>`,
      );
    } else {
      parts.push(`<text x="${left + 6}" y="${y + 19}" class="val">–</text>`);
    }
  });
  const m = x(PASS_MARK);
  parts.push(
    `<line x1="${m}" y1="${top - 10}" x2="${m}" y2="${h - 22}" stroke="#1b1b1b" stroke-width="2" stroke-dasharray="6 4"/>`,
    `<text x="${m}" y="${top - 14}" text-anchor="middle" class="mark l-th">${esc(L.passMark.th)}</text>`,
    `<text x="${m}" y="${top - 14}" text-anchor="middle" class="mark l-en">${esc(L.passMark.en)}</text>`,
  );
  return `<svg class="chart" viewBox="0 0 ${left + width + 64} ${h}" width="100%" role="presentation" aria-hidden="true" focusable="false">${parts.join('')}</svg>`;
}

// ---------------------------------------------------------------------------------------------
// Style and script (hashed into the CSP)

const CSS = `
:root{--fg:#1b1b1b;--muted:#4a4f57;--bg:#f4f5f7;--card:#fff;--line:#d5d9df;--link:#0b57d0;--focus:#0b57d0;
--pass-fg:#0b5d1e;--pass-bg:#e3f4e8;--fail-fg:#9b1c1c;--fail-bg:#fde8e8;--review-fg:#7a4100;--review-bg:#fff1d6;
--info-fg:#1e3a8a;--info-bg:#e6ecfb;--skip-fg:#3f444b;--skip-bg:#eceef1}
*{box-sizing:border-box}
html[lang="th"] .l-en,html[lang="en"] .l-th{display:none}
html:not(.js) .js-only{display:none}
body{margin:0;background:var(--bg);color:var(--fg);font:16px/1.6 "Sarabun","Noto Sans Thai","Leelawadee UI","Leelawadee","Tahoma","Loma","Garuda","Thonburi","DejaVu Sans",sans-serif}
a{color:var(--link)}a:visited{color:#6a1b9a}
:focus-visible{outline:3px solid var(--focus);outline-offset:2px;border-radius:2px}
code{font-family:"Tlwg Typo","DejaVu Sans Mono",Consolas,monospace;font-size:.88em}
.url{overflow-wrap:anywhere;word-break:break-word}
.skip{position:absolute;left:-999px;top:0;background:#fff;padding:.5rem 1rem;z-index:9}
.skip:focus{left:1rem}
.wrap{max-width:70rem;margin:0 auto;padding:0 1rem}
header.top{background:#12355b;color:#fff;padding:1rem 0 1.25rem}
header.top a{color:#fff}
header.top .controls{display:flex;justify-content:flex-end;gap:.5rem;align-items:center;flex-wrap:wrap}
.kicker{margin:.25rem 0 0;color:#dce6f2;font-size:.95rem}
h1{margin:.1rem 0 .6rem;font-size:1.7rem;line-height:1.35;overflow-wrap:anywhere}
.meta{display:grid;grid-template-columns:repeat(auto-fit,minmax(15rem,1fr));gap:.25rem 1.5rem;margin:0}
.meta div{min-width:0}.meta dt{color:#dce6f2;font-size:.85rem}.meta dd{margin:0;overflow-wrap:anywhere}
button{font:inherit;cursor:pointer;border:1px solid #8a929c;background:#fff;color:var(--fg);border-radius:6px;padding:.25rem .8rem}
button[aria-pressed="true"]{background:#12355b;color:#fff;border-color:#12355b}
header.top button{border-color:#fff}
header.top button[aria-pressed="true"]{background:#fff;color:#12355b;font-weight:700}
header.top button[aria-pressed="false"]{background:transparent;color:#fff}
header.top :focus-visible{outline-color:#ffd54f}
main{padding:1rem 0 2rem}
section.card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:1rem 1.25rem;margin:1rem 0}
h2{font-size:1.35rem;margin:.2rem 0 .8rem}
h3{font-size:1.15rem;margin:1rem 0 .5rem}
h4{font-size:1rem;margin:.9rem 0 .4rem;color:var(--muted)}
h6{font-size:.95rem;margin:.8rem 0 .3rem}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(13rem,1fr));gap:.75rem}
.stat{border:1px solid var(--line);border-radius:8px;padding:.6rem .8rem}
.stat .k{color:var(--muted);font-size:.9rem}.stat .v{font-size:2rem;font-weight:700;line-height:1.2}
.stat .n{color:var(--muted);font-size:.85rem}
.grade{display:inline-block;margin-left:.4rem;padding:0 .45rem;border-radius:6px;background:#12355b;color:#fff;font-size:1.1rem;vertical-align:middle}
.countlist{list-style:none;margin:.2rem 0 0;padding:0}.countlist li{margin:.1rem 0}
figure{margin:1rem 0 .5rem}figcaption{color:var(--muted);font-size:.9rem}
.chart{max-width:46rem;display:block}
.chart text{font-size:13px;fill:#1b1b1b;font-family:inherit}.chart .tick{fill:#4a4f57;font-size:12px}
.chart .val{paint-order:stroke;stroke:#fff;stroke-width:4px;stroke-linejoin:round}.chart .lab{font-weight:700}.chart .mark{font-size:12px;font-weight:700}
.tablewrap{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:.95rem}
th,td{border-bottom:1px solid var(--line);padding:.35rem .5rem;text-align:left;vertical-align:top}
thead th{background:#eef1f5}
td.numc{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.badge,.sev,.chip{display:inline-block;border-radius:999px;padding:0 .55rem;font-size:.9rem;font-weight:700;white-space:nowrap}
.v-pass{color:var(--pass-fg);background:var(--pass-bg)}.v-fail{color:var(--fail-fg);background:var(--fail-bg)}
.v-review{color:var(--review-fg);background:var(--review-bg)}.v-info{color:var(--info-fg);background:var(--info-bg)}
.v-skip{color:var(--skip-fg);background:var(--skip-bg)}
.chips{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.35rem}
.chip{text-decoration:none;border:1px solid currentColor;font-weight:700}
a.chip.v-pass,a.chip.v-pass:visited{color:var(--pass-fg)}a.chip.v-fail,a.chip.v-fail:visited{color:var(--fail-fg)}
a.chip.v-review,a.chip.v-review:visited{color:var(--review-fg)}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.toolbar{display:flex;flex-wrap:wrap;gap:.75rem 1.5rem;align-items:center;margin:.25rem 0 1rem}
fieldset.filter{border:1px solid var(--line);border-radius:8px;padding:.3rem .8rem .5rem;margin:0}
fieldset.filter legend{font-weight:700;padding:0 .3rem}
fieldset.filter label{display:inline-flex;align-items:center;gap:.3rem;margin-right:1rem;cursor:pointer;white-space:nowrap}
fieldset.filter input{width:1.05rem;height:1.05rem;accent-color:#12355b}
.status{color:var(--muted)}
.sub{margin-top:1.25rem}
.sub>h3{border-bottom:2px solid #12355b;padding-bottom:.2rem;display:flex;flex-wrap:wrap;gap:.5rem;justify-content:space-between}
.subscore{font-variant-numeric:tabular-nums}
details.item{background:var(--card);border:1px solid var(--line);border-left-width:6px;border-radius:8px;margin:.45rem 0;scroll-margin-top:1rem}
details.item.v-pass{border-left-color:#2e7d32}details.item.v-fail{border-left-color:#c62828}details.item.v-review{border-left-color:#b26a00}
details.item{color:var(--fg)}
details.item>summary{display:flex;flex-wrap:wrap;align-items:center;gap:.2rem .75rem;padding:.55rem .8rem;cursor:pointer;list-style:none}
details.item>summary::-webkit-details-marker{display:none}
details.item>summary::before{content:"";width:.55rem;height:.55rem;border-right:2px solid var(--fg);border-bottom:2px solid var(--fg);transform:rotate(-45deg);margin-right:.2rem;flex:none}
details.item[open]>summary::before{transform:rotate(45deg)}
details.item>summary:hover{background:#f7f8fa}
.ititle{margin:0;font-size:1rem;flex:1 1 18rem;min-width:0}
.iid{display:inline-block;min-width:2.6rem;font-variant-numeric:tabular-nums}
.reason{flex:1 1 100%;color:var(--muted);font-size:.92rem;padding-left:1.6rem}
.ibody{padding:0 1rem .8rem 1.6rem;border-top:1px solid var(--line)}
.findings{margin:.2rem 0;padding-left:1.2rem}
.finding{margin:.45rem 0}
.finding p{margin:.1rem 0}
.fhead .msg{font-weight:700}
.where,.fcode{color:var(--muted);font-size:.9rem}
.excerpt{background:#f4f5f7;border-left:3px solid #8a929c;margin:.3rem 0;padding:.2rem .6rem;white-space:pre-wrap;overflow-wrap:anywhere;font-size:.92rem}
q.excerpt{display:inline;border:0;padding:0 .2rem}
.fix{background:#eef6ff;border-radius:6px;padding:.2rem .5rem}
.sat{margin:0;padding-left:1rem}.same{color:var(--muted)}
.evidence td{overflow-wrap:anywhere}.evidence td:first-child{min-width:14rem}.evidence code.url,.ctype{font-size:.85em;color:var(--muted)}
.checks th[scope="row"]{min-width:10rem;font-weight:400}.checks th[scope="row"] code{display:block;white-space:nowrap;color:var(--muted)}.checks td:nth-child(3){overflow-wrap:anywhere}
.nolink code{color:var(--fail-fg)}
.none{color:var(--muted);font-style:italic}
.crawl dl{display:grid;grid-template-columns:repeat(auto-fit,minmax(10rem,1fr));gap:.5rem 1rem;margin:0}
.crawl dt{color:var(--muted);font-size:.9rem}.crawl dd{margin:0;font-size:1.2rem;font-weight:700}
.errs{font-size:.9rem}.errs li{overflow-wrap:anywhere}
details.more>summary{cursor:pointer;margin:.5rem 0;font-weight:700}
footer{color:var(--muted);font-size:.88rem;padding:0 0 2rem}
@media (max-width:42rem){
 .wrap{padding:0 .5rem}section.card{padding:.75rem}.ibody{padding:0 .6rem .6rem}
 table.checks,table.evidence,table.checks tbody,table.evidence tbody,table.checks tr,table.evidence tr,table.checks th,table.checks td,table.evidence td{display:block}
 table.checks thead,table.evidence thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
 table.checks tr,table.evidence tr{border-bottom:1px solid var(--line);padding:.35rem 0}
 table.checks th,table.checks td,table.evidence td{border:0;padding:.1rem 0}
 .reason{padding-left:0}
}
@media print{
 body{background:#fff;font-size:11pt}
 header.top{background:#fff;color:#000;border-bottom:2px solid #000}
 header.top .kicker,header.top .meta dt{color:#333}
 .controls,.toolbar,.skip,.js-only{display:none!important}
 section.card{border:0;padding:0;margin:.5rem 0}
 details>summary::before{display:none}
 details::details-content{content-visibility:visible;display:block}
 details.item[hidden],.grp[hidden],.sub[hidden]{display:block!important}
 details.item{break-inside:avoid-page;border-left-width:4px}
 a{color:#000}
}
`;

const JS = `(function(){'use strict';
var d=document,root=d.documentElement;
var items=Array.prototype.slice.call(d.querySelectorAll('details.item'));
function each(sel,fn){Array.prototype.forEach.call(d.querySelectorAll(sel),fn);}
function setLang(l){root.setAttribute('lang',l);var t=d.querySelector('meta[name="ita-check:title-'+l+'"]');if(t)d.title=t.getAttribute('content')||d.title;
each('button[data-lang]',function(b){b.setAttribute('aria-pressed',String(b.getAttribute('data-lang')===l));});}
each('button[data-lang]',function(b){b.addEventListener('click',function(){setLang(b.getAttribute('data-lang'));});});
var SHOW={all:['pass','fail','review'],fail:['fail'],review:['review'],'fail-review':['fail','review']};
function applyFilter(v){var allow=SHOW[v]||SHOW.all,n=0;
items.forEach(function(it){var on=allow.indexOf(it.getAttribute('data-verdict'))>=0;it.hidden=!on;if(on)n++;});
each('.grp,.sub',function(g){g.hidden=!g.querySelector('details.item:not([hidden])');});
var c=d.getElementById('shown-count');if(c)c.textContent=String(n);
var e=d.getElementById('filter-empty');if(e)e.hidden=n!==0;}
each('input[name="filter"]',function(r){r.addEventListener('change',function(){if(r.checked)applyFilter(r.value);});});
each('button[data-expand]',function(b){b.addEventListener('click',function(){var o=b.getAttribute('data-expand')==='1';
items.forEach(function(it){if(!it.hidden)it.open=o;});});});
function openTarget(focus){var id=location.hash.slice(1);try{id=decodeURIComponent(id);}catch(err){}
if(!id)return;var el=d.getElementById(id);if(!el)return;var item=el.closest('details.item');
if(item){if(item.hidden){var all=d.querySelector('input[name="filter"][value="all"]');if(all)all.checked=true;applyFilter('all');}item.open=true;}
el.scrollIntoView({block:'start'});
if(focus&&item){var s=item.querySelector('summary');if(s)s.focus({preventScroll:true});}}
window.addEventListener('hashchange',function(){openTarget(true);});
var saved=null;
window.addEventListener('beforeprint',function(){saved=items.map(function(it){return it.open;});items.forEach(function(it){it.open=true;});});
window.addEventListener('afterprint',function(){if(saved)items.forEach(function(it,i){it.open=saved[i];});saved=null;});
root.classList.add('js');
var checked=d.querySelector('input[name="filter"]:checked');if(checked)applyFilter(checked.value);
openTarget(false);
})();`;

function sha256(s: string): string {
  return createHash('sha256').update(s, 'utf8').digest('base64');
}

// ---------------------------------------------------------------------------------------------
// The page

/** Render the report as one self-contained, offline, printable HTML page (Thai first, th/en switch). */
export function renderHtml(report: Report, opts: HtmlOptions = {}): string {
  const lang: HtmlLang = opts.lang === 'en' ? 'en' : 'th';
  const s = report.scores;
  const agency = agencyName(report);
  const subs = groupItems(report.items);
  const names = namesOf(report);
  const hosts = new Set(report.site.hosts);
  const subIds = [...new Set([...Object.keys(s.subIndicators), ...subs.map((x) => x.id)])];
  const count = (v: string, list: ItemResult[] = report.items) => list.filter((i) => i.verdict === v).length;
  const nFail = count('fail');
  const nReview = count('review');
  const fy = report.fiscalYear;
  const title = b(`รายงาน ITA (OIT) — ${agency}`, `ITA (OIT) report — ${agency}`);
  const csp = `default-src 'none'; style-src 'sha256-${sha256(CSS)}'; script-src 'sha256-${sha256(JS)}'; img-src data:; base-uri 'none'; form-action 'none'`;

  const out: string[] = [];
  out.push(
    '<!doctype html>',
    `<html lang="${lang}">`,
    '<head>',
    '<meta charset="utf-8">',
    // First thing after the charset: nothing before it can carry crawled text.
    `<meta http-equiv="Content-Security-Policy" content="${csp}">`,
    `<meta name="ita-check:title-th" content="${esc(title.th)}">`,
    `<meta name="ita-check:title-en" content="${esc(title.en)}">`,
    '<meta name="referrer" content="no-referrer">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta name="generator" content="ita-check ${esc(report.tool.version)}">`,
    `<title>${esc(title[lang])}</title>`,
    '<link rel="icon" href="data:,">',
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    `<a class="skip" href="#items">${bi(L.skip)}</a>`,
  );

  // Header
  const ita = s.ita;
  out.push(
    '<header class="top"><div class="wrap">',
    `<div class="controls js-only" role="group" aria-labelledby="lang-label"><span id="lang-label">${bi(L.language)}:</span>`,
    `<button type="button" data-lang="th" lang="th" aria-pressed="${lang === 'th'}">ไทย</button>`,
    `<button type="button" data-lang="en" lang="en" aria-pressed="${lang === 'en'}">English</button></div>`,
    `<p class="kicker">${bi(L.kicker)}</p>`,
    `<h1>${esc(agency)}</h1>`,
    '<dl class="meta">',
    `<div><dt>${bi(L.site)}</dt><dd>${link(report.site.finalUrl || report.site.url)}</dd></div>`,
    `<div><dt>${bi(L.framework)}</dt><dd>${bi(report.framework.name)} (<code>${esc(report.framework.id)}</code>)</dd></div>`,
    `<div><dt>${bi(L.fiscalYear)}</dt><dd>${bi(b(`พ.ศ. ${fy}`, `B.E. ${fy} (${fy - 543})`))}</dd></div>`,
    `<div><dt>${bi(L.asOf)}</dt><dd>${bi(fmtDate(report.asOf, true))}</dd></div>`,
    `<div><dt>${bi(L.scanned)}</dt><dd>${bi(fmtDate(report.startedAt, false))}</dd></div>`,
    `<div><dt>${bi(L.tool)}</dt><dd>ita-check ${esc(report.tool.version)}</dd></div>`,
    '</dl></div></header>',
    '<main><div class="wrap">',
  );

  // Summary
  const indicatorStats = Object.entries(s.indicators)
    .map(([id, v]) => {
      const n = names.indicator[id];
      return `<li>${bi(L.indicator)} ${esc(id)}${n ? ` ${bi(n)}` : ''}: <strong>${num(v)}</strong></li>`;
    })
    .join('');
  out.push(
    '<section class="card" id="summary" aria-labelledby="h-summary">',
    `<h2 id="h-summary">${bi(L.summary)}</h2>`,
    '<div class="cards">',
    `<div class="stat"><div class="k">${bi(L.oit)}</div><div class="v">${num(s.oit)}<span class="grade"><span class="sr">${bi(L.grade)} </span>${esc(s.grade)}</span></div><div class="n">${bi(L.oitNote)}</div></div>`,
    `<div class="stat"><div class="k">${bi(L.potential)}</div><div class="v">${num(s.oitPotential)}</div><div class="n">${bi(L.potentialNote)}</div></div>`,
    `<div class="stat"><div class="k">${bi(L.counts)}</div><ul class="countlist">`,
    `<li>${verdictBadge('pass')} <strong>${esc(s.counts.pass)}</strong></li>`,
    `<li>${verdictBadge('fail')} <strong>${esc(s.counts.fail)}</strong></li>`,
    `<li>${verdictBadge('review')} <strong>${esc(s.counts.review)}</strong></li></ul></div>`,
    indicatorStats ? `<div class="stat"><ul class="countlist">${indicatorStats}</ul></div>` : '',
    ita
      ? `<div class="stat" id="ita"><div class="k">${bi(L.ita)}</div><div class="v">${num(ita.total)}<span class="grade"><span class="sr">${bi(L.grade)} </span>${esc(ita.grade)}</span></div><div class="n">0.3 × IIT ${num(ita.iit)} + 0.3 × EIT ${num(ita.eit)} + 0.4 × OIT ${num(ita.oit)}</div></div>`
      : '',
    '</div>',
    `<figure>${renderChart(subIds, s.subIndicators)}<figcaption>${bi(L.chartCaption)}</figcaption></figure>`,
    `<h3>${bi(L.subTable)}</h3><div class="tablewrap"><table class="subs"><thead><tr>`,
    `<th scope="col">${bi(L.subIndicator)}</th><th scope="col">${bi(L.name)}</th><th scope="col">${bi(L.score)}</th><th scope="col">${bi(L.vsMark)}</th>`,
    `<th scope="col">${bi(VERDICT.pass!.word)}</th><th scope="col">${bi(VERDICT.fail!.word)}</th><th scope="col">${bi(VERDICT.review!.word)}</th></tr></thead><tbody>`,
  );
  for (const id of subIds) {
    const v = s.subIndicators[id];
    const list = subs.find((x) => x.id === id)?.items ?? [];
    const name = names.sub[id];
    const ok = typeof v === 'number' && v >= PASS_MARK;
    out.push(
      `<tr><th scope="row"><a href="#sub-${slug(id)}">${esc(id)}</a></th><td>${name ? bi(name) : ''}</td><td class="numc">${num(v)}</td>`,
      `<td>${typeof v === 'number' ? `<span class="sev ${ok ? 'v-pass' : 'v-fail'}"><span aria-hidden="true">${ok ? '✓' : '✗'}</span> ${bi(ok ? L.atMark : L.belowMark)}</span>` : '–'}</td>`,
      `<td class="numc">${count('pass', list)}</td><td class="numc">${count('fail', list)}</td><td class="numc">${count('review', list)}</td></tr>`,
    );
  }
  out.push('</tbody></table></div>');
  out.push(
    `<nav aria-labelledby="h-overview"><h3 id="h-overview">${bi(L.overview)}</h3><ol class="chips">`,
    ...report.items.map((i) => {
      const v = VERDICT[i.verdict] ? i.verdict : 'review';
      return `<li><a class="chip v-${v}" href="#${esc(i.id)}"><span aria-hidden="true">${VERDICT[v]!.icon}</span> ${esc(i.id)}<span class="sr"> ${bi(VERDICT[v]!.word)}</span></a></li>`;
    }),
    '</ol></nav></section>',
  );

  // Items
  const total = report.items.length;
  out.push(
    '<section class="card" id="items" aria-labelledby="h-items" tabindex="-1">',
    `<h2 id="h-items">${bi(L.items)}</h2>`,
    '<div class="toolbar js-only">',
    `<fieldset class="filter"><legend>${bi(L.show)}</legend>`,
    `<label><input type="radio" name="filter" value="all" checked> ${bi(L.fAll)} (${total})</label>`,
    `<label><input type="radio" name="filter" value="fail"> ${bi(L.fFail)} (${nFail})</label>`,
    `<label><input type="radio" name="filter" value="review"> ${bi(L.fReview)} (${nReview})</label>`,
    `<label><input type="radio" name="filter" value="fail-review"> ${bi(L.fFailReview)} (${nFail + nReview})</label>`,
    '</fieldset>',
    `<div><button type="button" data-expand="1">${bi(L.expandAll)}</button> <button type="button" data-expand="0">${bi(L.collapseAll)}</button></div>`,
    `<p class="status" role="status">${bi(L.shown)}: <span id="shown-count">${total}</span> ${bi(L.of)} ${total}</p>`,
    '</div>',
    `<p id="filter-empty" class="none" hidden>${bi(L.filterEmpty)}</p>`,
  );
  for (const sub of subs) {
    const sid = `sub-${slug(sub.id)}`;
    out.push(
      `<section class="sub" id="${esc(sid)}" aria-labelledby="${esc(sid)}-h">`,
      `<h3 id="${esc(sid)}-h"><span>${subTitle(sub.id, names)}</span><span class="subscore">${bi(L.score)} ${num(s.subIndicators[sub.id])}</span></h3>`,
    );
    for (const g of sub.groups) {
      out.push(
        `<div class="grp"><h4>${bi(g.name)}</h4>`,
        ...g.items.map((i) => renderItem(i, hosts)),
        '</div>',
      );
    }
    out.push('</section>');
  }
  out.push('</section>');

  // Changes since the baseline (nightly scans)
  if (report.baseline) {
    const d = report.baseline;
    const list = (xs: string[]) =>
      xs.length ? xs.map((x) => `<a href="#${esc(x)}">${esc(x)}</a>`).join(', ') : '–';
    out.push(
      '<section class="card" id="baseline" aria-labelledby="h-baseline">',
      `<h2 id="h-baseline">${bi({ th: 'เปลี่ยนแปลงจากผลครั้งก่อน', en: 'Changes since the baseline' })}</h2>`,
      `<p>${bi({ th: 'ผลครั้งก่อน', en: 'Baseline' })}: ${esc(d.finishedAt)} — OIT ${esc(d.scoreChange.from.toFixed(2))} → ${esc(d.scoreChange.to.toFixed(2))}${d.regression ? ` — <strong>${bi({ th: 'มีการถดถอย', en: 'regression' })}</strong>` : ''}</p>`,
      `<p>${bi({ th: 'ไม่ผ่านใหม่', en: 'Newly failing' })}: ${list(d.newlyFailingItems)}</p>`,
      `<p>${bi({ th: 'แก้ไขแล้ว', en: 'Fixed' })}: ${list(d.fixedItems)}</p>`,
      d.newFindings.length
        ? `<ul>${d.newFindings
            .slice(0, 100)
            .map((f) => `<li>${esc(f.item)} ${bi(f.message)}</li>`)
            .join('')}</ul>`
        : '',
      '</section>',
    );
  }

  // Site findings and crawl
  const c = report.crawl;
  const maxErrors = 500;
  out.push(
    '<section class="card" id="site-findings" aria-labelledby="h-site">',
    `<h2 id="h-site">${bi(L.siteFindings)} (${report.siteFindings.length})</h2>`,
    renderFindings(report.siteFindings, L.noSiteFindings),
    '</section>',
    '<section class="card crawl" id="crawl" aria-labelledby="h-crawl">',
    `<h2 id="h-crawl">${bi(L.crawl)}</h2><dl>`,
    `<div><dt>${bi(L.pages)}</dt><dd>${esc(c.pages)}</dd></div>`,
    `<div><dt>${bi(L.documents)}</dt><dd>${esc(c.documents)}</dd></div>`,
    `<div><dt>${bi(L.requests)}</dt><dd>${esc(c.requests)}</dd></div>`,
    `<div><dt>${bi(L.bytes)}</dt><dd>${esc((c.bytes / 1e6).toFixed(1))} MB</dd></div>`,
    `<div><dt>${bi(L.duration)}</dt><dd>${esc((c.durationMs / 1000).toFixed(1))} ${bi(L.seconds)}</dd></div>`,
    `<div><dt>${bi(L.errors)}</dt><dd>${esc(c.errors.length)}</dd></div></dl>`,
  );
  if (c.errors.length) {
    out.push(
      `<details class="more"><summary>${bi(L.errorList)} (${c.errors.length})</summary><ul class="errs">`,
      ...c.errors
        .slice(0, maxErrors)
        .map((e) => `<li>${link(e.url)} — <code>${esc(e.class)}</code> ${esc(e.message)}</li>`),
      c.errors.length > maxErrors
        ? `<li>${bi(L.more)} ${c.errors.length - maxErrors} ${bi(L.moreTail)}</li>`
        : '',
      '</ul></details>',
    );
  }
  out.push(
    '</section>',
    '</div></main>',
    `<footer><div class="wrap"><p>${bi(L.disclaimer)}</p><p>${bi(L.generated)} ita-check ${esc(report.tool.version)} · ${bi(L.schema)} ${esc(report.schemaVersion)}</p></div></footer>`,
    `<script>${JS}</script>`,
    '</body></html>',
    '',
  );
  return out.join('\n');
}
