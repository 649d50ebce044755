import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../bin/cli/errors.js';
import { createKey, listKeys, parseKeyId, revokeKey, rotateKey, targetFrom } from '../../bin/cli/keys.js';
import { S3RVER_CREDENTIALS, startEmulators, type Emulators } from '../../infra/local/emulators.js';
import { ensureTable } from '../../infra/local/provision.js';
import { authenticate } from '../../shared/publishing/authenticate.js';
import { DynamoDbKeyStore } from '../../shared/storage/dynamodb-key-store.js';

const TABLE = 'pressline-keys-test';
const s3Dir = mkdtempSync(join(tmpdir(), 'pressline-keys-'));
let emulators: Emulators;
let client: DynamoDBClient;

beforeAll(async () => {
  emulators = await startEmulators({ s3Dir });
  client = new DynamoDBClient({ endpoint: emulators.dynamodbEndpoint, region: 'us-east-1', credentials: S3RVER_CREDENTIALS });
  await ensureTable(client, TABLE);
});

afterAll(async () => {
  client?.destroy();
  await emulators?.stop();
  rmSync(s3Dir, { recursive: true, force: true });
});

describe('creating and revoking API keys in the table', () => {
  it('creates a key the API accepts, with its name and role, storing only the hash', async () => {
    const { token, record } = await createKey(client, TABLE, 'Jane Doe', 'reporter');
    const keyStore = new DynamoDbKeyStore(client, TABLE);
    await expect(authenticate(`Bearer ${token}`, keyStore)).resolves.toEqual({ keyId: record.id, name: 'Jane Doe', role: 'reporter' });
    const stored = await keyStore.getKey(record.id);
    expect(JSON.stringify(stored)).not.toContain(token.split('.')[1]);
  });

  it('revokes a key, after which the API refuses it; revoking again keeps the first time', async () => {
    const { token, record } = await createKey(client, TABLE, 'Sam Editor', 'editor');
    const keyStore = new DynamoDbKeyStore(client, TABLE);
    expect(await revokeKey(client, TABLE, record.id, new Date('2026-11-25T10:00:00Z'))).toBe('revoked');
    await expect(authenticate(`Bearer ${token}`, keyStore)).rejects.toThrow(/revoked/);
    expect(await revokeKey(client, TABLE, record.id, new Date('2026-11-26T10:00:00Z'))).toBe('already-revoked');
    expect((await keyStore.getKey(record.id))?.revokedAt).toBe('2026-11-25T10:00:00.000Z');
  });

  it('reports a key id the table does not know, creating nothing', async () => {
    expect(await revokeKey(client, TABLE, '0123456789abcdef')).toBe('not-found');
    expect(await new DynamoDbKeyStore(client, TABLE).getKey('0123456789abcdef')).toBeUndefined();
  });
});

describe('listing and rotating keys', () => {
  it('lists every key without its hash, and rotates one: same person and role, the old one revoked', async () => {
    const { token, record } = await createKey(client, TABLE, 'Rota Reporter', 'reporter');
    const keyStore = new DynamoDbKeyStore(client, TABLE);
    const { issued, revoked } = await rotateKey(client, TABLE, record.id);
    expect(revoked).toBe('revoked');
    expect(issued.record).toMatchObject({ name: 'Rota Reporter', role: 'reporter' });
    await expect(authenticate(`Bearer ${issued.token}`, keyStore)).resolves.toMatchObject({ keyId: issued.record.id, role: 'reporter' });
    await expect(authenticate(`Bearer ${token}`, keyStore)).rejects.toThrow(/revoked/);

    const listed = await listKeys(client, TABLE);
    expect(listed.find((k) => k.id === record.id)).toMatchObject({ name: 'Rota Reporter', role: 'reporter', revokedAt: expect.any(String) });
    expect(listed.find((k) => k.id === issued.record.id)?.revokedAt).toBeUndefined();
    expect(JSON.stringify(listed)).not.toContain('secretHash');
  });

  it('refuses to rotate a revoked or unknown key, issuing nothing', async () => {
    const before = (await listKeys(client, TABLE)).length;
    const { record } = await createKey(client, TABLE, 'Gone', 'editor');
    await revokeKey(client, TABLE, record.id);
    await expect(rotateKey(client, TABLE, record.id)).rejects.toThrow(/was revoked .*pressline keys create --name "Gone" --role editor/);
    await expect(rotateKey(client, TABLE, 'fedcba9876543210')).rejects.toThrow(/No key fedcba9876543210 .*pressline keys list/);
    expect((await listKeys(client, TABLE)).length).toBe(before + 1);
  });
});

describe('the options', () => {
  it('take the table from --table, else from PRESSLINE_TABLE', () => {
    expect(targetFrom({ table: 'T1' }, {})).toEqual({ tableName: 'T1' });
    expect(targetFrom({}, { PRESSLINE_TABLE: 'T2' })).toEqual({ tableName: 'T2' });
    expect(targetFrom({ region: 'eu-west-1' }, { PRESSLINE_TABLE: 'T3' })).toEqual({ tableName: 'T3', region: 'eu-west-1' });
    expect(() => targetFrom({}, {})).toThrow(UsageError);
    expect(() => targetFrom({}, {})).toThrow(/--table <TableName> or set PRESSLINE_TABLE/);
  });

  it('accept a whole key as the id but keep only its id', () => {
    expect(parseKeyId(`0123456789abcdef.${'A'.repeat(43)}`)).toBe('0123456789abcdef');
    expect(() => parseKeyId('nope')).toThrow(/16 hexadecimal/);
  });
});
