// Which evidence is *about* the item. A list page linked for one item often holds documents of other
// items (a download page with last year's report next to this year's survey): when some evidence is
// named for the item, dates and periods are read from that evidence only.
import { includesTerm } from '../extract/thai-text.js';
import type { CheckContext } from './context.js';
import type { EvidenceUnit } from './evidence-units.js';

const HEAD_CHARS = 300;

function namedFor(u: EvidenceUnit, names: string[]): boolean {
  const head = u.parts[0]?.text.slice(0, HEAD_CHARS) ?? '';
  // Exact (normalised) names only: a fuzzy match would tie "แผนการจัดซื้อจัดจ้าง" to "ผลการ…จัดซื้อจัดจ้าง".
  return [...u.labels, head].some((label) => names.some((n) => includesTerm(label, n)));
}

export function relevantUnits(ctx: CheckContext, units: EvidenceUnit[] = ctx.units): EvidenceUnit[] {
  const names = [ctx.item.name.th, ...ctx.item.synonyms];
  const named = units.filter((u) => namedFor(u, names));
  return named.length ? named : units;
}
