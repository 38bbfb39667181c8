import { describe, expect, it } from 'vitest';
import {
  compareYM,
  compareYmd,
  type DateContext,
  type DateMention,
  type DateMentionKind,
  daysInMonth,
  detectMonthColumns,
  findDates,
  fiscalMonthIndex,
  fiscalQuarterSpan,
  fiscalYearOf,
  fiscalYearSpan,
  formatDateTh,
  formatMonthTh,
  formatSpanTh,
  isValidYmd,
  MONTHS,
  monthSpan,
  monthsInSpan,
  monthsMentioned,
  monthsOfFiscalYear,
  parseMonthName,
  spanContains,
  toBE,
  toCE,
  type YM,
  type Ymd,
} from '../../src/extract/thai-dates.js';

/** "d/m/yyyy" (BE) → Ymd */
const D = (s: string): Ymd => {
  const [day, month, year] = s.split('/').map(Number);
  return { year: year!, month: month!, day: day! };
};
const fmt = (d: Ymd): string => `${d.day}/${d.month}/${d.year}`;
/** A mention as "kind d/m/y-d/m/y" for readable comparisons. */
const show = (m: DateMention): string => `${m.kind} ${fmt(m.span.start)}-${fmt(m.span.end)}`;
const ym = (year: number, month: number): YM => ({ year, month });

describe('years and the fiscal calendar', () => {
  it('toBE accepts BE, CE and 2-digit years', () => {
    expect(toBE(2564)).toBe(2564);
    expect(toBE(2400)).toBe(2400);
    expect(toBE(2021)).toBe(2564);
    expect(toBE(1900)).toBe(2443);
    expect(toBE(2200)).toBe(2743);
    expect(toBE(64)).toBe(2564);
    expect(toBE(0)).toBe(2500);
    expect(toBE(99)).toBe(2599);
    expect(() => toBE(150)).toThrow(RangeError);
    expect(() => toBE(2300)).toThrow(RangeError);
    expect(() => toBE(2564.5)).toThrow(RangeError);
    expect(toCE(2564)).toBe(2021);
  });

  it('leap years follow the CE year', () => {
    expect(daysInMonth(2563, 2)).toBe(29); // 2020
    expect(daysInMonth(2564, 2)).toBe(28);
    expect(daysInMonth(2543, 2)).toBe(29); // 2000
    expect(daysInMonth(2643, 2)).toBe(28); // 2100
    expect(daysInMonth(2564, 9)).toBe(30);
    expect(daysInMonth(2564, 12)).toBe(31);
  });

  it('fiscal year N is 1 Oct N-1 – 30 Sep N', () => {
    expect(fiscalYearSpan(2564)).toEqual({ start: D('1/10/2563'), end: D('30/9/2564') });
    expect(fiscalYearOf(D('1/10/2563'))).toBe(2564);
    expect(fiscalYearOf(D('30/9/2564'))).toBe(2564);
    expect(fiscalYearOf(ym(2564, 12))).toBe(2565);
    expect(fiscalMonthIndex(ym(2563, 10))).toBe(1);
    expect(fiscalMonthIndex(ym(2564, 1))).toBe(4);
    expect(fiscalMonthIndex(ym(2564, 9))).toBe(12);
    expect(fiscalQuarterSpan(2564, 2)).toEqual({ start: D('1/1/2564'), end: D('31/3/2564') });
  });

  it('monthsOfFiscalYear lists months from October of the previous year', () => {
    expect(monthsOfFiscalYear(2564, 1, 6)).toEqual([
      ym(2563, 10),
      ym(2563, 11),
      ym(2563, 12),
      ym(2564, 1),
      ym(2564, 2),
      ym(2564, 3),
    ]);
    expect(monthsOfFiscalYear(2564)).toHaveLength(12);
    expect(monthsOfFiscalYear(2564, 5, 4)).toEqual([]);
    expect(() => monthsOfFiscalYear(2564, 0, 3)).toThrow(RangeError);
    expect(() => monthsOfFiscalYear(2564, 1, 13)).toThrow(RangeError);
  });

  it('monthsInSpan, spanContains, compareYmd', () => {
    const span = { start: D('15/11/2563'), end: D('2/2/2564') };
    expect(monthsInSpan(span)).toEqual([ym(2563, 11), ym(2563, 12), ym(2564, 1), ym(2564, 2)]);
    expect(monthsInSpan({ start: D('1/1/2564'), end: D('31/1/2564') })).toEqual([ym(2564, 1)]);
    expect(spanContains(fiscalYearSpan(2564), span)).toBe(true);
    expect(spanContains(fiscalYearSpan(2564), fiscalYearSpan(2564))).toBe(true);
    expect(spanContains(fiscalYearSpan(2564), { start: D('30/9/2563'), end: D('1/10/2563') })).toBe(false);
    expect(spanContains(span, fiscalYearSpan(2564))).toBe(false);
    expect(compareYmd(D('1/10/2563'), D('30/9/2564'))).toBeLessThan(0);
    expect(compareYmd(D('2/1/2564'), D('1/1/2564'))).toBeGreaterThan(0);
    expect(compareYmd(D('1/1/2564'), D('1/1/2564'))).toBe(0);
    expect(compareYM(ym(2563, 12), ym(2564, 1))).toBeLessThan(0);
    expect(isValidYmd(D('29/2/2563'))).toBe(true);
    expect(isValidYmd(D('29/2/2564'))).toBe(false);
    expect(isValidYmd(D('31/4/2564'))).toBe(false);
    expect(isValidYmd(D('0/1/2564'))).toBe(false);
  });
});

