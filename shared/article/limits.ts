/**
 * Every limit a submission is held to. The README's "Limits" table is written from these;
 * the request limit keeps a JSON submission with an inline photo under Lambda's 6 MB payload.
 */
export const LIMITS = {
  requestBytes: 5_500_000,
  headlineChars: 200,
  correctionChars: 1_000,
  slugChars: 80,
  standfirstChars: 600,
  bylineChars: 200,
  sectionChars: 40,
  tagChars: 50,
  tags: 20,
  bodyChars: 100_000,
  altChars: 500,
  captionChars: 1_000,
  creditChars: 200,
  /** BCP 47's practical maximum (RFC 5646 §4.4.1 asks implementations to take at least 35). */
  languageChars: 35,
  /** An inline photo (base64 in the JSON), kept small so the request stays under Lambda's 6 MB payload. */
  imageBytes: 4_000_000,
  /** A photo uploaded with a presigned POST (`POST /api/media`): what cameras and phones produce. */
  uploadBytes: 40_000_000,
  uploadFilenameChars: 255,
  imageSide: 12_000,
  /** Refused before decoding: a "pixel bomb" of a few kilobytes can expand to gigabytes of pixels. */
  imagePixels: 50_000_000,
} as const;

/** Top-level path segments the site itself uses; a section may not take them. */
export const RESERVED_SECTIONS: ReadonlySet<string> = new Set([
  'api', 's', 'media', 'assets', 'static', 'tags', 'authors', 'page', 'feed', 'feeds', 'atom',
  'sitemap', 'sitemaps', 'news-sitemap', 'search', 'admin', 'robots.txt', 'favicon.ico', 'index',
  'rss', 'health', 'well-known', '.well-known', 'submit', 'login',
]);

/** A section's slug, which is also its path segment: lowercase letters, digits and single hyphens ("uk-politics"). */
export const SECTION_SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
