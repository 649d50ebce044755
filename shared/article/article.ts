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

export const ARTICLE_STATUSES = ['published', 'removed'] as const;

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
  createdBy: z.object({ keyId: z.string(), name: z.string(), role: z.enum(ROLES) }),
});
export type Article = z.infer<typeof articleSchema>;

/** Scripts written right to left; a page in one of these languages is `dir="rtl"` throughout. */
const RTL_LANGUAGES = new Set(['ar', 'arc', 'ckb', 'dv', 'fa', 'he', 'iw', 'ku', 'ps', 'sd', 'syr', 'ug', 'ur', 'yi']);

export function textDirection(language: string): 'ltr' | 'rtl' {
  const locale = new Intl.Locale(language);
  if (locale.script) return ['Arab', 'Hebr', 'Thaa', 'Syrc', 'Nkoo', 'Adlm', 'Rohg'].includes(locale.script) ? 'rtl' : 'ltr';
  return RTL_LANGUAGES.has(locale.language) ? 'rtl' : 'ltr';
}
