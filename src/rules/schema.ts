// The shape of a framework's rule data (rules/<framework>/framework.json), validated when loaded.
// The engine knows check *types*; which item uses which check, with what terms, is data.
import { z } from 'zod';

export const BilingualSchema = z.object({ th: z.string().min(1), en: z.string().min(1) }).strict();

/** Messages may use {year}, {prevYear}, {yearShort}, {missing}/{missingEn}, {found}/{foundEn}, {status}, {item}, {url}, {host}. */
const Messages = z.record(z.string(), BilingualSchema);

/** A required component of the evidence: present when any of its terms (Thai-normalised) is found. */
export const ComponentSchema = z
  .object({
    id: z.string().min(1),
    name: BilingualSchema,
    terms: z.array(z.string().min(1)).min(1),
    /** Components the criteria notes mark unconfirmed can be softened to review or info by the user. */
    severity: z.enum(['fail', 'review', 'info']).default('fail'),
  })
  .strict();

const Base = {
  /** Overrides of the check's default finding texts, keyed by finding code. */
  messages: Messages.optional(),
  /** A user may soften a check whose criterion is unconfirmed. */
  severity: z.enum(['fail', 'review', 'info']).optional(),
};

export const CheckSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('url-present'), ...Base }).strict(),
  z.object({ type: z.literal('reachable'), ...Base }).strict(),
  z
    .object({
      type: z.literal('on-main-site'),
      ...Base,
      /** Channels (Q&A, social, e-service, complaints) may live on another host when the main site links to them. */
      offsiteChannel: z.enum(['allow-if-linked', 'fail']).default('fail'),
      /** A document hosted elsewhere (Google Drive …). */
      offsiteDocument: z.enum(['fail', 'review']).default('review'),
    })
    .strict(),
  z.object({ type: z.literal('linked-from-home'), ...Base }).strict(),
  z
    .object({
      type: z.literal('fiscal-year'),
      ...Base,
      /** current = the framework's fiscal year; previous = the one before (annual reports). */
      year: z.enum(['current', 'previous']),
    })
    .strict(),
  z
    .object({
      type: z.literal('period-coverage'),
      ...Base,
      /**
       * months: every month of [from, to] (offsets in the fiscal year, 1 = October) must be shown by content.
       * whole-year: the plan spans the whole fiscal year. previous-year: covers the previous fiscal year.
       * current-activity: dated within the fiscal year up to the assessment. multi-year: a span that includes the year.
       */
      mode: z.enum(['months', 'whole-year', 'previous-year', 'current-activity', 'multi-year']),
      fromMonth: z.number().int().min(1).max(12).optional(),
      toMonth: z.number().int().min(1).max(12).optional(),
    })
    .strict()
    .refine((c) => c.mode === 'months' || (c.fromMonth === undefined && c.toMonth === undefined), {
      message: 'fromMonth/toMonth go with mode "months" only',
    })
    .refine((c) => (c.fromMonth ?? 1) <= (c.toMonth ?? 12), {
      message: 'fromMonth must not be after toMonth',
    }),
  z
    .object({
      type: z.literal('components'),
      ...Base,
      /** Where the terms are looked for: the evidence's text (pages and documents), or the whole site. */
      scope: z.enum(['evidence', 'site']).default('evidence'),
      all: z.array(ComponentSchema).min(1),
    })
    .strict(),
  z
    .object({
      type: z.literal('people-contacts'),
      ...Base,
      /** Words that introduce a person's position (นายก, ปลัด, ผู้อำนวยการ …). */
      positionTerms: z.array(z.string().min(1)).min(1),
      contactTerms: z.array(z.string().min(1)).min(1),
      /** A page listing executives with no photo at all: fail, review, or not checked. */
      photo: z.enum(['fail', 'review', 'off']).default('fail'),
    })
    .strict(),
  z
    .object({
      type: z.literal('external-links'),
      ...Base,
      /** Hosts (suffixes) that count, e.g. facebook.com, line.me. */
      hosts: z.array(z.string().min(1)).min(1),
      /** Where to look: the evidence pages, or any page of the site. */
      scope: z.enum(['evidence', 'site']).default('site'),
      /** Link texts that name another organisation (the national DLA's page is not the agency's own). */
      excludeTerms: z.array(z.string().min(1)).default([]),
    })
    .strict(),
  z
    .object({
      type: z.literal('online-channel'),
      ...Base,
      /** Terms that show an online system when there is no form (e.g. "ระบบ", "ยื่นคำร้องออนไลน์"). */
      systemTerms: z.array(z.string().min(1)).default([]),
      /** Terms on the page that show the channel keeps the sender confidential. */
      confidentialTerms: z.array(z.string().min(1)).optional(),
      /** Terms that show a public listing of posts (a webboard): not confidential. */
      publicListingTerms: z.array(z.string().min(1)).optional(),
      /**
       * Labels of the person who complained ("ผู้ร้องเรียน"): followed on the page by people's names
       * (นาย/นาง/นางสาว …), the page lists who complained, so it does not keep them confidential.
       */
      namedListingTerms: z.array(z.string().min(1)).optional(),
    })
    .strict(),
  z
    .object({
      type: z.literal('has-content'),
      ...Base,
      /** Placeholder phrases that mean there is nothing yet ("อยู่ระหว่างดำเนินการ"). */
      placeholderTerms: z.array(z.string().min(1)).default([]),
      minChars: z.number().int().min(0).default(80),
    })
    .strict(),
  z.object({ type: z.literal('depends-on'), ...Base, item: z.string().regex(/^O\d{1,2}$/) }).strict(),
]);
export type Check = z.infer<typeof CheckSchema>;
export type CheckType = Check['type'];

