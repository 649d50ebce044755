import { setTimeout as sleep } from 'node:timers/promises';
import { ScanCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, ListObjectsCommand, type S3Client } from '@aws-sdk/client-s3';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { articleSchema, type Article } from '../shared/article/article.js';
import { mediaRecordSchema, objectKeysOf, RENDITIONS_PREFIX, UPLOADS_PREFIX, uploadKey, type MediaRecord } from '../shared/media/media.js';
import { listingsFor } from '../shared/publishing/publish-article.js';
import { renderArticlePage } from '../shared/render/article-page.js';
import type { SiteUrls } from '../shared/render/site-paths.js';
import { listingEntryOf } from '../shared/storage/dynamodb-article-store.js';
import { pageKey } from '../shared/storage/s3-stores.js';
import { REVISION_PREFIX, TABLE_KEYS } from '../shared/storage/table-layout.js';
import { NEWSROOM_KEY_PREFIX } from '../infra/newsroom-build.js';

/** What the check found, one per object or item. `orphan`: nothing accounts for it; `broken`: something points at what is missing or disagrees. */
export interface Finding {
  kind: 'orphan' | 'broken';
  rule: FindingRule;
  /** The item (`pk|sk`) or object (`bucket/key`) concerned. */
  subject: string;
  detail: string;
}

export type FindingRule =
  | 'page-without-article'
  | 'rendition-without-record'
  | 'upload-without-record'
  | 'path-claim-without-article'
  | 'short-link-without-article'
  | 'listing-entry-without-article'
  | 'photo-record-without-article'
  | 'photo-record-without-upload'
  | 'unreadable-item'
  | 'article-without-page'
  | 'stale-page'
  | 'article-without-path-claim'
  | 'short-link-disagrees'
  | 'listing-entry-disagrees'
  | 'photo-file-missing'
  | 'photo-record-disagrees'
  | 'taken-down-article-left-behind'
  | 'idempotency-answer-without-article'
  | 'revision-without-article';

/** Everything the check reads: the table's items (unmarshalled) and both buckets' keys. */
export interface StoreSnapshot {
  items: Array<Record<string, unknown>>;
  mediaKeys: ReadonlySet<string>;
  siteKeys: ReadonlySet<string>;
  /** Article pages' HTML by object key, when pages are compared with the stored article. */
  pages?: ReadonlyMap<string, string>;
}

export interface ReconcileOptions {
  mediaBucket: string;
  siteBucket: string;
  now: Date;
  /** Needed to render an article's page again and compare it with the stored one. */
  urls?: SiteUrls;
}

export interface ReconcileReport {
  articles: { published: number; removed: number };
  items: number;
  objects: number;
  findings: Finding[];
}

/** A photo record whose upload never arrived is forgotten by the reporter after a day: then it is an orphan. */
const UPLOAD_GRACE_MS = 24 * 3600_000;

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** JSON with sorted keys and no undefined members: two summaries compare equal when a reader would see the same. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined).sort(([a], [b]) => (a < b ? -1 : 1))) : v,
  );
}

/**
 * Compares every derived item and object with the stored articles (pure: the snapshot is read
 * elsewhere). The rules are the publishing use cases' promises read backwards: a published article
 * has its page, path claim, active short link, one listing entry per listing with its current
 * summary, and its photo's record and files; a taken-down one keeps only its path claim and a
 * removed short link; nothing else exists.
 */
/** Whether the article's URL path is claimed: once scheduled or published (a draft's is provisional). */
function claimsItsPath(article: Article): boolean {
  const before = article.status === 'removed' ? article.change?.fromStatus : article.status;
  return before !== 'draft' && before !== 'submitted';
}

/** Whether the article has been live, and so holds its short link (published, or taken down from published). */
function wasLive(article: Article): boolean {
  if (article.status === 'published') return true;
  return article.status === 'removed' && (article.change?.fromStatus ?? 'published') === 'published';
}

