// Thai document content shared by the extraction tests.

export const HEADING = 'รายงานผลการดำเนินงาน ประจำปีงบประมาณ พ.ศ. 2563';
export const MONTHS = ['ต.ค.63', 'พ.ย.63', 'ธ.ค.63', 'ม.ค.64', 'ก.พ.64', 'มี.ค.64'] as const;

/** Month table rows: [month, received, done]. */
export const MONTH_ROWS = MONTHS.map((m, i) => [m, String(10 + i), String(5 + i)]);

/** Two pages: heading, a paragraph with Thai digits, the month table; then a second page. */
export function reportHtml(): string {
  const rows = MONTH_ROWS.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('');
  return `
    <h1 style="font-size:22px">${HEADING.replace('2563', '๒๕๖๓')}</h1>
    <p>สำนักงานได้ดำเนินโครงการจำนวน ๑๒ โครงการ ใช้งบประมาณทั้งสิ้น ๑,๒๕๐,๐๐๐ บาท</p>
    <table>
      <tr><th>เดือน</th><th>จำนวนเรื่องที่ได้รับ</th><th>ดำเนินการแล้วเสร็จ</th></tr>
      ${rows}
    </table>
    <div style="break-before: page">
      <h2>ส่วนที่ ๒ ปัญหาและอุปสรรค</h2>
      <p>ไม่พบปัญหาในการดำเนินงาน</p>
    </div>`;
}

/** `pages` A4 pages of running Thai text with a small table on each. */
export function longReportHtml(pages: number): string {
  const para =
    'การประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ (Integrity and Transparency Assessment: ITA) ' +
    'เป็นเครื่องมือที่ใช้ประเมินการปฏิบัติงานของหน่วยงาน เพื่อให้หน่วยงานได้รับทราบผลการประเมินและแนวทางในการพัฒนาปรับปรุง ';
  const out: string[] = [];
  for (let p = 1; p <= pages; p++) {
    const rows = MONTHS.map((m, i) => `<tr><td>${m}</td><td>${p * 10 + i}</td><td>${p + i}</td></tr>`).join(
      '',
    );
    out.push(
      `<section style="${p > 1 ? 'break-before: page; ' : ''}height: 240mm; overflow: hidden">
        <h2>หน้าที่ ${p} ผลการดำเนินงานด้านการเปิดเผยข้อมูล</h2>
        <p>${para.repeat(4)}</p>
        <table><tr><th>เดือน</th><th>เรื่องร้องเรียน</th><th>ดำเนินการแล้ว</th></tr>${rows}</table>
        <p>${para.repeat(2)}</p>
      </section>`,
    );
  }
  return out.join('\n');
}
