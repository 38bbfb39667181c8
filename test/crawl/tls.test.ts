// A self-signed certificate: the failure is classified 'tls' and the crawl falls back to http:// on the same
// host and port (one socket serves both: TLS handshakes go to the https server, the rest to the http server).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer as createHttpServer, type RequestListener } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crawlSite, fetchResource } from '../../src/crawl/index.js';
import { requireTool } from '../helpers/tools.js';

describe('TLS failures', () => {
  let server: Server;
  let port = 0;
  beforeAll(async () => {
    requireTool('openssl', ['version'], 'openssl');
    const dir = mkdtempSync(join(tmpdir(), 'ita-tls-'));
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
    const app: RequestListener = (req, res) => {
      res.writeHead(req.url === '/' ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' });
      res.end(req.url === '/' ? '<html><body><a href="/about/">เกี่ยวกับ</a></body></html>' : 'not found');
    };
    const https = createHttpsServer(
      { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) },
      app,
    );
    const http = createHttpServer(app);
    server = createNetServer((socket) => {
      socket.once('data', (first) => {
        socket.pause();
        socket.unshift(first);
        (first[0] === 0x16 ? https : http).emit('connection', socket);
        process.nextTick(() => socket.resume());
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as { port: number }).port;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
  });

  it("classifies a self-signed certificate as 'tls'", async () => {
    const r = await fetchResource(`https://127.0.0.1:${port}/`, { retries: 0 });
    expect(r.failure?.class).toBe('tls');
  });

  it('crawls the http:// twin and keeps the TLS error', async () => {
    const result = await crawlSite(`https://127.0.0.1:${port}/`, { timeoutMs: 3000, useSitemaps: false });
    expect(result.startUrl).toBe(`https://127.0.0.1:${port}/`);
    expect(result.homeUrl).toBe(`http://127.0.0.1:${port}/`);
    expect(result.resources.get(result.startUrl)?.status).toBe(200);
    expect(result.errors.map((e) => e.class)).toEqual(['tls', 'http-4xx']);
    const off = await crawlSite(`https://127.0.0.1:${port}/`, { httpFallbackOnTlsError: false });
    expect(off.resources.get(off.startUrl)?.failure?.class).toBe('tls');
  });
});
