import { STYLES_CSP_HASH } from './styles.js';

/**
 * The policy every page is served with, on CloudFront (response headers policy) and locally.
 * No script may run: submitted content can never execute in a reader's browser.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "img-src 'self'",
  `style-src ${STYLES_CSP_HASH}`,
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'strict-transport-security': 'max-age=63072000; includeSubDomains; preload',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'x-frame-options': 'DENY',
};

/** Where the newsroom app is served from, on CloudFront (a behaviour of its own) and locally. */
export const NEWSROOM_PATH_PREFIX = '/newsroom/';

/**
 * The newsroom app's policy: the only part of the site with script, and only its own file.
 * `style-src` also allows the site's stylesheet by hash, because the preview frame (`srcdoc`,
 * sandboxed without scripts) inherits this policy and shows the real page with its real styles.
 * `connect-src` is the API (same origin) and the upload endpoint the presigned POST points at.
 */
export function newsroomContentSecurityPolicy(uploadOrigin: string): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    `style-src 'self' ${STYLES_CSP_HASH}`,
    "img-src 'self' data: blob:",
    `connect-src 'self' ${uploadOrigin}`,
    "frame-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** The site's headers with the newsroom's policy in place of the pages' script-free one. */
export function newsroomSecurityHeaders(uploadOrigin: string): Readonly<Record<string, string>> {
  return { ...SECURITY_HEADERS, 'content-security-policy': newsroomContentSecurityPolicy(uploadOrigin) };
}
