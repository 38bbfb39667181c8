import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { docx } from '../../fixtures/lib/documents.js';
import { type ServedFile, startServer, type TestServer } from '../../fixtures/lib/server.js';
import { crawlSite } from '../../src/crawl/crawler.js';
import { fetchResource, readBody, removeSpilledBodies } from '../../src/crawl/fetcher.js';
import { type CacheEntry, defaultCacheDir, HttpCache, sha256Hex } from '../../src/crawl/http-cache.js';
import { DocumentCache } from '../../src/extract/document.js';
import { TextCache } from '../../src/extract/text-cache.js';
import type { CrawlResult, Resource } from '../../src/types.js';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const page = (title: string, body: string): string =>
  `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body><main>${body}</main></body></html>`;

const dirs: string[] = [];
const servers: TestServer[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'ita-http-cache-'));
  dirs.push(d);
  return d;
}
async function serve(files: Map<string, ServedFile>): Promise<TestServer> {
  const s = await startServer(files);
  servers.push(s);
  return s;
}
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  await removeSpilledBodies();
});

function site(report: Uint8Array): Map<string, ServedFile> {
  return new Map<string, ServedFile>([
    [
      '/',
      {
        body: page(
          'หน้าแรก',
          '<a href="/about.php">เกี่ยวกับเรา</a> <a href="/old-news">ข่าว</a> <a href="/files/report.docx">รายงานผลการดำเนินงาน</a> <a href="/live.php">สด</a> <a href="/files/big.pdf">แผน</a>',
        ),
      },
    ],
    ['/about.php', { body: page('เกี่ยวกับเรา', '<p>ประวัติ</p><a href="/">หน้าแรก</a>') }],
    ['/old-news', { body: '', status: 301, headers: { location: '/news.php' } }],
    ['/news.php', { body: page('ข่าว', '<p>ข่าวประชาสัมพันธ์</p>') }],
    [
      '/files/report.docx',
      {
        body: report,
        type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      },
    ],
    ['/live.php', { body: page('สด', '<p>ไม่เก็บ</p>'), headers: { 'cache-control': 'no-store' } }],
    [
      '/files/big.pdf',
      { body: new Uint8Array([...Buffer.from('%PDF-1.4\n'), ...new Uint8Array(3000).fill(0x20)]) },
    ],
  ]);
}

/** A Resource without what changes from run to run (when it was fetched). */
function stable(r: Resource): Omit<Resource, 'fetchedAt'> {
  const { fetchedAt: _, ...rest } = r;
  return rest;
}
function resourcesOf(c: CrawlResult): [string, Omit<Resource, 'fetchedAt'>][] {
  return [...c.resources]
    .map(([k, r]): [string, Omit<Resource, 'fetchedAt'>] => [k, stable(r)])
    .sort((a, b) => a[0].localeCompare(b[0]));
}

/** Requests of a run, by path: the statuses answered. */
function statuses(server: TestServer, from: number): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const l of server.stats.log.slice(from)) out.set(l.path, [...(out.get(l.path) ?? []), l.status]);
  return out;
}

async function extractAll(c: CrawlResult, docs: DocumentCache): Promise<void> {
  for (const r of c.resources.values()) {
    if (r.kind === 'html' || r.failure) continue;
    const bytes = await readBody(r);
    if (bytes) r.doc = await docs.get(bytes, r.kind);
  }
}

