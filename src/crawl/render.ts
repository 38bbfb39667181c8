// Render pages in headless Chromium when their static HTML lacks what a browser shows: menus and index tables
// built by scripts, content loaded after `load`, single-page apps. One browser per scan, launched lazily.
//
// When to render in mode 'auto' is decided by script-signals.ts.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { access, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, dirname, isAbsolute, join, resolve } from 'node:path';
import { load } from 'cheerio';
import pLimit from 'p-limit';
import { type BrowserContext, chromium, type Frame, type Page, type Route } from 'playwright-core';
import type { Link, Resource } from '../types.js';
import { decodeHtml } from './charset.js';
import { fetchResource } from './fetcher.js';
import { fold, parseHtml, viewerTargets } from './links.js';
import { isOnSite, siteHostsFor } from './scope.js';
import { jsSignals, shouldRender, staticSuspicion } from './script-signals.js';
import { normalizeUrl } from './url.js';

// The heuristic lives in script-signals.ts (the fetcher computes step 2 as it parses a page).
export {
  type JsSignals,
  jsSignals,
  SUSPICIOUS_MAX_FULLTEXT,
  SUSPICIOUS_MAX_LINKS,
  shouldRender,
  staticSuspicion,
  THIN_MAX_MAINTEXT,
} from './script-signals.js';

export type RenderMode = 'auto' | 'always' | 'never';

export interface RenderOptions {
  mode: RenderMode;
  /** Chromium executable; default `process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'`. A bare name is looked up in PATH. */
  browserPath?: string;
  /** Pages open at once; default 2. */
  pool?: number;
  /** Per page, ms; default 20 000. */
  timeoutMs?: number;
  /** Relative screenshot file names are resolved against this folder. */
  screenshotsDir?: string;
  onWarning?: (msg: string) => void;
}

export interface RenderStats {
  /** Pages rendered (their Resource replaced). */
  rendered: number;
  /** Pages given to renderPage and kept static (heuristic said no, no browser, or rendering failed). */
  skipped: number;
  /** Milliseconds spent rendering (sum over rendered and failed pages). */
  ms: number;
  /** Pages whose raw HTML was fetched again for the heuristic's second step. */
  checked: number;
  /** Pages whose rendering failed (timeout, navigation error): kept static. */
  failed: number;
  /** Requests the browser was not allowed to make (other hosts). */
  blocked: number;
}

export interface Renderer {
  /** The page as Chromium renders it, or null to keep the static page. Never throws. */
  renderPage(page: Resource): Promise<Resource | null>;
  /** Full-page PNG of a URL (same-site requests only); false on failure or in mode 'never'. */
  screenshot(url: string, file: string): Promise<boolean>;
  /** Close the browser and remove its profile folder. Safe to call more than once. */
  close(): Promise<void>;
  readonly stats: RenderStats;
  /** The browser's temporary profile folder, once launched (for tests and diagnostics). */
  readonly userDataDir: string | undefined;
  /** Whether a browser is running now. */
  readonly running: boolean;
}

/** A Resource as rendered by the browser. (Resource itself should carry `rendered?: boolean`.) */
export interface RenderedResource extends Resource {
  rendered?: boolean;
}

/** Mode 'always' without a usable Chromium. */
export class RenderUnavailableError extends Error {
  override readonly name = 'RenderUnavailableError';
}

export const DEFAULT_BROWSER_PATH = '/usr/bin/chromium';
/**
 * After `domcontentloaded`: wait for `load` (at most LOAD_CAP_MS), then until no request has been in flight for
 * NET_QUIET_MS (at most NET_QUIET_CAP_MS: content fetched after load), then until the DOM has not changed for
 * DOM_QUIET_MS (at most DOM_QUIET_CAP_MS). Playwright's 'networkidle' would cost 500 ms on every page.
 */
const LOAD_CAP_MS = 5000;
const NET_QUIET_MS = 150;
const NET_QUIET_CAP_MS = 4000;
const DOM_QUIET_MS = 120;
const DOM_QUIET_CAP_MS = 1500;
/** Screenshots stop at this height (Chromium fails on huge captures). */
const SCREENSHOT_MAX_HEIGHT = 12000;
const VIEWPORT = { width: 1280, height: 900 };

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

// ---------------------------------------------------------------------------------------------------
// Browser

/** The executable for a path or a bare command name (looked up in PATH), or null when there is none. */
export async function findExecutable(path: string): Promise<string | null> {
  const candidates = path.includes('/')
    ? [resolve(path)]
    : (process.env.PATH ?? '').split(delimiter).map((d) => join(d, path));
  for (const c of candidates) {
    try {
      await access(c, 1 /* X_OK */);
      if (statSync(c).isFile()) return c;
    } catch {
      // next
    }
  }
  return null;
}

