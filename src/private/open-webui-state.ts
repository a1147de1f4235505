import { CfnResource, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as efs from 'aws-cdk-lib/aws-efs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { FileStorage } from '../file-storage';
import { acknowledgeCdkFunction, acknowledgeRules, AWS_MANAGED_KEY_REASON, cfnOf, DEPLOY_TIME_FUNCTION_SKIPS, skipCheckov } from './acknowledgements';

/** The name of Open WebUI's PostgreSQL database. */
export const OPEN_WEBUI_DATABASE_NAME = 'openwebui';

// Open WebUI builds DATABASE_URL from DATABASE_USER and DATABASE_PASSWORD without escaping them
// (backend/open_webui/env.py), so the generated password must not contain URL-reserved characters.
const URL_UNSAFE_CHARACTERS = ' !"#$%&\'()*+,/:;<=>?@[\\]^`{|}~';

/** What Open WebUI's state is made from. */
export interface OpenWebUIStorageOptions {
  readonly vpc: ec2.IVpc;
  /** The subnets of the file system's mount targets (the task subnets). */
  readonly subnets: ec2.SubnetSelection;
  readonly databaseSubnets: ec2.SubnetSelection;
  readonly databaseInstanceType?: ec2.InstanceType;
  readonly databaseBackupRetention?: Duration;
  readonly databaseMultiAz: boolean;
  /** Whether the file system joins AWS Backup's default plan (when no plan of the construct covers it). */
  readonly fileSystemDefaultBackups: boolean;
  /** Where uploaded files live. */
  readonly fileStorage: FileStorage;
  readonly removalPolicy: RemovalPolicy;
  readonly logRetention: logs.RetentionDays;
}

/** Open WebUI's stored data: the database, and the file system with its access point or the bucket. */
export interface OpenWebUIStorage {
  readonly database: rds.DatabaseInstance;
  readonly fileSystem?: efs.FileSystem;
  readonly accessPoint?: efs.AccessPoint;
  readonly filesBucket?: s3.Bucket;
}

/** The database's instance type unless `database.instanceType` says otherwise. */
export const DEFAULT_DATABASE_INSTANCE_TYPE = ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.SMALL);

/**
 * Creates Open WebUI's state in `scope` (the service, so that construct ids and logical ids stay
 * those of the service): PostgreSQL on RDS, encrypted, backed up, with deletion protection unless
 * the removal policy is DESTROY; an encrypted EFS file system with AWS Backup and an access point.
 */