export const ItemSchema = z
  .object({
    id: z.string().regex(/^O\d{1,2}$/),
    subIndicator: z.string().regex(/^\d+\.\d+$/),
    group: BilingualSchema,
    name: BilingualSchema,
    /** Other names the item goes by on real sites (menus, vendor CMS labels), for discovery. */
    synonyms: z.array(z.string().min(1)).default([]),
    /** Words in a URL path that hint at the item (e.g. "structure", "e-service"). */
    urlHints: z.array(z.string().min(1)).default([]),
    /** page: information on a page or document; document: a report or plan; channel: an online channel. */
    kind: z.enum(['page', 'document', 'channel']),
    /** What the evidence must show, in the evaluator's words (shown in reports). */
    criteria: BilingualSchema,
    checks: z.array(CheckSchema).min(1),
  })
  .strict();
export type Item = z.infer<typeof ItemSchema>;

export const FrameworkSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/),
    name: BilingualSchema,
    /** Buddhist-era fiscal year N: 1 Oct (N-1) – 30 Sep N. */
    fiscalYear: z.number().int().min(2550).max(2700),
    /** The OIT answer window: "current" and "up to the assessment" mean this, whatever today is. */
    assessmentWindow: z.object({ from: z.iso.date(), to: z.iso.date() }).strict(),
    /** Words that name the agency's ITA/OIT index page. */
    indexKeywords: z.array(z.string().min(1)).min(1),
    indicators: z.array(z.object({ id: z.string(), name: BilingualSchema }).strict()).min(1),
    subIndicators: z
      .array(z.object({ id: z.string(), indicator: z.string(), name: BilingualSchema }).strict())
      .min(1),
    items: z.array(ItemSchema).min(1),
  })
  .strict()
  .superRefine((fw, ctx) => {
    const subs = new Set(fw.subIndicators.map((s) => s.id));
    const inds = new Set(fw.indicators.map((i) => i.id));
    const ids = new Set<string>();
    for (const s of fw.subIndicators) {
      if (!inds.has(s.indicator))
        ctx.addIssue({
          code: 'custom',
          message: `sub-indicator ${s.id} names unknown indicator ${s.indicator}`,
        });
    }
    for (const [i, item] of fw.items.entries()) {
      if (ids.has(item.id))
        ctx.addIssue({ code: 'custom', path: ['items', i, 'id'], message: `duplicate ${item.id}` });
      ids.add(item.id);
      if (!subs.has(item.subIndicator))
        ctx.addIssue({
          code: 'custom',
          path: ['items', i, 'subIndicator'],
          message: `${item.id}: unknown sub-indicator ${item.subIndicator}`,
        });
    }
    for (const [i, item] of fw.items.entries()) {
      for (const c of item.checks) {
        if (c.type === 'depends-on' && !ids.has(c.item))
          ctx.addIssue({
            code: 'custom',
            path: ['items', i],
            message: `${item.id} depends on unknown ${c.item}`,
          });
      }
    }
  });
export type Framework = z.infer<typeof FrameworkSchema>;

/** A later framework written as changes to an earlier one: same items, years shifted, some items replaced. */
export const FrameworkPatchSchema = z
  .object({
    extends: z.string(),
    id: z.string().regex(/^[a-z0-9-]+$/),
    name: BilingualSchema,
    fiscalYear: z.number().int().min(2550).max(2700),
    assessmentWindow: z.object({ from: z.iso.date(), to: z.iso.date() }).strict(),
    /** Per item: fields replaced wholesale (name, synonyms, checks …). */
    itemChanges: z
      .record(z.string().regex(/^O\d{1,2}$/), ItemSchema.partial().omit({ id: true }))
      .default({}),
  })
  .strict();
export type FrameworkPatch = z.infer<typeof FrameworkPatchSchema>;
