// Evidence URLs answer 2xx after redirects. A broken link among working ones is reported;
// the check fails only when nothing of the item can be opened.

import { isOnSite } from '../../crawl/scope.js';
import type { Check } from '../../rules/schema.js';
import { type CheckFn, fail, finding, pass } from '../context.js';

export const reachable: CheckFn<Extract<Check, { type: 'reachable' }>> = (ctx, check) => {
  const findings = [];
  const ok = [];
  for (const u of ctx.units) {
    const r = u.resource;
    if (!r) {
      // Off-site links are not fetched (channels such as Facebook): judged by on-main-site instead.
      if (!isOnSite(u.url, ctx.crawl.siteHosts)) ok.push({ url: u.url });
      continue;
    }
    const good = !r.failure && r.status !== null && r.status >= 200 && r.status < 300;
    if (good) ok.push({ url: u.url });
    else {
      const status = r.failure ? (r.status ? `HTTP ${r.status}` : r.failure.class) : `HTTP ${r.status}`;
      findings.push(finding(check, 'broken-link', { status }, { url: u.evidence.url, severity: 'info' }));
    }
  }
  if (ok.length) return pass(ok, findings);
  if (!findings.length) return pass();
  const status = findings.map((f) => f.message.en.match(/\(([^)]*)\)/)?.[1]).filter(Boolean)[0] ?? '';
  return fail(check, [
    ...findings.map((f) => ({ ...f, severity: 'fail' as const })),
    finding(check, 'unreachable', { status }),
  ]);
};
