// An item that carries out another (O43 follows O42's measures) cannot pass when that one fails.
import type { Check } from '../../rules/schema.js';
import { type CheckFn, fail, finding, pass } from '../context.js';

export const dependsOn: CheckFn<Extract<Check, { type: 'depends-on' }>> = (ctx, check) => {
  const v = ctx.verdicts.get(check.item);
  if (v === 'fail') return fail(check, [finding(check, 'dependency-failed', { item: check.item })]);
  if (v === 'review')
    return {
      outcome: 'review',
      findings: [finding(check, 'dependency-review', { item: check.item }, { severity: 'review' })],
      satisfiedBy: [],
    };
  return pass();
};
