/** A mistake in how a command was called (a bad flag, a missing file, no key): exit code 2, with what to fix. */
export class UsageError extends Error {}

/**
 * The operation was tried and did not succeed (the API refused it, the server failed, storage
 * disagreed): exit code 1. The message says what happened and what to do next.
 */
export class OperationError extends Error {}

/** Exit codes every command keeps: scripts branch on them. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;
