import { describe, expect, it } from 'vitest';
import { loadFramework } from '../../src/rules/load.js';
import { grade, itaTotal, round2, type ScoredItem, scoreOit } from '../../src/score/itas.js';

// The reference report's 43 item results (Wang Prachan SAO, ITA 2564): these items scored 0.
const REFERENCE_FAILED = ['O15', 'O17', 'O18', 'O27', 'O30', 'O31', 'O41', 'O42', 'O43'];

const SUBS: [string, number, number][] = [
  ['9.1', 1, 9],
  ['9.2', 10, 17],
  ['9.3', 18, 24],
  ['9.4', 25, 28],
  ['9.5', 29, 33],
  ['10.1', 34, 41],
  ['10.2', 42, 43],
];
const structure = {
  subIndicators: SUBS.map(([id]) => ({ id, indicator: id.split('.')[0]! })),
  indicators: [{ id: '9' }, { id: '10' }],
};
function referenceItems(): ScoredItem[] {
  const items: ScoredItem[] = [];
  for (const [sub, from, to] of SUBS) {
    for (let n = from; n <= to; n++) {
      const id = `O${n}`;
      items.push({ id, subIndicator: sub, verdict: REFERENCE_FAILED.includes(id) ? 'fail' : 'pass' });
    }
  }
  return items;
}

describe('ITAS scoring', () => {
  it('reproduces the reference report exactly', () => {
    const s = scoreOit(referenceItems(), structure);
    expect(s.subIndicators).toEqual({
      '9.1': 100,
      '9.2': 75,
      '9.3': 85.71,
      '9.4': 75,
      '9.5': 60,
      '10.1': 87.5,
      '10.2': 0,
    });
    expect(s.indicators).toEqual({ '9': 79.14, '10': 43.75 });
    expect(s.oit).toBe(61.45);
    const ita = itaTotal(96.09, 94.83, s.oit);
    expect(ita).toBe(81.86);
    expect(grade(ita)).toBe('B');
  });

  it('uses the framework data for the structure', () => {
    const fw = loadFramework('ita-2564');
    const byId = new Map(referenceItems().map((i) => [i.id, i]));
    const items = fw.items.map((i) => ({
      id: i.id,
      subIndicator: i.subIndicator,
      verdict: byId.get(i.id)!.verdict,
    }));
    expect(scoreOit(items, fw).oit).toBe(61.45);
  });

  it('counts review as 0 for the confirmed score and 100 for the potential score', () => {
    const items = referenceItems().map((i) => (i.id === 'O17' ? { ...i, verdict: 'review' as const } : i));
    expect(scoreOit(items, structure, 0).oit).toBe(61.45);
    const potential = scoreOit(items, structure, 100);
    expect(potential.subIndicators['9.2']).toBe(87.5);
    expect(potential.oit).toBeGreaterThan(61.45);
  });

  it('does not use the item mean or count/43, which give other numbers', () => {
    const passed = referenceItems().filter((i) => i.verdict === 'pass').length;
    expect(round2((passed / 43) * 100)).toBe(79.07);
    expect(scoreOit(referenceItems(), structure).oit).not.toBe(79.07);
  });

  it('grades at the band edges', () => {
    expect([95, 94.99, 85, 84.99, 75, 74.99, 65, 64.99, 55, 54.99, 50, 49.99, 0].map(grade)).toEqual([
      'AA',
      'A',
      'A',
      'B',
      'B',
      'C',
      'C',
      'D',
      'D',
      'E',
      'E',
      'F',
      'F',
    ]);
  });
});
