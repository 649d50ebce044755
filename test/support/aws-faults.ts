import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { observeNewClients, type AwsClient } from '../../shared/storage/clients.js';

/** Where an injected fault strikes: before the call reaches the service, or after it was carried out (its reply lost). */
export type FaultTiming = 'before' | 'after';

/** An error no SDK or domain code expects: to the code that made the call, the call failed. */
export class InjectedFaultError extends Error {
  override readonly name = 'InjectedFaultError';
}

export interface FaultCounts {
  calls: number;
  faults: number;
  /** `DynamoDB.PutItem before` → how many. */
  byOperation: Record<string, number>;
}

export interface AwsFaultInjector {
  /** The share of calls (0–1) that fail from now on, on every client instrumented so far and later. */
  setRate(rate: number): void;
  counts(): FaultCounts;
  resetCounts(): void;
  /** Stops instrumenting clients created afterwards; clients already instrumented keep the current rate. */
  stop(): void;
}

/**
 * Makes a share of the AWS calls of clients created from now on fail, through SDK middleware on
 * `shared/storage/clients.ts`'s clients (as `aws-call-counter.ts` counts them). Half of the faults
 * strike before the call is sent, half after the service carried it out (a reply lost to a timeout:
 * the write happened, the caller cannot know). Both are thrown to the calling code at the
 * `initialize` step, outside the SDK's own retries, as if every retry had failed: the worst an SDK
 * call can do. `eligible` picks the clients (e.g. only those a Lambda handler created).
 */
export function injectAwsFaults(options: { rate?: number; random: () => number; eligible?: (client: AwsClient) => boolean }): AwsFaultInjector {
  let rate = options.rate ?? 0;
  let counts: FaultCounts = { calls: 0, faults: 0, byOperation: {} };
  const strike = async <R>(service: string, commandName: string | undefined, call: () => Promise<R>): Promise<R> => {
    counts.calls++;
    if (rate <= 0 || options.random() >= rate) return call();
    const timing: FaultTiming = options.random() < 0.5 ? 'before' : 'after';
    const operation = `${service}.${(commandName ?? 'Unknown').replace(/Command$/, '')} ${timing}`;
    counts.faults++;
    counts.byOperation[operation] = (counts.byOperation[operation] ?? 0) + 1;
    if (timing === 'after') await call();
    throw new InjectedFaultError(`injected fault: ${operation}`);
  };
  const step = { step: 'initialize', name: 'presslineFaultInjector' } as const;
  const stop = observeNewClients((client) => {
    if (options.eligible && !options.eligible(client)) return;
    if (client instanceof DynamoDBClient) client.middlewareStack.add((next, context) => (args) => strike('DynamoDB', context.commandName, () => next(args)), step);
    else if (client instanceof S3Client) client.middlewareStack.add((next, context) => (args) => strike('S3', context.commandName, () => next(args)), step);
  });
  return {
    setRate: (value) => {
      rate = value;
    },
    counts: () => ({ ...counts, byOperation: { ...counts.byOperation } }),
    resetCounts: () => {
      counts = { calls: 0, faults: 0, byOperation: {} };
    },
    stop,
  };
}

/** A small seeded generator (mulberry32): the same seed injects the same faults in the same order of calls. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
