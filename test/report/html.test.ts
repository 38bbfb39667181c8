// The self-contained HTML report, checked in a real Chromium (playwright-core, Debian's /usr/bin/chromium):
// no network, no console errors, deep links, filter, language switch, print, and hostile crawled text.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { load } from 'cheerio';
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHtml } from '../../src/report/html.js';
import { type ItemResult, type Report, ReportSchema } from '../../src/report/schema.js';

// ---------------------------------------------------------------------------------------------
// Report builder

const SITE = 'https://www.example-tambon.go.th';
const FAIL = new Set([12, 15, 22, 36]);
const REVIEW = new Set([20, 30]);

const SUBS: [last: number, sub: string][] = [
  [9, '9.1'],
  [17, '9.2'],
  [24, '9.3'],
  [28, '9.4'],
  [33, '9.5'],
  [41, '10.1'],
  [43, '10.2'],
];
const GROUPS: [last: number, th: string, en: string][] = [
  [6, 'ข้อมูลพื้นฐาน', 'Basic information'],
  [9, 'การปฏิสัมพันธ์ข้อมูล', 'Information interaction'],
  [13, 'แผนการดำเนินงาน', 'Operating plan'],
  [17, 'การให้บริการ', 'Service delivery'],
  [20, 'แผนการใช้จ่ายงบประมาณประจำปี', 'Annual budget spending plan'],
  [24, 'การจัดซื้อจัดจ้างหรือการจัดหาพัสดุ', 'Procurement'],
  [28, 'การบริหารและพัฒนาทรัพยากรบุคคล', 'Human resource management and development'],
  [31, 'การจัดการเรื่องร้องเรียนการทุจริต', 'Handling corruption complaints'],
  [33, 'การเปิดโอกาสให้เกิดการมีส่วนร่วม', 'Opening up participation'],
  [41, 'การป้องกันการทุจริต', 'Corruption prevention'],
  [43, 'มาตรการภายในเพื่อป้องกันการทุจริต', 'Internal measures to prevent corruption'],
];

const failTh = (n: number) => `ไม่พบข้อมูลเดือนมีนาคม 2564 ของข้อ O${n}`;
const failEn = (n: number) => `No data for March 2564 in item O${n}`;

function buildItem(n: number): ItemResult {
  const id = `O${n}`;
  const sub = SUBS.find(([last]) => n <= last)![1];
  const g = GROUPS.find(([last]) => n <= last)!;
  const verdict = FAIL.has(n) ? 'fail' : REVIEW.has(n) ? 'review' : 'pass';
  const page = `${SITE}/ita.php?item=${n}`;
  const pdf = `${SITE}/fileupload/2564/${encodeURIComponent(`รายงาน O${n} ปี 2564`)}.pdf`;
  const item: ItemResult = {
    id,
    name: { th: `ข้อมูลรายการที่ ${n}`, en: `Information item ${n}` },
    subIndicator: sub,
    group: { th: g[1], en: g[2] },
    verdict,
    score: verdict === 'pass' ? 100 : verdict === 'fail' ? 0 : null,
    evidence: [
      {
        url: page,
        via: 'ita-index',
        linkText: `O${n} ข้อมูลรายการที่ ${n}`,
        status: 200,
        contentType: 'text/html',
        path: ['ITA', `O${n}`],
      },
      {
        url: pdf,
        via: 'ita-item-page',
        linkText: 'ดาวน์โหลด',
        status: 200,
        contentType: 'application/pdf',
        path: ['ITA', `O${n}`, 'ดาวน์โหลด'],
      },
    ],
    findings: [],
    checks: [
      { check: 'url-present', outcome: 'pass', satisfiedBy: [{ url: page }, { url: pdf }] },
      { check: 'reachable', outcome: 'pass', satisfiedBy: [{ url: page }, { url: pdf }] },
      {
        check: 'period-coverage',
        outcome: verdict === 'pass' ? 'pass' : verdict,
        satisfiedBy: verdict === 'pass' ? [{ url: pdf, page: 2, excerpt: 'ตุลาคม 2563 – มีนาคม 2564' }] : [],
      },
    ],
  };
  if (verdict === 'fail') {
    item.evidence.push({
      url: `${SITE}/fileupload/missing-${n}.pdf`,
      via: 'menu',
      linkText: 'เอกสารเก่า',
      status: 404,
      contentType: null,
      path: ['เกี่ยวกับเรา', 'เอกสารเก่า'],
    });
    item.findings.push(
      {
        code: 'months-missing',
        severity: 'fail',
        message: { th: failTh(n), en: failEn(n) },
        url: pdf,
        page: 3,
        excerpt: 'สรุปผลการจัดซื้อจัดจ้าง ประจำเดือนกุมภาพันธ์ 2564',
        fix: {
          th: 'เผยแพร่ข้อมูลให้ครบทุกเดือน ต.ค. 2563 – มี.ค. 2564',
          en: 'Publish every month Oct 2563 – Mar 2564',
        },
      },
      {
        code: 'year-old',
        severity: 'info',
        message: { th: 'พบข้อมูลของปี 2563 ด้วย', en: 'Data of B.E. 2563 was also found' },
      },
    );
  } else if (verdict === 'review') {
    item.findings.push({
      code: 'no-text',
      severity: 'review',
      message: { th: 'เอกสารเป็นภาพสแกน อ่านข้อความไม่ได้', en: 'The document is a scan with no text layer' },
      url: pdf,
      page: 1,
    });
  }
  return item;
}

