import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Validations } from 'aws-cdk-lib';
import { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import type { IConstruct } from 'constructs';
import { afterAll, describe, expect, it } from 'vitest';
import type { PresslineStack } from '../../infra/pressline-stack.js';
import { buildApp } from './support/synth.js';

const outdirs: string[] = [];
afterAll(() => {
  for (const dir of outdirs) rmSync(dir, { recursive: true, force: true });
});

interface ValidationReport {
  pluginReports: { pluginName: string; violations: { ruleName: string; severity: string; violatingConstructs: { constructPath: string }[] }[] }[];
}

/**
 * Synthesizes the app as `cdk synth` does, cdk-nag packs included, and returns what they report.
 * cdk-nag 3 reports through CDK's validation plugins (not Annotations): unacknowledged findings
 * land in the assembly's validation report, and an error also fails the synth.
 */
function nagFindings(context: Record<string, string> = {}, addToStack?: (stack: PresslineStack) => void): string[] {
  const outdir = mkdtempSync(join(tmpdir(), 'pressline-nag-'));
  outdirs.push(outdir);
  const { app, stack } = buildApp({ context, securityChecks: true, outdir });
  addToStack?.(stack);
  let failure: unknown;
  try {
    app.synth();
  } catch (error) {
    failure = error;
  }
  const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as ValidationReport;
  const findings = report.pluginReports.flatMap((plugin) =>
    plugin.violations.flatMap((v) => v.violatingConstructs.map((c) => `${v.severity} ${v.ruleName} at ${c.constructPath}`)),
  );
  if (failure && findings.length === 0) throw failure;
  return findings;
}

/** Every `Validations.acknowledge` in the app: construct path, rule id, reason. */
function acknowledgements(root: IConstruct): { path: string; id: string; reason: string }[] {
  const found: { path: string; id: string; reason: string }[] = [];
  const visit = (construct: IConstruct) => {
    for (const entry of construct.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
      for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) found.push({ path: construct.node.path, id, reason });
    }
    construct.node.children.forEach(visit);
  };
  visit(root);
  return found;
}

describe('cdk-nag (AwsSolutions and Serverless packs)', () => {
  it.each([
    ['the dev stage', {}],
    ['prod with a custom domain, WAF and an alarm topic', {
      stage: 'prod',
      region: 'us-east-1',
      domainName: 'news.example.com',
      certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc',
      waf: 'true',
      alarmTopicArn: 'arn:aws:sns:us-east-1:123456789012:ops',
    }],
    ['an existing web ACL', { webAclArn: 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/newsroom/1' }],
  ])('finds no unacknowledged error or warning for %s', (_name, context) => {
    expect(nagFindings(context)).toEqual([]);
  });

  it('is really checking: both packs report what they should in a stack that breaks their rules', () => {
    const findings = nagFindings({}, (stack) => {
      new Bucket(stack, 'CanaryBucket');
      new CfnFunction(stack, 'CanaryFunction', {
        code: { zipFile: 'exports.handler = async () => {}' },
        role: 'arn:aws:iam::123456789012:role/canary',
        runtime: 'nodejs24.x',
        handler: 'index.handler',
      });
    });
    expect(findings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/AwsSolutions-S10 at .*\/CanaryBucket\//),
        expect.stringMatching(/Serverless-LambdaDefaultMemorySize at .*\/CanaryFunction/),
        expect.stringMatching(/Serverless-LambdaTracing at .*\/CanaryFunction/),
      ]),
    );
  });

  it('has a specific reason for every acknowledgement', () => {
    const { app } = buildApp({ securityChecks: true });
    const acks = acknowledgements(app);
    expect(acks.length).toBeGreaterThan(0);
    for (const ack of acks) {
      expect(ack.id, ack.path).toMatch(/^Annotation::(AwsSolutions|Serverless)-[A-Za-z0-9]+(\[.+\])?$/);
      expect(ack.reason.length, `${ack.id} at ${ack.path}`).toBeGreaterThanOrEqual(60);
    }
  });

  it("acknowledges wildcard resources only for X-Ray, per-article or per-photo object keys, and per-article schedules in Pressline's group", () => {
    const { app, stack } = buildApp({ securityChecks: true });
    const provider = stack.newsroom.deploymentProvider.node.path;
    const wildcards = acknowledgements(app).filter((ack) => ack.id.includes('AwsSolutions-IAM5') && ack.path !== provider);
    expect(wildcards.length).toBeGreaterThan(0);
    for (const ack of wildcards) {
      expect(ack.id).toMatch(/IAM5\[Resource::(\*|<Storage(Media|Site)[0-9A-F]{8}\.Arn>\/(media\/|uploads\/|media\/\?{8}-\?{4}-\?{4}-\?{4}-\?{12}\/)?\*|arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule\/Pressline-dev-publishing\/\*)\]$/);
    }
  });

  it('acknowledges for the newsroom’s BucketDeployment provider only S3 wildcards on the bootstrap assets and the site bucket', () => {
    const { app, stack } = buildApp({ securityChecks: true });
    const provider = stack.newsroom.deploymentProvider.node.path;
    const wildcards = acknowledgements(app).filter((ack) => ack.id.includes('AwsSolutions-IAM5') && ack.path === provider);
    expect(wildcards.length).toBeGreaterThan(0);
    for (const ack of wildcards) {
      expect(ack.id).toMatch(/IAM5\[(Action::s3:[A-Za-z]+\*|Resource::(arn:<AWS::Partition>:s3:::cdk-[a-z0-9]+-assets-<AWS::AccountId>-<AWS::Region>\/\*|<StorageSite[0-9A-F]{8}\.Arn>\/\*))\]$/);
    }
  });

  it('acknowledges a managed policy only on the roles of aws-cdk-lib’s deployment-time handlers (bucket notifications, bucket deployment)', () => {
    const { app, stack } = buildApp({ securityChecks: true });
    const managed = acknowledgements(app).filter((ack) => ack.id.includes('AwsSolutions-IAM4'));
    expect(managed.map((ack) => ack.path).sort()).toEqual([stack.storage.mediaNotificationsRole.node.path, stack.newsroom.deploymentProvider.node.path].sort());
    for (const ack of managed) expect(ack.id).toMatch(/AWSLambdaBasicExecutionRole\]$/);
  });
});
