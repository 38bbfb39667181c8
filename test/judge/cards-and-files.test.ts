// Found on a blind WordPress site: executive cards "name, post, phone" under section headings that name a
// post, a person whose name starts like a post (นายกิตติพงษ์), and a report page whose only file is a 404.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/schema.js';
import { codes, item, scanMiniSite } from '../helpers/mini-site.js';

const card = (name: string, post: string, phone: string) =>
  `<div class="card"><img src="/p.png" alt="${name}"><p><strong>${name}</strong><br>${post}<br>โทร. ${phone}</p></div>`;

let report: Report;

beforeAll(async () => {
  report = await scanMiniSite({
    rows: {
      O1: [{ text: 'โครงสร้าง', href: '/contact.php' }],
      O2: [{ text: 'ข้อมูลผู้บริหาร', href: '/executives.php' }],
      O5: [{ text: 'ติดต่อ', href: '/contact.php' }],
      O24: [{ text: 'รายงานผลการจัดซื้อจัดจ้างประจำปี', href: '/o24.php' }],
    },
    files: {
      '/p.png': { body: new Uint8Array([137, 80, 78, 71]), type: 'image/png' },
      '/executives.php': `<h2>คณะผู้บริหาร</h2>${card('นายสมเกียรติ ศรีวงศ์', 'นายกเทศมนตรี', '08-1857-2214')}
${card('นายประยูร แก้วดี', 'รองนายกเทศมนตรี', '08-9251-6630')}
<h2>ปลัดเทศบาลและหัวหน้าส่วนราชการ</h2>${card('นางสาวกาญจนา พึ่งบุญ', 'ปลัดเทศบาล', '0-3231-5480 ต่อ 101')}
${card('นายกิตติพงษ์ เพชรรัตน์', 'ผู้อำนวยการกองช่าง', '0-3231-5480 ต่อ 130')}`,
      '/o24.php':
        '<p>รายงานผลการจัดซื้อจัดจ้างหรือการจัดหาพัสดุประจำปี 2563</p><p><a href="/files/procurement-report-2563.pdf">ดาวน์โหลดเอกสาร</a></p>',
    },
  });
}, 120_000);

describe('people-contacts', () => {
  it('reads cards in their own order: a heading naming a post is nobody, a name starting "นายก" is a name', () => {
    const o2 = item(report, 'O2');
    expect(o2.findings.filter((f) => f.code === 'person-contact-missing')).toEqual([]);
    expect(o2.checks.find((c) => c.check === 'people-contacts')?.outcome).toBe('pass');
  });
});

describe('a report whose file cannot be opened', () => {
  it('fails, saying the file does not open', () => {
    const o24 = item(report, 'O24');
    expect(o24.verdict).toBe('fail');
    expect(codes(o24)).toContain('document-unreachable');
    expect(o24.findings[0]?.message.th).toContain('HTTP 404');
  });
});
