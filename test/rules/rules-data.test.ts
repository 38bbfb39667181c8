// The rule data itself (rules/ita-2564, rules/ita-2565): shape, the checks each item carries, and that a
// broken copy is rejected with a message naming the field.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as thaiText from '../../src/extract/thai-text.js';
import { DEFAULT_MESSAGES } from '../../src/judge/messages.js';
import { defaultRulesDir, loadFramework, RuleDataError } from '../../src/rules/load.js';
import type { Check, CheckType, Framework, Item } from '../../src/rules/schema.js';

/** The matcher's key when thai-text exports one; otherwise normalised Thai without whitespace, lower-cased. */
const exportedMatchKey = (thaiText as unknown as { matchKey?: (s: string) => string }).matchKey;
const matchKey = (s: string): string =>
  exportedMatchKey ? exportedMatchKey(s) : thaiText.normalizeThai(s).replace(/\s+/g, '').toLowerCase();

const fw64 = loadFramework('ita-2564');
const fw65 = loadFramework('ita-2565');
const frameworks: [string, Framework][] = [
  ['ita-2564', fw64],
  ['ita-2565', fw65],
];

const ids = (from: number, to: number): string[] =>
  Array.from({ length: to - from + 1 }, (_, i) => `O${from + i}`);
const item = (fw: Framework, id: string): Item => {
  const found = fw.items.find((i) => i.id === id);
  if (!found) throw new Error(`${fw.id}: no item ${id}`);
  return found;
};
function checksOf<T extends CheckType>(it: Item, type: T): Extract<Check, { type: T }>[] {
  return it.checks.filter((c): c is Extract<Check, { type: T }> => c.type === type);
}
/** Item ids (in order) whose checks satisfy the predicate. */
const itemsWith = (fw: Framework, pred: (c: Check) => boolean): string[] =>
  fw.items.filter((i) => i.checks.some(pred)).map((i) => i.id);

const SUB_INDICATORS: Record<string, string[]> = {
  '9.1': ids(1, 9),
  '9.2': ids(10, 17),
  '9.3': ids(18, 24),
  '9.4': ids(25, 28),
  '9.5': ids(29, 33),
  '10.1': ids(34, 41),
  '10.2': ids(42, 43),
};
const CHANNELS = ['O8', 'O9', 'O17', 'O30', 'O32'];
const MONTHLY = ['O11', 'O15', 'O19', 'O23', 'O31', 'O40'];
// Not O21: a procurement plan lists only the months of its purchases; its year is checked instead.
const WHOLE_YEAR = ['O10', 'O18', 'O39'];
const PREVIOUS_YEAR = ['O12', 'O16', 'O20', 'O24', 'O28', 'O41'];
const CURRENT_ACTIVITY = ['O7', 'O22', 'O26', 'O33', 'O34', 'O35', 'O37', 'O38', 'O43'];
// Items whose period check does not already read the year (months, whole-year) keep a year-label check.
const FISCAL_CURRENT = ['O21', 'O25', 'O36', 'O42'];

/** Placeholders a message may use (an English text gets the *En variant of {missing} and {found} by itself). */
const PLACEHOLDERS = new Set([
  'year',
  'prevYear',
  'yearShort',
  'months',
  'missing',
  'missingEn',
  'status',
  'item',
  'url',
  'host',
  'found',
  'foundEn',
]);
/** Message overrides must key a finding code the engine emits, or they are silently unused. */
const KNOWN_CODES = new Set(Object.keys(DEFAULT_MESSAGES));

