import { QueryCommand, type AttributeValue, type DynamoDBClient, type QueryCommandInput } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import * as z from 'zod/mini';
import { renditionSchema } from '../media/media.js';
import type { ArticleSummary } from './ports.js';
import type { ListingStore } from './reader-ports.js';
import { TABLE_KEYS } from './table-layout.js';

type Key = Record<string, AttributeValue>;

/** A listing entry as stored by `putArticle`; parsed, never cast. Unknown attributes (keys) are dropped. */
/** What every entry that summarises an article carries, in listings and on the newsroom's desk alike. */
export const SUMMARY_FIELDS = {
  id: z.string(),
  headline: z.string(),
  standfirst: z.optional(z.string()),
  section: z.string(),
  byline: z.optional(z.string()),
  language: z.string(),
  tags: z._default(z.array(z.string()), []),
  publishedAt: z.string(),
  updatedAt: z.string(),
};

const listingEntrySchema = z.object({
  ...SUMMARY_FIELDS,
  path: z.string().check(z.startsWith('/')),
  correction: z.optional(z.string()),
  leadImage: z.optional(z.object({ alt: z.string(), width: z.number(), height: z.number(), placeholder: z.string(), renditions: z.array(renditionSchema) })),
});

function toSummary(item: Key): ArticleSummary {
  return listingEntrySchema.parse(unmarshall(item));
}

/** Safety stop for the month walk: a century of monthly sitemaps. */
const MAX_MONTHS = 1200;

export class DynamoDbListingStore implements ListingStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async newest(list: string, page: { offset: number; limit: number }): Promise<ArticleSummary[]> {
    let startKey: Key | undefined;
    if (page.offset > 0) {
      startKey = await this.keyAfterSkipping(list, page.offset);
      if (!startKey) return [];
    }
    return this.collect(this.query(list), page.limit, startKey);
  }

  publishedSince(list: string, since: string, limit: number): Promise<ArticleSummary[]> {
    return this.collect(this.query(list, { condition: '#ls >= :bound', bound: since }), limit);
  }

  publishedInMonth(list: string, month: string, limit: number): Promise<ArticleSummary[]> {
    return this.collect(this.query(list, { condition: 'begins_with(#ls, :bound)', bound: month }), limit);
  }

  /**
   * Walks the months newest first, one single-item query per month with entries: ask for the newest
   * entry older than the month just found. A few reads per month, however many articles it holds.
   */
  async months(list: string): Promise<string[]> {
    const months: string[] = [];
    let before: string | undefined;
    while (months.length < MAX_MONTHS) {
      const input = this.query(list, before === undefined ? undefined : { condition: '#ls < :bound', bound: before });
      const { Items } = await this.client.send(
        new QueryCommand({ ...input, Limit: 1, ProjectionExpression: '#ls', ExpressionAttributeNames: { ...input.ExpressionAttributeNames, '#ls': TABLE_KEYS.listSortKey } }),
      );
      const sortKey = Items?.[0]?.[TABLE_KEYS.listSortKey]?.S;
      if (!sortKey) break;
      const month = sortKey.slice(0, 7);
      months.push(month);
      before = month;
    }
    return months;
  }

  private query(list: string, range?: { condition: string; bound: string }): QueryCommandInput {
    return {
      TableName: this.tableName,
      IndexName: TABLE_KEYS.listIndex,
      KeyConditionExpression: range ? `#lp = :list AND ${range.condition}` : '#lp = :list',
      ExpressionAttributeNames: { '#lp': TABLE_KEYS.listPartitionKey, ...(range ? { '#ls': TABLE_KEYS.listSortKey } : {}) },
      ExpressionAttributeValues: marshall({ ':list': list, ...(range ? { ':bound': range.bound } : {}) }),
      ScanIndexForward: false,
    };
  }

  /** Follows DynamoDB's pages (1 MB each) until `limit` entries are in hand or the listing ends. */
  private async collect(input: QueryCommandInput, limit: number, startKey?: Key): Promise<ArticleSummary[]> {
    const summaries: ArticleSummary[] = [];
    let exclusiveStartKey = startKey;
    while (summaries.length < limit) {
      const out = await this.client.send(new QueryCommand({ ...input, Limit: limit - summaries.length, ExclusiveStartKey: exclusiveStartKey }));
      summaries.push(...(out.Items ?? []).map(toSummary));
      if (!out.LastEvaluatedKey) break;
      exclusiveStartKey = out.LastEvaluatedKey;
    }
    return summaries;
  }

  /** The key of the `count`th newest entry, read with keys only, to start the next page after it. */
  private async keyAfterSkipping(list: string, count: number): Promise<Key | undefined> {
    const input = this.query(list);
    const names = { ...input.ExpressionAttributeNames, '#pk': TABLE_KEYS.partitionKey, '#sk': TABLE_KEYS.sortKey, '#ls': TABLE_KEYS.listSortKey };
    let remaining = count;
    let last: Key | undefined;
    let exclusiveStartKey: Key | undefined;
    while (remaining > 0) {
      const out = await this.client.send(
        new QueryCommand({ ...input, Limit: remaining, ProjectionExpression: '#pk, #sk, #lp, #ls', ExpressionAttributeNames: names, ExclusiveStartKey: exclusiveStartKey }),
      );
      const items = out.Items ?? [];
      remaining -= items.length;
      last = items.at(-1) ?? last;
      if (!out.LastEvaluatedKey) break;
      exclusiveStartKey = out.LastEvaluatedKey;
    }
    return remaining > 0 ? undefined : last;
  }
}
