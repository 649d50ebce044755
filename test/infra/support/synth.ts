import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { PROJECT_ROOT } from '../../../infra/constructs/pressline-function.js';
import { definePresslineApp, type PresslineStack } from '../../../infra/pressline-stack.js';

/** cdk.json's feature flags: the CLI passes them to the app, so the tests must too. */
export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(join(PROJECT_ROOT, 'cdk.json'), 'utf8')) as { context?: Record<string, unknown> };
  return cdkJson.context ?? {};
}

export interface SynthOptions {
  /** `-c key=value` options, as the CLI would pass them (strings). */
  context?: Record<string, string>;
  /** Bundle the handlers with esbuild (slow); off by default. */
  bundle?: boolean;
  securityChecks?: boolean;
  outdir?: string;
}

/**
 * The app `cdk synth` builds, in process. Bundling and the built-in CloudFormation validation are
 * off unless asked for, so a stack test takes well under a second per synth.
 */
export function buildApp(options: SynthOptions = {}): { app: App; stack: PresslineStack } {
  const app = new App({
    context: { ...cdkJsonContext(), ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }), ...options.context },
    builtinCloudFormationValidation: false,
    ...(options.outdir ? { outdir: options.outdir } : {}),
  });
  const stack = definePresslineApp(app, { securityChecks: options.securityChecks ?? false });
  return { app, stack };
}

export function synthTemplate(context: Record<string, string> = {}): { stack: PresslineStack; template: Template } {
  const { stack } = buildApp({ context });
  return { stack, template: Template.fromStack(stack) };
}
