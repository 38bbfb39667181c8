// Decoding HTML bodies: UTF-8 or the Thai legacy encodings (TIS-620 / windows-874), often mislabelled.
import iconv from 'iconv-lite';

const THAI_ALIASES = new Set([
  'tis-620',
  'tis620',
  'tis_620',
  'tis-620-0',
  'iso-8859-11',
  'iso8859-11',
  'iso_8859-11',
  'x-windows-874',
  'windows-874',
  'cp874',
  'win874',
  'dos-874',
  'ibm874',
]);
const LATIN1_ALIASES = new Set([
  'iso-8859-1',
  'iso8859-1',
  'latin1',
  'latin-1',
  'windows-1252',
  'cp1252',
  'us-ascii',
]);
const UTF8_ALIASES = new Set(['utf-8', 'utf8', 'unicode-1-1-utf-8', 'x-unicode20utf8']);

/** Canonical name of a charset label: 'utf-8', 'windows-874', or the label when iconv-lite knows it; else null. */
export function canonicalCharset(label: string | null | undefined): string | null {
  if (!label) return null;
  const l = label
    .trim()
    .toLowerCase()
    .replace(/^["']|["']$/g, '');
  if (UTF8_ALIASES.has(l)) return 'utf-8';
  if (THAI_ALIASES.has(l)) return 'windows-874';
  if (l === 'utf-16' || l === 'utf-16le') return 'utf-16le';
  if (l === 'utf-16be') return 'utf-16be';
  if (LATIN1_ALIASES.has(l)) return 'windows-1252';
  return iconv.encodingExists(l) ? l : null;
}

/** charset parameter of a Content-Type value. */
export function charsetFromContentType(contentType: string | null | undefined): string | null {
  if (!contentType) return null;
  const m = /;\s*charset\s*=\s*["']?([^"';\s]+)/i.exec(contentType);
  return m?.[1] ?? null;
}

/** charset declared by `<meta charset>` or `<meta http-equiv=Content-Type content="…charset=…">` near the start. */
export function charsetFromMeta(bytes: Uint8Array): string | null {
  // 4 KB rather than the spec's 1 KB: Thai CMS headers often put inline styles before the meta.
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 4096)).toString('latin1');
  const re = /<meta\b[^>]*>/gi;
  for (let m = re.exec(head); m; m = re.exec(head)) {
    const tag = m[0];
    const direct = /\bcharset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)/i.exec(tag);
    if (direct?.[1]) return direct[1];
  }
  return null;
}

function isValidUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

function hasHighBytes(bytes: Uint8Array): boolean {
  for (const b of bytes) if (b >= 0x80) return true;
  return false;
}

/** Share of bytes ≥ 0x80 that are Thai letters, digits or marks in TIS-620 (0xA1–0xFB). */
function thaiByteShare(bytes: Uint8Array): number {
  let high = 0;
  let thai = 0;
  for (const b of bytes) {
    if (b < 0x80) continue;
    high++;
    if (b >= 0xa1 && b <= 0xfb) thai++;
  }
  return high === 0 ? 0 : thai / high;
}

/** UTF-8 text whose non-ASCII characters are mostly Thai. */
function utf8LooksThai(bytes: Uint8Array): boolean {
  if (!isValidUtf8(bytes)) return false;
  const text = new TextDecoder('utf-8').decode(bytes);
  let nonAscii = 0;
  let thai = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0) ?? 0;
    if (c < 0x80) continue;
    nonAscii++;
    if (c >= 0x0e00 && c <= 0x0e7f) thai++;
  }
  return nonAscii > 0 && thai / nonAscii > 0.5;
}

function decodeWith(bytes: Uint8Array, charset: string): string {
  if (charset === 'utf-8') return new TextDecoder('utf-8').decode(bytes).replace(/^\uFEFF/, '');
  return iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), charset, {
    stripBOM: true,
  });
}

/**
 * Decode an HTML body. Order: BOM, Content-Type charset (`contentType` may carry parameters), `<meta>` charset,
 * UTF-8 when the bytes are valid UTF-8, else windows-874. Declared labels are checked against the bytes:
 * "UTF-8" that is not valid UTF-8 but reads as Thai in windows-874 is windows-874; "TIS-620"/"ISO-8859-1" whose
 * bytes are valid UTF-8 Thai is UTF-8; "ISO-8859-1" whose high bytes are all in the Thai range is windows-874.
 */
export function decodeHtml(
  bytes: Uint8Array,
  contentType: string | null | undefined,
): { text: string; charset: string } {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return { text: decodeWith(bytes.subarray(3), 'utf-8'), charset: 'utf-8' };
  }
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) {
    return { text: iconv.decode(Buffer.from(bytes.subarray(2)), 'utf-16le'), charset: 'utf-16le' };
  }
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
    return { text: iconv.decode(Buffer.from(bytes.subarray(2)), 'utf-16be'), charset: 'utf-16be' };
  }
  const declared =
    canonicalCharset(charsetFromContentType(contentType)) ?? canonicalCharset(charsetFromMeta(bytes));
  const charset = chooseCharset(bytes, declared);
  return { text: decodeWith(bytes, charset), charset };
}

function chooseCharset(bytes: Uint8Array, declared: string | null): string {
  if (!hasHighBytes(bytes)) return declared && !declared.startsWith('utf-16') ? declared : 'utf-8';
  const validUtf8 = isValidUtf8(bytes);
  if (declared === 'utf-8') {
    if (validUtf8) return 'utf-8';
    return thaiByteShare(bytes) > 0.8 ? 'windows-874' : 'utf-8';
  }
  if (declared === 'windows-874' || declared === 'windows-1252') {
    if (validUtf8 && utf8LooksThai(bytes)) return 'utf-8';
    if (declared === 'windows-1252' && thaiByteShare(bytes) > 0.9) return 'windows-874';
    return declared;
  }
  if (declared && !declared.startsWith('utf-16')) return declared;
  return validUtf8 ? 'utf-8' : 'windows-874';
}
