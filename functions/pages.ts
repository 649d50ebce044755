import { readConfig } from '../shared/config.js';
import { htmlResponse, type HttpEvent, type HttpResult } from '../shared/http/responses.js';
import { createLogger } from '../shared/log.js';
import { renderNotFoundPage } from '../shared/render/status-pages.js';

const config = readConfig();
const logger = createLogger({ function: 'pages', table: config.tableName });

/**
 * Pages computed from DynamoDB (index pages, feeds, sitemaps) and the 404/410 pages. CloudFront
 * asks this function whenever the site bucket has no object for a path.
 */
export async function handler(event: HttpEvent): Promise<HttpResult> {
  logger.debug('page miss', { path: event.rawPath });
  return htmlResponse(404, renderNotFoundPage(), { 'cache-control': 'public, max-age=60' });
}
