import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, buildSync, type BuildOptions, type OutputFile } from 'esbuild';

const SOURCE = join(dirname(fileURLToPath(import.meta.url)), '..', 'newsroom');

/** Where the app lives in the site bucket, and so under the site's origin (`/newsroom/`). */
export const NEWSROOM_KEY_PREFIX = 'newsroom/';

/** The page itself is revalidated on every load, so a deploy reaches everyone at once. */
export const NEWSROOM_PAGE_CACHE_CONTROL = 'no-cache';
/** Script and stylesheet are named by their content's hash: a new build has new names. */
export const NEWSROOM_ASSET_CACHE_CONTROL = 'public, max-age=31536000, immutable';

export interface NewsroomFile {
  /** Key in the site bucket, e.g. `newsroom/app.3f9c2a1b7d.js`. */
  key: string;
  body: Uint8Array;
  contentType: string;
  cacheControl: string;
}

const hashed = (name: string, ext: string, body: Uint8Array) => `${name}.${createHash('sha256').update(body).digest('hex').slice(0, 12)}.${ext}`;

/** Which browsers the app is written for: what evergreen browsers have had for years. */
const BROWSER_TARGETS = ['chrome109', 'firefox115', 'safari15.6', 'edge109'];

export interface NewsroomBuildOptions {
  /**
   * The IANA time zone the newsroom schedules in (`Europe/London`): "Publish at" is read and shown
   * in it, beside UTC. Unset, each browser's own zone is used.
   */
  timeZone?: string | undefined;
}

/** The newsroom's time zone from `PRESSLINE_NEWSROOM_TIME_ZONE` (npm start) or `-c newsroomTimeZone` (the stack). */
export const NEWSROOM_TIME_ZONE_ENV = 'PRESSLINE_NEWSROOM_TIME_ZONE';

/** Refuses a zone no browser knows, so a typo fails the build instead of every schedule. */
export function checkTimeZone(timeZone: string): string {
  try {
    return new Intl.DateTimeFormat('en', { timeZone }).resolvedOptions().timeZone;
  } catch {
    throw new Error(`"${timeZone}" is not an IANA time zone such as Europe/London or America/New_York (set ${NEWSROOM_TIME_ZONE_ENV} or -c newsroomTimeZone)`);
  }
}

const buildOptions = (options: NewsroomBuildOptions): BuildOptions & { write: false } => ({
  entryPoints: { app: join(SOURCE, 'main.ts'), style: join(SOURCE, 'app.css') },
  bundle: true,
  write: false,
  outdir: '/newsroom-build',
  format: 'esm',
  platform: 'browser',
  target: BROWSER_TARGETS,
  minify: true,
  legalComments: 'none',
  logLevel: 'silent',
  define: { __NEWSROOM_TIME_ZONE__: JSON.stringify(options.timeZone ? checkTimeZone(options.timeZone) : '') },
});

function filesOf(outputs: readonly OutputFile[]): NewsroomFile[] {
  const output = (ext: string) => {
    const file = outputs.find((f) => f.path.endsWith(`.${ext}`));
    if (!file) throw new Error(`the newsroom build made no .${ext} file`);
    return file.contents;
  };
  const script = output('js');
  const style = output('css');
  const scriptName = hashed('app', 'js', script);
  const styleName = hashed('app', 'css', style);
  const page = readFileSync(join(SOURCE, 'index.html'), 'utf8').replace('app.css', styleName).replace('app.js', scriptName);
  return [
    { key: `${NEWSROOM_KEY_PREFIX}index.html`, body: Buffer.from(page), contentType: 'text/html; charset=utf-8', cacheControl: NEWSROOM_PAGE_CACHE_CONTROL },
    { key: NEWSROOM_KEY_PREFIX + scriptName, body: script, contentType: 'text/javascript; charset=utf-8', cacheControl: NEWSROOM_ASSET_CACHE_CONTROL },
    { key: NEWSROOM_KEY_PREFIX + styleName, body: style, contentType: 'text/css; charset=utf-8', cacheControl: NEWSROOM_ASSET_CACHE_CONTROL },
  ];
}

/**
 * Builds the newsroom app (newsroom/) into its three files: `index.html`, and the script and
 * stylesheet it links, named by hash. Nothing inline, so the page runs under `script-src 'self'`
 * with no `unsafe-inline`. Used by `npm start` (into the local site bucket) and by the stack
 * (a BucketDeployment of the same files, built synchronously as constructs are).
 */
export async function buildNewsroom(options: NewsroomBuildOptions = {}): Promise<NewsroomFile[]> {
  return filesOf((await build(buildOptions(options))).outputFiles);
}

export function buildNewsroomSync(options: NewsroomBuildOptions = {}): NewsroomFile[] {
  return filesOf(buildSync(buildOptions(options)).outputFiles);
}

/** Writes the built files under `folder` by their keys (the stack deploys that folder). */
export function writeNewsroom(files: readonly NewsroomFile[], folder: string): void {
  rmSync(folder, { recursive: true, force: true });
  for (const file of files) {
    const path = join(folder, file.key);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, file.body);
  }
}