describe('month names', () => {
  it('MONTHS has 12 months in order with every form parseable', () => {
    expect(MONTHS.map((m) => m.month)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    for (const m of MONTHS) {
      const dotless = m.thShort.replace(/\./g, '');
      const forms = [m.th, m.thShort, m.thShort.replace(/\.$/, ''), dotless, m.thTruncated, m.en, m.enShort];
      for (const f of [...forms, ...m.aliases, m.en.toUpperCase(), m.enShort.toLowerCase(), `เดือน${m.th}`]) {
        expect(parseMonthName(f), f).toBe(m.month);
      }
    }
    expect(parseMonthName('Sept')).toBe(9);
    expect(parseMonthName('กรกฏาคม')).toBe(7);
    expect(parseMonthName('ม. ค.')).toBe(1);
    expect(parseMonthName('ตุลาการ')).toBeNull();
    expect(parseMonthName('')).toBeNull();
  });

  it('formats months and days', () => {
    expect(formatMonthTh(ym(2564, 1))).toBe('มกราคม 2564');
    expect(formatMonthTh(ym(2564, 1), 'short')).toBe('ม.ค. 64');
    expect(formatMonthTh(ym(2563, 10), 'short')).toBe('ต.ค. 63');
    expect(formatMonthTh(ym(2600, 10), 'short')).toBe('ต.ค. 00');
    expect(formatMonthTh(ym(0, 2))).toBe('กุมภาพันธ์');
    expect(formatDateTh(D('1/10/2563'))).toBe('1 ตุลาคม 2563');
    expect(formatDateTh(D('1/10/2563'), 'short')).toBe('1 ต.ค. 63');
    expect(formatSpanTh(fiscalYearSpan(2564))).toBe('ต.ค. 63 - ก.ย. 64');
    expect(formatSpanTh(monthSpan(ym(2564, 1)), 'full')).toBe('มกราคม 2564');
  });
});

// Real strings: titles and dates seen on agency sites (reference/real-sites.md §6, §8, evaluator comments).
const REAL: [string, DateContext, string[]][] = [
  [
    'ประจำปีงบประมาณ พ.ศ. 2565 รอบ 6 เดือน (ต.ค.64 - มี.ค.65)',
    {},
    ['fiscal-year 1/10/2564-30/9/2565', 'half 1/10/2564-31/3/2565', 'range 1/10/2564-31/3/2565'],
  ],
  [
    'สถิติการให้บริการของสถาบัน ประจำปีงบประมาณ พ.ศ. 2565 รอบ 6 เดือน (ต.ค.64\n - มี.ค.65)',
    {},
    ['fiscal-year 1/10/2564-30/9/2565', 'half 1/10/2564-31/3/2565', 'range 1/10/2564-31/3/2565'],
  ],
  ['รายงานผลการดำเนินงาน … ประจำปีงบประมาณ พ.ศ.2564', {}, ['fiscal-year 1/10/2563-30/9/2564']],
  ['รายงานผลการจัดซื้อจัดจ้างปีงบประมาณ พ.ศ. 2564', {}, ['fiscal-year 1/10/2563-30/9/2564']],
  [
    'ไตรมาสที่ 1 เดือนตุลาคม 2565-เดือนธันวาคม 2565',
    {},
    ['quarter 1/10/2565-31/12/2565', 'range 1/10/2565-31/12/2565'],
  ],
  [
    'ไตรมาสที่ 2 เดือนมกราคม 2565 - เดือนมีนาคม 2565',
    {},
    ['quarter 1/1/2565-31/3/2565', 'range 1/1/2565-31/3/2565'],
  ],
  [
    'ไตรมาสที่ 3 เดือนเมษายน 2567 - เดือนมิถุนายน 2567 (Link ละ 1 เดือน)',
    {},
    ['quarter 1/4/2567-30/6/2567', 'range 1/4/2567-30/6/2567'],
  ],
  [
    'รอบแรก ของปีงบประมาณ พ.ศ. 2567 (1 ตุลาคม 2566-31 มีนาคม 2567)',
    {},
    ['fiscal-year 1/10/2566-30/9/2567', 'range 1/10/2566-31/3/2567'],
  ],
  ['สรุปผลการดำเนินการจัดซื้อจัดจ้างในรอบเดือน มิถุนายน', { fiscalYear: 2569 }, ['month 1/6/2569-30/6/2569']],
  ['สรุปผลการดำเนินการจัดซื้อจัดจ้างในรอบเดือน มิถุนายน', {}, []],
  ['สรุปผลการดำเนินการจัดซื้อจัดจ้างในรอบเดือน ตุลาคม', { fiscalYear: 2569 }, ['month 1/10/2568-31/10/2568']],
  ['รายงานผลการดำเนินการจัดซื้อจัดจ้างในรอบเดือน 1 เดือน', { fiscalYear: 2565 }, []],
  ['รายงานการจัดซื้อจัดจ้างส่วนภูมิภาคประจำเดือนมกราคม 2565 ขนาดไฟล์ 0.2 MB', {}, ['month 1/1/2565-31/1/2565']],
  [
    'หน่วยงานมีการสรุปผลการดำเนินการจัดซื้อจัดจ้างในรอบเดือน ประจำปีงบประมาณ พ.ศ. 2564',
    {},
    ['fiscal-year 1/10/2563-30/9/2564'],
  ],
  ['11 ธ.ค. 2567 ประกาศผู้ชนะการเสนอราคา ประกาศประกวดราคาจ้างก่อสร้าง', {}, ['day 11/12/2567-11/12/2567']],
  [
    '22 พ.ย. 2567 ประกาศราคากลาง โครงการก่อสร้างถนนคอนกรีตเสริมเหล็ก (สายบ้านนายางเหนือ ซอย 7)',
    {},
    ['day 22/11/2567-22/11/2567'],
  ],
  [
    '4 ธ.ค. 2567 จ้างซ่อมแซมถนนเพื่อการเกษตร หมู่ที่ ๑๐ โดยวิธีเฉพาะเจาะจง ประกาศรายชื่อผู้ชนะการเสนอราคา',
    {},
    ['day 4/12/2567-4/12/2567'],
  ],
  ['ข้อมูลเชิงสถิติการให้บริการ (O16) - รอบ 12 เดือน', { fiscalYear: 2565 }, ['fiscal-year 1/10/2564-30/9/2565']],
  ['รายงานความพึงพอใจของผู้ใช้บริการ ประจำปีงบประมาณ พ.ศ.2564', {}, ['fiscal-year 1/10/2563-30/9/2564']],
  ['วันที่ลงข่าว : 14 กรกฎาคม 2569', {}, ['day 14/7/2569-14/7/2569']],
  ['ประกาศเมื่อวันที่ 5 กรกฎาคม 2568 เวลา 09:30 น.', {}, ['day 5/7/2568-5/7/2568']],
  ['1/8/2569', {}, ['day 1/8/2569-1/8/2569']],
  ['[อ่าน 10 คน] เมื่อ 11 มิ.ย. 2569', {}, ['day 11/6/2569-11/6/2569']],
  ['อาทิตย์ ที่ 26 เดือน กันยายน พ.ศ.2564 … เข้าชม 708 ครั้ง', {}, ['day 26/9/2564-26/9/2564']],
  ['วันที่ ๑๑ เดือน มกราคม พ.ศ. ๒๕๖๕', {}, ['day 11/1/2565-11/1/2565']],
  ['…/uploads/2023/12/4.2-ประกาศรับสมัคร-หอโหวด-18ธค66_compressed.pdf', {}, ['day 18/12/2566-18/12/2566']],
  ['"date": "2023-10-16T11:05:03"', {}, ['day 16/10/2566-16/10/2566']],
  ['/wp-content/uploads/2023/10/Scan2023-10-16_105945.pdf', {}, ['day 16/10/2566-16/10/2566']],
  ['ITA ปี พ.ศ.2567', {}, ['year 1/10/2566-30/9/2567']],
  ['ผลการประเมินองค์กรปกครองส่วนท้องถิ่น ประจำปี 2566', {}, ['year 1/10/2565-30/9/2566']],
  ['ITA ประจำปีงบประมาณ พ.ศ. 2565', {}, ['fiscal-year 1/10/2564-30/9/2565']],
  ['O11 รายงานการกำกับติดตาม… รอบ 6 เดือน ปี 2564', {}, ['half 1/10/2563-31/3/2564', 'year 1/10/2563-30/9/2564']],
  ['รายงานการกำกับติดตามการดำเนินงานประจำปีรอบ 6 เดือน', { fiscalYear: 2564 }, ['half 1/10/2563-31/3/2564']],
  ['รายงานการกำกับติดตามการดำเนินงานประจำปี รอบ6เดือน', { fiscalYear: 2564 }, ['half 1/10/2563-31/3/2564']],
  ['6 เดือนแรก ปีงบประมาณ 2566', {}, ['half 1/10/2565-31/3/2566', 'fiscal-year 1/10/2565-30/9/2566']],
  ['รอบ 6 เดือนหลัง', { fiscalYear: 2566 }, ['half 1/4/2566-30/9/2566']],
  ['ไตรมาสที่ 2', { fiscalYear: 2564 }, ['quarter 1/1/2564-31/3/2564']],
  ['ไตรมาส 2', {}, []],
  ['ไตรมาส 2 ปีงบประมาณ 2563', {}, ['quarter 1/1/2563-31/3/2563', 'fiscal-year 1/10/2562-30/9/2563']],
  ['ผลการดำเนินงาน ไตรมาสที่ 4/2564', {}, ['quarter 1/7/2564-30/9/2564']],
  ['ไตรมาสที่ 1-2 ปีงบประมาณ 2565', {}, ['quarter 1/10/2564-31/3/2565', 'fiscal-year 1/10/2564-30/9/2565']],
  ['ต.ค. 63 – มี.ค. 64', {}, ['range 1/10/2563-31/3/2564']],
  ['ต.ค.64 - มี.ค.65', {}, ['range 1/10/2564-31/3/2565']],
  ['1 ตุลาคม 2563 ถึง 31 มีนาคม 2564', {}, ['range 1/10/2563-31/3/2564']],
  ['1 ต.ค. 2563 – 31 มี.ค. 2564', {}, ['range 1/10/2563-31/3/2564']],
  ['ตุลาคม 2563 - มีนาคม 2564', {}, ['range 1/10/2563-31/3/2564']],
  ['1 ตุลาคม – 31 ธันวาคม 2563', {}, ['range 1/10/2563-31/12/2563']],
  ['1 พฤศจิกายน – 31 มกราคม 2564', {}, ['range 1/11/2563-31/1/2564']],
  ['ต.ค. - ธ.ค. 63', {}, ['range 1/10/2563-31/12/2563']],
  ['ตั้งแต่วันที่ 1 ต.ค. 63 จนถึงวันที่ 30 ก.ย. 64', {}, ['range 1/10/2563-30/9/2564']],
  ['ระหว่างวันที่ 1-15 มกราคม 2564', {}, ['range 1/1/2564-15/1/2564']],
  ['ตุลาคม - มีนาคม', { fiscalYear: 2564 }, ['range 1/10/2563-31/3/2564']],
  ['แผนพัฒนาท้องถิ่น (พ.ศ. 2566-2570)', {}, ['year 1/10/2565-30/9/2570']],
  ['ปีงบประมาณ 2564-2565', {}, ['fiscal-year 1/10/2563-30/9/2565']],
  ['ไม่พบข้อมูลเดือนมกราคม 64', {}, ['month 1/1/2564-31/1/2564']],
  [
    'ไฟล์เดือน ม.ค. 64 เนื้อหาข้างในเป็นของเดือน ก.พ.64 จึงมีข้อมูลไม่ครบขั้นต่ำ 6 เดือน',
    {},
    ['month 1/1/2564-31/1/2564', 'month 1/2/2564-28/2/2564'],
  ],
  ['ไม่ปรากฏรายงานผลการสำรวจความพึงพอใจการให้บริการ ประจำปี 2563', {}, ['year 1/10/2562-30/9/2563']],
  ['ช่วงตอบแบบ OIT 1 มี.ค. – 30 เม.ย. 2564', {}, ['range 1/3/2564-30/4/2564']],
  ['ประกาศผลวันที่ 26 ส.ค. 2564', {}, ['day 26/8/2564-26/8/2564']],
  ['19 ต.ค. 2563', {}, ['day 19/10/2563-19/10/2563']],
  ['16 Oct 2020', {}, ['day 16/10/2563-16/10/2563']],
  ['October 16, 2020', {}, ['day 16/10/2563-16/10/2563']],
  ['Jan 2021', {}, ['month 1/1/2564-31/1/2564']],
  ['ม.ค. 64', {}, ['month 1/1/2564-31/1/2564']],
  ['ม.ค.64', {}, ['month 1/1/2564-31/1/2564']],
  ['ต.ค.63', {}, ['month 1/10/2563-31/10/2563']],
  ['มกรา 64', {}, ['month 1/1/2564-31/1/2564']],
  ['ประจำเดือนกรกฏาคม 2564', {}, ['month 1/7/2564-31/7/2564']],
  ['ปีงบประมาณ 64', {}, ['fiscal-year 1/10/2563-30/9/2564']],
  ['FY2021', {}, ['fiscal-year 1/10/2563-30/9/2564']],
  ['ปี พ.ศ. 2563', {}, ['year 1/10/2562-30/9/2563']],
];

describe('findDates on real strings', () => {
  it('has at least 30 real strings', () => {
    expect(REAL.length).toBeGreaterThanOrEqual(30);
  });
  for (const [text, ctx, expected] of REAL) {
    const label = ctx.fiscalYear ? `${text} (FY ${ctx.fiscalYear})` : text;
    it(label, () => {
      expect(findDates(text, ctx).map(show)).toEqual(expected);
    });
  }

  it('reports text and index in the normalised text', () => {
    const input = 'รอบ 6 เดือน (ต.ค.64 – มี.ค.65)';
    const ms = findDates(input, {});
    const range = ms.find((m) => m.kind === 'range');
    expect(range?.text).toBe('ต.ค.64 - มี.ค.65');
    expect(range?.index).toBe(13);
    const half = ms.find((m) => m.kind === 'half');
    expect(half?.text).toBe('รอบ 6 เดือน');
    expect(half?.index).toBe(0);
  });

  it('returns mentions in text order, ranges instead of their parts', () => {
    const ms = findDates('ประกาศ 1 ต.ค. 2563 และ 15 ต.ค. 2563 - 20 ต.ค. 2563 ปีงบประมาณ 2564');
    expect(ms.map(show)).toEqual([
      'day 1/10/2563-1/10/2563',
      'range 15/10/2563-20/10/2563',
      'fiscal-year 1/10/2563-30/9/2564',
    ]);
    for (let i = 1; i < ms.length; i++) {
      expect(ms[i]!.index).toBeGreaterThanOrEqual(ms[i - 1]!.index + ms[i - 1]!.text.length);
    }
  });

  it('prefers a fiscal year written in the text over ctx, and the nearest one', () => {
    expect(findDates('ไตรมาสที่ 2 ปีงบประมาณ 2563', { fiscalYear: 2564 }).map(show)[0]).toBe(
      'quarter 1/1/2563-31/3/2563',
    );
    const ms = findDates('ปีงบประมาณ 2563 รอบ 6 เดือน ... ปีงบประมาณ 2564 รอบ 6 เดือน');
    expect(ms.filter((m) => m.kind === 'half').map(show)).toEqual([
      'half 1/10/2562-31/3/2563',
      'half 1/10/2563-31/3/2564',
    ]);
  });
});

describe('findDates never dates', () => {
  const NEGATIVE = [
    'โทร. 0-4381-2345',
    'โทรศัพท์ 081-234-5678',
    'โทร 02 141 3000 ต่อ 1234',
    'โทรสาร 043-812-345',
    '2,564 บาท',
    'งบประมาณ 2,564,000 บาท',
    'จำนวน 2564 ราย',
    '2564',
    '64',
    'มาตรา 50',
    'มาตรา 9 แห่งพระราชบัญญัติ',
    'หน้า 1/8',
    'หน้า 12 จาก 30',
    'คำสั่งที่ 12/2564',
    'ตามพระราชบัญญัติข้อมูลข่าวสารของราชการ พ.ศ. 2540',
    'สำนักงาน ก.พ.ร. 2564',
    'มติ ก.ค.ศ. 2564',
    'ส.ค.ส. 2564',
    'ศาลตุลาการ 2564',
    'ภายใน 3 ปี 60 วัน',
    'เวลา 09:30 น.',
    'IP 192.168.1.1',
    'ราคา 1,500.50 บาท',
    'ปีงบประมาณ',
    'ก.พ.',
    'ข้อ 5 ก.พ.',
    'ค่าจ้างเดือนมกราคม 2500 บาท',
    'O11 รายงานการกำกับติดตาม',
    'ขั้นต่ำ 6 เดือน',
    'ไตรมาส',
  ];
  for (const text of NEGATIVE) {
    it(text, () => {
      expect(findDates(text).map(show)).toEqual([]);
    });
  }
});

describe('findDates property: every day from 1 Oct 2549 to 30 Sep 2581 in many styles', () => {
  const thaiDigits = (s: string | number): string =>
    String(s).replace(/[0-9]/g, (d) => String.fromCharCode(0x0e50 + Number(d)));
  const pad = (n: number): string => String(n).padStart(2, '0');
  const styles: [string, (d: Ymd) => string][] = [
    ['full Thai month, BE', (d) => `${d.day} ${MONTHS[d.month - 1]!.th} ${d.year}`],
    [
      'short Thai month, 2-digit year',
      (d) => `${d.day} ${MONTHS[d.month - 1]!.thShort} ${pad(d.year % 100)}`,
    ],
    ['Thai digits', (d) => `${thaiDigits(d.day)} ${MONTHS[d.month - 1]!.th} ${thaiDigits(d.year)}`],
    ['วันที่ d เดือน m พ.ศ. y', (d) => `วันที่ ${d.day} เดือน ${MONTHS[d.month - 1]!.th} พ.ศ. ${d.year}`],
    ['d/m/yyyy BE', (d) => `${d.day}/${d.month}/${d.year}`],
    ['English d Mon yyyy CE', (d) => `${d.day} ${MONTHS[d.month - 1]!.enShort} ${d.year - 543}`],
    ['ISO CE', (d) => `${d.year - 543}-${pad(d.month)}-${pad(d.day)}`],
    ['compact', (d) => `${d.day}${MONTHS[d.month - 1]!.thShort.replace(/\./g, '')}${pad(d.year % 100)}`],
    ['in a sentence', (d) => `ประกาศเมื่อ ${d.day} ${MONTHS[d.month - 1]!.thShort}${d.year} เวลา 09:30 น.`],
  ];

  const days: Ymd[] = [];
  for (let y = 2549; y <= 2581; y++) {
    for (let m = 1; m <= 12; m++) {
      if ((y === 2549 && m < 10) || (y === 2581 && m > 9)) continue;
      for (let day = 1; day <= daysInMonth(y, m); day++) days.push({ year: y, month: m, day });
    }
  }

  it('covers 32 fiscal years of days', () => {
    expect(days[0]).toEqual(D('1/10/2549'));
    expect(days.at(-1)).toEqual(D('30/9/2581'));
    expect(days.length).toBe(11688);
  });

  it('finds exactly the day in every style', () => {
    const failures: string[] = [];
    for (const d of days) {
      for (const [name, style] of styles) {
        const s = style(d);
        const ms = findDates(s);
        const m = ms[0];
        if (
          ms.length !== 1 ||
          m?.kind !== 'day' ||
          compareYmd(m.span.start, d) !== 0 ||
          compareYmd(m.span.end, d) !== 0
        ) {
          failures.push(`${name}: "${s}" → ${JSON.stringify(ms.map(show))}`);
        }
      }
    }
    expect(failures.slice(0, 10)).toEqual([]);
  });

  it('fiscalYearOf follows the October–September rule for every day', () => {
    for (const d of days) {
      const fy = d.month >= 10 ? d.year + 1 : d.year;
      expect(fiscalYearOf(d)).toBe(fy);
      expect(spanContains(fiscalYearSpan(fy), { start: d, end: d })).toBe(true);
      expect(spanContains(fiscalYearSpan(fy + 1), { start: d, end: d })).toBe(false);
    }
  });

  it('monthsOfFiscalYear has the right length and order for every year and (from, to)', () => {
    const order = [10, 11, 12, 1, 2, 3, 4, 5, 6, 7, 8, 9];
    for (let fy = 2549; fy <= 2581; fy++) {
      for (let from = 1; from <= 12; from++) {
        for (let to = from; to <= 12; to++) {
          const ms = monthsOfFiscalYear(fy, from, to);
          expect(ms.length).toBe(to - from + 1);
          ms.forEach((m, k) => {
            const i = from + k;
            expect(m.month).toBe(order[i - 1]);
            expect(m.year).toBe(i <= 3 ? fy - 1 : fy);
            expect(fiscalMonthIndex(m)).toBe(i);
            expect(fiscalYearOf(m)).toBe(fy);
            if (k > 0) expect(compareYM(ms[k - 1]!, m)).toBeLessThan(0);
          });
        }
      }
    }
  });
});

describe('month and range property: every month of the range', () => {
  it('finds "มกราคม 2564", "ม.ค. 64" and "เดือนม.ค.64" forms for every month, and ranges across years', () => {
    const kinds: DateMentionKind[] = [];
    for (let y = 2549; y <= 2581; y++) {
      for (let m = 1; m <= 12; m++) {
        const names = MONTHS[m - 1]!;
        const yy = String(y % 100).padStart(2, '0');
        const expected = `month 1/${m}/${y}-${daysInMonth(y, m)}/${m}/${y}`;
        for (const s of [
          `${names.th} ${y}`,
          `${names.thShort} ${yy}`,
          `เดือน${names.thShort}${yy}`,
          `${names.en} ${y - 543}`,
        ]) {
          const ms = findDates(s);
          expect(ms.map(show), s).toEqual([expected]);
          kinds.push(ms[0]!.kind);
        }
        // "<m> - <m+5>" with the year written only at the end
        const endM = ((m + 4) % 12) + 1;
        const endY = endM < m ? y + 1 : y;
        const r = findDates(
          `${names.thShort} - ${MONTHS[endM - 1]!.thShort} ${String(endY % 100).padStart(2, '0')}`,
        );
        expect(r.map(show)).toEqual([`range 1/${m}/${y}-${daysInMonth(endY, endM)}/${endM}/${endY}`]);
      }
    }
    expect(new Set(kinds)).toEqual(new Set(['month']));
  });
});

describe('monthsMentioned', () => {
  it('lists months of day/month/range/quarter/half mentions, unique and sorted', () => {
    expect(monthsMentioned('ประจำปีงบประมาณ พ.ศ. 2565 รอบ 6 เดือน (ต.ค.64 - มี.ค.65)')).toEqual(
      monthsOfFiscalYear(2565, 1, 6),
    );
    expect(monthsMentioned('ไฟล์เดือน ก.พ.64 ... เดือน ม.ค. 64 ... 3 ม.ค. 2564')).toEqual([
      ym(2564, 1),
      ym(2564, 2),
    ]);
    expect(monthsMentioned('ไตรมาสที่ 3', { fiscalYear: 2564 })).toEqual(monthsOfFiscalYear(2564, 7, 9));
  });

  it('leaves out fiscal-year and year mentions', () => {
    expect(monthsMentioned('รายงานผลการดำเนินงานประจำปีงบประมาณ พ.ศ. 2564')).toEqual([]);
    expect(monthsMentioned('ITA ประจำปี 2564')).toEqual([]);
  });
});

describe('detectMonthColumns', () => {
  it('finds a header row of months with years', () => {
    const rows = [
      ['ลำดับ', 'รายการ', 'ต.ค.63', 'พ.ย. 63', 'ธ.ค.63', 'ม.ค.64', 'รวม'],
      ['1', 'ผู้มาติดต่อ', '10', '12', '8', '9', '39'],
    ];
    expect(detectMonthColumns(rows)).toEqual({
      axis: 'header',
      col: 2,
      row: 0,
      cells: [2, 3, 4, 5],
      months: [ym(2563, 10), ym(2563, 11), ym(2563, 12), ym(2564, 1)],
    });
  });

  it('takes the year from a fiscal year elsewhere in the table', () => {
    const rows = [
      ['สถิติการให้บริการ ประจำปีงบประมาณ พ.ศ. 2564'],
      ['เรื่อง', 'ตุลาคม', 'พฤศจิกายน', 'ธันวาคม', 'มกราคม', 'กุมภาพันธ์', 'มีนาคม'],
      ['ขออนุญาตก่อสร้าง', '1', '0', '2', '3', '1', '0'],
    ];
    const r = detectMonthColumns(rows);
    expect(r?.row).toBe(1);
    expect(r?.months).toEqual(monthsOfFiscalYear(2564, 1, 6));
  });

  it('carries years to month cells without one', () => {
    const r = detectMonthColumns([['', 'ต.ค. 63', 'พ.ย.', 'ธ.ค.', 'ม.ค. 64', 'ก.พ.']]);
    expect(r?.months).toEqual([ym(2563, 10), ym(2563, 11), ym(2563, 12), ym(2564, 1), ym(2564, 2)]);
    const back = detectMonthColumns([['พ.ย.', 'ธ.ค.', 'ม.ค. 64']]);
    expect(back?.months).toEqual([ym(2563, 11), ym(2563, 12), ym(2564, 1)]);
  });

  it('returns year 0 when no year is known, or uses ctx.fiscalYear', () => {
    const rows = [['เดือน', 'ต.ค.', 'พ.ย.', 'ธ.ค.']];
    expect(detectMonthColumns(rows)?.months).toEqual([ym(0, 10), ym(0, 11), ym(0, 12)]);
    expect(detectMonthColumns(rows, { fiscalYear: 2565 })?.months).toEqual(monthsOfFiscalYear(2565, 1, 3));
  });

  it('supports months down the first column (one row per month)', () => {
    const rows = [
      ['เดือน', 'จำนวนเรื่องร้องเรียน', 'ดำเนินการแล้ว'],
      ['ตุลาคม 2563', '3', '3'],
      ['พฤศจิกายน 2563', '1', '1'],
      ['ธันวาคม 2563', '0', '0'],
      ['มกราคม 2564', '2', '1'],
      ['รวม', '6', '5'],
    ];
    expect(detectMonthColumns(rows)).toEqual({
      axis: 'column',
      col: 0,
      row: 1,
      cells: [1, 2, 3, 4],
      months: [ym(2563, 10), ym(2563, 11), ym(2563, 12), ym(2564, 1)],
    });
  });

  it('reads English spreadsheet month cells (Oct-20) and ISO months as CE', () => {
    expect(detectMonthColumns([['Oct-20', 'Nov-20', 'Dec-20']])?.months).toEqual([
      ym(2563, 10),
      ym(2563, 11),
      ym(2563, 12),
    ]);
    expect(detectMonthColumns([['2020-10', '2020-11']])?.months).toEqual([ym(2563, 10), ym(2563, 11)]);
  });

  it('returns null when there is no month row or column', () => {
    expect(detectMonthColumns([])).toBeNull();
    expect(
      detectMonthColumns([
        ['ชื่อ', 'ที่อยู่'],
        ['นาย ก', 'หมู่ที่ 1'],
      ]),
    ).toBeNull();
    expect(
      detectMonthColumns([
        ['วันที่', 'เรื่อง'],
        ['1 ต.ค. 63', 'ประกาศ'],
        ['2 ต.ค. 63', 'ประกาศ'],
      ]),
    ).toBeNull();
    expect(detectMonthColumns([['ต.ค. 63', 'ต.ค. 63']])).toBeNull();
  });
});
