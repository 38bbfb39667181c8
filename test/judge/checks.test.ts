// Every generic check, with a passing and a failing fixture: small agency sites with real Thai pages and
// generated PDFs/XLSX, served on 127.0.0.1 and scanned end to end.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDocumentBrowser, pdfFromHtml, scannedPdf, xlsx } from '../../fixtures/lib/documents.js';
import { startServer } from '../../fixtures/lib/server.js';
import type { Report } from '../../src/report/schema.js';
import { scan } from '../../src/scan.js';
import { buildMiniSite, codes, item, scanMiniSite } from '../helpers/mini-site.js';

const MONTHS = [
  ['ตุลาคม', 2563],
  ['พฤศจิกายน', 2563],
  ['ธันวาคม', 2563],
  ['มกราคม', 2564],
  ['กุมภาพันธ์', 2564],
  ['มีนาคม', 2564],
] as const;

const statsPdf = (month: string, year: number) =>
  pdfFromHtml(`<h2>สถิติการให้บริการ ประจำเดือน${month} ${year}</h2>
<table><tr><th>งานบริการ</th><th>จำนวน (ราย)</th></tr><tr><td>รับชำระภาษี</td><td>52</td></tr><tr><td>ขออนุญาตก่อสร้าง</td><td>7</td></tr></table>`);

const complaintPdf = (month: string, year: number) =>
  pdfFromHtml(`<h2>สถิติเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ ประจำเดือน${month} ${year}</h2>
<table><tr><th>จำนวนเรื่องร้องเรียน</th><th>ดำเนินการแล้วเสร็จ</th><th>อยู่ระหว่างดำเนินการ</th></tr><tr><td>0</td><td>0</td><td>0</td></tr></table>`);

const planTable = (months: string[]) =>
  `<table><tr><th>แผนงาน/โครงการ</th><th>งบประมาณ (บาท)</th>${months.map((m) => `<th>${m}</th>`).join('')}</tr>
<tr><td>โครงการก่อสร้างถนน</td><td>500,000</td>${months.map(() => '<td>40,000</td>').join('')}</tr></table>`;

const FULL_YEAR = [
  'ต.ค.63',
  'พ.ย.63',
  'ธ.ค.63',
  'ม.ค.64',
  'ก.พ.64',
  'มี.ค.64',
  'เม.ย.64',
  'พ.ค.64',
  'มิ.ย.64',
  'ก.ค.64',
  'ส.ค.64',
  'ก.ย.64',
];

const annualReport = (year: number) =>
  pdfFromHtml(`<h2>รายงานผลการดำเนินการป้องกันการทุจริต ประจำปีงบประมาณ พ.ศ. ${year}</h2>
<p>ผลการดำเนินการโครงการ/กิจกรรม จำนวน 8 โครงการ ผลการใช้จ่ายงบประมาณ 120,000 บาท ผลสัมฤทธิ์ตามเป้าหมาย ร้อยละ 95</p>
<p>ปัญหา อุปสรรค: บุคลากรมีภารกิจมาก ข้อเสนอแนะ: ควรจัดกิจกรรมต่อเนื่อง</p>`);

const NEWS = [
  ['15 พฤศจิกายน', 'อบต.จัดงานประเพณีลอยกระทง ประชาชนร่วมงานกว่า 500 คน'],
  ['9 ธันวาคม', 'กิจกรรมวันต่อต้านคอร์รัปชันสากล ผู้บริหารและพนักงานร่วมประกาศเจตนารมณ์'],
  ['20 ธันวาคม', 'รณรงค์ป้องกันโรคไข้เลือดออกในหมู่บ้าน แจกทรายอะเบท'],
] as const;

const HR_CRITERIA = [
  'หลักเกณฑ์การสรรหาและคัดเลือกบุคลากร',
  'หลักเกณฑ์การบรรจุและแต่งตั้งบุคลากร',
  'หลักเกณฑ์การพัฒนาบุคลากร',
  'หลักเกณฑ์การประเมินผลการปฏิบัติงานบุคลากร',
  'หลักเกณฑ์การให้คุณให้โทษและการสร้างขวัญกำลังใจ',
];

