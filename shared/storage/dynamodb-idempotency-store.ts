import { ConditionalCheckFailedException, DeleteItemCommand, GetItemCommand, PutItemCommand, UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import * as z from 'zod/mini';
import { ARTICLE_STATUSES } from '../article/article.js';
import type { IdempotencyRecord, IdempotencyStore } from './ports.js';
import { keys, TABLE_KEYS } from './table-layout.js';

/** A day: long enough for any client retry loop; the TTL attribute lets DynamoDB clear them. */
const RECORD_LIFETIME_SECONDS = 24 * 60 * 60;

const recordSchema = z.object({
  personId: z.optional(z.string()),
  /** Records written before people existed name the key, whose id is that key's person id (see recordedPersonId). */
  keyId: z.optional(z.string()),
  idempotencyKey: z.string(),
  requestHash: z.string(),
  articleId: z.string(),
  status: z.enum(['in_progress', 'completed']),
  startedAt: z.number(),
  result: z.optional(
    z.object({
      id: z.string(),
      version: z.number(),
      status: z.optional(z.enum(ARTICLE_STATUSES)),
      url: z.optional(z.string()),
      shortUrl: z.optional(z.string()),
      previewUrl: z.optional(z.string()),
    }),
  ),
  [TABLE_KEYS.ttlAttribute]: z.number(),
});

const nowSeconds = () => Math.floor(Date.now() / 1000);

export class DynamoDbIdempotencyStore implements IdempotencyStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async begin(record: IdempotencyRecord): Promise<IdempotencyRecord | undefined> {
    const key = keys.idempotency(record.personId, record.idempotencyKey);
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: marshall({ ...key, ...record, [TABLE_KEYS.ttlAttribute]: nowSeconds() + RECORD_LIFETIME_SECONDS }, { removeUndefinedValues: true }),
          // TTL deletion is lazy: an expired record counts as absent without waiting for it.
          ConditionExpression: 'attribute_not_exists(pk) OR #ttl < :now',
          ExpressionAttributeNames: { '#ttl': TABLE_KEYS.ttlAttribute },
          ExpressionAttributeValues: marshall({ ':now': nowSeconds() }),
        }),
      );
      return undefined;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    // dynalite ignores ReturnValuesOnConditionCheckFailure, so read the winner back.
    const { Item } = await this.client.send(new GetItemCommand({ TableName: this.tableName, Key: marshall(key), ConsistentRead: true }));
    if (!Item) return this.begin(record);
    const { [TABLE_KEYS.ttlAttribute]: _ttl, keyId, personId, ...existing } = recordSchema.parse(unmarshall(Item));
    return { ...existing, personId: personId ?? keyId ?? record.personId };
  }

  async takeOver(previous: IdempotencyRecord, startedAt: number): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: marshall(keys.idempotency(previous.personId, previous.idempotencyKey)),
          UpdateExpression: 'SET startedAt = :new',
          ConditionExpression: '#status = :inProgress AND startedAt = :old',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: marshall({ ':new': startedAt, ':old': previous.startedAt, ':inProgress': 'in_progress' }),
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async complete(record: IdempotencyRecord, result: NonNullable<IdempotencyRecord['result']>): Promise<void> {
    await this.client.send(
      new UpdateItemCommand({
        TableName: this.tableName,
        Key: marshall(keys.idempotency(record.personId, record.idempotencyKey)),
        UpdateExpression: 'SET #status = :completed, #result = :result',
        ExpressionAttributeNames: { '#status': 'status', '#result': 'result' },
        ExpressionAttributeValues: marshall({ ':completed': 'completed', ':result': result }, { removeUndefinedValues: true }),
      }),
    );
  }

  async abandon(record: IdempotencyRecord): Promise<void> {
    await this.client.send(
      new DeleteItemCommand({
        TableName: this.tableName,
        Key: marshall(keys.idempotency(record.personId, record.idempotencyKey)),
        ConditionExpression: 'startedAt = :startedAt',
        ExpressionAttributeValues: marshall({ ':startedAt': record.startedAt }),
      }),
    ).catch((error: unknown) => {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    });
  }
}
