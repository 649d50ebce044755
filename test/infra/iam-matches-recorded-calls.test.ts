import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FUNCTIONS, type FunctionName } from '../../infra/functions-catalog.js';
import { photo, wireSubmission } from '../support/fixtures.js';
import { recordHandlerAwsCalls, type HandlerAwsCall, type HandlerAwsCallRecorder } from '../support/handler-aws-calls.js';
import { startTestRuntime, type TestRuntime } from '../support/local-runtime.js';
import { synthTemplate } from './support/synth.js';
import { logicalIdOf, onlyResourceOf, roleStatements, type PolicyStatementJson } from './support/template.js';

/**
 * Each function's IAM grants on the table and the buckets, checked against the calls its handler is
 * recorded making when the real handlers run a newsroom's day on the local runtime (a legal purge's
 * version listing answered in S3's place: s3rver keeps no versions): every call is
 * allowed (else AccessDenied on AWS, which the emulators never say), and every grant is used by
 * some call (else it is a privilege nothing needs).
 */
const { stack, template } = synthTemplate();
const names = Object.keys(FUNCTIONS) as FunctionName[];

const table = `arn:${logicalIdOf(stack.storage.table)}`;
const media = `arn:${logicalIdOf(stack.storage.mediaBucket)}`;
const invalidationQueue = `arn:${logicalIdOf(stack.invalidations.queue)}`;
const distribution = resourcePattern({
  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudfront::', { Ref: 'AWS::AccountId' }, ':distribution/', { Ref: logicalIdOf(stack.cdn.distribution) }]],
});

/** Locally an in-process queue stands in for SQS, and the local edge cache for CloudFront: no SDK call shows these. */
const LOCAL_STAND_IN = 'needed: the local runtime’s stand-in takes this call (test/integration/invalidate-handler.test.ts records it on the real SDK client)';
/** The event source mapping polls the queue with the function's role: Lambda makes these calls, not the handler. */
const POLLER = 'needed: the Lambda service polls the queue with this role (the event source mapping)';

/**
 * Grants the recorded calls do not show, each with its reason: needed but made by no SDK call, or
 * surplus the stack still grants (infra/pressline-stack.ts; drop the entry when the grant goes, the
 * last test below insists). Nothing else may be granted without being used.
 */
const NOT_SDK_CALLS: Partial<Record<FunctionName, Record<string, string>>> = {
  api: {
    // POST /api/media answers a presigned POST signed with the api function's credentials: S3
    // authorizes the reporter's upload against this grant, and no SDK call of the handler shows it.
    [`s3:PutObject ${media}/uploads/*`]: 'needed: the presigned upload of an original',
    // writesObjects(media/*) grants put and delete; the api only deletes renditions (corrections, takedowns).
    [`s3:PutObject ${media}/media/*`]: 'SURPLUS: only processMedia writes renditions',
    [`sqs:SendMessage ${invalidationQueue}`]: LOCAL_STAND_IN,
  },
  publishScheduled: {
    [`dynamodb:Query ${table}`]: 'SURPLUS: the scheduled step queries only the listing index',
    // Not yet exercised by this test (a failed scheduled publish's rollback): add a recorder.failNext case, then drop these.
    [`dynamodb:DeleteItem ${table}`]: 'UNEXERCISED: rollback of a failed scheduled publish',
    [`dynamodb:UpdateItem ${table}`]: 'UNEXERCISED: rollback of a failed scheduled publish',
    [`s3:DeleteObject arn:${logicalIdOf(stack.storage.siteBucket)}/*`]: 'UNEXERCISED: rollback of a failed scheduled publish',
    [`sqs:SendMessage ${invalidationQueue}`]: LOCAL_STAND_IN,
  },
  invalidate: {
    [`cloudfront:CreateInvalidation ${distribution}`]: LOCAL_STAND_IN,
    ...Object.fromEntries(['ReceiveMessage', 'ChangeMessageVisibility', 'GetQueueUrl', 'DeleteMessage', 'GetQueueAttributes'].map((action) => [`sqs:${action} ${invalidationQueue}`, POLLER])),
  },
  pages: {
    // readsTable({ queries: true }) grants Query on the table and its indexes; the handler queries the listing index only.
    [`dynamodb:Query ${table}`]: 'SURPLUS: the pages function queries only the listing index',
  },
};

