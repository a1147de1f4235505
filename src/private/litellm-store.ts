import { CustomResource, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { acknowledgeCdkFunction, acknowledgeRules, AWS_MANAGED_KEY_REASON, cfnOf, DEPLOY_TIME_FUNCTION_SKIPS, skipCheckov } from './acknowledgements';
import { LiteLLMConfig } from './litellm-config';
import { ensureSecretPrefix } from './prefixed-secret';

/** Where the proxy's configuration lives, and the step that writes it. */
export interface ConfigStore {
  readonly bucket: s3.Bucket;
  readonly objectKey: string;
  readonly deployment: s3deploy.BucketDeployment;
}

const CONFIG_BUCKET_REASON = 'The bucket holds only the generated proxy configuration, written by the deployment and read by the proxy at start; CloudTrail records both.';

/**
 * Creates, in `scope` (the service, so that ids stay the service's), the private bucket that holds
 * the proxy configuration and writes `config` to `objectKey` at deploy time. Earlier documents stay,
 * so that a task started from a previous task definition (a rollback) still finds its own.
 */
export function createConfigStore(scope: Construct, config: LiteLLMConfig, objectKey: string): ConfigStore {
  const bucket = new s3.Bucket(scope, 'ConfigBucket', {
    encryption: s3.BucketEncryption.S3_MANAGED,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    versioned: true,
    // The bucket holds nothing but generated configuration, which every deploy writes again.
    removalPolicy: RemovalPolicy.DESTROY,
    autoDeleteObjects: true,
  });
  const deployment = new s3deploy.BucketDeployment(scope, 'Config', {
    destinationBucket: bucket,
    sources: [s3deploy.Source.jsonData(objectKey, config)],
    prune: false,
    memoryLimit: 256,
  });

  // The copy function is a singleton of the stack, made by aws-cdk-lib; its role's scope is the function.
  const handler = deployment.handlerRole.node.scope!;
  acknowledgeCdkFunction(
    handler,
    "aws-cdk-lib's BucketDeployment handler",
    "aws-cdk-lib's BucketDeployment handler reads the staged configuration from the CDK bootstrap bucket and writes it into the proxy's configuration bucket; its grants are limited to those two buckets.",
  );
  skipCheckov(handler, {
    ...DEPLOY_TIME_FUNCTION_SKIPS,
    CKV_AWS_173: "aws-cdk-lib's BucketDeployment handler; its only environment variable is the path of the CA bundle.",
  });
  skipCheckov(bucket, { CKV_AWS_18: CONFIG_BUCKET_REASON });
  acknowledgeRules(cfnOf(bucket), { 'AwsSolutions-S1': CONFIG_BUCKET_REASON });
  // aws-cdk-lib's handler that empties the configuration bucket when it is deleted (a stack singleton).
  skipCheckov(Stack.of(scope).node.tryFindChild('Custom::S3AutoDeleteObjectsCustomResourceProvider')?.node.tryFindChild('Handler'), DEPLOY_TIME_FUNCTION_SKIPS);
  return { bucket, objectKey, deployment };
}

/**
 * Creates the proxy's master key in Secrets Manager, in `scope`, and the step that prefixes it
 * with `sk-` (LiteLLM requires it; Secrets Manager cannot prefix a generated value).
 */
export function createMasterKey(scope: Construct): { masterKey: secretsmanager.Secret; keyPrefix: CustomResource } {
  const masterKey = new secretsmanager.Secret(scope, 'MasterKey', {
    description: `LiteLLM master key of ${scope.node.path} (starts with sk-)`,
    generateSecretString: { passwordLength: 48, excludePunctuation: true },
  });
  const keyPrefix = ensureSecretPrefix(scope, 'MasterKeyPrefix', masterKey, 'sk-');
  skipCheckov(masterKey, { CKV_AWS_149: AWS_MANAGED_KEY_REASON });
  acknowledgeRules(cfnOf(masterKey), {
    'AwsSolutions-SMG4': 'The proxy reads its master key once at start, and Open WebUI holds the same key: a rotation would lock Open WebUI out until both services restart. Rotate by redeploying both.',
  });
  return { masterKey, keyPrefix };
}
