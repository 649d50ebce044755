import type { CdnInvalidator } from './ports.js';

/**
 * Invalidates through CloudFront, loading the client on first use: publishing never invalidates,
 * so the API function's cold start does not pay for a client only corrections and takedowns need.
 */
export function cloudFrontInvalidator(distributionId: string): CdnInvalidator {
  let invalidator: Promise<CdnInvalidator> | undefined;
  return {
    async invalidate(paths) {
      invalidator ??= import('./cloudfront-client.js').then(({ createCloudFrontInvalidator }) => createCloudFrontInvalidator(distributionId));
      return (await invalidator).invalidate(paths);
    },
  };
}

/** Local runtime and tests: there is no CDN cache to clear. */
export const noCdn: CdnInvalidator = { invalidate: async () => {} };
