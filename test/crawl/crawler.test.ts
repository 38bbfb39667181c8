import { describe, expect, it } from 'vitest';
import { type ServedFile, startServer, type TestServer } from '../../fixtures/lib/server.js';
import { type CrawlOptions, crawlSite, findResource, trapReason } from '../../src/crawl/index.js';
import type { CrawlResult } from '../../src/types.js';

const PDF = new TextEncoder().encode('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
const page = (body: string, title = 'หน้า') =>
  `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${title}</title></head><body>${body}</body></html>`;
const links = (...paths: string[]) => paths.map((p) => `<a href="${p}">${p}</a>`).join(' ');

type Site = Record<string, string | ServedFile>;

async function crawl(site: Site, opts: CrawlOptions = {}, latencyMs = 0) {
  const files = new Map<string, ServedFile>();
  for (const [path, f] of Object.entries(site)) files.set(path, typeof f === 'string' ? { body: f } : f);
  const server = await startServer(files, { latencyMs });
  try {
    const result = await crawlSite(`${server.url}/`, { timeoutMs: 5000, ...opts });
    return { server, result, requested: requestedPaths(server), u: (p: string) => `${server.url}${p}` };
  } finally {
    await server.close();
  }
}

function requestedPaths(server: TestServer): string[] {
  return server.stats.log.map((l) => decodeURIComponent(l.path));
}

function count(list: string[], path: string): number {
  return list.filter((p) => p === path).length;
}

describe('crawlSite', () => {
  it('crawls pages and documents breadth first and records click paths and external links', async () => {
    const { result, requested, u } = await crawl({
      '/': page(
        `<nav class="menu">${links('/about/', '/ita.php')}</nav>
         <a href="javascript:MM_openBrWindow('news_detail.php?news_id=912','','width=600')">ประกาศราคากลาง</a>
         <a href="https://www.facebook.com/thasala"><img src="/fb.png" alt="Facebook"></a>
         <a href="http://localhost:1/elsewhere">เครื่องอื่น</a>
         <!-- <div class="mobile-menu"><a href="/old-menu.php">เมนูเก่า</a></div> -->`,
      ),
      '/about/': page(links('/files/โครงสร้าง.pdf', '/download.php?id=7')),
      '/ita.php': page('<iframe src="/fileupload/ita/o1.pdf"></iframe>'),
      '/news_detail.php?news_id=912': page('<p>ราคากลาง</p>'),
      '/old-menu.php': page('เก่า'),
      '/files/โครงสร้าง.pdf': { body: PDF, type: 'application/pdf' },
      '/download.php?id=7': { body: PDF, type: 'text/html' },
      '/fileupload/ita/o1.pdf': { body: PDF, type: 'application/pdf' },
    });
    expect(result.startUrl).toBe(u('/'));
    expect(result.homeUrl).toBe(u('/'));
    expect(result.siteHosts).toEqual([new URL(u('/')).host]);
    expect(result.errors).toEqual([]);
    expect(result.stats).toMatchObject({ pages: 5, documents: 3 });
    expect(result.stats.requests).toBe(requested.length);
    for (const p of [
      '/news_detail.php?news_id=912',
      '/old-menu.php',
      '/files/โครงสร้าง.pdf',
      '/fileupload/ita/o1.pdf',
    ]) {
      expect(count(requested, p), p).toBe(1);
    }
    const pdf = result.resources.get(
      u('/files/%E0%B9%82%E0%B8%84%E0%B8%A3%E0%B8%87%E0%B8%AA%E0%B8%A3%E0%B9%89%E0%B8%B2%E0%B8%87.pdf'),
    );
    expect(pdf).toMatchObject({ kind: 'pdf', depth: 2 });
    expect(pdf?.body?.length).toBe(PDF.length);
    expect(result.resources.get(u('/download.php?id=7'))?.kind).toBe('pdf');
    expect(result.parents.get(u('/news_detail.php?news_id=912'))).toEqual({
      from: u('/'),
      to: u('/news_detail.php?news_id=912'),
      text: 'ประกาศราคากลาง',
    });
    expect(result.parents.get(u('/fileupload/ita/o1.pdf'))?.from).toBe(u('/ita.php'));
    expect(result.externalLinks.map((l) => [l.url, l.text])).toEqual([
      ['https://www.facebook.com/thasala', 'Facebook'],
      ['http://localhost:1/elsewhere', 'เครื่องอื่น'],
    ]);
    expect(requested.some((p) => p.includes('elsewhere'))).toBe(false);
    expect(result.stats.bytes).toBeGreaterThan(0);
  });

  it('obeys robots.txt (for its own user agent too), and ignores it on request', async () => {
    const site: Site = {
      '/robots.txt': {
        body: 'User-agent: *\nDisallow: /private/\n\nUser-agent: ita-check\nDisallow: /private/\nDisallow: /no-ita/\n',
        type: 'text/plain',
      },
      '/': page(links('/public.html', '/private/secret.html', '/no-ita/x.html')),
      '/public.html': page('ok'),
      '/private/secret.html': page('secret'),
      '/no-ita/x.html': page('x'),
    };
    const obeyed = await crawl(site);
    expect(count(obeyed.requested, '/robots.txt')).toBe(1);
    expect(count(obeyed.requested, '/public.html')).toBe(1);
    expect(count(obeyed.requested, '/private/secret.html')).toBe(0);
    expect(count(obeyed.requested, '/no-ita/x.html')).toBe(0);
    expect(obeyed.result.errors.map((e) => [e.url, e.class])).toEqual([
      [obeyed.u('/private/secret.html'), 'robots'],
      [obeyed.u('/no-ita/x.html'), 'robots'],
    ]);
    const ignored = await crawl(site, { ignoreRobots: true });
    expect(count(ignored.requested, '/private/secret.html')).toBe(1);
    expect(count(ignored.requested, '/no-ita/x.html')).toBe(1);
    expect(ignored.result.errors).toEqual([]);
  });

  it('treats a missing or garbled robots.txt as allow-all', async () => {
    const garbled = await crawl({
      '/robots.txt': page('<h1>Welcome</h1> Disallow: /'),
      '/': page(links('/a.html')),
      '/a.html': page('a'),
    });
    expect(count(garbled.requested, '/a.html')).toBe(1);
  });

  it('seeds sitemap URLs (sitemap index from robots.txt) at depth 1, reaching orphan pages', async () => {
    const { result, requested, u } = await crawl({
      '/robots.txt': { body: 'User-agent: *\nDisallow:\nSitemap: /sitemap_index.xml\n', type: 'text/plain' },
      '/sitemap_index.xml': {
        body: `<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
          <sitemap><loc>/post-sitemap.xml</loc></sitemap><sitemap><loc>https://elsewhere.example/s.xml</loc></sitemap></sitemapindex>`,
        type: 'application/xml',
      },
      '/post-sitemap.xml': {
        body: `<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
          <url><loc>/orphan/</loc></url><url><loc>/</loc></url><url><loc>https://elsewhere.example/x</loc></url></urlset>`,
        type: 'application/xml',
      },
      '/': page(links('/linked/')),
      '/linked/': page(links('/orphan/')),
      '/orphan/': page('ไม่มีลิงก์มาที่นี่'),
    });
    expect(result.resources.get(u('/orphan/'))).toMatchObject({ depth: 1, status: 200 });
    expect(count(requested, '/orphan/')).toBe(1);
    // Linked later: it still gets its click-path edge.
    expect(result.parents.get(u('/orphan/'))?.from).toBe(u('/linked/'));
    expect(requested.some((p) => p.includes('elsewhere'))).toBe(false);
  });

  it('probes /sitemap.xml when robots.txt names none', async () => {
    const { result, u } = await crawl({
      '/': page('หน้าแรก'),
      '/sitemap.xml': {
        body: '<urlset><url><loc>/hidden.html</loc></url></urlset>',
        type: 'text/xml',
      },
      '/hidden.html': page('ซ่อน'),
    });
    expect(result.resources.has(u('/hidden.html'))).toBe(true);
    expect(result.parents.has(u('/hidden.html'))).toBe(false);
  });

  it('follows redirect chains once, de-duplicates on the final URL, and reports loops', async () => {
    const { result, requested, u } = await crawl(
      {
        '/': page(links('/old', '/older', '/new', '/loop-a')),
        '/old': { body: '', status: 301, headers: { location: '/older' } },
        '/older': { body: '', status: 302, headers: { location: '/new' } },
        '/new': page(links('/deeper')),
        '/deeper': page('ลึก'),
        '/loop-a': { body: '', status: 302, headers: { location: '/loop-b' } },
        '/loop-b': { body: '', status: 302, headers: { location: '/loop-a' } },
      },
      { concurrency: 1 },
    );
    expect(count(requested, '/new')).toBe(1);
    expect(count(requested, '/older')).toBe(1);
    expect(count(requested, '/deeper')).toBe(1);
    expect(result.resources.get(u('/old'))).toMatchObject({
      finalUrl: u('/new'),
      redirects: [u('/old'), u('/older')],
      status: 200,
    });
    expect(findResource(result, u('/new'))?.title).toBe('หน้า');
    expect(result.resources.get(u('/new'))).toMatchObject({ finalUrl: u('/new'), redirects: [], depth: 1 });
    expect(result.resources.get(u('/older'))).toMatchObject({
      finalUrl: u('/new'),
      redirects: [u('/older')],
    });
    expect(result.stats.requests).toBe(requested.length);
    expect(result.errors.map((e) => e.class)).toEqual(['redirect-loop']);
  });

  it('takes the homepage from the start URL after redirects', async () => {
    const { result, u } = await crawl({
      '/': { body: '', status: 302, headers: { location: '/th/index.php' } },
      '/th/index.php': page(links('/th/about.php')),
      '/th/about.php': page('เกี่ยวกับ'),
    });
    expect(result.startUrl).toBe(u('/'));
    expect(result.homeUrl).toBe(u('/th/index.php'));
    expect(result.resources.get(u('/'))?.finalUrl).toBe(u('/th/index.php'));
    expect(result.resources.get(u('/th/index.php'))?.links?.length).toBe(1);
    expect(result.resources.get(u('/th/about.php'))?.depth).toBe(1);
    expect(result.stats.pages).toBe(2);
  });

  it('returns the failure when the homepage is unreachable', async () => {
    const { result, u } = await crawl({ '/': { body: 'down', status: 503 } }, {});
    expect(result.resources.get(u('/'))?.failure).toMatchObject({ class: 'http-5xx', status: 503 });
    expect(result.errors).toHaveLength(1);
    const closed = await startServer(new Map());
    await closed.close();
    const refused = await crawlSite(`${closed.url}/`, { timeoutMs: 2000 });
    expect(refused.resources.get(`${closed.url}/`)?.failure?.class).toBe('connect');
    const bad = await crawlSite('javascript:alert(1)');
    expect(bad.resources.size).toBe(1);
    expect([...bad.resources.values()][0]?.failure?.class).toBe('blocked-scheme');
  });

  it('times out a slow path without holding up the crawl', async () => {
    const t = Date.now();
    const { result, u } = await crawl(
      {
        '/': page(links('/slow.php', '/fast.php')),
        '/slow.php': { body: page('ช้า'), delayMs: 4000 },
        '/fast.php': page('เร็ว'),
      },
      { timeoutMs: 300 },
    );
    expect(Date.now() - t).toBeLessThan(3000);
    expect(result.errors).toEqual([{ url: u('/slow.php'), class: 'timeout', message: expect.any(String) }]);
    expect(result.resources.get(u('/fast.php'))?.status).toBe(200);
  });

  it('stops at maxDepth and maxPages; counts documents against maxDocuments; can skip documents', async () => {
    const chain: Site = {};
    for (let i = 0; i < 10; i++) chain[i === 0 ? '/' : `/p${i}`] = page(links(`/p${i + 1}`, `/d${i}.pdf`));
    chain['/p10'] = page('end');
    for (let i = 0; i < 10; i++) chain[`/d${i}.pdf`] = { body: PDF, type: 'application/pdf' };

    const deep = await crawl(chain, { maxDepth: 3 });
    expect([...deep.result.resources.values()].every((r) => r.depth <= 3)).toBe(true);
    expect(deep.result.stats).toMatchObject({ pages: 4, documents: 3 });
    expect(deep.requested.includes('/p3')).toBe(true);
    expect(deep.requested.includes('/p4')).toBe(false);

    const few = await crawl(chain, { maxPages: 4, maxDocuments: 2 });
    expect(few.result.stats).toMatchObject({ pages: 4, documents: 2 });
    expect(few.requested.filter((p) => /^\/p\d+$/.test(p))).toEqual(['/p1', '/p2', '/p3']);

    const noDocs = await crawl(chain, { fetchDocuments: false, maxDepth: 2 });
    expect(noDocs.requested.some((p) => p.endsWith('.pdf'))).toBe(false);
    expect(noDocs.result.stats.documents).toBe(0);
  });

  it('orders a depth by the priority callback', async () => {
    const { requested } = await crawl(
      {
        '/': page(links('/news.php', '/ita.php', '/gallery.php')),
        '/news.php': page('n'),
        '/ita.php': page('i'),
        '/gallery.php': page('g'),
      },
      {
        concurrency: 1,
        priority: (l) => (l.url.includes('ita') ? 10 : l.url.includes('gallery') ? -1 : 0),
        useSitemaps: false,
      },
    );
    expect(requested.filter((p) => p.endsWith('.php'))).toEqual(['/ita.php', '/news.php', '/gallery.php']);
  });

  it('keeps requests in flight per host within the concurrency limit', async () => {
    const site: Site = { '/': page(links(...Array.from({ length: 39 }, (_, i) => `/page-${i}.html`))) };
    for (let i = 0; i < 39; i++) site[`/page-${i}.html`] = page(`หน้า ${i}`);
    const { server, result } = await crawl(site, { concurrency: 3 }, 50);
    expect(result.stats.pages).toBe(40);
    expect(server.stats.maxInFlight).toBeLessThanOrEqual(3);
    expect(server.stats.maxInFlight).toBeGreaterThan(1);
  });

  it('skips URL traps: repeated path segments and endless calendars', async () => {
    const site: Site = {
      '/': page(links('/calendar.php?month=1&year=2564', '/a/b/a/b/a/b/')),
      '/a/b/a/b/a/b/': page('trap'),
    };
    for (let m = 1; m <= 80; m++)
      site[`/calendar.php?month=${m}&year=2564`] = page(links(`/calendar.php?month=${m + 1}&year=2564`));
    const { result, requested } = await crawl(site, { maxDepth: 100 });
    expect(requested.filter((p) => p.startsWith('/calendar.php')).length).toBe(50);
    expect(count(requested, '/a/b/a/b/a/b/')).toBe(0);
    expect(result.errors.map((e) => e.class).sort()).toEqual(['trap', 'trap']);
  });

  it('counts calendar variants only for calendar parameters', () => {
    const counts = new Map<string, Set<string>>();
    for (let id = 1; id <= 80; id++) {
      expect(trapReason(`http://x.go.th/index.php?m=news&id=${id}`, counts)).toBeNull();
      expect(trapReason(`http://x.go.th/news.php?cat_id=13&pagenum=${id}`, counts)).toBeNull();
    }
    const reasons = [];
    for (let m = 1; m <= 60; m++)
      reasons.push(trapReason(`http://x.go.th/index.php?m=${(m % 12) + 1}&y=${2500 + m}`, counts));
    expect(reasons.slice(0, 50).every((r) => r === null)).toBe(true);
    expect(reasons[50]).toMatch(/calendar/);
    // Another module of the same script keeps its own count.
    expect(trapReason('http://x.go.th/event.php?mod=ev&date=2021-01-01', counts)).toBeNull();
    expect(trapReason('http://x.go.th/a/b/c/b/d/b/', counts)).toMatch(/repeats "b"/);
    expect(trapReason(`http://x.go.th/${'x'.repeat(2000)}`, counts)).toMatch(/longer/);
  });

  it('never fetches media, archives or page assets', async () => {
    const { requested, result, u } = await crawl({
      '/': page(links('/video.mp4', '/files.zip', '/style.css', '/form.docx')),
      '/form.docx': { body: new Uint8Array([0x50, 0x4b, 0x03, 0x04]), type: 'application/octet-stream' },
    });
    expect(requested.filter((p) => p !== '/robots.txt' && p !== '/sitemap.xml')).toEqual(['/', '/form.docx']);
    expect(result.resources.get(u('/'))?.links?.length).toBe(4);
  });

  it('reports progress and stops when aborted', async () => {
    const site: Site = { '/': page(links(...Array.from({ length: 30 }, (_, i) => `/n${i}`))) };
    for (let i = 0; i < 30; i++) site[`/n${i}`] = page(`${i}`);
    const controller = new AbortController();
    const seen: number[] = [];
    const { result } = await crawl(
      site,
      {
        concurrency: 2,
        signal: controller.signal,
        onProgress: (p) => {
          seen.push(p.pages);
          if (p.pages >= 5) controller.abort();
        },
      },
      20,
    );
    expect(seen.length).toBeGreaterThan(0);
    expect(result.stats.pages).toBeLessThan(12);
  });
});

describe('CrawlResult shape', () => {
  it('is serialisable apart from bodies', async () => {
    const { result } = await crawl({
      '/': page(links('/a.pdf')),
      '/a.pdf': { body: PDF, type: 'application/pdf' },
    });
    const plain = (r: CrawlResult) =>
      JSON.stringify({
        ...r,
        resources: [...r.resources.values()].map(({ body, ...rest }) => rest),
        parents: [...r.parents],
      });
    expect(() => plain(result)).not.toThrow();
  });
});
