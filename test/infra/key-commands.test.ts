import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../bin/cli/errors.js';
import { clientFor, createKey, listKeys, parseKeyId, parsePersonId, revokeKey, rotateKey, targetFrom } from '../../bin/cli/keys.js';
import { S3RVER_CREDENTIALS, startEmulators, type Emulators } from '../../infra/local/emulators.js';
import { ensureTable } from '../../infra/local/provision.js';
import { hashSecret } from '../../shared/auth/api-key.js';
import { authenticate } from '../../shared/publishing/authenticate.js';
import { DynamoDbAuditStore } from '../../shared/storage/dynamodb-audit-store.js';
import { DynamoDbPeopleStore } from '../../shared/storage/dynamodb-people-store.js';
import { keys } from '../../shared/storage/table-layout.js';

const TABLE = 'pressline-keys-test';
const s3Dir = mkdtempSync(join(tmpdir(), 'pressline-keys-'));
let emulators: Emulators;
let client: DynamoDBClient;
let people: DynamoDbPeopleStore;

beforeAll(async () => {
  emulators = await startEmulators({ s3Dir });
  client = new DynamoDBClient({ endpoint: emulators.dynamodbEndpoint, region: 'us-east-1', credentials: S3RVER_CREDENTIALS });
  await ensureTable(client, TABLE);
  people = new DynamoDbPeopleStore(client, TABLE);
});

afterAll(async () => {
  client?.destroy();
  await emulators?.stop();
  rmSync(s3Dir, { recursive: true, force: true });
});

describe('people and their keys in the table, with AWS credentials', () => {
  it('adds a person with a key the API accepts, with their name and role, storing only the hash', async () => {
    const { token, key, person } = await createKey(client, TABLE, { name: 'Jane Doe', role: 'reporter' }, 'laptop');
    await expect(authenticate(`Bearer ${token}`, { people })).resolves.toEqual({ personId: person.id, keyId: key.id, name: 'Jane Doe', role: 'reporter' });
    const stored = await people.getKey(key.id);
    expect(stored).toMatchObject({ personId: person.id, label: 'laptop' });
    expect(JSON.stringify(stored)).not.toContain(token.split('.')[1]);
  });

  it('issues another key to someone already there, who then has both, and refuses an unknown person', async () => {
    const first = await createKey(client, TABLE, { name: 'Kim Two-Keys', role: 'editor' });
    const second = await createKey(client, TABLE, { personId: first.person.id }, 'phone');
    await expect(authenticate(`Bearer ${second.token}`, { people })).resolves.toMatchObject({ personId: first.person.id, keyId: second.key.id, name: 'Kim Two-Keys' });
    expect((await listKeys(client, TABLE, first.person.id)).map((key) => key.label)).toEqual(['default', 'phone']);
    await expect(createKey(client, TABLE, { personId: 'p0123456789abcdef' })).rejects.toThrow(/No person p0123456789abcdef/);
  });

  it('revokes a key, after which the API refuses it; revoking again keeps the first time', async () => {
    const { token, key } = await createKey(client, TABLE, { name: 'Sam Editor', role: 'editor' });
    expect(await revokeKey(client, TABLE, key.id, new Date('2026-11-25T10:00:00Z'))).toBe('revoked');
    await expect(authenticate(`Bearer ${token}`, { people })).rejects.toThrow(/revoked/);
    expect(await revokeKey(client, TABLE, key.id, new Date('2026-11-26T10:00:00Z'))).toBe('already-revoked');
    expect((await people.getKey(key.id))?.revokedAt).toBe('2026-11-25T10:00:00.000Z');
  });

  it('reports a key id the table does not know, creating nothing', async () => {
    expect(await revokeKey(client, TABLE, '0123456789abcdef')).toBe('not-found');
    expect(await people.getKey('0123456789abcdef')).toBeUndefined();
  });

  it('records its changes in the audit trail as made by ops with AWS credentials', async () => {
    const { person, key } = await createKey(client, TABLE, { name: 'Audited Ops Change', role: 'reporter' });
    const recent = await new DynamoDbAuditStore(client, TABLE).recent(2);
    expect(recent.entries.map((e) => [e.action, e.personId, e.keyId, e.by.personId, e.by.name])).toEqual([
      ['key.created', person.id, key.id, 'ops', 'Ops (AWS credentials)'],
      ['person.created', person.id, undefined, 'ops', 'Ops (AWS credentials)'],
    ]);
    expect(recent.entries[0]!.requestId).toMatch(/^cli-/);
  });
});