describe.each(frameworks)('%s', (_id, fw) => {
  it('has the 43 items O1–O43 in order', () => {
    expect(fw.items.map((i) => i.id)).toEqual(ids(1, 43));
  });

  it('puts 33 items in indicator 9 and 10 in indicator 10, by sub-indicator', () => {
    expect(fw.indicators.map((i) => i.id)).toEqual(['9', '10']);
    expect(fw.subIndicators.map((s) => s.id)).toEqual(Object.keys(SUB_INDICATORS));
    const indicatorOf = new Map(fw.subIndicators.map((s) => [s.id, s.indicator]));
    const count = (ind: string) => fw.items.filter((i) => indicatorOf.get(i.subIndicator) === ind).length;
    expect(count('9')).toBe(33);
    expect(count('10')).toBe(10);
    for (const [sub, members] of Object.entries(SUB_INDICATORS)) {
      expect(fw.items.filter((i) => i.subIndicator === sub).map((i) => i.id)).toEqual(members);
    }
  });

  it('starts every item with url-present, reachable, on-main-site and checks the link from home', () => {
    for (const it of fw.items) {
      expect(
        it.checks.slice(0, 3).map((c) => c.type),
        it.id,
      ).toEqual(['url-present', 'reachable', 'on-main-site']);
      expect(checksOf(it, 'linked-from-home'), it.id).toHaveLength(1);
    }
  });

  it('lets only channel items live on a linked host, and sends off-site documents to review', () => {
    for (const it of fw.items) {
      const [onMain] = checksOf(it, 'on-main-site');
      expect(onMain?.offsiteChannel, it.id).toBe(CHANNELS.includes(it.id) ? 'allow-if-linked' : 'fail');
      expect(onMain?.offsiteDocument, it.id).toBe('review');
      expect(it.kind === 'channel', it.id).toBe(CHANNELS.includes(it.id));
    }
  });

  it('asks for every month October–March in the 6-month and monthly items', () => {
    expect(itemsWith(fw, (c) => c.type === 'period-coverage' && c.mode === 'months')).toEqual(MONTHLY);
    for (const id of MONTHLY) {
      const [months] = checksOf(item(fw, id), 'period-coverage');
      expect(months, id).toMatchObject({ mode: 'months', fromMonth: 1, toMonth: 6 });
    }
  });

  it('has the other period checks on the right items', () => {
    const mode = (m: string) => itemsWith(fw, (c) => c.type === 'period-coverage' && c.mode === m);
    expect(mode('whole-year')).toEqual(WHOLE_YEAR);
    expect(mode('previous-year')).toEqual(PREVIOUS_YEAR);
    expect(mode('current-activity')).toEqual(CURRENT_ACTIVITY);
    expect(mode('multi-year')).toEqual(['O4']);
    const year = (y: string) => itemsWith(fw, (c) => c.type === 'fiscal-year' && c.year === y);
    // The previous-year period check reads the year itself: no separate year-label check.
    expect(year('previous')).toEqual([]);
    expect(year('current')).toEqual(FISCAL_CURRENT);
    // An activity proves its year by its dates: no year-label check on top of current-activity.
    for (const id of CURRENT_ACTIVITY) expect(checksOf(item(fw, id), 'fiscal-year'), id).toEqual([]);
    // Months only make sense with the months mode.
    for (const it of fw.items)
      for (const c of checksOf(it, 'period-coverage'))
        if (c.mode !== 'months') expect([c.fromMonth, c.toMonth], it.id).toEqual([undefined, undefined]);
  });

  it('requires the five HR criteria in O27', () => {
    const [components] = checksOf(item(fw, 'O27'), 'components');
    expect(components?.all.map((c) => c.name.th)).toEqual([
      'การสรรหาและคัดเลือกบุคลากร',
      'การบรรจุและแต่งตั้งบุคลากร',
      'การพัฒนาบุคลากร',
      'การประเมินผลการปฏิบัติงานบุคลากร',
      'การให้คุณให้โทษและการสร้างขวัญกำลังใจ',
    ]);
    expect(components?.all.every((c) => c.severity === 'fail')).toBe(true);
    expect(components?.messages?.['component-missing']?.th).toBe(
      'หลักเกณฑ์การบริหารและพัฒนาทรัพยากรบุคคลไม่ครบ 5 หลักเกณฑ์ ยังขาดหลักเกณฑ์ {missing}',
    );
  });

  it('makes O43 depend on O42, and O37 on O36 only as a note', () => {
    const deps = fw.items.flatMap((i) => checksOf(i, 'depends-on').map((d) => [i.id, d.item, d.severity]));
    expect(deps).toEqual([
      ['O37', 'O36', 'info'],
      ['O43', 'O42', undefined],
    ]);
    const [o43] = checksOf(item(fw, 'O43'), 'depends-on');
    expect(o43?.messages?.['dependency-failed']?.th).toBe('เนื่องจากไม่มีข้อมูลที่สอดคล้องใน {item}');
  });

  it('checks the channel items as channels', () => {
    const [o30] = checksOf(item(fw, 'O30'), 'online-channel');
    expect(o30?.confidentialTerms).toEqual(
      expect.arrayContaining(['ปกปิด', 'เก็บรักษาเป็นความลับ', 'ไม่เปิดเผยชื่อ']),
    );
    expect(o30?.publicListingTerms).toEqual(expect.arrayContaining(['กระทู้', 'ตอบกระทู้']));
    expect(o30?.messages?.['not-confidential']?.th).toBe('ไม่เป็นช่องทางรักษาความลับ');
    for (const id of ['O8', 'O17', 'O32'])
      expect(checksOf(item(fw, id), 'online-channel'), id).toHaveLength(1);
    const [o9] = checksOf(item(fw, 'O9'), 'external-links');
    expect(o9?.scope).toBe('site');
    expect(o9?.hosts).toEqual(
      expect.arrayContaining(['facebook.com', 'line.me', 'youtube.com', 'twitter.com']),
    );
    const [o2] = checksOf(item(fw, 'O2'), 'people-contacts');
    expect(o2?.messages?.['person-contact-missing']?.th).toBe('ไม่มีช่องทางการติดต่อ{missing}');
    expect(checksOf(item(fw, 'O17'), 'url-present')[0]?.messages?.['no-url']?.th).toBe('ไม่มี URL');
  });

  it('quotes the evaluator for the previous-year reports and the monthly items', () => {
    const msg = (id: string, type: CheckType, code: string) =>
      item(fw, id).checks.find((c) => c.type === type && c.messages?.[code])?.messages?.[code]?.th;
    expect(msg('O16', 'period-coverage', 'previous-year-missing')).toBe(
      'ไม่ปรากฏรายงานผลการสำรวจความพึงพอใจการให้บริการ ประจำปี {prevYear}',
    );
    expect(msg('O41', 'period-coverage', 'previous-year-missing')).toBe(
      'ไม่พบรายงานผลการดำเนินการป้องกันการทุจริตประจำปี {prevYear}',
    );
    expect(msg('O18', 'period-coverage', 'not-whole-year')).toBe(
      'รายละเอียดของแผนไม่ครอบคลุมระยะเวลาทั้งปีงบประมาณ',
    );
    expect(msg('O15', 'period-coverage', 'months-missing')).toBe('ไม่พบข้อมูลเดือน{missing}');
    expect(msg('O31', 'period-coverage', 'month-mismatch')).toBe(
      'ไฟล์เดือน {found} เนื้อหาข้างในเป็นของเดือน {missing} จึงมีข้อมูลไม่ครบขั้นต่ำ 6 เดือน',
    );
    for (const id of PREVIOUS_YEAR)
      expect(msg(id, 'period-coverage', 'previous-year-missing'), id).toBeTruthy();
  });

  it('uses only known finding codes and placeholders in its texts', () => {
    const texts: [string, string][] = [];
    for (const it of fw.items) {
      for (const c of it.checks) {
        for (const [code, m] of Object.entries(c.messages ?? {})) {
          expect(KNOWN_CODES.has(code), `${it.id} ${c.type}: unknown code ${code}`).toBe(true);
          texts.push([`${it.id} ${code}`, m.th], [`${it.id} ${code}`, m.en]);
        }
        // Component names are pasted into {missing} as they are: a placeholder there would show raw.
        if (c.type === 'components')
          for (const k of c.all)
            expect(`${k.name.th} ${k.name.en}`, `${it.id} ${k.id}`).not.toMatch(/\{\w+\}/);
      }
    }
    for (const [where, text] of texts) {
      for (const [, name] of text.matchAll(/\{(\w+)\}/g))
        expect(PLACEHOLDERS.has(name ?? ''), `${where}: {${name}}`).toBe(true);
      expect(text.trim(), where).not.toBe('');
    }
  });

  it('has distinct component ids, and no dead terms (empty match key, or the same key twice in a list)', () => {
    for (const it of fw.items) {
      const lists: [string, string[]][] = [];
      for (const c of it.checks) {
        if (c.type === 'components') {
          const compIds = c.all.map((k) => k.id);
          expect(new Set(compIds).size, it.id).toBe(compIds.length);
          for (const k of c.all) lists.push([k.id, k.terms]);
        }
        if (c.type === 'online-channel')
          lists.push(
            ['system', c.systemTerms],
            ['confidential', c.confidentialTerms ?? []],
            ['listing', c.publicListingTerms ?? []],
          );
        if (c.type === 'has-content') lists.push(['placeholder', c.placeholderTerms]);
      }
      for (const [list, terms] of lists) {
        const keys = terms.map(matchKey);
        for (const [i, k] of keys.entries()) expect(k, `${it.id} ${list} "${terms[i]}"`).not.toBe('');
        expect(new Set(keys).size, `${it.id} ${list}: two terms with one match key`).toBe(keys.length);
      }
    }
  });

  it('keeps synonyms unambiguous: none repeats a name or falls inside another item’s name', () => {
    // Discovery matches an item's Thai name, English name and synonyms, by match key.
    const names = fw.items.flatMap((i) =>
      [i.name.th, i.name.en].map((n) => ({ id: i.id, key: matchKey(n) })),
    );
    const owner = new Map<string, string>();
    for (const it of fw.items) {
      const own = [it.name.th, ...it.synonyms].map(matchKey);
      expect(new Set(own).size, `${it.id}: a synonym repeats the name or another synonym`).toBe(own.length);
      for (const syn of it.synonyms) {
        const key = matchKey(syn);
        expect(key, `${it.id} "${syn}"`).not.toBe('');
        for (const other of names) {
          if (other.id === it.id) continue;
          expect(other.key.includes(key), `${it.id} synonym "${syn}" matches ${other.id}'s name`).toBe(false);
        }
        const prev = owner.get(key);
        expect(prev === undefined || prev === it.id, `"${syn}" is a synonym of ${prev} and ${it.id}`).toBe(
          true,
        );
        owner.set(key, it.id);
      }
    }
  });

  it('gives every item a group, criteria and URL hints', () => {
    for (const it of fw.items) {
      expect(it.urlHints.length, it.id).toBeGreaterThan(0);
      expect(it.criteria.th.length, it.id).toBeGreaterThan(20);
      expect(it.criteria.en.length, it.id).toBeGreaterThan(20);
      expect(it.group.th, it.id).not.toBe('');
    }
  });
});

