import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoDbClient, createS3Client } from '../../shared/storage/clients.js';
import { startTestRuntime, type Published, type TestRuntime } from '../support/local-runtime.js';

/**
 * A corpus of hostile requests against the running local API (POST and PUT /api/articles, POST
 * /api/media): wrong types, sizes, deep nesting, `__proto__` and `constructor` keys, invalid UTF-8,
 * bidi controls, odd encodings in paths, wrong content types, large headers. Each must be answered
 * 4xx with Pressline's JSON error, and the table and buckets must be exactly as they were.
 * One runtime; the requests go out in parallel batches.
 */

let runtime: TestRuntime;
let article: Published;
let before: string[];

beforeAll(async () => {
  runtime = await startTestRuntime();
  // An article to aim corrections at; everything after it must leave the store as it is.
  article = await runtime.publishOk({ headline: 'The target of hostile corrections', section: 'world', body: 'Text.' });
  before = await storeSnapshot();
});
afterAll(async () => {
  await runtime?.stop();
});

/** Every item of the table (but the write-limit window) and every object of both buckets, with its content's identity. */
async function storeSnapshot(): Promise<string[]> {
  const dynamodb = createDynamoDbClient();
  const s3 = createS3Client();
  try {
    const items: Array<Record<string, AttributeValue>> = [];
    let startKey: Record<string, AttributeValue> | undefined;
    do {
      const page = await dynamodb.send(new ScanCommand({ TableName: runtime.tableName, ConsistentRead: true, ...(startKey ? { ExclusiveStartKey: startKey } : {}) }));
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    const objects = await Promise.all(
      [runtime.mediaBucket, runtime.siteBucket].map(async (bucket) => ((await s3.send(new ListObjectsV2Command({ Bucket: bucket }))).Contents ?? []).map((o) => `${bucket}/${o.Key} ${o.ETag} ${o.Size}`)),
    );
    const sorted = (value: unknown): unknown =>
      value && typeof value === 'object' && !Array.isArray(value) ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, sorted(v)])) : value;
    // The person's write window counts every write attempt, refused ones too (a flood of garbage is
    // what the limit is for); it is bookkeeping that expires, not something the requests stored.
    const stored = items.filter((item) => !item.pk?.S?.startsWith('RATE#'));
    return [...stored.map((item) => JSON.stringify(sorted(item))), ...objects.flat()].sort();
  } finally {
    dynamodb.destroy();
    s3.destroy();
  }
}

