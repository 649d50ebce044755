import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { IDistribution } from 'aws-cdk-lib/aws-cloudfront';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { CfnBucket, IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { CONFIG_ENV, HANDLER_SETTINGS, type PresslineConfig } from '../../shared/config.js';
import { LAMBDA_BUNDLING } from '../bundling.js';
import { FUNCTIONS, type FunctionName } from '../functions-catalog.js';
import { TABLE_DEFINITION } from '../storage-definitions.js';

/** The newest Node.js runtime this aws-cdk-lib knows; cdk-nag (L1, LambdaLatestVersion) checks it stays so. */
export const LAMBDA_RUNTIME = Runtime.NODEJS_24_X;

/** The repository root: entries in the functions catalog and package-lock.json are relative to it. */
export const PROJECT_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** Exactly the calls the handlers make: reads by key, queries of the listing index (never Scan), single-item and batch writes. */
const TABLE_KEY_READ_ACTIONS = ['dynamodb:GetItem'];
const TABLE_QUERY_ACTIONS = ['dynamodb:Query'];
const TABLE_WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];
/** Handlers put and delete whole objects; none lists, reads back or changes ACLs. */
const OBJECT_WRITE_ACTIONS = ['s3:PutObject', 's3:DeleteObject'];


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
 * Access is added with `readsTable`, `writesTable`, `writesObjects` and `invalidatesCdn`, each of
 * which grants the IAM actions and sets the environment variable the handler reads (`CONFIG_ENV`)
 * in one step; `names` sets a variable that carries no access. A function missing a variable that
 * `readConfig` requires fails the synth rather than every invocation.
 */
export class PresslineFunction extends Construct {
  readonly function: NodejsFunction;
  readonly name: FunctionName;
  /** Absolute path of the handler file that is bundled: the catalog's entry. */
  readonly entry: string;
  readonly logGroup: LogGroup;
  readonly role: Role;
  private readonly config = new Map<keyof PresslineConfig, string>();

  constructor(scope: Construct, id: string, props: PresslineFunctionProps) {
    super(scope, id);
    const catalog = FUNCTIONS[props.name];
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
      bundling: { ...LAMBDA_BUNDLING, mainFields: [...LAMBDA_BUNDLING.mainFields], externalModules: [...LAMBDA_BUNDLING.externalModules], logLevel: LogLevel.WARNING },
      // The bundles carry source maps; without this flag stack traces point into minified code.
      environment: { NODE_OPTIONS: '--enable-source-maps' },
    });

    // Tracing adds xray:PutTraceSegments and xray:PutTelemetryRecords on `*`: X-Ray has no
    // resource-level permissions. The infra tests check that nothing else is granted on `*`.
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'Only the X-Ray tracing actions (PutTraceSegments, PutTelemetryRecords), which support no resource-level permissions.',
    });
    // Pressline's handlers answer HTTP: API Gateway invokes them synchronously and returns a
    // failure to the caller (and the Errors alarm fires), so there is no asynchronous event to park.
    Validations.of(this.function).acknowledge(
      { id: 'Serverless-LambdaDLQ', reason: 'Invoked synchronously by API Gateway only; a failure is the HTTP response, alarmed by the Errors alarm.' },
      { id: 'Serverless-LambdaAsyncFailureDestination', reason: 'Invoked synchronously by API Gateway only; there are no asynchronous invocations to fail.' },
    );

    // `readConfig` fails at module load when a setting the handler reads is missing, which would
    // fail every invocation: refuse to synthesize such a function, or one told what it never reads.
    this.node.addValidation({
      validate: () => {
        const needed: readonly (keyof PresslineConfig)[] = HANDLER_SETTINGS[props.name];
        const missing = needed.filter((key) => !this.config.has(key));
        const unread = [...this.config.keys()].filter((key) => key !== 'distributionId' && !needed.includes(key));
        return [
          ...missing.map((key) => `${props.name} function: ${CONFIG_ENV[key]} is not set (use readsTable, writesTable, writesObjects or names)`),
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

  /** Lets the handler read items by key and write items (no Query, no Scan, no table administration); names the table. */
  writesTable(table: ITable): this {
    this.function.addToRolePolicy(new PolicyStatement({ actions: [...TABLE_KEY_READ_ACTIONS, ...TABLE_WRITE_ACTIONS], resources: [table.tableArn] }));
    return this.setConfig('tableName', table.tableName);
  }

  /** Lets the handler put and delete objects under `keyPattern` (e.g. `media/*`); names the bucket. */
  writesObjects(key: 'mediaBucket' | 'siteBucket', bucket: IBucket, keyPattern = '*'): this {
    this.function.addToRolePolicy(new PolicyStatement({ actions: OBJECT_WRITE_ACTIONS, resources: [bucket.arnForObjects(keyPattern)] }));
    // cdk-nag names the finding after the bucket's logical id, as it appears in the policy.
    const bucketLogicalId = Stack.of(bucket).resolve((bucket.node.defaultChild as CfnBucket).logicalId) as string;
    Validations.of(this.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${bucketLogicalId}.Arn>/${keyPattern}]`,
      reason: `Object keys are created per article at run time (${keyPattern} of ${key}); the grant is only PutObject and DeleteObject on them.`,
    });
    return this.setConfig(key, bucket.bucketName);
  }

  /** Lets the handler invalidate paths on the distribution (corrections, takedowns); names it. */
  invalidatesCdn(distribution: IDistribution): this {
    distribution.grantCreateInvalidation(this.function);
    return this.setConfig('distributionId', distribution.distributionId);
  }

  /** Sets a configuration variable that carries no access, such as the public base URL. */
  names(key: keyof PresslineConfig, value: string): this {
    return this.setConfig(key, value);
  }

  private setConfig(key: keyof PresslineConfig, value: string): this {
    this.config.set(key, value);
    this.function.addEnvironment(CONFIG_ENV[key], value);
    return this;
  }
}

/** The table and each index by name: no `index/*` wildcard, so a new index is granted on purpose. */
function tableAndIndexArns(table: ITable): string[] {
  return [table.tableArn, ...TABLE_DEFINITION.globalSecondaryIndexes.map((index) => `${table.tableArn}/index/${index.indexName}`)];
}
