// Loads a framework's rule data from rules/<id>/framework.json and validates it.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';
import { type Framework, FrameworkPatchSchema, FrameworkSchema } from './schema.js';

export class RuleDataError extends Error {}

/** rules/ at the package root, whether running from src/ (tests) or dist/src/ (built). */
export function defaultRulesDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    if (existsSync(join(dir, 'rules', 'ita-2564'))) return join(dir, 'rules');
    dir = dirname(dir);
  }
  throw new RuleDataError('cannot find the rules/ folder');
}

export function listFrameworks(rulesDir = defaultRulesDir()): string[] {
  return readdirSync(rulesDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(rulesDir, d.name, 'framework.json')))
    .map((d) => d.name)
    .sort();
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new RuleDataError(`${file}: ${(err as Error).message}`);
  }
}

function describe(error: z.ZodError, file: string): string {
  const first = error.issues[0];
  const where = first?.path.length ? first.path.join('.') : '(root)';
  return `${file}: invalid rule data at ${where}: ${first?.message ?? error.message}`;
}

export function loadFramework(id: string, rulesDir = defaultRulesDir(), seen: string[] = []): Framework {
  if (!/^[a-z0-9-]+$/.test(id)) throw new RuleDataError(`unknown framework "${id}"`);
  const file = join(rulesDir, id, 'framework.json');
  if (!existsSync(file))
    throw new RuleDataError(`unknown framework "${id}" (available: ${listFrameworks(rulesDir).join(', ')})`);
  if (seen.includes(id))
    throw new RuleDataError(`framework ${id} extends itself (${[...seen, id].join(' → ')})`);
  const raw = readJson(file);
  if (raw && typeof raw === 'object' && 'extends' in raw) {
    const patch = FrameworkPatchSchema.safeParse(raw);
    if (!patch.success) throw new RuleDataError(describe(patch.error, file));
    const base = loadFramework(patch.data.extends, rulesDir, [...seen, id]);
    // Only the fields a patch names replace the base's: zod fills defaults ([]) for the ones it omits.
    const rawChanges = ((raw as { itemChanges?: Record<string, object> }).itemChanges ?? {}) as Record<
      string,
      object
    >;
    const items = base.items.map((item) => {
      const parsed = (patch.data.itemChanges[item.id] ?? {}) as Record<string, unknown>;
      const named = Object.keys(rawChanges[item.id] ?? {});
      return { ...item, ...Object.fromEntries(named.map((k) => [k, parsed[k]])) };
    });
    const merged = {
      ...base,
      id: patch.data.id,
      name: patch.data.name,
      fiscalYear: patch.data.fiscalYear,
      assessmentWindow: patch.data.assessmentWindow,
      items,
    };
    const parsed = FrameworkSchema.safeParse(merged);
    if (!parsed.success) throw new RuleDataError(describe(parsed.error, file));
    return parsed.data;
  }
  const parsed = FrameworkSchema.safeParse(raw);
  if (!parsed.success) throw new RuleDataError(describe(parsed.error, file));
  return parsed.data;
}
