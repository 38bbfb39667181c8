// Matches free text (link texts, titles, headings) to items by their names and synonyms,
// Thai-normalised and tolerant to small typos. The longest matching name wins, so a text naming
// "รายงานการกำกับติดตามการดำเนินงานประจำปี รอบ 6 เดือน" goes to that item, not to a shorter name inside it.
import { fuzzyFind, matchKey } from '../extract/thai-text.js';
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
}

export class ItemNameMatcher {
  private readonly terms: Term[];
  /** Menus repeat on every page: the same text is matched once. */
  private readonly cache = new Map<string, NameMatch | null>();

  constructor(items: Item[]) {
    this.terms = [];
    for (const item of items) {
      const names = new Set([item.name.th, item.name.en, ...item.synonyms]);
      for (const name of names) {
        const key = matchKey(name);
        // Very short keys ("qa", "faq") only match when they are the whole text: see match().
        if (key.length >= 2) this.terms.push({ itemId: item.id, key });
      }
    }
    this.terms.sort((a, b) => b.key.length - a.key.length);
  }

  /** The best item named by this text, or null. */
  match(text: string): NameMatch | null {
    const key = matchKey(text);
    if (!key) return null;
    const cached = this.cache.get(key);
    if (cached !== undefined) return cached;
    const result = this.matchKeyed(key);
    this.cache.set(key, result);
    return result;
  }

  private matchKeyed(key: string): NameMatch | null {
    let best: NameMatch | null = null;
    for (const term of this.terms) {
      if (best && term.key.length < best.length) break;
      let edits = 0;
      if (term.key.length < 6) {
        // Short names must stand alone or start the text ("Q&A", "E-Service ระบบ…").
        if (!(key === term.key || (key.startsWith(term.key) && key.length <= term.key.length * 4))) continue;
      } else if (!key.includes(term.key)) {
        if (key.length + 2 < term.key.length) continue;
        const hit = fuzzyFind(key, term.key);
        if (!hit) continue;
        edits = hit.edits;
      }
      const candidate: NameMatch = {
        itemId: term.itemId,
        length: term.key.length,
        coverage: Math.min(1, term.key.length / key.length),
        edits,
      };
      if (!best || candidate.length > best.length || (candidate.length === best.length && edits < best.edits))
        best = candidate;
    }
    return best;
  }
}
