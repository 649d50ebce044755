import { describe, expect, it } from 'vitest';
import { findInconsistencies, type StoreSnapshot } from '../../bin/reconcile.js';
import type { Article } from '../../shared/article/article.js';
import type { MediaRecord } from '../../shared/media/media.js';
import { listingsFor } from '../../shared/publishing/publish-article.js';
import { renderArticlePage } from '../../shared/render/article-page.js';
import { listingEntryOf } from '../../shared/storage/dynamodb-article-store.js';
import { pageKey } from '../../shared/storage/s3-stores.js';
import { keys } from '../../shared/storage/table-layout.js';

const SITE = { publicBaseUrl: 'https://news.example' };
const OPTIONS = { mediaBucket: 'media', siteBucket: 'site', now: new Date('2024-04-09T00:00:00Z'), urls: SITE };
const MEDIA_ID = '0b7d2b0e-6f0a-4a57-9d43-2b1f3c4d5e6f';

const photo = {
  width: 320,
  height: 240,
  placeholder: '#6b6e73',
  renditions: [{ key: `media/${MEDIA_ID}/tok-320.jpg`, format: 'jpeg' as const, width: 320, height: 240, bytes: 1000 }],
  crops: [{ key: `media/${MEDIA_ID}/tok-1x1.jpg`, ratio: '1x1' as const, width: 240, height: 240 }],
};

const article: Article = {
  id: '6f1c1a52-1b7e-4b8e-9a43-3c2d5e0f7a10',
  version: 1,
  status: 'published',
  path: '/world/2024/04/07/talks-resume/',
  shortCode: '7kq2m9x',
  headline: 'Talks resume',
  section: 'world',
  byline: 'AFP',
  language: 'en',
  tags: ['Gaza'],
  body: 'Text.',
  leadImage: { mediaId: MEDIA_ID, ...photo, alt: 'A photo', caption: 'A caption', credit: 'AFP' },
  publishedAt: '2024-04-07T09:30:00.000Z',
  updatedAt: '2024-04-07T09:30:00.000Z',
  createdBy: { keyId: 'k', name: 'Reporter', role: 'reporter' },
};

const record: MediaRecord = { id: MEDIA_ID, status: 'ready', ownerKeyId: 'k', declaredType: 'image/jpeg', declaredBytes: 1000, filename: 'a.jpg', createdAt: '2024-04-07T09:00:00.000Z', photo, articleId: article.id };

/** What a publish leaves in the store: every item and object, exactly as the use case writes them. */
function storeOf(a: Article = article): StoreSnapshot {
  const items: Array<Record<string, unknown>> = [
    { ...keys.article(a.id), ...a },
    ...listingsFor(a).map((list) => ({ ...keys.listEntry(a.id, list), ...listingEntryOf(a, list) })),
    { ...keys.path(a.path), articleId: a.id },
    { ...keys.shortCode(a.shortCode), code: a.shortCode, articleId: a.id, path: a.path, status: 'active' },
    { ...keys.media(MEDIA_ID), ...record },
    { ...keys.apiKey('k'), secretHash: 'x' },
  ];
  return {
    items: JSON.parse(JSON.stringify(items)) as Array<Record<string, unknown>>,
    mediaKeys: new Set([`uploads/${MEDIA_ID}`, ...photo.renditions.map((r) => r.key), ...photo.crops.map((c) => c.key)]),
    siteKeys: new Set([pageKey(a.path)]),
    pages: new Map([[pageKey(a.path), renderArticlePage(a, SITE)]]),
  };
}

const rulesOf = (snapshot: StoreSnapshot) => findInconsistencies(snapshot, OPTIONS).findings.map((f) => `${f.kind} ${f.rule}`);

