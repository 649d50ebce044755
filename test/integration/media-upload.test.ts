import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3Client } from '../../shared/storage/clients.js';
import { wireSubmission } from '../support/fixtures.js';
import { startTestRuntime, type TestRuntime, type UploadedPhoto } from '../support/local-runtime.js';
import { cameraJpeg, hostileFiles } from '../support/photos.js';

let runtime: TestRuntime;
let reporter: string;

beforeAll(async () => {
  runtime = await startTestRuntime();
  reporter = await runtime.newKey('Reporter', 'reporter');
});
afterAll(async () => {
  await runtime?.stop();
});

function requestUpload(body: unknown, key = runtime.apiKey): Promise<Response> {
  return fetch(`${runtime.apiUrl}/media`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

/** Every object the media bucket holds for an upload: its private original and its renditions. */
async function objectsOf(mediaId: string): Promise<string[]> {
  const s3 = createS3Client();
  const keys: string[] = [];
  for (const prefix of [`uploads/${mediaId}`, `media/${mediaId}/`]) {
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: runtime.mediaBucket, Prefix: prefix }));
    keys.push(...(listed.Contents ?? []).map((o) => o.Key!));
  }
  return keys;
}

function withPhoto(leadImage: Record<string, unknown>, headline: string): Record<string, unknown> {
  return { ...wireSubmission({ withPhoto: false, headline }), leadImage: { alt: 'Rubble', caption: 'Khan Yunis.', credit: 'AFP', ...leadImage } };
}

async function problemOf(response: Response): Promise<{ status: number; path?: string; rule?: string; message?: string }> {
  const body = (await response.json()) as { error: { fields: Array<{ path: string; rule: string; message: string }> } };
  return { status: response.status, ...body.error.fields[0] };
}

