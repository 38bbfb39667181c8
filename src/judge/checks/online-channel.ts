// An online channel: a form a visitor fills in on the page, or a link to an online system, not only
// a paper form to download. For complaints about corruption the channel must keep the sender
// confidential: a public webboard that lists posts does not ("ไม่เป็นช่องทางรักษาความลับ").

import { isOnSite } from '../../crawl/scope.js';
import { includesTerm } from '../../extract/thai-text.js';
import type { Check } from '../../rules/schema.js';
import type { Resource } from '../../types.js';
import { type CheckFn, fail, finding, pass, review, type Satisfied } from '../context.js';
import { PERSON_NAME } from './person.js';

/** A board's "ตั้งกระทู้ใหม่" link: a page one click away whose form takes the question. */
function linkedForm(ctx: Parameters<CheckFn>[0], page: Resource, terms: string[]): Satisfied | undefined {
  for (const l of page.links ?? []) {
    if (l.inMenu || l.placeholder) continue;
    const target = ctx.crawl.resources.get(l.url);
    // Only a form for this channel: the link must name it (not the Q&A board next to an opinion box).
    if (!terms.some((t) => includesTerm(l.text, t))) continue;
    const form = target?.forms?.find((f) => !f.search && f.fields.length > 0);
    if (target && !target.failure && form)
      return { url: target.url, excerpt: `${l.text} → form: ${form.fields.slice(0, 6).join(', ')}` };
  }
  return undefined;
}

/** How far after the label the names must come (one table or list). */
const LISTING_SPAN = 800;
/** A single name this close after the label is the first row of a list of complainants. */
const NEAR = 200;

/** The page shows who complained: a label such as "ผู้ร้องเรียน" with two or more people's names after it. */
function namesComplainants(text: string, labels: string[]): boolean {
  for (const label of labels) {
    // Every occurrence: the label also stands in the page's intro ("…พร้อมชื่อผู้ร้องเรียน"), far from the list.
    for (let at = text.indexOf(label); at >= 0; at = text.indexOf(label, at + label.length)) {
      const after = text.slice(at + label.length, at + label.length + LISTING_SPAN);
      const names = [...after.matchAll(PERSON_NAME)];
      // Two names in the list, or one standing right under the column ("ผู้ร้องเรียน | สถานะ | … นาย…").
      if (names.length >= 2 || (names.length === 1 && (names[0]!.index ?? LISTING_SPAN) < NEAR)) return true;
    }
  }
  return false;
}

export const onlineChannel: CheckFn<Extract<Check, { type: 'online-channel' }>> = (ctx, check) => {
  const channels: Satisfied[] = [];
  const described: Satisfied[] = [];
  for (const u of ctx.units) {
    const r = u.resource;
    if (!isOnSite(u.url, ctx.crawl.siteHosts) && !u.isDocument) {
      channels.push({ url: u.url, excerpt: 'ระบบออนไลน์ภายนอก / external system' });
      continue;
    }
    if (!r || r.failure || r.kind !== 'html') continue;
    const form = (r.forms ?? []).find((f) => !f.search && f.fields.length > 0);
    const linked = form
      ? undefined
      : linkedForm(ctx, r, [ctx.item.name.th, ...ctx.item.synonyms, ...check.systemTerms]);
    if (form) channels.push({ url: u.url, excerpt: `form: ${form.fields.slice(0, 6).join(', ')}` });
    else if (linked) channels.push(linked);
    else {
      const term = check.systemTerms.find((t) => includesTerm(r.mainText ?? '', t));
      if (term) described.push({ url: u.url, excerpt: term });
    }
  }
  if (!channels.length) {
    // Words about a system without a form or a link to one (a FAQ list "ถาม … ตอบ …"): a person must look.
    if (described.length)
      return review(
        [finding(check, 'channel-unconfirmed', {}, { severity: 'review', url: described[0]!.url })],
        described,
      );
    return fail(check, [finding(check, 'no-online-channel', {})]);
  }
  if (!check.confidentialTerms) return pass(channels);
  const texts = ctx.units.map((u) => ({ url: u.url, text: u.resource?.mainText ?? '' }));
  const confidential = texts.find((t) => check.confidentialTerms!.some((term) => includesTerm(t.text, term)));
  if (confidential) return pass([...channels, { url: confidential.url, excerpt: 'confidential' }]);
  const listing = texts.find(
    (t) =>
      (check.publicListingTerms ?? []).some((term) => includesTerm(t.text, term)) ||
      namesComplainants(t.text, check.namedListingTerms ?? []),
  );
  if (listing) return fail(check, [finding(check, 'not-confidential', {}, { url: listing.url })]);
  return review([finding(check, 'confidentiality-unstated', {}, { severity: 'review' })], channels);
};
