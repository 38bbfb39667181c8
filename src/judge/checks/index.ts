// The registry of generic checks. A new kind of criterion is one small function here; which item uses
// it, with which parameters, is rule data.
import type { Check, CheckType } from '../../rules/schema.js';
import type { CheckFn } from '../context.js';
import { components } from './components.js';
import { dependsOn } from './depends-on.js';
import { externalLinks } from './external-links.js';
import { fiscalYear } from './fiscal-year.js';
import { hasContent } from './has-content.js';
import { linkedFromHome } from './linked-from-home.js';
import { onMainSite } from './on-main-site.js';
import { onlineChannel } from './online-channel.js';
import { peopleContacts } from './people-contacts.js';
import { periodCoverage } from './period-coverage.js';
import { reachable } from './reachable.js';
import { urlPresent } from './url-present.js';

type Registry = { [T in CheckType]: CheckFn<Extract<Check, { type: T }>> };

export const CHECKS: Registry = {
  'url-present': urlPresent,
  reachable,
  'on-main-site': onMainSite,
  'linked-from-home': linkedFromHome,
  'fiscal-year': fiscalYear,
  'period-coverage': periodCoverage,
  components,
  'people-contacts': peopleContacts,
  'external-links': externalLinks,
  'online-channel': onlineChannel,
  'has-content': hasContent,
  'depends-on': dependsOn,
};

/** Checks that read where the evidence is; the rest read what it says. */
export const LOCATION_CHECKS = new Set<CheckType>([
  'url-present',
  'reachable',
  'on-main-site',
  'linked-from-home',
]);

export function runCheck(check: Check, ctx: Parameters<CheckFn>[0]) {
  const fn = CHECKS[check.type] as CheckFn;
  return fn(ctx, check);
}
