/** A mistake in how a command was called (a bad flag, a missing file): exit code 2, with what to fix. */
export class UsageError extends Error {}
