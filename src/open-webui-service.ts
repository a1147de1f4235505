import { Annotations, Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as efs from 'aws-cdk-lib/aws-efs';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { BedrockModel, BedrockModelKind } from './bedrock-model';
import { ChatService } from './chat-service';
import { DataBackupOptions } from './data-backup';
import { DatabaseOptions } from './database-options';
import { FileStorage } from './file-storage';
import { InternetEgress } from './internet-egress';
import { LiteLLMService } from './litellm-service';
import { ModelAccess } from './model-access';
import { retentionDays, scheduleChatRetention } from './private/chat-retention';
import { checkDatabaseConnections } from './private/database-connections';
import { createDataBackup } from './private/open-webui-backup';
import { embeddingDimensions, OIDC_CALLBACK_PATH, renderOpenWebUIEnvironment } from './private/open-webui-environment';
import { openWebUIStartCommand } from './private/open-webui-start';
import { createOpenWebUISecrets, createOpenWebUIStorage, DEFAULT_DATABASE_INSTANCE_TYPE, OPEN_WEBUI_DATABASE_NAME } from './private/open-webui-state';
import { createOpenWebUIService, grantOpenWebUIFiles, openWebUISecrets } from './private/open-webui-task';
import { propName } from './private/prop-names';
import { createRedis } from './private/redis';
import { taskRange } from './private/scaling';
import { addServiceContainer, createServiceTask, finishService } from './private/service-task';
import { OPEN_WEBUI_TASK } from './private/sizes';
import { defaultTaskSubnets, validateBackupRetention, validateEnumValue, validateModelAccess } from './private/validation';
import { ChatServiceOptions, ServiceTaskOptions } from './service-options';
import { SignIn } from './sign-in';

const OPEN_WEBUI_PORT = 8080;
const DATA_PATH = '/app/backend/data';

/**
 * The options of Open WebUI that `BedrockImageChat` takes as `openWebUI` and `OpenWebUIService`
 * takes directly: its tasks, the models it uses, who may use which model, and its settings.
 *
 * With more than one task (`scaling.maxTasks` above 1) the service adds what several tasks need:
 * Redis (ElastiCache for Valkey, two nodes in two zones, TLS and an AUTH token) for websocket
 * events between tasks. The tasks share the database, the files and `WEBUI_SECRET_KEY` in any
 * case, and every task migrates the schema at start under a PostgreSQL advisory lock, one at a
 * time. With `spot`, tasks beyond the first run on Fargate Spot.
 */
export interface OpenWebUIOptions extends ServiceTaskOptions {
  /**
   * The model Open WebUI generates images with. Must be one of the proxy's image models.
   *
   * @default - the first image model of the proxy (none: image generation is off)
   */
  readonly imageModel?: BedrockModel;

  /**
   * The chat model Open WebUI does its own work with: the title of each new chat, its tags, the
   * follow-up questions it suggests after every answer, and (with `retrievalQueryGeneration`) the
   * search queries it writes for documents. Must be one of the proxy's chat models.
   *
   * Without one, that work runs on the model of each chat: with a large model every answer costs
   * several more calls to it. A fast, low-cost model does it as well.
   *
   * @default - the first chat model of the proxy (Claude Haiku 4.5 with the default models)
   */
  readonly taskModel?: BedrockModel;

  /**
   * The model Open WebUI embeds documents with (RAG). Must be one of the proxy's embedding models.
   *
   * @default - the first embedding model of the proxy
   */
  readonly embeddingModel?: BedrockModel;

  /**
   * The image size Open WebUI asks for, as `WIDTHxHEIGHT`.
   *
   * It reaches the image model in that model's own terms: `width` and `height` for the Amazon
   * models, `aspect_ratio` for the Stability models (which render about one megapixel in that
   * ratio). A size the model cannot make is an error at synth time. Open WebUI's own default,
   * 512x512, is not valid for every model.
   *
   * @default '1024x1024'
   */
  readonly imageSize?: string;

  /**
   * Whether chat models use native function calling (Open WebUI's default since 0.10).
   *
   * With native function calling the model is offered Open WebUI's built-in tools on every turn
   * (27 in 0.12.4, among them `generate_image`) and decides itself whether to draw, so the chat's
   * image button no longer guarantees an image and every prompt carries the tools' tokens. With
   * `false` (legacy function calling) the image button always generates an image and prompts stay
   * small. Users can still change it per model in the admin panel.
   *
   * @default false
   */
  readonly nativeFunctionCalling?: boolean;

  /**
   * Whether Open WebUI has the task model write search queries before it answers from documents
   * (Open WebUI's "Retrieval Query Generation").
   *
   * With `true`, a question about an uploaded document waits for a whole call to the task model
   * before the documents are searched and the answer starts: measured here
   * (`npx projen bench:capacity`), its first words came after 1.9 s (p95) with one user where a
   * question without a document took 0.9 s, and past the 2 s goal from two users on. With `false`
   * the question itself is the search query, which finds the passage for questions that name what
   * they ask about; follow-ups such as "and the other one?" find less.
   *
   * @default false
   */
  readonly retrievalQueryGeneration?: boolean;

  /**
   * The email of the first admin account, created at first start with the generated password in
   * `adminSecret`. Open WebUI creates it only while the database has no user, so a later change
   * does not change the account (and does not change the password either).
   *
   * @default 'admin@example.com'
   */
  readonly adminEmail?: string;

  /**
   * Chat models only some people may use: per model, the Open WebUI groups whose members see it
   * and get answers from it (admins always do).
   *
   * Every other chat model is open to every user. The groups are created by name at start when
   * missing; an admin puts users into them in the admin panel (Users > Groups), or `signIn`'s
   * `groupClaim` keeps each user's groups in step with the identity provider. Like the other
   * settings, the access of the served chat models follows the CDK app at every start unless
   * `persistentConfig` is true.
   *
   * @default - every chat model is open to every user
   */
  readonly modelAccess?: ModelAccess[];

  /**
   * Whether settings changed in the admin panel survive a restart.
   *
   * Open WebUI reads most settings from its environment on first start only and keeps them in
   * its database afterwards. With `false` (the default) the environment this construct sets wins
   * at every start, so a change to the CDK app always takes effect and admin-panel changes of
   * those settings are reset on restart. With `true` the database wins after the first start.
   *
   * With `false` and several tasks, Open WebUI 0.12.4 keeps an admin-panel change in the memory of
   * the one task that served it: other tasks do not see it. With `true` every task reads settings
   * from the database, which then also holds the LiteLLM key (Open WebUI saves its connection
   * settings, keys included): make settings in the CDK app, not the admin panel, in either case.
   *
   * The same holds for who may use each served chat model: with `false` every start gives each
   * model the access `modelAccess` declares (everyone, or its groups); with `true` a model gets it
   * once, when it has no access settings yet, and the admin panel decides afterwards.
   *
   * @default false
   */
  readonly persistentConfig?: boolean;

  /**
   * The node type of the Redis that several tasks share (with `scaling.maxTasks` above 1), as an
   * instance type: `ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.SMALL)` is
   * `cache.t4g.small` (as `database.instanceType` is the RDS class `db.` of its type).
   *
   * @default - cache.t4g.micro
   */
  readonly redisNodeType?: ec2.InstanceType;

  /**
   * How long after a task starts ECS ignores failed health checks. The first start runs
   * database migrations and can take several minutes.
   *
   * @default Duration.minutes(10)
   */
  readonly healthCheckGracePeriod?: Duration;

  /**
   * How long a chat is kept after its last change. Every day at 03:30 UTC a task deletes the
   * chats not changed for this long, archived, pinned and shared ones too (a share link then
   * stops working), with the files they hold (uploaded documents, generated images) unless a
   * kept chat or a knowledge base holds the file too. It runs Open WebUI's own code for it, with
   * the service's image, settings and roles. Backups keep what they hold until they expire
   * (`backup.retention`, `database.backupRetention`), so deleted chats stay restorable that long.
   *
   * Whole days, at least `Duration.days(1)`.
   *
   * @default - chats are kept until their users delete them
   */
  readonly chatRetention?: Duration;
}

/**
 * Properties of an {@link OpenWebUIService}.
 */
export interface OpenWebUIServiceProps extends OpenWebUIOptions, ChatServiceOptions {
  /**
   * The ECS cluster to run the service in. Its VPC holds the database and file system too.
   */
  readonly cluster: ecs.ICluster;

  /**
   * The LiteLLM proxy that serves chat, image and embedding models.
   */
  readonly litellm: LiteLLMService;

  /**
   * The address users open Open WebUI at, for example `https://chat.example.com`.
   *
   * Open WebUI builds links and sign-in redirects from it (`WEBUI_URL`), browsers may call its
   * API from this origin only (`CORS_ALLOW_ORIGIN`), and with `https://` its session cookies are
   * marked secure. `BedrockImageChat` sets it to its load balancer's URL.
   *
   * @default - no address: Open WebUI accepts API calls from any origin and marks no cookie secure
   */
  readonly publicUrl?: string;

  /**
   * The subnets the tasks and the file system mount targets use.
   *
   * @default - the VPC's private subnets (with egress if it has them, else isolated)
   */
  readonly taskSubnets?: ec2.SubnetSelection;

  /**
   * The subnets of the database and Redis (at least two availability zones).
   *
   * @default - `taskSubnets`
   */
  readonly databaseSubnets?: ec2.SubnetSelection;

  /**
   * The PostgreSQL database: its instance type, Multi-AZ standby and automated backups.
   *
   * @default - db.t4g.small in one zone, automated backups kept 7 days
   */
  readonly database?: DatabaseOptions;

  /**
   * Where the files users upload live: an EFS file system (the default) or an S3 bucket (see
   * `FileStorage`). Changing it on a running deployment does not move existing files.
   *
   * @default FileStorage.EFS
   */
  readonly fileStorage?: FileStorage;

  /**
   * The daily AWS Backup plan of the database and the file system, in its own vault.
   *
   * @default - daily at 03:00 UTC, kept 7 days, no copy
   */
  readonly backup?: DataBackupOptions;

  /**
   * What happens to the database and the file system when they leave the stack.
   *
   * With `RETAIN` (the default) the database also has deletion protection. `SNAPSHOT` keeps a
   * final database snapshot and retains the file system. Only `DESTROY` deletes user data.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * Sign-in through an OpenID Connect identity provider (Google, Microsoft Entra ID, or any other),
   * next to the email and password form. Needs internet egress and an https:// `publicUrl`.
   *
   * @default - email and password only
   */
  readonly signIn?: SignIn;

  /**
   * How long the container logs are kept.
   *
   * @default logs.RetentionDays.THREE_MONTHS
   */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * Open WebUI on ECS Fargate, wired to a {@link LiteLLMService} for chat, images and embeddings.
 *
 * - PostgreSQL on RDS (encrypted, automated backups, credentials in Secrets Manager) with
 *   pgvector as the vector store; an encrypted EFS file system for uploads at `/app/backend/data`
 *   (or an S3 bucket, `fileStorage`).
 * - `WEBUI_SECRET_KEY` and the first admin's password come from Secrets Manager; signup is closed.
 * - Every chat model the proxy serves is open to every user the admin lets in, or to the groups
 *   of `modelAccess`: the start command gives each its access before the server starts.
 * - Offline start: no Hugging Face download (embeddings go through LiteLLM), no Ollama, no update check.
 * - The task role has no AWS permission beyond its files (the file system or the bucket).
 * - Several tasks (`scaling`) share Redis for websocket events.
 */
export class OpenWebUIService extends ChatService {
  /**
   * The Open WebUI image this library was verified with: 0.12.4, the newest release, outside
   * every advisory range the library tracks (the newest fixed in 0.11.4).
   *
   * Its first start on a database of an older Open WebUI migrates the schema; the older version
   * cannot start on the migrated database again (see the upgrade procedure in docs/upgrading.md).
   */
  public static readonly DEFAULT_IMAGE = 'ghcr.io/open-webui/open-webui:v0.12.4';

  /** The port Open WebUI listens on. */
  public static readonly PORT = OPEN_WEBUI_PORT;

  /** The Fargate service. */
  public readonly service: ecs.FargateService;

  /** The task definition. */
  public readonly taskDefinition: ecs.FargateTaskDefinition;

  /** The PostgreSQL database. */
  public readonly database: rds.DatabaseInstance;

  /** The file system mounted at `/app/backend/data`. */
  public readonly fileSystem?: efs.FileSystem;

  /** The bucket of uploaded files, with `FileStorage.S3` (undefined with EFS). */
  public readonly filesBucket?: s3.IBucket;

  /** The secret that signs sessions (`WEBUI_SECRET_KEY`), the same for every task and restart. */
  public readonly secretKey: secretsmanager.ISecret;

  /** The first admin's password: a JSON secret with `password` (the email is `adminEmail`). */
  public readonly adminSecret: secretsmanager.ISecret;

  /** The email of the first admin account. */
  public readonly adminEmail: string;


  /** The AWS Backup plan of the database and the file system; undefined with `backup.enabled: false`. */
  public readonly backupPlan?: backup.BackupPlan;

  /** The vault of the backup plan. */
  public readonly backupVault?: backup.BackupVault;

  /** The Redis several tasks share; undefined with one task. */
  public readonly redis?: elasticache.CfnReplicationGroup;

  /**
   * The Amazon Cognito user pool created for sign-in by `SignIn.newCognitoUserPool()`: create
   * users in it and put them in its `admins` or `users` group.
   */
  public readonly userPool?: cognito.IUserPool;

  /** The log group of the Open WebUI container. */
  public readonly logGroup: logs.ILogGroup;

  /** The task definition of the daily chat deletion (with `chatRetention`). */
  public readonly chatRetentionTask?: ecs.FargateTaskDefinition;

  /** The service's security groups, with port 8080 as the default port. */
  public readonly connections: ec2.Connections;

  /** The task role. */
  public readonly grantPrincipal: iam.IPrincipal;

  constructor(scope: Construct, id: string, props: OpenWebUIServiceProps) {
    super(scope, id);
    const name = (prop: string) => propName(props, prop);
    const { imageModel, embeddingModel, taskModel, adminEmail } = checkProps(this, props);
    const retention = retentionDays(propName(props, 'chatRetention'), props.chatRetention);
    const chatModels = props.litellm.models.filter((m) => m.kind === BedrockModelKind.CHAT);
    const restrictedModels = validateModelAccess({ modelAccess: name('modelAccess'), models: name('models') }, props.modelAccess, chatModels);
    this.adminEmail = adminEmail;

    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const vpc = props.cluster.vpc;
    const subnets = props.taskSubnets ?? defaultTaskSubnets(vpc);
    const hasEgress = (props.egress ?? InternetEgress.NONE) !== InternetEgress.NONE;
    checkSignIn(props, hasEgress);
    const signIn = props.signIn?.bind(this, { appUrl: props.publicUrl!, redirectUri: `${props.publicUrl}${OIDC_CALLBACK_PATH}` });
    this.userPool = signIn?.userPool;
    const cpuArchitecture = props.cpuArchitecture ?? ecs.CpuArchitecture.ARM64;

    const range = taskRange(name('scaling'), props.scaling ?? { minTasks: 1, maxTasks: 1 });
    // A ceiling only known at deploy time may be above one.
    const multiTask = Token.isUnresolved(range.maxTasks) || range.maxTasks > 1;
    checkDatabaseConnections(range.maxTasks, props.database?.instanceType ?? DEFAULT_DATABASE_INSTANCE_TYPE, {
      maxTasks: `${name('scaling')}.maxTasks`,
      instanceType: `${name('database')}.instanceType`,
    });

    const secrets = createOpenWebUISecrets(this, removalPolicy);
    this.secretKey = secrets.secretKey;
    this.adminSecret = secrets.adminSecret;
    const storage = createOpenWebUIStorage(this, {
      vpc,
      subnets,
      databaseSubnets: props.databaseSubnets ?? subnets,
      databaseInstanceType: props.database?.instanceType,
      databaseBackupRetention: props.database?.backupRetention,
      databaseMultiAz: props.database?.multiAz ?? false,
      // The plan below backs the file system up; AWS Backup's default plan would do it twice.
      fileSystemDefaultBackups: props.backup?.enabled === false,
      fileStorage: props.fileStorage ?? FileStorage.EFS,
      removalPolicy,
      logRetention: props.logRetention ?? logs.RetentionDays.THREE_MONTHS,
    });
    this.database = storage.database;
    this.fileSystem = storage.fileSystem;
    this.filesBucket = storage.filesBucket;
    const accessPoint = storage.accessPoint;
    if (props.backup?.enabled !== false) {
      const files = storage.fileSystem ?? storage.filesBucket!;
      const dataBackup = createDataBackup(this, { ...props.backup, database: this.database, files, removalPolicy });
      this.backupPlan = dataBackup.plan;
      this.backupVault = dataBackup.vault;
    }

    const task = createServiceTask(this, {
      construct: 'OpenWebUIService',
      names: { cpu: name('cpu'), memoryLimitMiB: name('memoryLimitMiB'), egress: name('egress'), image: name('image') },
      cpu: props.cpu,
      memoryLimitMiB: props.memoryLimitMiB,
      defaults: OPEN_WEBUI_TASK,
      minMemoryLimitMiB: 2048,
      cpuArchitecture,
      logRetention: props.logRetention,
      image: props.image,
      upstreamImage: OpenWebUIService.DEFAULT_IMAGE,
      egress: props.egress,
    });
    this.taskDefinition = task.taskDefinition;
    this.logGroup = task.logGroup;
    this.grantPrincipal = this.taskDefinition.taskRole;
    const files = { fileSystem: storage.fileSystem, accessPoint, filesBucket: storage.filesBucket };
    const dataVolume = grantOpenWebUIFiles(this.taskDefinition, files);

    const litellmUrl = props.litellm.apiBaseUrl;

    const redisNodeType = props.redisNodeType ?? ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.MICRO);
    const redis = multiTask ? createRedis(this, { vpc, subnets: props.databaseSubnets ?? subnets, nodeType: redisNodeType }) : undefined;
    this.redis = redis?.replicationGroup;

    const environment = renderOpenWebUIEnvironment({
      litellmUrl,
      chatModelNames: props.litellm.modelNames(BedrockModelKind.CHAT),
      restrictedModels,
      adminEmail,
      imageModel,
      taskModel,
      imageSize: props.imageSize ?? '1024x1024',
      embeddingModel,
      publicUrl: props.publicUrl,
      persistentConfig: props.persistentConfig ?? false,
      signIn,
      nativeFunctionCalling: props.nativeFunctionCalling ?? false,
      retrievalQueryGeneration: props.retrievalQueryGeneration ?? false,
      databaseHost: this.database.dbInstanceEndpointAddress,
      databasePort: this.database.dbInstanceEndpointPort,
      databaseName: OPEN_WEBUI_DATABASE_NAME,
      redis: redis !== undefined ? { host: redis.host, port: redis.port } : undefined,
      filesBucket: storage.filesBucket !== undefined ? { name: storage.filesBucket.bucketName, region: Stack.of(this).region } : undefined,
    });
    const containerSecrets = openWebUISecrets({
      secretKey: this.secretKey,
      adminSecret: this.adminSecret,
      litellmKey: props.litellm.masterKey,
      imageGeneration: imageModel !== undefined,
      signIn,
      databaseCredentials: this.database.secret!,
      redisAuthToken: redis?.authToken,
    });
    const container = addServiceContainer(task, 'open-webui', hasEgress, {
      portMappings: [{ containerPort: OPEN_WEBUI_PORT, name: 'http' }],
      environment,
      command: openWebUIStartCommand({ redis: redis !== undefined }),
      secrets: containerSecrets,
      healthCheck: {
        // Liveness, not readiness (/ready also pings the database): a task survives a database
        // failover by itself (test/contract/open-webui.failover.test.ts), while ECS would replace
        // every task whose check failed during it.
        command: ['CMD-SHELL', `curl -fsS http://127.0.0.1:${OPEN_WEBUI_PORT}/health || exit 1`],
        interval: Duration.seconds(30),
        timeout: Duration.seconds(5),
        retries: 5,
        startPeriod: Duration.seconds(300),
      },
    });
    if (dataVolume !== undefined) container.addMountPoints({ containerPath: DATA_PATH, sourceVolume: dataVolume, readOnly: false });

    this.service = createOpenWebUIService(this, {
      cluster: props.cluster,
      taskDefinition: this.taskDefinition,
      desiredCount: range.minTasks,
      subnets,
      spot: props.spot ?? false,
      healthCheckGracePeriod: props.healthCheckGracePeriod ?? Duration.minutes(10),
      enableExecuteCommand: props.enableExecuteCommand ?? false,
    });
    const finished = finishService(task, this.service, OPEN_WEBUI_PORT, { scaling: props.scaling ?? { maxTasks: 1 }, range });
    this.connections = finished.connections;
    this._taskCount = finished.taskCount;
    if (retention !== undefined) {
      this.chatRetentionTask = scheduleChatRetention(this, {
        days: retention,
        cluster: props.cluster,
        serviceTask: this.taskDefinition,
        cpuArchitecture,
        image: task.image,
        logGroup: this.logGroup,
        environment,
        secrets: containerSecrets,
        subnets,
        securityGroups: this.service.connections.securityGroups,
        addFiles: (taskDefinition) => grantOpenWebUIFiles(taskDefinition, files),
        dataPath: DATA_PATH,
      }).taskDefinition;
    }
    this.database.connections.allowDefaultPortFrom(this.service, 'PostgreSQL from Open WebUI');
    this.fileSystem?.connections.allowDefaultPortFrom(this.service, 'NFS from Open WebUI');
    redis?.connections.allowDefaultPortFrom(this.service, 'Redis from Open WebUI');
    props.litellm.connections.allowDefaultPortFrom(this.service, 'LiteLLM API from Open WebUI');
  }
}

/** Checks the props; returns the models Open WebUI uses and the first admin's email. */
function checkProps(
  scope: Construct, props: OpenWebUIServiceProps,
): { imageModel?: BedrockModel; embeddingModel: BedrockModel; taskModel?: BedrockModel; adminEmail: string } {
  const name = (prop: string) => propName(props, prop);
  validateEnumValue(name('egress'), props.egress, InternetEgress, 'InternetEgress');
  validateEnumValue(name('fileStorage'), props.fileStorage, FileStorage, 'FileStorage');
  validateBackupRetention(`${name('database')}.backupRetention`, props.database?.backupRetention);
  const imageModel = pickModel(props, 'imageModel', BedrockModelKind.IMAGE);
  // LiteLLMService checks that it serves an embedding model.
  const embeddingModel = pickModel(props, 'embeddingModel', BedrockModelKind.EMBEDDING)!;
  const taskModel = pickModel(props, 'taskModel', BedrockModelKind.CHAT);
  if (imageModel === undefined && props.imageSize !== undefined && !Token.isUnresolved(props.imageSize)) {
    throw new Error(`${name('imageSize')} is '${props.imageSize}', but ${name('models')} has no image model, so image generation is off; add an image model to ${name('models')}, or leave ${name('imageSize')} out`);
  }
  const adminEmail = props.adminEmail ?? 'admin@example.com';
  checkSettings(scope, props, adminEmail, embeddingModel);
  return { imageModel, embeddingModel, taskModel, adminEmail };
}

function checkSettings(scope: Construct, props: OpenWebUIServiceProps, adminEmail: string, embeddingModel: BedrockModel): void {
  if (!Token.isUnresolved(adminEmail) && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(adminEmail)) {
    throw new Error(`${propName(props, 'adminEmail')} is '${adminEmail}', which is not an email address; Open WebUI logs in by email`);
  }
  const url = props.publicUrl;
  // The URL is also the CORS origin, which is a scheme and a host without a path.
  if (url !== undefined && !(Token.isUnresolved(url) ? /^https?:\/\//.test(url) : /^https?:\/\/[^/\s?#]+$/.test(url))) {
    throw new Error(`publicUrl is '${url}'; use the address users open, scheme and host only, for example 'https://chat.example.com' (no path or trailing slash)`);
  }
  if (embeddingDimensions(embeddingModel) === undefined) {
    Annotations.of(scope).addWarningV2(
      'cdk-bedrock-image-chat:unknownEmbeddingDimensions',
      `embeddingModel '${embeddingModel.displayName}' (${embeddingModel.foundationModelId}) has a vector length this library does not know, so pgvector is set up for Open WebUI's default of 1536 dimensions; document uploads fail if the model returns another length`,
    );
  }
}

/** A catalog member of each kind, for the example in an error. */
const EXAMPLE_OF_KIND: Record<BedrockModelKind, string> = {
  [BedrockModelKind.CHAT]: 'BedrockModel.ANTHROPIC_CLAUDE_HAIKU_4_5_GLOBAL',
  [BedrockModelKind.IMAGE]: 'BedrockModel.STABILITY_STABLE_IMAGE_CORE_V1_1',
  [BedrockModelKind.EMBEDDING]: 'BedrockModel.AMAZON_TITAN_EMBED_TEXT_V2',
};

function pickModel(props: OpenWebUIServiceProps, prop: 'imageModel' | 'embeddingModel' | 'taskModel', kind: BedrockModelKind): BedrockModel | undefined {
  const chosen = props[prop];
  const candidates = props.litellm.models.filter((m) => m.kind === kind);
  if (chosen === undefined) {
    return candidates[0];
  }
  const name = propName(props, prop);
  if (!(chosen instanceof BedrockModel)) {
    throw new Error(`${name} is ${JSON.stringify(chosen)}, which is not a BedrockModel; use a catalog member, for example ${EXAMPLE_OF_KIND[kind]}`);
  }
  if (chosen.kind !== kind) {
    throw new Error(`${name} is '${chosen.displayName}', whose kind is ${chosen.kind}; choose a model of kind ${kind}`);
  }
  if (!candidates.some((m) => m.displayName === chosen.displayName)) {
    const served = candidates.length > 0 ? candidates.map((m) => m.displayName).join(', ') : 'none';
    throw new Error(
      `${name} is '${chosen.displayName}', which is not among the models served; add it to ${propName(props, 'models')} too (served ${kind} models: ${served})`
      + unreachableNote(props, chosen),
    );
  }
  return chosen;
}

/**
 * Why a model outside the served ones could not be served either, as it stands: it is invoked in
 * another region, which the tasks reach only with egress. Said in the same error, so that one edit
 * fixes it.
 */
function unreachableNote(props: OpenWebUIServiceProps, model: BedrockModel): string {
  const region = Stack.of(props.litellm).region;
  const hasEgress = (props.egress ?? InternetEgress.NONE) !== InternetEgress.NONE;
  if (hasEgress || model.region === undefined || Token.isUnresolved(model.region) || Token.isUnresolved(region) || model.region === region) return '';
  const egress = propName(props, 'egress');
  return `. It is invoked in ${model.region}, and with ${egress} InternetEgress.NONE the tasks in ${region} reach Bedrock only through the VPC endpoint of ${region}: `
    + `also set ${egress} to InternetEgress.NAT_GATEWAY, or deploy the stack to ${model.region}`;
}

/** Sign-in through an identity provider needs internet egress and an https:// public URL. */
function checkSignIn(props: OpenWebUIServiceProps, hasEgress: boolean): void {
  if (props.signIn === undefined) return;
  const egress = propName(props, 'egress');
  if (!hasEgress) {
    throw new Error(
      `signIn is set, but ${egress} is InternetEgress.NONE: Open WebUI reads the identity provider's discovery document and exchanges sign-in codes for tokens at the provider, on the internet. Set ${egress} to InternetEgress.NAT_GATEWAY (or EXISTING with your own VPC whose task subnets reach the internet)`,
    );
  }
  // A URL with a deploy-time host (the load balancer's name) still shows its scheme at synth.
  if (props.publicUrl === undefined || props.publicUrl.startsWith('http://')) {
    throw new Error(
      `signIn is set, but publicUrl is ${props.publicUrl === undefined ? 'not set' : `'${props.publicUrl}'`}: the identity provider redirects back to an https:// address, so give the address users open over HTTPS (with BedrockImageChat, any front door but FrontDoor.plainHttp)`,
    );
  }
}