let good: Report;
let bad: Report;

beforeAll(async () => {
  const goodStats = await Promise.all(MONTHS.map(([m, y]) => statsPdf(m, y)));
  const goodComplaints = await Promise.all(MONTHS.map(([m, y]) => complaintPdf(m, y)));
  good = await scanMiniSite({
    footer: '<a href="https://www.facebook.com/abt.test"><img src="/fb.png" alt="Facebook อบต.ทดสอบ"></a>',
    rows: {
      O2: [{ text: 'คณะผู้บริหาร', href: '/executives.php' }],
      O4: [{ text: 'แผนพัฒนาท้องถิ่น (พ.ศ. 2561 - 2565)', href: '/plan.pdf' }],
      O7: [{ text: 'ข่าวประชาสัมพันธ์', href: '/news.php' }],
      O9: [{ text: 'Facebook', href: 'https://www.facebook.com/abt.test' }],
      O15: MONTHS.map(([m, y], i) => ({ text: `สถิติเดือน${m} ${y}`, href: `/stat-${i}.pdf` })),
      O17: [{ text: 'E-Service', href: '/eservice.php' }],
      O18: [{ text: 'แผนการใช้จ่ายงบประมาณ ประจำปี 2564', href: '/spend-plan.pdf' }],
      O25: [{ text: 'นโยบายการบริหารทรัพยากรบุคคล', href: '/hr-policy.pdf' }],
      O27: [{ text: 'หลักเกณฑ์การบริหารและพัฒนาทรัพยากรบุคคล', href: '/hr-criteria.php' }],
      O28: [{ text: 'รายงานผลการบริหารและพัฒนาทรัพยากรบุคคล ประจำปี 2563', href: '/hr-report.pdf' }],
      O30: [{ text: 'แจ้งเรื่องร้องเรียนการทุจริต', href: '/complaint-corruption.php' }],
      O31: MONTHS.map(([m, y], i) => ({ text: `สถิติเรื่องร้องเรียน ${m} ${y}`, href: `/complaint-${i}.pdf` })),
      O41: [{ text: 'รายงานผลการดำเนินการป้องกันการทุจริตประจำปี 2563', href: '/ac-2563.pdf' }],
    },
    files: {
      '/executives.php': `<div class="person"><img src="/p1.jpg" alt="นายสมชาย ใจดี"><p>นายสมชาย ใจดี</p><p>นายกองค์การบริหารส่วนตำบล</p><p>โทร. 081-234-5678</p></div>
<div class="person"><img src="/p2.jpg" alt="นางสาวมาลี ศรีสุข"><p>นางสาวมาลี ศรีสุข</p><p>ปลัดองค์การบริหารส่วนตำบล</p><p>อีเมล malee@abt-test.go.th</p></div>`,
      '/plan.pdf': await pdfFromHtml(
        '<h2>แผนพัฒนาท้องถิ่น (พ.ศ. 2561 - 2565)</h2><p>ยุทธศาสตร์การพัฒนา เป้าประสงค์ ตัวชี้วัด ค่าเป้าหมาย</p>',
      ),
      '/news.php': `<ul>${NEWS.map(([d, t]) => `<li>${d} 2563 ${t}</li>`).join('')}</ul>`,
      ...Object.fromEntries(goodStats.map((b, i) => [`/stat-${i}.pdf`, b])),
      ...Object.fromEntries(goodComplaints.map((b, i) => [`/complaint-${i}.pdf`, b])),
      '/eservice.php': `<p>ยื่นคำร้องออนไลน์</p><form action="/eservice.php" method="post"><label>ชื่อ-นามสกุล <input name="name"></label><label>เรื่องที่ขอรับบริการ <textarea name="detail"></textarea></label><button>ส่งคำร้อง</button></form>`,
      '/spend-plan.pdf': await pdfFromHtml(
        `<h2>แผนการใช้จ่ายงบประมาณ ประจำปีงบประมาณ พ.ศ. 2564</h2>${planTable(FULL_YEAR)}`,
        { landscape: true },
      ),
      '/hr-policy.pdf': await pdfFromHtml(
        '<h2>ประกาศองค์การบริหารส่วนตำบลทดสอบ เรื่อง นโยบายการบริหารทรัพยากรบุคคล ประจำปีงบประมาณ พ.ศ. 2564</h2><p>ประกาศ ณ วันที่ 5 ตุลาคม 2563</p>',
      ),
      '/hr-criteria.php': `<ol>${HR_CRITERIA.map((c) => `<li>${c} ตามประกาศคณะกรรมการพนักงานส่วนตำบล</li>`).join('')}</ol>`,
      '/hr-report.pdf': await pdfFromHtml(
        '<h2>รายงานผลการบริหารและพัฒนาทรัพยากรบุคคล ประจำปีงบประมาณ พ.ศ. 2563</h2><p>ผลการดำเนินงานตามแผนพัฒนาบุคลากร ปัญหา อุปสรรค และข้อเสนอแนะ</p>',
      ),
      '/complaint-corruption.php': `<p>ข้อมูลของผู้ร้องเรียนจะถูกเก็บรักษาเป็นความลับ ไม่จำเป็นต้องระบุชื่อ</p><form method="post" action="/complaint-corruption.php"><textarea name="detail"></textarea><input type="submit" value="ส่ง"></form>`,
      '/ac-2563.pdf': await annualReport(2563),
    },
  });

  const badStats = await Promise.all(MONTHS.filter(([m]) => m !== 'มกราคม').map(([m, y]) => statsPdf(m, y)));
  const badComplaints = await Promise.all(
    MONTHS.map(([m, y]) => (m === 'มกราคม' ? complaintPdf('กุมภาพันธ์', 2564) : complaintPdf(m, y))),
  );
  bad = await scanMiniSite({
    rows: {
      O2: [{ text: 'คณะผู้บริหาร', href: '/executives.php' }],
      O4: [{ text: 'แผนพัฒนาท้องถิ่น', href: '/plan.pdf' }],
      O6: [{ text: 'กฎหมายที่เกี่ยวข้อง', href: '/laws-missing.pdf' }],
      O7: [{ text: 'ข่าวประชาสัมพันธ์', href: '/news.php' }],
      O9: [{ text: 'Social Network', href: '/social.php' }],
      O13: [{ text: 'คู่มือการปฏิบัติงาน', href: 'https://drive.google.com/file/d/1AbC/view' }],
      O15: MONTHS.filter(([m]) => m !== 'มกราคม').map(([m, y], i) => ({
        text: `สถิติเดือน${m} ${y}`,
        href: `/stat-${i}.pdf`,
      })),
      O17: [{ text: 'E-Service', href: '#' }],
      O18: [{ text: 'แผนการใช้จ่ายงบประมาณ ประจำปี 2564', href: '/spend-plan.pdf' }],
      O25: [{ text: 'นโยบายการบริหารทรัพยากรบุคคล', href: '/hr-policy.pdf' }],
      O27: [{ text: 'หลักเกณฑ์การบริหารและพัฒนาทรัพยากรบุคคล', href: '/hr-criteria.php' }],
      O28: [{ text: 'รายงานผลการบริหารและพัฒนาทรัพยากรบุคคล', href: '/hr-report.php' }],
      O30: [{ text: 'กระดานแจ้งเรื่องร้องเรียน', href: '/webboard.php' }],
      O31: MONTHS.map(([m, y], i) => ({ text: `สถิติเรื่องร้องเรียน ${m} ${y}`, href: `/complaint-${i}.pdf` })),
      O34: [{ text: 'ประกาศเจตจำนงสุจริต', href: '/pledge.pdf' }],
      O41: [{ text: 'รายงานผลการดำเนินการป้องกันการทุจริต', href: '/ac-2562.pdf' }],
      O42: [{ text: 'มาตรการส่งเสริมคุณธรรม', href: '/measures.php' }],
      O43: [{ text: 'การดำเนินการตามมาตรการ', href: '/measures-actions.php' }],
    },
    files: {
      '/executives.php': `<div><p>นายสมชาย ใจดี</p><p>นายกองค์การบริหารส่วนตำบล</p><p>โทร. 081-234-5678</p></div>
<div><p>นางสาวมาลี ศรีสุข</p><p>ปลัดองค์การบริหารส่วนตำบล</p><p>ที่ทำการองค์การบริหารส่วนตำบล</p></div>`,
      '/plan.pdf': await pdfFromHtml(
        '<h2>แผนพัฒนาสามปี (พ.ศ. 2556 - 2558)</h2><p>ยุทธศาสตร์ เป้าประสงค์ ตัวชี้วัด</p>',
      ),
      '/news.php': `<ul>${NEWS.map(([d, t]) => `<li>${d} 2561 ${t}</li>`).join('')}</ul>`,
      '/social.php': '<p>ติดตามข่าวสารของหน่วยงานได้ที่หน้าแรกของเว็บไซต์</p>',
      ...Object.fromEntries(badStats.map((b, i) => [`/stat-${i}.pdf`, b])),
      ...Object.fromEntries(badComplaints.map((b, i) => [`/complaint-${i}.pdf`, b])),
      '/spend-plan.pdf': await pdfFromHtml(
        `<h2>แผนการใช้จ่ายงบประมาณ ประจำปีงบประมาณ พ.ศ. 2564</h2>${planTable(FULL_YEAR.slice(0, 6))}`,
        { landscape: true },
      ),
      '/hr-policy.pdf': await pdfFromHtml(
        '<h2>ประกาศ เรื่อง นโยบายการบริหารทรัพยากรบุคคล ประจำปีงบประมาณ พ.ศ. 2562</h2><p>ประกาศ ณ วันที่ 2 ตุลาคม 2561</p>',
      ),
      '/hr-criteria.php': `<ol>${HR_CRITERIA.slice(0, 3)
        .map((c) => `<li>${c}</li>`)
        .join('')}</ol>`,
      '/hr-report.php': '<p>อยู่ระหว่างดำเนินการ</p>',
      '/webboard.php': `<table><tr><th>กระทู้</th><th>ผู้ตั้งกระทู้</th><th>ตอบ</th></tr><tr><td>ร้องเรียนเจ้าหน้าที่เก็บเงิน</td><td>นายสมศักดิ์</td><td>3</td></tr></table>
<form method="post" action="/webboard.php"><input name="topic"><textarea name="detail"></textarea></form>`,
      '/pledge.pdf': await scannedPdf(
        '<h2>ประกาศเจตจำนงสุจริตในการบริหารงาน</h2><p>ประกาศ ณ วันที่ 19 ตุลาคม 2563</p>',
      ),
      '/ac-2562.pdf': await annualReport(2562),
      '/measures.php':
        '<h2>การวิเคราะห์ผลการประเมิน ITA ปี 2563</h2><p>ผลการประเมินตัวชี้วัดที่ 9 และ 10 ต่ำกว่าเป้าหมาย จุดอ่อนคือการเปิดเผยข้อมูล</p>',
      '/measures-actions.php': '<p>รายงานการดำเนินการตามมาตรการ ประจำปีงบประมาณ 2564 ลงวันที่ 1 มีนาคม 2564</p>',
    },
  });
}, 180_000);

