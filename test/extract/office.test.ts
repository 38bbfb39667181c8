import { describe, expect, it } from 'vitest';
import { docx, oleStub, xlsx, zipBombDeclared, zipBombEntries, zipOf } from '../../fixtures/lib/documents.js';
import {
  columnIndex,
  extractDocx,
  extractXlsx,
  isDateFormat,
  serialToIso,
} from '../../src/extract/office.js';
import { MONTH_ROWS, MONTHS } from '../helpers/thai-docs.js';

const W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"';
const S = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
const R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

describe('extractDocx', () => {
  const bytes = docx({
    title: 'แผนปฏิบัติการ ประจำปี พ.ศ. 2564',
    paragraphs: [
      'แผนปฏิบัติการประจำปีงบประมาณ พ.ศ. ๒๕๖๔',
      'หน่วยงาน: สำนักงาน <ทดสอบ> & "ตัวอย่าง"',
      'ลำดับ\tโครงการ',
      'บรรทัดแรก\nบรรทัดที่สอง',
    ],
    tables: [[['เดือน', 'จำนวนเรื่อง', 'ดำเนินการแล้ว'], ...MONTH_ROWS]],
  });

  it('reads paragraphs as lines, escaping and Thai digits handled', () => {
    const doc = extractDocx(bytes);
    expect(doc.error).toBeUndefined();
    expect(doc.kind).toBe('docx');
    expect(doc.title).toBe('แผนปฏิบัติการ ประจำปี พ.ศ. 2564');
    expect(doc.parts).toHaveLength(1);
    const part = doc.parts[0]!;
    expect(part.label).toBe('document');
    const lines = part.text.split('\n');
    expect(lines.slice(0, 5)).toEqual([
      'แผนปฏิบัติการประจำปีงบประมาณ พ.ศ. 2564',
      'หน่วยงาน: สำนักงาน <ทดสอบ> & "ตัวอย่าง"',
      'ลำดับ โครงการ',
      'บรรทัดแรก',
      'บรรทัดที่สอง',
    ]);
  });

  it('returns table rows with separate cells, and the rows in the text', () => {
    const part = extractDocx(bytes).parts[0]!;
    expect(part.rows).toEqual([['เดือน', 'จำนวนเรื่อง', 'ดำเนินการแล้ว'], ...MONTH_ROWS]);
    expect(part.text).toContain('ต.ค.63\t10\t5');
  });

  it('skips deleted text and field codes, reads text boxes, pads merged cells', () => {
    const document = `<?xml version="1.0" encoding="UTF-8"?><w:document ${W}><w:body>
      <w:p><w:r><w:t>รายงาน</w:t></w:r><w:del><w:r><w:delText>ลบแล้ว</w:delText></w:r></w:del><w:ins><w:r><w:t>ผล</w:t></w:r></w:ins>
        <w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r><w:r><w:t>การดํา</w:t></w:r><w:r><w:t>เนินงาน</w:t></w:r>
        <w:r><w:pict><w:txbxContent><w:p><w:r><w:t>ในกล่องข้อความ</w:t></w:r></w:p></w:txbxContent></w:pict></w:r></w:p>
      <w:sdt><w:sdtContent><w:p><w:r><w:t>ในตัวควบคุมเนื้อหา</w:t></w:r></w:p></w:sdtContent></w:sdt>
      <w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr><w:p><w:r><w:t>หัวตารางรวมสองช่อง</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>C</w:t></w:r></w:p></w:tc></w:tr>
        <w:tr><w:tc><w:p><w:r><w:t>a</w:t></w:r></w:p><w:p><w:r><w:t>a2</w:t></w:r></w:p></w:tc><w:tc><w:p/></w:tc><w:tc><w:p><w:r><w:t>c</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
    </w:body></w:document>`;
    const doc = extractDocx(zipOf({ 'word/document.xml': document }));
    expect(doc.error).toBeUndefined();
    const part = doc.parts[0]!;
    expect(part.text.split('\n')).toEqual([
      'รายงานผลการดำเนินงาน',
      'ในกล่องข้อความ',
      'ในตัวควบคุมเนื้อหา',
      'หัวตารางรวมสองช่อง\t\tC',
      'a a2\t\tc',
    ]);
    expect(part.rows).toEqual([
      ['หัวตารางรวมสองช่อง', '', 'C'],
      ['a a2', '', 'c'],
    ]);
    expect(doc.title).toBeUndefined();
  });

  it('a zip that is not a Word document → corrupt', () => {
    const doc = extractDocx(zipOf({ 'hello.txt': 'hi', 'other.xml': '<a/>' }));
    expect(doc.error?.code).toBe('corrupt');
  });
});