interface HostileRequest {
  name: string;
  method: string;
  /** Sent as written, with no normalisation (`..`, `%2f`, `//` reach the server as they are). */
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

interface Answer {
  status: number;
  contentType: string;
  body: string;
}

/** Sends exactly these bytes, path and headers (fetch would normalise the path and refuse some headers). */
function send(hostile: HostileRequest): Promise<Answer> {
  const url = new URL(runtime.baseUrl);
  const body = hostile.body === undefined ? undefined : Buffer.isBuffer(hostile.body) ? hostile.body : Buffer.from(hostile.body, 'utf8');
  return new Promise((resolve) => {
    const req = request(
      { host: url.hostname, port: url.port, method: hostile.method, path: hostile.path, headers: { ...hostile.headers, ...(body ? { 'content-length': String(body.length) } : {}) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', (error) => resolve({ status: 0, contentType: '', body: String(error) }));
      },
    );
    req.on('error', (error) => resolve({ status: 0, contentType: '', body: `no answer: ${String(error)}` }));
    req.end(body);
  });
}

/**
 * Why the answer is not a 4xx with a JSON error; undefined when it is. The error is Pressline's
 * (`{ error: { code, message, fields } }`), or, for what API Gateway refuses before any function
 * runs (a body over its payload limit, a malformed percent-encoding), API Gateway's `{ message }`.
 */
function wrongAnswer(answer: Answer): string | undefined {
  if (answer.status < 400 || answer.status > 499) return `answered ${answer.status}: ${answer.body.slice(0, 200)}`;
  if (!/^application\/json/i.test(answer.contentType)) return `answered ${answer.status} as ${answer.contentType || 'no content type'}: ${answer.body.slice(0, 120)}`;
  try {
    const body = JSON.parse(answer.body) as { error?: { code?: unknown; message?: unknown; fields?: unknown }; message?: unknown };
    const presslineError = typeof body.error?.code === 'string' && typeof body.error.message === 'string' && Array.isArray(body.error.fields);
    const apiGatewayError = body.error === undefined && typeof body.message === 'string' && Object.keys(body).length === 1;
    if (!presslineError && !apiGatewayError) return `answered ${answer.status} with another JSON shape: ${answer.body.slice(0, 120)}`;
  } catch {
    return `answered ${answer.status} with a body that is not JSON: ${answer.body.slice(0, 120)}`;
  }
  return undefined;
}

let sent = 0;

/** Sends them 16 at a time; returns the names of those not answered 4xx with a JSON error, and why. */
async function failuresOf(requests: HostileRequest[]): Promise<string[]> {
  sent += requests.length;
  const failures: string[] = [];
  for (let start = 0; start < requests.length; start += 16) {
    const batch = requests.slice(start, start + 16);
    const answers = await Promise.all(batch.map(send));
    answers.forEach((answer, i) => {
      const wrong = wrongAnswer(answer);
      if (wrong) failures.push(`${batch[i]!.name}: ${wrong}`);
    });
  }
  return failures;
}

const VALID = { headline: 'A hostile request', section: 'world', body: 'Text.' };
const auth = () => ({ authorization: `Bearer ${runtime.apiKey}` });
const jsonHeaders = () => ({ ...auth(), 'content-type': 'application/json' });
const post = (name: string, body: unknown, headers: Record<string, string> = {}): HostileRequest => ({
  name,
  method: 'POST',
  path: '/api/articles',
  headers: { ...jsonHeaders(), ...headers },
  body: typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body),
});
/** `ifMatch: null` sends no If-Match header (an explicit `undefined` would take the default). */
const put = (name: string, body: unknown, ifMatch: string | null = '"1"', id = article.id): HostileRequest => ({
  name,
  method: 'PUT',
  path: `/api/articles/${id}`,
  headers: { ...jsonHeaders(), ...(ifMatch === null ? {} : { 'if-match': ifMatch }) },
  body: typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body),
});
const media = (name: string, body: unknown, headers: Record<string, string> = {}): HostileRequest => ({
  name,
  method: 'POST',
  path: '/api/media',
  headers: { ...jsonHeaders(), ...headers },
  body: typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body),
});
const photoFields = { alt: 'A photo', caption: 'A caption', credit: 'AFP' };
/** Nested arrays this deep, as JSON text. */
const nested = (depth: number, inner = '1') => '['.repeat(depth) + inner + ']'.repeat(depth);
/** Header values carry bytes: UTF-8 text sent as the Latin-1 characters of its bytes, as a raw client would. */
const rawHeader = (text: string) => Buffer.from(text, 'utf8').toString('latin1');
const bytes = (...parts: Array<string | number[]>) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))));

