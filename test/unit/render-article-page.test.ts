import { describe, expect, it } from 'vitest';
import type { Article } from '../../shared/article/article.js';
import { renderArticlePage } from '../../shared/render/article-page.js';
import { storedPhoto } from '../support/stored-photo.js';

const SITE_URLS = { publicBaseUrl: 'https://news.example.com' };
const PHOTO_ID = '5d1a4c59-0000-4000-8000-000000000001';

function article(overrides: Partial<Article> = {}): Article {
  return {
    id: '0b6f3c1e-5d1a-4c59-9a7e-2f5a0c7e9b11',
    version: 1,
    status: 'published',
    path: '/world/2024/04/07/israel-pulls-troops-out/',
    shortCode: '7kq2m9x',
    headline: 'Israel pulls troops out of southern Gaza',
    standfirst: 'Talks in Cairo make "significant progress".',
    section: 'world',
    byline: 'AFP',
    language: 'en',
    tags: ['Gaza', 'Egypt'],
    body: 'Talks in Cairo.\n\n## Cairo talks\n\n> "One step away from victory."',
    leadImage: storedPhoto(PHOTO_ID),
    publishedAt: '2024-04-07T09:30:00.000Z',
    updatedAt: '2024-04-07T11:00:00.000Z',
    createdBy: { keyId: 'k1', name: 'Desk', role: 'editor' },
    ...overrides,
  };
}

/** The page's JSON-LD blocks, parsed as a search engine would. */
function jsonLd(page: string): Array<Record<string, unknown>> {
  return [...page.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)].map((m) => JSON.parse(m[1]!) as Record<string, unknown>);
}

