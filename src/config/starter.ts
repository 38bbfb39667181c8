// A commented starter ita-check.config.json: every field, set to its default or commented out, each with a
// one-line note in Thai and English. loadConfig accepts it as is, and still accepts it with every
// commented-out field switched on (test/config/config.test.ts checks both).
import { SCAN_DEFAULTS } from './load.js';

export function starterConfig(): string {
  const d = SCAN_DEFAULTS;
  return `// ita-check.config.json — การตั้งค่า ita-check / ita-check settings (JSON ที่มีคอมเมนต์ได้ / JSON with comments)
// ตัวเลือกบนบรรทัดคำสั่งแทนค่าในไฟล์นี้ / flags on the command line override this file
// path ในไฟล์นี้นับจากโฟลเดอร์ของไฟล์ / paths in this file are relative to its folder
{
  // เว็บไซต์หลักของหน่วยงาน / the agency's main website
  // "site": "https://www.example.go.th",

  // ชุดเกณฑ์ (ดูด้วย ita-check rules) / rule framework (see \`ita-check rules\`)
  "framework": "${d.framework}",

  // จำนวนหน้า HTML สูงสุดที่ดึง / most HTML pages fetched
  "maxPages": ${d.maxPages},

  // จำนวนลิงก์สูงสุดจากหน้าแรก / most links followed from the homepage
  "maxDepth": ${d.maxDepth},

  // จำนวนเอกสาร (PDF, DOCX, XLSX …) สูงสุดที่ดึง / most documents (PDF, DOCX, XLSX …) fetched
  "maxDocuments": ${d.maxDocuments},

  // จำนวนคำขอพร้อมกันต่อโฮสต์ / requests in flight per host
  "concurrency": ${d.concurrency},

  // เวลารอต่อคำขอ (มิลลิวินาที) / per-request timeout (milliseconds)
  "timeout": ${d.timeout},

  // ค่า User-Agent ที่ส่งไป / User-Agent header sent
  // "userAgent": "ita-check (+https://www.example.go.th)",

  // true = ไม่ทำตาม robots.txt / true = do not obey robots.txt
  "ignoreRobots": ${d.ignoreRobots},

  // ตัดสินว่า "เป็นปัจจุบัน" ณ วันที่นี้ (ค.ศ. YYYY-MM-DD) / judge "current" as of this date (YYYY-MM-DD)
  // "asOf": "2021-03-31",

  // คะแนน IIT และ EIT (0–100) เพื่อคำนวณคะแนน ITA รวม / IIT and EIT scores (0–100) for the ITA total
  // "iit": 96.09,
  // "eit": 94.83,

  // รายการ URL ที่จะกรอกใน ITAS (CSV: item,url,note หรือ JSON) / ITAS URL list (CSV item,url,note or JSON)
  // "urls": "itas-urls.csv",

  // ไฟล์รายงานที่จะเขียน / report files to write
  // "outputs": {
  //   "json": "ita-check-report.json",
  //   "html": "ita-check-report.html",
  //   "junit": "ita-check-junit.xml",
  //   "markdown": "ita-check-report.md"
  // },

  // เกณฑ์ให้ล้มเหลวใน CI / CI gates that fail the run
  // "thresholds": {
  //   "failUnder": 80,
  //   "failOn": ["O1", "O2", "O3"],
  //   "failOnRegression": true
  // },

  // รายงานครั้งก่อนเพื่อเทียบผล / previous JSON report to compare with
  // "baseline": "ita-check-baseline.json",

  // ปรับความรุนแรงของเกณฑ์ (ข้อ.องค์ประกอบ: fail/review/info) / soften a criterion (item.check: fail/review/info)
  // "severity": { "O5.map": "review" },

  // ภาษาของสรุปผล (th หรือ en) / language of the summary (th or en)
  "lang": "${d.lang}"
}
`;
}
