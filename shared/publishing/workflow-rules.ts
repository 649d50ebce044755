import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { ArticleStatus } from '../article/article.js';
import type { ArticleSubmission } from '../article/submission.js';
import type { Principal } from '../auth/api-key.js';
import { ValidationError } from '../errors.js';

/**
 * Where a new submission starts: a draft when asked; `submitted` when review is on and a reporter
 * asks to publish; `scheduled` when its time is later than now, even by a second; else published.
 */
export function initialStatus(submission: Pick<ArticleSubmission, 'status' | 'publishedAt'>, principal: Principal, now: Date, reviewRequired: boolean): Exclude<ArticleStatus, 'removed'> {
  if (submission.status === 'draft') return 'draft';
  if (reviewRequired && principal.role !== 'editor') return 'submitted';
  return submission.publishedAt && Date.parse(submission.publishedAt) > now.getTime() ? 'scheduled' : 'published';
}

/** `correction` and `slug` change an article that exists: a POST carrying them is a mistake. */
export function refuseFieldsOfPut(submission: Pick<ArticleSubmission, 'correction' | 'slug'>): void {
  const misplaced = (['correction', 'slug'] as const).filter((field) => submission[field] !== undefined);
  if (misplaced.length) {
    throw new ValidationError(misplaced.map((path) => ({ path, rule: 'put_only', message: `${path} changes a published article: send it with PUT /api/articles/{id}` })));
  }
}

/** 128 random bits, URL-safe: a preview URL cannot be guessed or enumerated. */
export function newPreviewToken(): string {
  return randomBytes(16).toString('base64url');
}

export function previewTokenMatches(given: string, stored: string | undefined): boolean {
  if (!stored) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(stored);
  return a.length === b.length && timingSafeEqual(a, b);
}
