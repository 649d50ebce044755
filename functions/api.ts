import { assertNever } from '../shared/assert-never.js';
import { auditorFor, type Auditor } from '../shared/audit/audit.js';
import { listAudit } from '../shared/audit/list-audit.js';
import { createKey, createPerson, disablePerson, listKeys, listPeople, revokeKey, rotateKey } from '../shared/auth/people.js';
import { HANDLER_SETTINGS, readConfig, readWorkflowConfig, readWriteRateLimit } from '../shared/config.js';
import { NotFoundError, TooManyRequestsError } from '../shared/errors.js';
import { mediaView } from '../shared/media/media-view.js';
import { requestUpload } from '../shared/media/request-upload.js';
import { errorResponse, header, htmlResponse, jsonResponse, readJsonBody, type HttpEvent, type HttpResult } from '../shared/http/responses.js';
import { originGuard, originSecretValues } from '../shared/http/origin-secret.js';
import { createLogger } from '../shared/log.js';
import { authenticate } from '../shared/publishing/authenticate.js';
import type { Principal } from '../shared/auth/api-key.js';
import type { AuditAction } from '../shared/audit/audit.js';
import type { ArticleOutcome } from '../shared/storage/ports.js';
import { authorizeAccess, ownsUpload } from '../shared/publishing/authorize.js';
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
import { DynamoDbAuditStore } from '../shared/storage/dynamodb-audit-store.js';
import { DynamoDbPeopleStore } from '../shared/storage/dynamodb-people-store.js';
import { DynamoDbWriteRateLimiter } from '../shared/storage/dynamodb-write-rate-limiter.js';
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
const people = new DynamoDbPeopleStore(dynamodb, config.tableName);
const rateLimit = readWriteRateLimit();
const writeLimiter = new DynamoDbWriteRateLimiter(dynamodb, config.tableName, rateLimit);
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
  people,
  auditTrail: new DynamoDbAuditStore(dynamodb, config.tableName),
};

const ARTICLES = /^\/api\/articles\/?$/;
const ARTICLE = /^\/api\/articles\/([0-9a-f-]{36})\/?$/;
const MEDIA = /^\/api\/media\/?$/;
const MEDIA_ITEM = /^\/api\/media\/([0-9a-f-]{36})\/?$/;
const ARTICLE_ACTION = /^\/api\/articles\/([0-9a-f-]{36})\/(publish|return|preview|revisions)(?:\/(\d{1,9}))?\/?$/;
const RENDER = /^\/api\/render\/?$/;
const ME = /^\/api\/me\/?$/;
const PREVIEW = /^\/api\/preview\/([0-9a-f-]{36})\.([A-Za-z0-9_-]{1,64})$/;
const PEOPLE = /^\/api\/people\/?$/;
// A person id is `p` and 16 hex digits; a key from before people existed is its own person, with the key's id.
const PERSON = /^\/api\/people\/(p?[0-9a-f]{16})\/?$/;
const PERSON_KEYS = /^\/api\/people\/(p?[0-9a-f]{16})\/keys(?:\/([0-9a-f]{16})(\/rotate)?)?\/?$/;
const MY_KEYS = /^\/api\/me\/keys(?:\/([0-9a-f]{16})\/rotate)?\/?$/;
const AUDIT = /^\/api\/audit\/?$/;

const methodNotAllowed = (allow: string) =>
  jsonResponse(405, { error: { code: 'method_not_allowed', message: `Use ${allow.split(', ').join(' or ')} here.`, fields: [] } }, { allow });

type Scoped = typeof deps & { audit: Auditor };

