import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { dataDir } from './data-dir.js';
import { OperationError, UsageError } from './errors.js';
import { runningPipelineBaseUrl } from './running-pipeline.js';

export { dataDir };

/** `npm start`'s address: the one running on this data folder, else where it listens by default. */
export const defaultApiBase = (): string => runningPipelineBaseUrl() ?? `http://127.0.0.1:${process.env.PORT ?? 3000}`;

/** The options every command that talks to the API takes: where it is, and machine output. */
export function withApiOptions(command: Command): Command {
  return command
    .option('--api <base URL>', "the site's base URL; the API answers under /api/ (default: the npm start running on $PRESSLINE_DATA_DIR, else http://127.0.0.1:$PORT, port 3000)")
    .option('--json', 'print the API\'s answer as JSON on stdout (for scripts)');
}

export interface ApiTarget {
  /** e.g. `http://127.0.0.1:3000`, no trailing slash. */
  api: string;
  apiKey: string;
}

/** The key: PRESSLINE_API_KEY, else the one `npm start` saved. */
export function apiKey(): string {
  const fromEnv = process.env.PRESSLINE_API_KEY?.trim();
  if (fromEnv) return fromEnv;
  const saved = join(dataDir(), 'local-api-key');
  if (existsSync(saved)) return readFileSync(saved, 'utf8').trim();
  throw new UsageError(`No API key: set PRESSLINE_API_KEY to your key, or start the local pipeline (npm start) so that ${saved} exists.`);
}

export function apiTarget(options: { api?: string }): ApiTarget {
  const api = (options.api ?? defaultApiBase()).replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]/.test(api)) throw new UsageError(`--api must be a base URL such as https://news.example.com or http://127.0.0.1:3000; received "${api}".`);
  return { api, apiKey: apiKey() };
}

const errorBodySchema = z.object({
  error: z.object({ message: z.string().optional(), fields: z.array(z.object({ path: z.string(), rule: z.string(), message: z.string() })).optional() }).optional(),
});

export interface ApiAnswer {
  status: number;
  headers: Headers;
  body: unknown;
}

/** What to do next after the API said no, by status: the API's own message says what was wrong. */
function nextStep(status: number, target: ApiTarget): string {
  if (status === 401) return `Check the key: set PRESSLINE_API_KEY to a valid key (an editor issues one with \`pressline keys create\`), or unset it to use the one npm start saved in ${join(dataDir(), 'local-api-key')}.`;
  if (status === 403) return 'Your key may not do this: ask an editor to do it, or use an editor\'s key.';
  if (status === 404) return 'Check the id: `pressline list` shows the articles your key can see.';
  if (status === 412) return 'Someone changed the article since it was read: run the command again, it reads the current version first.';
  if (status === 400 || status === 422) return 'Fix what is named above and run the command again.';
  if (status === 409) return 'Pick another value and run the command again.';
  if (status === 429) return 'The API is throttling requests: wait a little and run the command again.';
  if (status >= 500) return `The server at ${target.api} failed: run the command again; if it keeps failing, check the server's logs.`;
  return 'Run the command again; if it keeps failing, check the server\'s logs.';
}

/** The one way commands call the API: the key on every request, answers parsed, refusals turned into `OperationError`s that say what to do. */
export class ApiClient {
  constructor(readonly target: ApiTarget) {}

  /** Answers 2xx as parsed JSON; anything else throws an `OperationError`. */
  async request(method: string, path: string, options: { body?: unknown; headers?: Record<string, string> } = {}): Promise<ApiAnswer> {
    const url = `${this.target.api}/api${path}`;
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: {
          authorization: `Bearer ${this.target.apiKey}`,
          ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
          ...options.headers,
        },
        ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
      });
    } catch (error) {
      const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error);
      throw new OperationError(`Could not reach the API at ${this.target.api} (${cause}). Start it with \`npm start\`, or pass --api with your site's base URL.`);
    }
    const text = await response.text();
    let body: unknown = undefined;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text;
    }
    if (response.ok) return { status: response.status, headers: response.headers, body };
    const parsed = errorBodySchema.safeParse(body);
    const error = parsed.success ? parsed.data.error : undefined;
    const fields = error?.fields?.map((f) => `\n  ${f.path || '(request)'}: ${f.message} (${f.rule})`).join('') ?? '';
    throw new OperationError(`${method} ${url} answered ${response.status}: ${error?.message ?? (text.slice(0, 200) || 'no message')}${fields}\n${nextStep(response.status, this.target)}`);
  }
}

/** Prints a value for scripts: one JSON document on stdout. */
export function printJson(value: unknown): void {
  console.log(JSON.stringify(value, null, 2));
}
