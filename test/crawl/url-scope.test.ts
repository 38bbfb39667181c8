import { describe, expect, it } from 'vitest';
import {
  decodedPath,
  isOnSite,
  normalizeUrl,
  registrableDomain,
  siteHostsFor,
  urlExtension,
} from '../../src/crawl/index.js';

describe('normalizeUrl', () => {
  const thaiEncoded = '/wp-content/uploads/2564/03/%E0%B8%AA%E0%B8%82%E0%B8%A3.pdf';
  const cases: [string, string | undefined, string | null][] = [
    ['HTTP://WWW.Thasala.GO.TH/About/', undefined, 'http://www.thasala.go.th/About/'],
    ['https://thasala.go.th:443/a', undefined, 'https://thasala.go.th/a'],
    ['http://thasala.go.th:80/a#top', undefined, 'http://thasala.go.th/a'],
    ['http://thasala.go.th:8080/a', undefined, 'http://thasala.go.th:8080/a'],
    [
      'news_detail.php?news_id=912',
      'http://x.go.th/news/list.php',
      'http://x.go.th/news/news_detail.php?news_id=912',
    ],
    ['../files/a.pdf', 'http://x.go.th/news/list.php', 'http://x.go.th/files/a.pdf'],
    ['//cdn.x.go.th/a.png', 'https://x.go.th/', 'https://cdn.x.go.th/a.png'],
    ['/index.php', 'http://x.go.th/', 'http://x.go.th/index.php'],
    ['/', 'http://x.go.th/index.html', 'http://x.go.th/'],
    // Thai paths: raw and percent-encoded (upper or lower case) are the same URL.
    ['/wp-content/uploads/2564/03/สขร.pdf', 'http://x.go.th/', `http://x.go.th${thaiEncoded}`],
    [thaiEncoded, 'http://x.go.th/', `http://x.go.th${thaiEncoded}`],
    [thaiEncoded.toLowerCase(), 'http://x.go.th/', `http://x.go.th${thaiEncoded}`],
    ['/a b/c%20d', 'http://x.go.th/', 'http://x.go.th/a%20b/c%20d'],
    ['/%7Euser/', 'http://x.go.th/', 'http://x.go.th/~user/'],
    ['/a%2Fb', 'http://x.go.th/', 'http://x.go.th/a%2Fb'],
    // Query kept, session ids dropped.
    ['/news.php?cat_id=13&pagenum=2', 'http://x.go.th/', 'http://x.go.th/news.php?cat_id=13&pagenum=2'],
    ['/a.php?PHPSESSID=abc123&id=4', 'http://x.go.th/', 'http://x.go.th/a.php?id=4'],
    ['/a.php?id=4&phpsessid=abc', 'http://x.go.th/', 'http://x.go.th/a.php?id=4'],
    ['/a.jsp;jsessionid=0123ABC?x=1', 'http://x.go.th/', 'http://x.go.th/a.jsp?x=1'],
    ['/a.php?sid=0123456789abcdef0123456789abcdef', 'http://x.go.th/', 'http://x.go.th/a.php'],
    ['/a.php?sid=12', 'http://x.go.th/', 'http://x.go.th/a.php?sid=12'],
    ['/?p=161', 'http://x.go.th/', 'http://x.go.th/?p=161'],
    ['  /padded  ', 'http://x.go.th/', 'http://x.go.th/padded'],
    // Not web links.
    ['javascript:void(0)', 'http://x.go.th/', null],
    ['mailto:saraban@x.go.th', 'http://x.go.th/', null],
    ['tel:075123456', 'http://x.go.th/', null],
    ['data:text/html,hi', 'http://x.go.th/', null],
    ['file:///etc/passwd', 'http://x.go.th/', null],
    ['ftp://x.go.th/a', 'http://x.go.th/', null],
    ['not a url', undefined, null],
    ['http://', undefined, null],
  ];
  it.each(cases)('%s (base %s) → %s', (raw, base, expected) => {
    expect(normalizeUrl(raw, base)).toBe(expected);
  });

  it('is idempotent', () => {
    for (const [raw, base] of cases) {
      const once = normalizeUrl(raw, base);
      if (once) expect(normalizeUrl(once)).toBe(once);
    }
  });

  it('decodes paths for display and reads extensions', () => {
    expect(
      decodedPath(`http://x.go.th${'/wp-content/uploads/2564/03/%E0%B8%AA%E0%B8%82%E0%B8%A3.pdf'}`),
    ).toBe('/wp-content/uploads/2564/03/สขร.pdf');
    expect(urlExtension('http://x.go.th/a/B.PDF?x=1')).toBe('pdf');
    expect(urlExtension('http://x.go.th/download.php?id=1')).toBe('php');
    expect(urlExtension('http://x.go.th/egp/downloadFile')).toBe('');
  });
});