let recorder: HandlerAwsCallRecorder;
let runtime: TestRuntime;
let calls: HandlerAwsCall[] = [];

/** A newsroom's day through every function: uploads (one rejected), publishes, a replayed key, a correction, a takedown, people and keys, the audit trail, readers on every route. */
async function exerciseEveryFunction(): Promise<void> {
  const api = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    fetch(`${runtime.apiUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${runtime.apiKey}`, 'content-type': 'application/json', ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  // The first rendition put fails: the attempt deletes what it may have stored, Lambda's retry processes the photo.
  recorder.failNext((call) => call.handler === FUNCTIONS.processMedia.entry && call.operation === 'PutObject' && String(call.input.Key).startsWith('media/'));
  const uploaded = await runtime.uploadPhoto(photo('gps.jpg'));
  expect(uploaded.status).toBe('ready');
  expect((await runtime.uploadPhoto(Buffer.from('not a photo at all, only text'))).status).toBe('rejected');

  const withUpload = { ...wireSubmission({ withPhoto: false, headline: 'IAM check with an uploaded photo' }), leadImage: { mediaId: uploaded.id, alt: 'Rubble', caption: 'Khan Yunis.', credit: 'AFP' } };
  const idempotent = { 'idempotency-key': 'iam-check-0001' };
  const first = await api('POST', '/articles', withUpload, idempotent);
  expect(first.status).toBe(201);
  expect((await api('POST', '/articles', withUpload, idempotent)).status).toBe(201);
  const published = (await first.json()) as { id: string; url: string; shortUrl: string };

  const inline = await runtime.publishOk(wireSubmission({ headline: 'IAM check with an inline photo' }));
  expect((await api('PUT', `/articles/${inline.id}`, wireSubmission({ headline: 'IAM check, corrected' }), { 'if-match': '"1"' })).status).toBe(200);
  expect((await api('DELETE', `/articles/${inline.id}`)).status).toBe(200);
  // A legal purge of it: s3rver keeps no versions, so the listing is answered in S3's place (one
  // version under each prefix asked for) and the version deletes it leads to go to s3rver.
  recorder.answer((call) =>
    call.operation === 'ListObjectVersions'
      ? { IsTruncated: false, Versions: [{ Key: String(call.input.Prefix).startsWith('media/') ? `${String(call.input.Prefix)}x-640.avif` : call.input.Prefix, VersionId: 'v1' }] }
      : undefined,
  );
  expect((await api('DELETE', `/articles/${inline.id}`, { purge: true, reason: 'IAM check' })).status).toBe(200);
  recorder.answer(undefined);

  // Readers: the stored pages, the pages function behind a miss, short links live and removed, a missing photo.
  for (const url of [published.url, `${runtime.baseUrl}/`, `${runtime.baseUrl}/world/`, `${runtime.baseUrl}/tags/gaza/`, `${runtime.baseUrl}/authors/afp/`, `${runtime.baseUrl}/feed.xml`]) {
    expect((await fetch(url)).status, url).toBe(200);
  }
  for (const url of [`${runtime.baseUrl}/world/?page=2`, `${runtime.baseUrl}/world/2020/01/01/no-such-article/`, `${runtime.baseUrl}/media/nothing/here.avif`, inline.url]) {
    expect((await fetch(url, { redirect: 'manual' })).status, url).toBeGreaterThanOrEqual(200);
  }
  expect((await fetch(published.shortUrl, { redirect: 'manual' })).status).toBe(301);
  expect((await fetch(inline.shortUrl, { redirect: 'manual' })).status).toBe(410);
  expect((await api('GET', `/media/${uploaded.id}`)).status).toBe(200);
  expect((await api('GET', '/articles')).status).toBe(200);

  // People and keys, and the audit trail (an article's entries are a Query of the table itself, recent ones of the index).
  expect((await api('GET', `/audit?articleId=${inline.id}`)).status).toBe(200);
  expect((await api('GET', '/audit')).status).toBe(200);
  const person = (await (await api('POST', '/people', { name: 'IAM Check', role: 'reporter' })).json()) as { id: string };
  const issued = (await (await api('POST', `/people/${person.id}/keys`, { label: 'laptop' })).json()) as { key: { id: string }; token: string };
  const rotate = await fetch(`${runtime.apiUrl}/me/keys/${issued.key.id}/rotate`, { method: 'POST', headers: { authorization: `Bearer ${issued.token}` } });
  expect(rotate.status).toBe(201);
  const rotated = (await rotate.json()) as { key: { id: string } };
  expect((await api('DELETE', `/people/${person.id}/keys/${rotated.key.id}`)).status).toBe(200);
  expect((await api('GET', `/people/${person.id}/keys`)).status).toBe(200);
  expect((await api('GET', '/people')).status).toBe(200);

  // An embargo, published at its time by the scheduled step.
  const embargoed = await api('POST', '/articles', { ...wireSubmission({ withPhoto: false, headline: 'IAM check under embargo' }), publishedAt: new Date(Date.now() + 1_500).toISOString() });
  expect(embargoed.status).toBe(201);
  const { url } = (await embargoed.json()) as { url: string };
  let live = false;
  for (let waited = 0; !live && waited < 30_000; waited += 250) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    live = (await fetch(url)).status === 200;
  }
  expect(live).toBe(true);
}

