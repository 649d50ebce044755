import type { AwsCallCounter, AwsCallTotals } from '../test/support/aws-call-counter.js';
import type { TestRuntime } from '../test/support/local-runtime.js';
import { bare201Server, close, listen } from './bare-servers.js';
import { runInClientProcess } from './client.js';
import type { BenchFixture } from './fixture.js';
import type { LoadResult } from './load-generator.js';
import { percentile } from './stats.js';

export interface Latency {
  p50: number;
  p95: number;
  p99: number;
  samples: number;
}

export interface PublishCase {
  latencyMs: Latency;
  /** The same requests answered by a bare Node server that only reads the body: HTTP and JSON transfer alone. */
  bareServerLatencyMs: Latency;
  /** AWS calls per publish, by operation, counted by SDK middleware on the handlers' clients. */
  awsCallsPerPublish: number;
  awsCallsByOperation: Record<string, number>;
  dynamodbWriteUnitsPerPublish: number;
  dynamodbReadUnitsPerPublish: number;
  s3PutsPerPublish: number;
  s3BytesPerPublish: number;
  requestBytes: number;
}

export interface PublishResult {
  textOnly: PublishCase;
  /** With `leadImage.mediaId`: a photo uploaded and processed before the timed requests, one per publish. */
  withUploadedPhoto: PublishCase;
  /** Photos uploaded (and processed) before the timed requests, and the seconds that took. */
  photosUploaded: number;
  uploadSeconds: number;
}

export interface PublishOptions {
  rounds: number;
  textPerRound: number;
  photoPerRound: number;
  /** Publishes before the timed rounds, of each kind. */
  warmUp: { text: number; photo: number };
}

/** Uploads in flight at once before the timed rounds: processing then keeps both cores busy. */
const UPLOAD_CONCURRENCY = 2;

/** Uploads `count` copies of the photo through the runtime (ticket, presigned POST, processing) and returns their ids once every one is ready. */
async function uploadPhotos(runtime: TestRuntime, bytes: Buffer, count: number): Promise<string[]> {
  const ids: string[] = new Array(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const slot = next++;
      const photo = await runtime.uploadPhoto(bytes);
      if (photo.status !== 'ready') throw new Error(`the benchmark photo was refused: ${photo.reason ?? photo.status}`);
      ids[slot] = photo.id;
    }
  };
  await Promise.all(Array.from({ length: UPLOAD_CONCURRENCY }, worker));
  return ids;
}

const latencyOf = (samples: number[]): Latency => ({ p50: percentile(samples, 50), p95: percentile(samples, 95), p99: percentile(samples, 99), samples: samples.length });

function expectAll(result: LoadResult, status: number, what: string): void {
  const wrong = Object.entries(result.statuses).filter(([code]) => Number(code) !== status);
  if (result.errors > 0 || wrong.length > 0 || result.requests === 0) {
    throw new Error(`${what}: expected every answer to be ${status}, got ${JSON.stringify(result.statuses)} and ${result.errors} connection errors`);
  }
}

/**
 * `POST /api/articles` one after another from a separate process, text only and with an uploaded
 * photo, in interleaved rounds (so a noisy neighbour slows all cases alike), beside a bare server
 * receiving the same bodies. Every photo is uploaded and processed before the first timed request,
 * one per publish (a photo belongs to one article), so the figures are the publish's alone. The
 * counter sees every AWS call the handlers make meanwhile.
 */