afterAll(async () => {
  if (process.env.DUMP_REPORTS) {
    const { writeFileSync } = await import('node:fs');
    writeFileSync('/tmp/good.json', JSON.stringify(good, null, 1));
    writeFileSync('/tmp/bad.json', JSON.stringify(bad, null, 1));
  }
  await closeDocumentBrowser();
});

describe('url-present', () => {
  it('fails an item with no link as "ไม่มี URL"', () => {
    const o17 = item(bad, 'O17');
    expect(o17.verdict).toBe('fail');
    expect(o17.findings[0]?.message.th).toBe('ไม่มี URL');
    expect(codes(o17)).toContain('empty-row');
  });
  it('passes an item whose row links to its evidence', () => {
    expect(item(good, 'O17').checks.find((c) => c.check === 'url-present')?.outcome).toBe('pass');
  });
});

describe('reachable', () => {
  it('fails when the only link answers 404', () => {
    const o6 = item(bad, 'O6');
    expect(o6.verdict).toBe('fail');
    expect(codes(o6)).toEqual(expect.arrayContaining(['broken-link', 'unreachable']));
    expect(o6.findings.find((f) => f.code === 'broken-link')?.message.th).toContain('404');
  });
  it('passes working links', () => {
    expect(item(good, 'O27').checks.find((c) => c.check === 'reachable')?.outcome).toBe('pass');
  });
});

