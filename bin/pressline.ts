import { Command, CommanderError } from 'commander';
import { registerCorrect } from './cli/correct.js';
import { EXIT, UsageError } from './cli/errors.js';
import { registerImport } from './cli/import.js';
import { registerKeys, registerPeople } from './cli/keys.js';
import { registerList } from './cli/list.js';
import { registerMedia } from './cli/media.js';
import { registerPreview } from './cli/preview.js';
import { registerPublish } from './cli/publish.js';
import { registerReconcile } from './cli/reconcile.js';
import { registerRerender } from './cli/rerender.js';
import { registerSchedule } from './cli/schedule.js';
import { registerTakedown } from './cli/takedown.js';

/*
 * `pressline <command>`: one module per command group under bin/cli/, each exporting
 * `register<Group>(program)`. To add a command: write bin/cli/<group>.ts whose register function
 * calls `program.command('<name>')` (never `addCommand`, so the exit handling below is inherited),
 * gives it a `.summary`, its options, an `Example:` in `.addHelpText('after', …)` and an async
 * action; add it to COMMANDS. Actions throw `UsageError` for a bad call (exit 2) and
 * `OperationError` when the work failed (exit 1), each with a message saying what to do next.
 * API commands take their options from `withApiOptions` and talk through `ApiClient` (bin/cli/api.ts).
 * test/cli/help.test.ts then checks the new command's --help shows its options and an example.
 */
const COMMANDS: ReadonlyArray<(program: Command) => void> = [
  registerPublish,
  registerImport,
  registerMedia,
  registerList,
  registerPreview,
  registerSchedule,
  registerCorrect,
  registerTakedown,
  registerKeys,
  registerPeople,
  registerRerender,
  registerReconcile,
];

/** What to do about the SDK's own errors, which name the problem but not the fix. */
function awsHint(message: string): string {
  if (/region is missing/i.test(message)) return '\nPass --region <region> (where the stack is deployed) or set AWS_REGION.';
  if (/credential/i.test(message)) return '\nSign in to AWS first (aws sso login, or AWS_PROFILE / AWS_ACCESS_KEY_ID): these commands use your AWS credentials.';
  return '';
}

export function buildProgram(): Command {
  const program = new Command('pressline')
    .description('Publish and manage Pressline articles from a terminal: against `npm start` by default, or a deployed site with --api.')
    .exitOverride()
    .showHelpAfterError('(add --help for the options and an example)')
    .addHelpText(
      'after',
      `
The key is PRESSLINE_API_KEY, or the one npm start saved in $PRESSLINE_DATA_DIR/local-api-key
(default .pressline/). Exit codes: 0 done, 1 the operation failed, 2 a usage error.

Example:
  $ pressline publish story.md
  $ pressline list --status draft --json`,
    );
  for (const register of COMMANDS) register(program);
  reflowDescriptions(program);
  return program;
}

/** Descriptions are written as paragraphs in the source; commander wraps them to the terminal's width itself. */
function reflowDescriptions(command: Command): void {
  command.description(command.description().replace(/(?<!\n)\n(?!\n)/g, ' '));
  for (const sub of command.commands) reflowDescriptions(sub);
}

/** Runs `pressline` with these arguments (`argv` as node gives it) and answers the exit code. */
export async function run(argv: readonly string[]): Promise<number> {
  try {
    await buildProgram().parseAsync([...argv]);
    return process.exitCode === undefined ? EXIT.ok : Number(process.exitCode);
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander printed the message (or the help) already.
      return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' ? EXIT.ok : EXIT.usage;
    }
    if (error instanceof UsageError) {
      console.error(`pressline: ${error.message}\n(add --help for the options and an example)`);
      return EXIT.usage;
    }
    const message = error instanceof Error ? error.message : String(error);
    console.error(`pressline: ${message}${awsHint(message)}`);
    return EXIT.failed;
  }
}

