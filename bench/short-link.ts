import { BatchWriteItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { newShortCode } from '../shared/article/short-code.js';
import { createDynamoDbClient } from '../shared/storage/clients.js';
import { keys } from '../shared/storage/table-layout.js';
import type { TestRuntime } from '../test/support/local-runtime.js';
import { bare301Server, close, listen } from './bare-servers.js';
import { runInClientProcess } from './client.js';
import type { LoadJob, LoadResult } from './load-generator.js';
import { median } from './stats.js';

export interface ShortLinkFigures {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Each round's requests per second, to show the noise. */
  rounds: number[];
}

export interface ShortLinkResult {
  connections: number;
  /** The same few codes over and over: a link being shared, after its first hit. */
  warm: ShortLinkFigures;
  /** Every request a code never requested before: each one is a DynamoDB read. */
  cold: ShortLinkFigures;
  bare301: ShortLinkFigures;
  /** warm ÷ bare and cold ÷ bare requests per second; the target is ≥ 0.5 for warm. */
  warmShareOfBare: number;
  coldShareOfBare: number;
}

export interface ShortLinkOptions {
  rounds: number;
  connections: number;
  seconds: number;
  coldCodesPerRound: number;
  warmCodes: number;
}

/** Writes short links straight into the table, as publishes would, so thousands exist without thousands of publishes. */
async function seedShortLinks(runtime: TestRuntime, count: number, path: string): Promise<string[]> {
  const codes = new Set<string>();
  while (codes.size < count) codes.add(newShortCode());
  const all = [...codes];
  const client = createDynamoDbClient();
  try {
    const batches: string[][] = [];
    for (let i = 0; i < all.length; i += 25) batches.push(all.slice(i, i + 25));
    for (let i = 0; i < batches.length; i += 8) {
      await Promise.all(
        batches.slice(i, i + 8).map(async (batch) => {
          let pending = batch.map((code) => ({ PutRequest: { Item: marshall({ ...keys.shortCode(code), code, articleId: 'bench', path, status: 'active' }) } }));
          while (pending.length > 0) {
            const result = await client.send(new BatchWriteItemCommand({ RequestItems: { [runtime.tableName]: pending } }));
            pending = (result.UnprocessedItems?.[runtime.tableName] ?? []).map((r) => ({ PutRequest: { Item: r.PutRequest!.Item! } }));
          }
        }),
      );
    }
  } finally {
    client.destroy();
  }
  return all;
}

function expect301(result: LoadResult, what: string): LoadResult {
  const wrong = Object.entries(result.statuses).filter(([code]) => code !== '301');
  if (result.errors > 0 || wrong.length > 0 || result.requests === 0) {
    throw new Error(`${what}: expected every answer to be 301, got ${JSON.stringify(result.statuses)} and ${result.errors} connection errors`);
  }
  return result;
}

function figures(results: LoadResult[]): ShortLinkFigures {
  return {
    requestsPerSecond: median(results.map((r) => r.requestsPerSecond)),
    p50Ms: median(results.map((r) => r.latencyMs.p50)),
    p99Ms: median(results.map((r) => r.latencyMs.p99)),
    rounds: results.map((r) => r.requestsPerSecond),
  };
}

/**
 * `GET /s/<code>` through the local runtime (router → redirect handler → DynamoDB emulator, all in
 * this process, as `npm start` runs them) under load from a separate process, beside a bare 301
 * server in this same process. Rounds interleave bare, warm and cold so noise hits all three.
 */
export async function benchShortLink(runtime: TestRuntime, articlePath: string, options: ShortLinkOptions): Promise<ShortLinkResult> {
  const codes = await seedShortLinks(runtime, options.warmCodes + options.rounds * options.coldCodesPerRound, articlePath);
  const warmPaths = codes.slice(0, options.warmCodes).map((code) => `/s/${code}`);
  const coldPaths = (round: number) => codes.slice(options.warmCodes + round * options.coldCodesPerRound, options.warmCodes + (round + 1) * options.coldCodesPerRound).map((code) => `/s/${code}`);
  const bare = bare301Server(`${runtime.baseUrl}${articlePath}`);
  const bareUrl = await listen(bare);
  const load = (url: string, paths: string[], once: boolean, seconds = options.seconds): LoadJob => ({ kind: 'load', url, connections: options.connections, paths, once, durationSeconds: seconds });

  try {
    // Warm-up of both servers (JIT, sockets); the warm codes' first hits happen here.
    expect301(await runInClientProcess(load(bareUrl, ['/s/warmup'], false, 1)), 'bare 301 warm-up');
    expect301(await runInClientProcess(load(runtime.baseUrl, warmPaths, false, 1)), 'short link warm-up');

    const runs = { bare: [] as LoadResult[], warm: [] as LoadResult[], cold: [] as LoadResult[] };
    for (let round = 0; round < options.rounds; round++) {
      runs.bare.push(expect301(await runInClientProcess(load(bareUrl, ['/s/bare'], false)), 'bare 301 server'));
      runs.warm.push(expect301(await runInClientProcess(load(runtime.baseUrl, warmPaths, false)), 'short link (warm)'));
      runs.cold.push(expect301(await runInClientProcess(load(runtime.baseUrl, coldPaths(round), true)), 'short link (cold)'));
    }
    const result = { bare301: figures(runs.bare), warm: figures(runs.warm), cold: figures(runs.cold) };
    return {
      connections: options.connections,
      ...result,
      warmShareOfBare: result.warm.requestsPerSecond / result.bare301.requestsPerSecond,
      coldShareOfBare: result.cold.requestsPerSecond / result.bare301.requestsPerSecond,
    };
  } finally {
    await close(bare);
  }
}
