// Politeness: per-host in-flight cap, minimum delay between request starts (robots.txt crawl-delay raises
// it), Retry-After pauses, the User-Agent. The crawl's requests are read back from the fault server's log.
import { describe, expect, it } from 'vitest';
import { type FaultLogEntry, type FaultServer, startFaultServer } from '../../fixtures/lib/fault-server.js';
import { type CrawlOptions, crawlSite, DEFAULT_USER_AGENT, fetchResource } from '../../src/crawl/index.js';
import {
  backoffMs,
  HostGate,
  isLoopbackHost,
  MAX_CRAWL_DELAY_MS,
  MAX_RETRY_AFTER_MS,
  parseRetryAfter,
} from '../../src/crawl/politeness.js';
import type { CrawlResult } from '../../src/types.js';
import { VERSION } from '../../src/version.js';

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Gaps between consecutive request starts to one host, in arrival order. */
function startGaps(log: FaultLogEntry[]): number[] {
  const starts = log.map((e) => e.start).sort((a, b) => a - b);
  return starts.slice(1).map((t, i) => t - starts[i]!);
}

/** Most requests in flight at once, from the log's start/end times. */
function maxOverlap(log: FaultLogEntry[]): number {
  const events = log.flatMap((e) => [
    [e.start, 1],
    [e.end ?? Number.POSITIVE_INFINITY, -1],
  ]);
  // Ends before starts at the same instant.
  events.sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!);
  let now = 0;
  let max = 0;
  for (const [, d] of events) {
    now += d!;
    max = Math.max(max, now);
  }
  return max;
}

async function crawlOn(
  server: FaultServer,
  opts: CrawlOptions,
  start = '/',
): Promise<{ result: CrawlResult; ms: number }> {
  const t = Date.now();
  const result = await crawlSite(`${server.url}${start}`, { timeoutMs: 5000, retryDelayMs: 20, ...opts });
  const ms = Date.now() - t;
  for (let i = 0; i < 50 && server.stats.inFlight > 0; i++) await wait(20);
  return { result, ms };
}

describe('HostGate', () => {
  it('spaces the starts of requests to one host by the delay; other hosts do not wait', async () => {
    const gate = new HostGate({ concurrency: 4, delayMs: 80 });
    const starts: number[] = [];
    const others: number[] = [];
    const t0 = Date.now();
    await Promise.all([
      ...Array.from({ length: 5 }, async () => {
        const release = await gate.acquire('http://a.go.th/x');
        starts.push(Date.now() - t0);
        release?.();
      }),
      ...Array.from({ length: 2 }, async (_, i) => {
        const release = await gate.acquire(`http://b${i}.go.th/x`);
        others.push(Date.now() - t0);
        release?.();
      }),
    ]);
    starts.sort((a, b) => a - b);
    for (let i = 1; i < starts.length; i++) expect(starts[i]! - starts[i - 1]!).toBeGreaterThanOrEqual(79);
    expect(Math.max(...others)).toBeLessThan(40);
  });

  it('caps requests in flight per host', async () => {
    const gate = new HostGate({ concurrency: 2, delayMs: 0 });
    const releases: ((() => void) | null)[] = [];
    let started = 0;
    const all = Array.from({ length: 5 }, () =>
      gate.acquire('http://a.go.th/').then((r) => {
        started++;
        releases.push(r);
      }),
    );
    await wait(20);
    expect(started).toBe(2);
    releases[0]?.();
    releases[0]?.(); // a second release is a no-op
    await wait(20);
    expect(started).toBe(3);
    for (const r of [...releases]) r?.();
    await wait(20);
    for (const r of releases) r?.();
    await Promise.all(all);
    expect(started).toBe(5);
  });

  it('pauses a host for a Retry-After, and drops waiters whose signal aborts', async () => {
    const gate = new HostGate({ concurrency: 4, delayMs: 0 });
    gate.pause('http://a.go.th/x', 250);
    const t0 = Date.now();
    const controller = new AbortController();
    const aborted = gate.acquire('http://a.go.th/y', controller.signal);
    const paused = gate.acquire('http://a.go.th/z');
    controller.abort();
    expect(await aborted).toBeNull();
    (await paused)?.();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(245);
    // A Retry-After beyond the cap is cut to 60 s.
    gate.pause('http://c.go.th/', 3_600_000);
    const c = new AbortController();
    const late = gate.acquire('http://c.go.th/', c.signal);
    setTimeout(() => c.abort(), 30);
    expect(await late).toBeNull();
  });

  it('raises the delay to robots.txt crawl-delay (capped at 10 s); the default spares loopback hosts', () => {
    const gate = new HostGate({ delayMs: 100, exemptLoopback: true });
    expect(gate.delayFor('http://www.thasala.go.th/')).toBe(100);
    expect(gate.delayFor('http://127.0.0.1:8080/')).toBe(0);
    gate.setCrawlDelay('http://www.thasala.go.th/robots.txt', 0.5);
    expect(gate.delayFor('www.thasala.go.th')).toBe(500);
    gate.setCrawlDelay('http://www.thasala.go.th/robots.txt', 0.1);
    expect(gate.delayFor('www.thasala.go.th')).toBe(500);
    gate.setCrawlDelay('http://slow.go.th/robots.txt', 3600);
    expect(gate.delayFor('slow.go.th')).toBe(MAX_CRAWL_DELAY_MS);
    gate.setCrawlDelay('http://127.0.0.1:8080/robots.txt', 2);
    expect(gate.delayFor('127.0.0.1:8080')).toBe(2000);
    expect(new HostGate().delayFor('127.0.0.1:8080')).toBe(100);
    for (const h of ['localhost', 'localhost:3000', '127.0.0.1', '127.1.2.3:80', '[::1]:8080', 'a.localhost'])
      expect(isLoopbackHost(h), h).toBe(true);
    for (const h of ['www.go.th', '10.0.0.1', '128.0.0.1', 'localhost.example.com'])
      expect(isLoopbackHost(h), h).toBe(false);
  });
});