describe('extractXlsx', () => {
  const bytes = xlsx({
    title: 'สถิติเรื่องร้องเรียน',
    sheets: MONTHS.map((m, i) => ({
      name: m,
      rows: [
        ['สถิติเรื่องร้องเรียน ประจำเดือน', m],
        ['ช่องทาง', 'จำนวน', 'ดำเนินการแล้ว'],
        ['เว็บไซต์', 10 + i, 5 + i],
        ['โทรศัพท์', '', 2.5 + i],
      ],
    })),
  });

  it('one part per sheet, labelled with the Thai sheet name', () => {
    const doc = extractXlsx(bytes);
    expect(doc.error).toBeUndefined();
    expect(doc.kind).toBe('xlsx');
    expect(doc.title).toBe('สถิติเรื่องร้องเรียน');
    expect(doc.parts.map((p) => p.label)).toEqual([...MONTHS]);
  });

  it('numbers as numeric cells, shared strings, column positions kept', () => {
    const doc = extractXlsx(bytes);
    const oct = doc.parts[0]!;
    expect(oct.rows).toEqual([
      ['สถิติเรื่องร้องเรียน ประจำเดือน', 'ต.ค.63'],
      ['ช่องทาง', 'จำนวน', 'ดำเนินการแล้ว'],
      ['เว็บไซต์', '10', '5'],
      ['โทรศัพท์', '', '2.5'], // B4 empty: C4 stays in column index 2
    ]);
    expect(oct.text.split('\n')[2]).toBe('เว็บไซต์\t10\t5');
    expect(doc.parts[5]!.rows![2]).toEqual(['เว็บไซต์', '15', '10']);
  });

  it('inline strings, booleans, errors, dates by style, rich text, sparse refs', () => {
    const sheet = `<?xml version="1.0"?><worksheet ${S} ${R}><sheetData>
      <row r="1"><c r="A1" t="inlineStr"><is><t>วันที่</t></is></c><c r="B1" t="inlineStr"><is><r><t>ผล</t></r><r><t>การ</t></r><rPh><t>x</t></rPh></is></c></row>
      <row r="3"><c r="A3" s="1"><v>44105</v></c><c r="C3" t="b"><v>1</v></c><c r="D3" t="e"><v>#N/A</v></c><c r="E3" t="str"><v>สูตร</v></c><c r="F3"><v>0.30000000000000004</v></c></row>
      <row r="4"><c r="AA4" s="2"><v>44105.5</v></c></row>
    </sheetData></worksheet>`;
    const styles = `<?xml version="1.0"?><styleSheet ${S}><numFmts count="1"><numFmt numFmtId="164" formatCode="[$-th-TH]d mmm yy;@"/></numFmts>
      <cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="164"/><xf numFmtId="22"/></cellXfs></styleSheet>`;
    const wb = `<?xml version="1.0"?><workbook ${S} ${R}><sheets><sheet name="ข้อมูล" sheetId="1" r:id="rId1"/></sheets></workbook>`;
    const rels = `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/worksheet" Target="/xl/worksheets/data.xml"/><Relationship Id="rId2" Type="${REL}/styles" Target="styles.xml"/></Relationships>`;
    const doc = extractXlsx(
      zipOf({
        'xl/workbook.xml': wb,
        'xl/_rels/workbook.xml.rels': rels,
        'xl/worksheets/data.xml': sheet,
        'xl/styles.xml': styles,
      }),
    );
    expect(doc.error).toBeUndefined();
    const rows = doc.parts[0]!.rows!;
    expect(doc.parts[0]!.label).toBe('ข้อมูล');
    expect(rows[0]).toEqual(['วันที่', 'ผลการ']);
    expect(rows[1]).toEqual(['2020-10-01', '', 'TRUE', '#N/A', 'สูตร', '0.3']);
    expect(rows[2]!.length).toBe(27);
    expect(rows[2]![26]).toBe('2020-10-01T12:00');
  });

  it('helpers: column refs, date formats, serials', () => {
    expect(columnIndex('A1')).toBe(0);
    expect(columnIndex('C3')).toBe(2);
    expect(columnIndex('AA10')).toBe(26);
    expect(columnIndex('$XFD$1')).toBe(16383);
    expect(isDateFormat('d/m/yyyy')).toBe(true);
    expect(isDateFormat('[$-D07041E]d mmm bbbb')).toBe(true);
    expect(isDateFormat('ว/ด/ปปปป')).toBe(true);
    expect(isDateFormat('#,##0.00')).toBe(false);
    expect(isDateFormat('0.00E+00')).toBe(false);
    expect(isDateFormat('"วันที่ "0')).toBe(false);
    expect(serialToIso(1, false)).toBe('1900-01-01');
    expect(serialToIso(61, false)).toBe('1900-03-01');
    expect(serialToIso(44105, false)).toBe('2020-10-01');
    expect(serialToIso(0, true)).toBeUndefined();
  });
});

