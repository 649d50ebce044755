import { randomUUID } from 'node:crypto';
import type { Article } from '../../../shared/article/article.js';
import { listingSlug } from '../../../shared/article/listing-slug.js';
import { articlePath } from '../../../shared/article/slug.js';
import { createDynamoDbClient } from '../../../shared/storage/clients.js';
import { DynamoDbArticleStore } from '../../../shared/storage/dynamodb-article-store.js';
import { wireSubmission } from '../../support/fixtures.js';
import { startTestRuntime, type Published, type TestRuntime } from '../../support/local-runtime.js';

/** The Arabic article of the acceptance check, with a block quote added. */
export const ARABIC_SUBMISSION = {
  headline: 'محادثات القاهرة تحرز تقدما كبيرا',
  section: 'world',
  language: 'ar',
  byline: 'أ ف ب',
  tags: ['غزة'],
  body: 'قال مصدر مصري رفيع إن المحادثات أحرزت "تقدما كبيرا".\n\n## محادثات القاهرة\n\n> إسرائيل مستعدة لصفقة.\n\nومن المتوقع أن تعود الوفود خلال يومين.',
};

/** No photo, no byline, no tags, but a standfirst and the Markdown a feature uses: quote, list, table, link. */
export const PLAIN_SUBMISSION = {
  headline: 'Committee publishes its report on local election turnout',
  standfirst: 'Turnout fell in most councils, with the sharpest drop among voters under 25.',
  section: 'uk-politics',
  body: [
    'The cross-party committee published its findings on Tuesday.',
    '> Every vote that is not cast is a voice that is not heard.',
    '## What the report recommends',
    '- Polling stations open until 10pm\n- Postal votes by default for voters over 80',
    '| Council | 2019 | 2023 |\n|---|---|---|\n| Leeds | 34% | 29% |\n| Bristol | 41% | 38% |',
    'The full report is on the [committee website](https://committees.example.org/report).',
  ].join('\n\n'),
};

/** Every page the reader tests check, one of each type and language; the site builds exactly these. */
export const PAGE_NAMES = [
  'article-wire-photo',
  'article-wire-no-photo',
  'article-arabic',
  'article-plain',
  'home',
  'home-page-2',
  'section-world',
  'section-uk-politics',
  'section-sport-page-2',
  'tag-gaza',
  'tag-arabic',
  'author-afp',
  'author-arabic',
  'not-found-path',
  'not-found-section',
  'removed-article',
] as const;

export type PageKind = 'article' | 'home' | 'section' | 'tag' | 'author' | '404' | '410';

export interface SitePage {
  /** Test name and file name: `article-wire-photo`, `tag-arabic`, … */
  name: (typeof PAGE_NAMES)[number];
  kind: PageKind;
  url: string;
  status: 200 | 404 | 410;
}

export interface ReaderSite {
  runtime: TestRuntime;
  wire: Published;
  wireNoPhoto: Published;
  arabic: Published;
  plain: Published;
  removedUrl: string;
  /** Every page type, LTR and RTL, with and without photo, with and without pagination. */
  pages: SitePage[];
  stop(): Promise<void>;
}

/**
 * A removed article, written straight through the article store (as a takedown leaves it: the
 * path still claimed, the article marked removed, no listing entries, no page in the bucket).
 */
export async function writeRemovedArticle(runtime: TestRuntime): Promise<string> {
  const id = randomUUID();
  const publishedAt = new Date(Date.now() - 3600_000).toISOString();
  const path = articlePath('world', new Date(publishedAt), `withdrawn-report-${id.slice(0, 8)}`);
  const article: Article = {
    id,
    version: 2,
    status: 'removed',
    path,
    shortCode: 'rmvd234',
    headline: 'Withdrawn report',
    section: 'world',
    language: 'en',
    tags: [],
    body: 'Withdrawn.',
    publishedAt,
    updatedAt: new Date().toISOString(),
    createdBy: { keyId: 'test', name: 'Test editor', role: 'editor' },
  };
  const client = createDynamoDbClient();
  try {
    const store = new DynamoDbArticleStore(client, runtime.tableName);
    if (!(await store.claimPath(path, id))) throw new Error(`path ${path} already claimed`);
    await store.putArticle(article, []);
  } finally {
    client.destroy();
  }
  return runtime.baseUrl + path;
}

/** The real local runtime with the articles every reader-page check needs, and the list of pages to check. */
export async function startReaderSite(): Promise<ReaderSite> {
  const runtime = await startTestRuntime();
  try {
    // Older first, so the wire fixture is the newest article on the home page.
    // 21 sport reports: one more than an index page holds, so home and /sport/ have a page 2.
    for (let i = 1; i <= 21; i++) {
      await runtime.publishOk({ headline: `Match report ${i}: late goal settles the derby`, section: 'sport', byline: 'Sports desk', body: `Report ${i}.` });
    }
    const plain = await runtime.publishOk(PLAIN_SUBMISSION);
    const arabic = await runtime.publishOk(ARABIC_SUBMISSION);
    const wireNoPhoto = await runtime.publishOk(wireSubmission({ withPhoto: false }));
    const wire = await runtime.publishOk(wireSubmission());
    const removedUrl = await writeRemovedArticle(runtime);
    const base = runtime.baseUrl;
    const arabicTag = encodeURIComponent(listingSlug('غزة'));
    const arabicAuthor = encodeURIComponent(listingSlug('أ ف ب'));
    const pages: SitePage[] = [
      { name: 'article-wire-photo', kind: 'article', url: wire.url, status: 200 },
      { name: 'article-wire-no-photo', kind: 'article', url: wireNoPhoto.url, status: 200 },
      { name: 'article-arabic', kind: 'article', url: arabic.url, status: 200 },
      { name: 'article-plain', kind: 'article', url: plain.url, status: 200 },
      { name: 'home', kind: 'home', url: `${base}/`, status: 200 },
      { name: 'home-page-2', kind: 'home', url: `${base}/page/2/`, status: 200 },
      { name: 'section-world', kind: 'section', url: `${base}/world/`, status: 200 },
      { name: 'section-uk-politics', kind: 'section', url: `${base}/uk-politics/`, status: 200 },
      { name: 'section-sport-page-2', kind: 'section', url: `${base}/sport/page/2/`, status: 200 },
      { name: 'tag-gaza', kind: 'tag', url: `${base}/tags/gaza/`, status: 200 },
      { name: 'tag-arabic', kind: 'tag', url: `${base}/tags/${arabicTag}/`, status: 200 },
      { name: 'author-afp', kind: 'author', url: `${base}/authors/afp/`, status: 200 },
      { name: 'author-arabic', kind: 'author', url: `${base}/authors/${arabicAuthor}/`, status: 200 },
      { name: 'not-found-path', kind: '404', url: `${base}/no/such/page`, status: 404 },
      { name: 'not-found-section', kind: '404', url: `${base}/no-such-section/`, status: 404 },
      { name: 'removed-article', kind: '410', url: removedUrl, status: 410 },
    ];
    return { runtime, wire, wireNoPhoto, arabic, plain, removedUrl, pages, stop: () => runtime.stop() };
  } catch (error) {
    await runtime.stop();
    throw error;
  }
}