type Route =
  | { kind: 'articles' }
  | { kind: 'article'; id: string }
  | { kind: 'articleAction'; id: string; action: string; version?: string }
  | { kind: 'preview'; id: string; token: string }
  | { kind: 'media' }
  | { kind: 'mediaItem'; id: string }
  | { kind: 'people' }
  | { kind: 'person'; personId: string }
  | { kind: 'personKeys'; personId: string; keyId?: string; rotate: boolean }
  | { kind: 'myKeys'; keyId?: string }
  | { kind: 'audit' }
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
  if (mediaId) return { kind: 'mediaItem', id: mediaId };
  if (PEOPLE.test(path)) return { kind: 'people' };
  const personId = PERSON.exec(path)?.[1];
  if (personId) return { kind: 'person', personId };
  const personKeys = PERSON_KEYS.exec(path);
  if (personKeys) return { kind: 'personKeys', personId: personKeys[1]!, ...(personKeys[2] ? { keyId: personKeys[2] } : {}), rotate: Boolean(personKeys[3]) };
  const myKeys = MY_KEYS.exec(path);
  if (myKeys) return { kind: 'myKeys', ...(myKeys[1] ? { keyId: myKeys[1] } : {}) };
  return AUDIT.test(path) ? { kind: 'audit' } : undefined;
}

/** The audit action of a write that left an article in this status. */
const NEW_ARTICLE_ACTIONS = { draft: 'article.saved', submitted: 'article.submitted', scheduled: 'article.scheduled', published: 'article.published', removed: 'article.taken-down' } as const;

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
  // A replay repeats the first request's answer; that request recorded the write (or, had it died
  // between its commit and its entry, its log lines show the publish under its request id).
  if (!replayed) await scoped.audit(NEW_ARTICLE_ACTIONS[result.status ?? 'published'], { articleId: result.id, version: result.version });
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
  const changed = async (result: ArticleOutcome, action?: AuditAction) => {
    await scoped.audit(action ?? NEW_ARTICLE_ACTIONS[result.status ?? 'published'], { articleId: id, version: result.version });
    return jsonResponse(200, result, { etag: `"${result.version}"` });
  };
  switch (action) {
    case 'publish': {
      if (method !== 'POST') return methodNotAllowed('POST');
      const expected = ifMatch();
      const result = await requestPublish(id, expected, principal, scoped);
      // Asking again for what is already so (submitted, scheduled) changes nothing, so records nothing.
      return result.version === expected ? jsonResponse(200, result, { etag: `"${result.version}"` }) : changed(result);
    }
    case 'return':
      return method === 'POST' ? changed(await returnToReporter(id, ifMatch(), optionalJsonBody(event), principal, scoped), 'article.returned') : methodNotAllowed('POST');
    case 'preview':
      if (method === 'POST' || method === 'DELETE') {
        return changed(await setPreview(id, method === 'POST', principal, scoped), method === 'POST' ? 'article.preview-issued' : 'article.preview-revoked');
      }
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
async function preview(id: string, token: string, event: HttpEvent, scoped: typeof deps): Promise<HttpResult> {
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
      await scoped.audit(result.status === 'published' ? 'article.corrected' : 'article.updated', { articleId: id, version: result.version });
      return jsonResponse(200, result, { etag: `"${result.version}"` });
    }
    case 'DELETE': {
      // No body: a takedown. `{"purge": true, "reason": "…"}`: a legal takedown that keeps no copy.
      // It records its own audit entries: the takedown as soon as it is committed, the purge once done.
      const result = await takeDownArticle(id, principal, scoped, event.body ? parseTakedownRequest(readJsonBody(event)) : undefined);
      return jsonResponse(200, result);
    }
    default:
      return methodNotAllowed('GET, PUT, DELETE');
  }
}

/** `POST /api/media`: a presigned upload for one photo. */
async function media(event: HttpEvent, principal: Principal, scoped: Scoped): Promise<HttpResult> {
  if (event.requestContext.http.method !== 'POST') return methodNotAllowed('POST');
  const ticket = await requestUpload(readJsonBody(event), principal, scoped);
  await scoped.audit('media.upload-requested', { mediaId: ticket.id });
  return jsonResponse(201, ticket, { location: `/api/media/${ticket.id}` });
}

