/**
 * Budgets that are not time, held by tests and printed by `npm run bench` beside what it measures.
 * Time varies with the machine; these do not, so a test can hold them without flaking.
 */

/**
 * AWS calls one `POST /api/articles` may make. Every call is a billed request and, on AWS, a
 * network round trip of a few milliseconds inside the publish the reporter waits for. Today's
 * publish: the key lookup, the path claim, the page upload, the short-code claim and one
 * BatchWriteItem for the article and its listings (5). An uploaded photo (`leadImage.mediaId`) adds
 * reading its media record and claiming it for the article (7); processing happened on upload, in
 * its own function. A publish sent with an `Idempotency-Key` adds the record's conditional put and
 * its completion (7 without a photo).
 */
export const AWS_CALLS_PER_PUBLISH = { textOnly: 5, withUploadedPhoto: 7, textOnlyWithIdempotencyKey: 7 } as const;