export function createOpenWebUIStorage(scope: Construct, options: OpenWebUIStorageOptions): OpenWebUIStorage {
  const { removalPolicy } = options;
  const database = new rds.DatabaseInstance(scope, 'Database', {
    engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16 }),
    instanceType: options.databaseInstanceType ?? DEFAULT_DATABASE_INSTANCE_TYPE,
    vpc: options.vpc,
    vpcSubnets: options.databaseSubnets,
    databaseName: OPEN_WEBUI_DATABASE_NAME,
    credentials: rds.Credentials.fromGeneratedSecret('openwebui', { excludeCharacters: URL_UNSAFE_CHARACTERS }),
    storageEncrypted: true,
    multiAz: options.databaseMultiAz,
    allocatedStorage: 20,
    maxAllocatedStorage: 100,
    backupRetention: options.databaseBackupRetention ?? Duration.days(7),
    deleteAutomatedBackups: false,
    deletionProtection: removalPolicy !== RemovalPolicy.DESTROY,
    removalPolicy,
    publiclyAccessible: false,
    autoMinorVersionUpgrade: true,
    cloudwatchLogsExports: ['postgresql'],
    cloudwatchLogsRetention: options.logRetention,
  });

  // aws-cdk-lib sets the retention of RDS's log group with its LogRetention function (a stack singleton).
  const logRetention = Stack.of(scope).node.tryFindChild('LogRetentionaae0aa3c5b4d4f87b02d85b201efdd8a');
  if (logRetention !== undefined) {
    skipCheckov(logRetention.node.tryFindChild('Resource'), DEPLOY_TIME_FUNCTION_SKIPS);
    skipCheckov(logRetention.node.tryFindChild('ServiceRole')?.node.tryFindChild('DefaultPolicy')?.node.tryFindChild('Resource'), {
      CKV_AWS_111: 'logs:PutRetentionPolicy and logs:DeleteRetentionPolicy on "*": the log group RDS creates is named only after the instance exists.',
    });
    acknowledgeCdkFunction(
      logRetention,
      "aws-cdk-lib's LogRetention function",
      'logs:PutRetentionPolicy and logs:DeleteRetentionPolicy on "*": the log group RDS creates is named only after the instance exists, and the function is shared by every log group of the stack.',
    );
  }

  // The credentials must outlive the stack as long as the database (or its final snapshot) does:
  // without them a retained database cannot be signed in to. `database.secret` is the attachment;
  // the generated secret itself is the instance's child 'Secret' (aws-cdk-lib rds.Credentials).
  const credentials = database.node.tryFindChild('Secret');
  if (!(credentials instanceof secretsmanager.Secret)) {
    throw new Error('internal: the generated database secret was not found; aws-cdk-lib changed how RDS credentials are created');
  }
  credentials.applyRemovalPolicy(removalPolicy === RemovalPolicy.DESTROY ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN);
  acknowledgeRules(cfnOf(credentials), {
    'AwsSolutions-SMG4': 'Open WebUI reads the database password once at start (an ECS secret): after a rotation its new connections would fail until every task restarts. Rotate by changing the secret and then restarting the service.',
  });
  skipCheckov(credentials, { CKV_AWS_149: AWS_MANAGED_KEY_REASON });
  skipCheckov(database, {
    CKV_AWS_118: 'Enhanced monitoring is off by default: it needs a monitoring role with an AWS managed policy and adds CloudWatch cost; CloudWatch metrics and the exported PostgreSQL log remain.',
    ...(options.databaseMultiAz ? {} : {
      CKV_AWS_157: 'A single-AZ instance by default, to keep the baseline cost low; automated backups (7 days) and deletion protection cover data loss.',
    }),
    CKV_AWS_161: 'Open WebUI signs in to PostgreSQL with a user name and password (from Secrets Manager); it has no support for IAM database authentication tokens.',
  });
  // cfn-lint lists the major version "16" among deprecated engine versions, but RDS accepts it and
  // picks the newest 16.x; pinning a minor version would make CloudFormation try to downgrade after
  // RDS applies an automatic minor upgrade.
  (database.node.defaultChild as CfnResource).addMetadata('cfn-lint', { config: { ignore_checks: ['W3691'] } });
  acknowledgeRules(cfnOf(database), {
    ...(options.databaseMultiAz ? {} : {
      'AwsSolutions-RDS3': 'A single-AZ instance by default, to keep the baseline cost low; automated backups (7 days) and deletion protection cover data loss, and a zone outage stops the app until the instance is restored.',
    }),
    'AwsSolutions-RDS11': "PostgreSQL's default port: the database is in isolated subnets and its security group admits only Open WebUI's tasks, so another port would hide nothing.",
  });

  if (options.fileStorage === FileStorage.S3) {
    return { database, filesBucket: createFilesBucket(scope, removalPolicy) };
  }
  const fileSystem = new efs.FileSystem(scope, 'FileSystem', {
    vpc: options.vpc,
    vpcSubnets: options.subnets,
    encrypted: true,
    enableAutomaticBackups: options.fileSystemDefaultBackups,
    performanceMode: efs.PerformanceMode.GENERAL_PURPOSE,
    throughputMode: efs.ThroughputMode.ELASTIC,
    // An EFS file system has no snapshot: anything but DESTROY retains it.
    removalPolicy: removalPolicy === RemovalPolicy.DESTROY ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
    allowAnonymousAccess: false,
  });
  if (!options.fileSystemDefaultBackups) {
    // Said, not left out: without the property CloudFormation would leave a file system that had
    // AWS Backup's default plan in it.
    (fileSystem.node.defaultChild as efs.CfnFileSystem).backupPolicy = { status: 'DISABLED' };
  }
  const accessPoint = fileSystem.addAccessPoint('AccessPoint', {
    path: '/open-webui',
    // The Open WebUI image runs as root; the access point pins that identity.
    posixUser: { uid: '0', gid: '0' },
    createAcl: { ownerUid: '0', ownerGid: '0', permissions: '750' },
  });
  return { database, fileSystem, accessPoint };
}