export function findInconsistencies(snapshot: StoreSnapshot, options: ReconcileOptions): ReconcileReport {
  const findings: Finding[] = [];
  const add = (kind: Finding['kind'], rule: FindingRule, subject: string, detail: string) => findings.push({ kind, rule, subject, detail });
  const itemName = (item: Record<string, unknown>) => `${text(item.pk) ?? '?'}|${text(item.sk) ?? '?'}`;
  const media = (key: string) => `${options.mediaBucket}/${key}`;
  const site = (key: string) => `${options.siteBucket}/${key}`;

  const articles = new Map<string, Article>();
  const listingEntries: Array<Record<string, unknown>> = [];
  const pathClaims: Array<Record<string, unknown>> = [];
  const shortLinks = new Map<string, Record<string, unknown>>();
  const mediaRecords = new Map<string, MediaRecord>();
  const idempotency: Array<Record<string, unknown>> = [];
  const revisions: Array<Record<string, unknown>> = [];

  for (const item of snapshot.items) {
    const pk = text(item.pk) ?? '';
    const sk = text(item.sk) ?? '';
    const { pk: _pk, sk: _sk, [TABLE_KEYS.ttlAttribute]: _ttl, ...fields } = item;
    if (pk.startsWith('ARTICLE#') && sk === 'ARTICLE') {
      const parsed = articleSchema.safeParse(fields);
      if (parsed.success) articles.set(parsed.data.id, parsed.data);
      else add('broken', 'unreadable-item', itemName(item), 'an article item that does not parse as an article');
    } else if (pk.startsWith('ARTICLE#') && sk.startsWith('LIST#')) listingEntries.push(item);
    else if (pk.startsWith('ARTICLE#') && sk.startsWith(REVISION_PREFIX)) revisions.push(item);
    else if (pk.startsWith('PATH#')) pathClaims.push(item);
    else if (pk.startsWith('SHORT#')) shortLinks.set(pk.slice('SHORT#'.length), item);
    else if (pk.startsWith('MEDIA#')) {
      const parsed = mediaRecordSchema.safeParse(fields);
      if (parsed.success) mediaRecords.set(parsed.data.id, parsed.data);
      else add('broken', 'unreadable-item', itemName(item), 'a photo record that does not parse');
    } else if (pk.startsWith('IDEM#')) idempotency.push(item);
    // People, their keys, the audit trail and write windows refer to no article or object: nothing to reconcile.
    else if (!['KEY#', 'PERSON#', 'AUDIT#', 'RATE#'].some((prefix) => pk.startsWith(prefix))) add('orphan', 'unreadable-item', itemName(item), 'an item of no known kind');
  }

  // Pages: exactly one per published article, showing the stored article.
  const publishedPageKeys = new Map<string, Article>();
  for (const article of articles.values()) if (article.status === 'published') publishedPageKeys.set(pageKey(article.path), article);
  for (const key of snapshot.siteKeys) {
    // The newsroom app's files share the site bucket under their own prefix; they are no article's pages.
    if (key.startsWith(NEWSROOM_KEY_PREFIX)) continue;
    if (!publishedPageKeys.has(key)) add('orphan', 'page-without-article', site(key), 'no published article has this page');
  }

  // Photo files: every rendition belongs to a photo record or a published article; every upload to a record.
  const liveKeys = new Set<string>();
  for (const record of mediaRecords.values()) if (record.photo) for (const key of objectKeysOf(record.photo)) liveKeys.add(key);
  for (const article of articles.values()) if (article.status === 'published' && article.leadImage) for (const key of objectKeysOf(article.leadImage)) liveKeys.add(key);
  for (const key of snapshot.mediaKeys) {
    if (key.startsWith(UPLOADS_PREFIX)) {
      const record = mediaRecords.get(key.slice(UPLOADS_PREFIX.length));
      if (!record) add('orphan', 'upload-without-record', media(key), 'an uploaded original with no photo record');
      else if (record.status === 'rejected') add('orphan', 'upload-without-record', media(key), 'the original of a refused photo, which processing deletes');
    } else if (!liveKeys.has(key)) {
      add('orphan', 'rendition-without-record', media(key), key.startsWith(RENDITIONS_PREFIX) ? 'no photo record or published article names this file' : 'an object outside media/ and uploads/');
    }
  }

  for (const record of mediaRecords.values()) {
    const subject = `MEDIA#${record.id}|MEDIA`;
    const owner = record.articleId === undefined ? undefined : articles.get(record.articleId);
    if (record.articleId !== undefined) {
      if (!owner) add('orphan', 'photo-record-without-article', subject, `claimed by article ${record.articleId}, which does not exist`);
      else if (owner.status === 'removed') add('orphan', 'taken-down-article-left-behind', subject, `the photo record of taken-down article ${owner.id}`);
      else if (owner.leadImage?.mediaId !== record.id) add('orphan', 'photo-record-without-article', subject, `claimed by article ${owner.id}, whose photo is ${owner.leadImage?.mediaId ?? 'none'}`);
    }
    const hasUpload = snapshot.mediaKeys.has(uploadKey(record.id));
    if (record.status === 'pending' && !hasUpload && options.now.getTime() - Date.parse(record.createdAt) > UPLOAD_GRACE_MS) {
      add('orphan', 'photo-record-without-upload', subject, `pending since ${record.createdAt} and no upload arrived`);
    }
    if (record.status === 'ready') {
      if (!hasUpload) add('broken', 'photo-file-missing', media(uploadKey(record.id)), `the original of ready photo ${record.id} is gone, so its renditions cannot be rebuilt`);
      if (record.photo) for (const key of objectKeysOf(record.photo)) if (!snapshot.mediaKeys.has(key)) add('broken', 'photo-file-missing', media(key), `named by ready photo record ${record.id}`);
    }
  }

  // Claims: a path or short code is held by the article that stands there.
  const claimedPaths = new Map<string, string>();
  for (const claim of pathClaims) {
    const path = (text(claim.pk) ?? '').slice('PATH#'.length);
    const articleId = text(claim.articleId) ?? '';
    claimedPaths.set(path, articleId);
    const article = articles.get(articleId);
    if (!article) add('orphan', 'path-claim-without-article', itemName(claim), `claimed for article ${articleId}, which does not exist`);
    else if (!claimsItsPath(article)) add('orphan', 'path-claim-without-article', itemName(claim), `claimed for article ${articleId}, a ${article.status} one whose URL is not claimed yet`);
    // The URLs it had before an editor changed its slug stay its own, answering 301.
    else if (article.path !== path && !(article.previousPaths ?? []).includes(path)) add('orphan', 'path-claim-without-article', itemName(claim), `claimed for article ${articleId}, which lives at ${article.path}`);
  }
  for (const [code, link] of shortLinks) {
    const articleId = text(link.articleId) ?? '';
    const article = articles.get(articleId);
    const subject = itemName(link);
    if (!article || article.shortCode !== code) {
      add('orphan', 'short-link-without-article', subject, article ? `claimed for article ${articleId}, whose code is ${article.shortCode}` : `claimed for article ${articleId}, which does not exist`);
      continue;
    }
    const wanted = article.status === 'removed' ? 'removed' : 'active';
    if (link.status !== wanted) add('broken', 'short-link-disagrees', subject, `is ${String(link.status)} but article ${articleId} is ${article.status}`);
    if (link.path !== article.path) add('broken', 'short-link-disagrees', subject, `points to ${String(link.path)} but article ${articleId} lives at ${article.path}`);
  }

  // Listing entries: one per listing of a published article, with its current summary.
  const entriesOf = new Map<string, Set<string>>();
  for (const entry of listingEntries) {
    const articleId = (text(entry.pk) ?? '').slice('ARTICLE#'.length);
    const list = (text(entry.sk) ?? '').slice('LIST#'.length);
    const article = articles.get(articleId);
    const subject = itemName(entry);
    if (!article || !listingsFor(article).includes(list)) {
      add('orphan', 'listing-entry-without-article', subject, !article ? 'its article does not exist' : article.status === 'removed' ? 'its article was taken down' : `article ${articleId} is not listed in ${list}`);
      continue;
    }
    entriesOf.set(articleId, (entriesOf.get(articleId) ?? new Set()).add(list));
    const { pk: _pk, sk: _sk, ...stored } = entry;
    const listed = canonical(stored) === canonical(listingEntryOf(article, list));
    if (!listed) add('broken', 'listing-entry-disagrees', subject, `shows something other than version ${article.version} of article ${articleId}`);
  }

  for (const article of articles.values()) {
    const subject = `ARTICLE#${article.id}|ARTICLE`;
    // A draft's URL and short code are provisional; an embargo has its URL but no short link yet.
    if (claimsItsPath(article) && claimedPaths.get(article.path) !== article.id) add('broken', 'article-without-path-claim', subject, `${article.path} is ${claimedPaths.has(article.path) ? `claimed by ${claimedPaths.get(article.path)}` : 'not claimed'}`);
    if (wasLive(article) && !shortLinks.has(article.shortCode)) add('broken', 'short-link-disagrees', subject, `its short code ${article.shortCode} has no short link`);
    if (article.status === 'removed') {
      if (article.leadImage) for (const key of objectKeysOf(article.leadImage)) if (snapshot.mediaKeys.has(key)) add('orphan', 'taken-down-article-left-behind', media(key), `a photo file of taken-down article ${article.id}`);
      if (article.leadImage && snapshot.mediaKeys.has(uploadKey(article.leadImage.mediaId))) add('orphan', 'taken-down-article-left-behind', media(uploadKey(article.leadImage.mediaId)), `the original photo of taken-down article ${article.id}`);
      if (snapshot.siteKeys.has(pageKey(article.path))) add('orphan', 'taken-down-article-left-behind', site(pageKey(article.path)), `the page of taken-down article ${article.id}`);
      continue;
    }
    const key = pageKey(article.path);
    if (article.status !== 'published') {
      const missing = listingsFor(article).filter((list) => !(entriesOf.get(article.id) ?? new Set()).has(list));
      if (missing.length) add('broken', 'listing-entry-disagrees', subject, `missing from ${missing.join(', ')}`);
      continue;
    }
    if (!snapshot.siteKeys.has(key)) add('broken', 'article-without-page', subject, `no page at ${key}`);
    else if (options.urls && snapshot.pages) {
      const page = snapshot.pages.get(key);
      if (page !== undefined && page !== renderArticlePage(article, options.urls)) add('broken', 'stale-page', site(key), `does not show version ${article.version} of article ${article.id} as stored`);
    }
    const listed = entriesOf.get(article.id) ?? new Set();
    const missing = listingsFor(article).filter((list) => !listed.has(list));
    if (missing.length) add('broken', 'listing-entry-disagrees', subject, `missing from ${missing.join(', ')}`);
    if (article.leadImage) {
      const record = mediaRecords.get(article.leadImage.mediaId);
      if (!record || record.articleId !== article.id) add('broken', 'photo-record-disagrees', subject, `its photo ${article.leadImage.mediaId} is ${record ? `claimed by ${record.articleId ?? 'no article'}` : 'not recorded'}`);
      for (const file of objectKeysOf(article.leadImage)) if (!snapshot.mediaKeys.has(file)) add('broken', 'photo-file-missing', media(file), `shown on article ${article.id}`);
    }
  }

  for (const revision of revisions) {
    const articleId = (text(revision.pk) ?? '').slice('ARTICLE#'.length);
    if (!articles.has(articleId)) add('orphan', 'revision-without-article', itemName(revision), `a kept version of article ${articleId}, which does not exist`);
  }

  for (const record of idempotency) {
    const result = record.result as { id?: unknown } | undefined;
    if (record.status === 'completed' && typeof result?.id === 'string' && !articles.has(result.id)) {
      add('broken', 'idempotency-answer-without-article', itemName(record), `a retry would be told article ${result.id} was published, and it does not exist`);
    }
  }

  const published = [...articles.values()].filter((a) => a.status === 'published').length;
  return { articles: { published, removed: articles.size - published }, items: snapshot.items.length, objects: snapshot.mediaKeys.size + snapshot.siteKeys.size, findings };
}

