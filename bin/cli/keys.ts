import { randomUUID } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Option, type Command } from 'commander';
import { auditorFor } from '../../shared/audit/audit.js';
import { parseApiKey, ROLES, type KeyView, type Person, type Principal, type Role } from '../../shared/auth/api-key.js';
import { createKey as issueKeyTo, createPerson, listKeys as keysOf, listPeople, rotateKey as rotate, revokeKey as revoke, type NewKey, type PeopleDeps } from '../../shared/auth/people.js';
import { CONFIG_ENV } from '../../shared/config.js';
import { ConflictError, NotFoundError } from '../../shared/errors.js';
import { createLogger } from '../../shared/log.js';
import { createDynamoDbClient } from '../../shared/storage/clients.js';
import { DynamoDbAuditStore } from '../../shared/storage/dynamodb-audit-store.js';
import { DynamoDbPeopleStore } from '../../shared/storage/dynamodb-people-store.js';
import type { RevokeOutcome } from '../../shared/storage/ports.js';
import { printJson } from './api.js';
import { OperationError, UsageError } from './errors.js';
import { useRunningPipelineUnlessNamed } from './running-pipeline.js';

/*
 * `pressline keys …` and `pressline people …`: people and their API keys, written straight to the
 * stack's table with the operator's AWS credentials, through the same code the API's
 * /api/people routes run. That is how the first editor is added; after that editors can do all of
 * this through the API. Changes made here are in the audit trail, by "Ops (AWS credentials)".
 */

export interface KeyCommandTarget {
  tableName: string;
  region?: string;
}

/** Who the audit trail says made a change with AWS credentials rather than a key. */
export const OPS_PRINCIPAL: Principal = { personId: 'ops', keyId: 'aws-credentials', name: 'Ops (AWS credentials)', role: 'editor' };

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

export function parsePersonId(value: string | undefined): string {
  if (!value || !/^p?[0-9a-f]{16}$/.test(value)) throw new UsageError('Give a person id, e.g. p0123456789abcdef (`pressline people list` shows them).');
  return value;
}

/** The people store, and the audit trail the changes go to, for one command run. */
function opsDeps(client: DynamoDBClient, tableName: string): PeopleDeps {
  const logger = createLogger({ command: 'pressline' });
  return { people: new DynamoDbPeopleStore(client, tableName), audit: auditorFor(new DynamoDbAuditStore(client, tableName), OPS_PRINCIPAL, `cli-${randomUUID()}`, logger) };
}

/** The domain's refusals as the CLI's: what was not found or cannot be done exits 1 with the hint. */
async function asOperation<T>(work: () => Promise<T>, hint: string): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof NotFoundError || error instanceof ConflictError) throw new OperationError(`${error.message} ${hint}`);
    throw error;
  }
}

/** Adds a person (or takes one already there) and issues them a key; the caller shows the token once. */
export async function createKey(client: DynamoDBClient, tableName: string, holder: { name: string; role: Role } | { personId: string }, label = 'default'): Promise<NewKey & { person: Person }> {
  const deps = opsDeps(client, tableName);
  const person = 'personId' in holder ? await deps.people.getPerson(holder.personId) : await createPerson(holder, OPS_PRINCIPAL, deps);
  if (!person) throw new OperationError(`No person ${'personId' in holder ? holder.personId : ''} in ${tableName}: check the id with \`pressline people list\`.`);
  const issued = await asOperation(() => issueKeyTo(person.id, { label }, OPS_PRINCIPAL, deps), '');
  return { ...issued, person };
}

export async function createPersonOnly(client: DynamoDBClient, tableName: string, holder: { name: string; role: Role }): Promise<Person> {
  return createPerson(holder, OPS_PRINCIPAL, opsDeps(client, tableName));
}

export type KeyLine = KeyView & { name: string; role: Role };

/** Everyone's keys (or one person's), oldest person first, without hashes: Queries of the index, never a Scan. */
export async function listKeys(client: DynamoDBClient, tableName: string, personId?: string): Promise<KeyLine[]> {
  const deps = opsDeps(client, tableName);
  const people: Person[] = [];
  if (personId) {
    const person = await deps.people.getPerson(personId);
    const legacy = person ? undefined : (await deps.people.getKey(personId))?.legacyPerson;
    if (!person && !legacy) throw new OperationError(`No person ${personId} in ${tableName}: check the id with \`pressline people list\`.`);
    people.push(person ?? { id: personId, createdAt: '', ...legacy! });
  } else {
    people.push(...(await allPeople(deps)));
  }
  const lines: KeyLine[] = [];
  for (const person of people) {
    for (const key of (await keysOf(person.id, OPS_PRINCIPAL, deps)).keys) lines.push({ ...key, name: person.name, role: person.role });
  }
  return lines;
}

