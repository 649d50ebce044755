import { randomUUID } from 'node:crypto';
import { auditorFor } from '../shared/audit/audit.js';
import { HANDLER_SETTINGS, readConfig } from '../shared/config.js';
import { createLogger } from '../shared/log.js';
import { publishIfDue, SCHEDULE_PRINCIPAL, sweepDue, type WorkflowDeps } from '../shared/publishing/workflow.js';
import { DynamoDbAuditStore } from '../shared/storage/dynamodb-audit-store.js';
import { createDynamoDbClient, createS3Client } from '../shared/storage/clients.js';
import { DynamoDbArticleStore } from '../shared/storage/dynamodb-article-store.js';
import { DynamoDbDeskStore } from '../shared/storage/dynamodb-desk-store.js';
import { sweepOnlyScheduler } from '../shared/storage/eventbridge-scheduler.js';
import { localInvalidationQueue } from '../shared/storage/local-stand-ins.js';
import { sqsInvalidationQueue } from '../shared/storage/sqs-invalidation-queue.js';
import { S3SiteStore } from '../shared/storage/s3-stores.js';

const config = readConfig(HANDLER_SETTINGS.publishScheduled);
const dynamodb = createDynamoDbClient();
const logger = createLogger({ function: 'publishScheduled' });
const deps: WorkflowDeps & { desk: DynamoDbDeskStore } = {
  articles: new DynamoDbArticleStore(dynamodb, config.tableName),
  desk: new DynamoDbDeskStore(dynamodb, config.tableName),
  site: new S3SiteStore(createS3Client(), config.siteBucket),
  // What changes show readers goes to the invalidation queue (locally, the local runtime's).
  invalidations: config.invalidationQueueUrl ? sqsInvalidationQueue(config.invalidationQueueUrl) : localInvalidationQueue,
  // Publishing never schedules: it only acts on what is due.
  scheduler: sweepOnlyScheduler,
  urls: { publicBaseUrl: config.publicBaseUrl },
  logger,
};
const auditTrail = new DynamoDbAuditStore(dynamodb, config.tableName);

/** `{ "articleId": "…" }` from an article's one-time schedule; anything else (the periodic rule's event) sweeps. */
function articleIdOf(event: unknown): string | undefined {
  if (typeof event !== 'object' || event === null || !('articleId' in event)) return undefined;
  const { articleId } = event as { articleId: unknown };
  return typeof articleId === 'string' && /^[0-9a-f-]{36}$/.test(articleId) ? articleId : undefined;
}

/**
 * The scheduled-publishing function: an article's EventBridge Scheduler schedule invokes it with
 * that article's id; a rule every minute invokes it to sweep whatever is overdue (a schedule that
 * failed, was never made, or fired early). Both run the same idempotent step. Locally, the runtime's
 * timer calls it.
 */
export async function handler(event: unknown, context?: { awsRequestId?: string }): Promise<{ published: string[]; failed: string[] }> {
  const articleId = articleIdOf(event);
  // The audit trail's entry for an embargo going live, by the schedule (the request that scheduled it has its own).
  // A schedule and a sweep racing on one article may both report it published, and so both record it.
  const audit = auditorFor(auditTrail, SCHEDULE_PRINCIPAL, context?.awsRequestId ?? `schedule-${randomUUID()}`, logger);
  if (articleId) {
    const outcome = await publishIfDue(articleId, deps);
    if (outcome === 'published') await audit('article.published', { articleId });
    return { published: outcome === 'published' ? [articleId] : [], failed: [] };
  }
  const result = await sweepDue(deps);
  for (const id of result.published) await audit('article.published', { articleId: id });
  if (result.published.length || result.failed.length) logger.info('sweep done', { published: result.published.length, failed: result.failed.length });
  // A failure makes the invocation fail too, so the Errors alarm sees it; the next sweep retries.
  if (result.failed.length) throw new Error(`scheduled publish failed for ${result.failed.join(', ')}`);
  return result;
}
