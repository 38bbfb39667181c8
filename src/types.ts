// Shared contracts between the stages: crawl → extract → evidence → judge → score → report.
// Each stage only reads the types of the stages before it.

/** Why a fetch failed; decides what is retried and how the finding is worded. */
export type FailureClass =
  | 'dns'
  | 'connect'
  | 'tls'
  | 'timeout'
  | 'http-4xx'
  | 'http-5xx'
  | 'too-large'
  | 'redirect-loop'
  | 'too-many-redirects'
  | 'trap'
  | 'blocked-scheme'
  | 'robots'
  | 'other';

export interface FetchFailure {
  class: FailureClass;
  message: string;
  status?: number;
}

/** What a fetched body is, by sniffing the bytes first and the headers/extension second. */
export type ResourceKind = 'html' | 'pdf' | 'docx' | 'doc' | 'xlsx' | 'xls' | 'image' | 'other';

/** How a link was found in a page. */
export type LinkSource =
  | 'a'
  | 'area'
  | 'iframe'
  | 'embed'
  | 'onclick'
  | 'javascript'
  | 'meta-refresh'
  | 'canonical';

export interface Link {
  /** Absolute, normalised URL. */
  url: string;
  /** Visible text, or the image alt/title when the link is an image. Whitespace folded. */
  text: string;
  source: LinkSource;
  /** Text of the nearest enclosing table row or list item (for index tables: "O1 | โครงสร้าง | …"). */
  context?: string;
  /** Nearest preceding heading text (h1–h6, or a strong/bold caption) — e.g. a sub-indicator title. */
  heading?: string;
  /** True when the link sits in a nav/menu/header/footer region. */
  inMenu?: boolean;
  /** True when the link sits in the page's marked content (main, article, role=main), outside menus. */
  inContent?: boolean;
  /**
   * A link that goes nowhere ("#", "", javascript:void(0)) outside menus: kept (with the page's own URL)
   * because an index row whose only link is a placeholder is an item without a URL. Never followed.
   */
  placeholder?: boolean;
}

/** A fetched URL, HTML page or document. Bodies of documents are kept for extraction. */
export interface Resource {
  /** The URL as first requested (normalised). */
  url: string;
  /** The URL after redirects (normalised). Equal to url when there was none. */
  finalUrl: string;
  redirects: string[];
  status: number | null;
  /** Content-Type header as served (lower-case, without parameters). */
  servedType: string | null;
  kind: ResourceKind;
  bytes: number;
  /** Link depth from the homepage (0 = homepage). */
  depth: number;
  /** The decoding used for HTML (utf-8, windows-874 …). */
  charset?: string;
  failure?: FetchFailure;
  /** HTML only. */
  title?: string;
  headings?: string[];
  links?: Link[];
  /** HTML only: forms on the page (an online channel needs one, or a link to a system). */
  forms?: FormInfo[];
  /** HTML only: pictures in the page's content (icons and menu images left out). */
  images?: { src: string; alt: string }[];
  /** HTML only: main text with menus, header and footer removed. */
  mainText?: string;
  /** HTML only: the whole visible text (menus included). */
  fullText?: string;
  /**
   * Documents only: the file holding the body when it was too large to keep in memory (`body` is then
   * unset); read it with `readBody` (crawl/fetcher). Removed when the process exits.
   */
  bodyPath?: string;
  /** sha256 of the body (hex), when a cache or spilling computed it. */
  sha256?: string;
  /** Documents only: the raw body, for extraction. Not serialised. */
  body?: Uint8Array;
  /** HTML only: the page as a browser rendered it (menus built by scripts, content loaded after load). */
  rendered?: boolean;
  /**
   * HTML only, for pages with few links or little text: the script signals of the raw HTML, so that
   * `--render auto` decides without fetching the page again (crawl/script-signals.ts).
   */
  scriptSignals?: { scripts: number; strong: string[]; weak: string[] };
  /** Filled by extraction (issue 3): document text. */
  doc?: DocumentText;
  fetchedAt: string;
}

export interface FormInfo {
  action: string;
  method: string;
  /** Names or labels of the fields a visitor fills in (text, textarea, select, file, e-mail, tel). */
  fields: string[];
  /** A site search box, not a channel. */
  search: boolean;
}

/** Text read out of a document or page, kept with enough structure to date and locate it. */
export interface DocumentText {
  kind: ResourceKind;
  /** One entry per PDF page / DOCX document / XLSX sheet. */
  parts: DocumentPart[];
  /** The document's own title metadata, when it has one. */
  title?: string;
  /** True when a PDF has pages but (almost) no text layer: a scan. */
  scanned?: boolean;
  /** Set when the document could not be read: encrypted, corrupt, truncated, too large, timed out. */
  error?: { code: 'encrypted' | 'corrupt' | 'too-large' | 'timeout' | 'unsupported'; message: string };
  /** Text came from OCR (issue 5). */
  ocr?: boolean;
}

export interface DocumentPart {
  /** 1-based page number (PDF), sheet name (XLSX) or 'document' (DOCX). */
  label: string;
  page?: number;
  /** Normalised plain text of the part. */
  text: string;
  /** For spreadsheets and tables: rows of cells (normalised). */
  rows?: string[][];
}

/** A link the crawl followed: parent page and link text, for click paths. */
export interface Edge {
  from: string;
  to: string;
  text: string;
}

/** Everything the crawl gathered. Serialisable (bodies aside) so judging can be re-run without the network. */
export interface CrawlResult {
  /** The homepage URL as given, and after redirects. */
  startUrl: string;
  homeUrl: string;
  /** Hostnames that count as the agency's main website. */
  siteHosts: string[];
  resources: Map<string, Resource>;
  /** First link that reached each URL (BFS order), for the click path from the homepage. */
  parents: Map<string, Edge>;
  /** Links seen pointing outside the site (social networks, e-service systems …). */
  externalLinks: Link[];
  stats: CrawlStats;
  errors: CrawlError[];
}

export interface CrawlStats {
  pages: number;
  documents: number;
  requests: number;
  bytes: number;
  durationMs: number;
}

export interface CrawlError {
  url: string;
  class: FailureClass;
  message: string;
}

export type Verdict = 'pass' | 'fail' | 'review';
export type Severity = 'fail' | 'review' | 'info';

export interface Bilingual {
  th: string;
  en: string;
}

/** How a piece of evidence was found, in order of trust. */
export type EvidenceVia = 'itas-list' | 'ita-index' | 'ita-item-page' | 'menu' | 'title' | 'content';

export interface Evidence {
  url: string;
  via: EvidenceVia;
  linkText: string;
  status: number | null;
  contentType: string | null;
  /** Click path from the homepage: link texts, in order. Empty when not reachable by links. */
  path: string[];
  /** A screenshot of the page (--screenshots): the file's path. */
  screenshot?: string;
}

export interface Finding {
  /** Stable code, e.g. "no-url", "not-main-site", "month-missing". */
  code: string;
  severity: Severity;
  message: Bilingual;
  url?: string;
  page?: number;
  excerpt?: string;
  fix?: Bilingual;
}
