import { GetObjectCommand, NoSuchKey } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FUNCTIONS } from '../../infra/functions-catalog.js';
import { createS3Client } from '../../shared/storage/clients.js';
import { wireSubmission } from '../support/fixtures.js';
import { recordHandlerAwsCalls, type HandlerAwsCall, type HandlerAwsCallRecorder } from '../support/handler-aws-calls.js';
import { startTestRuntime, type Published, type TestRuntime } from '../support/local-runtime.js';

/**
 * A legal takedown with `purge`: after the takedown, every stored version of every photo the
 * article ever had is deleted (ListObjectVersions, then DeleteObject with each VersionId).
 *
 * s3rver keeps no versions and refuses ListObjectVersions. So the purge runs against it as it is
 * (the current objects really go, and the answer says no versions were kept), and, to see the calls
 * a versioned bucket gets, with the handler's listing answered in S3's place through SDK middleware
 * (the deletes still go to s3rver). What only AWS can show: that S3 lists exactly the noncurrent
 * versions and delete markers a versioned bucket holds, and that IAM allows the calls (the template
 * test checks the grant's scope).
 */
let runtime: TestRuntime;
let recorder: HandlerAwsCallRecorder;
let reporter: string;
const editor = () => runtime.apiKey;

beforeAll(async () => {
  // Before the runtime starts: the handlers create their clients when it imports them.
  recorder = recordHandlerAwsCalls();
  runtime = await startTestRuntime();
  reporter = await runtime.newKey('Reporter', 'reporter');
}, 60_000);
afterAll(async () => {
  recorder?.stop();
  await runtime?.stop();
});
afterEach(() => recorder.answer(undefined));

const call: TestRuntime['call'] = (...request) => runtime.call(...request);

interface StoredArticle {
  version: number;
  leadImage: { mediaId: string; renditions: { key: string }[] };
  change?: { kind: string; note?: string };
}
const stored = async (id: string) => (await (await call('GET', `/articles/${id}`, editor())).json()) as StoredArticle;

async function publish(headline: string): Promise<Published> {
  const response = await call('POST', '/articles', reporter, wireSubmission({ headline }));
  expect(response.status).toBe(201);
  return (await response.json()) as Published;
}

async function gone(key: string): Promise<boolean> {
  try {
    await createS3Client().send(new GetObjectCommand({ Bucket: runtime.mediaBucket, Key: key }));
    return false;
  } catch (error) {
    if (error instanceof NoSuchKey) return true;
    throw error;
  }
}

/** The article's takedown and purge entries in the audit trail, newest first, without who and when. */
async function auditOf(id: string): Promise<Record<string, unknown>[]> {
  const { entries } = (await (await call('GET', `/audit?articleId=${id}`, editor())).json()) as { entries: Record<string, unknown>[] };
  return entries
    .filter((entry) => entry.action === 'article.taken-down' || entry.action === 'article.purged')
    .map(({ at: _at, by: _by, requestId: _requestId, ...rest }) => rest);
}

const apiCalls = (since: number, operation: string): HandlerAwsCall[] =>
  recorder.calls().slice(since).filter((c) => c.handler === FUNCTIONS.api.entry && c.operation === operation);

/**
 * A versioned bucket's listing, per prefix, in two pages: two versions of a rendition, a delete
 * marker on the next page; for the original, its versions and a neighbour key sharing its prefix
 * (which must be left alone).
 */
function versionedListing(call: HandlerAwsCall): Record<string, unknown> | undefined {
  if (call.operation !== 'ListObjectVersions') return undefined;
  const prefix = String(call.input.Prefix);
  if (prefix.startsWith('uploads/')) {
    return { IsTruncated: false, Versions: [{ Key: prefix, VersionId: 'original-1' }, { Key: `${prefix}-neighbour`, VersionId: 'keep-me' }] };
  }
  if (!call.input.KeyMarker) {
    return {
      IsTruncated: true,
      NextKeyMarker: `${prefix}b.avif`,
      NextVersionIdMarker: 'b-1',
      Versions: [{ Key: `${prefix}a.avif`, VersionId: 'a-1' }, { Key: `${prefix}b.avif`, VersionId: 'b-1' }],
    };
  }
  return { IsTruncated: false, DeleteMarkers: [{ Key: `${prefix}b.avif`, VersionId: 'b-marker' }] };
}