/** `GET /api/media/<id>`: processing status and renditions. Someone else's upload is not found, as on S3. */
async function mediaItem(id: string, event: HttpEvent, principal: Principal, scoped: Scoped): Promise<HttpResult> {
  if (event.requestContext.http.method !== 'GET') return methodNotAllowed('GET');
  const record = await scoped.mediaRecords.get(id);
  if (!record || (!ownsUpload(principal, record) && principal.role !== 'editor')) throw new NotFoundError(`No upload ${id} of yours.`);
  return jsonResponse(200, mediaView(record, scoped.urls));
}

/** `POST /api/render`: the page a submission would publish as, for the newsroom's live preview; stores nothing. */
async function render(event: HttpEvent, principal: Principal, scoped: Scoped): Promise<HttpResult> {
  if (event.requestContext.http.method !== 'POST') return methodNotAllowed('POST');
  const page = await renderPreview(readJsonBody(event), principal, scoped);
  return htmlResponse(200, page, { 'cache-control': 'private, no-store', 'x-robots-tag': 'noindex, nofollow' });
}

/** `GET /api/me`: the person the key speaks for (and which of their keys it is), so the newsroom can show the buttons of its role. */
function me(event: HttpEvent, principal: Principal, scoped: Scoped): HttpResult {
  if (event.requestContext.http.method !== 'GET') return methodNotAllowed('GET');
  return jsonResponse(200, { personId: principal.personId, keyId: principal.keyId, name: principal.name, role: principal.role, reviewRequired: scoped.reviewRequired });
}

/** `/api/people`: editors list everyone and add people. */
async function peopleRoute(event: HttpEvent, principal: Principal, scoped: Scoped): Promise<HttpResult> {
  const method = event.requestContext.http.method;
  if (method === 'GET') return jsonResponse(200, await listPeople(event.queryStringParameters ?? {}, principal, scoped));
  if (method !== 'POST') return methodNotAllowed('GET, POST');
  const person = await createPerson(readJsonBody(event), principal, scoped);
  return jsonResponse(201, person, { location: `/api/people/${person.id}/keys` });
}

/** `/api/people/<id>/keys[/<key id>[/rotate]]`: editors list, issue, revoke and rotate anyone's keys. */
async function personKeys(route: Extract<Route, { kind: 'personKeys' }>, event: HttpEvent, principal: Principal, scoped: Scoped): Promise<HttpResult> {
  const method = event.requestContext.http.method;
  if (route.keyId === undefined) {
    if (method === 'GET') return jsonResponse(200, await listKeys(route.personId, principal, scoped));
    if (method === 'POST') return jsonResponse(201, await createKey(route.personId, optionalJsonBody(event), principal, scoped));
    return methodNotAllowed('GET, POST');
  }
  if (route.rotate) return method === 'POST' ? jsonResponse(201, await rotateKey(route.personId, route.keyId, principal, scoped)) : methodNotAllowed('POST');
  return method === 'DELETE' ? jsonResponse(200, await revokeKey(route.personId, route.keyId, principal, scoped)) : methodNotAllowed('DELETE');
}

/** `/api/me/keys[/<key id>/rotate]`: anyone lists and rotates their own keys. */
async function myKeys(keyId: string | undefined, event: HttpEvent, principal: Principal, scoped: Scoped): Promise<HttpResult> {
  const method = event.requestContext.http.method;
  if (keyId === undefined) return method === 'GET' ? jsonResponse(200, await listKeys(principal.personId, principal, scoped)) : methodNotAllowed('GET');
  return method === 'POST' ? jsonResponse(201, await rotateKey(principal.personId, keyId, principal, scoped)) : methodNotAllowed('POST');
}

/** `GET /api/audit?articleId=&cursor=`: who wrote what, newest first; editors only. */
async function audit(event: HttpEvent, principal: Principal, scoped: Scoped): Promise<HttpResult> {
  if (event.requestContext.http.method !== 'GET') return methodNotAllowed('GET');
  return jsonResponse(200, await listAudit(event.queryStringParameters ?? {}, principal, scoped));
}

