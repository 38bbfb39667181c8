// Fault injection: the real crawler against fixtures/lib/fault-server.ts. For every fault: how the crawl ends
// (the failure class on that Resource), how many requests it made (counted by the server), that the rest of
// the site was still crawled, and that nothing hangs or rejects unhandled.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type FaultServer,
  type FaultServerOptions,
  startFaultServer,
} from '../../fixtures/lib/fault-server.js';
import { startServer } from '../../fixtures/lib/server.js';
import { boundHtml, MAX_HTML_DEPTH, MAX_HTML_ELEMENTS } from '../../src/crawl/fetcher.js';
import {
  type CrawlOptions,
  crawlSite,
  fetchResource,
  findResource,
  normalizeUrl,
  parseHtml,
  trapReason,
} from '../../src/crawl/index.js';
import type { CrawlResult, Resource } from '../../src/types.js';
import { requireTool } from '../helpers/tools.js';

/** Fast settings: short timeouts, short backoff, no politeness delay (politeness.test.ts covers it). */
const FAST: CrawlOptions = { timeoutMs: 2000, retryDelayMs: 20, delayMs: 0 };
/** The normal tree every fault site has besides its fault. */
const TREE = ['/about.html', '/news.html', '/news-1.html', '/news-2.html', '/contact.html', '/ita.html'];

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => {
  unhandled.push(reason);
};
beforeAll(() => {
  process.on('unhandledRejection', onUnhandled);
});
afterEach(() => {
  expect(unhandled).toEqual([]);
});
afterAll(() => {
  process.off('unhandledRejection', onUnhandled);
});

interface Run {
  server: FaultServer;
  result: CrawlResult;
  ms: number;
  u: (path: string) => string;
  /** The Resource of a path (its redirect chain's final URL too). */
  res: (path: string) => Resource | undefined;
}

async function crawlFault(
  links: FaultServerOptions['homeLinks'],
  opts: CrawlOptions = {},
  serverOpts: FaultServerOptions = {},
): Promise<Run> {
  const server = await startFaultServer({ ...serverOpts, homeLinks: links ?? [] });
  try {
    const u = (path: string) => normalizeUrl(`${server.url}${path}`) ?? `${server.url}${path}`;
    const t = Date.now();
    const result = await crawlSite(`${server.url}/`, { ...FAST, ...opts });
    const ms = Date.now() - t;
    await settled(server);
    return { server, result, ms, u, res: (p) => findResource(result, u(p)) };
  } finally {
    await server.close();
  }
}

/** Waits (≤ 1 s) for the server to see every connection the crawl dropped closed: nothing is left running. */
async function settled(server: FaultServer): Promise<void> {
  for (let i = 0; i < 50 && server.stats.inFlight > 0; i++) await new Promise((r) => setTimeout(r, 20));
  expect(server.stats.inFlight).toBe(0);
}

function expectRestCrawled(run: Run): void {
  for (const p of TREE) expect(run.res(p)?.status, p).toBe(200);
  expect(run.res('/docs/plan.pdf')?.kind).toBe('pdf');
}

function errorClasses(result: CrawlResult): string[] {
  return result.errors.map((e) => e.class);
}

