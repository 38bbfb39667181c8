// The practice site in ../shared/sample-sites (a realistic WordPress municipal site with the verdict an
// evaluator gives each item). CI runs with shared/ beside the clone; a clone without it has nothing to scan.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../fixtures/lib/server.js';
import type { Report } from '../../src/report/schema.js';
import { scan } from '../../src/scan.js';

const ROOT = resolve(import.meta.dirname, '../../../shared/sample-sites');
const SITE = resolve(ROOT, 'thasala');
const present = existsSync(SITE);

interface Expected {
  asOf: string;
  items: Record<string, { verdict: string | string[]; evidence: string[] }>;
}

describe.runIf(present)('sample site thasala (ITA 2564)', () => {
  let server: TestServer;
  let report: Report;
  let expected: Expected;

  beforeAll(async () => {
    expected = JSON.parse(readFileSync(resolve(ROOT, 'thasala.expected.json'), 'utf8')) as Expected;
    server = await startServer(SITE);
    report = await scan(`${server.url}/`, { asOf: expected.asOf });
  }, 120_000);

  afterAll(async () => {
    await server?.close();
  });

  it('gives every item a verdict the evaluator accepts', () => {
    const wrong: string[] = [];
    for (const item of report.items) {
      const want = expected.items[item.id]?.verdict;
      const ok = Array.isArray(want) ? want.includes(item.verdict) : want === item.verdict;
      if (!ok) wrong.push(`${item.id}: got ${item.verdict}, want ${String(want)}`);
    }
    expect(wrong).toEqual([]);
  });

  it("finds the evaluator's evidence page for every item", () => {
    const missing: string[] = [];
    for (const item of report.items) {
      const paths = item.evidence.map((e) =>
        decodeURIComponent(new URL(e.url).pathname + new URL(e.url).search),
      );
      const first = expected.items[item.id]?.evidence[0];
      if (first && !paths.includes(first)) missing.push(`${item.id}: ${first}`);
    }
    expect(missing).toEqual([]);
  });

  it('words the failures like the evaluator', () => {
    const msg = (id: string) =>
      report.items
        .find((i) => i.id === id)
        ?.findings.map((f) => f.message.th)
        .join(' ') ?? '';
    expect(msg('O11')).toContain('มกราคม – มีนาคม 2564');
    expect(msg('O20')).toContain('2563');
    expect(msg('O21')).toContain('2564');
    expect(msg('O28')).toContain('อยู่ระหว่างดำเนินการ');
    expect(msg('O36')).toContain('ระดับความเสี่ยง');
  });
});
