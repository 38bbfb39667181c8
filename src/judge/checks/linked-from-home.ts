// A visitor can reach the evidence by following links from the homepage.

import { isOnSite } from '../../crawl/scope.js';
import type { Check } from '../../rules/schema.js';
import { type CheckFn, fail, finding, pass } from '../context.js';

export const linkedFromHome: CheckFn<Extract<Check, { type: 'linked-from-home' }>> = (ctx, check) => {
  const home = new Set([ctx.crawl.homeUrl, ctx.crawl.startUrl]);
  const linked = ctx.units.filter(
    (u) => home.has(u.url) || u.evidence.path.length > 0 || !isOnSite(u.url, ctx.crawl.siteHosts),
  );
  if (linked.length) return pass(linked.map((u) => ({ url: u.url, excerpt: u.evidence.path.join(' › ') })));
  return fail(
    check,
    ctx.units.map((u) => finding(check, 'not-linked', {}, { url: u.url })),
  );
};
