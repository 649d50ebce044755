/**
 * `npm run loadtest`: the local runtime (the code `npm start` runs, in this process, on a fresh
 * temp data folder and a free port on 127.0.0.1) under many writers and readers at once, twice:
 * round 1 as is, round 2 with faults injected into 5% of the handlers' S3 and DynamoDB calls. After
 * each round it checks, with no faults, what the clients were told against what is stored: every
 * 201 readable at its URL (410 once taken down) and its short link resolving, one stored article
 * per 201 and no other, no orphan object or item (`bin/reconcile.ts`), no 5xx that did not say to
 * repeat the request. Prints latency by kind of request, statuses, and `lost: N, duplicated: N`
 * per round; writes the figures to bench/loadtest-results.json. It exits 1 when an article is lost,
 * duplicated or never answered (or the run cannot finish), never on a slow figure; the other
 * checks' failures are printed and listed at the end.
 *
 *   npm run loadtest                                   1,000 submissions a round at concurrency 50
 *   npm run loadtest -- --submissions 200 --seed 7     smaller, or another seed
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { formatReport, reconcile, scanTable, type ReconcileReport } from '../bin/reconcile.js';
import { startLocalRuntime, type LocalRuntime } from '../infra/local/runtime.js';
import { articleSchema, type Article } from '../shared/article/article.js';
import { CONFIG_ENV } from '../shared/config.js';
import { escapeHtml } from '../shared/render/html.js';
import { createDynamoDbClient, createS3Client } from '../shared/storage/clients.js';
import { injectAwsFaults, seededRandom, type FaultCounts } from '../test/support/aws-faults.js';
import { runNodeForJson } from './child-json.js';
import type { LoadtestClientResult, LoadtestJob, RequestKind } from './loadtest-client.js';
import { round } from './stats.js';

const { values: args } = parseArgs({
  args: process.argv.slice(2),
  options: {
    submissions: { type: 'string', default: '1000' },
    concurrency: { type: 'string', default: '50' },
    readers: { type: 'string', default: '8' },
    'fault-rate': { type: 'string', default: '0.05' },
    seed: { type: 'string', default: '20240407' },
  },
  strict: true,
});
const plan = {
  submissions: Number(args.submissions),
  concurrency: Number(args.concurrency),
  readers: Number(args.readers),
  faultRate: Number(args['fault-rate']),
  seed: Number(args.seed),
  photoEvery: 5,
  shares: { correct: 0.15, raceCorrections: 0.2, newPhoto: 0.3, takeDown: 0.06, replay: 0.1 },
};

// Read when the runtime imports the handlers, below. At info they log a line per publish; warnings
// and errors (every 500 under faults) are counted below, not printed.
process.env.LOG_LEVEL = 'warn';

const started = performance.now();
const step = (message: string) => process.stderr.write(`[loadtest ${((performance.now() - started) / 1000).toFixed(0).padStart(3)} s] ${message}\n`);

// The handlers' own log lines, counted by level and message (an "orphan may remain" is worth knowing).
const handlerLogs = new Map<string, number>();
const handlerLogSamples = new Map<string, string[]>();
const writeStderr = process.stderr.write.bind(process.stderr);
process.stderr.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
  const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
  if (text.startsWith('{"level"')) {
    for (const line of text.split('\n').filter(Boolean)) {
      const entry = JSON.parse(line) as { level?: string; message?: string; error?: { message?: string } | string };
      const key = `${entry.level} ${entry.message}`;
      handlerLogs.set(key, (handlerLogs.get(key) ?? 0) + 1);
      const samples = handlerLogSamples.get(key) ?? [];
      const cause = typeof entry.error === 'string' ? entry.error : entry.error?.message;
      if (samples.length < 3 && cause && !samples.includes(cause)) handlerLogSamples.set(key, [...samples, cause]);
    }
    return true;
  }
  return (writeStderr as (c: string | Uint8Array, ...r: unknown[]) => boolean)(chunk, ...rest);
}) as typeof process.stderr.write;

// Only the handlers' clients get faults (their stack names functions/): the local router's own S3
// client plays CloudFront serving the bucket, and the checks below read through clients of their own.
const faults = injectAwsFaults({ random: seededRandom(plan.seed), eligible: () => /[/\\]functions[/\\]/.test(new Error().stack ?? '') });

// Everything on loopback, on emulators of its own: never another endpoint or a deployed stack.
for (const name of ['AWS_ENDPOINT_URL_DYNAMODB', 'AWS_ENDPOINT_URL_S3', ...Object.values(CONFIG_ENV)]) delete process.env[name];
const dataDir = mkdtempSync(join(tmpdir(), 'pressline-loadtest-'));
const loadAtStart = loadavg()[0]!;
step(`starting the local runtime (dynalite and s3rver on disk in a temp folder, handlers in this process)`);
// All the load comes from one key (50 clients sharing it, as a wire desk's importer would), far
// past one person's write limit: the limit has its own test (write-rate-limit.test.ts), and here it
// would turn the measured publishes into 429s.
const runtime = await startLocalRuntime({ port: 0, host: '127.0.0.1', dataDir, writesPerMinute: 1_000_000 });
const photo = await sharp({ create: { width: 320, height: 240, channels: 3, background: '#787064', noise: { type: 'gaussian', mean: 120, sigma: 40 } } }).jpeg({ quality: 80 }).toBuffer();
const runId = Date.now().toString(36);

interface RoundReport {
  round: number;
  faultRate: number;
  seconds: number;
  submissions: number;
  photos: number;
  client: Omit<LoadtestClientResult, 'outcomes'>;
  faults: FaultCounts;
  checks: {
    acknowledged: number;
    readable: { ok: number; gone: number; failed: string[] };
    shortLinks: { redirect: number; gone: number; failed: string[] };
    stored: number;
    notPublished: string[];
    duplicates: string[];
  };
  lost: number;
  duplicated: number;
  reconcile: Pick<ReconcileReport, 'articles' | 'items' | 'objects'> & { findings: number; byRule: Record<string, number>; sample: string[] };
  handlerLogs: Record<string, { count: number; causes: string[] }>;
}

const reports: RoundReport[] = [];
let failed = false;
try {
  for (const [roundNumber, faultRate] of [
    [1, 0],
    [2, plan.faultRate],
  ] as const) {
    reports.push(await runRound(roundNumber, faultRate));
  }
} catch (error) {
  failed = true;
  console.error(`The load test could not finish: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
} finally {
  faults.stop();
  await runtime.stop();
  rmSync(dataDir, { recursive: true, force: true });
}

const results = {
  generatedAt: new Date().toISOString(),
  machine: { node: process.version, cpus: cpus().length, loadAverageAtStart: round(loadAtStart, 2), loadAverageAtEnd: round(loadavg()[0]!, 2) },
  plan,
  durationSeconds: round((performance.now() - started) / 1000),
  rounds: reports,
};
writeFileSync(fileURLToPath(new URL('./loadtest-results.json', import.meta.url)), JSON.stringify(results, null, 2) + '\n');
for (const report of reports) console.log(summary(report));
console.log(
  `\nWritten to bench/loadtest-results.json in ${results.durationSeconds} s (load average ${results.machine.loadAverageAtStart} at start, ${results.machine.loadAverageAtEnd} at end, ${results.machine.cpus} cores).`,
);
// An article lost, duplicated or never answered fails the run (exit 1), as does a run that could not
// finish; the other checks are printed with it, and listed here when they fail.
const articlesKept = reports.length === 2 && reports.every((r) => r.lost === 0 && r.duplicated === 0 && r.checks.notPublished.length === 0);
const otherChecks = reports.flatMap((r) => [
  ...(r.reconcile.findings ? [`round ${r.round}: ${r.reconcile.findings} orphans or broken references (${Object.entries(r.reconcile.byRule).map(([k, n]) => `${k} ${n}`).join(', ')})`] : []),
  ...(r.client.unhinted5xx.length ? [`round ${r.round}: ${r.client.unhinted5xx.length} 5xx without a retry hint`] : []),
]);
if (failed || !articlesKept) {
  console.log('Load test FAILED: articles lost, duplicated or never answered, or the run did not finish (see above).');
  process.exitCode = 1;
} else {
  console.log('Articles: nothing lost, nothing duplicated, every submission answered 201, in both rounds.');
}
console.log(otherChecks.length ? `Other checks FAILED:\n${otherChecks.map((c) => `  ${c}`).join('\n')}` : 'Other checks passed: no orphan, no broken reference, every 5xx said to repeat the request.');

async function runRound(roundNumber: number, faultRate: number): Promise<RoundReport> {
  const job: LoadtestJob = {
    baseUrl: runtime.baseUrl,
    apiKey: runtime.apiKey,
    round: roundNumber,
    runId,
    submissions: plan.submissions,
    concurrency: plan.concurrency,
    photoEvery: plan.photoEvery,
    readers: plan.readers,
    photo: photo.toString('base64'),
    seed: plan.seed + roundNumber,
    shares: plan.shares,
  };
  step(`round ${roundNumber}: ${plan.submissions} submissions at concurrency ${plan.concurrency}, ${plan.readers} readers${faultRate ? `, faults in ${100 * faultRate}% of S3 and DynamoDB calls` : ''}`);
  handlerLogs.clear();
  handlerLogSamples.clear();
  faults.resetCounts();
  faults.setRate(faultRate);
  const roundStarted = performance.now();
  let client: LoadtestClientResult;
  try {
    client = await runNodeForJson<LoadtestClientResult>(['--import', 'tsx', fileURLToPath(new URL('./loadtest-client.ts', import.meta.url))], { input: JSON.stringify(job), what: 'the load-test clients' });
  } finally {
    faults.setRate(0);
  }
  const seconds = (performance.now() - roundStarted) / 1000;
  const faultCounts = faults.counts();
  // Photo processing still running for uploads a client gave up on finishes (or fails) first.
  await new Promise((resolve) => setTimeout(resolve, 2000));
  step(`round ${roundNumber}: clients done in ${seconds.toFixed(0)} s; checking every answer against the store`);
  const checks = await checkRound(roundNumber, client);
  step(`round ${roundNumber}: reconciling the table and buckets`);
  const dynamodb = createDynamoDbClient();
  const s3 = createS3Client();
  let reconciled: ReconcileReport;
  try {
    reconciled = await reconcile({ dynamodb, s3, tableName: runtime.tableName, mediaBucket: runtime.mediaBucket, siteBucket: runtime.siteBucket }, { urls: { publicBaseUrl: runtime.baseUrl } });
  } finally {
    dynamodb.destroy();
    s3.destroy();
  }
  if (reconciled.findings.length) writeStderr(`${formatReport(reconciled, 40)}\n`);
  const byRule: Record<string, number> = {};
  for (const f of reconciled.findings) byRule[`${f.kind} ${f.rule}`] = (byRule[`${f.kind} ${f.rule}`] ?? 0) + 1;
  const { outcomes, ...clientFigures } = client;
  return {
    round: roundNumber,
    faultRate,
    seconds: round(seconds),
    submissions: outcomes.length,
    photos: outcomes.filter((o) => o.withPhoto).length,
    client: clientFigures,
    faults: faultCounts,
    checks: checks.checks,
    lost: checks.lost,
    duplicated: checks.duplicated + client.replayMismatches + client.raceBothWon,
    reconcile: { articles: reconciled.articles, items: reconciled.items, objects: reconciled.objects, findings: reconciled.findings.length, byRule, sample: reconciled.findings.slice(0, 20).map((f) => `${f.kind} ${f.rule} ${f.subject}: ${f.detail}`) },
    handlerLogs: Object.fromEntries([...handlerLogs].map(([message, count]) => [message, { count, causes: handlerLogSamples.get(message) ?? [] }])),
  };
}

/**
 * Every 201 against the store and what readers get: the article item exists, its page answers 200
 * showing the headline the client last set (410 once taken down), its short link answers 301 to
 * that URL (410). Stored articles of this round beyond the acknowledged ones are duplicates.
 */
