import { CachePolicy, OriginRequestPolicy } from 'aws-cdk-lib/aws-cloudfront';
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { SECURITY_HEADERS, newsroomContentSecurityPolicy } from '../../shared/render/security-headers.js';
import { INDEX_PAGE_FUNCTION_CODE } from '../../infra/constructs/index-page-function.js';
import { cloudFrontSecurityHeaders } from '../../infra/constructs/security-headers.js';
import { synthTemplate } from './support/synth.js';
import { distributionConfig, logicalIdOf, onlyResourceOf, resourcesOf, type CacheBehavior, type DistributionConfig, type Origin } from './support/template.js';

const { stack, template } = synthTemplate();
const config = distributionConfig(template);
const behaviours: Record<string, CacheBehavior> = {
  default: config.DefaultCacheBehavior,
  ...Object.fromEntries((config.CacheBehaviors ?? []).map((b) => [b.PathPattern ?? '', b])),
};

function originById(id: string, from: DistributionConfig = config): Origin {
  const origin = from.Origins.find((o) => o.Id === id);
  if (!origin) throw new Error(`no origin ${id}`);
  return origin;
}

/** A behaviour's target as [primary, fallback] origins (one element when it is not an origin group). */
function targetsOf(behaviour: CacheBehavior): { origins: Origin[]; failoverOn?: number[] } {
  const group = config.OriginGroups?.Items.find((g) => g.Id === behaviour.TargetOriginId);
  if (!group) return { origins: [originById(behaviour.TargetOriginId)] };
  return { origins: group.Members.Items.map((m) => originById(m.OriginId)), failoverOn: group.FailoverCriteria.StatusCodes.Items };
}

