import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpMethod, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/**
 * Stage-wide limits. Readers reach the API only on a CloudFront cache miss, and reporters submit
 * a few articles a minute, so these sit far above normal traffic and well below the account's
 * Lambda concurrency: a flood is refused with 429 before it becomes a bill.
 */
export const API_THROTTLE = { rateLimit: 200, burstLimit: 400 } as const;

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
}

/**
 * The HTTP API behind CloudFront: `/api/*` to the API function, `/s/{proxy+}` to the short-link
 * function, every other GET to the pages function (CloudFront's fallback when the site bucket has
 * no object). One `$default` stage with throttling and JSON access logs.
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

    this.accessLogs = new LogGroup(this, 'AccessLogs', { retention: props.logRetention, removalPolicy: props.logRemovalPolicy });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: API_THROTTLE,
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
    for (const route of routes) {
      Validations.of(route).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason:
          'Pages and short links are public by design; /api/* requests are authenticated by the API function with Pressline API keys (hash lookup in DynamoDB, roles, revocation), which an API Gateway authorizer cannot check without a second Lambda.',
      });
    }
  }
}
