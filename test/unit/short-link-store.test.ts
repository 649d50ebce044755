import { describe, expect, it } from 'vitest';
import type { ShortLink } from '../../shared/storage/ports.js';
import { coalesceReads, MalformedShortLinkError, parseShortLinkItem } from '../../shared/storage/dynamodb-short-link-store.js';

const item = { pk: { S: 'SHORT#7kq2m9x' }, sk: { S: 'SHORT' }, code: { S: '7kq2m9x' }, articleId: { S: 'a1' }, path: { S: '/world/2024/04/08/x/' }, status: { S: 'active' } };

describe('parseShortLinkItem', () => {
  it('reads a stored short link', () => {
    expect(parseShortLinkItem(item)).toEqual({ code: '7kq2m9x', articleId: 'a1', path: '/world/2024/04/08/x/', status: 'active' });
  });

  it('refuses an item with an unknown status rather than redirecting on it', () => {
    expect(() => parseShortLinkItem({ ...item, status: { S: 'pending' } })).toThrow(MalformedShortLinkError);
  });

  it('refuses an item whose path is missing or not a string', () => {
    const { path: _path, ...withoutPath } = item;
    expect(() => parseShortLinkItem(withoutPath)).toThrow(MalformedShortLinkError);
    expect(() => parseShortLinkItem({ ...item, path: { N: '1' } })).toThrow(MalformedShortLinkError);
  });

  it('refuses a path that would redirect off the site', () => {
    expect(() => parseShortLinkItem({ ...item, path: { S: 'evil.example.com/' } })).toThrow(MalformedShortLinkError);
  });
});

describe('coalesceReads', () => {
  function countingReader(answer: () => ShortLink | undefined) {
    const reads: Array<() => void> = [];
    let count = 0;
    return {
      reader: {
        getShortLink: () => {
          count++;
          return new Promise<ShortLink | undefined>((resolve) => reads.push(() => resolve(answer())));
        },
      },
      finishReads: () => reads.splice(0).forEach((finish) => finish()),
      count: () => count,
    };
  }
  const active: ShortLink = { code: '7kq2m9x', articleId: 'a1', path: '/x/', status: 'active' };

  it('shares one read among requests for the same code that arrive while it is in flight', async () => {
    const inner = countingReader(() => active);
    const links = coalesceReads(inner.reader);

    const answers = Promise.all([links.getShortLink('7kq2m9x'), links.getShortLink('7kq2m9x'), links.getShortLink('abcdefg')]);
    inner.finishReads();

    expect(await answers).toEqual([active, active, active]);
    expect(inner.count()).toBe(2);
  });

  it('keeps nothing once a read returns, so a takedown is seen by the next request', async () => {
    let current: ShortLink = active;
    const inner = countingReader(() => current);
    const links = coalesceReads(inner.reader);

    const first = links.getShortLink('7kq2m9x');
    inner.finishReads();
    expect(await first).toEqual(active);
    current = { ...active, status: 'removed' };
    const second = links.getShortLink('7kq2m9x');
    inner.finishReads();

    expect(await second).toEqual({ ...active, status: 'removed' });
    expect(inner.count()).toBe(2);
  });

  it('lets the next request read again after a failed read', async () => {
    let fail = true;
    const links = coalesceReads({ getShortLink: async () => (fail ? Promise.reject(new Error('throttled')) : active) });

    await expect(links.getShortLink('7kq2m9x')).rejects.toThrow('throttled');
    fail = false;

    expect(await links.getShortLink('7kq2m9x')).toEqual(active);
  });
});
