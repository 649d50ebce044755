import { assertNever } from '../shared/assert-never.js';
import { HANDLER_SETTINGS, readConfig, readWorkflowConfig } from '../shared/config.js';
import { NotFoundError, ValidationError } from '../shared/errors.js';
import { mediaView } from '../shared/media/media-view.js';
import { requestUpload } from '../shared/media/request-upload.js';
import { errorResponse, header, htmlResponse, jsonResponse, readJsonBody, type HttpEvent, type HttpResult } from '../shared/http/responses.js';
import { originGuard, originSecretValues } from '../shared/http/origin-secret.js';
import { createLogger } from '../shared/log.js';
import { authenticate } from '../shared/publishing/authenticate.js';
import type { Principal } from '../shared/auth/api-key.js';
import { authorizeAccess } from '../shared/publishing/authorize.js';
import { correctArticle, parseIfMatch } from '../shared/publishing/correct-article.js';
import { checkIdempotencyKey } from '../shared/publishing/idempotency.js';
import { publishArticle } from '../shared/publishing/publish-article.js';
import { takeDownArticle } from '../shared/publishing/take-down-article.js';
import { parseTakedownRequest } from '../shared/publishing/takedown-request.js';
import { renderPreview } from '../shared/publishing/render-preview.js';
import { getRevision, listDesk, listRevisions } from '../shared/publishing/newsroom.js';
import { previewPage, requestPublish, returnToReporter, setPreview } from '../shared/publishing/workflow.js';
import { renderNotFoundPage } from '../shared/render/status-pages.js';
import { DynamoDbDeskStore } from '../shared/storage/dynamodb-desk-store.js';
import { eventBridgeScheduler, sweepOnlyScheduler } from '../shared/storage/eventbridge-scheduler.js';
import { createDynamoDbClient, createS3Client } from '../shared/storage/clients.js';
import { DynamoDbArticleStore } from '../shared/storage/dynamodb-article-store.js';
import { DynamoDbIdempotencyStore } from '../shared/storage/dynamodb-idempotency-store.js';
import { DynamoDbKeyStore } from '../shared/storage/dynamodb-key-store.js';
import { DynamoDbMediaStore } from '../shared/storage/dynamodb-media-store.js';
import { localInvalidationQueue } from '../shared/storage/local-stand-ins.js';
import { sqsInvalidationQueue } from '../shared/storage/sqs-invalidation-queue.js';
import { S3MediaStore, S3SiteStore } from '../shared/storage/s3-stores.js';

// Created once per Lambda instance, reused by every invocation.
const config = readConfig(HANDLER_SETTINGS.api);
const workflow = readWorkflowConfig();
const dynamodb = createDynamoDbClient();
const s3 = createS3Client();
const logger = createLogger({ function: 'api' });
const origin = originGuard(originSecretValues(), logger);
const keyStore = new DynamoDbKeyStore(dynamodb, config.tableName);
const deps = {
  articles: new DynamoDbArticleStore(dynamodb, config.tableName),
  media: new S3MediaStore(s3, config.mediaBucket),
  mediaRecords: new DynamoDbMediaStore(dynamodb, config.tableName),
  site: new S3SiteStore(s3, config.siteBucket),
  idempotency: new DynamoDbIdempotencyStore(dynamodb, config.tableName),
  // What changes show readers goes to the invalidation queue (locally, the local runtime's).
  invalidations: config.invalidationQueueUrl ? sqsInvalidationQueue(config.invalidationQueueUrl) : localInvalidationQueue,
  urls: { publicBaseUrl: config.publicBaseUrl },
  logger,
  desk: new DynamoDbDeskStore(dynamodb, config.tableName),
  scheduler: workflow.scheduler ? eventBridgeScheduler(workflow.scheduler) : sweepOnlyScheduler,
  reviewRequired: workflow.reviewRequired,
};

