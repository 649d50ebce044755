import type { Auditor } from '../audit/audit.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError, type FieldProblem } from '../errors.js';
import type { PeopleStore } from '../storage/ports.js';
import { issueApiKey, keyView, newPersonId, ROLES, type ApiKeyRecord, type IssuedKey, type KeyView, type Person, type Principal, type Role } from './api-key.js';

/**
 * Managing people and their keys: editors manage everyone (`/api/people/...`); anyone may list and
 * rotate their own keys (`/api/me/keys`). A new key's token is in the answer that creates it, once.
 */
export interface PeopleDeps {
  people: PeopleStore;
  audit: Auditor;
  now?: () => Date;
}

export interface NewKey {
  key: KeyView;
  /** `<id>.<secret>`: shown only in this answer; only its hash is stored. */
  token: string;
}

const MAX_NAME = 200;
const MAX_LABEL = 100;
const PEOPLE_PAGE = 100;

function requireEditor(principal: Principal, what: string): void {
  if (principal.role !== 'editor') throw new ForbiddenError(`Only an editor can ${what}.`);
}

const fieldOf = (input: unknown, field: string): unknown => (typeof input === 'object' && input !== null ? (input as Record<string, unknown>)[field] : undefined);

/** A trimmed string of 1–`max` characters, or a problem naming the field. */
function text(value: unknown, field: string, max: number, what: string, problems: FieldProblem[]): string | undefined {
  if (typeof value !== 'string' || value.trim() === '' || value.trim().length > max) {
    problems.push({ path: field, rule: 'length', message: `${field} is required: ${what}, 1–${max} characters` });
    return undefined;
  }
  return value.trim();
}

/** A key's label, "default" when none is given. */
function labelOf(input: unknown): string {
  const given = fieldOf(input, 'label');
  if (given === undefined) return 'default';
  const problems: FieldProblem[] = [];
  const label = text(given, 'label', MAX_LABEL, 'what the key is for, e.g. "laptop"', problems);
  if (!label) throw new ValidationError(problems, 'The key has problems; see fields.');
  return label;
}

/** `POST /api/people` {name, role}: adds someone; their keys are issued separately. */
export async function createPerson(input: unknown, principal: Principal, deps: PeopleDeps): Promise<Person> {
  requireEditor(principal, 'add people');
  const problems: FieldProblem[] = [];
  const name = text(fieldOf(input, 'name'), 'name', MAX_NAME, 'the person’s name as the newsroom knows it', problems);
  const role = fieldOf(input, 'role');
  if (!ROLES.includes(role as Role)) problems.push({ path: 'role', rule: 'enum', message: `role must be one of ${ROLES.join(', ')}; received ${JSON.stringify(role) ?? 'nothing'}` });
  if (problems.length || !name) throw new ValidationError(problems, 'The person has problems; see fields.');
  const person: Person = { id: newPersonId(), name, role: role as Role, createdAt: (deps.now ?? (() => new Date()))().toISOString() };
  if (!(await deps.people.putPerson(person))) throw new ConflictError('A person with this id exists already; repeat the request.');
  await deps.audit('person.created', { personId: person.id });
  return person;
}

/** `GET /api/people`: everyone, oldest first. */
export async function listPeople(query: { cursor?: string }, principal: Principal, deps: Pick<PeopleDeps, 'people'>): Promise<{ people: Person[]; nextCursor?: string }> {
  requireEditor(principal, 'list people');
  return deps.people.listPeople(PEOPLE_PAGE, query.cursor);
}

/**
 * `DELETE /api/people/{id}`: someone leaves. Every key of theirs is refused from the very next
 * request (the person is read with each key); their articles stay theirs. Not oneself: an editor
 * could otherwise lock the newsroom out.
 */
export async function disablePerson(personId: string, principal: Principal, deps: PeopleDeps): Promise<Person> {
  requireEditor(principal, 'disable people');
  if (personId === principal.personId) throw new ConflictError('You cannot disable yourself; ask another editor.');
  const outcome = await deps.people.disablePerson(personId, (deps.now ?? (() => new Date()))().toISOString());
  if (outcome === 'not-found') throw new NotFoundError(`No person ${personId}.`);
  if (outcome === 'disabled') await deps.audit('person.disabled', { personId });
  return (await deps.people.getPerson(personId))!;
}

