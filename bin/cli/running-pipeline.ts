import { CONFIG_ENV } from '../../shared/config.js';
import { runningPipeline } from '../../infra/local/running-pipeline.js';
import { dataDir } from './data-dir.js';

/** The address of the `npm start` running on this data folder, if one is. */
export function runningPipelineBaseUrl(): string | undefined {
  return runningPipeline(dataDir())?.baseUrl;
}

/**
 * When no table is named (no --table, no PRESSLINE_TABLE), the operators' commands work on the
 * pipeline `npm start` is running on this data folder: its emulators, table and buckets. Says so on
 * stderr, since the same command with a table names a deployed stack.
 */
export async function useRunningPipelineUnlessNamed(tableOption: string | undefined, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  if (tableOption || env[CONFIG_ENV.tableName]) return;
  const pipeline = runningPipeline(dataDir());
  if (!pipeline) return;
  env.AWS_ENDPOINT_URL_DYNAMODB = pipeline.dynamodbEndpoint;
  env.AWS_ENDPOINT_URL_S3 = pipeline.s3Endpoint;
  if (pipeline.usingEmulators) {
    // Imported only here: the emulators' module loads the emulators themselves.
    const { S3RVER_CREDENTIALS } = await import('../../infra/local/emulators.js');
    env.AWS_ACCESS_KEY_ID = S3RVER_CREDENTIALS.accessKeyId;
    env.AWS_SECRET_ACCESS_KEY = S3RVER_CREDENTIALS.secretAccessKey;
    delete env.AWS_SESSION_TOKEN;
    delete env.AWS_PROFILE;
  }
  env.AWS_REGION ||= 'us-east-1';
  env[CONFIG_ENV.tableName] = pipeline.tableName;
  env[CONFIG_ENV.mediaBucket] ||= pipeline.mediaBucket;
  env[CONFIG_ENV.siteBucket] ||= pipeline.siteBucket;
  env[CONFIG_ENV.publicBaseUrl] ||= pipeline.baseUrl;
  console.error(`No --table given: using the pipeline npm start is running at ${pipeline.baseUrl} (table ${pipeline.tableName}).`);
}