async function checkRound(roundNumber: number, client: LoadtestClientResult): Promise<{ checks: RoundReport['checks']; lost: number; duplicated: number }> {
  const dynamodb = createDynamoDbClient();
  let stored: Article[];
  try {
    stored = (await scanTable(dynamodb, runtime.tableName)).filter((item) => item.sk === 'ARTICLE').map((item) => articleSchema.parse(item));
  } finally {
    dynamodb.destroy();
  }
  const marker = new RegExp(`#r${roundNumber}-\\d{4}\\b`);
  const ofRound = stored.filter((a) => marker.test(a.headline));
  const byId = new Map(ofRound.map((a) => [a.id, a]));
  const acknowledged = client.outcomes.filter((o) => o.published);
  const lostIds = new Set<string>();
  const readable = { ok: 0, gone: 0, failed: [] as string[] };
  const shortLinks = { redirect: 0, gone: 0, failed: [] as string[] };
  const fail = (list: string[], id: string, what: string) => {
    lostIds.add(id);
    if (list.length < 20) list.push(what);
  };

  const queue = [...acknowledged];
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      for (let outcome = queue.pop(); outcome; outcome = queue.pop()) {
        const { id, url, shortUrl } = outcome.published!;
        const article = byId.get(id);
        if (!article) fail(readable.failed, id, `${outcome.tag}: article ${id} answered 201 and is not stored`);
        else if (article.status === 'removed' !== outcome.takenDown) fail(readable.failed, id, `${outcome.tag}: stored as ${article.status}, the client was told ${outcome.takenDown ? 'it was taken down' : 'it is published'}`);
        const page = await fetch(url, { redirect: 'manual' });
        const html = await page.text();
        if (outcome.takenDown ? page.status === 410 : page.status === 200) outcome.takenDown ? readable.gone++ : readable.ok++;
        else fail(readable.failed, id, `${outcome.tag}: ${url} answered ${page.status}`);
        if (!outcome.takenDown && page.status === 200 && !outcome.headlines.some((h) => html.includes(`<h1>${escapeHtml(h)}</h1>`))) {
          fail(readable.failed, id, `${outcome.tag}: ${url} shows another headline than the one last set (${outcome.headlines.join(' | ')})`);
        }
        const link = await fetch(shortUrl, { redirect: 'manual' });
        await link.arrayBuffer();
        if (outcome.takenDown ? link.status === 410 : link.status === 301 && link.headers.get('location') === url) outcome.takenDown ? shortLinks.gone++ : shortLinks.redirect++;
        else fail(shortLinks.failed, id, `${outcome.tag}: ${shortUrl} answered ${link.status} ${link.headers.get('location') ?? ''}`);
      }
    }),
  );
  const acknowledgedIds = new Set(acknowledged.map((o) => o.published!.id));
  const extra = ofRound.filter((a) => !acknowledgedIds.has(a.id));
  const duplicated = extra.length;
  const tagOf = (headline: string) => marker.exec(headline)?.[0].slice(1) ?? '?';
  const answered = new Map(acknowledged.map((o) => [o.tag, o.published!.id]));
  const duplicates = extra.slice(0, 20).map((a) => `${tagOf(a.headline)}: article ${a.id} (${a.status}, published ${a.publishedAt}) is stored beside the one answered, ${answered.get(tagOf(a.headline)) ?? 'none'}`);
  return {
    checks: {
      acknowledged: acknowledgedIds.size,
      readable,
      shortLinks,
      stored: ofRound.length,
      notPublished: client.outcomes.filter((o) => !o.published || o.failure).map((o) => `${o.tag}: ${o.failure ?? 'no answer'}`).slice(0, 20),
      duplicates,
    },
    lost: lostIds.size,
    duplicated,
  };
}

