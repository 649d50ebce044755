import { createHash, timingSafeEqual } from 'node:crypto';
import type { Logger } from '../log.js';
import { header, type HttpEvent, type HttpResult } from './responses.js';

/**
 * The header CloudFront adds to every request it sends the HTTP API (an origin custom header): a
 * secret only CloudFront and the functions know, so a request sent straight to the `execute-api`
 * URL, around CloudFront's cache, WAF and throttles, is refused. CloudFront replaces a viewer's
 * header of the same name, so a viewer cannot forge it through the CDN either.
 */
export const ORIGIN_SECRET_HEADER = 'x-pressline-origin';

/**
 * On AWS the functions read the Secrets Manager secret named by `secretArn`; locally the runtime
 * generates a value at start and hands it over in `value` (and a rotation test adds `previousValue`).
 */
export const ORIGIN_SECRET_ENV = {
  secretArn: 'PRESSLINE_ORIGIN_SECRET_ARN',
  value: 'PRESSLINE_ORIGIN_SECRET',
  previousValue: 'PRESSLINE_ORIGIN_SECRET_PREVIOUS',
} as const;

/**
 * A function keeps the values it fetched; a request whose header matches none of them fetches
 * again, but no more than once a minute per function instance, so a flood of forged headers costs
 * one Secrets Manager call a minute, and a rotation (new value at CloudFront) is picked up by the
 * first request that carries it.
 */
export const ORIGIN_SECRET_REFETCH_MS = 60_000;

/** The values a request may carry: during a rotation, the current and the previous one. */
export type OriginSecretValues = () => Promise<readonly string[]>;

/** What an origin that refuses a request answers, as API Gateway words its own refusals: nothing about why. */
export const FORBIDDEN: HttpResult = {
  statusCode: 403,
  headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
  body: JSON.stringify({ message: 'Forbidden' }),
};

export interface OriginGuard {
  /** `undefined` when the request came through CloudFront; otherwise the 403 to answer. */
  refuse(event: HttpEvent): Promise<HttpResult | undefined>;
}

// Compared as SHA-256 digests: equal lengths whatever was sent, so the comparison's time says nothing about the value.
const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

function matchesAny(presented: string, expected: readonly Buffer[]): boolean {
  const sent = digest(presented);
  let matched = false;
  for (const value of expected) matched = timingSafeEqual(sent, value) || matched;
  return matched;
}

/** Checks the origin header of every request before the handler does anything else. */
export function originGuard(values: OriginSecretValues, logger: Logger, options: { now?: () => number; refetchAfterMs?: number } = {}): OriginGuard {
  const now = options.now ?? Date.now;
  const refetchAfterMs = options.refetchAfterMs ?? ORIGIN_SECRET_REFETCH_MS;
  let known: { digests: Buffer[]; fetchedAt: number } | undefined;
  let loading: Promise<Buffer[]> | undefined;

  // Concurrent requests (the local runtime) share one fetch.
  const load = (): Promise<Buffer[]> =>
    (loading ??= values()
      .then((fetched) => {
        const digests = fetched.filter((value) => value !== '').map(digest);
        if (digests.length === 0) throw new Error('the origin secret has no value');
        known = { digests, fetchedAt: now() };
        return digests;
      })
      .finally(() => (loading = undefined)));

  return {
    async refuse(event) {
      const presented = header(event, ORIGIN_SECRET_HEADER);
      if (presented !== undefined) {
        if (matchesAny(presented, known?.digests ?? (await load()))) return undefined;
        // Perhaps rotated since we fetched: look again, at most once a minute.
        if (known && now() - known.fetchedAt >= refetchAfterMs && matchesAny(presented, await load())) return undefined;
      }
      // Never the value itself: a wrong one may be a mistyped right one.
      logger.warn('request without the origin secret refused', {
        path: event.rawPath,
        sourceIp: event.requestContext?.http?.sourceIp,
        headerPresent: presented !== undefined,
        requestId: event.requestContext?.requestId,
      });
      return FORBIDDEN;
    },
  };
}

/**
 * Where the expected values come from: the secret on AWS (the client loaded on first use, keeping
 * it out of the cold start's module loading), the values the local runtime set otherwise.
 */
export function originSecretValues(env: NodeJS.ProcessEnv = process.env): OriginSecretValues {
  const secretArn = env[ORIGIN_SECRET_ENV.secretArn];
  if (secretArn) {
    return async () => (await import('../storage/secrets-manager-origin-secret.js')).fetchOriginSecretValues(secretArn);
  }
  const value = env[ORIGIN_SECRET_ENV.value];
  if (!value) {
    throw new Error(
      `Missing environment variable ${ORIGIN_SECRET_ENV.secretArn} (the stack sets it) or ${ORIGIN_SECRET_ENV.value} (\`npm start\` sets it): the HTTP functions refuse every request without the origin secret.`,
    );
  }
  const values = [value, env[ORIGIN_SECRET_ENV.previousValue]].filter((v): v is string => Boolean(v));
  return async () => values;
}
