import { HANDLER_SETTINGS, readConfig } from '../shared/config.js';
import { NotFoundError } from '../shared/errors.js';
import { errorResponse, header, jsonResponse, readJsonBody, type HttpEvent, type HttpResult } from '../shared/http/responses.js';
import { createLogger } from '../shared/log.js';
import { authenticate } from '../shared/publishing/authenticate.js';
import type { Principal } from '../shared/auth/api-key.js';
import { authorizeAccess } from '../shared/publishing/authorize.js';
import { correctArticle, parseIfMatch } from '../shared/publishing/correct-article.js';
import { checkIdempotencyKey } from '../shared/publishing/idempotency.js';
import { publishArticle } from '../shared/publishing/publish-article.js';
import { takeDownArticle } from '../shared/publishing/take-down-article.js';
import { createDynamoDbClient, createS3Client } from '../shared/storage/clients.js';
import { cloudFrontInvalidator, noCdn } from '../shared/storage/cloudfront-invalidator.js';
import { DynamoDbArticleStore } from '../shared/storage/dynamodb-article-store.js';
import { DynamoDbIdempotencyStore } from '../shared/storage/dynamodb-idempotency-store.js';
import { DynamoDbKeyStore } from '../shared/storage/dynamodb-key-store.js';
import { S3MediaStore, S3SiteStore } from '../shared/storage/s3-stores.js';

// Created once per Lambda instance, reused by every invocation.
const config = readConfig(HANDLER_SETTINGS.api);
const dynamodb = createDynamoDbClient();
const s3 = createS3Client();
const logger = createLogger({ function: 'api' });
const keyStore = new DynamoDbKeyStore(dynamodb, config.tableName);
const deps = {
  articles: new DynamoDbArticleStore(dynamodb, config.tableName),
  media: new S3MediaStore(s3, config.mediaBucket),
  site: new S3SiteStore(s3, config.siteBucket),
  idempotency: new DynamoDbIdempotencyStore(dynamodb, config.tableName),
  cdn: config.distributionId ? cloudFrontInvalidator(config.distributionId) : noCdn,
  urls: { publicBaseUrl: config.publicBaseUrl },
  logger,
};

const ARTICLES = /^\/api\/articles\/?$/;
const ARTICLE = /^\/api\/articles\/([0-9a-f-]{36})\/?$/;

const methodNotAllowed = (allow: string) =>
  jsonResponse(405, { error: { code: 'method_not_allowed', message: `Use ${allow.split(', ').join(' or ')} here.`, fields: [] } }, { allow });

type Scoped = typeof deps;

/** `POST /api/articles`: publish. */
async function articles(event: HttpEvent, principal: Principal, scoped: Scoped): Promise<HttpResult> {
  if (event.requestContext.http.method !== 'POST') return methodNotAllowed('POST');
  const idempotencyKey = header(event, 'idempotency-key');
  const { replayed, ...result } = await publishArticle(
    readJsonBody(event),
    principal,
    scoped,
    idempotencyKey === undefined ? undefined : checkIdempotencyKey(idempotencyKey),
  );
  return jsonResponse(201, result, { location: result.url, ...(replayed ? { 'idempotent-replayed': 'true' } : {}) });
}

/** `/api/articles/<id>`: read back, correct, take down. */
async function article(id: string, event: HttpEvent, principal: Principal, scoped: Scoped): Promise<HttpResult> {
  switch (event.requestContext.http.method) {
    case 'GET': {
      const stored = await scoped.articles.getArticle(id);
      if (!stored) throw new NotFoundError(`No article ${id}.`);
      authorizeAccess(principal, stored);
      return jsonResponse(200, stored, { etag: `"${stored.version}"` });
    }
    case 'PUT': {
      const result = await correctArticle(id, readJsonBody(event), parseIfMatch(header(event, 'if-match')), principal, scoped);
      return jsonResponse(200, result, { etag: `"${result.version}"` });
    }
    case 'DELETE':
      return jsonResponse(200, await takeDownArticle(id, principal, scoped));
    default:
      return methodNotAllowed('GET, PUT, DELETE');
  }
}

/** HTTP API (payload v2) handler for `/api/*`. */
export async function handler(event: HttpEvent): Promise<HttpResult> {
  const requestId = event.requestContext?.requestId;
  try {
    const path = event.rawPath;
    const id = ARTICLE.exec(path)?.[1];
    if (!ARTICLES.test(path) && id === undefined) {
      throw new NotFoundError(`No API route ${event.requestContext.http.method} ${path}. Submit articles with POST /api/articles.`);
    }
    const principal = await authenticate(header(event, 'authorization'), keyStore);
    const scoped = { ...deps, logger: logger.child({ requestId, keyId: principal.keyId }) };
    return id === undefined ? await articles(event, principal, scoped) : await article(id, event, principal, scoped);
  } catch (error) {
    return errorResponse(error, logger, requestId);
  }
}
