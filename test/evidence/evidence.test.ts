// Reading O-codes and item names the way agencies write them.
import { describe, expect, it } from 'vitest';
import { parseItemCode } from '../../src/evidence/item-code.js';
import { ItemNameMatcher } from '../../src/evidence/name-match.js';
import { loadFramework } from '../../src/rules/load.js';

describe('parseItemCode', () => {
  it.each([
    ['O1', 1],
    ['o1 โครงสร้าง', 1],
    ['O-5 ข้อมูลการติดต่อ', 5],
    ['O.12', 12],
    ['OIT 12 รายงานผลการดำเนินงานประจำปี', 12],
    ['OIT12', 12],
    ['ข้อ O15', 15],
    ['011 - รายงานการกำกับติดตาม', 11],
    ['09 - Social Network', 9],
    ['029ประกาศหลักเกณฑ์', 29],
    ['O43', 43],
  ])('%s → O%i', (text, n) => {
    expect(parseItemCode(text)).toBe(n);
  });

  it.each(['O44', 'CO2 emissions', 'ปีงบประมาณ 2564', 'โทร 075-123456', 'ISO 9001', 'รอบ 6 เดือน', ''])(
    '%s is no item code',
    (text) => {
      expect(parseItemCode(text)).toBeNull();
    },
  );
});

describe('ItemNameMatcher', () => {
  const fw = loadFramework('ita-2564');
  const m = new ItemNameMatcher(fw.items);
  it.each([
    ['โครงสร้างส่วนราชการ', 'O1'],
    ['คณะผู้บริหาร', 'O2'],
    ['กฏหมายที่เกี่ยวข้อง', 'O6'],
    ['กระดานถาม-ตอบ (Q & A)', 'O8'],
    ['แผนการดำเนินงานประจำปี 2564', 'O10'],
    ['รายงานการกำกับติดตามการดำเนินงานประจำปี รอบ6เดือน', 'O11'],
    ['รายงานผลการดำเนินงานประจำปี 2563', 'O12'],
    ['คู่มือหรือมาตราฐานการปฏิบัติงาน', 'O13'],
    ['ข้อมูลเชิงสถิติการให้บริการ', 'O15'],
    ['บริการออนไลน์ E–Service', 'O17'],
    ['ประกาศต่างๆเกี่ยวกับการจัดซื้อจัดจ้างหรือการจัดหาพัสดุ', 'O22'],
    ['สรุปผลการจัดซื้อจัดจ้างรายเดือน', 'O23'],
    ['หลักเกณฑ์การบริหารและพัฒนาทรัพยากรบุคคล', 'O27'],
    ['ข้อมูลเชิงสถิติเรื่องร้องเรียนการทุจริตและประพฤติมิชอบประจำปี', 'O31'],
    ['เจตจํานงสุจริตของผู้บริหาร', 'O34'],
    ['มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน', 'O42'],
    ['การดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน', 'O43'],
  ])('%s → %s', (text, id) => {
    expect(m.match(text)?.itemId).toBe(id);
  });

  it("reads a name through the title's year phrase", () => {
    expect(m.match('รายงานการใช้จ่ายงบประมาณ ประจำปีงบประมาณ พ.ศ. ๒๕๖๔ รอบ 6 เดือน')?.itemId).toBe('O19');
    expect(m.match('แผนการดำเนินงานประจำปีงบประมาณ พ.ศ. 2564')?.itemId).toBe('O10');
  });

  it('matchAll names every item a text names, not only the best', () => {
    const all = m.matchAll('ประชุมประชาคมหมู่บ้านและประชาคมตำบล เพื่อทบทวนแผนพัฒนาท้องถิ่น ประจำปี 2564');
    expect(all.map((x) => x.itemId).sort()).toEqual(['O33', 'O4']);
    expect(m.match('ประชุมประชาคมหมู่บ้านและประชาคมตำบล เพื่อทบทวนแผนพัฒนาท้องถิ่น')?.itemId).toBe('O4');
    expect(m.matchAll('กิจกรรมวันเด็กแห่งชาติ')).toEqual([]);
  });

  it('prefers the longest name: a 6-month report is not the annual plan', () => {
    expect(m.match('รายงานการกำกับติดตามการใช้จ่ายงบประมาณ ประจำปี รอบ 6 เดือน')?.itemId).toBe('O19');
  });

  it('finds nothing in unrelated texts', () => {
    for (const t of ['ประเพณีลอยกระทง 2563', 'หน้าแรก', 'ดาวน์โหลด', 'อัลบั้มภาพกิจกรรม'])
      expect(m.match(t)).toBeNull();
  });

  it('reports how much of the text the name covers', () => {
    const full = m.match('ข้อมูลการติดต่อ');
    const part = m.match('ข่าว: อบต.ปรับปรุงข้อมูลการติดต่อหน่วยงานใหม่ ตั้งแต่วันที่ 1 มกราคม 2564 เป็นต้นไป');
    expect(full?.coverage).toBe(1);
    expect(part?.coverage ?? 1).toBeLessThan(0.4);
  });
});
