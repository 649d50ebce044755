import type { FunctionName } from './functions-catalog.js';

/**
 * Largest allowed size, in bytes, of each handler's bundled `index.js` (minified, as deployed).
 * The full-synth test (test/infra/bundles.test.ts) fails when a bundle grows past its budget, so a
 * dependency that drags in another SDK client is noticed in review rather than as a slower cold
 * start. Tighten these as the bundles shrink; the README's Deploy section quotes them.
 *
 * Measured when set (2026-11-25, ES module entry points, zod/mini): api 915,277 B (DynamoDB, S3,
 * and the CloudFront client loaded on first takedown), redirect 341,961 B, pages 381,801 B.
 * processMedia 660,983 B (2026-11-30: DynamoDB, S3, file-type; sharp is not bundled but copied
 * into the asset's node_modules, so it counts against Lambda's package limit, not this budget).
 * api 1,039,776 B (2026-11-30: with the media routes, the newsroom workflow and the EventBridge
 * Scheduler client, which esbuild inlines although it is loaded on first use).
 * publishScheduled 829,828 B (2026-11-30: DynamoDB, S3, the page renderer, and the publishing code it
 * shares with the API; the CloudFront client loaded on first use).
 * 2026-11-30, the origin-secret check (Secrets Manager client, loaded on first use but inlined):
 * api 1,072,967 B (+33 kB), redirect 392,030 B (+50 kB: it had no S3 client sharing the SDK's
 * parts, so only 8 kB of headroom is left), pages 415,449 B (+34 kB). Budgets unchanged.
 * 2026-11-30, measured before the origin-secret check was merged: changes queue their invalidations (SQS) and the invalidate function alone calls
 * CloudFront: api 976,278 B, publishScheduled 765,197 B, invalidate 497,385 B (the CloudFront client).
 * Each budget leaves roughly 15 % headroom.
 */
export const BUNDLE_BUDGET_BYTES: Readonly<Record<FunctionName, number>> = {
  api: 1_200_000,
  redirect: 400_000,
  pages: 450_000,
  processMedia: 760_000,
  publishScheduled: 950_000,
  invalidate: 570_000,
};
