// Thai text normalisation used by every matcher. (Initial version; extended with tests.)
const ZERO_WIDTH = /[\u200B-\u200D\u2060\uFEFF\u00AD]/g;

/** NFC, ํ+า → ำ, zero-width and soft characters removed, Thai digits → 0–9, whitespace folded. */
export function normalizeThai(input: string): string {
  return input
    .normalize('NFC')
    .replace(ZERO_WIDTH, '')
    .replace(/\u0E4D\u0E32/g, '\u0E33')
    .replace(/[\u0E50-\u0E59]/g, (d) => String(d.charCodeAt(0) - 0x0e50))
    .replace(/\s+/g, ' ')
    .trim();
}
