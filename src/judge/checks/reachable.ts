// Evidence URLs answer 2xx after redirects. A broken link among working ones is reported;
// the check fails only when nothing of the item can be opened, and reviews when what could not be
// opened was never tried (beyond the page limits, the time budget or robots.txt).

import { isOnSite } from '../../crawl/scope.js';
import type { Check } from '../../rules/schema.js';
import type { Resource } from '../../types.js';
import { type CheckFn, fail, finding, pass, review } from '../context.js';

const FAILURE_WORDS: Record<string, string> = {
  dns: 'DNS',
  connect: 'connection failed',
  tls: 'TLS certificate',
  timeout: 'timeout',
  'too-large': 'too large',
  'redirect-loop': 'redirect loop',
  'too-many-redirects': 'too many redirects',
  trap: 'URL trap',
  'blocked-scheme': 'not an http(s) URL',
  robots: 'robots.txt',
};

/** "HTTP 404", or the failure class when the request ended otherwise (a loop answers 302 each time). */
function statusOf(r: Resource): string {
  if (r.failure && (r.failure.class === 'http-4xx' || r.failure.class === 'http-5xx') && r.status)
    return `HTTP ${r.status}`;
  if (r.failure) return FAILURE_WORDS[r.failure.class] ?? r.failure.class;
  return `HTTP ${r.status}`;
}

export const reachable: CheckFn<Extract<Check, { type: 'reachable' }>> = (ctx, check) => {
  const findings = [];
  const ok = [];
  const untried: string[] = [];
  for (const u of ctx.units) {
    const r = u.resource;
    if (!r) {
      // Off-site links are not fetched (channels such as Facebook): judged by on-main-site instead.
      if (!isOnSite(u.url, ctx.crawl.siteHosts)) ok.push({ url: u.url });
      else untried.push(u.url);
      continue;
    }
    const good = !r.failure && r.status !== null && r.status >= 200 && r.status < 300;
    if (good) ok.push({ url: u.url });
    else
      findings.push(
        finding(check, 'broken-link', { status: statusOf(r) }, { url: u.evidence.url, severity: 'info' }),
      );
  }
  if (ok.length) return pass(ok, findings);
  if (untried.length)
    return review([...findings, finding(check, 'not-fetched', {}, { url: untried[0]!, severity: 'review' })]);
  if (!findings.length) return pass();
  const first = ctx.units.find((u) => u.resource)?.resource;
  return fail(check, [
    ...findings.map((f) => ({ ...f, severity: 'fail' as const })),
    finding(check, 'unreachable', { status: first ? statusOf(first) : '' }),
  ]);
};
