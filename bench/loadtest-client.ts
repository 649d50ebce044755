/**
 * The load test's clients, run as their own process (`node --import tsx bench/loadtest-client.ts`)
 * so generating load never shares the event loop of the runtime it loads. Reads one job as JSON on
 * stdin, writes what happened as JSON on stdout: every submission's outcome (for the checks the
 * parent makes against the store) and every request's latency and status by kind.
 *
 * Writers: reporters publishing one submission after another, at most `concurrency` requests in
 * flight (a reporter waiting before a retry holds none), a fifth with a
 * photo uploaded through POST /api/media and its presigned POST; then sometimes correcting it
 * (PUT with If-Match; now and then two corrections of the same version at once, or a new photo),
 * sending the same POST again (a lost response), or taking it down (DELETE, editor key). Every
 * POST carries an Idempotency-Key and is repeated on a 5xx, a connection error or a 409.
 * Readers: `readers` loops fetching article pages, index pages, feeds, sitemaps and short links
 * with no pause, until the writers are done.
 */
import { listingSlug } from '../shared/article/listing-slug.js';
import { authorPath, feedPath, NEWS_SITEMAP_PATH, sectionPath, SITEMAP_INDEX_PATH, tagPath, type Listing } from '../shared/render/site-paths.js';
import { percentile } from './stats.js';

export interface LoadtestJob {
  baseUrl: string;
  apiKey: string;
  /** Marks this round's headlines and idempotency keys: `#r1-0042`. */
  round: number;
  runId: string;
  submissions: number;
  concurrency: number;
  /** Every n-th submission has a photo. */
  photoEvery: number;
  readers: number;
  /** A small JPEG, base64. */
  photo: string;
  seed: number;
  /** Shares of published articles that are corrected, taken down, sent again. */
  shares: { correct: number; raceCorrections: number; newPhoto: number; takeDown: number; replay: number };
}

export type RequestKind =
  | 'media-request'
  | 'photo-upload'
  | 'media-status'
  | 'publish'
  | 'publish-again'
  | 'correct'
  | 'take-down'
  | 'article-read'
  | 'article-page'
  | 'index-page'
  | 'feed'
  | 'sitemap'
  | 'short-link';

export interface KindFigures {
  requests: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number };
  /** `201` → how many; `connection error` for a request that got no answer. */
  statuses: Record<string, number>;
}

/** What became of one submission, as its client knows it. */
export interface SubmissionOutcome {
  tag: string;
  /** The 201's answer; absent when the publish never got one. */
  published?: { id: string; url: string; shortUrl: string };
  /** Headlines the page may show: the last correction answered 200 (or one of two whose outcome is unknown). */
  headlines: string[];
  takenDown: boolean;
  withPhoto: boolean;
  /** The last answer when no 201 came: status and body. */
  failure?: string;
}

export interface LoadtestClientResult {
  seconds: number;
  outcomes: SubmissionOutcome[];
  kinds: Partial<Record<RequestKind, KindFigures>>;
  /** 5xx answers that did not say to repeat the request (no Retry-After, no "repeat"/"retry" in the body). */
  unhinted5xx: Array<{ kind: RequestKind; status: number; body: string }>;
  /** A second POST with the same key answered another article than the first: a duplicate. */
  replayMismatches: number;
  /** Two corrections of one version both answered 200. */
  raceBothWon: number;
  photosGivenUp: number;
  readerRequests: number;
}

const SECTIONS = ['world', 'business', 'science', 'sport', 'culture'];
const TAGS = ['Gaza', 'Egypt', 'Climate', 'Elections', 'Markets', 'Football', 'Health', 'Energy', 'Tech', 'Migration', 'غزة', 'Diplomacy'];
const BYLINES = ['AFP', 'Reuters', 'Staff reporter', 'Jane Doe', 'سارة أحمد', 'AP'];
const WORDS = ['Talks', 'resume', 'in', 'Cairo', 'as', 'markets', 'steady', 'after', 'storm', 'hits', 'coast', 'vote', 'count', 'begins', 'league', 'leaders', 'win', 'again'];

/** A seeded generator, so a round's submissions are the same from run to run. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A counting semaphore, first come first served. */
class Slots {
  private readonly waiting: Array<() => void> = [];
  constructor(private free: number) {}

  async acquire(): Promise<void> {
    if (this.free > 0) {
      this.free--;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.free++;
  }
}

class Recorder {
  readonly latencies = new Map<RequestKind, number[]>();
  readonly statuses = new Map<RequestKind, Record<string, number>>();
  readonly unhinted5xx: LoadtestClientResult['unhinted5xx'] = [];

