// Links to the agency's own channels on other platforms (Facebook, LINE, YouTube …).
import type { Check } from '../../rules/schema.js';
import { type CheckFn, fail, finding, pass } from '../context.js';

function hostMatches(url: string, hosts: string[]): boolean {
  try {
    const h = new URL(url).hostname.toLowerCase();
    return hosts.some((s) => h === s || h.endsWith(`.${s}`));
  } catch {
    return false;
  }
}

const PLATFORMS: [RegExp, string][] = [
  [/facebook|fb\./, 'Facebook'],
  [/line\.me|lin\.ee/, 'LINE'],
  [/youtu/, 'YouTube'],
  [/twitter|^x\.com/, 'X (Twitter)'],
  [/instagram/, 'Instagram'],
  [/tiktok/, 'TikTok'],
];

function platformName(host: string): string {
  return PLATFORMS.find(([re]) => re.test(host))?.[1] ?? host;
}

// A share button ("sharer.php?u=…") points at the platform, not at the agency's own account.
const SHARE = /sharer|share\?|\/share\/|intent\/tweet|social-plugins|plugins\//i;

export const externalLinks: CheckFn<Extract<Check, { type: 'external-links' }>> = (ctx, check) => {
  const urls =
    check.scope === 'site'
      ? [...ctx.crawl.externalLinks.map((l) => l.url), ...ctx.units.map((u) => u.url)]
      : ctx.units.flatMap((u) => [u.url, ...(u.resource?.links ?? []).map((l) => l.url)]);
  const hits = [...new Set(urls.filter((u) => hostMatches(u, check.hosts) && !SHARE.test(u)))];
  if (hits.length) return pass(hits.slice(0, 5).map((url) => ({ url })));
  const names = [...new Set(check.hosts.map(platformName))];
  return fail(check, [finding(check, 'no-external-link', { found: names.slice(0, 6).join(', ') })]);
};
