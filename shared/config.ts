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
  /** CloudFront distribution to invalidate on corrections and takedowns; unset locally (no CDN). */
  distributionId?: string;
}

export const CONFIG_ENV = {
  tableName: 'PRESSLINE_TABLE',
  mediaBucket: 'PRESSLINE_MEDIA_BUCKET',
  siteBucket: 'PRESSLINE_SITE_BUCKET',
  publicBaseUrl: 'PRESSLINE_PUBLIC_BASE_URL',
  distributionId: 'PRESSLINE_DISTRIBUTION_ID',
} as const satisfies Record<keyof PresslineConfig, string>;

type RequiredSetting = Exclude<keyof PresslineConfig, 'distributionId'>;

/**
 * What each handler must be told, and nothing more: the stack sets exactly these (and refuses to
 * synthesize a function missing one), the local runtime sets them all.
 */
export const HANDLER_SETTINGS = {
  api: ['tableName', 'mediaBucket', 'siteBucket', 'publicBaseUrl'],
  redirect: ['tableName', 'publicBaseUrl'],
  pages: ['tableName', 'publicBaseUrl'],
  processMedia: ['tableName', 'mediaBucket'],
} as const satisfies Record<string, readonly RequiredSetting[]>;

/** Reads the given settings once, failing loudly when one is missing; the distribution id when set. */
export function readConfig<K extends RequiredSetting>(settings: readonly K[], env: NodeJS.ProcessEnv = process.env): Pick<PresslineConfig, K | 'distributionId'> {
  const config: Partial<PresslineConfig> = {};
  for (const key of settings) config[key] = requireEnv(CONFIG_ENV[key], env);
  if (config.publicBaseUrl) config.publicBaseUrl = config.publicBaseUrl.replace(/\/+$/, '');
  if (env[CONFIG_ENV.distributionId]) config.distributionId = env[CONFIG_ENV.distributionId];
  return config as Pick<PresslineConfig, K | 'distributionId'>;
}
