import * as z from 'zod/mini';
import { LIMITS, RESERVED_SECTIONS, SECTION_SLUG as SLUG } from './limits.js';
import { ValidationError, type FieldProblem } from '../errors.js';

// zod/mini: the same library and issues as `zod`, tree-shakable (17 KB instead of 450 KB in the
// API's bundle, which is most of its cold start).

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** Text a reader sees: trimmed, with a length the page layout and the README promise. */
const text = (max: number) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max));
const optionalText = (max: number) =>
  z.pipe(
    z.optional(z.string().check(z.trim(), z.maxLength(max))),
    z.transform((v) => (v === '' ? undefined : v)),
  );

function isLanguageTag(value: string): boolean {
  try {
    return Intl.getCanonicalLocales(value).length === 1;
  } catch {
    return false;
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The lead photo: either an uploaded one by its `mediaId` (`POST /api/media`), or a small one inline
 * as base64 `data`. Both go through the same processing before anything is published.
 */
export const imageSubmissionSchema = z
  .strictObject({
    data: z.optional(
      z.pipe(
        z.pipe(z.string(), z.transform((v) => v.replace(/\s+/g, ''))),
        z.string().check(z.minLength(1), z.maxLength(Math.ceil((LIMITS.imageBytes * 4) / 3) + 4), z.regex(BASE64, { error: 'must be base64 (no data: prefix)' })),
      ),
    ),
    mediaId: z.optional(z.string().check(z.regex(UUID, { error: 'must be the id POST /api/media answered' }))),
    alt: text(LIMITS.altChars),
    caption: text(LIMITS.captionChars),
    credit: text(LIMITS.creditChars),
  })
  .check(
    z.refine((image) => (image.data === undefined) !== (image.mediaId === undefined), {
      error: 'must have either mediaId (an uploaded photo) or data (a small inline photo), not both or neither',
      params: { rule: 'one_of' },
    }),
  );

/** The one source of the submission's shape: its runtime check and its static type. */
export const articleSubmissionSchema = z.strictObject({
  headline: text(LIMITS.headlineChars),
  standfirst: optionalText(LIMITS.standfirstChars),
  section: z.string().check(
    z.trim(),
    z.toLowerCase(),
    z.minLength(1),
    z.maxLength(LIMITS.sectionChars),
    z.regex(SLUG, { error: 'must be a slug: lowercase letters, digits and single hyphens, e.g. "world"' }),
    z.refine((s) => !RESERVED_SECTIONS.has(s), { error: 'is reserved by the site (api, s, media, tags, authors, …)', params: { rule: 'reserved' } }),
  ),
  byline: optionalText(LIMITS.bylineChars),
  language: z.pipe(
    z._default(z.string().check(z.trim(), z.refine(isLanguageTag, { error: 'must be a BCP 47 language tag such as "en", "ar" or "pt-BR"', params: { rule: 'bcp47' } })), 'en'),
    z.transform((v) => Intl.getCanonicalLocales(v)[0] ?? v),
  ),
  tags: z._default(z.array(text(LIMITS.tagChars)).check(z.maxLength(LIMITS.tags)), []),
  body: z.string().check(
    z.maxLength(LIMITS.bodyChars),
    z.refine((v) => v.trim().length > 0, { error: 'must not be empty', params: { rule: 'required' } }),
  ),
  leadImage: z.optional(imageSubmissionSchema),
  /** In the past: back-dates (wire copy). In the future, even by a second: schedules (an embargo). */
  publishedAt: z.optional(z.iso.datetime({ offset: true })),
  /** `draft` saves without publishing (POST only). */
  status: z.optional(z.enum(['draft'], { error: 'must be "draft" (or left out to publish)' })),
  /** A correction note readers see under the article (PUT only). */
  correction: optionalText(LIMITS.correctionChars),
  /** An editor's new slug for a published article's URL (PUT only). */
  slug: z.optional(
    z.string().check(
      z.trim(),
      z.minLength(1),
      z.maxLength(LIMITS.slugChars),
      z.regex(SLUG, { error: 'must be a slug: lowercase letters, digits and single hyphens, e.g. "cairo-talks-resume"' }),
    ),
  ),
});

export type ArticleSubmission = z.output<typeof articleSubmissionSchema>;
export type ImageSubmission = z.output<typeof imageSubmissionSchema>;

function describe(input: unknown): string {
  if (input === undefined) return 'nothing';
  if (input === null) return 'null';
  if (typeof input === 'string') return `a string of ${input.length} characters`;
  if (Array.isArray(input)) return `an array of ${input.length} items`;
  return `a ${typeof input}`;
}

function toProblem(issue: z.core.$ZodIssue): FieldProblem {
  const path = issue.path.map(String).join('.');
  const received = 'input' in issue ? `; received ${describe(issue.input)}` : '';
  const custom = (issue as { params?: { rule?: string } }).params?.rule;
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined
        ? { path, rule: 'required', message: `${path} is required` }
        : { path, rule: 'type', message: `${path} must be ${issue.expected}${received}` };
    case 'too_small':
      return issue.minimum === 1 && issue.origin === 'string'
        ? { path, rule: 'required', message: `${path} must not be empty` }
        : { path, rule: 'min', message: `${path} must have at least ${issue.minimum} ${issue.origin === 'array' ? 'items' : 'characters'}${received}` };
    case 'too_big':
      return {
        path,
        rule: 'max_length',
        message: `${path} must have at most ${issue.maximum} ${issue.origin === 'array' ? 'items' : 'characters'}${received}`,
      };
    case 'unrecognized_keys':
      return { path: [path, issue.keys[0]].filter(Boolean).join('.'), rule: 'unknown_field', message: `unknown field(s): ${issue.keys.join(', ')}` };
    case 'invalid_format':
      return { path, rule: 'format', message: `${path} ${issue.format === 'datetime' ? 'must be an ISO 8601 date-time with offset, e.g. 2024-04-07T09:30:00Z' : issue.message}${received}` };
    default:
      return { path, rule: custom ?? issue.code, message: `${path} ${issue.message}${received}` };
  }
}

/** Parses an unknown JSON value into a submission, or throws a ValidationError naming every problem. */
export function parseSubmission(input: unknown): ArticleSubmission {
  const result = articleSubmissionSchema.safeParse(input, { reportInput: true });
  if (result.success) return result.data;
  throw new ValidationError(result.error.issues.map(toProblem));
}