describe('renderArticlePage', () => {
  it('marks up the article: h1, standfirst, linked byline, published and updated times, section, tags, short link', () => {
    const page = renderArticlePage(article(), SITE_URLS);
    expect(page.match(/<h1[ >]/g)).toHaveLength(1);
    expect(page).toContain('<h1>Israel pulls troops out of southern Gaza</h1>');
    expect(page).toContain('<p class="standfirst">Talks in Cairo make &quot;significant progress&quot;.</p>');
    expect(page).toContain('<span class="byline" dir="auto"><a rel="author" href="/authors/afp/">AFP</a></span>');
    expect(page).toContain('<time datetime="2024-04-07T09:30:00.000Z">April 7, 2024 at 09:30 AM UTC</time>');
    expect(page).toContain('Updated</span> <time datetime="2024-04-07T11:00:00.000Z">');
    expect(page).toContain('<p class="kicker"><a href="/world/">World</a></p>');
    expect(page).toContain('<h2>Cairo talks</h2>');
    expect(page).toMatch(/<blockquote>\s*<p>&quot;One step away from victory.&quot;<\/p>\s*<\/blockquote>/);
    expect(page).toContain('<li><a href="/tags/gaza/" rel="tag">Gaza</a></li><li><a href="/tags/egypt/" rel="tag">Egypt</a></li>');
    expect(page).toContain('Short link: <a href="https://news.example.com/s/7kq2m9x">https://news.example.com/s/7kq2m9x</a>');
  });

  it('shows the lead photo in a figure whose caption keeps the credit apart', () => {
    const page = renderArticlePage(article(), SITE_URLS);
    expect(page).toContain('alt="A man stands by the rubble" width="1200" height="800"');
    expect(page).toContain('<figcaption><span class="caption" dir="auto">Khan Yunis on April 7, 2024.</span> <span class="credit" dir="auto">AFP</span></figcaption>');
  });

  it('isolates the byline, caption and credit, so their text cannot reorder the site’s own text beside them', () => {
    // A byline stored before bidi controls were refused: U+202E would reverse the date after it.
    const page = renderArticlePage(article({ byline: 'AFP\u202E' }), SITE_URLS);
    expect(page).toMatch(/<span class="byline" dir="auto"><a [^>]*>AFP\u202E<\/a><\/span> <time /);
    expect(page).toContain('<span class="caption" dir="auto">');
    expect(page).toContain('<span class="credit" dir="auto">');
  });

  it('offers the photo as AVIF, WebP and JPEG at every width, sized to the article column, first to load and with its space reserved', () => {
    const page = renderArticlePage(article(), SITE_URLS);
    const picture = /<picture>[\s\S]*?<\/picture>/.exec(page)![0];
    const sizes = 'sizes="(min-width: 42rem) 40rem, calc(100vw - 2rem)"';
    const srcset = (ext: string) => [320, 640, 960, 1200].map((w) => `/media/${PHOTO_ID}/t0k3n-${w}.${ext} ${w}w`).join(', ');
    expect(picture).toContain(`<source type="image/avif" srcset="${srcset('avif')}" ${sizes}>`);
    expect(picture).toContain(`<source type="image/webp" srcset="${srcset('webp')}" ${sizes}>`);
    expect(picture).toContain(`<img src="/media/${PHOTO_ID}/t0k3n-960.jpg" srcset="${srcset('jpg')}" ${sizes} alt="A man stands by the rubble" width="1200" height="800" class="ph-111" decoding="async" fetchpriority="high">`);
    expect(picture).not.toContain('loading="lazy"');
  });

  it('leaves out the figure, image meta and JSON-LD image of an article without a photo', () => {
    const page = renderArticlePage(article({ leadImage: undefined }), SITE_URLS);
    expect(page).not.toContain('<figure');
    expect(page).not.toContain('og:image');
    expect(page).toContain('<meta name="twitter:card" content="summary">');
    expect(jsonLd(page)[0]).not.toHaveProperty('image');
  });

  it('declares the canonical URL, Open Graph and Twitter card', () => {
    const page = renderArticlePage(article(), SITE_URLS);
    const url = 'https://news.example.com/world/2024/04/07/israel-pulls-troops-out/';
    for (const tag of [
      `<link rel="canonical" href="${url}">`,
      '<meta property="og:type" content="article">',
      '<meta property="og:title" content="Israel pulls troops out of southern Gaza">',
      `<meta property="og:url" content="${url}">`,
      `<meta property="og:image" content="https://news.example.com/media/${PHOTO_ID}/t0k3n-1200.jpg">`,
      '<meta property="og:image:width" content="1200">',
      '<meta property="og:image:height" content="800">',
      '<meta property="og:image:alt" content="A man stands by the rubble">',
      '<meta property="article:published_time" content="2024-04-07T09:30:00.000Z">',
      '<meta property="article:tag" content="Gaza">',
      '<meta name="twitter:card" content="summary_large_image">',
      '<meta name="twitter:description" content="Talks in Cairo make &quot;significant progress&quot;.">',
    ]) {
      expect(page).toContain(tag);
    }
  });

  it('describes the article as schema.org NewsArticle JSON-LD with every field search engines read', () => {
    const [data, ...others] = jsonLd(renderArticlePage(article(), SITE_URLS));
    expect(others).toEqual([]);
    expect(data).toMatchObject({
      '@context': 'https://schema.org',
      '@type': 'NewsArticle',
      headline: 'Israel pulls troops out of southern Gaza',
      datePublished: '2024-04-07T09:30:00.000Z',
      dateModified: '2024-04-07T11:00:00.000Z',
      image: [
        { '@type': 'ImageObject', url: `https://news.example.com/media/${PHOTO_ID}/t0k3n-16x9.jpg`, width: 1200, height: 675, creditText: 'AFP' },
        { '@type': 'ImageObject', url: `https://news.example.com/media/${PHOTO_ID}/t0k3n-4x3.jpg`, width: 1200, height: 900 },
        { '@type': 'ImageObject', url: `https://news.example.com/media/${PHOTO_ID}/t0k3n-1x1.jpg`, width: 1200, height: 1200 },
      ],
      author: [{ '@type': 'Person', name: 'AFP', url: 'https://news.example.com/authors/afp/' }],
      publisher: { name: 'Pressline', url: 'https://news.example.com/' },
      mainEntityOfPage: { '@type': 'WebPage', '@id': 'https://news.example.com/world/2024/04/07/israel-pulls-troops-out/' },
    });
  });

  it('describes an article without a standfirst by the opening of its body, in every place a description goes', () => {
    const page = renderArticlePage(article({ standfirst: undefined, body: '## Cairo talks\n\nTalks in **Cairo** made "significant progress".\n\nMore.' }), SITE_URLS);
    for (const tag of [
      '<meta name="description" content="Talks in Cairo made &quot;significant progress&quot;.">',
      '<meta property="og:description" content="Talks in Cairo made &quot;significant progress&quot;.">',
      '<meta name="twitter:description" content="Talks in Cairo made &quot;significant progress&quot;.">',
    ]) {
      expect(page).toContain(tag);
    }
    expect(jsonLd(page)[0]?.description).toBe('Talks in Cairo made "significant progress".');
    expect(page).not.toContain('class="standfirst"');
  });

  it('describes an article with a standfirst by its standfirst', () => {
    const page = renderArticlePage(article(), SITE_URLS);
    expect(page).toContain('<meta name="description" content="Talks in Cairo make &quot;significant progress&quot;.">');
    expect(jsonLd(page)[0]?.description).toBe('Talks in Cairo make "significant progress".');
  });

  it('keeps a headline containing </script> inside the JSON-LD, where it parses back unchanged', () => {
    const headline = 'Leak </script><script>alert(1)</script> & <!-- "quoted" -->';
    const page = renderArticlePage(article({ headline }), SITE_URLS);
    expect(page.match(/<script/g)).toHaveLength(1);
    expect(page.match(/<\/script>/g)).toHaveLength(1);
    expect(jsonLd(page)[0]?.headline).toBe(headline);
  });

  it('credits the newsroom as author when there is no byline', () => {
    const page = renderArticlePage(article({ byline: undefined }), SITE_URLS);
    expect(page).not.toContain('class="byline"');
    expect(jsonLd(page)[0]?.author).toEqual([{ '@type': 'Organization', name: 'Pressline', url: 'https://news.example.com/' }]);
  });

  it('renders an Arabic article right to left, with the site\'s words and the dates in Arabic', () => {
    const page = renderArticlePage(article({ language: 'ar', headline: 'محادثات القاهرة', byline: 'أ ف ب', tags: ['غزة'] }), SITE_URLS);
    expect(page).toContain('<html lang="ar" dir="rtl">');
    expect(page).toContain('<a class="skip" href="#content">انتقل إلى المحتوى</a>');
    expect(page).toContain('<span>آخر تحديث</span>');
    expect(page).toContain('<ul class="tags" aria-label="الوسوم">');
    expect(page).toContain('<p class="short-link">رابط مختصر: <a href="https://news.example.com/s/7kq2m9x">');
    expect(page).toContain('<time datetime="2024-04-07T09:30:00.000Z">7 أبريل 2024');
    for (const english of ['Skip to content', 'Updated', 'Tags', 'Short link']) expect(page).not.toContain(english);
    expect(page).toContain('<a rel="author" href="/authors/%D8%A3-%D9%81-%D8%A8/">أ ف ب</a>');
    expect(page).toContain('<a href="/tags/%D8%BA%D8%B2%D8%A9/" rel="tag">غزة</a>');
  });

  it('keeps lang="en" on an Arabic page only where English names remain: site name, section, feeds', () => {
    const page = renderArticlePage(article({ language: 'ar-EG' }), SITE_URLS);
    expect(page.match(/<[a-z]+ [^>]*lang="en"[^>]*>/g)).toEqual(['<header class="site-header" lang="en">', '<p class="kicker" lang="en">', '<footer class="site-footer" lang="en">']);
  });

  it('falls back to English words, marked lang="en", in a language the site has no words for', () => {
    const page = renderArticlePage(article({ language: 'fr' }), SITE_URLS);
    expect(page).toContain('<a class="skip" href="#content" lang="en">Skip to content</a>');
    expect(page).toContain('<span lang="en">Updated</span>');
    expect(page).toContain('<p class="short-link" lang="en">Short link: <a');
    expect(page).toContain('7 avril 2024');
  });

  it('marks nothing as English on an English page', () => {
    expect(renderArticlePage(article({ language: 'en-GB' }), SITE_URLS)).not.toContain('lang="en"');
  });

  it('drops control characters that would make the page invalid', () => {
    const page = renderArticlePage(article({ headline: 'Bell\u0007 and escape\u001b', body: 'Body\u0001 text' }), SITE_URLS);
    expect(page).toContain('<h1>Bell and escape</h1>');
    expect(page).toContain('<p>Body text</p>');
  });

  it('needs no script and no other stylesheet', () => {
    const page = renderArticlePage(article(), SITE_URLS);
    expect(page.match(/<script[^>]*>/g)).toEqual(['<script type="application/ld+json">']);
    expect(page).not.toMatch(/<link[^>]+stylesheet/);
    expect(page.match(/<style>/g)).toHaveLength(1);
  });
});
