import { describe, expect, it } from 'vitest';
import { parsePagePath, type PageRoute } from '../../shared/reader/page-routes.js';

const home = { kind: 'home' } as const;
const world = { kind: 'section', section: 'world' } as const;

describe('parsePagePath', () => {
  it.each<[string, PageRoute]>([
    ['/', { kind: 'index', listing: home, page: 1, hasTrailingSlash: true }],
    ['/index.html', { kind: 'index', listing: home, page: 1, hasTrailingSlash: true }],
    ['/page/2/', { kind: 'index', listing: home, page: 2, hasTrailingSlash: true }],
    ['/world/', { kind: 'index', listing: world, page: 1, hasTrailingSlash: true }],
    ['/world/index.html', { kind: 'index', listing: world, page: 1, hasTrailingSlash: true }],
    ['/world', { kind: 'index', listing: world, page: 1, hasTrailingSlash: false }],
    ['/world/page/3/', { kind: 'index', listing: world, page: 3, hasTrailingSlash: true }],
    ['/world/page/3/index.html', { kind: 'index', listing: world, page: 3, hasTrailingSlash: true }],
    ['/tags/gaza/', { kind: 'index', listing: { kind: 'tag', slug: 'gaza' }, page: 1, hasTrailingSlash: true }],
    // Paths as API Gateway hands them: already percent-decoded.
    ['/tags/غزة/', { kind: 'index', listing: { kind: 'tag', slug: 'غزة' }, page: 1, hasTrailingSlash: true }],
    ['/tags/غزة🎉/page/2/', { kind: 'redirect', location: `/tags/${encodeURIComponent('غزة')}/page/2/` }],
    ['/tags/100%/', { kind: 'redirect', location: '/tags/100/' }],
    ['/tags/Gaza/page/1/', { kind: 'redirect', location: '/tags/gaza/' }],
    ['/authors/afp/page/2/', { kind: 'index', listing: { kind: 'author', slug: 'afp' }, page: 2, hasTrailingSlash: true }],
    ['/feed.xml', { kind: 'feed', listing: home, format: 'rss' }],
    ['/atom.xml', { kind: 'feed', listing: home, format: 'atom' }],
    ['/world/feed.xml', { kind: 'feed', listing: world, format: 'rss' }],
    ['/uk-politics/atom.xml', { kind: 'feed', listing: { kind: 'section', section: 'uk-politics' }, format: 'atom' }],
    ['/tags/gaza/feed.xml', { kind: 'feed', listing: { kind: 'tag', slug: 'gaza' }, format: 'rss' }],
    ['/sitemap.xml', { kind: 'sitemap-index' }],
    ['/sitemaps/articles-2024-04.xml', { kind: 'article-sitemap', month: '2024-04' }],
    ['/news-sitemap.xml', { kind: 'news-sitemap' }],
    ['/robots.txt', { kind: 'robots' }],
    ['/favicon.ico', { kind: 'favicon' }],
    ['/world/2024/04/07/israel-pulls-troops-out/', { kind: 'article', path: '/world/2024/04/07/israel-pulls-troops-out/', hasTrailingSlash: true }],
    ['/world/2024/04/07/israel-pulls-troops-out/index.html', { kind: 'article', path: '/world/2024/04/07/israel-pulls-troops-out/', hasTrailingSlash: true }],
    ['/world/2024/04/07/israel-pulls-troops-out', { kind: 'article', path: '/world/2024/04/07/israel-pulls-troops-out/', hasTrailingSlash: false }],
    ['/world/page/1/', { kind: 'redirect', location: '/world/' }],
    ['/tags/Gaza/', { kind: 'redirect', location: '/tags/gaza/' }],
    ['/tags/Gaza/page/2/', { kind: 'redirect', location: '/tags/gaza/page/2/' }],
  ])('%s', (path, route) => {
    expect(parsePagePath(path)).toEqual(route);
  });

  it.each([
    '/world/page/51/',
    '/world/page/0/',
    '/world/page/02/',
    '/world/page/x/',
    '/world/feed.xml/',
    '/World/',
    '/api/',
    '/tags/',
    '/tags/\uD800/',
    '/tags/Gaza/🎉/',
    '/tags/🎉/',
    '//world/',
    '/world//',
    '/world/2024/04/',
    '/sitemaps/articles-2024-13.xml',
    '/page/',
  ])('%s is not a page', (path) => {
    expect(parsePagePath(path)).toEqual({ kind: 'not-found' });
  });
});
