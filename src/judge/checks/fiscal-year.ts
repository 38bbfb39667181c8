// The evidence names the fiscal year the item needs (the current one, or the previous one for annual
// reports): in a link text, title, file name or the text itself, as a fiscal year or as dates within it.
import type { Check } from '../../rules/schema.js';
import { type CheckFn, fail, finding, pass } from '../context.js';
import { fiscalYearsOf, mentionsOf } from '../dated.js';
import { relevantUnits } from '../relevance.js';
import { blockedByUnreadable } from './unreadable.js';

export const fiscalYear: CheckFn<Extract<Check, { type: 'fiscal-year' }>> = (ctx, check) => {
  const target = check.year === 'current' ? ctx.fiscalYear : ctx.fiscalYear - 1;
  const found = new Set<number>();
  for (const u of relevantUnits(ctx)) {
    for (const m of mentionsOf(u, ctx.fiscalYear)) {
      const years = fiscalYearsOf(m);
      if (years.includes(target))
        return pass([{ url: u.url, ...(m.page ? { page: m.page } : {}), excerpt: m.text }]);
      for (const y of years) found.add(y);
    }
  }
  const blocked = blockedByUnreadable(ctx, check);
  if (blocked) return blocked;
  const others = [...found].sort((a, b) => b - a).slice(0, 3);
  return fail(check, [
    others.length
      ? finding(check, 'year-old', { year: target, found: others.join(', ') })
      : finding(check, 'year-missing', { year: target }),
  ]);
};
