import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServedFile, startServer, type TestServer } from '../../fixtures/lib/server.js';
import { classifyError, fetchResource } from '../../src/crawl/index.js';

const PDF = new TextEncoder().encode('%PDF-1.4\n%âãÏÓ\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
const html = (body: string, head = '') =>
  `<!DOCTYPE html><html><head>${head}</head><body>${body}</body></html>`;

describe('fetchResource', () => {
  let server: TestServer;
  let requests = 0;
  beforeAll(async () => {
    const files = new Map<string, ServedFile>([
      ['/a', { body: '', status: 301, headers: { location: '/b' } }],
      ['/b', { body: '', status: 302, headers: { location: 'c?' } }],
      ['/c', { body: html('<h1>ปลายทาง</h1><a href="/d">ต่อ</a>'), type: 'text/html; charset=utf-8' }],
      ['/loop1', { body: '', status: 302, headers: { location: '/loop2' } }],
      ['/loop2', { body: '', status: 307, headers: { location: '/loop1' } }],
      ['/self', { body: '', status: 302, headers: { location: '/self' } }],
      ['/slow', { body: 'late', delayMs: 3000 }],
      ['/big.pdf', { body: new Uint8Array(300_000).fill(0x41), type: 'application/pdf' }],
      ['/big-chunked', { body: new Uint8Array(300_000).fill(0x41), type: 'text/html', chunked: true }],
      ['/gone', { body: html('ไม่พบ'), status: 404 }],
      ['/broken', { body: 'oops', status: 500 }],
      ['/news_detail.php?news_id=912', { body: PDF, type: 'text/html; charset=tis-620' }],
      ['/download', { body: PDF, type: 'application/octet-stream' }],
      [
        '/tis',
        {
          body: html('<a href="/x">ข่าวประชาสัมพันธ์</a>', '<title>เทศบาลตำบล</title>'),
          headers: { 'content-type': 'text/html; charset=windows-874' },
        },
      ],
      ['/intro', { body: html('ยินดีต้อนรับ', '<meta http-equiv="refresh" content="2;url=/c">') }],
      ['/long-refresh', { body: html('รอ', '<meta http-equiv="refresh" content="300;url=/c">') }],
      ['/refresh-loop', { body: html('x', '<meta http-equiv="refresh" content="0;url=/refresh-loop2">') }],
      ['/refresh-loop2', { body: html('y', '<meta http-equiv="refresh" content="0;url=/refresh-loop">') }],
      ['/to-facebook', { body: '', status: 302, headers: { location: 'https://www.facebook.com/thasala' } }],
      ['/to-mailto', { body: '', status: 302, headers: { location: 'mailto:a@b.c' } }],
    ]);
    server = await startServer(files);
  });
  afterAll(async () => {
    await server.close();
  });
  const get = (path: string, opts: Parameters<typeof fetchResource>[1] = {}) =>
    fetchResource(`${server.url}${path}`, {
      ...opts,
      onRequest: () => {
        requests++;
      },
    });

  it('follows a redirect chain by hand and parses the final page', async () => {
    requests = 0;
    const r = await get('/a', { depth: 2 });
    expect(requests).toBe(3);
    expect(r.failure).toBeUndefined();
    expect(r.url).toBe(`${server.url}/a`);
    expect(r.finalUrl).toBe(`${server.url}/c`);
    expect(r.redirects).toEqual([`${server.url}/a`, `${server.url}/b`]);
    expect(r).toMatchObject({
      status: 200,
      kind: 'html',
      servedType: 'text/html',
      charset: 'utf-8',
      depth: 2,
    });
    expect(r.headings).toEqual(['ปลายทาง']);
    expect(r.links?.[0]).toMatchObject({ url: `${server.url}/d`, text: 'ต่อ' });
    expect(r.body).toBeUndefined();
  });

  it('detects redirect loops and over-long chains', async () => {
    expect((await get('/loop1')).failure?.class).toBe('redirect-loop');
    expect((await get('/self')).failure?.class).toBe('redirect-loop');
    const short = await get('/a', { maxRedirects: 1 });
    expect(short.failure?.class).toBe('too-many-redirects');
    expect((await get('/to-mailto')).failure?.class).toBe('blocked-scheme');
  });

  it('stops at redirects the caller refuses (off-site) without failing', async () => {
    const r = await get('/to-facebook', { allowRedirect: (u) => u.startsWith(server.url) });
    expect(r.failure).toBeUndefined();
    expect(r.status).toBe(302);
    expect(r.finalUrl).toBe('https://www.facebook.com/thasala');
  });

  it('times out a slow answer', async () => {
    const t = Date.now();
    const r = await get('/slow', { timeoutMs: 300 });
    expect(r.failure?.class).toBe('timeout');
    expect(Date.now() - t).toBeLessThan(2500);
  });

  it('caps the body: by Content-Length, and while streaming (HTML cap)', async () => {
    const big = await get('/big.pdf', { maxBytes: 100_000 });
    expect(big.failure).toMatchObject({ class: 'too-large' });
    expect(big.body).toBeUndefined();
    const chunked = await get('/big-chunked', { maxHtmlBytes: 100_000 });
    expect(chunked.failure?.class).toBe('too-large');
    expect((await get('/big.pdf', { maxHtmlBytes: 100_000 })).failure).toBeUndefined();
  });

  it('classifies HTTP errors and connection failures', async () => {
    expect((await get('/gone')).failure).toMatchObject({ class: 'http-4xx', status: 404 });
    expect((await get('/broken', { retries: 0 })).failure).toMatchObject({ class: 'http-5xx', status: 500 });
    const closed = await startServer(new Map());
    await closed.close();
    const refused = await fetchResource(`${closed.url}/`, { retries: 0 });
    expect(refused.failure?.class).toBe('connect');
    expect(refused.status).toBeNull();
    const dns = await fetchResource('http://no-such-host.invalid/', { retries: 0, timeoutMs: 5000 });
    expect(['dns', 'timeout']).toContain(dns.failure?.class);
  });

  it('classifies thrown errors by their cause codes', () => {
    const wrap = (code: string) =>
      Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error(code), { code }) });
    expect(classifyError(wrap('ENOTFOUND')).class).toBe('dns');
    expect(classifyError(wrap('EAI_AGAIN')).class).toBe('dns');
    expect(classifyError(wrap('ECONNREFUSED')).class).toBe('connect');
    expect(classifyError(wrap('ECONNRESET')).class).toBe('connect');
    expect(classifyError(wrap('CERT_HAS_EXPIRED')).class).toBe('tls');
    expect(classifyError(wrap('UNABLE_TO_VERIFY_LEAF_SIGNATURE')).class).toBe('tls');
    expect(classifyError(wrap('ERR_TLS_CERT_ALTNAME_INVALID')).class).toBe('tls');
    expect(classifyError(wrap('UND_ERR_CONNECT_TIMEOUT')).class).toBe('timeout');
    expect(classifyError(new Error('weird')).class).toBe('other');
  });

  it('keeps document bodies; a PDF served as text/html is a PDF', async () => {
    const r = await get('/news_detail.php?news_id=912');
    expect(r).toMatchObject({ kind: 'pdf', servedType: 'text/html', bytes: PDF.length });
    expect(r.body).toEqual(PDF);
    expect(r.links).toBeUndefined();
    expect((await get('/download')).kind).toBe('pdf');
  });

  it('decodes windows-874 pages', async () => {
    const r = await get('/tis');
    expect(r.charset).toBe('windows-874');
    expect(r.title).toBe('เทศบาลตำบล');
    expect(r.links?.[0]?.text).toBe('ข่าวประชาสัมพันธ์');
    expect(r.bytes).toBe(
      iconv.encode(html('<a href="/x">ข่าวประชาสัมพันธ์</a>', '<title>เทศบาลตำบล</title>'), 'windows-874').length,
    );
  });

  it('follows short meta refreshes as redirects, not long ones or loops', async () => {
    const intro = await get('/intro');
    expect(intro.finalUrl).toBe(`${server.url}/c`);
    expect(intro.redirects).toEqual([`${server.url}/intro`]);
    expect(intro.headings).toEqual(['ปลายทาง']);
    const long = await get('/long-refresh');
    expect(long.finalUrl).toBe(`${server.url}/long-refresh`);
    expect(long.links?.find((l) => l.source === 'meta-refresh')?.url).toBe(`${server.url}/c`);
    const loop = await get('/refresh-loop');
    expect(loop.failure).toBeUndefined();
    expect(loop.finalUrl).toBe(`${server.url}/refresh-loop2`);
    expect((await get('/intro', { followMetaRefresh: false })).finalUrl).toBe(`${server.url}/intro`);
  });

  it('refuses non-http URLs without a request', async () => {
    expect((await fetchResource('ftp://x.go.th/a')).failure?.class).toBe('blocked-scheme');
  });
});

