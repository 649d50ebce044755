import { FUNCTIONS } from '../infra/functions-catalog.js';

/** us-east-1 list prices (USD), on-demand, no free tier, as published by AWS for 2025–2026. */
export const PRICES = {
  lambdaArmGbSecond: 0.0000133334,
  lambdaPerMillionRequests: 0.2,
  httpApiPerMillionRequests: 1.0,
  dynamodbPerMillionWriteUnits: 0.625,
  dynamodbPerMillionReadUnits: 0.125,
  s3PutPerThousand: 0.005,
  s3GetPerThousand: 0.0004,
  s3StorageGbMonth: 0.023,
  cloudfrontHttpsPerTenThousand: 0.01,
  cloudfrontPerGbOut: 0.085,
  cloudfrontFunctionsPerMillion: 0.1,
} as const;

/** What the figures cannot measure on one machine; each is printed beside the cost. */
export const ASSUMPTIONS = {
  /** An in-region DynamoDB or S3 call from Lambda; the emulators answer from this process instead. */
  awsRoundTripMs: 10,
  /** Article pages are cached 60 s at the edge (origin Cache-Control); a popular article misses rarely. */
  pageCacheHitRatio: 0.95,
  /** Photos are immutable and cached a year. */
  imageCacheHitRatio: 0.99,
  /** Share of page views that arrive through a short link rather than the canonical URL. */
  shortLinkShareOfViews: 0.1,
  /** Short links are cached a day at the edge. */
  shortLinkCacheHitRatio: 0.9,
  /** Response headers per request, on top of the body. */
  headerBytesPerResponse: 600,
} as const;

export interface PublishCostInput {
  p50Ms: number;
  awsCalls: number;
  writeUnits: number;
  readUnits: number;
  s3Puts: number;
  s3Bytes: number;
}

export interface PhotoCostInput {
  /** `POST /api/media` (the ticket), measured through the local runtime. */
  ticketMs: number;
  /** What the processing function runs for one photo: measured from S3's answer to `ready` through the local runtime. */
  processingMs: number;
  /** Images processing writes (renditions and crops): one S3 PUT and one AWS call each. */
  files: number;
  originalBytes: number;
  renditionBytes: number;
  /** The media record once ready (JSON of the processed photo, approximately its DynamoDB size). */
  recordBytes: number;
}

export interface PageViewCostInput {
  /** Compressed HTML bytes sent to the reader. */
  htmlBytes: number;
  imageBytes: number;
  /** HTML plus subresources. */
  requests: number;
}

const GB = 1024 ** 3;
const sum = (lines: Record<string, number>) => Object.values(lines).reduce((a, b) => a + b, 0);
const lambdaSeconds = (ms: number) => Math.ceil(ms) / 1000;

/** The AWS bill of 1,000 publishes: API, Lambda at the measured time plus a round trip per AWS call, DynamoDB units, S3 requests and a month of storage. */
export function costOfThousandPublishes(input: PublishCostInput) {
  const n = 1000;
  const billedMs = input.p50Ms + input.awsCalls * ASSUMPTIONS.awsRoundTripMs;
  const lines = {
    httpApi: (n * PRICES.httpApiPerMillionRequests) / 1e6,
    lambdaRequests: (n * PRICES.lambdaPerMillionRequests) / 1e6,
    lambdaDuration: n * (FUNCTIONS.api.memoryMiB / 1024) * lambdaSeconds(billedMs) * PRICES.lambdaArmGbSecond,
    dynamodb: (n * input.writeUnits * PRICES.dynamodbPerMillionWriteUnits + n * input.readUnits * PRICES.dynamodbPerMillionReadUnits) / 1e6,
    s3Requests: (n * input.s3Puts * PRICES.s3PutPerThousand) / 1000,
    s3StorageFirstMonth: ((n * input.s3Bytes) / GB) * PRICES.s3StorageGbMonth,
  };
  return { ...lines, total: sum(lines) };
}

