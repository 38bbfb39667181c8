// What a check reads of each piece of evidence: its labels (link text, file name, title) and its
// content (page text or document text, per page/sheet).
import { normalizeThai } from '../extract/thai-text.js';
import type { DocumentPart, Evidence, Resource } from '../types.js';

export interface EvidenceUnit {
  evidence: Evidence;
  resource?: Resource;
  url: string;
  isDocument: boolean;
  /** Link text, decoded file name, page or document title. */
  labels: string[];
  /** What the agency says the evidence is: link text and file name (not the document's own title). */
  claims: string[];
  /** Page text, or the document's parts. Empty when not fetched or unreadable. */
  parts: DocumentPart[];
  /** A scan whose text could not be read (no OCR, or OCR read nothing). */
  scanned: boolean;
  /** The text came from OCR of a scan: findings say so. */
  ocr: boolean;
  /** Why a document could not be read, when it could not. */
  unreadable?: string;
  /**
   * A guide to where the data is, not the data: a short document of navigation steps ("แสดงขั้นตอนการ
   * เปิดเผยข้อมูล O1 / หน้าหลักของเว็บไซต์เลือกหัวข้อ … เลือก …"), as pattern-A ITA pages attach to each row.
   */
  guide: boolean;
}

/** Navigation steps: "ขั้นตอนการเปิดเผย/เข้าถึงข้อมูล", or "หน้าหลัก/หน้าแรกของเว็บไซต์ … เลือก …". */
const GUIDE = /ขั้นตอนการ(?:เปิดเผย|เข้าถึง)ข้อมูล|(?:หน้าหลัก|หน้าแรก)(?:ของ)?เว็บไซต์\s*(?:เลือก|คลิก)/;

function isGuide(parts: DocumentPart[]): boolean {
  const text = parts.map((p) => p.text).join('\n');
  return text.length > 0 && text.length < 2500 && GUIDE.test(text.replace(/\s+/g, ' ').slice(0, 800));
}

/** A document by its URL when it was not fetched: a file name, or a file kept on a document host. */
export const OFFSITE_DOCUMENT =
  /\.(pdf|docx?|xlsx?|jpe?g|png)(\?|$)|drive\.google\.com\/(file|uc)|docs\.google\.com|dropbox\.com|onedrive\.live|1drv\.ms|flowpaper/i;
/** File-storage and viewer services: a document kept there is not on the agency's site. */
export const FILE_HOSTS = /drive\.google|docs\.google|dropbox|onedrive|1drv\.ms|flowpaper/i;

const DOCUMENT_KINDS = new Set(['pdf', 'docx', 'doc', 'xlsx', 'xls', 'image']);

export function fileNameOf(url: string): string {
  try {
    const last = new URL(url).pathname.split('/').filter(Boolean).pop() ?? '';
    return decodeURIComponent(last)
      .replace(/\.[a-z0-9]{2,5}$/i, '')
      .replace(/[_+]/g, ' ');
  } catch {
    return '';
  }
}

export function toUnit(evidence: Evidence, resource: Resource | undefined): EvidenceUnit {
  const isDocument = resource ? DOCUMENT_KINDS.has(resource.kind) : OFFSITE_DOCUMENT.test(evidence.url);
  const labels = [
    evidence.linkText,
    isDocument ? fileNameOf(evidence.url) : '',
    resource?.title ?? '',
    resource?.doc?.title ?? '',
  ]
    .map((s) => normalizeThai(s))
    .filter((s) => s.length > 0);
  const claims = [evidence.linkText, isDocument ? fileNameOf(evidence.url) : '']
    .map((s) => normalizeThai(s))
    .filter((s) => s.length > 0);
  let parts: DocumentPart[] = [];
  if (resource && !resource.failure) {
    if (resource.kind === 'html') parts = [{ label: 'page', text: resource.mainText ?? '' }];
    else if (resource.doc && !resource.doc.error) parts = resource.doc.parts;
  }
  const unit: EvidenceUnit = {
    evidence,
    resource,
    url: resource?.finalUrl ?? evidence.url,
    isDocument,
    labels,
    claims,
    parts,
    scanned:
      Boolean(resource?.doc?.scanned) &&
      !(resource?.doc?.ocr && resource.doc.parts.some((p) => p.text.trim())),
    ocr: Boolean(resource?.doc?.ocr),
    guide: isDocument && isGuide(parts),
  };
  if (resource?.doc?.error) unit.unreadable = `${resource.doc.error.code}: ${resource.doc.error.message}`;
  else if (isDocument && !resource) unit.unreadable = 'not fetched: kept outside the main website';
  else if (resource && ['doc', 'xls'].includes(resource.kind) && !resource.doc)
    unit.unreadable = `${resource.kind} not read`;
  return unit;
}

/** All content text of a unit, one string. */
export function contentText(u: EvidenceUnit): string {
  return u.parts.map((p) => p.text).join('\n');
}

/** A short excerpt around a position, for findings. */
export function excerptAround(text: string, index: number, length = 120): string {
  const start = Math.max(0, index - 40);
  // PDF text keeps its line breaks (table cells); an excerpt reads as one line.
  const s = text
    .slice(start, start + length)
    .replace(/\s+/g, ' ')
    .trim();
  return (start > 0 ? '…' : '') + s + (start + length < text.length ? '…' : '');
}
