import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wireSubmission } from '../support/fixtures.js';
import { recordHandlerAwsCalls, type HandlerAwsCallRecorder } from '../support/handler-aws-calls.js';
import { startTestRuntime, type TestRuntime } from '../support/local-runtime.js';

/** People, their keys and the audit trail, through the API as a newsroom uses them. */
let runtime: TestRuntime;
let recorder: HandlerAwsCallRecorder;

beforeAll(async () => {
  // Before the runtime: the handlers create their clients when it imports them.
  recorder = recordHandlerAwsCalls();
  runtime = await startTestRuntime({ scheduleSweepMs: 250 });
});
afterAll(async () => {
  recorder?.stop();
  await runtime?.stop();
});

const call: TestRuntime['call'] = (...request) => runtime.call(...request);

async function json<T>(response: Promise<Response>, status: number): Promise<T & { requestId: string }> {
  const answer = await response;
  const text = await answer.text();
  if (answer.status !== status) throw new Error(`expected ${status}, got ${answer.status}: ${text}`);
  return { ...(JSON.parse(text) as T), requestId: answer.headers.get('x-request-id') ?? '' };
}

interface KeyLine {
  id: string;
  personId: string;
  label: string;
  createdAt: string;
  lastUsedAt?: string;
  revokedAt?: string;
}
interface NewKey {
  key: KeyLine;
  token: string;
  replaced?: string;
}
interface AuditLine {
  at: string;
  mediaId?: string;
  action: string;
  requestId: string;
  by: { personId: string; keyId: string; name: string };
  articleId?: string;
  version?: number;
  personId?: string;
  keyId?: string;
  replacedKeyId?: string;
}

const draft = (headline: string) => ({ ...wireSubmission({ withPhoto: false, headline }), status: 'draft' });

describe("rotating a reporter's key", () => {
  it('keeps their access to their articles with the new key, and the old key fails at once', async () => {
    const rita = await runtime.newPerson('Rita Rotate', 'reporter');
    const story = await json<{ id: string }>(call('POST', '/articles', rita.token, draft('Written with the old key')), 201);
    const upload = await json<{ id: string }>(call('POST', '/media', rita.token, { contentType: 'image/jpeg', contentLength: 1000, filename: 'a.jpg' }), 201);

    const rotated = await json<NewKey>(call('POST', `/me/keys/${rita.keyId}/rotate`, rita.token), 201);
    expect(rotated.key).toMatchObject({ personId: rita.personId, label: 'test' });
    expect(rotated.key.id).not.toBe(rita.keyId);
    expect(rotated.replaced).toBe(rita.keyId);

    const read = await json<{ createdBy: { personId: string; keyId: string } }>(call('GET', `/articles/${story.id}`, rotated.token), 200);
    expect(read.createdBy).toMatchObject({ personId: rita.personId, keyId: rita.keyId });
    await json(call('PUT', `/articles/${story.id}`, rotated.token, wireSubmission({ withPhoto: false, headline: 'Changed with the new key' }), { 'if-match': '"1"' }), 200);
    const mine = await json<{ articles: Array<{ id: string }> }>(call('GET', '/articles', rotated.token), 200);
    expect(mine.articles.map((a) => a.id)).toContain(story.id);
    await json(call('GET', `/media/${upload.id}`, rotated.token), 200);
    const stranger = await runtime.newKey('Stranger', 'reporter');
    expect((await call('GET', `/media/${upload.id}`, stranger)).status).toBe(404);
    expect((await call('GET', `/articles/${story.id}`, stranger)).status).toBe(403);

    expect((await call('GET', `/articles/${story.id}`, rita.token)).status).toBe(401);
    const keys = await json<{ keys: KeyLine[] }>(call('GET', '/me/keys', rotated.token), 200);
    expect(keys.keys.map((k) => [k.id, Boolean(k.revokedAt)])).toEqual([
      [rita.keyId, true],
      [rotated.key.id, false],
    ]);
    expect(JSON.stringify(keys)).not.toMatch(/secretHash|[0-9a-f]{64}/);
  });

  it('lets an editor rotate anyone’s key; the reporter’s articles stay theirs', async () => {
    const omar = await runtime.newPerson('Omar Other', 'reporter');
    const story = await json<{ id: string }>(call('POST', '/articles', omar.token, draft('Omar’s draft')), 201);
    const rotated = await json<NewKey>(call('POST', `/people/${omar.personId}/keys/${omar.keyId}/rotate`, runtime.apiKey), 201);
    await json(call('GET', `/articles/${story.id}`, rotated.token), 200);
    expect((await call('GET', `/articles/${story.id}`, omar.token)).status).toBe(401);
  });
});

