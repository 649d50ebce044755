/**
 * The single-table layout: every item has `pk`/`sk`; listings (home, section, tag, author) are
 * small summary items found through one index, `byList`, so every page is a Query, never a Scan.
 *
 *   pk                 sk                  what
 *   ARTICLE#<id>       ARTICLE             the article
 *   ARTICLE#<id>       LIST#<list>         its entry in a listing (listPk=<list>, listSk=<publishedAt>#<id>)
 *   ARTICLE#<id>       REV#<version>       an earlier version of the article, kept when a change replaces it
 *   PATH#<path>        PATH                claims a URL path for one article (unique by conditional put)
 *   SHORT#<code>       SHORT               a short link: code → article path (unique by conditional put)
 *   KEY#<id>           KEY                 an API key: hash of its secret, role
 *   IDEM#<key id>#<k>  IDEM                what a request with an Idempotency-Key did (expires after a day)
 *   MEDIA#<id>         MEDIA               an uploaded photo: owner, status, renditions, the article using it
 */
export const TABLE_KEYS = {
  partitionKey: 'pk',
  sortKey: 'sk',
  listIndex: 'byList',
  listPartitionKey: 'listPk',
  listSortKey: 'listSk',
  /** Epoch seconds; DynamoDB's TTL clears expired bookkeeping items. Never relied on for correctness. */
  ttlAttribute: 'expiresAt',
} as const;

export const REVISION_PREFIX = 'REV#';

export const keys = {
  article: (id: string) => ({ pk: `ARTICLE#${id}`, sk: 'ARTICLE' }),
  listEntry: (id: string, list: string) => ({ pk: `ARTICLE#${id}`, sk: `LIST#${list}` }),
  /** Zero-padded, so the revisions of an article sort by version. */
  revision: (id: string, version: number) => ({ pk: `ARTICLE#${id}`, sk: `${REVISION_PREFIX}${String(version).padStart(8, '0')}` }),
  path: (path: string) => ({ pk: `PATH#${path}`, sk: 'PATH' }),
  shortCode: (code: string) => ({ pk: `SHORT#${code}`, sk: 'SHORT' }),
  apiKey: (id: string) => ({ pk: `KEY#${id}`, sk: 'KEY' }),
  idempotency: (keyId: string, idempotencyKey: string) => ({ pk: `IDEM#${keyId}#${idempotencyKey}`, sk: 'IDEM' }),
  media: (id: string) => ({ pk: `MEDIA#${id}`, sk: 'MEDIA' }),
};

/** Names of listings an article appears in. */
export const lists = {
  all: 'all',
  section: (section: string) => `section#${section}`,
  tag: (tagSlug: string) => `tag#${tagSlug}`,
  author: (authorSlug: string) => `author#${authorSlug}`,
  /** Scheduled articles by due time: the sweep's query for what is overdue. */
  schedule: 'schedule',
  /** The newsroom's own listing (never shown to readers): every article, by status, by owner. */
  desk: (filter: { status?: string; ownerKeyId?: string }) =>
    ['desk', ...(filter.ownerKeyId ? [`mine#${filter.ownerKeyId}`] : []), ...(filter.status ? [`status#${filter.status}`] : [])].join('#'),
};
