import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  brokenSpacingPdf,
  buildPdf,
  closeDocumentBrowser,
  corruptPdf,
  encryptedPdf,
  pdfFromHtml,
  scannedPdf,
  truncatedPdf,
} from '../../fixtures/lib/documents.js';
import { extractPdf, repairThaiTextLayer } from '../../src/extract/pdf.js';
import { normalizeThai } from '../../src/extract/thai-text.js';
import { HEADING, longReportHtml, MONTH_ROWS, reportHtml } from '../helpers/thai-docs.js';

/** What poppler sees in the text layer (independent of pdfjs). */
function pdftotext(pdf: Uint8Array): string {
  return execFileSync('pdftotext', ['-q', '-', '-'], { input: pdf }).toString('utf8');
}

let report: Uint8Array;
let broken: Uint8Array;
let scan: Uint8Array;
let long: Uint8Array;

beforeAll(async () => {
  [report, broken, scan, long] = await Promise.all([
    pdfFromHtml(reportHtml(), { title: 'รายงานผลการดำเนินงาน ปี 2563' }),
    brokenSpacingPdf(`<h1>${HEADING}</h1><p>การประปาส่วนภูมิภาค: น้ำประปาสะอาด ๑๐๐ เปอร์เซ็นต์</p>`),
    scannedPdf(reportHtml()),
    pdfFromHtml(longReportHtml(20)),
  ]);
}, 120_000);

afterAll(async () => {
  await closeDocumentBrowser();
});

describe('extractPdf on a generated Thai report', () => {
  it('reads the heading, Thai digits and the title', async () => {
    const doc = await extractPdf(report);
    expect(doc.error).toBeUndefined();
    expect(doc.kind).toBe('pdf');
    expect(doc.scanned).toBeUndefined();
    expect(doc.title).toBe('รายงานผลการดำเนินงาน ปี 2563');
    const page1 = doc.parts[0]!;
    expect(normalizeThai(page1.text)).toContain(HEADING);
    // Thai digits in the source come back as ASCII digits.
    expect(page1.text).toContain('12 โครงการ');
    expect(page1.text).toContain('1,250,000 บาท');
    // Tone marks survive (no PUA glyphs left over from the font's shaping).
    expect(page1.text).toContain('สำนักงานได้ดำเนินโครงการ');
    expect(page1.text).not.toMatch(/[\uE000-\uF8FF]/);
  });

  it('numbers the pages of a two-page document', async () => {
    const doc = await extractPdf(report);
    expect(doc.parts.map((p) => [p.label, p.page])).toEqual([
      ['1', 1],
      ['2', 2],
    ]);
    expect(doc.parts[1]!.text).toContain('ส่วนที่ 2 ปัญหาและอุปสรรค');
    expect(doc.parts[0]!.text).not.toContain('ปัญหาและอุปสรรค');
  });

  it('keeps table rows as rows of separate cells', async () => {
    const doc = await extractPdf(report);
    const rows = doc.parts[0]!.rows!;
    expect(rows).toContainEqual(['เดือน', 'จำนวนเรื่องที่ได้รับ', 'ดำเนินการแล้วเสร็จ']);
    for (const row of MONTH_ROWS) expect(rows).toContainEqual(row);
    // Rows come top to bottom: the months in calendar order.
    const order = MONTH_ROWS.map((r) => rows.findIndex((x) => x[0] === r[0]));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    // And the text keeps one table row per line.
    expect(doc.parts[0]!.text).toContain('ต.ค.63 10 5\nพ.ย.63 11 6');
  });

  it('repairs a broken Thai text layer (decomposed ำ, zero-width spaces, Thai digits)', async () => {
    // The fixture really is broken: poppler sees the artefacts.
    const raw = pdftotext(broken);
    expect(raw).toContain('\u0E4D\u0E32'); // ํ + า
    expect(raw).toContain('\u200B');
    expect(raw).toMatch(/[\u0E50-\u0E59]/);
    expect(raw).not.toContain('ประจำปีงบประมาณ');

    const doc = await extractPdf(broken);
    expect(doc.error).toBeUndefined();
    const text = normalizeThai(doc.parts.map((p) => p.text).join('\n'));
    expect(text).toContain(HEADING);
    expect(text).toContain('น้ำประปาสะอาด 100 เปอร์เซ็นต์');
  });

  it('maps Thai PUA glyphs and nikhahit-before-tone back to standard text', () => {
    expect(repairThaiTextLayer('ได\uF70B')).toBe('ได้');
    expect(repairThaiTextLayer('ป\uF713า')).toBe('ป่า');
    expect(repairThaiTextLayer('น\u0E4D\u0E49\u0E32')).toBe('น้ำ');
    expect(repairThaiTextLayer('\uF700ุ')).toBe('ฐุ');
    expect(repairThaiTextLayer('ดำาเนินงาน ป้ำา นำ\u0E49า ดำ า')).toBe('ดำเนินงาน ป้ำ น้ำ ดำ');
  });

  it('flags a scan: pages but no text layer', async () => {
    expect(pdftotext(scan).trim()).toBe('');
    const doc = await extractPdf(scan);
    expect(doc.error).toBeUndefined();
    expect(doc.scanned).toBe(true);
    expect(doc.parts.length).toBeGreaterThanOrEqual(1);
    expect(doc.parts.every((p) => p.text === '')).toBe(true);
    expect(doc.title).toBeUndefined(); // Chromium's "about:blank" is not a title
  });

  it('honours maxPages', async () => {
    const all = await extractPdf(long);
    expect(all.parts).toHaveLength(20);
    const capped = await extractPdf(long, { maxPages: 3 });
    expect(capped.parts.map((p) => p.page)).toEqual([1, 2, 3]);
    expect(capped.parts[2]!.text).toContain('หน้าที่ 3');
  });

  it('reads a 20-page Thai PDF quickly (throughput)', async () => {
    const t0 = performance.now();
    const doc = await extractPdf(long);
    const ms = performance.now() - t0;
    expect(doc.parts).toHaveLength(20);
    expect(doc.parts[19]!.text).toContain('หน้าที่ 20');
    expect(doc.parts[19]!.rows).toContainEqual(['ต.ค.63', '200', '20']);
    console.log(
      `extractPdf: 20 pages, ${long.length} bytes in ${ms.toFixed(0)} ms = ${((20 / ms) * 1000).toFixed(0)} pages/s`,
    );
    expect(ms).toBeLessThan(15_000);
  });
});

