import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wireSubmission } from '../support/fixtures.js';
import { startTestRuntime, type TestRuntime } from '../support/local-runtime.js';
import { createDynamoDbClient } from '../../shared/storage/clients.js';
import { DynamoDbWriteRateLimiter } from '../../shared/storage/dynamodb-write-rate-limiter.js';

/** Its own file: the API reads the limit once when it loads, as on Lambda, and this one is small. */
const LIMIT = 5;
let runtime: TestRuntime;

beforeAll(async () => {
  runtime = await startTestRuntime({ writesPerMinute: LIMIT });
});
afterAll(async () => {
  await runtime?.stop();
});

const draft = (headline: string) => ({ ...wireSubmission({ withPhoto: false, headline }), status: 'draft' });

function write(key: string, headline: string): Promise<Response> {
  return fetch(`${runtime.apiUrl}/articles`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(draft(headline)),
  });
}

describe('the per-person write limit', () => {
  it('answers the write after the limit with 429, Retry-After and when to retry; reads and other people go on', async () => {
    const rita = await runtime.newPerson('Rita Busy', 'reporter');
    const omar = await runtime.newPerson('Omar Calm', 'reporter');
    for (let n = 1; n <= LIMIT; n++) expect((await write(rita.token, `Draft ${n}`)).status, `write ${n}`).toBe(201);

    const refused = await write(rita.token, 'One too many');
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60).toBe(true);
    const { error } = (await refused.json()) as { error: { code: string; message: string; fields: unknown[] } };
    expect(error).toEqual({ code: 'rate_limited', message: expect.stringContaining(`retry in ${retryAfter} seconds`), fields: [] });
    expect(error.message).toMatch(/\(at \d{4}-\d{2}-\d{2}T[\d:.]+Z\)/);

    // The refused write stored nothing, reads are not counted, and Omar has his own allowance.
    const desk = (await (await fetch(`${runtime.apiUrl}/articles`, { headers: { authorization: `Bearer ${rita.token}` } })).json()) as { articles: Array<{ headline: string }> };
    expect(desk.articles).toHaveLength(LIMIT);
    expect(desk.articles.map((a) => a.headline)).not.toContain('One too many');
    expect((await write(omar.token, 'Omar is unaffected')).status).toBe(201);
    // The newsroom's live preview renders as she types: it changes nothing, so it is never refused.
    const preview = await runtime.call('POST', '/render', rita.token, wireSubmission({ withPhoto: false, headline: 'Still typing' }));
    expect(preview.status).toBe(200);
    expect(await preview.text()).toContain('Still typing');
    // A new key is the same person, with the same (spent) allowance.
    const rotate = await fetch(`${runtime.apiUrl}/me/keys/${rita.keyId}/rotate`, { method: 'POST', headers: { authorization: `Bearer ${rita.token}` } });
    expect(rotate.status).toBe(429);
  });

  it('counts only writes a route accepts: a method it refuses with 405 is not a write', async () => {
    const pat = await runtime.newPerson('Pat Wrong Method', 'reporter');
    for (let n = 0; n <= LIMIT; n++) {
      const refused = await runtime.call('PATCH', '/articles', pat.token, draft(`Patched ${n}`));
      expect(refused.status, `PATCH ${n}`).toBe(405);
    }
    for (let n = 1; n <= LIMIT; n++) expect((await write(pat.token, `Real draft ${n}`)).status, `write ${n}`).toBe(201);
    expect((await write(pat.token, 'Now one too many')).status).toBe(429);
  });

  it("never refuses an editor's key revocations, even past the limit: an incident may revoke every key at once", async () => {
    const editor = await runtime.newPerson('Eda Incident', 'editor');
    for (let n = 1; n <= LIMIT; n++) expect((await write(editor.token, `Editor draft ${n}`)).status, `write ${n}`).toBe(201);
    expect((await write(editor.token, 'Editor, one too many')).status).toBe(429);
    const leaked = await Promise.all(Array.from({ length: LIMIT + 2 }, (_, n) => runtime.newPerson(`Leaked ${n}`, 'reporter')));
    for (const person of leaked) {
      expect((await runtime.call('DELETE', `/people/${person.personId}/keys/${person.keyId}`, editor.token)).status, person.personId).toBe(200);
      expect((await runtime.call('GET', '/me', person.token)).status).toBe(401);
    }
    // Other writes still count.
    expect((await write(editor.token, 'Editor, still too many')).status).toBe(429);
  });

  it('never admits more than the limit, however many writes race (many rounds)', async () => {
    for (let round = 0; round < 8; round++) {
      const person = await runtime.newPerson(`Racer ${round}`, 'reporter');
      const answers = await Promise.all(Array.from({ length: LIMIT * 3 }, (_, n) => write(person.token, `Race ${round}.${n}`)));
      const statuses = answers.map((answer) => answer.status);
      expect(statuses.filter((status) => status === 201), `round ${round}: ${statuses.join()}`).toHaveLength(LIMIT);
      expect(statuses.filter((status) => status === 429)).toHaveLength(LIMIT * 2);
    }
  });

  it('opens a new window once the last has closed, and says how long is left until then', async () => {
    const limiter = new DynamoDbWriteRateLimiter(createDynamoDbClient(), runtime.tableName, { writesPerWindow: 2, windowSeconds: 60 });
    const start = new Date('2026-05-01T10:00:00.000Z');
    const at = (seconds: number) => new Date(start.getTime() + seconds * 1000);
    expect(await limiter.admit('p-window', at(0))).toEqual({ admitted: true });
    expect(await limiter.admit('p-window', at(10))).toEqual({ admitted: true });
    expect(await limiter.admit('p-window', at(20.5))).toEqual({ admitted: false, retryAfterSeconds: 40 });
    expect(await limiter.admit('p-window', at(59.9))).toEqual({ admitted: false, retryAfterSeconds: 1 });
    expect(await limiter.admit('p-window', at(60))).toEqual({ admitted: true });
    expect(await limiter.admit('p-window', at(61))).toEqual({ admitted: true });
    expect(await limiter.admit('p-window', at(62))).toEqual({ admitted: false, retryAfterSeconds: 58 });
  });
});