export interface StoreLocation {
  dynamodb: DynamoDBClient;
  s3: S3Client;
  tableName: string;
  mediaBucket: string;
  siteBucket: string;
}

/** Every item of the table (a Scan: an offline check, never a request path). */
export async function scanTable(dynamodb: DynamoDBClient, tableName: string): Promise<Array<Record<string, unknown>>> {
  const items: Array<Record<string, unknown>> = [];
  let startKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await dynamodb.send(new ScanCommand({ TableName: tableName, ConsistentRead: true, ...(startKey ? { ExclusiveStartKey: startKey } : {}) }));
    for (const item of page.Items ?? []) items.push(unmarshall(item));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

/**
 * Every key of a bucket, paged by `Marker` (ListObjects): the local S3 emulator answers a truncated
 * ListObjectsV2 only with a legacy OpenSSL cipher enabled, which `npm start` does not enable.
 */
export async function listKeys(s3: S3Client, bucket: string): Promise<Set<string>> {
  const keys = new Set<string>();
  let marker: string | undefined;
  for (;;) {
    const page = await s3.send(new ListObjectsCommand({ Bucket: bucket, ...(marker ? { Marker: marker } : {}) }));
    const contents = page.Contents ?? [];
    for (const object of contents) if (object.Key) keys.add(object.Key);
    const last = contents[contents.length - 1]?.Key;
    if (!page.IsTruncated || !last) return keys;
    marker = last;
  }
}

function valueOf<T>(result: PromiseSettledResult<T>): T {
  if (result.status === 'rejected') throw result.reason;
  return result.value;
}

/** Reads the table and both buckets; with `withPages`, the HTML of every page too (a GET each, eight at a time). */
export async function takeSnapshot(store: StoreLocation, withPages = false): Promise<StoreSnapshot> {
  // Settled, not raced: nothing is still reading when a failure is reported (and the emulators stopped).
  const [scanned, mediaListed, siteListed] = await Promise.allSettled([scanTable(store.dynamodb, store.tableName), listKeys(store.s3, store.mediaBucket), listKeys(store.s3, store.siteBucket)]);
  const items = valueOf(scanned);
  const mediaKeys = valueOf(mediaListed);
  const siteKeys = valueOf(siteListed);
  if (!withPages) return { items, mediaKeys, siteKeys };
  const pages = new Map<string, string>();
  const queue = [...siteKeys];
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let key = queue.pop(); key !== undefined; key = queue.pop()) {
        const object = await store.s3.send(new GetObjectCommand({ Bucket: store.siteBucket, Key: key })).catch(() => undefined);
        const body = await object?.Body?.transformToString('utf8');
        if (body !== undefined) pages.set(key, body);
      }
    }),
  );
  return { items, mediaKeys, siteKeys, pages };
}

