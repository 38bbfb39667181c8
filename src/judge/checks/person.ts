// People's names as Thai pages print them: a title (นาย/นาง/นางสาว/น.ส./ว่าที่…/ดร.) before the name.
// "นายก…" is a post (นายกเทศมนตรี), not นาย + a name — unless a vowel sits on the ก (นายกิตติพงษ์).

/** A Thai mark that sits on the letter before it: a term ending before one ends inside a word. */
export const MID_WORD = '(?![\\u0E31\\u0E34-\\u0E3A\\u0E47-\\u0E4E])';

/** A personal title. */
export const PERSON_TITLE = new RegExp(
  `(?:นางสาว|น\\.ส\\.|นาง|นาย(?!ก${MID_WORD})|ว่าที่\\s?ร\\.?\\s?[ตทอ]\\.?|ว่าที่ร้อย|ดร\\.|Mr\\.|Mrs\\.|Ms\\.)`,
);

/** A title with a given name and a family name: "นายสุริยา บุญยืน". */
export const PERSON_NAME = new RegExp(
  `(?:นางสาว|น\\.ส\\.|นาง|นาย(?!ก${MID_WORD}))\\s?[\\u0E01-\\u0E4E]{2,}\\s+[\\u0E01-\\u0E4E]{2,}`,
  'g',
);
