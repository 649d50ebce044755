import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestHash } from '../../shared/publishing/idempotency.js';
import { createDynamoDbClient } from '../../shared/storage/clients.js';
import { DynamoDbIdempotencyStore } from '../../shared/storage/dynamodb-idempotency-store.js';
import { wireSubmission } from '../support/fixtures.js';
import { startTestRuntime, type TestRuntime } from '../support/local-runtime.js';

let runtime: TestRuntime;
beforeAll(async () => {
  runtime = await startTestRuntime();
});
afterAll(async () => {
  await runtime?.stop();
});

const headers = (idempotencyKey: string, key = runtime.apiKey) => ({ authorization: `Bearer ${key}`, 'content-type': 'application/json', 'idempotency-key': idempotencyKey });

/** The person the runtime's editor key belongs to: idempotency records are theirs, not the key's. */
async function editorPersonId(): Promise<string> {
  const { keys } = (await (await fetch(`${runtime.apiUrl}/me/keys`, { headers: { authorization: `Bearer ${runtime.apiKey}` } })).json()) as { keys: Array<{ personId: string }> };
  return keys[0]!.personId;
}

describe('Idempotency-Key', () => {
  it('answers a retry with the first result instead of publishing twice', async () => {
    const submission = wireSubmission({ headline: 'Retried over a flaky connection' });
    const first = await runtime.publish(submission, headers('retry-1'));
    const second = await runtime.publish(submission, headers('retry-1'));
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(await second.json()).toEqual(await first.json());
    const other = await runtime.publish(submission, headers('retry-2'));
    expect(((await other.json()) as { url: string }).url).toMatch(/retried-over-a-flaky-connection-2\/$/);
  });

  it('refuses the same key for a different submission', async () => {
    await runtime.publish(wireSubmission({ headline: 'First use of the key' }), headers('reused'));
    const response = await runtime.publish(wireSubmission({ headline: 'Another article' }), headers('reused'));
    expect(response.status).toBe(422);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('idempotency_key_reused');
  });

  it('replays the same submission sent with its JSON keys, at every depth, in another order', async () => {
    const submission = wireSubmission({ headline: 'Retried by a client that orders keys its own way' });
    const reversed = (value: unknown): unknown =>
      Array.isArray(value) ? value.map(reversed) : value && typeof value === 'object' ? Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reversed(v)])) : value;
    const reordered = reversed(submission);
    expect(JSON.stringify(reordered)).not.toBe(JSON.stringify(submission));

    const first = await runtime.publish(submission, headers('reordered-1'));
    const second = await runtime.publish(reordered, headers('reordered-1'));
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(await second.json()).toEqual(await first.json());
  });

  it('still refuses the key for a submission that differs only in the order of an array', async () => {
    const submission = wireSubmission({ headline: 'Tags in their order' });
    await runtime.publish(submission, headers('array-order'));
    const response = await runtime.publish({ ...submission, tags: [...(submission.tags as string[])].reverse() }, headers('array-order'));
    expect(response.status).toBe(422);
  });

  it('names the header when the key is malformed', async () => {
    const response = await runtime.publish(wireSubmission(), headers('has spaces in it'));
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { fields: unknown[] } }).error.fields).toContainEqual(expect.objectContaining({ path: 'Idempotency-Key', rule: 'format' }));
  });

  it('answers a retry sent with the person’s new key (after a rotation) with the first result too', async () => {
    const reporter = await runtime.newPerson('Rotating Retrier', 'reporter');
    const submission = wireSubmission({ withPhoto: false, headline: 'Retried across a key rotation' });
    const first = await runtime.publish(submission, headers('rotation-1', reporter.token));
    expect(first.status).toBe(201);
    const rotated = await fetch(`${runtime.apiUrl}/me/keys/${reporter.keyId}/rotate`, { method: 'POST', headers: { authorization: `Bearer ${reporter.token}` } });
    const { token } = (await rotated.json()) as { token: string };
    const retry = await runtime.publish(submission, headers('rotation-1', token));
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(await retry.json()).toEqual(await first.json());
  });

  it('resumes an attempt that died, keeping its article id', async () => {
    const submission = wireSubmission({ headline: 'Lambda timed out half-way' });
    const store = new DynamoDbIdempotencyStore(createDynamoDbClient(), runtime.tableName);
    const personId = await editorPersonId();
    const articleId = '00000000-0000-4000-8000-00000000dead';
    await store.begin({ personId, idempotencyKey: 'crashed', requestHash: requestHash(submission), articleId, status: 'in_progress', startedAt: Date.now() - 120_000 });
    const response = await runtime.publish(submission, headers('crashed'));
    expect(response.status).toBe(201);
    expect(((await response.json()) as { id: string }).id).toBe(articleId);
  });

  it('tells a client to wait while the first attempt is still running', async () => {
    const submission = wireSubmission({ headline: 'Still running' });
    const store = new DynamoDbIdempotencyStore(createDynamoDbClient(), runtime.tableName);
    const personId = await editorPersonId();
    await store.begin({ personId, idempotencyKey: 'running', requestHash: requestHash(submission), articleId: 'a', status: 'in_progress', startedAt: Date.now() });
    const response = await runtime.publish(submission, headers('running'));
    expect(response.status).toBe(409);
  });
});