describe('a takedown that purges', () => {
  it.each([
    ['purge without a reason', { purge: true }, 'reason', 'required'],
    ['a blank reason', { purge: true, reason: '   ' }, 'reason', 'required'],
    ['purge that is not a boolean', { purge: 'yes', reason: 'Court order' }, 'purge', 'boolean'],
    ['a reason over 1,000 characters', { purge: true, reason: 'x'.repeat(1001) }, 'reason', 'max_length'],
    ['an unknown field', { purge: true, reason: 'Court order', everything: true }, 'everything', 'unknown_field'],
    ['a body that is not an object', ['purge'], '', 'type'],
  ])('refuses %s with 400 naming the field and rule, and takes nothing down', async (_label, body, path, rule) => {
    const published = await publish(`Refused purge ${path} ${rule}`);
    const response = await call('DELETE', `/articles/${published.id}`, editor(), body);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 'invalid_submission', fields: [{ path, rule }] } });
    expect((await fetch(published.url)).status).toBe(200);
  });

  it('is refused to a reporter, even on their own article', async () => {
    const published = await publish('Reporter cannot purge');
    const response = await call('DELETE', `/articles/${published.id}`, reporter, { purge: true, reason: 'Mine' });
    expect(response.status).toBe(403);
    expect((await fetch(published.url)).status).toBe(200);
  });

  it('deletes every version of every photo the article ever had, and says what it purged', async () => {
    const published = await publish('Purged with its history');
    const first = await stored(published.id);
    // A correction with a new photo: the first one lives on only in the revision (and, on AWS, as noncurrent versions).
    expect((await call('PUT', `/articles/${published.id}`, reporter, wireSubmission({ headline: 'Purged, corrected' }), { 'if-match': '"1"' })).status).toBe(200);
    const corrected = await stored(published.id);
    expect(corrected.leadImage.mediaId).not.toBe(first.leadImage.mediaId);
    const photos = [corrected.leadImage.mediaId, first.leadImage.mediaId];

    recorder.answer(versionedListing);
    const since = recorder.calls().length;
    const response = await call('DELETE', `/articles/${published.id}`, editor(), { purge: true, reason: 'Court order 2026/117' });
    expect(response.status).toBe(200);
    const path = new URL(published.url).pathname;
    expect(await response.json()).toEqual({
      id: published.id,
      status: 'removed',
      version: corrected.version + 1,
      purged: { pages: [path], photos, objectVersionsDeleted: 8, versionsKept: true },
    });

    // Exactly these listings: each photo's renditions (following the page marker) and its original, in the media bucket only.
    expect(apiCalls(since, 'ListObjectVersions').map((c) => c.input)).toEqual(
      photos.flatMap((id) => [
        { Bucket: runtime.mediaBucket, Prefix: `media/${id}/` },
        { Bucket: runtime.mediaBucket, Prefix: `media/${id}/`, KeyMarker: `media/${id}/b.avif`, VersionIdMarker: 'b-1' },
        { Bucket: runtime.mediaBucket, Prefix: `uploads/${id}` },
      ]),
    );
    // Exactly these version deletes: every version and delete marker listed, never the neighbour key.
    const versionDeletes = apiCalls(since, 'DeleteObject').filter((c) => c.input.VersionId !== undefined).map((c) => c.input);
    expect(versionDeletes).toHaveLength(8);
    expect(versionDeletes).toEqual(
      expect.arrayContaining(
        photos.flatMap((id) => [
          { Bucket: runtime.mediaBucket, Key: `media/${id}/a.avif`, VersionId: 'a-1' },
          { Bucket: runtime.mediaBucket, Key: `media/${id}/b.avif`, VersionId: 'b-1' },
          { Bucket: runtime.mediaBucket, Key: `media/${id}/b.avif`, VersionId: 'b-marker' },
          { Bucket: runtime.mediaBucket, Key: `uploads/${id}`, VersionId: 'original-1' },
        ]),
      ),
    );
    expect(versionDeletes.some((input) => String(input.Key).endsWith('-neighbour'))).toBe(false);

    // What s3rver shows: the page answers 410, no rendition or original of either photo remains.
    expect((await fetch(published.url)).status).toBe(410);
    for (const key of [...corrected.leadImage.renditions.map((r) => r.key), ...first.leadImage.renditions.map((r) => r.key), ...photos.map((id) => `uploads/${id}`)]) {
      expect(await gone(key), key).toBe(true);
    }
    // The reason stays in the article's history, and the audit trail keeps the takedown and what the purge deleted.
    expect((await stored(published.id)).change).toMatchObject({ kind: 'removed', note: 'Court order 2026/117' });
    expect(await auditOf(published.id)).toEqual([
      { action: 'article.purged', articleId: published.id, version: corrected.version + 1, reason: 'Court order 2026/117', photos, objectVersionsDeleted: 8 },
      { action: 'article.taken-down', articleId: published.id, version: corrected.version + 1, reason: 'Court order 2026/117' },
    ]);
  });

  it('against an S3 that keeps no versions (s3rver), the deletes were final: it says so, and a repeat answers the same', async () => {
    const published = await publish('Purged where no versions are kept');
    const article = await stored(published.id);
    const purge = () => call('DELETE', `/articles/${published.id}`, editor(), { purge: true, reason: 'Legal request' });
    const first = await purge();
    expect(first.status).toBe(200);
    const answer = (await first.json()) as { purged: unknown };
    expect(answer.purged).toEqual({ pages: [new URL(published.url).pathname], photos: [article.leadImage.mediaId], objectVersionsDeleted: 0, versionsKept: false });
    for (const key of [...article.leadImage.renditions.map((r) => r.key), `uploads/${article.leadImage.mediaId}`]) expect(await gone(key), key).toBe(true);
    const again = await purge();
    expect(again.status).toBe(200);
    expect(((await again.json()) as { purged: unknown }).purged).toEqual(answer.purged);
  });

  it('an article taken down earlier without purging can be purged later', async () => {
    const published = await publish('Taken down, purged later');
    const article = await stored(published.id);
    const plain = await call('DELETE', `/articles/${published.id}`, editor());
    expect(await plain.json()).toEqual({ id: published.id, status: 'removed', version: article.version + 1 });

    recorder.answer(versionedListing);
    const since = recorder.calls().length;
    const later = await call('DELETE', `/articles/${published.id}`, editor(), { purge: true, reason: 'Court order came later' });
    expect(later.status).toBe(200);
    expect(((await later.json()) as { purged: { photos: string[]; objectVersionsDeleted: number } }).purged).toMatchObject({ photos: [article.leadImage.mediaId], objectVersionsDeleted: 4 });
    expect(apiCalls(since, 'DeleteObject').filter((c) => c.input.VersionId !== undefined)).toHaveLength(4);
    // The earlier takedown had no reason; the purge's lasting record has it.
    expect(await auditOf(published.id)).toEqual([
      { action: 'article.purged', articleId: published.id, version: article.version + 1, reason: 'Court order came later', photos: [article.leadImage.mediaId], objectVersionsDeleted: 4 },
      { action: 'article.taken-down', articleId: published.id, version: article.version + 1 },
    ]);
  });

  it('a plain takedown lists no versions and deletes none', async () => {
    const published = await publish('Plain takedown, no purge');
    recorder.answer(versionedListing);
    const since = recorder.calls().length;
    expect((await call('DELETE', `/articles/${published.id}`, editor())).status).toBe(200);
    expect(apiCalls(since, 'ListObjectVersions')).toEqual([]);
    expect(apiCalls(since, 'DeleteObject').filter((c) => c.input.VersionId !== undefined)).toEqual([]);
  });
});
