import { describe, expect, it } from 'vitest';
import { invalidationPaths, type ShownArticle } from '../../shared/publishing/affected-paths.js';
import { storedPhoto } from '../support/stored-photo.js';

const PAGE = '/world/2024/04/07/cairo-talks/';
const photo = storedPhoto('a1');
const article: ShownArticle = {
  id: 'a1',
  path: PAGE,
  shortCode: 'x2ch4hu',
  section: 'world',
  byline: 'AFP',
  tags: ['Gaza'],
  publishedAt: '2024-04-07T09:30:00.000Z',
  leadImage: photo,
};
const photoPaths = [...photo.renditions, ...photo.crops].map((r) => `/${r.key}`);

/** A listing as every change shows it: its page in both cached forms, its two feeds. */
const shown = (base: string) => [base, `${base}index.html`, `${base}feed.xml`, `${base}atom.xml`];
const home = [...shown('/'), '/page/*'];
const world = [...shown('/world/'), '/world/page/*'];
const sitemaps = ['/sitemap.xml', '/sitemaps/articles-2024-04.xml', '/news-sitemap.xml'];

const sorted = (paths: string[]) => [...paths].sort();

describe('invalidationPaths: the exact batch of each kind of change', () => {
  it('publish: its URL and short link in every spelling (a 404 may be cached), the listings it enters with their slash-less spelling, the sitemaps', () => {
    expect(sorted(invalidationPaths({ kind: 'published', article }))).toEqual(
      sorted([
        PAGE,
        `${PAGE}index.html`,
        '/world/2024/04/07/cairo-talks',
        '/s/x2ch4hu',
        '/s/x2ch4hu/',
        ...home,
        ...world,
        '/world',
        ...shown('/authors/afp/'),
        '/authors/afp',
        ...shown('/tags/gaza/'),
        '/tags/gaza',
        ...sitemaps,
      ]),
    );
  });

  it('correction: the page, the listings it is in, enters and leaves, the sitemaps, and the photo it replaced; not its short link', () => {
    const after: ShownArticle = { ...article, tags: ['Egypt'], leadImage: storedPhoto('b2') };
    expect(sorted(invalidationPaths({ kind: 'corrected', before: article, after }))).toEqual(
      sorted([PAGE, `${PAGE}index.html`, ...home, ...world, ...shown('/authors/afp/'), ...shown('/tags/egypt/'), '/tags/egypt', ...shown('/tags/gaza/'), ...sitemaps, ...photoPaths]),
    );
  });

  it('correction of the words only: the same photo keeps its cached renditions', () => {
    const after: ShownArticle = { ...article, leadImage: { ...photo, caption: 'Corrected caption.' } };
    expect(sorted(invalidationPaths({ kind: 'corrected', before: article, after }))).toEqual(
      sorted([PAGE, `${PAGE}index.html`, ...home, ...world, ...shown('/authors/afp/'), ...shown('/tags/gaza/'), ...sitemaps]),
    );
  });

  it('slug change: old and new URLs in every spelling, the short link in both, the listings and sitemaps', () => {
    const moved = '/world/2024/04/07/cairo-talks-resume/';
    const after: ShownArticle = { ...article, path: moved, previousPaths: [PAGE] };
    expect(sorted(invalidationPaths({ kind: 'slug-changed', before: article, after }))).toEqual(
      sorted([
        PAGE,
        `${PAGE}index.html`,
        '/world/2024/04/07/cairo-talks',
        moved,
        `${moved}index.html`,
        '/world/2024/04/07/cairo-talks-resume',
        '/s/x2ch4hu',
        '/s/x2ch4hu/',
        ...home,
        ...world,
        ...shown('/authors/afp/'),
        ...shown('/tags/gaza/'),
        ...sitemaps,
      ]),
    );
  });

  it('takedown: everything that showed it, the URLs it had before and the photo included', () => {
    const moved = '/world/2024/04/07/cairo-talks-resume/';
    const removed: ShownArticle = { ...article, path: moved, previousPaths: [PAGE] };
    expect(sorted(invalidationPaths({ kind: 'taken-down', article: removed }))).toEqual(
      sorted([
        moved,
        `${moved}index.html`,
        '/world/2024/04/07/cairo-talks-resume',
        PAGE,
        `${PAGE}index.html`,
        '/world/2024/04/07/cairo-talks',
        '/s/x2ch4hu',
        '/s/x2ch4hu/',
        ...photoPaths,
        ...home,
        ...world,
        ...shown('/authors/afp/'),
        ...shown('/tags/gaza/'),
        ...sitemaps,
      ]),
    );
  });

  it('names each path once, never the whole cache or a whole section, and at most two wildcards whatever the tags', () => {
    const manyTags: ShownArticle = { ...article, tags: Array.from({ length: 20 }, (_, i) => `tag ${i}`), previousPaths: [PAGE] };
    for (const paths of [invalidationPaths({ kind: 'published', article: manyTags }), invalidationPaths({ kind: 'taken-down', article: manyTags })]) {
      expect(new Set(paths).size).toBe(paths.length);
      expect(paths).not.toContain('/*');
      expect(paths).not.toContain('/world/*');
      expect(paths.filter((p) => p.includes('*'))).toEqual(['/page/*', '/world/page/*']);
    }
  });

  it('percent-encodes listing paths as readers request them', () => {
    const arabic: ShownArticle = { ...article, tags: ['غزة'] };
    const tag = `/tags/${encodeURIComponent('غزة')}/`;
    expect(invalidationPaths({ kind: 'published', article: arabic })).toEqual(expect.arrayContaining([tag, `${tag}index.html`, tag.slice(0, -1), `${tag}feed.xml`]));
  });
});
