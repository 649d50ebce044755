import { fileURLToPath } from 'node:url';
import { runNodeForJson } from './child-json.js';
import type { Job, LoadResult } from './load-generator.js';

const GENERATOR = fileURLToPath(new URL('./load-generator.ts', import.meta.url));

/** Runs one job in a fresh load-generator process and returns its figures. */
export function runInClientProcess(job: Job): Promise<LoadResult> {
  return runNodeForJson<LoadResult>(['--import', 'tsx', GENERATOR], { input: JSON.stringify(job), what: 'the load generator' });
}