describe('ita-2564', () => {
  it('names the framework, its year and the OIT answer window', () => {
    expect(fw64.id).toBe('ita-2564');
    expect(fw64.fiscalYear).toBe(2564);
    expect(fw64.assessmentWindow).toEqual({ from: '2021-03-01', to: '2021-04-30' });
    expect(fw64.name.th).toBe(
      'การประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ (ITA) ประจำปีงบประมาณ พ.ศ. 2564',
    );
    expect(fw64.indexKeywords).toEqual(
      expect.arrayContaining(['ITA', 'OIT', 'การประเมินคุณธรรมและความโปร่งใส']),
    );
  });

  it('uses the official 2564 item names', () => {
    expect(item(fw64, 'O1').name.th).toBe('โครงสร้าง');
    expect(item(fw64, 'O8').name.th).toBe('Q&A');
    expect(item(fw64, 'O21').name.th).toBe('แผนการจัดซื้อจัดจ้างหรือแผนการจัดหาพัสดุ');
    expect(item(fw64, 'O34').name.th).toBe('เจตจำนงสุจริตของผู้บริหาร');
    expect(item(fw64, 'O36').name.th).toBe('การประเมินความเสี่ยงการทุจริตประจำปี');
    expect(item(fw64, 'O37').name.th).toBe('การดำเนินการเพื่อจัดการความเสี่ยงการทุจริต');
  });
});

