import { describe, expect, it } from 'vitest';
import {
  defaultMaxEdits,
  foldWhitespace,
  fuzzyFind,
  includesTerm,
  matchKey,
  normalizeThai,
} from '../../src/extract/thai-text.js';

describe('normalizeThai', () => {
  it('composes decomposed sara am (ํ + า), also with a space or a tone mark in between', () => {
    expect(normalizeThai('เจตจํานงสุจริต')).toBe('เจตจำนงสุจริต');
    expect(normalizeThai('เจตจํานงสุจริต')).toBe(normalizeThai('เจตจำนงสุจริต'));
    expect(normalizeThai('การดําเนินงาน')).toBe('การดำเนินงาน');
    expect(normalizeThai('เจตจ ํ านง')).toBe('เจตจำนง');
    expect(normalizeThai('ประจํ าปี')).toBe('ประจำปี');
    expect(normalizeThai('น้ํา')).toBe('น้ำ');
    expect(normalizeThai('นํ้า')).toBe('น้ำ');
    expect(normalizeThai('นำ้')).toBe('น้ำ');
  });

  it('removes zero-width and soft characters wherever they are', () => {
    for (const zw of ['\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF', '\u00AD']) {
      expect(normalizeThai(`การ${zw}ประเมิน${zw}คุณธรรม`)).toBe('การประเมินคุณธรรม');
    }
    expect(normalizeThai('\uFEFFITA')).toBe('ITA');
  });

  it('maps Thai digits to ASCII', () => {
    expect(normalizeThai('๐๑๒๓๔๕๖๗๘๙')).toBe('0123456789');
    expect(normalizeThai('วันที่ ๑๑ เดือน มกราคม พ.ศ. ๒๕๖๕')).toBe('วันที่ 11 เดือน มกราคม พ.ศ. 2565');
    expect(normalizeThai('หมู่ที่ ๑๐')).toBe('หมู่ที่ 10');
  });

  it('repairs PDF spacing before marks and following vowels', () => {
    expect(normalizeThai('ก ารประเมิน คุณธรรม')).toBe('การประเมิน คุณธรรม');
    expect(normalizeThai('การประเม ิน')).toBe('การประเมิน');
    expect(normalizeThai('ท ี่ว่าการ')).toBe('ที่ว่าการ');
    expect(normalizeThai('ความโปร ่งใส')).toBe('ความโปร่งใส');
    expect(normalizeThai('ส ั ญญา')).toBe('สัญญา');
    expect(normalizeThai('ส ั ่ ง')).toBe('สั่ง');
    expect(normalizeThai('ผลการดำเนินง าน')).toBe('ผลการดำเนินงาน');
    expect(normalizeThai('ค ู่มือ')).toBe('คู่มือ');
    expect(normalizeThai('ก  ็')).toBe('ก็');
  });

  it('repairs a space after a leading vowel', () => {
    expect(normalizeThai('เ จตจำนง')).toBe('เจตจำนง');
    expect(normalizeThai('แ ผนการดำเนินงาน')).toBe('แผนการดำเนินงาน');
    expect(normalizeThai('โ ครงสร้าง')).toBe('โครงสร้าง');
    expect(normalizeThai('ใ ห้บริการ ไ ด้')).toBe('ให้บริการ ได้');
  });

  it('keeps legitimate spaces between words, before ๆ and before digits', () => {
    expect(normalizeThai('ประกาศต่าง ๆ เกี่ยวกับการจัดซื้อจัดจ้าง')).toBe('ประกาศต่าง ๆ เกี่ยวกับการจัดซื้อจัดจ้าง');
    expect(normalizeThai('รอบ 6 เดือน')).toBe('รอบ 6 เดือน');
    expect(normalizeThai('กระดานข่าว ถาม-ตอบ')).toBe('กระดานข่าว ถาม-ตอบ');
    expect(normalizeThai('ไป ไหน')).toBe('ไป ไหน');
  });

  it('folds dashes to "-"', () => {
    expect(normalizeThai('E–Service')).toBe('E-Service');
    expect(normalizeThai('ต.ค. 63 — มี.ค. 64')).toBe('ต.ค. 63 - มี.ค. 64');
    expect(normalizeThai('10 − 2')).toBe('10 - 2');
    expect(normalizeThai('ถาม‐ตอบ')).toBe('ถาม-ตอบ');
  });

  it('folds all whitespace (NBSP, tabs, line breaks) to one space and trims', () => {
    expect(normalizeThai('  ข้อมูล\u00A0\u00A0พื้นฐาน\n\t(O1) \u3000')).toBe('ข้อมูล พื้นฐาน (O1)');
    expect(foldWhitespace(' a \n b ')).toBe('a b');
  });

  it('keeps Latin case and applies NFC', () => {
    expect(normalizeThai('ITA Online E-Service')).toBe('ITA Online E-Service');
    expect(normalizeThai('Cafe\u0301')).toBe('Café');
  });

  it('maps Thai PUA glyphs and Latin ligatures from PDF fonts', () => {
    expect(normalizeThai('ผู\uF70Bบริหาร')).toBe('ผู้บริหาร');
    expect(normalizeThai('ที\uF70A')).toBe('ที่');
    expect(normalizeThai('\uFB01le')).toBe('file');
  });

  it('repairs mark-order slips, doubled marks and เเ for แ', () => {
    expect(normalizeThai('ท่ี')).toBe('ที่');
    expect(normalizeThai('ที่่')).toBe('ที่');
    expect(normalizeThai('เเผนการดำเนินงาน')).toBe('แผนการดำเนินงาน');
    expect(normalizeThai('ข้อเสนอเเนะ')).toBe('ข้อเสนอแนะ');
  });

  it('is idempotent', () => {
    const samples = [
      'ก ารประเมิน คุณธรรม',
      'เจตจ ํ านงสุจริต',
      'เ จตจ ํานง',
      '  ประกาศต่าง ๆ  เกี่ยวกับ\u200Bการจัดซื้อจ้าง ',
      'วันที่ ๑๑ เดือน มกราคม พ.ศ. ๒๕๖๕',
      'E–Service\u00A0— Q & A',
      'ท่ี นํ้า เเผน',
    ];
    for (const s of samples) expect(normalizeThai(normalizeThai(s))).toBe(normalizeThai(s));
  });
});

