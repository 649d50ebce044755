import { HANDLER_SETTINGS, readConfig } from '../shared/config.js';
import { GoneError, NotFoundError } from '../shared/errors.js';
import { MISS_CACHE_CONTROL } from '../shared/http/cache-control.js';
import { errorResponse, htmlResponse, type HttpEvent, type HttpResult } from '../shared/http/responses.js';
import { originGuard, originSecretValues } from '../shared/http/origin-secret.js';
import { createLogger } from '../shared/log.js';
import { resolveShortLink } from '../shared/publishing/resolve-short-link.js';
import { renderGonePage, renderNotFoundPage } from '../shared/render/status-pages.js';
import { createDynamoDbClient } from '../shared/storage/clients.js';
import { coalesceReads, DynamoDbShortLinkStore } from '../shared/storage/dynamodb-short-link-store.js';

const config = readConfig(HANDLER_SETTINGS.redirect);
const logger = createLogger({ function: 'redirect' });
// The short-link store alone (not the article store) keeps zod and the article schema out of this bundle.
const links = coalesceReads(new DynamoDbShortLinkStore(createDynamoDbClient(), config.tableName));
const urls = { publicBaseUrl: config.publicBaseUrl };
const origin = originGuard(originSecretValues(), logger);

/** Browsers keep the 301 an hour, the edge a day; a takedown invalidates `/s/<code>` at CloudFront. */
export const SHORT_LINK_CACHE_CONTROL = 'public, max-age=3600, s-maxage=86400';

// Rendered once: these pages never change while the function lives.
const notFoundPage = renderNotFoundPage();
const gonePage = renderGonePage();

/** `GET /s/<code>` → 301 to the article, 404 for an unknown code, 410 for a removed article. */
export async function handler(event: HttpEvent): Promise<HttpResult> {
  // From the path, not a route parameter: `/s/abc/` (a link copied with a slash) is the same code.
  const code = event.rawPath.replace(/^\/s\//, '').replace(/\/$/, '');
  try {
    const refused = await origin.refuse(event);
    if (refused) return refused;
    const location = await resolveShortLink(code, links, urls);
    return { statusCode: 301, headers: { location, 'cache-control': SHORT_LINK_CACHE_CONTROL, 'content-type': 'text/plain; charset=utf-8' }, body: '' };
  } catch (error) {
    if (error instanceof NotFoundError) return htmlResponse(404, notFoundPage, { 'cache-control': MISS_CACHE_CONTROL });
    if (error instanceof GoneError) return htmlResponse(410, gonePage, { 'cache-control': MISS_CACHE_CONTROL });
    return errorResponse(error, logger, event.requestContext?.requestId);
  }
}