describe('HttpCache with fetchResource and crawlSite', () => {
  it('fills the cache, then revalidates everything with 304s and gives identical Resources', async () => {
    const files = site(docx({ paragraphs: ['รายงานผลการดำเนินงาน ประจำปี 2563'] }));
    const server = await serve(files);
    const dir = tempDir();
    const cold = new HttpCache(dir);
    const first = await crawlSite(`${server.url}/`, { http: { cache: cold } });
    expect(server.stats.notModified).toBe(0);
    // Pages, documents and the redirect are stored; no-store and failures (robots.txt, sitemap 404) are not.
    expect(cold.stats.stored).toBe(6);
    expect(readdirSync(join(dir, 'entries'))).toHaveLength(6);
    // What the parser read out of the three stored pages is kept too; one of them is damaged here.
    await cold.flush();
    const parsed = readdirSync(join(dir, 'parsed'));
    expect(parsed).toHaveLength(3);
    writeFileSync(join(dir, 'parsed', parsed[0]!), '{"page":{"title":1}}');

    const mark = server.stats.log.length;
    const warm = new HttpCache(dir);
    const second = await crawlSite(`${server.url}/`, { http: { cache: warm } });
    const got = statuses(server, mark);
    for (const path of ['/', '/about.php', '/news.php', '/files/report.docx', '/files/big.pdf']) {
      expect(got.get(path), path).toEqual([304]);
    }
    expect(got.get('/old-news')).toEqual([301]); // a redirect has no validators: asked again
    expect(got.get('/live.php')).toEqual([200]); // no-store: never cached
    expect(server.stats.notModified).toBe(5);
    expect(warm.stats.revalidated).toBe(5);
    expect(warm.stats.corrupt).toBe(1); // that page was parsed again
    expect(second.stats.bytes).toBeLessThan(first.stats.bytes / 5);
    expect(resourcesOf(second)).toEqual(resourcesOf(first));
    // Trusted for a minute: nothing asked again but what was not stored (no-store, robots.txt, sitemap 404s).
    await warm.flush();
    const mark3 = server.stats.log.length;
    const fresh = new HttpCache(dir, { freshMs: 60_000 });
    const third = await crawlSite(`${server.url}/`, { http: { cache: fresh } });
    expect([...statuses(server, mark3).keys()].sort()).toEqual(['/live.php', '/robots.txt', '/sitemap.xml']);
    expect(fresh.stats.fresh).toBe(6);
    expect(resourcesOf(third)).toEqual(resourcesOf(first));
    const docxRes = second.resources.get(`${server.url}/files/report.docx`)!;
    expect(docxRes.kind).toBe('docx');
    expect(docxRes.sha256).toBe(sha256Hex(files.get('/files/report.docx')!.body as Uint8Array));
  });

  it('re-fetches a changed document and extracts its new text (the text cache serves no stale text)', async () => {
    const files = site(docx({ paragraphs: ['แผนปฏิบัติการ ฉบับเดิม'] }));
    const server = await serve(files);
    const dir = tempDir();
    const url = `${server.url}/files/report.docx`;

    const docs1 = new DocumentCache({ textCache: new TextCache(dir) });
    const first = await crawlSite(`${server.url}/`, { http: { cache: new HttpCache(dir) } });
    await extractAll(first, docs1);
    expect(first.resources.get(url)!.doc!.parts[0]!.text).toContain('ฉบับเดิม');

    files.get('/files/report.docx')!.body = docx({ paragraphs: ['แผนปฏิบัติการ ฉบับแก้ไข'] });
    const mark = server.stats.log.length;
    const cache = new HttpCache(dir);
    const text = new TextCache(dir);
    const second = await crawlSite(`${server.url}/`, { http: { cache } });
    expect(statuses(server, mark).get('/files/report.docx')).toEqual([200]);
    expect(statuses(server, mark).get('/about.php')).toEqual([304]);
    expect(cache.stats.changed).toBe(1);
    await extractAll(second, new DocumentCache({ textCache: text }));
    expect(second.resources.get(url)!.doc!.parts[0]!.text).toContain('ฉบับแก้ไข');
    expect(text.stats.misses).toBe(1); // the new document was extracted, not served from the text cache

    // A third run: neither fetched (304) nor parsed again (text from the text cache).
    const text3 = new TextCache(dir);
    let extracted = 0;
    const third = await crawlSite(`${server.url}/`, { http: { cache: new HttpCache(dir) } });
    await extractAll(
      third,
      new DocumentCache({
        textCache: text3,
        extract: async (_b, kind) => {
          extracted++;
          return { kind, parts: [] };
        },
      }),
    );
    expect(extracted).toBe(0);
    expect(text3.stats.hits).toBe(2); // the document and big.pdf (not a readable PDF: its error is kept too)
    expect(third.resources.get(url)!.doc!.parts[0]!.text).toContain('ฉบับแก้ไข');
  });

  it('sends If-Modified-Since when there is no ETag, and uses a fresh answer without any request', async () => {
    const lastModified = 'Wed, 01 Jan 2020 00:00:00 GMT';
    const server = await serve(
      new Map<string, ServedFile>([
        ['/lm', { body: page('x', 'x'), headers: { etag: '', 'last-modified': lastModified } }],
      ]),
    );
    const dir = tempDir();
    const cache = new HttpCache(dir);
    await fetchResource(`${server.url}/lm`, { cache });
    const entry = (await cache.lookup(`${server.url}/lm`))!;
    expect(entry.lastModified).toBe(lastModified);
    expect(entry.etag).toBeNull();
    const again = await fetchResource(`${server.url}/lm`, { cache });
    expect(again.title).toBe('x');
    expect(server.stats.log.map((l) => l.status)).toEqual([200, 304]);

    const fresh = new HttpCache(dir, { freshMs: 60_000 });
    const third = await fetchResource(`${server.url}/lm`, { cache: fresh });
    expect(third.title).toBe('x');
    expect(server.stats.requests).toBe(2);
    expect(fresh.stats.fresh).toBe(1);
  });

  it('drops the entry of a URL that is now 404, and never stores failures or over-cap bodies', async () => {
    const files = new Map<string, ServedFile>([
      ['/a.pdf', { body: new Uint8Array([...Buffer.from('%PDF-1.4\n'), ...new Uint8Array(500)]) }],
      ['/err', { body: 'x', status: 500 }],
      ['/huge.pdf', { body: new Uint8Array([...Buffer.from('%PDF-1.4\n'), ...new Uint8Array(5000)]) }],
    ]);
    const server = await serve(files);
    const cache = new HttpCache(tempDir());
    await fetchResource(`${server.url}/a.pdf`, { cache });
    expect(await cache.lookup(`${server.url}/a.pdf`)).toBeDefined();
    files.get('/a.pdf')!.status = 404;
    const gone = await fetchResource(`${server.url}/a.pdf`, { cache });
    expect(gone.failure?.class).toBe('http-4xx');
    expect(await cache.lookup(`${server.url}/a.pdf`)).toBeUndefined();
    await fetchResource(`${server.url}/err`, { cache, retries: 0 });
    expect(await cache.lookup(`${server.url}/err`)).toBeUndefined();
    const big = await fetchResource(`${server.url}/huge.pdf`, { cache, maxBytes: 1000 });
    expect(big.failure?.class).toBe('too-large');
    expect(await cache.lookup(`${server.url}/huge.pdf`)).toBeUndefined();
  });

  it('ignores and removes corrupt entries and blobs, and fetches again', async () => {
    const files = new Map<string, ServedFile>([
      ['/p', { body: page('หน้า', 'เนื้อหา') }],
      ['/d.pdf', { body: new Uint8Array([...Buffer.from('%PDF-1.4\n'), ...new Uint8Array(300).fill(65)]) }],
    ]);
    const server = await serve(files);
    const dir = tempDir();
    const cache = new HttpCache(dir);
    await fetchResource(`${server.url}/p`, { cache });
    const doc = await fetchResource(`${server.url}/d.pdf`, { cache });
    // Garbage in the page's entry, a flipped byte in the document's blob.
    writeFileSync(cache.entryPath(`${server.url}/p`), '{"v":1,"url":');
    const blob = cache.blobPath(doc.sha256!);
    const bytes = readFileSync(blob);
    bytes[20] = 66;
    writeFileSync(blob, bytes);

    const mark = server.stats.log.length;
    const again = new HttpCache(dir);
    const p = await fetchResource(`${server.url}/p`, { cache: again });
    expect(p.title).toBe('หน้า');
    const d = await fetchResource(`${server.url}/d.pdf`, { cache: again });
    expect(d.body).toEqual(files.get('/d.pdf')!.body);
    expect(d.failure).toBeUndefined();
    expect(again.stats.corrupt).toBe(2);
    // The page: fetched unconditionally; the document: 304, bad blob, fetched again without validators.
    expect(server.stats.log.slice(mark).map((l) => `${l.path} ${l.status}`)).toEqual([
      '/p 200',
      '/d.pdf 304',
      '/d.pdf 200',
    ]);
    // Both stored anew, readable.
    const third = new HttpCache(dir);
    expect(await third.lookup(`${server.url}/p`)).toBeDefined();
    const e = (await third.lookup(`${server.url}/d.pdf`))!;
    expect(await third.readBody(e)).toEqual(files.get('/d.pdf')!.body);
    // An entry of another shape entirely, and one for another URL under this name: ignored too.
    writeFileSync(third.entryPath(`${server.url}/p`), JSON.stringify({ hello: 'world' }));
    expect(await third.lookup(`${server.url}/p`)).toBeUndefined();
    expect(existsSync(third.entryPath(`${server.url}/p`))).toBe(false);
  });

  it('spills large document bodies to disk and reads them back on demand', async () => {
    const big = new Uint8Array([...Buffer.from('%PDF-1.4\n'), ...new Uint8Array(5000).fill(0x41)]);
    const small = new Uint8Array([...Buffer.from('%PDF-1.4\n'), ...new Uint8Array(10)]);
    const server = await serve(
      new Map<string, ServedFile>([
        ['/big.pdf', { body: big }],
        ['/small.pdf', { body: small }],
      ]),
    );
    // Without a cache: in a temp folder.
    const r1 = await fetchResource(`${server.url}/big.pdf`, { spillBytes: 1000 });
    expect(r1.body).toBeUndefined();
    expect(r1.bodyPath).toBeDefined();
    expect(r1.bytes).toBe(big.length);
    expect(await readBody(r1)).toEqual(big);
    const r2 = await fetchResource(`${server.url}/small.pdf`, { spillBytes: 1000 });
    expect(r2.body).toEqual(small);
    expect(r2.bodyPath).toBeUndefined();
    // With a cache: under its dir, linked to the blob, and still readable after the blob is evicted.
    const dir = tempDir();
    const cache = new HttpCache(dir);
    const r3 = await fetchResource(`${server.url}/big.pdf`, { spillBytes: 1000, cache });
    expect(r3.bodyPath!.startsWith(join(dir, 'tmp'))).toBe(true);
    rmSync(cache.blobPath(r3.sha256!));
    expect(await readBody(r3)).toEqual(big);
    await removeSpilledBodies();
    expect(existsSync(r1.bodyPath!)).toBe(false);
    expect(await readBody(r1)).toBeUndefined();
  });
});

