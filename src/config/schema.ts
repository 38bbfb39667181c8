// The config file ita-check.config.json: optional fields that mirror the `scan` flags, plus outputs, CI
// thresholds, a baseline and per-check severity overrides. Strict: an unknown key is an error, so a typo
// never passes silently. Every schema carries its own message, worded to follow the field's path
// ("thresholds.failUnder must be a number from 0 to 100"); load.ts adds the file, the path and the value.
import { z } from 'zod';

/** An item id as written in the config: exactly O1 … O43. */
export const ITEM_ID = /^O([1-9]|[1-3]\d|4[0-3])$/;
/** A severity key: an item id, a dot, and a component or check id ("O5.map", "O11.period-coverage"). */
export const SEVERITY_KEY = /^O([1-9]|[1-3]\d|4[0-3])\.[A-Za-z0-9][A-Za-z0-9_-]*$/;
export const SEVERITY_KEY_HINT =
  'an item id O1–O43, a dot and a component or check id, e.g. "O5.map"' as const;

export const SEVERITIES = ['fail', 'review', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

function number(min: number, max: number, whole: boolean) {
  const error = `must be a ${whole ? 'whole number' : 'number'} from ${min} to ${max}`;
  const n = z.number({ error });
  return (whole ? n.int({ error }) : n).min(min, { error }).max(max, { error });
}

const text = (what: string) =>
  z
    .string({ error: `must be ${what}` })
    .trim()
    .min(1, { error: `must be ${what}` });
const path = text('a file path (a non-empty string)');
const bool = z.boolean({ error: 'must be true or false' });

const httpUrl = z.string({ error: 'must be a full http(s) URL, e.g. "https://www.example.go.th"' }).refine(
  (s) => {
    try {
      const u = new URL(s);
      return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
    } catch {
      return false;
    }
  },
  { error: 'must be a full http(s) URL, e.g. "https://www.example.go.th"' },
);

const isoDate = z.string({ error: 'must be a date YYYY-MM-DD' }).refine(
  (s) => {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
    if (!m) return false;
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const date = new Date(Date.UTC(y, mo - 1, d));
    return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
  },
  { error: 'must be a date YYYY-MM-DD' },
);

export const OutputsSchema = z.strictObject(
  { json: path.optional(), html: path.optional(), junit: path.optional(), markdown: path.optional() },
  { error: 'must be an object such as { "json": "report.json" }' },
);

const itemId = z.string({ error: 'must be an item id O1–O43' }).regex(ITEM_ID, {
  error: 'must be an item id O1–O43',
});

export const ThresholdsSchema = z.strictObject(
  {
    failUnder: number(0, 100, false).optional(),
    failOn: z
      .union([z.literal('any'), z.array(itemId)], {
        error: 'must be "any" or a list of item ids such as ["O1", "O5"]',
      })
      .optional(),
    failOnRegression: bool.optional(),
  },
  { error: 'must be an object such as { "failUnder": 80 }' },
);

export const SeverityMapSchema = z.record(
  z.string().regex(SEVERITY_KEY, { error: `must be ${SEVERITY_KEY_HINT}` }),
  z.enum(SEVERITIES, { error: 'must be "fail", "review" or "info"' }),
  { error: 'must be an object such as { "O5.map": "review" }' },
);

export const ConfigSchema = z.strictObject(
  {
    site: httpUrl.optional(),
    framework: z
      .string({ error: 'must be a framework id such as "ita-2564"' })
      .regex(/^[a-z0-9-]+$/, { error: 'must be a framework id such as "ita-2564"' })
      .optional(),
    maxPages: number(1, 100000, true).optional(),
    maxDepth: number(0, 50, true).optional(),
    maxDocuments: number(0, 100000, true).optional(),
    concurrency: number(1, 32, true).optional(),
    timeout: number(100, 600000, true).optional(),
    userAgent: text('a non-empty string').optional(),
    ignoreRobots: bool.optional(),
    asOf: isoDate.optional(),
    iit: number(0, 100, false).optional(),
    eit: number(0, 100, false).optional(),
    lang: z.enum(['th', 'en'], { error: 'must be "th" or "en"' }).optional(),
    urls: path.optional(),
    outputs: OutputsSchema.optional(),
    thresholds: ThresholdsSchema.optional(),
    baseline: path.optional(),
    severity: SeverityMapSchema.optional(),
  },
  { error: 'must be a JSON object' },
);

export type Config = z.infer<typeof ConfigSchema>;
export type Outputs = z.infer<typeof OutputsSchema>;
export type Thresholds = z.infer<typeof ThresholdsSchema>;

/** Known keys of each object in the config, by dotted path ('' is the top level): for "did you mean". */
export const KNOWN_KEYS: Record<string, readonly string[]> = {
  '': Object.keys(ConfigSchema.shape),
  outputs: Object.keys(OutputsSchema.shape),
  thresholds: Object.keys(ThresholdsSchema.shape),
};
