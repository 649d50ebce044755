import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { LIMITS } from '../article/limits.js';
import { MalformedRequestError, PayloadTooLargeError, PresslineError, TooManyRequestsError, UnsupportedMediaTypeError, ValidationError } from '../errors.js';
import type { Logger } from '../log.js';
import { SECURITY_HEADERS } from '../render/security-headers.js';

export type HttpEvent = APIGatewayProxyEventV2;
export type HttpResult = APIGatewayProxyStructuredResultV2 & { statusCode: number; headers: Record<string, string> };

export function jsonResponse(statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResult {
  return {
    statusCode,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', ...headers },
    body: JSON.stringify(body),
  };
}

export function htmlResponse(statusCode: number, html: string, headers: Record<string, string> = {}): HttpResult {
  return { statusCode, headers: { 'content-type': 'text/html; charset=utf-8', ...SECURITY_HEADERS, ...headers }, body: html };
}

/** Only the error's safe fields go to the client; anything unexpected is logged and answered with a 500. */
export function errorResponse(error: unknown, logger: Logger, requestId?: string): HttpResult {
  if (error instanceof PresslineError) {
    const fields = error instanceof ValidationError ? error.fields : [];
    const retry: Record<string, string> = error instanceof TooManyRequestsError ? { 'retry-after': String(error.retryAfterSeconds) } : {};
    return jsonResponse(error.status, { error: { code: error.code, message: error.message, fields } }, retry);
  }
  logger.error('unhandled error', { error, requestId });
  return jsonResponse(500, {
    error: {
      code: 'internal_error',
      message: `Something went wrong on our side. Repeat the request: a publish repeated with the same Idempotency-Key resumes instead of publishing twice (send one with every publish), and a correction or takedown completes when repeated. If it keeps failing, quote request ${requestId ?? 'unknown'} to ops.`,
      fields: [],
    },
  });
}

export function header(event: HttpEvent, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [k, v] of Object.entries(event.headers ?? {})) if (k.toLowerCase() === wanted) return v;
  return undefined;
}

/** Strict UTF-8: a malformed byte sequence throws rather than becoming U+FFFD; a leading BOM is kept (and refused by JSON.parse). */
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * The request body as JSON, held to the documented size and content type. JSON text must be UTF-8
 * (RFC 8259): API Gateway hands a body that is not valid UTF-8 to the function base64-encoded, and
 * such a body is refused here rather than decoded with U+FFFD in place of its broken bytes.
 */
export function readJsonBody(event: HttpEvent): unknown {
  const contentType = header(event, 'content-type') ?? '';
  if (!/^application\/json\s*(;|$)/i.test(contentType)) {
    throw new UnsupportedMediaTypeError(`Send the article as JSON with "Content-Type: application/json"; received "${contentType || 'no content type'}".`);
  }
  const raw = event.body ?? '';
  const body = event.isBase64Encoded ? Buffer.from(raw, 'base64') : undefined;
  const bytes = body ? body.length : Buffer.byteLength(raw, 'utf8');
  if (bytes > LIMITS.requestBytes) {
    throw new PayloadTooLargeError(`The request is ${bytes} bytes; the limit is ${LIMITS.requestBytes}. Upload large photos with POST /api/media (up to ${LIMITS.uploadBytes} bytes) and refer to them by leadImage.mediaId; inline photos may be at most ${LIMITS.imageBytes} bytes.`);
  }
  let text = raw;
  if (body) {
    try {
      text = STRICT_UTF8.decode(body);
    } catch {
      throw new MalformedRequestError('The request body is not valid UTF-8; send the JSON encoded as UTF-8.');
    }
  }
  if (text.trim() === '') throw new MalformedRequestError('The request body is empty; send the article as a JSON object.');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    if (error instanceof RangeError) throw new MalformedRequestError('The request body is nested too deeply to read; send a flat JSON object.');
    throw new MalformedRequestError(`The request body is not valid JSON: ${(error as Error).message}`);
  }
}