const apiDomain = { 'Fn::Join': ['', [{ Ref: logicalIdOf(stack.api.httpApi) }, '.execute-api.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }]] };
const bucketDomain = (bucket: 'mediaBucket' | 'siteBucket') => ({ 'Fn::GetAtt': [logicalIdOf(stack.storage[bucket]), 'RegionalDomainName'] });

function cachePolicy(ref: unknown): Record<string, unknown> {
  const id = (ref as { Ref?: string }).Ref ?? '';
  const policy = resourcesOf(template, 'AWS::CloudFront::CachePolicy')[id];
  if (!policy) throw new Error(`no cache policy ${JSON.stringify(ref)}`);
  return policy.Properties.CachePolicyConfig as Record<string, unknown>;
}

describe('the CloudFront behaviours, routed like the local router', () => {
  it('has a default behaviour and exactly /media/*, /newsroom/*, /s/* and /api/*', () => {
    expect(Object.keys(behaviours)).toEqual(['default', '/media/*', '/newsroom/*', '/s/*', '/api/*']);
  });

  it('serves pages from the site bucket through OAC, failing over to the HTTP API (pages function) on 403/404', () => {
    const { origins, failoverOn } = targetsOf(behaviours.default!);
    expect(origins.map((o) => o.DomainName)).toEqual([bucketDomain('siteBucket'), apiDomain]);
    expect(origins[0]?.OriginAccessControlId).toBeDefined();
    expect(failoverOn).toEqual([403, 404]);
    expect(behaviours.default!.AllowedMethods).toEqual(['GET', 'HEAD']);
  });

  it('serves /media/* from the media bucket through OAC, with the pages function answering a missing photo', () => {
    const { origins, failoverOn } = targetsOf(behaviours['/media/*']!);
    expect(origins.map((o) => o.DomainName)).toEqual([bucketDomain('mediaBucket'), apiDomain]);
    expect(origins[0]?.OriginAccessControlId).toBeDefined();
    expect(failoverOn).toEqual([403, 404]);
  });

  it('caches /media/* for up to a year, as the immutable photos ask', () => {
    expect(cachePolicy(behaviours['/media/*']!.CachePolicyId)).toMatchObject({ MaxTTL: 365 * 24 * 3600 });
  });

  it('sends /s/* to the HTTP API with a cache policy that honours the function’s Cache-Control', () => {
    expect(targetsOf(behaviours['/s/*']!).origins.map((o) => o.DomainName)).toEqual([apiDomain]);
    expect(cachePolicy(behaviours['/s/*']!.CachePolicyId)).toMatchObject({
      MinTTL: 0,
      DefaultTTL: 0,
      ParametersInCacheKeyAndForwardedToOrigin: {
        CookiesConfig: { CookieBehavior: 'none' },
        HeadersConfig: { HeaderBehavior: 'none' },
        QueryStringsConfig: { QueryStringBehavior: 'none' },
      },
    });
    // s-maxage=86400 on a 301 must not be cut short by the policy.
    expect(cachePolicy(behaviours['/s/*']!.CachePolicyId).MaxTTL).toBeGreaterThanOrEqual(86400);
  });

  it('caches pages with the same origin-controlled policy: the site bucket and the pages function set Cache-Control', () => {
    expect(behaviours.default!.CachePolicyId).toEqual(behaviours['/s/*']!.CachePolicyId);
  });

  it('sends /api/* to the HTTP API uncached, with every method and the viewer headers except Host, HTTPS only', () => {
    const api = behaviours['/api/*']!;
    expect(targetsOf(api).origins.map((o) => o.DomainName)).toEqual([apiDomain]);
    expect(api.CachePolicyId).toBe(CachePolicy.CACHING_DISABLED.cachePolicyId);
    expect(api.OriginRequestPolicyId).toBe(OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER.originRequestPolicyId);
    expect(api.AllowedMethods?.slice().sort()).toEqual(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT']);
    expect(api.ViewerProtocolPolicy).toBe('https-only');
  });

  it('reaches the HTTP API over HTTPS with TLS 1.2 only', () => {
    const apiOrigins = config.Origins.filter((o) => JSON.stringify(o.DomainName) === JSON.stringify(apiDomain));
    expect(apiOrigins).toHaveLength(1);
    expect(apiOrigins[0]?.CustomOriginConfig).toEqual({ OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] });
  });

  it.each(['default', '/media/*', '/newsroom/*', '/s/*'])('%s redirects HTTP to HTTPS and compresses', (name) => {
    expect(behaviours[name]!.ViewerProtocolPolicy).toBe('redirect-to-https');
    expect(behaviours[name]!.Compress).toBe(true);
  });

  it('rewrites /path/ to /path/index.html on the default and /newsroom/* behaviours only, with the tested function code', () => {
    const [functionId, fn] = onlyResourceOf(template, 'AWS::CloudFront::Function');
    expect(fn.Properties.FunctionCode).toBe(INDEX_PAGE_FUNCTION_CODE);
    expect(fn.Properties.FunctionConfig).toMatchObject({ Runtime: 'cloudfront-js-2.0' });
    expect(behaviours.default!.FunctionAssociations).toEqual([{ EventType: 'viewer-request', FunctionARN: { 'Fn::GetAtt': [functionId, 'FunctionARN'] } }]);
    expect(behaviours['/newsroom/*']!.FunctionAssociations).toEqual(behaviours.default!.FunctionAssociations);
    for (const name of ['/media/*', '/s/*', '/api/*']) expect(behaviours[name]!.FunctionAssociations).toBeUndefined();
  });
});

describe('origin access control', () => {
  it('signs every request to both buckets (SigV4, always)', () => {
    const controls = resourcesOf(template, 'AWS::CloudFront::OriginAccessControl');
    expect(Object.keys(controls)).toHaveLength(2);
    for (const control of Object.values(controls)) {
      expect(control.Properties.OriginAccessControlConfig).toMatchObject({ OriginAccessControlOriginType: 's3', SigningBehavior: 'always', SigningProtocol: 'sigv4' });
    }
    const s3Origins = config.Origins.filter((o) => o.S3OriginConfig);
    expect(s3Origins.map((o) => (o.OriginAccessControlId as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0]).sort()).toEqual(Object.keys(controls).sort());
  });

  it.each(['mediaBucket', 'siteBucket'] as const)('the %s lets only this distribution read objects', (bucket) => {
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: logicalIdOf(stack.storage[bucket]) },
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Action: 's3:GetObject',
            Effect: 'Allow',
            Principal: { Service: 'cloudfront.amazonaws.com' },
            Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [logicalIdOf(stack.storage[bucket]), 'Arn'] }, '/*']] },
            Condition: {
              StringEquals: {
                'AWS:SourceArn': {
                  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudfront::', { Ref: 'AWS::AccountId' }, ':distribution/', { Ref: logicalIdOf(stack.cdn.distribution) }]],
                },
              },
            },
          },
        ]),
      },
    });
  });
});