describe('listing and rotating keys', () => {
  it('lists every key without its hash, and rotates one: same person and label, the old one revoked', async () => {
    const { token, key, person } = await createKey(client, TABLE, { name: 'Rota Reporter', role: 'reporter' }, 'desk');
    const rotated = await rotateKey(client, TABLE, key.id);
    expect(rotated).toMatchObject({ replaced: key.id, key: { personId: person.id, label: 'desk' }, person: { name: 'Rota Reporter', role: 'reporter' } });
    await expect(authenticate(`Bearer ${rotated.token}`, { people })).resolves.toMatchObject({ personId: person.id, keyId: rotated.key.id, role: 'reporter' });
    await expect(authenticate(`Bearer ${token}`, { people })).rejects.toThrow(/revoked/);

    const listed = await listKeys(client, TABLE);
    expect(listed.find((k) => k.id === key.id)).toMatchObject({ name: 'Rota Reporter', role: 'reporter', revokedAt: expect.any(String) });
    expect(listed.find((k) => k.id === rotated.key.id)?.revokedAt).toBeUndefined();
    expect(JSON.stringify(listed)).not.toContain('secretHash');
  });

  it('refuses to rotate a revoked or unknown key, issuing nothing', async () => {
    const { key, person } = await createKey(client, TABLE, { name: 'Gone', role: 'editor' });
    await revokeKey(client, TABLE, key.id);
    const before = (await listKeys(client, TABLE)).length;
    await expect(rotateKey(client, TABLE, key.id)).rejects.toThrow(new RegExp(`was revoked .*pressline keys create --person ${person.id}`));
    await expect(rotateKey(client, TABLE, 'fedcba9876543210')).rejects.toThrow(/No key fedcba9876543210 .*pressline keys list/);
    expect((await listKeys(client, TABLE)).length).toBe(before);
  });

  it('accepts a key stored before people existed as a person whose id is the key id; rotating it makes that person a stored one', async () => {
    const secret = 'B'.repeat(43);
    // The item exactly as the earlier key command wrote it: the key names its holder and role itself.
    await client.send(
      new PutItemCommand({
        TableName: TABLE,
        Item: marshall({ ...keys.apiKey('00000000000000aa'), id: '00000000000000aa', name: 'Old Timer', role: 'reporter', secretHash: hashSecret(secret), createdAt: '2026-01-01T00:00:00.000Z' }),
      }),
    );
    await expect(authenticate(`Bearer 00000000000000aa.${secret}`, { people })).resolves.toEqual({ personId: '00000000000000aa', keyId: '00000000000000aa', name: 'Old Timer', role: 'reporter' });
    expect(await listKeys(client, TABLE, '00000000000000aa')).toEqual([expect.objectContaining({ id: '00000000000000aa', name: 'Old Timer', personId: '00000000000000aa' })]);

    const rotated = await rotateKey(client, TABLE, '00000000000000aa');
    expect(rotated.person).toMatchObject({ id: '00000000000000aa', name: 'Old Timer', role: 'reporter' });
    await expect(authenticate(`Bearer ${rotated.token}`, { people })).resolves.toMatchObject({ personId: '00000000000000aa', name: 'Old Timer' });
    await expect(authenticate(`Bearer 00000000000000aa.${secret}`, { people })).rejects.toThrow(/revoked/);
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

  it('talk to the region --region names, whatever AWS_REGION says', async () => {
    const client = clientFor({ tableName: 'T', region: 'eu-west-1' }, { AWS_REGION: 'us-east-1' });
    expect(await client.config.region()).toBe('eu-west-1');
    client.destroy();
  });

  it('accept a whole key as the id but keep only its id, and only person ids as people', () => {
    expect(parseKeyId(`0123456789abcdef.${'A'.repeat(43)}`)).toBe('0123456789abcdef');
    expect(() => parseKeyId('nope')).toThrow(/16 hexadecimal/);
    expect(parsePersonId('p0123456789abcdef')).toBe('p0123456789abcdef');
    expect(() => parsePersonId('jane')).toThrow(/person id/);
  });
});
