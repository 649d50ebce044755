import { CfnOutput, Duration, RemovalPolicy, Stack, Tags, Token, Validations, type App, type StackProps } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import type { Construct } from 'constructs';
import { PresslineAlarms } from './constructs/pressline-alarms.js';
import { PresslineCdn, type CustomDomain, type WebAclChoice } from './constructs/pressline-cdn.js';
import { PresslineFunction } from './constructs/pressline-function.js';
import { PresslineOriginSecret } from './constructs/pressline-origin-secret.js';
import { DEFAULT_THROTTLES, PresslineHttpApi, type RouteThrottles } from './constructs/pressline-http-api.js';
import { PresslineInvalidationQueue } from './constructs/pressline-invalidation-queue.js';
import { PresslineScheduling } from './constructs/pressline-scheduling.js';
import { PresslineStorage } from './constructs/pressline-storage.js';
import { NewsroomApp } from './constructs/newsroom-app.js';
import { RATE_LIMIT_ENV, WORKFLOW_ENV } from '../shared/config.js';
import type { FunctionName } from './functions-catalog.js';
import { BUCKET_DEFINITIONS } from './storage-definitions.js';
import { checkTimeZone } from './newsroom-build.js';

/** The stage whose data is protected: deletion protection and RETAIN on the table, longer logs. */
export const PRODUCTION_STAGE = 'prod';

/** WAF's rate rule counts per IP over 5 minutes; 2,000 is ~7 requests a second, far above a reader. */
export const DEFAULT_WAF_RATE_LIMIT = 2000;

/**
 * Concurrency reserved per function. The API's reservation is the newsroom's own capacity: a flood
 * of reader misses cannot take it. The reader functions' reservation is also their ceiling, so a
 * flood stops at it (429 from API Gateway, Lambda's throttle) and leaves the rest of the account's
 * pool to everything else. Reservations need headroom: the account keeps 100 unreserved, so these
 * defaults (95 in all) need a concurrency quota of at least 195; 0 turns a reservation off.
 */
export const DEFAULT_CONCURRENCY = { apiConcurrency: 20, readerConcurrency: 25 } as const;

export interface TrafficLimits extends RouteThrottles {
  /** Executions reserved for the API function (0: none). */
  apiConcurrency: number;
  /** Executions reserved for, and the most run by, each reader function: pages and redirect (0: none). */
  readerConcurrency: number;
}

export const DEFAULT_TRAFFIC_LIMITS: TrafficLimits = { ...DEFAULT_THROTTLES, ...DEFAULT_CONCURRENCY };

export interface PresslineStackProps extends StackProps {
  /** `prod` protects the table; any other name (default `dev`) is disposable. */
  stage: string;
  customDomain?: CustomDomain;
  webAcl?: WebAclChoice;
  alarmTopicArn?: string;
  /** A reporter's publish waits for an editor's approval (`-c review=true`); off by default. */
  reviewRequired?: boolean;
  /** Writes each person may make a minute (`-c writesPerMinute=`); the API's default otherwise. */
  writesPerMinute?: number;
  /** Throttles and reserved concurrency; `DEFAULT_TRAFFIC_LIMITS` by default. */
  limits?: TrafficLimits;
  /** The origin secret's version CloudFront sends, after a rotation (`-c originSecretVersion=`). */
  originSecretVersion?: string;
  /** The IANA zone the newsroom app schedules in (`-c newsroomTimeZone=Europe/London`); unset, each browser's own. */
  newsroomTimeZone?: string;
  /** Repository root for the handlers' entries (tests only; defaults to this checkout). */
  projectRoot?: string;
}

/**
 * Pressline on AWS: the DynamoDB table and S3 buckets of `infra/storage-definitions.ts`, one
 * Lambda per handler of `infra/functions-catalog.ts`, the HTTP API, and the CloudFront
 * distribution that routes readers like `npm start` does.
 */
export class PresslineStack extends Stack {
  readonly storage: PresslineStorage;
  readonly functions: Readonly<Record<FunctionName, PresslineFunction>>;
  readonly api: PresslineHttpApi;
  readonly cdn: PresslineCdn;
  readonly alarms: PresslineAlarms;
  readonly scheduling: PresslineScheduling;
  readonly originSecret: PresslineOriginSecret;
  readonly invalidations: PresslineInvalidationQueue;
  readonly newsroom: NewsroomApp;