export async function benchPublish(runtime: TestRuntime, counter: AwsCallCounter, fixture: BenchFixture, options: PublishOptions): Promise<PublishResult> {
  const headers = { authorization: `Bearer ${runtime.apiKey}`, 'content-type': 'application/json' };
  const runId = Date.now().toString(36);
  const template = (withPhoto: boolean, label: string) =>
    fixture.submission({ ...(withPhoto ? { mediaId: '{{mediaId}}' } : {}), headline: `Benchmark ${label} ${runId} number {{n}}` });
  const api = `${runtime.apiUrl}/articles`;

  const uploadStart = performance.now();
  const photoIds = await uploadPhotos(runtime, fixture.photoBytes, options.warmUp.photo + options.rounds * options.photoPerRound);
  const uploadSeconds = (performance.now() - uploadStart) / 1000;
  const takePhotoIds = (count: number) => photoIds.splice(0, count);

  const bare = bare201Server();
  const bareUrl = await listen(bare);
  try {
    // Warm-up: JIT, connection pools, the emulators' first writes, both paths.
    expectAll(await runInClientProcess({ kind: 'sequence', url: api, headers, template: template(false, 'warm-up'), count: options.warmUp.text }), 201, 'publish warm-up (text)');
    const warmUpIds = takePhotoIds(options.warmUp.photo);
    expectAll(
      await runInClientProcess({ kind: 'sequence', url: api, headers, template: template(true, 'warm-up'), count: options.warmUp.photo, perRequest: { mediaId: warmUpIds } }),
      201,
      'publish warm-up (photo)',
    );

    const samples = { text: [] as number[], photo: [] as number[], bareText: [] as number[], barePhoto: [] as number[] };
    const totals: Record<'text' | 'photo', AwsCallTotals[]> = { text: [], photo: [] };
    let published = { text: 0, photo: 0 };
    for (let round = 0; round < options.rounds; round++) {
      for (const kind of ['text', 'photo'] as const) {
        const count = kind === 'text' ? options.textPerRound : options.photoPerRound;
        const perRequest = kind === 'photo' ? { mediaId: takePhotoIds(count) } : undefined;
        counter.reset();
        const result = await runInClientProcess({ kind: 'sequence', url: api, headers, template: template(kind === 'photo', `${kind}-r${round}`), count, perRequest });
        expectAll(result, 201, `publish (${kind})`);
        totals[kind].push(counter.totals());
        published = { ...published, [kind]: published[kind] + result.requests };
        samples[kind].push(...(result.samplesMs ?? []));
        const baseline = await runInClientProcess({ kind: 'sequence', url: bareUrl, headers, template: template(kind === 'photo', 'bare'), count, perRequest });
        expectAll(baseline, 201, 'bare POST server');
        samples[kind === 'text' ? 'bareText' : 'barePhoto'].push(...(baseline.samplesMs ?? []));
      }
    }

    const caseOf = (kind: 'text' | 'photo', bareSamples: number[]): PublishCase => {
      const all = totals[kind];
      const n = published[kind];
      const byOperation: Record<string, number> = {};
      for (const t of all) for (const [op, count] of Object.entries(t.byOperation)) byOperation[op] = (byOperation[op] ?? 0) + count / n;
      const per = (pick: (t: AwsCallTotals) => number) => all.reduce((sum, t) => sum + pick(t), 0) / n;
      return {
        latencyMs: latencyOf(samples[kind]),
        bareServerLatencyMs: latencyOf(bareSamples),
        awsCallsPerPublish: per((t) => t.calls),
        awsCallsByOperation: byOperation,
        dynamodbWriteUnitsPerPublish: per((t) => t.dynamodbWriteUnits),
        dynamodbReadUnitsPerPublish: per((t) => t.dynamodbReadUnits),
        s3PutsPerPublish: per((t) => t.s3Puts),
        s3BytesPerPublish: per((t) => t.s3BytesPut),
        // Sized with a real media id (a UUID) where the placeholder stands.
        requestBytes: Buffer.byteLength(JSON.stringify(template(kind === 'photo', 'size')).replace('{{mediaId}}', '00000000-0000-4000-8000-000000000000')),
      };
    };
    return { textOnly: caseOf('text', samples.bareText), withUploadedPhoto: caseOf('photo', samples.barePhoto), photosUploaded: options.warmUp.photo + options.rounds * options.photoPerRound, uploadSeconds };
  } finally {
    await close(bare);
  }
}
