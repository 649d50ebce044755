import { readConfig } from '../shared/config.js';
import { NotFoundError } from '../shared/errors.js';
import { errorResponse, header, jsonResponse, readJsonBody, type HttpEvent, type HttpResult } from '../shared/http/responses.js';
import { createLogger } from '../shared/log.js';
import { authenticate } from '../shared/publishing/authenticate.js';
import { checkIdempotencyKey } from '../shared/publishing/idempotency.js';
import { publishArticle } from '../shared/publishing/publish-article.js';
import { createDynamoDbClient, createS3Client } from '../shared/storage/clients.js';
import { DynamoDbArticleStore } from '../shared/storage/dynamodb-article-store.js';
import { DynamoDbIdempotencyStore } from '../shared/storage/dynamodb-idempotency-store.js';
import { DynamoDbKeyStore } from '../shared/storage/dynamodb-key-store.js';
import { S3MediaStore, S3SiteStore } from '../shared/storage/s3-stores.js';

// Created once per Lambda instance, reused by every invocation.
const config = readConfig();
const dynamodb = createDynamoDbClient();
const s3 = createS3Client();
const logger = createLogger({ function: 'api' });
const keyStore = new DynamoDbKeyStore(dynamodb, config.tableName);
const deps = {
  articles: new DynamoDbArticleStore(dynamodb, config.tableName),
  media: new S3MediaStore(s3, config.mediaBucket),
  site: new S3SiteStore(s3, config.siteBucket),
  idempotency: new DynamoDbIdempotencyStore(dynamodb, config.tableName),
  urls: { publicBaseUrl: config.publicBaseUrl },
  logger,
};

/** HTTP API (payload v2) handler for `/api/*`. */
export async function handler(event: HttpEvent): Promise<HttpResult> {
  const requestId = event.requestContext?.requestId;
  try {
    const method = event.requestContext.http.method;
    const path = event.rawPath;
    if (path === '/api/articles' || path === '/api/articles/') {
      if (method !== 'POST') return jsonResponse(405, { error: { code: 'method_not_allowed', message: 'Use POST to submit an article.', fields: [] } }, { allow: 'POST' });
      const principal = await authenticate(header(event, 'authorization'), keyStore);
      const idempotencyKey = header(event, 'idempotency-key');
      const { replayed, ...result } = await publishArticle(
        readJsonBody(event),
        principal,
        { ...deps, logger: logger.child({ requestId, keyId: principal.keyId }) },
        idempotencyKey === undefined ? undefined : checkIdempotencyKey(idempotencyKey),
      );
      return jsonResponse(201, result, { location: result.url, ...(replayed ? { 'idempotent-replayed': 'true' } : {}) });
    }
    throw new NotFoundError(`No API route ${method} ${path}. Submit articles with POST /api/articles.`);
  } catch (error) {
    return errorResponse(error, logger, requestId);
  }
}
