import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { docx } from '../../fixtures/lib/documents.js';
import { DocumentCache, type Extractor, sha256 } from '../../src/extract/document.js';
import { extractionOptionsKey, TextCache, worthKeeping } from '../../src/extract/text-cache.js';
import type { DocumentText } from '../../src/types.js';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'ita-text-cache-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const text = (t: string): DocumentText => ({ kind: 'pdf', parts: [{ label: '1', page: 1, text: t }] });
const SHA = 'a'.repeat(64);

/** An extractor that counts its calls and returns the bytes as text. */
function counting(): { extract: Extractor; calls: () => number } {
  let n = 0;
  return {
    extract: async (bytes, kind) => {
      n++;
      return { kind, parts: [{ label: 'document', text: new TextDecoder().decode(bytes) }] };
    },
    calls: () => n,
  };
}

describe('TextCache', () => {
  it('keeps a text by sha256, kind, OCR, options and extractor version', async () => {
    const dir = tempDir();
    const cache = new TextCache(dir);
    await cache.put(SHA, 'pdf', false, '{}', text('ประกาศ'));
    expect(await new TextCache(dir).get(SHA, 'pdf', false, '{}')).toEqual(text('ประกาศ'));
    expect(await cache.get('b'.repeat(64), 'pdf', false, '{}')).toBeUndefined();
    expect(await cache.get(SHA, 'docx', false, '{}')).toBeUndefined();
    expect(await cache.get(SHA, 'pdf', true, '{}')).toBeUndefined();
    expect(await cache.get(SHA, 'pdf', false, '{"maxPages":5}')).toBeUndefined();
    expect(await new TextCache(dir, { version: 'next' }).get(SHA, 'pdf', false, '{}')).toBeUndefined();
  });

  it('ignores and removes corrupt files', async () => {
    const dir = tempDir();
    const cache = new TextCache(dir);
    await cache.put(SHA, 'pdf', false, '', text('x'));
    const file = join(dir, 'text', `${cache.key(SHA, 'pdf', false, '')}.json`);
    writeFileSync(file, '{"key":');
    expect(await cache.get(SHA, 'pdf', false, '')).toBeUndefined();
    expect(readdirSync(join(dir, 'text'))).toEqual([]);
    await cache.put(SHA, 'pdf', false, '', text('x'));
    writeFileSync(
      file,
      JSON.stringify({ key: cache.key(SHA, 'pdf', false, ''), doc: { kind: 'pdf', parts: 3 } }),
    );
    expect(await cache.get(SHA, 'pdf', false, '')).toBeUndefined();
    expect(cache.stats.corrupt).toBe(2);
  });

  it('does not keep timeouts, nor scans OCR did not read while OCR was asked for', () => {
    expect(worthKeeping({ kind: 'pdf', parts: [], error: { code: 'timeout', message: 't' } }, false)).toBe(
      false,
    );
    expect(worthKeeping({ kind: 'pdf', parts: [], error: { code: 'encrypted', message: 'e' } }, false)).toBe(
      true,
    );
    expect(worthKeeping({ kind: 'pdf', parts: [], scanned: true }, false)).toBe(true);
    expect(worthKeeping({ kind: 'pdf', parts: [], scanned: true }, true)).toBe(false);
    expect(worthKeeping({ kind: 'pdf', parts: [], scanned: true, ocr: true }, true)).toBe(true);
    expect(worthKeeping({ kind: 'image', parts: [] }, true)).toBe(false);
  });

  it('keys options without paths or environments, in a stable order', () => {
    expect(
      extractionOptionsKey({ maxPages: 5, ocrOptions: { dpi: 300, env: { PATH: '/x' }, bins: {} } }),
    ).toBe(extractionOptionsKey({ ocrOptions: { dpi: 300 }, maxPages: 5, ocr: true }));
    expect(extractionOptionsKey({ maxPages: 5 })).not.toBe(extractionOptionsKey({ maxPages: 6 }));
  });

  it('evicts least recently used texts over its bound', async () => {
    const dir = tempDir();
    const cache = new TextCache(dir, { maxBytes: 5000 });
    for (let i = 0; i < 30; i++) {
      await cache.put(i.toString(16).padStart(64, '0'), 'pdf', false, '', text('ก'.repeat(100)));
    }
    const total = readdirSync(join(dir, 'text')).reduce((n, f) => n + statSync(join(dir, 'text', f)).size, 0);
    expect(total).toBeLessThanOrEqual(5000);
    expect(cache.stats.evicted).toBeGreaterThan(0);
    expect(await cache.get((29).toString(16).padStart(64, '0'), 'pdf', false, '')).toBeDefined();
  });

  it('stays valid with many writers of one key at once', async () => {
    const dir = tempDir();
    const caches = [new TextCache(dir), new TextCache(dir), new TextCache(dir)];
    await Promise.all(
      Array.from({ length: 60 }, (_, i) => caches[i % 3]!.put(SHA, 'pdf', false, '', text(`v${i}`))),
    );
    const got = await new TextCache(dir).get(SHA, 'pdf', false, '');
    expect(got?.parts[0]?.text).toMatch(/^v\d+$/);
    expect(readdirSync(join(dir, 'text'))).toHaveLength(1);
  });
});