describe('ita-2565', () => {
  it('shifts the year and window', () => {
    expect(fw65.id).toBe('ita-2565');
    expect(fw65.fiscalYear).toBe(2565);
    expect(fw65.assessmentWindow).toEqual({ from: '2022-03-01', to: '2022-04-30' });
    expect(fw65.name.th).toContain('2565');
  });

  it('renames O34, O36 and O37 and keeps everything else', () => {
    expect(item(fw65, 'O34').name.th).toBe('นโยบายไม่รับของขวัญ (No Gift Policy)');
    expect(item(fw65, 'O36').name.th).toBe('การประเมินความเสี่ยงการทุจริตและประพฤติมิชอบประจำปี');
    expect(item(fw65, 'O37').name.th).toBe('การดำเนินการเพื่อจัดการความเสี่ยงการทุจริตและประพฤติมิชอบ');
    const changed = ['O34', 'O36', 'O37'];
    for (const it of fw64.items) {
      if (changed.includes(it.id)) expect(item(fw65, it.id).name, it.id).not.toEqual(it.name);
      else expect(item(fw65, it.id), it.id).toEqual(it);
    }
    expect(fw65.indicators).toEqual(fw64.indicators);
    expect(fw65.subIndicators).toEqual(fw64.subIndicators);
    expect(fw65.indexKeywords).toEqual(fw64.indexKeywords);
  });

  it('keeps the URL hints of the renamed items (a patch must repeat them: the schema defaults them to [])', () => {
    for (const id of ['O36', 'O37']) expect(item(fw65, id).urlHints, id).toEqual(item(fw64, id).urlHints);
  });

  it('finds the renamed items by their 2564 names too', () => {
    expect(item(fw65, 'O36').synonyms).toContain('การประเมินความเสี่ยงการทุจริตประจำปี');
    expect(item(fw65, 'O37').synonyms).toContain('การดำเนินการเพื่อจัดการความเสี่ยงการทุจริต');
    expect(item(fw65, 'O34').synonyms).toEqual(
      expect.arrayContaining(['No Gift Policy', 'นโยบายไม่รับของขวัญ', 'งดรับของขวัญ']),
    );
  });

  it('checks O34 as a No Gift Policy announced in the fiscal year', () => {
    const o34 = item(fw65, 'O34');
    expect(o34.checks.map((c) => c.type).slice(0, 3)).toEqual(['url-present', 'reachable', 'on-main-site']);
    expect(checksOf(o34, 'period-coverage')[0]?.mode).toBe('current-activity');
    const [components] = checksOf(o34, 'components');
    expect(components?.all.find((c) => c.severity === 'fail')?.terms).toEqual(
      expect.arrayContaining(['ไม่รับของขวัญ', 'No Gift']),
    );
  });
});

