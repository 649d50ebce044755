import { ConditionalCheckFailedException, GetItemCommand, PutItemCommand, UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import * as z from 'zod/mini';
import { ROLES, type ApiKeyRecord, type Person } from '../auth/api-key.js';
import { ConflictError } from '../errors.js';
import { queryPage } from './page-cursor.js';
import type { PeopleStore, RevokeOutcome } from './ports.js';
import { keys, lists, TABLE_KEYS } from './table-layout.js';

const toItem = (value: object) => marshall(value, { removeUndefinedValues: true, convertClassInstanceToMap: false });

const personSchema = z.object({
  id: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
  createdAt: z.string(),
  disabledAt: z.optional(z.string()),
});

const keyFields = {
  id: z.string(),
  secretHash: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.optional(z.string()),
  revokedAt: z.optional(z.string()),
};
const personKeySchema = z.object({ ...keyFields, personId: z.string(), label: z.string() });
/** A key issued before people existed: it names its holder and role itself. */
const legacyKeySchema = z.object({ ...keyFields, name: z.string(), role: z.enum(ROLES) });

function keyRecordOf(item: Record<string, unknown>): ApiKeyRecord {
  if ('personId' in item) return personKeySchema.parse(item);
  const { name, role, ...key } = legacyKeySchema.parse(item);
  // Its person is the key itself: the id its articles and uploads were recorded under (see recordedPersonId).
  return { ...key, personId: key.id, label: name, legacyPerson: { name, role } };
}

const listSkOf = (createdAt: string, id: string) => `${createdAt}#${id}`;

/**
 * People and their keys. Reads by key are strongly consistent: a key revoked (or a person disabled)
 * a moment ago is refused on the very next request, never after a replication delay.
 */
export class DynamoDbPeopleStore implements PeopleStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async getKey(id: string): Promise<ApiKeyRecord | undefined> {
    const { Item } = await this.client.send(new GetItemCommand({ TableName: this.tableName, Key: toItem(keys.apiKey(id)), ConsistentRead: true }));
    return Item ? keyRecordOf(unmarshall(Item)) : undefined;
  }

  async getPerson(id: string): Promise<Person | undefined> {
    const { Item } = await this.client.send(new GetItemCommand({ TableName: this.tableName, Key: toItem(keys.person(id)), ConsistentRead: true }));
    return Item ? personSchema.parse(unmarshall(Item)) : undefined;
  }

  async putPerson(person: Person): Promise<boolean> {
    return this.createOnce({ ...keys.person(person.id), ...person, listPk: lists.people, listSk: listSkOf(person.createdAt, person.id) });
  }

  async putKey(record: ApiKeyRecord): Promise<void> {
    if (record.legacyPerson) throw new Error('keys are issued to people; a legacy key is never written again');
    const created = await this.createOnce({ ...keys.apiKey(record.id), ...record, listPk: lists.keysOf(record.personId), listSk: listSkOf(record.createdAt, record.id) });
    if (!created) throw new ConflictError(`API key ${record.id} already exists`);
  }

  async listPeople(limit: number, cursor?: string): Promise<{ people: Person[]; nextCursor?: string }> {
    const page = await this.queryList(lists.people, limit, cursor);
    return { people: page.items.map((item) => personSchema.parse(item)), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
  }

  async listKeys(personId: string): Promise<ApiKeyRecord[]> {
    const found: ApiKeyRecord[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.queryList(lists.keysOf(personId), 100, cursor);
      found.push(...page.items.map(keyRecordOf));
      cursor = page.nextCursor;
    } while (cursor);
    return found;
  }

  async revokeKey(id: string, at: string): Promise<RevokeOutcome> {
    if (await this.setOnce(keys.apiKey(id), 'revokedAt', at)) return 'revoked';
    // Which half of the condition failed: a consistent read tells (dynalite ignores ReturnValuesOnConditionCheckFailure).
    return (await this.getKey(id)) ? 'already-revoked' : 'not-found';
  }

  async disablePerson(id: string, at: string): Promise<'disabled' | 'already-disabled' | 'not-found'> {
    if (await this.setOnce(keys.person(id), 'disabledAt', at)) return 'disabled';
    return (await this.getPerson(id)) ? 'already-disabled' : 'not-found';
  }

  /** Sets a time attribute on an existing item unless it is set already; false when it is, or there is no item. */
  private async setOnce(key: { pk: string; sk: string }, attribute: 'revokedAt' | 'disabledAt', at: string): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: toItem(key),
          UpdateExpression: `SET ${attribute} = :now`,
          ConditionExpression: `attribute_exists(pk) AND attribute_not_exists(${attribute})`,
          ExpressionAttributeValues: toItem({ ':now': at }),
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async touchKey(id: string, at: string, staleBefore: string): Promise<void> {
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: toItem(keys.apiKey(id)),
          UpdateExpression: 'SET lastUsedAt = :now',
          // Only an existing key, and only when no other request recorded a use since: concurrent requests write once.
          ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(lastUsedAt) OR lastUsedAt < :stale)',
          ExpressionAttributeValues: toItem({ ':now': at, ':stale': staleBefore }),
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  private async createOnce(item: Record<string, unknown>): Promise<boolean> {
    try {
      await this.client.send(new PutItemCommand({ TableName: this.tableName, Item: toItem(item), ConditionExpression: 'attribute_not_exists(pk)' }));
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  private queryList(list: string, limit: number, cursor?: string): Promise<{ items: Record<string, unknown>[]; nextCursor?: string }> {
    return queryPage(this.client, this.tableName, { attribute: TABLE_KEYS.listPartitionKey, value: list, indexName: TABLE_KEYS.listIndex }, limit, cursor);
  }
}