describe('Retry-After and backoff', () => {
  it('reads seconds and HTTP dates, capped at 60 s', () => {
    const now = Date.parse('2021-06-01T00:00:00Z');
    expect(parseRetryAfter('5', now)).toBe(5000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('3600', now)).toBe(MAX_RETRY_AFTER_MS);
    expect(parseRetryAfter('Tue, 01 Jun 2021 00:00:20 GMT', now)).toBe(20_000);
    expect(parseRetryAfter('Tue, 01 Jun 2021 05:00:00 GMT', now)).toBe(MAX_RETRY_AFTER_MS);
    expect(parseRetryAfter('Mon, 31 May 2021 23:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter('', now)).toBeNull();
    expect(parseRetryAfter(null, now)).toBeNull();
  });

  it('backs off exponentially with jitter', () => {
    for (let a = 0; a < 4; a++) {
      const d = backoffMs(a, 100);
      expect(d).toBeGreaterThanOrEqual(100 * 2 ** a);
      expect(d).toBeLessThanOrEqual(200 * 2 ** a);
    }
  });
});

describe('politeness of a crawl (from the server log)', () => {
  it('never exceeds the in-flight cap and keeps the minimum delay between starts, robots and sitemap included', async () => {
    const paths = Array.from({ length: 14 }, (_, i) => `/latency/300/p${i}.html`);
    const pages: Record<string, string> = {};
    for (let i = 0; i < 14; i++) pages[`/p${i}.html`] = `<html><body><p>หน้า ${i}</p></body></html>`;
    const server = await startFaultServer({ homeLinks: paths, pages });
    try {
      // 300 ms answers started every 100 ms would overlap 3 deep: the cap of 2 is what holds them.
      const { result } = await crawlOn(server, { concurrency: 2, delayMs: 100 });
      expect(result.errors).toEqual([]);
      for (const p of paths) expect(server.count(p), p).toBe(1);
      expect(server.count('/robots.txt')).toBe(1);
      expect(server.count('/sitemap.xml')).toBe(1);
      const host = new URL(server.url).host;
      expect(server.stats.hosts.get(host)?.maxInFlight).toBe(2);
      expect(maxOverlap(server.log)).toBeLessThanOrEqual(2);
      const gaps = startGaps(server.log);
      expect(gaps.length).toBeGreaterThan(20);
      // The gate spaces the starts exactly (see the HostGate tests); arrivals at the server jitter by a few ms
      // (a request that has to open a connection arrives later, shortening the next gap), the homepage's most.
      // On a loaded 2-core CI machine one arrival can lag by tens of ms, so single gaps get a wide margin;
      // without the delay they would be ~0 ms, so the bounds still tell a gate from no gate.
      expect(Math.min(...gaps)).toBeGreaterThanOrEqual(50);
      expect(gaps.reduce((a, b) => a + b, 0) / gaps.length).toBeGreaterThanOrEqual(95);
    } finally {
      await server.close();
    }
  }, 15_000);

  it('the default delay spares loopback hosts; delayMs 0 disables it', async () => {
    const server = await startFaultServer();
    try {
      const { ms } = await crawlOn(server, {});
      expect(server.stats.requests).toBeGreaterThan(8);
      expect(ms).toBeLessThan(1500);
    } finally {
      await server.close();
    }
  }, 10_000);

  it('honours robots.txt crawl-delay for its user agent (raising delayMs)', async () => {
    const server = await startFaultServer({
      robots: 'User-agent: *\nDisallow: /private/\n\nUser-agent: ita-check\nCrawl-delay: 0.4\nDisallow:\n',
    });
    try {
      const { result } = await crawlOn(server, {
        delayMs: 10,
        maxPages: 4,
        fetchDocuments: false,
        useSitemaps: false,
      });
      expect(result.stats.pages).toBe(4);
      const robots = server.entries('/robots.txt')[0]!;
      const after = server.log.filter((e) => e.start >= robots.start);
      expect(after.length).toBe(4);
      for (const g of startGaps(after)) expect(g).toBeGreaterThanOrEqual(395);
    } finally {
      await server.close();
    }
  }, 10_000);

  it('sends a User-Agent naming the tool, its version and a contact URL', async () => {
    expect(DEFAULT_USER_AGENT).toBe(`ita-check/${VERSION} (+https://github.com/ita-check/ita-check)`);
    expect(VERSION).toMatch(/^\d+\.\d+\.\d+/);
    const server = await startFaultServer();
    try {
      await crawlOn(server, { maxPages: 3 });
      expect(server.log.length).toBeGreaterThan(2);
      for (const e of server.log) expect(e.userAgent).toBe(DEFAULT_USER_AGENT);
      server.reset();
      await crawlOn(server, { maxPages: 2, userAgent: 'my-audit/1.0' });
      for (const e of server.log) expect(e.userAgent).toBe('my-audit/1.0');
    } finally {
      await server.close();
    }
  }, 10_000);
});

describe('Retry-After honoured by the crawl', () => {
  it('retries a 503 only after its Retry-After (seconds)', async () => {
    const server = await startFaultServer({ homeLinks: ['/flaky/1?retry-after=1'] });
    try {
      const { result } = await crawlOn(server, { retries: 1 });
      const tries = server.entries('/flaky/1?retry-after=1');
      expect(tries.map((t) => t.status)).toEqual([503, 200]);
      expect(tries[1]!.start - tries[0]!.end!).toBeGreaterThanOrEqual(990);
      expect(tries[1]!.start - tries[0]!.end!).toBeLessThan(1500);
      expect(result.errors).toEqual([]);
    } finally {
      await server.close();
    }
  }, 10_000);

  it('retries a 429 only after its Retry-After (HTTP date)', async () => {
    const server = await startFaultServer({ homeLinks: ['/status/429?retry-after-in=2'] });
    try {
      await crawlOn(server, { retries: 1 });
      const tries = server.entries('/status/429?retry-after-in=2');
      expect(tries).toHaveLength(2);
      // The date has whole seconds: it names a time at least floor(start + 2 s).
      const named = Math.floor((tries[0]!.start + 2000) / 1000) * 1000;
      expect(tries[1]!.start).toBeGreaterThanOrEqual(named - 5);
      expect(tries[1]!.start - tries[0]!.start).toBeLessThan(3000);
    } finally {
      await server.close();
    }
  }, 10_000);

  it('pauses the whole host during the Retry-After, not just the URL', async () => {
    const slow = Array.from({ length: 8 }, (_, i) => `/latency/100/s${i}.html`);
    const pages: Record<string, string> = {};
    for (let i = 0; i < 8; i++) pages[`/s${i}.html`] = `<html><body>${i}</body></html>`;
    const server = await startFaultServer({ homeLinks: ['/status/429?retry-after=1', ...slow], pages });
    try {
      await crawlOn(server, { concurrency: 3, delayMs: 0, retries: 1, useSitemaps: false });
      const first = server.entries('/status/429?retry-after=1')[0]!;
      const during = server.log.filter((e) => e.start > first.end! + 30 && e.start < first.end! + 980);
      expect(during).toEqual([]);
      for (const p of slow) expect(server.count(p), p).toBe(1);
    } finally {
      await server.close();
    }
  }, 10_000);

  it('without a gate, fetchResource sleeps through the Retry-After itself', async () => {
    const server = await startFaultServer();
    try {
      const t = Date.now();
      const r = await fetchResource(`${server.url}/flaky/1?retry-after=1`, { retries: 1 });
      expect(r.status).toBe(200);
      expect(Date.now() - t).toBeGreaterThanOrEqual(990);
    } finally {
      await server.close();
    }
  }, 10_000);
});
