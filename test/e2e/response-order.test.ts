// A verdict must not depend on which answer comes back first. Each fixture site is scanned with answers
// delayed at random (seeded, so a failure can be replayed) and must be judged exactly as in order.
import { afterAll, describe, expect, it } from 'vitest';
import { closeDocumentBrowser } from '../../fixtures/lib/documents.js';
import { type ServedFile, startServer } from '../../fixtures/lib/server.js';
import { demoSite } from '../../fixtures/sites/demo.js';
import { heldoutAssystemSite } from '../../fixtures/sites/heldout-assystem/index.js';
import { heldoutCjworldSite } from '../../fixtures/sites/heldout-cjworld/index.js';
import { heldoutSite } from '../../fixtures/sites/heldout-dungbhumi.js';
import { heldoutSongSite } from '../../fixtures/sites/heldout-song/index.js';
import { heldoutWebabtSite } from '../../fixtures/sites/heldout-webabt/index.js';
import { heldoutWpSite } from '../../fixtures/sites/heldout-wp/index.js';
import { heldoutWp2565Site } from '../../fixtures/sites/heldout-wp2565/index.js';
import { referenceSite } from '../../fixtures/sites/reference.js';
import { vendor874Site } from '../../fixtures/sites/vendor874.js';
import { scan } from '../../src/scan.js';

interface Site {
  name: string;
  asOf?: string;
  framework?: string;
  build(): Promise<Map<string, ServedFile>>;
}

const SITES: Site[] = [
  demoSite,
  referenceSite,
  vendor874Site,
  heldoutSite,
  heldoutWpSite,
  heldoutAssystemSite,
  heldoutWebabtSite,
  heldoutWp2565Site,
  heldoutCjworldSite,
  heldoutSongSite,
];
const SEEDS = [7, 1234, 99991];

afterAll(async () => {
  await closeDocumentBrowser();
});

async function verdicts(
  site: Site,
  files: Map<string, ServedFile>,
  jitter?: { jitterMs: number; seed: number },
) {
  const server = await startServer(files, jitter ?? {});
  try {
    const report = await scan(`${server.url}/`, {
      ...(site.asOf ? { asOf: site.asOf } : {}),
      ...(site.framework ? { framework: site.framework } : {}),
    });
    return Object.fromEntries(report.items.map((i) => [i.id, i.verdict]));
  } finally {
    await server.close();
  }
}

describe('verdicts whatever the order of the answers', () => {
  for (const site of SITES) {
    it(`${site.name}: the same verdicts with answers delayed at random`, async () => {
      const files = await site.build();
      const inOrder = await verdicts(site, files);
      for (const seed of SEEDS) {
        const shuffled = await verdicts(site, files, { jitterMs: 40, seed });
        const differ = Object.keys(inOrder).filter((id) => inOrder[id] !== shuffled[id]);
        expect(differ.map((id) => `${id}: ${inOrder[id]} → ${shuffled[id]} (seed ${seed})`)).toEqual([]);
      }
    }, 180_000);
  }
});