  record(kind: RequestKind, ms: number, status: string): void {
    const samples = this.latencies.get(kind) ?? [];
    samples.push(ms);
    this.latencies.set(kind, samples);
    const counts = this.statuses.get(kind) ?? {};
    counts[status] = (counts[status] ?? 0) + 1;
    this.statuses.set(kind, counts);
  }

  figures(): Partial<Record<RequestKind, KindFigures>> {
    const out: Partial<Record<RequestKind, KindFigures>> = {};
    for (const [kind, samples] of this.latencies) {
      const r = (v: number) => Math.round(v * 10) / 10;
      out[kind] = {
        requests: samples.length,
        latencyMs: { p50: r(percentile(samples, 50)), p95: r(percentile(samples, 95)), p99: r(percentile(samples, 99)), max: r(samples.reduce((m, v) => Math.max(m, v), 0)) },
        statuses: this.statuses.get(kind) ?? {},
      };
    }
    return out;
  }
}

interface Answer {
  status: number;
  headers: Headers;
  body: string;
}

/** A 5xx tells the client what to do: Retry-After, or a body that says to repeat the request. */
function hintsRetry(answer: Answer): boolean {
  return answer.headers.has('retry-after') || /\b(repeat|retry)\b/i.test(answer.body);
}

export async function runLoadtestClients(job: LoadtestJob): Promise<LoadtestClientResult> {
  const random = seeded(job.seed);
  const recorder = new Recorder();
  const auth = { authorization: `Bearer ${job.apiKey}` };
  const json = { ...auth, 'content-type': 'application/json' };
  const photoBytes = Buffer.from(job.photo, 'base64');
  const published: Array<{ url: string; shortUrl: string; section: string; tags: string[]; byline: string }> = [];
  let replayMismatches = 0;
  let raceBothWon = 0;
  let photosGivenUp = 0;

  // Writers' requests in flight, at most `concurrency`: a reporter waiting before a retry holds no slot.
  const slots = new Slots(job.concurrency);
  const READER_KINDS: ReadonlySet<RequestKind> = new Set(['article-page', 'index-page', 'feed', 'sitemap', 'short-link']);

  /** One HTTP exchange, timed and recorded; a connection error is an answer with status 0. */
  async function exchange(kind: RequestKind, url: string, init: RequestInit = {}): Promise<Answer> {
    const writer = !READER_KINDS.has(kind);
    if (writer) await slots.acquire();
    const started = performance.now();
    try {
      const response = await fetch(url, { redirect: 'manual', ...init, signal: AbortSignal.timeout(60_000) });
      const body = await response.text();
      recorder.record(kind, performance.now() - started, String(response.status));
      const answer = { status: response.status, headers: response.headers, body };
      if (response.status >= 500 && !hintsRetry(answer)) recorder.unhinted5xx.push({ kind, status: response.status, body: body.slice(0, 300) });
      return answer;
    } catch (error) {
      recorder.record(kind, performance.now() - started, 'connection error');
      return { status: 0, headers: new Headers(), body: String((error as Error).cause ?? error) };
    } finally {
      if (writer) slots.release();
    }
  }

  /**
   * Repeats a request as a careful client does: on a connection error or a 5xx (which says to), and
   * on a 409 when `onConflict` (an attempt with the same Idempotency-Key still running, or one that
   * died and is taken over after a minute, again if its taker died too). Gives up after `deadlineMs`.
   */
  async function withRetries(kind: RequestKind, url: string, init: () => RequestInit, options: { onConflict?: boolean; deadlineMs?: number } = {}): Promise<Answer & { retried: boolean }> {
    const deadline = Date.now() + (options.deadlineMs ?? 300_000);
    let retried = false;
    for (let attempt = 0; ; attempt++) {
      const answer = await exchange(kind, url, init());
      const again = answer.status === 0 || answer.status >= 500 || (options.onConflict === true && answer.status === 409);
      if (!again || Date.now() > deadline) return { ...answer, retried };
      retried = true;
      const pause = answer.status === 409 ? 1000 : Math.min(2000, 50 * 2 ** attempt);
      await sleep(pause * (0.5 + random()));
    }
  }

  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)]!;

  async function uploadPhoto(): Promise<string | undefined> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const ticket = await withRetries('media-request', `${job.baseUrl}/api/media`, () => ({
        method: 'POST',
        headers: json,
        body: JSON.stringify({ contentType: 'image/jpeg', contentLength: photoBytes.length, filename: 'load.jpg' }),
      }));
      if (ticket.status !== 201) continue;
      const { id, upload } = JSON.parse(ticket.body) as { id: string; upload: { url: string; fields: Record<string, string> } };
      const sent = await withRetries('photo-upload', upload.url, () => {
        const form = new FormData();
        for (const [name, value] of Object.entries(upload.fields)) form.append(name, value);
        form.append('file', new Blob([photoBytes], { type: 'image/jpeg' }), 'load.jpg');
        return { method: 'POST', body: form };
      });
      if (sent.status >= 300) continue;
      // Processing runs on the upload's arrival; a photo whose processing failed every retry stays
      // "processing" (on AWS, in the dead-letter queue): after 20 s the reporter uploads it again.
      const until = Date.now() + 20_000;
      while (Date.now() < until) {
        const status = await withRetries('media-status', `${job.baseUrl}/api/media/${id}`, () => ({ headers: auth }));
        const state = status.status === 200 ? (JSON.parse(status.body) as { status: string }).status : 'unknown';
        if (state === 'ready') return id;
        if (state === 'rejected') break;
        await sleep(100);
      }
    }
    photosGivenUp++;
    return undefined;
  }

  function submissionFor(n: number, tag: string): Record<string, unknown> {
    const words = Array.from({ length: 5 + Math.floor(random() * 5) }, () => pick(WORDS)).join(' ');
    const arabic = random() < 0.1;
    const tags = [...new Set(Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick(TAGS)))];
    return {
      headline: arabic ? `محادثات في القاهرة ${words} #${tag}` : `${words} #${tag}`,
      standfirst: random() < 0.5 ? `What happened in ${pick(WORDS)} and why it matters (${n}).` : undefined,
      section: pick(SECTIONS),
      byline: pick(BYLINES),
      language: arabic ? 'ar' : 'en',
      tags,
      body: `${words}.\n\n## ${pick(WORDS)} ${pick(WORDS)}\n\n> "A quotation," said a spokesperson.\n\nMore ${pick(WORDS)} in paragraph three of submission ${tag}.`,
    };
  }

  async function readBack(id: string): Promise<{ headline: string } | undefined> {
    const answer = await withRetries('article-read', `${job.baseUrl}/api/articles/${id}`, () => ({ headers: auth }));
    return answer.status === 200 ? (JSON.parse(answer.body) as { headline: string }) : undefined;
  }

  /** A correction; on a 412 after a repeated attempt, the stored article says whether the first attempt had landed. */
  async function correct(id: string, version: number, submission: Record<string, unknown>): Promise<{ status: number; ambiguous: boolean }> {
    const answer = await withRetries('correct', `${job.baseUrl}/api/articles/${id}`, () => ({
      method: 'PUT',
      headers: { ...json, 'if-match': `"${version}"` },
      body: JSON.stringify(submission),
    }));
    if (answer.status === 200) return { status: 200, ambiguous: false };
    if (answer.status === 412 && answer.retried) {
      const stored = await readBack(id);
      if (stored?.headline === submission.headline) return { status: 200, ambiguous: false };
      return { status: 412, ambiguous: true };
    }
    return { status: answer.status, ambiguous: answer.status >= 500 || answer.status === 0 };
  }

  async function submit(n: number): Promise<SubmissionOutcome> {
    const tag = `r${job.round}-${String(n).padStart(4, '0')}`;
    const submission = submissionFor(n, tag);
    const withPhoto = n % job.photoEvery === 0;
    const outcome: SubmissionOutcome = { tag, headlines: [String(submission.headline)], takenDown: false, withPhoto };
    if (withPhoto) {
      const mediaId = await uploadPhoto();
      if (mediaId) submission.leadImage = { mediaId, alt: `Photo for ${tag}`, caption: `A scene from ${tag}`, credit: 'AFP' };
    }
    const key = `loadtest-${job.runId}-${tag}`;
    const post = () => ({ method: 'POST', headers: { ...json, 'idempotency-key': key }, body: JSON.stringify(submission) });
    const answer = await withRetries('publish', `${job.baseUrl}/api/articles`, post, { onConflict: true });
    if (answer.status !== 201) {
      outcome.failure = `${answer.status} ${answer.body.slice(0, 300)}`;
      return outcome;
    }
    const first = JSON.parse(answer.body) as { id: string; url: string; shortUrl: string; version: number };
    outcome.published = { id: first.id, url: first.url, shortUrl: first.shortUrl };
    published.push({ url: first.url, shortUrl: first.shortUrl, section: String(submission.section), tags: submission.tags as string[], byline: String(submission.byline) });
    const version = first.version;

    if (random() < job.shares.replay) {
      // The same request again, as a client that lost the first response would send it.
      const again = await withRetries('publish-again', `${job.baseUrl}/api/articles`, post, { onConflict: true });
      if (again.status === 201 && (JSON.parse(again.body) as { id: string }).id !== first.id) replayMismatches++;
    }

    if (random() < job.shares.correct) {
      const corrected = (suffix: string): Record<string, unknown> => ({ ...submission, headline: `${String(submission.headline)} (${suffix})`, body: `${String(submission.body)}\n\nCorrection (${suffix}): an earlier version misspelt a name.` });
      if (random() < job.shares.raceCorrections) {
        // Two editors correct the same version at once: one wins, the other is told it is stale.
        const [a, b] = [corrected('corrected by A'), corrected('corrected by B')];
        const [ra, rb] = await Promise.all([correct(first.id, version, a), correct(first.id, version, b)]);
        if (ra.status === 200 && rb.status === 200) raceBothWon++;
        const won = [ra.status === 200 ? a : undefined, rb.status === 200 ? b : undefined].filter((s) => s !== undefined);
        const unknown = [ra.ambiguous ? a : undefined, rb.ambiguous ? b : undefined].filter((s) => s !== undefined);
        // Both corrected the same version, so a 200 for one means the other cannot have landed.
        outcome.headlines = (won.length ? won : [...unknown, submission]).map((s) => String(s.headline));
      } else {
        const next = corrected('corrected');
        if (withPhoto && submission.leadImage && random() < job.shares.newPhoto) {
          const mediaId = await uploadPhoto();
          if (mediaId) next.leadImage = { mediaId, alt: `New photo for ${tag}`, caption: `Another scene from ${tag}`, credit: 'Reuters' };
        } else if (submission.leadImage) {
          next.leadImage = { ...(submission.leadImage as Record<string, unknown>), caption: `A corrected caption for ${tag}` };
        }
        const result = await correct(first.id, version, next);
        if (result.status === 200) outcome.headlines = [String(next.headline)];
        else if (result.ambiguous) outcome.headlines = [String(next.headline), String(submission.headline)];
      }
    }

    if (random() < job.shares.takeDown) {
      const down = await withRetries('take-down', `${job.baseUrl}/api/articles/${first.id}`, () => ({ method: 'DELETE', headers: auth }), { onConflict: true });
      if (down.status === 200) outcome.takenDown = true;
      else outcome.failure = `take-down answered ${down.status} ${down.body.slice(0, 200)}`;
    }
    return outcome;
  }

  const started = performance.now();
  let writersDone = false;
  let readerRequests = 0;

  async function reader(): Promise<void> {
    while (!writersDone) {
      const article = published.length ? published[Math.floor(random() * published.length)] : undefined;
      const roll = random();
      readerRequests++;
      if (article && roll < 0.3) {
        await exchange('article-page', article.url);
      } else if (article && roll < 0.5) {
        await exchange('short-link', article.shortUrl);
      } else if (roll < 0.75) {
        const choices = ['/', '/page/2/', ...(article ? [sectionPath(article.section), tagPath(pick(article.tags)), authorPath(article.byline)] : [])];
        await exchange('index-page', job.baseUrl + pick(choices));
      } else if (roll < 0.95) {
        const listings: Listing[] = [{ kind: 'home' }, ...(article ? [{ kind: 'section', section: article.section } as const, { kind: 'tag', slug: listingSlug(pick(article.tags)) } as const] : [])];
        await exchange('feed', job.baseUrl + feedPath(pick(listings), random() < 0.5 ? 'rss' : 'atom'));
      } else {
        await exchange('sitemap', job.baseUrl + pick([SITEMAP_INDEX_PATH, NEWS_SITEMAP_PATH]));
      }
    }
  }

  const readers = Array.from({ length: job.readers }, () => reader());
  const outcomes: SubmissionOutcome[] = new Array(job.submissions);
  let next = 0;
  // More reporters than slots, so that those waiting out a retry leave their slot to the others.
  await Promise.all(
    Array.from({ length: job.concurrency * 4 }, async () => {
      for (let n = next++; n < job.submissions; n = next++) outcomes[n] = await submit(n);
    }),
  );
  writersDone = true;
  await Promise.all(readers);

  return {
    seconds: (performance.now() - started) / 1000,
    outcomes,
    kinds: recorder.figures(),
    unhinted5xx: recorder.unhinted5xx,
    replayMismatches,
    raceBothWon,
    photosGivenUp,
    readerRequests,
  };
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const job = JSON.parse(await readStdin()) as LoadtestJob;
process.stdout.write(JSON.stringify(await runLoadtestClients(job)) + '\n');