/** `POST /api/people/{id}/keys` {label}: a new key for someone. */
export async function createKey(personId: string, input: unknown, principal: Principal, deps: PeopleDeps): Promise<NewKey> {
  requireEditor(principal, 'issue keys to people');
  const label = labelOf(input);
  const person = await deps.people.getPerson(personId);
  if (!person) throw new NotFoundError(`No person ${personId}.`);
  if (person.disabledAt) throw new ConflictError(`${person.name} is disabled; a disabled person gets no keys.`);
  const issued = issueApiKey(personId, label, (deps.now ?? (() => new Date()))());
  await deps.people.putKey(issued.record);
  await deps.audit('key.created', { personId, keyId: issued.record.id });
  return { key: keyView(issued.record), token: issued.token };
}

/** `GET /api/people/{id}/keys` (editors) or `GET /api/me/keys` (one's own): keys, revoked ones too, never their secrets. */
export async function listKeys(personId: string, principal: Principal, deps: Pick<PeopleDeps, 'people'>): Promise<{ keys: KeyView[] }> {
  if (personId !== principal.personId) requireEditor(principal, 'see other people’s keys');
  const stored = await deps.people.listKeys(personId);
  // A key from before people existed is its own person; it is listed as that person's only key.
  const legacy = stored.length === 0 && /^[0-9a-f]{16}$/.test(personId) ? await deps.people.getKey(personId) : undefined;
  return { keys: [...stored, ...(legacy?.legacyPerson ? [legacy] : [])].map(keyView) };
}

async function keyOf(personId: string, keyId: string, deps: Pick<PeopleDeps, 'people'>): Promise<ApiKeyRecord> {
  const key = await deps.people.getKey(keyId);
  if (!key || key.personId !== personId) throw new NotFoundError(`Person ${personId} has no key ${keyId}.`);
  return key;
}

/** `DELETE /api/people/{id}/keys/{keyId}`: refused from the very next request on. */
export async function revokeKey(personId: string, keyId: string, principal: Principal, deps: PeopleDeps): Promise<{ key: KeyView }> {
  requireEditor(principal, 'revoke keys');
  await keyOf(personId, keyId, deps);
  const outcome = await deps.people.revokeKey(keyId, (deps.now ?? (() => new Date()))().toISOString());
  if (outcome === 'not-found') throw new NotFoundError(`Person ${personId} has no key ${keyId}.`);
  if (outcome === 'revoked') await deps.audit('key.revoked', { personId, keyId });
  return { key: keyView((await keyOf(personId, keyId, deps))) };
}

/**
 * `POST /api/people/{id}/keys/{keyId}/rotate` (editors) or `/api/me/keys/{keyId}/rotate` (one's own):
 * a new key with the same label, then the old one revoked. Articles belong to the person, so the new
 * key reaches everything the old one did. The new key is stored before the old is revoked: if the
 * revocation fails the request fails with both valid, and repeating it (or revoking) finishes the
 * job, whereas the other order could lock the person out. A key from before people existed is
 * turned into a stored person with its id first, so its articles stay theirs.
 */
export async function rotateKey(personId: string, keyId: string, principal: Principal, deps: PeopleDeps): Promise<NewKey & { replaced: string }> {
  if (personId !== principal.personId) requireEditor(principal, 'rotate other people’s keys');
  const old = await keyOf(personId, keyId, deps);
  if (old.revokedAt) throw new ConflictError(`Key ${keyId} is revoked; issue a new key instead.`);
  const now = (deps.now ?? (() => new Date()))();
  if (old.legacyPerson) {
    await deps.people.putPerson({ id: personId, name: old.legacyPerson.name, role: old.legacyPerson.role, createdAt: old.createdAt });
  }
  const issued = issueApiKey(personId, old.label, now);
  await deps.people.putKey(issued.record);
  await deps.people.revokeKey(keyId, now.toISOString());
  await deps.audit('key.rotated', { personId, keyId: issued.record.id, replacedKeyId: keyId });
  return { key: keyView(issued.record), token: issued.token, replaced: keyId };
}

/**
 * Adds a person with a first key straight to the store, with no principal and no audit entry: how
 * ops bootstrap the first editor (`npm run key:create`) and how `npm start` makes its local editor.
 */
export async function addPersonWithKey(store: PeopleStore, holder: { name: string; role: Role }, label = 'default', now = new Date()): Promise<IssuedKey & { person: Person }> {
  const person: Person = { id: newPersonId(), name: holder.name, role: holder.role, createdAt: now.toISOString() };
  if (!(await store.putPerson(person))) throw new ConflictError(`A person ${person.id} exists already; try again.`);
  const issued = issueApiKey(person.id, label, now);
  await store.putKey(issued.record);
  return { ...issued, person };
}
