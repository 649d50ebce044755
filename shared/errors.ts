/** Base class of every error the domain raises on purpose; anything else is a bug (HTTP 500). */
export abstract class PresslineError extends Error {
  abstract readonly status: number;
  abstract readonly code: string;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** One broken rule on one field of a request: what a client needs to fix its submission. */
export interface FieldProblem {
  /** Dotted path of the field, e.g. `leadImage.caption`; empty for the whole request. */
  path: string;
  /** Machine-readable rule name, e.g. `required`, `max_length`, `image_type`. */
  rule: string;
  message: string;
}

export class ValidationError extends PresslineError {
  readonly status = 400;
  readonly code = 'invalid_submission';
  constructor(
    readonly fields: FieldProblem[],
    message = 'The submission has problems; see fields.',
  ) {
    super(message);
  }
}

export class MalformedRequestError extends PresslineError {
  readonly status = 400;
  readonly code = 'malformed_request';
}

export class PayloadTooLargeError extends PresslineError {
  readonly status = 413;
  readonly code = 'payload_too_large';
}

export class UnsupportedMediaTypeError extends PresslineError {
  readonly status = 415;
  readonly code = 'unsupported_media_type';
}

export class AuthenticationError extends PresslineError {
  readonly status = 401;
  readonly code = 'unauthenticated';
}

export class ForbiddenError extends PresslineError {
  readonly status = 403;
  readonly code = 'forbidden';
}

export class NotFoundError extends PresslineError {
  readonly status = 404;
  readonly code = 'not_found';
}

export class GoneError extends PresslineError {
  readonly status = 410;
  readonly code = 'gone';
}

/** A correction was made against a version that is no longer the stored one. */
export class VersionMismatchError extends PresslineError {
  readonly status = 412;
  readonly code = 'version_mismatch';
}

/** A correction came without `If-Match`, so it could overwrite someone else's. */
export class VersionRequiredError extends PresslineError {
  readonly status = 428;
  readonly code = 'version_required';
}

/** An Idempotency-Key reused for a different request body. */
export class IdempotencyKeyReusedError extends PresslineError {
  readonly status = 422;
  readonly code = 'idempotency_key_reused';
}

/** A conditional write lost a race (a path, a short code or a version already taken). */
export class ConflictError extends PresslineError {
  readonly status = 409;
  readonly code = 'conflict';
}

/** Too many writes by one person in the current window; `retryAfterSeconds` goes out as `Retry-After`. */
export class TooManyRequestsError extends PresslineError {
  readonly status = 429;
  readonly code = 'rate_limited';
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

/** A dependency could not take the request right now; repeating it completes what is left. */
export class ServiceUnavailableError extends PresslineError {
  readonly status = 503;
  readonly code = 'unavailable';
}