const ARTICLES = /^\/api\/articles\/?$/;
const ARTICLE = /^\/api\/articles\/([0-9a-f-]{36})\/?$/;
const MEDIA = /^\/api\/media\/?$/;
const MEDIA_ITEM = /^\/api\/media\/([0-9a-f-]{36})\/?$/;
const ARTICLE_ACTION = /^\/api\/articles\/([0-9a-f-]{36})\/(publish|return|preview|revisions)(?:\/(\d{1,9}))?\/?$/;
const RENDER = /^\/api\/render\/?$/;
const ME = /^\/api\/me\/?$/;
const PREVIEW = /^\/api\/preview\/([0-9a-f-]{36})\.([A-Za-z0-9_-]{1,64})$/;

const methodNotAllowed = (allow: string) =>
  jsonResponse(405, { error: { code: 'method_not_allowed', message: `Use ${allow.split(', ').join(' or ')} here.`, fields: [] } }, { allow });

type Scoped = typeof deps;

type Route =
  | { kind: 'articles' }
  | { kind: 'article'; id: string }
  | { kind: 'articleAction'; id: string; action: string; version?: string }
  | { kind: 'preview'; id: string; token: string }
  | { kind: 'media' }
  | { kind: 'mediaItem'; id: string }
  | { kind: 'render' }
  | { kind: 'me' };

function routeOf(path: string): Route | undefined {
  if (ARTICLES.test(path)) return { kind: 'articles' };
  if (MEDIA.test(path)) return { kind: 'media' };
  if (RENDER.test(path)) return { kind: 'render' };
  if (ME.test(path)) return { kind: 'me' };
  const articleId = ARTICLE.exec(path)?.[1];
  if (articleId) return { kind: 'article', id: articleId };
  const action = ARTICLE_ACTION.exec(path);
  if (action) return { kind: 'articleAction', id: action[1]!, action: action[2]!, ...(action[3] ? { version: action[3] } : {}) };
  const preview = PREVIEW.exec(path);
  if (preview) return { kind: 'preview', id: preview[1]!, token: preview[2]! };
  const mediaId = MEDIA_ITEM.exec(path)?.[1];
  return mediaId ? { kind: 'mediaItem', id: mediaId } : undefined;
}

/** `POST /api/articles`: publish (or save a draft); `GET`: the newsroom's listing. */
async function articles(event: HttpEvent, principal: Principal, scoped: Scoped): Promise<HttpResult> {
  if (event.requestContext.http.method === 'GET') return jsonResponse(200, await listDesk(event.queryStringParameters ?? {}, principal, scoped));
  if (event.requestContext.http.method !== 'POST') return methodNotAllowed('GET, POST');
  const idempotencyKey = header(event, 'idempotency-key');
  const { replayed, ...result } = await publishArticle(
    readJsonBody(event),
    principal,
    scoped,
    idempotencyKey === undefined ? undefined : checkIdempotencyKey(idempotencyKey),
  );
  const location = result.url ?? result.previewUrl;
  return jsonResponse(201, result, { ...(location ? { location } : {}), ...(replayed ? { 'idempotent-replayed': 'true' } : {}) });
}

/** An optional JSON body (`/return` needs one; `/publish` takes none). */
function optionalJsonBody(event: HttpEvent): unknown {
  return event.body ? readJsonBody(event) : {};
}

/** A takedown's optional `{ "reason": "…" }`, kept in the article's history. */

/** `/api/articles/<id>/publish|return|preview|revisions[/<n>]`: the newsroom's workflow. */
async function articleAction(id: string, action: string, version: string | undefined, event: HttpEvent, principal: Principal, scoped: Scoped): Promise<HttpResult> {
  const method = event.requestContext.http.method;
  const ifMatch = () => parseIfMatch(header(event, 'if-match'));
  const changed = (result: { version: number }) => jsonResponse(200, result, { etag: `"${result.version}"` });
  switch (action) {
    case 'publish':
      return method === 'POST' ? changed(await requestPublish(id, ifMatch(), principal, scoped)) : methodNotAllowed('POST');
    case 'return':
      return method === 'POST' ? changed(await returnToReporter(id, ifMatch(), optionalJsonBody(event), principal, scoped)) : methodNotAllowed('POST');
    case 'preview':
      if (method === 'POST' || method === 'DELETE') return changed(await setPreview(id, method === 'POST', principal, scoped));
      return methodNotAllowed('POST, DELETE');
    case 'revisions':
      if (method !== 'GET') return methodNotAllowed('GET');
      if (version === undefined) return jsonResponse(200, await listRevisions(id, principal, scoped));
      return jsonResponse(200, await getRevision(id, Number(version), principal, scoped));
    default:
      throw new NotFoundError(`No API route ${method} ${event.rawPath}.`);
  }
}

