import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Role } from '../../shared/auth/api-key.js';
import { addPersonWithKey } from '../../shared/auth/people.js';
import { ORIGIN_SECRET_HEADER } from '../../shared/http/origin-secret.js';
import type { HttpEvent } from '../../shared/http/responses.js';
import { createDynamoDbClient } from '../../shared/storage/clients.js';
import { DynamoDbPeopleStore } from '../../shared/storage/dynamodb-people-store.js';
import { startLocalRuntime, type LocalRuntime } from '../../infra/local/runtime.js';

/** The 201 answer of `POST /api/articles`. */
export interface Published {
  id: string;
  url: string;
  shortUrl: string;
  version: number;
}

/** `GET /api/media/{id}` once processing has decided. */
export interface UploadedPhoto {
  id: string;
  status: 'ready' | 'rejected';
  reason?: string;
  width?: number;
  height?: number;
  renditions?: Array<{ url: string; format: string; width: number }>;
}

export interface TestRuntime extends LocalRuntime {
  dataDir: string;
  /** POSTs a submission with the runtime's editor key (or the given headers). */
  publish(body: unknown, headers?: Record<string, string>): Promise<Response>;
  /** Publishes with the editor key, failing with the API's answer unless it is a 201. */
  publishOk(body: unknown): Promise<Published>;
  /** Issues an API key to a new person on this runtime's table, as `npm run key:create` does. */
  newKey(name: string, role: Role): Promise<string>;
  /** One API request (`path` under `/api`) with `key`, a JSON body when given, and any extra headers. */
  call(method: string, path: string, key: string, body?: unknown, extra?: Record<string, string>): Promise<Response>;
  /** The same, with the person's and the key's ids. */
  newPerson(name: string, role: Role): Promise<{ token: string; personId: string; keyId: string }>;
  /** The event with CloudFront's origin header, as the deployed functions receive it: for a handler called directly. */
  viaCloudFront(event: HttpEvent): HttpEvent;
  /** Uploads a photo as a reporter's tool does (POST /api/media, then the presigned POST) and waits for processing. */
  uploadPhoto(bytes: Uint8Array, options?: { contentType?: string; apiKey?: string; declaredLength?: number }): Promise<UploadedPhoto>;
}

const TESTS_WRITES_PER_MINUTE = 1_000_000;

/**
 * The real local runtime on random ports: dynalite (in memory) and s3rver (temp folder) through
 * the real SDK clients, the real handlers behind the CloudFront-like router.
 */
export async function startTestRuntime(options: { reviewRequired?: boolean; scheduleSweepMs?: number; writesPerMinute?: number } = {}): Promise<TestRuntime> {
  const dataDir = mkdtempSync(join(tmpdir(), 'pressline-test-'));
  const runtime = await startLocalRuntime({
    port: 0,
    dataDir,
    inMemoryDynamoDb: true,
    reviewRequired: options.reviewRequired ?? false,
    // Tests write far faster than a person (races of many rounds with one key); the rate-limit test sets its own limit.
    writesPerMinute: options.writesPerMinute ?? TESTS_WRITES_PER_MINUTE,
    ...(options.scheduleSweepMs ? { scheduleSweepMs: options.scheduleSweepMs } : {}),
  });
  const publish = (body: unknown, headers?: Record<string, string>) =>
    fetch(`${runtime.apiUrl}/articles`, {
      method: 'POST',
      headers: headers ?? { authorization: `Bearer ${runtime.apiKey}`, 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const newPerson = async (name: string, role: Role) => {
    const client = createDynamoDbClient();
    try {
      const issued = await addPersonWithKey(new DynamoDbPeopleStore(client, runtime.tableName), { name, role }, 'test');
      return { token: issued.token, personId: issued.person.id, keyId: issued.record.id };
    } finally {
      client.destroy();
    }
  };
  return {
    ...runtime,
    dataDir,
    publish,
    async publishOk(body) {
      const response = await publish(body);
      if (response.status !== 201) throw new Error(`publish answered ${response.status}: ${await response.text()}`);
      return (await response.json()) as Published;
    },
    viaCloudFront(event) {
      return { ...event, headers: { ...event.headers, [ORIGIN_SECRET_HEADER]: runtime.originSecret } };
    },
    async newKey(name, role) {
      return (await newPerson(name, role)).token;
    },
    call(method, path, key, body, extra = {}) {
      return fetch(`${runtime.apiUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...extra },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    },
    newPerson,
    async uploadPhoto(bytes, options = {}) {
      const authorization = `Bearer ${options.apiKey ?? runtime.apiKey}`;
      const contentType = options.contentType ?? 'image/jpeg';
      const ticketResponse = await fetch(`${runtime.apiUrl}/media`, {
        method: 'POST',
        headers: { authorization, 'content-type': 'application/json' },
        body: JSON.stringify({ contentType, contentLength: options.declaredLength ?? bytes.length, filename: 'photo.jpg' }),
      });
      if (ticketResponse.status !== 201) throw new Error(`POST /api/media answered ${ticketResponse.status}: ${await ticketResponse.text()}`);
      const ticket = (await ticketResponse.json()) as { id: string; upload: { url: string; fields: Record<string, string> } };
      const form = new FormData();
      for (const [name, value] of Object.entries(ticket.upload.fields)) form.append(name, value);
      form.append('file', new Blob([bytes], { type: contentType }), 'photo.jpg');
      const upload = await fetch(ticket.upload.url, { method: 'POST', body: form });
      if (!upload.ok) throw new Error(`the presigned upload answered ${upload.status}: ${await upload.text()}`);
      for (let attempt = 0; attempt < 300; attempt++) {
        const status = (await (await fetch(`${runtime.apiUrl}/media/${ticket.id}`, { headers: { authorization } })).json()) as UploadedPhoto | { status: 'processing' };
        if (status.status !== 'processing') return status;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(`upload ${ticket.id} was still processing after 30 s`);
    },
    async stop() {
      await runtime.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
