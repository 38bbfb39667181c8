// The full scan of a site whose ITA index links some items to hostile resources (broken and encrypted PDFs,
// zip bombs, a page nested 100 000 deep, 200 000 links, random bytes as HTML, a redirect loop, a calendar
// trap, a dropped connection, a slow drip, a huge body, a redirect to file:///etc/passwd) and the others to
// good pages. The scan must finish, the good items keep the verdicts they get on the same site without the
// hostile rows, the hostile ones get findings, and memory stays bounded.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FaultFile, type FaultServer, startFaultServer } from '../../fixtures/lib/fault-server.js';
import type { Report } from '../../src/report/schema.js';
import { scan } from '../../src/scan.js';
import { buildMiniSite, item, type Row } from '../helpers/mini-site.js';

const GOOD: Record<string, Row[]> = {
  O2: [{ text: 'คณะผู้บริหาร', href: '/executives.php' }],
  O7: [{ text: 'ข่าวประชาสัมพันธ์', href: '/news.php' }],
  O17: [{ text: 'E-Service', href: '/eservice.php' }],
  O27: [{ text: 'หลักเกณฑ์การบริหารและพัฒนาทรัพยากรบุคคล', href: '/hr-criteria.php' }],
  O30: [{ text: 'แจ้งเรื่องร้องเรียนการทุจริต', href: '/complaint-corruption.php' }],
};

const HOSTILE: Record<string, Row[]> = {
  O1: [{ text: 'โครงสร้างหน่วยงาน', href: '/corrupt.pdf' }],
  O3: [{ text: 'อำนาจหน้าที่', href: '/encrypted.pdf' }],
  O4: [{ text: 'แผนพัฒนาท้องถิ่น', href: '/garbage.pdf' }],
  O5: [{ text: 'กฎหมายที่เกี่ยวข้อง', href: '/zipbomb.docx' }],
  O6: [{ text: 'คู่มือ', href: '/zipbomb.xlsx' }],
  O8: [{ text: 'Q&A', href: '/nested' }],
  O10: [{ text: 'แผนดำเนินงานประจำปี', href: '/many-links' }],
  O11: [{ text: 'รายงานการกำกับติดตาม', href: '/binary-as-html' }],
  O12: [{ text: 'รายงานผลการดำเนินงาน', href: '/loop' }],
  O13: [{ text: 'ปฏิทินกิจกรรม', href: '/calendar?month=1&year=2564' }],
  O14: [{ text: 'คู่มือการปฏิบัติงาน', href: '/deep/a/b/a/b/a/b' }],
  O15: [{ text: 'สถิติการให้บริการ', href: '/drop' }],
  O16: [{ text: 'รายงานผลความพึงพอใจ', href: '/status/500' }],
  O18: [{ text: 'แผนการใช้จ่ายงบประมาณ', href: '/huge/40' }],
  O19: [{ text: 'รายงานกำกับติดตามการใช้จ่าย', href: '/redirect-to?url=file%3A%2F%2F%2Fetc%2Fpasswd' }],
  O20: [{ text: 'รายงานผลการใช้จ่ายงบประมาณ', href: '/drip/1000/100000' }],
  O21: [{ text: 'แผนการจัดซื้อจัดจ้าง', href: '/mislabelled' }],
};

const FILES: Record<string, string> = {
  '/executives.php': `<div class="person"><img src="/p1.jpg" alt="นายสมชาย ใจดี"><p>นายสมชาย ใจดี</p><p>นายกองค์การบริหารส่วนตำบล</p><p>โทร. 081-234-5678</p></div>
<div class="person"><img src="/p2.jpg" alt="นางสาวมาลี ศรีสุข"><p>นางสาวมาลี ศรีสุข</p><p>ปลัดองค์การบริหารส่วนตำบล</p><p>อีเมล malee@abt-test.go.th</p></div>`,
  '/news.php': `<ul><li>15 พฤศจิกายน 2563 อบต.จัดงานประเพณีลอยกระทง</li><li>9 ธันวาคม 2563 กิจกรรมวันต่อต้านคอร์รัปชันสากล</li><li>20 ธันวาคม 2563 รณรงค์ป้องกันโรคไข้เลือดออก</li></ul>`,
  '/eservice.php': `<p>ยื่นคำร้องออนไลน์</p><form action="/eservice.php" method="post"><label>ชื่อ-นามสกุล <input name="name"></label><label>เรื่องที่ขอรับบริการ <textarea name="detail"></textarea></label><button>ส่งคำร้อง</button></form>`,
  '/hr-criteria.php': `<ol>${[
    'หลักเกณฑ์การสรรหาและคัดเลือกบุคลากร',
    'หลักเกณฑ์การบรรจุและแต่งตั้งบุคลากร',
    'หลักเกณฑ์การพัฒนาบุคลากร',
    'หลักเกณฑ์การประเมินผลการปฏิบัติงานบุคลากร',
    'หลักเกณฑ์การให้คุณให้โทษและการสร้างขวัญกำลังใจ',
  ]
    .map((c) => `<li>${c} ตามประกาศคณะกรรมการพนักงานส่วนตำบล</li>`)
    .join('')}</ol>`,
  '/complaint-corruption.php': `<p>ข้อมูลของผู้ร้องเรียนจะถูกเก็บรักษาเป็นความลับ ไม่จำเป็นต้องระบุชื่อ</p><form method="post" action="/complaint-corruption.php"><textarea name="detail"></textarea><input type="submit" value="ส่ง"></form>`,
};

