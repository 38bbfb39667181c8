import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../fixtures/lib/server.js';
import { jsMenuSite, staticTwinSite } from '../../fixtures/sites/js-menu.js';
import { crawlSite } from '../../src/crawl/crawler.js';
import { fetchResource } from '../../src/crawl/fetcher.js';
import { parseHtml, viewerTargets } from '../../src/crawl/links.js';
import {
  createRenderer,
  jsSignals,
  type RenderedResource,
  RenderUnavailableError,
  shouldRender,
  staticSuspicion,
} from '../../src/crawl/render.js';
import { isOnSite } from '../../src/crawl/scope.js';
import { decodedPath } from '../../src/crawl/url.js';
import type { CrawlResult, Link, Resource } from '../../src/types.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const BOGUS = '/nonexistent/chromium-for-test';
const BASE = 'http://x.go.th/ita/index.php';

const byUrl = (links: Link[], url: string): Link[] => links.filter((l) => l.url === url);

describe('document viewers yield the document as a link (parseHtml)', () => {
  it('FlowPaper (hosted and self-hosted), Google Docs viewer, pdf.js, Google Drive', () => {
    const page = parseHtml(
      `<html><body><main>
        <iframe src="https://flowpaper.com/flipbook/?pdf=https://x.go.th/wp-content/uploads/2023/10/Scan2023-10-16_105945.pdf" title="ผลการประเมิน"></iframe>
        <a href="/flowpaper/index.html?pdf=/files/a.pdf">แผน</a>
        <a href="/plugins/flowpaper/viewer.php?file=docs/b.pdf">คู่มือ</a>
        <a href="/flipbook/?doc=https%3A%2F%2Fx.go.th%2Ffiles%2Fc.pdf">งบ</a>
        <iframe src="https://docs.google.com/viewer?url=https%3A%2F%2Fx.go.th%2Ffiles%2Fd.pdf&embedded=true"></iframe>
        <a href="https://docs.google.com/gview?url=http://x.go.th/files/e.pdf">gview</a>
        <iframe src="/pdfjs/web/viewer.html?file=%2Fuploads%2F%E0%B8%9B%E0%B8%A3%E0%B8%B0%E0%B8%81%E0%B8%B2%E0%B8%A8.pdf" title="ประกาศ"></iframe>
        <iframe src="https://drive.google.com/file/d/1AbCdEfGhIjKlMnOpQrSt/preview" title="O10"></iframe>
        <a href="https://drive.google.com/file/d/1ZyXwVuTsRqPoNmLkJiHg/view?usp=sharing">O11</a>
      </main></body></html>`,
      BASE,
    );
    const expectLink = (url: string, source: string, text: string): void => {
      const found = byUrl(page.links, url);
      expect(found, url).toHaveLength(1);
      expect(found[0]).toMatchObject({ source, text });
    };
    expectLink(
      'https://x.go.th/wp-content/uploads/2023/10/Scan2023-10-16_105945.pdf',
      'iframe',
      'ผลการประเมิน',
    );
    expectLink('http://x.go.th/files/a.pdf', 'a', 'แผน');
    expectLink('http://x.go.th/plugins/flowpaper/docs/b.pdf', 'a', 'คู่มือ');
    expectLink('https://x.go.th/files/c.pdf', 'a', 'งบ');
    expectLink('https://x.go.th/files/d.pdf', 'iframe', '');
    expectLink('http://x.go.th/files/e.pdf', 'a', 'gview');
    expectLink(
      'http://x.go.th/uploads/%E0%B8%9B%E0%B8%A3%E0%B8%B0%E0%B8%81%E0%B8%B2%E0%B8%A8.pdf',
      'iframe',
      'ประกาศ',
    );
    expectLink('https://drive.google.com/uc?export=download&id=1AbCdEfGhIjKlMnOpQrSt', 'iframe', 'O10');
    expectLink('https://drive.google.com/uc?export=download&id=1ZyXwVuTsRqPoNmLkJiHg', 'a', 'O11');
    // The viewers themselves stay links too.
    expect(byUrl(page.links, 'http://x.go.th/flowpaper/index.html?pdf=/files/a.pdf')).toHaveLength(1);
    // The document link keeps the viewer link's context and content flag.
    expect(byUrl(page.links, 'http://x.go.th/files/a.pdf')[0]).toMatchObject({
      inContent: true,
      inMenu: false,
    });
  });

  it('leaves download endpoints and ordinary query links alone', () => {
    expect(viewerTargets('http://x.go.th/download.php?file=abc.pdf')).toEqual([]);
    expect(viewerTargets('http://x.go.th/index.php?doc=12')).toEqual([]);
    expect(viewerTargets('http://x.go.th/news.php?pdf=report.pdf')).toEqual([]);
    expect(viewerTargets('https://docs.google.com/viewer?url=files/relative.pdf')).toEqual([]);
    expect(viewerTargets('https://flowpaper.com/flipbook/')).toEqual([]);
    expect(viewerTargets('https://drive.google.com/drive/folders/1AbCdEfGhIjKlMnOpQrSt')).toEqual([]);
    expect(viewerTargets('http://x.go.th/show.php?pdf=/files/a.pdf')).toEqual(['http://x.go.th/files/a.pdf']);
  });
});

