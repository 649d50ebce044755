import { forgetRunningPipeline, saveRunningPipeline } from './running-pipeline.js';
import { startLocalRuntime } from './runtime.js';

/** `npm start`: the whole pipeline on this machine. */
const port = Number(process.env.PORT ?? 3000);
const dataDir = process.env.PRESSLINE_DATA_DIR ?? '.pressline';

const runtime = await startLocalRuntime({
  port,
  dataDir,
  onProgress: (message) => console.log(`  · ${message}`),
}).catch((error: unknown) => {
  console.error(`Pressline could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});

// `pressline` on this machine finds this pipeline (its address, table and emulators) through this file.
const { baseUrl, dynamodbEndpoint, s3Endpoint, usingEmulators, tableName, mediaBucket, siteBucket } = runtime;
saveRunningPipeline(dataDir, { pid: process.pid, baseUrl, dynamodbEndpoint, s3Endpoint, usingEmulators, tableName, mediaBucket, siteBucket });

console.log(`
Pressline is running.
  Site:      ${runtime.baseUrl}/
  Newsroom:  ${runtime.baseUrl}/newsroom/   (write and publish in the browser; sign in with the API key below)
  API:       ${runtime.apiUrl}/articles   (POST, JSON, Authorization: Bearer <key>)
  DynamoDB:  ${runtime.dynamodbEndpoint}   table ${runtime.tableName}${runtime.usingEmulators ? '   (dynalite)' : ''}
  S3:        ${runtime.s3Endpoint}   buckets ${runtime.mediaBucket}, ${runtime.siteBucket}${runtime.usingEmulators ? '   (s3rver; access key S3RVER / secret S3RVER)' : ''}
  API key:   ${runtime.apiKeyCreated ? `${runtime.apiKey}  (new editor key, ` : '('}saved in ${runtime.apiKeyFile})
Press Ctrl-C to stop.
`);

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping Pressline…`);
  forgetRunningPipeline(dataDir);
  await runtime.stop();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
