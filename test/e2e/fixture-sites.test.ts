// End to end on the generated fixture agency sites: each is built, served on 127.0.0.1 and scanned;
// every item must get the verdict its fixture records (the evaluator's), and the reference site must
// score exactly as the reference report.
import { afterAll, describe, expect, it } from 'vitest';
import { closeDocumentBrowser } from '../../fixtures/lib/documents.js';
import { startServer } from '../../fixtures/lib/server.js';
import { demoSite } from '../../fixtures/sites/demo.js';
import { referenceSite } from '../../fixtures/sites/reference.js';
import { vendor874Site } from '../../fixtures/sites/vendor874.js';
import type { Report } from '../../src/report/schema.js';
import { scan } from '../../src/scan.js';

interface Fixture {
  name: string;
  asOf?: string;
  framework?: string;
  build(): Promise<Map<string, import('../../fixtures/lib/server.js').ServedFile>>;
  expected: Record<string, { verdict: string; reason: string }>;
}

async function scanFixture(site: Fixture): Promise<Report> {
  const server = await startServer(await site.build());
  try {
    return await scan(`${server.url}/`, {
      ...(site.asOf ? { asOf: site.asOf } : {}),
      ...(site.framework ? { framework: site.framework } : {}),
    });
  } finally {
    await server.close();
  }
}

function disagreements(site: Fixture, report: Report): string[] {
  return report.items
    .filter((i) => site.expected[i.id]?.verdict !== i.verdict)
    .map(
      (i) =>
        `${i.id}: got ${i.verdict} (${i.findings[0]?.message.th ?? ''}), want ${site.expected[i.id]?.verdict} (${site.expected[i.id]?.reason})`,
    );
}

afterAll(async () => {
  await closeDocumentBrowser();
});

describe('reference site (the reference report reproduced)', () => {
  it("fails the nine items for the evaluator's reasons and scores 79.14 / 43.75 / 61.45", async () => {
    const report = await scanFixture(referenceSite);
    expect(disagreements(referenceSite, report)).toEqual([]);
    expect(report.scores.indicators).toEqual({ '9': 79.14, '10': 43.75 });
    expect(report.scores.oit).toBe(61.45);
    const th = (id: string) =>
      report.items
        .find((i) => i.id === id)
        ?.findings.map((f) => f.message.th)
        .join(' ') ?? '';
    expect(th('O15')).toContain('มกราคม 2564');
    expect(th('O17')).toContain('ไม่มี URL');
    expect(th('O18')).toContain('รายละเอียดของแผนไม่ครอบคลุมระยะเวลาทั้งปีงบประมาณ');
    expect(th('O27')).toContain('ไม่ครบ 5 หลักเกณฑ์');
    expect(th('O30')).toContain('ไม่เป็นช่องทางรักษาความลับ');
    expect(th('O31')).toContain('กุมภาพันธ์ 2564');
    expect(th('O41')).toContain('ประจำปี 2563');
    expect(th('O43')).toContain('เนื่องจากไม่มีข้อมูลที่สอดคล้องใน O42');
  }, 180_000);
});

describe('demo site (ITA index table, PHP CMS)', () => {
  it('judges every item as the evaluator would', async () => {
    const report = await scanFixture(demoSite);
    expect(disagreements(demoSite, report)).toEqual([]);
    // The report names its framework's parts, so readers need no table of their own.
    expect(report.framework.subIndicators?.map((x) => x.id)).toEqual(
      Object.keys(report.scores.subIndicators),
    );
    expect(report.framework.indicators?.find((x) => x.id === '10')?.name.th).toBe('การป้องกันการทุจริต');
  }, 180_000);
});

describe('vendor site served as windows-874, evidence only through menus', () => {
  it('judges every item as the evaluator would', async () => {
    const report = await scanFixture(vendor874Site as Fixture);
    expect(disagreements(vendor874Site as Fixture, report)).toEqual([]);
    // No ITA index: evidence comes from menus and lists, with click paths from the homepage.
    expect(report.items.find((i) => i.id === 'O1')?.evidence[0]?.via).toBe('menu');
    expect(report.items.every((i) => i.evidence.every((e) => e.url.startsWith('http')))).toBe(true);
  }, 180_000);
});

describe("held-out Dungbhumi-style site (built blind from the criteria, then used to find the judge's faults)", () => {
  it('passes no item the evaluator fails, and agrees on all but the ones it leaves to review', async () => {
    const { heldoutSite } = await import('../../fixtures/sites/heldout-dungbhumi.js');
    const report = await scanFixture(heldoutSite as Fixture);
    const expected = (heldoutSite as Fixture).expected;
    const falsePasses = report.items.filter(
      (i) => i.verdict === 'pass' && expected[i.id]?.verdict !== 'pass',
    );
    expect(falsePasses.map((i) => i.id)).toEqual([]);
    const other = disagreements(heldoutSite as Fixture, report).filter((d) => !d.includes('got review'));
    expect(other).toEqual([]);
    expect(report.items.filter((i) => i.verdict === expected[i.id]?.verdict).length).toBeGreaterThanOrEqual(
      42,
    );
  }, 180_000);
});

