import { isShortCode } from '../article/short-code.js';
import { GoneError, NotFoundError } from '../errors.js';
import type { SiteUrls } from '../render/site-paths.js';
import type { ShortLinkReader } from '../storage/ports.js';

/** The absolute URL a short code redirects to; 404 for a code that never existed, 410 for a removed article. */
export async function resolveShortLink(code: string, links: ShortLinkReader, urls: SiteUrls): Promise<string> {
  const normalised = code.toLowerCase();
  if (!isShortCode(normalised)) throw new NotFoundError(`No short link "${code}".`);
  const link = await links.getShortLink(normalised);
  if (!link) throw new NotFoundError(`No short link "${code}".`);
  if (link.status === 'removed') throw new GoneError(`The article behind "${code}" was removed.`);
  return urls.publicBaseUrl + link.path;
}
