/** What the stack, the local runtime and the bundle checks need to know about one handler. */
export interface FunctionDefinition {
  entry: string;
  description: string;
  memoryMiB: number;
  timeoutSeconds: number;
  /**
   * `http`: API Gateway invokes it synchronously and a failure is the HTTP response. `event`: an
   * event source (S3) invokes it asynchronously, so Lambda retries a failure and then parks the
   * event on a dead-letter queue (`PresslineFunction`). `queue`: an SQS event source mapping polls
   * a queue for it; a failed message goes back to the queue and, after its most receives, to the
   * queue's own dead-letter queue.
   */
  invocation: 'http' | 'event' | 'queue';
  /**
   * Packages with native binaries, left out of the bundle and copied into the function's asset
   * for linux-arm64 (`infra/linux-arm64-packages.mjs`, run by `postinstall`).
   */
  nativeModules?: readonly string[];
}

/**
 * Every Lambda handler, in one place: the CDK stack builds one NodejsFunction per entry, the
 * local runtime imports the same files, and the bundle-size test and the benchmark bundle them
 * with the same esbuild options.
 */
export const FUNCTIONS = {
  api: { entry: 'functions/api.ts', description: 'Pressline API: submit articles (/api/*)', memoryMiB: 1024, timeoutSeconds: 15, invocation: 'http' },
  redirect: { entry: 'functions/redirect.ts', description: 'Pressline short links (/s/<code>)', memoryMiB: 256, timeoutSeconds: 5, invocation: 'http' },
  pages: { entry: 'functions/pages.ts', description: 'Pressline computed pages: index pages, feeds, sitemaps, 404/410', memoryMiB: 512, timeoutSeconds: 10, invocation: 'http' },
  // A 40 MB, 50-megapixel JPEG decodes to ~150 MB of pixels; the ladder of AVIF/WebP/JPEG renditions
  // wants the two vCPUs Lambda gives at 3 GB or more.
  processMedia: {
    entry: 'functions/process-media.ts',
    description: 'Pressline photo processing: uploads/ -> media/ renditions',
    memoryMiB: 3008,
    timeoutSeconds: 300,
    invocation: 'event',
    nativeModules: ['sharp'],
  },
  // Invoked by an article's EventBridge Scheduler schedule and by a rule every minute (the sweep).
  publishScheduled: {
    entry: 'functions/publish-scheduled.ts',
    description: 'Pressline scheduled publishing: embargoed articles go live at their time',
    memoryMiB: 512,
    timeoutSeconds: 60,
    invocation: 'event',
  },
  // Drains the invalidation queue: batches of changes become CreateInvalidation calls.
  invalidate: {
    entry: 'functions/invalidate.ts',
    description: 'Pressline CDN invalidation: queued paths -> CloudFront CreateInvalidation, batched and retried',
    memoryMiB: 256,
    timeoutSeconds: 30,
    invocation: 'queue',
  },
} as const satisfies Record<string, FunctionDefinition>;

export type FunctionName = keyof typeof FUNCTIONS;

/** One handler's definition, with the optional fields typed even where its entry leaves them out. */
export function functionDefinition(name: FunctionName): FunctionDefinition {
  return FUNCTIONS[name];
}
