import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { BlockPublicAccess, Bucket, BucketEncryption, HttpMethods, ObjectOwnership, type BucketProps } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { BUCKET_DEFINITIONS, MEDIA_UPLOAD_CORS, TABLE_DEFINITION } from '../storage-definitions.js';

export interface PresslineStorageProps {
  /** Production keeps the table with deletion protection; other stages may delete it. */
  production: boolean;
  /** How long S3 and CloudFront access logs are kept. */
  accessLogRetention: Duration;
  /** Origins whose pages may post photos to the media bucket and read the answer (the newsroom's). */
  uploadOrigins: string[];
}

/**
 * The table and buckets of `infra/storage-definitions.ts` (the definitions the local runtime
 * creates on the emulators), with AWS's secure defaults: private, SSL only, encrypted, logged.
 */
export class PresslineStorage extends Construct {
  readonly table: Table;
  readonly mediaBucket: Bucket;
  readonly siteBucket: Bucket;
  /** S3 server access logs (`s3/<bucket>/`) and CloudFront standard logs (`cloudfront/`). */
  readonly logBucket: Bucket;
  /** The role of the deployment-time function that sets the media bucket's event notifications. */
  readonly mediaNotificationsRole: Role;

  constructor(scope: Construct, id: string, props: PresslineStorageProps) {
    super(scope, id);

    this.table = new Table(this, 'Table', {
      partitionKey: { name: TABLE_DEFINITION.partitionKey, type: AttributeType.STRING },
      sortKey: { name: TABLE_DEFINITION.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: TABLE_DEFINITION.ttlAttribute,
      deletionProtection: props.production,
      removalPolicy: props.production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    for (const index of TABLE_DEFINITION.globalSecondaryIndexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
        projectionType: ProjectionType.ALL,
      });
    }

    // Buckets are retained in every stage: CloudFormation cannot delete a bucket that still holds
    // objects, and emptying it would need an auto-delete custom resource (another Lambda function
    // with its own runtime and permissions) for little gain. The README says how to remove them.
    const secure: BucketProps = {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: BucketEncryption.S3_MANAGED,
      removalPolicy: RemovalPolicy.RETAIN,
    };

    this.logBucket = new Bucket(this, 'AccessLogs', {
      ...secure,
      // CloudFront standard logs are delivered with an ACL grant, which needs ACLs enabled.
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: props.accessLogRetention, abortIncompleteMultipartUploadAfter: Duration.days(1) }],
    });
    Validations.of(this.logBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This is the access-log bucket itself; logging its access into itself would log every log delivery.',
    });

    // S3 event notifications (uploads/ → the processing function) are set by a CloudFormation custom
    // resource that aws-cdk-lib adds: a Lambda function that runs only during deployments. Its role is
    // made here so that it is described and its one finding acknowledged where it is created.
    this.mediaNotificationsRole = new Role(this, 'MediaNotificationsRole', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: 'aws-cdk-lib custom resource that sets the media bucket event notifications during deployments',
    });
    Validations.of(this.mediaNotificationsRole).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason:
        'aws-cdk-lib attaches AWSLambdaBasicExecutionRole (CloudWatch Logs only) to the role of its bucket-notifications handler, even one passed in; its own grant is PutBucketNotification on the media bucket alone.',
    });

    this.mediaBucket = new Bucket(this, 'Media', {
      ...secure,
      notificationsHandlerRole: this.mediaNotificationsRole,
      cors: [
        {
          allowedOrigins: props.uploadOrigins,
          allowedMethods: MEDIA_UPLOAD_CORS.allowedMethods.map((method) => HttpMethods[method]),
          allowedHeaders: [...MEDIA_UPLOAD_CORS.allowedHeaders],
          maxAge: MEDIA_UPLOAD_CORS.maxAgeSeconds,
        },
      ],
      versioned: BUCKET_DEFINITIONS.media.versioned,
      serverAccessLogsBucket: this.logBucket,
      serverAccessLogsPrefix: 's3/media/',
      lifecycleRules: [
        // Versioning protects a reporter's photo from an accidental overwrite or delete. Old
        // versions go after 30 days: time to notice a mistake, yet a photo taken down for legal
        // reasons does not linger for ever. The rule has no prefix: an upload to uploads/ abandoned
        // half-way is also aborted after a day.
        { noncurrentVersionExpiration: Duration.days(30), abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
    });

    this.siteBucket = new Bucket(this, 'Site', {
      ...secure,
      versioned: BUCKET_DEFINITIONS.site.versioned,
      serverAccessLogsBucket: this.logBucket,
      serverAccessLogsPrefix: 's3/site/',
    });
  }
}
