/** The publication's identity on every page, feed and structured-data block. */
export const SITE = {
  name: process.env.PRESSLINE_SITE_NAME ?? 'Pressline',
  description: 'News from the Pressline newsroom.',
  language: 'en',
} as const;
