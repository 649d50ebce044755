import { describe, expect, it } from 'vitest';
import { pathsShowing } from '../../shared/publishing/affected-paths.js';
import { storedPhoto } from '../support/stored-photo.js';

const article = {
  id: 'a1',
  path: '/world/2024/04/07/cairo-talks/',
  shortCode: 'x2ch4hu',
  section: 'world',
  byline: 'AFP',
  tags: ['Gaza', 'غزة'],
  publishedAt: '2024-04-07T09:30:00.000Z',
  leadImage: storedPhoto('a1'),
};

describe('pathsShowing', () => {
  const paths = pathsShowing(article);

  it('names the page in both cached forms, the short link and every rendition and crop of the photo', () => {
    expect(paths).toEqual(expect.arrayContaining(['/world/2024/04/07/cairo-talks/', '/world/2024/04/07/cairo-talks/index.html', '/s/x2ch4hu']));
    const photoPaths = paths.filter((p) => p.startsWith('/media/'));
    expect(photoPaths.sort()).toEqual([...article.leadImage.renditions, ...article.leadImage.crops].map((r) => `/${r.key}`).sort());
  });

  it('names every listing, feed and sitemap the article appears in', () => {
    expect(paths).toEqual(
      expect.arrayContaining(['/', '/index.html', '/page/*', '/feed.xml', '/atom.xml', '/world/', '/world/page/*', '/world/feed.xml', '/authors/afp/', '/tags/gaza/', `/tags/${encodeURIComponent('غزة')}/`, '/sitemap.xml', '/sitemaps/articles-2024-04.xml', '/news-sitemap.xml']),
    );
  });

  it('never clears the whole cache or a whole section, and stays within CloudFront wildcard limits', () => {
    expect(paths).not.toContain('/*');
    expect(paths).not.toContain('/world/*');
    const wildcards = paths.filter((p) => p.includes('*'));
    expect(wildcards.length).toBeLessThanOrEqual(2);
    const manyTags = pathsShowing({ ...article, tags: Array.from({ length: 20 }, (_, i) => `tag ${i}`) });
    expect(manyTags.filter((p) => p.includes('*')).length).toBeLessThanOrEqual(2);
  });
});