describe('matchKey', () => {
  const pairs: [string, string][] = [
    ['กฏหมายที่เกี่ยวข้อง', 'กฎหมายที่เกี่ยวข้อง'],
    ['ประกาศต่างๆ', 'ประกาศต่าง ๆ'],
    ['รอบ6เดือน', 'รอบ 6 เดือน'],
    ['Q & A', 'Q&A'],
    ['E–Service', 'E-Service'],
    ['ความโปรงใส', 'ความโปร่งใส'],
    ['เจตจํานง', 'เจตจำนง'],
    ['ข้อมูล\u200Bพื้นฐาน', 'ข้อมูลพื้นฐาน'],
    ['แผนการดำเนินงาน ประจำปี ๒๕๖๔', 'แผนการดำเนินงานประจำปี 2564'],
    ['ก ารประเมิน', 'การประเมิน'],
    ['E-SERVICE', 'e-service'],
    ['กระดานกระทู้ (ถาม-ตอบ)', 'กระดานกระทู้ ถามตอบ'],
    ['นโยบายไม่รับของขวัญ (No Gift Policy)', 'นโยบายไม่รับของขวัญ no gift policy'],
  ];
  for (const [a, b] of pairs) {
    it(`"${a}" ≡ "${b}"`, () => {
      expect(matchKey(a)).toBe(matchKey(b));
    });
  }

  it('drops spaces, punctuation, tone marks and ็ ์ ํ, maps ฏ → ฎ and lower-cases', () => {
    expect(matchKey('Q & A')).toBe('qa');
    expect(matchKey('กฏหมาย')).toBe('กฎหมาย');
    expect(matchKey('เก็บ')).toBe('เกบ');
    expect(matchKey('การ์ด')).toBe('การด');
    expect(matchKey('(O1) "โครงสร้าง";')).toBe('o1โครงสราง');
  });

  it('keeps differences that matter', () => {
    expect(matchKey('จัดซื้อจัดจ้าง')).not.toBe(matchKey('จัดซื้อจ้าง'));
    expect(matchKey('O1')).not.toBe(matchKey('O11'));
    expect(matchKey('ปี')).not.toBe(matchKey('ป'));
  });
});

describe('includesTerm', () => {
  it('finds terms regardless of spacing, tone marks and typos that matchKey folds', () => {
    expect(
      includesTerm('ข่าวประชาสัมพันธ์ > ประกาศต่าง ๆ เกี่ยวกับการจัดซื้อจัดจ้าง', 'ประกาศต่างๆเกี่ยวกับการจัดซื้อจัดจ้าง'),
    ).toBe(true);
    expect(includesTerm('กระดานข่าว Q & A (ถาม-ตอบ)', 'Q&A')).toBe(true);
    expect(includesTerm('O6 กฏหมายที่เกี่ยวข้อง', 'กฎหมายที่เกี่ยวข้อง')).toBe(true);
    expect(includesTerm('รายงานการกำกับติดตามการดำเนินงาน ประจำปี รอบ6เดือน', 'รอบ 6 เดือน')).toBe(true);
    expect(includesTerm('ระบบ E–Service', 'e-service')).toBe(true);
  });

  it('is false for absent terms and for an empty term', () => {
    expect(includesTerm('ข้อมูลพื้นฐาน', 'แผนการดำเนินงาน')).toBe(false);
    expect(includesTerm('ข้อมูลพื้นฐาน', '')).toBe(false);
    expect(includesTerm('ข้อมูลพื้นฐาน', ' - ')).toBe(false);
  });
});