/**
 * Whether the per-person write limit counts this request: a write the route accepts. Not a method
 * it refuses (405), not a read, not the live preview (it stores nothing), and not an editor's key
 * revocation, so revoking every key in an incident is never refused.
 */
function countedWrite(route: Route, method: string, principal: Principal): boolean {
  switch (route.kind) {
    case 'articles':
    case 'media':
    case 'people':
      return method === 'POST';
    case 'article':
      return method === 'PUT' || method === 'DELETE';
    case 'articleAction':
      if (route.action === 'preview') return method === 'POST' || method === 'DELETE';
      return (route.action === 'publish' || route.action === 'return') && method === 'POST';
    case 'person':
      return method === 'DELETE';
    case 'personKeys':
      if (route.keyId === undefined || route.rotate) return method === 'POST';
      return method === 'DELETE' && principal.role !== 'editor';
    case 'myKeys':
      return route.keyId !== undefined && method === 'POST';
    case 'preview':
    case 'mediaItem':
    case 'audit':
    case 'render':
    case 'me':
      return false;
    default:
      return assertNever(route);
  }
}

/** Refuses a write over the person's limit with 429 and when to retry. */
async function admitWrite(route: Route, event: HttpEvent, principal: Principal): Promise<void> {
  if (!countedWrite(route, event.requestContext.http.method, principal)) return;
  const now = new Date();
  const decision = await writeLimiter.admit(principal.personId, now);
  if (decision.admitted) return;
  const at = new Date(now.getTime() + decision.retryAfterSeconds * 1000).toISOString();
  throw new TooManyRequestsError(
    `You made ${rateLimit.writesPerWindow} changes within ${rateLimit.windowSeconds} seconds, the limit per person; retry in ${decision.retryAfterSeconds} seconds (at ${at}).`,
    decision.retryAfterSeconds,
  );
}

/**
 * HTTP API (payload v2) handler for `/api/*`. Every answer names its request (`x-request-id`): the
 * id its log lines and audit entries carry, for a reporter to quote.
 */
export async function handler(event: HttpEvent): Promise<HttpResult> {
  const requestId = event.requestContext?.requestId;
  const result = await answer(event, requestId);
  return requestId ? { ...result, headers: { ...result.headers, 'x-request-id': requestId } } : result;
}

async function answer(event: HttpEvent, requestId: string | undefined): Promise<HttpResult> {
  try {
    const refused = await origin.refuse(event);
    if (refused) return refused;
    const path = event.rawPath;
    const route = routeOf(path);
    if (!route) throw new NotFoundError(`No API route ${event.requestContext.http.method} ${path}. Submit articles with POST /api/articles, photos with POST /api/media.`);
    // The preview link is its own credential: whoever holds it may read the page, and nothing else.
    if (route.kind === 'preview') return await preview(route.id, route.token, event, { ...deps, logger: logger.child({ requestId }) });
    const requestLogger = logger.child({ requestId });
    const principal = await authenticate(header(event, 'authorization'), { people, logger: requestLogger });
    await admitWrite(route, event, principal);
    const scopedLogger = requestLogger.child({ personId: principal.personId, keyId: principal.keyId });
    const scoped = { ...deps, logger: scopedLogger, audit: auditorFor(deps.auditTrail, principal, requestId ?? 'unknown', scopedLogger) };
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
      case 'people':
        return await peopleRoute(event, principal, scoped);
      case 'person':
        return event.requestContext.http.method === 'DELETE' ? jsonResponse(200, await disablePerson(route.personId, principal, scoped)) : methodNotAllowed('DELETE');
      case 'personKeys':
        return await personKeys(route, event, principal, scoped);
      case 'myKeys':
        return await myKeys(route.keyId, event, principal, scoped);
      case 'audit':
        return await audit(event, principal, scoped);
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