describe('extractPdf on hand-written PDFs', () => {
  const page = (extra: string, content: string) =>
    buildPdf([
      '<< /Type /Catalog /Pages 2 0 R >>',
      '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] ${extra} /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>`,
      `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
      '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    ]);
  const lines = 'BT /F1 12 Tf 72 720 Td (Annual report) Tj 0 -20 Td (Second line) Tj ET';
  const cells = 'BT /F1 12 Tf 72 680 Td (Month) Tj 200 0 Td (Count) Tj ET';

  it('reads a non-embedded standard font (standard font data found)', async () => {
    const doc = await extractPdf(page('', lines + cells));
    expect(doc.error).toBeUndefined();
    expect(doc.parts[0]!.text).toBe('Annual report\nSecond line\nMonth Count');
    expect(doc.parts[0]!.rows).toEqual([['Annual report'], ['Second line'], ['Month', 'Count']]);
    expect(doc.scanned).toBeUndefined();
  });

  it('reads a rotated page in its text direction', async () => {
    const doc = await extractPdf(page('/Rotate 90', lines + cells));
    expect(doc.parts[0]!.rows).toEqual([['Annual report'], ['Second line'], ['Month', 'Count']]);
  });

  it('a PDF with pages but no text at all is a scan', async () => {
    const doc = await extractPdf(page('', '0 0 m 100 100 l S'));
    expect(doc.scanned).toBe(true);
    expect(doc.parts).toEqual([{ label: '1', page: 1, text: '', rows: [] }]);
  });
});

describe('extractPdf failures (never throws)', () => {
  it('encrypted → encrypted', async () => {
    const doc = await extractPdf(encryptedPdf());
    expect(doc.error?.code).toBe('encrypted');
    expect(doc.parts).toEqual([]);
  });

  it('corrupt, truncated, random and empty bytes → corrupt', async () => {
    let seed = 42;
    const random = new Uint8Array(4096).map(() => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed >>> 24;
    });
    for (const bytes of [
      corruptPdf(),
      truncatedPdf(report),
      truncatedPdf(report, 0.9),
      random,
      new Uint8Array(0),
    ]) {
      const doc = await extractPdf(bytes);
      expect(doc.error?.code, `${bytes.length} bytes`).toBe('corrupt');
      expect(doc.kind).toBe('pdf');
    }
  });

  it('over maxBytes → too-large, before parsing', async () => {
    const doc = await extractPdf(report, { maxBytes: 1000 });
    expect(doc.error?.code).toBe('too-large');
  });

  it('over the time budget → timeout', async () => {
    const doc = await extractPdf(long, { timeoutMs: 1 });
    expect(doc.error?.code).toBe('timeout');
    // The reader is still usable afterwards.
    expect((await extractPdf(report)).error).toBeUndefined();
  });

  it('does not consume the caller’s buffer', async () => {
    const copy = report.slice();
    await extractPdf(copy);
    expect(copy.byteLength).toBe(report.byteLength);
    expect(copy[0]).toBe(0x25); // %
  });
});