const mean = (xs: number[]) => Math.round((xs.reduce((a, x) => a + x, 0) / xs.length) * 100) / 100;

function buildReport(opts: { ita?: boolean } = {}): Report {
  const items = Array.from({ length: 43 }, (_, i) => buildItem(i + 1));
  const subIndicators: Record<string, number> = {};
  const potential: Record<string, number> = {};
  for (const [, sub] of SUBS) {
    const its = items.filter((i) => i.subIndicator === sub);
    subIndicators[sub] = mean(its.map((i) => i.score ?? 0));
    potential[sub] = mean(its.map((i) => i.score ?? 100));
  }
  const ind = (subs: Record<string, number>, p: string) =>
    mean(Object.entries(subs).flatMap(([k, v]) => (k.startsWith(`${p}.`) ? [v] : [])));
  const indicators = { '9': ind(subIndicators, '9'), '10': ind(subIndicators, '10') };
  const oit = mean([indicators['9'], indicators['10']]);
  const oitPotential = mean([ind(potential, '9'), ind(potential, '10')]);
  const count = (v: string) => items.filter((i) => i.verdict === v).length;
  return ReportSchema.parse({
    schemaVersion: '1.0.0',
    tool: { name: 'ita-check', version: '0.1.0' },
    site: {
      url: `${SITE}/`,
      finalUrl: `${SITE}/`,
      hosts: ['www.example-tambon.go.th'],
      title: 'องค์การบริหารส่วนตำบลตัวอย่าง อำเภอเมือง จังหวัดเชียงใหม่',
    },
    framework: {
      id: 'ita-2564',
      name: {
        th: 'การประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ (ITA) ประจำปีงบประมาณ พ.ศ. 2564',
        en: 'Integrity and Transparency Assessment (ITA) of public agencies, fiscal year 2021 (BE 2564)',
      },
    },
    fiscalYear: 2564,
    asOf: '2021-04-30',
    startedAt: '2021-04-20T03:15:00.000Z',
    finishedAt: '2021-04-20T03:16:10.000Z',
    items,
    scores: {
      subIndicators,
      indicators,
      oit,
      oitPotential,
      grade: oit >= 85 ? 'A' : 'B',
      counts: { pass: count('pass'), fail: count('fail'), review: count('review') },
      ...(opts.ita
        ? {
            ita: {
              iit: 96.09,
              eit: 94.83,
              oit,
              total: mean([0.3 * 96.09 + 0.3 * 94.83 + 0.4 * oit]),
              grade: 'A',
            },
          }
        : {}),
    },
    crawl: {
      pages: 120,
      documents: 64,
      requests: 190,
      bytes: 12_345_678,
      durationMs: 65_000,
      errors: [{ url: `${SITE}/fileupload/missing-12.pdf`, class: 'http-4xx', message: 'HTTP 404' }],
    },
    siteFindings: [
      {
        code: 'tls-invalid',
        severity: 'review',
        message: { th: 'ใบรับรอง TLS ของเว็บไซต์หมดอายุ', en: "The site's TLS certificate has expired" },
        url: `${SITE}/`,
      },
    ],
  });
}

const SCRIPT = '<script>alert(1)</script>';
const IMG = '"><img src=x onerror=alert(1)>';
const HOSTILE = `${SCRIPT}${IMG}`;

