import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { parseApiKey } from '../../shared/auth/api-key.js';
import { addPersonWithKey } from '../../shared/auth/people.js';
import { CONFIG_ENV, RATE_LIMIT_ENV, WORKFLOW_ENV } from '../../shared/config.js';
import { ORIGIN_SECRET_ENV } from '../../shared/http/origin-secret.js';
import { createDynamoDbClient, createS3Client } from '../../shared/storage/clients.js';
import { DynamoDbPeopleStore } from '../../shared/storage/dynamodb-people-store.js';
import { BUCKET_DEFINITIONS, TABLE_DEFINITION } from '../storage-definitions.js';
import { S3RVER_CREDENTIALS, startEmulators, type Emulators } from './emulators.js';
import { buildNewsroom, NEWSROOM_TIME_ZONE_ENV } from '../newsroom-build.js';
import { allowUploadsFrom, ensureBucket, ensureTable, putNewsroom } from './provision.js';
import { EdgeCache } from './edge-cache.js';
import { LocalInvalidationQueue, type SqsBatchHandler } from './invalidation-queue.js';
import { installLocalStandIns } from '../../shared/storage/local-stand-ins.js';
import { startScheduleTimer } from './schedule-timer.js';
import { createLocalServer, type HttpHandler } from './server.js';
import { uploadNotifier, type S3EventHandler } from './upload-events.js';

export interface LocalRuntimeOptions {
  port: number;
  host?: string;
  /** Where emulator data and the local API key live. */
  dataDir: string;
  /** Keep DynamoDB data in memory (tests); S3 still needs a folder. */
  inMemoryDynamoDb?: boolean;
  /** A reporter's publish waits for an editor; default: `PRESSLINE_REVIEW_REQUIRED` (`npm start`), else off. */
  reviewRequired?: boolean;
  /** How often the timer publishes what came due (default 5 s: live within seconds of its time). */
  scheduleSweepMs?: number;
  /** Writes each person may make a minute; default: `PRESSLINE_WRITES_PER_MINUTE`, else the stack's default. */
  writesPerMinute?: number;
  onProgress?: (message: string) => void;
}

export interface LocalRuntime {
  baseUrl: string;
  apiUrl: string;
  dynamodbEndpoint: string;
  s3Endpoint: string;
  usingEmulators: boolean;
  tableName: string;
  mediaBucket: string;
  siteBucket: string;
  apiKey: string;
  apiKeyFile: string;
  apiKeyCreated: boolean;
  /** What the local router sends as CloudFront's origin header; a handler called directly needs it too. */
  originSecret: string;
  /** The local edge cache: what readers get without reaching the handlers. */
  edge: EdgeCache;
  /** The local invalidation queue (its dead letters, for tests). */
  invalidations: LocalInvalidationQueue;
  /** Resolves once every invalidation queued so far reached the edge (the API's answers already wait for theirs; the schedule timer's do not). */
  settled(): Promise<void>;
  stop(): Promise<void>;
}

interface HandlerModule {
  handler: HttpHandler;
}

interface EventHandlerModule {
  handler: S3EventHandler;
}

interface Handlers {
  api: HttpHandler;
  redirect: HttpHandler;
  pages: HttpHandler;
  processMedia: S3EventHandler;
  invalidate: SqsBatchHandler;
}

/**
 * Runs the pipeline on one machine: emulators (unless `AWS_ENDPOINT_URL_DYNAMODB` and
 * `AWS_ENDPOINT_URL_S3` point elsewhere), the table and buckets from the stack's definitions,
 * and the Lambda handlers behind one origin routed like CloudFront. The handlers read their
 * configuration from the same environment variables the CDK stack sets.
 */
