// What a body really is: magic bytes first, then the served Content-Type, then the URL's extension.
import type { ResourceKind } from '../types.js';
import { urlExtension } from './url.js';

const OOXML_DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const OOXML_XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const TYPE_KINDS: Record<string, ResourceKind> = {
  'text/html': 'html',
  'application/xhtml+xml': 'html',
  'application/pdf': 'pdf',
  'application/x-pdf': 'pdf',
  'application/msword': 'doc',
  'application/vnd.ms-excel': 'xls',
  [OOXML_DOCX]: 'docx',
  [OOXML_XLSX]: 'xlsx',
};

const EXT_KINDS: Record<string, ResourceKind> = {
  html: 'html',
  htm: 'html',
  xhtml: 'html',
  php: 'html',
  asp: 'html',
  aspx: 'html',
  jsp: 'html',
  pdf: 'pdf',
  doc: 'doc',
  docx: 'docx',
  xls: 'xls',
  xlsx: 'xlsx',
  jpg: 'image',
  jpeg: 'image',
  png: 'image',
  gif: 'image',
  webp: 'image',
  bmp: 'image',
  tif: 'image',
  tiff: 'image',
};

/** Kinds that are documents (fetched and counted against maxDocuments), by extension alone. */
export const DOCUMENT_EXTENSIONS = new Set([
  'pdf',
  'doc',
  'docx',
  'xls',
  'xlsx',
  'ppt',
  'pptx',
  'odt',
  'ods',
  'rtf',
  'jpg',
  'jpeg',
  'png',
  'gif',
  'webp',
  'bmp',
  'tif',
  'tiff',
  'txt',
  'csv',
]);

/** Links never fetched: media, archives, executables, page assets (they stay in the pages' links). */
export const SKIP_EXTENSIONS = new Set([
  'zip',
  'rar',
  '7z',
  'gz',
  'tar',
  'exe',
  'msi',
  'apk',
  'iso',
  'dmg',
  'mp3',
  'mp4',
  'm4a',
  'wav',
  'wma',
  'wmv',
  'avi',
  'mov',
  'mkv',
  'flv',
  'swf',
  'css',
  'js',
  'ico',
  'woff',
  'woff2',
  'ttf',
  'eot',
  'svg',
]);

function startsWith(bytes: Uint8Array, sig: readonly number[], at = 0): boolean {
  if (bytes.length < at + sig.length) return false;
  for (let i = 0; i < sig.length; i++) if (bytes[at + i] !== sig[i]) return false;
  return true;
}

function latin1(bytes: Uint8Array, start: number, end: number): string {
  return Buffer.from(
    bytes.buffer,
    bytes.byteOffset + start,
    Math.max(0, Math.min(end, bytes.length) - start),
  ).toString('latin1');
}

/** Content-Type without parameters, lower-cased; null when absent. */
export function baseType(contentType: string | null | undefined): string | null {
  if (!contentType) return null;
  const t = contentType.split(';')[0]?.trim().toLowerCase();
  return t ? t : null;
}

/** Kind of a body: magic bytes, then Content-Type (with or without parameters), then the URL extension. */
export function sniffKind(
  bytes: Uint8Array,
  servedType: string | null | undefined,
  url: string,
): ResourceKind {
  const magic = sniffMagic(bytes, url, servedType);
  if (magic) return magic;
  const type = baseType(servedType);
  if (type) {
    const byType = TYPE_KINDS[type];
    if (byType) return byType;
    if (type.startsWith('image/')) return 'image';
  }
  const byExt = EXT_KINDS[urlExtension(url)];
  if (byExt) return byExt;
  return 'other';
}

/** Kind from the bytes alone, or null when the bytes say nothing. */
export function sniffMagic(
  bytes: Uint8Array,
  url = '',
  servedType: string | null | undefined = null,
): ResourceKind | null {
  if (bytes.length === 0) return null;
  // PDF: %PDF within the first 1 KB (some servers prepend junk or a BOM).
  const head = latin1(bytes, 0, 1024);
  if (
    head.startsWith('%PDF') ||
    (head.includes('%PDF-') && !/<html|<!doctype/i.test(head.slice(0, head.indexOf('%PDF-'))))
  )
    return 'pdf';
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) || startsWith(bytes, [0x50, 0x4b, 0x05, 0x06])) {
    return zipKind(bytes);
  }
  if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))
    return oleKind(bytes, url, servedType);
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47])) return 'image';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image';
  if (head.startsWith('GIF87a') || head.startsWith('GIF89a')) return 'image';
  if (head.startsWith('RIFF') && head.slice(8, 12) === 'WEBP') return 'image';
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a]))
    return 'image';
  if (looksLikeHtml(bytes)) return 'html';
  return null;
}

