// robots.txt: fetched once per origin through the fetcher; missing or garbled files allow everything.
import robotsParserModule from 'robots-parser';
import { type FetchOptions, fetchResource } from './fetcher.js';
import { normalizeUrl } from './url.js';

// robots-parser is CommonJS (`module.exports = fn`) but its typings declare a default export.
type RobotsParser = typeof robotsParserModule.default;
type Robot = ReturnType<RobotsParser>;
const robotsParser: RobotsParser =
  (robotsParserModule as unknown as { default?: RobotsParser }).default ??
  (robotsParserModule as unknown as RobotsParser);

export interface RobotsRules {
  /** The robots.txt URL these rules came from. */
  url: string;
  /** True when the file was found and parsed. */
  found: boolean;
  isAllowed(url: string): boolean;
  sitemaps(): string[];
  /** Crawl-delay for our user agent (or *), seconds: the crawler raises its delay for the host to it (≤ 10 s). */
  crawlDelay(): number | undefined;
}

/** The user-agent token matched against robots.txt groups: the product name of the User-Agent. */
export function robotsAgent(userAgent: string): string {
  return userAgent.split(/[\s/]/)[0] || userAgent;
}

export function allowAll(url: string): RobotsRules {
  return { url, found: false, isAllowed: () => true, sitemaps: () => [], crawlDelay: () => undefined };
}

/** Parse robots.txt text; a body that is HTML (a soft 404) or has no directives allows everything. */
export function parseRobots(robotsUrl: string, text: string, userAgent: string): RobotsRules {
  if (/^\s*</.test(text) || !/^\s*(user-agent|disallow|allow|sitemap)\s*:/im.test(text))
    return allowAll(robotsUrl);
  let robot: Robot;
  try {
    robot = robotsParser(robotsUrl, text);
  } catch {
    return allowAll(robotsUrl);
  }
  const agent = robotsAgent(userAgent);
  return {
    url: robotsUrl,
    found: true,
    isAllowed: (url) => robot.isAllowed(url, agent) !== false,
    sitemaps: () =>
      robot
        .getSitemaps()
        .map((u) => normalizeUrl(u, robotsUrl))
        .filter((u): u is string => u !== null),
    crawlDelay: () => robot.getCrawlDelay(agent),
  };
}

/** Fetch and parse `<origin>/robots.txt`. Never throws. */
export async function fetchRobots(origin: string, opts: FetchOptions = {}): Promise<RobotsRules> {
  const robotsUrl = new URL('/robots.txt', origin).href;
  const res = await fetchResource(robotsUrl, {
    ...opts,
    maxBytes: 512 * 1024,
    maxHtmlBytes: 512 * 1024,
    parse: false,
    keepBody: true,
    followMetaRefresh: false,
  });
  if (res.failure || !res.body || res.kind === 'html') return allowAll(robotsUrl);
  const text = new TextDecoder('utf-8').decode(res.body);
  return parseRobots(robotsUrl, text, opts.userAgent ?? '');
}

/** Robots rules per origin, each fetched once (concurrent callers share the request). */
export class RobotsCache {
  private readonly byOrigin = new Map<string, Promise<RobotsRules>>();
  private readonly ready = new Map<string, RobotsRules>();

  constructor(private readonly opts: FetchOptions = {}) {}

  /** Rules for the URL's origin, fetching robots.txt on first use. */
  async get(url: string): Promise<RobotsRules> {
    const origin = new URL(url).origin;
    let p = this.byOrigin.get(origin);
    if (!p) {
      p = fetchRobots(origin, this.opts).then((r) => {
        this.ready.set(origin, r);
        return r;
      });
      this.byOrigin.set(origin, p);
    }
    return p;
  }

  async isAllowed(url: string): Promise<boolean> {
    return (await this.get(url)).isAllowed(url);
  }
}
