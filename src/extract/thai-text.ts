// Thai text normalisation and fuzzy term matching, used by every matcher.
//
// Real pages and (especially) PDF-extracted text differ from the canonical wording in ways that are
// invisible on screen: decomposed sara am ("ํา"), zero-width characters, Thai digits, spaces inserted
// before combining marks ("ก ารประเมิน"), Private-Use-Area glyphs for shifted tone marks, en dashes.
// `normalizeThai` repairs these; `matchKey` further folds away what people get wrong when typing
// (tone marks, spacing, punctuation, ฏ/ฎ) so that item names can be compared loosely.

const ZERO_WIDTH = /[\u200B-\u200D\u2060\uFEFF\u00AD]/g;
const THAI_DIGIT = /[\u0E50-\u0E59]/g;
/** Hyphen-like characters: ‐ ‑ ‒ – — ― − ﹘ ﹣ － → "-". */
const DASHES = /[\u2010-\u2015\u2212\uFE58\uFE63\uFF0D]/g;
const WHITESPACE = /\s+/g;
/**
 * Spaces before a Thai mark or following vowel: PDF extraction artefacts ("ก ารประเมิน", "จ ํา").
 * Beyond the combining marks (U+0E31, U+0E34–U+0E3A, U+0E47–U+0E4E) this also covers the spacing
 * following vowels ะ (U+0E30), า (U+0E32), ำ (U+0E33) and ๅ (U+0E45): none of them can start a word.
 */
const SPACE_BEFORE_MARK = / +(?=[\u0E30-\u0E3A\u0E45\u0E47-\u0E4E])/g;
/** A leading vowel (เ แ โ ใ ไ) is always followed by a consonant: a space after it is an artefact. */
const SPACE_AFTER_LEADING_VOWEL = /([\u0E40-\u0E44]) +(?=[\u0E01-\u0E4E])/g;
/** Mai han-akat (ั, with its tone mark) always takes a final consonant: a space before it is an artefact. */
const SPACE_AFTER_HAN_AKAT = /(\u0E31[\u0E48-\u0E4B]?) +(?=[\u0E01-\u0E2E])/g;
/** Nikhahit + (tone mark) + sara aa → (tone mark) + sara am: "จํา" → "จำ", "นํ้า" → "น้ำ". */
const DECOMPOSED_SARA_AM = /\u0E4D([\u0E48-\u0E4B]?) *\u0E32/g;
/** Tone mark typed before an above/below vowel ("ท่ี") → canonical order ("ที่"). */
const TONE_BEFORE_VOWEL = /([\u0E48-\u0E4B])([\u0E31\u0E34-\u0E3A])/g;
/** Sara am typed before the tone mark ("นำ้") → "น้ำ". */
const SARA_AM_BEFORE_TONE = /\u0E33([\u0E48-\u0E4B])/g;
/** The same mark twice in a row (overprinted PDF glyphs). */
const DOUBLED_MARK = /([\u0E31\u0E34-\u0E3A\u0E47-\u0E4E])\1+/g;
/** Two sara e typed for sara ae. */
const DOUBLE_SARA_E = /\u0E40\u0E40/g;

/**
 * Private-Use-Area glyphs that Thai fonts (Windows/Mac "shifted" forms) leak into extracted PDF text,
 * mapped back to the standard characters.
 */
const THAI_PUA: Readonly<Record<string, string>> = {
  '\uF700': '\u0E10',
  '\uF701': '\u0E34',
  '\uF702': '\u0E35',
  '\uF703': '\u0E36',
  '\uF704': '\u0E37',
  '\uF705': '\u0E48',
  '\uF706': '\u0E49',
  '\uF707': '\u0E4A',
  '\uF708': '\u0E4B',
  '\uF709': '\u0E4C',
  '\uF70A': '\u0E48',
  '\uF70B': '\u0E49',
  '\uF70C': '\u0E4A',
  '\uF70D': '\u0E4B',
  '\uF70E': '\u0E4C',
  '\uF70F': '\u0E0D',
  '\uF710': '\u0E31',
  '\uF711': '\u0E4D',
  '\uF712': '\u0E47',
  '\uF713': '\u0E48',
  '\uF714': '\u0E49',
  '\uF715': '\u0E4A',
  '\uF716': '\u0E4B',
  '\uF717': '\u0E4C',
  '\uF718': '\u0E38',
  '\uF719': '\u0E39',
  '\uF71A': '\u0E3A',
};
const THAI_PUA_RE = /[\uF700-\uF71A]/g;