describe('HTTP errors: classified, retried only when a retry can help', () => {
  it.each([
    ['/status/404', 'http-4xx', 404, 1],
    ['/status/410', 'http-4xx', 410, 1],
    ['/status/403', 'http-4xx', 403, 1],
    ['/status/500', 'http-5xx', 500, 1],
    ['/status/502', 'http-5xx', 502, 3],
    ['/status/503', 'http-5xx', 503, 3],
    ['/status/504', 'http-5xx', 504, 3],
    ['/status/429', 'http-4xx', 429, 3],
  ] as const)(
    '%s ends as %s after %i… requests',
    async (path, cls, status, requests) => {
      const run = await crawlFault([path]);
      expect(run.res(path)?.failure).toMatchObject({ class: cls, status });
      expect(run.server.count(path)).toBe(requests);
      expect(run.result.errors).toEqual([{ url: run.u(path), class: cls, message: `HTTP ${status}` }]);
      expectRestCrawled(run);
    },
    10_000,
  );

  it('a flaky page (503 twice, then 200) is fetched on the third try and is no error', async () => {
    const run = await crawlFault(['/flaky/2']);
    expect(run.res('/flaky/2')).toMatchObject({ status: 200, title: expect.stringContaining('พร้อมแล้ว') });
    expect(run.res('/flaky/2')?.failure).toBeUndefined();
    expect(run.server.count('/flaky/2')).toBe(3);
    expect(run.result.errors).toEqual([]);
    expectRestCrawled(run);
  }, 10_000);

  it('gives up on a page that stays flaky after the retries (503 three times)', async () => {
    const run = await crawlFault(['/flaky/3'], { retries: 2 });
    expect(run.res('/flaky/3')?.failure).toMatchObject({ class: 'http-5xx', status: 503 });
    expect(run.server.count('/flaky/3')).toBe(3);
    const once = await crawlFault(['/flaky/1'], { retries: 0 });
    expect(once.res('/flaky/1')?.failure?.class).toBe('http-5xx');
    expect(once.server.count('/flaky/1')).toBe(1);
  }, 10_000);

  it('backs off exponentially between retries', async () => {
    const run = await crawlFault(['/status/503'], { retryDelayMs: 150 });
    const tries = run.server.entries('/status/503');
    expect(tries).toHaveLength(3);
    const gap1 = tries[1]!.start - tries[0]!.end!;
    const gap2 = tries[2]!.start - tries[1]!.end!;
    // 150 ms + jitter (≤ 150), then 300 ms + jitter (≤ 300).
    expect(gap1).toBeGreaterThanOrEqual(140);
    expect(gap1).toBeLessThan(1000);
    expect(gap2).toBeGreaterThanOrEqual(290);
    expect(gap2).toBeLessThan(1600);
  }, 10_000);
});

describe('connection faults', () => {
  it('a dropped connection (no answer) is a connect failure, retried', async () => {
    const run = await crawlFault(['/drop']);
    expect(run.res('/drop')?.failure?.class).toBe('connect');
    expect(run.res('/drop')?.status).toBeNull();
    expect(run.server.count('/drop')).toBe(3);
    expectRestCrawled(run);
  }, 10_000);

  it('a connection reset mid-body is a connect failure, retried', async () => {
    const run = await crawlFault(['/reset']);
    expect(run.res('/reset')?.failure?.class).toBe('connect');
    expect(run.server.count('/reset')).toBe(3);
    expect(run.server.entries('/reset').every((e) => e.outcome === 'reset')).toBe(true);
    expectRestCrawled(run);
  }, 10_000);

  it('a refused connection is not retried', async () => {
    const closed = await startServer(new Map());
    await closed.close();
    const result = await crawlSite(`${closed.url}/`, FAST);
    expect(result.resources.get(`${closed.url}/`)?.failure?.class).toBe('connect');
    expect(result.stats.requests).toBe(1);
  }, 10_000);

  it('an unknown host is a dns failure, not retried', async () => {
    const result = await crawlSite('http://no-such-host.invalid/', FAST);
    const home = result.resources.get('http://no-such-host.invalid/');
    expect(['dns', 'timeout']).toContain(home?.failure?.class);
    if (home?.failure?.class === 'dns') expect(result.stats.requests).toBe(1);
  }, 10_000);

  it('a slow answer times out and is retried once only', async () => {
    const run = await crawlFault(['/latency/3000/news-1.html'], { timeoutMs: 400, retries: 3 });
    expect(run.res('/latency/3000/news-1.html')?.failure?.class).toBe('timeout');
    expect(run.server.count('/latency/3000/news-1.html')).toBe(2);
    expect(run.ms).toBeLessThan(8000);
    expectRestCrawled(run);
  }, 10_000);

  it('a body that drips past the per-request timeout is cut there', async () => {
    // 2 kB/s of a 100 kB body would take 50 s.
    const run = await crawlFault(['/drip/2000/100000'], { timeoutMs: 800 });
    expect(run.res('/drip/2000/100000')?.failure?.class).toBe('timeout');
    const tries = run.server.entries('/drip/2000/100000');
    expect(tries).toHaveLength(2);
    for (const t of tries) {
      expect(t.outcome).toBe('aborted');
      expect(t.end! - t.start).toBeLessThan(1500);
      expect(t.bytes).toBeLessThan(5000);
    }
    expectRestCrawled(run);
  }, 10_000);

  it('a body that drips but finishes within the timeout is kept', async () => {
    const run = await crawlFault(['/drip/20000/4000'], { timeoutMs: 2000 });
    expect(run.res('/drip/20000/4000')).toMatchObject({ status: 200, bytes: 4000 });
    expect(run.server.count('/drip/20000/4000')).toBe(1);
  }, 10_000);
});

