import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3Client } from '../../shared/storage/clients.js';
import { pageKey } from '../../shared/storage/s3-stores.js';
import { wireSubmission } from '../support/fixtures.js';
import { pressline, PROJECT_ROOT } from '../support/cli.js';
import { startTestRuntime, type TestRuntime } from '../support/local-runtime.js';

/*
 * The operators' commands (keys, rerender) talk to the table and buckets with AWS credentials; here
 * those of the runtime's emulators, which startTestRuntime put in this process's environment
 * (endpoints, PRESSLINE_TABLE, PRESSLINE_SITE_BUCKET) and the child processes inherit.
 */
let runtime: TestRuntime;
beforeAll(async () => {
  runtime = await startTestRuntime();
});
afterAll(async () => {
  await runtime?.stop();
});

/** `GET /api/articles` with a key: what the API thinks of it. */
const statusWithKey = async (key: string) => (await fetch(`${runtime.apiUrl}/articles`, { headers: { authorization: `Bearer ${key}` } })).status;

describe('pressline keys', () => {
  it('creates a key the API accepts, printed alone on stdout; lists it; rotates it; revokes the new one', async () => {
    const created = await pressline(['keys', 'create', '--name', 'Night Desk', '--role', 'reporter']);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toMatch(/^[0-9a-f]{16}\.[A-Za-z0-9_-]{43}\n$/);
    const key = created.stdout.trim();
    const id = key.slice(0, 16);
    expect(created.stderr).toContain(`Created reporter key ${id} for Night Desk in ${runtime.tableName}`);
    expect(await statusWithKey(key)).toBe(200);

    const listed = await pressline(['keys', 'list']);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout.split('\n')).toContainEqual(expect.stringMatching(new RegExp(`^${id}\treporter\tNight Desk\t\\d{4}-[^\t]+\tactive$`)));
    expect(listed.stdout).not.toContain(key.split('.')[1]);

    const rotated = await pressline(['keys', 'rotate', id, '--json']);
    expect(rotated.code, rotated.stderr).toBe(0);
    const fresh = JSON.parse(rotated.stdout) as { token: string; id: string; name: string; role: string; revoked: string };
    expect(fresh).toMatchObject({ name: 'Night Desk', role: 'reporter', revoked: id });
    expect(await statusWithKey(fresh.token)).toBe(200);
    expect(await statusWithKey(key)).toBe(401);

    const revoked = await pressline(['keys', 'revoke', fresh.id]);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(revoked.stderr).toContain(`Revoked key ${fresh.id}.`);
    expect(await statusWithKey(fresh.token)).toBe(401);

    const json = JSON.parse((await pressline(['keys', 'list', '--json'])).stdout) as Array<{ id: string; revokedAt?: string }>;
    expect(json.filter((k) => k.id === id || k.id === fresh.id).every((k) => k.revokedAt)).toBe(true);
  });

  it('says an unknown key id is unknown (exit 1) and a malformed one is a usage error (exit 2)', async () => {
    const unknown = await pressline(['keys', 'revoke', 'fedcba9876543210']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('No key fedcba9876543210');
    expect(unknown.stderr).toContain('pressline keys list');

    const malformed = await pressline(['keys', 'rotate', 'nope']);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain('16 hexadecimal characters');
  });

  it('refuses a role that does not exist, and exits 2', async () => {
    const run = await pressline(['keys', 'create', '--name', 'Jane', '--role', 'admin']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Allowed choices are reporter, editor');
  });

  it('still answers to npm run key:create and key:revoke -- --id', async () => {
    const run = promisify(execFile);
    const { stdout } = await run('npm', ['run', '-s', 'key:create', '--', '--name', 'Alias Desk', '--role', 'editor'], { cwd: PROJECT_ROOT });
    const key = stdout.trim();
    expect(await statusWithKey(key)).toBe(200);
    await run('npm', ['run', '-s', 'key:revoke', '--', '--id', key.slice(0, 16)], { cwd: PROJECT_ROOT });
    expect(await statusWithKey(key)).toBe(401);
  });
});

describe('pressline rerender', () => {
  it('renders every published page again, month by month with a progress bar', async () => {
    const urls: string[] = [];
    for (const [headline, publishedAt] of [['April story', '2024-04-07T09:30:00Z'], ['May story', '2024-05-01T12:00:00Z'], ['Today', undefined]] as const) {
      urls.push((await runtime.publishOk({ ...wireSubmission({ withPhoto: false, headline }), ...(publishedAt ? { publishedAt } : {}) })).url);
    }
    const s3 = createS3Client();
    try {
      for (const url of urls) await s3.send(new PutObjectCommand({ Bucket: runtime.siteBucket, Key: pageKey(new URL(url).pathname), Body: 'stale template', ContentType: 'text/html; charset=utf-8' }));

      const run = await pressline(['rerender', '--base-url', runtime.baseUrl, '--progress']);

      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).toMatch(/Re-rendering months \[█+\] 100% \| 3 of 3/);
      expect(run.stderr).toContain('Re-rendered 3 article pages');
      for (const url of urls) {
        const body = await (await s3.send(new GetObjectCommand({ Bucket: runtime.siteBucket, Key: pageKey(new URL(url).pathname) }))).Body!.transformToString();
        expect(body).toMatch(/^<!doctype html>/i);
      }
    } finally {
      s3.destroy();
    }
  });

  it('names what is missing when it does not know the table, and exits 2', async () => {
    const run = await pressline(['rerender'], { PRESSLINE_TABLE: '', PRESSLINE_SITE_BUCKET: '', PRESSLINE_PUBLIC_BASE_URL: '' });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Give --table (or PRESSLINE_TABLE), --site-bucket (or PRESSLINE_SITE_BUCKET), --base-url (or PRESSLINE_PUBLIC_BASE_URL)');
  });
});
