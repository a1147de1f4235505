import { Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as efs from 'aws-cdk-lib/aws-efs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { acknowledgeWildcards } from './acknowledgements';
import { spotStrategy } from './scaling';
import type { SignInConfig } from '../sign-in';

/** The volume name of Open WebUI's data directory on the file system. */
const DATA_VOLUME = 'data';

/**
 * Gives Open WebUI's task its files: the file system mounted through its access point with IAM
 * and TLS, and the task role allowed to mount and write it; or the task role allowed to use the
 * files bucket. Returns the volume to mount, with a file system.
 */
export function grantOpenWebUIFiles(taskDefinition: ecs.FargateTaskDefinition, options: {
  fileSystem?: efs.FileSystem;
  accessPoint?: efs.AccessPoint;
  filesBucket?: s3.IBucket;
}): string | undefined {
  if (options.fileSystem !== undefined) {
    taskDefinition.addVolume({
      name: DATA_VOLUME,
      efsVolumeConfiguration: {
        fileSystemId: options.fileSystem.fileSystemId,
        transitEncryption: 'ENABLED',
        authorizationConfig: { accessPointId: options.accessPoint!.accessPointId, iam: 'ENABLED' },
      },
    });
    options.fileSystem.grant(taskDefinition.taskRole, 'elasticfilesystem:ClientMount', 'elasticfilesystem:ClientWrite');
  }
  const bucket = options.filesBucket;
  if (bucket !== undefined) {
    // What Open WebUI's S3 storage calls (upload, download, delete; list to empty it on reset),
    // on this bucket only.
    taskDefinition.addToTaskRolePolicy(new iam.PolicyStatement({ actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], resources: [bucket.arnForObjects('*')] }));
    taskDefinition.addToTaskRolePolicy(new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucket.bucketArn] }));
    acknowledgeWildcards(taskDefinition.taskRole, 'Open WebUI names each uploaded file itself, so it may get, put and delete any object of its own files bucket (and of no other).',
      (finding) => finding.startsWith('Resource::<') && finding.endsWith('.Arn>/*'));
  }
  return options.fileSystem !== undefined ? DATA_VOLUME : undefined;
}

/**
 * The ECS secrets of the Open WebUI container: every secret value reaches it this way, never as
 * a plain variable (test/security/secrets.test.ts).
 */
export function openWebUISecrets(options: {
  secretKey: secretsmanager.ISecret;
  adminSecret: secretsmanager.ISecret;
  litellmKey: secretsmanager.ISecret;
  imageGeneration: boolean;
  signIn?: SignInConfig;
  databaseCredentials: secretsmanager.ISecret;
  redisAuthToken?: secretsmanager.ISecret;
}): Record<string, ecs.Secret> {
  const litellmKey = ecs.Secret.fromSecretsManager(options.litellmKey);
  return {
    WEBUI_SECRET_KEY: ecs.Secret.fromSecretsManager(options.secretKey),
    WEBUI_ADMIN_PASSWORD: ecs.Secret.fromSecretsManager(options.adminSecret, 'password'),
    OPENAI_API_KEY: litellmKey,
    ...(options.imageGeneration ? { IMAGES_OPENAI_API_KEY: litellmKey } : {}),
    RAG_OPENAI_API_KEY: litellmKey,
    ...(options.signIn !== undefined ? { OAUTH_CLIENT_SECRET: ecs.Secret.fromSecretsManager(options.signIn.clientSecret) } : {}),
    DATABASE_USER: ecs.Secret.fromSecretsManager(options.databaseCredentials, 'username'),
    DATABASE_PASSWORD: ecs.Secret.fromSecretsManager(options.databaseCredentials, 'password'),
    ...(options.redisAuthToken !== undefined ? { REDIS_AUTH_TOKEN: ecs.Secret.fromSecretsManager(options.redisAuthToken) } : {}),
  };
}

/**
 * Creates the Fargate service of Open WebUI in `scope`, deployed so that two versions never share
 * the database schema.
 */
export function createOpenWebUIService(scope: Construct, options: {
  cluster: ecs.ICluster;
  taskDefinition: ecs.FargateTaskDefinition;
  desiredCount: number;
  subnets: ec2.SubnetSelection;
  spot: boolean;
  healthCheckGracePeriod: Duration;
  enableExecuteCommand: boolean;
}): ecs.FargateService {
  return new ecs.FargateService(scope, 'Service', {
    cluster: options.cluster,
    taskDefinition: options.taskDefinition,
    desiredCount: options.desiredCount,
    vpcSubnets: options.subnets,
    assignPublicIp: false,
    // A failed deployment stops, but is not rolled back: a new Open WebUI version migrates the
    // database schema at its first start, and the previous version cannot start on the
    // migrated schema ("Can't locate revision"), so an automatic rollback would crash-loop.
    // The upgrade procedure (docs/upgrading.md) takes a database snapshot first.
    circuitBreaker: { enable: true, rollback: false },
    ...(options.spot ? { capacityProviderStrategies: spotStrategy(scope, options.cluster, 1) } : {}),
    // All old tasks stop before new ones start: two Open WebUI versions must never run against
    // the same database while one of them migrates its schema (the start command serializes
    // the migrations of new tasks that start together).
    minHealthyPercent: 0,
    maxHealthyPercent: 100,
    healthCheckGracePeriod: options.healthCheckGracePeriod,
    propagateTags: ecs.PropagatedTagSource.SERVICE,
    enableExecuteCommand: options.enableExecuteCommand,
  });
}