/** Every piece of crawled text replaced by attacks on the HTML, the attributes and the URLs. */
function buildHostileReport(): Report {
  const r = buildReport();
  r.site.title = `${SCRIPT} ${IMG} </script><script>alert(2)</script>`;
  r.site.url = 'javascript:alert(1)';
  r.site.finalUrl = 'javascript:alert(1)';
  const o1 = r.items[0]!;
  o1.name = { th: `ชื่อ ${HOSTILE}`, en: `name ${HOSTILE}` };
  o1.group = { th: `หมวด ${HOSTILE}`, en: `group ${HOSTILE}` };
  o1.evidence = [
    {
      url: 'javascript:alert(1)',
      via: 'menu',
      linkText: `link ${HOSTILE}`,
      status: 200,
      contentType: `text/html${IMG}`,
      path: [SCRIPT, IMG],
    },
    {
      url: `http://evil.example/${IMG}?q=${SCRIPT}`,
      via: 'content',
      linkText: `' onmouseover='alert(1)`,
      status: null,
      contentType: null,
      path: [],
    },
    { url: ' JaVaScRiPt:alert(1)', via: 'title', linkText: '', status: 200, contentType: null, path: [] },
    { url: IMG, via: 'title', linkText: IMG, status: 200, contentType: null, path: [] },
  ];
  o1.verdict = 'fail';
  o1.score = 0;
  o1.findings = [
    {
      code: `code${IMG}`,
      severity: 'fail',
      message: { th: `ข้อความ ${HOSTILE}`, en: `message ${HOSTILE}` },
      url: 'JaVaScRiPt:alert(1)',
      page: 1,
      excerpt: `excerpt ${HOSTILE} </script><script>alert(3)</script>`,
      fix: { th: `แก้ ${HOSTILE}`, en: `fix ${HOSTILE}` },
    },
  ];
  o1.checks = [
    {
      check: `url-present${IMG}`,
      outcome: 'pass',
      satisfiedBy: [
        { url: `data:text/html,${SCRIPT}`, excerpt: HOSTILE },
        { url: `https://evil.example/"onmouseover="alert(1)`, page: 2, excerpt: IMG },
      ],
    },
  ];
  r.siteFindings = [
    {
      code: 'x',
      severity: 'fail',
      message: { th: `ไซต์ ${HOSTILE}`, en: `site ${HOSTILE}` },
      url: 'vbscript:msgbox(1)',
      excerpt: HOSTILE,
    },
  ];
  r.crawl.errors = [{ url: `javascript:alert(1)${IMG}`, class: `c${IMG}`, message: `m ${HOSTILE}` }];
  return ReportSchema.parse(r);
}

// ---------------------------------------------------------------------------------------------
// Browser harness: one Chromium per file

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];
const OUT_DIR = fileURLToPath(new URL('../../test-output/', import.meta.url));

let browser: Browser | undefined;
let dir = '';
let fileNo = 0;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ita-html-'));
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
    headless: true,
  });
});

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  browser = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface Opened {
  page: Page;
  context: BrowserContext;
  fileUrl: string;
  errors: string[];
  requests: string[];
  dialogs: string[];
}