describe('POST /api/media', () => {
  it('answers a presigned POST whose policy pins the key, the content type, the size range and a 15-minute expiry', async () => {
    const before = Date.now();
    const response = await requestUpload({ contentType: 'image/jpeg', contentLength: 6_500_000, filename: 'cam.jpg' });
    expect(response.status).toBe(201);
    const ticket = (await response.json()) as { id: string; upload: { url: string; fields: Record<string, string> } };
    expect(response.headers.get('location')).toBe(`/api/media/${ticket.id}`);
    expect(ticket.upload.fields.key).toBe(`uploads/${ticket.id}`);
    const policy = JSON.parse(Buffer.from(ticket.upload.fields.Policy!, 'base64').toString('utf8')) as { expiration: string; conditions: unknown[] };
    expect(policy.conditions).toEqual(
      expect.arrayContaining([
        { bucket: runtime.mediaBucket },
        { key: `uploads/${ticket.id}` },
        ['content-length-range', 1, 40_000_000],
        ['eq', '$Content-Type', 'image/jpeg'],
      ]),
    );
    const expiresIn = Date.parse(policy.expiration) - before;
    expect(expiresIn).toBeGreaterThan(14 * 60_000);
    expect(expiresIn).toBeLessThanOrEqual(15 * 60_000 + 5_000);
    expect(ticket.upload.fields['X-Amz-Signature']).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses a HEIC, an unknown type, a file over 40 MB and a missing size, naming each field', async () => {
    const heic = await problemOf(await requestUpload({ contentType: 'image/heic', contentLength: 1000 }));
    expect(heic).toMatchObject({ status: 400, path: 'contentType', rule: 'image_type', message: expect.stringContaining('export the photo as JPEG') });
    expect(await problemOf(await requestUpload({ contentType: 'image/svg+xml', contentLength: 1000 }))).toMatchObject({ status: 400, path: 'contentType', rule: 'image_type' });
    expect(await problemOf(await requestUpload({ contentType: 'image/jpeg', contentLength: 40_000_001 }))).toMatchObject({ status: 400, path: 'contentLength', rule: 'max_bytes' });
    expect(await problemOf(await requestUpload({ contentType: 'image/jpeg' }))).toMatchObject({ status: 400, path: 'contentLength', rule: 'required' });
  });

  it('needs a key', async () => {
    const response = await fetch(`${runtime.apiUrl}/media`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(response.status).toBe(401);
  });
});

describe('processing an upload', () => {
  let upright: UploadedPhoto;
  beforeAll(async () => {
    upright = await runtime.uploadPhoto(await cameraJpeg(1600, 1200, 6));
  });

  it('turns a phone photo tagged "rotate 90°" upright and answers its renditions', () => {
    expect(upright).toMatchObject({ status: 'ready', width: 1200, height: 1600 });
    expect(new Set(upright.renditions!.map((r) => r.format))).toEqual(new Set(['avif', 'webp', 'jpeg']));
    expect(upright.renditions!.map((r) => r.width)).toEqual([320, 320, 320, 640, 640, 640, 960, 960, 960, 1200, 1200, 1200]);
  });

  it('serves every rendition under /media/, immutable, with no metadata left', async () => {
    for (const rendition of upright.renditions!) {
      const response = await fetch(new URL(rendition.url, runtime.baseUrl));
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      const bytes = Buffer.from(await response.arrayBuffer());
      const meta = await sharp(bytes).metadata();
      expect([meta.exif, meta.xmp, meta.iptc]).toEqual([undefined, undefined, undefined]);
      expect(bytes.includes('secret source')).toBe(false);
      expect(meta.width! < meta.height!).toBe(true);
    }
  });

  it('keeps the original private: it is never served', async () => {
    expect((await fetch(`${runtime.baseUrl}/uploads/${upright.id}`)).status).toBe(404);
    expect(await objectsOf(upright.id)).toContain(`uploads/${upright.id}`);
  });

  it('re-encodes a JPEG with HTML appended, and nothing of the HTML is served', async () => {
    const uploaded = await runtime.uploadPhoto(Buffer.concat([await cameraJpeg(400, 300), Buffer.from('<html><script>alert(1)</script></html>')]));
    expect(uploaded.status).toBe('ready');
    for (const rendition of uploaded.renditions!) {
      expect(Buffer.from(await (await fetch(new URL(rendition.url, runtime.baseUrl))).arrayBuffer()).includes('<script')).toBe(false);
    }
  });

  it('refuses hostile and unusable files with a reason, leaving no rendition and no stray object', async () => {
    for (const file of await hostileFiles()) {
      const uploaded = await runtime.uploadPhoto(file.bytes);
      expect(uploaded, file.name).toMatchObject({ status: 'rejected', reason: expect.stringMatching(file.rule) });
      expect(uploaded.renditions, file.name).toBeUndefined();
      expect(await objectsOf(uploaded.id), file.name).toEqual([]);
    }
  });

  it('refuses an upload larger than declared and allowed (the local S3 does not enforce the policy), leaving nothing', async () => {
    const big = Buffer.alloc(40_000_001);
    (await cameraJpeg(64, 64)).copy(big);
    const uploaded = await runtime.uploadPhoto(big, { declaredLength: 1_000_000 });
    expect(uploaded).toMatchObject({ status: 'rejected', reason: expect.stringContaining('40 MB') });
    expect(await objectsOf(uploaded.id)).toEqual([]);
  });

  it("shows a reporter only their own uploads", async () => {
    const response = await fetch(`${runtime.apiUrl}/media/${upright.id}`, { headers: { authorization: `Bearer ${reporter}` } });
    expect(response.status).toBe(404);
  });
});

describe('publishing with an uploaded photo', () => {
  it('publishes it as the lead photo, in a <picture>', async () => {
    const uploaded = await runtime.uploadPhoto(await cameraJpeg(1000, 700));
    const published = await runtime.publishOk(withPhoto({ mediaId: uploaded.id }, 'Uploaded photo'));
    const page = await (await fetch(published.url)).text();
    expect(page).toContain(`<source type="image/avif" srcset="/media/${uploaded.id}/`);
    expect(page).toMatch(/<img src="\/media\/[^"]+\.jpg"[^>]* width="1000" height="700"/);
  });

  it('refuses media that does not exist, is another reporter’s, was refused or is another article’s photo, naming leadImage.mediaId', async () => {
    const missing = await runtime.publish(withPhoto({ mediaId: '00000000-0000-4000-8000-000000000000' }, 'Missing photo'));
    expect(await problemOf(missing)).toMatchObject({ status: 400, path: 'leadImage.mediaId', rule: 'not_found' });

    const editorsPhoto = await runtime.uploadPhoto(await cameraJpeg(300, 200));
    const asReporter = await fetch(`${runtime.apiUrl}/articles`, {
      method: 'POST',
      headers: { authorization: `Bearer ${reporter}`, 'content-type': 'application/json' },
      body: JSON.stringify(withPhoto({ mediaId: editorsPhoto.id }, 'Someone else’s photo')),
    });
    expect(await problemOf(asReporter)).toMatchObject({ status: 400, path: 'leadImage.mediaId', rule: 'not_found' });

    const refused = await runtime.uploadPhoto(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'));
    expect(await problemOf(await runtime.publish(withPhoto({ mediaId: refused.id }, 'Refused photo')))).toMatchObject({ status: 400, path: 'leadImage.mediaId', rule: 'rejected' });

    await runtime.publishOk(withPhoto({ mediaId: editorsPhoto.id }, 'First use'));
    expect(await problemOf(await runtime.publish(withPhoto({ mediaId: editorsPhoto.id }, 'Second use')))).toMatchObject({ status: 400, path: 'leadImage.mediaId', rule: 'in_use' });
  });

  it('refuses a photo still being uploaded', async () => {
    const ticket = (await (await requestUpload({ contentType: 'image/jpeg', contentLength: 1000 })).json()) as { id: string };
    expect(await problemOf(await runtime.publish(withPhoto({ mediaId: ticket.id }, 'Not yet uploaded')))).toMatchObject({ status: 400, path: 'leadImage.mediaId', rule: 'processing' });
  });

  it('refuses an inline SVG before writing anything, naming leadImage.data', async () => {
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>').toString('base64');
    const before = await createS3Client().send(new ListObjectsV2Command({ Bucket: runtime.mediaBucket, Prefix: 'uploads/' }));
    expect(await problemOf(await runtime.publish(withPhoto({ data: svg }, 'Inline SVG')))).toMatchObject({ status: 400, path: 'leadImage.data', rule: 'image_type' });
    const after = await createS3Client().send(new ListObjectsV2Command({ Bucket: runtime.mediaBucket, Prefix: 'uploads/' }));
    expect(after.KeyCount).toBe(before.KeyCount);
  });

  it('refuses an inline photo that fails processing, leaving no upload and no rendition', async () => {
    const jpeg = await cameraJpeg(800, 600);
    const truncated = jpeg.subarray(0, jpeg.length / 2).toString('base64');
    const before = await createS3Client().send(new ListObjectsV2Command({ Bucket: runtime.mediaBucket }));
    expect(await problemOf(await runtime.publish(withPhoto({ data: truncated }, 'Inline truncated')))).toMatchObject({ status: 400, path: 'leadImage.data', rule: 'image_rejected' });
    const after = await createS3Client().send(new ListObjectsV2Command({ Bucket: runtime.mediaBucket }));
    expect(after.KeyCount).toBe(before.KeyCount);
  });

  it('asks for exactly one of mediaId and data', async () => {
    const both = await runtime.publish(withPhoto({ mediaId: '00000000-0000-4000-8000-000000000000', data: 'AAAA' }, 'Both'));
    expect(await problemOf(both)).toMatchObject({ status: 400, path: 'leadImage', rule: 'one_of' });
  });
});