describe('on-main-site', () => {
  it('reviews a document kept on Google Drive', () => {
    const o13 = item(bad, 'O13');
    expect(o13.verdict).toBe('review');
    expect(codes(o13)).toContain('offsite-document');
  });
  it('accepts a social channel on another host when the site links to it', () => {
    expect(item(good, 'O9').checks.find((c) => c.check === 'on-main-site')?.outcome).toBe('pass');
  });
});

describe('linked-from-home', () => {
  it('records the click path from the homepage', () => {
    const o27 = item(good, 'O27');
    expect(o27.evidence[0]?.path).toEqual(['ITA', 'หลักเกณฑ์การบริหารและพัฒนาทรัพยากรบุคคล']);
    expect(o27.checks.find((c) => c.check === 'linked-from-home')?.outcome).toBe('pass');
  });
});

describe('fiscal-year', () => {
  it('passes a policy of the current fiscal year', () => {
    expect(item(good, 'O25').verdict).toBe('pass');
  });
  it('reports a policy of an older year', () => {
    const o25 = item(bad, 'O25');
    expect(o25.verdict).not.toBe('pass');
    expect(o25.findings.map((f) => f.message.th).join(' ')).toContain('2562');
  });
});

describe('period-coverage: months', () => {
  it('passes six monthly files Oct–Mar whose content matches their labels', () => {
    expect(item(good, 'O15').verdict).toBe('pass');
    expect(item(good, 'O31').verdict).toBe('pass');
  });
  it('names the missing month', () => {
    const o15 = item(bad, 'O15');
    expect(o15.verdict).toBe('fail');
    expect(o15.findings[0]?.code).toBe('months-missing');
    expect(o15.findings[0]?.message.th).toContain('มกราคม 2564');
  });
  it('counts a January file whose content is February as January missing', () => {
    const o31 = item(bad, 'O31');
    expect(o31.verdict).toBe('fail');
    expect(codes(o31)).toEqual(expect.arrayContaining(['months-missing', 'month-mismatch']));
    const mismatch = o31.findings.find((f) => f.code === 'month-mismatch');
    expect(mismatch?.message.th).toContain('มกราคม 2564');
    expect(mismatch?.message.th).toContain('กุมภาพันธ์ 2564');
  });
});

