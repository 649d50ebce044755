/** Reads a required environment variable once, failing loudly with what to set. */
export function requireEnv(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[name];
  if (value === undefined || value.trim() === '') {
    throw new Error(`Missing environment variable ${name}: the CDK stack and \`npm start\` set it; set it before starting a handler.`);
  }
  return value;
}

/** What every handler needs to know about where things live. The stack and the local runtime set the same variables. */
export interface PresslineConfig {
  tableName: string;
  mediaBucket: string;
  siteBucket: string;
  /** Origin readers use, without a trailing slash, e.g. `https://news.example.com`. */
  publicBaseUrl: string;
  /** CloudFront distribution the invalidate function invalidates; unset locally (the local edge cache stands in). */
  distributionId?: string;
  /** SQS queue changes send their invalidations to; unset locally (the local runtime's queue stands in). */
  invalidationQueueUrl?: string;
}

export const CONFIG_ENV = {
  tableName: 'PRESSLINE_TABLE',
  mediaBucket: 'PRESSLINE_MEDIA_BUCKET',
  siteBucket: 'PRESSLINE_SITE_BUCKET',
  publicBaseUrl: 'PRESSLINE_PUBLIC_BASE_URL',
  distributionId: 'PRESSLINE_DISTRIBUTION_ID',
  invalidationQueueUrl: 'PRESSLINE_INVALIDATION_QUEUE_URL',
} as const satisfies Record<keyof PresslineConfig, string>;

/** Set on AWS and unset locally, where the local runtime's stand-ins take their place. */
export const AWS_ONLY_SETTINGS = ['distributionId', 'invalidationQueueUrl'] as const;
type AwsOnlySetting = (typeof AWS_ONLY_SETTINGS)[number];
type RequiredSetting = Exclude<keyof PresslineConfig, AwsOnlySetting>;

/**
 * What each handler must be told, and nothing more: the stack sets exactly these (and refuses to
 * synthesize a function missing one), the local runtime sets them all.
 */
export const HANDLER_SETTINGS = {
  api: ['tableName', 'mediaBucket', 'siteBucket', 'publicBaseUrl'],
  redirect: ['tableName', 'publicBaseUrl'],
  pages: ['tableName', 'publicBaseUrl'],
  processMedia: ['tableName', 'mediaBucket'],
  publishScheduled: ['tableName', 'siteBucket', 'publicBaseUrl'],
  invalidate: [],
} as const satisfies Record<string, readonly RequiredSetting[]>;

/** Reads the given settings once, failing loudly when one is missing; the AWS-only ones when set. */
export function readConfig<K extends RequiredSetting>(settings: readonly K[], env: NodeJS.ProcessEnv = process.env): Pick<PresslineConfig, K | AwsOnlySetting> {
  const config: Partial<PresslineConfig> = {};
  for (const key of settings) config[key] = requireEnv(CONFIG_ENV[key], env);
  if (config.publicBaseUrl) config.publicBaseUrl = config.publicBaseUrl.replace(/\/+$/, '');
  for (const key of AWS_ONLY_SETTINGS) if (env[CONFIG_ENV[key]]) config[key] = env[CONFIG_ENV[key]];
  return config as Pick<PresslineConfig, K | AwsOnlySetting>;
}

/**
 * The newsroom workflow's settings, all optional: review (off unless `true`), and where scheduled
 * publishes go on AWS (the three are set together by the stack; locally none, and a timer sweeps).
 */
export const WORKFLOW_ENV = {
  reviewRequired: 'PRESSLINE_REVIEW_REQUIRED',
  scheduleGroup: 'PRESSLINE_SCHEDULE_GROUP',
  schedulerRoleArn: 'PRESSLINE_SCHEDULER_ROLE_ARN',
  publishFunctionArn: 'PRESSLINE_PUBLISH_FUNCTION_ARN',
} as const;

export interface WorkflowConfig {
  reviewRequired: boolean;
  scheduler?: { groupName: string; roleArn: string; targetArn: string };
}

export function readWorkflowConfig(env: NodeJS.ProcessEnv = process.env): WorkflowConfig {
  const review = (env[WORKFLOW_ENV.reviewRequired] ?? '').trim().toLowerCase();
  if (!['', 'true', 'false', 'on', 'off', '1', '0'].includes(review)) {
    throw new Error(`${WORKFLOW_ENV.reviewRequired} must be true or false, not "${review}"`);
  }
  const groupName = env[WORKFLOW_ENV.scheduleGroup];
  const roleArn = env[WORKFLOW_ENV.schedulerRoleArn];
  const targetArn = env[WORKFLOW_ENV.publishFunctionArn];
  const given = [groupName, roleArn, targetArn].filter(Boolean).length;
  if (given !== 0 && given !== 3) {
    throw new Error(`Set all of ${WORKFLOW_ENV.scheduleGroup}, ${WORKFLOW_ENV.schedulerRoleArn} and ${WORKFLOW_ENV.publishFunctionArn}, or none (the sweep alone then publishes scheduled articles).`);
  }
  return {
    reviewRequired: ['true', 'on', '1'].includes(review),
    ...(groupName && roleArn && targetArn ? { scheduler: { groupName, roleArn, targetArn } } : {}),
  };
}

/** The per-person limit on writes: how many a person may make in a window (a minute). */
export const RATE_LIMIT_ENV = { writesPerMinute: 'PRESSLINE_WRITES_PER_MINUTE' } as const;

/** A person publishing, correcting and saving drafts by hand stays far below this; a runaway script does not. */
export const DEFAULT_WRITES_PER_MINUTE = 60;

export interface WriteRateLimitConfig {
  writesPerWindow: number;
  windowSeconds: number;
}

export function readWriteRateLimit(env: NodeJS.ProcessEnv = process.env): WriteRateLimitConfig {
  const raw = (env[RATE_LIMIT_ENV.writesPerMinute] ?? '').trim();
  const writesPerWindow = raw === '' ? DEFAULT_WRITES_PER_MINUTE : Number(raw);
  if (!Number.isInteger(writesPerWindow) || writesPerWindow < 1) {
    throw new Error(`${RATE_LIMIT_ENV.writesPerMinute} must be a whole number of writes per minute, at least 1, not "${raw}"`);
  }
  return { writesPerWindow, windowSeconds: 60 };
}
