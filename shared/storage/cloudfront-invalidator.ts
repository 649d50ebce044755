import type { CdnInvalidator } from './ports.js';

/**
 * Invalidates through CloudFront, loading the client on first use (the invalidate function and
 * `npm run rerender` load it; nothing else pays for it).
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

/** Tools run where there is no CDN (locally, `npm run rerender` without a distribution): nothing to clear. */
export const noCdn: CdnInvalidator = { invalidate: async () => {} };
