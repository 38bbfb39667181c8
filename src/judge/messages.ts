// Default finding texts per finding code, worded like the evaluator's comments (Thai first).
// Items override them in their rule data; placeholders are filled from the check's findings.
import type { Bilingual } from '../types.js';

export const DEFAULT_MESSAGES: Record<string, Bilingual> = {
  'no-url': { th: 'ไม่มี URL', en: 'No URL found for this item' },
  'empty-row': {
    th: 'หน้า ITA ของหน่วยงานมีหัวข้อ {item} แต่ไม่มีลิงก์',
    en: "The agency's ITA page lists {item} without a link",
  },
  'found-outside-index': {
    th: 'ไม่พบลิงก์ในหน้า ITA ของหน่วยงาน แต่พบข้อมูลที่ {url} ควรใส่ URL นี้ในระบบ ITAS',
    en: "Not linked from the agency's ITA page, but found at {url}: submit this URL in ITAS",
  },
  'broken-link': { th: 'ลิงก์ใช้งานไม่ได้ ({status})', en: 'Link does not work ({status})' },
  unreachable: {
    th: 'เปิด URL ที่ระบุไม่ได้ ({status})',
    en: 'None of the URLs for this item can be opened ({status})',
  },
  'not-fetched': {
    th: 'ยังไม่ได้เปิด URL นี้ (เกินขีดจำกัดจำนวนหน้า เวลา หรือถูกห้ามโดย robots.txt) ต้องตรวจด้วยตา',
    en: 'This URL was not opened (page or time limits, or robots.txt): check it by eye',
  },
  'not-main-site': {
    th: 'URL ไม่ได้อยู่บนเว็บไซต์หลักของหน่วยงาน ({host})',
    en: "URL is not on the agency's main website ({host})",
  },
  'offsite-document': {
    th: 'เอกสารอยู่นอกเว็บไซต์หลักของหน่วยงาน ({host}) ควรเผยแพร่บนเว็บไซต์หลัก',
    en: "The document is hosted off the agency's main website ({host}); publish it on the main site",
  },
  'not-linked': {
    th: 'ไม่พบเส้นทางเข้าถึงจากหน้าแรกของเว็บไซต์',
    en: 'Not reachable by following links from the homepage',
  },
  'year-missing': { th: 'ไม่พบข้อมูลปี พ.ศ. {year}', en: 'No data for B.E. {year} found' },
  'year-old': {
    th: 'ข้อมูลเป็นของปี {found} ไม่พบข้อมูลปี พ.ศ. {year}',
    en: 'The data is of B.E. {found}; nothing for B.E. {year} found',
  },
  'months-missing': { th: 'ไม่พบข้อมูลเดือน{missing}', en: 'No data found for {missingEn}' },
  'month-mismatch': {
    th: 'ไฟล์เดือน {found} เนื้อหาข้างในเป็นของเดือน {missing}',
    en: 'The file labelled {foundEn} contains data of {missingEn}',
  },
  'other-year-data': { th: 'ข้อมูลบางชุดเป็นของปี {found}', en: 'Some of the data is of B.E. {found}' },
  'not-whole-year': {
    th: 'รายละเอียดของแผนไม่ครอบคลุมระยะเวลาทั้งปีงบประมาณ',
    en: 'The plan does not cover the whole fiscal year',
  },
  'previous-year-missing': {
    th: 'ไม่พบรายงานประจำปี {prevYear}',
    en: 'No report for fiscal year B.E. {prevYear} found',
  },
  'not-current': {
    th: 'ไม่พบข้อมูลที่ดำเนินการในปีงบประมาณ พ.ศ. {year}',
    en: 'Nothing dated in fiscal year B.E. {year} (up to the assessment) found',
  },
  'no-date': {
    th: 'ไม่พบวันที่ในเอกสาร ต้องตรวจสอบว่าเป็นข้อมูลปี พ.ศ. {year}',
    en: 'No date found; check that the data is of B.E. {year}',
  },
  'plan-span': {
    th: 'ระยะเวลาของแผนไม่ครอบคลุมปี พ.ศ. {year}',
    en: 'The plan period does not include B.E. {year}',
  },
  'component-missing': { th: 'ยังขาด {missing}', en: 'Missing: {missingEn}' },
  'person-contact-missing': {
    th: 'ไม่มีช่องทางการติดต่อ{missing}',
    en: 'No contact channel for {missingEn}',
  },
  'person-photo-missing': {
    th: 'ไม่มีรูปถ่ายของผู้บริหารในหน้าที่ระบุ',
    en: 'The page lists executives without their photos',
  },
  'no-external-link': {
    th: 'ไม่พบลิงก์ไปยังสื่อสังคมออนไลน์ของหน่วยงาน ({found}) ที่ใดในเว็บไซต์',
    en: "No link to the agency's own social-network accounts ({found}) anywhere on the site",
  },
  'other-agency-account': {
    th: 'ลิงก์ที่พบเป็นบัญชีของหน่วยงานอื่น ({found}) ไม่ใช่ของหน่วยงานเอง',
    en: 'The social links found belong to another organisation ({found}), not to the agency',
  },
  'no-online-channel': {
    th: 'ไม่พบช่องทางออนไลน์ (แบบฟอร์มหรือระบบ) ในหน้าที่ระบุ',
    en: 'No online channel (a form or system) on the given page',
  },
  'channel-unconfirmed': {
    th: 'หน้าที่ระบุกล่าวถึงช่องทางออนไลน์ แต่ไม่พบแบบฟอร์มหรือลิงก์ไปยังระบบที่ใช้ส่งข้อมูลได้จริง',
    en: 'The page mentions an online channel but has no form or link to a system that takes submissions',
  },
  'not-confidential': {
    th: 'ไม่เป็นช่องทางรักษาความลับ',
    en: 'The channel does not keep the sender confidential',
  },
  'confidentiality-unstated': {
    th: 'ไม่พบข้อความว่าช่องทางนี้รักษาความลับของผู้แจ้ง',
    en: 'The page does not say the channel keeps the sender confidential',
  },
  'no-content': { th: 'ไม่พบข้อมูลในหน้าที่ระบุ', en: 'The given page shows no data' },
  placeholder: { th: 'หน้าที่ระบุแจ้งเพียง “{found}”', en: 'The given page only says “{found}”' },
  'dependency-failed': {
    th: 'เนื่องจากไม่มีข้อมูลที่สอดคล้องใน {item}',
    en: 'No corresponding data in {item}',
  },
  'dependency-review': {
    th: 'ต้องตรวจสอบความสอดคล้องกับ {item} ซึ่งยังต้องตรวจด้วยตา',
    en: '{item}, which this item follows, needs review',
  },
  'pointers-only': {
    th: 'มีเพียงหน้าหลักหรือคำอธิบายขั้นตอนการเข้าถึง ไม่พบข้อมูลของข้อ {item}',
    en: 'Only the homepage or steps to find the data were given: no data for {item} itself',
  },
  'document-unreachable': {
    th: 'เปิดไฟล์เอกสารของข้อนี้ไม่ได้ ({status})',
    en: "The item's document cannot be opened ({status})",
  },
  'scanned-document': {
    th: 'เอกสารเป็นไฟล์สแกนภาพ (ไม่มีข้อความ) ต้องตรวจด้วยตา',
    en: 'The document is a scanned image without text: check it by eye',
  },
  'ocr-text': {
    th: 'ข้อความของเอกสารสแกนอ่านด้วย OCR อาจคลาดเคลื่อน ควรตรวจทานด้วยตา',
    en: 'The text of a scanned document was read by OCR and may contain errors: check it by eye',
  },
  'unreadable-document': { th: 'อ่านเอกสารไม่ได้ ({found})', en: 'The document cannot be read ({found})' },
};

export type Vars = Record<string, string | number | undefined>;

export function fill(template: string, vars: Vars): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const v = vars[name];
    return v === undefined ? whole : String(v);
  });
}

export function message(code: string, vars: Vars, overrides?: Record<string, Bilingual>): Bilingual {
  const t = overrides?.[code] ?? DEFAULT_MESSAGES[code] ?? { th: code, en: code };
  // English texts use the *En variant of a placeholder when one is given.
  const en: Vars = { ...vars };
  for (const k of Object.keys(vars)) if (vars[`${k}En`] !== undefined) en[k] = vars[`${k}En`];
  return { th: fill(t.th, vars), en: fill(t.en, en) };
}