/** Latin ligatures produced by PDF text extraction. */
const LIGATURES: Readonly<Record<string, string>> = {
  '\uFB00': 'ff',
  '\uFB01': 'fi',
  '\uFB02': 'fl',
  '\uFB03': 'ffi',
  '\uFB04': 'ffl',
  '\uFB05': 'st',
  '\uFB06': 'st',
};
const LIGATURE_RE = /[\uFB00-\uFB06]/g;

/** Fold every run of whitespace (NBSP, ideographic space, line breaks …) to one space and trim. */
export function foldWhitespace(s: string): string {
  return s.replace(WHITESPACE, ' ').trim();
}

/**
 * Canonical form of Thai (and mixed) text. Idempotent.
 *
 * - NFC; Thai PUA glyphs and Latin ligatures mapped back; zero-width and soft characters
 *   (U+200B–U+200D, U+2060, U+FEFF, U+00AD) removed;
 * - Thai digits ๐–๙ → 0–9; en/em dashes, minus and other hyphen-likes → "-";
 * - whitespace (incl. NBSP) folded to one space, trimmed;
 * - PDF spacing artefacts repaired: spaces before a combining mark / following vowel are removed
 *   ("ก ารประเมิน" → "การประเมิน"), and so is a space after a leading vowel ("เ จตจำนง") or after
 *   mai han-akat ("ส ั ญญา");
 * - ํ + า (also "ํ า", and with a tone mark between) → ำ; mark-order slips ("ท่ี" → "ที่", "นำ้" → "น้ำ"),
 *   doubled marks and "เเ" (for แ) repaired.
 *
 * Latin case is kept.
 */
export function normalizeThai(input: string): string {
  return input
    .normalize('NFC')
    .replace(THAI_PUA_RE, (c) => THAI_PUA[c] ?? c)
    .replace(LIGATURE_RE, (c) => LIGATURES[c] ?? c)
    .replace(ZERO_WIDTH, '')
    .replace(THAI_DIGIT, (d) => String(d.charCodeAt(0) - 0x0e50))
    .replace(DASHES, '-')
    .replace(WHITESPACE, ' ')
    .replace(SPACE_BEFORE_MARK, '')
    .replace(SPACE_AFTER_LEADING_VOWEL, '$1')
    .replace(SPACE_AFTER_HAN_AKAT, '$1')
    .replace(DECOMPOSED_SARA_AM, '$1\u0E33')
    .replace(TONE_BEFORE_VOWEL, '$2$1')
    .replace(SARA_AM_BEFORE_TONE, '$1\u0E33')
    .replace(DOUBLED_MARK, '$1')
    .replace(DOUBLE_SARA_E, '\u0E41')
    .trim();
}

/** Characters dropped from match keys: whitespace, punctuation, symbols, ็ ่ ้ ๊ ๋ ์ ํ ๎. */
const KEY_DROP = /[\s\p{P}\p{S}\u0E47-\u0E4E]/u;

interface KeyWithMap {
  key: string;
  /** For each UTF-16 unit of key: the index of its source character in the normalised text. */
  map: number[];
  /** For each UTF-16 unit of key: the end (exclusive) of its source character. */
  mapEnd: number[];
}

/** Build the match key of already-normalised text, remembering where each key unit came from. */
function keyOf(norm: string): KeyWithMap {
  const parts: string[] = [];
  const map: number[] = [];
  const mapEnd: number[] = [];
  for (let i = 0; i < norm.length; ) {
    const cp = norm.codePointAt(i) ?? 0;
    const ch = String.fromCodePoint(cp);
    const next = i + ch.length;
    if (!KEY_DROP.test(ch)) {
      const out = ch === '\u0E0F' ? '\u0E0E' : ch.toLowerCase();
      parts.push(out);
      for (let k = 0; k < out.length; k++) {
        map.push(i);
        mapEnd.push(next);
      }
    }
    i = next;
  }
  return { key: parts.join(''), map, mapEnd };
}

/**
 * Loose comparison key: `normalizeThai`, lower-case, then without spaces, punctuation and symbols,
 * without Thai tone marks and ็ ์ ํ (U+0E47–U+0E4E), with ฏ folded to ฎ.
 * "ประกาศต่าง ๆ" ≡ "ประกาศต่างๆ", "Q & A" ≡ "Q&A", "ความโปรงใส" ≡ "ความโปร่งใส", "กฏหมาย" ≡ "กฎหมาย".
 */