async function allPeople(deps: PeopleDeps): Promise<Person[]> {
  const found: Person[] = [];
  let cursor: string | undefined;
  do {
    const page = await listPeople(cursor ? { cursor } : {}, OPS_PRINCIPAL, deps);
    found.push(...page.people);
    cursor = page.nextCursor;
  } while (cursor);
  return found;
}

export async function listAllPeople(client: DynamoDBClient, tableName: string): Promise<Person[]> {
  return allPeople(opsDeps(client, tableName));
}

/** Revokes a key by its id alone, keeping the first revocation time if it was already revoked. */
export async function revokeKey(client: DynamoDBClient, tableName: string, id: string, now = new Date()): Promise<RevokeOutcome> {
  const deps = { ...opsDeps(client, tableName), now: () => now };
  const key = await deps.people.getKey(id);
  if (!key) return 'not-found';
  if (key.revokedAt) return 'already-revoked';
  await revoke(key.personId, id, OPS_PRINCIPAL, deps);
  return 'revoked';
}

/** A new key with the same person and label, then the old one revoked: authorship is the person's, so nothing is lost. */
export async function rotateKey(client: DynamoDBClient, tableName: string, id: string): Promise<NewKey & { replaced: string; person: Person }> {
  const deps = opsDeps(client, tableName);
  const old = await deps.people.getKey(id);
  if (!old) throw new OperationError(`No key ${id} in ${tableName}: check the id with \`pressline keys list\`.`);
  if (old.revokedAt) throw new OperationError(`Key ${id} was revoked at ${old.revokedAt}: issue a new one with \`pressline keys create --person ${old.personId}\`.`);
  const rotated = await asOperation(() => rotate(old.personId, id, OPS_PRINCIPAL, deps), 'Check the id with `pressline keys list`.');
  const person = await deps.people.getPerson(old.personId);
  return { ...rotated, person: person! };
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

function labelFrom(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const label = value.trim();
  if (!label || label.length > 100) throw new UsageError('--label must say what the key is for in 1–100 characters, e.g. --label laptop.');
  return label;
}

function nameFrom(value: string | undefined): string {
  const name = value?.trim();
  if (!name) throw new UsageError('--name must say who the person is, e.g. --name "Jane Doe".');
  return name;
}

export function registerKeys(program: Command): void {
  const keysCommand = program
    .command('keys')
    .summary('API keys: create, list, revoke, rotate (with your AWS credentials)')
    .description(`People's API keys, in the stack's table, with your AWS credentials. Only a hash of each key's secret is stored. Editors can do the same through the API (/api/people).`)
    .addHelpText('after', '\nExample:\n  $ pressline keys create --name "Jane Doe" --role editor --table "$TABLE"');

  withTableOptions(
    keysCommand
      .command('create')
      .summary('add a person with a key (or another key for someone), printed once')
      .description('Adds a person with a first API key, or with --person issues another key to someone already there, and prints the key once, alone on stdout (KEY=$(pressline keys create …)); only its hash is stored.')
      .option('--name <name>', 'who the new person is')
      .addOption(new Option('--role <role>', 'what they may do').choices(ROLES))
      .option('--person <person id>', 'issue the key to this person instead of adding one')
      .option('--label <label>', 'what the key is for, e.g. laptop (default: default)'),
  )
    .addHelpText('after', '\nExample:\n  $ KEY=$(pressline keys create --name "Jane Doe" --role editor --label laptop --table "$TABLE")\n  $ pressline keys create --person p0123456789abcdef --label phone --table "$TABLE"')
    .action(async (options: TableOptions & { name?: string; role?: string; person?: string; label?: string }) => {
      const label = labelFrom(options.label);
      let holder: { name: string; role: Role } | { personId: string };
      if (options.person !== undefined) {
        if (options.name !== undefined || options.role !== undefined) throw new UsageError('Give either --person (another key for someone already there) or --name and --role (someone new), not both.');
        holder = { personId: parsePersonId(options.person) };
      } else {
        holder = { name: nameFrom(options.name), role: parseRole(options.role) };
      }
      await withTable(options, async (client, tableName) => {
        const { token, key, person } = await createKey(client, tableName, holder, label);
        if (options.json) return printJson({ token, ...key, name: person.name, role: person.role });
        console.error(`Created key ${key.id} ("${key.label}") for ${person.name} (${person.role}, person ${person.id}) in ${tableName}. It is shown once; hand it over securely:`);
        console.log(token);
        console.error(`Revoke it with: pressline keys revoke ${key.id} --table ${tableName}`);
      });
    });

  withTableOptions(
    keysCommand
      .command('list')
      .summary("everyone's keys: id, role, name, label, person, created, last used, status")
      .description("Lists everyone's keys (never their secrets), tab-separated: key id, role, name, label, person id, created, last used, and active or revoked. --person lists one person's.")
      .option('--person <person id>', "only this person's keys"),
  )
    .addHelpText('after', '\nExample:\n  $ pressline keys list --table "$TABLE"')
    .action(async (options: TableOptions & { person?: string }) => {
      const personId = options.person === undefined ? undefined : parsePersonId(options.person);
      await withTable(options, async (client, tableName) => {
        const all = await listKeys(client, tableName, personId);
        if (options.json) return printJson(all);
        if (all.length === 0) console.error(`No keys in ${tableName}: issue one with \`pressline keys create\`.`);
        for (const key of all) {
          console.log([key.id, key.role, key.name, key.label, key.personId, key.createdAt, key.lastUsedAt ?? 'never used', key.revokedAt ? `revoked ${key.revokedAt}` : 'active'].join('\t'));
        }
      });
    });

  withTableOptions(
    keysCommand
      .command('revoke')
      .summary('revoke a key: refused from the very next request')
      .description('Marks a key revoked; requests with it are refused from the very next one. The id is the part of the key before the dot.')
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
      .summary('replace a key: a new one for the same person and label, the old one revoked')
      .description(
        `Issues a new key for the same person with the same label, prints it once alone on stdout, then
revokes the old one. Articles belong to the person, so the new key reaches everything the old one did.`,
      )
      .argument('<id>', 'the id of the key to replace'),
  )
    .addHelpText('after', '\nExample:\n  $ NEW=$(pressline keys rotate 0123456789abcdef --table "$TABLE")')
    .action(async (idArgument: string, options: TableOptions) => {
      const id = parseKeyId(idArgument);
      await withTable(options, async (client, tableName) => {
        const { token, key, person, replaced } = await rotateKey(client, tableName, id);
        if (options.json) return printJson({ token, ...key, name: person.name, role: person.role, revoked: replaced });
        console.error(`Created key ${key.id} ("${key.label}") for ${person.name} and revoked ${replaced}. The new key is shown once; hand it over securely:`);
        console.log(token);
      });
    });
}

export function registerPeople(program: Command): void {
  const peopleCommand = program
    .command('people')
    .summary('people: create, list (with your AWS credentials)')
    .description(`The newsroom's people (a name and a role, reporter or editor), in the stack's table, with your AWS credentials. Issue their keys with \`pressline keys create --person <id>\`.`)
    .addHelpText('after', '\nExample:\n  $ pressline people create --name "Jane Doe" --role reporter --table "$TABLE"');

  withTableOptions(
    peopleCommand
      .command('create')
      .summary('add a person (no key yet); prints their id')
      .description('Adds a person and prints their id alone on stdout; give them keys with `pressline keys create --person <id>`.')
      .requiredOption('--name <name>', 'who they are')
      .addOption(new Option('--role <role>', 'what they may do').choices(ROLES).makeOptionMandatory()),
  )
    .addHelpText('after', '\nExample:\n  $ PERSON=$(pressline people create --name "Jane Doe" --role reporter --table "$TABLE")')
    .action(async (options: TableOptions & { name: string; role: string }) => {
      const holder = { name: nameFrom(options.name), role: parseRole(options.role) };
      await withTable(options, async (client, tableName) => {
        const person = await createPersonOnly(client, tableName, holder);
        if (options.json) return printJson(person);
        console.error(`Added ${person.name} (${person.role}) to ${tableName}. Issue a key with: pressline keys create --person ${person.id} --table ${tableName}`);
        console.log(person.id);
      });
    });

  withTableOptions(peopleCommand.command('list').summary('everyone: id, role, name, added').description('Lists everyone, oldest first, tab-separated: person id, role, name, when added, and disabled when they are.'))
    .addHelpText('after', '\nExample:\n  $ pressline people list --table "$TABLE"')
    .action(async (options: TableOptions) => {
      await withTable(options, async (client, tableName) => {
        const people = await listAllPeople(client, tableName);
        if (options.json) return printJson(people);
        if (people.length === 0) console.error(`Nobody in ${tableName} yet: add someone with \`pressline keys create --name … --role editor\`.`);
        for (const person of people) console.log([person.id, person.role, person.name, person.createdAt, ...(person.disabledAt ? [`disabled ${person.disabledAt}`] : [])].join('\t'));
      });
    });
}
