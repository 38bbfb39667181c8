// When a content check cannot find what it needs and some evidence could not be read (a scan, an
// encrypted or legacy file), the honest verdict is review, not fail: a person must look.
import type { Check } from '../../rules/schema.js';
import { type CheckContext, type CheckOutcome, finding } from '../context.js';

export function blockedByUnreadable(ctx: CheckContext, check: Check): CheckOutcome | null {
  const findings = [];
  for (const u of ctx.units) {
    if (u.scanned) {
      findings.push(
        finding(
          check,
          'scanned-document',
          {},
          {
            severity: 'review',
            url: u.url,
            fix: {
              th: 'เผยแพร่ไฟล์ที่มีข้อความ (PDF จากโปรแกรม ไม่ใช่ภาพสแกน) หรือเปิด OCR (--ocr)',
              en: 'Publish a text PDF rather than a scanned image, or enable OCR (--ocr)',
            },
          },
        ),
      );
    } else if (u.unreadable) {
      findings.push(
        finding(check, 'unreadable-document', { found: u.unreadable }, { severity: 'review', url: u.url }),
      );
    }
  }
  return findings.length ? { outcome: 'review', findings, satisfiedBy: [] } : null;
}