  constructor(scope: Construct, id: string, props: PresslineStackProps) {
    super(scope, id, { terminationProtection: props.stage === PRODUCTION_STAGE, ...props });
    const production = props.stage === PRODUCTION_STAGE;
    if (props.webAcl?.kind === 'create' && (Token.isUnresolved(this.region) || this.region !== 'us-east-1')) {
      throw new Error(
        '-c waf=true creates a CLOUDFRONT web ACL, which only exists in us-east-1: deploy with -c region=us-east-1, ' +
          'or create the web ACL there yourself and pass -c webAclArn=<arn>.',
      );
    }
    Tags.of(this).add('project', 'pressline');
    Tags.of(this).add('stage', props.stage);

    const logs = {
      logRetention: production ? RetentionDays.THREE_MONTHS : RetentionDays.TWO_WEEKS,
      logRemovalPolicy: production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    };
    this.storage = new PresslineStorage(this, 'Storage', {
      production,
      accessLogRetention: Duration.days(production ? 90 : 14),
      // The newsroom posts photos to the media bucket from the site's origin. Without a custom domain
      // that origin is the distribution's, which depends on this bucket: '*' avoids the cycle, and is
      // safe because the presigned policy is the credential; CORS only lets the page read the answer.
      uploadOrigins: props.customDomain ? [`https://${props.customDomain.domainName}`] : ['*'],
    });
    const { table, mediaBucket, siteBucket } = this.storage;

    const fn = (name: FunctionName, id: string) =>
      new PresslineFunction(this, id, { name, ...logs, ...(props.projectRoot ? { projectRoot: props.projectRoot } : {}) });
    this.functions = {
      api: fn('api', 'ApiFunction'),
      redirect: fn('redirect', 'RedirectFunction'),
      pages: fn('pages', 'PagesFunction'),
      processMedia: fn('processMedia', 'ProcessMediaFunction'),
      publishScheduled: fn('publishScheduled', 'PublishScheduledFunction'),
      invalidate: fn('invalidate', 'InvalidateFunction'),
    };

    // Only CloudFront knows it: a request sent straight to the HTTP API is refused by every function.
    this.originSecret = new PresslineOriginSecret(this, 'OriginSecret', props.originSecretVersion ? { versionId: props.originSecretVersion } : {});
    for (const name of ['api', 'redirect', 'pages'] as const) this.functions[name].checksOriginSecret(this.originSecret.secret);

    const limits = props.limits ?? DEFAULT_TRAFFIC_LIMITS;
    this.functions.api.reservesConcurrency(limits.apiConcurrency);
    this.functions.pages.reservesConcurrency(limits.readerConcurrency);
    this.functions.redirect.reservesConcurrency(limits.readerConcurrency);
    this.api = new PresslineHttpApi(this, 'Api', {
      throttles: limits,
      api: this.functions.api.function,
      redirect: this.functions.redirect.function,
      pages: this.functions.pages.function,
      ...logs,
    });
    this.cdn = new PresslineCdn(this, 'Cdn', {
      stage: props.stage,
      siteBucket,
      mediaBucket,
      httpApi: this.api.httpApi,
      originSecretHeaderValue: this.originSecret.headerValue,
      logBucket: this.storage.logBucket,
      ...(props.customDomain ? { customDomain: props.customDomain } : {}),
      ...(props.webAcl ? { webAcl: props.webAcl } : {}),
    });

    // Changes send the paths they affect to the queue; only the invalidate function calls CloudFront.
    this.invalidations = new PresslineInvalidationQueue(this, 'Invalidations');
    this.functions.invalidate.drainsInvalidations(this.invalidations.queue, this.cdn.distribution);
    this.newsroom = new NewsroomApp(this, 'Newsroom', { siteBucket, ...(props.newsroomTimeZone ? { timeZone: props.newsroomTimeZone } : {}) });

    // Each handler gets exactly the access and settings it uses (HANDLER_SETTINGS in shared/config.ts).
    // The API writes originals (inline photos; it signs presigned POSTs for the same prefix) and
    // deletes them and their renditions on a takedown or a replaced photo.
    const { uploadsPrefix, renditionsPrefix } = BUCKET_DEFINITIONS.media;
    this.functions.api
      .writesTable(table)
      .writesObjects('mediaBucket', mediaBucket, `${uploadsPrefix}*`)
      .writesObjects('mediaBucket', mediaBucket, `${renditionsPrefix}*`)
      .writesObjects('siteBucket', siteBucket)
      .sendsInvalidations(this.invalidations.queue)
      .names('publicBaseUrl', this.cdn.publicBaseUrl);
    this.functions.redirect.readsTable(table).names('publicBaseUrl', this.cdn.publicBaseUrl);
    this.functions.pages.readsTable(table, { queries: true }).names('publicBaseUrl', this.cdn.publicBaseUrl);
    // Each new original starts the processing function, which reads it (and deletes a refused
    // one), writes its renditions and marks the media record ready.
    this.functions.processMedia
      .processesNewObjects('mediaBucket', mediaBucket, uploadsPrefix)
      .writesObjects('mediaBucket', mediaBucket, `${renditionsPrefix}*`)
      .updatesTable(table);

    // A legal takedown's purge deletes every version of one photo's objects: `media/<id>/…` and
    // `uploads/<id>`, media ids being UUIDs. The site bucket keeps no versions (BUCKET_DEFINITIONS),
    // so a page's DeleteObject is already final and needs nothing more.
    const oneMediaId = '????????-????-????-????-????????????';
    this.functions.api.purgesObjectVersions(mediaBucket, [`${renditionsPrefix}${oneMediaId}/`, `${uploadsPrefix}${oneMediaId}`]);

    // Newsroom workflow: the API reads the newsroom's listings and revisions, and makes one schedule
    // per embargoed article; the publishing function does what a publish does, for scheduled articles.
    this.functions.api.queriesTable(table);
    if (props.reviewRequired) this.functions.api.function.addEnvironment(WORKFLOW_ENV.reviewRequired, 'true');
    if (props.writesPerMinute) this.functions.api.function.addEnvironment(RATE_LIMIT_ENV.writesPerMinute, String(props.writesPerMinute));
    this.functions.publishScheduled
      .writesTable(table)
      .queriesTable(table)
      .writesObjects('siteBucket', siteBucket)
      .sendsInvalidations(this.invalidations.queue)
      .names('publicBaseUrl', this.cdn.publicBaseUrl);
    this.scheduling = new PresslineScheduling(this, 'Scheduling', { publisher: this.functions.publishScheduled, scheduler: this.functions.api });

    this.alarms = new PresslineAlarms(this, 'Alarms', {
      stage: props.stage,
      httpApi: this.api.httpApi,
      functions: Object.fromEntries(Object.entries(this.functions).map(([name, f]) => [name, f.function])),
      failedEvents: {
        ...Object.fromEntries(Object.entries(this.functions).flatMap(([name, f]) => (f.failedEvents ? [[name, f.failedEvents]] : []))),
        invalidate: this.invalidations.deadLetters,
      },
      // Changes whose invalidation could not even be queued log it; the alarm counts those lines.
      invalidationsNotQueued: [this.functions.api.logGroup, this.functions.publishScheduled.logGroup],
      ...(props.alarmTopicArn ? { alarmTopicArn: props.alarmTopicArn } : {}),
    });

    new CfnOutput(this, 'CdnUrl', { description: 'Where readers and reporters go: the site, /api/articles, /s/<code>', value: this.cdn.publicBaseUrl });
    new CfnOutput(this, 'CloudFrontDomainName', { description: 'Point the custom domain here (CNAME/alias)', value: this.cdn.distribution.distributionDomainName });
    new CfnOutput(this, 'DistributionId', { description: 'For invalidations: aws cloudfront create-invalidation --distribution-id …', value: this.cdn.distribution.distributionId });
    new CfnOutput(this, 'ApiUrl', { description: 'The HTTP API behind CloudFront (use the CDN URL; this one is for debugging)', value: this.api.httpApi.apiEndpoint });
    new CfnOutput(this, 'TableName', { description: 'DynamoDB table: npm run key:create -- --table <this>', value: table.tableName });
    new CfnOutput(this, 'MediaBucketName', { description: 'Photos: uploads/<media id> originals, media/<media id>/… renditions', value: mediaBucket.bucketName });
    new CfnOutput(this, 'SiteBucketName', { description: 'Rendered article pages (<path>/index.html)', value: siteBucket.bucketName });
    new CfnOutput(this, 'OriginSecretArn', { description: 'The x-pressline-origin secret: rotate it as the README\'s Security section says', value: this.originSecret.secret.secretArn });
    new CfnOutput(this, 'LogBucketName', { description: 'S3 and CloudFront access logs', value: this.storage.logBucket.bucketName });
    new CfnOutput(this, 'InvalidationDeadLettersQueueUrl', {
      description: 'CDN invalidations CloudFront refused on every receive: the paths, for 14 days (redrive them to the invalidation queue)',
      value: this.invalidations.deadLetters.queueUrl,
    });
    if (this.functions.processMedia.failedEvents) {
      new CfnOutput(this, 'FailedPhotoEventsQueueUrl', {
        description: 'Uploads whose processing failed every retry: the S3 event and the error, for 14 days',
        value: this.functions.processMedia.failedEvents.queueUrl,
      });
    }
  }
}

