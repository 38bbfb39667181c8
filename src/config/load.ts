// Finds, reads and validates ita-check.config.json (JSON with comments, parsed by Microsoft's jsonc-parser),
// and merges it with the command-line flags. Every problem is one line naming the file, the field path and
// the bad value: `ita-check.config.json: thresholds.failUnder must be a number from 0 to 100 (got "high")`.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { type ParseError, ParseErrorCode, parse } from 'jsonc-parser';
import type { z } from 'zod';
import { type Config, ConfigSchema, KNOWN_KEYS, SEVERITY_KEY_HINT, type Severity } from './schema.js';

export const CONFIG_FILE_NAME = 'ita-check.config.json';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** ita-check.config.json in `cwd`, or null when there is none. */
export function findConfig(cwd: string): string | null {
  const file = join(cwd, CONFIG_FILE_NAME);
  try {
    return existsSync(file) && statSync(file).isFile() ? file : null;
  } catch {
    return null;
  }
}

/** The file as the user would name it: relative to the working directory when it lies below it. */
function displayName(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}

const JSON_PROBLEMS: Partial<Record<ParseErrorCode, string>> = {
  [ParseErrorCode.InvalidNumberFormat]: 'not a valid number',
  [ParseErrorCode.PropertyNameExpected]: 'expected a field name in double quotes',
  [ParseErrorCode.ValueExpected]: 'expected a value',
  [ParseErrorCode.ColonExpected]: 'expected a colon',
  [ParseErrorCode.CommaExpected]: 'expected a comma',
  [ParseErrorCode.CloseBraceExpected]: 'expected a closing }',
  [ParseErrorCode.CloseBracketExpected]: 'expected a closing ]',
  [ParseErrorCode.EndOfFileExpected]: 'unexpected text after the end of the object',
  [ParseErrorCode.InvalidCommentToken]: 'bad comment',
  [ParseErrorCode.UnexpectedEndOfComment]: 'a /* comment is not closed',
  [ParseErrorCode.UnexpectedEndOfString]: 'a string is not closed',
  [ParseErrorCode.UnexpectedEndOfNumber]: 'a number is cut short',
  [ParseErrorCode.InvalidUnicode]: 'bad \\u escape',
  [ParseErrorCode.InvalidEscapeCharacter]: 'bad escape character',
  [ParseErrorCode.InvalidCharacter]: 'control character in a string',
};

/** 1-based line and column of a character offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** Parses JSON with comments (and trailing commas); throws a one-line ConfigError. */
export function parseJsonc(text: string, name: string): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === '') throw new ConfigError(`${name}: the file is empty (write {} for no settings)`);
  const errors: ParseError[] = [];
  const value: unknown = parse(body, errors, { allowTrailingComma: true, disallowComments: false });
  const first = errors[0];
  if (first) {
    const { line, column } = lineColumn(body, first.offset);
    let what = JSON_PROBLEMS[first.error];
    if (first.error === ParseErrorCode.InvalidSymbol) {
      const token = body.slice(first.offset, first.offset + Math.min(first.length, 30));
      what = `unexpected ${token}`;
      if (/^['\p{L}_$]/u.test(token)) what += ': names and text need "double quotes"';
    }
    throw new ConfigError(
      `${name}: not valid JSON at line ${line}, column ${column}${what ? ` (${what})` : ''}`,
    );
  }
  return value;
}

// ---------------------------------------------------------------------------------------- messages

/** `thresholds.failOn[2]`, `severity["O5.map"]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (typeof seg === 'string' && /^[A-Za-z_$][\w$]*$/.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(String(seg))}]`;
  }
  return out;
}

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  const s = JSON.stringify(value) ?? String(value);
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = root;
  for (const seg of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[seg];
  }
  return v;
}

/** Levenshtein distance. */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
    }
    prev = cur;
  }
  return prev[b.length]!;
}

const fold = (s: string): string => s.toLowerCase().replace(/[-_\s]/g, '');

/**
 * The known key closest to `key` in the object at dotted path `parent` ('' for the top level), as a full
 * dotted path; or a key of another object when it matches (top-level "failUnder" → "thresholds.failUnder").
 * Null when nothing is close. Case, "-" and "_" are ignored ("max-pages" → "maxPages").
 */
export function suggestKey(key: string, parent: string): string | null {
  const f = fold(key);
  let best: { shown: string; d: number; own: boolean } | null = null;
  for (const [obj, keys] of Object.entries(KNOWN_KEYS)) {
    const own = obj === parent;
    for (const k of keys) {
      const d = editDistance(f, fold(k));
      const limit = own ? Math.max(2, Math.floor(k.length / 3)) : k.length >= 5 ? 1 : 0;
      if (d > limit) continue;
      if (!best || d < best.d || (d === best.d && own && !best.own))
        best = { shown: obj ? `${obj}.${k}` : k, d, own };
    }
  }
  return best?.shown ?? null;
}

