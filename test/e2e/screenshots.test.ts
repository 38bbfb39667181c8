// --screenshots: a picture of each item's evidence page, linked from the HTML report.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderHtml } from '../../src/report/html.js';
import { scanMiniSite } from '../helpers/mini-site.js';

describe('evidence screenshots', () => {
  it('keeps a PNG of each evidence page and links it from the HTML report', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ita-shots-'));
    const report = await scanMiniSite(
      {
        rows: {
          O3: [{ text: 'อำนาจหน้าที่', href: '/authority.php' }],
          O5: [{ text: 'ติดต่อเรา', href: '/contact.php' }],
          O6: [{ text: 'กฎหมาย', href: '/laws.php' }],
        },
        files: { '/authority.php': '<p>อำนาจหน้าที่ตามพระราชบัญญัติสภาตำบลและองค์การบริหารส่วนตำบล</p>' },
      },
      { screenshotsDir: dir },
    );
    const shot = report.items.find((i) => i.id === 'O3')?.evidence[0]?.screenshot;
    expect(shot).toBe(join(dir, 'O3.png'));
    expect(existsSync(shot!)).toBe(true);
    expect(readFileSync(shot!).subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(renderHtml(report)).toContain(`file://${shot}`);
  }, 60_000);
});
