import { parseArgs } from 'node:util';
import { CONFIG_ENV } from '../shared/config.js';
import { createLogger } from '../shared/log.js';
import { rerenderArticles } from '../shared/publishing/rerender-articles.js';
import { createDynamoDbClient, createS3Client } from '../shared/storage/clients.js';
import { cloudFrontInvalidator, noCdn } from '../shared/storage/cloudfront-invalidator.js';
import { DynamoDbArticleStore } from '../shared/storage/dynamodb-article-store.js';
import { DynamoDbListingStore } from '../shared/storage/dynamodb-listing-store.js';
import { S3SiteStore } from '../shared/storage/s3-stores.js';
import { isMain, runCommand, UsageError } from './command.js';

export const RERENDER_USAGE = `Usage: npm run rerender -- --table <TableName> --site-bucket <SiteBucketName> --base-url <CdnUrl> [--distribution-id <DistributionId>]

Renders every published article's page again (after a template or stylesheet change), then
invalidates the CDN once. Each option falls back to the variable the handlers read:
${CONFIG_ENV.tableName}, ${CONFIG_ENV.siteBucket}, ${CONFIG_ENV.publicBaseUrl}, ${CONFIG_ENV.distributionId}
(the values are the stack outputs). Without a distribution id nothing is invalidated.`;

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      args: process.argv.slice(2),
      options: { table: { type: 'string' }, 'site-bucket': { type: 'string' }, 'base-url': { type: 'string' }, 'distribution-id': { type: 'string' } },
      strict: true,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const env = process.env;
  const tableName = values.table ?? env[CONFIG_ENV.tableName];
  const siteBucket = values['site-bucket'] ?? env[CONFIG_ENV.siteBucket];
  const baseUrl = (values['base-url'] ?? env[CONFIG_ENV.publicBaseUrl])?.replace(/\/+$/, '');
  const distributionId = values['distribution-id'] ?? env[CONFIG_ENV.distributionId];
  if (!tableName || !siteBucket || !baseUrl) throw new UsageError('--table, --site-bucket and --base-url are required (or their environment variables).');

  const dynamodb = createDynamoDbClient();
  const s3 = createS3Client();
  const started = Date.now();
  try {
    const { pages } = await rerenderArticles(
      {
        listings: new DynamoDbListingStore(dynamodb, tableName),
        articles: new DynamoDbArticleStore(dynamodb, tableName),
        site: new S3SiteStore(s3, siteBucket),
        cdn: distributionId ? cloudFrontInvalidator(distributionId) : noCdn,
        urls: { publicBaseUrl: baseUrl },
        logger: createLogger({ command: 'rerender' }, 'warn'),
      },
      (month, monthPages, total) => console.error(`  ${month}: ${monthPages} pages (${total} so far)`),
    );
    console.error(`Re-rendered ${pages} article pages in ${((Date.now() - started) / 1000).toFixed(1)} s${distributionId ? '; CloudFront invalidation /* requested' : ''}.`);
  } finally {
    dynamodb.destroy();
    s3.destroy();
  }
}

if (isMain(import.meta.url)) runCommand(main, RERENDER_USAGE);