describe('revoking a key', () => {
  it('refuses it on the very next request, every time (no waiting for replication)', async () => {
    const sam = await runtime.newPerson('Sam Revoked', 'reporter');
    for (let round = 0; round < 10; round++) {
      const issued = await json<NewKey>(call('POST', `/people/${sam.personId}/keys`, runtime.apiKey, { label: `round ${round}` }), 201);
      await json(call('GET', '/articles', issued.token), 200);
      const revoked = await json<{ key: KeyLine }>(call('DELETE', `/people/${sam.personId}/keys/${issued.key.id}`, runtime.apiKey), 200);
      expect(revoked.key.revokedAt).toBeDefined();
      const next = await call('GET', '/articles', issued.token);
      expect(next.status, `round ${round}`).toBe(401);
      expect(((await next.json()) as { error: { code: string } }).error.code).toBe('unauthenticated');
    }
    // The person's first key was never touched.
    await json(call('GET', '/articles', sam.token), 200);
  });
});

describe('disabling a person', () => {
  it('refuses every key of theirs on the very next request, keeps their articles, and is not for oneself', async () => {
    const leaver = await runtime.newPerson('Lee Leaving', 'reporter');
    const second = await json<NewKey>(call('POST', `/people/${leaver.personId}/keys`, runtime.apiKey, { label: 'phone' }), 201);
    const story = await json<{ id: string }>(call('POST', '/articles', leaver.token, draft('Left behind')), 201);
    expect((await call('DELETE', `/people/${leaver.personId}`, leaver.token)).status).toBe(403);

    const disabled = await json<{ disabledAt?: string }>(call('DELETE', `/people/${leaver.personId}`, runtime.apiKey), 200);
    expect(disabled.disabledAt).toBeDefined();
    expect((await call('GET', '/articles', leaver.token)).status).toBe(401);
    expect((await call('GET', '/articles', second.token)).status).toBe(401);
    expect((await json<{ createdBy: { personId: string } }>(call('GET', `/articles/${story.id}`, runtime.apiKey), 200)).createdBy.personId).toBe(leaver.personId);
    expect((await call('POST', `/people/${leaver.personId}/keys`, runtime.apiKey, { label: 'again' })).status).toBe(409);

    const self = (await json<{ keys: KeyLine[] }>(call('GET', '/me/keys', runtime.apiKey), 200)).keys[0]!.personId;
    expect((await call('DELETE', `/people/${self}`, runtime.apiKey)).status).toBe(409);
    expect((await call('DELETE', '/people/p0123456789abcdef', runtime.apiKey)).status).toBe(404);
  });
});

describe('people and keys through the API', () => {
  it('lets an editor add a person and issue them a key that works, and records its use', async () => {
    const person = await json<{ id: string; name: string; role: string }>(call('POST', '/people', runtime.apiKey, { name: '  Nadia New ', role: 'reporter' }), 201);
    expect(person).toMatchObject({ name: 'Nadia New', role: 'reporter' });
    expect(person.id).toMatch(/^p[0-9a-f]{16}$/);
    const issued = await json<NewKey>(call('POST', `/people/${person.id}/keys`, runtime.apiKey, { label: 'laptop' }), 201);
    expect(issued.token).toMatch(/^[0-9a-f]{16}\.[A-Za-z0-9_-]{43}$/);
    await json(call('POST', '/articles', issued.token, draft('Nadia’s first draft')), 201);

    const keys = await json<{ keys: KeyLine[] }>(call('GET', `/people/${person.id}/keys`, runtime.apiKey), 200);
    expect(keys.keys).toEqual([expect.objectContaining({ id: issued.key.id, label: 'laptop', lastUsedAt: expect.any(String) })]);
    const people = await json<{ people: Array<{ id: string }> }>(call('GET', '/people', runtime.apiKey), 200);
    expect(people.people.map((p) => p.id)).toContain(person.id);
  });

  it('refuses a person without a name or a known role, naming the fields, and stores nothing', async () => {
    const before = await json<{ people: unknown[] }>(call('GET', '/people', runtime.apiKey), 200);
    const refused = await call('POST', '/people', runtime.apiKey, { name: '', role: 'admin' });
    expect(refused.status).toBe(400);
    const { error } = (await refused.json()) as { error: { fields: Array<{ field?: string; path?: string; rule: string }> } };
    expect(error.fields.map((f) => f.path ?? f.field)).toEqual(['name', 'role']);
    expect((await json<{ people: unknown[] }>(call('GET', '/people', runtime.apiKey), 200)).people).toHaveLength(before.people.length);
    expect((await call('POST', '/people/p0123456789abcdef/keys', runtime.apiKey, { label: 'x' })).status).toBe(404);
  });

  it('lets a reporter list and rotate only their own keys, and nothing else', async () => {
    const rita = await runtime.newPerson('Rita Limits', 'reporter');
    const omar = await runtime.newPerson('Omar Target', 'reporter');
    expect((await call('POST', '/people', rita.token, { name: 'Sneaky', role: 'editor' })).status).toBe(403);
    expect((await call('GET', '/people', rita.token)).status).toBe(403);
    expect((await call('GET', `/people/${omar.personId}/keys`, rita.token)).status).toBe(403);
    expect((await call('POST', `/people/${omar.personId}/keys`, rita.token, { label: 'mine now' })).status).toBe(403);
    expect((await call('POST', `/people/${omar.personId}/keys/${omar.keyId}/rotate`, rita.token)).status).toBe(403);
    expect((await call('DELETE', `/people/${rita.personId}/keys/${rita.keyId}`, rita.token)).status).toBe(403);
    // Someone else's key through "my keys" is not found, as if it did not exist.
    expect((await call('POST', `/me/keys/${omar.keyId}/rotate`, rita.token)).status).toBe(404);
    expect((await call('GET', '/audit', rita.token)).status).toBe(403);
    // Omar's key still works: nothing above changed it.
    await json(call('GET', '/articles', omar.token), 200);
    const own = await json<{ keys: KeyLine[] }>(call('GET', `/people/${rita.personId}/keys`, rita.token), 200);
    expect(own.keys.map((k) => k.id)).toEqual([rita.keyId]);
  });
});

