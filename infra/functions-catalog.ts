/**
 * Every Lambda handler, in one place: the CDK stack builds one NodejsFunction per entry, the
 * local runtime imports the same files, and the bundle-size test and the benchmark bundle them
 * with the same esbuild options.
 */
export const FUNCTIONS = {
  api: { entry: 'functions/api.ts', description: 'Pressline API: submit articles (/api/*)', memoryMiB: 1024, timeoutSeconds: 15 },
  redirect: { entry: 'functions/redirect.ts', description: 'Pressline short links (/s/<code>)', memoryMiB: 256, timeoutSeconds: 5 },
  pages: { entry: 'functions/pages.ts', description: 'Pressline computed pages: index pages, feeds, sitemaps, 404/410', memoryMiB: 512, timeoutSeconds: 10 },
  // A 40 MB, 50-megapixel JPEG decodes to ~150 MB of pixels; the ladder of AVIF/WebP/JPEG renditions
  // wants the two vCPUs Lambda gives at 3 GB or more.
  processMedia: { entry: 'functions/process-media.ts', description: 'Pressline photo processing: uploads/ -> media/ renditions', memoryMiB: 3008, timeoutSeconds: 300 },
} as const;

export type FunctionName = keyof typeof FUNCTIONS;
