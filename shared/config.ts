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

export function readConfig(env: NodeJS.ProcessEnv = process.env): PresslineConfig {
  return {
    tableName: requireEnv(CONFIG_ENV.tableName, env),
    mediaBucket: requireEnv(CONFIG_ENV.mediaBucket, env),
    siteBucket: requireEnv(CONFIG_ENV.siteBucket, env),
    publicBaseUrl: requireEnv(CONFIG_ENV.publicBaseUrl, env).replace(/\/+$/, ''),
    ...(env[CONFIG_ENV.distributionId] ? { distributionId: env[CONFIG_ENV.distributionId] } : {}),
  };
}