export async function startLocalRuntime(options: LocalRuntimeOptions): Promise<LocalRuntime> {
  const progress = options.onProgress ?? (() => {});
  const dataDir = resolve(options.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const host = options.host ?? '127.0.0.1';

  const external = Boolean(process.env.AWS_ENDPOINT_URL_DYNAMODB && process.env.AWS_ENDPOINT_URL_S3);
  let emulators: Emulators | undefined;
  if (!external) {
    progress('starting dynalite and s3rver');
    emulators = await startEmulators({ ...(options.inMemoryDynamoDb ? {} : { dataDir }), s3Dir: join(dataDir, 's3') }).catch((error: unknown) => {
      throw new Error(`Could not start the emulators on ${dataDir} (is another \`npm start\` using it? stop it or set PRESSLINE_DATA_DIR): ${String(error)}`);
    });
    process.env.AWS_ENDPOINT_URL_DYNAMODB = emulators.dynamodbEndpoint;
    process.env.AWS_ENDPOINT_URL_S3 = emulators.s3Endpoint;
    process.env.AWS_ACCESS_KEY_ID = S3RVER_CREDENTIALS.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = S3RVER_CREDENTIALS.secretAccessKey;
    delete process.env.AWS_SESSION_TOKEN;
    delete process.env.AWS_PROFILE;
  }
  process.env.AWS_REGION ??= 'us-east-1';

  const tableName = process.env[CONFIG_ENV.tableName] || TABLE_DEFINITION.localName;
  const mediaBucket = process.env[CONFIG_ENV.mediaBucket] || BUCKET_DEFINITIONS.media.localName;
  const siteBucket = process.env[CONFIG_ENV.siteBucket] || BUCKET_DEFINITIONS.site.localName;
  const dynamodb = createDynamoDbClient();
  const s3 = createS3Client();
  try {
    progress(`table ${tableName}: ${await ensureTable(dynamodb, tableName)}`);
    for (const bucket of [mediaBucket, siteBucket]) progress(`bucket ${bucket}: ${await ensureBucket(s3, bucket)}`);
    // Built at every start, so the app always matches the code (esbuild takes a fraction of a second).
    const newsroom = await buildNewsroom({ timeZone: process.env[NEWSROOM_TIME_ZONE_ENV] || undefined });
    await putNewsroom(s3, siteBucket, newsroom);
    progress(`newsroom app: ${newsroom.map((f) => f.key).join(', ')}`);
  } catch (error) {
    await emulators?.stop();
    throw error;
  }

  // The port (so the public URL the handlers read) is known only once the server listens; requests
  // that arrive before the handlers are loaded wait for them rather than failing.
  let loaded: (handlers: Handlers) => void = () => {};
  const handlers = new Promise<Handlers>((resolve) => (loaded = resolve));
  const route = (name: 'api' | 'redirect' | 'pages'): HttpHandler => async (event) => (await handlers)[name](event);
  // Uploads landing in the media bucket start processing, as the bucket notification does on AWS.
  // (Against other endpoints, e.g. real S3, the stack's notification does this instead.)
  emulators?.onS3Event(
    uploadNotifier(mediaBucket, async () => (await handlers).processMedia, (error) =>
      console.error(JSON.stringify({ level: 'error', message: 'photo processing failed after 3 attempts', error: String(error) })),
    ),
  );
  // The stack's secret, made up for this process (kept if a runtime already made one: the handlers
  // read it once, when first imported). The router adds it as CloudFront does; the handlers check it.
  const originSecret = (process.env[ORIGIN_SECRET_ENV.value] ||= randomBytes(32).toString('hex'));
  // Changes queue what they affect; the same invalidate handler as on AWS drains the queue, its
  // CloudFront replaced by the local edge cache, which forgets exactly the paths it is told.
  const edge = new EdgeCache();
  const uploadOrigin = new URL(process.env.AWS_ENDPOINT_URL_S3 ?? 'https://s3.amazonaws.com').origin;
  const invalidations = new LocalInvalidationQueue({ consumer: async () => (await handlers).invalidate });
  const uninstallStandIns = installLocalStandIns({ invalidations, cdn: { invalidate: async (paths) => void edge.invalidate(paths) } });
  const server = createLocalServer({
    api: route('api'),
    redirect: route('redirect'),
    pages: route('pages'),
    s3,
    mediaBucket,
    siteBucket,
    edge,
    invalidationsSettled: () => invalidations.settled(),
    originSecret,
    uploadOrigin,
  });
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => resolveListen());
  });
  const port = (server.address() as AddressInfo).port;
  const baseUrl = process.env[CONFIG_ENV.publicBaseUrl]?.replace(/\/+$/, '') || `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;

  // The newsroom posts photos straight to the media bucket from the site's origin (and its loopback twins).
  const siteOrigins = [new URL(baseUrl).origin, `http://127.0.0.1:${port}`, `http://localhost:${port}`];
  await allowUploadsFrom(s3, mediaBucket, [...new Set(siteOrigins)]);

  if (options.reviewRequired !== undefined) process.env[WORKFLOW_ENV.reviewRequired] = String(options.reviewRequired);
  if (options.writesPerMinute !== undefined) process.env[RATE_LIMIT_ENV.writesPerMinute] = String(options.writesPerMinute);
  Object.assign(process.env, {
    [CONFIG_ENV.tableName]: tableName,
    [CONFIG_ENV.mediaBucket]: mediaBucket,
    [CONFIG_ENV.siteBucket]: siteBucket,
    [CONFIG_ENV.publicBaseUrl]: baseUrl,
  });
  // Imported only now: handlers read their configuration once, at module load, as on Lambda.
  loaded({
    api: ((await import('../../functions/api.js')) as HandlerModule).handler,
    redirect: ((await import('../../functions/redirect.js')) as HandlerModule).handler,
    pages: ((await import('../../functions/pages.js')) as HandlerModule).handler,
    processMedia: ((await import('../../functions/process-media.js')) as EventHandlerModule).handler,
    invalidate: ((await import('../../functions/invalidate.js')) as { handler: SqsBatchHandler }).handler,
  });

  // The same publishing step EventBridge Scheduler and the sweep run on AWS, from a timer; its first
  // sweep, at once, publishes what came due while `npm start` was stopped.
  const scheduleTimer = startScheduleTimer({
    publishScheduled: ((await import('../../functions/publish-scheduled.js')) as { handler: (event: unknown) => Promise<{ published: string[] }> }).handler,
    intervalMs: options.scheduleSweepMs ?? 5_000,
  });

  const keyFile = join(dataDir, 'local-api-key');
  const { token, created } = await ensureLocalEditorKey(keyFile, new DynamoDbPeopleStore(dynamodb, tableName));

  return {
    baseUrl,
    apiUrl: `${baseUrl}/api`,
    dynamodbEndpoint: process.env.AWS_ENDPOINT_URL_DYNAMODB!,
    s3Endpoint: process.env.AWS_ENDPOINT_URL_S3!,
    usingEmulators: !external,
    tableName,
    mediaBucket,
    siteBucket,
    apiKey: token,
    apiKeyFile: keyFile,
    apiKeyCreated: created,
    originSecret,
    edge,
    invalidations,
    settled: () => invalidations.settled(),
    async stop() {
      await scheduleTimer.stop();
      await invalidations.settled();
      uninstallStandIns();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      dynamodb.destroy();
      s3.destroy();
      await emulators?.stop();
    },
  };
}

/**
 * Reuses the saved key while the table still knows it (and has not revoked it); otherwise adds a
 * "Local editor" person with a new key. A key saved before people existed keeps working: it acts as its own person.
 */
async function ensureLocalEditorKey(file: string, people: DynamoDbPeopleStore): Promise<{ token: string; created: boolean }> {
  if (existsSync(file)) {
    const saved = readFileSync(file, 'utf8').trim();
    const parsed = parseApiKey(saved);
    const stored = parsed && (await people.getKey(parsed.id));
    if (stored && !stored.revokedAt) return { token: saved, created: false };
  }
  const issued = await addPersonWithKey(people, { name: 'Local editor', role: 'editor' }, 'npm start');
  writeFileSync(file, issued.token + '\n', { mode: 0o600 });
  return { token: issued.token, created: true };
}