/** `<!doctype html`, `<html`, `<head` or `<body` near the start (UTF-8/ASCII-compatible bodies). */
export function looksLikeHtml(bytes: Uint8Array): boolean {
  let text = latin1(bytes, 0, 2048);
  if (text.startsWith('\xef\xbb\xbf')) text = text.slice(3);
  // UTF-16 LE/BE: drop the zero bytes.
  if (text.startsWith('\xff\xfe') || text.startsWith('\xfe\xff')) text = text.replace(/\0/g, '');
  const lower = text.toLowerCase();
  const trimmed = lower.replace(/^[\s\uFEFF\xFF\xFE]+/, '');
  if (!trimmed.startsWith('<')) return false;
  return /<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]|<title[\s>]|<meta[\s>]/.test(lower);
}

/** DOCX / XLSX / other, from the names in the zip's central directory (local headers when it is missing). */
function zipKind(bytes: Uint8Array): ResourceKind {
  const names = zipEntryNames(bytes);
  if (names.some((n) => n.startsWith('word/'))) return 'docx';
  if (names.some((n) => n.startsWith('xl/'))) return 'xlsx';
  return 'other';
}

export function zipEntryNames(bytes: Uint8Array): string[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const names: string[] = [];
  // End of central directory: signature 0x06054b50, searched from the end (comment up to 64 KB).
  const min = Math.max(0, bytes.length - 22 - 0xffff);
  let eocd = -1;
  for (let i = bytes.length - 22; i >= min; i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd >= 0) {
    const count = view.getUint16(eocd + 10, true);
    let p = view.getUint32(eocd + 16, true);
    for (let n = 0; n < count && p + 46 <= bytes.length; n++) {
      if (view.getUint32(p, true) !== 0x02014b50) break;
      const nameLen = view.getUint16(p + 28, true);
      const extraLen = view.getUint16(p + 30, true);
      const commentLen = view.getUint16(p + 32, true);
      names.push(latin1(bytes, p + 46, p + 46 + nameLen));
      p += 46 + nameLen + extraLen + commentLen;
    }
    if (names.length) return names;
  }
  // Truncated zip: walk the local file headers.
  let p = 0;
  while (p + 30 <= bytes.length && view.getUint32(p, true) === 0x04034b50) {
    const flags = view.getUint16(p + 6, true);
    const compSize = view.getUint32(p + 18, true);
    const nameLen = view.getUint16(p + 26, true);
    const extraLen = view.getUint16(p + 28, true);
    names.push(latin1(bytes, p + 30, p + 30 + nameLen));
    if (flags & 0x08 && compSize === 0) break; // sizes in a data descriptor: cannot skip reliably
    p += 30 + nameLen + extraLen + compSize;
  }
  if (names.length) return names;
  // Last resort: look for the marker folders anywhere.
  const all = latin1(bytes, 0, Math.min(bytes.length, 4 * 1024 * 1024));
  if (all.includes('word/document.xml')) return ['word/document.xml'];
  if (all.includes('xl/workbook.xml')) return ['xl/workbook.xml'];
  return names;
}

/** Old Office (OLE compound file): by extension, then Content-Type, then stream names. */
function oleKind(bytes: Uint8Array, url: string, servedType: string | null | undefined): ResourceKind {
  const ext = urlExtension(url);
  if (ext === 'doc' || ext === 'dot') return 'doc';
  if (ext === 'xls' || ext === 'xlt') return 'xls';
  const type = baseType(servedType);
  if (type === 'application/msword') return 'doc';
  if (type === 'application/vnd.ms-excel') return 'xls';
  const text = latin1(bytes, 0, Math.min(bytes.length, 2 * 1024 * 1024)).replace(/\0/g, '');
  if (text.includes('WordDocument')) return 'doc';
  if (text.includes('Workbook') || text.includes('Book')) return 'xls';
  return 'other';
}

/** Document kinds that the extract stage reads. */
export function isDocumentKind(kind: ResourceKind): boolean {
  return kind !== 'html';
}