const previewNotFound = renderNotFoundPage();

/** `GET /api/preview/<id>.<secret>`: an unpublished article's page, for whoever holds the link; never cached, never indexed. */
async function preview(id: string, token: string, event: HttpEvent, scoped: Scoped): Promise<HttpResult> {
  const method = event.requestContext.http.method;
  if (method !== 'GET' && method !== 'HEAD') return methodNotAllowed('GET');
  const page = await previewPage(id, token, scoped);
  const headers = { 'cache-control': 'private, no-store', 'x-robots-tag': 'noindex, nofollow', 'referrer-policy': 'no-referrer' };
  return page === undefined ? htmlResponse(404, previewNotFound, headers) : htmlResponse(200, page, headers);
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
      // No body: a takedown. `{"purge": true, "reason": "…"}`: a legal takedown that keeps no copy.
      return jsonResponse(200, await takeDownArticle(id, principal, scoped, event.body ? parseTakedownRequest(readJsonBody(event)) : undefined));
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

/** `POST /api/render`: the page a submission would publish as, for the newsroom's live preview; stores nothing. */
async function render(event: HttpEvent, principal: Principal, scoped: Scoped): Promise<HttpResult> {
  if (event.requestContext.http.method !== 'POST') return methodNotAllowed('POST');
  const page = await renderPreview(readJsonBody(event), principal, scoped);
  return htmlResponse(200, page, { 'cache-control': 'private, no-store', 'x-robots-tag': 'noindex, nofollow' });
}

/** `GET /api/me`: who the key speaks for, so the newsroom can show the buttons of its role. */
function me(event: HttpEvent, principal: Principal, scoped: Scoped): HttpResult {
  if (event.requestContext.http.method !== 'GET') return methodNotAllowed('GET');
  // One person per key for now: the person is the key.
  return jsonResponse(200, { personId: principal.keyId, keyId: principal.keyId, name: principal.name, role: principal.role, reviewRequired: scoped.reviewRequired });
}

/** HTTP API (payload v2) handler for `/api/*`. */
export async function handler(event: HttpEvent): Promise<HttpResult> {
  const requestId = event.requestContext?.requestId;
  try {
    const refused = await origin.refuse(event);
    if (refused) return refused;
    const path = event.rawPath;
    const route = routeOf(path);
    if (!route) throw new NotFoundError(`No API route ${event.requestContext.http.method} ${path}. Submit articles with POST /api/articles, photos with POST /api/media.`);
    // The preview link is its own credential: whoever holds it may read the page, and nothing else.
    if (route.kind === 'preview') return await preview(route.id, route.token, event, { ...deps, logger: logger.child({ requestId }) });
    const principal = await authenticate(header(event, 'authorization'), keyStore);
    const scoped = { ...deps, logger: logger.child({ requestId, keyId: principal.keyId }) };
    switch (route.kind) {
      case 'articles':
        return await articles(event, principal, scoped);
      case 'article':
        return await article(route.id, event, principal, scoped);
      case 'articleAction':
        return await articleAction(route.id, route.action, route.version, event, principal, scoped);
      case 'media':
        return await media(event, principal, scoped);
      case 'mediaItem':
        return await mediaItem(route.id, event, principal, scoped);
      case 'render':
        return await render(event, principal, scoped);
      case 'me':
        return me(event, principal, scoped);
      default:
        return assertNever(route);
    }
  } catch (error) {
    return errorResponse(error, logger, requestId);
  }
}