export function matchKey(s: string): string {
  return keyOf(normalizeThai(s)).key;
}

/** True when the match key of `term` occurs in the match key of `text`. An empty term matches nothing. */
export function includesTerm(text: string, term: string): boolean {
  const k = matchKey(term);
  return k.length > 0 && matchKey(text).includes(k);
}

/**
 * Default edit budget for `fuzzyFind`, from the term's key length: 0 up to 5 characters, otherwise
 * max(1, floor(length / 7)) — about one edit per seven characters. (A stricter length/8 would miss
 * real two-edit typos such as "การด่านข่าว ถาม-ตอบ" for the 15-character key of "กระดานข่าว ถาม-ตอบ".)
 */
export function defaultMaxEdits(keyLength: number): number {
  return keyLength <= 5 ? 0 : Math.max(1, Math.floor(keyLength / 7));
}

export interface FuzzyMatch {
  /** Start of the match in key space, i.e. in `matchKey(text)`. */
  start: number;
  /** End (exclusive) of the match in key space. */
  end: number;
  /** Levenshtein distance between the term's key and the matched key substring. */
  edits: number;
  /** Start of the match in `normalizeThai(text)`. */
  normStart: number;
  /** End (exclusive) of the match in `normalizeThai(text)`. */
  normEnd: number;
  /** The matched part of `normalizeThai(text)`. */
  match: string;
}

/**
 * Approximate substring search (Sellers' algorithm: Levenshtein distance of the term against the
 * best-matching substring) on match keys. Returns the best match with at most `maxEdits` edits
 * (default `defaultMaxEdits(matchKey(term).length)`), the leftmost one among equally good matches,
 * or null. `start`/`end` are positions in key space; `normStart`/`normEnd` map them back into
 * `normalizeThai(text)`.
 */
export function fuzzyFind(text: string, term: string, maxEdits?: number): FuzzyMatch | null {
  const norm = normalizeThai(text);
  const t = keyOf(norm);
  const p = matchKey(term);
  const m = p.length;
  const n = t.key.length;
  if (m === 0) return null;
  const budget = maxEdits ?? defaultMaxEdits(m);
  const result = (start: number, end: number, edits: number): FuzzyMatch => {
    const normStart = start < end ? (t.map[start] ?? 0) : 0;
    const normEnd = start < end ? (t.mapEnd[end - 1] ?? 0) : 0;
    return { start, end, edits, normStart, normEnd, match: norm.slice(normStart, normEnd) };
  };
  const exact = t.key.indexOf(p);
  if (exact >= 0) return result(exact, exact + m, 0);
  if (budget <= 0 || n === 0) return null;

  // Column-wise DP over the pattern: cost[i] = edits to match p[0..i) ending at the current text
  // position; from[i] = where in the text that match starts.
  let cost = new Int32Array(m + 1);
  let from = new Int32Array(m + 1);
  let nextCost = new Int32Array(m + 1);
  let nextFrom = new Int32Array(m + 1);
  for (let i = 0; i <= m; i++) {
    cost[i] = i;
    from[i] = 0;
  }
  let bestEdits = budget + 1;
  let bestStart = -1;
  let bestEnd = -1;
  for (let j = 1; j <= n; j++) {
    const tc = t.key.charCodeAt(j - 1);
    nextCost[0] = 0;
    nextFrom[0] = j;
    for (let i = 1; i <= m; i++) {
      // substitution / match
      let c = cost[i - 1]! + (p.charCodeAt(i - 1) === tc ? 0 : 1);
      let f = from[i - 1]!;
      // pattern character missing from the text
      const del = nextCost[i - 1]! + 1;
      if (del < c) {
        c = del;
        f = nextFrom[i - 1]!;
      }
      // extra text character
      const ins = cost[i]! + 1;
      if (ins < c) {
        c = ins;
        f = from[i]!;
      }
      nextCost[i] = c;
      nextFrom[i] = f;
    }
    const e = nextCost[m]!;
    if (e < bestEdits) {
      bestEdits = e;
      bestStart = nextFrom[m]!;
      bestEnd = j;
    } else if (e === bestEdits && nextFrom[m] === bestStart && j === bestEnd + 1) {
      // Same start, same cost, one more character: prefer the longer, complete-looking match.
      bestEnd = j;
    }
    [cost, nextCost] = [nextCost, cost];
    [from, nextFrom] = [nextFrom, from];
  }
  return bestEdits <= budget ? result(bestStart, bestEnd, bestEdits) : null;
}