describe('findInconsistencies', () => {
  it('finds nothing in a store exactly as a publish leaves it', () => {
    const report = findInconsistencies(storeOf(), OPTIONS);
    expect(report.findings).toEqual([]);
    expect(report.articles).toEqual({ published: 1, removed: 0 });
  });

  it('finds a page, a rendition and an upload that nothing accounts for', () => {
    const store = storeOf();
    store.siteKeys = new Set([...store.siteKeys, 'world/2024/04/07/gone/index.html']);
    store.mediaKeys = new Set([...store.mediaKeys, `media/${MEDIA_ID}/other-320.avif`, 'uploads/11111111-2222-4333-8444-555555555555']);
    expect(rulesOf(store).sort()).toEqual(['orphan page-without-article', 'orphan rendition-without-record', 'orphan upload-without-record']);
  });

  it('finds claims and listing entries of an article that does not exist', () => {
    const store = storeOf();
    const ghost = '99999999-2222-4333-8444-555555555555';
    store.items.push(
      { ...keys.path('/world/2024/04/07/ghost/'), articleId: ghost },
      { ...keys.shortCode('zzzzzzz'), code: 'zzzzzzz', articleId: ghost, path: '/world/2024/04/07/ghost/', status: 'active' },
      { ...keys.listEntry(ghost, 'all'), ...listingEntryOf({ ...article, id: ghost }, 'all'), listSk: 'x' },
      { ...keys.media('11111111-2222-4333-8444-555555555555'), ...record, id: '11111111-2222-4333-8444-555555555555', photo: undefined, status: 'ready', articleId: ghost },
    );
    expect(rulesOf(store).sort()).toEqual([
      'broken photo-file-missing',
      'orphan listing-entry-without-article',
      'orphan path-claim-without-article',
      'orphan photo-record-without-article',
      'orphan short-link-without-article',
    ]);
  });

  it('finds a published article whose page, short link, listings or photo disagree with it', () => {
    const store = storeOf();
    store.pages = new Map([[pageKey(article.path), renderArticlePage({ ...article, headline: 'A loser’s headline' }, SITE)]]);
    store.mediaKeys = new Set([...store.mediaKeys].filter((k) => !k.endsWith('-1x1.jpg')));
    const link = store.items.find((i) => i.pk === `SHORT#${article.shortCode}`)!;
    link.status = 'removed';
    const entry = store.items.find((i) => i.sk === 'LIST#all')!;
    entry.headline = 'An older headline';
    store.items.splice(store.items.findIndex((i) => i.sk === 'LIST#section#world'), 1);
    expect(rulesOf(store).sort()).toEqual([
      'broken listing-entry-disagrees',
      'broken listing-entry-disagrees',
      'broken photo-file-missing',
      'broken photo-file-missing',
      'broken short-link-disagrees',
      'broken stale-page',
    ]);
  });

  it('finds what a taken-down article left behind, and accepts what it keeps', () => {
    const removed: Article = { ...article, status: 'removed', version: 2 };
    const kept = storeOf(removed);
    kept.items = kept.items.filter((i) => !String(i.sk).startsWith('LIST#') && !String(i.pk).startsWith('MEDIA#'));
    kept.items.find((i) => i.pk === `SHORT#${article.shortCode}`)!.status = 'removed';
    kept.mediaKeys = new Set();
    kept.siteKeys = new Set();
    expect(rulesOf(kept)).toEqual([]);

    const leftover = storeOf(removed);
    // A taken-down article keeps only its newsroom entries: a readers' listing entry is left behind.
    leftover.items.push({ ...keys.listEntry(article.id, 'all'), ...listingEntryOf(article, 'all') });
    leftover.items.find((i) => i.pk === `SHORT#${article.shortCode}`)!.status = 'removed';
    expect(new Set(rulesOf(leftover))).toEqual(new Set(['orphan page-without-article', 'orphan taken-down-article-left-behind', 'orphan listing-entry-without-article']));
  });

  it('finds an Idempotency-Key whose answer names an article that does not exist', () => {
    const store = storeOf();
    store.items.push({ ...keys.idempotency('k', 'retry-1'), status: 'completed', result: { id: '99999999-2222-4333-8444-555555555555', url: 'x', shortUrl: 'y', version: 1 } });
    expect(rulesOf(store)).toEqual(['broken idempotency-answer-without-article']);
  });

  it('leaves a photo record whose upload has not arrived alone for a day', () => {
    const store = storeOf();
    const pending = { ...record, id: '22222222-2222-4333-8444-555555555555', status: 'pending', photo: undefined, articleId: undefined };
    store.items.push({ ...keys.media(pending.id), ...pending, createdAt: '2024-04-08T12:00:00.000Z' });
    expect(rulesOf(store)).toEqual([]);
    store.items[store.items.length - 1]!.createdAt = '2024-04-07T12:00:00.000Z';
    expect(rulesOf(store)).toEqual(['orphan photo-record-without-upload']);
  });
});
