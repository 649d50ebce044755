import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { isUtf8 } from 'node:buffer';
import type { HttpEvent, HttpResult } from '../../shared/http/responses.js';

/**
 * The path API Gateway (HTTP API) hands a function as `rawPath`, from the path a request arrived
 * with: decoded for routing, cut at a `?` that decoding produced, then decoded once more. A path
 * with a malformed escape (`%` without two hex digits) at either step never reaches the function:
 * API Gateway answers 400. So `/tags/%D8%BA%D8%B2%D8%A9/` arrives as `/tags/غزة/`, `%252F` as `/`,
 * and `/tags/100%25/` not at all ("100%/" is malformed). This is what live captures of a deployed
 * HTTP API show (REST APIs, function URLs and load balancers keep the encoding instead). Bytes
 * that are not UTF-8 become U+FFFD, as common URL decoders do (the captures have no such case).
 */
export function apiGatewayRawPath(wirePath: string): string | undefined {
  const routed = decode(wirePath);
  if (routed === undefined) return undefined;
  const question = routed.indexOf('?');
  return decode(question === -1 ? routed : routed.slice(0, question));
}

function decode(path: string): string | undefined {
  if (/%(?![0-9A-Fa-f]{2})/.test(path)) return undefined;
  return path.replace(/(?:%[0-9A-Fa-f]{2})+/g, (escapes) => Buffer.from(escapes.replace(/%/g, ''), 'hex').toString('utf8'));
}

/**
 * Lambda's limit on a synchronous invocation's request: the whole event as JSON, 6 MiB. API
 * Gateway's own limit on a request body is 10 MiB (`API_GATEWAY_MAX_BODY_BYTES`).
 */
export const LAMBDA_MAX_EVENT_BYTES = 6 * 1024 * 1024;
export const API_GATEWAY_MAX_BODY_BYTES = 10 * 1024 * 1024;

/** What API Gateway answers itself, before (or instead of) invoking a function. */
export function apiGatewayError(statusCode: 400 | 413): HttpResult {
  const message = statusCode === 400 ? 'Bad Request' : 'Request Entity Too Large';
  return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message }) };
}

/**
 * Builds the API Gateway HTTP API (payload 2.0) event that AWS would hand the same handler, for a
 * request whose path API Gateway turned into `rawPath` (see `apiGatewayRawPath`). As API Gateway
 * does, a body is passed as text only when its content type is textual and its bytes are valid
 * UTF-8; otherwise it is base64-encoded with `isBase64Encoded: true`.
 */
export function toHttpApiEvent(req: IncomingMessage, body: Buffer, routeKey: string, rawPath: string): HttpEvent {
  const target = req.url ?? '/';
  const query = target.includes('?') ? target.slice(target.indexOf('?') + 1) : '';
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  const contentType = headers['content-type'] ?? '';
  // A text body reaches the function as a string only if it is valid UTF-8; any other body is base64, so no byte is lost to U+FFFD.
  const isText = body.length === 0 || (/^(text\/|application\/(json|x-www-form-urlencoded|xml))/i.test(contentType) && isUtf8(body));
  const pathParameters = greedyParameter(routeKey, rawPath);
  const now = Date.now();
  return {
    version: '2.0',
    routeKey,
    rawPath,
    rawQueryString: query,
    ...(query ? { queryStringParameters: queryParameters(query) } : {}),
    headers,
    ...(pathParameters ? { pathParameters } : {}),
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'local',
      http: {
        method: req.method ?? 'GET',
        path: rawPath,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey,
      stage: '$default',
      time: new Date(now).toUTCString(),
      timeEpoch: now,
    },
    ...(body.length ? { body: isText ? body.toString('utf8') : body.toString('base64') } : {}),
    isBase64Encoded: body.length > 0 && !isText,
  };
}

/** `{proxy+}` of a route such as `GET /s/{proxy+}`: the rest of the path after the route's prefix. */
function greedyParameter(routeKey: string, rawPath: string): Record<string, string> | undefined {
  const template = routeKey.split(' ')[1] ?? '';
  if (!template.endsWith('{proxy+}')) return undefined;
  const prefix = template.slice(0, -'{proxy+}'.length);
  return rawPath.startsWith(prefix) && rawPath.length > prefix.length ? { proxy: rawPath.slice(prefix.length) } : undefined;
}

/** Decoded values; a repeated parameter's values joined by commas, as payload 2.0 gives them. */
function queryParameters(query: string): Record<string, string> {
  const parameters = new Map<string, string>();
  for (const [name, value] of new URLSearchParams(query)) parameters.set(name, parameters.has(name) ? `${parameters.get(name)},${value}` : value);
  return Object.fromEntries(parameters);
}