/** Reads the store and checks it; with `confirmAfterMs`, reads it again then and keeps only what both readings found. */
export async function reconcile(store: StoreLocation, options: { urls?: SiteUrls; confirmAfterMs?: number; now?: () => Date } = {}): Promise<ReconcileReport> {
  const now = options.now ?? (() => new Date());
  const check = async () => findInconsistencies(await takeSnapshot(store, options.urls !== undefined), { mediaBucket: store.mediaBucket, siteBucket: store.siteBucket, now: now(), ...(options.urls ? { urls: options.urls } : {}) });
  const first = await check();
  if (!options.confirmAfterMs || first.findings.length === 0) return first;
  await sleep(options.confirmAfterMs);
  const second = await check();
  const seen = new Set(first.findings.map((f) => `${f.rule} ${f.subject}`));
  return { ...second, findings: second.findings.filter((f) => seen.has(`${f.rule} ${f.subject}`)) };
}

/** The report as lines a person reads: a summary, then one line per finding (the first `limit`). */
export function formatReport(report: ReconcileReport, limit = Infinity): string {
  const counts = new Map<string, number>();
  for (const f of report.findings) counts.set(`${f.kind} ${f.rule}`, (counts.get(`${f.kind} ${f.rule}`) ?? 0) + 1);
  const orphans = report.findings.filter((f) => f.kind === 'orphan').length;
  const lines = [
    `${report.articles.published} published and ${report.articles.removed} taken-down articles, ${report.items} items, ${report.objects} objects: ${orphans} orphans, ${report.findings.length - orphans} broken references.`,
    ...[...counts].map(([rule, n]) => `  ${rule}: ${n}`),
    ...report.findings.slice(0, limit).map((f) => `${f.kind}\t${f.rule}\t${f.subject}\t${f.detail}`),
    ...(report.findings.length > limit ? [`… and ${report.findings.length - limit} more`] : []),
  ];
  return lines.join('\n');
}
