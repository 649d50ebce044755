/**
 * Every Lambda handler, in one place: the CDK stack builds one NodejsFunction per entry, the
 * local runtime imports the same files, and the bundle-size test and the benchmark bundle them
 * with the same esbuild options.
 */
export const FUNCTIONS = {
  api: { entry: 'functions/api.ts', description: 'Pressline API: submit articles (/api/*)', memoryMiB: 1024, timeoutSeconds: 15 },
  redirect: { entry: 'functions/redirect.ts', description: 'Pressline short links (/s/<code>)', memoryMiB: 256, timeoutSeconds: 5 },
  pages: { entry: 'functions/pages.ts', description: 'Pressline computed pages: index pages, feeds, sitemaps, 404/410', memoryMiB: 512, timeoutSeconds: 10 },
} as const;

export type FunctionName = keyof typeof FUNCTIONS;
