// User overrides of a criterion's severity ("O5.map=info", "O37.depends-on=fail"): the criteria notes
// mark some components unconfirmed, so a user may soften or harden them without editing rule data.

import { RuleDataError } from './load.js';
import type { Framework } from './schema.js';

export type SeverityLevel = 'fail' | 'review' | 'info';

/** Returns a copy of the framework with the overrides applied; an unknown key is an error. */
export function applySeverity(fw: Framework, overrides: Record<string, SeverityLevel>): Framework {
  const copy = structuredClone(fw);
  for (const [key, level] of Object.entries(overrides)) {
    const [itemId, target] = key.split('.');
    const item = copy.items.find((i) => i.id.toLowerCase() === (itemId ?? '').toLowerCase());
    if (!item || !target)
      throw new RuleDataError(`severity: "${key}" is not ITEM.component or ITEM.check (e.g. O5.map)`);
    let hit = false;
    for (const check of item.checks) {
      if (check.type === target) {
        check.severity = level;
        hit = true;
      }
      if (check.type === 'components') {
        for (const comp of check.all) {
          if (comp.id === target) {
            comp.severity = level;
            hit = true;
          }
        }
      }
    }
    if (!hit) {
      const known = item.checks.flatMap((c) => [
        c.type,
        ...(c.type === 'components' ? c.all.map((x) => x.id) : []),
      ]);
      throw new RuleDataError(
        `severity: ${item.id} has no check or component "${target}" (known: ${known.join(', ')})`,
      );
    }
  }
  return copy;
}
