import { QueryCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import * as z from 'zod/mini';
import { ARTICLE_STATUSES } from '../article/article.js';
import { ROLES } from '../auth/api-key.js';
import { SUMMARY_FIELDS } from './dynamodb-listing-store.js';
import { queryPage } from './page-cursor.js';
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

/** The newsroom's listing and the schedule's due list, both Queries on the `byList` index. */
export class DynamoDbDeskStore implements DeskStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async page(list: string, limit: number, cursor?: string): Promise<{ entries: DeskEntry[]; nextCursor?: string }> {
    const { items, nextCursor } = await queryPage(this.client, this.tableName, { attribute: TABLE_KEYS.listPartitionKey, value: list, indexName: TABLE_KEYS.listIndex, newestFirst: true }, limit, cursor);
    return { entries: items.map((item) => deskEntrySchema.parse(item)), ...(nextCursor ? { nextCursor } : {}) };
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
