import { describe, expect, it } from 'vitest';
import { Template } from 'aws-cdk-lib/assertions';
import { AWS_ONLY_SETTINGS, CONFIG_ENV, HANDLER_SETTINGS, WORKFLOW_ENV } from '../../shared/config.js';
import { FUNCTIONS, type FunctionName } from '../../infra/functions-catalog.js';
import { ORIGIN_SECRET_ENV } from '../../shared/http/origin-secret.js';
import { buildApp, synthTemplate } from './support/synth.js';
import { logicalIdOf, resourcesOf, roleStatements, type CfnResource, type PolicyStatementJson } from './support/template.js';

const { stack, template } = synthTemplate();
const names = Object.keys(FUNCTIONS) as FunctionName[];

function functionResource(name: FunctionName): CfnResource {
  const resource = resourcesOf(template, 'AWS::Lambda::Function')[logicalIdOf(stack.functions[name].function)];
  if (!resource) throw new Error(`no function ${name}`);
  return resource;
}

/** Every statement of the policies attached to a function's role. */
function statementsOf(name: FunctionName): PolicyStatementJson[] {
  return roleStatements(template, logicalIdOf(stack.functions[name].role));
}

const actionsOf = (name: FunctionName) => statementsOf(name).flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));

describe('one Lambda function per handler of the catalog', () => {
  it('has exactly the catalog’s handlers, and the deployment-time handlers aws-cdk-lib uses to set bucket notifications and to deploy the newsroom app', () => {
    const handlerOf = (type: string) => {
      const tokens = Object.values(resourcesOf(template, type)).map((resource) => (resource.Properties.ServiceToken as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0]);
      expect(new Set(tokens).size, type).toBe(1);
      return tokens[0]!;
    };
    expect(Object.keys(resourcesOf(template, 'AWS::Lambda::Function')).sort()).toEqual(
      [...names.map((n) => logicalIdOf(stack.functions[n].function)), handlerOf('Custom::S3BucketNotifications'), handlerOf('Custom::CDKBucketDeployment')].sort(),
    );
  });

  it.each(names)('%s runs on a supported Node.js runtime (at least 22), the same as the others, on arm64 (sharp’s binary), with tracing', (name) => {
    const fn = functionResource(name);
    expect(fn.Properties.Runtime).toBe(functionResource(names[0]!).Properties.Runtime);
    expect(Number(/^nodejs(\d+)\.x$/.exec(String(fn.Properties.Runtime))?.[1])).toBeGreaterThanOrEqual(22);
    expect(fn.Properties.Architectures).toEqual(['arm64']);
    expect(fn.Properties.TracingConfig).toEqual({ Mode: 'Active' });
    expect(fn.Properties.Handler).toBe('index.handler');
  });

  it.each(names.filter((name) => FUNCTIONS[name].invocation === 'http'))('%s, behind the HTTP API, times out before API Gateway’s 30 s limit (else the client gets a bare 503)', (name) => {
    const timeout = functionResource(name).Properties.Timeout;
    expect(typeof timeout).toBe('number');
    expect(timeout as number).toBeLessThan(30);
  });

  it.each(names)('%s logs to its own log group, which expires its logs (never-expire is the default)', (name) => {
    const fn = functionResource(name);
    const logGroupId = logicalIdOf(stack.functions[name].logGroup);
    expect(fn.Properties.LoggingConfig).toEqual({ LogGroup: { Ref: logGroupId } });
    expect(resourcesOf(template, 'AWS::Logs::LogGroup')[logGroupId]?.Properties.RetentionInDays).toBeGreaterThan(0);
    expect(new Set(names.map((other) => logicalIdOf(stack.functions[other].logGroup))).size).toBe(names.length);
  });

  it.each(names)('%s is told exactly the settings its handler reads (HANDLER_SETTINGS)', (name) => {
    const variables = (functionResource(name).Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    const expected: Record<string, unknown> = {
      [CONFIG_ENV.tableName]: { Ref: logicalIdOf(stack.storage.table) },
      [CONFIG_ENV.mediaBucket]: { Ref: logicalIdOf(stack.storage.mediaBucket) },
      [CONFIG_ENV.siteBucket]: { Ref: logicalIdOf(stack.storage.siteBucket) },
      [CONFIG_ENV.publicBaseUrl]: { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [logicalIdOf(stack.cdn.distribution), 'DomainName'] }]] },
    };
    for (const setting of HANDLER_SETTINGS[name]) expect(variables[CONFIG_ENV[setting]]).toEqual(expected[CONFIG_ENV[setting]]);
    const workflowVariables: string[] = Object.values(WORKFLOW_ENV);
    const awsOnlyVariables: string[] = [...AWS_ONLY_SETTINGS.map((setting) => CONFIG_ENV[setting]), ORIGIN_SECRET_ENV.secretArn];
    const presslineVariables = Object.keys(variables).filter((key) => key.startsWith('PRESSLINE_') && !awsOnlyVariables.includes(key) && !workflowVariables.includes(key));
    expect(presslineVariables.sort()).toEqual(HANDLER_SETTINGS[name].map((setting) => CONFIG_ENV[setting]).sort());
    expect(variables.NODE_OPTIONS).toBe('--enable-source-maps');
  });

  it('refuses to synthesize a function told a setting its handler never reads', () => {
    const { stack: extra } = buildApp();
    extra.functions.redirect.names('siteBucket', 'not-read');
    expect(() => Template.fromStack(extra)).toThrow(/PRESSLINE_SITE_BUCKET is set but the handler never reads it/);
  });

  it('uses the custom domain as the public base URL when there is one', () => {
    const custom = synthTemplate({ domainName: 'news.example.com', certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc-123' });
    const fn = resourcesOf(custom.template, 'AWS::Lambda::Function')[logicalIdOf(custom.stack.functions.redirect.function)];
    expect((fn?.Properties.Environment as { Variables: Record<string, unknown> }).Variables[CONFIG_ENV.publicBaseUrl]).toBe('https://news.example.com');
  });
});