function summary(report: RoundReport): string {
  const kinds = Object.entries(report.client.kinds) as Array<[RequestKind, NonNullable<LoadtestClientResult['kinds'][RequestKind]>]>;
  const ms = (v: number) => (v < 10 ? v.toFixed(1) : v.toFixed(0));
  const width = Math.max(...kinds.map(([k]) => k.length), 4);
  const rows = kinds.map(
    ([kind, f]) =>
      `  ${kind.padEnd(width)}  ${String(f.requests).padStart(6)}  ${ms(f.latencyMs.p50).padStart(6)}  ${ms(f.latencyMs.p95).padStart(6)}  ${ms(f.latencyMs.p99).padStart(6)}  ${ms(f.latencyMs.max).padStart(7)}   ${Object.entries(f.statuses)
        .map(([s, n]) => `${s}: ${n}`)
        .join(', ')}`,
  );
  const errors: Record<string, number> = {};
  for (const [, f] of kinds) for (const [status, n] of Object.entries(f.statuses)) if (!/^[23]/.test(status)) errors[status] = (errors[status] ?? 0) + n;
  const c = report.checks;
  const r = report.reconcile;
  return [
    '',
    `Round ${report.round}${report.faultRate ? `: faults in ${100 * report.faultRate}% of the handlers' S3 and DynamoDB calls (${report.faults.faults} of ${report.faults.calls} calls, half before the call, half after it was carried out)` : ': no faults'}`,
    `  ${report.submissions} submissions (${report.photos} with a photo uploaded through POST /api/media) at concurrency ${plan.concurrency}, ${plan.readers} readers (${report.client.readerRequests} reads) in ${report.seconds} s`,
    `  ${'kind'.padEnd(width)}  ${'count'.padStart(6)}  ${'p50 ms'.padStart(6)}  ${'p95 ms'.padStart(6)}  ${'p99 ms'.padStart(6)}  ${'max ms'.padStart(7)}   statuses`,
    ...rows,
    `  p99 round ${report.round}: ${kinds.map(([k, f]) => `${k} ${ms(f.latencyMs.p99)} ms`).join(', ')}`,
    `  errors by status: ${Object.entries(errors).map(([s, n]) => `${s}: ${n}`).join(', ') || 'none'}; 5xx without a retry hint: ${report.client.unhinted5xx.length}`,
    `  checks: ${c.acknowledged} answered 201 (${c.notPublished.length} submissions without one); readable at their URL ${c.readable.ok} (200) + ${c.readable.gone} (410, taken down); short links ${c.shortLinks.redirect} (301) + ${c.shortLinks.gone} (410); stored ${c.stored} = ${c.acknowledged} distinct 201s${c.stored === c.acknowledged ? '' : ' NO'}`,
    ...[...c.readable.failed, ...c.shortLinks.failed, ...c.notPublished, ...c.duplicates].map((line) => `    ${line}`),
    `  reconcile: ${r.articles.published} published, ${r.articles.removed} taken down, ${r.items} items, ${r.objects} objects: ${r.findings} orphans or broken references${r.findings ? ` (${Object.entries(r.byRule).map(([k, n]) => `${k} ${n}`).join(', ')})` : ''}`,
    ...Object.entries(report.handlerLogs).map(([message, { count, causes }]) => `  handler log: ${message} ×${count}${message.includes('unhandled') || !causes.length ? '' : ` (${causes.join('; ').slice(0, 160)})`}`),
    `Round ${report.round}: lost: ${report.lost}, duplicated: ${report.duplicated}`,
  ].join('\n');
}
