import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { IDistribution } from 'aws-cdk-lib/aws-cloudfront';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, EventSourceMapping, Runtime, Tracing, type CfnFunction, type DestinationConfig, type IDestination, type IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { EventType, type Bucket, type CfnBucket, type IBucket } from 'aws-cdk-lib/aws-s3';
import { LambdaDestination } from 'aws-cdk-lib/aws-s3-notifications';
import { Queue, QueueEncryption, type IQueue } from 'aws-cdk-lib/aws-sqs';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Construct } from 'constructs';
import { AWS_ONLY_SETTINGS, CONFIG_ENV, HANDLER_SETTINGS, type PresslineConfig } from '../../shared/config.js';
import { ORIGIN_SECRET_ENV } from '../../shared/http/origin-secret.js';
import { LAMBDA_BUNDLING, linuxArm64CommandHooks } from '../bundling.js';
import { functionDefinition, type FunctionName } from '../functions-catalog.js';
import { INVALIDATION_QUEUE_DEFINITION, TABLE_DEFINITION } from '../storage-definitions.js';

/** The newest Node.js runtime this aws-cdk-lib knows; cdk-nag (L1, LambdaLatestVersion) checks it stays so. */
export const LAMBDA_RUNTIME = Runtime.NODEJS_24_X;

/** The repository root: entries in the functions catalog and package-lock.json are relative to it. */
export const PROJECT_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** Exactly the calls the handlers make: reads by key, queries of the listing index (never Scan), single-item and batch writes. */
const TABLE_KEY_READ_ACTIONS = ['dynamodb:GetItem'];
const TABLE_QUERY_ACTIONS = ['dynamodb:Query'];
const TABLE_WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];
const TABLE_UPDATE_ACTIONS = ['dynamodb:UpdateItem'];
/** Handlers put and delete whole objects; none lists or changes ACLs, and only the processing function reads one (an upload). */
const OBJECT_WRITE_ACTIONS = ['s3:PutObject', 's3:DeleteObject'];
const OBJECT_CONSUME_ACTIONS = ['s3:GetObject', 's3:DeleteObject'];

/**
 * Lambda retries a failed asynchronous event twice (the most it allows) before giving up on it:
 * a photo that fails three times is broken or too big, not unlucky.
 */
export const ASYNC_RETRY_ATTEMPTS = 2;

export interface PresslineFunctionProps {
  /** Which handler of `infra/functions-catalog.ts`: its entry, memory, timeout and description. */
  name: FunctionName;
  logRetention: RetentionDays;
  /** What happens to the log group when the stack is deleted. */
  logRemovalPolicy: RemovalPolicy;
  /** Repository root holding the catalog's entries and package-lock.json. */
  projectRoot?: string;
}

/**
 * One Lambda handler with Pressline's defaults: the catalog's entry bundled by esbuild exactly as
 * the bundle checks bundle it, the newest Node.js runtime on arm64, X-Ray tracing, its own log
 * group with a retention, and a role that starts with nothing but writing to that log group.
 *
 * Access is added with `readsTable`, `updatesTable`, `writesTable`, `writesObjects`,
 * `processesNewObjects`, `sendsInvalidations` and `drainsInvalidations`, each of which grants the IAM actions and sets the
 * environment variable the handler reads (`CONFIG_ENV`) in one step; `names` sets a variable that
 * carries no access. `checksOriginSecret` (every HTTP function, and only those: the synth fails
 * otherwise), `purgesObjectVersions` and `reservesConcurrency` do the same for the origin check,
 * a legal purge and reserved capacity. A function missing a variable that `readConfig` requires fails the synth
 * rather than every invocation. A function the catalog marks `invocation: 'event'` gets a
 * `failedEvents` queue for the events that fail every retry; one with `nativeModules` gets their
 * linux-arm64 build copied into its asset.
 */
export class PresslineFunction extends Construct {
  readonly function: NodejsFunction;
  readonly name: FunctionName;
  /** Absolute path of the handler file that is bundled: the catalog's entry. */
  readonly entry: string;
  readonly logGroup: LogGroup;
  readonly role: Role;
  /** Where events that failed every retry wait (functions invoked by an event source only). */
  readonly failedEvents: Queue | undefined;
  private readonly config = new Map<keyof PresslineConfig, string>();
  private checksOrigin = false;

