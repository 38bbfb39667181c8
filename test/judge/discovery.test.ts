// Sites without an ITA page: evidence is found by the names menus and lists give it.
import { describe, expect, it } from 'vitest';
import { startServer } from '../../fixtures/lib/server.js';
import { scan } from '../../src/scan.js';
import { pageHtml } from '../helpers/mini-site.js';

describe('discovery by name, without an ITA page', () => {
  it("takes this year's plan before older ones, and a headline's second item when nothing better names it", async () => {
    const list = (rows: [string, string][]) =>
      `<table>${rows.map(([href, t]) => `<tr><td><a href="${href}">${t}</a></td></tr>`).join('')}</table>`;
    const files = new Map([
      [
        '/',
        {
          body: pageHtml(
            'หน้าแรก',
            '<a href="/finance.php">การเงินการคลัง</a> <a href="/news.php">ข่าวประชาสัมพันธ์</a>',
          ),
        },
      ],
      [
        '/finance.php',
        {
          body: pageHtml(
            'การเงินการคลัง',
            list(
              [2557, 2558, 2559, 2560, 2561, 2562, 2563, 2564].map((y): [string, string] => [
                `/plan-${y}.php`,
                `แผนการใช้จ่ายงบประมาณประจำปีงบประมาณ พ.ศ. ${y}`,
              ]),
            ),
          ),
        },
      ],
      [
        '/news.php',
        {
          body: pageHtml(
            'ข่าวประชาสัมพันธ์',
            list([['/news-1.php', 'ประชุมประชาคมหมู่บ้าน เพื่อทบทวนแผนพัฒนาท้องถิ่น ประจำปี 2564']]),
          ),
        },
      ],
      ...[2557, 2558, 2559, 2560, 2561, 2562, 2563, 2564].map(
        (y) => [`/plan-${y}.php`, { body: pageHtml(`แผน ${y}`, '<p>แผน</p>') }] as const,
      ),
      ['/news-1.php', { body: pageHtml('ข่าวกิจกรรม', '<p>วันที่ 12 กุมภาพันธ์ 2564 ประชุมหมู่บ้าน</p>') }],
    ]);
    const server = await startServer(files);
    try {
      const report = await scan(`${server.url}/`, { exhaustive: true });
      const urls = (id: string) =>
        report.items.find((i) => i.id === id)!.evidence.map((e) => new URL(e.url).pathname);
      expect(urls('O18')).toContain('/plan-2564.php');
      expect(urls('O18')).not.toContain('/plan-2557.php');
      expect(urls('O33')).toContain('/news-1.php');
    } finally {
      await server.close();
    }
  }, 60_000);
});
