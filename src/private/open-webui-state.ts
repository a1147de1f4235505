import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as efs from 'aws-cdk-lib/aws-efs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

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
  readonly removalPolicy: RemovalPolicy;
  readonly logRetention: logs.RetentionDays;
}

/** Open WebUI's stored data: the database, the file system and its access point. */
export interface OpenWebUIStorage {
  readonly database: rds.DatabaseInstance;
  readonly fileSystem: efs.FileSystem;
  readonly accessPoint: efs.AccessPoint;
}

/**
 * Creates Open WebUI's state in `scope` (the service, so that construct ids and logical ids stay
 * those of the service): PostgreSQL on RDS, encrypted, backed up, with deletion protection unless
 * the removal policy is DESTROY; an encrypted EFS file system with AWS Backup and an access point.
 */
export function createOpenWebUIStorage(scope: Construct, options: OpenWebUIStorageOptions): OpenWebUIStorage {
  const { removalPolicy } = options;
  const database = new rds.DatabaseInstance(scope, 'Database', {
    engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16 }),
    instanceType: options.databaseInstanceType ?? ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.SMALL),
    vpc: options.vpc,
    vpcSubnets: options.databaseSubnets,
    databaseName: OPEN_WEBUI_DATABASE_NAME,
    credentials: rds.Credentials.fromGeneratedSecret('openwebui', { excludeCharacters: URL_UNSAFE_CHARACTERS }),
    storageEncrypted: true,
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

  // The credentials must outlive the stack as long as the database (or its final snapshot) does:
  // without them a retained database cannot be signed in to. `database.secret` is the attachment;
  // the generated secret itself is the instance's child 'Secret' (aws-cdk-lib rds.Credentials).
  const credentials = database.node.tryFindChild('Secret');
  if (!(credentials instanceof secretsmanager.Secret)) {
    throw new Error('internal: the generated database secret was not found; aws-cdk-lib changed how RDS credentials are created');
  }
  credentials.applyRemovalPolicy(removalPolicy === RemovalPolicy.DESTROY ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN);

  const fileSystem = new efs.FileSystem(scope, 'FileSystem', {
    vpc: options.vpc,
    vpcSubnets: options.subnets,
    encrypted: true,
    enableAutomaticBackups: true,
    performanceMode: efs.PerformanceMode.GENERAL_PURPOSE,
    throughputMode: efs.ThroughputMode.ELASTIC,
    // An EFS file system has no snapshot: anything but DESTROY retains it.
    removalPolicy: removalPolicy === RemovalPolicy.DESTROY ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
    allowAnonymousAccess: false,
  });
  const accessPoint = fileSystem.addAccessPoint('AccessPoint', {
    path: '/open-webui',
    // The Open WebUI image runs as root; the access point pins that identity.
    posixUser: { uid: '0', gid: '0' },
    createAcl: { ownerUid: '0', ownerGid: '0', permissions: '750' },
  });
  return { database, fileSystem, accessPoint };
}

/** Open WebUI's secrets: the session signing key and the first admin's login. */
export interface OpenWebUISecrets {
  readonly secretKey: secretsmanager.Secret;
  readonly adminSecret: secretsmanager.Secret;
}

/**
 * Creates `WEBUI_SECRET_KEY` (the same for every task and restart, so sessions survive) and the
 * first admin's login, a JSON secret with `email` and a generated `password`, in `scope`.
 */
export function createOpenWebUISecrets(scope: Construct, adminEmail: string): OpenWebUISecrets {
  const path = scope.node.path;
  const secretKey = new secretsmanager.Secret(scope, 'SecretKey', {
    description: `WEBUI_SECRET_KEY of ${path}: signs Open WebUI sessions`,
    generateSecretString: { passwordLength: 64, excludePunctuation: true },
  });
  const adminSecret = new secretsmanager.Secret(scope, 'AdminCredentials', {
    description: `First Open WebUI admin of ${path}: log in with email and password`,
    generateSecretString: {
      secretStringTemplate: JSON.stringify({ email: adminEmail }),
      generateStringKey: 'password',
      passwordLength: 32,
      excludeCharacters: '"\\`\'',
    },
  });
  return { secretKey, adminSecret };
}
