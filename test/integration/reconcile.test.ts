import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { marshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoDbClient, createS3Client } from '../../shared/storage/clients.js';
import { keys } from '../../shared/storage/table-layout.js';
import { pressline } from '../support/cli.js';
import { cameraJpeg } from '../support/photos.js';
import { startTestRuntime, type TestRuntime } from '../support/local-runtime.js';

let runtime: TestRuntime;
beforeAll(async () => {
  runtime = await startTestRuntime();
  const editor = { authorization: `Bearer ${runtime.apiKey}`, 'content-type': 'application/json' };
  const photo = await runtime.uploadPhoto(await cameraJpeg(320, 240));
  const kept = await runtime.publishOk({ headline: 'Kept and corrected', section: 'world', body: 'Text.', tags: ['Gaza'], byline: 'AFP', leadImage: { mediaId: photo.id, alt: 'A photo', caption: 'A caption', credit: 'AFP' } });
  const corrected = await fetch(`${runtime.apiUrl}/articles/${kept.id}`, { method: 'PUT', headers: { ...editor, 'if-match': '"1"' }, body: JSON.stringify({ headline: 'Kept and corrected (corrected)', section: 'world', body: 'Text.', tags: ['Egypt'], byline: 'AFP' }) });
  expect(corrected.status).toBe(200);
  const removed = await runtime.publishOk({ headline: 'Taken down', section: 'world', body: 'Text.' });
  expect((await fetch(`${runtime.apiUrl}/articles/${removed.id}`, { method: 'DELETE', headers: editor })).status).toBe(200);
});
afterAll(async () => {
  await runtime?.stop();
});

/** `pressline reconcile` against the runtime's emulators, as ops would point it at a stack (asynchronously: the emulators answer from this process). */
async function reconcileCommand(): Promise<{ status: number; stdout: string }> {
  const { code, stdout } = await pressline(['reconcile', '--table', runtime.tableName, '--media-bucket', runtime.mediaBucket, '--site-bucket', runtime.siteBucket, '--base-url', runtime.baseUrl]);
  return { status: code, stdout };
}

describe('pressline reconcile (npm run reconcile)', () => {
  it('finds nothing after a publish with a photo, a correction that changes its tags, and a takedown', async () => {
    const { status, stdout } = await reconcileCommand();
    expect(stdout).toMatch(/^1 published and 1 taken-down articles, \d+ items, \d+ objects: 0 orphans, 0 broken references\.$/m);
    expect(status).toBe(0);
  });

  it('lists an orphan page and an orphan path claim, and exits 1', async () => {
    const s3 = createS3Client();
    const dynamodb = createDynamoDbClient();
    try {
      await s3.send(new PutObjectCommand({ Bucket: runtime.siteBucket, Key: 'world/2020/01/01/left-behind/index.html', Body: '<!doctype html>', ContentType: 'text/html' }));
      await dynamodb.send(new PutItemCommand({ TableName: runtime.tableName, Item: marshall({ ...keys.path('/world/2020/01/01/left-behind/'), articleId: 'a1b2c3d4-0000-4000-8000-000000000000' }) }));
    } finally {
      s3.destroy();
      dynamodb.destroy();
    }
    const { status, stdout } = await reconcileCommand();
    expect(stdout).toContain(`orphan\tpage-without-article\t${runtime.siteBucket}/world/2020/01/01/left-behind/index.html`);
    expect(stdout).toContain('orphan\tpath-claim-without-article\tPATH#/world/2020/01/01/left-behind/|PATH');
    expect(status).toBe(1);
  });
});