describe('held-out Joomla site with an accordion ITA page, FlowPaper and Google Drive (built blind)', () => {
  it('passes no item the evaluator fails, and differs only by leaving items to review', async () => {
    const { heldoutWpSite } = await import('../../fixtures/sites/heldout-wp/index.js');
    const site = heldoutWpSite as Fixture;
    const report = await scanFixture(site);
    const falsePasses = report.items.filter(
      (i) => i.verdict === 'pass' && site.expected[i.id]?.verdict !== 'pass',
    );
    expect(falsePasses.map((i) => i.id)).toEqual([]);
    expect(disagreements(site, report).filter((d) => !d.includes('got review'))).toEqual([]);
    expect(
      report.items.filter((i) => i.verdict === site.expected[i.id]?.verdict).length,
    ).toBeGreaterThanOrEqual(41);
  }, 180_000);
});

describe('held-out AS System (CodeIgniter) site with an ITA year list, windows of links per item (built blind)', () => {
  it('agrees on every item', async () => {
    // First sight: 39/43, no false pass. The faults it found were general: item labels in <span>s before
    // their links, a document on another website, a complaint page listing complainants by name.
    const { heldoutAssystemSite } = await import('../../fixtures/sites/heldout-assystem/index.js');
    const site = heldoutAssystemSite as Fixture;
    const report = await scanFixture(site);
    expect(disagreements(site, report)).toEqual([]);
  }, 180_000);
});

describe('held-out "webabt" vendor CMS site: windows-874, base64 module URLs, an ITA module pointing at generic sections (built blind)', () => {
  it('agrees on every item', async () => {
    // First sight: 40/43, one false pass (O9: an index row without a link, Facebook only in the footer).
    // General faults found: one link given in two rows kept for one item only; a row without a link was not
    // read as "no URL"; a hotline printing senders' names was not seen as public.
    const { heldoutWebabtSite } = await import('../../fixtures/sites/heldout-webabt/index.js');
    const site = heldoutWebabtSite as Fixture;
    const report = await scanFixture(site);
    expect(disagreements(site, report)).toEqual([]);
  }, 180_000);
});

describe('held-out WordPress site, one page per item, judged under ITA 2565 (built blind)', () => {
  it('agrees on every item', async () => {
    // First sight: 41/43, no false pass. General faults found: a section heading naming a post read as a
    // person's post, "นายกิตติพงษ์" read as "นายก", a report whose only file is a 404 left to review.
    const { heldoutWp2565Site } = await import('../../fixtures/sites/heldout-wp2565/index.js');
    const site = heldoutWp2565Site as Fixture;
    const report = await scanFixture(site);
    expect(report.framework.id).toBe('ita-2565');
    expect(disagreements(site, report)).toEqual([]);
  }, 180_000);
});

describe('held-out CJ World vendor site: TIS-620, popups, no ITA page at all (built blind)', () => {
  it('passes no item the evaluator fails, and agrees on at least 41 of 43', async () => {
    // First sight: 37/43, no false pass. General faults found: discovery took only the best-named item of a
    // text (a forum "to review the plan" named O33 too), ranked an older year's plan as well as this year's,
    // a webboard row saying "แสดงความคิดเห็น" did not count for O32, and a title's year phrase ("ประจำปี-
    // งบประมาณ พ.ศ. 2564") hid a 6-month report's name (O19). Left: O20 (fail where the builder, unsure,
    // says review) and O34 (a scanned pledge whose news page repeats it: review where he says pass).
    const { heldoutCjworldSite } = await import('../../fixtures/sites/heldout-cjworld/index.js');
    const site = heldoutCjworldSite as Fixture;
    const report = await scanFixture(site);
    const falsePasses = report.items.filter(
      (i) => i.verdict === 'pass' && site.expected[i.id]?.verdict !== 'pass',
    );
    expect(falsePasses.map((i) => i.id)).toEqual([]);
    expect(
      report.items.filter((i) => i.verdict === site.expected[i.id]?.verdict).length,
    ).toBeGreaterThanOrEqual(41);
  }, 180_000);
});

describe('held-out pattern-A site: per-year ITA table, several URLs and a navigation PDF per row (built blind)', () => {
  it('agrees on every item', async () => {
    // First sight: 39/43 with three false passes (O10, O13, O18): the homepage and the "how to find it" PDF
    // each row gives were read as content. They are now where to look, never what is there.
    const { heldoutSongSite } = await import('../../fixtures/sites/heldout-song/index.js');
    const site = heldoutSongSite as Fixture;
    const report = await scanFixture(site);
    expect(disagreements(site, report)).toEqual([]);
  }, 180_000);
});