describe('OOXML failures (fast, never throw)', () => {
  const timed = <T>(fn: () => T): [T, number] => {
    const t0 = performance.now();
    const r = fn();
    return [r, performance.now() - t0];
  };

  it('corrupt, truncated and non-zip input → corrupt', () => {
    const good = docx({ paragraphs: ['ทดสอบ'] });
    const garbage = new Uint8Array(3000).map((_, i) => (i * 7919 + 13) & 0xff);
    garbage.set([0x50, 0x4b, 0x03, 0x04]);
    for (const bytes of [garbage, good.slice(0, good.length - 30), good.slice(0, 200), new Uint8Array(0)]) {
      expect(extractDocx(bytes).error?.code).toBe('corrupt');
      expect(extractXlsx(bytes).error?.code).toBe('corrupt');
    }
    // Damage inside the deflate stream of word/document.xml (caught by the CRC check at worst).
    const big = docx({ paragraphs: Array.from({ length: 50 }, (_, i) => `ย่อหน้าที่ ${i} ของเอกสารทดสอบ`) });
    const name = new TextEncoder().encode('word/document.xml');
    const at = Buffer.from(big).indexOf(Buffer.from(name)) + name.length + 40;
    const damaged = big.slice();
    for (let i = at; i < at + 16; i++) damaged[i] = damaged[i]! ^ 0x5a;
    expect(extractDocx(damaged).error?.code).toBe('corrupt');
  });

  it('zip bomb by entry count → too-large, fast', () => {
    const bomb = zipBombEntries(5000);
    const [doc, ms] = timed(() => extractDocx(bomb));
    expect(doc.error?.code).toBe('too-large');
    expect(doc.error?.message).toMatch(/entries/);
    expect(ms).toBeLessThan(1000);
    // A lower limit applies to xlsx too.
    expect(extractXlsx(zipBombEntries(50), { maxEntries: 20 }).error?.code).toBe('too-large');
  });

  it('zip bomb by declared size → too-large, fast, nothing inflated', () => {
    const bomb = zipBombDeclared();
    const [doc, ms] = timed(() => extractDocx(bomb));
    expect(doc.error?.code).toBe('too-large');
    expect(ms).toBeLessThan(500);
    expect(
      extractDocx(docx({ paragraphs: ['x'.repeat(5000)] }), { maxUncompressedBytes: 2000 }).error?.code,
    ).toBe('too-large');
  });

  it('input over maxBytes → too-large', () => {
    expect(extractXlsx(xlsx({ sheets: [{ name: 'a', rows: [[1]] }] }), { maxBytes: 100 }).error?.code).toBe(
      'too-large',
    );
  });

  it('legacy OLE (.doc/.xls bytes) → unsupported with a clear message', () => {
    const doc = extractDocx(oleStub());
    expect(doc.error?.code).toBe('unsupported');
    expect(doc.error?.message).toMatch(/\.doc/);
    expect(extractXlsx(oleStub()).error?.message).toMatch(/\.xls/);
  });
});
