// The crawl stage: fetch the agency's site into a CrawlResult (see ../types.ts).
export { canonicalCharset, charsetFromContentType, charsetFromMeta, decodeHtml } from './charset.js';
export { type CrawlOptions, type CrawlProgress, crawlSite, findResource, trapReason } from './crawler.js';
export {
  classifyError,
  DEFAULT_MAX_BYTES,
  DEFAULT_MAX_HTML_BYTES,
  DEFAULT_MAX_REDIRECTS,
  DEFAULT_SPILL_BYTES,
  DEFAULT_TIMEOUT_MS,
  DEFAULT_USER_AGENT,
  type FetchOptions,
  fetchResource,
  kindFromUrl,
  type RequestInfo,
  readBody,
  removeSpilledBodies,
} from './fetcher.js';
export { defaultCacheDir, HttpCache } from './http-cache.js';
export {
  type DomNode,
  fold,
  type ParsedPage,
  parseHtml,
  parseRefresh,
  textOf,
  urlsInScript,
} from './links.js';
export { allowAll, fetchRobots, parseRobots, RobotsCache, type RobotsRules, robotsAgent } from './robots.js';
export { isOnSite, registrableDomain, siteHostsFor } from './scope.js';
export { type ParsedSitemap, parseSitemap, readSitemaps, type SitemapOptions } from './sitemap.js';
export {
  baseType,
  DOCUMENT_EXTENSIONS,
  isDocumentKind,
  looksLikeHtml,
  sniffKind,
  sniffMagic,
  zipEntryNames,
} from './sniff.js';
export { decodedPath, normalizeUrl, originOf, safeDecode, urlExtension } from './url.js';