function resource(partial: Partial<Resource>): Resource {
  return {
    url: 'http://x.go.th/',
    finalUrl: 'http://x.go.th/',
    redirects: [],
    status: 200,
    servedType: 'text/html',
    kind: 'html',
    bytes: 1000,
    depth: 0,
    fetchedAt: new Date().toISOString(),
    ...partial,
  };
}

describe('auto heuristic', () => {
  const many = Array.from({ length: 40 }, (_, i) => ({
    url: `http://x.go.th/p${i}`,
    text: `p${i}`,
    source: 'a' as const,
  }));
  it('step 1: few links or little text is suspicious, little main text is thin, a full page is neither', () => {
    expect(
      staticSuspicion(
        resource({ links: many.slice(0, 3), fullText: 'x'.repeat(2000), mainText: 'x'.repeat(900) }),
      ),
    ).toBe('suspicious');
    expect(
      staticSuspicion(resource({ links: many, fullText: 'x'.repeat(300), mainText: 'x'.repeat(300) })),
    ).toBe('suspicious');
    expect(
      staticSuspicion(resource({ links: many, fullText: 'x'.repeat(2000), mainText: 'x'.repeat(100) })),
    ).toBe('thin');
    expect(
      staticSuspicion(resource({ links: many, fullText: 'x'.repeat(2000), mainText: 'x'.repeat(900) })),
    ).toBeNull();
  });

  it('step 2: script signals', () => {
    const url = 'http://x.go.th/';
    expect(
      jsSignals('<div id="__next"></div><script src="/_next/static/x.js"></script>', url).strong,
    ).toEqual(expect.arrayContaining(['empty-app-root', 'framework']));
    expect(
      jsSignals('<noscript>You need to enable JavaScript to run this app.</noscript><script></script>', url)
        .strong,
    ).toContain('noscript');
    expect(
      jsSignals(
        '<ul id="menu"><li><a href="javascript:void(0)" onclick="javascript:void(0)">ข้อมูล</a></li></ul><script>x()</script>',
        url,
      ).strong,
    ).toContain('menu-without-links');
    expect(jsSignals("<script>fetch('/api/news.json')</script>", url).strong).toContain('loads-data');
    expect(jsSignals("<script>el.innerHTML = '<a href=/a>a</a>'</script>", url).weak).toContain('builds-dom');
    // Trackers only (Google Analytics, a Facebook pixel in <noscript>): no signal.
    const trackers = jsSignals(
      `<nav><a href="/about">about</a></nav>
       <script>(function(i,s,o,g,r,a,m){a=s.createElement(o);m=s.getElementsByTagName(o)[0];m.parentNode.insertBefore(a,m)})(window,document,'script','https://www.google-analytics.com/analytics.js','ga');</script>
       <noscript><img src="https://www.facebook.com/tr?id=1&ev=PageView"></noscript>`,
      url,
    );
    expect(trackers.strong).toEqual([]);
    expect(trackers.weak).toEqual([]);
    expect(shouldRender('suspicious', { scripts: 1, strong: [], weak: ['builds-dom'] })).toBe(true);
    expect(shouldRender('thin', { scripts: 1, strong: [], weak: ['builds-dom'] })).toBe(false);
    expect(shouldRender('thin', { scripts: 1, strong: ['loads-data'], weak: [] })).toBe(true);
    expect(shouldRender('suspicious', { scripts: 0, strong: [], weak: [] })).toBe(false);
    expect(shouldRender(null, { scripts: 3, strong: ['framework'], weak: [] })).toBe(false);
  });
});

