import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { UsageError } from './errors.js';

/**
 * The front matter a Markdown article starts with, between `---` lines. Names follow the API's
 * submission except `publishAt` (the time to publish, past or future) and `leadImage.photo` (a file
 * to upload, relative to the Markdown file). The API checks the values; this checks the shape, so
 * a misspelt key is caught before anything is uploaded.
 */
const frontMatterSchema = z.strictObject({
  headline: z.string(),
  standfirst: z.string().optional(),
  section: z.string(),
  byline: z.string().optional(),
  language: z.string().optional(),
  tags: z.union([z.array(z.union([z.string(), z.number()]).transform(String)), z.string().transform((s) => s.split(',').map((t) => t.trim()).filter(Boolean))]).optional(),
  // YAML reads an unquoted ISO time as a Date: both spellings mean the same instant.
  publishAt: z.union([z.string(), z.date().transform((d) => d.toISOString())]).optional(),
  status: z.literal('draft').optional(),
  slug: z.string().optional(),
  leadImage: z
    .strictObject({
      photo: z.string().optional(),
      mediaId: z.string().optional(),
      alt: z.string(),
      caption: z.string(),
      credit: z.string(),
    })
    .optional(),
});

export interface MarkdownArticle {
  /** The submission without its photo: `leadImage` carries only the words (and a `mediaId` if given). */
  submission: Record<string, unknown>;
  /** The photo file to upload first, resolved against the Markdown file's folder. */
  photoPath?: string;
}

const FRONT_MATTER = /^\uFEFF?---\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/;

export const FRONT_MATTER_EXAMPLE = `---
headline: Israel pulls troops out of southern Gaza
standfirst: Talks in Cairo have made progress.
section: world
byline: AFP
tags: [Gaza, Egypt]
publishAt: 2026-12-01T09:00:00Z   # optional: later than now schedules it
status: draft                     # optional: save without publishing
leadImage:
  photo: lead.jpg                 # uploaded first, relative to this file
  alt: A man stands by the rubble
  caption: Khan Yunis on Monday.
  credit: AFP
---
The body, in Markdown.`;

export function readMarkdownArticle(path: string): MarkdownArticle {
  if (!existsSync(path)) throw new UsageError(`${path}: no such file. Give a Markdown file that starts with front matter, e.g.\n${FRONT_MATTER_EXAMPLE}`);
  const text = readFileSync(path, 'utf8');
  const match = FRONT_MATTER.exec(text);
  if (!match) throw new UsageError(`${path} has no front matter: start it with a --- line, the fields in YAML, and another --- line, e.g.\n${FRONT_MATTER_EXAMPLE}`);
  let raw: unknown;
  try {
    raw = parseYaml(match[1]!);
  } catch (error) {
    throw new UsageError(`${path}: the front matter is not valid YAML (${(error as Error).message.split('\n')[0]}). Fix it and run the command again.`);
  }
  const parsed = frontMatterSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `\n  ${issue.path.join('.') || '(front matter)'}: ${issue.message}`).join('');
    throw new UsageError(`${path}: the front matter has problems:${problems}\nFix them and run the command again; the fields are:\n${FRONT_MATTER_EXAMPLE}`);
  }
  const { publishAt, leadImage, ...fields } = parsed.data;
  if (leadImage && !leadImage.photo === !leadImage.mediaId) throw new UsageError(`${path}: leadImage needs either photo (a file to upload) or mediaId (an uploaded photo), not both or neither.`);
  const { photo, ...words } = leadImage ?? {};
  return {
    submission: {
      ...fields,
      body: text.slice(match[0].length).replace(/^\s*\n/, ''),
      ...(publishAt ? { publishedAt: publishAt } : {}),
      ...(leadImage ? { leadImage: words } : {}),
    },
    ...(photo ? { photoPath: resolve(dirname(path), photo) } : {}),
  };
}