describe('period-coverage: whole-year, previous-year, current-activity, multi-year', () => {
  it('passes a plan with all twelve months and fails one that stops in March', () => {
    expect(item(good, 'O18').verdict).toBe('pass');
    const o18 = item(bad, 'O18');
    expect(o18.verdict).toBe('fail');
    expect(o18.findings[0]?.message.th).toBe('รายละเอียดของแผนไม่ครอบคลุมระยะเวลาทั้งปีงบประมาณ');
  });
  it('wants the previous fiscal year for annual reports', () => {
    expect(item(good, 'O41').verdict).toBe('pass');
    const o41 = item(bad, 'O41');
    expect(o41.verdict).toBe('fail');
    expect(o41.findings[0]?.message.th).toBe('ไม่พบรายงานผลการดำเนินการป้องกันการทุจริตประจำปี 2563');
  });
  it('wants activity dated within the fiscal year', () => {
    expect(item(good, 'O7').verdict).toBe('pass');
    expect(item(bad, 'O7').verdict).toBe('fail');
    expect(codes(item(bad, 'O7'))).toContain('not-current');
  });
  it('wants a multi-year plan that includes the year', () => {
    expect(item(good, 'O4').checks.find((c) => c.check === 'period-coverage')?.outcome).toBe('pass');
    expect(codes(item(bad, 'O4'))).toContain('plan-span');
  });
});

