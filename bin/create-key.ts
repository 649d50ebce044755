import { parseArgs } from 'node:util';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { issueApiKey, ROLES, type IssuedKey, type Role } from '../shared/auth/api-key.js';
import { CONFIG_ENV } from '../shared/config.js';
import { createDynamoDbClient } from '../shared/storage/clients.js';
import { DynamoDbKeyStore } from '../shared/storage/dynamodb-key-store.js';
import { isMain, runCommand, UsageError } from './command.js';

export const CREATE_KEY_USAGE = `Usage: npm run key:create -- --name "Jane Doe" --role reporter|editor [--table <TableName>] [--region <region>]

Issues an API key in the deployed table and prints it once; only its hash is stored.
The table is --table, or PRESSLINE_TABLE (the stack's TableName output).`;

export interface KeyCommandTarget {
  tableName: string;
  region?: string;
}

/** The table (and region) from `--table`/`--region`, falling back to PRESSLINE_TABLE and the SDK's usual region lookup. */
export function targetFrom(values: { table?: string | undefined; region?: string | undefined }, env: NodeJS.ProcessEnv): KeyCommandTarget {
  const tableName = values.table ?? env[CONFIG_ENV.tableName];
  if (!tableName) throw new UsageError(`Which table? Pass --table <TableName> or set ${CONFIG_ENV.tableName} (see the stack output TableName).`);
  return { tableName, ...(values.region ? { region: values.region } : {}) };
}

export function clientFor(target: KeyCommandTarget, env: NodeJS.ProcessEnv = process.env): DynamoDBClient {
  return createDynamoDbClient(target.region ? { ...env, AWS_REGION: target.region } : env);
}

export function parseCreateKeyArgs(args: string[], env: NodeJS.ProcessEnv): { name: string; role: Role } & KeyCommandTarget {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: { name: { type: 'string' }, role: { type: 'string' }, table: { type: 'string' }, region: { type: 'string' } },
      strict: true,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const name = values.name?.trim();
  if (!name) throw new UsageError('--name is required: who the key is for, e.g. --name "Jane Doe".');
  const role = ROLES.find((r) => r === values.role);
  if (!role) throw new UsageError(`--role must be one of ${ROLES.join(', ')}${values.role ? `, not "${values.role}"` : ''}.`);
  return { name, role, ...targetFrom(values, env) };
}

/** Issues a key and stores its record (never the secret); the caller shows the token once. */
export async function createKey(client: DynamoDBClient, tableName: string, name: string, role: Role): Promise<IssuedKey> {
  const issued = issueApiKey(name, role);
  await new DynamoDbKeyStore(client, tableName).putKey(issued.record);
  return issued;
}

async function main(): Promise<void> {
  const options = parseCreateKeyArgs(process.argv.slice(2), process.env);
  const client = clientFor(options);
  try {
    const { token, record } = await createKey(client, options.tableName, options.name, options.role);
    // The token alone on stdout (KEY=$(npm run -s key:create -- …)); everything else on stderr.
    console.error(`Created ${record.role} key ${record.id} for ${record.name} in ${options.tableName}. It is shown once; hand it over securely:`);
    console.log(token);
    console.error(`Revoke it with: npm run key:revoke -- --id ${record.id} --table ${options.tableName}`);
  } finally {
    client.destroy();
  }
}

if (isMain(import.meta.url)) runCommand(main, CREATE_KEY_USAGE);
