import { GetItemCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { ShortLink, ShortLinkReader } from './ports.js';
import { keys } from './table-layout.js';

export class MalformedShortLinkError extends Error {}

const STATUSES: ReadonlySet<string> = new Set<ShortLink['status']>(['active', 'removed']);
const isStatus = (value: string): value is ShortLink['status'] => STATUSES.has(value);

function text(item: Record<string, AttributeValue>, name: keyof ShortLink): string {
  const value = item[name]?.S;
  if (value === undefined) throw new MalformedShortLinkError(`short link item has no string "${name}"`);
  return value;
}

/** Parses (never casts) the stored item, by hand: the redirect bundle stays free of a schema library. */
export function parseShortLinkItem(item: Record<string, AttributeValue>): ShortLink {
  const status = text(item, 'status');
  if (!isStatus(status)) throw new MalformedShortLinkError(`short link item has an unknown status "${status}"`);
  const path = text(item, 'path');
  if (!path.startsWith('/')) throw new MalformedShortLinkError(`short link item has a path that is not absolute: "${path}"`);
  return { code: text(item, 'code'), articleId: text(item, 'articleId'), path, status };
}

/**
 * The read side of short links, apart from `DynamoDbArticleStore`, so the redirect function
 * (the hottest path, and the one whose cold start a reader waits for) bundles the DynamoDB client
 * and nothing else: no zod, no article schema, no marshalling library.
 */
export class DynamoDbShortLinkStore implements ShortLinkReader {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async getShortLink(code: string): Promise<ShortLink | undefined> {
    const { pk, sk } = keys.shortCode(code);
    // Strongly consistent: an eventually consistent read just after a takedown could still say
    // "active", and CloudFront would then keep that 301 for a day.
    const { Item } = await this.client.send(new GetItemCommand({ TableName: this.tableName, Key: { pk: { S: pk }, sk: { S: sk } }, ConsistentRead: true }));
    return Item ? parseShortLinkItem(Item) : undefined;
  }
}

/**
 * Requests for a code that arrive while a read of that code is in flight share that read instead
 * of starting another: a link shared at this moment costs one read per round trip, not one per
 * reader. Nothing is kept once the read returns, so a takedown is seen by the next request, at once.
 */
export function coalesceReads(reader: ShortLinkReader): ShortLinkReader {
  const inFlight = new Map<string, Promise<ShortLink | undefined>>();
  return {
    getShortLink(code) {
      const pending = inFlight.get(code);
      if (pending) return pending;
      const read = reader.getShortLink(code).finally(() => inFlight.delete(code));
      inFlight.set(code, read);
      return read;
    },
  };
}
