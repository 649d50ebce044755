import { ConditionalCheckFailedException, GetItemCommand, UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { WriteRateLimitConfig } from '../config.js';
import type { WriteRateLimiter } from './ports.js';
import { keys, TABLE_KEYS } from './table-layout.js';

const toItem = (value: object) => marshall(value, { removeUndefinedValues: true, convertClassInstanceToMap: false });

/** Each step loses only to another request of the same person that made progress; this bounds the loop. */
const MAX_ATTEMPTS = 6;

/**
 * A window per person that opens with their first write and lasts `windowSeconds`: one item
 * (`RATE#<person>`) holding when it opened and how many writes it admitted. Every admission is a
 * conditional update (count below the limit, window still open), so however many requests race,
 * no more than the limit are admitted in a window; an expired window is replaced by a conditional
 * update too, which only one racer wins. The item expires with its window (TTL only tidies up:
 * an expired window is recognised by its time, never by its absence).
 */
export class DynamoDbWriteRateLimiter implements WriteRateLimiter {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    private readonly config: WriteRateLimitConfig,
  ) {}

  async admit(personId: string, now: Date): Promise<{ admitted: true } | { admitted: false; retryAfterSeconds: number }> {
    const nowMs = now.getTime();
    const openSince = nowMs - this.config.windowSeconds * 1000;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      if (await this.count(personId, openSince)) return { admitted: true };
      if (await this.openWindow(personId, nowMs, openSince)) return { admitted: true };
      // Neither: the window is open and full, or another request opened it meanwhile; a consistent read tells which.
      const window = await this.read(personId);
      if (window && window.openedAt > openSince && window.writes >= this.config.writesPerWindow) {
        return { admitted: false, retryAfterSeconds: Math.max(1, Math.ceil((window.openedAt + this.config.windowSeconds * 1000 - nowMs) / 1000)) };
      }
    }
    return { admitted: false, retryAfterSeconds: 1 };
  }

  /** One more write in the open window, if it has room. */
  private count(personId: string, openSince: number): Promise<boolean> {
    return this.conditionalUpdate(personId, 'ADD writes :one', 'openedAt > :openSince AND writes < :limit', {
      ':one': 1,
      ':openSince': openSince,
      ':limit': this.config.writesPerWindow,
    });
  }

  /** A new window holding this write, when there is none or the last one has closed. */
  private openWindow(personId: string, nowMs: number, openSince: number): Promise<boolean> {
    return this.conditionalUpdate(personId, `SET openedAt = :now, writes = :one, ${TABLE_KEYS.ttlAttribute} = :expires`, 'attribute_not_exists(openedAt) OR openedAt <= :openSince', {
      ':now': nowMs,
      ':one': 1,
      ':openSince': openSince,
      ':expires': Math.ceil(nowMs / 1000) + this.config.windowSeconds + 60,
    });
  }

  private async read(personId: string): Promise<{ openedAt: number; writes: number } | undefined> {
    const { Item } = await this.client.send(new GetItemCommand({ TableName: this.tableName, Key: toItem(keys.writeWindow(personId)), ConsistentRead: true }));
    if (!Item) return undefined;
    const { openedAt, writes } = unmarshall(Item) as { openedAt: number; writes: number };
    return { openedAt, writes };
  }

  private async conditionalUpdate(personId: string, update: string, condition: string, values: Record<string, unknown>): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: toItem(keys.writeWindow(personId)),
          UpdateExpression: update,
          ConditionExpression: condition,
          ExpressionAttributeValues: toItem(values),
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
