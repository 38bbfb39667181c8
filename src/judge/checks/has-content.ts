// The evidence has substance: a document, or a page with real text, not a placeholder such as
// "อยู่ระหว่างดำเนินการ".
import { includesTerm, matchKey } from '../../extract/thai-text.js';
import type { Check } from '../../rules/schema.js';
import { type CheckFn, fail, finding, pass } from '../context.js';

export const hasContent: CheckFn<Extract<Check, { type: 'has-content' }>> = (ctx, check) => {
  const reachable = ctx.units.filter((u) => !u.resource?.failure);
  const docs = reachable.filter((u) => u.isDocument);
  if (docs.length) return pass(docs.slice(0, 3).map((u) => ({ url: u.url })));
  const nameKey = matchKey(ctx.item.name.th);
  let placeholder: { url: string; term: string } | null = null;
  for (const u of reachable) {
    const text = u.resource?.mainText ?? '';
    if (!u.resource) return pass([{ url: u.url }]); // an off-site channel, judged elsewhere
    const term = check.placeholderTerms.find((t) => includesTerm(text, t));
    // What is left once the item's own name and the placeholder are set aside.
    const rest = matchKey(text).replace(nameKey, '');
    if (term && rest.length < check.minChars * 4) {
      placeholder ??= { url: u.url, term };
      continue;
    }
    if (rest.length >= check.minChars) return pass([{ url: u.url, excerpt: text.slice(0, 100) }]);
  }
  if (placeholder)
    return fail(check, [
      finding(check, 'placeholder', { found: placeholder.term }, { url: placeholder.url }),
    ]);
  return fail(check, [finding(check, 'no-content', {}, { url: reachable[0]?.url })]);
};