describe('script signals read by the fetcher', () => {
  it('are kept on pages that may need a browser, and only on those', async () => {
    const full = `<nav>${Array.from({ length: 30 }, (_, i) => `<a href="/p${i}">หน้า ${i}</a>`).join('')}</nav>
      <main>${'เนื้อหาของหน้า '.repeat(80)}</main><script>el.innerHTML = 'x'</script>`;
    const server = await startServer(
      new Map([
        ['/', { body: '<div id="app"></div><script src="/app.js"></script>', type: 'text/html' }],
        ['/full', { body: full, type: 'text/html' }],
      ]),
    );
    try {
      const app = await fetchResource(`${server.url}/`);
      expect(app.scriptSignals?.strong).toContain('empty-app-root');
      expect(app.scriptSignals?.weak).toContain('site-script');
      const page = await fetchResource(`${server.url}/full`);
      expect(staticSuspicion(page)).toBeNull();
      expect(page.scriptSignals).toBeUndefined();
    } finally {
      await server.close();
    }
  });
});

describe('modes without a browser', () => {
  const page = resource({ links: [], fullText: '', mainText: '' });

  it("'never' never launches and keeps every page static", async () => {
    const r = await createRenderer({ mode: 'never' });
    expect(await r.renderPage(page)).toBeNull();
    expect(await r.screenshot('http://x.go.th/', join(tmpdir(), 'never.png'))).toBe(false);
    expect(r.stats.rendered).toBe(0);
    expect(r.stats.checked).toBe(0);
    expect(r.userDataDir).toBeUndefined();
    expect(r.running).toBe(false);
    await r.close();
  });

  it("'always' without Chromium throws RenderUnavailableError", async () => {
    await expect(createRenderer({ mode: 'always', browserPath: BOGUS })).rejects.toThrow(
      RenderUnavailableError,
    );
    await expect(createRenderer({ mode: 'always', browserPath: BOGUS })).rejects.toThrow(
      `Chromium not found at ${BOGUS}`,
    );
  });

  it("'auto' without Chromium warns once and keeps pages static", async () => {
    const warnings: string[] = [];
    const r = await createRenderer({ mode: 'auto', browserPath: BOGUS, onWarning: (m) => warnings.push(m) });
    expect(await r.renderPage(page)).toBeNull();
    expect(await r.renderPage(page)).toBeNull();
    expect(warnings).toEqual([
      `Chromium not found at ${BOGUS}: pages are read without JavaScript; install Debian's chromium or pass --browser-path`,
    ]);
    expect(r.stats.skipped).toBe(2);
    expect(r.userDataDir).toBeUndefined();
    await r.close();
  });
});

/** On-site paths (decoded) of every resource a crawl reached. */
function sitePaths(result: CrawlResult): string[] {
  return [...result.resources.keys()]
    .filter((u) => isOnSite(u, result.siteHosts))
    .map((u) => decodedPath(u))
    .sort();
}

function chromiumProcesses(dir: string): number {
  const out = spawnSync('pgrep', ['-f', `user-data-dir=${dir}`], { encoding: 'utf8' });
  return out.stdout.split('\n').filter((l) => l.trim() !== '').length;
}

