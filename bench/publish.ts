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
  withPhoto: PublishCase;
}

export interface PublishOptions {
  rounds: number;
  textPerRound: number;
  photoPerRound: number;
}

const latencyOf = (samples: number[]): Latency => ({ p50: percentile(samples, 50), p95: percentile(samples, 95), p99: percentile(samples, 99), samples: samples.length });

function expectAll(result: LoadResult, status: number, what: string): void {
  const wrong = Object.entries(result.statuses).filter(([code]) => Number(code) !== status);
  if (result.errors > 0 || wrong.length > 0 || result.requests === 0) {
    throw new Error(`${what}: expected every answer to be ${status}, got ${JSON.stringify(result.statuses)} and ${result.errors} connection errors`);
  }
}

/**
 * `POST /api/articles` one after another from a separate process, text only and with the 159 KB
 * photo, in interleaved rounds (so a noisy neighbour slows all cases alike), beside a bare server
 * receiving the same bodies. The counter sees every AWS call the handler makes meanwhile.
 */
export async function benchPublish(runtime: TestRuntime, counter: AwsCallCounter, fixture: BenchFixture, options: PublishOptions): Promise<PublishResult> {
  const headers = { authorization: `Bearer ${runtime.apiKey}`, 'content-type': 'application/json' };
  const runId = Date.now().toString(36);
  const template = (withPhoto: boolean, label: string) => fixture.submission({ withPhoto, headline: `Benchmark ${label} ${runId} number {{n}}` });
  const api = `${runtime.apiUrl}/articles`;
  const bare = bare201Server();
  const bareUrl = await listen(bare);

  try {
    // Warm-up: JIT, connection pools, the emulators' first writes.
    expectAll(await runInClientProcess({ kind: 'sequence', url: api, headers, template: template(true, 'warm-up'), count: 20 }), 201, 'publish warm-up');

    const samples = { text: [] as number[], photo: [] as number[], bareText: [] as number[], barePhoto: [] as number[] };
    const totals: Record<'text' | 'photo', AwsCallTotals[]> = { text: [], photo: [] };
    let published = { text: 0, photo: 0 };
    for (let round = 0; round < options.rounds; round++) {
      for (const kind of ['text', 'photo'] as const) {
        const count = kind === 'text' ? options.textPerRound : options.photoPerRound;
        counter.reset();
        const result = await runInClientProcess({ kind: 'sequence', url: api, headers, template: template(kind === 'photo', `${kind}-r${round}`), count });
        expectAll(result, 201, `publish (${kind})`);
        totals[kind].push(counter.totals());
        published = { ...published, [kind]: published[kind] + result.requests };
        samples[kind].push(...(result.samplesMs ?? []));
        const baseline = await runInClientProcess({ kind: 'sequence', url: bareUrl, headers, template: template(kind === 'photo', 'bare'), count });
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
        requestBytes: Buffer.byteLength(JSON.stringify(template(kind === 'photo', 'size'))),
      };
    };
    return { textOnly: caseOf('text', samples.bareText), withPhoto: caseOf('photo', samples.barePhoto) };
  } finally {
    await close(bare);
  }
}
