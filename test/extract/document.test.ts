import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  closeDocumentBrowser,
  docx,
  encryptedPdf,
  oleStub,
  pdfFromHtml,
  xlsx,
} from '../../fixtures/lib/documents.js';
import { DocumentCache, type Extractor, extractDocument } from '../../src/extract/document.js';
import type { ResourceKind } from '../../src/types.js';
import { HEADING, MONTHS } from '../helpers/thai-docs.js';

let pdf: Uint8Array;
const word = docx({ paragraphs: [HEADING], tables: [[['ต.ค.63', '12']]], title: 'รายงาน' });
const excel = xlsx({ sheets: MONTHS.map((m, i) => ({ name: m, rows: [['เรื่อง', i]] })) });

beforeAll(async () => {
  pdf = await pdfFromHtml(`<p>${HEADING}</p>`, { title: 'รายงาน' });
}, 120_000);

afterAll(async () => {
  await closeDocumentBrowser();
});

describe('extractDocument', () => {
  it('dispatches PDF, DOCX and XLSX', async () => {
    const p = await extractDocument(pdf, 'pdf');
    expect(p.kind).toBe('pdf');
    expect(p.parts[0]!.text).toBe(HEADING);
    const d = await extractDocument(word, 'docx');
    expect(d.kind).toBe('docx');
    expect(d.parts[0]!.rows).toEqual([['ต.ค.63', '12']]);
    const x = await extractDocument(excel, 'xlsx');
    expect(x.parts.map((s) => s.label)).toEqual([...MONTHS]);
  });

  it('re-sniffs the Word/Excel family from the bytes', async () => {
    // Served as .doc but really OOXML, and the other way round.
    expect((await extractDocument(word, 'doc')).parts[0]!.text).toContain(HEADING);
    expect((await extractDocument(excel, 'xls')).parts).toHaveLength(6);
    expect((await extractDocument(oleStub(), 'docx')).error?.code).toBe('unsupported');
  });

  it('legacy .doc/.xls → unsupported; images → no parts, no error; html/other → unsupported', async () => {
    for (const kind of ['doc', 'xls'] as const) {
      const r = await extractDocument(oleStub(), kind);
      expect(r.kind).toBe(kind);
      expect(r.error?.code).toBe('unsupported');
    }
    expect(await extractDocument(new Uint8Array([0x89, 0x50, 0x4e, 0x47]), 'image')).toEqual({
      kind: 'image',
      parts: [],
    });
    expect((await extractDocument(new Uint8Array(10), 'other')).error?.code).toBe('unsupported');
  });

  it('passes errors through without throwing', async () => {
    expect((await extractDocument(encryptedPdf(), 'pdf')).error?.code).toBe('encrypted');
    expect((await extractDocument(new Uint8Array([1, 2, 3]), 'docx')).error?.code).toBe('corrupt');
    expect((await extractDocument(pdf, 'pdf', { maxBytes: 10 })).error?.code).toBe('too-large');
  });
});

describe('DocumentCache', () => {
  function counting(): { extract: Extractor; calls: () => number } {
    let n = 0;
    return {
      extract: (bytes, kind: ResourceKind, opts) => {
        n++;
        return extractDocument(bytes, kind, opts);
      },
      calls: () => n,
    };
  }

  it('extracts each distinct body once, sharing in-flight work', async () => {
    const c = counting();
    const cache = new DocumentCache({ extract: c.extract });
    const [a, b] = await Promise.all([cache.get(pdf, 'pdf'), cache.get(pdf.slice(), 'pdf')]);
    expect(c.calls()).toBe(1);
    expect(b).toBe(a);
    expect(await cache.get(new Uint8Array(pdf), 'pdf')).toBe(a);
    expect(c.calls()).toBe(1);
    await cache.get(word, 'docx');
    await cache.get(word, 'docx');
    expect(c.calls()).toBe(2);
    expect(cache.size).toBe(2);
    expect(cache.has(word, 'docx')).toBe(true);
  });

  it('applies its options, and turns a throwing extractor into an error result', async () => {
    const cache = new DocumentCache({ opts: { maxBytes: 10 } });
    expect((await cache.get(pdf, 'pdf')).error?.code).toBe('too-large');
    const bad = new DocumentCache({ extract: () => Promise.reject(new Error('boom')) });
    expect((await bad.get(word, 'docx')).error).toEqual({ code: 'corrupt', message: 'boom' });
  });
});
