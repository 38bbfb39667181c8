// Reads an O-item code as agencies write it: O1, o1, O-1, O.1, OIT 1, OIT1, ข้อ O1, and with a digit
// zero instead of the letter at the start of a label (01, 011, 029ประกาศ…).
const LETTER_CODE = /(?<![A-Za-z0-9])(?:OIT|O)\s*[-–.:]?\s*(\d{1,2})(?!\d)/i;
const ZERO_CODE = /^\s*0(\d{1,2})(?!\d)/;

/** The item number named by a label, or null. Only 1..maxItem count. */
export function parseItemCode(text: string, maxItem = 43): number | null {
  const letter = LETTER_CODE.exec(text);
  const n = letter ? Number(letter[1]) : zeroCode(text);
  return n !== null && n >= 1 && n <= maxItem ? n : null;
}

function zeroCode(text: string): number | null {
  const m = ZERO_CODE.exec(text);
  if (!m) return null;
  // "0 1" style is not a code; "01" and "011" are. Years such as 0256x never reach here (two digits max).
  return Number(m[1]);
}
