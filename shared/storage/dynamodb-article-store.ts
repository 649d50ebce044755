import {
  BatchWriteItemCommand,
  QueryCommand,
  ConditionalCheckFailedException,
  UpdateItemCommand,
  type AttributeValue,
  type WriteRequest,
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import * as z from 'zod/mini';
import { ARTICLE_STATUSES, articleSchema, changeSchema, type Article } from '../article/article.js';
import type { ArticleStore, ArticleSummary, RevisionSummary, ShortLink } from './ports.js';
import { keys, REVISION_PREFIX } from './table-layout.js';


const revisionSummarySchema = z.object({
  version: z.int(),
  status: z.enum(ARTICLE_STATUSES),
  headline: z.string(),
  updatedAt: z.string(),
  change: z.optional(changeSchema),
});

const toItem = (value: object) => marshall(value, { removeUndefinedValues: true, convertClassInstanceToMap: false });

/** Teasers are at most a third of a wide screen; 640 pixels covers that on a phone at 2x as well. */
const THUMBNAIL_MAX_WIDTH = 640;

export function summaryOf(article: Article): ArticleSummary {
  const { id, path, headline, standfirst, section, byline, language, tags, publishedAt, updatedAt, leadImage } = article;
  const correction = article.corrections?.at(-1)?.note;
  return {
    id, path, headline, standfirst, section, byline, language, tags, publishedAt, updatedAt,
    ...(correction ? { correction } : {}),
    ...(leadImage
      ? {
          leadImage: {
            alt: leadImage.alt,
            width: leadImage.width,
            height: leadImage.height,
            placeholder: leadImage.placeholder,
            renditions: leadImage.renditions.filter((r) => r.width <= THUMBNAIL_MAX_WIDTH),
          },
        }
      : {}),
  };
}

/**
 * What an article's entry in `list` holds: its sort keys and summary; the newsroom's own entries also
 * say where the article stands, and hold its preview secret.
 */
export function listingEntryOf(article: Article, list: string): Record<string, unknown> {
  const desk = list.startsWith('desk') ? { status: article.status, version: article.version, createdBy: article.createdBy, previewToken: article.previewToken } : {};
  return { listPk: list, listSk: `${article.publishedAt}#${article.id}`, ...summaryOf(article), ...desk };
}

/** Translates conditional-write failures into `false`: the caller decides what a lost race means. */
async function conditionalPut(client: DynamoDBClient, command: PutItemCommand): Promise<boolean> {
  try {
    await client.send(command);
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

export class DynamoDbArticleStore implements ArticleStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  claimPath(path: string, articleId: string): Promise<boolean> {
    return conditionalPut(
      this.client,
      new PutItemCommand({
        TableName: this.tableName,
        Item: toItem({ ...keys.path(path), articleId }),
        // Its own claim counts as free, so a retried publish of the same article keeps its URL.
        ConditionExpression: 'attribute_not_exists(pk) OR articleId = :id',
        ExpressionAttributeValues: toItem({ ':id': articleId }),
      }),
    );
  }

  async releasePath(path: string, articleId: string): Promise<void> {
    await this.deleteOwned(keys.path(path), articleId);
  }

  claimShortCode(link: ShortLink): Promise<boolean> {
    return conditionalPut(
      this.client,
      new PutItemCommand({
        TableName: this.tableName,
        Item: toItem({ ...keys.shortCode(link.code), ...link }),
        // Its own claim counts as free, so a repeated go-live of a scheduled article keeps its code.
        ConditionExpression: 'attribute_not_exists(pk) OR articleId = :id',
        ExpressionAttributeValues: toItem({ ':id': link.articleId }),
      }),
    );
  }

  async releaseShortCode(code: string, articleId: string): Promise<void> {
    await this.deleteOwned(keys.shortCode(code), articleId);
  }


  async putArticle(article: Article, listings: string[]): Promise<void> {
    await this.batchWrite([{ PutRequest: { Item: toItem({ ...keys.article(article.id), ...article }) } }, ...this.listingPuts(article, listings)]);
  }

  async deleteArticle(id: string, listings: string[]): Promise<void> {
    await this.batchWrite([keys.article(id), ...listings.map((list) => keys.listEntry(id, list))].map((key) => ({ DeleteRequest: { Key: toItem(key) } })));
  }

  async putListings(article: Article, listings: string[]): Promise<void> {
    await this.batchWrite(this.listingPuts(article, listings));
  }

  async deleteListings(id: string, listings: string[]): Promise<void> {
    await this.batchWrite(listings.map((list) => ({ DeleteRequest: { Key: toItem(keys.listEntry(id, list)) } })));
  }

  async replaceArticle(next: Article, expectedVersion: number, listings: { remove: string[]; put: string[] }): Promise<boolean> {
    const replaced = await conditionalPut(
      this.client,
      new PutItemCommand({
        TableName: this.tableName,
        Item: toItem({ ...keys.article(next.id), ...next }),
        ConditionExpression: 'version = :expected',
        ExpressionAttributeValues: toItem({ ':expected': expectedVersion }),
      }),
    );
    if (!replaced) return false;
    const removals = listings.remove.filter((list) => !listings.put.includes(list));
    await this.batchWrite([
      ...removals.map((list) => ({ DeleteRequest: { Key: toItem(keys.listEntry(next.id, list)) } })),
      ...this.listingPuts(next, listings.put),
    ]);
    return true;
  }

  async setShortLinkStatus(code: string, status: ShortLink['status'], articleId?: string): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: toItem(keys.shortCode(code)),
          UpdateExpression: 'SET #status = :status',
          // Never create a short link: only change one that exists (and, when told, is this article's).
          ConditionExpression: articleId === undefined ? 'attribute_exists(pk)' : 'articleId = :id',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: toItem({ ':status': status, ...(articleId === undefined ? {} : { ':id': articleId }) }),
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  private listingPuts(article: Article, listings: string[]): WriteRequest[] {
    return listings.map((list) => ({ PutRequest: { Item: toItem({ ...keys.listEntry(article.id, list), ...listingEntryOf(article, list) }) } }));
  }

  async setShortLinkPath(code: string, path: string): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: toItem(keys.shortCode(code)),
          UpdateExpression: 'SET #path = :path',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#path': 'path' },
          ExpressionAttributeValues: toItem({ ':path': path }),
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async archiveRevision(article: Article): Promise<void> {
    // One item per version: a 100,000-character body fits one item, never a history of them.
    await conditionalPut(
      this.client,
      new PutItemCommand({ TableName: this.tableName, Item: toItem({ ...keys.revision(article.id, article.version), ...article }), ConditionExpression: 'attribute_not_exists(pk)' }),
    );
  }

  async listRevisions(id: string): Promise<RevisionSummary[]> {
    const revisions: RevisionSummary[] = [];
    let startKey: Record<string, AttributeValue> | undefined;
    do {
      const out = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :rev)',
          ExpressionAttributeValues: toItem({ ':pk': keys.article(id).pk, ':rev': REVISION_PREFIX }),
          // The history without the text: a hundred versions of a long feature stay one small read.
          ProjectionExpression: '#version, #status, #headline, #updatedAt, #change',
          ExpressionAttributeNames: { '#version': 'version', '#status': 'status', '#headline': 'headline', '#updatedAt': 'updatedAt', '#change': 'change' },
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of out.Items ?? []) revisions.push(revisionSummarySchema.parse(unmarshall(item)));
      startKey = out.LastEvaluatedKey;
    } while (startKey);
    return revisions;
  }

  async getRevision(id: string, version: number): Promise<Article | undefined> {
    const { Item } = await this.client.send(new GetItemCommand({ TableName: this.tableName, Key: toItem(keys.revision(id, version)), ConsistentRead: true }));
    return Item ? articleSchema.parse(unmarshall(Item)) : undefined;
  }

  /** BatchWriteItem, in chunks of 25, retrying what DynamoDB leaves unprocessed under load. */
  private async batchWrite(requests: WriteRequest[]): Promise<void> {
    for (let start = 0; start < requests.length; start += 25) {
      let pending = requests.slice(start, start + 25);
      for (let attempt = 0; pending.length > 0; attempt++) {
        if (attempt > 5) throw new Error(`DynamoDB left ${pending.length} writes unprocessed`);
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 25 * 2 ** attempt));
        const result = await this.client.send(new BatchWriteItemCommand({ RequestItems: { [this.tableName]: pending } }));
        pending = result.UnprocessedItems?.[this.tableName] ?? [];
      }
    }
  }

  async getArticle(id: string): Promise<Article | undefined> {
    const { Item } = await this.client.send(new GetItemCommand({ TableName: this.tableName, Key: toItem(keys.article(id)), ConsistentRead: true }));
    return Item ? articleSchema.parse(unmarshall(Item)) : undefined;
  }

  /** Deletes a claim only while it still belongs to this article, so a cleanup never frees another's. */
  private async deleteOwned(key: { pk: string; sk: string }, articleId: string): Promise<void> {
    try {
      await this.client.send(
        new DeleteItemCommand({
          TableName: this.tableName,
          Key: toItem(key),
          ConditionExpression: 'articleId = :id',
          ExpressionAttributeValues: toItem({ ':id': articleId }),
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
}
