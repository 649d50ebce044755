import { assertNever } from '../shared/assert-never.js';
import { HANDLER_SETTINGS, readConfig } from '../shared/config.js';
import { LISTING_CACHE_CONTROL, MISS_CACHE_CONTROL } from '../shared/http/cache-control.js';
import { htmlResponse, type HttpEvent, type HttpResult } from '../shared/http/responses.js';
import { originGuard, originSecretValues } from '../shared/http/origin-secret.js';
import { createLogger } from '../shared/log.js';
import { parsePagePath } from '../shared/reader/page-routes.js';
import { serveReaderPage, type ReaderAnswer } from '../shared/reader/serve-reader-page.js';
import { renderGonePage, renderNotFoundPage, renderUnavailablePage } from '../shared/render/status-pages.js';
import { createDynamoDbClient } from '../shared/storage/clients.js';
import { DynamoDbArticlePathLookup } from '../shared/storage/dynamodb-article-path-lookup.js';
import { DynamoDbListingStore } from '../shared/storage/dynamodb-listing-store.js';

const config = readConfig(HANDLER_SETTINGS.pages);
const logger = createLogger({ function: 'pages' });
const dynamodb = createDynamoDbClient();
const origin = originGuard(originSecretValues(), logger);
const deps = {
  listings: new DynamoDbListingStore(dynamodb, config.tableName),
  articles: new DynamoDbArticlePathLookup(dynamodb, config.tableName),
  urls: { publicBaseUrl: config.publicBaseUrl },
};

const REDIRECT_CACHE_CONTROL = 'public, max-age=3600';
const ICON_CACHE_CONTROL = 'public, max-age=604800';

const CONTENT_TYPES = {
  rss: 'application/rss+xml; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
  sitemap: 'application/xml; charset=utf-8',
  text: 'text/plain; charset=utf-8',
} as const;

// Rendered once: these pages never change while the function lives.
const notFoundPage = renderNotFoundPage();
const gonePage = renderGonePage();
const unavailablePage = renderUnavailablePage();

function plain(contentType: string, body: string): HttpResult {
  return { statusCode: 200, headers: { 'content-type': contentType, 'cache-control': LISTING_CACHE_CONTROL, 'x-content-type-options': 'nosniff' }, body };
}

function toHttp(answer: ReaderAnswer): HttpResult {
  switch (answer.kind) {
    case 'page':
      return htmlResponse(200, answer.body, { 'cache-control': LISTING_CACHE_CONTROL });
    case 'feed':
      return plain(CONTENT_TYPES[answer.format], answer.body);
    case 'sitemap':
      return plain(CONTENT_TYPES.sitemap, answer.body);
    case 'text':
      return plain(CONTENT_TYPES.text, answer.body);
    case 'icon':
      return {
        statusCode: 200,
        headers: { 'content-type': 'image/png', 'cache-control': ICON_CACHE_CONTROL, 'x-content-type-options': 'nosniff' },
        body: answer.body.toString('base64'),
        isBase64Encoded: true,
      };
    case 'redirect':
      return { statusCode: 301, headers: { location: answer.location, 'cache-control': REDIRECT_CACHE_CONTROL, 'content-type': CONTENT_TYPES.text }, body: '' };
    case 'not-found':
      return htmlResponse(404, notFoundPage, { 'cache-control': MISS_CACHE_CONTROL });
    case 'gone':
      return htmlResponse(410, gonePage, { 'cache-control': MISS_CACHE_CONTROL });
    default:
      return assertNever(answer);
  }
}

/**
 * Every path the site bucket has no object for (CloudFront's origin failover, and the local
 * runtime's fallback): index pages, feeds, sitemaps, robots.txt, 404 and 410.
 */
export async function handler(event: HttpEvent): Promise<HttpResult> {
  const route = parsePagePath(event.rawPath);
  try {
    const refused = await origin.refuse(event);
    if (refused) return refused;
    return toHttp(await serveReaderPage(route, deps));
  } catch (error) {
    logger.error('page failed', { path: event.rawPath, route: route.kind, error, requestId: event.requestContext?.requestId });
    return htmlResponse(503, unavailablePage, { 'cache-control': 'no-store', 'retry-after': '10' });
  }
}
