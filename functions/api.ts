import { HANDLER_SETTINGS, readConfig, readWorkflowConfig } from '../shared/config.js';
import { NotFoundError } from '../shared/errors.js';
import { errorResponse, header, htmlResponse, jsonResponse, readJsonBody, type HttpEvent, type HttpResult } from '../shared/http/responses.js';
import { createLogger } from '../shared/log.js';
import { authenticate } from '../shared/publishing/authenticate.js';
import type { Principal } from '../shared/auth/api-key.js';
import { authorizeAccess } from '../shared/publishing/authorize.js';
import { correctArticle, parseIfMatch } from '../shared/publishing/correct-article.js';
import { checkIdempotencyKey } from '../shared/publishing/idempotency.js';
import { publishArticle } from '../shared/publishing/publish-article.js';
import { takeDownArticle } from '../shared/publishing/take-down-article.js';
import { getRevision, listDesk, listRevisions } from '../shared/publishing/newsroom.js';
import { previewPage, requestPublish, returnToReporter, setPreview } from '../shared/publishing/workflow.js';
import { renderNotFoundPage } from '../shared/render/status-pages.js';
import { DynamoDbDeskStore } from '../shared/storage/dynamodb-desk-store.js';
import { eventBridgeScheduler, sweepOnlyScheduler } from '../shared/storage/eventbridge-scheduler.js';
import { createDynamoDbClient, createS3Client } from '../shared/storage/clients.js';
import { cloudFrontInvalidator, noCdn } from '../shared/storage/cloudfront-invalidator.js';
import { DynamoDbArticleStore } from '../shared/storage/dynamodb-article-store.js';
import { DynamoDbIdempotencyStore } from '../shared/storage/dynamodb-idempotency-store.js';
import { DynamoDbKeyStore } from '../shared/storage/dynamodb-key-store.js';
import { S3MediaStore, S3SiteStore } from '../shared/storage/s3-stores.js';

// Created once per Lambda instance, reused by every invocation.
const config = readConfig(HANDLER_SETTINGS.api);
const workflow = readWorkflowConfig();
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
  desk: new DynamoDbDeskStore(dynamodb, config.tableName),
  scheduler: workflow.scheduler ? eventBridgeScheduler(workflow.scheduler) : sweepOnlyScheduler,
  reviewRequired: workflow.reviewRequired,
};

const ARTICLES = /^\/api\/articles\/?$/;
const ARTICLE = /^\/api\/articles\/([0-9a-f-]{36})\/?$/;
const ARTICLE_ACTION = /^\/api\/articles\/([0-9a-f-]{36})\/(publish|return|preview|revisions)(?:\/(\d{1,9}))?\/?$/;
const PREVIEW = /^\/api\/preview\/([0-9a-f-]{36})\.([A-Za-z0-9_-]{1,64})$/;

const methodNotAllowed = (allow: string) =>
  jsonResponse(405, { error: { code: 'method_not_allowed', message: `Use ${allow.split(', ').join(' or ')} here.`, fields: [] } }, { allow });

type Scoped = typeof deps;

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
    const previewLink = PREVIEW.exec(path);
    if (previewLink) return await preview(previewLink[1]!, previewLink[2]!, event, { ...deps, logger: logger.child({ requestId }) });
    const id = ARTICLE.exec(path)?.[1];
    const action = ARTICLE_ACTION.exec(path);
    if (!ARTICLES.test(path) && id === undefined && !action) {
      throw new NotFoundError(`No API route ${event.requestContext.http.method} ${path}. Submit articles with POST /api/articles.`);
    }
    const principal = await authenticate(header(event, 'authorization'), keyStore);
    const scoped = { ...deps, logger: logger.child({ requestId, keyId: principal.keyId }) };
    if (action) return await articleAction(action[1]!, action[2]!, action[3], event, principal, scoped);
    return id === undefined ? await articles(event, principal, scoped) : await article(id, event, principal, scoped);
  } catch (error) {
    return errorResponse(error, logger, requestId);
  }
}