describe('DocumentCache with a TextCache', () => {
  it('never extracts an unchanged document again in a later run, and extracts a changed one', async () => {
    const dir = tempDir();
    const one = counting();
    const run1 = new DocumentCache({ extract: one.extract, textCache: new TextCache(dir) });
    const a = new TextEncoder().encode('รายงานฉบับที่ 1');
    expect((await run1.get(a, 'pdf')).parts[0]!.text).toBe('รายงานฉบับที่ 1');
    expect(one.calls()).toBe(1);

    const two = counting();
    const tc = new TextCache(dir);
    const run2 = new DocumentCache({ extract: two.extract, textCache: tc });
    expect((await run2.get(a, 'pdf')).parts[0]!.text).toBe('รายงานฉบับที่ 1');
    expect(two.calls()).toBe(0);
    const b = new TextEncoder().encode('รายงานฉบับที่ 2');
    expect((await run2.get(b, 'pdf')).parts[0]!.text).toBe('รายงานฉบับที่ 2');
    expect(two.calls()).toBe(1);
    expect(tc.stats).toMatchObject({ hits: 1, misses: 1, stored: 1 });

    // Other options (fewer pages read) or OCR on: extracted anew.
    const three = counting();
    const run3 = new DocumentCache({
      extract: three.extract,
      textCache: new TextCache(dir),
      opts: { maxPages: 3 },
    });
    await run3.get(a, 'pdf');
    await run3.get(a, 'pdf', { ocr: true });
    expect(three.calls()).toBe(2);
  });

  it('does not keep what an extractor threw', async () => {
    const dir = tempDir();
    const failing = new DocumentCache({
      textCache: new TextCache(dir),
      extract: async () => {
        throw new Error('out of memory');
      },
    });
    const bytes = new Uint8Array([1, 2, 3]);
    expect((await failing.get(bytes, 'pdf')).error?.code).toBe('corrupt');
    const again = counting();
    await new DocumentCache({ extract: again.extract, textCache: new TextCache(dir) }).get(bytes, 'pdf');
    expect(again.calls()).toBe(1);
  });

  it('works with the real extractors', async () => {
    const dir = tempDir();
    const bytes = docx({ paragraphs: ['คู่มือการปฏิบัติงาน'] });
    const first = await new DocumentCache({ textCache: new TextCache(dir) }).get(bytes, 'docx');
    const tc = new TextCache(dir);
    const second = await new DocumentCache({ textCache: tc }).get(bytes, 'docx');
    expect(second).toEqual(first);
    expect(second.parts[0]!.text).toContain('คู่มือการปฏิบัติงาน');
    expect(tc.stats.hits).toBe(1);
    expect(sha256(bytes)).toMatch(/^[0-9a-f]{64}$/);
  });
});
