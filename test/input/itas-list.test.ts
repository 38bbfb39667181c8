// The ITAS URL list: CSV (RFC 4180, header, BOM, comments, item id spellings) and JSON forms, errors that
// name the line, and the CSV writer reading back to the same entries.
import { describe, expect, it } from 'vitest';
import type { ItasEntry } from '../../src/evidence/discover.js';
import {
  ItasListError,
  normalizeItemId,
  parseCsv,
  parseItasList,
  writeItasList,
} from '../../src/input/itas-list.js';

const A = 'https://www.example.go.th/a';
const B = 'https://www.example.go.th/b?x=1&y=2';

/** The error message parseItasList throws. */
function errorOf(text: string, fileName = 'urls.csv'): string {
  try {
    parseItasList(text, fileName);
  } catch (err) {
    expect(err).toBeInstanceOf(ItasListError);
    const msg = (err as Error).message;
    expect(msg).not.toContain('\n');
    return msg;
  }
  throw new Error('parseItasList accepted the list');
}

describe('normalizeItemId', () => {
  it.each([
    ['O15', 'O15'],
    ['o15', 'O15'],
    ['O-15', 'O15'],
    ['OIT 15', 'O15'],
    ['oit15', 'O15'],
    ['OIT-15', 'O15'],
    ['O 15', 'O15'],
    ['015', 'O15'],
    ['15', 'O15'],
    [' O15 ', 'O15'],
    ['O๑๕', 'O15'],
    ['01', 'O1'],
    ['O1', 'O1'],
    ['011', 'O11'],
    ['043', 'O43'],
    ['O43', 'O43'],
    [7, 'O7'],
  ] as [string | number, string][])('%j → %s', (raw, id) => {
    expect(normalizeItemId(raw)).toBe(id);
  });
  it.each(['O44', 'O0', '0', '00', '', 'abc', 'O1.5', '100', 'O 1 5', 'P15', 'O15a', '0044'])(
    '%j → null',
    (raw) => {
      expect(normalizeItemId(raw)).toBeNull();
    },
  );
});