describe('components', () => {
  it('passes all five HR criteria', () => {
    expect(item(good, 'O27').verdict).toBe('pass');
  });
  it('lists the criteria that are missing', () => {
    const o27 = item(bad, 'O27');
    expect(o27.verdict).toBe('fail');
    const msg = o27.findings.find((f) => f.code === 'component-missing')?.message.th ?? '';
    expect(msg).toContain('ไม่ครบ 5 หลักเกณฑ์');
    expect(msg).toContain('การประเมินผลการปฏิบัติงาน');
    expect(msg).toContain('การให้คุณให้โทษ');
    expect(msg).not.toContain('การสรรหา');
  });
});

describe('people-contacts', () => {
  it('passes when every executive has a phone or e-mail', () => {
    expect(item(good, 'O2').verdict).toBe('pass');
  });
  it('names the executive without a contact channel', () => {
    const o2 = item(bad, 'O2');
    expect(o2.verdict).toBe('fail');
    const contact = o2.findings.find((f) => f.code === 'person-contact-missing');
    expect(contact?.message.th).toContain('ปลัด');
    expect(contact?.message.th).not.toContain('นายก');
    // The bad page also shows no photo of anyone.
    expect(codes(o2)).toContain('person-photo-missing');
    expect(codes(item(good, 'O2'))).not.toContain('person-photo-missing');
  });
});

describe('external-links', () => {
  it('passes with a link to the agency on Facebook', () => {
    expect(item(good, 'O9').verdict).toBe('pass');
  });
  it('fails a site with no social-network link anywhere, even with an O9 page', () => {
    const o9 = item(bad, 'O9');
    expect(o9.verdict).toBe('fail');
    expect(codes(o9)).toContain('no-external-link');
  });
});

describe('online-channel', () => {
  it('passes an online form, and a confidential complaint form', () => {
    expect(item(good, 'O17').verdict).toBe('pass');
    expect(item(good, 'O30').verdict).toBe('pass');
  });
  it('fails a public webboard as a corruption-complaint channel', () => {
    const o30 = item(bad, 'O30');
    expect(o30.verdict).toBe('fail');
    expect(o30.findings[0]?.message.th).toBe('ไม่เป็นช่องทางรักษาความลับ');
  });
});

describe('has-content', () => {
  it('passes a real report', () => {
    expect(item(good, 'O28').verdict).toBe('pass');
  });
  it('fails a page that only says the work is in progress', () => {
    const o28 = item(bad, 'O28');
    expect(o28.verdict).toBe('fail');
    expect(o28.findings[0]?.code).toBe('placeholder');
    expect(o28.findings[0]?.message.th).toContain('อยู่ระหว่างดำเนินการ');
  });
});

describe('depends-on', () => {
  it("fails O43 when O42 fails, with the evaluator's words", () => {
    expect(item(bad, 'O42').verdict).toBe('fail');
    const o43 = item(bad, 'O43');
    expect(o43.verdict).toBe('fail');
    expect(o43.findings.map((f) => f.message.th)).toContain('เนื่องจากไม่มีข้อมูลที่สอดคล้องใน O42');
  });
});

describe('scanned documents', () => {
  it('reviews an item whose only document is a scan', () => {
    const o34 = item(bad, 'O34');
    expect(o34.verdict).toBe('review');
    expect(codes(o34)).toContain('scanned-document');
  });
});

describe('scores', () => {
  it('follow from the verdicts', () => {
    for (const r of [good, bad]) {
      const passed = r.items.filter((i) => i.verdict === 'pass').length;
      expect(r.scores.counts.pass).toBe(passed);
      expect(r.scores.oit).toBeLessThanOrEqual(r.scores.oitPotential);
    }
  });
});

