import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../bin/command.js';
import { createKey, parseCreateKeyArgs } from '../../bin/create-key.js';
import { parseRevokeKeyArgs, revokeKey } from '../../bin/revoke-key.js';
import { PROJECT_ROOT } from '../../infra/constructs/pressline-function.js';
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

describe('the command lines', () => {
  it('take the table from --table, else from PRESSLINE_TABLE', () => {
    expect(parseCreateKeyArgs(['--name', 'Jane', '--role', 'editor', '--table', 'T1'], {})).toEqual({ name: 'Jane', role: 'editor', tableName: 'T1' });
    expect(parseCreateKeyArgs(['--name', 'Jane', '--role', 'reporter'], { PRESSLINE_TABLE: 'T2' })).toMatchObject({ tableName: 'T2' });
    expect(parseRevokeKeyArgs(['--id', '0123456789abcdef', '--region', 'eu-west-1'], { PRESSLINE_TABLE: 'T3' })).toEqual({ id: '0123456789abcdef', tableName: 'T3', region: 'eu-west-1' });
  });

  it.each([
    [['--role', 'reporter', '--table', 'T'], /--name/],
    [['--name', 'Jane', '--role', 'admin', '--table', 'T'], /--role must be one of reporter, editor, not "admin"/],
    [['--name', 'Jane', '--role', 'reporter'], /PRESSLINE_TABLE/],
    [['--name', 'Jane', '--role', 'reporter', '--table', 'T', '--rol', 'x'], /--rol/],
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
    expect(created.stderr).toContain(`Created reporter key ${id} for Night Desk in ${TABLE}`);

    const revoked = await run(process.execPath, ['--import', 'tsx', 'bin/revoke-key.ts', '--id', id], { cwd: PROJECT_ROOT, env });
    expect(revoked.stderr).toContain(`Revoked key ${id}.`);
    expect((await new DynamoDbKeyStore(client, TABLE).getKey(id))?.revokedAt).toBeDefined();
  });
});