/** Wrong values for each field: none of them a value the field accepts. */
const WRONG_TYPES: Record<string, unknown[]> = {
  headline: [42, true, null, [], {}, ['A headline'], { text: 'A headline' }, '', '   '],
  standfirst: [42, false, null, ['x'], { text: 'x' }],
  section: [42, null, [], {}, ['world'], '', 'World News', 'world/../api', 'api', 'tags', '../world', 'world\u202E', 'wörld', 'world-', '-world', 'a--b'],
  byline: [42, true, null, [], { name: 'AFP' }],
  language: [42, null, [], {}, 'en_GB', 'x', '12', 'ar\u202E', 'en-', '<script>'],
  tags: ['Gaza', 42, null, {}, [42], [null], [[]], [{}], [''], ['  '], { 0: 'Gaza' }],
  body: [42, true, null, [], {}, ['Text.'], '', ' \n\t '],
  leadImage: ['photo.jpg', 42, null, [], {}, { mediaId: 'not-a-uuid', ...photoFields }, { mediaId: randomUUID(), ...photoFields }, { data: '!!!not base64!!!', ...photoFields }, { data: 'AAAA', mediaId: randomUUID(), ...photoFields }, { data: 42, ...photoFields }, { mediaId: randomUUID(), alt: 'A photo', caption: 'A caption' }, { mediaId: randomUUID(), ...photoFields, alt: 42 }, { mediaId: randomUUID(), ...photoFields, url: 'javascript:alert(1)' }],
  publishedAt: [42, null, [], 'yesterday', '2024-13-45T00:00:00Z', '2024-04-07T09:30:00', '1899-12-31T23:59:59Z', '2024-04-07', 'NaN'],
};