describe('scope', () => {
  it('registrable domains', () => {
    expect(registrableDomain('www.thasala.go.th')).toBe('thasala.go.th');
    expect(registrableDomain('eservice.thasala.go.th')).toBe('thasala.go.th');
    expect(registrableDomain('www.git.or.th')).toBe('git.or.th');
    expect(registrableDomain('www.st.ac.th')).toBe('st.ac.th');
    expect(registrableDomain('a.b.in.th')).toBe('b.in.th');
    expect(registrableDomain('shop.x.co.th')).toBe('x.co.th');
    expect(registrableDomain('www.sueakok.com')).toBe('sueakok.com');
    expect(registrableDomain('www.example.org')).toBe('example.org');
    expect(registrableDomain('thasala.go.th')).toBe('thasala.go.th');
  });

  it('www, bare domain and subdomains of a .go.th site are on the site', () => {
    const hosts = siteHostsFor('https://www.thasala.go.th/index.php');
    expect(hosts).toEqual(expect.arrayContaining(['www.thasala.go.th', 'thasala.go.th']));
    for (const u of [
      'https://www.thasala.go.th/about/',
      'http://thasala.go.th/',
      'https://eservice.thasala.go.th/public/oss/data/list/',
      'https://WWW.THASALA.GO.TH:8443/x',
    ]) {
      expect(isOnSite(u, hosts), u).toBe(true);
    }
    for (const u of [
      'https://www.dla.go.th/',
      'https://go.th/',
      'https://thasala.go.th.evil.com/',
      'https://notthasala.go.th/',
      'https://itas.nacc.go.th/go/eit/abc',
      'mailto:x@thasala.go.th',
    ]) {
      expect(isOnSite(u, hosts), u).toBe(false);
    }
  });

  it('.com sites use two labels', () => {
    const hosts = siteHostsFor('http://sueakok.com/');
    expect(isOnSite('http://www.sueakok.com/a', hosts)).toBe(true);
    expect(isOnSite('http://m.sueakok.com/a', hosts)).toBe(true);
    expect(isOnSite('http://sueakok.co/a', hosts)).toBe(false);
    expect(isOnSite('https://www.facebook.com/sueakok', hosts)).toBe(false);
  });

  it('a deep host owns only its own subtree; shared hosting owns only its host', () => {
    const police = siteHostsFor('https://noenkum.phitsanulok.police.go.th/');
    expect(isOnSite('https://noenkum.phitsanulok.police.go.th/o2', police)).toBe(true);
    expect(isOnSite('https://www.royalthaipolice.go.th/', police)).toBe(false);
    expect(isOnSite('https://other.phitsanulok.police.go.th/', police)).toBe(false);
    const blog = siteHostsFor('https://tambon.wordpress.com/');
    expect(isOnSite('https://tambon.wordpress.com/2021/', blog)).toBe(true);
    expect(isOnSite('https://other.wordpress.com/', blog)).toBe(false);
  });

  it('IP addresses and localhost: exact host and port', () => {
    const hosts = siteHostsFor('http://127.0.0.1:8123/');
    expect(hosts).toEqual(['127.0.0.1:8123']);
    expect(isOnSite('http://127.0.0.1:8123/a', hosts)).toBe(true);
    expect(isOnSite('http://127.0.0.1:9999/a', hosts)).toBe(false);
    expect(isOnSite('http://localhost:8123/a', hosts)).toBe(false);
    const local = siteHostsFor('http://localhost:3000/');
    expect(isOnSite('http://localhost:3000/x', local)).toBe(true);
    expect(isOnSite('http://localhost:3001/x', local)).toBe(false);
  });
});
