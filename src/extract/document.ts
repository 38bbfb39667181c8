// Document extraction entry point: dispatch on the sniffed kind, and a per-run cache so each
// distinct document body is extracted once however many URLs serve it.

import { createHash } from 'node:crypto';
import type { DocumentText, ResourceKind } from '../types.js';
import {
  extractDocx,
  extractLegacyOffice,
  extractXlsx,
  isOle,
  isZip,
  type OfficeExtractOptions,
} from './office.js';
import { extractPdf, type PdfExtractOptions } from './pdf.js';

export type ExtractOptions = PdfExtractOptions & OfficeExtractOptions;

/**
 * Text of a document body. Never throws: failures come back as `error` (encrypted, corrupt,
 * too-large, timeout, unsupported). Images give no parts and no error (OCR is a later stage).
 * The Word/Excel family is re-sniffed from the bytes: a "doc" that is really a zip is read as
 * .docx, a "docx" that is really OLE2 is reported as legacy.
 */
export async function extractDocument(
  bytes: Uint8Array,
  kind: ResourceKind,
  opts: ExtractOptions = {},
): Promise<DocumentText> {
  try {
    switch (kind) {
      case 'pdf':
        return await extractPdf(bytes, opts);
      case 'docx':
      case 'doc':
        if (isZip(bytes)) return extractDocx(bytes, opts);
        if (kind === 'doc' || isOle(bytes)) return extractLegacyOffice(bytes, 'doc');
        return extractDocx(bytes, opts);
      case 'xlsx':
      case 'xls':
        if (isZip(bytes)) return extractXlsx(bytes, opts);
        if (kind === 'xls' || isOle(bytes)) return extractLegacyOffice(bytes, 'xls');
        return extractXlsx(bytes, opts);
      case 'image':
        return { kind, parts: [] };
      default:
        return {
          kind,
          parts: [],
          error: { code: 'unsupported', message: `no document text extraction for ${kind} resources` },
        };
    }
  } catch (err) {
    // The extractors do not throw; this is a last guard.
    return { kind, parts: [], error: { code: 'corrupt', message: String((err as Error)?.message ?? err) } };
  }
}

export type Extractor = (
  bytes: Uint8Array,
  kind: ResourceKind,
  opts?: ExtractOptions,
) => Promise<DocumentText>;

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Extract each distinct body once per run: keyed by the sha256 of the bytes (and the kind), holding
 * the promise so concurrent requests for the same document share one extraction.
 */
export class DocumentCache {
  private readonly entries = new Map<string, Promise<DocumentText>>();
  private readonly extract: Extractor;
  private readonly opts: ExtractOptions;

  constructor(options: { extract?: Extractor; opts?: ExtractOptions } = {}) {
    this.extract = options.extract ?? extractDocument;
    this.opts = options.opts ?? {};
  }

  get(bytes: Uint8Array, kind: ResourceKind): Promise<DocumentText> {
    const key = `${kind}:${sha256(bytes)}`;
    let p = this.entries.get(key);
    if (!p) {
      p = this.extract(bytes, kind, this.opts).catch(
        (err): DocumentText => ({
          kind,
          parts: [],
          error: { code: 'corrupt', message: String((err as Error)?.message ?? err) },
        }),
      );
      this.entries.set(key, p);
    }
    return p;
  }

  has(bytes: Uint8Array, kind: ResourceKind): boolean {
    return this.entries.has(`${kind}:${sha256(bytes)}`);
  }

  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
  }
}
