// Politeness towards one agency's server: a cap on requests in flight per host, a minimum delay between the
// starts of two requests to one host (raised by robots.txt crawl-delay), and pauses asked for by Retry-After.
// Every request of a crawl (pages, documents, robots.txt, sitemaps, redirect hops, retries) passes this gate.

/** Default minimum delay between the starts of two requests to one host, ms. */
export const DEFAULT_DELAY_MS = 100;
/** robots.txt crawl-delay is honoured up to this, ms. */
export const MAX_CRAWL_DELAY_MS = 10_000;
/** Retry-After is honoured up to this, ms. */
export const MAX_RETRY_AFTER_MS = 60_000;

/** What the fetcher asks of a gate; see HostGate. */
export interface RequestGate {
  /** Wait for a slot and the delay on the URL's host; resolves with the release (or null when aborted). */
  acquire(url: string, signal?: AbortSignal): Promise<(() => void) | null>;
  /** The host asked us to stay away for `ms` (Retry-After): no request to it starts before then. */
  pause(url: string, ms: number): void;
}

export interface HostGateOptions {
  /** Requests in flight per host; default 4. */
  concurrency?: number;
  /** Minimum delay between the starts of two requests to one host, ms; default 100 (0 disables). */
  delayMs?: number;
  /**
   * Loopback hosts (localhost, 127.0.0.0/8, ::1) get no delay: the server is the user's own machine (a demo,
   * a local mirror, tests). Robots.txt crawl-delay still applies to them. Default false.
   */
  exemptLoopback?: boolean;
}

/** True for localhost, *.localhost, 127.0.0.0/8 and ::1 (a host with or without its port). */
export function isLoopbackHost(host: string): boolean {
  const h = host
    .toLowerCase()
    .replace(/:\d+$/, '')
    .replace(/^\[|\]$/g, '');
  return h === 'localhost' || h.endsWith('.localhost') || /^127\.\d+\.\d+\.\d+$/.test(h) || h === '::1';
}

interface Waiter {
  resolve: (release: (() => void) | null) => void;
  signal: AbortSignal | undefined;
  onAbort: () => void;
}

interface HostState {
  active: number;
  queue: Waiter[];
  /** Start time of the last request, ms (epoch); -Infinity when none yet. */
  lastStart: number;
  delayMs: number;
  pausedUntil: number;
  timer: ReturnType<typeof setTimeout> | null;
}

/** Host (with port) of a URL, or the string itself when it does not parse. */
function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/**
 * Per-host request gate. Waiters are served first come, first served: a request starts when its host has a
 * free slot, the host's delay has passed since the previous start, and no Retry-After pause is running.
 */
export class HostGate implements RequestGate {
  private readonly hosts = new Map<string, HostState>();
  private readonly concurrency: number;
  private readonly delayMs: number;
  private readonly exemptLoopback: boolean;

  constructor(opts: HostGateOptions = {}) {
    this.concurrency = Math.max(1, Math.floor(opts.concurrency ?? 4));
    this.delayMs = Math.max(0, opts.delayMs ?? DEFAULT_DELAY_MS);
    this.exemptLoopback = opts.exemptLoopback ?? false;
  }

  private state(host: string): HostState {
    let s = this.hosts.get(host);
    if (!s) {
      s = {
        active: 0,
        queue: [],
        lastStart: Number.NEGATIVE_INFINITY,
        delayMs: this.exemptLoopback && isLoopbackHost(host) ? 0 : this.delayMs,
        pausedUntil: 0,
        timer: null,
      };
      this.hosts.set(host, s);
    }
    return s;
  }

  /** The delay now used for a host, ms. */
  delayFor(urlOrHost: string): number {
    return this.state(urlOrHost.includes('/') ? hostOf(urlOrHost) : urlOrHost).delayMs;
  }

  /** robots.txt `Crawl-delay` (seconds) for the URL's host: raises its delay, capped at 10 s. */
  setCrawlDelay(url: string, seconds: number | undefined): void {
    if (seconds === undefined || !Number.isFinite(seconds) || seconds <= 0) return;
    const s = this.state(hostOf(url));
    s.delayMs = Math.max(s.delayMs, Math.min(seconds * 1000, MAX_CRAWL_DELAY_MS));
  }

  pause(url: string, ms: number): void {
    if (!Number.isFinite(ms) || ms <= 0) return;
    const host = hostOf(url);
    const s = this.state(host);
    s.pausedUntil = Math.max(s.pausedUntil, Date.now() + Math.min(ms, MAX_RETRY_AFTER_MS));
    this.pump(host, s);
  }

  acquire(url: string, signal?: AbortSignal): Promise<(() => void) | null> {
    if (signal?.aborted) return Promise.resolve(null);
    const host = hostOf(url);
    const s = this.state(host);
    return new Promise((resolve) => {
      const waiter: Waiter = {
        resolve,
        signal,
        onAbort: () => {
          const i = s.queue.indexOf(waiter);
          if (i >= 0) s.queue.splice(i, 1);
          resolve(null);
          this.pump(host, s);
        },
      };
      signal?.addEventListener('abort', waiter.onAbort, { once: true });
      s.queue.push(waiter);
      this.pump(host, s);
    });
  }

  private pump(host: string, s: HostState): void {
    if (s.timer) {
      clearTimeout(s.timer);
      s.timer = null;
    }
    while (s.queue.length && s.active < this.concurrency) {
      const now = Date.now();
      const wait = Math.max(s.lastStart + s.delayMs, s.pausedUntil) - now;
      if (wait > 0) {
        s.timer = setTimeout(() => {
          s.timer = null;
          this.pump(host, s);
        }, wait);
        return;
      }
      const w = s.queue.shift()!;
      w.signal?.removeEventListener('abort', w.onAbort);
      s.active++;
      s.lastStart = now;
      let released = false;
      w.resolve(() => {
        if (released) return;
        released = true;
        s.active--;
        this.pump(host, s);
      });
    }
  }
}

/**
 * Retry-After as ms from now: delta-seconds or an HTTP date, capped at `max` (default 60 s); null when absent
 * or unreadable. A date in the past gives 0.
 */
export function parseRetryAfter(
  value: string | null | undefined,
  now = Date.now(),
  max = MAX_RETRY_AFTER_MS,
): number | null {
  if (value === null || value === undefined) return null;
  const v = value.trim();
  if (v === '') return null;
  if (/^\d+(\.\d+)?$/.test(v)) return Math.min(Number(v) * 1000, max);
  const at = Date.parse(v);
  if (Number.isNaN(at)) return null;
  return Math.min(Math.max(0, at - now), max);
}

/** Exponential backoff with jitter: base·2^attempt, plus up to as much again at random. */
export function backoffMs(attempt: number, baseMs: number): number {
  const d = baseMs * 2 ** Math.min(attempt, 10);
  return d + Math.random() * d;
}
