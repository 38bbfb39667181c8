// ita-check.config.json: finding it, parsing JSON with comments, one-line errors naming the file, the field
// path and the value (with "did you mean"), the commented starter, and flags overriding the file.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ParseError, parse } from 'jsonc-parser';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CONFIG_FILE_NAME,
  ConfigError,
  editDistance,
  findConfig,
  formatPath,
  loadConfig,
  mergeOptions,
  SCAN_DEFAULTS,
  suggestKey,
} from '../../src/config/load.js';
import { type Config, ConfigSchema, KNOWN_KEYS } from '../../src/config/schema.js';
import { starterConfig } from '../../src/config/starter.js';

const root = mkdtempSync(join(tmpdir(), 'ita-check-config-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let n = 0;
/** Writes `text` as ita-check.config.json in a fresh folder and returns its path. */
function configFile(text: string): string {
  const dir = join(root, `c${n++}`);
  mkdirSync(dir);
  const file = join(dir, CONFIG_FILE_NAME);
  writeFileSync(file, text);
  return file;
}
const json = (v: unknown) => JSON.stringify(v, null, 2);

/** The error loadConfig throws for this file content, without the file name in front. */
function errorOf(text: string): string {
  const file = configFile(text);
  try {
    loadConfig(file);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    const msg = (err as Error).message;
    expect(msg).not.toContain('\n');
    expect(msg.startsWith(`${file}: `)).toBe(true);
    return msg.slice(file.length + 2);
  }
  throw new Error('loadConfig accepted the file');
}

describe('findConfig', () => {
  it('finds ita-check.config.json in the folder', () => {
    const file = configFile('{}');
    expect(findConfig(join(file, '..'))).toBe(file);
  });
  it('returns null when there is none, or when it is a folder', () => {
    const empty = join(root, 'empty');
    mkdirSync(empty);
    expect(findConfig(empty)).toBeNull();
    const withDir = join(root, 'with-dir');
    mkdirSync(join(withDir, CONFIG_FILE_NAME), { recursive: true });
    expect(findConfig(withDir)).toBeNull();
  });
});

describe('loadConfig accepts', () => {
  it('an empty object', () => {
    expect(loadConfig(configFile('{}'))).toEqual({});
  });

  it('line and block comments, trailing commas and a BOM', () => {
    const text = `\uFEFF// settings
{
  /* the agency */ "site": "https://www.example.go.th/", // main site
  "maxPages": 50, // fewer pages
  "lang": "en",
  "thresholds": { "failOn": ["O1", "O43",], },
}
`;
    expect(loadConfig(configFile(text))).toEqual({
      site: 'https://www.example.go.th/',
      maxPages: 50,
      lang: 'en',
      thresholds: { failOn: ['O1', 'O43'] },
    });
  });

  it('every field, with relative paths resolved against the file’s folder', () => {
    const full = {
      site: 'http://127.0.0.1:8080',
      framework: 'ita-2565',
      maxPages: 100000,
      maxDepth: 0,
      maxDocuments: 0,
      concurrency: 32,
      timeout: 100,
      userAgent: 'ua/1',
      ignoreRobots: true,
      asOf: '2024-02-29',
      iit: 96.09,
      eit: 0,
      lang: 'th',
      urls: 'urls.csv',
      outputs: { json: 'out/r.json', html: 'r.html', junit: '/abs/j.xml', markdown: 'r.md' },
      thresholds: { failUnder: 80.5, failOn: 'any', failOnRegression: false },
      baseline: '../base.json',
      severity: { 'O5.map': 'review', 'O11.period-coverage': 'info', 'O43.x_1': 'fail' },
    };
    const file = configFile(json(full));
    const dir = join(file, '..');
    const c = loadConfig(file);
    expect(c).toEqual({
      ...full,
      urls: join(dir, 'urls.csv'),
      baseline: join(dir, '..', 'base.json'),
      outputs: {
        json: join(dir, 'out', 'r.json'),
        html: join(dir, 'r.html'),
        junit: '/abs/j.xml',
        markdown: join(dir, 'r.md'),
      },
    });
    // Every field of the schema was exercised.
    expect(Object.keys(c).sort()).toEqual([...KNOWN_KEYS['']!].sort());
  });
});

describe('loadConfig errors: one line with the file, the field path and the value', () => {
  const cases: [string, unknown, string][] = [
    [
      'a score as a word',
      { thresholds: { failUnder: 'high' } },
      'thresholds.failUnder must be a number from 0 to 100 (got "high")',
    ],
    [
      'a score above 100',
      { thresholds: { failUnder: 101 } },
      'thresholds.failUnder must be a number from 0 to 100 (got 101)',
    ],
    ['zero pages', { maxPages: 0 }, 'maxPages must be a whole number from 1 to 100000 (got 0)'],
    ['a fraction of a page', { maxPages: 2.5 }, 'maxPages must be a whole number from 1 to 100000 (got 2.5)'],
    ['too deep', { maxDepth: 51 }, 'maxDepth must be a whole number from 0 to 50 (got 51)'],
    [
      'negative documents',
      { maxDocuments: -1 },
      'maxDocuments must be a whole number from 0 to 100000 (got -1)',
    ],
    ['too many in flight', { concurrency: 64 }, 'concurrency must be a whole number from 1 to 32 (got 64)'],
    [
      'a timeout with a unit',
      { timeout: '20s' },
      'timeout must be a whole number from 100 to 600000 (got "20s")',
    ],
    [
      'a site without a scheme',
      { site: 'www.example.go.th' },
      'site must be a full http(s) URL, e.g. "https://www.example.go.th" (got "www.example.go.th")',
    ],
    [
      'an ftp site',
      { site: 'ftp://example.go.th' },
      'site must be a full http(s) URL, e.g. "https://www.example.go.th" (got "ftp://example.go.th")',
    ],
    [
      'a framework name with spaces',
      { framework: 'ITA 2564' },
      'framework must be a framework id such as "ita-2564" (got "ITA 2564")',
    ],
    ['an unknown language', { lang: 'fr' }, 'lang must be "th" or "en" (got "fr")'],
    [
      'a day that does not exist',
      { asOf: '2021-02-30' },
      'asOf must be a date YYYY-MM-DD (got "2021-02-30")',
    ],
    ['a Thai-style date', { asOf: '31/03/2564' }, 'asOf must be a date YYYY-MM-DD (got "31/03/2564")'],
    ['a date as a number', { asOf: 20210331 }, 'asOf must be a date YYYY-MM-DD (got 20210331)'],
    ['"yes" for a boolean', { ignoreRobots: 'yes' }, 'ignoreRobots must be true or false (got "yes")'],
    ['a negative IIT', { iit: -1 }, 'iit must be a number from 0 to 100 (got -1)'],
    ['an EIT as a string', { eit: '94.83' }, 'eit must be a number from 0 to 100 (got "94.83")'],
    ['an empty user agent', { userAgent: '  ' }, 'userAgent must be a non-empty string (got "  ")'],
    ['an empty URL-list path', { urls: '' }, 'urls must be a file path (a non-empty string) (got "")'],
    [
      'a baseline as a list',
      { baseline: ['a'] },
      'baseline must be a file path (a non-empty string) (got ["a"])',
    ],
    [
      'outputs as a string',
      { outputs: 'report.json' },
      'outputs must be an object such as { "json": "report.json" } (got "report.json")',
    ],
    [
      'an output path as a number',
      { outputs: { json: 5 } },
      'outputs.json must be a file path (a non-empty string) (got 5)',
    ],
    [
      'thresholds as a number',
      { thresholds: 80 },
      'thresholds must be an object such as { "failUnder": 80 } (got 80)',
    ],
    [
      'failOn neither "any" nor a list',
      { thresholds: { failOn: 'some' } },
      'thresholds.failOn must be "any" or a list of item ids such as ["O1", "O5"] (got "some")',
    ],
    [
      'failOn with an item past O43',
      { thresholds: { failOn: ['O1', 'O44'] } },
      'thresholds.failOn[1] must be an item id O1–O43 (got "O44")',
    ],
    [
      'failOn with a lower-case id',
      { thresholds: { failOn: ['o5'] } },
      'thresholds.failOn[0] must be an item id O1–O43 (got "o5")',
    ],
    [
      'failOnRegression as a string',
      { thresholds: { failOnRegression: 'true' } },
      'thresholds.failOnRegression must be true or false (got "true")',
    ],
    [
      'an unknown severity',
      { severity: { 'O5.map': 'warn' } },
      'severity["O5.map"] must be "fail", "review" or "info" (got "warn")',
    ],
    [
      'a severity key past O43',
      { severity: { 'O44.map': 'info' } },
      'severity has a bad key "O44.map": it must be an item id O1–O43, a dot and a component or check id, e.g. "O5.map"',
    ],
    [
      'a severity key without a component',
      { severity: { O5: 'info' } },
      'severity has a bad key "O5": it must be an item id O1–O43, a dot and a component or check id, e.g. "O5.map"',
    ],
    [
      'severity as a string',
      { severity: 'loose' },
      'severity must be an object such as { "O5.map": "review" } (got "loose")',
    ],
    ['a list instead of an object', [], 'the config must be a JSON object (got [])'],
    ['null', null, 'the config must be a JSON object (got null)'],
    [
      'a long value, shortened',
      { userAgent: 5, site: 'x'.repeat(100) },
      `site must be a full http(s) URL, e.g. "https://www.example.go.th" (got "${'x'.repeat(56)}…) (and 1 more problem)`,
    ],
  ];
  it.each(cases)('%s', (_what, value, expected) => {
    expect(errorOf(json(value))).toBe(expected);
  });

  const unknown: [string, unknown, string][] = [
    ['a missing s', { maxPage: 10 }, 'unknown field "maxPage" (did you mean "maxPages"?)'],
    ['kebab case', { 'max-pages': 10 }, 'unknown field "max-pages" (did you mean "maxPages"?)'],
    ['wrong case', { useragent: 'x' }, 'unknown field "useragent" (did you mean "userAgent"?)'],
    ['a typo', { framwork: 'ita-2564' }, 'unknown field "framwork" (did you mean "framework"?)'],
    ['a singular', { url: 'urls.csv' }, 'unknown field "url" (did you mean "urls"?)'],
    [
      'a threshold at the top level',
      { failUnder: 80 },
      'unknown field "failUnder" (did you mean "thresholds.failUnder"?)',
    ],
    ['an output at the top level', { json: 'r.json' }, 'unknown field "json" (did you mean "outputs.json"?)'],
    [
      'a typo inside thresholds',
      { thresholds: { failUnde: 80 } },
      'unknown field "thresholds.failUnde" (did you mean "thresholds.failUnder"?)',
    ],
    [
      'a typo inside outputs',
      { outputs: { jnuit: 'j.xml' } },
      'unknown field "outputs.jnuit" (did you mean "outputs.junit"?)',
    ],
    ['nothing close', { colour: true }, 'unknown field "colour"'],
    ['several unknown', { colour: true, shade: 1 }, 'unknown field "colour" (and 1 more unknown)'],
    [
      'an unknown field reported before other problems',
      { lang: 'fr', maxPage: 10, iit: 200 },
      'unknown field "maxPage" (did you mean "maxPages"?) (and 2 more problems)',
    ],
  ];
  it.each(unknown)('unknown field: %s', (_what, value, expected) => {
    expect(errorOf(json(value))).toBe(expected);
  });

  const syntax: [string, string, string][] = [
    [
      'a missing comma',
      '{\n  "maxPages": 10\n  "lang": "en"\n}',
      'not valid JSON at line 3, column 3 (expected a comma)',
    ],
    [
      'an unquoted key',
      '// c\n{\n  maxPages: 10\n}',
      'not valid JSON at line 3, column 3 (unexpected maxPages: names and text need "double quotes")',
    ],
    [
      'single quotes',
      "{\r\n  'lang': 'en'\r\n}",
      'not valid JSON at line 2, column 3 (unexpected \'lang\': names and text need "double quotes")',
    ],
    [
      'a bare word',
      '{ "ignoreRobots": yes }',
      'not valid JSON at line 1, column 19 (unexpected yes: names and text need "double quotes")',
    ],
    ['a stray character', '{ "lang": # }', 'not valid JSON at line 1, column 11 (unexpected #)'],
    [
      'two commas',
      '{ "lang": "en",, }',
      'not valid JSON at line 1, column 16 (expected a field name in double quotes)',
    ],
    [
      'a missing closing brace',
      '{\n  "lang": "en"\n',
      'not valid JSON at line 3, column 1 (expected a closing })',
    ],
    [
      'an unclosed comment',
      '{ /* note\n "lang": "en" }',
      'not valid JSON at line 1, column 3 (a /* comment is not closed)',
    ],
    [
      'an unclosed string',
      '{\n "lang": "en\n}',
      'not valid JSON at line 2, column 10 (a string is not closed)',
    ],
    [
      'text after the object',
      '{}\n{}',
      'not valid JSON at line 2, column 1 (unexpected text after the end of the object)',
    ],
    ['an empty file', '  \n', 'the file is empty (write {} for no settings)'],
    ['only a BOM', '\uFEFF', 'the file is empty (write {} for no settings)'],
  ];
  it.each(syntax)('syntax: %s', (_what, text, expected) => {
    expect(errorOf(text)).toBe(expected);
  });

  it('a missing file, and a folder', () => {
    const missing = join(root, 'nowhere', CONFIG_FILE_NAME);
    expect(() => loadConfig(missing)).toThrow(
      new ConfigError(`${missing}: cannot read the file (no such file)`),
    );
    const dir = join(root, 'is-a-dir');
    mkdirSync(dir);
    expect(() => loadConfig(dir)).toThrow(new ConfigError(`${dir}: cannot read the file (it is a folder)`));
  });

  it('names the file relative to the working directory when it lies below it', () => {
    const file = configFile('{ "lang": "de" }');
    const cwd = process.cwd();
    process.chdir(join(file, '..'));
    try {
      expect(() => loadConfig(CONFIG_FILE_NAME)).toThrow(
        `${CONFIG_FILE_NAME}: lang must be "th" or "en" (got "de")`,
      );
      expect(() => loadConfig(file)).toThrow(`${CONFIG_FILE_NAME}: lang must be "th" or "en" (got "de")`);
    } finally {
      process.chdir(cwd);
    }
  });
});

describe('message helpers', () => {
  it.each([
    [['thresholds', 'failOn', 2], 'thresholds.failOn[2]'],
    [['severity', 'O5.map'], 'severity["O5.map"]'],
    [['maxPages'], 'maxPages'],
    [[], ''],
  ] as [PropertyKey[], string][])('formatPath %j → %s', (path, expected) => {
    expect(formatPath(path)).toBe(expected);
  });
  it.each([
    ['', '', 0],
    ['maxPage', 'maxPages', 1],
    ['kitten', 'sitting', 3],
    ['abc', '', 3],
  ] as [string, string, number][])('editDistance(%s, %s) = %i', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
    expect(editDistance(b, a)).toBe(d);
  });
  it.each([
    ['maxDept', '', 'maxDepth'],
    ['fail_on', 'thresholds', 'thresholds.failOn'],
    ['failon', '', 'thresholds.failOn'],
    ['markdwon', 'outputs', 'outputs.markdown'],
    ['zzz', '', null],
  ] as [string, string, string | null][])('suggestKey(%s, %s) = %s', (key, parent, expected) => {
    expect(suggestKey(key, parent)).toBe(expected);
  });
});

describe('starterConfig', () => {
  const text = starterConfig();

  it('is accepted by loadConfig as is, with the scan defaults', () => {
    const c = loadConfig(configFile(text));
    expect(c).toEqual({
      framework: SCAN_DEFAULTS.framework,
      maxPages: SCAN_DEFAULTS.maxPages,
      maxDepth: SCAN_DEFAULTS.maxDepth,
      maxDocuments: SCAN_DEFAULTS.maxDocuments,
      concurrency: SCAN_DEFAULTS.concurrency,
      timeout: SCAN_DEFAULTS.timeout,
      ignoreRobots: SCAN_DEFAULTS.ignoreRobots,
      lang: SCAN_DEFAULTS.lang,
    });
  });

  it('needs no trailing-comma tolerance', () => {
    const errors: ParseError[] = [];
    parse(text, errors, { allowTrailingComma: false });
    expect(errors).toEqual([]);
  });

  it('is still accepted with every commented-out field switched on, and then names every field', () => {
    const on = text.replace(/^(\s*)\/\/ ?(?=\s*["}])/gm, '$1');
    const errors: ParseError[] = [];
    const raw = parse(on, errors, { allowTrailingComma: false });
    expect(errors).toEqual([]);
    const c = ConfigSchema.parse(raw);
    expect(Object.keys(c).sort()).toEqual([...KNOWN_KEYS['']!].sort());
    expect(Object.keys(c.outputs ?? {}).sort()).toEqual([...KNOWN_KEYS.outputs!].sort());
    expect(Object.keys(c.thresholds ?? {}).sort()).toEqual([...KNOWN_KEYS.thresholds!].sort());
    expect(() => loadConfig(configFile(on))).not.toThrow();
  });

  it('explains every field in one line of Thai and English', () => {
    const lines = text.split('\n');
    for (const key of KNOWN_KEYS['']!) {
      const at = lines.findIndex((l) => new RegExp(`^\\s*(// )?"${key}":`).test(l));
      expect(at, key).toBeGreaterThan(0);
      // The note is the nearest line above that is not itself a commented-out field ("iit" shares "eit"'s).
      let k = at - 1;
      while (/^\s*\/\/ "/.test(lines[k]!)) k--;
      const note = lines[k]!;
      expect(note, key).toMatch(/^\s*\/\/ .*[\u0E00-\u0E7F].* \/ .*[A-Za-z]/);
    }
  });
});

describe('mergeOptions', () => {
  const file: Config = {
    site: 'https://www.example.go.th',
    maxPages: 50,
    lang: 'en',
    ignoreRobots: true,
    outputs: { json: '/r/report.json', junit: '/r/junit.xml' },
    thresholds: { failUnder: 80, failOn: ['O1'] },
    severity: { 'O5.map': 'review', 'O11.period-coverage': 'info' },
  };

  it('gives the scan defaults with no file and no flags', () => {
    expect(mergeOptions({}, {})).toEqual({ ...SCAN_DEFAULTS, severity: {} });
  });

  it('takes the file over the defaults, lifting outputs and thresholds to the top', () => {
    expect(mergeOptions(file, {})).toEqual({
      ...SCAN_DEFAULTS,
      site: 'https://www.example.go.th',
      maxPages: 50,
      lang: 'en',
      ignoreRobots: true,
      json: '/r/report.json',
      junit: '/r/junit.xml',
      failUnder: 80,
      failOn: ['O1'],
      severity: { 'O5.map': 'review', 'O11.period-coverage': 'info' },
    });
  });

  const flagCases: [string, Parameters<typeof mergeOptions>[1], Record<string, unknown>][] = [
    ['a number', { maxPages: 10 }, { maxPages: 10 }],
    ['the language', { lang: 'th' }, { lang: 'th' }],
    ['a boolean set to false', { ignoreRobots: false }, { ignoreRobots: false }],
    ['an output path', { json: 'cli.json' }, { json: 'cli.json', junit: '/r/junit.xml' }],
    ['a threshold', { failOn: 'any', failUnder: 0 }, { failOn: 'any', failUnder: 0 }],
    ['the site', { site: 'http://127.0.0.1:8080/' }, { site: 'http://127.0.0.1:8080/' }],
    [
      'nothing, when a flag is undefined',
      { maxPages: undefined, lang: undefined },
      { maxPages: 50, lang: 'en' },
    ],
    [
      'one severity key, keeping the others',
      { severity: { 'O5.map': 'fail' } },
      { severity: { 'O5.map': 'fail', 'O11.period-coverage': 'info' } },
    ],
    ['a flag the file cannot set', { quiet: true }, { quiet: true }],
  ];
  it.each(flagCases)('lets a flag override the file: %s', (_what, flags, expected) => {
    const merged = mergeOptions(file, flags);
    expect(merged).toMatchObject(expected);
    // Everything else still comes from the file.
    const untouched = Object.keys(mergeOptions(file, {})).filter((k) => !(k in expected));
    for (const k of untouched)
      expect(merged[k as keyof typeof merged], k).toEqual(mergeOptions(file, {})[k as keyof typeof merged]);
  });

  it('does not change the config it was given', () => {
    const copy = structuredClone(file);
    mergeOptions(file, { severity: { 'O1.x': 'info' }, maxPages: 1 });
    expect(file).toEqual(copy);
  });
});
