import { ConditionalCheckFailedException, GetItemCommand, paginateScan, UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { Option, type Command } from 'commander';
import { issueApiKey, parseApiKey, ROLES, type ApiKeyRecord, type IssuedKey, type Role } from '../../shared/auth/api-key.js';
import { CONFIG_ENV } from '../../shared/config.js';
import { createDynamoDbClient } from '../../shared/storage/clients.js';
import { DynamoDbKeyStore } from '../../shared/storage/dynamodb-key-store.js';
import { keys } from '../../shared/storage/table-layout.js';
import { printJson } from './api.js';
import { OperationError, UsageError } from './errors.js';
import { useRunningPipelineUnlessNamed } from './running-pipeline.js';

/*
 * `pressline keys …`: API keys as they are today, one item `KEY#<id>` per key in the table, written
 * straight to DynamoDB with the operator's AWS credentials (no API route issues keys). Kept to this
 * one module so the key model can change behind the same commands.
 */

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

export function parseRole(value: string | undefined): Role {
  const role = ROLES.find((r) => r === value);
  if (!role) throw new UsageError(`--role must be one of ${ROLES.join(', ')}${value ? `, not "${value}"` : ''}.`);
  return role;
}

/** A key id from `<id>` or a whole key pasted by mistake (its secret is not needed, so it is not kept). */
export function parseKeyId(value: string | undefined): string {
  const id = value && (parseApiKey(value)?.id ?? value);
  if (!id || !/^[0-9a-f]{16}$/.test(id)) throw new UsageError('Give a key id: 16 hexadecimal characters, the part of the key before the dot (`pressline keys list` shows them).');
  return id;
}

/** Issues a key and stores its record (never the secret); the caller shows the token once. */
export async function createKey(client: DynamoDBClient, tableName: string, name: string, role: Role): Promise<IssuedKey> {
  const issued = issueApiKey(name, role);
  await new DynamoDbKeyStore(client, tableName).putKey(issued.record);
  return issued;
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

export type KeySummary = Omit<ApiKeyRecord, 'secretHash'>;

/**
 * Every key, oldest first, without its hash. Keys have no listing of their own in today's layout,
 * so this is a Scan: an operator's occasional look, never a request path.
 */
export async function listKeys(client: DynamoDBClient, tableName: string): Promise<KeySummary[]> {
  const found: KeySummary[] = [];
  const pages = paginateScan(
    { client },
    {
      TableName: tableName,
      FilterExpression: 'sk = :key AND begins_with(pk, :prefix)',
      ProjectionExpression: 'id, #name, #role, createdAt, revokedAt',
      ExpressionAttributeNames: { '#name': 'name', '#role': 'role' },
      ExpressionAttributeValues: marshall({ ':key': keys.apiKey('').sk, ':prefix': keys.apiKey('').pk }),
    },
  );
  for await (const page of pages) for (const item of page.Items ?? []) found.push(unmarshall(item) as KeySummary);
  return found.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

/**
 * A new key for the same person and role, then the old one revoked: the new key works before the
 * old stops. Articles stay with the key that published them.
 */
export async function rotateKey(client: DynamoDBClient, tableName: string, id: string): Promise<{ issued: IssuedKey; revoked: RevokeOutcome }> {
  const old = await new DynamoDbKeyStore(client, tableName).getKey(id);
  if (!old) throw new OperationError(`No key ${id} in ${tableName}: check the id with \`pressline keys list\`.`);
  if (old.revokedAt) throw new OperationError(`Key ${id} was revoked at ${old.revokedAt}: issue a new one with \`pressline keys create --name "${old.name}" --role ${old.role}\`.`);
  const issued = await createKey(client, tableName, old.name, old.role);
  return { issued, revoked: await revokeKey(client, tableName, id) };
}

interface TableOptions {
  table?: string;
  region?: string;
  json?: boolean;
}

function withTableOptions(command: Command): Command {
  return command
    .option('--table <TableName>', `the stack's table (default: ${CONFIG_ENV.tableName}, else the npm start running here)`)
    .option('--region <region>', 'its AWS region (default: AWS_REGION, as the AWS SDK finds it)')
    .option('--json', 'print the result as JSON on stdout');
}

/** Runs `work` with a client for the table the options name, closing it after. */
async function withTable<T>(options: TableOptions, work: (client: DynamoDBClient, tableName: string) => Promise<T>): Promise<T> {
  await useRunningPipelineUnlessNamed(options.table);
  const target = targetFrom(options, process.env);
  const client = clientFor(target);
  try {
    return await work(client, target.tableName);
  } finally {
    client.destroy();
  }
}

export function registerKeys(program: Command): void {
  const keysCommand = program
    .command('keys')
    .summary('API keys: create, list, revoke, rotate (with your AWS credentials)')
    .description(`API keys, in the stack's table, with your AWS credentials. Only a hash of each key's secret is stored.`)
    .addHelpText('after', '\nExample:\n  $ pressline keys create --name "Jane Doe" --role reporter --table "$TABLE"');

  withTableOptions(
    keysCommand
      .command('create')
      .summary('issue a key and print it once')
      .description('Issues an API key and prints it once, alone on stdout (KEY=$(pressline keys create …)); only its hash is stored.')
      .requiredOption('--name <name>', 'who the key is for')
      .addOption(new Option('--role <role>', 'what it may do').choices(ROLES).makeOptionMandatory()),
  )
    .addHelpText('after', '\nExample:\n  $ KEY=$(pressline keys create --name "Jane Doe" --role reporter --table "$TABLE")')
    .action(async (options: TableOptions & { name: string; role: string }) => {
      const name = options.name.trim();
      if (!name) throw new UsageError('--name must say who the key is for, e.g. --name "Jane Doe".');
      const role = parseRole(options.role);
      await withTable(options, async (client, tableName) => {
        const { token, record } = await createKey(client, tableName, name, role);
        if (options.json) return printJson({ token, id: record.id, name: record.name, role: record.role, createdAt: record.createdAt });
        console.error(`Created ${record.role} key ${record.id} for ${record.name} in ${tableName}. It is shown once; hand it over securely:`);
        console.log(token);
        console.error(`Revoke it with: pressline keys revoke ${record.id} --table ${tableName}`);
      });
    });

  withTableOptions(keysCommand.command('list').summary('every key: id, role, name, created, revoked').description('Lists every key (never its secret), oldest first: id, role, name, created and revoked times, tab-separated. A Scan of the table: run it now and then, not in a loop.'))
    .addHelpText('after', '\nExample:\n  $ pressline keys list --table "$TABLE"')
    .action(async (options: TableOptions) => {
      await withTable(options, async (client, tableName) => {
        const all = await listKeys(client, tableName);
        if (options.json) return printJson(all);
        if (all.length === 0) console.error(`No keys in ${tableName}: issue one with \`pressline keys create\`.`);
        for (const key of all) console.log([key.id, key.role, key.name, key.createdAt, key.revokedAt ? `revoked ${key.revokedAt}` : 'active'].join('\t'));
      });
    });

  withTableOptions(
    keysCommand
      .command('revoke')
      .summary('revoke a key: requests with it are refused from then on')
      .description('Marks a key revoked; requests with it are refused from then on. The id is the part of the key before the dot.')
      .argument('[id]', 'the key id (or the whole key: only its id is used)')
      .addOption(new Option('--id <id>', 'the key id, as `npm run key:revoke -- --id` took it').hideHelp()),
  )
    .addHelpText('after', '\nExample:\n  $ pressline keys revoke 0123456789abcdef --table "$TABLE"')
    .action(async (idArgument: string | undefined, options: TableOptions & { id?: string }) => {
      const id = parseKeyId(idArgument ?? options.id);
      await withTable(options, async (client, tableName) => {
        const outcome = await revokeKey(client, tableName, id);
        if (outcome === 'not-found') throw new OperationError(`No key ${id} in ${tableName}: check the id with \`pressline keys list\`.`);
        if (options.json) return printJson({ id, outcome });
        console.error(outcome === 'revoked' ? `Revoked key ${id}.` : `Key ${id} was already revoked.`);
      });
    });

  withTableOptions(
    keysCommand
      .command('rotate')
      .summary('replace a key: a new one for the same person and role, the old one revoked')
      .description(
        `Issues a new key for the same person and role, prints it once alone on stdout, then revokes the old
one. Articles stay with the key that published them: after rotating a reporter's key, an editor
makes corrections to their earlier articles.`,
      )
      .argument('<id>', 'the id of the key to replace'),
  )
    .addHelpText('after', '\nExample:\n  $ NEW=$(pressline keys rotate 0123456789abcdef --table "$TABLE")')
    .action(async (idArgument: string, options: TableOptions) => {
      const id = parseKeyId(idArgument);
      await withTable(options, async (client, tableName) => {
        const { issued } = await rotateKey(client, tableName, id);
        if (options.json) return printJson({ token: issued.token, id: issued.record.id, name: issued.record.name, role: issued.record.role, revoked: id });
        console.error(`Created ${issued.record.role} key ${issued.record.id} for ${issued.record.name} and revoked ${id}. The new key is shown once; hand it over securely:`);
        console.log(issued.token);
      });
    });
}
