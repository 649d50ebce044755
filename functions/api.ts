import { assertNever } from '../shared/assert-never.js';
import { HANDLER_SETTINGS, readConfig } from '../shared/config.js';
import { NotFoundError } from '../shared/errors.js';
import { mediaView } from '../shared/media/media-view.js';
import { requestUpload } from '../shared/media/request-upload.js';
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
import { DynamoDbMediaStore } from '../shared/storage/dynamodb-media-store.js';
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
  mediaRecords: new DynamoDbMediaStore(dynamodb, config.tableName),
  site: new S3SiteStore(s3, config.siteBucket),
  idempotency: new DynamoDbIdempotencyStore(dynamodb, config.tableName),
  cdn: config.distributionId ? cloudFrontInvalidator(config.distributionId) : noCdn,
  urls: { publicBaseUrl: config.publicBaseUrl },
  logger,
};

const ARTICLES = /^\/api\/articles\/?$/;
const ARTICLE = /^\/api\/articles\/([0-9a-f-]{36})\/?$/;
const MEDIA = /^\/api\/media\/?$/;
const MEDIA_ITEM = /^\/api\/media\/([0-9a-f-]{36})\/?$/;

const methodNotAllowed = (allow: string) =>
  jsonResponse(405, { error: { code: 'method_not_allowed', message: `Use ${allow.split(', ').join(' or ')} here.`, fields: [] } }, { allow });

type Scoped = typeof deps;

type Route = { kind: 'articles' } | { kind: 'article'; id: string } | { kind: 'media' } | { kind: 'mediaItem'; id: string };

function routeOf(path: string): Route | undefined {
  if (ARTICLES.test(path)) return { kind: 'articles' };
  if (MEDIA.test(path)) return { kind: 'media' };
  const articleId = ARTICLE.exec(path)?.[1];
  if (articleId) return { kind: 'article', id: articleId };
  const mediaId = MEDIA_ITEM.exec(path)?.[1];
  return mediaId ? { kind: 'mediaItem', id: mediaId } : undefined;
}

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

/** `POST /api/media`: a presigned upload for one photo. */
async function media(event: HttpEvent, principal: Principal, scoped: Scoped): Promise<HttpResult> {
  if (event.requestContext.http.method !== 'POST') return methodNotAllowed('POST');
  const ticket = await requestUpload(readJsonBody(event), principal, scoped);
  return jsonResponse(201, ticket, { location: `/api/media/${ticket.id}` });
}

/** `GET /api/media/<id>`: processing status and renditions. Someone else's upload is not found, as on S3. */
async function mediaItem(id: string, event: HttpEvent, principal: Principal, scoped: Scoped): Promise<HttpResult> {
  if (event.requestContext.http.method !== 'GET') return methodNotAllowed('GET');
  const record = await scoped.mediaRecords.get(id);
  if (!record || (record.ownerKeyId !== principal.keyId && principal.role !== 'editor')) throw new NotFoundError(`No upload ${id} of yours.`);
  return jsonResponse(200, mediaView(record, scoped.urls));
}

/** HTTP API (payload v2) handler for `/api/*`. */
export async function handler(event: HttpEvent): Promise<HttpResult> {
  const requestId = event.requestContext?.requestId;
  try {
    const path = event.rawPath;
    const route = routeOf(path);
    if (!route) throw new NotFoundError(`No API route ${event.requestContext.http.method} ${path}. Submit articles with POST /api/articles, photos with POST /api/media.`);
    const principal = await authenticate(header(event, 'authorization'), keyStore);
    const scoped = { ...deps, logger: logger.child({ requestId, keyId: principal.keyId }) };
    switch (route.kind) {
      case 'articles':
        return await articles(event, principal, scoped);
      case 'article':
        return await article(route.id, event, principal, scoped);
      case 'media':
        return await media(event, principal, scoped);
      case 'mediaItem':
        return await mediaItem(route.id, event, principal, scoped);
      default:
        return assertNever(route);
    }
  } catch (error) {
    return errorResponse(error, logger, requestId);
  }
}
