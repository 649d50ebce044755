import { CreateInvalidationCommand, type CloudFrontClient } from '@aws-sdk/client-cloudfront';
import type { CdnInvalidator } from './ports.js';

export class CloudFrontInvalidator implements CdnInvalidator {
  constructor(
    private readonly client: CloudFrontClient,
    private readonly distributionId: string,
  ) {}

  async invalidate(paths: string[]): Promise<void> {
    if (paths.length === 0) return;
    const unique = [...new Set(paths)];
    await this.client.send(
      new CreateInvalidationCommand({
        DistributionId: this.distributionId,
        InvalidationBatch: { CallerReference: `pressline-${Date.now()}-${Math.random().toString(36).slice(2)}`, Paths: { Quantity: unique.length, Items: unique } },
      }),
    );
  }
}

/** Local runtime and tests: there is no CDN cache to clear. */
export const noCdn: CdnInvalidator = { invalidate: async () => {} };
