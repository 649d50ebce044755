import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AWS_CALLS_PER_PUBLISH } from '../../bench/budgets.js';
import { countAwsCalls, type AwsCallCounter } from '../support/aws-call-counter.js';
import { photo, wireSubmission } from '../support/fixtures.js';
import { startTestRuntime, type TestRuntime } from '../support/local-runtime.js';

// The counter must see the handlers' clients, which the runtime creates when it starts.
let counter: AwsCallCounter;
let runtime: TestRuntime;

beforeAll(async () => {
  counter = countAwsCalls();
  runtime = await startTestRuntime();
  // A reporter mid-shift: their minute's write window is open and the key's use this hour recorded.
  // The first write of a minute (or hour) costs `occasional` more, counted below on its own.
  expect((await runtime.publish(wireSubmission({ withPhoto: false, headline: 'Warming up the write window' }))).status).toBe(201);
});

afterAll(async () => {
  counter.stop();
  await runtime.stop();
});

async function callsToPublish(submission: Record<string, unknown>, headers?: Record<string, string>) {
  counter.reset();
  const response = await runtime.publish(submission, headers);
  expect(response.status).toBe(201);
  return counter.totals();
}

describe('AWS calls per publish', () => {
  it(`publishes the wire article without a photo in at most ${AWS_CALLS_PER_PUBLISH.textOnly} AWS calls`, async () => {
    const totals = await callsToPublish(wireSubmission({ withPhoto: false, headline: 'Budget check without a photo' }));

    expect(totals.calls, JSON.stringify(totals.byOperation)).toBeLessThanOrEqual(AWS_CALLS_PER_PUBLISH.textOnly);
    expect(totals.s3Puts).toBe(1);
  });

  it(`publishes the wire article with an uploaded lead photo in at most ${AWS_CALLS_PER_PUBLISH.withUploadedPhoto} AWS calls`, async () => {
    const uploaded = await runtime.uploadPhoto(photo('gps.jpg'));
    const submission = wireSubmission({ withPhoto: false, headline: 'Budget check with a photo' });
    const totals = await callsToPublish({ ...submission, leadImage: { mediaId: uploaded.id, alt: 'Rubble', caption: 'Khan Yunis.', credit: 'AFP' } });

    expect(totals.calls, JSON.stringify(totals.byOperation)).toBeLessThanOrEqual(AWS_CALLS_PER_PUBLISH.withUploadedPhoto);
    expect(totals.s3Puts, 'only the page: the renditions were written when the photo was processed').toBe(1);
  });

  it(`publishes with an Idempotency-Key in at most ${AWS_CALLS_PER_PUBLISH.textOnlyWithIdempotencyKey} AWS calls`, async () => {
    const headers = { authorization: `Bearer ${runtime.apiKey}`, 'content-type': 'application/json', 'idempotency-key': 'budget-check-0001' };
    const totals = await callsToPublish(wireSubmission({ withPhoto: false, headline: 'Budget check with an idempotency key' }), headers);

    expect(totals.calls, JSON.stringify(totals.byOperation)).toBeLessThanOrEqual(AWS_CALLS_PER_PUBLISH.textOnlyWithIdempotencyKey);
    expect(totals.calls, 'the idempotency record is written').toBeGreaterThan(AWS_CALLS_PER_PUBLISH.textOnly);
  });

  it(`costs at most ${AWS_CALLS_PER_PUBLISH.occasional} more calls on a person's first write of the minute with a key not used this hour`, async () => {
    const token = await runtime.newKey('Fresh Reporter', 'reporter');
    const totals = await callsToPublish(wireSubmission({ withPhoto: false, headline: 'Budget check, first of the minute' }), { authorization: `Bearer ${token}`, 'content-type': 'application/json' });
    expect(totals.calls, JSON.stringify(totals.byOperation)).toBeLessThanOrEqual(AWS_CALLS_PER_PUBLISH.textOnly + AWS_CALLS_PER_PUBLISH.occasional);
    expect(totals.calls, 'the window opens and the use is recorded').toBeGreaterThan(AWS_CALLS_PER_PUBLISH.textOnly);
  });

  it('counts the calls a publish really makes, so the budget cannot pass by counting nothing', async () => {
    const totals = await callsToPublish(wireSubmission({ withPhoto: false, headline: 'Budget check of the counter' }));

    expect(totals.byOperation['DynamoDB.GetItem']).toBeGreaterThanOrEqual(1);
    expect(totals.byOperation['S3.PutObject']).toBe(1);
    expect(totals.dynamodbWriteUnits).toBeGreaterThan(0);
  });
});
