import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

/**
 * What a running `npm start` tells commands on the same machine (`pressline`): where it listens and
 * which emulators, table and buckets it uses. Written in its data folder once it is ready, removed
 * when it stops; a file left by a crash names a process that is gone, and is ignored.
 */
const runningPipelineSchema = z.object({
  pid: z.number(),
  baseUrl: z.string(),
  dynamodbEndpoint: z.string(),
  s3Endpoint: z.string(),
  usingEmulators: z.boolean(),
  tableName: z.string(),
  mediaBucket: z.string(),
  siteBucket: z.string(),
});
export type RunningPipeline = z.infer<typeof runningPipelineSchema>;

const fileIn = (dataDir: string) => join(dataDir, 'running.json');

export function saveRunningPipeline(dataDir: string, pipeline: RunningPipeline): void {
  writeFileSync(fileIn(dataDir), JSON.stringify(pipeline, null, 2) + '\n', { mode: 0o600 });
}

export function forgetRunningPipeline(dataDir: string): void {
  rmSync(fileIn(dataDir), { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, it is someone else's.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The `npm start` running on this data folder, if one is. */
export function runningPipeline(dataDir: string): RunningPipeline | undefined {
  const file = fileIn(dataDir);
  if (!existsSync(file)) return undefined;
  try {
    const pipeline = runningPipelineSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
    return isAlive(pipeline.pid) ? pipeline : undefined;
  } catch {
    return undefined;
  }
}
