// What the agency's ITA page says about an item is what it submits: a row without a link is "ไม่มี URL"
// even when the site links the evidence elsewhere (the finding says where), and one link given in two
// rows is evidence for both items.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/schema.js';
import { codes, item, scanMiniSite } from '../helpers/mini-site.js';

let report: Report;

beforeAll(async () => {
  report = await scanMiniSite({
    rows: {
      O1: [{ text: 'โครงสร้าง', href: '/structure.php' }],
      O2: [{ text: 'ผู้บริหาร', href: '/structure.php' }],
      O8: [{ text: 'คลิกที่นี่', href: '/webboard.php' }],
      O9: [],
      O32: [{ text: 'คลิกที่นี่', href: '/webboard.php' }],
    },
    footer: '<a href="https://www.facebook.com/tambon.test">Facebook อบต.ทดสอบ</a>',
    files: {
      '/structure.php': '<p>โครงสร้างส่วนราชการ</p>',
      '/webboard.php':
        '<p>กระดานถาม-ตอบ ตั้งกระทู้ถามได้ที่นี่</p><form method="post" action="/post.php"><input name="topic"><textarea name="q"></textarea></form>',
    },
  });
}, 120_000);

describe('the ITA page as the submission', () => {
  it('fails an item whose row gives no link, and says where the site has it', () => {
    const o9 = item(report, 'O9');
    expect(o9.verdict).toBe('fail');
    expect(o9.findings[0]?.message.th).toBe('ไม่มี URL');
    expect(codes(o9)).toEqual(expect.arrayContaining(['empty-row', 'found-outside-index']));
    expect(o9.findings.find((f) => f.code === 'found-outside-index')?.url).toBe(
      'https://www.facebook.com/tambon.test',
    );
  });

  it('gives a link used in two rows to both items', () => {
    for (const id of ['O8', 'O32']) {
      const r = item(report, id);
      expect(r.evidence[0]?.url).toMatch(/\/webboard\.php$/);
      expect(r.evidence[0]?.via).toBe('ita-index');
    }
  });
});
