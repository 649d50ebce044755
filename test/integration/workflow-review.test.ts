import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wireSubmission } from '../support/fixtures.js';
import { startTestRuntime, type TestRuntime } from '../support/local-runtime.js';

// Its own file: handlers read their settings once, at module load, as on Lambda.
let reviewed: TestRuntime;
let reviewedReporter: string;

afterAll(async () => {
  await reviewed?.stop();
});

interface Answer {
  id: string;
  version: number;
  status: string;
  url?: string;
}

const call = (on: TestRuntime, ...request: Parameters<TestRuntime['call']>) => on.call(...request);

async function ok(response: Promise<Response>, status = 200): Promise<Answer> {
  const answer = await response;
  const text = await answer.text();
  if (answer.status !== status) throw new Error(`expected ${status}, got ${answer.status}: ${text}`);
  return JSON.parse(text) as Answer;
}

const submission = (headline: string, extra: Record<string, unknown> = {}) => ({ ...wireSubmission({ headline, withPhoto: false }), ...extra });

async function publicListings(on: TestRuntime): Promise<string> {
  return (await Promise.all(['/', '/world/', '/feed.xml', '/atom.xml', '/sitemap.xml', '/news-sitemap.xml'].map(async (p) => (await fetch(on.baseUrl + p)).text()))).join('\n');
}

describe('with review on', () => {
  beforeAll(async () => {
    reviewed = await startTestRuntime({ reviewRequired: true });
    reviewedReporter = await reviewed.newKey('Rita Reporter', 'reporter');
  });

  it("holds a reporter's publish for an editor, who can send it back with a note or publish it", async () => {
    const submitted = await ok(call(reviewed, 'POST', '/articles', reviewedReporter, submission('Needs an editor')), 201);
    expect(submitted).toMatchObject({ status: 'submitted' });
    expect(await publicListings(reviewed)).not.toContain('Needs an editor');
    expect((await call(reviewed, 'POST', `/articles/${submitted.id}/return`, reviewedReporter, { note: 'no' }, { 'if-match': '1' })).status).toBe(403);

    const returned = await ok(call(reviewed, 'POST', `/articles/${submitted.id}/return`, reviewed.apiKey, { note: 'Name the second source.' }, { 'if-match': '1' }));
    expect(returned).toMatchObject({ status: 'draft', version: 2 });
    const fixed = await ok(call(reviewed, 'PUT', `/articles/${submitted.id}`, reviewedReporter, submission('Needs an editor, with two sources'), { 'if-match': '2' }));
    const resubmitted = await ok(call(reviewed, 'POST', `/articles/${submitted.id}/publish`, reviewedReporter, undefined, { 'if-match': String(fixed.version) }));
    expect(resubmitted).toMatchObject({ status: 'submitted' });
    expect(await publicListings(reviewed)).not.toContain('Needs an editor');

    const published = await ok(call(reviewed, 'POST', `/articles/${submitted.id}/publish`, reviewed.apiKey, undefined, { 'if-match': String(resubmitted.version) }));
    expect(published).toMatchObject({ status: 'published' });
    expect((await fetch(published.url!)).status).toBe(200);

    const { revisions } = (await (await call(reviewed, 'GET', `/articles/${submitted.id}/revisions`, reviewedReporter)).json()) as { revisions: Array<Record<string, unknown>> };
    expect(revisions.map((r) => [r.version, r.kind, r.status, (r.by as { name: string }).name])).toEqual([
      [1, 'submitted', 'submitted', 'Rita Reporter'],
      [2, 'returned', 'draft', 'Local editor'],
      [3, 'updated', 'draft', 'Rita Reporter'],
      [4, 'submitted', 'submitted', 'Rita Reporter'],
      [5, 'published', 'published', 'Local editor'],
    ]);
    expect(revisions[1]).toMatchObject({ note: 'Name the second source.', fromStatus: 'submitted' });

    const audit = (await (await call(reviewed, 'GET', `/audit?articleId=${submitted.id}`, reviewed.apiKey)).json()) as { entries: Array<{ action: string; version: number; by: { name: string } }> };
    expect(audit.entries.map((e) => [e.action, e.version, e.by.name]).reverse()).toEqual([
      ['article.submitted', 1, 'Rita Reporter'],
      ['article.returned', 2, 'Local editor'],
      ['article.updated', 3, 'Rita Reporter'],
      ['article.submitted', 4, 'Rita Reporter'],
      ['article.published', 5, 'Local editor'],
    ]);
  });

  it('records a review’s every step in the audit trail, preview links on and off included, and not a repeated request', async () => {
    const draft = await ok(call(reviewed, 'POST', '/articles', reviewedReporter, submission('Audited review', { status: 'draft' })), 201);
    const submitted = await ok(call(reviewed, 'POST', `/articles/${draft.id}/publish`, reviewedReporter, undefined, { 'if-match': '1' }));
    const again = await ok(call(reviewed, 'POST', `/articles/${draft.id}/publish`, reviewedReporter, undefined, { 'if-match': String(submitted.version) }));
    expect(again.version).toBe(submitted.version);
    const issued = await ok(call(reviewed, 'POST', `/articles/${draft.id}/preview`, reviewedReporter));
    const revoked = await ok(call(reviewed, 'DELETE', `/articles/${draft.id}/preview`, reviewedReporter));
    await ok(call(reviewed, 'POST', `/articles/${draft.id}/publish`, reviewed.apiKey, undefined, { 'if-match': String(revoked.version) }));
    const audit = (await (await call(reviewed, 'GET', `/audit?articleId=${draft.id}`, reviewed.apiKey)).json()) as { entries: Array<{ action: string; version: number; by: { name: string } }> };
    expect(audit.entries.map((e) => [e.action, e.version, e.by.name]).reverse()).toEqual([
      ['article.saved', 1, 'Rita Reporter'],
      ['article.submitted', submitted.version, 'Rita Reporter'],
      ['article.preview-issued', issued.version, 'Rita Reporter'],
      ['article.preview-revoked', revoked.version, 'Rita Reporter'],
      ['article.published', revoked.version + 1, 'Local editor'],
    ]);
  });

  it("lets an editor publish directly", async () => {
    const published = await ok(call(reviewed, 'POST', '/articles', reviewed.apiKey, submission('Editor publishes at once')), 201);
    expect(published).toMatchObject({ status: 'published' });
  });
});