/** Deployment choices, read from `-c key=value` (or cdk.json `context`). */
export interface PresslineContext {
  stage: string;
  region?: string;
  customDomain?: CustomDomain;
  webAcl?: WebAclChoice;
  alarmTopicArn?: string;
  reviewRequired?: boolean;
  writesPerMinute?: number;
  limits: TrafficLimits;
  originSecretVersion?: string;
  newsroomTimeZone?: string;
}

/** Reads and checks the context options the README documents; a wrong combination fails the synth with what to do. */
export function presslineContext(scope: Construct): PresslineContext {
  const text = (key: string): string | undefined => {
    const value: unknown = scope.node.tryGetContext(key);
    if (value === undefined || value === null || value === '') return undefined;
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') throw new Error(`-c ${key} must be a single value`);
    return String(value);
  };
  const stage = text('stage') ?? 'dev';
  if (!/^[a-z][a-z0-9-]{0,19}$/.test(stage)) throw new Error(`-c stage=${stage}: use lowercase letters, digits and hyphens (e.g. dev, staging, prod)`);

  const domainName = text('domainName');
  const certificateArn = text('certificateArn');
  if (Boolean(domainName) !== Boolean(certificateArn)) throw new Error('-c domainName and -c certificateArn go together: CloudFront needs the certificate for the domain');
  if (certificateArn) {
    const region = /^arn:aws[a-z-]*:acm:([a-z0-9-]+):\d{12}:certificate\/[\w-]+$/.exec(certificateArn)?.[1];
    if (region !== 'us-east-1') throw new Error(`-c certificateArn must be an ACM certificate in us-east-1 (CloudFront reads certificates only there), got ${certificateArn}`);
  }

  const waf = text('waf');
  if (waf !== undefined && waf !== 'true' && waf !== 'false') throw new Error(`-c waf=${waf}: use true or false`);
  const webAclArn = text('webAclArn');
  if (waf === 'true' && webAclArn) throw new Error('Use either -c waf=true (create a web ACL) or -c webAclArn=<arn> (use yours), not both');
  if (webAclArn && !/^arn:aws[a-z-]*:wafv2:us-east-1:\d{12}:global\/webacl\//.test(webAclArn)) {
    throw new Error(`-c webAclArn must be a CLOUDFRONT-scope (global, us-east-1) WAFv2 web ACL ARN, got ${webAclArn}`);
  }
  const rate = Number(text('wafRateLimit') ?? DEFAULT_WAF_RATE_LIMIT);
  if (!Number.isInteger(rate) || rate < 10 || rate > 2_000_000_000) throw new Error('-c wafRateLimit must be a whole number of requests per 5 minutes per IP, 10 or more');

  const limit = (key: keyof TrafficLimits, min: number, max: number, what: string): number => {
    const value = Number(text(key) ?? DEFAULT_TRAFFIC_LIMITS[key]);
    if (!Number.isInteger(value) || value < min || value > max) throw new Error(`-c ${key} must be a whole number of ${what} from ${min} to ${max}`);
    return value;
  };
  const limits: TrafficLimits = {
    apiRateLimit: limit('apiRateLimit', 1, 5_000, 'requests a second'),
    readerRateLimit: limit('readerRateLimit', 1, 5_000, 'requests a second'),
    apiConcurrency: limit('apiConcurrency', 0, 1_000, 'reserved executions (0: none)'),
    readerConcurrency: limit('readerConcurrency', 0, 1_000, 'reserved executions (0: none)'),
  };

  const originSecretVersion = text('originSecretVersion');
  if (originSecretVersion !== undefined && !/^[0-9a-f-]{32,64}$/i.test(originSecretVersion)) {
    throw new Error(`-c originSecretVersion=${originSecretVersion}: use the VersionId Secrets Manager shows for the secret's AWSCURRENT stage`);
  }

  const region = text('region');
  const alarmTopicArn = text('alarmTopicArn');
  const review = text('review');
  if (review !== undefined && review !== 'true' && review !== 'false') throw new Error(`-c review=${review}: use true or false`);
  const writes = text('writesPerMinute');
  const writesPerMinute = writes === undefined ? undefined : Number(writes);
  if (writesPerMinute !== undefined && (!Number.isInteger(writesPerMinute) || writesPerMinute < 1)) throw new Error(`-c writesPerMinute=${writes}: use a whole number of writes per person per minute, 1 or more`);
  const newsroomTimeZone = text('newsroomTimeZone');
  if (newsroomTimeZone) checkTimeZone(newsroomTimeZone);
  return {
    stage,
    limits,
    ...(region ? { region } : {}),
    ...(domainName && certificateArn ? { customDomain: { domainName, certificateArn } } : {}),
    ...(waf === 'true' ? { webAcl: { kind: 'create', requestsPerFiveMinutesPerIp: rate } } : webAclArn ? { webAcl: { kind: 'existing', webAclArn } } : {}),
    ...(alarmTopicArn ? { alarmTopicArn } : {}),
    ...(review === 'true' ? { reviewRequired: true } : {}),
    ...(writesPerMinute ? { writesPerMinute } : {}),
    ...(originSecretVersion ? { originSecretVersion } : {}),
    ...(newsroomTimeZone ? { newsroomTimeZone } : {}),
  };
}

