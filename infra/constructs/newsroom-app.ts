import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DefaultStackSynthesizer, Stack, Token, Validations } from 'aws-cdk-lib';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct, type IConstruct } from 'constructs';
import { buildNewsroomSync, NEWSROOM_KEY_PREFIX, writeNewsroom } from '../newsroom-build.js';

export interface NewsroomAppProps {
  siteBucket: IBucket;
  /** The IANA zone "Publish at" is read and shown in (`-c newsroomTimeZone`); unset, each browser's own. */
  timeZone?: string;
}

/**
 * The newsroom app (`/newsroom/`) in the site bucket under `newsroom/`: the same files `npm start`
 * puts in the local bucket, built at synth. Two deployments, because each sets one Cache-Control:
 * the hashed script and stylesheet are immutable; the page is revalidated on every load, so a
 * deploy reaches everyone at once. Neither prunes: a tab still running the previous build keeps its
 * files until it is reloaded, and nothing outside `newsroom/` (the article pages) is ever touched.
 */
export class NewsroomApp extends Construct {
  readonly files: readonly string[];
  /** aws-cdk-lib's provider function behind every BucketDeployment of the stack (its findings are acknowledged on it). */
  readonly deploymentProvider: IConstruct;

  constructor(scope: Construct, id: string, props: NewsroomAppProps) {
    super(scope, id);
    const built = buildNewsroomSync({ timeZone: props.timeZone });
    const folder = mkdtempSync(join(tmpdir(), 'pressline-newsroom-'));
    writeNewsroom(built, folder);
    this.files = built.map((f) => f.key);
    const source = Source.asset(join(folder, NEWSROOM_KEY_PREFIX));
    const common = { sources: [source], destinationBucket: props.siteBucket, destinationKeyPrefix: NEWSROOM_KEY_PREFIX, prune: false };

    const assets = new BucketDeployment(this, 'Assets', {
      ...common,
      exclude: ['index.html'],
      cacheControl: [CacheControl.fromString(built.find((f) => !f.key.endsWith('index.html'))!.cacheControl)],
    });
    const page = new BucketDeployment(this, 'Page', {
      ...common,
      exclude: ['*'],
      include: ['index.html'],
      cacheControl: [CacheControl.fromString(built.find((f) => f.key.endsWith('index.html'))!.cacheControl)],
      contentType: 'text/html; charset=utf-8',
    });
    // The page names the hashed script and stylesheet: it goes live only once they are there.
    page.node.addDependency(assets);
    this.deploymentProvider = acknowledgeDeploymentProvider(Stack.of(this), props.siteBucket);
  }
}

/**
 * aws-cdk-lib runs every BucketDeployment through one provider function per stack, made by the
 * library (`Custom::CDKBucketDeployment…`), invoked by CloudFormation during deployments only.
 * Its findings are the library's choices, acknowledged here one by one.
 */
function acknowledgeDeploymentProvider(stack: Stack, siteBucket: IBucket): IConstruct {
  const provider = stack.node.children.find((child) => child.node.id.startsWith('Custom::CDKBucketDeployment'));
  if (!provider) throw new Error('aws-cdk-lib made no BucketDeployment provider where expected: its findings cannot be acknowledged');
  const qualifier = (stack.node.tryGetContext('@aws-cdk/core:bootstrapQualifier') as string | undefined) ?? DefaultStackSynthesizer.DEFAULT_QUALIFIER;
  const region = Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region;
  const assetsBucket = `arn:<AWS::Partition>:s3:::cdk-${qualifier}-assets-<AWS::AccountId>-${region}/*`;
  const siteObjects = `<${stack.getLogicalId(siteBucket.node.defaultChild as never)}.Arn>/*`;
  const grants = 'aws-cdk-lib grants its provider read on the bootstrap assets bucket (the zipped newsroom build) and read-write on the site bucket (it copies the files under newsroom/ and never prunes)';
  const deployOnly = 'It runs only when CloudFormation deploys the stack, invoked synchronously by the custom resource: a failure fails and rolls back the deployment';
  Validations.of(provider).acknowledge(
    { id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]', reason: 'aws-cdk-lib attaches AWSLambdaBasicExecutionRole (CloudWatch Logs only) to its BucketDeployment provider role; the role can do nothing else but the S3 grants below.' },
    ...['s3:GetBucket*', 's3:GetObject*', 's3:List*', 's3:Abort*', 's3:DeleteObject*'].map((action) => ({ id: `AwsSolutions-IAM5[Action::${action}]`, reason: `${grants}: ${action} is part of those grants as the library writes them.` })),
    { id: `AwsSolutions-IAM5[Resource::${assetsBucket}]`, reason: `${grants}; the asset's object key is only known at deploy time, so the read is on the bootstrap bucket's objects.` },
    { id: `AwsSolutions-IAM5[Resource::${siteObjects}]`, reason: `${grants}; the newsroom's file names carry their content hash, so they are known only at build time.` },
    { id: 'AwsSolutions-L1', reason: 'aws-cdk-lib pins the runtime of its BucketDeployment provider (Python, with the AWS CLI layer); it moves with aws-cdk-lib upgrades, not with this stack.' },
    { id: 'Serverless-LambdaLatestVersion', reason: 'aws-cdk-lib pins the runtime of its BucketDeployment provider (Python, with the AWS CLI layer); it moves with aws-cdk-lib upgrades, not with this stack.' },
    { id: 'Serverless-LambdaDLQ', reason: `${deployOnly}; there is no asynchronous event to keep.` },
    { id: 'Serverless-LambdaTracing', reason: `${deployOnly}; its one call per deployment is in the CloudFormation events and its log group, not worth X-Ray's cost.` },
  );
  return provider;
}
