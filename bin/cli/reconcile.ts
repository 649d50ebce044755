import type { Command } from 'commander';
import { CONFIG_ENV } from '../../shared/config.js';
import { createDynamoDbClient, createS3Client } from '../../shared/storage/clients.js';
import { formatReport, reconcile } from '../reconcile.js';
import { printJson } from './api.js';
import { UsageError } from './errors.js';
import { useRunningPipelineUnlessNamed } from './running-pipeline.js';

interface ReconcileOptions {
  table?: string;
  mediaBucket?: string;
  siteBucket?: string;
  baseUrl?: string;
  confirmAfter?: string;
  json?: boolean;
}

async function reconcileCommand(options: ReconcileOptions): Promise<void> {
  await useRunningPipelineUnlessNamed(options.table);
  const env = process.env;
  const tableName = options.table ?? env[CONFIG_ENV.tableName];
  const mediaBucket = options.mediaBucket ?? env[CONFIG_ENV.mediaBucket];
  const siteBucket = options.siteBucket ?? env[CONFIG_ENV.siteBucket];
  const baseUrl = (options.baseUrl ?? env[CONFIG_ENV.publicBaseUrl])?.replace(/\/+$/, '');
  if (!tableName || !mediaBucket || !siteBucket) throw new UsageError('Give --table, --media-bucket and --site-bucket (or their environment variables): the stack outputs TableName, MediaBucketName and SiteBucketName.');
  const confirmAfter = options.confirmAfter === undefined ? 0 : Number(options.confirmAfter);
  if (!Number.isFinite(confirmAfter) || confirmAfter < 0) throw new UsageError(`--confirm-after takes seconds, e.g. --confirm-after 60; received "${options.confirmAfter}".`);

  const dynamodb = createDynamoDbClient();
  const s3 = createS3Client();
  try {
    const report = await reconcile({ dynamodb, s3, tableName, mediaBucket, siteBucket }, { ...(baseUrl ? { urls: { publicBaseUrl: baseUrl } } : {}), confirmAfterMs: confirmAfter * 1000 });
    if (options.json) printJson(report);
    else console.log(formatReport(report));
    // Findings are the check failing: scripts and alarms branch on the exit code.
    if (report.findings.length > 0) process.exitCode = 1;
  } finally {
    dynamodb.destroy();
    s3.destroy();
  }
}

export function registerReconcile(program: Command): void {
  program
    .command('reconcile')
    .summary('list everything the table and buckets disagree on (orphans, broken references)')
    .description(
      `Reads the whole table (a Scan) and lists both buckets, and prints everything that disagrees with
the stored articles: orphans (a page, photo, upload, path or short-code claim, listing entry or photo
record no article accounts for) and broken references (a published article without its page, short
link, listing entries or photo files; a taken-down article with something left). With --base-url,
every article page is also compared with the stored article rendered again. Exits 1 when it finds
anything, 0 when everything agrees. Each option falls back to the variable the handlers read:
${CONFIG_ENV.tableName}, ${CONFIG_ENV.mediaBucket}, ${CONFIG_ENV.siteBucket}, ${CONFIG_ENV.publicBaseUrl}.`,
    )
    .option('--table <TableName>', 'the stack output TableName (default: the npm start running here)')
    .option('--media-bucket <MediaBucketName>', 'the stack output MediaBucketName')
    .option('--site-bucket <SiteBucketName>', 'the stack output SiteBucketName')
    .option('--base-url <CdnUrl>', 'compare every page with the stored article rendered again')
    .option('--confirm-after <seconds>', 'read again after this long and report only what is still there (a publish under way is no orphan)')
    .option('--json', 'print the report as JSON on stdout')
    .addHelpText(
      'after',
      `
Example:
  $ pressline reconcile --table "$TABLE" --media-bucket <MediaBucketName> --site-bucket <SiteBucketName> --confirm-after 60`,
    )
    .action(reconcileCommand);
}
