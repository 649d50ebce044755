import { describe, expect, it } from 'vitest';
import { renderIndexPage } from '../../shared/render/index-page.js';
import type { ArticleSummary } from '../../shared/storage/ports.js';
import { storedPhoto } from '../support/stored-photo.js';

function summary(n: number, withPhoto = true): ArticleSummary {
  const photo = storedPhoto(`00000000-0000-4000-8000-00000000000${n}`);
  return {
    id: `a${n}`,
    path: `/world/2024/04/07/story-${n}/`,
    headline: `Story ${n}`,
    section: 'world',
    language: 'en',
    tags: [],
    publishedAt: '2024-04-07T09:30:00.000Z',
    updatedAt: '2024-04-07T09:30:00.000Z',
    ...(withPhoto
      ? { leadImage: { alt: photo.alt, width: photo.width, height: photo.height, placeholder: photo.placeholder, renditions: photo.renditions.filter((r) => r.width <= 640) } }
      : {}),
  };
}

const page = (articles: ArticleSummary[]) =>
  renderIndexPage({ listing: { kind: 'home' }, heading: 'Latest news', description: 'The latest.', page: 1, hasNext: false, articles }, { publicBaseUrl: 'https://news.example.com' });

describe('renderIndexPage thumbnails', () => {
  it('shows each teaser’s photo from its small renditions only, in AVIF, WebP and JPEG', () => {
    const html = page([summary(1)]);
    expect(html).toContain('<source type="image/avif" srcset="/media/00000000-0000-4000-8000-000000000001/t0k3n-320.avif 320w, /media/00000000-0000-4000-8000-000000000001/t0k3n-640.avif 640w"');
    expect(html).not.toContain('-960.');
    expect(html).toMatch(/<img [^>]*width="1200" height="800"/);
  });

  it('loads the first row at once (the very first with high priority) and the rest only when the reader scrolls near', () => {
    const imgs = [...page([1, 2, 3, 4, 5].map((n) => summary(n))).matchAll(/<img [^>]*>/g)].map((m) => m[0]);
    expect(imgs).toHaveLength(5);
    expect(imgs[0]).toContain('fetchpriority="high"');
    for (const img of imgs.slice(1, 3)) expect(img).not.toMatch(/loading=|fetchpriority=/);
    for (const img of imgs.slice(3)) expect(img).toContain('loading="lazy"');
  });

  it('keeps the thumbnail link out of the tab order and of screen readers: the headline link says the same', () => {
    const html = page([summary(1), summary(2, false)]);
    expect(html).toContain('<a href="/world/2024/04/07/story-1/" tabindex="-1" aria-hidden="true" class="thumb">');
    expect(html.match(/class="thumb"/g)).toHaveLength(1);
  });
});

describe('renderIndexPage teasers', () => {
  it('isolates a teaser’s byline, so its text cannot reorder the date beside it', () => {
    const html = page([{ ...summary(1, false), byline: 'AFP\u202E' }]);
    expect(html).toContain('<span class="byline" dir="auto">AFP\u202E</span> · <time ');
  });
});