/**
 * The AWS bill of 1,000 uploaded photos: the ticket (`POST /api/media` through the API), the upload's
 * PUT, the processing function at its memory for the measured time plus a round trip per AWS call,
 * its S3 GET of the original and PUTs of every image, the media record written twice (created,
 * then ready) and a month of storage for the original (kept private) and every image.
 */
export function costOfThousandPhotos(input: PhotoCostInput) {
  const n = 1000;
  const processingCalls = 1 + 1 + input.files + 1; // record read, original read, images, record update
  const billedMs = input.processingMs + processingCalls * ASSUMPTIONS.awsRoundTripMs;
  const ticketMs = input.ticketMs + 2 * ASSUMPTIONS.awsRoundTripMs; // key lookup and record put
  const writeUnits = 1 + Math.ceil(input.recordBytes / 1024);
  const lines = {
    httpApi: (n * PRICES.httpApiPerMillionRequests) / 1e6,
    lambdaRequests: (2 * n * PRICES.lambdaPerMillionRequests) / 1e6,
    lambdaDuration:
      n * (FUNCTIONS.processMedia.memoryMiB / 1024) * lambdaSeconds(billedMs) * PRICES.lambdaArmGbSecond +
      n * (FUNCTIONS.api.memoryMiB / 1024) * lambdaSeconds(ticketMs) * PRICES.lambdaArmGbSecond,
    dynamodb: (n * writeUnits * PRICES.dynamodbPerMillionWriteUnits + n * 1 * PRICES.dynamodbPerMillionReadUnits) / 1e6,
    s3Requests: (n * (1 + input.files) * PRICES.s3PutPerThousand) / 1000 + (n * PRICES.s3GetPerThousand) / 1000,
    s3StorageFirstMonth: ((n * (input.originalBytes + input.renditionBytes)) / GB) * PRICES.s3StorageGbMonth,
  };
  return { ...lines, total: sum(lines) };
}

/** The AWS bill of a million article page views, short-link redirects included. */
export function costOfMillionPageViews(page: PageViewCostInput) {
  const views = 1e6;
  const images = page.requests - 1;
  const shortLinkHits = views * ASSUMPTIONS.shortLinkShareOfViews;
  const shortLinkMisses = shortLinkHits * (1 - ASSUMPTIONS.shortLinkCacheHitRatio);
  const bytesOut = views * (page.htmlBytes + page.imageBytes + page.requests * ASSUMPTIONS.headerBytesPerResponse) + shortLinkHits * ASSUMPTIONS.headerBytesPerResponse;
  const originGets = views * ((1 - ASSUMPTIONS.pageCacheHitRatio) + images * (1 - ASSUMPTIONS.imageCacheHitRatio));
  const redirectMs = ASSUMPTIONS.awsRoundTripMs + 1;
  const lines = {
    cloudfrontRequests: ((views * page.requests + shortLinkHits) * PRICES.cloudfrontHttpsPerTenThousand) / 1e4,
    cloudfrontDataOut: (bytesOut / GB) * PRICES.cloudfrontPerGbOut,
    cloudfrontFunctions: (views * PRICES.cloudfrontFunctionsPerMillion) / 1e6,
    s3OriginGets: (originGets * PRICES.s3GetPerThousand) / 1000,
    shortLinkHttpApi: (shortLinkMisses * PRICES.httpApiPerMillionRequests) / 1e6,
    shortLinkLambda: (shortLinkMisses * PRICES.lambdaPerMillionRequests) / 1e6 + shortLinkMisses * (FUNCTIONS.redirect.memoryMiB / 1024) * lambdaSeconds(redirectMs) * PRICES.lambdaArmGbSecond,
    // One strongly consistent read of an item under 4 KB: 1 read unit.
    shortLinkDynamodb: (shortLinkMisses * 1 * PRICES.dynamodbPerMillionReadUnits) / 1e6,
  };
  return { ...lines, total: sum(lines) };
}
