import { QueryCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import * as z from 'zod/mini';
import { ARTICLE_STATUSES } from '../article/article.js';
import { ROLES } from '../auth/api-key.js';
import { ValidationError } from '../errors.js';
import { SUMMARY_FIELDS } from './dynamodb-listing-store.js';
import type { DeskEntry, DeskStore } from './ports.js';
import { lists, TABLE_KEYS } from './table-layout.js';

const deskEntrySchema = z.object({
  ...SUMMARY_FIELDS,
  path: z.string(),
  status: z.enum(ARTICLE_STATUSES),
  version: z.int(),
  createdBy: z.object({ personId: z.optional(z.string()), keyId: z.string(), name: z.string(), role: z.enum(ROLES) }),
  previewToken: z.optional(z.string()),
});

const dueEntrySchema = z.object({ id: z.string(), publishedAt: z.string() });

/** The page cursor: the last key read, opaque to clients. */
const cursorSchema = z.record(z.string(), z.object({ S: z.string() }));

function encodeCursor(key: Record<string, AttributeValue>): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

function decodeCursor(cursor: string, list: string): Record<string, AttributeValue> {
  const invalid = () => new ValidationError([{ path: 'cursor', rule: 'format', message: 'cursor must be the nextCursor of the previous page, unchanged' }]);
  let key: Record<string, { S: string }>;
  try {
    key = cursorSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw invalid();
  }
  if (key[TABLE_KEYS.listPartitionKey]?.S !== list) throw invalid();
  return key;
}

/** The newsroom's listing and the schedule's due list, both Queries on the `byList` index. */
export class DynamoDbDeskStore implements DeskStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async page(list: string, limit: number, cursor?: string): Promise<{ entries: DeskEntry[]; nextCursor?: string }> {
    const out = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: TABLE_KEYS.listIndex,
        KeyConditionExpression: '#lp = :list',
        ExpressionAttributeNames: { '#lp': TABLE_KEYS.listPartitionKey },
        ExpressionAttributeValues: marshall({ ':list': list }),
        ScanIndexForward: false,
        Limit: limit,
        ...(cursor ? { ExclusiveStartKey: decodeCursor(cursor, list) } : {}),
      }),
    );
    const entries = (out.Items ?? []).map((item) => deskEntrySchema.parse(unmarshall(item)));
    return { entries, ...(out.LastEvaluatedKey ? { nextCursor: encodeCursor(out.LastEvaluatedKey) } : {}) };
  }

  async due(now: string, limit: number): Promise<Array<{ id: string; publishedAt: string }>> {
    const out = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: TABLE_KEYS.listIndex,
        // listSk is `<publishedAt>#<id>`: everything up to this instant, whatever the id.
        KeyConditionExpression: '#lp = :list AND #ls <= :bound',
        ExpressionAttributeNames: { '#lp': TABLE_KEYS.listPartitionKey, '#ls': TABLE_KEYS.listSortKey, '#id': 'id', '#at': 'publishedAt' },
        ExpressionAttributeValues: marshall({ ':list': lists.schedule, ':bound': `${now}#~` }),
        ProjectionExpression: '#id, #at',
        Limit: limit,
      }),
    );
    return (out.Items ?? []).map((item) => dueEntrySchema.parse(unmarshall(item)));
  }
}
