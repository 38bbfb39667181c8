// Evidence sits on the agency's main website. Channels may live elsewhere when the main site links to
// them; a document kept on a storage service (Google Drive …) or a government system is a finding, fail or
// review as the rule data says; a page or document on any other website fails like a page elsewhere.

import { isOnSite } from '../../crawl/scope.js';
import type { Check } from '../../rules/schema.js';
import { type CheckFn, fail, finding, pass } from '../context.js';
import { FILE_HOSTS } from '../evidence-units.js';

/** Thai government and international government hosts (e-GP, NACC, DLA, ministries). */
const GOVERNMENT_HOST = /(^|\.)(go\.th|gov|gov\.[a-z]{2})(:\d+)?$/i;

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

export const onMainSite: CheckFn<Extract<Check, { type: 'on-main-site' }>> = (ctx, check) => {
  const on = ctx.units.filter((u) => isOnSite(u.url, ctx.crawl.siteHosts));
  const off = ctx.units.filter((u) => !isOnSite(u.url, ctx.crawl.siteHosts));
  if (!off.length) return pass(on.map((u) => ({ url: u.url })));
  const findings = [];
  let blocking = false;
  for (const u of off) {
    const host = hostOf(u.url);
    // "Linked from the main site": the off-site URL was found on a page of the main site.
    const linked = u.evidence.via !== 'itas-list' || ctx.crawl.externalLinks.some((l) => l.url === u.url);
    const stored = FILE_HOSTS.test(u.url);
    // A document on a file-storage service, or on a government system (e-GP, a ministry), may be what the
    // main site shows or links: a person decides. A document on some other website is simply not on the
    // main site ("ต้องเป็นการเข้าถึงผ่าน URL บนเว็บไซต์หลักของหน่วยงานโดยตรง").
    const looksLikeDocument = stored || (u.isDocument && GOVERNMENT_HOST.test(host));
    if (looksLikeDocument) {
      const severity = check.offsiteDocument === 'fail' ? 'fail' : 'review';
      findings.push(finding(check, 'offsite-document', { host }, { url: u.url, severity }));
      if (!on.length) blocking = true;
    } else if (check.offsiteChannel === 'allow-if-linked' && linked) {
    } else {
      findings.push(
        finding(check, 'not-main-site', { host }, { url: u.url, severity: on.length ? 'info' : 'fail' }),
      );
      if (!on.length) blocking = true;
    }
  }
  if (!blocking)
    return pass(
      on.map((u) => ({ url: u.url })),
      findings,
    );
  const worst = findings.some((f) => f.severity === 'fail') ? 'fail' : 'review';
  return worst === 'fail' ? fail(check, findings) : { outcome: 'review', findings, satisfiedBy: [] };
};
