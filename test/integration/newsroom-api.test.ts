import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PREVIEW_SHORT_CODE } from '../../shared/publishing/render-preview.js';
import { wireSubmission } from '../support/fixtures.js';
import { startTestRuntime, type TestRuntime } from '../support/local-runtime.js';
import { cameraJpeg } from '../support/photos.js';

let runtime: TestRuntime;
let reporter: string;

beforeAll(async () => {
  runtime = await startTestRuntime();
  reporter = await runtime.newKey('Rania Reporter', 'reporter');
});
afterAll(async () => {
  await runtime?.stop();
});

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

function render(body: unknown, key = runtime.apiKey): Promise<Response> {
  return fetch(`${runtime.apiUrl}/render`, { method: 'POST', headers: { ...bearer(key), 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

async function deskCount(): Promise<number> {
  const listed = (await (await fetch(`${runtime.apiUrl}/articles?limit=100`, { headers: bearer(runtime.apiKey) })).json()) as { articles: unknown[] };
  return listed.articles.length;
}

describe('GET /api/me', () => {
  it('says who the key speaks for and in which role', async () => {
    const editor = await fetch(`${runtime.apiUrl}/me`, { headers: bearer(runtime.apiKey) });
    expect(editor.status).toBe(200);
    const editorBody = (await editor.json()) as Record<string, unknown>;
    // The person, and which of their keys this is: the person stays the same across their keys.
    expect(editorBody).toMatchObject({ name: 'Local editor', role: 'editor', keyId: runtime.apiKey.split('.')[0], personId: expect.stringMatching(/^p[0-9a-f]{16}$/) });

    const asReporter = (await (await fetch(`${runtime.apiUrl}/me`, { headers: bearer(reporter) })).json()) as Record<string, unknown>;
    expect(asReporter).toMatchObject({ name: 'Rania Reporter', role: 'reporter', keyId: reporter.split('.')[0], personId: expect.stringMatching(/^p[0-9a-f]{16}$/) });
    expect(asReporter.personId).not.toBe(editorBody.personId);

    const secondKey = (await (await fetch(`${runtime.apiUrl}/people/${String(asReporter.personId)}/keys`, { method: 'POST', headers: { ...bearer(runtime.apiKey), 'content-type': 'application/json' }, body: '{"label":"phone"}' })).json()) as { token: string };
    const withSecondKey = (await (await fetch(`${runtime.apiUrl}/me`, { headers: bearer(secondKey.token) })).json()) as Record<string, unknown>;
    expect(withSecondKey).toMatchObject({ personId: asReporter.personId, keyId: secondKey.token.split('.')[0] });
  });

  it('refuses a missing or wrong key with 401', async () => {
    expect((await fetch(`${runtime.apiUrl}/me`)).status).toBe(401);
    const wrong = `${runtime.apiKey.split('.')[0]}.${'x'.repeat(43)}`;
    const refused = await fetch(`${runtime.apiUrl}/me`, { headers: bearer(wrong) });
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { error: { message: string } }).error.message).not.toBe('');
  });
});

describe('POST /api/render', () => {
  it('answers the field errors a publish would, and stores nothing', async () => {
    const before = await deskCount();
    const response = await render({ headline: '', section: 'world', body: 'Text.' });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { fields: Array<{ path: string; rule: string; message: string }> } };
    expect(body.error.fields).toContainEqual(expect.objectContaining({ path: 'headline', rule: 'required', message: expect.stringMatching(/headline/) }));
    expect(await deskCount()).toBe(before);
  });

  it('needs a key', async () => {
    const response = await fetch(`${runtime.apiUrl}/render`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(wireSubmission({ withPhoto: false })) });
    expect(response.status).toBe(401);
  });

  it('makes the very page a publish of the same input uploads, photo included, apart from the short link it has not claimed', async () => {
    const photo = await runtime.uploadPhoto(await cameraJpeg(1600, 1200), { apiKey: reporter });
    expect(photo.status).toBe('ready');
    const submission = {
      ...wireSubmission({ withPhoto: false, headline: 'Preview and page are one and the same' }),
      publishedAt: '2026-03-02T08:15:00Z',
      leadImage: { mediaId: photo.id, alt: 'Rubble in Khan Yunis', caption: 'Khan Yunis, Gaza.', credit: 'AFP' },
    };
    const before = await deskCount();
    const previewed = await render(submission, reporter);
    expect(previewed.status).toBe(200);
    expect(previewed.headers.get('content-type')).toMatch(/^text\/html/);
    expect(previewed.headers.get('cache-control')).toBe('private, no-store');
    const preview = await previewed.text();
    expect(await deskCount()).toBe(before);

    const publish = await fetch(`${runtime.apiUrl}/articles`, { method: 'POST', headers: { ...bearer(reporter), 'content-type': 'application/json' }, body: JSON.stringify(submission) });
    expect(publish.status).toBe(201);
    const published = (await publish.json()) as { url: string; shortUrl: string };
    const page = await (await fetch(published.url)).text();
    const code = published.shortUrl.split('/s/')[1]!;
    expect(preview).toContain('<picture');
    expect(preview).toBe(page.replaceAll(`/s/${code}`, `/s/${PREVIEW_SHORT_CODE}`));
  });

  it('shows a correction note as the correction readers would see', async () => {
    const response = await render({ ...wireSubmission({ withPhoto: false }), correction: 'An earlier version misspelt Khan Yunis.' });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('An earlier version misspelt Khan Yunis.');
  });

  it('shows no photo it may not use: another reporter’s upload is left out', async () => {
    const other = await runtime.newKey('Other reporter', 'reporter');
    const photo = await runtime.uploadPhoto(await cameraJpeg(800, 600), { apiKey: other });
    const response = await render({ ...wireSubmission({ withPhoto: false }), leadImage: { mediaId: photo.id, alt: 'A', caption: 'B', credit: 'C' } }, reporter);
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).not.toContain('<picture');
    expect(page).not.toContain(photo.id);
  });
});

describe('DELETE /api/articles/{id} with a reason', () => {
  it('keeps the reason in the article’s history, and refuses an empty one', async () => {
    const published = await runtime.publishOk(wireSubmission({ withPhoto: false, headline: 'An article a court ordered removed' }));
    const takeDown = (body: unknown) =>
      fetch(`${runtime.apiUrl}/articles/${published.id}`, { method: 'DELETE', headers: { ...bearer(runtime.apiKey), 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const empty = await takeDown({ reason: ' ' });
    expect(empty.status).toBe(400);
    expect(((await empty.json()) as { error: { fields: Array<{ path: string }> } }).error.fields[0]?.path).toBe('reason');

    expect((await takeDown({ reason: 'Court order 2026/114' })).status).toBe(200);
    const history = (await (await fetch(`${runtime.apiUrl}/articles/${published.id}/revisions`, { headers: bearer(runtime.apiKey) })).json()) as { revisions: Array<{ kind: string; note?: string }> };
    expect(history.revisions.at(-1)).toMatchObject({ kind: 'removed', note: 'Court order 2026/114' });
  });
});
