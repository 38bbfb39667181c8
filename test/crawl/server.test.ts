import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { type ServedFile, startServer } from '../../fixtures/lib/server.js';

describe('test server', () => {
  it('serves a map: Thai keys raw or encoded, queries, statuses, headers, windows-874 bodies, 404s', async () => {
    const files = new Map<string, ServedFile>([
      ['/', { body: '<html><body>หน้าแรก</body></html>' }],
      [
        '/files/สขร1-ตุลาคม-2563.pdf',
        { body: new Uint8Array([0x25, 0x50, 0x44, 0x46]), type: 'application/pdf' },
      ],
      ['/%E0%B8%82%E0%B9%88%E0%B8%B2%E0%B8%A7/', { body: 'ข่าว' }],
      ['/news.php?cat_id=13', { body: 'จัดซื้อจัดจ้าง' }],
      ['/old', { body: '', status: 301, headers: { Location: '/' } }],
      ['/tis', { body: 'ภาษาไทย', headers: { 'content-type': 'text/html; charset=tis-620' } }],
    ]);
    const server = await startServer(files);
    try {
      const pdf = await fetch(`${server.url}/files/${encodeURIComponent('สขร1-ตุลาคม-2563.pdf')}`);
      expect(pdf.headers.get('content-type')).toBe('application/pdf');
      expect(new Uint8Array(await pdf.arrayBuffer())).toEqual(new Uint8Array([0x25, 0x50, 0x44, 0x46]));
      expect(await (await fetch(`${server.url}/ข่าว/`)).text()).toBe('ข่าว');
      expect(await (await fetch(`${server.url}/news.php?cat_id=13`)).text()).toBe('จัดซื้อจัดจ้าง');
      expect((await fetch(`${server.url}/news.php?cat_id=14`)).status).toBe(404);
      const moved = await fetch(`${server.url}/old`, { redirect: 'manual' });
      expect(moved.status).toBe(301);
      expect(moved.headers.get('location')).toBe('/');
      const tis = new Uint8Array(await (await fetch(`${server.url}/tis`)).arrayBuffer());
      expect(tis).toEqual(new Uint8Array(iconv.encode('ภาษาไทย', 'windows-874')));
      expect(server.stats.requests).toBe(6);
      expect(server.stats.inFlight).toBe(0);
      expect(server.stats.log.map((l) => l.status)).toEqual([200, 200, 200, 404, 301, 200]);
    } finally {
      await server.close();
    }
  });

  it('serves a directory with the sample-site rules and never outside its root', async () => {
    const root = mkdtempSync(join(tmpdir(), 'ita-srv-'));
    mkdirSync(join(root, 'about'));
    mkdirSync(join(root, '@p=161'));
    writeFileSync(join(root, 'index.html'), 'home');
    writeFileSync(join(root, 'about', 'index.html'), 'about');
    writeFileSync(join(root, '@p=161', 'index.html'), 'short link');
    writeFileSync(join(root, 'แผน.pdf'), '%PDF-1.4');
    writeFileSync(join(tmpdir(), 'ita-srv-secret.txt'), 'secret');
    const server = await startServer(root);
    try {
      expect(await (await fetch(`${server.url}/`)).text()).toBe('home');
      expect(await (await fetch(`${server.url}/about/`)).text()).toBe('about');
      expect(await (await fetch(`${server.url}/about`)).text()).toBe('about');
      expect(await (await fetch(`${server.url}/?p=161`)).text()).toBe('short link');
      const pdf = await fetch(`${server.url}/${encodeURIComponent('แผน.pdf')}`);
      expect(pdf.headers.get('content-type')).toBe('application/pdf');
      expect((await fetch(`${server.url}/missing/`)).status).toBe(404);
      expect((await fetch(`${server.url}/%2e%2e/ita-srv-secret.txt`)).status).toBe(404);
      expect((await fetch(`${server.url}/..%2fita-srv-secret.txt`)).status).toBe(404);
    } finally {
      await server.close();
    }
  });

  it('delays answers and counts requests in flight', async () => {
    const server = await startServer(new Map([['/', { body: 'x' }]]), { latencyMs: 100 });
    try {
      const t = Date.now();
      await Promise.all([1, 2, 3].map(() => fetch(`${server.url}/`).then((r) => r.text())));
      expect(Date.now() - t).toBeGreaterThanOrEqual(95);
      expect(server.stats.maxInFlight).toBe(3);
      expect(server.stats.inFlight).toBe(0);
    } finally {
      await server.close();
    }
  });
});