interface NetActivity {
  /** Requests of the page in flight. */
  inflight: number;
  /** When a request last started or ended (ms). */
  last: number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function unavailableMessage(path: string): string {
  return `Chromium not found at ${path}: pages are read without JavaScript; install Debian's chromium or pass --browser-path`;
}

/** Links the serialised DOM does not show: anchors in open shadow roots (absolute hrefs, with their text). */
async function shadowAnchors(frame: Frame): Promise<{ href: string; text: string }[]> {
  return frame.evaluate(() => {
    const out: { href: string; text: string }[] = [];
    const visit = (root: Document | ShadowRoot, inShadow: boolean): void => {
      for (const el of Array.from(root.querySelectorAll('*'))) {
        if (inShadow && (el instanceof HTMLAnchorElement || el instanceof HTMLAreaElement) && el.href)
          out.push({ href: el.href, text: (el.textContent ?? '').trim() });
        if (el.shadowRoot) visit(el.shadowRoot, true);
      }
    };
    visit(document, false);
    return out.slice(0, 2000);
  });
}

/** `src` of frames inside a frame (absolute), with their title or name. */
async function frameSources(frame: Frame): Promise<{ src: string; title: string }[]> {
  return frame.evaluate(() =>
    Array.from(document.querySelectorAll('iframe, frame'))
      .map((f) => {
        const el = f as HTMLIFrameElement;
        return { src: el.src || el.getAttribute('data-src') || '', title: el.title || el.name || '' };
      })
      .filter((f) => f.src !== '' && f.src !== 'about:blank'),
  );
}

/** Wait until the DOM has not changed for `quietMs`, at most `capMs`. */
async function domQuiet(page: Page, quietMs: number, capMs: number): Promise<void> {
  await page
    .evaluate(
      ([quiet, cap]) =>
        new Promise<void>((done) => {
          let timer = setTimeout(finish, quiet);
          const stop = setTimeout(finish, cap);
          const obs = new MutationObserver(() => {
            clearTimeout(timer);
            timer = setTimeout(finish, quiet);
          });
          function finish(): void {
            obs.disconnect();
            clearTimeout(timer);
            clearTimeout(stop);
            done();
          }
          obs.observe(document.documentElement, { childList: true, subtree: true, attributes: true });
        }),
      [quietMs, capMs] as const,
    )
    .catch(() => undefined);
}

function linkKey(l: Link): string {
  return `${l.url}\u0000${l.text}\u0000${l.source}\u0000${l.placeholder ? 'p' : ''}`;
}

/** Rendered links first (their context and menu flags come from the live DOM), then static ones not seen. */
export function mergeLinks(rendered: Link[], staticLinks: Link[]): Link[] {
  const out: Link[] = [];
  const seen = new Set<string>();
  for (const l of [...rendered, ...staticLinks]) {
    const k = linkKey(l);
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(l);
  }
  return out;
}

export async function createRenderer(opts: RenderOptions): Promise<Renderer> {
  const mode = opts.mode;
  const requested = opts.browserPath ?? process.env.CHROMIUM_PATH ?? DEFAULT_BROWSER_PATH;
  const timeoutMs = opts.timeoutMs ?? 20_000;
  const limit = pLimit(Math.max(1, opts.pool ?? 2));
  const stats: RenderStats = { rendered: 0, skipped: 0, ms: 0, checked: 0, failed: 0, blocked: 0 };
  const warned = new Set<string>();
  const warn = (msg: string): void => {
    if (warned.has(msg)) return;
    warned.add(msg);
    opts.onWarning?.(msg);
  };

  let executable: string | null = null;
  /** Set once the browser cannot be had: every later page stays static. */
  let unavailable = mode === 'never';
  if (mode !== 'never') {
    executable = await findExecutable(requested);
    if (!executable) {
      if (mode === 'always') throw new RenderUnavailableError(unavailableMessage(requested));
      unavailable = true;
      warn(unavailableMessage(requested));
    }
  }

  let contextPromise: Promise<BrowserContext> | undefined;
  let context: BrowserContext | undefined;
  let userDataDir: string | undefined;
  let closed = false;
  let exitHook = false;
  const removeDir = (dir: string | undefined): void => {
    if (!dir) return;
    try {
      rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
    } catch {
      // best effort
    }
  };
  // Playwright kills the browser on process exit; this (registered after it) removes the profile folder.
  const onExit = (): void => removeDir(userDataDir);

  const launch = async (): Promise<BrowserContext> => {
    const dir = mkdtempSync(join(tmpdir(), 'ita-check-chromium-'));
    userDataDir = dir;
    let ctx: BrowserContext;
    try {
      ctx = await chromium.launchPersistentContext(dir, {
        executablePath: executable!,
        headless: true,
        args: CHROMIUM_ARGS,
        acceptDownloads: false,
        serviceWorkers: 'block',
        ignoreHTTPSErrors: true,
        viewport: VIEWPORT,
        locale: 'th-TH',
        timezoneId: 'Asia/Bangkok',
        timeout: 30_000,
        // The CLI handles Ctrl-C itself (partial report); Playwright still kills the browser on process exit.
        handleSIGINT: false,
        handleSIGTERM: false,
        handleSIGHUP: false,
      });
    } catch (err) {
      removeDir(dir);
      throw err;
    }
    if (!exitHook) {
      exitHook = true;
      process.on('exit', onExit);
    }
    // A crashed browser: forget it (the next page launches a new one) and drop its profile.
    ctx.on('close', () => {
      if (context === ctx) {
        context = undefined;
        contextPromise = undefined;
      }
      removeDir(dir);
    });
    if (closed) {
      await ctx.close().catch(() => undefined);
      throw new Error('renderer closed');
    }
    context = ctx;
    return ctx;
  };

  const getContext = async (): Promise<BrowserContext | null> => {
    if (unavailable || closed) return null;
    if (!contextPromise) {
      contextPromise = launch();
      contextPromise.catch(() => {
        contextPromise = undefined;
      });
    }
    try {
      return await contextPromise;
    } catch (err) {
      if (closed) return null;
      unavailable = true;
      warn(
        `Chromium at ${executable ?? requested} could not be started (${String(err).split('\n')[0]}): pages are read without JavaScript`,
      );
      return null;
    }
  };

  const openPage = async (
    ctx: BrowserContext,
    siteUrl: string,
    withImages: boolean,
  ): Promise<{ page: Page; net: NetActivity }> => {
    const siteHosts = siteHostsFor(siteUrl);
    const created = await ctx.newPage();
    const net: NetActivity = { inflight: 0, last: Date.now() };
    created.on('request', () => {
      net.inflight++;
      net.last = Date.now();
    });
    const ended = (): void => {
      net.inflight = Math.max(0, net.inflight - 1);
      net.last = Date.now();
    };
    created.on('requestfinished', ended);
    created.on('requestfailed', ended);
    created.on('dialog', (d) => {
      void d.dismiss().catch(() => undefined);
    });
    created.on('popup', (p) => {
      void p.close().catch(() => undefined);
    });
    created.setDefaultTimeout(timeoutMs);
    await created.route('**/*', (route: Route) => {
      const req = route.request();
      const url = req.url();
      if (!/^https?:/i.test(url)) return route.continue().catch(() => undefined);
      if (!isOnSite(url, siteHosts)) {
        stats.blocked++;
        return route.abort('blockedbyclient').catch(() => undefined);
      }
      const type = req.resourceType();
      if (!withImages && (type === 'image' || type === 'media' || type === 'font'))
        return route.abort('blockedbyclient').catch(() => undefined);
      return route.continue().catch(() => undefined);
    });
    return { page: created, net };
  };

  /** Load a page and let its scripts settle; false when navigation failed. */
  /** Load a page and let its scripts settle; false when navigation failed. */
  const navigate = async (
    p: Page,
    net: NetActivity,
    url: string,
    waitUntil: 'domcontentloaded' | 'load',
  ): Promise<boolean> => {
    const t0 = Date.now();
    try {
      await p.goto(url, { waitUntil, timeout: timeoutMs });
    } catch {
      return false;
    }
    const left = (): number => Math.max(0, timeoutMs - (Date.now() - t0));
    await p.waitForLoadState('load', { timeout: Math.min(LOAD_CAP_MS, left()) }).catch(() => {});
    const netEnd = Date.now() + Math.min(NET_QUIET_CAP_MS, left());
    while (Date.now() < netEnd && (net.inflight > 0 || Date.now() - net.last < NET_QUIET_MS)) await sleep(25);
    await domQuiet(p, DOM_QUIET_MS, Math.min(DOM_QUIET_CAP_MS, left()));
    return true;
  };

  const rawHtml = async (page: Resource): Promise<string | null> => {
    const r = await fetchResource(page.finalUrl, {
      keepBody: true,
      parse: false,
      followMetaRefresh: false,
      retries: 0,
      timeoutMs: Math.min(timeoutMs, 15_000),
      maxRedirects: 5,
    });
    if (r.failure || r.kind !== 'html' || !r.body) return null;
    return decodeHtml(r.body, r.servedType).text;
  };

  const decide = async (page: Resource): Promise<boolean> => {
    if (mode === 'always') return true;
    const suspicion = staticSuspicion(page);
    if (!suspicion) return false;
    // Read from the raw HTML when the page was fetched; fetched again only for pages that lack them.
    if (page.scriptSignals) return shouldRender(suspicion, page.scriptSignals);
    stats.checked++;
    const html = await rawHtml(page).catch(() => null);
    if (html === null) return false;
    return shouldRender(suspicion, jsSignals(html, page.finalUrl));
  };

  const render = async (page: Resource): Promise<RenderedResource | null> => {
    const ctx = await getContext();
    if (!ctx) return null;
    const t0 = Date.now();
    let p: Page | undefined;
    try {
      const opened = await openPage(ctx, page.finalUrl, false);
      p = opened.page;
      if (!(await navigate(p, opened.net, page.finalUrl, 'domcontentloaded'))) {
        stats.failed++;
        return null;
      }
      const html = await p.content();
      const here = normalizeUrl(p.url()) ?? page.finalUrl;
      const parsed = parseHtml(html, here);
      const extra: Link[] = [];
      const siteHosts = siteHostsFor(page.finalUrl);
      // A script that moved the page elsewhere on the site: the target is a link of this page.
      if (here !== page.finalUrl && isOnSite(here, siteHosts))
        extra.push({ url: here, text: parsed.title, source: 'javascript', inMenu: false });
      for (const a of await shadowAnchors(p.mainFrame()).catch(() => [])) {
        const url = normalizeUrl(a.href);
        if (url && isOnSite(url, siteHosts)) extra.push({ url, text: fold(a.text), source: 'a' });
      }
      // Frames inside frames (the top level's iframes are in the serialised DOM already).
      for (const f of p.frames()) {
        if (f === p.mainFrame()) continue;
        for (const s of await frameSources(f).catch(() => [])) {
          const url = normalizeUrl(s.src);
          if (!url) continue;
          for (const u of [url, ...viewerTargets(url)])
            extra.push({ url: u, text: fold(s.title), source: 'iframe' });
        }
      }
      const staticLinks = page.links ?? [];
      const out: RenderedResource = {
        ...page,
        title: parsed.title || page.title || '',
        headings: parsed.headings.length ? parsed.headings : (page.headings ?? []),
        links: mergeLinks([...parsed.links, ...extra], staticLinks),
        mainText: parsed.mainText || page.mainText || '',
        fullText: parsed.fullText || page.fullText || '',
        rendered: true,
      };
      if (parsed.forms.length) out.forms = parsed.forms;
      else delete out.forms;
      if (parsed.images.length) out.images = parsed.images;
      else delete out.images;
      stats.rendered++;
      return out;
    } catch {
      stats.failed++;
      return null;
    } finally {
      stats.ms += Date.now() - t0;
      if (p) await p.close().catch(() => undefined);
    }
  };

  const renderer: Renderer = {
    stats,
    get userDataDir() {
      return userDataDir;
    },
    get running() {
      return context !== undefined;
    },
    async renderPage(page: Resource): Promise<Resource | null> {
      if (unavailable || closed || page.kind !== 'html' || page.failure) {
        stats.skipped++;
        return null;
      }
      try {
        if (!(await decide(page))) {
          stats.skipped++;
          return null;
        }
        const out = await limit(() => render(page));
        if (!out) stats.skipped++;
        return out;
      } catch {
        stats.skipped++;
        return null;
      }
    },
    async screenshot(url: string, file: string): Promise<boolean> {
      if (mode === 'never') return false;
      const target = normalizeUrl(url);
      if (!target) return false;
      const path =
        isAbsolute(file) || !opts.screenshotsDir ? resolve(file) : resolve(opts.screenshotsDir, file);
      return limit(async () => {
        const ctx = await getContext();
        if (!ctx) return false;
        let p: Page | undefined;
        try {
          const opened = await openPage(ctx, target, true);
          p = opened.page;
          if (!(await navigate(p, opened.net, target, 'load'))) return false;
          await mkdir(dirname(path), { recursive: true });
          const height = await p.evaluate(() =>
            Math.max(document.documentElement.scrollHeight, document.body?.scrollHeight ?? 0),
          );
          await p.screenshot({
            path,
            type: 'png',
            fullPage: true,
            ...(height > SCREENSHOT_MAX_HEIGHT
              ? { clip: { x: 0, y: 0, width: VIEWPORT.width, height: SCREENSHOT_MAX_HEIGHT } }
              : {}),
            timeout: timeoutMs,
          });
          return true;
        } catch {
          return false;
        } finally {
          if (p) await p.close().catch(() => undefined);
        }
      });
    },
    async close(): Promise<void> {
      closed = true;
      const pending = contextPromise;
      contextPromise = undefined;
      const ctx = context ?? (pending ? await pending.catch(() => undefined) : undefined);
      context = undefined;
      if (ctx) await ctx.close().catch(() => undefined);
      removeDir(userDataDir);
      if (exitHook) process.off('exit', onExit);
      exitHook = false;
    },
  };
  return renderer;
}