  constructor(scope: Construct, id: string, props: PresslineFunctionProps) {
    super(scope, id);
    const catalog = functionDefinition(props.name);
    const nativeModules = catalog.nativeModules ?? [];
    const projectRoot = props.projectRoot ?? PROJECT_ROOT;
    this.name = props.name;
    this.entry = resolve(projectRoot, catalog.entry);

    this.logGroup = new LogGroup(this, 'Logs', { retention: props.logRetention, removalPolicy: props.logRemovalPolicy });
    // An explicit role instead of the default one with the AWSLambdaBasicExecutionRole managed
    // policy, which may write to any log group in the account.
    const role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Pressline ${props.name} function`,
    });
    this.logGroup.grantWrite(role);
    this.role = role;

    // S3 invokes asynchronously: Lambda retries, then records the event and its error on this queue,
    // where ops can read it and redrive it (an alarm watches it). Kept for SQS's longest retention.
    this.failedEvents =
      catalog.invocation === 'event'
        ? new Queue(this, 'FailedEvents', { encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true, retentionPeriod: Duration.days(14) })
        : undefined;

    this.function = new NodejsFunction(this, 'Function', {
      entry: this.entry,
      handler: 'handler',
      projectRoot,
      depsLockFilePath: resolve(projectRoot, 'package-lock.json'),
      description: catalog.description,
      runtime: LAMBDA_RUNTIME,
      architecture: Architecture.ARM_64,
      memorySize: catalog.memoryMiB,
      timeout: Duration.seconds(catalog.timeoutSeconds),
      tracing: Tracing.ACTIVE,
      logGroup: this.logGroup,
      role,
      // Warnings only: sizes are checked against infra/bundle-budgets.ts, not eyeballed in the log.
      // Native modules stay out of the bundle; their linux-arm64 build is copied in after it.
      bundling: {
        ...LAMBDA_BUNDLING,
        mainFields: [...LAMBDA_BUNDLING.mainFields],
        externalModules: [...LAMBDA_BUNDLING.externalModules, ...nativeModules],
        logLevel: LogLevel.WARNING,
        ...(nativeModules.length > 0 ? { commandHooks: linuxArm64CommandHooks(projectRoot, nativeModules) } : {}),
      },
      // The bundles carry source maps; without this flag stack traces point into minified code.
      environment: { NODE_OPTIONS: '--enable-source-maps' },
      ...(this.failedEvents ? { onFailure: new SendMessageDestination(this.failedEvents), retryAttempts: ASYNC_RETRY_ATTEMPTS } : {}),
    });

    // Tracing adds xray:PutTraceSegments and xray:PutTelemetryRecords on `*`: X-Ray has no
    // resource-level permissions. The infra tests check that nothing else is granted on `*`.
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'Only the X-Ray tracing actions (PutTraceSegments, PutTelemetryRecords), which support no resource-level permissions.',
    });
    if (this.failedEvents) {
      Validations.of(this.function).acknowledge({
        id: 'Serverless-LambdaDLQ',
        reason: 'Failed asynchronous events go to the on-failure destination (the FailedEvents SQS queue), which also records the error; a dead-letter queue as well would receive every failure twice.',
      });
      const isTheDeadLetterQueue = 'This queue is itself the dead-letter destination of the function\'s failed events; a queue behind it would only receive the same records again.';
      Validations.of(this.failedEvents).acknowledge(
        { id: 'AwsSolutions-SQS3', reason: isTheDeadLetterQueue },
        { id: 'Serverless-SQSRedrivePolicy', reason: isTheDeadLetterQueue },
      );
    } else if (catalog.invocation === 'queue') {
      Validations.of(this.function).acknowledge(
        { id: 'Serverless-LambdaDLQ', reason: 'Invoked by an SQS event source mapping: a failed message returns to its queue and, after its most receives, moves to that queue\'s dead-letter queue (alarmed).' },
        { id: 'Serverless-LambdaAsyncFailureDestination', reason: 'Invoked by an SQS event source mapping only (synchronously, by the poller); there are no asynchronous invocations to fail.' },
      );
    } else {
      // These handlers answer HTTP: API Gateway invokes them synchronously and returns a failure
      // to the caller (and the Errors alarm fires), so there is no asynchronous event to park.
      Validations.of(this.function).acknowledge(
        { id: 'Serverless-LambdaDLQ', reason: 'Invoked synchronously by API Gateway only; a failure is the HTTP response, alarmed by the Errors alarm.' },
        { id: 'Serverless-LambdaAsyncFailureDestination', reason: 'Invoked synchronously by API Gateway only; there are no asynchronous invocations to fail.' },
      );
    }

    // `readConfig` fails at module load when a setting the handler reads is missing, which would
    // fail every invocation: refuse to synthesize such a function, or one told what it never reads.
    this.node.addValidation({
      validate: () => {
        const needed: readonly (keyof PresslineConfig)[] = HANDLER_SETTINGS[props.name];
        const missing = needed.filter((key) => !this.config.has(key));
        const awsOnly: readonly (keyof PresslineConfig)[] = AWS_ONLY_SETTINGS;
        const unread = [...this.config.keys()].filter((key) => !awsOnly.includes(key) && !needed.includes(key));
        const http = catalog.invocation === 'http';
        return [
          ...(http && !this.checksOrigin ? [`${props.name} function: answers HTTP but does not check the origin secret (use checksOriginSecret)`] : []),
          ...(!http && this.checksOrigin ? [`${props.name} function: is not invoked over HTTP, so it has no origin header to check`] : []),
          ...missing.map((key) => `${props.name} function: ${CONFIG_ENV[key]} is not set (use readsTable, updatesTable, writesTable, writesObjects, processesNewObjects or names)`),
          ...unread.map((key) => `${props.name} function: ${CONFIG_ENV[key]} is set but the handler never reads it (see HANDLER_SETTINGS)`),
        ];
      },
    });
  }

  /** Lets the handler read items by key, and with `queries` query the table's indexes; names the table in its env. */
  readsTable(table: ITable, options: { queries?: boolean } = {}): this {
    this.function.addToRolePolicy(new PolicyStatement({ actions: TABLE_KEY_READ_ACTIONS, resources: [table.tableArn] }));
    if (options.queries) this.function.addToRolePolicy(new PolicyStatement({ actions: TABLE_QUERY_ACTIONS, resources: tableAndIndexArns(table) }));
    return this.setConfig('tableName', table.tableName);
  }

  /** Lets the handler read items by key and update existing ones in place (no put, no delete, no Query); names the table. */
  updatesTable(table: ITable): this {
    this.function.addToRolePolicy(new PolicyStatement({ actions: [...TABLE_KEY_READ_ACTIONS, ...TABLE_UPDATE_ACTIONS], resources: [table.tableArn] }));
    return this.setConfig('tableName', table.tableName);
  }

  /** Lets the handler query the table (an article's revisions) and its indexes (the newsroom's listings); never Scan. */
  queriesTable(table: ITable): this {
    this.function.addToRolePolicy(new PolicyStatement({ actions: TABLE_QUERY_ACTIONS, resources: tableAndIndexArns(table) }));
    return this.setConfig('tableName', table.tableName);
  }

  /** Lets the handler read items by key and write items (no Query, no Scan, no table administration); names the table. */
  writesTable(table: ITable): this {
    this.function.addToRolePolicy(new PolicyStatement({ actions: [...TABLE_KEY_READ_ACTIONS, ...TABLE_WRITE_ACTIONS], resources: [table.tableArn] }));
    return this.setConfig('tableName', table.tableName);
  }

  /** Lets the handler put and delete objects under `keyPattern` (e.g. `media/*`); names the bucket. */
  writesObjects(key: 'mediaBucket' | 'siteBucket', bucket: IBucket, keyPattern = '*'): this {
    return this.grantObjects(key, bucket, keyPattern, OBJECT_WRITE_ACTIONS);
  }

  /**
   * Lets the handler delete every stored version of objects under the given key prefixes (a legal
   * takedown's purge): list versions only with a `prefix` of exactly that shape, and delete versions
   * only of keys of that shape. `?` and `*` are IAM's wildcards: `media/<36 characters>/` is one
   * photo's renditions, never the whole prefix. Deleting a version needs no other permission.
   */
  purgesObjectVersions(bucket: IBucket, prefixes: readonly string[]): this {
    this.function.addToRolePolicy(new PolicyStatement({ actions: ['s3:ListBucketVersions'], resources: [bucket.bucketArn], conditions: { StringLike: { 's3:prefix': [...prefixes] } } }));
    this.function.addToRolePolicy(new PolicyStatement({ actions: ['s3:DeleteObjectVersion'], resources: prefixes.map((prefix) => bucket.arnForObjects(prefix.endsWith('/') ? `${prefix}*` : prefix)) }));
    const bucketLogicalId = Stack.of(bucket).resolve((bucket.node.defaultChild as CfnBucket).logicalId) as string;
    for (const prefix of prefixes.filter((p) => p.endsWith('/'))) {
      Validations.of(this.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${bucketLogicalId}.Arn>/${prefix}*]`,
        reason: `A photo's renditions are keys under its own prefix (${prefix}), named at processing time; the grant is only DeleteObjectVersion on them, for a legal takedown's purge.`,
      });
    }
    return this;
  }

  /**
   * Runs the handler for every object created under `prefix` (e.g. `uploads/`): S3 invokes it
   * asynchronously, so only for a function the catalog marks `invocation: 'event'`, whose failures
   * have a queue. Lets it read those objects and delete them (a refused upload); names the bucket.
   */
  processesNewObjects(key: 'mediaBucket', bucket: Bucket, prefix: string): this {
    if (!this.failedEvents) throw new Error(`${this.name} function: only a function with invocation 'event' in the catalog may be triggered by S3 (its failures need a queue)`);
    bucket.addEventNotification(EventType.OBJECT_CREATED, new LambdaDestination(this.function), { prefix });
    return this.grantObjects(key, bucket, `${prefix}*`, OBJECT_CONSUME_ACTIONS);
  }

  /**
   * Lets the handler send the paths a change affects to the invalidation queue, and nothing else
   * (only `sqs:SendMessage`: it never reads the queue's attributes or looks up its URL); names it.
   */
  sendsInvalidations(queue: IQueue): this {
    this.function.addToRolePolicy(new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [queue.queueArn] }));
    return this.setConfig('invalidationQueueUrl', queue.queueUrl);
  }

  /**
   * Runs the handler on batches of the invalidation queue (a function the catalog marks
   * `invocation: 'queue'`), reporting failed messages one by one so only those are retried, and
   * lets it create invalidations on the distribution, and only that; names the distribution.
   */
  drainsInvalidations(queue: IQueue, distribution: IDistribution): this {
    if (functionDefinition(this.name).invocation !== 'queue') throw new Error(`${this.name} function: only a function with invocation 'queue' in the catalog may drain a queue`);
    this.function.addEventSource(
      new SqsEventSource(queue, {
        batchSize: INVALIDATION_QUEUE_DEFINITION.batchSize,
        maxBatchingWindow: Duration.seconds(INVALIDATION_QUEUE_DEFINITION.maxBatchingWindowSeconds),
        maxConcurrency: INVALIDATION_QUEUE_DEFINITION.maxConcurrency,
        reportBatchItemFailures: true,
      }),
    );
    distribution.grantCreateInvalidation(this.function);
    for (const mapping of this.function.node.children.filter((child) => child instanceof EventSourceMapping)) {
      Validations.of(mapping).acknowledge({
        id: 'Serverless-LambdaEventSourceMappingDestination',
        reason: 'Lambda supports on-failure destinations only for stream and Kafka sources; for SQS, a failed message returns to the queue and its redrive policy moves it to the alarmed dead-letter queue.',
      });
    }
    return this.setConfig('distributionId', distribution.distributionId);
  }

  /**
   * Lets the handler read the origin secret's values (GetSecretValue only: it never describes or
   * lists secrets) and names it, for the check every HTTP function makes before anything else.
   */
  checksOriginSecret(secret: ISecret): this {
    this.function.addToRolePolicy(new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [secret.secretArn] }));
    this.function.addEnvironment(ORIGIN_SECRET_ENV.secretArn, secret.secretArn);
    this.checksOrigin = true;
    return this;
  }

  /**
   * Reserves `executions` of the account's concurrency for this function alone, which is also the
   * most it may run at once; 0 or undefined leaves it in the shared pool. Lambda refuses a
   * reservation that would leave the account fewer than 100 unreserved executions.
   */
  reservesConcurrency(executions: number | undefined): this {
    if (executions) (this.function.node.defaultChild as CfnFunction).reservedConcurrentExecutions = executions;
    return this;
  }

  /** Sets a configuration variable that carries no access, such as the public base URL. */
  names(key: keyof PresslineConfig, value: string): this {
    return this.setConfig(key, value);
  }

  private grantObjects(key: 'mediaBucket' | 'siteBucket', bucket: IBucket, keyPattern: string, actions: string[]): this {
    this.function.addToRolePolicy(new PolicyStatement({ actions, resources: [bucket.arnForObjects(keyPattern)] }));
    // cdk-nag names the finding after the bucket's logical id, as it appears in the policy.
    const bucketLogicalId = Stack.of(bucket).resolve((bucket.node.defaultChild as CfnBucket).logicalId) as string;
    Validations.of(this.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${bucketLogicalId}.Arn>/${keyPattern}]`,
      reason: `Object keys are created per article or photo at run time (${keyPattern} of ${key}); the grant is only ${actions.map((a) => a.replace('s3:', '')).join(' and ')} on them.`,
    });
    return this.setConfig(key, bucket.bucketName);
  }

  private setConfig(key: keyof PresslineConfig, value: string): this {
    this.config.set(key, value);
    this.function.addEnvironment(CONFIG_ENV[key], value);
    return this;
  }
}

/**
 * An on-failure destination like `SqsDestination`, whose grant adds GetQueueAttributes and
 * GetQueueUrl: Lambda needs only SendMessage to deliver a failure record.
 */
class SendMessageDestination implements IDestination {
  private readonly queue: IQueue;

  constructor(queue: IQueue) {
    this.queue = queue;
  }

  bind(_scope: Construct, fn: IFunction): DestinationConfig {
    fn.addToRolePolicy(new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [this.queue.queueArn] }));
    return { destination: this.queue.queueArn };
  }
}

/** The table and each index by name: no `index/*` wildcard, so a new index is granted on purpose. */
function tableAndIndexArns(table: ITable): string[] {
  return [table.tableArn, ...TABLE_DEFINITION.globalSecondaryIndexes.map((index) => `${table.tableArn}/index/${index.indexName}`)];
}
