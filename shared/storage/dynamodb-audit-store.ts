import { randomBytes } from 'node:crypto';
import { PutItemCommand, QueryCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import * as z from 'zod/mini';
import { AUDIT_ACTIONS, type AuditEntry } from '../audit/audit.js';
import { decodeCursor, encodeCursor } from './page-cursor.js';
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
    return this.page(
      { IndexName: TABLE_KEYS.listIndex, KeyConditionExpression: '#p = :p', ExpressionAttributeNames: { '#p': TABLE_KEYS.listPartitionKey } },
      { [TABLE_KEYS.listPartitionKey]: lists.audit },
      limit,
      cursor,
    );
  }

  forArticle(articleId: string, limit: number, cursor?: string): Promise<AuditPage> {
    return this.page(
      { KeyConditionExpression: '#p = :p', ExpressionAttributeNames: { '#p': TABLE_KEYS.partitionKey } },
      { [TABLE_KEYS.partitionKey]: keys.auditPartition(`article#${articleId}`) },
      limit,
      cursor,
    );
  }

  private async page(
    query: { IndexName?: string; KeyConditionExpression: string; ExpressionAttributeNames: Record<string, string> },
    partition: Record<string, string>,
    limit: number,
    cursor?: string,
  ): Promise<AuditPage> {
    const out = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        ...query,
        ExpressionAttributeValues: toItem({ ':p': Object.values(partition)[0]! }),
        ScanIndexForward: false,
        Limit: limit,
        ...(cursor ? { ExclusiveStartKey: decodeCursor(cursor, partition) } : {}),
      }),
    );
    const entries = (out.Items ?? []).map((item) => auditEntrySchema.parse(unmarshall(item)));
    return { entries, ...(out.LastEvaluatedKey ? { nextCursor: encodeCursor(out.LastEvaluatedKey) } : {}) };
  }
}