// Items used here but not listed in a site fail for "no URL": a site with only these rows.
describe('xlsx month sheets', () => {
  it('reads months from sheet names', async () => {
    const book = xlsx({
      sheets: MONTHS.map(([m, y]) => ({
        name: `${m.slice(0, 3)}${String(y).slice(2)}`,
        rows: [[`สถิติการให้บริการ เดือน${m} ${y}`], ['งานบริการ', 'จำนวน'], ['รับชำระภาษี', 12]],
      })),
    });
    const r = await scanMiniSite({
      rows: { O15: [{ text: 'สถิติการให้บริการ ต.ค.63 - มี.ค.64', href: '/stats.xlsx' }] },
      files: { '/stats.xlsx': book },
    });
    expect(item(r, 'O15').verdict).toBe('pass');
  });
});

describe('linked-from-home: failing', () => {
  it('fails evidence that no link from the homepage reaches (found only through the sitemap)', async () => {
    const files = buildMiniSite({
      rows: {
        O3: [{ text: 'อำนาจหน้าที่', href: '/authority.php' }],
        O5: [{ text: 'ติดต่อเรา', href: '/contact.php' }],
        O6: [{ text: 'กฎหมายที่เกี่ยวข้อง', href: '/laws.php' }],
      },
      files: {
        '/laws.php': '<p>พระราชบัญญัติสภาตำบลและองค์การบริหารส่วนตำบล พ.ศ. 2537 และที่แก้ไขเพิ่มเติม</p>',
        '/authority.php': '<p>อำนาจหน้าที่ตามพระราชบัญญัติสภาตำบลและองค์การบริหารส่วนตำบล มาตรา 66 และมาตรา 67</p>',
      },
    });
    // The ITA page is in the sitemap but no page links to it.
    for (const [path, f] of files) {
      if (typeof f.body === 'string')
        files.set(path, { ...f, body: f.body.replace('<li><a href="/ita.php">ITA</a></li>', '') });
    }
    files.set('/robots.txt', {
      body: 'User-agent: *\nAllow: /\nSitemap: /sitemap.xml\n',
      type: 'text/plain',
    });
    files.set('/sitemap.xml', {
      body: '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>/ita.php</loc></url></urlset>',
      type: 'application/xml',
    });
    const server = await startServer(files);
    try {
      const r = await scan(`${server.url}/`, {});
      const o6 = item(r, 'O6');
      expect(o6.evidence[0]?.path).toEqual([]);
      expect(o6.checks.find((c) => c.check === 'linked-from-home')?.outcome).toBe('fail');
      expect(o6.verdict).toBe('fail');
      expect(codes(o6)).toContain('not-linked');
    } finally {
      await server.close();
    }
  });
});

describe('OCR of scanned documents (--ocr)', () => {
  it('reads a scanned announcement and judges it, saying the text came from OCR', async () => {
    const pledge = await scannedPdf(`<h2>ประกาศองค์การบริหารส่วนตำบลทดสอบ</h2>
<h3>เรื่อง เจตจำนงสุจริตในการบริหารงาน</h3>
<p>ข้าพเจ้า นายสมชาย ใจดี นายกองค์การบริหารส่วนตำบลทดสอบ ขอประกาศเจตจำนงว่าจะปฏิบัติหน้าที่และบริหารงานด้วยความซื่อสัตย์สุจริต โปร่งใส และเป็นธรรม ตามหลักธรรมาภิบาล</p>
<p>ประกาศ ณ วันที่ 19 ตุลาคม 2563</p>`);
    const site = {
      rows: {
        O34: [{ text: 'ประกาศเจตจำนงสุจริตของผู้บริหาร', href: '/pledge.pdf' }],
        O3: [{ text: 'อำนาจหน้าที่', href: '/authority.php' }],
        O6: [{ text: 'กฎหมาย', href: '/laws.php' }],
      },
      files: { '/pledge.pdf': pledge },
    };
    const without = await scanMiniSite(site);
    expect(item(without, 'O34').verdict).toBe('review');
    const withOcr = await scanMiniSite(site, { ocr: true });
    const o34 = item(withOcr, 'O34');
    expect(o34.verdict).toBe('pass');
    expect(codes(o34)).toContain('ocr-text');
  });
});
