// The JSON report contract. Users' scripts rely on these names: add fields, never rename them.
import { z } from 'zod';

export const SCHEMA_VERSION = '1.0.0';

const Bilingual = z.object({ th: z.string(), en: z.string() });

export const FindingSchema = z.object({
  code: z.string().describe('Stable finding code, e.g. no-url, months-missing'),
  severity: z.enum(['fail', 'review', 'info']),
  message: Bilingual,
  url: z.string().optional(),
  page: z.number().int().optional().describe('PDF page the finding refers to'),
  excerpt: z.string().optional().describe('Short excerpt of what was read'),
  fix: Bilingual.optional().describe('How to fix it'),
});

export const EvidenceSchema = z.object({
  url: z.string(),
  via: z.enum(['itas-list', 'ita-index', 'ita-item-page', 'menu', 'title', 'content']),
  linkText: z.string(),
  status: z.number().int().nullable(),
  contentType: z.string().nullable(),
  path: z.array(z.string()).describe('Click path from the homepage: link texts in order'),
  screenshot: z.string().optional().describe('Path of a screenshot of the page (--screenshots)'),
});

export const CheckResultSchema = z.object({
  check: z.string(),
  outcome: z.enum(['pass', 'fail', 'review', 'skip']),
  /** What satisfied the check, so a user can see why it passed. */
  satisfiedBy: z.array(
    z.object({ url: z.string(), page: z.number().int().optional(), excerpt: z.string().optional() }),
  ),
});

export const ItemResultSchema = z.object({
  id: z.string().regex(/^O\d{1,2}$/),
  name: Bilingual,
  subIndicator: z.string(),
  group: Bilingual,
  verdict: z.enum(['pass', 'fail', 'review']),
  score: z.union([z.literal(100), z.literal(0), z.null()]).describe('100 pass, 0 fail, null review'),
  evidence: z.array(EvidenceSchema),
  findings: z.array(FindingSchema),
  checks: z.array(CheckResultSchema),
});

const ScoreMap = z.record(z.string(), z.number());

export const ReportSchema = z.object({
  schemaVersion: z.string(),
  tool: z.object({ name: z.literal('ita-check'), version: z.string() }),
  site: z.object({
    url: z.string(),
    finalUrl: z.string(),
    hosts: z.array(z.string()),
    title: z.string().optional(),
  }),
  framework: z.object({
    id: z.string(),
    name: Bilingual,
    indicators: z
      .array(z.object({ id: z.string(), name: Bilingual }))
      .optional()
      .describe("The framework's indicators (9, 10) and their names (reports since 0.1.0 carry them)"),
    subIndicators: z
      .array(z.object({ id: z.string(), indicator: z.string(), name: Bilingual }))
      .optional()
      .describe("The framework's sub-indicators (9.1–10.2) and their names"),
  }),
  fiscalYear: z.number().int(),
  asOf: z.string().describe('Date the assessment is judged at (end of the framework window unless --as-of)'),
  startedAt: z.string(),
  finishedAt: z.string(),
  items: z.array(ItemResultSchema),
  scores: z.object({
    subIndicators: ScoreMap,
    indicators: ScoreMap,
    oit: z.number().describe('Confirmed OIT score: review counted as 0'),
    oitPotential: z.number().describe('Potential OIT score: review counted as 100'),
    grade: z.string().describe('Grade of the confirmed OIT score (AA–F)'),
    counts: z.object({ pass: z.number().int(), fail: z.number().int(), review: z.number().int() }),
    ita: z
      .object({ iit: z.number(), eit: z.number(), oit: z.number(), total: z.number(), grade: z.string() })
      .optional()
      .describe('Present when --iit and --eit are given'),
  }),
  crawl: z.object({
    pages: z.number().int(),
    documents: z.number().int(),
    requests: z.number().int(),
    bytes: z.number().int(),
    durationMs: z.number(),
    errors: z.array(z.object({ url: z.string(), class: z.string(), message: z.string() })),
  }),
  siteFindings: z
    .array(FindingSchema)
    .describe('Findings about the whole site (TLS, robots, unreachable pages)'),
  baseline: z
    .object({
      file: z.string(),
      finishedAt: z.string(),
      newlyFailingItems: z.array(z.string()),
      fixedItems: z.array(z.string()),
      verdictChanges: z.array(z.object({ id: z.string(), from: z.string(), to: z.string() })),
      newFindings: z.array(
        z.object({ item: z.string(), code: z.string(), url: z.string(), message: Bilingual }),
      ),
      resolvedFindings: z.array(
        z.object({ item: z.string(), code: z.string(), url: z.string(), message: Bilingual }),
      ),
      scoreChange: z.object({ from: z.number(), to: z.number(), delta: z.number() }),
      regression: z.boolean(),
    })
    .optional()
    .describe('Changes since the --baseline report, when one was given'),
});

export type Report = z.infer<typeof ReportSchema>;
export type ItemResult = z.infer<typeof ItemResultSchema>;
export type CheckResult = z.infer<typeof CheckResultSchema>;

export function reportJsonSchema(): unknown {
  return z.toJSONSchema(ReportSchema, { target: 'draft-2020-12' });
}
