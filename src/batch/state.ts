// <out>/batch-state.json: which sites of the batch are done, written atomically (temp file + rename) after
// each site, so an interrupted or crashed batch resumes where it stopped.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import type { BatchSite } from './sites.js';

export const STATE_FILE = 'batch-state.json';

const SiteEntrySchema = z.object({
  slug: z.string(),
  row: z.number().int(),
  name: z.string(),
  url: z.string(),
  list: z.string().optional(),
  /** Fingerprint of the row (name, URL, list path and content) and the scan options that judge it. */
  key: z.string(),
  status: z.enum(['ok', 'unreachable', 'error']),
  error: z.string().optional(),
  durationS: z.number(),
  finishedAt: z.string(),
});

export const BatchStateSchema = z.object({
  version: z.literal(1),
  source: z.string().optional(),
  startedAt: z.string(),
  updatedAt: z.string(),
  /** Every row has a result. */
  complete: z.boolean(),
  interrupted: z.boolean(),
  total: z.number().int(),
  sites: z.record(z.string(), SiteEntrySchema),
});

export type SiteEntry = z.infer<typeof SiteEntrySchema>;
export type BatchState = z.infer<typeof BatchStateSchema>;

/** Writes a file so that readers see the old or the new content, never half of it. */
export function writeFileAtomic(path: string, text: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

/** The state of a previous run, or undefined when there is none or it cannot be read. */
export function loadState(path: string): BatchState | undefined {
  if (!existsSync(path)) return undefined;
  try {
    const parsed = BatchStateSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export function saveState(path: string, state: BatchState): void {
  state.updatedAt = new Date().toISOString();
  writeFileAtomic(path, `${JSON.stringify(state, null, 2)}\n`);
}

/** Row + options fingerprint: a rerun redoes a site when any of these changed. */
export function siteKey(site: BatchSite, optionsKey: string): string {
  return createHash('sha256')
    .update(JSON.stringify([site.name, site.url, site.listPath ?? '', site.listHash ?? '', optionsKey]))
    .digest('hex')
    .slice(0, 32);
}
