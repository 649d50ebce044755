import { randomBytes } from 'node:crypto';
import { PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import * as z from 'zod/mini';
import { AUDIT_ACTIONS, type AuditEntry } from '../audit/audit.js';
import { queryPage, type PagedPartition } from './page-cursor.js';
import type { AuditPage, AuditStore } from './ports.js';
import { keys, lists, TABLE_KEYS } from './table-layout.js';

const toItem = (value: object) => marshall(value, { removeUndefinedValues: true, convertClassInstanceToMap: false });

const auditEntrySchema = z.object({
  at: z.string(),
  action: z.enum(AUDIT_ACTIONS),
  requestId: z.string(),
  by: z.object({ personId: z.string(), keyId: z.string(), name: z.string() }),
  articleId: z.optional(z.string()),
  version: z.optional(z.int()),
  reason: z.optional(z.string()),
  photos: z.optional(z.array(z.string())),
  objectVersionsDeleted: z.optional(z.int()),
  mediaId: z.optional(z.string()),
  personId: z.optional(z.string()),
  keyId: z.optional(z.string()),
  replacedKeyId: z.optional(z.string()),
});

/** The partition an entry lives in: the thing it is about, so "this article's history" is one Query. */
function subjectOf(entry: AuditEntry): string {
  if (entry.articleId) return `article#${entry.articleId}`;
  if (entry.mediaId) return `media#${entry.mediaId}`;
  return `person#${entry.personId ?? entry.by.personId}`;
}

/**
 * Audit entries: each in its subject's partition (sorted by time) and on the `audit` listing of the
 * index (sorted by time), so both "for this article" and "recent" are one Query, newest first.
 * Entries are never updated or deleted, and carry no TTL.
 */
export class DynamoDbAuditStore implements AuditStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async append(entry: AuditEntry): Promise<void> {
    // The suffix keeps two entries of the same millisecond apart.
    const sortKey = `${entry.at}#${randomBytes(6).toString('hex')}`;
    await this.client.send(
      new PutItemCommand({
        TableName: this.tableName,
        Item: toItem({ pk: keys.auditPartition(subjectOf(entry)), sk: sortKey, listPk: lists.audit, listSk: sortKey, ...entry }),
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  recent(limit: number, cursor?: string): Promise<AuditPage> {
    return this.page({ attribute: TABLE_KEYS.listPartitionKey, value: lists.audit, indexName: TABLE_KEYS.listIndex }, limit, cursor);
  }

  forArticle(articleId: string, limit: number, cursor?: string): Promise<AuditPage> {
    return this.page({ attribute: TABLE_KEYS.partitionKey, value: keys.auditPartition(`article#${articleId}`) }, limit, cursor);
  }

  private async page(partition: Omit<PagedPartition, 'newestFirst'>, limit: number, cursor?: string): Promise<AuditPage> {
    const { items, nextCursor } = await queryPage(this.client, this.tableName, { ...partition, newestFirst: true }, limit, cursor);
    return { entries: items.map((item) => auditEntrySchema.parse(item)), ...(nextCursor ? { nextCursor } : {}) };
  }
}
