import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3Client } from '../../shared/storage/clients.js';
import { wireSubmission } from '../support/fixtures.js';
import { startTestRuntime, type TestRuntime } from '../support/local-runtime.js';

const ROUNDS = 8;

let runtime: TestRuntime;
beforeAll(async () => {
  runtime = await startTestRuntime();
});
afterAll(async () => {
  await runtime?.stop();
});

const headers = () => ({ authorization: `Bearer ${runtime.apiKey}`, 'content-type': 'application/json' });

async function photoOfColour(round: number, which: number): Promise<string> {
  const bytes = await sharp({ create: { width: 400, height: 300, channels: 3, background: { r: (round * 30) % 256, g: which * 120, b: 90 } } }).jpeg().toBuffer();
  const uploaded = await runtime.uploadPhoto(bytes);
  expect(uploaded.status).toBe('ready');
  return uploaded.id;
}

async function objectsOf(mediaId: string): Promise<string[]> {
  const s3 = createS3Client();
  const keys: string[] = [];
  for (const prefix of [`uploads/${mediaId}`, `media/${mediaId}/`]) keys.push(...((await s3.send(new ListObjectsV2Command({ Bucket: runtime.mediaBucket, Prefix: prefix }))).Contents ?? []).map((o) => o.Key!));
  return keys;
}

const submissionWith = (mediaId: string, headline: string) => ({ ...wireSubmission({ withPhoto: false, headline }), leadImage: { mediaId, alt: 'Rubble', caption: 'Khan Yunis.', credit: 'AFP' } });

describe('two corrections of the same version, each with a new photo', () => {
  it(`leave, in every one of ${ROUNDS} rounds, the winner's text and photo on the page, the replaced photo deleted and the loser's upload free to use again`, async () => {
    const first = await runtime.publishOk(submissionWith(await photoOfColour(0, 0), 'Racing photos'));
    let previousPhoto: string | undefined;
    let lastLoser = '';
    for (let round = 1; round <= ROUNDS; round++) {
      const stored = (await (await fetch(`${runtime.apiUrl}/articles/${first.id}`, { headers: headers() })).json()) as { version: number; leadImage: { mediaId: string } };
      previousPhoto = stored.leadImage.mediaId;
      const [a, b] = await Promise.all([photoOfColour(round, 1), photoOfColour(round, 2)]);
      const responses = await Promise.all(
        [a, b].map((mediaId, i) =>
          fetch(`${runtime.apiUrl}/articles/${first.id}`, {
            method: 'PUT',
            headers: { ...headers(), 'if-match': `"${stored.version}"` },
            body: JSON.stringify({ ...submissionWith(mediaId, 'Racing photos'), body: `Round ${round}, writer ${i === 0 ? 'A' : 'B'}.` }),
          }),
        ),
      );
      expect(responses.map((r) => r.status).sort()).toEqual([200, 412]);
      const [winner, loser] = responses[0]!.status === 200 ? [a, b] : [b, a];
      const winnerText = `Round ${round}, writer ${winner === a ? 'A' : 'B'}.`;

      const after = (await (await fetch(`${runtime.apiUrl}/articles/${first.id}`, { headers: headers() })).json()) as { body: string; leadImage: { mediaId: string; renditions: Array<{ key: string }> } };
      expect(after.leadImage.mediaId).toBe(winner);
      expect(after.body).toBe(winnerText);
      const page = await (await fetch(first.url)).text();
      expect(page).toContain(winnerText);
      expect(page).toContain(`/media/${winner}/`);
      expect(page).not.toContain(loser);
      for (const rendition of after.leadImage.renditions) expect((await fetch(`${runtime.baseUrl}/${rendition.key}`)).status).toBe(200);
      expect(await objectsOf(previousPhoto)).toEqual([]);
      // The loser's photo is still the reporter's upload: not on any page, ready for their retry.
      expect(((await (await fetch(`${runtime.apiUrl}/media/${loser}`, { headers: headers() })).json()) as { status: string }).status).toBe('ready');
      lastLoser = loser;
    }
    expect((await runtime.publish(submissionWith(lastLoser, 'The retry uses the photo that lost'))).status).toBe(201);
  });
});

describe('two publishes with the same uploaded photo', () => {
  it(`give it to exactly one article in every one of ${ROUNDS} rounds`, async () => {
    for (let round = 1; round <= ROUNDS; round++) {
      const mediaId = await photoOfColour(round, 0);
      const responses = await Promise.all([1, 2].map((n) => runtime.publish(submissionWith(mediaId, `Shared photo ${round}.${n}`))));
      expect(responses.map((r) => r.status).sort()).toEqual([201, 400]);
      const refused = (await responses.find((r) => r.status === 400)!.json()) as { error: { fields: Array<{ path: string; rule: string }> } };
      expect(refused.error.fields[0]).toMatchObject({ path: 'leadImage.mediaId', rule: 'in_use' });
      const published = (await responses.find((r) => r.status === 201)!.json()) as { url: string };
      expect(await (await fetch(published.url)).text()).toContain(`/media/${mediaId}/`);
    }
  });
});

describe('a correction with a new photo racing a takedown', () => {
  it(`ends, in every one of ${ROUNDS} rounds, with the page, photo and short link agreeing with the stored article`, async () => {
    for (let round = 1; round <= ROUNDS; round++) {
      const published = await runtime.publishOk(submissionWith(await photoOfColour(round, 0), `Correction against takedown ${round}`));
      const newPhoto = await photoOfColour(round, 1);
      // Varied timing: the takedown starts a little later in some rounds than in others.
      const [correction, takedown] = await Promise.all([
        fetch(`${runtime.apiUrl}/articles/${published.id}`, { method: 'PUT', headers: { ...headers(), 'if-match': '"1"' }, body: JSON.stringify(submissionWith(newPhoto, `Corrected ${round}`)) }),
        new Promise((resolve) => setTimeout(resolve, (round % 4) * 5)).then(() => fetch(`${runtime.apiUrl}/articles/${published.id}`, { method: 'DELETE', headers: headers() })),
      ]);
      expect([200, 409, 410, 412]).toContain(correction.status);
      expect([200, 409]).toContain(takedown.status);
      const stored = (await (await fetch(`${runtime.apiUrl}/articles/${published.id}`, { headers: headers() })).json()) as { status: string; leadImage?: { mediaId: string; renditions: Array<{ key: string }> } };
      const shortLink = await fetch(published.shortUrl, { redirect: 'manual' });
      const page = await fetch(published.url);
      if (stored.status === 'removed') {
        expect([shortLink.status, page.status]).toEqual([410, 410]);
        // Nothing of the photo the stored article names is left: no rendition, no original.
        expect(await objectsOf(stored.leadImage!.mediaId)).toEqual([]);
      } else {
        expect([shortLink.status, page.status]).toEqual([301, 200]);
        const html = await page.text();
        expect(html).toContain(`/media/${stored.leadImage!.mediaId}/`);
        for (const rendition of stored.leadImage!.renditions) expect((await fetch(`${runtime.baseUrl}/${rendition.key}`)).status).toBe(200);
      }
    }
  });
});
