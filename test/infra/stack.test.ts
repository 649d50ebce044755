import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { FUNCTIONS, type FunctionName } from '../../infra/functions-catalog.js';
import { DEFAULT_TRAFFIC_LIMITS, presslineContext } from '../../infra/pressline-stack.js';
import { synthTemplate } from './support/synth.js';
import { logicalIdOf, referencedIds, resourcesOf, type CfnResource } from './support/template.js';

const { stack, template } = synthTemplate();

/** A resource that (transitively) references itself: CloudFormation would refuse the template. */
function findCycle(resources: Record<string, CfnResource>): string[] | undefined {
  const edges = new Map(
    Object.entries(resources).map(([id, resource]) => [
      id,
      [...referencedIds(resource.Properties), ...(resource.DependsOn ?? [])].filter((target) => target in resources),
    ]),
  );
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string, path: string[]): string[] | undefined => {
    if (state.get(id) === 'done') return undefined;
    if (state.get(id) === 'visiting') return [...path.slice(path.indexOf(id)), id];
    state.set(id, 'visiting');
    for (const next of edges.get(id) ?? []) {
      const cycle = visit(next, [...path, id]);
      if (cycle) return cycle;
    }
    state.set(id, 'done');
    return undefined;
  };
  for (const id of edges.keys()) {
    const cycle = visit(id, []);
    if (cycle) return cycle;
  }
  return undefined;
}

describe('the template', () => {
  it.each([
    ['the default stage', {}],
    ['a custom domain with WAF', { domainName: 'news.example.com', certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc', waf: 'true', region: 'us-east-1' }],
  ])('has no dependency cycle with %s, though the functions know the distribution that fronts their API', (_name, context) => {
    const { Resources } = synthTemplate(context).template.toJSON() as { Resources: Record<string, CfnResource> };
    expect(findCycle(Resources)).toBeUndefined();
  });

  it('the cycle check finds a cycle when there is one', () => {
    const a: CfnResource = { Type: 'T', Properties: { x: { Ref: 'B' } } };
    const b: CfnResource = { Type: 'T', Properties: { y: { 'Fn::GetAtt': ['A', 'Arn'] } } };
    expect(findCycle({ A: a, B: b })).toEqual(['A', 'B', 'A']);
  });
});

describe('alarms', () => {
  const alarms = Object.values(resourcesOf(template, 'AWS::CloudWatch::Alarm')).map((alarm) => alarm.Properties);

  it('fires on HTTP API 5xx answers', () => {
    expect(alarms).toContainEqual(
      expect.objectContaining({ Namespace: 'AWS/ApiGateway', MetricName: '5xx', Dimensions: [{ Name: 'ApiId', Value: { Ref: logicalIdOf(stack.api.httpApi) } }] }),
    );
  });

  it.each(Object.keys(FUNCTIONS) as FunctionName[])('fires on errors and throttles of the %s function', (name) => {
    const dimensions = [{ Name: 'FunctionName', Value: { Ref: logicalIdOf(stack.functions[name].function) } }];
    for (const metric of ['Errors', 'Throttles']) {
      expect(alarms).toContainEqual(
        expect.objectContaining({ Namespace: 'AWS/Lambda', MetricName: metric, Dimensions: dimensions, Threshold: 1, TreatMissingData: 'notBreaching' }),
      );
    }
  });

  it('notifies an existing SNS topic given with -c alarmTopicArn', () => {
    const topic = 'arn:aws:sns:eu-west-1:123456789012:newsroom-ops';
    const withTopic = Object.values(resourcesOf(synthTemplate({ alarmTopicArn: topic }).template, 'AWS::CloudWatch::Alarm'));
    expect(withTopic).toHaveLength(alarms.length);
    for (const alarm of withTopic) expect(alarm.Properties).toMatchObject({ AlarmActions: [topic], OKActions: [topic] });
    for (const alarm of alarms) expect(alarm.AlarmActions).toBeUndefined();
  });
});

describe('outputs', () => {
  it('name the CDN URL, the API URL, the table and the buckets', () => {
    const outputs = template.toJSON() as { Outputs: Record<string, { Value: unknown }> };
    expect(outputs.Outputs).toMatchObject({
      CdnUrl: { Value: { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [logicalIdOf(stack.cdn.distribution), 'DomainName'] }]] } },
      ApiUrl: { Value: { 'Fn::GetAtt': [logicalIdOf(stack.api.httpApi), 'ApiEndpoint'] } },
      TableName: { Value: { Ref: logicalIdOf(stack.storage.table) } },
      MediaBucketName: { Value: { Ref: logicalIdOf(stack.storage.mediaBucket) } },
      SiteBucketName: { Value: { Ref: logicalIdOf(stack.storage.siteBucket) } },
      DistributionId: { Value: { Ref: logicalIdOf(stack.cdn.distribution) } },
    });
  });
});

describe('context options', () => {
  const contextOf = (context: Record<string, string>) => presslineContext(new App({ context }));

  it('defaults to the dev stage, environment-agnostic, without domain, WAF or topic', () => {
    expect(contextOf({})).toEqual({ stage: 'dev', limits: DEFAULT_TRAFFIC_LIMITS });
    expect(stack.stackName).toBe('Pressline-dev');
  });

  it('names the stack after the stage, so stages can share an account', () => {
    expect(synthTemplate({ stage: 'staging' }).stack.stackName).toBe('Pressline-staging');
  });

  it.each([
    [{ stage: 'Prod!' }, /stage/],
    [{ domainName: 'news.example.com' }, /certificateArn/],
    [{ certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc' }, /domainName/],
    [{ domainName: 'news.example.com', certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/abc' }, /us-east-1/],
    [{ waf: 'yes' }, /waf/],
    [{ waf: 'true', webAclArn: 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/x/1' }, /not both/],
    [{ webAclArn: 'arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/x/1' }, /CLOUDFRONT/],
    [{ waf: 'true', wafRateLimit: '5' }, /wafRateLimit/],
    [{ apiRateLimit: '0' }, /apiRateLimit/],
    [{ readerRateLimit: 'fast' }, /readerRateLimit/],
    [{ apiConcurrency: '-1' }, /apiConcurrency/],
    [{ readerConcurrency: '2.5' }, /readerConcurrency/],
    [{ newsroomTimeZone: 'Europe/Londn' }, /newsroomTimeZone/],
  ])('refuses %o with a message saying what to do', (context, message) => {
    expect(() => contextOf(context)).toThrow(message);
  });
});
