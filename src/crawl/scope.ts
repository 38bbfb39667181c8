// Which hosts belong to the agency's website.

/** Second-level labels under a country code that are registries, not owners (thasala.go.th, x.co.uk). */
const SECOND_LEVEL = new Set([
  'go',
  'or',
  'ac',
  'in',
  'co',
  'mi',
  'net',
  'com',
  'org',
  'gov',
  'edu',
  'ne',
  'nic',
]);
/** Shared hosting where each customer owns only its own host, never the whole domain. */
const SHARED_HOSTS = new Set([
  'google.com',
  'blogspot.com',
  'wordpress.com',
  'wixsite.com',
  'weebly.com',
  'github.io',
  'facebook.com',
  'herokuapp.com',
  'netlify.app',
  'vercel.app',
]);

function isIpOrLocal(hostname: string): boolean {
  return (
    hostname === 'localhost' ||
    hostname.endsWith('.localhost') ||
    /^\d{1,3}(\.\d{1,3}){3}$/.test(hostname) ||
    hostname.startsWith('[')
  );
}

/**
 * The registrable domain of a host name: 3 labels under `*.go.th`, `*.or.th`, `*.ac.th`, `*.in.th`, `*.co.th`
 * (and the like under other country codes), 2 labels otherwise.
 */
export function registrableDomain(hostname: string): string {
  const labels = hostname.toLowerCase().replace(/\.$/, '').split('.');
  if (labels.length <= 2) return labels.join('.');
  const tld = labels[labels.length - 1] ?? '';
  const sld = labels[labels.length - 2] ?? '';
  const n = tld.length === 2 && SECOND_LEVEL.has(sld) ? 3 : 2;
  return labels.slice(-n).join('.');
}

/**
 * Hosts that count as the agency's site, for the URL of its homepage: the host, its `www.` twin and the
 * agency's domain (any subdomain of an entry is on the site, see isOnSite). IPs and localhost: the host with
 * its port, exactly. A host deeper than its registrable domain (noenkum.phitsanulok.police.go.th) only owns
 * its own subtree, never the shared parent domain; so do customers of shared hosting (x.wordpress.com).
 */
export function siteHostsFor(url: string): string[] {
  const u = new URL(url);
  const hostname = u.hostname.toLowerCase().replace(/\.$/, '');
  if (isIpOrLocal(hostname)) return [u.host.toLowerCase()];
  const bare = hostname.startsWith('www.') ? hostname.slice(4) : hostname;
  const reg = registrableDomain(hostname);
  let domain = reg;
  if (bare.split('.').length > reg.split('.').length || SHARED_HOSTS.has(reg)) domain = bare;
  if (SHARED_HOSTS.has(reg) && domain === reg) return [hostname];
  return [...new Set([hostname, domain, `www.${domain}`])];
}

/** True when the URL's host is one of siteHosts or a subdomain of one (IP/localhost entries: exact host:port). */
export function isOnSite(url: string, siteHosts: readonly string[]): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return false;
  const hostname = u.hostname.toLowerCase().replace(/\.$/, '');
  const host = u.host.toLowerCase();
  for (const entry of siteHosts) {
    const e = entry.toLowerCase();
    if (e.includes(':') || isIpOrLocal(e)) {
      if (host === e) return true;
      continue;
    }
    if (hostname === e || hostname.endsWith(`.${e}`)) return true;
  }
  return false;
}