describe('least privilege', () => {
  const writes = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem', 's3:PutObject', 's3:DeleteObject'];

  // Which table and object actions each function has, on which keys: iam-matches-recorded-calls.test.ts,
  // against the calls its handler is recorded making.

  it.each(['redirect', 'pages'] as const)('the %s function writes nothing', (name) => {
    expect(actionsOf(name).filter((action) => writes.includes(action) || action.startsWith('s3:') || action.startsWith('cloudfront:'))).toEqual([]);
  });

  it.each(names)('%s invalidates the distribution only if it is told which one: the one that fronts it (no SDK call of the local runtime shows this)', (name) => {
    const told = (functionResource(name).Properties.Environment as { Variables: Record<string, unknown> }).Variables[CONFIG_ENV.distributionId];
    if (actionsOf(name).includes('cloudfront:CreateInvalidation')) expect(told).toEqual({ Ref: logicalIdOf(stack.cdn.distribution) });
    else expect(told).toBeUndefined();
  });

  it('only the invalidate function calls CloudFront; the functions that change articles may only send to the invalidation queue', () => {
    expect(names.filter((name) => actionsOf(name).some((action) => action.startsWith('cloudfront:')))).toEqual(['invalidate']);
    const queueArn = { 'Fn::GetAtt': [logicalIdOf(stack.invalidations.queue), 'Arn'] };
    for (const name of ['api', 'publishScheduled'] as const) {
      const onQueue = statementsOf(name)
        .filter((s) => [s.Resource].flat().some((resource) => JSON.stringify(resource) === JSON.stringify(queueArn)))
        .flatMap((s) => [s.Action].flat());
      expect(onQueue).toEqual(['sqs:SendMessage']);
      const told = (functionResource(name).Properties.Environment as { Variables: Record<string, unknown> }).Variables[CONFIG_ENV.invalidationQueueUrl];
      expect(told).toEqual({ Ref: logicalIdOf(stack.invalidations.queue) });
    }
  });

  // The one listing allowed: the API's purge lists the versions of one photo's keys (its prefix condition: purge-permissions.test.ts).
  const purgeListing = (name: FunctionName, s: PolicyStatementJson) =>
    name === 'api' && s.Action === 's3:ListBucketVersions' && (s.Condition as { StringLike?: Record<string, unknown> } | undefined)?.StringLike?.['s3:prefix'] !== undefined;

  it.each(names)('%s may not Scan, administer the table, or list objects; only processMedia reads one (an upload)', (name) => {
    const actions = statementsOf(name).filter((s) => !purgeListing(name, s)).flatMap((s) => [s.Action].flat());
    for (const action of actions) {
      expect(action).not.toMatch(/\*|Scan|Table$|^dynamodb:(Create|Delete|Update)Table|^s3:List|^s3:Get(?!Object$)/);
      if (name !== 'processMedia') expect(action).not.toBe('s3:GetObject');
    }
  });

  it.each(names)('%s has nothing on Resource "*" but the X-Ray tracing actions', (name) => {
    const onStar = statementsOf(name).filter((s) => s.Resource === '*' || (Array.isArray(s.Resource) && s.Resource.includes('*')));
    expect(onStar.flatMap((s) => [s.Action].flat()).sort()).toEqual(['xray:PutTelemetryRecords', 'xray:PutTraceSegments']);
  });

  it.each(names)('%s has no managed policies (its role may only write its own log group)', (name) => {
    const role = resourcesOf(template, 'AWS::IAM::Role')[logicalIdOf(stack.functions[name].role)];
    expect(role?.Properties.ManagedPolicyArns).toBeUndefined();
    const logStatement = statementsOf(name).find((s) => [s.Action].flat().includes('logs:PutLogEvents'));
    expect(logStatement?.Resource).toEqual({ 'Fn::GetAtt': [logicalIdOf(stack.functions[name].logGroup), 'Arn'] });
  });
});
