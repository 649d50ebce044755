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
 *   PERSON#<id>        PERSON              a person: name, role (listPk=people, listSk=<createdAt>#<id>)
 *   KEY#<id>           KEY                 an API key: its person, label, hash of its secret (listPk=keys#<person id>)
 *   AUDIT#<subject>    <at>#<unique>       one audited write about an article, upload or person (listPk=audit, listSk=<at>#<unique>)
 *   RATE#<person id>   RATE                the person's current write window: when it opened, writes in it (expires)
 *   IDEM#<person>#<k>  IDEM                what a request with an Idempotency-Key did (expires after a day)
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
  person: (id: string) => ({ pk: `PERSON#${id}`, sk: 'PERSON' }),
  /** The audit entries about one thing (`article#<id>`, `media#<id>`, `person#<id>`) share a partition, newest last. */
  auditPartition: (subject: string) => `AUDIT#${subject}`,
  writeWindow: (personId: string) => ({ pk: `RATE#${personId}`, sk: 'RATE' }),
  idempotency: (personId: string, idempotencyKey: string) => ({ pk: `IDEM#${personId}#${idempotencyKey}`, sk: 'IDEM' }),
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
  /** Everyone in the newsroom, by when they were added. */
  people: 'people',
  /** One person's keys, by when they were issued. */
  keysOf: (personId: string) => `keys#${personId}`,
  /**
   * Every audit entry, newest last. One index partition on purpose: a newsroom writes far below a
   * partition's thousand writes a second (the per-person rate limit sees to that), and "recent"
   * is then one Query.
   */
  audit: 'audit',
  /** The newsroom's own listing (never shown to readers): every article, by status, by owner (the person; for articles stored before people existed, the key id, which is that key's person id). */
  desk: (filter: { status?: string; ownerId?: string }) =>
    ['desk', ...(filter.ownerId ? [`mine#${filter.ownerId}`] : []), ...(filter.status ? [`status#${filter.status}`] : [])].join('#'),
};
