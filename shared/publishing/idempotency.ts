import { createHash } from 'node:crypto';
import { ConflictError, IdempotencyKeyReusedError, ValidationError } from '../errors.js';
import type { IdempotencyRecord, IdempotencyStore } from '../storage/ports.js';

export type PublishOutcome = NonNullable<IdempotencyRecord['result']>;

const KEY_FORMAT = /^[A-Za-z0-9_.:-]{1,128}$/;
/** Longer than the API function's timeout: an attempt this old has died without cleaning up. */
const STALE_AFTER_MS = 60_000;

export function checkIdempotencyKey(value: string): string {
  if (!KEY_FORMAT.test(value)) {
    throw new ValidationError([
      { path: 'Idempotency-Key', rule: 'format', message: `Idempotency-Key header must be 1–128 characters of letters, digits, "_", "-", ".", ":"; received ${value.length} characters` },
    ]);
  }
  return value;
}

/**
 * The submission as JSON with every object's keys sorted, at every depth, so the same submission
 * hashes the same whatever order its client wrote the keys in. Arrays keep their order: tags in
 * another order are another submission.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item ?? null)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function requestHash(input: unknown): string {
  return createHash('sha256').update(canonicalJson(input)).digest('hex');
}

export interface IdempotentRun {
  outcome: PublishOutcome;
  replayed: boolean;
}

/**
 * Runs `publish` at most once per (API key, Idempotency-Key): a retry after success returns the
 * first answer; a retry after a crash resumes with the same article id, so the article keeps its
 * URL; a retry while the first attempt is still running is told to wait.
 */
export async function runIdempotently(
  store: IdempotencyStore,
  scope: { personId: string; idempotencyKey: string; requestHash: string; articleId: string },
  /** `resumed`: an earlier attempt with this article id died part-way, and may even have finished. */
  publish: (articleId: string, resumed: boolean) => Promise<PublishOutcome>,
): Promise<IdempotentRun> {
  const startedAt = Date.now();
  let record: IdempotencyRecord = { ...scope, status: 'in_progress', startedAt };
  const existing = await store.begin(record);
  if (existing) {
    if (existing.requestHash !== scope.requestHash) {
      throw new IdempotencyKeyReusedError('This Idempotency-Key was already used for a different submission; use a new key for a new article.');
    }
    if (existing.status === 'completed' && existing.result) return { outcome: existing.result, replayed: true };
    if (startedAt - existing.startedAt < STALE_AFTER_MS || !(await store.takeOver(existing, startedAt))) {
      throw new ConflictError('A request with this Idempotency-Key is still being processed; retry in a few seconds.');
    }
    record = { ...existing, startedAt };
  }
  let outcome: PublishOutcome;
  try {
    outcome = await publish(record.articleId, existing !== undefined);
  } catch (error) {
    await store.abandon(record);
    throw error;
  }
  // Outside the try: once published, the record must never be abandoned, or a retry would publish
  // again. If this write fails, the retry finds the record stale and resumes with the same id.
  await store.complete(record, outcome);
  return { outcome, replayed: false };
}
