/**
 * The newsroom's only way to the API. The key lives in this module's variable and nowhere else:
 * no cookie, no localStorage or sessionStorage, so it is gone when the tab is closed or reloaded,
 * and no other page or script of the site can read it.
 */
let apiKey: string | undefined;

export function useKey(key: string | undefined): void {
  apiKey = key;
}

/** Told when the API no longer accepts the key it was given (revoked or rotated mid-session). */
let keyRefused: (error: ApiError) => void = () => undefined;

export function onKeyRefused(listener: (error: ApiError) => void): void {
  keyRefused = listener;
}

/** One problem the API found, at the dotted path of the field it names (`headline`, `leadImage.alt`). */
export interface FieldProblem {
  path: string;
  rule: string;
  message: string;
}

/** An answer other than 2xx, with the API's message, field problems and the id its logs carry (`x-request-id`). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly fields: FieldProblem[] = [],
    readonly requestId?: string,
  ) {
    super(message);
  }
}

export const KEY_NO_LONGER_ACCEPTED = 'Your key is no longer accepted: sign in again.';

/**
 * What to tell a person about a failure: a refused key plainly, anything else in the API's words;
 * with the request id, so a reporter can quote it to whoever reads the logs.
 */
export function problemText(error: unknown): string {
  if (!(error instanceof ApiError)) return error instanceof Error ? error.message : String(error);
  return withRequestId(error.status === 401 ? KEY_NO_LONGER_ACCEPTED : error.message, error);
}

/** `message (request id …)` when the error is the API's answer and names its request. */
export function withRequestId(message: string, error: unknown): string {
  return error instanceof ApiError && error.requestId ? `${message} (request id ${error.requestId})` : message;
}

export type Role = 'reporter' | 'editor';

export interface Me {
  personId: string;
  keyId: string;
  name: string;
  role: Role;
  reviewRequired?: boolean;
}

export type ArticleStatus = 'draft' | 'submitted' | 'scheduled' | 'published' | 'removed';

/** What every change answers. */
export interface Outcome {
  id: string;
  version: number;
  status: ArticleStatus;
  url?: string;
  shortUrl?: string;
  previewUrl?: string;
}

export interface StoredArticle {
  id: string;
  version: number;
  status: ArticleStatus;
  path: string;
  shortCode: string;
  headline: string;
  standfirst?: string;
  section: string;
  byline?: string;
  language: string;
  tags: string[];
  body: string;
  publishedAt: string;
  requestedPublishedAt?: string;
  leadImage?: { mediaId: string; alt: string; caption: string; credit: string; renditions: Array<{ key: string; format: string; width: number }> };
  corrections?: Array<{ at: string; note: string }>;
}

export interface DeskLine {
  id: string;
  headline: string;
  status: ArticleStatus;
  section: string;
  version: number;
  publishedAt: string;
  updatedAt: string;
  createdBy: { name: string };
  url?: string;
  previewUrl?: string;
}

export interface MediaStatus {
  id: string;
  status: 'processing' | 'ready' | 'rejected';
  reason?: string;
  width?: number;
  height?: number;
  renditions?: Array<{ url: string; format: string; width: number }>;
}

export interface UploadTicket {
  id: string;
  upload: { url: string; fields: Record<string, string> };
}

interface ErrorBody {
  error?: { code?: string; message?: string; fields?: Array<{ path?: string; rule?: string; message?: string }> };
}

async function failure(response: Response): Promise<ApiError> {
  const body = (await response.json().catch(() => ({}))) as ErrorBody;
  const fields = (body.error?.fields ?? []).map((f) => ({ path: f.path ?? '', rule: f.rule ?? '', message: f.message ?? '' }));
  return new ApiError(response.status, body.error?.message ?? `The API answered ${response.status}.`, fields, response.headers.get('x-request-id') ?? undefined);
}

interface Call {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  body?: unknown;
  ifMatch?: number;
}

async function send(path: string, call: Call): Promise<Response> {
  const headers: Record<string, string> = {};
  if (apiKey) headers.authorization = `Bearer ${apiKey}`;
  if (call.body !== undefined) headers['content-type'] = 'application/json';
  if (call.ifMatch !== undefined) headers['if-match'] = `"${call.ifMatch}"`;
  const response = await fetch(`/api/${path}`, {
    method: call.method ?? 'GET',
    headers,
    ...(call.body !== undefined ? { body: JSON.stringify(call.body) } : {}),
    credentials: 'omit',
    cache: 'no-store',
  });
  if (response.ok) return response;
  const error = await failure(response);
  if (response.status === 401 && apiKey) keyRefused(error);
  throw error;
}

async function json<T>(path: string, call: Call = {}): Promise<T> {
  return (await (await send(path, call)).json()) as T;
}

export const api = {
  me: () => json<Me>('me'),
  list: (status: string, cursor?: string) => {
    const query = new URLSearchParams();
    if (status) query.set('status', status);
    if (cursor) query.set('cursor', cursor);
    const text = query.toString();
    return json<{ articles: DeskLine[]; nextCursor?: string }>(`articles${text ? `?${text}` : ''}`);
  },
  get: (id: string) => json<StoredArticle>(`articles/${id}`),
  create: (submission: unknown) => json<Outcome>('articles', { method: 'POST', body: submission }),
  update: (id: string, version: number, submission: unknown) => json<Outcome>(`articles/${id}`, { method: 'PUT', body: submission, ifMatch: version }),
  publish: (id: string, version: number) => json<Outcome>(`articles/${id}/publish`, { method: 'POST', ifMatch: version }),
  returnToReporter: (id: string, version: number, note: string) => json<Outcome>(`articles/${id}/return`, { method: 'POST', body: { note }, ifMatch: version }),
  takeDown: (id: string, reason: string) => json<{ id: string; version: number }>(`articles/${id}`, { method: 'DELETE', body: { reason } }),
  render: async (submission: unknown) => (await send('render', { method: 'POST', body: submission })).text(),
  requestUpload: (file: File) => json<UploadTicket>('media', { method: 'POST', body: { contentType: file.type, contentLength: file.size, filename: file.name } }),
  media: (id: string) => json<MediaStatus>(`media/${id}`),
};
