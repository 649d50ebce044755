/**
 * The benchmark's client, run as its own process (`node --import tsx bench/load-generator.ts`) so
 * generating load never shares the event loop of the server it measures. Reads one job as JSON on
 * stdin, writes one result as JSON on stdout.
 */
import { Agent, request } from 'node:http';
import autocannon from 'autocannon';
import { percentile } from './stats.js';

/** Many connections at once, as readers do: throughput and latency under load. */
export interface LoadJob {
  kind: 'load';
  url: string;
  connections: number;
  /** Paths to request in order; each is used once when `once`, else cycled for `durationSeconds`. */
  paths: string[];
  once: boolean;
  durationSeconds: number;
}

/** One request after another, as a reporter publishes: latency without queueing. */
export interface SequenceJob {
  kind: 'sequence';
  url: string;
  headers: Record<string, string>;
  /** JSON bodies; `{{n}}` in any string is replaced with the request's number, so each publish is distinct. */
  template: Record<string, unknown>;
  count: number;
  /** `{{name}}` in any string is replaced with `perRequest[name][n]`: what each request must have of its own (an uploaded photo's id). */
  perRequest?: Record<string, string[]>;
}

export type Job = LoadJob | SequenceJob;

export interface LoadResult {
  requests: number;
  seconds: number;
  requestsPerSecond: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number };
  statuses: Record<string, number>;
  errors: number;
  /** Every latency, for a sequence: rounds are pooled exactly rather than by averaging percentiles. */
  samplesMs?: number[];
}

function summarise(latencies: number[], seconds: number, statuses: Record<string, number>, errors: number): LoadResult {
  return {
    requests: latencies.length,
    seconds,
    requestsPerSecond: latencies.length / seconds,
    latencyMs: { p50: percentile(latencies, 50), p95: percentile(latencies, 95), p99: percentile(latencies, 99), max: latencies.reduce((m, v) => Math.max(m, v), 0) },
    statuses,
    errors,
  };
}

function runLoad(job: LoadJob): Promise<LoadResult> {
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let next = 0;
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: job.url,
        connections: job.connections,
        ...(job.once ? { amount: job.paths.length } : { duration: job.durationSeconds }),
        requests: [{ setupRequest: (req) => ({ ...req, path: job.paths[next++ % job.paths.length] }) }],
      },
      (error, result) => {
        if (error) return reject(error);
        resolve(summarise(latencies, (performance.now() - started) / 1000, statuses, result.errors));
      },
    );
    // Every response's own time (autocannon's histogram rounds to whole milliseconds).
    instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTimeMs: number) => {
      latencies.push(responseTimeMs);
      statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
    });
  });
}

function fill(value: unknown, n: number, perRequest: Record<string, string[]>): unknown {
  if (typeof value === 'string') {
    return value.replace(/\{\{(\w+)\}\}/g, (placeholder, name: string) => {
      if (name === 'n') return String(n);
      const own = perRequest[name]?.[n];
      if (own === undefined) throw new Error(`request ${n} has no value for ${placeholder}`);
      return own;
    });
  }
  if (Array.isArray(value)) return value.map((v) => fill(v, n, perRequest));
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v, n, perRequest)]));
  return value;
}

async function runSequence(job: SequenceJob): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const target = new URL(job.url);
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let errors = 0;
  const started = performance.now();
  for (let n = 0; n < job.count; n++) {
    const body = Buffer.from(JSON.stringify(fill(job.template, n, job.perRequest ?? {})));
    const sent = performance.now();
    try {
      const status = await new Promise<number>((resolve, reject) => {
        const req = request(target, { method: 'POST', agent, headers: { ...job.headers, 'content-length': String(body.length) } }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
          res.on('error', reject);
        });
        req.on('error', reject);
        req.end(body);
      });
      latencies.push(performance.now() - sent);
      statuses[status] = (statuses[status] ?? 0) + 1;
    } catch {
      errors++;
    }
  }
  agent.destroy();
  return { ...summarise(latencies, (performance.now() - started) / 1000, statuses, errors), samplesMs: latencies };
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const job = JSON.parse(await readStdin()) as Job;
const result = job.kind === 'load' ? await runLoad(job) : await runSequence(job);
process.stdout.write(JSON.stringify(result) + '\n');