describe('size caps', () => {
  it('cuts a huge chunked document at the cap without reading it all', async () => {
    const before = process.memoryUsage().rss;
    const run = await crawlFault(['/huge/200'], { maxDocumentBytes: 2 * 1024 * 1024 });
    expect(run.res('/huge/200')?.failure).toMatchObject({ class: 'too-large' });
    expect(run.res('/huge/200')?.body).toBeUndefined();
    expect(run.server.count('/huge/200')).toBe(1);
    // The server wrote little more than the cap (socket buffers aside), not 200 MB.
    expect(run.server.entries('/huge/200')[0]!.bytes).toBeLessThan(16 * 1024 * 1024);
    expect(process.memoryUsage().rss - before).toBeLessThan(100 * 1024 * 1024);
    expectRestCrawled(run);
  }, 10_000);

  it('refuses a declared Content-Length over the cap before the body', async () => {
    const run = await crawlFault(['/huge/100?declared=1'], { maxDocumentBytes: 2 * 1024 * 1024 });
    expect(run.res('/huge/100?declared=1')?.failure).toMatchObject({
      class: 'too-large',
      message: expect.stringContaining('Content-Length'),
    });
    expect(run.server.count('/huge/100?declared=1')).toBe(1);
  }, 10_000);

  it('caps HTML at the page cap (5 MB by default)', async () => {
    const run = await crawlFault(['/huge/30?type=html']);
    expect(run.res('/huge/30?type=html')?.failure).toMatchObject({
      class: 'too-large',
      message: `more than ${5 * 1024 * 1024} bytes`,
    });
    expect(run.server.count('/huge/30?type=html')).toBe(1);
    expectRestCrawled(run);
  }, 10_000);
});

