import { ConditionalCheckFailedException, GetItemCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import * as z from 'zod/mini';
import { ROLES, type ApiKeyRecord } from '../auth/api-key.js';
import { ConflictError } from '../errors.js';
import type { KeyStore } from './ports.js';
import { keys } from './table-layout.js';

const apiKeyRecordSchema = z.object({
  id: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
  secretHash: z.string(),
  createdAt: z.string(),
  revokedAt: z.optional(z.string()),
});

export class DynamoDbKeyStore implements KeyStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async getKey(id: string): Promise<ApiKeyRecord | undefined> {
    const { Item } = await this.client.send(new GetItemCommand({ TableName: this.tableName, Key: marshall(keys.apiKey(id)) }));
    return Item ? apiKeyRecordSchema.parse(unmarshall(Item)) : undefined;
  }

  async putKey(record: ApiKeyRecord): Promise<void> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: marshall({ ...keys.apiKey(record.id), ...record }, { removeUndefinedValues: true }),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw new ConflictError(`API key ${record.id} already exists`, { cause: error });
      throw error;
    }
  }
}