function entryFiles(dir: string): CacheEntry[] {
  return readdirSync(join(dir, 'entries'))
    .filter((n) => n.endsWith('.json'))
    .map((n) => JSON.parse(readFileSync(join(dir, 'entries', n), 'utf8')) as CacheEntry);
}

describe('HttpCache on disk', () => {
  it('stays valid when two processes write the same URLs at once (last writer wins, no torn files)', async () => {
    const dir = tempDir();
    const script = join(dir, 'writer.ts');
    writeFileSync(
      script,
      `import { HttpCache } from ${JSON.stringify(join(root, 'src/crawl/http-cache.ts'))};
const [dir, who, at] = process.argv.slice(2);
const cache = new HttpCache(dir);
// Both processes start writing at the same moment.
await new Promise((r) => setTimeout(r, Math.max(0, Number(at) - Date.now())));
await Promise.all(Array.from({ length: 600 }, (_, i) => {
  const body = new TextEncoder().encode(\`\${who} \${i} \`.repeat(200 + i));
  return cache.store(\`http://example.test/\${i % 50}\`, { status: 200, contentType: 'text/plain', etag: \`"\${who}-\${i}"\`, body });
}));
if (cache.stats.errors) throw new Error('write errors: ' + cache.stats.errors);
`,
    );
    const bin = join(root, 'node_modules/.bin/vite-node');
    const at = String(Date.now() + 3000);
    const run = (who: string): Promise<number> =>
      new Promise((ok) => {
        const p = spawn(bin, [script, dir, who, at], { cwd: root, stdio: 'inherit' });
        p.on('exit', (code) => ok(code ?? 1));
      });
    expect(await Promise.all([run('A'), run('B')])).toEqual([0, 0]);
    const entries = entryFiles(dir);
    expect(entries).toHaveLength(50);
    const check = new HttpCache(dir);
    for (const e of entries) {
      const got = await check.lookup(e.url);
      expect(got).toEqual(e);
      const body = await check.readBody(e);
      expect(body).toBeDefined();
      expect(new TextDecoder().decode(body!).startsWith(e.etag!.slice(1, -1).replace('-', ' '))).toBe(true);
    }
    expect(check.stats.corrupt).toBe(0);
    expect(readdirSync(join(dir, 'entries')).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    expect(readdirSync(join(dir, 'blobs')).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  }, 60_000);

  it('evicts least recently used blobs to keep the size bound', async () => {
    const dir = tempDir();
    const cache = new HttpCache(dir, { maxBytes: 10_000 });
    const body = (i: number): Uint8Array => new Uint8Array(1500).fill(i);
    for (let i = 0; i < 20; i++) {
      await cache.store(`http://example.test/${i}`, { status: 200, contentType: null, body: body(i) });
      // Keep document 0 in use: read it back after each write.
      const e0 = await cache.lookup('http://example.test/0');
      if (e0) await cache.readBody(e0);
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(await cache.size()).toBeLessThanOrEqual(10_000);
    expect(cache.stats.evicted).toBeGreaterThan(0);
    const blobs = readdirSync(join(dir, 'blobs'));
    const total = blobs.reduce((n, b) => n + statSync(join(dir, 'blobs', b)).size, 0);
    expect(total).toBeLessThanOrEqual(10_000);
    // The newest and the one kept in use are there; the oldest unused are gone (their entries miss).
    expect(await cache.lookup('http://example.test/19')).toBeDefined();
    expect(await cache.lookup('http://example.test/0')).toBeDefined();
    expect(await cache.lookup('http://example.test/1')).toBeUndefined();
  });

  it('lives under $XDG_CACHE_HOME/ita-check or ~/.cache/ita-check', () => {
    expect(defaultCacheDir({ XDG_CACHE_HOME: '/var/cache/me' })).toBe('/var/cache/me/ita-check');
    expect(defaultCacheDir({})).toMatch(/[/\\]\.cache[/\\]ita-check$/);
    expect(defaultCacheDir({ XDG_CACHE_HOME: 'relative' })).toMatch(/[/\\]\.cache[/\\]ita-check$/);
  });
});
