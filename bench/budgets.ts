/**
 * Budgets that are not time, held by tests and printed by `npm run bench` beside what it measures.
 * Time varies with the machine; these do not, so a test can hold them without flaking.
 */

/**
 * AWS calls one `POST /api/articles` may make. Every call is a billed request and, on AWS, a
 * network round trip of a few milliseconds inside the publish the reporter waits for. Today's
 * publish: the key lookup and its person's (both strongly consistent, so a revoked key or a
 * disabled person is refused at once), the person's write-window count, the path claim, the page
 * upload, the short-code claim, one BatchWriteItem for the article and its listings, and the audit
 * entry (8). An uploaded photo (`leadImage.mediaId`) adds reading its media record and claiming it
 * for the article (10); processing happened on upload, in its own function. A publish sent with an
 * `Idempotency-Key` adds the record's conditional put and its completion (10 without a photo).
 * `occasional` more, at most: the first write of a person's minute opens a new window (the count
 * fails, the window is replaced), and the first request of a key's hour records its last use.
 */
export const AWS_CALLS_PER_PUBLISH = { textOnly: 8, withUploadedPhoto: 10, textOnlyWithIdempotencyKey: 10, occasional: 2 } as const;
