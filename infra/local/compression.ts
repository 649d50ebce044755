import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

/**
 * The local runtime compresses what CloudFront compresses ("Serving compressed files" in the
 * CloudFront Developer Guide), so `npm start` sends the bytes a reader gets through the CDN: only
 * these content types, only bodies of 1,000 to 10,000,000 bytes, never a response the origin
 * already encoded, Brotli when the viewer takes both, nothing for an HTTP/1.0 request.
 * `application/atom+xml` is not on CloudFront's list, so Atom feeds go uncompressed there and here.
 */
const COMPRESSIBLE_TYPES = new Set([
  'application/dash+xml',
  'application/eot',
  'application/font',
  'application/font-sfnt',
  'application/javascript',
  'application/json',
  'application/opentype',
  'application/otf',
  'application/pkcs7-mime',
  'application/protobuf',
  'application/rss+xml',
  'application/truetype',
  'application/ttf',
  'application/vnd.apple.mpegurl',
  'application/vnd.ms-fontobject',
  'application/xhtml+xml',
  'application/xml',
  'application/x-font-opentype',
  'application/x-font-truetype',
  'application/x-font-ttf',
  'application/x-httpd-cgi',
  'application/x-javascript',
  'application/x-mpegurl',
  'application/x-opentype',
  'application/x-otf',
  'application/x-perl',
  'application/x-ttf',
  'font/eot',
  'font/opentype',
  'font/otf',
  'font/ttf',
  'image/svg+xml',
  'text/css',
  'text/csv',
  'text/html',
  'text/javascript',
  'text/js',
  'text/plain',
  'text/richtext',
  'text/tab-separated-values',
  'text/xml',
  'text/x-component',
  'text/x-java-source',
  'text/x-script',
  'vnd.apple.mpegurl',
]);

export const MIN_COMPRESSED_BYTES = 1_000;
export const MAX_COMPRESSED_BYTES = 10_000_000;

export type ContentCoding = 'br' | 'gzip';

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/** The codings a request's Accept-Encoding allows: listed, and not refused with `q=0`. */
function acceptedCodings(acceptEncoding: string | undefined): Set<string> {
  const accepted = new Set<string>();
  for (const entry of (acceptEncoding ?? '').split(',')) {
    const [name, ...params] = entry.split(';').map((part) => part.trim().toLowerCase());
    if (!name) continue;
    const q = params.find((param) => param.startsWith('q='));
    if (q === undefined || Number(q.slice(2)) > 0) accepted.add(name);
  }
  return accepted;
}

function header(headers: Record<string, string>, name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === name) return value;
  return undefined;
}

/** Which coding CloudFront would answer with, or undefined for the body as it is. */
export function chooseCoding(request: { acceptEncoding: string | undefined; httpVersion: string }, headers: Record<string, string>, bodyBytes: number): ContentCoding | undefined {
  if (request.httpVersion === '1.0') return undefined;
  if (header(headers, 'content-encoding') !== undefined) return undefined;
  if (bodyBytes < MIN_COMPRESSED_BYTES || bodyBytes > MAX_COMPRESSED_BYTES) return undefined;
  const type = header(headers, 'content-type')?.split(';')[0]?.trim().toLowerCase();
  if (!type || !COMPRESSIBLE_TYPES.has(type)) return undefined;
  const accepted = acceptedCodings(request.acceptEncoding);
  if (accepted.has('br')) return 'br';
  if (accepted.has('gzip')) return 'gzip';
  return undefined;
}

/** CloudFront keeps a weak ETag, weakens a strong one (the bytes differ, the meaning does not) and drops an invalid one. */
function weakenedEtag(etag: string): string | undefined {
  if (etag.startsWith('W/')) return etag;
  return etag.startsWith('"') ? `W/${etag}` : undefined;
}

/**
 * The response as CloudFront would send it to this request: compressed, with `content-encoding`,
 * `vary: accept-encoding` and a weak ETag, when the rules allow; unchanged otherwise.
 * Levels: CloudFront does not publish its own; zlib's default for gzip, and Brotli at 5 rather than
 * Node's default 11, which is meant for compressing once ahead of time, not per response.
 */
export async function compressLikeCloudFront(
  request: { acceptEncoding: string | undefined; httpVersion: string },
  headers: Record<string, string>,
  body: Buffer,
): Promise<{ headers: Record<string, string>; body: Buffer }> {
  const coding = chooseCoding(request, headers, body.length);
  if (!coding) return { headers, body };
  const compressed =
    coding === 'br'
      ? await brotli(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } })
      : await gzipAsync(body);
  const out: Record<string, string> = {};
  let vary: string | undefined;
  for (const [key, value] of Object.entries(headers)) {
    const name = key.toLowerCase();
    if (name === 'content-length') continue;
    if (name === 'vary') vary = value;
    else if (name === 'etag') {
      const etag = weakenedEtag(value);
      if (etag) out[key] = etag;
    } else out[key] = value;
  }
  out['content-encoding'] = coding;
  out.vary = vary && !/\baccept-encoding\b/i.test(vary) ? `${vary}, accept-encoding` : (vary ?? 'accept-encoding');
  return { headers: out, body: compressed };
}