describe('parseItasList: CSV', () => {
  const cases: [string, string, ItasEntry[]][] = [
    [
      'rows without a header',
      `O1,${A}\nO2,${B},the plan\n`,
      [
        { item: 'O1', url: A },
        { item: 'O2', url: B, note: 'the plan' },
      ],
    ],
    [
      'a header, a BOM and CRLF line ends',
      `\uFEFFitem,url,note\r\nO1,${A},x\r\nO2,${B}\r\n`,
      [
        { item: 'O1', url: A, note: 'x' },
        { item: 'O2', url: B },
      ],
    ],
    ['no final newline', `O1,${A}`, [{ item: 'O1', url: A }]],
    [
      'every spelling of an item id',
      ['O15', 'o16', 'O-17', 'OIT 18', '019', '20', 'O๒๑'].map((id, i) => `${id},${A}${i}`).join('\n'),
      [15, 16, 17, 18, 19, 20, 21].map((n, i) => ({ item: `O${n}`, url: `${A}${i}` })),
    ],
    [
      'several rows for one item',
      `O11,${A}\nO11,${B}\nO11,${A}2\n`,
      [
        { item: 'O11', url: A },
        { item: 'O11', url: B },
        { item: 'O11', url: `${A}2` },
      ],
    ],
    [
      'quoted fields with commas, quotes and newlines',
      `O1,"${A}","ผลการดำเนินงาน, รอบ 6 เดือน"\nO2,${B},"the ""annual"" plan\nsecond line"\nO3,${A},"a\r\nb"\n`,
      [
        { item: 'O1', url: A, note: 'ผลการดำเนินงาน, รอบ 6 เดือน' },
        { item: 'O2', url: B, note: 'the "annual" plan\nsecond line' },
        { item: 'O3', url: A, note: 'a\r\nb' },
      ],
    ],
    [
      'blank lines, comments (even with quotes) and empty spreadsheet rows',
      `# ITAS URLs for 2564\n\nitem,url\n  # "not a field\nO1,${A}\n,,\n   \n# O2,${B}\nO3,${B},,,\n`,
      [
        { item: 'O1', url: A },
        { item: 'O3', url: B },
      ],
    ],
    [
      'spaces around unquoted fields, and a quoted note keeping its spaces',
      `  O1 ,  ${A}  , note \nO2,${B}, "  padded  "\n`,
      [
        { item: 'O1', url: A, note: 'note' },
        { item: 'O2', url: B, note: '  padded  ' },
      ],
    ],
    [
      'a header that reorders the columns',
      `URL,Note,Item\n${A},first,O5\n${B},,O6\n`,
      [
        { item: 'O5', url: A, note: 'first' },
        { item: 'O6', url: B },
      ],
    ],
    ['a Thai header', `ข้อ,ลิงก์,หมายเหตุ\nO1,${A},โครงสร้าง\n`, [{ item: 'O1', url: A, note: 'โครงสร้าง' }]],
    ['exact repeats dropped', `O1,${A}\no1,${A}\nO1,${A},again\n`, [{ item: 'O1', url: A }]],
    [
      'Thai in the URL kept as written',
      'O9,https://www.example.go.th/ติดต่อ\n',
      [{ item: 'O9', url: 'https://www.example.go.th/ติดต่อ' }],
    ],
    ['an empty file', '', []],
    ['only a header', 'item,url,note\n', []],
  ];
  it.each(cases)('%s', (_what, text, expected) => {
    expect(parseItasList(text, 'urls.csv')).toEqual(expected);
  });

  const errors: [string, string, string][] = [
    [
      'an item past O43, on the line it is on',
      `item,url\n# c\n\nO1,${A}\nO2,${A}\nO3,${A}\nO44,${A}\n`,
      'urls.csv line 7: "O44" is not an item O1–O43',
    ],
    ['item 0', `O0,${A}`, 'urls.csv line 1: "O0" is not an item O1–O43'],
    ['a word for an item', `O1,${A}\nstructure,${A}`, 'urls.csv line 2: "structure" is not an item O1–O43'],
    [
      'a bare www host',
      `item,url\nO1,${A}\nO2,www.x`,
      'urls.csv line 3: not an http(s) URL: "www.x" (ITAS needs the full URL: write "https://www.x")',
    ],
    [
      'a bare host with a path',
      'O2,example.go.th/plan.pdf',
      'urls.csv line 1: not an http(s) URL: "example.go.th/plan.pdf" (ITAS needs the full URL: write "https://example.go.th/plan.pdf")',
    ],
    [
      'an ftp URL',
      'O2,ftp://example.go.th/a',
      'urls.csv line 1: not an http(s) URL: "ftp://example.go.th/a"',
    ],
    ['a scheme with no host', 'O2,https://', 'urls.csv line 1: not an http(s) URL: "https://"'],
    ['a word for a URL', 'O2,see the website', 'urls.csv line 1: not an http(s) URL: "see the website"'],
    ['no URL', `O1,${A}\nO15,\n`, 'urls.csv line 2: no URL for O15'],
    ['no item', `,${A}`, 'urls.csv line 1: no item id (write O1–O43, e.g. O15)'],
    ['one field', `O1,${A}\nO2\n`, 'urls.csv line 2: expected item,url[,note]'],
    ['tabs', `O1\t${A}`, 'urls.csv line 1: expected item,url[,note] separated by commas, not tabs'],
    [
      'an unquoted note with commas',
      `O1,${A},a, b\n`,
      'urls.csv line 1: 4 fields, expected item,url,note (put a note that holds commas in double quotes)',
    ],
    [
      'a note where the header has none',
      `item,url\nO1,${A},a note\n`,
      'urls.csv line 2: 3 fields, expected item,url,note (put a note that holds commas in double quotes)',
    ],
    [
      'an unclosed quote',
      `O1,${A}\nO2,${A},"never\nclosed\n`,
      'urls.csv line 2: a quoted field is not closed',
    ],
    [
      'text after a closing quote',
      `O1,"${A}"x,note`,
      'urls.csv line 1: text after a closing quote (write "" for a quote inside a quoted field)',
    ],
    [
      'a line number counted through multi-line quoted fields',
      `O1,${A},"one\ntwo\r\nthree"\nO2,${A},"x\ny"\nO99,${A}\n`,
      'urls.csv line 6: "O99" is not an item O1–O43',
    ],
    ['CSV in a .json file', `O1,${A}`, 'urls.json line 1: expected a JSON list or object'],
  ];
  it.each(errors)('error: %s', (what, text, expected) => {
    expect(errorOf(text, what === 'CSV in a .json file' ? 'urls.json' : 'urls.csv')).toBe(expected);
  });

  it('parseCsv gives the line each record starts on', () => {
    expect(parseCsv('a,"b\nc"\r\nd\n\ne', 'f').map((r) => [r.line, r.fields])).toEqual([
      [1, ['a', 'b\nc']],
      [3, ['d']],
      [4, ['']],
      [5, ['e']],
    ]);
  });
});