describe('rendering in Chromium', () => {
  let jsServer: TestServer;
  let staticServer: TestServer;
  let outDir: string;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM))
      throw new Error(`this test needs ${CHROMIUM}: apt-get install chromium (.ci/run installs it)`);
    jsServer = await startServer(jsMenuSite());
    staticServer = await startServer(staticTwinSite());
    outDir = mkdtempSync(join(tmpdir(), 'render-test-'));
  });
  afterAll(async () => {
    await jsServer?.close();
    await staticServer?.close();
    if (outDir) rmSync(outDir, { recursive: true, force: true });
  });

  it('auto: the JS twin crawled through Chromium reaches the static twin’s URLs', async () => {
    const r = await createRenderer({ mode: 'auto' });
    try {
      const plainJs = await crawlSite(`${jsServer.url}/`, {});
      const rendered = await crawlSite(`${jsServer.url}/`, { renderPage: r.renderPage });
      const plainStatic = await crawlSite(`${staticServer.url}/`, {});
      const expected = sitePaths(plainStatic);
      expect(expected.length).toBeGreaterThanOrEqual(20);
      expect(sitePaths(rendered)).toEqual(expected);
      // Without rendering the JS twin is a dead end: the homepage and nothing else.
      expect(sitePaths(plainJs).length).toBeLessThan(3);
      // Content built by scripts is in the rendered resources.
      const ita = rendered.resources.get(`${jsServer.url}/ita/`) as RenderedResource;
      expect(ita.rendered).toBe(true);
      const o1 = ita.links!.find((l) => l.url.endsWith('/files/structure-2564.pdf'));
      expect(o1?.context).toContain('O1');
      const home = rendered.resources.get(`${jsServer.url}/`) as RenderedResource;
      expect(home.links!.some((l) => l.url === `${jsServer.url}/news/4/`)).toBe(true);
      expect(home.links!.find((l) => l.url === `${jsServer.url}/about/`)?.inMenu).toBe(true);
      const execs = rendered.resources.get(`${jsServer.url}/about/executives/`)!;
      expect(execs.mainText).toContain('นายสมชาย ใจดี');
      // Every JS page rendered once; the FlowPaper viewer page (no script) was not.
      expect(r.stats.rendered).toBe(16);
      expect(r.stats.failed).toBe(0);
      // The fetcher read each page's script signals as it parsed it: no page was fetched a second time.
      expect(r.stats.checked).toBe(0);
      expect(home.scriptSignals?.scripts).toBeGreaterThan(0);
      const ms = Math.round(r.stats.ms / r.stats.rendered);
      process.stderr.write(
        `[render] js twin: ${r.stats.rendered} pages rendered, ${r.stats.checked} checked, ${ms} ms per rendered page, ${r.stats.blocked} requests blocked\n`,
      );
    } finally {
      await r.close();
    }
  });

  it('auto renders no page of the static twin; always renders them all', async () => {
    const auto = await createRenderer({ mode: 'auto' });
    const always = await createRenderer({ mode: 'always' });
    try {
      const a1 = await crawlSite(`${staticServer.url}/`, { renderPage: auto.renderPage });
      expect(auto.stats.rendered).toBe(0);
      expect(auto.running).toBe(false);
      const a2 = await crawlSite(`${staticServer.url}/`, { renderPage: always.renderPage });
      expect(always.stats.rendered).toBe(a2.stats.pages);
      expect(sitePaths(a2)).toEqual(sitePaths(a1));
      process.stderr.write(
        `[render] static twin always: ${always.stats.rendered} pages, ${Math.round(always.stats.ms / always.stats.rendered)} ms per page; auto checked ${auto.stats.checked}\n`,
      );
    } finally {
      await auto.close();
      await always.close();
    }
  });

  it('never requests another host, dismisses dialogs and finishes quickly', async () => {
    const other = await startServer(
      new Map([['/x.js', { body: 'window.X = 1;', type: 'application/javascript' }]]),
    );
    const otherUrl = other.url.replace('127.0.0.1', 'localhost');
    const site = await startServer(jsMenuSite({ externalScript: `${otherUrl}/x.js` }));
    const r = await createRenderer({ mode: 'always', timeoutMs: 15_000 });
    try {
      const t0 = Date.now();
      const home = await crawlSite(`${site.url}/`, {
        maxPages: 1,
        renderPage: r.renderPage,
        useSitemaps: false,
      });
      const budget = await crawlSite(`${site.url}/docs/budget/`, {
        maxPages: 1,
        maxDepth: 0,
        renderPage: r.renderPage,
        useSitemaps: false,
      });
      const contact = await crawlSite(`${site.url}/contact/`, {
        maxPages: 1,
        maxDepth: 0,
        renderPage: r.renderPage,
        useSitemaps: false,
      });
      const elapsed = Date.now() - t0;
      expect((home.resources.get(`${site.url}/`) as RenderedResource).rendered).toBe(true);
      expect((budget.resources.get(`${site.url}/docs/budget/`) as RenderedResource).rendered).toBe(true);
      expect((contact.resources.get(`${site.url}/contact/`) as RenderedResource).rendered).toBe(true);
      expect(other.stats.requests).toBe(0);
      expect(r.stats.blocked).toBeGreaterThanOrEqual(2); // the script and the Google Drive iframe
      // The site's own server saw only its own paths; images were not fetched.
      expect(site.stats.log.some((l) => l.path.includes('x.js'))).toBe(false);
      expect(elapsed).toBeLessThan(12_000);
      // Links of the rendered budget page still name the Drive document.
      const links = budget.resources.get(`${site.url}/docs/budget/`)!.links!;
      expect(links.some((l) => l.url.startsWith('https://drive.google.com/uc?export=download&id='))).toBe(
        true,
      );
      expect(links.some((l) => l.url === `${site.url}/files/budget-2564.pdf`)).toBe(true);
    } finally {
      await r.close();
      await site.close();
      await other.close();
    }
  });

  it('the example.invalid script of the fixture is blocked and rendering stays fast', async () => {
    const r = await createRenderer({ mode: 'auto' });
    try {
      const t0 = Date.now();
      await crawlSite(`${jsServer.url}/`, { maxPages: 1, renderPage: r.renderPage, useSitemaps: false });
      expect(r.stats.rendered).toBe(1);
      expect(r.stats.blocked).toBeGreaterThanOrEqual(1);
      expect(Date.now() - t0).toBeLessThan(10_000);
    } finally {
      await r.close();
    }
  });

  it('screenshot writes a full-page PNG', async () => {
    const r = await createRenderer({ mode: 'auto', screenshotsDir: outDir });
    try {
      expect(await r.screenshot(`${jsServer.url}/ita/`, 'shots/ita.png')).toBe(true);
      const png = readFileSync(join(outDir, 'shots', 'ita.png'));
      expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      const height = png.readUInt32BE(20);
      expect(height).toBeGreaterThan(400);
      expect(await r.screenshot('http://127.0.0.1:1/nothing', 'shots/none.png')).toBe(false);
    } finally {
      await r.close();
    }
  });

  it('close() leaves no Chromium process and no profile folder; twice is fine', async () => {
    const r = await createRenderer({ mode: 'always' });
    const res = await crawlSite(`${jsServer.url}/ita/`, {
      maxPages: 1,
      maxDepth: 0,
      renderPage: r.renderPage,
    });
    expect((res.resources.get(`${jsServer.url}/ita/`) as RenderedResource).rendered).toBe(true);
    const dir = r.userDataDir!;
    expect(dir).toBeTruthy();
    expect(r.running).toBe(true);
    expect(chromiumProcesses(dir)).toBeGreaterThan(0);
    await r.close();
    await r.close();
    expect(r.running).toBe(false);
    expect(chromiumProcesses(dir)).toBe(0);
    expect(existsSync(dir)).toBe(false);
    expect(await r.renderPage(res.resources.get(`${jsServer.url}/ita/`)!)).toBeNull();
  });

  it('thasala sample site: auto renders (nearly) nothing', async () => {
    const root = '/work/shared/sample-sites/thasala';
    if (!existsSync(root)) return;
    const server = await startServer(root);
    const r = await createRenderer({ mode: 'auto' });
    try {
      const result = await crawlSite(`${server.url}/`, { renderPage: r.renderPage });
      expect(result.stats.pages).toBeGreaterThanOrEqual(90);
      expect(r.stats.rendered).toBeLessThanOrEqual(1);
      process.stderr.write(
        `[render] thasala auto: ${r.stats.rendered} of ${result.stats.pages} pages rendered, ${r.stats.checked} re-fetched for the heuristic\n`,
      );
    } finally {
      await r.close();
      await server.close();
    }
  });
});
