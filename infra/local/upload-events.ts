import type { S3Event } from 'aws-lambda';
import { UPLOADS_PREFIX } from '../../shared/media/media.js';

export type S3EventHandler = (event: S3Event) => Promise<void>;

/** Lambda retries a failed asynchronous invocation twice before it gives up (to the dead-letter queue). */
const ATTEMPTS = 3;

/**
 * Plays the media bucket's notification locally: `ObjectCreated` under `uploads/` of that bucket
 * goes to the processing handler, with Lambda's retries, as the stack's bucket notification does.
 */
export function uploadNotifier(mediaBucket: string, handler: () => Promise<S3EventHandler>, onFailure: (error: unknown) => void) {
  return (event: S3Event): void => {
    const records = (event.Records ?? []).filter(
      (r) => r.eventName.startsWith('ObjectCreated:') && r.s3.bucket.name === mediaBucket && r.s3.object.key.startsWith(UPLOADS_PREFIX),
    );
    if (records.length === 0) return;
    void (async () => {
      for (let attempt = 1; ; attempt++) {
        try {
          await (await handler())({ Records: records });
          return;
        } catch (error) {
          if (attempt >= ATTEMPTS) return onFailure(error);
        }
      }
    })();
  };
}