describe('the audit trail', () => {
  it('lists each step of a publish → correct → takedown story with who, when, what and the request', async () => {
    const reporter = await runtime.newPerson('Audit Reporter', 'reporter');
    const started = new Date().toISOString();
    const published = await json<{ id: string; version: number }>(call('POST', '/articles', reporter.token, wireSubmission({ withPhoto: false, headline: 'Audited story' })), 201);
    const corrected = await json<{ version: number }>(
      call('PUT', `/articles/${published.id}`, reporter.token, { ...wireSubmission({ withPhoto: false, headline: 'Audited story' }), correction: 'An earlier version misnamed the town.' }, { 'if-match': '"1"' }),
      200,
    );
    const takenDown = await json<{ version: number }>(call('DELETE', `/articles/${published.id}`, runtime.apiKey), 200);
    const editor = (await json<{ keys: KeyLine[] }>(call('GET', '/me/keys', runtime.apiKey), 200)).keys[0]!;

    const trail = await json<{ entries: AuditLine[] }>(call('GET', `/audit?articleId=${published.id}`, runtime.apiKey), 200);
    expect(trail.entries).toEqual([
      { at: expect.any(String), action: 'article.taken-down', requestId: takenDown.requestId, by: { personId: editor.personId, keyId: editor.id, name: 'Local editor' }, articleId: published.id, version: takenDown.version },
      { at: expect.any(String), action: 'article.corrected', requestId: corrected.requestId, by: { personId: reporter.personId, keyId: reporter.keyId, name: 'Audit Reporter' }, articleId: published.id, version: corrected.version },
      { at: expect.any(String), action: 'article.published', requestId: published.requestId, by: { personId: reporter.personId, keyId: reporter.keyId, name: 'Audit Reporter' }, articleId: published.id, version: 1 },
    ]);
    const times = trail.entries.map((e) => e.at);
    expect([...times].sort().reverse()).toEqual(times);
    expect(times.every((at) => at >= started && at <= new Date().toISOString())).toBe(true);
    expect(new Set(trail.entries.map((e) => e.requestId)).size).toBe(3);

    // One entry a page, following the cursor, gives the same story.
    const paged: AuditLine[] = [];
    let cursor: string | undefined;
    do {
      const page = await json<{ entries: AuditLine[]; nextCursor?: string }>(call('GET', `/audit?articleId=${published.id}&limit=1${cursor ? `&cursor=${cursor}` : ''}`, runtime.apiKey), 200);
      paged.push(...page.entries);
      cursor = page.nextCursor;
    } while (cursor);
    expect(paged.map((e) => e.action)).toEqual(['article.taken-down', 'article.corrected', 'article.published']);

    // The newsroom's recent entries start with the takedown.
    const recent = await json<{ entries: AuditLine[] }>(call('GET', '/audit?limit=3', runtime.apiKey), 200);
    expect(recent.entries.map((e) => e.action)).toEqual(['article.taken-down', 'article.corrected', 'article.published']);
  });

  it('records an embargo going live as published by the schedule, after the reporter scheduled it', async () => {
    const reporter = await runtime.newPerson('Embargo Reporter', 'reporter');
    const scheduled = await json<{ id: string; url: string }>(
      call('POST', '/articles', reporter.token, { ...wireSubmission({ withPhoto: false, headline: 'Audited embargo' }), publishedAt: new Date(Date.now() + 1_500).toISOString() }),
      201,
    );
    let live = false;
    for (let waited = 0; !live && waited < 30_000; waited += 250) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      live = (await fetch(scheduled.url)).status === 200;
    }
    expect(live).toBe(true);
    const trail = await json<{ entries: AuditLine[] }>(call('GET', `/audit?articleId=${scheduled.id}`, runtime.apiKey), 200);
    expect(trail.entries.map((e) => [e.action, e.by.personId, e.by.name])).toEqual([
      ['article.published', 'schedule', 'Scheduled publish'],
      ['article.scheduled', reporter.personId, 'Embargo Reporter'],
    ]);
  });

  it('lets a change stand when its entry cannot be written (the entry goes to the error log instead)', async () => {
    recorder.failNext((call) => call.operation === 'PutItem' && String((call.input.Item as { pk?: { S?: string } }).pk?.S).startsWith('AUDIT#'));
    const published = await json<{ id: string; url: string }>(call('POST', '/articles', runtime.apiKey, wireSubmission({ withPhoto: false, headline: 'Published, its entry lost' })), 201);
    expect((await fetch(published.url)).status).toBe(200);
    expect((await json<{ entries: AuditLine[] }>(call('GET', `/audit?articleId=${published.id}`, runtime.apiKey), 200)).entries).toEqual([]);
  });

  it('records an upload request with the upload’s id', async () => {
    const reporter = await runtime.newPerson('Photo Reporter', 'reporter');
    const ticket = await json<{ id: string }>(call('POST', '/media', reporter.token, { contentType: 'image/jpeg', contentLength: 1000, filename: 'a.jpg' }), 201);
    const recent = await json<{ entries: AuditLine[] }>(call('GET', '/audit?limit=1', runtime.apiKey), 200);
    expect(recent.entries).toEqual([expect.objectContaining({ action: 'media.upload-requested', mediaId: ticket.id, requestId: ticket.requestId, by: { personId: reporter.personId, keyId: reporter.keyId, name: 'Photo Reporter' } })]);
  });

  it('records key and person changes, and refuses a cursor from another query', async () => {
    const person = await json<{ id: string }>(call('POST', '/people', runtime.apiKey, { name: 'Audit Person', role: 'editor' }), 201);
    const issued = await json<NewKey>(call('POST', `/people/${person.id}/keys`, runtime.apiKey, { label: 'desk' }), 201);
    const rotated = await json<NewKey>(call('POST', '/me/keys/' + issued.key.id + '/rotate', issued.token), 201);
    const revoked = await json(call('DELETE', `/people/${person.id}/keys/${rotated.key.id}`, runtime.apiKey), 200);
    const recent = await json<{ entries: AuditLine[]; nextCursor: string }>(call('GET', '/audit?limit=4', runtime.apiKey), 200);
    expect(recent.entries.map((e) => [e.action, e.personId, e.keyId, e.requestId])).toEqual([
      ['key.revoked', person.id, rotated.key.id, revoked.requestId],
      ['key.rotated', person.id, rotated.key.id, rotated.requestId],
      ['key.created', person.id, issued.key.id, issued.requestId],
      ['person.created', person.id, undefined, person.requestId],
    ]);
    expect(recent.entries[1]).toMatchObject({ replacedKeyId: issued.key.id, by: { personId: person.id, keyId: issued.key.id, name: 'Audit Person' } });

    const wrongQuery = await call('GET', `/audit?articleId=00000000-0000-4000-8000-000000000000&cursor=${recent.nextCursor}`, runtime.apiKey);
    expect(wrongQuery.status).toBe(400);
    expect(((await wrongQuery.json()) as { error: { fields: Array<{ path?: string; field?: string }> } }).error.fields[0]).toMatchObject({ rule: 'format' });
    expect((await call('GET', '/audit?articleId=nope', runtime.apiKey)).status).toBe(400);
    // The audit trail and the desk hold a page to 1–100 entries alike, naming the parameter.
    for (const path of ['/audit?limit=101', '/audit?limit=0', '/articles?limit=1.5', '/articles?limit=many']) {
      const refused = await call('GET', path, runtime.apiKey);
      expect(refused.status, path).toBe(400);
      expect(((await refused.json()) as { error: { fields: Array<{ path: string; rule: string }> } }).error.fields, path).toEqual([expect.objectContaining({ path: 'limit', rule: 'range' })]);
    }
  });
});
