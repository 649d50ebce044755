import type { InvalidationQueue, InvalidationRequest } from '../../shared/storage/ports.js';

/** A queue that keeps what it is given, for tests of the use cases that fill it. */
export function recordingInvalidationQueue(): InvalidationQueue & { requests: InvalidationRequest[] } {
  const requests: InvalidationRequest[] = [];
  return { requests, enqueue: async (request) => void requests.push(request) };
}
