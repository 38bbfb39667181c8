// Links to the agency's own channels on other platforms (Facebook, LINE, YouTube …).
import { includesTerm } from '../../extract/thai-text.js';
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
  const links: { url: string; text: string }[] =
    check.scope === 'site'
      ? [
          ...ctx.crawl.externalLinks.map((l) => ({ url: l.url, text: l.text })),
          ...ctx.units.map((u) => ({ url: u.url, text: u.evidence.linkText })),
        ]
      : ctx.units.flatMap((u) => [
          { url: u.url, text: u.evidence.linkText },
          ...(u.resource?.links ?? []).map((l) => ({ url: l.url, text: l.text })),
        ]);
  const candidates = links.filter((l) => hostMatches(l.url, check.hosts) && !SHARE.test(l.url));
  // An account named for another organisation anywhere on the site is that organisation's, not the agency's.
  const others = new Set(
    candidates.filter((l) => check.excludeTerms.some((t) => includesTerm(l.text, t))).map((l) => l.url),
  );
  const own = [...new Set(candidates.map((l) => l.url))].filter((u) => !others.has(u));
  if (own.length) return pass(own.slice(0, 5).map((url) => ({ url })));
  const names = [...new Set(check.hosts.map(platformName))];
  const f = finding(check, 'no-external-link', { found: names.slice(0, 6).join(', ') });
  const extra = others.size
    ? [
        finding(
          check,
          'other-agency-account',
          { found: [...others].slice(0, 3).join(', ') },
          { severity: 'info' },
        ),
      ]
    : [];
  return fail(check, [f, ...extra]);
};