describe('broken rule data', () => {
  const tmpDirs: string[] = [];
  afterAll(() => {
    for (const dir of tmpDirs) rmSync(dir, { recursive: true, force: true });
  });

  const rulesDir = defaultRulesDir();
  const raw2564 = (): Framework =>
    JSON.parse(readFileSync(join(rulesDir, 'ita-2564', 'framework.json'), 'utf8'));
  const raw2565 = () => JSON.parse(readFileSync(join(rulesDir, 'ita-2565', 'framework.json'), 'utf8'));

  /** Writes the frameworks into a fresh rules folder and loads `id` from it. */
  function loadFrom(files: Record<string, unknown>, id: string): Framework {
    const dir = mkdtempSync(join(tmpdir(), 'ita-rules-'));
    tmpDirs.push(dir);
    for (const [name, data] of Object.entries(files)) {
      mkdirSync(join(dir, name));
      writeFileSync(
        join(dir, name, 'framework.json'),
        typeof data === 'string' ? data : JSON.stringify(data, null, 2),
      );
    }
    return loadFramework(id, dir);
  }
  function broken(edit: (fw: Framework) => void): () => Framework {
    const fw = raw2564();
    edit(fw);
    return () => loadFrom({ 'ita-2564': fw }, 'ita-2564');
  }

  it('loads an unchanged copy', () => {
    expect(loadFrom({ 'ita-2564': raw2564(), 'ita-2565': raw2565() }, 'ita-2565').items).toHaveLength(43);
  });

  it('rejects an unknown check type', () => {
    const load = broken((fw) => fw.items[3]?.checks.push({ type: 'bogus' } as unknown as Check));
    expect(load).toThrow(RuleDataError);
    expect(load).toThrow(/items\.3\.checks\.\d+\.type/);
  });

  it('rejects a bad check parameter', () => {
    const load = broken((fw) => {
      const c = fw.items[10]?.checks.find((x) => x.type === 'period-coverage');
      if (c && c.type === 'period-coverage') c.toMonth = 13;
    });
    expect(load).toThrow(/items\.10\.checks\.\d+\.toMonth/);
  });

  it('rejects a duplicate item id', () => {
    const load = broken((fw) => {
      if (fw.items[5]) fw.items[5].id = 'O1';
    });
    expect(load).toThrow(/items\.5\.id: duplicate O1/);
  });

  it('rejects a depends-on to a missing item', () => {
    const load = broken((fw) => {
      const dep = fw.items[42]?.checks.find((c) => c.type === 'depends-on');
      if (dep && dep.type === 'depends-on') dep.item = 'O99';
    });
    expect(load).toThrow(/items\.42: O43 depends on unknown O99/);
  });

  it('rejects a sub-indicator that does not exist', () => {
    const load = broken((fw) => {
      if (fw.items[7]) fw.items[7].subIndicator = '9.9';
    });
    expect(load).toThrow(/items\.7\.subIndicator: O8: unknown sub-indicator 9\.9/);
  });

  it('rejects a component without terms', () => {
    const load = broken((fw) => {
      const c = fw.items[26]?.checks.find((x) => x.type === 'components');
      if (c && c.type === 'components' && c.all[0]) c.all[0].terms = [];
    });
    expect(load).toThrow(/items\.26\.checks\.\d+\.all\.0\.terms/);
  });

  it('rejects a patch with a bad item change, naming the field', () => {
    const patch = raw2565();
    patch.itemChanges.O34.name = { th: '', en: 'No Gift Policy' };
    expect(() => loadFrom({ 'ita-2564': raw2564(), 'ita-2565': patch }, 'ita-2565')).toThrow(
      /itemChanges\.O34\.name\.th/,
    );
  });

  it('rejects a patch whose base is missing', () => {
    expect(() => loadFrom({ 'ita-2565': raw2565() }, 'ita-2565')).toThrow(/unknown framework "ita-2564"/);
  });

  it('rejects a file that is not JSON', () => {
    expect(() => loadFrom({ 'ita-2564': '{ "id": "ita-2564",' }, 'ita-2564')).toThrow(RuleDataError);
  });
});
