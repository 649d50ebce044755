import { GetItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import * as z from 'zod/mini';
import { articleSchema, type Article } from '../article/article.js';
import type { ArticlePathLookup } from './reader-ports.js';
import { keys } from './table-layout.js';

const pathClaimSchema = z.object({ articleId: z.string() });

/** `PATH#<path>` names the article that claimed the path; the article item says whether it is still published. */
export class DynamoDbArticlePathLookup implements ArticlePathLookup {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async articleAtPath(path: string): Promise<Article | undefined> {
    const claim = await this.client.send(new GetItemCommand({ TableName: this.tableName, Key: marshall(keys.path(path)) }));
    if (!claim.Item) return undefined;
    const { articleId } = pathClaimSchema.parse(unmarshall(claim.Item));
    const { Item } = await this.client.send(new GetItemCommand({ TableName: this.tableName, Key: marshall(keys.article(articleId)) }));
    return Item ? articleSchema.parse(unmarshall(Item)) : undefined;
  }
}
