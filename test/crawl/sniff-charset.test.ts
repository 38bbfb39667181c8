import { strToU8, zipSync } from 'fflate';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeHtml, sniffKind, zipEntryNames } from '../../src/crawl/index.js';

const PDF = strToU8('%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n%%EOF\n');
const DOCX = zipSync({
  '[Content_Types].xml': strToU8('<Types/>'),
  'word/document.xml': strToU8('<w:document/>'),
});
const XLSX = zipSync({
  '[Content_Types].xml': strToU8('<Types/>'),
  'xl/workbook.xml': strToU8('<workbook/>'),
  'xl/worksheets/sheet1.xml': strToU8('<worksheet/>'),
});
const PLAIN_ZIP = zipSync({ 'readme.txt': strToU8('hello') });
const OLE = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, ...new Array(504).fill(0)]);
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46]);
const GIF = strToU8('GIF89a\x01\x00\x01\x00');
const WEBP = strToU8('RIFF\x10\x00\x00\x00WEBPVP8 ');
const HTML = strToU8('<!DOCTYPE html><html><head><title>x</title></head><body>hi</body></html>');

describe('sniffKind', () => {
  it('trusts magic bytes over the served type and the extension', () => {
    expect(sniffKind(PDF, 'text/html; charset=utf-8', 'http://x.go.th/news_detail.php?id=1')).toBe('pdf');
    expect(
      sniffKind(PDF, 'application/octet-stream', 'http://x.go.th/egp/downloadFileTest?fileId=ab12'),
    ).toBe('pdf');
    expect(sniffKind(DOCX, 'application/octet-stream', 'http://x.go.th/dl?id=1')).toBe('docx');
    expect(sniffKind(XLSX, 'application/zip', 'http://x.go.th/dl?id=2')).toBe('xlsx');
    expect(sniffKind(DOCX, 'application/vnd.ms-excel', 'http://x.go.th/a.xlsx')).toBe('docx');
    expect(sniffKind(PLAIN_ZIP, 'application/zip', 'http://x.go.th/a.zip')).toBe('other');
    expect(sniffKind(PNG, 'text/html', 'http://x.go.th/banner')).toBe('image');
    expect(sniffKind(JPEG, null, 'http://x.go.th/scan')).toBe('image');
    expect(sniffKind(GIF, null, 'http://x.go.th/a')).toBe('image');
    expect(sniffKind(WEBP, null, 'http://x.go.th/a')).toBe('image');
    // An HTML error page served with a .pdf name.
    expect(sniffKind(HTML, 'application/pdf', 'http://x.go.th/files/a.pdf')).toBe('html');
  });

  it('tells old Office files apart by extension, type, then stream names', () => {
    expect(sniffKind(OLE, 'application/octet-stream', 'http://x.go.th/a.doc')).toBe('doc');
    expect(sniffKind(OLE, 'application/octet-stream', 'http://x.go.th/a.xls')).toBe('xls');
    expect(sniffKind(OLE, 'application/vnd.ms-excel', 'http://x.go.th/download.php?id=3')).toBe('xls');
    const word = new Uint8Array(OLE);
    word.set(iconv.encode('WordDocument', 'utf-16le'), 100);
    expect(sniffKind(word, null, 'http://x.go.th/download?id=4')).toBe('doc');
    expect(sniffKind(OLE, null, 'http://x.go.th/download?id=4')).toBe('other');
  });

  it('falls back to the Content-Type, then the extension', () => {
    const text = strToU8('just text');
    expect(sniffKind(text, 'text/html; charset=tis-620', 'http://x.go.th/a')).toBe('html');
    expect(sniffKind(text, 'application/pdf', 'http://x.go.th/a')).toBe('pdf');
    expect(sniffKind(text, 'image/svg+xml', 'http://x.go.th/a')).toBe('image');
    expect(sniffKind(text, null, 'http://x.go.th/a.docx')).toBe('docx');
    expect(sniffKind(text, 'text/plain', 'http://x.go.th/a.txt')).toBe('other');
    expect(sniffKind(new Uint8Array(0), null, 'http://x.go.th/about/')).toBe('other');
  });

  it('reads zip entry names from the central directory, or the local headers of a truncated zip', () => {
    expect(zipEntryNames(XLSX)).toContain('xl/workbook.xml');
    const truncated = DOCX.subarray(0, DOCX.length - 40);
    expect(sniffKind(truncated, null, 'http://x.go.th/dl')).toBe('docx');
  });
});

describe('decodeHtml', () => {
  const thai = '<html><head><title>เทศบาลตำบลท่าศาลา</title></head><body>ประกาศ</body></html>';
  const tis = (s: string) => new Uint8Array(iconv.encode(s, 'windows-874'));

  it('UTF-8 by header, by validity, with a BOM', () => {
    expect(decodeHtml(strToU8(thai), 'text/html; charset=utf-8')).toEqual({ text: thai, charset: 'utf-8' });
    expect(decodeHtml(strToU8(thai), 'text/html')).toEqual({ text: thai, charset: 'utf-8' });
    const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...strToU8(thai)]);
    expect(decodeHtml(bom, 'text/html; charset=windows-874')).toEqual({ text: thai, charset: 'utf-8' });
  });

  it('windows-874 by header (TIS-620 aliases), by meta, by default', () => {
    for (const label of ['TIS-620', 'tis620', 'windows-874', 'x-windows-874', 'ISO-8859-11']) {
      expect(decodeHtml(tis(thai), `text/html; charset=${label}`)).toEqual({
        text: thai,
        charset: 'windows-874',
      });
    }
    const meta = `<html><head><meta http-equiv="Content-Type" content="text/html; charset=tis-620"><title>ท่าศาลา</title></head><body>ประกาศ</body></html>`;
    expect(decodeHtml(tis(meta), 'text/html').text).toBe(meta);
    const meta5 = `<html><head><meta charset="windows-874"><title>ท่าศาลา</title></head></html>`;
    expect(decodeHtml(tis(meta5), null)).toEqual({ text: meta5, charset: 'windows-874' });
    // No label anywhere, not valid UTF-8: windows-874.
    expect(decodeHtml(tis(thai), null)).toEqual({ text: thai, charset: 'windows-874' });
  });

  it('repairs mislabelled pages', () => {
    // Says UTF-8, is TIS-620.
    expect(decodeHtml(tis(thai), 'text/html; charset=UTF-8')).toEqual({ text: thai, charset: 'windows-874' });
    const metaUtf8 = `<html><head><meta charset="utf-8"></head><body>ประกาศเทศบาล</body></html>`;
    expect(decodeHtml(tis(metaUtf8), 'text/html').charset).toBe('windows-874');
    // Says TIS-620 or ISO-8859-1, is UTF-8.
    expect(decodeHtml(strToU8(thai), 'text/html; charset=tis-620')).toEqual({ text: thai, charset: 'utf-8' });
    expect(decodeHtml(strToU8(thai), 'text/html; charset=iso-8859-1')).toEqual({
      text: thai,
      charset: 'utf-8',
    });
    // Says ISO-8859-1, is TIS-620.
    expect(decodeHtml(tis(thai), 'text/html; charset=iso-8859-1')).toEqual({
      text: thai,
      charset: 'windows-874',
    });
  });

  it('header wins over meta when both are plausible', () => {
    const page = `<html><head><meta charset="utf-8"></head><body>ประกาศ</body></html>`;
    expect(decodeHtml(tis(page), 'text/html; charset=windows-874')).toEqual({
      text: page,
      charset: 'windows-874',
    });
  });
});
