// Two evaluator rules met on a blind site: evidence on another website is not on the main site, and a
// complaint channel that prints who complained is not confidential.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/schema.js';
import { codes, item, scanMiniSite } from '../helpers/mini-site.js';

const FORM = `<form method="post" action="/send.php"><label>ชื่อ-นามสกุล <input name="name"></label>
<label>เรื่องที่ร้องเรียน <input name="subject"></label><textarea name="detail"></textarea><button>ส่งเรื่อง</button></form>`;
const LISTED = `<h3>รายการเรื่องร้องเรียนล่าสุด</h3><table><tr><th>วันที่</th><th>เรื่อง</th><th>ผู้ร้องเรียน</th><th>สถานะ</th></tr>
<tr><td>8 เม.ย. 2564</td><td>ไฟฟ้าส่องสว่างดับ หมู่ที่ 5</td><td>นายสุรชัย พันธ์ดี</td><td>ดำเนินการแล้ว</td></tr>
<tr><td>22 มี.ค. 2564</td><td>ผู้รับจ้างก่อสร้างถนนไม่ตรงตามแบบ</td><td>นางสมศรี ใจงาม</td><td>อยู่ระหว่างตรวจสอบ</td></tr></table>`;

/** Rows for a few other items, so that the ITA page reads as an index. */
const FILLER = {
  O1: [{ text: 'โครงสร้าง', href: '/contact.php' }],
  O2: [{ text: 'ข้อมูลผู้บริหาร', href: '/contact.php' }],
  O5: [{ text: 'ข้อมูลการติดต่อ', href: '/contact.php' }],
};

let report: Report;

beforeAll(async () => {
  report = await scanMiniSite({
    rows: {
      // O20: a report on the agency's old website; O21: a plan on e-GP (a government system).
      O20: [
        { text: 'รายงานการกำกับติดตามการใช้จ่ายงบประมาณ', href: 'http://www.old-site-example.com/report.pdf' },
      ],
      O21: [
        {
          text: 'แผนการจัดซื้อจัดจ้าง 2564',
          href: 'http://process3.gprocurement.go.th/egp2procmainWeb/plan-2564.pdf',
        },
      ],
      O30: [{ text: 'ร้องเรียนการทุจริต', href: '/complain.php' }],
      O32: [{ text: 'ช่องทางรับฟังความคิดเห็น', href: '/opinion.php' }],
    },
    files: {
      '/complain.php': `<p>แจ้งเรื่องร้องเรียนการทุจริตผ่านแบบฟอร์มนี้</p>${FORM}${LISTED}`,
      // Names of officials who take the complaints are no listing of complainants.
      '/opinion.php': `<p>ร้องเรียนออนไลน์ ผู้รับเรื่อง นายสมชาย ใจดี และนางสาวสุดา ดีงาม</p>${FORM}`,
    },
  });
}, 120_000);

describe('on-main-site', () => {
  it('fails a document kept on another website as not on the main site', () => {
    const o20 = item(report, 'O20');
    expect(o20.verdict).toBe('fail');
    expect(codes(o20)).toContain('not-main-site');
    expect(o20.findings.find((f) => f.code === 'not-main-site')?.message.th).toContain(
      'old-site-example.com',
    );
  });
  it('leaves a document on a government system (e-GP) to a person', () => {
    const o21 = item(report, 'O21');
    expect(o21.verdict).toBe('review');
    expect(codes(o21)).toContain('offsite-document');
  });
});

describe('online-channel confidentiality', () => {
  it('fails a complaint form whose page lists complainants by name', () => {
    const o30 = item(report, 'O30');
    expect(o30.verdict).toBe('fail');
    expect(o30.findings.map((f) => f.message.th)).toContain('ไม่เป็นช่องทางรักษาความลับ');
  });
});

describe('online-channel confidentiality, when the page says it keeps them confidential', () => {
  it('passes the same page', async () => {
    const kept = await scanMiniSite({
      rows: { ...FILLER, O30: [{ text: 'ร้องเรียนการทุจริต', href: '/complain.php' }] },
      files: {
        '/complain.php': `<p>ข้อมูลของผู้ร้องเรียนจะถูกเก็บรักษาเป็นความลับ</p>${FORM}${LISTED}`,
      },
    });
    expect(item(kept, 'O30').verdict).toBe('pass');
  }, 120_000);
  it("fails an executive hotline that prints each message with its sender's name", async () => {
    const hotline = await scanMiniSite({
      rows: { ...FILLER, O30: [{ text: 'สายด่วนผู้บริหาร', href: '/hotline.php' }] },
      files: {
        '/hotline.php': `<p>ส่งข้อความถึงนายกเพื่อแจ้งปัญหา ร้องเรียน</p>${FORM}
<div>1. เรื่อง : ขอให้ตรวจสอบการก่อสร้างรางระบายน้ำ ผู้ส่ง : นายสุริยา บุญยืน | 15 มี.ค. 64</div>
<div>2. เรื่อง : ถนนเป็นหลุมบ่อ ผู้ส่ง : นางสาววาสนา ทองคำ | 2 มี.ค. 64</div>`,
      },
    });
    const o30 = item(hotline, 'O30');
    expect(o30.verdict).toBe('fail');
    expect(codes(o30)).toContain('not-confidential');
  }, 120_000);
  it('does not take officials named on an opinion page for a listing of complainants', async () => {
    const officials = await scanMiniSite({
      rows: { ...FILLER, O30: [{ text: 'ร้องเรียนการทุจริต', href: '/complain.php' }] },
      files: {
        '/complain.php': `<p>ร้องเรียนออนไลน์ ผู้รับเรื่อง นายสมชาย ใจดี และนางสาวสุดา ดีงาม</p>${FORM}`,
      },
    });
    const o30 = item(officials, 'O30');
    expect(o30.verdict).toBe('review');
    expect(codes(o30)).toContain('confidentiality-unstated');
  }, 120_000);
});