describe('the response headers policy', () => {
  const policyId = (behaviours.default!.ResponseHeadersPolicyId as { Ref: string }).Ref;
  const policy = resourcesOf(template, 'AWS::CloudFront::ResponseHeadersPolicy')[policyId]!;
  interface SecurityHeadersConfig {
    ContentSecurityPolicy: { ContentSecurityPolicy: string; Override: boolean };
    StrictTransportSecurity: { AccessControlMaxAgeSec: number; IncludeSubdomains?: boolean; Preload?: boolean; Override: boolean };
    ContentTypeOptions: { Override: boolean };
    ReferrerPolicy: { ReferrerPolicy: string; Override: boolean };
    FrameOptions: { FrameOption: string; Override: boolean };
  }
  const headers = (policy.Properties.ResponseHeadersPolicyConfig as { SecurityHeadersConfig: SecurityHeadersConfig }).SecurityHeadersConfig;

  it('sends exactly the headers the local server sends (shared/render/security-headers.ts)', () => {
    const hsts = headers.StrictTransportSecurity;
    const asSent = {
      'content-security-policy': headers.ContentSecurityPolicy.ContentSecurityPolicy,
      'strict-transport-security': [`max-age=${hsts.AccessControlMaxAgeSec}`, ...(hsts.IncludeSubdomains ? ['includeSubDomains'] : []), ...(hsts.Preload ? ['preload'] : [])].join('; '),
      'x-content-type-options': 'nosniff',
      'referrer-policy': headers.ReferrerPolicy.ReferrerPolicy,
      'x-frame-options': headers.FrameOptions.FrameOption,
    };
    expect(asSent).toEqual(SECURITY_HEADERS);
  });

  it('overrides whatever an origin sends', () => {
    for (const header of Object.values(headers)) expect(header.Override).toBe(true);
  });

  it.each(['default', '/media/*', '/s/*', '/api/*'])('is on the %s behaviour', (name) => {
    expect(behaviours[name]!.ResponseHeadersPolicyId).toEqual({ Ref: policyId });
  });

  it('refuses a header value CloudFront cannot send, and passes other headers through as custom headers', () => {
    expect(() => cloudFrontSecurityHeaders({ 'x-frame-options': 'ALLOW-FROM https://example.com' })).toThrow(/x-frame-options/);
    expect(() => cloudFrontSecurityHeaders({ 'strict-transport-security': 'includeSubDomains' })).toThrow(/strict-transport-security/);
    expect(cloudFrontSecurityHeaders({ 'Permissions-Policy': 'camera=()' }).customHeaders).toEqual([{ header: 'Permissions-Policy', value: 'camera=()', override: true }]);
  });
});

