import type { Article } from '../article/article.js';
import type { AuditEntry } from '../audit/audit.js';
import type { ApiKeyRecord, Person } from '../auth/api-key.js';
import type { MediaRecord, ProcessedPhoto, Rendition } from '../media/media.js';

/** A short link as stored: the code and the path it points to. */
export interface ShortLink {
  code: string;
  articleId: string;
  path: string;
  status: 'active' | 'removed';
}

/** A listing entry: what an index page, feed or sitemap shows of an article. */
export interface ArticleSummary {
  id: string;
  path: string;
  headline: string;
  standfirst?: string;
  section: string;
  byline?: string;
  language: string;
  tags: string[];
  /** The latest correction note, which feeds carry with the entry. */
  correction?: string;
  publishedAt: string;
  updatedAt: string;
  /** The small renditions only: a teaser's thumbnail, kept out of the listing item's size otherwise. */
  leadImage?: { alt: string; width: number; height: number; placeholder: string; renditions: Rendition[] };
}

export interface ArticleStore {
  /** Claims a URL path for an article; false when another article holds it (its own claim is no obstacle). */
  claimPath(path: string, articleId: string): Promise<boolean>;
  releasePath(path: string, articleId: string): Promise<void>;
  /** Claims a short code; false when another article holds it (its own claim is no obstacle). */
  claimShortCode(link: ShortLink): Promise<boolean>;
  releaseShortCode(code: string, articleId: string): Promise<void>;
  /** Writes the article and its listing entries: the commit point of a publish. */
  putArticle(article: Article, listings: string[]): Promise<void>;
  /** Undoes `putArticle` (a publish that failed while writing them). */
  deleteArticle(id: string, listings: string[]): Promise<void>;
  getArticle(id: string): Promise<Article | undefined>;
  /**
   * Replaces the article with `next` only if the stored version is still `expectedVersion`, and
   * swaps its listing entries: the commit point of a correction or a takedown. False on a lost race.
   */
  replaceArticle(next: Article, expectedVersion: number, listings: { remove: string[]; put: string[] }): Promise<boolean>;
  /** Writes an article's listing entries again (idempotent): completes a commit whose listing write failed. */
  putListings(article: Article, listings: string[]): Promise<void>;
  /** Removes an article's entries from listings (idempotent). */
  deleteListings(id: string, listings: string[]): Promise<void>;
  /** Sets a short link's status; false when there is no such short link (or, given `articleId`, it is another article's). */
  setShortLinkStatus(code: string, status: ShortLink['status'], articleId?: string): Promise<boolean>;
  /** Points a short link at another path (an editor's slug change); false when there is no such short link. */
  setShortLinkPath(code: string, path: string): Promise<boolean>;
  /** Keeps a version before a change replaces it (idempotent: the same version is the same content). */
  archiveRevision(article: Article): Promise<void>;
  /** The kept versions (not the current one), oldest first, without their text. */
  listRevisions(id: string): Promise<RevisionSummary[]>;
  getRevision(id: string, version: number): Promise<Article | undefined>;
}

/** One line of an article's history. */
export interface RevisionSummary {
  version: number;
  status: Article['status'];
  headline: string;
  updatedAt: string;
  change?: Article['change'];
}

/** The newsroom's listing: one page of entries, newest first, and where the next page starts. */
export interface DeskEntry extends ArticleSummary {
  status: Article['status'];
  version: number;
  createdBy: Article['createdBy'];
  previewToken?: string;
}

export interface DeskStore {
  page(list: string, limit: number, cursor?: string): Promise<{ entries: DeskEntry[]; nextCursor?: string }>;
  /** Scheduled articles due at or before `now` (ISO 8601), oldest first. */
  due(now: string, limit: number): Promise<Array<{ id: string; publishedAt: string }>>;
}

/** What the short-link path needs from storage: one read. */
export interface ShortLinkReader {
  getShortLink(code: string): Promise<ShortLink | undefined>;
}

/**
 * Asks for an article's scheduled publish to run at its time (on AWS a one-time EventBridge
 * Scheduler schedule; locally the runtime's timer needs none). Replaces any earlier schedule of the
 * article. A missed or stale schedule is harmless: the sweep and the publish step decide from the table.
 */
export interface Scheduler {
  schedule(articleId: string, at: string): Promise<void>;
  cancel(articleId: string): Promise<void>;
}

/** Tells the CDN to forget cached copies of paths (CloudFront on AWS, the local edge cache locally). */
export interface CdnInvalidator {
  invalidate(paths: string[]): Promise<void>;
}

/** What one change asks the CDN to forget: one queue message. */
export interface InvalidationRequest {
  articleId: string;
  change: 'published' | 'corrected' | 'slug-changed' | 'taken-down';
  paths: string[];
}

/**
 * Hands invalidations to a durable queue (SQS on AWS, the local runtime's queue locally) that the
 * invalidate function drains, batching and retrying: a change never waits for, or fails with, the CDN.
 * Resolves once the queue holds the request.
 */
export interface InvalidationQueue {
  enqueue(request: InvalidationRequest): Promise<void>;
}

/** Remembers what a request with an `Idempotency-Key` did, so a retry resumes instead of duplicating. */
export interface IdempotencyRecord {
  /** Whose request: a retry with another of the person's keys (after a rotation) resumes it too. */
  personId: string;
  idempotencyKey: string;
  requestHash: string;
  articleId: string;
  status: 'in_progress' | 'completed';
  /** Epoch milliseconds of the attempt that holds the record. */
  startedAt: number;
  result?: ArticleOutcome;
}

