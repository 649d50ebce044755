import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { CfnStage, HttpApi, HttpMethod, HttpStage, LogGroupLogDestination, type ThrottleSettings } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/**
 * Request rates per route, in requests a second (bursts of twice that). Reporters' `/api/*` route
 * and each reader route have their own bucket, so a crawler missing the cache on random paths or
 * short codes is answered 429 on its own route and never uses up the newsroom's. Readers reach the
 * HTTP API only on a CloudFront miss; a newsroom sends a few requests a second at most.
 */
export const DEFAULT_THROTTLES = { apiRateLimit: 50, readerRateLimit: 200 } as const;

export interface RouteThrottles {
  /** `/api/*`, reporters and editors. */
  apiRateLimit: number;
  /** Each reader route (`/s/*`, `/`, every other path), per method. */
  readerRateLimit: number;
}

const throttleOf = (rateLimit: number): ThrottleSettings => ({ rateLimit, burstLimit: rateLimit * 2 });

/** The routes, as the local router (infra/local/server.ts) names them in its events. */
export const API_ROUTES = {
  api: { path: '/api/{proxy+}', methods: [HttpMethod.ANY] },
  redirect: { path: '/s/{proxy+}', methods: [HttpMethod.GET, HttpMethod.HEAD] },
  pagesRoot: { path: '/', methods: [HttpMethod.GET, HttpMethod.HEAD] },
  pages: { path: '/{proxy+}', methods: [HttpMethod.GET, HttpMethod.HEAD] },
} as const;

export interface PresslineHttpApiProps {
  api: IFunction;
  redirect: IFunction;
  pages: IFunction;
  logRetention: RetentionDays;
  logRemovalPolicy: RemovalPolicy;
  throttles?: RouteThrottles;
}

/**
 * The HTTP API behind CloudFront: `/api/*` to the API function, `/s/{proxy+}` to the short-link
 * function, every other GET to the pages function (CloudFront's fallback when the site bucket has
 * no object). One `$default` stage with JSON access logs and a throttle per route: reporters' and
 * readers' requests never share one.
 */
export class PresslineHttpApi extends Construct {
  readonly httpApi: HttpApi;
  readonly stage: HttpStage;
  readonly accessLogs: LogGroup;

  constructor(scope: Construct, id: string, props: PresslineHttpApiProps) {
    super(scope, id);
    // The API resource itself depends on no function, so the functions may reference the
    // distribution (their public base URL) while the distribution references this API.
    this.httpApi = new HttpApi(this, 'HttpApi', { description: 'Pressline: API, short links and computed pages', createDefaultStage: false });

    const throttles = props.throttles ?? DEFAULT_THROTTLES;
    this.accessLogs = new LogGroup(this, 'AccessLogs', { retention: props.logRetention, removalPolicy: props.logRemovalPolicy });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      // A route added later without its own setting gets the readers' limit, never a share of the API's.
      throttle: throttleOf(throttles.readerRateLimit),
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            time: '$context.requestTime',
            method: '$context.httpMethod',
            path: '$context.path',
            routeKey: '$context.routeKey',
            status: '$context.status',
            responseLength: '$context.responseLength',
            latencyMs: '$context.responseLatency',
            integrationLatencyMs: '$context.integrationLatency',
            integrationError: '$context.integrationErrorMessage',
            userAgent: '$context.identity.userAgent',
            sourceIp: '$context.identity.sourceIp',
          }),
        ),
      },
    });

    const integrations = {
      api: new HttpLambdaIntegration('Api', props.api),
      redirect: new HttpLambdaIntegration('Redirect', props.redirect),
      pages: new HttpLambdaIntegration('Pages', props.pages),
    };
    const routes = [
      ...this.httpApi.addRoutes({ ...API_ROUTES.api, methods: [...API_ROUTES.api.methods], integration: integrations.api }),
      ...this.httpApi.addRoutes({ ...API_ROUTES.redirect, methods: [...API_ROUTES.redirect.methods], integration: integrations.redirect }),
      ...this.httpApi.addRoutes({ ...API_ROUTES.pagesRoot, methods: [...API_ROUTES.pagesRoot.methods], integration: integrations.pages }),
      ...this.httpApi.addRoutes({ ...API_ROUTES.pages, methods: [...API_ROUTES.pages.methods], integration: integrations.pages }),
    ];
    // Each route key its own bucket (a JSON property: CloudFormation's own casing). The stage may only
    // name routes that exist, so it waits for them.
    const cfnStage = this.stage.node.defaultChild as CfnStage;
    cfnStage.routeSettings = Object.fromEntries(
      Object.entries(API_ROUTES).flatMap(([name, route]) => {
        const { rateLimit, burstLimit } = throttleOf(name === 'api' ? throttles.apiRateLimit : throttles.readerRateLimit);
        return route.methods.map((method) => [`${method} ${route.path}`, { ThrottlingRateLimit: rateLimit, ThrottlingBurstLimit: burstLimit }]);
      }),
    );
    for (const route of routes) cfnStage.node.addDependency(route);
    for (const route of routes) {
      Validations.of(route).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason:
          'Pages and short links are public by design; /api/* requests are authenticated by the API function with Pressline API keys (hash lookup in DynamoDB, roles, revocation), which an API Gateway authorizer cannot check without a second Lambda.',
      });
    }
  }
}
