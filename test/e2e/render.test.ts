// A site whose menus and ITA table exist only after JavaScript runs is judged the same as its static twin.
import { describe, expect, it } from 'vitest';
import { startServer } from '../../fixtures/lib/server.js';
import { jsMenuSite, staticTwinSite } from '../../fixtures/sites/js-menu.js';
import type { Report } from '../../src/report/schema.js';
import { type ScanOptions, scan } from '../../src/scan.js';

async function scanFiles(files: ReturnType<typeof jsMenuSite>, opts: ScanOptions): Promise<Report> {
  const server = await startServer(files);
  try {
    return await scan(`${server.url}/`, opts);
  } finally {
    await server.close();
  }
}

describe('rendering (--render auto)', () => {
  it('judges the script-built site as its static twin', async () => {
    const twin = await scanFiles(staticTwinSite(), { render: 'never' });
    const rendered = await scanFiles(jsMenuSite(), { render: 'auto' });
    const plain = await scanFiles(jsMenuSite(), { render: 'never' });
    const verdicts = (r: Report) => r.items.map((i) => `${i.id}:${i.verdict}`);
    expect(verdicts(rendered)).toEqual(verdicts(twin));
    // Without a browser the script-built site shows almost nothing: the rendering is what made the difference.
    expect(plain.scores.counts.pass).toBeLessThan(twin.scores.counts.pass);
    expect(twin.scores.counts.pass).toBeGreaterThan(0);
  }, 120_000);

  it('falls back to static pages with one clear note when Chromium is missing', async () => {
    const r = await scanFiles(jsMenuSite(), { render: 'auto', browserPath: '/nonexistent/chromium' });
    expect(r.items).toHaveLength(43);
    const notes = r.siteFindings.filter((f) => f.code === 'render-unavailable');
    expect(notes).toHaveLength(1);
    expect(notes[0]?.message.en).toContain('/nonexistent/chromium');
  }, 60_000);
});
