import { Aws, Duration, Stack, Validations } from 'aws-cdk-lib';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AllowedMethods,
  CacheCookieBehavior,
  CachedMethods,
  CacheHeaderBehavior,
  CachePolicy,
  CacheQueryStringBehavior,
  Distribution,
  Function as CloudFrontFunction,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  OriginSslPolicy,
  ResponseHeadersPolicy,
  S3OriginAccessControl,
  Signing,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
  type BehaviorOptions,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, OriginGroup, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { ORIGIN_SECRET_HEADER } from '../../shared/http/origin-secret.js';
import { NEWSROOM_PATH_PREFIX, SECURITY_HEADERS, newsroomSecurityHeaders } from '../../shared/render/security-headers.js';
import { INDEX_PAGE_FUNCTION_CODE } from './index-page-function.js';
import { cloudFrontSecurityHeaders } from './security-headers.js';

/** S3 answers 403 for a missing key (the OAC may not list the bucket), 404 where it may. */
export const FAILOVER_STATUS_CODES = [403, 404];

export interface CustomDomain {
  domainName: string;
  /** An ACM certificate in us-east-1 covering `domainName` (CloudFront only reads certificates there). */
  certificateArn: string;
}

export type WebAclChoice =
  /** Create a CLOUDFRONT-scope web ACL with a per-IP rate rule (the stack must be in us-east-1). */
  | { kind: 'create'; requestsPerFiveMinutesPerIp: number }
  /** Attach an existing CLOUDFRONT-scope web ACL by ARN. */
  | { kind: 'existing'; webAclArn: string };

/**
 * A name for a CloudFront resource whose name is unique in the whole account (cache and response
 * headers policies, origin access controls, functions): CloudFront is global, so the same stage
 * deployed in two regions of one account would otherwise ask for the same name twice. `region` may
 * be a token (an environment-agnostic stack): CloudFormation fills it in at deploy time.
 */
export function cloudFrontName(stage: string, region: string, purpose: string): string {
  return `pressline-${stage}-${region}-${purpose}`;
}

export interface PresslineCdnProps {
  /** Part of every account-wide CloudFront name, with the region (see `cloudFrontName`). */
  stage: string;
  siteBucket: IBucket;
  mediaBucket: IBucket;
  httpApi: IHttpApi;
  /** What CloudFront sends the HTTP API in `x-pressline-origin`: a dynamic reference to the origin secret. */
  originSecretHeaderValue: string;
  logBucket: IBucket;
  customDomain?: CustomDomain;
  webAcl?: WebAclChoice;
}

/**
 * The one public origin readers use, routed like the local router (infra/local/server.ts):
 * `/api/*` and `/s/*` to the HTTP API, `/media/*` to the media bucket, everything else to the site
 * bucket, falling back to the pages function (through the HTTP API) when the bucket has no object.
 */
export class PresslineCdn extends Construct {
  readonly distribution: Distribution;
  readonly responseHeadersPolicy: ResponseHeadersPolicy;
  /** The newsroom app's headers: its own CSP (its script, the API, the upload endpoint). */
  readonly newsroomHeadersPolicy: ResponseHeadersPolicy;
  /** `https://<custom domain or CloudFront domain>`, without a trailing slash: the handlers' public base URL. */
  readonly publicBaseUrl: string;
  readonly webAcl?: CfnWebACL;

