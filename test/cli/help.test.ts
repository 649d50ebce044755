import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../bin/pressline.js';
import { pressline, PROJECT_ROOT } from '../support/cli.js';

/** Every command and subcommand, by the words that call it (`['keys', 'rotate']`), and what it declares. */
function commandsOf(command: Command, path: string[] = []): Array<{ path: string[]; command: Command }> {
  return command.commands.flatMap((sub) => [{ path: [...path, sub.name()], command: sub }, ...commandsOf(sub, [...path, sub.name()])]);
}

const everyCommand = commandsOf(buildProgram());

describe('pressline --help', () => {
  it('lists every command, the exit codes and an example', async () => {
    const { code, stdout } = await pressline(['--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage: pressline \[options\] \[command\]/);
    for (const { path } of everyCommand.filter((c) => c.path.length === 1)) expect(stdout).toMatch(new RegExp(`^  ${path[0]}\\b`, 'm'));
    expect(stdout).toContain('Exit codes: 0 done, 1 the operation failed, 2 a usage error.');
    expect(stdout).toMatch(/Example:\n\s+\$ pressline /);
  });

  it('covers every command the issue asks for', () => {
    const names = everyCommand.map(({ path }) => path.join(' '));
    expect(names).toEqual(
      expect.arrayContaining(['publish', 'import', 'media upload', 'list', 'preview', 'schedule', 'correct', 'takedown', 'keys create', 'keys list', 'keys revoke', 'keys rotate', 'rerender']),
    );
  });

  // One child process each, as a user asks: the help commander prints, exit code 0.
  it.each(everyCommand.map(({ path, command }) => [path.join(' '), path, command] as const))('%s --help lists its options and an example', async (_name, path, command) => {
    const { code, stdout } = await pressline([...path, '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain(`Usage: pressline ${path.join(' ')}`);
    expect(stdout.length).toBeGreaterThan(200);
    for (const option of command.options.filter((o) => !o.hidden)) expect(stdout).toContain(option.flags);
    for (const sub of command.commands) expect(stdout).toMatch(new RegExp(`^  ${sub.name()}\\b`, 'm'));
    expect(stdout).toMatch(new RegExp(`Example:\\n(.*\\n)*?\\s+\\$ (\\w+=\\$\\()?pressline ${path.join(' ')}\\b`));
  });
});

describe('usage errors', () => {
  it.each([
    [['publish'], "missing required argument 'file.md'"],
    [['import', 'wire.txt', '--headline', 'x'], "required option '--section <slug>' not specified"],
    [['schedule', '3f1c2a9e-5b7d-4c1e-9a8f-0d2e4b6c8a10'], "required option '--at <ISO time>' not specified"],
    [['takedown', '3f1c2a9e-5b7d-4c1e-9a8f-0d2e4b6c8a10'], "required option '--reason <text>' not specified"],
    [['publich', 'story.md'], "unknown command 'publich'"],
    [['media'], 'Usage: pressline media'],
  ])('pressline %j exits 2 and says what is wrong', async (args, message) => {
    const { code, stdout, stderr } = await pressline(args);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(message);
  });
});

describe('npx pressline', () => {
  it('runs this package’s bin from the project root', async () => {
    const run = promisify(execFile);
    // --offline: the package is this checkout; nothing is fetched.
    const { stdout } = await run('npx', ['--offline', 'pressline', '--help'], { cwd: PROJECT_ROOT });
    expect(stdout).toMatch(/^Usage: pressline \[options\] \[command\]/);
  });
});