/**
 * What a change answers: the article's id, version and status; its public URL and short link once
 * it has them (published, or scheduled: the URL is claimed); its private preview URL while unpublished.
 */
export interface ArticleOutcome {
  id: string;
  version: number;
  status?: Article['status'];
  url?: string;
  shortUrl?: string;
  previewUrl?: string;
}

export interface IdempotencyStore {
  /** Creates the record; when one exists (and has not expired) returns it instead. */
  begin(record: IdempotencyRecord): Promise<IdempotencyRecord | undefined>;
  /** Takes over an attempt that died, only if nobody else took it over since `previous`. */
  takeOver(previous: IdempotencyRecord, startedAt: number): Promise<boolean>;
  complete(record: IdempotencyRecord, result: NonNullable<IdempotencyRecord['result']>): Promise<void>;
  /** Forgets a failed attempt so the client's retry starts afresh. */
  abandon(record: IdempotencyRecord): Promise<void>;
}

export type RevokeOutcome = 'revoked' | 'already-revoked' | 'not-found';

/** People and their keys. */
export interface PeopleStore {
  /** A key by id, read strongly consistently, so a revocation holds from the next request on. */
  getKey(id: string): Promise<ApiKeyRecord | undefined>;
  /** A person by id, read strongly consistently (a disabled person is refused at once). */
  getPerson(id: string): Promise<Person | undefined>;
  /** Stores a new person; false when one with this id exists (never overwritten). */
  putPerson(person: Person): Promise<boolean>;
  /** Stores a new key; never overwrites one with the same id. */
  putKey(record: ApiKeyRecord): Promise<void>;
  /** Everyone, oldest first, a page at a time. */
  listPeople(limit: number, cursor?: string): Promise<{ people: Person[]; nextCursor?: string }>;
  /** A person's keys, revoked ones too, oldest first. */
  listKeys(personId: string): Promise<ApiKeyRecord[]>;
  /** Sets `disabledAt`, keeping the first time when it was already disabled. */
  disablePerson(id: string, at: string): Promise<'disabled' | 'already-disabled' | 'not-found'>;
  /** Sets `revokedAt`, keeping the first time when it was already revoked. */
  revokeKey(id: string, at: string): Promise<RevokeOutcome>;
  /** Sets `lastUsedAt` unless a use since `staleBefore` is already recorded: one write per key per interval, however many requests. */
  touchKey(id: string, at: string, staleBefore: string): Promise<void>;
}

/** The audit trail: appended to, never changed. */
export interface AuditStore {
  append(entry: AuditEntry): Promise<void>;
  /** The newsroom's entries, newest first. */
  recent(limit: number, cursor?: string): Promise<AuditPage>;
  /** One article's entries, newest first. */
  forArticle(articleId: string, limit: number, cursor?: string): Promise<AuditPage>;
}

export interface AuditPage {
  entries: AuditEntry[];
  nextCursor?: string;
}

/** Counts a person's writes: admits one, or says how long until the next is admitted. */
export interface WriteRateLimiter {
  admit(personId: string, now: Date): Promise<{ admitted: true } | { admitted: false; retryAfterSeconds: number }>;
}

/** The photo objects: private originals under `uploads/`, public renditions under `media/`. */
export interface MediaStore {
  /** Stores a rendition, served as immutable: a new photo always gets new keys. */
  putPhoto(key: string, bytes: Uint8Array, contentType: string): Promise<void>;
  deletePhoto(key: string): Promise<void>;
  putUpload(mediaId: string, bytes: Uint8Array, contentType: string): Promise<void>;
  /** The original's bytes; `tooLarge` (its size) without reading it when it exceeds `maxBytes`; undefined when absent. */
  readUpload(mediaId: string, maxBytes: number): Promise<{ bytes: Uint8Array } | { tooLarge: number } | undefined>;
  deleteUpload(mediaId: string): Promise<void>;
  /**
   * Deletes every stored version (and delete marker) of a photo's objects: its renditions and crops
   * under `media/<id>/` and its original `uploads/<id>`. A versioned bucket keeps a deleted object as
   * a noncurrent version; a legal takedown must leave none.
   */
  purgePhotoVersions(mediaId: string): Promise<VersionPurge>;
  /** A presigned POST for exactly one upload: its key, content type and size range pinned by the policy. */
  presignUpload(mediaId: string, contentType: string): Promise<PresignedUpload>;
}

export interface VersionPurge {
  /** Versions and delete markers deleted. */
  deleted: number;
  /** False where the S3 endpoint keeps no versions (the local emulator): deleting an object was final. */
  versionsKept: boolean;
}

export interface PresignedUpload {
  url: string;
  fields: Record<string, string>;
  expiresAt: string;
}

/** Media records: single-item conditional writes make each status change happen once. */
export interface MediaRecordStore {
  /** Creates the record; false when one with this id exists. */
  create(record: MediaRecord): Promise<boolean>;
  get(id: string): Promise<MediaRecord | undefined>;
  /** pending → ready with what processing made; false when it is no longer pending (another attempt won). */
  markReady(id: string, photo: ProcessedPhoto): Promise<boolean>;
  /** pending → rejected with the reason; false when it is no longer pending. */
  markRejected(id: string, reason: string): Promise<boolean>;
  /** Gives a ready photo to one article; false when it is not ready or another article has it. */
  claim(id: string, articleId: string): Promise<boolean>;
  /** Undoes `claim` (only this article's claim). */
  release(id: string, articleId: string): Promise<void>;
  delete(id: string): Promise<void>;
}

export interface SiteStore {
  putPage(path: string, html: string): Promise<void>;
  deletePage(path: string): Promise<void>;
}
