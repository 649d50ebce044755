import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../bin/command.js';
import { createKey, parseCreateKeyArgs } from '../../bin/create-key.js';
import { parseRevokeKeyArgs, revokeKey } from '../../bin/revoke-key.js';
import { PROJECT_ROOT } from '../../infra/constructs/pressline-function.js';
import { S3RVER_CREDENTIALS, startEmulators, type Emulators } from '../../infra/local/emulators.js';
import { ensureTable } from '../../infra/local/provision.js';
import { hashSecret } from '../../shared/auth/api-key.js';
import { authenticate } from '../../shared/publishing/authenticate.js';
import { keys } from '../../shared/storage/table-layout.js';
import { DynamoDbPeopleStore } from '../../shared/storage/dynamodb-people-store.js';

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
  it('adds a person with a key the API accepts, with their name and role, storing only the hash', async () => {
    const { token, record, person } = await createKey(client, TABLE, { name: 'Jane Doe', role: 'reporter' }, 'laptop');
    const people = new DynamoDbPeopleStore(client, TABLE);
    await expect(authenticate(`Bearer ${token}`, { people })).resolves.toEqual({ personId: person.id, keyId: record.id, name: 'Jane Doe', role: 'reporter' });
    const stored = await people.getKey(record.id);
    expect(stored).toMatchObject({ personId: person.id, label: 'laptop' });
    expect(JSON.stringify(stored)).not.toContain(token.split('.')[1]);
  });

  it('issues another key to someone already there, who then has both', async () => {
    const first = await createKey(client, TABLE, { name: 'Kim Two-Keys', role: 'editor' });
    const second = await createKey(client, TABLE, { personId: first.person.id }, 'phone');
    const people = new DynamoDbPeopleStore(client, TABLE);
    await expect(authenticate(`Bearer ${second.token}`, { people })).resolves.toMatchObject({ personId: first.person.id, keyId: second.record.id, name: 'Kim Two-Keys' });
    expect((await people.listKeys(first.person.id)).map((key) => key.label)).toEqual(['default', 'phone']);
    await expect(createKey(client, TABLE, { personId: 'p0123456789abcdef' })).rejects.toThrow(/No person p0123456789abcdef/);
  });

  it('revokes a key, after which the API refuses it; revoking again keeps the first time', async () => {
    const { token, record } = await createKey(client, TABLE, { name: 'Sam Editor', role: 'editor' });
    const keyStore = new DynamoDbPeopleStore(client, TABLE);
    expect(await revokeKey(client, TABLE, record.id, new Date('2026-11-25T10:00:00Z'))).toBe('revoked');
    await expect(authenticate(`Bearer ${token}`, { people: keyStore })).rejects.toThrow(/revoked/);
    expect(await revokeKey(client, TABLE, record.id, new Date('2026-11-26T10:00:00Z'))).toBe('already-revoked');
    expect((await keyStore.getKey(record.id))?.revokedAt).toBe('2026-11-25T10:00:00.000Z');
  });

  it('accepts a key stored before people existed as a person whose id is the key id, so what it wrote stays its own', async () => {
    const secret = 'B'.repeat(43);
    // The item exactly as the earlier create-key wrote it: the key names its holder and role itself.
    await client.send(
      new PutItemCommand({
        TableName: TABLE,
        Item: marshall({ ...keys.apiKey('00000000000000aa'), id: '00000000000000aa', name: 'Old Timer', role: 'reporter', secretHash: hashSecret(secret), createdAt: '2026-01-01T00:00:00.000Z' }),
      }),
    );
    await expect(authenticate(`Bearer 00000000000000aa.${secret}`, { people: new DynamoDbPeopleStore(client, TABLE) })).resolves.toEqual({
      personId: '00000000000000aa',
      keyId: '00000000000000aa',
      name: 'Old Timer',
      role: 'reporter',
    });
  });

  it('reports a key id the table does not know, creating nothing', async () => {
    expect(await revokeKey(client, TABLE, '0123456789abcdef')).toBe('not-found');
    expect(await new DynamoDbPeopleStore(client, TABLE).getKey('0123456789abcdef')).toBeUndefined();
  });
});

