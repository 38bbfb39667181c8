// The click path from the homepage to a URL, as the link texts a visitor would follow.
import type { CrawlResult } from '../types.js';

export function clickPath(crawl: CrawlResult, url: string): string[] {
  const path: string[] = [];
  const seen = new Set<string>();
  let at = url;
  while (at !== crawl.homeUrl && !seen.has(at)) {
    seen.add(at);
    const edge = crawl.parents.get(at) ?? crawl.parents.get(finalOf(crawl, at));
    if (!edge) return at === crawl.startUrl ? path : [];
    path.unshift(edge.text || '(link)');
    at = edge.from;
  }
  return path;
}

function finalOf(crawl: CrawlResult, url: string): string {
  return crawl.resources.get(url)?.finalUrl ?? url;
}

/** True when the URL was reached by following links from the homepage (or is the homepage). */
export function isLinkedFromHome(crawl: CrawlResult, url: string): boolean {
  if (url === crawl.homeUrl || url === crawl.startUrl) return true;
  return clickPath(crawl, url).length > 0;
}
