import type { Command } from 'commander';
import { CONFIG_ENV } from '../../shared/config.js';
import { createLogger } from '../../shared/log.js';
import { rerenderArticles, RerenderedNotInvalidatedError } from '../../shared/publishing/rerender-articles.js';
import { createDynamoDbClient, createS3Client } from '../../shared/storage/clients.js';
import { cloudFrontInvalidator, noCdn } from '../../shared/storage/cloudfront-invalidator.js';
import { DynamoDbArticleStore } from '../../shared/storage/dynamodb-article-store.js';
import { DynamoDbListingStore } from '../../shared/storage/dynamodb-listing-store.js';
import { S3SiteStore } from '../../shared/storage/s3-stores.js';
import { printJson } from './api.js';
import { OperationError, UsageError } from './errors.js';
import { useRunningPipelineUnlessNamed } from './running-pipeline.js';
import { barsWanted, progressBar, type Bar } from './progress.js';

interface RerenderOptions {
  table?: string;
  siteBucket?: string;
  baseUrl?: string;
  distributionId?: string;
  progress?: boolean;
  json?: boolean;
}

async function rerender(options: RerenderOptions): Promise<void> {
  await useRunningPipelineUnlessNamed(options.table);
  const env = process.env;
  const tableName = options.table ?? env[CONFIG_ENV.tableName];
  const siteBucket = options.siteBucket ?? env[CONFIG_ENV.siteBucket];
  const baseUrl = (options.baseUrl ?? env[CONFIG_ENV.publicBaseUrl])?.replace(/\/+$/, '');
  const distributionId = options.distributionId ?? env[CONFIG_ENV.distributionId];
  const missing = [!tableName && `--table (or ${CONFIG_ENV.tableName})`, !siteBucket && `--site-bucket (or ${CONFIG_ENV.siteBucket})`, !baseUrl && `--base-url (or ${CONFIG_ENV.publicBaseUrl})`].filter(Boolean);
  if (missing.length) throw new UsageError(`Give ${missing.join(', ')}: the stack outputs TableName, SiteBucketName and CdnUrl.`);

  const dynamodb = createDynamoDbClient();
  const s3 = createS3Client();
  const started = Date.now();
  const bars = barsWanted(options);
  let bar: Bar | undefined;
  try {
    const { pages } = await rerenderArticles(
      {
        listings: new DynamoDbListingStore(dynamodb, tableName!),
        articles: new DynamoDbArticleStore(dynamodb, tableName!),
        site: new S3SiteStore(s3, siteBucket!),
        cdn: distributionId ? cloudFrontInvalidator(distributionId) : noCdn,
        urls: { publicBaseUrl: baseUrl! },
        logger: createLogger({ command: 'rerender' }, 'warn'),
      },
      (month, monthPages, total, months) => {
        if (!bars) return console.error(`  ${month}: ${monthPages} pages (${total} so far)`);
        // Months are the unit of work known up front: the bar counts them.
        bar ??= progressBar('Re-rendering months', months.of, 'count');
        bar.update(months.done);
      },
    ).catch((error: unknown) => {
      // The pages are done; only the invalidation is left, and re-rendering again would not help.
      if (error instanceof RerenderedNotInvalidatedError) throw new OperationError(`${error.message}\n${invalidateByHand(distributionId!)}`, { cause: error });
      throw error;
    });
    bar?.stop();
    bar = undefined;
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (options.json) return printJson({ pages, invalidated: Boolean(distributionId && pages > 0) });
    console.error(`Re-rendered ${pages} article pages in ${seconds} s${distributionId && pages > 0 ? '; CloudFront invalidation /* requested' : ''}.`);
  } finally {
    bar?.stop();
    dynamodb.destroy();
    s3.destroy();
  }
}

/** What to run once CloudFront is less busy (it allows 15 wildcard paths in progress). */
export function invalidateByHand(distributionId: string): string {
  return `Readers see the old pages until they expire (a minute). To clear them now, run once CloudFront is less busy:\n  aws cloudfront create-invalidation --distribution-id ${distributionId} --paths '/*'`;
}

export function registerRerender(program: Command): void {
  program
    .command('rerender')
    .summary("render every published article's page again (after a template change)")
    .description(
      `Renders every published article's page again (after a template or stylesheet change), month by
month with a progress bar, then invalidates the CDN once. Talks to the table and site bucket with your
AWS credentials (the emulators' with AWS_ENDPOINT_URL_DYNAMODB and AWS_ENDPOINT_URL_S3). Each option
falls back to the variable the handlers read: ${CONFIG_ENV.tableName}, ${CONFIG_ENV.siteBucket},
${CONFIG_ENV.publicBaseUrl}, ${CONFIG_ENV.distributionId}. Without a distribution id nothing is invalidated.`,
    )
    .option('--table <TableName>', 'the stack output TableName (default: the npm start running here)')
    .option('--site-bucket <SiteBucketName>', 'the stack output SiteBucketName')
    .option('--base-url <CdnUrl>', 'the stack output CdnUrl')
    .option('--distribution-id <DistributionId>', 'the stack output DistributionId')
    .option('--progress', 'draw the progress bar even when stderr is not a terminal')
    .option('--json', 'print {pages, invalidated} as JSON on stdout')
    .addHelpText(
      'after',
      `
Example:
  $ pressline rerender --table "$TABLE" --site-bucket <SiteBucketName> --base-url <CdnUrl> --distribution-id <DistributionId>`,
    )
    .action(rerender);
}