/** Write the HTML to a file, open it (with an optional #fragment) and record errors, requests, dialogs. */
async function withReport(html: string, hash: string, fn: (o: Opened) => Promise<void>): Promise<void> {
  if (!browser) throw new Error('browser not launched');
  const file = join(dir, `report-${++fileNo}.html`);
  writeFileSync(file, html);
  const fileUrl = pathToFileURL(file).href;
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  try {
    const page = await context.newPage();
    const o: Opened = { page, context, fileUrl, errors: [], requests: [], dialogs: [] };
    page.on('console', (m) => {
      if (m.type() === 'error') o.errors.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => o.errors.push(`pageerror: ${String(e)}`));
    page.on('dialog', (d) => {
      o.dialogs.push(d.message());
      void d.dismiss().catch(() => undefined);
    });
    context.on('request', (r) => o.requests.push(r.url()));
    await page.goto(fileUrl + hash, { waitUntil: 'load' });
    await fn(o);
    // Nothing but the file itself, and nothing went wrong while the test drove the page.
    expect(o.requests.map((u) => u.replace(/#.*$/, '')).filter((u) => u !== fileUrl)).toEqual([]);
    expect(o.errors).toEqual([]);
    expect(o.dialogs).toEqual([]);
  } finally {
    await context.close().catch(() => undefined);
  }
}

const visibleItems = (page: Page) => page.locator('details.item:visible');
/** The rendered (visible) text, which is what the language switch and the filter change. */
// biome-ignore lint/performance/useDomNodeTextContent: Playwright's Locator.innerText, rendered text on purpose
const shown = (l: Locator) => l.innerText();

// ---------------------------------------------------------------------------------------------

describe('renderHtml (static output)', () => {
  it('builds reports that satisfy the JSON schema', () => {
    expect(buildReport().items).toHaveLength(43);
    expect(buildReport({ ita: true }).scores.ita).toBeDefined();
    expect(buildHostileReport().items).toHaveLength(43);
  });

  // Parsed as a browser would (parse5 through cheerio): attributes, not text that looks like them.
  function elements(html: string) {
    const $ = load(html);
    const attrs = $('*')
      .toArray()
      .flatMap((el) => Object.entries($(el).attr() ?? {}).map(([name, value]) => ({ name, value })));
    return { $, attrs };
  }

  it('loads nothing from the network: no http src, no stylesheet link, no @import or url()', () => {
    for (const html of [renderHtml(buildReport()), renderHtml(buildHostileReport(), { lang: 'en' })]) {
      const { $, attrs } = elements(html);
      expect(attrs.filter((a) => a.name === 'src')).toEqual([]);
      expect(/\ssrc\s*=\s*["']?\s*(https?:)?\/\//i.test(html), 'src= with an http URL').toBe(false);
      expect($('link[rel~="stylesheet"], link[rel~="preload"], link[rel~="prefetch"]').length).toBe(0);
      expect(
        $('link')
          .toArray()
          .map((l) => $(l).attr('href')),
      ).toEqual(['data:,']);
      expect($('img, iframe, object, embed, video, audio, source').length).toBe(0);
      const css = $('style').text();
      expect(/@import|url\(/i.test(css), '@import or url() in CSS').toBe(false);
      expect($('meta[http-equiv="Content-Security-Policy"]').attr('content')).toMatch(
        /^default-src 'none'; style-src 'sha256-[^']+'; script-src 'sha256-[^']+'; img-src data:/,
      );
      // Every href is an http(s) link, an in-page anchor, or the empty data: favicon.
      const hrefs = attrs.filter((a) => a.name === 'href').map((a) => a.value);
      expect(hrefs.length).toBeGreaterThan(43);
      expect(hrefs.filter((h) => !/^(https?:\/\/|#|data:,$)/.test(h))).toEqual([]);
    }
  });

  it('escapes hostile text: one script element, no injected tags or attributes', () => {
    const html = renderHtml(buildHostileReport());
    const { $, attrs } = elements(html);
    expect($('script').length).toBe(1);
    expect(html.match(/<\/script/gi)).toHaveLength(1);
    expect($('img').length).toBe(0);
    expect(attrs.filter((a) => /^on/i.test(a.name))).toEqual([]);
    expect(attrs.filter((a) => /^\s*(javascript|data:text|vbscript)/i.test(a.value))).toEqual([]);
    expect($('h1').text()).toBe(`${SCRIPT} ${IMG} </script><script>alert(2)</script>`);
    expect(
      html.includes('&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(1)&gt;'),
    ).toBe(true);
  });

  it("names sub-indicators and indicators from the report's framework, or the 2564 names for older files", () => {
    const older = buildReport();
    expect(older.framework.subIndicators).toBeUndefined();
    const $old = load(renderHtml(older));
    expect($old('#sub-9-1-h').text()).toContain('ข้อมูลพื้นฐาน');
    // A framework of another year, whose 9.1 has another name: the report says so, the page follows.
    const other: Report = {
      ...older,
      framework: {
        ...older.framework,
        indicators: [
          { id: '9', name: { th: 'ตัวชี้วัดเก้า', en: 'Indicator nine' } },
          { id: '10', name: { th: 'ตัวชี้วัดสิบ', en: 'Indicator ten' } },
        ],
        subIndicators: [{ id: '9.1', indicator: '9', name: { th: 'ข้อมูลองค์กร', en: 'Organisation data' } }],
      },
    };
    const $ = load(renderHtml(ReportSchema.parse(other)));
    expect($('#sub-9-1-h').text()).toContain('ข้อมูลองค์กร');
    expect($('#sub-9-1-h').text()).not.toContain('ข้อมูลพื้นฐาน');
    expect($('#summary').text()).toContain('ตัวชี้วัดเก้า');
  });

  it('defaults to Thai and honours lang: en', () => {
    expect(renderHtml(buildReport()).includes('<html lang="th"')).toBe(true);
    expect(renderHtml(buildReport(), { lang: 'en' }).includes('<html lang="en"')).toBe(true);
  });
});

describe('renderHtml in Chromium', () => {
  it('renders the summary and the 43 items with no errors and no requests', async () => {
    await withReport(renderHtml(buildReport({ ita: true })), '', async ({ page }) => {
      expect(await page.getAttribute('html', 'lang')).toBe('th');
      expect(await page.locator('details.item').count()).toBe(43);
      expect(await visibleItems(page).count()).toBe(43);
      for (let n = 1; n <= 43; n++) expect(await page.locator(`#O${n}`).count()).toBe(1);
      expect(await shown(page.locator('h1'))).toContain('องค์การบริหารส่วนตำบลตัวอย่าง');
      expect(await page.locator('main').count()).toBe(1);
      expect(await page.locator('h2').count()).toBeGreaterThanOrEqual(4);
      expect(await page.locator('h3').count()).toBeGreaterThanOrEqual(7);
      // Chart: seven bars and the dashed 85 line; verdicts carry an icon and a word.
      expect(await page.locator('svg.chart rect').count()).toBe(7);
      expect(await page.locator('svg.chart line[stroke-dasharray]').count()).toBe(1);
      const summary = await shown(page.locator('#summary'));
      expect(summary).toContain('คะแนน OIT');
      expect(summary).toContain('ไม่ผ่าน');
      expect(summary).toContain('คะแนน ITA รวม');
      expect(await shown(page.locator('#O12 > summary .badge'))).toMatch(/✗\s*ไม่ผ่าน/);
      expect(await shown(page.locator('#O20 > summary .badge'))).toMatch(/\?\s*ต้องตรวจสอบ/);
      // Site findings and crawl figures at the end.
      expect(await shown(page.locator('#site-findings'))).toContain('ใบรับรอง TLS');
      const crawl = await shown(page.locator('#crawl'));
      for (const n of ['120', '64', '190', '12.3 MB', '65.0']) expect(crawl).toContain(n);
      // Nothing opened before asked.
      expect(await page.locator('details.item[open]').count()).toBe(0);
    });
  });

  it('opens and scrolls to the item of a deep link (#O15); screenshot', async () => {
    await withReport(renderHtml(buildReport()), '#O15', async ({ page }) => {
      const o15 = page.locator('#O15');
      await expect.poll(() => o15.evaluate((el) => (el as HTMLDetailsElement).open)).toBe(true);
      const box = await o15.evaluate((el) => {
        const r = el.getBoundingClientRect();
        return { top: r.top, h: window.innerHeight };
      });
      expect(box.top).toBeGreaterThanOrEqual(-1);
      expect(box.top).toBeLessThan(box.h / 2);
      expect(await page.locator('#O12').evaluate((el) => (el as HTMLDetailsElement).open)).toBe(false);
      // Its finding, page, excerpt, fix and evidence are shown.
      const body = o15.locator('.ibody');
      await expect.poll(() => body.isVisible()).toBe(true);
      const text = await shown(body);
      expect(text).toContain(failTh(15));
      expect(text).toContain('หน้า 3');
      expect(text).toContain('สรุปผลการจัดซื้อจัดจ้าง ประจำเดือนกุมภาพันธ์ 2564');
      expect(text).toContain('เผยแพร่ข้อมูลให้ครบทุกเดือน');
      expect(text).toContain('หน้าแรก › ITA › O15 › ดาวน์โหลด');
      expect(text).toContain('หน้ารวมข้อมูล ITA ของหน่วยงาน');
      expect(text).toContain('404');
      expect(await o15.locator(`a[href="${SITE}/ita.php?item=15"]`).count()).toBeGreaterThan(0);
      // An in-page link to another item opens it too.
      await page.locator('a.chip[href="#O22"]').click();
      await expect
        .poll(() => page.locator('#O22').evaluate((el) => (el as HTMLDetailsElement).open))
        .toBe(true);
      await page.goto(`${page.url().replace(/#.*$/, '')}#O15`);
      mkdirSync(OUT_DIR, { recursive: true });
      await page.screenshot({ path: join(OUT_DIR, 'report.png'), fullPage: true });
    });
  });

  it('filters to failing items, review items, both, and back to all', async () => {
    await withReport(renderHtml(buildReport()), '', async ({ page }) => {
      await page.getByRole('radio', { name: 'ไม่ผ่าน (4)', exact: true }).click();
      await expect.poll(() => visibleItems(page).count()).toBe(4);
      const ids = await visibleItems(page).evaluateAll((els) => els.map((e) => e.id));
      expect(ids).toEqual(['O12', 'O15', 'O22', 'O36']);
      expect(await shown(page.locator('#shown-count'))).toBe('4');
      // Headings of sub-indicators without a failing item are hidden with them (9.1 has none).
      expect(await page.locator('#sub-9-1').isVisible()).toBe(false);
      await page.getByRole('radio', { name: 'ต้องตรวจสอบ (2)', exact: true }).check();
      await expect.poll(() => visibleItems(page).count()).toBe(2);
      await page.getByRole('radio', { name: 'ไม่ผ่านและต้องตรวจสอบ (6)', exact: true }).check();
      await expect.poll(() => visibleItems(page).count()).toBe(6);
      await page.getByRole('radio', { name: 'ทั้งหมด (43)', exact: true }).check();
      await expect.poll(() => visibleItems(page).count()).toBe(43);
      // Keyboard: a summary takes focus and Enter opens it.
      await page.locator('#O3 > summary').focus();
      await page.keyboard.press('Enter');
      expect(await page.locator('#O3').evaluate((el) => (el as HTMLDetailsElement).open)).toBe(true);
      // A deep link to an item the filter hides resets the filter.
      await page.getByRole('radio', { name: 'ไม่ผ่าน (4)', exact: true }).check();
      await page.evaluate(() => {
        location.hash = '#O1';
      });
      await expect.poll(() => page.locator('#O1').isVisible()).toBe(true);
      expect(await page.getByRole('radio', { name: 'ทั้งหมด (43)', exact: true }).isChecked()).toBe(true);
    });
  });

  it('switches labels, messages, the title and <html lang> between Thai and English', async () => {
    await withReport(renderHtml(buildReport()), '', async ({ page }) => {
      const thMsg = page.locator('#O15 > summary .reason').getByText(failTh(15));
      const enMsg = page.locator('#O15 > summary .reason').getByText(failEn(15));
      expect(await page.getByRole('heading', { name: 'ผลรายข้อ' }).isVisible()).toBe(true);
      expect(await thMsg.isVisible()).toBe(true);
      expect(await enMsg.isVisible()).toBe(false);
      expect(await page.title()).toMatch(/^รายงาน/);

      await page.getByRole('button', { name: 'English' }).click();
      expect(await page.getAttribute('html', 'lang')).toBe('en');
      expect(await page.getByRole('heading', { name: 'Item results' }).isVisible()).toBe(true);
      expect(await page.getByRole('heading', { name: 'ผลรายข้อ' }).count()).toBe(0);
      expect(await thMsg.isVisible()).toBe(false);
      expect(await enMsg.isVisible()).toBe(true);
      expect(await shown(page.locator('#O15 > summary .iname'))).toBe('Information item 15');
      expect(await page.title()).toMatch(/^ITA \(OIT\) report/);
      expect(await page.getByRole('button', { name: 'English' }).getAttribute('aria-pressed')).toBe('true');
      // Filter labels follow the language.
      await page.getByRole('radio', { name: 'Failing (4)', exact: true }).check();
      await expect.poll(() => visibleItems(page).count()).toBe(4);

      await page.getByRole('button', { name: 'ไทย' }).click();
      expect(await page.getAttribute('html', 'lang')).toBe('th');
      expect(await thMsg.isVisible()).toBe(true);
    });
  });

  it('keeps text contrast at 4.5:1 or more, in both languages', async () => {
    await withReport(renderHtml(buildReport()), '#O15', async ({ page }) => {
      const selectors = [
        'body',
        'h1',
        '.kicker',
        '.meta dt',
        '.meta dd',
        'header.top button',
        '.stat .k',
        '.stat .n',
        '.badge.v-pass',
        '.badge.v-fail',
        '.badge.v-review',
        '.sev.v-info',
        'a.chip.v-pass',
        'a.chip.v-fail',
        'a.chip.v-review',
        'h4',
        '.reason',
        '.where',
        '.fcode',
        '.excerpt',
        '.fix',
        'a.url',
        'a.lt',
        'code.url',
        '.ctype',
        '.status',
        'fieldset.filter label',
        'figcaption',
        'thead th',
        '.none',
        'footer',
      ];
      for (const lang of ['ไทย', 'English']) {
        await page.getByRole('button', { name: lang }).click();
        const low = await page.evaluate((sels) => {
          const rgb = (c: string) => (c.match(/[\d.]+/g) ?? []).map(Number);
          const lum = ([r = 0, g = 0, b = 0]: number[]) => {
            const f = (v: number) => {
              const x = v / 255;
              return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4;
            };
            return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
          };
          const bg = (el: Element | null): number[] => {
            for (let e = el; e; e = e.parentElement) {
              const c = rgb(getComputedStyle(e).backgroundColor);
              if (c.length === 3 || (c[3] ?? 0) > 0) return c.slice(0, 3);
            }
            return [255, 255, 255];
          };
          const out: string[] = [];
          for (const sel of sels) {
            const el = [...document.querySelectorAll(sel)].find((e) => e.getClientRects().length > 0);
            if (!el) {
              out.push(`${sel}: not rendered`);
              continue;
            }
            const [a, b] = [lum(rgb(getComputedStyle(el).color)), lum(bg(el))];
            const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
            if (ratio < 4.5) out.push(`${sel}: ${ratio.toFixed(2)}`);
          }
          return out;
        }, selectors);
        expect(low).toEqual([]);
      }
    });
  });

  it('prints everything expanded and without controls', async () => {
    await withReport(renderHtml(buildReport()), '', async ({ page }) => {
      await page.emulateMedia({ media: 'print' });
      expect(await page.locator('#O1 .ibody').isVisible()).toBe(true);
      expect(await page.locator('#O43 .ibody').isVisible()).toBe(true);
      expect(await page.locator('fieldset.filter').isVisible()).toBe(false);
      expect(await page.locator('button[data-lang]').first().isVisible()).toBe(false);
    });
  });

  it('shows hostile crawled text as text and runs none of it', async () => {
    await withReport(renderHtml(buildHostileReport()), '#O1', async ({ page, dialogs }) => {
      await page.getByRole('button', { name: 'ขยายทั้งหมด' }).click();
      // Hover and focus the links built from hostile data; any injected handler would fire a dialog.
      for (const a of await page.locator('#O1 a').all()) await a.hover();
      await page.getByRole('button', { name: 'English' }).click();
      await page.waitForTimeout(200);
      expect(dialogs).toEqual([]);
      expect(await page.locator('img').count()).toBe(0);
      expect(await page.locator('img[src="x"]').count()).toBe(0);
      expect(await page.locator('script').count()).toBe(1);
      expect(await page.locator('[onerror], [onmouseover]').count()).toBe(0);
      // The attack strings are visible as text.
      expect(await shown(page.locator('h1'))).toBe(
        `${SCRIPT} ${IMG} </script><script>alert(2)</script>`.replace(/\s+/g, ' '),
      );
      const o1 = await shown(page.locator('#O1'));
      expect(o1).toContain(`message ${SCRIPT}${IMG}`);
      expect(o1).toContain(`excerpt ${SCRIPT}${IMG}`);
      expect(o1).toContain(`link ${SCRIPT}${IMG}`);
      expect(await page.getByText(SCRIPT).first().isVisible()).toBe(true);
      expect(await page.getByText(IMG).first().isVisible()).toBe(true);
      // Non-http URLs are shown, never linked.
      const hrefs = await page
        .locator('a[href]')
        .evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
      for (const h of hrefs) expect(h).toMatch(/^(https?:\/\/|#)/);
      expect(o1).toContain('javascript:alert(1)');
      expect(await page.locator('code.url', { hasText: 'javascript:alert(1)' }).first().isVisible()).toBe(
        true,
      );
      expect(await shown(page.locator('#site-findings'))).toContain('vbscript:msgbox(1)');
      // The http URL with quotes stays one attribute: percent-encoded in href.
      expect(await page.locator('a[href^="http://evil.example/"]').count()).toBeGreaterThan(0);
      await page.locator('#crawl details.more > summary').click();
      expect(await shown(page.locator('#crawl'))).toContain(`m ${SCRIPT}${IMG}`);
    });
  });
});
