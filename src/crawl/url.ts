// URL normalisation: one canonical string per resource, so de-duplication and look-ups agree.

/** Query keys that carry a session and never change the resource. */
const SESSION_KEYS = new Set([
  'phpsessid',
  'jsessionid',
  'aspsessionid',
  'sessionid',
  'session_id',
  'cfid',
  'cftoken',
]);
const HEX32 = /^[0-9a-f]{32}$/i;
/** Characters kept literally in a path segment (RFC 3986 pchar minus '/'), besides ALPHA / DIGIT. */
const PATH_SAFE = /[A-Za-z0-9\-._~!$&'()*+,;=:@]/;

/**
 * Absolute, normalised http(s) URL, or null when `raw` is not a usable web link.
 * Resolves against `base`; lower-cases scheme and host (URL does), drops the fragment and default port,
 * re-encodes the path (raw Thai and percent-encoded Thai give the same string), keeps the query
 * except session ids. Paths are kept as served: no index.html guessing, no trailing-slash changes.
 */
export function normalizeUrl(raw: string, base?: string): string | null {
  if (typeof raw !== 'string') return null;
  const trimmed = raw.trim();
  if (trimmed === '' && base === undefined) return null;
  let u: URL;
  try {
    u = base === undefined ? new URL(trimmed) : new URL(trimmed, base);
  } catch {
    return null;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
  if (!u.hostname) return null;
  u.hash = '';
  // `;jsessionid=…` path parameters (Java servers).
  let path = u.pathname.replace(/;jsessionid=[^/?#]*/gi, '');
  path = path
    .split('/')
    .map((seg) => encodeSegment(seg))
    .join('/');
  const query = cleanQuery(u.search);
  const host = u.host.replace(/\.$/, '').replace(/\.:/, ':');
  return `${u.protocol}//${host}${path}${query}`;
}

/** decode-then-encode one path segment; invalid escapes (e.g. TIS-620 bytes) keep their bytes, upper-cased. */
function encodeSegment(seg: string): string {
  if (seg === '') return seg;
  let decoded: string;
  try {
    decoded = decodeURIComponent(seg);
  } catch {
    // Not UTF-8: keep every %XX as is (upper-case) and encode the rest.
    return seg.replace(/%[0-9a-fA-F]{2}|[^%]/g, (m) => (m.length === 3 ? m.toUpperCase() : encodeChar(m)));
  }
  let out = '';
  for (const ch of decoded) out += encodeChar(ch);
  return out;
}

function encodeChar(ch: string): string {
  if (PATH_SAFE.test(ch)) return ch;
  return encodeURIComponent(ch);
}

function cleanQuery(search: string): string {
  if (search === '' || search === '?') return '';
  const parts = search
    .slice(1)
    .split('&')
    .filter((p) => {
      if (p === '') return false;
      const eq = p.indexOf('=');
      const key = (eq < 0 ? p : p.slice(0, eq)).toLowerCase();
      const value = eq < 0 ? '' : p.slice(eq + 1);
      if (SESSION_KEYS.has(key) || key.startsWith('aspsessionid')) return false;
      if ((key === 'sid' || key === 's') && HEX32.test(value)) return false;
      return true;
    });
  return parts.length ? `?${parts.join('&')}` : '';
}

/** The path (and query) of a URL with percent-escapes decoded, for display and for matching expected paths. */
export function decodedPath(url: string): string {
  try {
    const u = new URL(url);
    return safeDecode(u.pathname) + safeDecode(u.search);
  } catch {
    return url;
  }
}

export function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Lower-cased file extension of the URL's last path segment ('' when none). */
export function urlExtension(url: string): string {
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    path = url.split(/[?#]/)[0] ?? '';
  }
  const last = path.slice(path.lastIndexOf('/') + 1);
  const dot = last.lastIndexOf('.');
  return dot > 0 ? last.slice(dot + 1).toLowerCase() : '';
}

/** Origin (scheme://host[:port]) of an absolute URL. */
export function originOf(url: string): string {
  return new URL(url).origin;
}
