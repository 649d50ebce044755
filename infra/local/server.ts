import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { GetObjectCommand, NoSuchKey, type S3Client } from '@aws-sdk/client-s3';
import type { HttpEvent, HttpResult } from '../../shared/http/responses.js';
import { SECURITY_HEADERS } from '../../shared/render/security-headers.js';
import { EdgeCache } from './edge-cache.js';
import { compressLikeCloudFront } from './compression.js';
import { toHttpApiEvent } from './http-event.js';

export type HttpHandler = (event: HttpEvent) => Promise<HttpResult>;

export interface LocalSiteOptions {
  api: HttpHandler;
  redirect: HttpHandler;
  pages: HttpHandler;
  s3: S3Client;
  mediaBucket: string;
  siteBucket: string;
  /** The stand-in for CloudFront's cache, shared with whatever else changes articles (the schedule timer). */
  edge?: EdgeCache;
}

/** API Gateway HTTP API's own payload limit; the handler enforces the smaller, documented one. */
const MAX_REQUEST_BYTES = 10 * 1024 * 1024;

class RequestTooLarge extends Error {}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_REQUEST_BYTES) {
        reject(new RequestTooLarge());
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** The bucket key of a URI; undefined for a malformed percent-encoding, which no object can have (S3 answers 404). */
function objectKey(uri: string): string | undefined {
  try {
    return decodeURIComponent(uri).replace(/^\/+/, '');
  } catch {
    return undefined;
  }
}

/** Writes a result as the edge would: compressed like CloudFront, except the API, which CloudFront passes through uncached and so uncompressed. */
async function send(req: IncomingMessage, res: ServerResponse, result: HttpResult, compress: boolean): Promise<void> {
  const raw = result.body === undefined ? Buffer.alloc(0) : Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8');
  const { headers, body } = compress
    ? await compressLikeCloudFront({ acceptEncoding: req.headers['accept-encoding'], httpVersion: req.httpVersion }, result.headers, raw)
    : { headers: result.headers, body: raw };
  res.writeHead(result.statusCode, { ...headers, 'content-length': String(body.length) });
  res.end(req.method === 'HEAD' ? undefined : body);
}

/**
 * Serves one origin routed like the CloudFront distribution: `/api/*` → API handler,
 * `/s/*` → short-link handler (behind a cache that honours its Cache-Control, like the edge), `/media/*` → media bucket, everything else → site bucket
 * (a path ending in `/` serves its `index.html`, as the distribution's viewer-request function does),
 * falling back to the pages handler when the bucket has no such object (CloudFront's origin failover).
 */
export function createLocalServer(options: LocalSiteOptions): Server {
  const edge = options.edge ?? new EdgeCache();

  async function fromBucket(bucket: string, key: string, isPage: boolean): Promise<HttpResult | undefined> {
    try {
      const object = await options.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      const bytes = await object.Body!.transformToByteArray();
      return {
        statusCode: 200,
        headers: {
          'content-type': object.ContentType ?? 'application/octet-stream',
          ...(object.CacheControl ? { 'cache-control': object.CacheControl } : {}),
          ...(object.ETag ? { etag: object.ETag } : {}),
          ...(isPage ? SECURITY_HEADERS : { 'x-content-type-options': 'nosniff' }),
        },
        body: Buffer.from(bytes).toString('base64'),
        isBase64Encoded: true,
      };
    } catch (error) {
      if (error instanceof NoSuchKey || (error as { name?: string }).name === 'NoSuchKey') return undefined;
      throw error;
    }
  }

  async function route(req: IncomingMessage): Promise<HttpResult> {
    const path = new URL(req.url ?? '/', 'http://local').pathname;
    const method = req.method ?? 'GET';
    if (path.startsWith('/api/')) {
      const result = await options.api(toHttpApiEvent(req, await readBody(req), `ANY /api/{proxy+}`));
      if (method !== 'GET' && result.statusCode < 300) edge.purge();
      return result;
    }
    if (method !== 'GET' && method !== 'HEAD') {
      return { statusCode: 405, headers: { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }, body: 'Method not allowed' };
    }
    if (path.startsWith('/s/')) {
      const cached = edge.get(path);
      if (cached) return { ...cached, headers: { ...cached.headers, 'x-cache': 'Hit from local edge' } };
      const result = await options.redirect(toHttpApiEvent(req, Buffer.alloc(0), 'GET /s/{proxy+}', { pathParameters: { proxy: path.slice(3) } }));
      edge.put(path, result);
      return { ...result, headers: { ...result.headers, 'x-cache': 'Miss from local edge' } };
    }
    // Media and pages both fail over to the pages function on a miss, as the distribution's origin
    // groups do, with the URI the viewer function rewrote: `/world/` arrives as `/world/index.html`.
    const media = path.startsWith('/media/');
    const uri = path.endsWith('/') ? `${path}index.html` : path;
    const key = objectKey(uri);
    const object = key === undefined ? undefined : await fromBucket(media ? options.mediaBucket : options.siteBucket, key, !media);
    return object ?? options.pages(toHttpApiEvent(req, Buffer.alloc(0), 'GET /{proxy+}', { rawPath: uri }));
  }

  return createServer((req, res) => {
    route(req)
      .then((result) => send(req, res, result, !new URL(req.url ?? '/', 'http://local').pathname.startsWith('/api/')))
      .catch((error: unknown) => {
        const tooLarge = error instanceof RequestTooLarge;
        if (!tooLarge) console.error(JSON.stringify({ level: 'error', message: 'local router failed', error: String(error) }));
        if (res.headersSent) return res.destroy();
        res.writeHead(tooLarge ? 413 : 502, { 'content-type': 'application/json; charset=utf-8', connection: 'close' });
        res.end(JSON.stringify({ error: { code: tooLarge ? 'payload_too_large' : 'bad_gateway', message: tooLarge ? 'The request is larger than 10 MB.' : 'The local runtime could not answer.', fields: [] } }));
      });
  });
}
