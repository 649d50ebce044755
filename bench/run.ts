/**
 * `npm run bench`: every figure of the performance issue beside a baseline measured in the same run,
 * printed as a table and written to bench/results.json. A benchmark, not a test: it asserts nothing,
 * it reports. `npm run bench -- --quick` runs fewer rounds (a smoke run, figures noisier).
 */
import { existsSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';

import { countAwsCalls } from '../test/support/aws-call-counter.js';
import { startTestRuntime } from '../test/support/local-runtime.js';
import { AWS_CALLS_PER_PUBLISH } from './budgets.js';
import { benchColdStart, EMPTY_HANDLER, SDK_CLIENTS_ONLY } from './cold-start.js';
import { ASSUMPTIONS, costOfMillionPageViews, costOfThousandPublishes, PRICES } from './cost.js';
import { loadFixture } from './fixture.js';
import { benchPageWeight } from './page-weight.js';
import { benchPublish, type PublishCase } from './publish.js';
import { benchRender } from './render.js';
import { benchShortLink } from './short-link.js';
import { round } from './stats.js';

// Handlers log one line per publish at info; hundreds of publishes would bury the table.
// Read when the runtime imports the handlers, below.
process.env.LOG_LEVEL ??= 'warn';

const TARGETS = {
  renderArticlesPerSecond: 2000,
  publishP50Ms: 30,
  shortLinkShareOfBare: 0.5,
  initWithinEmptyHandlerMs: 50,
} as const;

const quick = process.argv.includes('--quick');
const plan = quick
  ? { coldStartRuns: 3, publish: { rounds: 1, textPerRound: 20, photoPerRound: 10 }, shortLink: { rounds: 1, connections: 32, seconds: 2, coldCodesPerRound: 2000, warmCodes: 8 } }
  : { coldStartRuns: 7, publish: { rounds: 3, textPerRound: 40, photoPerRound: 20 }, shortLink: { rounds: 3, connections: 32, seconds: 3, coldCodesPerRound: 4000, warmCodes: 8 } };

const started = performance.now();
const loadAtStart = loadavg()[0]!;
const step = (message: string) => process.stderr.write(`[bench ${((performance.now() - started) / 1000).toFixed(0).padStart(3)} s] ${message}\n`);

const fixture = loadFixture();

step('render: renderArticlePage, Markdown parse, template literal');
const render = benchRender(fixture.article);

step(`cold start: bundling every function and loading each ${plan.coldStartRuns} times in fresh processes`);
const coldStart = await benchColdStart(plan.coldStartRuns);
const empty = coldStart[EMPTY_HANDLER]!;
const sdkFloor = coldStart[SDK_CLIENTS_ONLY]!;
const bundleBudgets = await loadBundleBudgets();

step('starting the local runtime (dynalite, s3rver, handlers)');
const { publish, pageWeight, shortLink } = await throughTheLocalRuntime();

const costInput = (c: PublishCase) => ({
  p50Ms: c.latencyMs.p50,
  awsCalls: c.awsCallsPerPublish,
  writeUnits: c.dynamodbWriteUnitsPerPublish,
  readUnits: c.dynamodbReadUnitsPerPublish,
  s3Puts: c.s3PutsPerPublish,
  s3Bytes: c.s3BytesPerPublish,
});
const cost = {
  prices: PRICES,
  assumptions: ASSUMPTIONS,
  thousandPublishes: { textOnly: costOfThousandPublishes(costInput(publish.textOnly)), withPhoto: costOfThousandPublishes(costInput(publish.withPhoto)) },
  millionPageViews: costOfMillionPageViews({ htmlBytes: pageWeight.gzipBytes, imageBytes: pageWeight.imageBytes, requests: pageWeight.requests }),
};

const functions = Object.keys(coldStart).filter((name) => name !== EMPTY_HANDLER && name !== SDK_CLIENTS_ONLY);
const targets = {
  render: render.articlesPerSecond >= TARGETS.renderArticlesPerSecond,
  publishTextP50: publish.textOnly.latencyMs.p50 < TARGETS.publishP50Ms,
  publishPhotoP50: publish.withPhoto.latencyMs.p50 < TARGETS.publishP50Ms,
  shortLinkWarm: shortLink.warmShareOfBare >= TARGETS.shortLinkShareOfBare,
  coldStart: Object.fromEntries(functions.map((name) => [name, coldStart[name]!.initMs - empty.initMs <= TARGETS.initWithinEmptyHandlerMs])),
  awsCallsTextOnly: publish.textOnly.awsCallsPerPublish <= AWS_CALLS_PER_PUBLISH.textOnly,
  awsCallsWithPhoto: publish.withPhoto.awsCallsPerPublish <= AWS_CALLS_PER_PUBLISH.withPhoto,
  pageGzipFirstRoundTrip: pageWeight.gzipBytes <= pageWeight.firstRoundTripBytes,
};

const results = {
  generatedAt: new Date().toISOString(),
  machine: { node: process.version, cpus: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', loadAverageAtStart: round(loadAtStart, 2), loadAverageAtEnd: round(loadavg()[0]!, 2) },
  quick,
  durationSeconds: round((performance.now() - started) / 1000),
  targets: TARGETS,
  met: targets,
  render,
  publish,
  shortLink,
  coldStart,
  bundleBudgets: bundleBudgets ?? null,
  awsCallBudgets: AWS_CALLS_PER_PUBLISH,
  pageWeight,
  cost,
};
const resultsFile = fileURLToPath(new URL('./results.json', import.meta.url));
writeFileSync(resultsFile, JSON.stringify(results, null, 2) + '\n');
console.log(table());
console.log(`\nWritten to bench/results.json in ${results.durationSeconds} s. Load average ${results.machine.loadAverageAtStart} at start, ${results.machine.loadAverageAtEnd} at end (${results.machine.cpus} cores): above ~1 the figures are shared with other work.`);

/** The stages that need the pipeline running: the counter must exist before the runtime creates the handlers' clients. */
async function throughTheLocalRuntime() {
  const counter = countAwsCalls();
  const runtime = await startTestRuntime();
  try {
    step('publish: POST /api/articles, text only and with a photo, beside a bare POST server');
    const publish = await benchPublish(runtime, counter, fixture, plan.publish);
    step('page weight: the fixture page as served');
    const pageWeight = await benchPageWeight(runtime, fixture);
    step('short link: warm, cold and a bare 301 server under load from a separate process');
    const shortLink = await benchShortLink(runtime, new URL(pageWeight.url).pathname, plan.shortLink);
    return { publish, pageWeight, shortLink };
  } finally {
    counter.stop();
    await runtime.stop();
  }
}

/** The bundle budgets of the CDK stack's test, when that file is present in this checkout. */
async function loadBundleBudgets(): Promise<Record<string, number> | undefined> {
  const file = new URL('../infra/bundle-budgets.ts', import.meta.url);
  if (!existsSync(file)) return undefined;
  const module: unknown = await import(file.href);
  const budgets = typeof module === 'object' && module !== null ? (module as Record<string, unknown>).BUNDLE_BUDGET_BYTES : undefined;
  if (typeof budgets !== 'object' || budgets === null) return undefined;
  return Object.fromEntries(Object.entries(budgets).filter((entry): entry is [string, number] => typeof entry[1] === 'number'));
}

function table(): string {
  const n = (value: number, digits = 0) => value.toLocaleString('en-GB', { maximumFractionDigits: digits, minimumFractionDigits: digits });
  const ms = (value: number) => n(value, value < 10 ? 2 : 1);
  const kb = (bytes: number) => `${n(bytes / 1000, 1)} kB`;
  const usd = (value: number) => `$${value < 0.01 ? value.toFixed(4) : value.toFixed(2)}`;
  const mark = (ok: boolean) => (ok ? 'ok' : 'MISSED');
  const lat = (l: { p50: number; p95: number; p99: number }) => `${ms(l.p50)} / ${ms(l.p95)} / ${ms(l.p99)}`;
  type Row = [stage: string, measure: string, value: string, baseline: string, target: string];
  const rows: Row[] = [];
  const add = (...row: Row) => rows.push(row);

  add('render', 'fixture articles/s, one core', n(render.articlesPerSecond), `Markdown parse alone ${n(render.markdownParsePerSecond)}/s`, `≥ ${n(TARGETS.renderArticlesPerSecond)}/s ${mark(targets.render)}`);
  add('', `  page ${kb(render.pageBytes)}`, '', `template-literal page ${n(render.templateLiteralPagesPerSecond)}/s (${kb(render.templateLiteralPageBytes)})`, '');
  add('publish', 'text only p50 / p95 / p99 ms', lat(publish.textOnly.latencyMs), `bare POST server ${lat(publish.textOnly.bareServerLatencyMs)}`, `p50 < ${TARGETS.publishP50Ms} ms ${mark(targets.publishTextP50)}`);
  add('', `with ${kb(fixture.photoBytes.length)} photo p50 / p95 / p99`, lat(publish.withPhoto.latencyMs), `bare POST server ${lat(publish.withPhoto.bareServerLatencyMs)}`, `p50 < ${TARGETS.publishP50Ms} ms ${mark(targets.publishPhotoP50)}`);
  const operations = Object.entries(publish.withPhoto.awsCallsByOperation).map(([op, c]) => `${op.replace('DynamoDB.', '').replace('S3.', 'S3 ')} ${n(c, 1)}`);
  add('', 'AWS calls per publish, text / photo', `${n(publish.textOnly.awsCallsPerPublish, 1)} / ${n(publish.withPhoto.awsCallsPerPublish, 1)}`, `with photo: ${operations.join(', ')}`, `≤ ${AWS_CALLS_PER_PUBLISH.textOnly} / ≤ ${AWS_CALLS_PER_PUBLISH.withPhoto} ${mark(targets.awsCallsTextOnly && targets.awsCallsWithPhoto)}`);
  add('', 'DynamoDB WRU / RRU per publish', `${n(publish.withPhoto.dynamodbWriteUnitsPerPublish, 1)} / ${n(publish.withPhoto.dynamodbReadUnitsPerPublish, 1)}`, `S3 ${kb(publish.withPhoto.s3BytesPerPublish)} stored per publish`, '');
  add('short link', `warm rps (${plan.shortLink.warmCodes} hot codes), p50 / p99 ms`, `${n(shortLink.warm.requestsPerSecond)}  ${ms(shortLink.warm.p50Ms)} / ${ms(shortLink.warm.p99Ms)}`, `bare 301 server ${n(shortLink.bare301.requestsPerSecond)} rps  ${ms(shortLink.bare301.p50Ms)} / ${ms(shortLink.bare301.p99Ms)}`, `≥ 50% of bare: ${n(100 * shortLink.warmShareOfBare)}% ${mark(targets.shortLinkWarm)}`);
  add('', 'cold rps (every code new), p50 / p99 ms', `${n(shortLink.cold.requestsPerSecond)}  ${ms(shortLink.cold.p50Ms)} / ${ms(shortLink.cold.p99Ms)}`, `(${shortLink.connections} connections; ${n(100 * shortLink.coldShareOfBare)}% of bare)`, '');
  add('cold start', `${EMPTY_HANDLER}: bytes, init ms`, `${n(empty.bundleBytes)} B  ${ms(empty.initMs)}`, `node boot to ready ${ms(empty.readyMs)} ms`, '');
  add('', 'DynamoDB + S3 clients alone: bytes, init ms', `${kb(sdkFloor.bundleBytes)}  ${ms(sdkFloor.initMs)}`, `empty +${ms(sdkFloor.initMs - empty.initMs)}: the floor of a function using both`, '');
  for (const name of functions) {
    const f = coldStart[name]!;
    const budget = bundleBudgets?.[name];
    add(
      '',
      `${name}: bytes, init ms (+source maps)`,
      `${kb(f.bundleBytes)}  ${ms(f.initMs)} (${ms(f.initWithSourceMapsMs)})`,
      `empty +${ms(f.initMs - empty.initMs)}; SDK clients alone +${ms(sdkFloor.initMs - empty.initMs)}`,
      `≤ empty+${TARGETS.initWithinEmptyHandlerMs} ${mark(targets.coldStart[name] ?? false)}${budget ? `; ≤ ${kb(budget)} ${mark(f.bundleBytes <= budget)}` : ''}`,
    );
  }
  add('page weight', 'fixture page raw / gzip / brotli', `${kb(pageWeight.htmlBytes)} / ${kb(pageWeight.gzipBytes)} / ${kb(pageWeight.brotliBytes)}`, `its text alone ${kb(pageWeight.textBytes)}`, `gzip ≤ ${kb(pageWeight.firstRoundTripBytes)} ${mark(targets.pageGzipFirstRoundTrip)}`);
  add('', 'requests (HTML + images), image bytes', `${pageWeight.requests}  ${kb(pageWeight.imageBytes)}`, `inline CSS, no script: ${pageWeight.subresources.length} subresource(s)`, '');
  const t = cost.thousandPublishes;
  add('cost', '1,000 publishes, text / photo', `${usd(t.textOnly.total)} / ${usd(t.withPhoto.total)}`, `photo: DynamoDB ${usd(t.withPhoto.dynamodb)}, S3 ${usd(t.withPhoto.s3Requests + t.withPhoto.s3StorageFirstMonth)}, Lambda ${usd(t.withPhoto.lambdaDuration + t.withPhoto.lambdaRequests)}, API ${usd(t.withPhoto.httpApi)}`, '');
  const v = cost.millionPageViews;
  add('', '1,000,000 page views', usd(v.total), `CloudFront data ${usd(v.cloudfrontDataOut)}, requests ${usd(v.cloudfrontRequests)}, functions ${usd(v.cloudfrontFunctions)}; S3 ${usd(v.s3OriginGets)}; short links ${usd(v.shortLinkHttpApi + v.shortLinkLambda + v.shortLinkDynamodb)}`, '');

  const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r[i]!.length), ['stage', 'measure', 'pressline', 'baseline (same run)'][i]!.length));
  const line = (r: readonly string[]) => r.map((cell, i) => (i < 4 ? cell.padEnd(widths[i]!) : cell)).join('  ').trimEnd();
  const out = [line(['stage', 'measure', 'pressline', 'baseline (same run)', 'target / budget']), line(widths.map((w) => '-'.repeat(w)).concat('-'.repeat(15))), ...rows.map(line)];
  out.push(
    '',
    `Prices assumed (us-east-1 list, USD, no free tier): Lambda arm64 $${PRICES.lambdaArmGbSecond}/GB-s + $${PRICES.lambdaPerMillionRequests}/M requests; HTTP API $${PRICES.httpApiPerMillionRequests}/M;`,
    `  DynamoDB on-demand $${PRICES.dynamodbPerMillionWriteUnits}/M WRU, $${PRICES.dynamodbPerMillionReadUnits}/M RRU; S3 PUT $${PRICES.s3PutPerThousand}/1,000, GET $${PRICES.s3GetPerThousand}/1,000, $${PRICES.s3StorageGbMonth}/GB-month;`,
    `  CloudFront $${PRICES.cloudfrontHttpsPerTenThousand}/10,000 HTTPS requests, $${PRICES.cloudfrontPerGbOut}/GB out, Functions $${PRICES.cloudfrontFunctionsPerMillion}/M.`,
    `Assumed: ${ASSUMPTIONS.awsRoundTripMs} ms per AWS call from Lambda (added to the measured p50 for billing); page cache hit ${100 * ASSUMPTIONS.pageCacheHitRatio}%, image ${100 * ASSUMPTIONS.imageCacheHitRatio}%;`,
    `  ${100 * ASSUMPTIONS.shortLinkShareOfViews}% of views through a short link, ${100 * ASSUMPTIONS.shortLinkCacheHitRatio}% of those from the edge cache; HTML sent gzip-compressed; ${ASSUMPTIONS.headerBytesPerResponse} B of headers per response.`,
    `Warm short link: ${plan.shortLink.warmCodes} codes requested again and again, after their first hit; cold: each request a code never requested before (one DynamoDB read each).`,
  );
  return out.join('\n');
}