beforeAll(async () => {
  // Before the runtime starts: the handlers create their clients when it imports them.
  recorder = recordHandlerAwsCalls();
  runtime = await startTestRuntime({ scheduleSweepMs: 250 });
  await exerciseEveryFunction();
  calls = recorder.calls();
}, 120_000);

afterAll(async () => {
  recorder?.stop();
  await runtime?.stop();
});

/** A policy resource as a pattern over `arn:<logical id>[/<key>]`, `*` matching anything. */
function resourcePattern(resource: unknown): string {
  if (typeof resource === 'string') return resource;
  const getAtt = (resource as { 'Fn::GetAtt'?: [string, string] })['Fn::GetAtt'];
  if (getAtt?.[1] === 'Arn') return `arn:${getAtt[0]}`;
  const join = (resource as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  if (join) return join[1].map(resourcePattern).join(join[0]);
  return JSON.stringify(resource);
}

/** IAM's wildcards: `*` any run of characters, `?` exactly one. */
const matches = (pattern: string, arn: string) =>
  new RegExp(`^${pattern.split('*').map((part) => part.split('?').map((piece) => piece.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.')).join('.*')}$`).test(arn);

interface Grant {
  action: string;
  pattern: string;
}

/** A function's Allow grants on the table, the buckets, the invalidation queue and the distribution (Lambda's own logs, X-Ray and failed-events queue aside). */
function dataGrantsOf(name: FunctionName): Grant[] {
  return roleStatements(template, logicalIdOf(stack.functions[name].role))
    .filter((s: PolicyStatementJson) => s.Effect === 'Allow')
    .flatMap((s) => [s.Action].flat().flatMap((action) => [s.Resource].flat().map((resource) => ({ action, pattern: resourcePattern(resource) }))))
    .filter((grant) => /^(dynamodb|s3|cloudfront):/.test(grant.action) || (/^sqs:/.test(grant.action) && grant.pattern === invalidationQueue));
}

/** What IAM checks a recorded call against: action and resource, as `arn:<logical id>/…`. */
function authorizationsOf(call: HandlerAwsCall): Grant[] {
  const { input } = call;
  if (call.service === 'DynamoDB') {
    const table = (name: unknown) => {
      expect(name, `${call.operation} on a table other than the stack's`).toBe(runtime.tableName);
      return `arn:${logicalIdOf(stack.storage.table)}`;
    };
    if (call.operation === 'BatchWriteItem') {
      return Object.keys(input.RequestItems as Record<string, unknown>).map((name) => ({ action: 'dynamodb:BatchWriteItem', pattern: table(name) }));
    }
    const arn = table(input.TableName);
    return [{ action: `dynamodb:${call.operation}`, pattern: typeof input.IndexName === 'string' ? `${arn}/index/${input.IndexName}` : arn }];
  }
  const bucketId = (name: unknown) => {
    if (name === runtime.mediaBucket) return logicalIdOf(stack.storage.mediaBucket);
    if (name === runtime.siteBucket) return logicalIdOf(stack.storage.siteBucket);
    throw new Error(`${call.operation} on a bucket other than the stack's: ${String(name)}`);
  };
  // Listing versions is authorized on the bucket (the grant's s3:prefix condition is the template test's to check).
  if (call.operation === 'ListObjectVersions') return [{ action: 's3:ListBucketVersions', pattern: `arn:${bucketId(input.Bucket)}` }];
  const object = `arn:${bucketId(input.Bucket)}/${String(input.Key)}`;
  // Deleting one version of an object is its own action.
  if (call.operation === 'DeleteObject' && input.VersionId !== undefined) return [{ action: 's3:DeleteObjectVersion', pattern: object }];
  // HeadObject is authorized as s3:GetObject; the others by their own name.
  const action = { HeadObject: 's3:GetObject', GetObject: 's3:GetObject', PutObject: 's3:PutObject', DeleteObject: 's3:DeleteObject' }[call.operation];
  if (!action) throw new Error(`no IAM mapping for S3.${call.operation}: add it here`);
  return [{ action, pattern: object }];
}

const callsOf = (name: FunctionName) => calls.filter((call) => call.handler === FUNCTIONS[name].entry);
const describeCall = (call: HandlerAwsCall) =>
  `${call.service}.${call.operation} ${call.service === 'S3' ? `${String(call.input.Bucket)}/${String(call.input.Key)}` : String(call.input.IndexName ?? call.input.TableName ?? Object.keys((call.input.RequestItems as object | undefined) ?? {}).join())}`;

describe('each function’s IAM grants, against the calls its handler is recorded making', () => {
  it('recorded calls of every function, attributed to their handler', () => {
    // The invalidate function's only calls, CloudFront's, go to the local edge cache here.
    for (const name of names.filter((n) => n !== 'invalidate')) expect(callsOf(name).length, name).toBeGreaterThan(0);
    expect(calls.filter((call) => !names.some((name) => FUNCTIONS[name].entry === call.handler))).toEqual([]);
  });

  it.each(names)('the %s function is allowed every call its handler makes', (name) => {
    const grants = dataGrantsOf(name);
    const refused = callsOf(name)
      .filter((call) => !authorizationsOf(call).every((needed) => grants.some((grant) => grant.action === needed.action && matches(grant.pattern, needed.pattern))))
      .map(describeCall);
    expect([...new Set(refused)]).toEqual([]);
  });

  it.each(names)('the %s function is granted nothing on the table or the buckets that its handler never uses', (name) => {
    const needed = callsOf(name).flatMap(authorizationsOf);
    const exceptions = NOT_SDK_CALLS[name] ?? {};
    const unused = dataGrantsOf(name)
      .map((grant) => ({ grant, key: `${grant.action} ${grant.pattern}` }))
      .filter(({ grant, key }) => !(key in exceptions) && !needed.some((call) => call.action === grant.action && matches(grant.pattern, call.pattern)))
      .map(({ key }) => key);
    expect(unused).toEqual([]);
  });

  it('the exceptions are still granted: a stale one would hide a privilege that is no longer needed', () => {
    for (const [name, exceptions] of Object.entries(NOT_SDK_CALLS) as [FunctionName, Record<string, string>][]) {
      const granted = dataGrantsOf(name).map((grant) => `${grant.action} ${grant.pattern}`);
      for (const key of Object.keys(exceptions)) expect(granted, `${name}: ${exceptions[key]}`).toContain(key);
    }
  });

  it('the matching is really checking: a call outside a function’s grants is not allowed', () => {
    const grants = dataGrantsOf('redirect');
    const scan = authorizationsOf({ handler: FUNCTIONS.redirect.entry, service: 'DynamoDB', operation: 'Scan', input: { TableName: runtime.tableName } })[0]!;
    expect(grants.some((grant) => grant.action === scan.action && matches(grant.pattern, scan.pattern))).toBe(false);
    const sitePut = authorizationsOf({ handler: FUNCTIONS.pages.entry, service: 'S3', operation: 'PutObject', input: { Bucket: runtime.mediaBucket, Key: 'uploads/x' } })[0]!;
    expect(dataGrantsOf('api').some((grant) => grant.action === sitePut.action && matches(grant.pattern, sitePut.pattern))).toBe(true);
    expect(dataGrantsOf('processMedia').some((grant) => grant.action === 's3:PutObject' && matches(grant.pattern, sitePut.pattern))).toBe(false);
  });
});

describe('the deployed table, against the items the handlers are recorded reading and writing', () => {
  const [, tableResource] = onlyResourceOf(template, 'AWS::DynamoDB::Table');
  const keySchema = (tableResource.Properties.KeySchema as { AttributeName: string }[]).map((k) => k.AttributeName).sort();
  const indexes = (tableResource.Properties.GlobalSecondaryIndexes as { IndexName: string }[]).map((i) => i.IndexName);
  const ttl = (tableResource.Properties.TimeToLiveSpecification as { AttributeName: string; Enabled: boolean });
  const dynamoCalls = () => calls.filter((call) => call.service === 'DynamoDB');

  it('every key a handler reads, updates or deletes by is exactly the table’s key schema', () => {
    const keyed = dynamoCalls().filter((call) => call.input.Key);
    expect(keyed.length).toBeGreaterThan(0);
    for (const call of keyed) expect(Object.keys(call.input.Key as object).sort(), describeCall(call)).toEqual(keySchema);
  });

  it('every item a handler puts carries the table’s keys', () => {
    const items = dynamoCalls().flatMap((call) =>
      call.operation === 'PutItem'
        ? [call.input.Item as Record<string, unknown>]
        : call.operation === 'BatchWriteItem'
          ? Object.values(call.input.RequestItems as Record<string, { PutRequest?: { Item: Record<string, unknown> } }[]>).flat().flatMap((w) => (w.PutRequest ? [w.PutRequest.Item] : []))
          : [],
    );
    expect(items.length).toBeGreaterThan(0);
    for (const item of items) expect(Object.keys(item), JSON.stringify(item).slice(0, 120)).toEqual(expect.arrayContaining(keySchema));
  });

  it('every index a handler queries exists on the deployed table', () => {
    // A query without an index is of the table itself (an article's revisions, its audit entries).
    const queried = [...new Set(dynamoCalls().filter((call) => call.operation === 'Query' && call.input.IndexName !== undefined).map((call) => call.input.IndexName))];
    expect(queried.length).toBeGreaterThan(0);
    for (const index of queried) expect(indexes).toContain(index);
  });

  it('a Query of the table itself (an article’s revisions or audit entries) names the table’s partition key', () => {
    const onTable = dynamoCalls().filter((call) => call.operation === 'Query' && call.input.IndexName === undefined);
    expect(onTable.length).toBeGreaterThan(0);
    const partitionKey = (tableResource.Properties.KeySchema as { AttributeName: string; KeyType: string }[]).find((k) => k.KeyType === 'HASH')!.AttributeName;
    for (const call of onTable) {
      // The key condition with its #names spelled out: it must pin the table's partition key.
      const names = (call.input.ExpressionAttributeNames ?? {}) as Record<string, string>;
      const condition = String(call.input.KeyConditionExpression).replace(/#\w+/g, (name) => names[name] ?? name);
      expect(condition, describeCall(call)).toMatch(new RegExp(`(^|\\W)${partitionKey}\\s*=`));
    }
  });

  it('write windows carry, as a number, the attribute the table expires items by', () => {
    const windows = dynamoCalls().filter((call) => call.operation === 'UpdateItem' && (call.input.Key as { pk?: { S?: string } }).pk?.S?.startsWith('RATE#') && String(call.input.UpdateExpression).startsWith('SET'));
    expect(windows.length).toBeGreaterThan(0);
    for (const call of windows) {
      expect(String(call.input.UpdateExpression)).toContain(ttl.AttributeName);
      expect(Number((call.input.ExpressionAttributeValues as Record<string, { N?: string }>)[':expires']?.N)).toBeGreaterThan(Date.now() / 1000);
    }
  });

  it('idempotency records carry, as a number, the attribute the table expires items by (else they would be kept for ever)', () => {
    expect(ttl.Enabled).toBe(true);
    const records = dynamoCalls()
      .filter((call) => call.operation === 'PutItem')
      .map((call) => call.input.Item as Record<string, { S?: string; N?: string }>)
      .filter((item) => item.sk?.S === 'IDEM' || item[keySchema[1]!]?.S === 'IDEM' || item[keySchema[0]!]?.S?.startsWith('IDEM#'));
    expect(records.length).toBeGreaterThan(0);
    for (const item of records) expect(Number(item[ttl.AttributeName]?.N)).toBeGreaterThan(Date.now() / 1000);
  });
});
