import type { FunctionName } from './functions-catalog.js';

/**
 * Largest allowed size, in bytes, of each handler's bundled `index.js` (minified, as deployed).
 * The full-synth test (test/infra/bundles.test.ts) fails when a bundle grows past its budget, so a
 * dependency that drags in another SDK client is noticed in review rather than as a slower cold
 * start. Tighten these as the bundles shrink; the README's Deploy section quotes them.
 *
 * Measured when set (2026-11-25): api 1,620,617 B (DynamoDB, S3 and CloudFront clients),
 * redirect 537,988 B, pages 1,015,302 B. Each budget leaves roughly 15–20 % headroom.
 */
export const BUNDLE_BUDGET_BYTES: Readonly<Record<FunctionName, number>> = {
  api: 1_900_000,
  redirect: 650_000,
  pages: 1_200_000,
};
