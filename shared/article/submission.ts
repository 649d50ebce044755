import * as z from 'zod/mini';
import { LIMITS, RESERVED_SECTIONS, SECTION_SLUG as SLUG } from './limits.js';
import { ValidationError, type FieldProblem } from '../errors.js';

// zod/mini: the same library and issues as `zod`, tree-shakable (17 KB instead of 450 KB in the
// API's bundle, which is most of its cold start).

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * What a reader cannot see on its own: controls, format characters (zero-width space and joiners,
 * the BOM, bidi marks), the other default-ignorable characters (fillers, variation selectors),
 * white space and the blank braille pattern. Text made only of these renders as nothing.
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}\p{White_Space}\u2800]/gu;
const hasVisibleText = (value: string) => value.replace(INVISIBLE, '').length > 0;

/**
 * Bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069): one left open in a byline
 * reorders whatever the page prints after it (the date, the site's own words). The marks that only
 * set a direction (LRM, RLM, ALM) stay allowed: Arabic and Hebrew text needs them.
 */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;

const codePoints = (found: readonly string[]) =>
  [...new Set(found)].map((c) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`).join(', ');

/** Refinements every plain-text field shares; an empty string is left to the field's own `required`. */
const visible = z.refine<string>((v) => v === '' || hasVisibleText(v), { error: 'must not be empty (it has only invisible characters)', params: { rule: 'required' } });
const withoutBidiControls = z.refine<string>((v) => v.match(BIDI_CONTROLS) === null, {
  error: (issue) =>
    `must not contain bidirectional control characters (U+202A–U+202E, U+2066–U+2069), which would reorder the page's text around it; found ${codePoints(String(issue.input).match(BIDI_CONTROLS) ?? [])}`,
  params: { rule: 'bidi_control' },
});

/** Text a reader sees: trimmed, visible, with a length the page layout and the README promise. */
const text = (max: number) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max), visible, withoutBidiControls);
const optionalText = (max: number) =>
  z.pipe(
    z.optional(z.string().check(z.trim(), z.maxLength(max), withoutBidiControls)),
    z.transform((v) => (v === undefined || !hasVisibleText(v) ? undefined : v)),
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

/**
 * A publication time in the years 1900 to 9999 in UTC, the instant the article's path and feeds are
 * dated by: `0000-01-01T00:30:00+01:00` is year −1 in UTC, and no newsroom publishes before 1900.
 */
const PUBLISHED_AT_UTC = { from: Date.UTC(1900, 0, 1), before: Date.UTC(10000, 0, 1) };
const publishedAtFormat = z.iso.datetime({ offset: true }).check(
  z.refine((v) => Date.parse(v) >= PUBLISHED_AT_UTC.from && Date.parse(v) < PUBLISHED_AT_UTC.before, {
    error: 'must fall in the years 1900 to 9999 in UTC (after applying its offset)',
    params: { rule: 'range' },
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
    z._default(z.string().check(z.trim(), z.maxLength(LIMITS.languageChars), z.refine(isLanguageTag, { error: 'must be a BCP 47 language tag such as "en", "ar" or "pt-BR"', params: { rule: 'bcp47' } })), 'en'),
    z.transform((v) => Intl.getCanonicalLocales(v)[0] ?? v),
  ),
  tags: z._default(z.array(text(LIMITS.tagChars)).check(z.maxLength(LIMITS.tags)), []),
  body: z.string().check(
    z.maxLength(LIMITS.bodyChars),
    z.refine(hasVisibleText, { error: 'must not be empty', params: { rule: 'required' } }),
  ),
  leadImage: z.optional(imageSubmissionSchema),
  /** In the past: back-dates (wire copy). In the future, even by a second: schedules (an embargo). */
  publishedAt: z.optional(publishedAtFormat),
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

/** What a field held, said without echoing it (it may be huge, nested or hostile). */
export function describe(input: unknown): string {
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
