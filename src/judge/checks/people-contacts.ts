// Every listed executive has a contact channel (phone or e-mail). The text is cut into one block per
// position held by a named person; a block without a phone number or e-mail is a finding naming the post.
import { normalizeThai } from '../../extract/thai-text.js';
import type { Check } from '../../rules/schema.js';
import { type CheckFn, fail, finding, pass, review, type Satisfied } from '../context.js';
import { MID_WORD, PERSON_TITLE } from './person.js';
import { blockedByUnreadable } from './unreadable.js';

// Thai numbers have 9 or 10 digits, written with any grouping: 0-4481-2345, 044 812 345, 081-234-5678.
const VACANT = /\(\s*ว่าง\s*\)|ตำแหน่งว่าง|ว่างอยู่|\bvacant\b/i;
const PHONE = /(?<!\d)(?:\+66|0)(?:[\s.-]?\d){8,9}(?!\d)/;
const EMAIL = /[\w.+-]+@[\w-]+\.[\w.-]+/;
const CONTACT = new RegExp(`${PHONE.source}|${EMAIL.source}`, 'g');

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export const peopleContacts: CheckFn<Extract<Check, { type: 'people-contacts' }>> = (ctx, check) => {
  const positions = [...check.positionTerms].map(normalizeThai).sort((a, b) => b.length - a.length);
  const positionRe = new RegExp(`(?:${positions.map(escapeRegExp).join('|')})${MID_WORD}`, 'g');
  const contactTerms = check.contactTerms.map(normalizeThai);
  const people: { position: string; hasContact: boolean; url: string; excerpt: string }[] = [];
  const withoutPhotos: string[] = [];
  for (const u of ctx.units) {
    if (!u.resource || u.resource.failure || u.resource.kind !== 'html') continue;
    const listed = people.length;
    const text = u.parts.map((p) => p.text).join(' ');
    const hits = [...text.matchAll(positionRe)].map((m, i, all) => {
      const start = m.index ?? 0;
      const end = all[i + 1]?.index ?? Math.min(text.length, start + 400);
      // The text before the post since the last phone or e-mail: a name before that is the previous card's.
      const window = text.slice(Math.max(0, start - 80), start);
      const lastContact = [...window.matchAll(CONTACT)].at(-1);
      const before = lastContact ? window.slice((lastContact.index ?? 0) + lastContact[0].length) : window;
      const block = text.slice(start, end);
      return {
        position: m[0],
        before,
        block,
        nameBefore: PERSON_TITLE.test(before),
        nameAfter: PERSON_TITLE.test(block.slice(0, 80)),
      };
    });
    // Cards write "name, post, phone" or "post, name, phone": the page's own order says whose name a post
    // has, so a heading such as "ปลัดเทศบาลและหัวหน้าส่วนราชการ" above the next card is nobody's post.
    const namesBefore = hits.filter((h) => h.nameBefore).length;
    const namesAfterOnly = hits.filter((h) => !h.nameBefore && h.nameAfter).length;
    const nameFirst = namesBefore >= namesAfterOnly;
    for (const { position, before, block, nameBefore, nameAfter } of hits) {
      // A vacant post ("(ว่าง)", "ตำแหน่งว่าง") has nobody to contact.
      if (VACANT.test(block.slice(0, 60)) || VACANT.test(before.slice(-30))) continue;
      // Only a position held by a named person counts (not "นายกเทศมนตรีมีอำนาจหน้าที่…").
      if (!(nameFirst ? nameBefore : nameAfter || nameBefore)) continue;
      const hasContact =
        PHONE.test(block) ||
        EMAIL.test(block) ||
        contactTerms.some((t) => block.includes(t) && PHONE.test(block));
      people.push({
        position,
        hasContact,
        url: u.url,
        excerpt: (before.slice(-40) + block.slice(0, 80)).trim(),
      });
    }
    // A page that lists people but shows no picture at all has no photos of them.
    if (people.length > listed && !u.resource.images?.length) withoutPhotos.push(u.url);
  }
  if (!people.length) {
    const blocked = blockedByUnreadable(ctx, check);
    if (blocked) return blocked;
    return {
      outcome: 'review',
      findings: [
        finding(
          check,
          'person-contact-missing',
          { missing: 'ผู้บริหาร (ไม่พบรายชื่อ)', missingEn: 'executives (no named executive found)' },
          { severity: 'review' },
        ),
      ],
      satisfiedBy: [],
    };
  }
  const lacking = people.filter((p) => !p.hasContact);
  const satisfied: Satisfied[] = people
    .filter((p) => p.hasContact)
    .slice(0, 5)
    .map((p) => ({ url: p.url, excerpt: p.excerpt }));
  const photoFindings =
    check.photo === 'off'
      ? []
      : withoutPhotos.map((url) =>
          finding(check, 'person-photo-missing', {}, { url, severity: check.photo as 'fail' | 'review' }),
        );
  if (!lacking.length) {
    if (!photoFindings.length) return pass(satisfied);
    return check.photo === 'fail' ? fail(check, photoFindings, satisfied) : review(photoFindings, satisfied);
  }
  const names = [...new Set(lacking.map((p) => p.position))];
  return fail(
    check,
    [
      ...photoFindings,
      finding(
        check,
        'person-contact-missing',
        { missing: names.join(', '), missingEn: names.join(', ') },
        { url: lacking[0]!.url, excerpt: lacking[0]!.excerpt },
      ),
    ],
    satisfied,
  );
};
