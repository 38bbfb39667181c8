// Pattern-A ITA pages give each row the homepage and a PDF of navigation steps: neither is the data.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDocumentBrowser, pdfFromHtml } from '../../fixtures/lib/documents.js';
import type { Report } from '../../src/report/schema.js';
import { codes, item, scanMiniSite } from '../helpers/mini-site.js';

let report: Report;

beforeAll(async () => {
  const steps = await pdfFromHtml(
    '<p>1. แสดงขั้นตอนการเปิดเผยข้อมูล O10</p><p>2. หน้าหลักของเว็บไซต์เลือกหัวข้อ แผนงาน เลือก แผนการดำเนินงานประจำปี 2564</p><p>3. แสดงแผนการดำเนินงาน</p>',
  );
  report = await scanMiniSite({
    rows: {
      O1: [{ text: 'โครงสร้าง', href: '/contact.php' }],
      O2: [{ text: 'ผู้บริหาร', href: '/contact.php' }],
      O10: [
        { text: 'หน้าหลัก', href: '/' },
        { text: 'ขั้นตอน', href: '/o10_step.pdf' },
      ],
      O30: [{ text: 'ร้องเรียนการทุจริต', href: '/complain.php' }],
    },
    files: {
      '/o10_step.pdf': steps,
      '/complain.php': `<p>เรื่องร้องเรียนทุกเรื่องจะแสดงบนหน้าเว็บไซต์พร้อมชื่อผู้ร้องเรียน</p>
<form method="post" action="/send.php"><input name="name"><textarea name="detail"></textarea></form>
<table><tr><th>วันที่</th><th>เรื่อง</th><th>ผู้ร้องเรียน</th></tr><tr><td>16 พ.ย. 2563</td><td>เรียกรับเงิน</td><td>นายทองสุข มาลัย</td></tr></table>`,
    },
  });
}, 120_000);

afterAll(async () => {
  await closeDocumentBrowser();
});

describe('rows that only point the way', () => {
  it('fails a plan given only as the homepage and a PDF of navigation steps', () => {
    const o10 = item(report, 'O10');
    expect(o10.verdict).toBe('fail');
    expect(codes(o10)[0]).toBe('pointers-only');
    expect(o10.findings[0]?.message.th).toContain('ขั้นตอนการเข้าถึง');
  });
});

describe('complaint listings', () => {
  it('takes one complainant named right under the column as a public listing', () => {
    expect(codes(item(report, 'O30'))).toContain('not-confidential');
  });
});
