// ITA indexes in other shapes: split into one page per sub-indicator, and O-coded entries in a menu.
import { describe, expect, it } from 'vitest';
import { type ServedFile, startServer } from '../../fixtures/lib/server.js';
import { scan } from '../../src/scan.js';
import { pageHtml } from '../helpers/mini-site.js';

async function scanFiles(files: Map<string, ServedFile>) {
  const server = await startServer(files);
  try {
    return await scan(`${server.url}/`, {});
  } finally {
    await server.close();
  }
}

const CONTACT = `<p>ที่ทำการองค์การบริหารส่วนตำบลทดสอบ เลขที่ 99 หมู่ 1 ตำบลทดสอบ อำเภอเมือง จังหวัดตรัง 92000</p>
<p>โทรศัพท์ 0-7500-0000 อีเมล saraban@test.go.th</p><p>แผนที่ตั้งสำนักงาน</p>`;

describe('ITA index layouts', () => {
  it('reads an index split into one page per sub-indicator', async () => {
    const files = new Map<string, ServedFile>();
    files.set('/', {
      body: pageHtml(
        'หน้าแรก',
        '<a href="/ita-94.php">9.4 การบริหารและพัฒนาทรัพยากรบุคคล</a> <a href="/ita-91.php">9.1 ข้อมูลพื้นฐาน</a>',
      ),
    });
    files.set('/ita-91.php', {
      body: pageHtml(
        'ตัวชี้วัดย่อยที่ 9.1 ข้อมูลพื้นฐาน',
        `<table><tr><td>O3</td><td>อำนาจหน้าที่</td><td><a href="/authority.php">คลิก</a></td></tr>
<tr><td>O5</td><td>ข้อมูลการติดต่อ</td><td><a href="/contact-us.php">คลิก</a></td></tr>
<tr><td>O6</td><td>กฎหมายที่เกี่ยวข้อง</td><td><a href="/laws.php">คลิก</a></td></tr></table>`,
      ),
    });
    files.set('/ita-94.php', {
      body: pageHtml(
        'ตัวชี้วัดย่อยที่ 9.4 การบริหารและพัฒนาทรัพยากรบุคคล',
        `<table><tr><td>O25</td><td><a href="/hr-policy.php">นโยบาย</a></td></tr><tr><td>O26</td><td><a href="/hr-actions.php">การดำเนินการ</a></td></tr>
<tr><td>O27</td><td><a href="/hr-criteria.php">หลักเกณฑ์</a></td></tr><tr><td>O28</td><td><a href="/hr-report.php">รายงาน</a></td></tr></table>`,
      ),
    });
    files.set('/contact-us.php', { body: pageHtml('ติดต่อ', CONTACT) });
    const r = await scanFiles(files);
    const via = (id: string) => r.items.find((i) => i.id === id)?.evidence[0];
    expect(via('O5')).toMatchObject({ via: 'ita-index' });
    expect(via('O5')?.url).toMatch(/contact-us\.php$/);
    expect(via('O27')?.url).toMatch(/hr-criteria\.php$/);
    expect(r.items.find((i) => i.id === 'O5')?.verdict).toBe('pass');
  });

  it('reads O-coded entries of an ITA menu that stands on every page', async () => {
    const menu = `<nav class="menu"><ul><li><a href="/">หน้าแรก</a></li><li>ITA<ul>
<li><a href="/contact-us.php">O5 ข้อมูลการติดต่อ</a></li><li><a href="/laws.php">O6 กฎหมายที่เกี่ยวข้อง</a></li>
<li><a href="/news.php">O7 ข่าวประชาสัมพันธ์</a></li><li><a href="/qa.php">O8 Q&amp;A</a></li></ul></li></ul></nav>`;
    const page = (title: string, body: string) =>
      `<!doctype html><html lang="th"><head><meta charset="utf-8"><title>${title} - อบต.ทดสอบ การประเมิน ITA</title></head><body>${menu}<main><h1>${title}</h1>${body}</main></body></html>`;
    const files = new Map<string, ServedFile>([
      ['/', { body: page('หน้าแรก', '<p>ยินดีต้อนรับ</p>') }],
      ['/contact-us.php', { body: page('ติดต่อเรา', CONTACT) }],
      ['/laws.php', { body: page('กฎหมาย', '<p>พระราชบัญญัติสภาตำบลและองค์การบริหารส่วนตำบล พ.ศ. 2537</p>') }],
      ['/news.php', { body: page('ข่าว', '<p>15 พฤศจิกายน 2563 ลอยกระทง</p>') }],
      ['/qa.php', { body: page('ถาม-ตอบ', '<form method="post"><textarea name="q"></textarea></form>') }],
    ]);
    const r = await scanFiles(files);
    expect(r.items.find((i) => i.id === 'O5')?.evidence[0]).toMatchObject({ via: 'ita-index' });
    expect(r.items.find((i) => i.id === 'O8')?.evidence[0]?.url).toMatch(/qa\.php$/);
  });
});
