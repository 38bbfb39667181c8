// Required components: each is present when any of its terms appears in the evidence (or the site).
import { matchKey } from '../../extract/thai-text.js';
import type { Check } from '../../rules/schema.js';
import { type CheckFn, fail, finding, pass, review, type Satisfied } from '../context.js';
import { type EvidenceUnit, excerptAround } from '../evidence-units.js';
import { blockedByUnreadable } from './unreadable.js';

type ComponentsCheck = Extract<Check, { type: 'components' }>;

interface Source {
  url: string;
  page?: number;
  text: string;
}

function sources(units: EvidenceUnit[]): Source[] {
  const out: Source[] = [];
  for (const u of units) {
    for (const label of u.labels) out.push({ url: u.url, text: label });
    for (const p of u.parts) out.push({ url: u.url, ...(p.page ? { page: p.page } : {}), text: p.text });
  }
  return out;
}

function locate(src: Source, term: string): Satisfied {
  const i = src.text.indexOf(term.split(/\s+/)[0] ?? term);
  return {
    url: src.url,
    ...(src.page ? { page: src.page } : {}),
    excerpt: excerptAround(src.text, Math.max(0, i)),
  };
}

export const components: CheckFn<ComponentsCheck> = (ctx, check) => {
  let srcs = sources(ctx.units);
  if (check.scope === 'site') {
    for (const r of ctx.crawl.resources.values()) if (r.fullText) srcs.push({ url: r.url, text: r.fullText });
  }
  srcs = srcs.filter((s) => s.text);
  // The item's own name (in a heading or link text) is not evidence of its components.
  // Only the official name: a synonym such as "การวิเคราะห์ผลการประเมิน ITA" may be the content itself.
  const names = [ctx.item.name.th].map(matchKey).filter((k) => k.length >= 4);
  // Only its first occurrence (the heading) is set aside: the body may use the words again.
  const keys = srcs.map((s) => names.reduce((key, n) => key.replace(n, '|'), matchKey(s.text)));
  const satisfied: Satisfied[] = [];
  const missing: (typeof check.all)[number][] = [];
  for (const comp of check.all) {
    let hit: Satisfied | null = null;
    for (const term of comp.terms) {
      const k = matchKey(term);
      const i = keys.findIndex((key) => key.includes(k));
      if (i >= 0 && srcs[i]) {
        hit = locate(srcs[i], term);
        break;
      }
    }
    if (hit) satisfied.push({ ...hit, excerpt: `${comp.name.th}: ${hit.excerpt ?? ''}` });
    else missing.push(comp);
  }
  if (!missing.length) return pass(satisfied);
  const blocked = blockedByUnreadable(ctx, check);
  if (blocked) return { ...blocked, satisfiedBy: satisfied };
  const failing = missing.filter((m) => m.severity === 'fail');
  const reviewing = missing.filter((m) => m.severity === 'review');
  const list = (xs: typeof missing, lang: 'th' | 'en') =>
    xs.map((m) => m.name[lang]).join(lang === 'th' ? ' - ' : '; ');
  const where = ctx.units[0]?.url;
  const findings = (['fail', 'review', 'info'] as const)
    .map((severity) => missing.filter((m) => m.severity === severity))
    .filter((group) => group.length > 0)
    .map((group) =>
      finding(
        check,
        'component-missing',
        { missing: list(group, 'th'), missingEn: list(group, 'en') },
        {
          severity: group[0]!.severity,
          ...(where ? { url: where } : {}),
          fix: {
            th: `เพิ่ม ${list(group, 'th')} ในเอกสารหรือหน้าที่เผยแพร่`,
            en: `Add ${list(group, 'en')} to the published document or page`,
          },
        },
      ),
    );
  if (failing.length) return fail(check, findings, satisfied);
  if (reviewing.length) return review(findings, satisfied);
  return pass(satisfied, findings);
};
