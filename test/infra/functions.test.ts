import { describe, expect, it } from 'vitest';
import { Template } from 'aws-cdk-lib/assertions';
import { CONFIG_ENV, HANDLER_SETTINGS, WORKFLOW_ENV } from '../../shared/config.js';
import { LAMBDA_RUNTIME } from '../../infra/constructs/pressline-function.js';
import { FUNCTIONS, type FunctionName } from '../../infra/functions-catalog.js';
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
  it('has exactly the catalog’s handlers, and the deployment-time handler aws-cdk-lib uses to set bucket notifications', () => {
    const notifications = Object.values(resourcesOf(template, 'Custom::S3BucketNotifications'));
    const notificationsHandlers = notifications.map((resource) => (resource.Properties.ServiceToken as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0]);
    expect(new Set(notificationsHandlers).size).toBe(1);
    expect(Object.keys(resourcesOf(template, 'AWS::Lambda::Function')).sort()).toEqual(
      [...names.map((n) => logicalIdOf(stack.functions[n].function)), notificationsHandlers[0]].sort(),
    );
  });

  it.each(names)('%s runs on the newest Node.js runtime (at least 22) on arm64, with tracing', (name) => {
    const fn = functionResource(name);
    expect(fn.Properties.Runtime).toBe(LAMBDA_RUNTIME.name);
    expect(Number(/^nodejs(\d+)\.x$/.exec(String(fn.Properties.Runtime))?.[1])).toBeGreaterThanOrEqual(22);
    expect(fn.Properties.Architectures).toEqual(['arm64']);
    expect(fn.Properties.TracingConfig).toEqual({ Mode: 'Active' });
    expect(fn.Properties.Handler).toBe('index.handler');
  });

  it.each(names)('%s has the memory, timeout and description of the catalog', (name) => {
    const fn = functionResource(name);
    expect(fn.Properties.MemorySize).toBe(FUNCTIONS[name].memoryMiB);
    expect(fn.Properties.Timeout).toBe(FUNCTIONS[name].timeoutSeconds);
    expect(fn.Properties.Description).toBe(FUNCTIONS[name].description);
  });

  it.each(names)('%s logs to its own log group with a retention', (name) => {
    const fn = functionResource(name);
    const logGroupId = logicalIdOf(stack.functions[name].logGroup);
    expect(fn.Properties.LoggingConfig).toEqual({ LogGroup: { Ref: logGroupId } });
    expect(resourcesOf(template, 'AWS::Logs::LogGroup')[logGroupId]?.Properties.RetentionInDays).toBe(14);
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
    const presslineVariables = Object.keys(variables).filter((key) => key.startsWith('PRESSLINE_') && key !== CONFIG_ENV.distributionId && !workflowVariables.includes(key));
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

  it('the redirect function can only get items by key', () => {
    expect(actionsOf('redirect').filter((action) => action.startsWith('dynamodb:'))).toEqual(['dynamodb:GetItem']);
  });

  it('the pages function can get items and query the listing index, and nothing else in the table', () => {
    expect(actionsOf('pages').filter((action) => action.startsWith('dynamodb:')).sort()).toEqual(['dynamodb:GetItem', 'dynamodb:Query']);
  });

  it.each(['redirect', 'pages'] as const)('the %s function writes nothing', (name) => {
    expect(actionsOf(name).filter((action) => writes.includes(action) || action.startsWith('s3:') || action.startsWith('cloudfront:'))).toEqual([]);
  });

  it('the api function uses exactly the table calls it makes: Query (newsroom listings, revisions), no batch reads', () => {
    expect(actionsOf('api').filter((action) => action.startsWith('dynamodb:')).sort()).toEqual(
      ['dynamodb:BatchWriteItem', 'dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem'],
    );
  });

  it('the api function writes items, originals under uploads/, renditions under media/ and pages, and invalidates the distribution', () => {
    expect(actionsOf('api')).toEqual(expect.arrayContaining([...writes, 'cloudfront:CreateInvalidation']));
    const objectResources = statementsOf('api')
      .filter((s) => [s.Action].flat().includes('s3:PutObject'))
      .flatMap((s) => [s.Resource].flat());
    // In any order: minimizePolicies merges and sorts the statements.
    expect(objectResources.map((r) => JSON.stringify(r)).sort()).toEqual(
      [
        { 'Fn::Join': ['', [{ 'Fn::GetAtt': [logicalIdOf(stack.storage.mediaBucket), 'Arn'] }, '/uploads/*']] },
        { 'Fn::Join': ['', [{ 'Fn::GetAtt': [logicalIdOf(stack.storage.mediaBucket), 'Arn'] }, '/media/*']] },
        { 'Fn::Join': ['', [{ 'Fn::GetAtt': [logicalIdOf(stack.storage.siteBucket), 'Arn'] }, '/*']] },
      ]
        .map((r) => JSON.stringify(r))
        .sort(),
    );
    expect((functionResource('api').Properties.Environment as { Variables: Record<string, unknown> }).Variables[CONFIG_ENV.distributionId]).toEqual({
      Ref: logicalIdOf(stack.cdn.distribution),
    });
  });

  it.each(names)('%s may not Scan, administer the table, or list objects; only processMedia reads one (an upload)', (name) => {
    for (const action of actionsOf(name)) {
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
