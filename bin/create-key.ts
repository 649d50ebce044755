import { parseArgs } from 'node:util';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { addPersonWithKey } from '../shared/auth/people.js';
import { issueApiKey, ROLES, type IssuedKey, type Person, type Role } from '../shared/auth/api-key.js';
import { CONFIG_ENV } from '../shared/config.js';
import { createDynamoDbClient } from '../shared/storage/clients.js';
import { DynamoDbPeopleStore } from '../shared/storage/dynamodb-people-store.js';
import { isMain, runCommand, UsageError } from './command.js';

export const CREATE_KEY_USAGE = `Usage: npm run key:create -- --name "Jane Doe" --role reporter|editor [--label <what for>] [--table <TableName>] [--region <region>]
       npm run key:create -- --person <person id> [--label <what for>] [--table <TableName>] [--region <region>]

Adds a person with a first API key (or, with --person, issues another key to someone already
there) directly in the deployed table, and prints the key once; only its hash is stored. Meant for
the first editor: after that, editors add people and keys through the API (README, "People and keys").
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

export type KeyHolder = { name: string; role: Role } | { personId: string };

export function parseCreateKeyArgs(args: string[], env: NodeJS.ProcessEnv): KeyHolder & { label?: string } & KeyCommandTarget {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: { name: { type: 'string' }, role: { type: 'string' }, person: { type: 'string' }, label: { type: 'string' }, table: { type: 'string' }, region: { type: 'string' } },
      strict: true,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const label = values.label?.trim();
  if (values.label !== undefined && !label) throw new UsageError('--label must say what the key is for, e.g. --label laptop.');
  const labelled = label ? { label } : {};
  if (values.person !== undefined) {
    if (values.name !== undefined || values.role !== undefined) throw new UsageError('Give either --person (another key for someone already there) or --name and --role (someone new), not both.');
    if (!/^p?[0-9a-f]{16}$/.test(values.person)) throw new UsageError('--person must be a person id, e.g. p0123456789abcdef.');
    return { personId: values.person, ...labelled, ...targetFrom(values, env) };
  }
  const name = values.name?.trim();
  if (!name) throw new UsageError('--name is required: who the key is for, e.g. --name "Jane Doe".');
  const role = ROLES.find((r) => r === values.role);
  if (!role) throw new UsageError(`--role must be one of ${ROLES.join(', ')}${values.role ? `, not "${values.role}"` : ''}.`);
  return { name, role, ...labelled, ...targetFrom(values, env) };
}

/**
 * Adds the person (or finds them, given an id) and issues them a key, storing its record (never the
 * secret); the caller shows the token once. This writes the table directly, as ops do, so it
 * leaves no audit entry: the API's own changes do.
 */
export async function createKey(client: DynamoDBClient, tableName: string, holder: KeyHolder, label = 'default'): Promise<IssuedKey & { person: Person }> {
  const store = new DynamoDbPeopleStore(client, tableName);
  if (!('personId' in holder)) return addPersonWithKey(store, holder, label);
  const person = await store.getPerson(holder.personId);
  if (!person) throw new Error(`No person ${holder.personId} in ${tableName}.`);
  const issued = issueApiKey(person.id, label);
  await store.putKey(issued.record);
  return { ...issued, person };
}

async function main(): Promise<void> {
  const options = parseCreateKeyArgs(process.argv.slice(2), process.env);
  const client = clientFor(options);
  try {
    const { token, record, person } = await createKey(client, options.tableName, options, options.label);
    // The token alone on stdout (KEY=$(npm run -s key:create -- …)); everything else on stderr.
    console.error(`Created key ${record.id} ("${record.label}") for ${person.name} (${person.role}, person ${person.id}) in ${options.tableName}. It is shown once; hand it over securely:`);
    console.log(token);
    console.error(`Revoke it with: npm run key:revoke -- --id ${record.id} --table ${options.tableName}`);
  } finally {
    client.destroy();
  }
}

if (isMain(import.meta.url)) runCommand(main, CREATE_KEY_USAGE);