describe('parseItasList: JSON', () => {
  const cases: [string, string, ItasEntry[]][] = [
    [
      'a list of entries, items in any spelling',
      JSON.stringify([
        { item: 'O1', url: A },
        { item: 'oit 2', url: B, note: 'n' },
        { item: 3, url: A, note: '' },
        { item: '04', url: A, note: null },
      ]),
      [
        { item: 'O1', url: A },
        { item: 'O2', url: B, note: 'n' },
        { item: 'O3', url: A },
        { item: 'O4', url: A },
      ],
    ],
    [
      'an object of URL lists, with a BOM, comments and a bare string',
      `\uFEFF// from ITAS\n{\n  "O15": ["${A}", "${B}"],\n  "o16": "${A}", /* one */\n}`,
      [
        { item: 'O15', url: A },
        { item: 'O15', url: B },
        { item: 'O16', url: A },
      ],
    ],
    ['an empty list', '  []', []],
    ['an empty object', '{}', []],
  ];
  it.each(cases)('%s', (_what, text, expected) => {
    expect(parseItasList(text, 'urls.json')).toEqual(expected);
  });

  const errors: [string, string, string][] = [
    [
      'an item past O43, on the line of its entry',
      `[\n  { "item": "O1", "url": "${A}" },\n  { "item": "O44", "url": "${A}" }\n]`,
      'urls.json line 3: "O44" is not an item O1–O43',
    ],
    [
      'a bad URL in the object form, on its own line',
      `{\n  "O15": [\n    "${A}",\n    "www.x"\n  ]\n}`,
      'urls.json line 4: not an http(s) URL: "www.x" (ITAS needs the full URL: write "https://www.x")',
    ],
    [
      'a bad key in the object form',
      `{\n "O99": ["${A}"] }`,
      'urls.json line 2: "O99" is not an item O1–O43',
    ],
    ['an empty URL list', '{ "O15": [] }', 'urls.json line 1: no URL for O15'],
    ['a URL that is not a string', `{ "O15": ["${A}", 5] }`, 'urls.json line 1: expected a URL string'],
    [
      'an unknown field',
      `[\n { "item": "O1", "link": "${A}" }\n]`,
      'urls.json line 2: unknown field "link" (expected item, url, note)',
    ],
    ['a missing url', '[{ "item": "O1" }]', 'urls.json line 1: no URL for O1'],
    ['a missing item', `[{ "url": "${A}" }]`, 'urls.json line 1: no item id (write O1–O43, e.g. O15)'],
    ['a url as a number', '[{ "item": "O1", "url": 5 }]', 'urls.json line 1: the url must be a string'],
    [
      'a note as a number',
      `[{ "item": "O1", "url": "${A}", "note": 5 }]`,
      'urls.json line 1: the note must be text',
    ],
    [
      'a list of strings',
      `[\n "${A}"\n]`,
      'urls.json line 2: expected an object { "item": "O15", "url": "https://…" }',
    ],
    ['broken JSON', `[\n { "item": "O1", "url": "${A}" }\n { }\n]`, 'urls.json line 3: not valid JSON'],
  ];
  it.each(errors)('error: %s', (_what, text, expected) => {
    expect(errorOf(text, 'urls.json')).toBe(expected);
  });
});

describe('writeItasList', () => {
  it('writes the header and one row per entry, quoting only when needed', () => {
    expect(
      writeItasList([
        { item: 'O1', url: A },
        { item: 'O2', url: B, note: 'plain note' },
        { item: 'O3', url: 'https://x.go.th/a?ids=1,2', note: 'say "hi", then\nleave' },
        { item: 'O4', url: A, note: ' padded' },
        { item: 'O5', url: A, note: '#5' },
      ]),
    ).toBe(
      [
        'item,url,note',
        `O1,${A},`,
        `O2,${B},plain note`,
        'O3,"https://x.go.th/a?ids=1,2","say ""hi"", then\nleave"',
        `O4,${A}," padded"`,
        `O5,${A},"#5"`,
        '',
      ].join('\n'),
    );
  });

  it('writes only the header for no entries', () => {
    expect(writeItasList([])).toBe('item,url,note\n');
  });

  const roundTrips: [string, ItasEntry[]][] = [
    ['no entries', []],
    [
      'simple rows',
      [
        { item: 'O1', url: A },
        { item: 'O43', url: B, note: 'n' },
      ],
    ],
    [
      'notes with every awkward character',
      [
        { item: 'O10', url: A, note: 'แผนปฏิบัติราชการ ประจำปี พ.ศ. 2564, ฉบับปรับปรุง' },
        { item: 'O10', url: B, note: '"quoted"' },
        { item: 'O11', url: A, note: 'two\nlines\r\nand CRLF' },
        { item: 'O12', url: A, note: '  spaces  ' },
        { item: 'O13', url: A, note: '# not a comment' },
        { item: 'O14', url: 'https://x.go.th/q?a=1,2&b="3"', note: ',' },
      ],
    ],
    ['every item', Array.from({ length: 43 }, (_, i) => ({ item: `O${i + 1}`, url: `${A}/${i + 1}` }))],
  ];
  it.each(roundTrips)('round-trips: %s', (_what, entries) => {
    expect(parseItasList(writeItasList(entries), 'out.csv')).toEqual(entries);
  });
});
