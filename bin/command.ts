import { pathToFileURL } from 'node:url';

/** A mistake in how a command was called: printed with the usage, exit code 2. */
export class UsageError extends Error {}

/** Runs a command's main: usage errors exit 2 with the usage, anything else exits 1 with its message. */
export function runCommand(run: () => Promise<void>, usage: string): void {
  run().catch((error: unknown) => {
    if (error instanceof UsageError) {
      console.error(`${error.message}\n\n${usage}`);
      process.exitCode = 2;
    } else {
      console.error(`Failed: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 1;
    }
  });
}

/** True when the module is the script node was started with (not imported by a test). */
export function isMain(moduleUrl: string): boolean {
  return Boolean(process.argv[1]) && moduleUrl === pathToFileURL(process.argv[1]!).href;
}
