import { ConditionalCheckFailedException, DeleteItemCommand, GetItemCommand, PutItemCommand, UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { mediaRecordSchema, type MediaRecord, type ProcessedPhoto } from '../media/media.js';
import type { MediaRecordStore } from './ports.js';
import { keys, TABLE_KEYS } from './table-layout.js';

const toItem = (value: object) => marshall(value, { removeUndefinedValues: true, convertClassInstanceToMap: false });

/** A refused upload's record is kept a week, so the reporter can read why; DynamoDB's TTL then clears it. */
const REJECTED_RECORD_SECONDS = 7 * 24 * 3600;

export class DynamoDbMediaStore implements MediaRecordStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async create(record: MediaRecord): Promise<boolean> {
    return this.conditional(
      new PutItemCommand({ TableName: this.tableName, Item: toItem({ ...keys.media(record.id), ...record }), ConditionExpression: 'attribute_not_exists(pk)' }),
    );
  }

  async get(id: string): Promise<MediaRecord | undefined> {
    const { Item } = await this.client.send(new GetItemCommand({ TableName: this.tableName, Key: toItem(keys.media(id)), ConsistentRead: true }));
    if (!Item) return undefined;
    const { pk: _pk, sk: _sk, [TABLE_KEYS.ttlAttribute]: _ttl, ...record } = unmarshall(Item);
    return mediaRecordSchema.parse(record);
  }

  markReady(id: string, photo: ProcessedPhoto): Promise<boolean> {
    return this.update(id, 'SET #status = :ready, photo = :photo', '#status = :pending', { ':ready': 'ready', ':photo': photo, ':pending': 'pending' });
  }

  markRejected(id: string, reason: string): Promise<boolean> {
    const expiresAt = Math.floor(Date.now() / 1000) + REJECTED_RECORD_SECONDS;
    return this.update(id, `SET #status = :rejected, reason = :reason, ${TABLE_KEYS.ttlAttribute} = :expires`, '#status = :pending', {
      ':rejected': 'rejected',
      ':reason': reason,
      ':expires': expiresAt,
      ':pending': 'pending',
    });
  }

  claim(id: string, articleId: string): Promise<boolean> {
    return this.update(id, 'SET articleId = :article', '#status = :ready AND (attribute_not_exists(articleId) OR articleId = :article)', {
      ':article': articleId,
      ':ready': 'ready',
    });
  }

  async release(id: string, articleId: string): Promise<void> {
    await this.conditional(
      new UpdateItemCommand({
        TableName: this.tableName,
        Key: toItem(keys.media(id)),
        UpdateExpression: 'REMOVE articleId',
        ConditionExpression: 'articleId = :article',
        ExpressionAttributeValues: toItem({ ':article': articleId }),
      }),
    );
  }

  async delete(id: string): Promise<void> {
    await this.client.send(new DeleteItemCommand({ TableName: this.tableName, Key: toItem(keys.media(id)) }));
  }

  private update(id: string, expression: string, condition: string, values: Record<string, unknown>): Promise<boolean> {
    return this.conditional(
      new UpdateItemCommand({
        TableName: this.tableName,
        Key: toItem(keys.media(id)),
        UpdateExpression: expression,
        // The record must exist: an update never creates one.
        ConditionExpression: `attribute_exists(pk) AND ${condition}`,
        ...(expression.includes('#status') || condition.includes('#status') ? { ExpressionAttributeNames: { '#status': 'status' } } : {}),
        ExpressionAttributeValues: toItem(values),
      }),
    );
  }

  private async conditional(command: PutItemCommand | UpdateItemCommand): Promise<boolean> {
    try {
      if (command instanceof PutItemCommand) await this.client.send(command);
      else await this.client.send(command);
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
