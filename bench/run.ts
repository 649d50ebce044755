/**
 * `npm run bench`: every figure of the performance issue beside a baseline measured in the same run,
 * printed as a table and written to bench/results.json: render, photo processing (a generated
 * 24-megapixel JPEG), cold starts, then through the local runtime publish, upload to ready, page
 * weight (with headless Chromium) and short links; cost from what was counted. A benchmark, not a test: it asserts nothing,
 * it reports. `npm run bench -- --quick` runs fewer rounds (a smoke run, figures noisier).
 */
import { existsSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';

import { countAwsCalls } from '../test/support/aws-call-counter.js';
import { startTestRuntime } from '../test/support/local-runtime.js';
import { AWS_CALLS_PER_PUBLISH } from './budgets.js';
import { FUNCTIONS, functionDefinition, type FunctionName } from '../infra/functions-catalog.js';
import { cameraPhoto } from './camera-photo.js';
import { benchColdStart, EMPTY_HANDLER, SDK_CLIENTS_ONLY, SHARP_ONLY } from './cold-start.js';
import { ASSUMPTIONS, costOfMillionPageViews, costOfThousandPhotos, costOfThousandPublishes, PRICES } from './cost.js';
import { LEAD_PHOTO, loadFixture } from './fixture.js';
import { benchNewsroom } from './newsroom.js';
import { benchPageWeight, type BrowserView } from './page-weight.js';
import { benchPhotoProcessing, benchUploadToReady } from './photo-processing.js';
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
  ? {
      coldStartRuns: 3,
      photo: { rounds: 1, resizesPerRound: 3, uploadRuns: 1 },
      publish: { rounds: 1, textPerRound: 20, photoPerRound: 6, warmUp: { text: 10, photo: 2 } },
      shortLink: { rounds: 1, connections: 32, seconds: 2, coldCodesPerRound: 2000, warmCodes: 8 },
      newsroomLoads: 3,
    }
  : {
      coldStartRuns: 7,
      photo: { rounds: 3, resizesPerRound: 3, uploadRuns: 3 },
      publish: { rounds: 3, textPerRound: 40, photoPerRound: 8, warmUp: { text: 20, photo: 2 } },
      shortLink: { rounds: 3, connections: 32, seconds: 3, coldCodesPerRound: 4000, warmCodes: 8 },
      newsroomLoads: 5,
    };

const started = performance.now();
const loadAtStart = loadavg()[0]!;
const step = (message: string) => process.stderr.write(`[bench ${((performance.now() - started) / 1000).toFixed(0).padStart(3)} s] ${message}\n`);

const fixture = loadFixture();

step('render: renderArticlePage, Markdown parse, template literal');
const render = benchRender(fixture.article);

step('photo: generating a 24-megapixel camera JPEG (noise)');
const camera = await cameraPhoto();
step(`photo processing: processPhoto on it ${plan.photo.rounds} time(s), beside a plain resize`);
const photoProcessing = await benchPhotoProcessing(camera, plan.photo);

step(`cold start: bundling every function and loading each ${plan.coldStartRuns} times in fresh processes`);
const coldStart = await benchColdStart(plan.coldStartRuns);
const empty = coldStart[EMPTY_HANDLER]!;
const sdkFloor = coldStart[SDK_CLIENTS_ONLY]!;
const sharpFloor = coldStart[SHARP_ONLY]!;
const bundleBudgets = await loadBundleBudgets();

step('starting the local runtime (dynalite, s3rver, handlers)');
const { publish, uploadToReady, pageWeight, shortLink, newsroom } = await throughTheLocalRuntime();

const costInput = (c: PublishCase) => ({
  p50Ms: c.latencyMs.p50,
  awsCalls: c.awsCallsPerPublish,
  writeUnits: c.dynamodbWriteUnitsPerPublish,
  readUnits: c.dynamodbReadUnitsPerPublish,
  s3Puts: c.s3PutsPerPublish,
  s3Bytes: c.s3BytesPerPublish,
});
// Page views are priced at the heavier of the two devices measured in Chromium.
const heavierView: BrowserView = pageWeight.browser.phone.totalBytes >= pageWeight.browser.desktop.totalBytes ? pageWeight.browser.phone : pageWeight.browser.desktop;
const cost = {
  prices: PRICES,
  assumptions: ASSUMPTIONS,
  thousandPublishes: {
    textOnly: costOfThousandPublishes(costInput(publish.textOnly)),
    withUploadedPhoto: costOfThousandPublishes(costInput(publish.withUploadedPhoto)),
  },
  thousandPhotos: costOfThousandPhotos({
    ticketMs: 1000 * uploadToReady.ticketSeconds,
    processingMs: 1000 * uploadToReady.processingSeconds,
    files: photoProcessing.processPhoto.files,
    originalBytes: photoProcessing.photo.bytes,
    renditionBytes: photoProcessing.processPhoto.outputBytes,
    recordBytes: photoProcessing.processPhoto.recordBytes,
  }),
  millionPageViews: costOfMillionPageViews({ htmlBytes: pageWeight.gzipBytes, imageBytes: heavierView.imageBytes, requests: heavierView.requests }),
  pageViewsPricedAt: heavierView === pageWeight.browser.phone ? 'phone' : 'desktop',
};

const functions = Object.keys(coldStart).filter((name): name is FunctionName => name in FUNCTIONS);
/** The 50 ms cold-start target is for functions a person waits on (HTTP); photo processing runs after the upload, off anyone's request. */
const hasColdStartTarget = (name: FunctionName) => functionDefinition(name).invocation === 'http';
const targets = {
  render: render.articlesPerSecond >= TARGETS.renderArticlesPerSecond,
  publishTextP50: publish.textOnly.latencyMs.p50 < TARGETS.publishP50Ms,
  publishPhotoP50: publish.withUploadedPhoto.latencyMs.p50 < TARGETS.publishP50Ms,
  shortLinkWarm: shortLink.warmShareOfBare >= TARGETS.shortLinkShareOfBare,
  coldStart: Object.fromEntries(functions.filter(hasColdStartTarget).map((name) => [name, coldStart[name]!.initMs - empty.initMs <= TARGETS.initWithinEmptyHandlerMs])),
  awsCallsTextOnly: publish.textOnly.awsCallsPerPublish <= AWS_CALLS_PER_PUBLISH.textOnly,
  awsCallsWithUploadedPhoto: publish.withUploadedPhoto.awsCallsPerPublish <= AWS_CALLS_PER_PUBLISH.withUploadedPhoto,
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
  photo: { processing: photoProcessing, uploadToReady },
  publish,
  shortLink,
  coldStart,
  bundleBudgets: bundleBudgets ?? null,
  awsCallBudgets: AWS_CALLS_PER_PUBLISH,
  pageWeight,
  newsroom,
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
    const photos = plan.publish.warmUp.photo + plan.publish.rounds * plan.publish.photoPerRound;
    step(`publish: uploading ${photos} photos first, then POST /api/articles, text only and with an uploaded photo, beside a bare POST server`);
    const publish = await benchPublish(runtime, counter, fixture, plan.publish);
    step(`upload to ready: the 24-megapixel photo, ${plan.photo.uploadRuns} time(s), presigned POST to processed`);
    const { result: uploadToReady, photo } = await benchUploadToReady(runtime, camera, plan.photo.uploadRuns);
    step('page weight: the fixture page with that photo, as served and in headless Chromium');
    const pageWeight = await benchPageWeight(runtime, fixture, photo);
    step('short link: warm, cold and a bare 301 server under load from a separate process');
    const shortLink = await benchShortLink(runtime, new URL(pageWeight.url).pathname, plan.shortLink);
    step(`newsroom: the app's bundle (gzip) and its first load in headless Chromium, ${plan.newsroomLoads} times`);
    const newsroom = await benchNewsroom(runtime, plan.newsroomLoads);
    return { publish, uploadToReady, pageWeight, shortLink, newsroom };
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

  const sec = (value: number) => `${n(value, value < 10 ? 2 : 1)} s`;
  const mb = (bytes: number) => `${n(bytes / 1e6, 1)} MB`;
  const pp = photoProcessing;
  const megapixels = `${n((pp.photo.width * pp.photo.height) / 1e6)} MP`;

  add('render', 'fixture articles/s, one core', n(render.articlesPerSecond), `Markdown parse alone ${n(render.markdownParsePerSecond)}/s`, `≥ ${n(TARGETS.renderArticlesPerSecond)}/s ${mark(targets.render)}`);
  add('', `  page ${kb(render.pageBytes)}`, '', `template-literal page ${n(render.templateLiteralPagesPerSecond)}/s (${kb(render.templateLiteralPageBytes)})`, '');
  add(
    'photo',
    `processPhoto, ${megapixels} JPEG (${mb(pp.photo.bytes)}): renditions/s`,
    `${n(pp.processPhoto.renditionsPerSecond, 1)}  (${pp.processPhoto.files} in ${sec(pp.processPhoto.seconds)})`,
    `plain resize to ${pp.plainResize.width} px JPEG: ${n(pp.plainResize.resizesPerSecond, 1)}/s (${sec(pp.plainResize.seconds)}); the ladder = ${n(pp.processPhotoOverPlainResize, 1)} resizes`,
    '',
  );
  const formats = Object.entries(pp.processPhoto.bytesByFormat).map(([format, bytes]) => `${format} ${kb(bytes)}`);
  add('', `  ${pp.processPhoto.ladderRenditions} renditions (widths × formats) + ${pp.processPhoto.crops} crops: bytes`, mb(pp.processPhoto.outputBytes), `ladder: ${formats.join(', ')}; sharp threads per operation: ${pp.sharpConcurrency}`, '');
  add(
    '',
    `upload → ready, ${megapixels}, local runtime`,
    sec(uploadToReady.uploadToReadySeconds),
    `upload ${sec(uploadToReady.uploadSeconds)} + event, processing, record ${sec(uploadToReady.processingSeconds)} (polled every ${uploadToReady.pollMs} ms)`,
    '',
  );
  add('publish', 'text only p50 / p95 / p99 ms', lat(publish.textOnly.latencyMs), `bare POST server ${lat(publish.textOnly.bareServerLatencyMs)}`, `p50 < ${TARGETS.publishP50Ms} ms ${mark(targets.publishTextP50)}`);
  add(
    '',
    `with an uploaded ${LEAD_PHOTO.width}×${LEAD_PHOTO.height} photo p50 / p95 / p99`,
    lat(publish.withUploadedPhoto.latencyMs),
    `bare POST server ${lat(publish.withUploadedPhoto.bareServerLatencyMs)}`,
    `p50 < ${TARGETS.publishP50Ms} ms ${mark(targets.publishPhotoP50)}`,
  );
  const operations = Object.entries(publish.withUploadedPhoto.awsCallsByOperation).map(([op, c]) => `${op.replace('DynamoDB.', '').replace('S3.', 'S3 ')} ${n(c, 1)}`);
  add(
    '',
    'AWS calls per publish, text / uploaded photo',
    `${n(publish.textOnly.awsCallsPerPublish, 1)} / ${n(publish.withUploadedPhoto.awsCallsPerPublish, 1)}`,
    `with photo: ${operations.join(', ')}`,
    `≤ ${AWS_CALLS_PER_PUBLISH.textOnly} / ≤ ${AWS_CALLS_PER_PUBLISH.withUploadedPhoto} ${mark(targets.awsCallsTextOnly && targets.awsCallsWithUploadedPhoto)}`,
  );
  add(
    '',
    'DynamoDB WRU / RRU per publish with photo',
    `${n(publish.withUploadedPhoto.dynamodbWriteUnitsPerPublish, 1)} / ${n(publish.withUploadedPhoto.dynamodbReadUnitsPerPublish, 1)}`,
    `S3 ${kb(publish.withUploadedPhoto.s3BytesPerPublish)} stored per publish; ${publish.photosUploaded} photos uploaded before, in ${sec(publish.uploadSeconds)}`,
    '',
  );
  add('short link', `warm rps (${plan.shortLink.warmCodes} hot codes), p50 / p99 ms`, `${n(shortLink.warm.requestsPerSecond)}  ${ms(shortLink.warm.p50Ms)} / ${ms(shortLink.warm.p99Ms)}`, `bare 301 server ${n(shortLink.bare301.requestsPerSecond)} rps  ${ms(shortLink.bare301.p50Ms)} / ${ms(shortLink.bare301.p99Ms)}`, `≥ 50% of bare: ${n(100 * shortLink.warmShareOfBare)}% ${mark(targets.shortLinkWarm)}`);
  add('', 'cold rps (every code new), p50 / p99 ms', `${n(shortLink.cold.requestsPerSecond)}  ${ms(shortLink.cold.p50Ms)} / ${ms(shortLink.cold.p99Ms)}`, `(${shortLink.connections} connections; ${n(100 * shortLink.coldShareOfBare)}% of bare)`, '');
  add('cold start', `${EMPTY_HANDLER}: bytes, init ms`, `${n(empty.bundleBytes)} B  ${ms(empty.initMs)}`, `node boot to ready ${ms(empty.readyMs)} ms`, '');
  add('', 'DynamoDB + S3 clients alone: bytes, init ms', `${kb(sdkFloor.bundleBytes)}  ${ms(sdkFloor.initMs)}`, `empty +${ms(sdkFloor.initMs - empty.initMs)}: the floor of a function using both`, '');
  add('', 'sharp alone (from node_modules): init ms', ms(sharpFloor.initMs), `empty +${ms(sharpFloor.initMs - empty.initMs)}: libvips and its codecs loaded`, '');
  for (const name of functions) {
    const f = coldStart[name]!;
    const budget = bundleBudgets?.[name];
    const bytesBudget = budget ? `≤ ${kb(budget)} ${mark(f.bundleBytes <= budget)}` : '';
    const external = f.external.length > 0 ? ` + ${f.external.join(', ')}` : '';
    const floors = f.external.includes('sharp')
      ? `empty +${ms(f.initMs - empty.initMs)}; SDK clients +${ms(sdkFloor.initMs - empty.initMs)}, sharp +${ms(sharpFloor.initMs - empty.initMs)}`
      : `empty +${ms(f.initMs - empty.initMs)}; SDK clients alone +${ms(sdkFloor.initMs - empty.initMs)}`;
    const initTarget = hasColdStartTarget(name) ? `≤ empty+${TARGETS.initWithinEmptyHandlerMs} ${mark(targets.coldStart[name] ?? false)}` : 'figure only (after upload, nobody waits on it)';
    add('', `${name}${external}: bytes, init ms (+source maps)`, `${kb(f.bundleBytes)}  ${ms(f.initMs)} (${ms(f.initWithSourceMapsMs)})`, floors, [initTarget, bytesBudget].filter(Boolean).join('; '));
  }
  add('page weight', 'fixture page raw / gzip / brotli', `${kb(pageWeight.htmlBytes)} / ${kb(pageWeight.gzipBytes)} / ${kb(pageWeight.brotliBytes)}`, `its text alone ${kb(pageWeight.textBytes)}`, `gzip ≤ ${kb(pageWeight.firstRoundTripBytes)} ${mark(targets.pageGzipFirstRoundTrip)}`);
  for (const [label, view] of [
    ['phone', pageWeight.browser.phone],
    ['desktop', pageWeight.browser.desktop],
  ] as const) {
    const d = view.device;
    const picked = view.picked ? `${view.picked.format} ${view.picked.width} w` : 'no rendition';
    add(
      '',
      `Chromium ${d.width} px DPR ${d.deviceScaleFactor} (${label}): bytes, requests`,
      `${kb(view.totalBytes)}  ${view.requests}`,
      `document ${kb(view.documentBytes)} + images ${kb(view.imageBytes)}; picked ${picked} for ${n(view.shownDevicePixels)} device px`,
      '',
    );
  }
  add('', 'scripts and stylesheets', String(pageWeight.scriptsAndStylesheets.length), 'inline CSS, no script', '');
  const script = newsroom.files.find((f) => f.key.endsWith('.js'));
  add('newsroom', 'app bundle gzip: script + stylesheet + page', kb(newsroom.totalGzipBytes), `script ${kb(script?.bytes ?? 0)} raw, ${kb(script?.gzipBytes ?? 0)} gzip; no framework`, '');
  add('', `first load in Chromium, median of ${newsroom.firstLoad.runs}`, `${ms(newsroom.firstLoad.signInReadyMs)} ms to sign-in form`, `load event ${ms(newsroom.firstLoad.loadMs)} ms; ${kb(newsroom.firstLoad.transferredBytes)} transferred, compressed as CloudFront would`, '');
  const t = cost.thousandPublishes;
  add(
    'cost',
    '1,000 publishes, text / uploaded photo',
    `${usd(t.textOnly.total)} / ${usd(t.withUploadedPhoto.total)}`,
    `photo: DynamoDB ${usd(t.withUploadedPhoto.dynamodb)}, S3 ${usd(t.withUploadedPhoto.s3Requests + t.withUploadedPhoto.s3StorageFirstMonth)}, Lambda ${usd(t.withUploadedPhoto.lambdaDuration + t.withUploadedPhoto.lambdaRequests)}, API ${usd(t.withUploadedPhoto.httpApi)}`,
    '',
  );
  const p = cost.thousandPhotos;
  add('', `1,000 ${megapixels} photos uploaded and processed`, usd(p.total), `Lambda ${usd(p.lambdaDuration + p.lambdaRequests)}, S3 requests ${usd(p.s3Requests)}, storage (1st month) ${usd(p.s3StorageFirstMonth)}, DynamoDB ${usd(p.dynamodb)}, API ${usd(p.httpApi)}`, '');
  const v = cost.millionPageViews;
  add('', `1,000,000 page views (${cost.pageViewsPricedAt})`, usd(v.total), `CloudFront data ${usd(v.cloudfrontDataOut)}, requests ${usd(v.cloudfrontRequests)}, functions ${usd(v.cloudfrontFunctions)}; S3 ${usd(v.s3OriginGets)}; short links ${usd(v.shortLinkHttpApi + v.shortLinkLambda + v.shortLinkDynamodb)}`, '');

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
    `  Photo processing billed at the measured upload-to-ready time (this machine standing in for Lambda's 2 vCPUs at ${FUNCTIONS.processMedia.memoryMiB} MB) plus a round trip per AWS call.`,
    `  Page views priced at the heavier of the two Chromium views (${cost.pageViewsPricedAt}).`,
    `Warm short link: ${plan.shortLink.warmCodes} codes requested again and again, after their first hit; cold: each request a code never requested before (one DynamoDB read each).`,
    `Photo: a generated ${megapixels} JPEG of Gaussian noise (a worst case for the encoders at large widths; at small widths noise averages to grey, so those renditions are smaller than a real photo's).`,
  );
  return out.join('\n');
}
