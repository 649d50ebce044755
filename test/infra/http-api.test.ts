import { describe, expect, it } from 'vitest';
import type { FunctionName } from '../../infra/functions-catalog.js';
import { synthTemplate } from './support/synth.js';
import { logicalIdOf, onlyResourceOf, resourcesOf } from './support/template.js';

const { stack, template } = synthTemplate();

/** Route key → the logical id of the function its integration invokes. */
function routeTargets(): Record<string, string> {
  const integrations = resourcesOf(template, 'AWS::ApiGatewayV2::Integration');
  const targets: Record<string, string> = {};
  for (const route of Object.values(resourcesOf(template, 'AWS::ApiGatewayV2::Route'))) {
    const target = JSON.stringify(route.Properties.Target);
    const integrationId = Object.keys(integrations).find((id) => target.includes(`"${id}"`));
    const uri = integrationId ? (integrations[integrationId]?.Properties.IntegrationUri as { 'Fn::GetAtt'?: [string, string] }) : undefined;
    targets[String(route.Properties.RouteKey)] = uri?.['Fn::GetAtt']?.[0] ?? 'none';
  }
  return targets;
}

describe('the HTTP API', () => {
  it('routes /api/*, /s/* and every other GET to their handlers, as the local router does', () => {
    const fn = (name: FunctionName) => logicalIdOf(stack.functions[name].function);
    expect(routeTargets()).toEqual({
      'ANY /api/{proxy+}': fn('api'),
      'GET /s/{proxy+}': fn('redirect'),
      'HEAD /s/{proxy+}': fn('redirect'),
      'GET /': fn('pages'),
      'HEAD /': fn('pages'),
      'GET /{proxy+}': fn('pages'),
      'HEAD /{proxy+}': fn('pages'),
    });
  });

  it('hands the functions payload format 2.0 events, the shape the local runtime builds', () => {
    template.allResourcesProperties('AWS::ApiGatewayV2::Integration', { IntegrationType: 'AWS_PROXY', PayloadFormatVersion: '2.0' });
  });

  it('has one auto-deployed $default stage with throttling and JSON access logs', () => {
    const [, stage] = onlyResourceOf(template, 'AWS::ApiGatewayV2::Stage');
    expect(stage.Properties).toMatchObject({
      StageName: '$default',
      AutoDeploy: true,
      AccessLogSettings: { DestinationArn: { 'Fn::GetAtt': [logicalIdOf(stack.api.accessLogs), 'Arn'] } },
    });
    // Throttled below the account's default (10,000 requests/s), so one client cannot spend the whole account's concurrency.
    const throttle = (stage.Properties.DefaultRouteSettings ?? {}) as { ThrottlingRateLimit?: number; ThrottlingBurstLimit?: number };
    expect(throttle.ThrottlingRateLimit).toBeGreaterThan(0);
    expect(throttle.ThrottlingRateLimit).toBeLessThan(10_000);
    expect(throttle.ThrottlingBurstLimit).toBeGreaterThanOrEqual(throttle.ThrottlingRateLimit!);
    const format = JSON.parse(String((stage.Properties.AccessLogSettings as { Format: string }).Format)) as Record<string, string>;
    expect(format).toMatchObject({ requestId: '$context.requestId', status: '$context.status', routeKey: '$context.routeKey' });
  });

  it('lets API Gateway invoke each HTTP function, S3 only the photo-processing function, EventBridge only the scheduled-publishing one', () => {
    const permissions = Object.values(resourcesOf(template, 'AWS::Lambda::Permission')).map((p) => p.Properties);
    const byApiGateway = permissions.filter((p) => p.Principal === 'apigateway.amazonaws.com');
    expect(byApiGateway).toHaveLength(7);
    for (const permission of byApiGateway) expect(permission.SourceArn).toBeDefined();
    const httpFunctions = new Set((['api', 'redirect', 'pages'] as const).map((name) => logicalIdOf(stack.functions[name].function)));
    for (const permission of byApiGateway) expect(httpFunctions.has((permission.FunctionName as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0])).toBe(true);
    expect(permissions.filter((p) => p.Principal !== 'apigateway.amazonaws.com')).toEqual([
      expect.objectContaining({ Principal: 's3.amazonaws.com', FunctionName: { 'Fn::GetAtt': [logicalIdOf(stack.functions.processMedia.function), 'Arn'] } }),
      expect.objectContaining({ Principal: 'events.amazonaws.com', FunctionName: { 'Fn::GetAtt': [logicalIdOf(stack.functions.publishScheduled.function), 'Arn'] } }),
    ]);
  });
});