describe('the newsroom app (/newsroom/*)', () => {
  const newsroom = behaviours['/newsroom/*']!;
  const policyId = (newsroom.ResponseHeadersPolicyId as { Ref: string }).Ref;
  const config = resourcesOf(template, 'AWS::CloudFront::ResponseHeadersPolicy')[policyId]?.Properties.ResponseHeadersPolicyConfig as {
    SecurityHeadersConfig: { ContentSecurityPolicy: { ContentSecurityPolicy: unknown; Override: boolean }; FrameOptions: { FrameOption: string } };
  };

  it('is served from the site bucket like the pages, with the same failover and cache policy', () => {
    expect(newsroom.TargetOriginId).toBe(behaviours.default!.TargetOriginId);
    expect(newsroom.CachePolicyId).toEqual(behaviours.default!.CachePolicyId);
    expect(newsroom.AllowedMethods).toEqual(['GET', 'HEAD']);
  });

  it('has its own response headers policy: the newsroom CSP, whose upload endpoint is the media bucket’s regional domain', () => {
    expect(policyId).not.toBe((behaviours.default!.ResponseHeadersPolicyId as { Ref: string }).Ref);
    const csp = config.SecurityHeadersConfig.ContentSecurityPolicy;
    expect(csp.Override).toBe(true);
    // The bucket's domain is only known at deploy time: a join of the policy's text around it.
    const [, parts] = (csp.ContentSecurityPolicy as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
    const text = parts.map((part) => (typeof part === 'string' ? part : JSON.stringify(part) === JSON.stringify(bucketDomain('mediaBucket')) ? 'MEDIA-BUCKET-DOMAIN' : '?')).join('');
    expect(text).toBe(newsroomContentSecurityPolicy('https://MEDIA-BUCKET-DOMAIN'));
    expect(config.SecurityHeadersConfig.FrameOptions.FrameOption).toBe('DENY');
  });

  it('is deployed to the site bucket under newsroom/: hashed assets immutable, the page revalidated, nothing pruned', () => {
    const deployments = Object.values(resourcesOf(template, 'Custom::CDKBucketDeployment')).map((d) => d.Properties);
    expect(deployments).toHaveLength(2);
    for (const deployment of deployments) {
      expect(deployment).toMatchObject({ DestinationBucketName: { Ref: logicalIdOf(stack.storage.siteBucket) }, DestinationBucketKeyPrefix: 'newsroom/', Prune: false });
    }
    const metadata = deployments.map((d) => d.SystemMetadata as Record<string, string>);
    expect(metadata.map((m) => m['cache-control']).sort()).toEqual(['no-cache', 'public, max-age=31536000, immutable']);
    expect(stack.newsroom.files).toEqual([expect.stringMatching(/^newsroom\/index\.html$/), expect.stringMatching(/^newsroom\/app\.[0-9a-f]{12}\.js$/), expect.stringMatching(/^newsroom\/app\.[0-9a-f]{12}\.css$/)]);
  });

  it('lets pages post photos to the media bucket cross-origin: POST only, from anywhere without a custom domain (the presigned policy is the credential), else from that domain', () => {
    const corsOf = (t: typeof template) =>
      (Object.values(resourcesOf(t, 'AWS::S3::Bucket')).find((b) => b.Properties.CorsConfiguration)?.Properties.CorsConfiguration as { CorsRules: Array<Record<string, unknown>> }).CorsRules;
    expect(corsOf(template)).toEqual([expect.objectContaining({ AllowedMethods: ['POST'], AllowedOrigins: ['*'] })]);
    const custom = synthTemplate({ domainName: 'news.example.com', certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc-123' }).template;
    expect(corsOf(custom)).toEqual([expect.objectContaining({ AllowedMethods: ['POST'], AllowedOrigins: ['https://news.example.com'] })]);
  });
});

describe('the distribution', () => {
  it('speaks HTTP/2 and HTTP/3 over IPv4 and IPv6, and logs to the log bucket', () => {
    expect(config.HttpVersion).toBe('http2and3');
    expect(config.IPV6Enabled).toBe(true);
    expect(config.Logging).toEqual({ Bucket: { 'Fn::GetAtt': [logicalIdOf(stack.storage.logBucket), 'RegionalDomainName'] }, Prefix: 'cloudfront/' });
  });

  it('serves a custom domain with its us-east-1 certificate, TLS 1.2 minimum, SNI', () => {
    const certificateArn = 'arn:aws:acm:us-east-1:123456789012:certificate/abc-123';
    const custom = distributionConfig(synthTemplate({ domainName: 'news.example.com', certificateArn }).template);
    expect(custom.Aliases).toEqual(['news.example.com']);
    expect(custom.ViewerCertificate).toEqual({ AcmCertificateArn: certificateArn, MinimumProtocolVersion: 'TLSv1.2_2021', SslSupportMethod: 'sni-only' });
  });

  it('has no web ACL unless asked', () => {
    expect(config.WebACLId).toBeUndefined();
    template.resourceCountIs('AWS::WAFv2::WebACL', 0);
  });

  it('creates a CloudFront web ACL with a per-IP rate rule with -c waf=true in us-east-1', () => {
    const waf = synthTemplate({ waf: 'true', region: 'us-east-1', wafRateLimit: '1000', stage: 'staging' });
    const [aclId, acl] = onlyResourceOf(waf.template, 'AWS::WAFv2::WebACL');
    // Metric names carry the stage: WAF's metrics of two stages' web ACLs would otherwise add up.
    expect(acl.Properties).toMatchObject({
      Scope: 'CLOUDFRONT',
      DefaultAction: { Allow: {} },
      VisibilityConfig: { MetricName: 'pressline-staging-web-acl' },
      Rules: [
        {
          Action: { Block: {} },
          Statement: { RateBasedStatement: { Limit: 1000, AggregateKeyType: 'IP' } },
          VisibilityConfig: { MetricName: 'pressline-staging-rate-limit-per-ip' },
        },
      ],
    });
    expect(distributionConfig(waf.template).WebACLId).toEqual({ 'Fn::GetAtt': [aclId, 'Arn'] });
  });

  it('attaches an existing web ACL given by ARN', () => {
    const webAclArn = 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/newsroom/0a1b2c3d';
    const existing = synthTemplate({ webAclArn });
    expect(distributionConfig(existing.template).WebACLId).toBe(webAclArn);
    existing.template.resourceCountIs('AWS::WAFv2::WebACL', 0);
  });

  it('refuses -c waf=true outside us-east-1, where a CloudFront web ACL cannot be created', () => {
    expect(() => synthTemplate({ waf: 'true' })).toThrow(/us-east-1/);
    expect(() => synthTemplate({ waf: 'true', region: 'eu-west-1' })).toThrow(/us-east-1/);
  });
});