describe('fetchResource against a scripted server', () => {
  let url = '';
  let hits = new Map<string, number>();
  const agents: string[] = [];
  const server = createServer((req, res) => {
    const n = (hits.get(req.url ?? '') ?? 0) + 1;
    hits.set(req.url ?? '', n);
    agents.push(String(req.headers['user-agent']));
    if (req.url === '/cookie') {
      // Sets a session cookie and redirects to itself; answers once the cookie comes back.
      if (!String(req.headers.cookie ?? '').includes('ASPSESSION=1')) {
        res.writeHead(302, { location: '/cookie', 'set-cookie': 'ASPSESSION=1; path=/' });
        res.end();
        return;
      }
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html><body>ok</body></html>');
      return;
    }
    if (req.url === '/flaky') {
      res.writeHead(n === 1 ? 503 : 200, { 'content-type': 'text/html' });
      res.end('<html><body>ok</body></html>');
      return;
    }
    res.writeHead(404);
    res.end();
  });
  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('keeps cookies across a redirect to the same URL (not a loop)', async () => {
    const r = await fetchResource(`${url}/cookie`);
    expect(r.failure).toBeUndefined();
    expect(r.status).toBe(200);
  });

  it('retries a 503 once and sends the User-Agent', async () => {
    hits = new Map();
    const calls: (number | null)[] = [];
    const r = await fetchResource(`${url}/flaky`, {
      retryDelayMs: 10,
      userAgent: 'ita-check-test/1.0',
      onRequest: (i) => calls.push(i.status),
    });
    expect(r.status).toBe(200);
    expect(calls).toEqual([503, 200]);
    expect(agents.at(-1)).toBe('ita-check-test/1.0');
  });
});
