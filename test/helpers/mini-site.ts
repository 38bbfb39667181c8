// A small agency site for check tests: a homepage, an ITA index page whose table rows give each item's
// links, and the pages and documents those links point to. Served on 127.0.0.1 and scanned for real.
import { type ServedFile, startServer } from '../../fixtures/lib/server.js';
import type { ItemResult, Report } from '../../src/report/schema.js';
import { type ScanOptions, scan } from '../../src/scan.js';

export interface Row {
  text: string;
  href: string;
}

export interface MiniSite {
  /** Item id → links of its row on the ITA index (an empty list is a row without a link). */
  rows: Record<string, Row[]>;
  /** Path → HTML body fragment (wrapped in a page with a menu) or a document's bytes. */
  files?: Record<string, string | Uint8Array | ServedFile>;
  /** Extra HTML for the footer of every page (e.g. social links). */
  footer?: string;
}

export function pageHtml(title: string, body: string, footer = ''): string {
  return `<!doctype html><html lang="th"><head><meta charset="utf-8"><title>${title} - อบต.ทดสอบ</title></head>
<body><nav class="menu"><ul><li><a href="/">หน้าแรก</a></li><li><a href="/ita.php">ITA</a></li><li><a href="/contact.php">ติดต่อเรา</a></li></ul></nav>
<main><h1>${title}</h1>${body}</main>
<footer>องค์การบริหารส่วนตำบลทดสอบ โทร. 0-7500-0000 ${footer}</footer></body></html>`;
}

const TYPES: Record<string, string> = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

export function buildMiniSite(site: MiniSite): Map<string, ServedFile> {
  const files = new Map<string, ServedFile>();
  const rows = Object.entries(site.rows)
    .map(([id, links]) => {
      const cells = links.length ? links.map((l) => `<a href="${l.href}">${l.text}</a>`).join('<br>') : '-';
      return `<tr><td>${id}</td><td>${id} ข้อมูล</td><td>${cells}</td></tr>`;
    })
    .join('\n');
  files.set('/', {
    body: pageHtml('หน้าแรก', '<p>ยินดีต้อนรับสู่เว็บไซต์องค์การบริหารส่วนตำบลทดสอบ</p>', site.footer),
  });
  files.set('/ita.php', {
    body: pageHtml(
      'การประเมินคุณธรรมและความโปร่งใส (ITA) ประจำปีงบประมาณ พ.ศ. 2564',
      `<table><tr><th>ข้อ</th><th>ข้อมูล</th><th>URL</th></tr>${rows}</table>`,
      site.footer,
    ),
  });
  files.set('/contact.php', { body: pageHtml('ติดต่อเรา', '<p>ที่ทำการ อบต.ทดสอบ</p>', site.footer) });
  for (const [path, content] of Object.entries(site.files ?? {})) {
    if (typeof content === 'string') files.set(path, { body: pageHtml(path, content, site.footer) });
    else if (content instanceof Uint8Array) {
      const ext = path.split('.').pop() ?? '';
      files.set(path, { body: content, type: TYPES[ext] ?? 'application/octet-stream' });
    } else files.set(path, content);
  }
  return files;
}

/** Serves the site, scans it and returns the report. */
export async function scanMiniSite(site: MiniSite, opts: ScanOptions = {}): Promise<Report> {
  const server = await startServer(buildMiniSite(site));
  try {
    return await scan(`${server.url}/`, opts);
  } finally {
    await server.close();
  }
}

export function item(report: Report, id: string): ItemResult {
  const found = report.items.find((i) => i.id === id);
  if (!found) throw new Error(`no ${id} in report`);
  return found;
}

export function codes(result: ItemResult): string[] {
  return result.findings.map((f) => f.code);
}