/** The mini-site's pages as fault-server overrides; the hostile paths fall through to the fault routes. */
function sitePages(rows: Record<string, Row[]>): Record<string, FaultFile> {
  const pages: Record<string, FaultFile> = {};
  for (const [path, f] of buildMiniSite({ rows, files: FILES })) {
    pages[path] = {
      body: f.body,
      ...(f.type ? { type: f.type } : {}),
      ...(f.status ? { status: f.status } : {}),
    };
  }
  return pages;
}

const SCAN = {
  crawl: {
    timeoutMs: 1500,
    retryDelayMs: 20,
    delayMs: 0,
    maxDocumentBytes: 8 * 1024 * 1024,
    maxTimeMs: 60_000,
  },
};

let baseline: Report;
let hostile: Report;
let hostileServer: FaultServer;
let rssGrowth = 0;
let scanMs = 0;

beforeAll(async () => {
  const plain = await startFaultServer({ pages: sitePages(GOOD) });
  try {
    baseline = await scan(`${plain.url}/`, SCAN);
  } finally {
    await plain.close();
  }
  hostileServer = await startFaultServer({ pages: sitePages({ ...GOOD, ...HOSTILE }) });
  global.gc?.();
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  const t = Date.now();
  try {
    hostile = await scan(`${hostileServer.url}/`, SCAN);
  } finally {
    clearInterval(sampler);
  }
  scanMs = Date.now() - t;
  peak = Math.max(peak, process.memoryUsage().rss);
  rssGrowth = peak - before;
}, 60_000);

afterAll(async () => {
  await hostileServer?.close();
});

describe('a scan of a site with hostile evidence', () => {
  it('completes, with all 43 items judged', () => {
    expect(hostile.items).toHaveLength(43);
    expect(scanMs).toBeLessThan(45_000);
  });

  it('keeps the verdicts of the items linked to good pages', () => {
    for (const id of Object.keys(GOOD)) {
      expect(item(hostile, id).verdict, id).toBe(item(baseline, id).verdict);
      expect(
        item(hostile, id).findings.map((f) => f.code),
        id,
      ).toEqual(item(baseline, id).findings.map((f) => f.code));
    }
    // The good pages really are good.
    expect(
      Object.keys(GOOD).filter((id) => item(hostile, id).verdict === 'pass').length,
    ).toBeGreaterThanOrEqual(3);
  });

  it('gives every hostile item a finding and no pass', () => {
    const passed: string[] = [];
    const silent: string[] = [];
    for (const id of Object.keys(HOSTILE)) {
      const r = item(hostile, id);
      if (r.verdict === 'pass') passed.push(id);
      if (!r.findings.some((f) => f.severity === 'fail' || f.severity === 'review')) silent.push(id);
    }
    if (process.env.HOSTILE_SUMMARY) {
      // HOSTILE_SUMMARY=1 prints how each hostile item ends and the figures.
      for (const id of Object.keys(HOSTILE)) {
        const r = item(hostile, id);
        const found = r.findings
          .filter((f) => f.severity !== 'info')
          .map((f) => `${f.code}: ${f.message.en}`);
        console.log(`${id} ${HOSTILE[id]![0]!.href} → ${r.verdict}; ${found.join(' | ')}`);
      }
      console.log(
        `RSS +${Math.round(rssGrowth / 1e6)} MB, ${scanMs} ms, ${hostileServer.stats.requests} requests`,
      );
    }
    expect(passed).toEqual([]);
    expect(silent).toEqual([]);
  });

  it('made a bounded number of requests to the traps and faults', () => {
    const s = hostileServer;
    expect(s.count(/^\/calendar/)).toBeLessThanOrEqual(7);
    expect(s.count(/^\/deep/)).toBe(0);
    expect(s.count('/loop')).toBeLessThanOrEqual(2);
    expect(s.count('/drop')).toBe(3);
    expect(s.count('/status/500')).toBe(1);
    expect(s.count('/drip/1000/100000')).toBe(2);
    expect(s.count('/huge/40')).toBe(1);
    expect(s.stats.requests).toBeLessThan(400);
  });

  it('keeps memory bounded (RSS growth under 300 MB)', () => {
    expect(rssGrowth).toBeLessThan(300 * 1024 * 1024);
  });
});