  constructor(scope: Construct, id: string, props: PresslineCdnProps) {
    super(scope, id);

    const name = (purpose: string) => cloudFrontName(props.stage, Stack.of(this).region, purpose);
    const headers = cloudFrontSecurityHeaders(SECURITY_HEADERS);
    this.responseHeadersPolicy = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      responseHeadersPolicyName: name('security-headers'),
      comment: 'Pressline: the same security headers as shared/render/security-headers.ts',
      securityHeadersBehavior: headers.securityHeadersBehavior,
      ...(headers.customHeaders.length ? { customHeadersBehavior: { customHeaders: headers.customHeaders } } : {}),
    });

    // The presigned POST points at the media bucket's regional endpoint (SDK v3's default), which the
    // newsroom's CSP must let it connect to.
    const newsroomHeaders = cloudFrontSecurityHeaders(newsroomSecurityHeaders(`https://${props.mediaBucket.bucketRegionalDomainName}`));
    this.newsroomHeadersPolicy = new ResponseHeadersPolicy(this, 'NewsroomHeaders', {
      responseHeadersPolicyName: name('newsroom-headers'),
      comment: 'Pressline newsroom app: newsroomSecurityHeaders in shared/render/security-headers.ts',
      securityHeadersBehavior: newsroomHeaders.securityHeadersBehavior,
      ...(newsroomHeaders.customHeaders.length ? { customHeadersBehavior: { customHeaders: newsroomHeaders.customHeaders } } : {}),
    });

    // The origin decides: pages and their 404s say `max-age=60`, short links `s-maxage=86400`,
    // errors without Cache-Control are not cached. No cookies, headers or query strings in the
    // key: nothing the site serves varies by them (index pages paginate by path, /page/2/), and a
    // key that varied with them would let anyone bypass the cache at will.
    const originCacheControl = new CachePolicy(this, 'OriginCacheControl', {
      cachePolicyName: name('origin-cache-control'),
      comment: 'Pressline: honour the origin Cache-Control; no cookies, headers or query strings',
      minTtl: Duration.seconds(0),
      defaultTtl: Duration.seconds(0),
      maxTtl: Duration.days(1),
      cookieBehavior: CacheCookieBehavior.none(),
      headerBehavior: CacheHeaderBehavior.none(),
      queryStringBehavior: CacheQueryStringBehavior.none(),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });
    // Photos never change under a key (media/<article id>/…, written with
    // `Cache-Control: public, max-age=31536000, immutable`): cache for the year the object asks,
    // a day when it asks nothing.
    const mediaCache = new CachePolicy(this, 'ImmutableMedia', {
      cachePolicyName: name('immutable-media'),
      comment: 'Pressline: media objects are immutable; up to a year at the edge',
      minTtl: Duration.seconds(0),
      defaultTtl: Duration.days(1),
      maxTtl: Duration.days(365),
      cookieBehavior: CacheCookieBehavior.none(),
      headerBehavior: CacheHeaderBehavior.none(),
      queryStringBehavior: CacheQueryStringBehavior.none(),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });

    // Built from the API id rather than parsing apiEndpoint: the `$default` stage has no path prefix.
    const apiOrigin = new HttpOrigin(`${props.httpApi.apiId}.execute-api.${Aws.REGION}.${Aws.URL_SUFFIX}`, {
      protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
      originSslProtocols: [OriginSslPolicy.TLS_V1_2],
      // Proves a request came through this distribution: the functions refuse one without it.
      customHeaders: { [ORIGIN_SECRET_HEADER]: props.originSecretHeaderValue },
    });
    const bucketAccess = (bucket: 'site' | 'media') =>
      new S3OriginAccessControl(this, `${bucket === 'site' ? 'Site' : 'Media'}BucketAccess`, {
        originAccessControlName: name(`${bucket}-bucket`),
        signing: Signing.SIGV4_ALWAYS,
      });
    // A missing page or photo is answered by the pages function, as `npm start` answers it.
    const siteWithPagesFallback = new OriginGroup({
      primaryOrigin: S3BucketOrigin.withOriginAccessControl(props.siteBucket, { originAccessControl: bucketAccess('site') }),
      fallbackOrigin: apiOrigin,
      fallbackStatusCodes: FAILOVER_STATUS_CODES,
    });
    const mediaWithPagesFallback = new OriginGroup({
      primaryOrigin: S3BucketOrigin.withOriginAccessControl(props.mediaBucket, { originAccessControl: bucketAccess('media') }),
      fallbackOrigin: apiOrigin,
      fallbackStatusCodes: FAILOVER_STATUS_CODES,
    });

    const indexPage = new CloudFrontFunction(this, 'IndexPage', {
      functionName: name('index-page'),
      comment: 'Pressline: /path/ serves /path/index.html',
      runtime: FunctionRuntime.JS_2_0,
      code: FunctionCode.fromInline(INDEX_PAGE_FUNCTION_CODE),
    });

    const readOnly: Pick<BehaviorOptions, 'allowedMethods' | 'cachedMethods' | 'viewerProtocolPolicy' | 'compress' | 'responseHeadersPolicy'> = {
      allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
      cachedMethods: CachedMethods.CACHE_GET_HEAD,
      viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      compress: true,
      responseHeadersPolicy: this.responseHeadersPolicy,
    };

    if (props.webAcl?.kind === 'create') {
      this.webAcl = new CfnWebACL(this, 'WebAcl', {
        scope: 'CLOUDFRONT',
        defaultAction: { allow: {} },
        visibilityConfig: { cloudWatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName: `pressline-${props.stage}-web-acl` },
        rules: [
          {
            name: 'rate-limit-per-ip',
            priority: 0,
            action: { block: {} },
            statement: { rateBasedStatement: { limit: props.webAcl.requestsPerFiveMinutesPerIp, aggregateKeyType: 'IP' } },
            visibilityConfig: { cloudWatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName: `pressline-${props.stage}-rate-limit-per-ip` },
          },
        ],
      });
    }
    const webAclId = props.webAcl?.kind === 'existing' ? props.webAcl.webAclArn : this.webAcl?.attrArn;

    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'Pressline',
      defaultBehavior: {
        ...readOnly,
        origin: siteWithPagesFallback,
        cachePolicy: originCacheControl,
        functionAssociations: [{ function: indexPage, eventType: FunctionEventType.VIEWER_REQUEST }],
      },
      additionalBehaviors: {
        '/media/*': { ...readOnly, origin: mediaWithPagesFallback, cachePolicy: mediaCache },
        // The newsroom app: files in the site bucket like the pages (`/newsroom/` serves its
        // index.html), under its own CSP, the only one on the site that lets a script run.
        [`${NEWSROOM_PATH_PREFIX}*`]: {
          ...readOnly,
          responseHeadersPolicy: this.newsroomHeadersPolicy,
          origin: siteWithPagesFallback,
          cachePolicy: originCacheControl,
          functionAssociations: [{ function: indexPage, eventType: FunctionEventType.VIEWER_REQUEST }],
        },
        '/s/*': { ...readOnly, origin: apiOrigin, cachePolicy: originCacheControl },
        '/api/*': {
          origin: apiOrigin,
          allowedMethods: AllowedMethods.ALLOW_ALL,
          // A POST cannot follow a redirect with its body: plain HTTP is refused, not redirected.
          viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
          cachePolicy: CachePolicy.CACHING_DISABLED,
          // With caching disabled this also forwards Authorization; Host must stay the API's own.
          originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
          compress: true,
          responseHeadersPolicy: this.responseHeadersPolicy,
        },
      },
      httpVersion: HttpVersion.HTTP2_AND_3,
      enableIpv6: true,
      enableLogging: true,
      logBucket: props.logBucket,
      logFilePrefix: 'cloudfront/',
      ...(props.customDomain
        ? {
            domainNames: [props.customDomain.domainName],
            // Only a custom certificate has a choosable policy (*.cloudfront.net's is fixed).
            minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
            certificate: Certificate.fromCertificateArn(this, 'Certificate', props.customDomain.certificateArn),
          }
        : {}),
      ...(webAclId ? { webAclId } : {}),
    });

    this.publicBaseUrl = `https://${props.customDomain?.domainName ?? this.distribution.distributionDomainName}`;

    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR1',
      reason: 'A news site is read worldwide; there is no country the newsroom must refuse.',
    });
    if (!webAclId) {
      Validations.of(this.distribution).acknowledge({
        id: 'AwsSolutions-CFR2',
        reason:
          'WAF is opt-in (-c waf=true in us-east-1, or -c webAclArn=...) because a web ACL adds a fixed monthly cost; without it the API stage throttling still bounds traffic to the functions.',
      });
    }
    if (!props.customDomain) {
      Validations.of(this.distribution).acknowledge({
        id: 'AwsSolutions-CFR4',
        reason:
          'Without a custom domain the distribution uses the default *.cloudfront.net certificate, whose TLS policy CloudFront fixes; with -c domainName/-c certificateArn the minimum is TLSv1.2_2021.',
      });
    }
  }
}
