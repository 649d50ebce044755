import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { renderAtomFeed, renderRssFeed } from '../../shared/render/feeds.js';
import { newsLanguage, renderNewsSitemap, renderSitemapIndex } from '../../shared/render/sitemaps.js';
import type { ArticleSummary } from '../../shared/storage/ports.js';

const SITE_URLS = { publicBaseUrl: 'https://news.example.com' };
const NOW = new Date('2024-04-08T12:00:00.000Z');
const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@' });

function summary(overrides: Partial<ArticleSummary> = {}): ArticleSummary {
  return {
    id: '0b6f3c1e-5d1a-4c59-9a7e-2f5a0c7e9b11',
    path: '/world/2024/04/07/talks/',
    headline: 'Talks resume',
    standfirst: 'Delegations <return> & wait',
    section: 'world',
    byline: 'AFP',
    language: 'en',
    tags: ['Gaza'],
    publishedAt: '2024-04-07T09:30:00.000Z',
    updatedAt: '2024-04-07T11:00:00.000Z',
    ...overrides,
  };
}

const content = (articles: ArticleSummary[]) => ({ listing: { kind: 'home' } as const, title: 'Pressline', description: 'News.', articles });

describe('feeds', () => {
  it('name the byline with dc:creator, as RSS 2.0 reserves <author> for an e-mail address', () => {
    const rss = renderRssFeed(content([summary()]), SITE_URLS, NOW);
    expect(rss).toContain('<dc:creator>AFP</dc:creator>');
    expect(rss).not.toContain('<author>');
  });

  it('give RSS an HTML description that shows the standfirst as text', () => {
    const item = (parser.parse(renderRssFeed(content([summary()]), SITE_URLS, NOW)) as { rss: { channel: { item: { description: string } } } }).rss.channel.item;
    // The description is HTML; decoded once more, a reader shows the original characters.
    expect(item.description).toBe('Delegations &lt;return&gt; &amp; wait');
  });

  it('keep control characters out, which XML forbids', () => {
    const headline = 'Escape\u001b here\u0000';
    for (const xml of [renderRssFeed(content([summary({ headline })]), SITE_URLS, NOW), renderAtomFeed(content([summary({ headline })]), SITE_URLS, NOW)]) {
      expect(xml).toContain('Escape here');
      expect(() => parser.parse(xml)).not.toThrow();
    }
  });

  it("mark an Atom entry in another language with xml:lang, and date an empty feed by the clock", () => {
    expect(renderAtomFeed(content([summary({ language: 'ar' })]), SITE_URLS, NOW)).toContain('<entry xml:lang="ar">');
    expect(renderAtomFeed(content([]), SITE_URLS, NOW)).toContain('<updated>2024-04-08T12:00:00.000Z</updated>');
  });
});

describe('sitemaps', () => {
  it('index the news sitemap first, then one sitemap per month', () => {
    const index = renderSitemapIndex(['2024-04', '2024-03'], SITE_URLS);
    expect([...index.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1])).toEqual([
      'https://news.example.com/news-sitemap.xml',
      'https://news.example.com/sitemaps/articles-2024-04.xml',
      'https://news.example.com/sitemaps/articles-2024-03.xml',
    ]);
  });

  it('give each news entry the publication, its language, date and title', () => {
    const news = renderNewsSitemap([summary({ headline: 'Q&A' })], SITE_URLS);
    expect(news).toContain(
      '<url><loc>https://news.example.com/world/2024/04/07/talks/</loc><news:news><news:publication><news:name>Pressline</news:name><news:language>en</news:language></news:publication><news:publication_date>2024-04-07T09:30:00.000Z</news:publication_date><news:title>Q&amp;A</news:title></news:news></url>',
    );
  });

  it.each([
    ['en-GB', 'en'],
    ['ar', 'ar'],
    ['pt-BR', 'pt'],
    ['zh-Hant', 'zh-tw'],
    ['zh-TW', 'zh-tw'],
    ['zh-CN', 'zh-cn'],
    ['zh', 'zh-cn'],
  ])('names %s as %s for Google News', (language, expected) => {
    expect(newsLanguage(language)).toBe(expected);
  });
});
