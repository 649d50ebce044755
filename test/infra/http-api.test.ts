import { describe, expect, it } from 'vitest';
import type { FunctionName } from '../../infra/functions-catalog.js';
import { DEFAULT_TRAFFIC_LIMITS } from '../../infra/pressline-stack.js';
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

  it('has one auto-deployed $default stage with JSON access logs', () => {
    const [, stage] = onlyResourceOf(template, 'AWS::ApiGatewayV2::Stage');
    expect(stage.Properties).toMatchObject({
      StageName: '$default',
      AutoDeploy: true,
      AccessLogSettings: { DestinationArn: { 'Fn::GetAtt': [logicalIdOf(stack.api.accessLogs), 'Arn'] } },
    });
    const format = JSON.parse(String((stage.Properties.AccessLogSettings as { Format: string }).Format)) as Record<string, string>;
    expect(format).toMatchObject({ requestId: '$context.requestId', status: '$context.status', routeKey: '$context.routeKey' });
  });
});

describe('reporters isolated from readers', () => {
  const [stageId, stage] = onlyResourceOf(template, 'AWS::ApiGatewayV2::Stage');
  type Throttle = { ThrottlingRateLimit: number; ThrottlingBurstLimit: number };
  const routeSettings = stage.Properties.RouteSettings as Record<string, Throttle>;

  it('gives every route key its own throttle: /api/* the reporters\' limit, each reader route the readers\'', () => {
    expect(Object.keys(routeSettings).sort()).toEqual(Object.keys(routeTargets()).sort());
    const api = { ThrottlingRateLimit: DEFAULT_TRAFFIC_LIMITS.apiRateLimit, ThrottlingBurstLimit: 2 * DEFAULT_TRAFFIC_LIMITS.apiRateLimit };
    const reader = { ThrottlingRateLimit: DEFAULT_TRAFFIC_LIMITS.readerRateLimit, ThrottlingBurstLimit: 2 * DEFAULT_TRAFFIC_LIMITS.readerRateLimit };
    for (const [key, throttle] of Object.entries(routeSettings)) expect(throttle, key).toEqual(key === 'ANY /api/{proxy+}' ? api : reader);
    // Below the account's 10,000 requests a second, so no route can spend the account's whole allowance.
    for (const throttle of Object.values(routeSettings)) expect(throttle.ThrottlingRateLimit).toBeLessThan(10_000);
  });

  it('a route added without its own setting falls back to the readers\' limit, not a share of the API\'s', () => {
    expect(stage.Properties.DefaultRouteSettings).toMatchObject({ ThrottlingRateLimit: DEFAULT_TRAFFIC_LIMITS.readerRateLimit });
  });

  it('the stage is created after the routes its settings name (CloudFormation refuses settings for a route that does not exist yet)', () => {
    const dependsOn = template.toJSON().Resources[stageId].DependsOn as string[];
    const routeIds = Object.keys(resourcesOf(template, 'AWS::ApiGatewayV2::Route'));
    expect(dependsOn).toEqual(expect.arrayContaining(routeIds));
  });

  it('reserves concurrency for the API function and caps each reader function, from -c options', () => {
    const reserved = (t: typeof template, name: FunctionName) =>
      resourcesOf(t, 'AWS::Lambda::Function')[logicalIdOf(stack.functions[name].function)]?.Properties.ReservedConcurrentExecutions;
    expect(reserved(template, 'api')).toBe(DEFAULT_TRAFFIC_LIMITS.apiConcurrency);
    expect(reserved(template, 'pages')).toBe(DEFAULT_TRAFFIC_LIMITS.readerConcurrency);
    expect(reserved(template, 'redirect')).toBe(DEFAULT_TRAFFIC_LIMITS.readerConcurrency);
    // Photo processing and the scheduled step stay in the shared pool.
    expect(reserved(template, 'processMedia')).toBeUndefined();
    expect(reserved(template, 'publishScheduled')).toBeUndefined();

    const tuned = synthTemplate({ apiConcurrency: '40', readerConcurrency: '0', apiRateLimit: '10', readerRateLimit: '500' });
    expect(reserved(tuned.template, 'api')).toBe(40);
    expect(reserved(tuned.template, 'pages')).toBeUndefined();
    const [, tunedStage] = onlyResourceOf(tuned.template, 'AWS::ApiGatewayV2::Stage');
    const tunedSettings = tunedStage.Properties.RouteSettings as Record<string, Throttle>;
    expect(tunedSettings['ANY /api/{proxy+}']).toEqual({ ThrottlingRateLimit: 10, ThrottlingBurstLimit: 20 });
    expect(tunedSettings['GET /s/{proxy+}']).toEqual({ ThrottlingRateLimit: 500, ThrottlingBurstLimit: 1000 });
  });
});

describe('the HTTP API\'s callers', () => {
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