describe('redirects and schemes', () => {
  it('a redirect loop ends as redirect-loop, each URL requested once', async () => {
    const run = await crawlFault(['/loop']);
    expect(run.res('/loop')?.failure?.class).toBe('redirect-loop');
    expect(run.server.count('/loop')).toBe(1);
    expect(run.server.count('/loop/b')).toBe(1);
    expect(errorClasses(run.result)).toEqual(['redirect-loop']);
    expectRestCrawled(run);
  }, 10_000);

  it('a chain longer than maxRedirects ends as too-many-redirects; a short one is followed', async () => {
    const run = await crawlFault(['/redirect-chain/15', '/redirect-chain/3']);
    expect(run.res('/redirect-chain/15')?.failure?.class).toBe('too-many-redirects');
    expect(run.server.count(/^\/redirect-chain\/(1[0-5]|[6-9])$/)).toBe(10);
    expect(run.res('/redirect-chain/3')).toMatchObject({ status: 200, finalUrl: run.u('/redirect-chain/0') });
    expectRestCrawled(run);
  }, 10_000);

  it.each([
    'file:///etc/passwd',
    'javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'ftp://127.0.0.1/pub/x.pdf',
    'gopher://127.0.0.1/x',
  ])(
    'a redirect to %s ends as blocked-scheme, nothing fetched',
    async (target) => {
      const path = `/redirect-to?url=${encodeURIComponent(target)}`;
      const run = await crawlFault([path]);
      const r = run.res(path);
      expect(r?.failure?.class).toBe('blocked-scheme');
      expect(r?.body).toBeUndefined();
      expect(run.server.count(path)).toBe(1);
      expectRestCrawled(run);
    },
    10_000,
  );

  it('never fetches non-http(s) links', async () => {
    const run = await crawlFault([
      'file:///etc/passwd',
      'data:text/html;base64,PGgxPng8L2gxPg==',
      'ftp://127.0.0.1/pub/',
      'javascript:location.href="/news.html"',
      'mailto:saraban@example.go.th',
      'tel:075000000',
    ]);
    for (const url of run.result.resources.keys()) expect(url).toMatch(/^https?:\/\//);
    expectRestCrawled(run);
  }, 10_000);

  it('refuses a non-http start URL and a file: start URL without reading the disk', async () => {
    const r = await fetchResource('file:///etc/passwd');
    expect(r.failure?.class).toBe('blocked-scheme');
    expect(r.body).toBeUndefined();
    const result = await crawlSite('file:///etc/passwd', FAST);
    expect([...result.resources.values()][0]?.failure?.class).toBe('blocked-scheme');
  });
});

describe('URL traps are bounded', () => {
  const deep: CrawlOptions = { maxDepth: 200, maxPages: 500 };

  it('an endless calendar (?month=N&year=Y) stops after 50 variants', async () => {
    const run = await crawlFault(['/calendar?month=1&year=2564'], deep);
    const n = run.server.count(/^\/calendar\?/);
    expect(n).toBeGreaterThanOrEqual(40);
    expect(n).toBeLessThanOrEqual(51);
    expect(run.result.errors.filter((e) => e.class === 'trap')).toHaveLength(1);
    const trapped = [...run.result.resources.values()].filter((r) => r.failure?.class === 'trap');
    expect(trapped.length).toBeGreaterThan(0);
    expect(trapped.every((r) => r.url.includes('/calendar?') && r.status === null)).toBe(true);
    expectRestCrawled(run);
  }, 15_000);

  it('?date= calendars and dated paths are counted too', () => {
    const counts = new Map<string, Set<string>>();
    const byDate: (string | null)[] = [];
    const byPath: (string | null)[] = [];
    for (let d = 1; d <= 60; d++) {
      const day = `2021-${String(1 + Math.floor(d / 28)).padStart(2, '0')}-${String(1 + (d % 28)).padStart(2, '0')}`;
      byDate.push(trapReason(`http://x.go.th/event.php?date=${day}`, counts));
      byPath.push(
        trapReason(`http://x.go.th/calendar/${2560 + Math.floor(d / 12)}/${(d % 12) + 1}/`, counts),
      );
    }
    expect(byDate.slice(0, 50).every((r) => r === null)).toBe(true);
    expect(byDate[55]).toMatch(/calendar/);
    expect(byPath.slice(0, 50).every((r) => r === null)).toBe(true);
    expect(byPath[55]).toMatch(/dated variants/);
    // News ids in the path are not a calendar.
    for (let id = 1; id <= 80; id++) expect(trapReason(`http://x.go.th/news/2564/${id}/`, counts)).toBeNull();
  });

  it('repeating path segments (/deep/a/b/a/b…) stop early', async () => {
    const run = await crawlFault(['/deep'], deep);
    expect(run.server.count(/^\/deep/)).toBeLessThanOrEqual(4);
    expect(run.result.errors).toEqual([
      { url: run.u('/deep/a/b/a/b'), class: 'trap', message: 'path repeats "a/b"' },
    ]);
    // The trapped URL has a Resource saying why it was not fetched.
    expect(run.res('/deep/a/b/a/b')).toMatchObject({ status: null, failure: { class: 'trap' } });
    expect(trapReason('http://x.go.th/th/th/about', new Map())).toBeNull();
    expect(
      trapReason(`http://x.go.th/${Array.from({ length: 30 }, (_, i) => `d${i}`).join('/')}`, new Map()),
    ).toMatch(/deeper/);
  }, 10_000);

  it.each(['/session;sid=1', '/session/(S(1))/default.aspx', '/session;jsessionid=1'])(
    'session ids in the path (%s) give one fetch per page',
    async (path) => {
      const run = await crawlFault([path], deep);
      expect(run.server.count(/^\/session/)).toBe(1);
      expectRestCrawled(run);
    },
    10_000,
  );

  it('an ever-growing query string stops after a few pages', async () => {
    const run = await crawlFault(['/grow'], deep);
    expect(run.server.count(/^\/grow/)).toBeLessThanOrEqual(8);
    expect(run.result.errors.map((e) => [e.class, e.message])).toEqual([
      ['trap', expect.stringContaining('query string grows')],
    ]);
    // Repeated keys and over-long queries are traps on their own.
    expect(trapReason('http://x.go.th/s.php?a=1&a=1&a=1', new Map())).toMatch(/repeats "a"/);
    const many = Array.from({ length: 30 }, (_, i) => `k${i}=${i}`).join('&');
    expect(trapReason(`http://x.go.th/s.php?${many}`, new Map())).toMatch(/more than 25 parameters/);
    // Pagination is not growth.
    expect(trapReason('http://x.go.th/news.php?page=10&cat=2', new Map())).toBeNull();
  }, 10_000);
});

describe('hostile bodies', () => {
  it('a page with 200 000 links: read up to 30 000 elements, only the first 5000 links followed', async () => {
    const run = await crawlFault(['/many-links'], { maxPages: 40 });
    const page = run.res('/many-links');
    expect(page?.status).toBe(200);
    expect(page?.failure).toBeUndefined();
    // html, head, meta, title, body, main and 29 994 links.
    expect(page?.links?.length).toBe(29_994);
    expect(run.result.errors).toContainEqual({
      url: run.u('/many-links'),
      class: 'too-large',
      message: '200006 HTML elements: only the first 30000 read',
    });
    expect(run.result.errors.some((e) => e.class === 'trap' && /29994 links/.test(e.message))).toBe(true);
    expect(run.result.stats.pages).toBeLessThanOrEqual(40);
    expect(run.ms).toBeLessThan(20_000);
  }, 30_000);

  it('HTML nested 100 000 levels deep does not crash the crawl', async () => {
    const run = await crawlFault(['/nested']);
    const r = run.res('/nested');
    expect(r?.status).toBe(200);
    expect(r?.fullText).toContain('ข้อความลึกมาก');
    expect(run.server.count('/nested')).toBe(1);
    expect(run.result.errors).toEqual([
      {
        url: run.u('/nested'),
        class: 'too-large',
        message: `HTML nested deeper than 512 levels: ${100_000 - 512} elements flattened`,
      },
    ]);
    expect(run.ms).toBeLessThan(10_000); // it used to block the CPU for minutes
    expectRestCrawled(run);
  }, 15_000);

  it('bounds HTML before parsing: depth flattened like a browser, elements capped, text kept', () => {
    const deepB = `<html><body>${'<b>'.repeat(100_000)}ตัวหนา</body></html>`;
    const t = Date.now();
    const b = boundHtml(deepB);
    expect(b.flattened).toBe(100_000 - MAX_HTML_DEPTH);
    expect(parseHtml(b.html, 'http://x.go.th/').fullText).toContain('ตัวหนา');
    expect(Date.now() - t).toBeLessThan(2000);
    // Tags inside scripts, comments, void and self-closing elements do not nest.
    const script = `<html><body><script>${'document.write("<div>");'.repeat(2000)}</script><!--${'<div>'.repeat(2000)}-->${'<p>x<br><img src=a>'.repeat(2000)}<div>ok</div></body></html>`;
    expect(boundHtml(script)).toMatchObject({ html: script, flattened: 0, cut: false });
    const wide = `<html><body>${'<span>a</span>'.repeat(MAX_HTML_ELEMENTS + 10)}</body></html>`;
    const w = boundHtml(wide);
    expect(w).toMatchObject({ cut: true, elements: MAX_HTML_ELEMENTS + 12 });
    expect(w.html.length).toBeLessThan(wide.length);
    const small = '<html><body><div><div>ข้อความ</div></div></body></html>';
    expect(boundHtml(small).html).toBe(small);
  });

  it('random bytes served as text/html, and TIS-620 bytes declared UTF-8', async () => {
    const run = await crawlFault(['/binary-as-html', '/mislabelled']);
    expect(run.res('/binary-as-html')?.status).toBe(200);
    const mis = run.res('/mislabelled');
    expect(mis?.charset).toBe('windows-874');
    expect(mis?.title).toContain('ประกาศองค์การบริหารส่วนตำบล');
    expectRestCrawled(run);
  }, 10_000);

  it('zip bombs and broken PDFs are fetched as documents (extraction judges them)', async () => {
    const docs = ['/zipbomb.docx', '/zipbomb.xlsx', '/corrupt.pdf', '/encrypted.pdf', '/garbage.pdf'];
    const run = await crawlFault(docs);
    for (const d of docs) {
      const r = run.res(d);
      expect(r?.status, d).toBe(200);
      expect(r?.body?.length, d).toBeGreaterThan(0);
      expect(run.server.count(d), d).toBe(1);
    }
    expect(run.res('/corrupt.pdf')?.kind).toBe('pdf');
    expectRestCrawled(run);
  }, 10_000);
});

describe('time budget (maxTimeMs)', () => {
  it('a site answering every request in 2 s: the crawl returns within the budget with what it has', async () => {
    const server = await startFaultServer();
    try {
      const t = Date.now();
      const result = await crawlSite(`${server.url}/latency/2000/`, {
        ...FAST,
        timeoutMs: 10_000,
        maxTimeMs: 5000,
      });
      const ms = Date.now() - t;
      expect(ms).toBeLessThan(7000);
      expect(ms).toBeGreaterThanOrEqual(4900);
      expect(result.errors.at(-1)).toEqual({
        url: `${server.url}/latency/2000/`,
        class: 'timeout',
        message: 'time budget of 5 s used up',
      });
      expect(result.resources.get(`${server.url}/latency/2000/`)?.status).toBe(200);
      expect(result.stats.pages).toBeGreaterThanOrEqual(1);
      // Aborted requests leave no Resource behind and nothing is still running.
      for (const r of result.resources.values()) expect(r.failure?.message).not.toBe('aborted');
      await settled(server);
    } finally {
      await server.close();
    }
  }, 15_000);

  it('a budget that runs out before the homepage answers ends as a timeout', async () => {
    const server = await startFaultServer();
    try {
      const t = Date.now();
      const result = await crawlSite(`${server.url}/latency/3000/`, {
        ...FAST,
        timeoutMs: 10_000,
        maxTimeMs: 500,
      });
      expect(Date.now() - t).toBeLessThan(1500);
      expect(result.resources.get(`${server.url}/latency/3000/`)?.failure?.class).toBe('timeout');
      expect(result.errors.map((e) => e.message)).toContain('time budget of 0.5 s used up');
    } finally {
      await server.close();
    }
  }, 10_000);
});

describe('TLS: a self-signed certificate', () => {
  let server: HttpsServer;
  let url = '';
  let handshakes = 0;
  let requests: string[] = [];
  beforeAll(async () => {
    requireTool('openssl', ['version'], 'openssl');
    const dir = mkdtempSync(join(tmpdir(), 'ita-faults-tls-'));
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1'].concat([
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ]),
      { stdio: 'ignore' },
    );
    server = createHttpsServer(
      { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) },
      (req, res) => {
        requests.push(req.url ?? '');
        const known = req.url === '/' || req.url === '/about.html';
        res.writeHead(known ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' });
        res.end(req.url === '/' ? '<html><body><a href="/about.html">เกี่ยวกับ</a></body></html>' : 'หน้า');
      },
    );
    // Connections, not handshakes: a client that rejects the certificate just hangs up.
    server.on('connection', () => handshakes++);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('is a tls failure, never retried', async () => {
    handshakes = 0;
    const r = await fetchResource(url, { retries: 3, retryDelayMs: 10 });
    expect(r.failure?.class).toBe('tls');
    expect(handshakes).toBe(1);
  });

  it('insecure: crawls over https anyway and keeps the certificate error on record', async () => {
    requests = [];
    const result = await crawlSite(url, { ...FAST, insecure: true, useSitemaps: false });
    expect(result.homeUrl).toBe(url);
    expect(result.resources.get(url)).toMatchObject({ status: 200, finalUrl: url });
    expect(result.resources.get(`${url}about.html`)?.status).toBe(200);
    expect(result.errors).toEqual([{ url, class: 'tls', message: expect.any(String) }]);
    expect(requests).toContain('/about.html');
  });

  it('without insecure (and no http twin) the homepage fails on its certificate', async () => {
    const result = await crawlSite(url, { ...FAST, httpFallbackOnTlsError: false });
    expect(result.resources.get(url)?.failure?.class).toBe('tls');
  });
});