describe('POST /api/articles with hostile bodies', () => {
  it('answers every wrong type of every field 4xx with a JSON error', async () => {
    const requests = Object.entries(WRONG_TYPES).flatMap(([field, values]) => values.map((value, i) => post(`${field} #${i} ${JSON.stringify(value).slice(0, 40)}`, { ...VALID, [field]: value })));
    expect(requests.length).toBeGreaterThan(80);
    expect(await failuresOf(requests)).toEqual([]);
  });

  it('answers bodies that are not a submission object, or break its limits, 4xx', async () => {
    const long = (n: number) => 'x'.repeat(n);
    const requests = [
      post('empty body', ''),
      post('null', 'null'),
      post('an array', '[]'),
      post('a string', '"article"'),
      post('a number', '42'),
      post('true', 'true'),
      post('unclosed object', '{"headline": "x"'),
      post('trailing garbage', JSON.stringify(VALID) + 'garbage'),
      post('two objects', JSON.stringify(VALID) + JSON.stringify(VALID)),
      post('single quotes', "{'headline': 'x'}"),
      post('comments', '{"headline": "x" /* , "section": "world" */}'),
      post('NaN', '{"headline": NaN}'),
      post('unknown field', { ...VALID, author: 'someone' }),
      post('a misspelt field', { ...VALID, headlin: 'x' }),
      post('headline of 201 characters', { ...VALID, headline: long(201) }),
      post('headline of 100,000 characters', { ...VALID, headline: long(100_000) }),
      post('standfirst of 601 characters', { ...VALID, standfirst: long(601) }),
      post('byline of 201 characters', { ...VALID, byline: long(201) }),
      post('section of 41 characters', { ...VALID, section: 'a'.repeat(41) }),
      post('21 tags', { ...VALID, tags: Array.from({ length: 21 }, (_, i) => `tag ${i}`) }),
      post('a tag of 51 characters', { ...VALID, tags: [long(51)] }),
      post('body of 100,001 characters', { ...VALID, body: long(100_001) }),
      post('alt of 501 characters', { ...VALID, leadImage: { mediaId: randomUUID(), ...photoFields, alt: long(501) } }),
      post('caption of 1,001 characters', { ...VALID, leadImage: { mediaId: randomUUID(), ...photoFields, caption: long(1001) } }),
      post('credit of 201 characters', { ...VALID, leadImage: { mediaId: randomUUID(), ...photoFields, credit: long(201) } }),
      post('a language tag of 24 kB', { ...VALID, language: `en-x-${Array.from({ length: 2700 }, () => 'abcdefgh').join('-')}` }),
      post('an inline photo over 4 MB', { ...VALID, leadImage: { data: Buffer.alloc(4_100_000, 7).toString('base64'), ...photoFields } }),
      post('a request over 5.5 MB', { ...VALID, body: long(5_600_000) }),
      post('a request over 6 MB', { ...VALID, body: long(6_500_000) }),
      post('a request over 10 MB', { ...VALID, body: long(10_600_000) }),
      post('publishedAt in year 0', { ...VALID, publishedAt: '0000-01-01T00:30:00+01:00' }),
      post('a headline of bidi and zero-width controls only', { ...VALID, headline: '\u202E\u2066\u200B\u200F' }),
      post('a headline of control characters only', { ...VALID, headline: '\u0000\u0001\u007F\u0085' }),
      post('an SVG with a script inline', { ...VALID, leadImage: { data: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>').toString('base64'), ...photoFields } }),
      post('an HTML file inline', { ...VALID, leadImage: { data: Buffer.from('<!doctype html><script>alert(1)</script>').toString('base64'), ...photoFields } }),
      post('a HEIC photo inline', { ...VALID, leadImage: { data: Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypheic'), Buffer.alloc(4), Buffer.from('mif1heic'), Buffer.alloc(64)]).toString('base64'), ...photoFields } }),
      post('a data: URL as inline photo', { ...VALID, leadImage: { data: 'data:image/jpeg;base64,/9j/4AAQ', ...photoFields } }),
    ];
    expect(await failuresOf(requests)).toEqual([]);
  });

  it('answers deep nesting 4xx without running out of stack', async () => {
    const requests = [
      post('a headline nested 5,000 arrays deep', `{"headline": ${nested(5000, '"x"')}, "section": "world", "body": "b"}`),
      post('tags nested 5,000 arrays deep', `{"headline": "x", "section": "world", "body": "b", "tags": ${nested(5000, '"x"')}}`),
      post('a body 100,000 arrays deep', nested(100_000)),
      post('objects 50,000 deep', '{"a":'.repeat(50_000) + '1' + '}'.repeat(50_000)),
      post('a leadImage 10,000 objects deep', `{"headline": "x", "section": "world", "body": "b", "leadImage": ${'{"leadImage":'.repeat(10_000)}1${'}'.repeat(10_000)}}`),
      post('100,000 keys', `{${Array.from({ length: 100_000 }, (_, i) => `"k${i}":1`).join(',')}}`),
      post('the same key 10,000 times', `{${Array.from({ length: 10_000 }, () => '"headline":"x"').join(',')}, "section": "world"}`),
      put('a correction nested 100,000 deep', nested(100_000)),
      media('an upload request nested 100,000 deep', nested(100_000)),
    ];
    expect(await failuresOf(requests)).toEqual([]);
  });

  it('answers __proto__, constructor and prototype keys 4xx, and nothing of them reaches Object.prototype', async () => {
    const valid = JSON.stringify(VALID).slice(1, -1);
    const requests = [
      post('__proto__ at the top', `{"__proto__": {"polluted": "yes"}, ${valid}}`),
      post('__proto__ null at the top', `{${valid}, "__proto__": null}`),
      post('constructor.prototype at the top', `{"constructor": {"prototype": {"polluted": "yes"}}, ${valid}}`),
      post('prototype at the top', `{"prototype": {"polluted": "yes"}, ${valid}}`),
      post('__proto__ in leadImage', `{${valid}, "leadImage": {"__proto__": {"mediaId": "${randomUUID()}"}, "alt": "a", "caption": "c", "credit": "AFP"}}`),
      post('constructor in leadImage', `{${valid}, "leadImage": {"constructor": {"prototype": {"polluted": "yes"}}, "data": "AAAA", "alt": "a", "caption": "c", "credit": "AFP"}}`),
      post('__proto__ as tags', `{${valid}, "tags": {"__proto__": ["x"]}}`),
      post('toString as a field', `{${valid}, "toString": "x"}`),
      post('hasOwnProperty as a field', `{${valid}, "hasOwnProperty": 1}`),
      post('valueOf as a field', `{${valid}, "valueOf": {}}`),
      post('__defineGetter__ as a field', `{${valid}, "__defineGetter__": "x"}`),
      put('__proto__ in a correction', `{"__proto__": {"polluted": "yes"}, ${valid}}`),
      put('constructor in a correction', `{"constructor": {"prototype": {"polluted": "yes"}}, ${valid}}`),
      media('__proto__ in an upload request', '{"__proto__": {"polluted": "yes"}, "contentType": "image/jpeg", "contentLength": 1000}'),
      media('constructor in an upload request', '{"constructor": {"prototype": {"polluted": "yes"}}, "contentType": "image/jpeg", "contentLength": 1000}'),
    ];
    expect(await failuresOf(requests)).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('answers bodies that are not valid UTF-8 4xx, even where only a string inside is broken', async () => {
    const around = (broken: number[]) => bytes('{"headline": "Broken ', broken, ' bytes", "section": "world", "body": "Text."}');
    const requests = [
      post('0xFF 0xFE at the start', bytes([0xff, 0xfe], JSON.stringify(VALID))),
      post('UTF-16LE with a BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(JSON.stringify(VALID), 'utf16le')]), { 'content-type': 'application/json; charset=utf-16' }),
      post('UTF-16BE without a BOM', Buffer.from(JSON.stringify(VALID), 'utf16le').swap16()),
      post('an overlong "/" in a string', around([0xc0, 0xaf])),
      post('an encoded surrogate in a string', around([0xed, 0xa0, 0x80])),
      post('a lone continuation byte in a string', around([0x80])),
      post('a truncated sequence in a string', around([0xe2, 0x82])),
      post('0xFF in a string', around([0xff])),
      post('a code point above U+10FFFF in a string', around([0xf4, 0x90, 0x80, 0x80])),
      post('a raw NUL in a string', around([0x00])),
      post('Latin-1 é in a string', around([0xe9])),
      put('an overlong byte in a correction', around([0xc0, 0xaf])),
      media('0xFF in an upload request', bytes('{"contentType": "image/jpeg", "contentLength": 1000, "filename": "', [0xff, 0xfe], '.jpg"}')),
    ];
    expect(await failuresOf(requests)).toEqual([]);
  });

  it('answers wrong content types 4xx without reading the body', async () => {
    const body = JSON.stringify(VALID);
    const types = ['text/plain', 'text/html', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'application/ld+json', 'application/json-seq', 'application/jsonp', 'text/json', 'application/javascript', 'application/json, text/plain', 'image/jpeg', 'application/octet-stream', '*/*', 'json', ''];
    const requests = [
      ...types.map((type) => post(`content type "${type}"`, body, { 'content-type': type })),
      { name: 'no content type', method: 'POST', path: '/api/articles', headers: auth(), body },
      { name: 'a correction as text/plain', method: 'PUT', path: `/api/articles/${article.id}`, headers: { ...auth(), 'content-type': 'text/plain', 'if-match': '"1"' }, body },
      { name: 'an upload request as form data', method: 'POST', path: '/api/media', headers: { ...auth(), 'content-type': 'application/x-www-form-urlencoded' }, body: 'contentType=image%2Fjpeg&contentLength=1000' },
      { name: 'an upload request as a JPEG', method: 'POST', path: '/api/media', headers: { ...auth(), 'content-type': 'image/jpeg' }, body: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]) },
    ];
    expect(await failuresOf(requests)).toEqual([]);
  });
});

describe('hostile headers', () => {
  it('answers missing, malformed, forged and oversized API keys 401 with a JSON error', async () => {
    const body = JSON.stringify(VALID);
    const id = runtime.apiKey.split('.')[0]!;
    const keys = ['', 'Bearer', 'Bearer ', 'Basic dXNlcjpwYXNz', 'Bearer not-a-key', `Bearer ${id}.${'A'.repeat(43)}`, `Bearer ${'0'.repeat(16)}.${'A'.repeat(43)}`, `Bearer ${runtime.apiKey} extra`, `Bearer ${runtime.apiKey}, Bearer ${runtime.apiKey}`, `Token ${runtime.apiKey}`, `Bearer ${'x'.repeat(12_000)}`, rawHeader(`Bearer ${runtime.apiKey}\u202E`), rawHeader('Bearer مفتاح')];
    const requests = keys.flatMap((authorization, i): HostileRequest[] => [
      { name: `POST with key #${i} ${authorization.slice(0, 30)}`, method: 'POST', path: '/api/articles', headers: { authorization, 'content-type': 'application/json' }, body },
      { name: `PUT with key #${i}`, method: 'PUT', path: `/api/articles/${article.id}`, headers: { authorization, 'content-type': 'application/json', 'if-match': '"1"' }, body },
      { name: `POST /api/media with key #${i}`, method: 'POST', path: '/api/media', headers: { authorization, 'content-type': 'application/json' }, body: '{"contentType": "image/jpeg", "contentLength": 1000}' },
    ]);
    expect(await failuresOf(requests)).toEqual([]);
  });

  it('answers a valid submission with a malformed Idempotency-Key 400, publishing nothing', async () => {
    const keys = ['', ' ', 'a b', 'key/with/slash', 'k'.repeat(129), 'key;drop', '<script>', rawHeader('clé'), rawHeader('key\u202E'), rawHeader('مفتاح'), 'k\tk'];
    expect(await failuresOf(keys.map((key, i) => post(`Idempotency-Key #${i} ${JSON.stringify(key).slice(0, 30)}`, VALID, { 'idempotency-key': key })))).toEqual([]);
  });

  it('answers requests with many or large headers 4xx with a JSON error', async () => {
    const many = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`x-filler-${i}`, 'v'.repeat(80)]));
    const requests = [
      post('100 extra headers and an invalid body', '{', many),
      post('an 8 kB header and an invalid body', '{', { 'x-large': 'v'.repeat(8_000) }),
      post('an 8 kB cookie and a valid body without a key', VALID, { authorization: '', cookie: 'c='.padEnd(8_000, 'x') }),
      post('a forged X-Forwarded-For and an invalid body', '{', { 'x-forwarded-for': '127.0.0.1, <script>', 'x-forwarded-host': 'evil.example' }),
      put('If-Match missing', VALID, null),
      put('If-Match garbage', VALID, 'garbage'),
      put('If-Match *', VALID, '*'),
      put('If-Match a list', VALID, '"1", "2"'),
      put('If-Match negative', VALID, '"-1"'),
      put('If-Match a fraction', VALID, '"1.5"'),
      put('If-Match huge', VALID, `"${'9'.repeat(400)}"`),
      put('If-Match of a later version', VALID, '"99"'),
      put('If-Match with bidi', VALID, rawHeader('"1\u202E"')),
    ];
    expect(await failuresOf(requests)).toEqual([]);
  });
});

describe('PUT /api/articles/<id> with hostile bodies', () => {
  it('answers wrong types, unknown photos and refused inline photos 4xx before changing anything', async () => {
    const requests = [
      ...Object.entries(WRONG_TYPES).flatMap(([field, values]) => values.slice(0, 4).map((value, i) => put(`${field} #${i}`, { ...VALID, [field]: value }))),
      put('an unknown photo', { ...VALID, leadImage: { mediaId: randomUUID(), ...photoFields } }),
      put('an SVG inline', { ...VALID, leadImage: { data: Buffer.from('<svg onload="alert(1)"/>').toString('base64'), ...photoFields } }),
      put('an empty object', {}),
      put('an array', []),
      put('headline of 201 characters', { ...VALID, headline: 'x'.repeat(201) }),
      put('a correction of an article that does not exist', VALID, '"1"', randomUUID()),
    ];
    expect(await failuresOf(requests)).toEqual([]);
  });
});

describe('POST /api/media with hostile bodies', () => {
  it('answers wrong types, refused types and sizes 4xx', async () => {
    const ok = { contentType: 'image/jpeg', contentLength: 1000 };
    const wrong: Record<string, unknown[]> = {
      contentType: [42, null, [], {}, '', 'image/svg+xml', 'text/html', 'image/heic', 'image/gif', 'IMAGE/JPEG', 'image/jpeg; charset=utf-8', 'image/jpeg\u202E', 'application/octet-stream', '../../image/jpeg'],
      contentLength: ['1000', -1, 0, 1.5, 40_000_001, 1e308, null, [], {}, true, '1e3'],
      filename: [42, ['photo.jpg'], { name: 'x' }, 'x'.repeat(256)],
    };
    const requests = [
      ...Object.entries(wrong).flatMap(([field, values]) => values.map((value, i) => media(`${field} #${i} ${JSON.stringify(value).slice(0, 30)}`, { ...ok, [field]: value }))),
      media('an unknown field', { ...ok, key: 'uploads/../site/index.html' }),
      media('a bucket field', { ...ok, bucket: 'pressline-site' }),
      media('empty body', ''),
      media('null', 'null'),
      media('an array', '[]'),
      media('not JSON', 'contentType=image/jpeg'),
      media('missing contentLength', { contentType: 'image/jpeg' }),
      media('missing contentType', { contentLength: 1000 }),
    ];
    expect(requests.length).toBeGreaterThan(35);
    expect(await failuresOf(requests)).toEqual([]);
  });
});

describe('odd paths and methods under /api/', () => {
  it('answers encoded, doubled, overlong and unknown paths and wrong methods 4xx with a JSON error', async () => {
    const invalid = '{';
    const paths = [
      '/api/articles/%2e%2e',
      '/api/articles/..%2f..%2fmedia',
      '/api/articles/%2e%2e%2f%2e%2e%2fmedia',
      '/api//articles',
      '/api/articles//',
      '/api/articles%00',
      '/api/articles/%00',
      '/api/articles/%ZZ',
      '/api/articles/%',
      '/api/%61rticles',
      '/api/ARTICLES',
      `/api/articles/${'a'.repeat(8_000)}`,
      '/api/articles/%F0%9F%98%80',
      '/api/articles/%E2%80%AE',
      '/api/articles/%D8%BA%D8%B2%D8%A9',
      `/api/articles/${article.id}%20`,
      `/api/articles/${article.id.toUpperCase()}`,
      `/api/articles/${article.id}/..`,
      `/api/articles/${article.id}/../${article.id}`,
      '/api/articles?id=<script>',
      '/api/articles;jsessionid=1',
      '/api/media/../articles',
      '/api/media/%2e%2e%2farticles',
      '/api/media/',
      '/api/media/not-an-id',
      '/api/',
      '/api/unknown',
    ];
    const methods: Array<[string, string]> = [
      ['PATCH', '/api/articles'],
      ['DELETE', '/api/articles'],
      ['PUT', '/api/articles'],
      ['PUT', `/api/articles/${article.id}/publish`],
      ['OPTIONS', '/api/articles'],
      ['PUT', '/api/media'],
      ['DELETE', '/api/media'],
      ['POST', `/api/media/${randomUUID()}`],
      ['PATCH', `/api/articles/${article.id}`],
      ['POST', `/api/articles/${article.id}`],
    ];
    const requests: HostileRequest[] = [
      ...paths.flatMap((path) => [
        { name: `POST ${path.slice(0, 60)}`, method: 'POST', path, headers: jsonHeaders(), body: invalid },
        { name: `PUT ${path.slice(0, 60)}`, method: 'PUT', path, headers: { ...jsonHeaders(), 'if-match': '"1"' }, body: invalid },
      ]),
      ...methods.map(([method, path]) => ({ name: `${method} ${path}`, method, path, headers: jsonHeaders(), body: invalid })),
    ];
    expect(await failuresOf(requests)).toEqual([]);
  });
});

describe('after the whole corpus', () => {
  it('leaves the table and both buckets exactly as they were', async () => {
    expect(sent).toBeGreaterThanOrEqual(200);
    expect(await storeSnapshot()).toEqual(before);
  });
});
