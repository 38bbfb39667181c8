// ITAS scoring: item 0/100; sub-indicator = mean of its items; indicator = mean of its sub-indicators;
// OIT = mean of the indicators; ITA = 0.3·IIT + 0.3·EIT + 0.4·OIT. Verified on the reference report.
import type { Verdict } from '../types.js';

export interface ScoredItem {
  id: string;
  subIndicator: string;
  verdict: Verdict;
}

export interface Structure {
  subIndicators: { id: string; indicator: string }[];
  indicators: { id: string }[];
}

export interface OitScores {
  subIndicators: Record<string, number>;
  indicators: Record<string, number>;
  oit: number;
}

/** Two decimals, as ITAS prints them (round half up on the decimal value). */
export function round2(n: number): number {
  return Math.round((n + Number.EPSILON) * 100) / 100;
}

function mean(xs: number[]): number {
  return xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length;
}

/**
 * Scores items whose verdict is already final. `reviewAs` decides what an undecided item counts as:
 * 0 for the confirmed score, 100 for the potential score.
 */
export function scoreOit(items: ScoredItem[], structure: Structure, reviewAs: 0 | 100 = 0): OitScores {
  const points = (v: Verdict) => (v === 'pass' ? 100 : v === 'review' ? reviewAs : 0);
  const subRaw: Record<string, number> = {};
  for (const sub of structure.subIndicators) {
    const mine = items.filter((i) => i.subIndicator === sub.id);
    subRaw[sub.id] = mean(mine.map((i) => points(i.verdict)));
  }
  const indRaw: Record<string, number> = {};
  for (const ind of structure.indicators) {
    const subs = structure.subIndicators.filter((s) => s.indicator === ind.id);
    indRaw[ind.id] = mean(subs.map((s) => subRaw[s.id] ?? 0));
  }
  // ITAS rounds each level for display but computes from unrounded means; the reference's
  // 79.14 / 43.75 / 61.45 come out the same either way, so keep full precision and round at the end.
  const oit = mean(Object.values(indRaw));
  return {
    subIndicators: Object.fromEntries(Object.entries(subRaw).map(([k, v]) => [k, round2(v)])),
    indicators: Object.fromEntries(Object.entries(indRaw).map(([k, v]) => [k, round2(v)])),
    oit: round2(oit),
  };
}

export type Grade = 'AA' | 'A' | 'B' | 'C' | 'D' | 'E' | 'F';

/** Grade bands of the 2562–2566 scheme. */
export function grade(score: number): Grade {
  const s = round2(score);
  if (s >= 95) return 'AA';
  if (s >= 85) return 'A';
  if (s >= 75) return 'B';
  if (s >= 65) return 'C';
  if (s >= 55) return 'D';
  if (s >= 50) return 'E';
  return 'F';
}

export function itaTotal(iit: number, eit: number, oit: number): number {
  return round2(0.3 * iit + 0.3 * eit + 0.4 * oit);
}
