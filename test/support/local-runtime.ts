import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalRuntime, type LocalRuntime } from '../../infra/local/runtime.js';

/** The 201 answer of `POST /api/articles`. */
export interface Published {
  id: string;
  url: string;
  shortUrl: string;
  version: number;
}

export interface TestRuntime extends LocalRuntime {
  dataDir: string;
  /** POSTs a submission with the runtime's editor key (or the given headers). */
  publish(body: unknown, headers?: Record<string, string>): Promise<Response>;
  /** Publishes with the editor key, failing with the API's answer unless it is a 201. */
  publishOk(body: unknown): Promise<Published>;
}

/**
 * The real local runtime on random ports: dynalite (in memory) and s3rver (temp folder) through
 * the real SDK clients, the real handlers behind the CloudFront-like router.
 */
export async function startTestRuntime(options: { reviewRequired?: boolean; scheduleSweepMs?: number } = {}): Promise<TestRuntime> {
  const dataDir = mkdtempSync(join(tmpdir(), 'pressline-test-'));
  const runtime = await startLocalRuntime({ port: 0, dataDir, inMemoryDynamoDb: true, reviewRequired: options.reviewRequired ?? false, ...(options.scheduleSweepMs ? { scheduleSweepMs: options.scheduleSweepMs } : {}) });
  const publish = (body: unknown, headers?: Record<string, string>) =>
    fetch(`${runtime.apiUrl}/articles`, {
      method: 'POST',
      headers: headers ?? { authorization: `Bearer ${runtime.apiKey}`, 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  return {
    ...runtime,
    dataDir,
    publish,
    async publishOk(body) {
      const response = await publish(body);
      if (response.status !== 201) throw new Error(`publish answered ${response.status}: ${await response.text()}`);
      return (await response.json()) as Published;
    },
    async stop() {
      await runtime.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
