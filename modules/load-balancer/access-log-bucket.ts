import type { ITerraformDependable } from 'cdktf';
import { DataAwsElbServiceAccount } from '@cdktf/provider-aws/lib/data-aws-elb-service-account';
import {
  DataAwsIamPolicyDocument,
  type DataAwsIamPolicyDocumentStatementPrincipals,
} from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { Construct } from 'constructs';
import { accountOf } from '../account.js';

/**
 * Regions opened in August 2022 or later: Elastic Load Balancing writes their logs as the
 * `logdelivery.elasticloadbalancing.amazonaws.com` service principal. Older regions write as a
 * per-region ELB account, which `aws_elb_service_account` knows (and which it rejects for these).
 */
const SERVICE_PRINCIPAL_LOG_REGIONS: ReadonlySet<string> = new Set([
  'ap-south-2',
  'ap-southeast-4',
  'ap-southeast-5',
  'ca-west-1',
  'eu-central-2',
  'eu-south-2',
  'il-central-1',
  'me-central-1',
]);

export interface AccessLogBucketProps {
  readonly provider: AwsProvider;
  /** Name prefix; the bucket is `<name>-<account>-<region>-logs` (S3 names are global). */
  readonly name: string;
  /** Days a log object is kept before it expires. */
  readonly retentionDays: number;
}

/**
 * A private, versioned S3 bucket the load balancer of this region may write access logs to.
 * Elastic Load Balancing delivers logs only to SSE-S3 buckets, so no customer key here.
 */
export class AccessLogBucket extends Construct {
  readonly bucketName: string;
  /**
   * What must exist before a load balancer may log here: ELB checks that it can write when access
   * logs are turned on, and refuses ("Access Denied for bucket") before the policy is in place.
   */
  readonly writable: ITerraformDependable[];

  constructor(scope: Construct, id: string, props: AccessLogBucketProps) {
    super(scope, id);
    const { provider } = props;
    const region = provider.region!;
    const account = accountOf(this, provider).accountId;
    const bucket = new S3Bucket(this, 'bucket', {
      provider,
      bucket: `${props.name}-${account}-${region}-logs`,
      // `terraform destroy` empties the bucket (every object version) before deleting it. Without
      // this, destroy fails with BucketNotEmpty: the load balancer writes logs until it is gone,
      // and versioning keeps every delete marker's object. Safe here: the bucket holds only access
      // logs, which expire after `retentionDays` anyway (noncurrent versions after 7), and a
      // destroy ends the load balancer whose traffic they describe; copy them out first if an
      // investigation needs them. S3 User Guide, "Emptying a bucket" and "Deleting a bucket".
      forceDestroy: true,
    });
    this.bucketName = bucket.bucket;
    new S3BucketPublicAccessBlock(this, 'public-access-block', {
      provider,
      bucket: bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    const ownership = new S3BucketOwnershipControls(this, 'ownership', {
      provider,
      bucket: bucket.id,
      rule: { objectOwnership: 'BucketOwnerEnforced' },
    });
    new S3BucketServerSideEncryptionConfigurationA(this, 'encryption', {
      provider,
      bucket: bucket.id,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }],
    });
    new S3BucketVersioningA(this, 'versioning', {
      provider,
      bucket: bucket.id,
      versioningConfiguration: { status: 'Enabled' },
    });
    new S3BucketLifecycleConfiguration(this, 'lifecycle', {
      provider,
      bucket: bucket.id,
      rule: [
        {
          id: 'expire-access-logs',
          status: 'Enabled',
          filter: [{ prefix: '' }],
          expiration: [{ days: props.retentionDays }],
          noncurrentVersionExpiration: [{ noncurrentDays: 7 }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 1 }],
        },
      ],
    });

    const writer: DataAwsIamPolicyDocumentStatementPrincipals = SERVICE_PRINCIPAL_LOG_REGIONS.has(region)
      ? { type: 'Service', identifiers: ['logdelivery.elasticloadbalancing.amazonaws.com'] }
      : { type: 'AWS', identifiers: [new DataAwsElbServiceAccount(this, 'elb-account', { provider }).arn] };
    const policy = new DataAwsIamPolicyDocument(this, 'policy', {
      provider,
      statement: [
        {
          sid: 'LoadBalancerWritesLogs',
          actions: ['s3:PutObject'],
          resources: [`${bucket.arn}/AWSLogs/${account}/*`],
          principals: [writer],
        },
        {
          sid: 'DenyInsecureTransport',
          effect: 'Deny',
          actions: ['s3:*'],
          resources: [bucket.arn, `${bucket.arn}/*`],
          principals: [{ type: '*', identifiers: ['*'] }],
          condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
        },
      ],
    });
    const bucketPolicy = new S3BucketPolicy(this, 'bucket-policy', {
      provider,
      bucket: bucket.id,
      policy: policy.json,
    });
    // Elastic Load Balancing User Guide, "Enable access logs for your Application Load Balancer":
    // the bucket policy grants log delivery before access logs are turned on.
    this.writable = [bucketPolicy, ownership];
  }
}
