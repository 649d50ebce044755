import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Article } from '../../shared/article/article.js';
import { listingsOf } from '../../shared/article/listings.js';
import { parsePagePath, type PageRoute } from '../../shared/reader/page-routes.js';
import { serveReaderPage, type ReaderAnswer, type ReaderDeps } from '../../shared/reader/serve-reader-page.js';
import { renderArticlePage } from '../../shared/render/article-page.js';
import { summaryOf } from '../../shared/storage/dynamodb-article-store.js';
import { hostileArticle, requestPath } from '../support/hostile-input.js';
import { inspectHtml, inspectXml } from '../support/page-safety.js';

/**
 * Hostile input as properties: whatever text a submission carries, in any field, and whatever path
 * a reader asks for, the article page, index pages, feeds, sitemaps and JSON-LD always parse and
 * never hold a script element (but the JSON-LD), an event-handler attribute or a `javascript:` or
 * `data:` URL. The renderers are checked directly on stored articles, without the submission's
 * validation in front: escaping must not depend on it.
 *
 * `npm test` runs a bounded number of cases with a new seed each time (fast-check prints the seed
 * and path of any failure, to replay it); `npm run test:properties:long` runs many more with a fixed seed.
 */
const RUNS = Number(process.env.PROPERTY_RUNS ?? 150);
const SEED = process.env.PROPERTY_SEED === undefined ? undefined : Number(process.env.PROPERTY_SEED);
const settings = { numRuns: RUNS, ...(SEED === undefined ? {} : { seed: SEED }) };

const SITE = { publicBaseUrl: 'https://news.example' };

/** The reader side with one article in every listing: what the pages function answers for any path. */
function readerDeps(article: Article): ReaderDeps {
  const summary = summaryOf(article);
  return {
    listings: {
      newest: async () => [summary],
      publishedSince: async () => [summary],
      publishedInMonth: async () => [summary],
      months: async () => ['2024-04'],
    },
    articles: { articleAtPath: async () => article },
    urls: SITE,
    now: () => new Date('2024-04-08T00:00:00Z'),
  };
}

/** Every problem of one answer of the pages function: HTML and XML alike must parse and be inert. */
function problemsOf(answer: ReaderAnswer): string[] {
  switch (answer.kind) {
    case 'page': {
      const page = inspectHtml(answer.body);
      return [...page.parseErrors, ...page.problems, ...(page.jsonLd.length ? ['an index page with JSON-LD'] : [])];
    }
    case 'feed':
    case 'sitemap': {
      const feed = inspectXml(answer.body);
      return [...feed.parseErrors, ...feed.problems];
    }
    case 'redirect':
      // Only to a path of this site: never `//elsewhere`, `/\elsewhere` or a scheme.
      return /^\/(?![/\\])[^\s\\]*$/.test(answer.location) ? [] : [`a redirect off the site: ${answer.location}`];
    case 'text':
    case 'icon':
    case 'not-found':
    case 'gone':
      return [];
  }
}

describe('an article page, whatever its text', () => {
  it('parses without error, holds no script but its JSON-LD, no event handler and no scripting URL', () => {
    fc.assert(
      fc.property(hostileArticle, (article) => {
        const page = inspectHtml(renderArticlePage({ ...article, status: 'published' }, SITE));
        expect(page.parseErrors).toEqual([]);
        expect(page.problems).toEqual([]);
        expect(page.jsonLd).toHaveLength(1);
        const data = JSON.parse(page.jsonLd[0]!) as Record<string, unknown>;
        expect(data['@type']).toBe('NewsArticle');
        expect(data.url).toBe(SITE.publicBaseUrl + article.path);
      }),
      settings,
    );
  });
});

describe('index pages, feeds and sitemaps listing it', () => {
  it('parse (HTML, or XML for feeds and sitemaps) and are inert, for every listing the article is in', async () => {
    await fc.assert(
      fc.asyncProperty(hostileArticle, async (article) => {
        const deps = readerDeps(article);
        const routes: PageRoute[] = [
          ...listingsOf(article).flatMap((listing): PageRoute[] => [
            { kind: 'index', listing, page: 1, hasTrailingSlash: true },
            { kind: 'index', listing, page: 2, hasTrailingSlash: true },
            { kind: 'feed', listing, format: 'rss' },
            { kind: 'feed', listing, format: 'atom' },
          ]),
          { kind: 'sitemap-index' },
          { kind: 'article-sitemap', month: '2024-04' },
          { kind: 'news-sitemap' },
        ];
        for (const route of routes) {
          const answer = await serveReaderPage(route, deps);
          expect(problemsOf(answer), `${route.kind} ${JSON.stringify(route)}`).toEqual([]);
        }
      }),
      settings,
    );
  });
});

describe('any path a reader asks for', () => {
  it('is answered by the pages function with a page, feed or redirect that parses, is inert and stays on the site', async () => {
    await fc.assert(
      fc.asyncProperty(requestPath, hostileArticle, async (path, article) => {
        const answer = await serveReaderPage(parsePagePath(path), readerDeps(article));
        expect(problemsOf(answer), `${path} → ${answer.kind}`).toEqual([]);
      }),
      settings,
    );
  });
});
