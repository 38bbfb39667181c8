// When a page needs a browser (render mode 'auto'): a two-step heuristic, cheap on ordinary static sites.
//  1. From the parsed page alone: *suspicious* when it has fewer than SUSPICIOUS_MAX_LINKS followable links or
//     less than SUSPICIOUS_MAX_FULLTEXT characters of text (a page of a real agency site carries its menu:
//     dozens of links), or *thin* when its main text is shorter than THIN_MAX_MAINTEXT characters.
//  2. For those pages only, the raw HTML's script signals (jsSignals), read by the fetcher while it still
//     has the HTML, so deciding costs no second request: strong ones (an empty app root, a `<noscript>` asking
//     for JavaScript, menu containers without a real link while the page has scripts, framework markers,
//     scripts that load data) and weak ones (inline scripts that build the DOM, a script-driven redirect, a
//     same-site script file). A suspicious page is rendered on any signal, a thin page only on a strong one.
//     A page without any script is never rendered.
import { load } from 'cheerio';
import type { Link } from '../types.js';
import { fold } from './links.js';
import { isOnSite, siteHostsFor } from './scope.js';
import { normalizeUrl } from './url.js';

export const SUSPICIOUS_MAX_LINKS = 12;
export const SUSPICIOUS_MAX_FULLTEXT = 400;
export const THIN_MAX_MAINTEXT = 200;

/** Step 1, from the static Resource: 'suspicious' (few links or little text), 'thin' (little main text) or null. */
export function staticSuspicion(page: {
  links?: Link[];
  fullText?: string;
  mainText?: string;
}): 'suspicious' | 'thin' | null {
  const links = (page.links ?? []).filter(
    (l) => !l.placeholder && l.source !== 'canonical' && l.source !== 'meta-refresh',
  );
  if (links.length < SUSPICIOUS_MAX_LINKS || (page.fullText ?? '').length < SUSPICIOUS_MAX_FULLTEXT)
    return 'suspicious';
  if ((page.mainText ?? '').length < THIN_MAX_MAINTEXT) return 'thin';
  return null;
}

export interface JsSignals {
  scripts: number;
  /** Strong signals: a browser very likely shows more. */
  strong: string[];
  /** Weak signals: scripts that may add links or text. */
  weak: string[];
}

const APP_ROOTS = '#root, #app, #__next, #__nuxt, #q-app, #svelte, app-root, [data-reactroot]';
const MENU_CONTAINERS =
  'nav, [role=navigation], [id*=menu i], [class*=menu i], [id*=nav i], [class*=navbar i], [class*=nav-menu i]';
const FRAMEWORK =
  /__NEXT_DATA__|\/_next\/static\/|window\.__NUXT__|\/_nuxt\/|ng-version=|data-reactroot|\bng-app\b/;
const DATA_LOADING =
  /\bfetch\s*\(|XMLHttpRequest|\$\.(ajax|get|getJSON|post)\s*\(|\.load\s*\(\s*['"]|axios\.|\.getJSON\s*\(/;
const DOM_BUILDING =
  /\.innerHTML\s*\+?=|insertAdjacentHTML|\.appendChild\s*\(|\.append\s*\(|\.prepend\s*\(|\.html\s*\(|document\.write\s*\(|\.replaceChildren\s*\(|createElement\s*\(\s*['"](?!script)/;
const SCRIPT_REDIRECT =
  /(?:window\.|document\.|top\.|self\.)?location(?:\.href)?\s*=\s*['"]|location\.(?:replace|assign)\s*\(/;
const NOSCRIPT_ASKS = /javascript|จาวาสคริปต์|เปิดใช้งานสคริปต์/i;

function realHref(href: string | undefined): boolean {
  const h = (href ?? '').trim();
  return h !== '' && !h.startsWith('#') && !/^javascript:/i.test(h);
}

/** Step 2, from the raw HTML: which script signals the page shows. */
export function jsSignals(html: string, pageUrl: string): JsSignals {
  const $ = load(html, { scriptingEnabled: false });
  const strong: string[] = [];
  const weak: string[] = [];
  const scripts = $('script').toArray();
  const siteHosts = siteHostsFor(pageUrl);
  let inline = '';
  let sameSiteSrc = false;
  for (const s of scripts) {
    const src = $(s).attr('src');
    if (src) {
      const abs = normalizeUrl(src, pageUrl);
      if (abs && isOnSite(abs, siteHosts)) sameSiteSrc = true;
    } else {
      const type = ($(s).attr('type') ?? '').toLowerCase();
      if (type === '' || type.includes('javascript') || type === 'module') inline += `${$(s).text()}\n`;
      else if (type === 'application/json' && $(s).attr('id') === '__NEXT_DATA__') strong.push('next-data');
    }
  }
  const emptyRoot = $(APP_ROOTS)
    .toArray()
    .some((el) => $(el).children().length === 0 && fold($(el).text()) === '');
  if (emptyRoot && scripts.length) strong.push('empty-app-root');
  // From the raw text: in <head>, a parser moves <noscript> text out of the element.
  for (const m of html.matchAll(/<noscript\b[^>]*>([\s\S]*?)<\/noscript>/gi)) {
    if (NOSCRIPT_ASKS.test((m[1] ?? '').replace(/<[^>]*>/g, ' '))) strong.push('noscript');
  }
  if (scripts.length) {
    const menus = $(MENU_CONTAINERS);
    if (menus.length) {
      const real = menus.find('a[href], area[href]').filter((_, a) => realHref($(a).attr('href'))).length;
      const own = menus.filter('a[href]').filter((_, a) => realHref($(a).attr('href'))).length;
      if (real + own === 0) strong.push('menu-without-links');
    }
    if (FRAMEWORK.test(html)) strong.push('framework');
    if (DATA_LOADING.test(inline)) strong.push('loads-data');
    if (DOM_BUILDING.test(inline)) weak.push('builds-dom');
    if (SCRIPT_REDIRECT.test(inline)) weak.push('script-redirect');
    if (sameSiteSrc) weak.push('site-script');
  }
  return { scripts: scripts.length, strong: [...new Set(strong)], weak };
}

/** The auto decision for a page, given step 1 and the raw HTML's signals. */
export function shouldRender(suspicion: 'suspicious' | 'thin' | null, signals: JsSignals): boolean {
  if (!suspicion || signals.scripts === 0) return false;
  if (signals.strong.length) return true;
  return suspicion === 'suspicious' && signals.weak.length > 0;
}
