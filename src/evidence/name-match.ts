// Matches free text (link texts, titles, headings) to items by their names and synonyms,
// Thai-normalised and tolerant to small typos. The longest matching name wins, so a text naming
// "รายงานการกำกับติดตามการดำเนินงานประจำปี รอบ 6 เดือน" goes to that item, not to a shorter name inside it.
import { defaultMaxEdits, fuzzyFind, matchKey, normalizeThai } from '../extract/thai-text.js';
import type { Item } from '../rules/schema.js';

export interface NameMatch {
  itemId: string;
  /** Length of the matched name key: longer is more specific. */
  length: number;
  /** Share of the text covered by the name (1 = the text is just the name). */
  coverage: number;
  edits: number;
}

interface Term {
  itemId: string;
  key: string;
  grams: Set<string>;
}

/**
 * A title's year is not part of the item's name: "รายงานการใช้จ่ายงบประมาณ ประจำปีงบประมาณ พ.ศ. 2564
 * รอบ 6 เดือน" is named as "… ประจำปี รอบ 6 เดือน" (years in Thai digits are read by normalizeThai).
 */
function withoutYears(text: string): string {
  return normalizeThai(text)
    .replace(/(?:ประจำ)?ปี(?:งบประมาณ)?\s*(?:พ\.\s?ศ\.|พศ\.?)?\s*25[4-9]\d(?:\s*[-–]\s*25[4-9]\d)?/g, 'ประจำปี')
    .replace(/(?:พ\.\s?ศ\.|พศ\.?)\s*25[4-9]\d/g, ' ');
}

export class ItemNameMatcher {
  private readonly terms: Term[];
  /** Menus repeat on every page: the same text is matched once. */
  private readonly cache = new Map<string, NameMatch | null>();
  private readonly allCache = new Map<string, NameMatch[]>();

  constructor(items: Item[]) {
    this.terms = [];
    for (const item of items) {
      const names = new Set([item.name.th, item.name.en, ...item.synonyms]);
      for (const name of names) {
        const key = matchKey(name);
        // Very short keys ("qa", "faq") only match when they are the whole text: see match().
        if (key.length >= 2) this.terms.push({ itemId: item.id, key, grams: trigrams(key) });
      }
    }
    this.terms.sort((a, b) => b.key.length - a.key.length);
  }

  /** The best item named by this text, or null. */
  match(text: string): NameMatch | null {
    const key = matchKey(withoutYears(text));
    if (!key) return null;
    const cached = this.cache.get(key);
    if (cached !== undefined) return cached;
    const result = this.matchKeyed(key);
    this.cache.set(key, result);
    return result;
  }

  /**
   * Every item one of whose names stands in the text (exactly, after normalising), longest name per item:
   * a news headline "ประชุมประชาคม… เพื่อทบทวนแผนพัฒนาท้องถิ่น" names the forum (O33) as well as the plan (O4).
   */
  matchAll(text: string): NameMatch[] {
    const key = matchKey(withoutYears(text));
    if (!key) return [];
    const cached = this.allCache.get(key);
    if (cached) return cached;
    const out = new Map<string, NameMatch>();
    for (const term of this.terms) {
      if (out.has(term.itemId)) continue;
      const exact =
        term.key.length < 6
          ? key === term.key || (key.startsWith(term.key) && key.length <= term.key.length * 4)
          : key.includes(term.key);
      if (exact) out.set(term.itemId, this.result(term, key, 0));
    }
    const result = [...out.values()];
    this.allCache.set(key, result);
    return result;
  }

  private matchKeyed(key: string): NameMatch | null {
    // Exact (normalised) names first; a typo'd name only when it is longer than any exact one.
    let best: NameMatch | null = null;
    for (const term of this.terms) {
      if (best && term.key.length < best.length) break;
      const exact =
        term.key.length < 6
          ? // Short names must stand alone or start the text ("Q&A", "E-Service ระบบ…").
            key === term.key || (key.startsWith(term.key) && key.length <= term.key.length * 4)
          : key.includes(term.key);
      if (exact && (!best || term.key.length > best.length)) best = this.result(term, key, 0);
    }
    const grams = trigrams(key);
    for (const term of this.terms) {
      if (term.key.length < 8 || (best && term.key.length <= best.length)) break;
      if (key.length + 2 < term.key.length) continue;
      // q-gram lemma: an occurrence within k edits shares at least m + 1 - 3(k + 1) trigrams with the term.
      const k = defaultMaxEdits(term.key.length);
      const need = term.key.length + 1 - 3 * (k + 1);
      if (need > 0 && sharedCount(term.grams, grams) < need) continue;
      const hit = fuzzyFind(key, term.key);
      if (hit) {
        best = this.result(term, key, hit.edits);
        break;
      }
    }
    return best;
  }

  private result(term: Term, key: string, edits: number): NameMatch {
    return {
      itemId: term.itemId,
      length: term.key.length,
      coverage: Math.min(1, term.key.length / key.length),
      edits,
    };
  }
}

function trigrams(s: string): Set<string> {
  const out = new Set<string>();
  const chars = [...s];
  for (let i = 0; i + 3 <= chars.length; i++) out.add(chars.slice(i, i + 3).join(''));
  return out;
}

function sharedCount(a: Set<string>, b: Set<string>): number {
  let n = 0;
  for (const g of a) if (b.has(g)) n++;
  return n;
}
