import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wireSubmission } from '../support/fixtures.js';
import { startTestRuntime, type Published, type TestRuntime } from '../support/local-runtime.js';

let runtime: TestRuntime;
let reporter: string;
let editor: string;

beforeAll(async () => {
  runtime = await startTestRuntime();
  reporter = await runtime.newKey('Rita Reporter', 'reporter');
  editor = runtime.apiKey;
});
afterAll(async () => {
  await runtime?.stop();
});

const call: TestRuntime['call'] = (...request) => runtime.call(...request);

async function publishAs(key: string, headline: string): Promise<Required<Published>> {
  const response = await call('POST', '/articles', key, wireSubmission({ headline, withPhoto: false }));
  expect(response.status).toBe(201);
  return (await response.json()) as Required<Published>;
}

const jsonLd = (page: string) => JSON.parse(/<script type="application\/ld\+json">(.*?)<\/script>/s.exec(page)?.[1] ?? '{}') as Record<string, unknown>;

describe('a correction readers can see', () => {
  it('shows a dated note under the article, "Updated", dateModified and correction in the JSON-LD, and <updated> in the Atom feed', async () => {
    const original = await publishAs(reporter, 'Talks resume on Monday');
    const response = await call('PUT', `/articles/${original.id}`, reporter, { ...wireSubmission({ headline: 'Talks resume on Tuesday', withPhoto: false }), correction: 'An earlier version said the talks resumed on Monday.' }, { 'if-match': '"1"' });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ id: original.id, version: 2, status: 'published', url: original.url });

    const page = await (await fetch(original.url)).text();
    expect(page).toMatch(/<aside class="corrections"[^>]*>\s*<h2 id="corrections">Correction<\/h2>\s*<ul><li><time datetime="[^"]+">[^<]+<\/time>: <span lang="en">An earlier version said the talks resumed on Monday\.<\/span><\/li><\/ul>/);
    expect(page).toMatch(/Updated<\/span> <time datetime=/);
    const data = jsonLd(page);
    expect(data.dateModified).not.toBe(data.datePublished);
    expect(data.correction).toEqual([{ '@type': 'CorrectionComment', text: 'An earlier version said the talks resumed on Monday.', datePublished: data.dateModified }]);

    const atom = await (await fetch(`${runtime.baseUrl}/atom.xml`)).text();
    const entry = atom.split('<entry').find((e) => e.includes('Talks resume on Tuesday')) ?? '';
    expect(entry).toContain(`<updated>${String(data.dateModified)}</updated>`);
    expect(entry).toContain('Correction: An earlier version said the talks resumed on Monday.');
  });

  it('keeps earlier notes when another correction comes', async () => {
    const original = await publishAs(reporter, 'Two corrections');
    await call('PUT', `/articles/${original.id}`, reporter, { ...wireSubmission({ headline: 'Two corrections', withPhoto: false }), correction: 'First note.' }, { 'if-match': '1' });
    await call('PUT', `/articles/${original.id}`, reporter, { ...wireSubmission({ headline: 'Two corrections', withPhoto: false }), correction: 'Second note.' }, { 'if-match': '2' });
    const page = await (await fetch(original.url)).text();
    expect(page).toContain('<h2 id="corrections">Corrections</h2>');
    expect(page.indexOf('First note.')).toBeLessThan(page.indexOf('Second note.'));
  });

  it('shows only the updated time for a change without a note', async () => {
    const original = await publishAs(reporter, 'Quiet update');
    expect((await call('PUT', `/articles/${original.id}`, reporter, wireSubmission({ headline: 'Quiet update', withPhoto: false }), { 'if-match': '1' })).status).toBe(200);
    const page = await (await fetch(original.url)).text();
    expect(page).toMatch(/Updated<\/span> <time/);
    expect(page).not.toContain('class="corrections"');
  });

  it('answers a stale If-Match with 412 naming the current version', async () => {
    const original = await publishAs(reporter, 'Stale edit');
    await call('PUT', `/articles/${original.id}`, reporter, { ...wireSubmission({ headline: 'Stale edit', withPhoto: false }), correction: 'Fixed.' }, { 'if-match': '1' });
    const late = await call('PUT', `/articles/${original.id}`, reporter, { ...wireSubmission({ headline: 'Stale edit', withPhoto: false }), correction: 'Fixed again.' }, { 'if-match': '1' });
    expect(late.status).toBe(412);
    expect(((await late.json()) as { error: { message: string } }).error.message).toContain('version 2, not 1');
  });
});

describe("an editor's slug change", () => {
  it('moves the article: the old URL answers 301 to the new one, the short link follows', async () => {
    const original = await publishAs(reporter, 'Minister named in error');
    const response = await call('PUT', `/articles/${original.id}`, editor, { ...wireSubmission({ headline: 'Deputy minister resigns', withPhoto: false }), slug: 'deputy-minister-resigns' }, { 'if-match': '1' });
    expect(response.status).toBe(200);
    const moved = (await response.json()) as Required<Published>;
    expect(moved.url).toBe(original.url.replace('minister-named-in-error/', 'deputy-minister-resigns/'));
    expect(moved.shortUrl).toBe(original.shortUrl);

    const old = await fetch(original.url, { redirect: 'manual' });
    expect(old.status).toBe(301);
    expect(old.headers.get('location')).toBe(moved.url);
    const short = await fetch(original.shortUrl, { redirect: 'manual' });
    expect(short.headers.get('location')).toBe(moved.url);
    expect((await fetch(moved.url)).status).toBe(200);
  });

  it('keeps the old URL: no other article can take it, and it answers 410 after a takedown', async () => {
    const original = await publishAs(reporter, 'Wrong name in headline');
    await call('PUT', `/articles/${original.id}`, editor, { ...wireSubmission({ headline: 'Right name in headline', withPhoto: false }), slug: 'right-name-in-headline' }, { 'if-match': '1' });
    const another = await publishAs(reporter, 'Wrong name in headline');
    expect(another.url).toBe(original.url.replace(/\/$/, '-2/'));
    expect((await fetch(original.url, { redirect: 'manual' })).status).toBe(301);

    expect((await call('DELETE', `/articles/${original.id}`, editor)).status).toBe(200);
    expect((await fetch(original.url, { redirect: 'manual' })).status).toBe(410);
  });

  it('is refused to a reporter, and refused when the slug belongs to another article', async () => {
    const first = await publishAs(reporter, 'Slug owner');
    const second = await publishAs(reporter, 'Slug wanter');
    const byReporter = await call('PUT', `/articles/${second.id}`, reporter, { ...wireSubmission({ headline: 'Slug wanter', withPhoto: false }), slug: 'anything-else' }, { 'if-match': '1' });
    expect(byReporter.status).toBe(403);
    const taken = await call('PUT', `/articles/${second.id}`, editor, { ...wireSubmission({ headline: 'Slug wanter', withPhoto: false }), slug: 'slug-owner' }, { 'if-match': '1' });
    expect(taken.status).toBe(409);
    expect((await fetch(first.url)).status).toBe(200);
    expect((await fetch(second.url)).status).toBe(200);
  });

  it('refuses a slug or correction on a new submission, naming the field', async () => {
    const response = await call('POST', '/articles', reporter, { ...wireSubmission({ headline: 'Posted with a slug', withPhoto: false }), slug: 'posted' });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { fields: unknown[] } }).error.fields).toEqual([expect.objectContaining({ path: 'slug', rule: 'put_only' })]);
  });
});