function describeIssue(issue: z.core.$ZodIssue, raw: unknown, name: string): string {
  const path = issue.path as PropertyKey[];
  const where = formatPath(path);
  if (issue.code === 'unrecognized_keys') {
    const parent = path.filter((s): s is string => typeof s === 'string').join('.');
    const key = issue.keys[0] ?? '';
    const full = where ? `${where}.${key}` : key;
    const hint = suggestKey(key, parent);
    const more = issue.keys.length > 1 ? ` (and ${issue.keys.length - 1} more unknown)` : '';
    return `${name}: unknown field "${full}"${hint ? ` (did you mean "${hint}"?)` : ''}${more}`;
  }
  if (issue.code === 'invalid_key') {
    const parentPath = formatPath(path.slice(0, -1));
    return `${name}: ${parentPath} has a bad key ${show(path[path.length - 1])}: it must be ${SEVERITY_KEY_HINT}`;
  }
  if (path.length === 0) return `${name}: the config must be a JSON object (got ${show(raw)})`;
  return `${name}: ${where} ${issue.message} (got ${show(valueAt(raw, path))})`;
}

// ---------------------------------------------------------------------------------------- loading

const PATH_FIELDS = ['urls', 'baseline'] as const;

/**
 * Reads, parses and validates a config file. Relative paths in it (`urls`, `baseline`, `outputs.*`) are
 * relative to the file's folder and come back resolved to absolute paths.
 */
export function loadConfig(path: string): Config {
  const name = displayName(resolve(path));
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'it is a folder'
          : code === 'EACCES'
            ? 'permission denied'
            : (code ?? String(err));
    throw new ConfigError(`${name}: cannot read the file (${why})`);
  }
  const raw = parseJsonc(text, name);
  const result = ConfigSchema.safeParse(raw);
  if (!result.success) {
    // An unknown key is most often the typo behind everything else: report it first.
    const issues = [...result.error.issues].sort(
      (a, b) => Number(b.code === 'unrecognized_keys') - Number(a.code === 'unrecognized_keys'),
    );
    const first = issues[0]!;
    const rest =
      issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : '';
    throw new ConfigError(describeIssue(first, raw, name) + rest);
  }
  const config = result.data;
  const dir = dirname(resolve(path));
  for (const f of PATH_FIELDS) if (config[f] !== undefined) config[f] = resolve(dir, config[f]);
  if (config.outputs) {
    const o = config.outputs;
    for (const k of ['json', 'html', 'junit', 'markdown'] as const)
      if (o[k] !== undefined) o[k] = resolve(dir, o[k]);
  }
  return config;
}

// ---------------------------------------------------------------------------------------- merging

/** The `scan` defaults (as in src/cli/main.ts): below the config file, which is below the flags. */
export const SCAN_DEFAULTS = {
  framework: 'ita-2564',
  maxPages: 400,
  maxDepth: 8,
  maxDocuments: 500,
  concurrency: 4,
  timeout: 20000,
  ignoreRobots: false,
  lang: 'th',
  failOnRegression: false,
  quiet: false,
} as const;

/** One flat set of scan options: config fields with `outputs.*` and `thresholds.*` lifted to the top. */
export interface ScanOptions {
  site?: string;
  framework: string;
  maxPages: number;
  maxDepth: number;
  maxDocuments: number;
  concurrency: number;
  /** Per-request timeout in milliseconds. */
  timeout: number;
  userAgent?: string;
  ignoreRobots: boolean;
  asOf?: string;
  iit?: number;
  eit?: number;
  lang: 'th' | 'en';
  /** Path of an ITAS URL list (CSV or JSON). */
  urls?: string;
  json?: string;
  html?: string;
  junit?: string;
  markdown?: string;
  failUnder?: number;
  failOn?: 'any' | string[];
  failOnRegression: boolean;
  baseline?: string;
  /** "O5.map" → severity; flags' entries replace the file's key by key. */
  severity: Record<string, Severity>;
  quiet: boolean;
}

/** Only the flags the user set on the command line (commander's getOptionValueSource(name) === 'cli'). */
export type ScanFlags = Partial<ScanOptions>;

/** Defaults, then the config file, then the flags; an undefined flag leaves the value below it. */
export function mergeOptions(config: Config, flags: ScanFlags): ScanOptions {
  const { outputs, thresholds, severity, ...top } = config;
  const fromFile: ScanFlags = { ...top, ...outputs, ...thresholds };
  const out: Record<string, unknown> = { ...SCAN_DEFAULTS };
  for (const layer of [fromFile, flags] as Record<string, unknown>[])
    for (const [k, v] of Object.entries(layer)) if (v !== undefined && k !== 'severity') out[k] = v;
  out.severity = { ...(severity ?? {}), ...(flags.severity ?? {}) };
  return out as unknown as ScanOptions;
}
