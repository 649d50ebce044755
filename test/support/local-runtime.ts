import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalRuntime, type LocalRuntime } from '../../infra/local/runtime.js';

export interface TestRuntime extends LocalRuntime {
  dataDir: string;
  /** POSTs a submission with the runtime's editor key (or the given headers). */
  publish(body: unknown, headers?: Record<string, string>): Promise<Response>;
}

/**
 * The real local runtime on random ports: dynalite (in memory) and s3rver (temp folder) through
 * the real SDK clients, the real handlers behind the CloudFront-like router.
 */
export async function startTestRuntime(): Promise<TestRuntime> {
  const dataDir = mkdtempSync(join(tmpdir(), 'pressline-test-'));
  const runtime = await startLocalRuntime({ port: 0, dataDir, inMemoryDynamoDb: true });
  return {
    ...runtime,
    dataDir,
    publish(body, headers) {
      return fetch(`${runtime.apiUrl}/articles`, {
        method: 'POST',
        headers: headers ?? { authorization: `Bearer ${runtime.apiKey}`, 'content-type': 'application/json' },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
    },
    async stop() {
      await runtime.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