describe('fuzzyFind', () => {
  it('default budget: 0 up to 5 key characters, then about one edit per 7', () => {
    expect(defaultMaxEdits(2)).toBe(0);
    expect(defaultMaxEdits(5)).toBe(0);
    expect(defaultMaxEdits(6)).toBe(1);
    expect(defaultMaxEdits(13)).toBe(1);
    expect(defaultMaxEdits(14)).toBe(2);
    expect(defaultMaxEdits(50)).toBe(7);
  });

  it('returns exact matches with 0 edits and positions in key space and in the normalised text', () => {
    const text = 'เมนู: ประกาศต่าง ๆ เกี่ยวกับการจัดซื้อจัดจ้าง';
    const r = fuzzyFind(text, 'ประกาศต่างๆเกี่ยวกับการจัดซื้อจัดจ้าง');
    expect(r).not.toBeNull();
    expect(r?.edits).toBe(0);
    expect(matchKey(text).slice(r?.start, r?.end)).toBe(matchKey('ประกาศต่างๆเกี่ยวกับการจัดซื้อจัดจ้าง'));
    expect(r?.match).toBe('ประกาศต่าง ๆ เกี่ยวกับการจัดซื้อจัดจ้าง');
    expect(normalizeThai(text).slice(r?.normStart, r?.normEnd)).toBe(r?.match);
  });

  it('catches "การด่านข่าว ถาม-ตอบ" for "กระดานข่าว ถาม-ตอบ" (2 edits)', () => {
    const r = fuzzyFind('เมนูหลัก การด่านข่าว ถาม-ตอบ ติดต่อเรา', 'กระดานข่าว ถาม-ตอบ');
    expect(r).not.toBeNull();
    expect(r?.edits).toBe(2);
    expect(r?.match).toBe('การด่านข่าว ถาม-ตอบ');
  });

  it('catches "มาตราฐาน" for "มาตรฐาน", alone and inside an item name', () => {
    expect(fuzzyFind('มาตราฐาน', 'มาตรฐาน')?.edits).toBe(1);
    const r = fuzzyFind('O14 คู่มือหรือมาตราฐานการให้บริการ', 'คู่มือหรือมาตรฐานการให้บริการ');
    expect(r?.edits).toBe(1);
    expect(r?.match).toBe('คู่มือหรือมาตราฐานการให้บริการ');
  });

  it('catches "จัดซื้อจ้าง" for "จัดซื้อจัดจ้าง" in item names (default budget) and alone (explicit budget)', () => {
    const r = fuzzyFind(
      'O22 ประกาศต่าง ๆ เกี่ยวกับการจัดซื้อจ้างหรือการจัดหาพัสดุ',
      'ประกาศต่างๆเกี่ยวกับการจัดซื้อจัดจ้างหรือการจัดหาพัสดุ',
    );
    expect(r?.edits).toBe(3);
    expect(r?.match).toBe('ประกาศต่าง ๆ เกี่ยวกับการจัดซื้อจ้างหรือการจัดหาพัสดุ');
    expect(fuzzyFind('ข่าวจัดซื้อจ้าง', 'จัดซื้อจัดจ้าง', 3)?.match).toBe('จัดซื้อจ้าง');
    // 3 edits on a 12-character key is beyond the default budget.
    expect(fuzzyFind('ข่าวจัดซื้อจ้าง', 'จัดซื้อจัดจ้าง')).toBeNull();
  });

  it('does not fuzz short terms and rejects unrelated text', () => {
    expect(fuzzyFind('O2 ข้อมูลผู้บริหาร', 'O1')).toBeNull();
    expect(fuzzyFind('ข้อมูลพื้นฐาน วิสัยทัศน์', 'แผนการจัดหาพัสดุ')).toBeNull();
    expect(fuzzyFind('anything', '')).toBeNull();
    expect(fuzzyFind('', 'แผนการจัดหาพัสดุ')).toBeNull();
  });

  it('respects an explicit budget', () => {
    expect(fuzzyFind('การด่านข่าว ถาม-ตอบ', 'กระดานข่าว ถาม-ตอบ', 1)).toBeNull();
    expect(fuzzyFind('การด่านข่าว ถาม-ตอบ', 'กระดานข่าว ถาม-ตอบ', 2)?.edits).toBe(2);
  });

  it('returns the best of several matches', () => {
    const r = fuzzyFind('มาตราฐาน ... มาตรฐาน', 'มาตรฐาน');
    expect(r?.edits).toBe(0);
    expect(r?.normStart).toBe(normalizeThai('มาตราฐาน ... มาตรฐาน').lastIndexOf('มาตรฐาน'));
  });
});
