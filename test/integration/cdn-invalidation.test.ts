import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { INVALIDATION_NOT_QUEUED } from '../../shared/publishing/request-invalidation.js';
import { installLocalStandIns } from '../../shared/storage/local-stand-ins.js';
import { wireSubmission } from '../support/fixtures.js';
import { startTestRuntime, type Published, type TestRuntime } from '../support/local-runtime.js';

/**
 * The local edge cache behind `npm start` and the tests, told what to forget only by the invalidate
 * handler draining the queue the API fills: a path a change does not name stays cached, as on AWS.
 */
let runtime: TestRuntime;

beforeAll(async () => {
  runtime = await startTestRuntime();
});
afterAll(async () => {
  await runtime?.stop();
});

/** Reads a URL as a reader does; the local edge says whether it answered from its cache. */
async function read(url: string): Promise<{ status: number; cache: string | null; location: string | null }> {
  const response = await fetch(url, { redirect: 'manual' });
  await response.arrayBuffer();
  return { status: response.status, cache: response.headers.get('x-cache'), location: response.headers.get('location') };
}

const hit = /^Hit/;
const miss = /^Miss/;

async function publish(headline: string): Promise<Published> {
  return runtime.publishOk(wireSubmission({ headline, withPhoto: false }));
}

describe('the local edge cache, told by the invalidate handler', () => {
  it('forgets exactly the paths a correction names: the page and its listings go, another article’s page and its own short link stay cached', async () => {
    const corrected = await publish('Edge check: the corrected one');
    const other = await publish('Edge check: the other one');
    const urls = [corrected.url, other.url, corrected.shortUrl, other.shortUrl, `${runtime.baseUrl}/world/`, `${runtime.baseUrl}/feed.xml`];
    for (const url of urls) await read(url);
    for (const url of urls) expect((await read(url)).cache, url).toMatch(hit);
    const cachedBefore = runtime.edge.keys();

    const response = await runtime.call('PUT', `/articles/${corrected.id}`, runtime.apiKey, wireSubmission({ headline: 'Edge check: the corrected one, corrected', withPhoto: false }), { 'if-match': '"1"' });
    expect(response.status).toBe(200);

    // The page (cached as …/index.html, the viewer function's key) and the listings it is on are forgotten.
    const forgotten = cachedBefore.filter((key) => !runtime.edge.keys().includes(key));
    const path = new URL(corrected.url).pathname;
    expect(forgotten.sort()).toEqual([`${path}index.html`, '/world/index.html', '/feed.xml'].sort());
    expect((await read(corrected.url)).cache).toMatch(miss);
    // What the correction does not change stays at the edge.
    expect((await read(other.url)).cache).toMatch(hit);
    expect((await read(other.shortUrl)).cache).toMatch(hit);
    expect((await read(corrected.shortUrl)).cache).toMatch(hit);
  });

  it('a takedown stops the short link answering 301 in every spelling, and the slash-less URL too, right after it answers', async () => {
    const article = await publish('Edge check: taken down');
    const spellings = [article.shortUrl, `${article.shortUrl}/`];
    const slashless = article.url.replace(/\/$/, '');
    for (const url of [...spellings, slashless]) {
      expect((await read(url)).status, url).toBe(301);
      expect(await read(url), url).toMatchObject({ status: 301, cache: expect.stringMatching(hit) });
    }
    expect((await read(article.url)).status).toBe(200);

    expect((await runtime.call('DELETE', `/articles/${article.id}`, runtime.apiKey)).status).toBe(200);

    for (const url of [...spellings, slashless, article.url]) expect((await read(url)).status, url).toBe(410);
  });

  it('a publish forgets a 404 cached at its URL', async () => {
    // A reader asks for the URL an article is about to get: the edge keeps the 404 for a minute.
    const before = await publish('Edge check: published twice');
    const guess = before.url.replace('published-twice', 'published-twice-2');
    expect(await read(guess)).toMatchObject({ status: 404 });
    expect(await read(guess)).toMatchObject({ status: 404, cache: expect.stringMatching(hit) });

    const same = await publish('Edge check: published twice');
    expect(same.url).toBe(guess);
    expect(await read(guess)).toMatchObject({ status: 200, cache: expect.stringMatching(miss) });
  });

  it('keeps a cached copy that no change names: a tag listing’s later page catches up within its minute, as on AWS', async () => {
    const tagged = `${runtime.baseUrl}/tags/gaza/page/2/`;
    await read(tagged);
    const kept = await read(tagged);
    await publish('Edge check: one more in Gaza');
    expect(await read(tagged)).toMatchObject({ status: kept.status, cache: expect.stringMatching(hit) });
  });
});

describe('when even the queue refuses the paths', () => {
  /** For the duration of `act`, the queue the handlers send to refuses everything, as SQS would after the SDK's retries. */
  async function withRefusingQueue<T>(act: () => Promise<T>): Promise<T> {
    const restore = installLocalStandIns({
      invalidations: { enqueue: async () => Promise.reject(new Error('SQS refused the message')) },
      cdn: { invalidate: async (paths) => void runtime.edge.invalidate(paths) },
    });
    try {
      return await act();
    } finally {
      restore();
    }
  }

  it('a takedown answers 503, and repeating it once the queue takes the paths completes it everywhere', async () => {
    const article = await publish('Edge check: takedown repeated');
    await read(article.shortUrl);
    const refused = await withRefusingQueue(() => runtime.call('DELETE', `/articles/${article.id}`, runtime.apiKey));
    expect(refused.status).toBe(503);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('unavailable');
    // The article is down at the origin, but the edge still answers the cached redirect: hence the 503.
    expect(await read(article.shortUrl)).toMatchObject({ status: 301, cache: expect.stringMatching(hit) });
    // The takedown is stored, so it is on the record already, by the request that made it.
    const takedowns = async () =>
      ((await (await runtime.call('GET', `/audit?articleId=${article.id}`, runtime.apiKey)).json()) as { entries: { action: string; requestId: string; version: number }[] }).entries.filter(
        (entry) => entry.action === 'article.taken-down',
      );
    expect(await takedowns()).toEqual([expect.objectContaining({ requestId: refused.headers.get('x-request-id'), version: 2 })]);

    expect((await runtime.call('DELETE', `/articles/${article.id}`, runtime.apiKey)).status).toBe(200);
    expect((await read(article.shortUrl)).status).toBe(410);
    // The repeat only finished its steps: it changed nothing more to record.
    expect(await takedowns()).toHaveLength(1);
  });

  it('a publish is stored and answers 201, and logs the paths it could not queue for the alarm', async () => {
    const written: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => (written.push(String(chunk)), true));
    let response: Response;
    try {
      response = await withRefusingQueue(() => runtime.publish(wireSubmission({ headline: 'Edge check: published, queue down', withPhoto: false })));
    } finally {
      spy.mockRestore();
    }
    expect(response.status).toBe(201);
    const { url, shortUrl } = (await response.json()) as Published;
    expect((await read(url)).status).toBe(200);
    const entries = written.flatMap((line): { message?: string; change?: string; paths?: string[] }[] => {
      try {
        return [JSON.parse(line) as { message?: string }];
      } catch {
        return [];
      }
    });
    const logged = entries.find((entry) => entry.message === INVALIDATION_NOT_QUEUED);
    expect(logged?.change).toBe('published');
    expect(logged?.paths).toEqual(expect.arrayContaining([new URL(url).pathname, new URL(shortUrl).pathname]));
  });
});
