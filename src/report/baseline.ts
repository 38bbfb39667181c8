// Per-finding baseline: compare a previous JSON report with the current one, item by item and finding by finding.
// A finding is keyed by item id + finding code + normalised evidence URL, so a new broken link on an item that
// already failed still shows up, and a site that moved host or port between scans does not churn every finding.
import { readFile } from 'node:fs/promises';
import { type Report, ReportSchema, SCHEMA_VERSION } from './schema.js';

type Verdict = Report['items'][number]['verdict'];
type Finding = Report['siteFindings'][number];

/** Pseudo item id used for findings about the whole site (report.siteFindings). */
export const SITE_ITEM = 'site';

export interface FindingChange {
  /** Item id (O1–O43), or "site" for a finding about the whole site. */
  item: string;
  code: string;
  severity: Finding['severity'];
  /** The finding's URL as reported ('' when it has none). */
  url: string;
  message: { th: string; en: string };
}

export interface VerdictChange {
  id: string;
  /** 'absent' when the item is not in that report (framework changed). */
  from: Verdict | 'absent';
  to: Verdict | 'absent';
}

export interface BaselineDiff {
  /** Items that fail now and did not fail (or did not exist) in the baseline. */
  newlyFailingItems: string[];
  /** Items that failed in the baseline and pass now (fail → review is a verdict change, not a fix). */
  fixedItems: string[];
  /** Every item whose verdict differs, including the newly failing and fixed ones, in item order. */
  verdictChanges: VerdictChange[];
  newFindings: FindingChange[];
  resolvedFindings: FindingChange[];
  /** Confirmed OIT score. */
  scoreChange: { from: number; to: number; delta: number };
  /** An item went pass → fail or pass → review, or a finding of severity 'fail' is new. */
  regression: boolean;
  /** When the baseline scan finished (report.finishedAt). */
  baselineFinishedAt: string;
  /** The two reports were judged against different frameworks: expect many changes. */
  frameworkChanged: boolean;
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

function hostsOf(report: Report): Set<string> {
  const hosts = new Set(report.site.hosts.map((h) => h.toLowerCase()));
  for (const u of [report.site.url, report.site.finalUrl]) {
    try {
      hosts.add(new URL(u).host.toLowerCase());
    } catch {
      // not a URL: nothing to add
    }
  }
  return hosts;
}

/**
 * The URL part of a finding key: path + query for the site's own hosts (so a host/port/scheme change between
 * scans does not matter), host + path + query elsewhere. Trailing slashes, fragments and percent-escape case
 * are ignored. A missing URL is ''.
 */
export function normaliseFindingUrl(url: string | undefined, siteHosts: ReadonlySet<string>): string {
  if (!url) return '';
  let u: URL;
  try {
    u = new URL(url.trim());
  } catch {
    return url.trim();
  }
  let path = u.pathname.replace(/%[0-9a-f]{2}/gi, (m) => m.toUpperCase());
  path = path.replace(/\/+$/, '');
  const query = u.search === '?' ? '' : u.search;
  const own = siteHosts.has(u.host.toLowerCase());
  return own ? `${path}${query}` : `${u.host.toLowerCase()}${path}${query}`;
}

interface Keyed {
  key: string;
  change: FindingChange;
}

function keyedFindings(report: Report): Keyed[] {
  const hosts = hostsOf(report);
  const out: Keyed[] = [];
  const add = (item: string, f: Finding) => {
    out.push({
      key: `${item}\u0000${f.code}\u0000${normaliseFindingUrl(f.url, hosts)}`,
      change: { item, code: f.code, severity: f.severity, url: f.url ?? '', message: f.message },
    });
  };
  for (const item of report.items) for (const f of item.findings) add(item.id, f);
  for (const f of report.siteFindings) add(SITE_ITEM, f);
  return out;
}

function groupByKey(list: Keyed[]): Map<string, FindingChange[]> {
  const m = new Map<string, FindingChange[]>();
  for (const k of list) {
    const arr = m.get(k.key);
    if (arr) arr.push(k.change);
    else m.set(k.key, [k.change]);
  }
  return m;
}

/**
 * Several findings can share a key (e.g. two "component-missing" findings without a URL). Pair them up by
 * identical message first, then in order; what is left over on either side is new or resolved.
 */
function pairUp(
  prev: FindingChange[],
  cur: FindingChange[],
): { added: FindingChange[]; gone: FindingChange[] } {
  const p = [...prev];
  const added: FindingChange[] = [];
  const unmatched: FindingChange[] = [];
  for (const c of cur) {
    const i = p.findIndex((x) => x.message.th === c.message.th && x.message.en === c.message.en);
    if (i >= 0) p.splice(i, 1);
    else unmatched.push(c);
  }
  for (const c of unmatched) {
    if (p.length > 0) p.shift();
    else added.push(c);
  }
  return { added, gone: p };
}

export function diffReports(previous: Report, current: Report): BaselineDiff {
  const prevItems = new Map(previous.items.map((i) => [i.id, i]));
  const curItems = new Map(current.items.map((i) => [i.id, i]));
  const order = [
    ...current.items.map((i) => i.id),
    ...previous.items.map((i) => i.id).filter((id) => !curItems.has(id)),
  ];

  const newlyFailingItems: string[] = [];
  const fixedItems: string[] = [];
  const verdictChanges: VerdictChange[] = [];
  let regression = false;
  for (const id of order) {
    const from = prevItems.get(id)?.verdict ?? 'absent';
    const to = curItems.get(id)?.verdict ?? 'absent';
    if (from === to) continue;
    verdictChanges.push({ id, from, to });
    if (to === 'fail') newlyFailingItems.push(id);
    if (from === 'fail' && to === 'pass') fixedItems.push(id);
    if (from === 'pass' && (to === 'fail' || to === 'review')) regression = true;
  }

  const prevByKey = groupByKey(keyedFindings(previous));
  const curByKey = groupByKey(keyedFindings(current));
  const newFindings: FindingChange[] = [];
  const resolvedFindings: FindingChange[] = [];
  for (const [key, cur] of curByKey) {
    const { added, gone } = pairUp(prevByKey.get(key) ?? [], cur);
    newFindings.push(...added);
    resolvedFindings.push(...gone);
  }
  for (const [key, prev] of prevByKey) if (!curByKey.has(key)) resolvedFindings.push(...prev);
  if (newFindings.some((f) => f.severity === 'fail')) regression = true;

  // Report findings in item order (site findings last), as the items are.
  const rank = new Map(order.map((id, i) => [id, i]));
  const byItem = (a: FindingChange, b: FindingChange) =>
    (rank.get(a.item) ?? order.length) - (rank.get(b.item) ?? order.length);
  newFindings.sort(byItem);
  resolvedFindings.sort(byItem);

  return {
    newlyFailingItems,
    fixedItems,
    verdictChanges,
    newFindings,
    resolvedFindings,
    scoreChange: {
      from: previous.scores.oit,
      to: current.scores.oit,
      delta: round2(current.scores.oit - previous.scores.oit),
    },
    regression,
    baselineFinishedAt: previous.finishedAt,
    frameworkChanged: previous.framework.id !== current.framework.id,
  };
}

export type BaselineErrorKind = 'unreadable' | 'json' | 'schema' | 'version';

/** Thrown by loadBaseline / parseBaseline; `kind` lets the CLI treat a missing file (first run) gently. */
export class BaselineError extends Error {
  readonly kind: BaselineErrorKind;
  readonly path: string;
  constructor(path: string, kind: BaselineErrorKind, detail: string, cause?: unknown) {
    super(`baseline ${path}: ${detail}`, cause === undefined ? undefined : { cause });
    this.name = 'BaselineError';
    this.kind = kind;
    this.path = path;
  }
  /** The file does not exist (ENOENT), e.g. the first nightly run. */
  get missing(): boolean {
    return this.kind === 'unreadable' && (this.cause as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
  }
}

/** Validate the text of a baseline report; `path` is only used in error messages. */
export function parseBaseline(text: string, path: string): Report {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new BaselineError(path, 'json', `not valid JSON (${(err as Error).message})`, err);
  }
  const version = (data as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (typeof version === 'string') {
    const major = version.split('.')[0];
    if (major !== SCHEMA_VERSION.split('.')[0])
      throw new BaselineError(
        path,
        'version',
        `report schema ${version} cannot be compared with this ita-check (schema ${SCHEMA_VERSION}); rescan to make a new baseline`,
      );
  }
  const parsed = ReportSchema.safeParse(data);
  if (!parsed.success) {
    const issues = parsed.error.issues;
    const shown = issues
      .slice(0, 3)
      .map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`)
      .join('; ');
    const more = issues.length > 3 ? ` (+${issues.length - 3} more)` : '';
    throw new BaselineError(path, 'schema', `not an ita-check JSON report: ${shown}${more}`, parsed.error);
  }
  return parsed.data;
}

/** Read and validate a previous `--json` report. Throws BaselineError("baseline <path>: …"). */
export async function loadBaseline(path: string): Promise<Report> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const detail =
      code === 'ENOENT'
        ? 'file not found'
        : code === 'EISDIR'
          ? 'is a directory, not a JSON report'
          : `cannot read (${(err as Error).message})`;
    throw new BaselineError(path, 'unreadable', detail, err);
  }
  if (text.trim() === '') throw new BaselineError(path, 'json', 'file is empty');
  return parseBaseline(text, path);
}