export interface DefinePresslineAppOptions {
  /** Run cdk-nag (AwsSolutions, Serverless) at synth; on by default. */
  securityChecks?: boolean;
  projectRoot?: string;
}

/**
 * What `infra/app.ts` runs, and what the tests build: the stack for the context's stage, and the
 * cdk-nag packs. The stack is environment-agnostic unless `-c region=` pins it, so `cdk synth`
 * needs no credentials and no account lookup.
 */
export function definePresslineApp(app: App, options: DefinePresslineAppOptions = {}): PresslineStack {
  const context = presslineContext(app);
  const stack = new PresslineStack(app, `Pressline-${context.stage}`, {
    description: `Pressline (${context.stage}): article publishing pipeline`,
    ...(context.region ? { env: { region: context.region } } : {}),
    stage: context.stage,
    limits: context.limits,
    ...(context.originSecretVersion ? { originSecretVersion: context.originSecretVersion } : {}),
    ...(context.customDomain ? { customDomain: context.customDomain } : {}),
    ...(context.webAcl ? { webAcl: context.webAcl } : {}),
    ...(context.alarmTopicArn ? { alarmTopicArn: context.alarmTopicArn } : {}),
    ...(context.reviewRequired ? { reviewRequired: true } : {}),
    ...(context.writesPerMinute ? { writesPerMinute: context.writesPerMinute } : {}),
    ...(context.newsroomTimeZone ? { newsroomTimeZone: context.newsroomTimeZone } : {}),
    ...(options.projectRoot ? { projectRoot: options.projectRoot } : {}),
  });
  if (options.securityChecks ?? true) Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
  return stack;
}
