import { CloudFrontClient, CreateInvalidationCommand } from '@aws-sdk/client-cloudfront';
import { observed } from './clients.js';
import type { CdnInvalidator } from './ports.js';

// Loaded only through cloudfront-invalidator.ts's dynamic import; named imports here let the
// bundler keep just the client and the one command.
export function createCloudFrontInvalidator(distributionId: string, client: CloudFrontClient = observed(new CloudFrontClient({ maxAttempts: 3 }))): CdnInvalidator {
  return {
    async invalidate(paths) {
      const unique = [...new Set(paths)];
      if (unique.length === 0) return;
      await client.send(
        new CreateInvalidationCommand({
          DistributionId: distributionId,
          InvalidationBatch: { CallerReference: `pressline-${Date.now()}-${Math.random().toString(36).slice(2)}`, Paths: { Quantity: unique.length, Items: unique } },
        }),
      );
    },
  };
}