/**
 * The bucket of Open WebUI's files (`STORAGE_PROVIDER=s3`): encrypted, TLS-only, private,
 * versioned (AWS Backup backs up versioned buckets, and a deleted file can be recovered for 30
 * days); kept unless the data goes with the stack.
 */
function createFilesBucket(scope: Construct, removalPolicy: RemovalPolicy): s3.Bucket {
  const destroy = removalPolicy === RemovalPolicy.DESTROY;
  const bucket = new s3.Bucket(scope, 'Files', {
    encryption: s3.BucketEncryption.S3_MANAGED,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    versioned: true,
    lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(30), abortIncompleteMultipartUploadAfter: Duration.days(1) }],
    removalPolicy: destroy ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
    autoDeleteObjects: destroy,
  });
  const why = "Open WebUI's own records (the database) say who uploaded each file; CloudTrail data events can log object access where that is required.";
  skipCheckov(bucket, { CKV_AWS_18: why });
  acknowledgeRules(cfnOf(bucket), { 'AwsSolutions-S1': why });
  return bucket;
}

/** Open WebUI's secrets: the session signing key and the first admin's login. */
export interface OpenWebUISecrets {
  readonly secretKey: secretsmanager.Secret;
  readonly adminSecret: secretsmanager.Secret;
}

/**
 * Creates `WEBUI_SECRET_KEY` (the same for every task and restart, so sessions survive) and the
 * first admin's password, a JSON secret with a generated `password`, in `scope`.
 *
 * The admin's email is not in the secret: a change to a generated secret's template makes a new
 * value, and Open WebUI keeps the first admin's password, so the secret would stop matching.
 * Both are retained with the database (unless `removalPolicy` is DESTROY): the database holds
 * tokens encrypted with the key and the admin account the password signs in to.
 */
export function createOpenWebUISecrets(scope: Construct, removalPolicy: RemovalPolicy): OpenWebUISecrets {
  const path = scope.node.path;
  const secretKey = new secretsmanager.Secret(scope, 'SecretKey', {
    description: `WEBUI_SECRET_KEY of ${path}: signs Open WebUI sessions`,
    generateSecretString: { passwordLength: 64, excludePunctuation: true },
  });
  const adminSecret = new secretsmanager.Secret(scope, 'AdminCredentials', {
    description: `Password of the first Open WebUI admin of ${path} (the email is the adminEmail setting)`,
    generateSecretString: {
      secretStringTemplate: '{}',
      generateStringKey: 'password',
      passwordLength: 32,
      excludeCharacters: '"\\`\'',
    },
  });
  const secretsPolicy = removalPolicy === RemovalPolicy.DESTROY ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN;
  secretKey.applyRemovalPolicy(secretsPolicy);
  adminSecret.applyRemovalPolicy(secretsPolicy);
  skipCheckov(secretKey, { CKV_AWS_149: AWS_MANAGED_KEY_REASON });
  skipCheckov(adminSecret, { CKV_AWS_149: AWS_MANAGED_KEY_REASON });
  acknowledgeRules(cfnOf(secretKey), {
    'AwsSolutions-SMG4': 'WEBUI_SECRET_KEY signs sessions and is the default key Open WebUI encrypts stored OAuth client and session tokens with: rotating it signs every user out and makes those tokens unreadable. It is generated once and never leaves Secrets Manager and the task.',
  });
  acknowledgeRules(cfnOf(adminSecret), {
    'AwsSolutions-SMG4': 'Open WebUI creates the first admin from this secret once and then keeps its own password hash: rotating the secret would not change the password, only make the secret wrong. The admin changes the password in Open WebUI.',
  });
  return { secretKey, adminSecret };
}