describe('the command lines', () => {
  it('take the table from --table, else from PRESSLINE_TABLE', () => {
    expect(parseCreateKeyArgs(['--name', 'Jane', '--role', 'editor', '--table', 'T1'], {})).toEqual({ name: 'Jane', role: 'editor', tableName: 'T1' });
    expect(parseCreateKeyArgs(['--person', 'p0123456789abcdef', '--label', 'phone', '--table', 'T1'], {})).toEqual({ personId: 'p0123456789abcdef', label: 'phone', tableName: 'T1' });
    expect(parseCreateKeyArgs(['--name', 'Jane', '--role', 'reporter'], { PRESSLINE_TABLE: 'T2' })).toMatchObject({ tableName: 'T2' });
    expect(parseRevokeKeyArgs(['--id', '0123456789abcdef', '--region', 'eu-west-1'], { PRESSLINE_TABLE: 'T3' })).toEqual({ id: '0123456789abcdef', tableName: 'T3', region: 'eu-west-1' });
  });

  it.each([
    [['--role', 'reporter', '--table', 'T'], /--name/],
    [['--name', 'Jane', '--role', 'admin', '--table', 'T'], /--role must be one of reporter, editor, not "admin"/],
    [['--name', 'Jane', '--role', 'reporter'], /PRESSLINE_TABLE/],
    [['--name', 'Jane', '--role', 'reporter', '--table', 'T', '--rol', 'x'], /--rol/],
    [['--person', 'p0123456789abcdef', '--name', 'Jane', '--table', 'T'], /either --person .* or --name and --role/],
    [['--person', 'jane', '--table', 'T'], /--person must be a person id/],
    [['--name', 'Jane', '--role', 'reporter', '--label', ' ', '--table', 'T'], /--label must say what the key is for/],
  ])('refuse %j with what to fix', (args, message) => {
    expect(() => parseCreateKeyArgs(args, {})).toThrow(UsageError);
    expect(() => parseCreateKeyArgs(args, {})).toThrow(message);
  });

  it('accept a whole key for --id but keep only its id', () => {
    const token = `0123456789abcdef.${'A'.repeat(43)}`;
    expect(parseRevokeKeyArgs(['--id', token, '--table', 'T'], {}).id).toBe('0123456789abcdef');
    expect(() => parseRevokeKeyArgs(['--id', 'nope', '--table', 'T'], {})).toThrow(/16 hexadecimal/);
  });

  it('print the new key alone on stdout, and revoke it by id (npm run key:create / key:revoke)', async () => {
    const run = promisify(execFile);
    const env = {
      ...process.env,
      AWS_ENDPOINT_URL_DYNAMODB: emulators.dynamodbEndpoint,
      AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
      AWS_REGION: 'us-east-1',
      PRESSLINE_TABLE: TABLE,
    };
    const created = await run(process.execPath, ['--import', 'tsx', 'bin/create-key.ts', '--name', 'Night Desk', '--role', 'reporter'], { cwd: PROJECT_ROOT, env });
    expect(created.stdout).toMatch(/^[0-9a-f]{16}\.[A-Za-z0-9_-]{43}\n$/);
    const id = created.stdout.slice(0, 16);
    expect(created.stderr).toMatch(new RegExp(`Created key ${id} \\("default"\\) for Night Desk \\(reporter, person p[0-9a-f]{16}\\) in ${TABLE}`));

    const revoked = await run(process.execPath, ['--import', 'tsx', 'bin/revoke-key.ts', '--id', id], { cwd: PROJECT_ROOT, env });
    expect(revoked.stderr).toContain(`Revoked key ${id}.`);
    expect((await new DynamoDbPeopleStore(client, TABLE).getKey(id))?.revokedAt).toBeDefined();
  });
});
