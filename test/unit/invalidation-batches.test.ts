import { describe, expect, it } from 'vitest';
import { parseInvalidationRequest, planInvalidationBatches } from '../../shared/publishing/invalidation-batches.js';

describe('planInvalidationBatches', () => {
  it('merges messages into one batch, each path once, naming every message it carries', () => {
    const batches = planInvalidationBatches([
      { messageId: 'a', paths: ['/', '/index.html', '/s/abc'] },
      { messageId: 'b', paths: ['/', '/s/def'] },
    ]);
    expect(batches).toEqual([{ paths: ['/', '/index.html', '/s/abc', '/s/def'], messageIds: ['a', 'b'] }]);
  });

  it('starts another batch past the path limit, and names a message in each batch holding one of its paths', () => {
    const batches = planInvalidationBatches(
      [
        { messageId: 'a', paths: ['/1', '/2', '/3'] },
        { messageId: 'b', paths: ['/3', '/4'] },
      ],
      { maxPaths: 2, maxWildcards: 5 },
    );
    expect(batches).toEqual([
      { paths: ['/1', '/2'], messageIds: ['a'] },
      { paths: ['/3', '/4'], messageIds: ['a', 'b'] },
    ]);
  });

  it('puts no more wildcards in one batch than allowed, filling exact paths in around them', () => {
    const batches = planInvalidationBatches([{ messageId: 'a', paths: ['/a/*', '/b/*', '/c/*', '/x'] }], { maxPaths: 100, maxWildcards: 2 });
    expect(batches).toEqual([
      { paths: ['/a/*', '/b/*', '/x'], messageIds: ['a'] },
      { paths: ['/c/*'], messageIds: ['a'] },
    ]);
  });

  it('plans nothing for no messages', () => {
    expect(planInvalidationBatches([])).toEqual([]);
  });
});

describe('parseInvalidationRequest', () => {
  it('reads a request the producers send', () => {
    const request = { articleId: 'a1', change: 'taken-down', paths: ['/s/abc', '/s/abc/'] };
    expect(parseInvalidationRequest(JSON.stringify(request))).toEqual(request);
  });

  it.each([
    ['not JSON', '{'],
    ['no paths', JSON.stringify({ articleId: 'a1', change: 'published', paths: [] })],
    ['a relative path', JSON.stringify({ articleId: 'a1', change: 'published', paths: ['world/'] })],
    ['a path with a space', JSON.stringify({ articleId: 'a1', change: 'published', paths: ['/a b'] })],
    ['an unknown change', JSON.stringify({ articleId: 'a1', change: 'deleted', paths: ['/'] })],
  ])('refuses %s', (_name, body) => {
    expect(parseInvalidationRequest(body)).toBeUndefined();
  });
});
