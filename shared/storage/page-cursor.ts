import { QueryCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import * as z from 'zod/mini';
import { ValidationError, type FieldProblem } from '../errors.js';

/** The page cursor: the last key a Query read, opaque to clients (every key attribute here is a string). */
const cursorSchema = z.record(z.string(), z.object({ S: z.string() }));

export function encodeCursor(key: Record<string, AttributeValue>): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/**
 * The key a cursor stands for, refused unless it belongs to the same query (`expected`: the
 * partition attributes it must carry), so a cursor cannot be used to read another partition.
 */
export function decodeCursor(cursor: string, expected: Record<string, string>): Record<string, AttributeValue> {
  const invalid = () => new ValidationError([{ path: 'cursor', rule: 'format', message: 'cursor must be the nextCursor of the previous page, unchanged' }]);
  let key: Record<string, { S: string }>;
  try {
    key = cursorSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw invalid();
  }
  for (const [name, value] of Object.entries(expected)) if (key[name]?.S !== value) throw invalid();
  return key;
}

/** One partition to page through: the key attribute and its value, on the table or on an index. */
export interface PagedPartition {
  attribute: string;
  value: string;
  indexName?: string;
  /** Highest sort key first (the newsroom's and the audit trail's order). */
  newestFirst?: boolean;
}

/**
 * One page of a partition, resuming after `cursor`: the Query behind every paginated listing (the
 * desk, people, keys, the audit trail), so each checks its cursor against its own partition.
 */
export async function queryPage(
  client: DynamoDBClient,
  tableName: string,
  partition: PagedPartition,
  limit: number,
  cursor?: string,
): Promise<{ items: Record<string, unknown>[]; nextCursor?: string }> {
  const out = await client.send(
    new QueryCommand({
      TableName: tableName,
      ...(partition.indexName ? { IndexName: partition.indexName } : {}),
      KeyConditionExpression: '#p = :p',
      ExpressionAttributeNames: { '#p': partition.attribute },
      ExpressionAttributeValues: marshall({ ':p': partition.value }),
      ...(partition.newestFirst ? { ScanIndexForward: false } : {}),
      Limit: limit,
      ...(cursor ? { ExclusiveStartKey: decodeCursor(cursor, { [partition.attribute]: partition.value }) } : {}),
    }),
  );
  return { items: (out.Items ?? []).map((item) => unmarshall(item)), ...(out.LastEvaluatedKey ? { nextCursor: encodeCursor(out.LastEvaluatedKey) } : {}) };
}

/** The most entries one page of any listing may ask for. */
export const MAX_PAGE_SIZE = 100;

/** A listing's `limit` query parameter: `fallback` when absent, else a whole number from 1 to 100, or the problem with it. */
export function pageLimit(raw: string | undefined, fallback: number): { limit: number } | { problem: FieldProblem } {
  const limit = raw === undefined ? fallback : Number(raw);
  if (Number.isInteger(limit) && limit >= 1 && limit <= MAX_PAGE_SIZE) return { limit };
  return { problem: { path: 'limit', rule: 'range', message: `limit must be a whole number from 1 to ${MAX_PAGE_SIZE}; received "${raw}"` } };
}
