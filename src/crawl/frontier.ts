// The crawl frontier: a binary heap of the URLs still to fetch, breadth first by default, best first (by the
// caller's priority) when asked. A URL met again with a better priority or at a shallower depth is queued
// anew and its older entry goes stale (skipped when it comes up), so the heap never has to be re-sorted.

export interface FrontierItem {
  url: string;
  depth: number;
  seq: number;
  priority: number;
  /** Seeded from a sitemap: after the links found at the same depth. */
  fromSitemap: boolean;
  /** Guessed from the extension, before fetching. */
  document: boolean;
  image: boolean;
  /** Replaced by a better entry for the same URL: skipped when popped. */
  stale?: boolean;
}

export type FrontierOrder = 'breadth-first' | 'best-first';

/** True when a comes before b: by depth, then priority (breadth first), or the other way round (best first). */
export function comesBefore(
  a: FrontierItem,
  b: FrontierItem,
  order: FrontierOrder = 'breadth-first',
): boolean {
  if (order === 'best-first' && a.priority !== b.priority) return a.priority > b.priority;
  if (a.depth !== b.depth) return a.depth < b.depth;
  if (a.fromSitemap !== b.fromSitemap) return !a.fromSitemap;
  if (a.priority !== b.priority) return a.priority > b.priority;
  if (a.image !== b.image) return !a.image;
  return a.seq < b.seq;
}

/** Binary heap of frontier items, best first; one live entry per URL. */
export class Frontier {
  private readonly items: FrontierItem[] = [];
  /** URL → its live (not stale) entry. */
  private readonly live = new Map<string, FrontierItem>();

  constructor(private readonly order: FrontierOrder = 'breadth-first') {}

  /** Live entries (stale ones left in the heap are not counted). */
  get size(): number {
    return this.live.size;
  }

  /** The live entry for a URL, while it waits. */
  get(url: string): FrontierItem | undefined {
    return this.live.get(url);
  }

  has(url: string): boolean {
    return this.live.has(url);
  }

  push(item: FrontierItem): void {
    const old = this.live.get(item.url);
    if (old && old !== item) old.stale = true;
    item.stale = false;
    this.live.set(item.url, item);
    const a = this.items;
    a.push(item);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.before(a[i]!, a[p]!)) break;
      [a[i], a[p]] = [a[p]!, a[i]!];
      i = p;
    }
  }

  /** Queues the URL again with a better priority and/or a shallower depth; false when neither improves. */
  improve(url: string, priority: number, depth: number): boolean {
    const old = this.live.get(url);
    if (!old || (priority <= old.priority && depth >= old.depth)) return false;
    this.push({ ...old, priority: Math.max(priority, old.priority), depth: Math.min(depth, old.depth) });
    return true;
  }

  /** The best live entry, without taking it. */
  peek(): FrontierItem | undefined {
    this.dropStale();
    return this.items[0];
  }

  pop(): FrontierItem | undefined {
    this.dropStale();
    const top = this.take();
    if (top) this.live.delete(top.url);
    return top;
  }

  private dropStale(): void {
    while (this.items.length && this.items[0]!.stale) this.take();
  }

  private take(): FrontierItem | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length && last) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && this.before(a[l]!, a[m]!)) m = l;
        if (r < a.length && this.before(a[r]!, a[m]!)) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m]!, a[i]!];
        i = m;
      }
    }
    return top;
  }

  private before(a: FrontierItem, b: FrontierItem): boolean {
    return comesBefore(a, b, this.order);
  }
}
