import { parseArgs } from 'node:util';
import { ConditionalCheckFailedException, GetItemCommand, UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { parseApiKey } from '../shared/auth/api-key.js';
import { keys } from '../shared/storage/table-layout.js';
import { isMain, runCommand, UsageError } from './command.js';
import { clientFor, targetFrom, type KeyCommandTarget } from './create-key.js';

export const REVOKE_KEY_USAGE = `Usage: npm run key:revoke -- --id <key id> [--table <TableName>] [--region <region>]

Marks an API key revoked (revokedAt); requests with it are refused from then on.
The key id is the part of the key before the dot. The table is --table, or PRESSLINE_TABLE.`;

export function parseRevokeKeyArgs(args: string[], env: NodeJS.ProcessEnv): { id: string } & KeyCommandTarget {
  let values;
  try {
    ({ values } = parseArgs({ args, options: { id: { type: 'string' }, table: { type: 'string' }, region: { type: 'string' } }, strict: true }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  // A whole key pasted by mistake still names its id; the secret is not needed, so it is not kept.
  const id = values.id && (parseApiKey(values.id)?.id ?? values.id);
  if (!id || !/^[0-9a-f]{16}$/.test(id)) throw new UsageError('--id must be a key id: 16 hexadecimal characters, the part of the key before the dot.');
  return { id, ...targetFrom(values, env) };
}

export type RevokeOutcome = 'revoked' | 'already-revoked' | 'not-found';

/** Sets `revokedAt` on an existing key, keeping the first revocation time if it was already revoked. */
export async function revokeKey(client: DynamoDBClient, tableName: string, id: string, now = new Date()): Promise<RevokeOutcome> {
  try {
    await client.send(
      new UpdateItemCommand({
        TableName: tableName,
        Key: marshall(keys.apiKey(id)),
        UpdateExpression: 'SET revokedAt = :now',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(revokedAt)',
        ExpressionAttributeValues: marshall({ ':now': now.toISOString() }),
      }),
    );
    return 'revoked';
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
  // Which half of the condition failed: a consistent read tells (rather than
  // ReturnValuesOnConditionCheckFailure, which dynalite ignores).
  const { Item } = await client.send(new GetItemCommand({ TableName: tableName, Key: marshall(keys.apiKey(id)), ConsistentRead: true }));
  return Item ? 'already-revoked' : 'not-found';
}

async function main(): Promise<void> {
  const options = parseRevokeKeyArgs(process.argv.slice(2), process.env);
  const client = clientFor(options);
  try {
    const outcome = await revokeKey(client, options.tableName, options.id);
    if (outcome === 'not-found') throw new Error(`No key ${options.id} in ${options.tableName}.`);
    console.error(outcome === 'revoked' ? `Revoked key ${options.id}.` : `Key ${options.id} was already revoked.`);
  } finally {
    client.destroy();
  }
}

if (isMain(import.meta.url)) runCommand(main, REVOKE_KEY_USAGE);
