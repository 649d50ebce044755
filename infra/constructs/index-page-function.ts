/**
 * CloudFront Function (viewer request, default behaviour): a path ending in `/` asks for the
 * `index.html` the site store writes under it (`shared/storage/s3-stores.ts` `pageKey`), as the
 * local router does. The rewritten URI is also what the fallback origin receives, so the pages
 * function sees `/world/index.html` for `/world/` and `/index.html` for `/`.
 *
 * Kept as source text (cloudfront-js-2.0 has no modules) and tested by evaluating it.
 */
export const INDEX_PAGE_FUNCTION_CODE = `function handler(event) {
  var request = event.request;
  if (request.uri.charAt(request.uri.length - 1) === '/') {
    request.uri += 'index.html';
  }
  return request;
}
`;
