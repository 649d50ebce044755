import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { chromium, type Browser } from 'playwright-core';

const run = promisify(execFile);

/** Debian's Chromium; `PRESSLINE_CHROMIUM` points elsewhere. A missing browser fails the suite, never skips it. */
export const CHROMIUM_PATH = process.env.PRESSLINE_CHROMIUM ?? '/usr/bin/chromium';

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium is needed for the browser tests and is not at ${CHROMIUM_PATH}: install it (apt-get install chromium; .ci/run does) or set PRESSLINE_CHROMIUM.`);
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

async function requireCommand(command: string, versionArgs: string[], install: string): Promise<void> {
  try {
    await run(command, versionArgs);
  } catch (error) {
    throw new Error(`\`${command}\` is needed by this test and could not run (${(error as Error).message}): install ${install}; .ci/run does.`);
  }
}

export interface NuMessage {
  type: string;
  url?: string;
  message: string;
  lastLine?: number;
  extract?: string;
}

/** The W3C Nu HTML Checker over many files in one run (the JVM takes seconds to start). Errors only. */
export async function checkHtmlWithNu(files: string[]): Promise<NuMessage[]> {
  await requireCommand('java', ['-version'], 'a Java runtime (apt-get install default-jre-headless)');
  const jar = new URL('../../../node_modules/vnu-jar/build/dist/vnu.jar', import.meta.url).pathname;
  if (!existsSync(jar)) throw new Error(`The Nu HTML Checker is not at ${jar}: run npm ci (vnu-jar is a dev dependency).`);
  // vnu exits non-zero when it finds errors and writes its JSON report to stderr either way.
  const output = await run('java', ['-jar', jar, '--errors-only', '--format', 'json', ...files], { maxBuffer: 64 * 1024 * 1024 }).then(
    (done) => done.stderr,
    (failed: { stderr?: string }) => failed.stderr ?? '',
  );
  const report = JSON.parse(output) as { messages: NuMessage[] };
  return report.messages;
}

/** `xmllint --schema`: the schema's verdict on one XML file, with libxml2's messages when it fails. */
export async function validateXmlAgainstSchema(file: string, schema: string): Promise<{ valid: boolean; messages: string }> {
  await requireCommand('xmllint', ['--version'], "libxml2-utils (apt-get install libxml2-utils)");
  return run('xmllint', ['--noout', '--nonet', '--schema', schema, file]).then(
    (done) => ({ valid: true, messages: done.stderr }),
    (failed: { stderr?: string }) => ({ valid: false, messages: failed.stderr ?? '' }),
  );
}
