import * as z from 'zod/mini';
import { ROLES } from '../auth/api-key.js';
import { processedPhotoSchema } from '../media/media.js';

/** An article's photo: a processed upload (renditions, upright size, placeholder) and what the reporter wrote about it. */
export const storedPhotoSchema = z.object({
  mediaId: z.string(),
  ...processedPhotoSchema.shape,
  alt: z.string(),
  caption: z.string(),
  credit: z.string(),
});
export type StoredPhoto = z.infer<typeof storedPhotoSchema>;

/**
 * An article's life: draft → (submitted) → scheduled → published → removed. Only `published` is
 * visible to readers. A draft's `path` and `shortCode` are provisional (unclaimed) until it goes
 * live; a scheduled article has claimed its path, and claims its short link when it goes live.
 */
export const ARTICLE_STATUSES = ['draft', 'submitted', 'scheduled', 'published', 'removed'] as const;
export type ArticleStatus = (typeof ARTICLE_STATUSES)[number];

/** Who: the person, and the key they used. Items stored before people existed have no personId (see recordedPersonId). */
const principalSchema = z.object({ personId: z.optional(z.string()), keyId: z.string(), name: z.string(), role: z.enum(ROLES) });

/** A correction readers see under the article: when it was made and what it said. */
export const correctionSchema = z.object({ at: z.string(), note: z.string() });
export type Correction = z.infer<typeof correctionSchema>;

export const CHANGE_KINDS = ['created', 'updated', 'corrected', 'slug-changed', 'submitted', 'returned', 'scheduled', 'published', 'preview-revoked', 'preview-issued', 'removed'] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

/** Who made this version, when, what kind of change it was, and the status it moved from. */
export const changeSchema = z.object({
  version: z.int().check(z.positive()),
  by: principalSchema,
  at: z.string(),
  kind: z.enum(CHANGE_KINDS),
  fromStatus: z.optional(z.enum(ARTICLE_STATUSES)),
  /** A correction note, or an editor's note when returning a submitted article. */
  note: z.optional(z.string()),
});
export type Change = z.infer<typeof changeSchema>;

/** The article as stored and rendered. Parsed (never cast) from every DynamoDB item. */
export const articleSchema = z.object({
  id: z.string(),
  version: z.int().check(z.positive()),
  status: z.enum(ARTICLE_STATUSES),
  path: z.string().check(z.startsWith('/')),
  shortCode: z.string(),
  headline: z.string(),
  standfirst: z.optional(z.string()),
  section: z.string(),
  byline: z.optional(z.string()),
  language: z.string(),
  tags: z.array(z.string()),
  body: z.string(),
  leadImage: z.optional(storedPhotoSchema),
  publishedAt: z.string(),
  updatedAt: z.string(),
  createdBy: principalSchema,
  /** Dated correction notes, oldest first; shown under the article. */
  corrections: z.optional(z.array(correctionSchema)),
  /** Paths the article had before an editor changed its slug: they answer 301 to `path`, for good. */
  previousPaths: z.optional(z.array(z.string())),
  /** The change that made this version (absent on articles stored before revisions were kept). */
  change: z.optional(changeSchema),
  /** The publish time the submitter asked for, if any: decides back-dating or scheduling when a draft is published. */
  requestedPublishedAt: z.optional(z.string()),
  /** Secret of the private preview URL of a draft, submitted or scheduled article; absent once revoked. */
  previewToken: z.optional(z.string()),
});
export type Article = z.infer<typeof articleSchema>;

/** Scripts written right to left; a page in one of these languages is `dir="rtl"` throughout. */
const RTL_LANGUAGES = new Set(['ar', 'arc', 'ckb', 'dv', 'fa', 'he', 'iw', 'ku', 'ps', 'sd', 'syr', 'ug', 'ur', 'yi']);

export function textDirection(language: string): 'ltr' | 'rtl' {
  const locale = new Intl.Locale(language);
  if (locale.script) return ['Arab', 'Hebr', 'Thaa', 'Syrc', 'Nkoo', 'Adlm', 'Rohg'].includes(locale.script) ? 'rtl' : 'ltr';
  return RTL_LANGUAGES.has(locale.language) ? 'rtl' : 'ltr';
}
