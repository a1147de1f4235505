import { CfnOutput, RemovalPolicy, Token } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { BedrockModel } from './bedrock-model';
import { DataBackupOptions } from './data-backup';
import { DeploymentSize } from './deployment-size';
import { FileStorage } from './file-storage';
import { InternetEgress } from './internet-egress';
import { LiteLLMService } from './litellm-service';
import { ModelAccess } from './model-access';
import { OpenAICompatibleProvider } from './model-provider';
import { MonitoringOptions } from './monitoring';
import { OffHoursSchedule } from './off-hours';
import { OpenWebUIService } from './open-webui-service';
import { validateCdn } from './private/cdn';
import { createChatNetwork } from './private/chat-network';
import { createFrontDoor, FrontDoorOptions, serveOpenWebUI } from './private/front-door';
import { scheduleOffHours } from './private/off-hours';
import { OIDC_CALLBACK_PATH } from './private/open-webui-environment';
import { createOperations } from './private/operations';
import { taskRange } from './private/scaling';
import { SIZES } from './private/sizes';
import { defaultTaskSubnets, validateEnumValue, validateLogRetention, validateModelList, validateTaskSize } from './private/validation';
import { PrivateBedrockVpc } from './private-bedrock-vpc';
import { TaskScaling } from './service-options';
import { SignIn } from './sign-in';

/**
 * Properties of a {@link BedrockImageChat}.
 */
export interface BedrockImageChatProps {
  /**
   * Your own VPC to deploy into. It must provide:
   * - public subnets in two or more availability zones for the load balancer (or `loadBalancerSubnets`);
   * - private subnets in two or more zones for the tasks and the database (or `taskSubnets`/`databaseSubnets`);
   * - with `egress: InternetEgress.NONE`, interface endpoints with private DNS for `ecr.api`,
   *   `ecr.dkr`, `logs`, `secretsmanager` and `bedrock-runtime` (plus `ssmmessages` for ECS Exec),
   *   reachable over HTTPS from the tasks, and the S3 gateway endpoint on the task subnets' route
   *   tables; with `InternetEgress.EXISTING`, a route to the internet from the task subnets.
   *
   * @default - a new `PrivateBedrockVpc` (two AZs, no NAT gateway, VPC endpoints)
   */
  readonly vpc?: ec2.IVpc;

  /**
   * How the tasks reach the internet.
   *
   * - `NONE`: no route to the internet. Images are copied into ECR, Bedrock is reached through the
   *   VPC endpoint of the stack's region, and every container is configured to start offline.
   * - `NAT_GATEWAY` / `NAT_GATEWAY_PER_AZ`: the VPC this construct creates gets NAT gateways.
   * - `EXISTING`: your `vpc` routes the task subnets to the internet already.
   *
   * @default InternetEgress.NONE
   */
  readonly egress?: InternetEgress;

  /**
   * The number of availability zones of the VPC this construct creates. Ignored with `vpc`.
   *
   * @default 2
   */
  readonly maxAzs?: number;

  /**
   * Put the VPC endpoints of the VPC this construct creates in one availability zone, to halve
   * their cost (see `PrivateBedrockVpcProps.endpointsInOneAz` for the trade-off). Ignored with `vpc`.
   *
   * @default false
   */
  readonly endpointsInOneAz?: boolean;

  /**
   * The subnets of the load balancer, in your `vpc`.
   *
   * @default - the VPC's public subnets
   */
  readonly loadBalancerSubnets?: ec2.SubnetSelection;

  /**
   * The subnets of the tasks and the file system mount targets, in your `vpc`.
   *
   * @default - the VPC's private subnets (with egress if it has them, else isolated)
   */
  readonly taskSubnets?: ec2.SubnetSelection;

  /**
   * The subnets of the database, in your `vpc` (at least two availability zones).
   *
   * @default - `taskSubnets`
   */
  readonly databaseSubnets?: ec2.SubnetSelection;

  /**
   * The CPU architecture of both services.
   *
   * @default ecs.CpuArchitecture.ARM64
   */
  readonly cpuArchitecture?: ecs.CpuArchitecture;

  /**
   * Turn on ECS Exec for both services (a shell in a task through SSM, without SSH). The VPC
   * this construct creates then gets an `ssmmessages` endpoint; your own `vpc` needs one (or egress).
   *
   * @default false
   */
  readonly enableExecuteCommand?: boolean;

  /**
   * The container image of LiteLLM, for teams with their own registry. With egress `NONE` it
   * must be an image in ECR of this account.
   *
   * @default - `LiteLLMService.DEFAULT_IMAGE`, copied into ECR at deploy time
   */
  readonly litellmImage?: ecs.ContainerImage;

  /**
   * The container image of Open WebUI, for teams with their own registry. With egress `NONE` it
   * must be an image in ECR of this account.
   *
   * @default - `OpenWebUIService.DEFAULT_IMAGE`, copied into ECR at deploy time
   */
  readonly openWebUIImage?: ecs.ContainerImage;

  /**
   * The name users open, for example `chat.example.com`.
   *
   * With `hostedZone`, the construct requests a DNS-validated ACM certificate for it and creates
   * an alias A record to the load balancer. With `certificate` instead, it serves that certificate
   * and you point the name at the load balancer yourself. Either way the app's URL (`url`, the `Url`
   * output, Open WebUI's `WEBUI_URL` and allowed CORS origin) is `https://<domainName>`.
   *
   * @default - the load balancer's DNS name
   */
  readonly domainName?: string;

  /**
   * The public hosted zone of `domainName`: the certificate is validated and the alias record
   * created in it (for example `route53.HostedZone.fromLookup(this, 'Zone', { domainName: 'example.com' })`).
   *
   * @default - no DNS records and no certificate are created
   */
  readonly hostedZone?: route53.IHostedZone;

  /**
   * The certificate of the HTTPS listener, an ACM certificate in the stack's region.
   *
   * Without it (and without `domainName` and `hostedZone`) the load balancer serves plain HTTP,
   * and synth warns: passwords and chats would cross the internet unencrypted.
   *
   * @default - one for `domainName` when `hostedZone` is given; else HTTP only, with a warning
   */
  readonly certificate?: acm.ICertificate;

  /**
   * The Content-Security-Policy header the load balancer adds to every response, with HSTS
   * (over HTTPS), `X-Content-Type-Options: nosniff` and `X-Frame-Options: SAMEORIGIN`.
   *
   * The default is one Open WebUI works with (the browser test runs the app under it); change it
   * only together with such a test.
   *
   * @default - same-origin resources, inline scripts and styles, data: and blob: URLs, no framing by other sites
   */
  readonly contentSecurityPolicy?: string;

  /**
   * Whether to put an AWS WAF web ACL in front of the load balancer: the AWS managed common rule
   * set (with its 8 KB request-body rule only counting, because prompts and uploads are larger),
   * known bad inputs, Amazon's IP reputation list and a per-IP rate limit (`wafRateLimit`).
   *
   * A web ACL costs about $5 a month plus $1 per rule and $0.60 per million requests.
   *
   * @default false
   */
  readonly waf?: boolean;

  /**
   * The requests one IP address may make in 5 minutes before the web ACL blocks it (with `waf`).
   *
   * @default 2000
   */
  readonly wafRateLimit?: number;

  /**
   * The ARN of an existing regional AWS WAF web ACL to attach to the load balancer, instead of `waf`.
   *
   * @default - none
   */
  readonly webAclArn?: string;

  /**
   * Sign-in through an OpenID Connect identity provider, next to the email and password form:
   * `SignIn.google(...)`, `SignIn.microsoftEntraId(...)`, `SignIn.cognito(...)` (your user pool),
   * `SignIn.newCognitoUserPool()` (a pool created with the app) or `SignIn.oidc(...)`.
   *
   * Needs HTTPS (`domainName` with `hostedZone`, or `certificate`) and internet egress
   * (`egress: InternetEgress.NAT_GATEWAY`): Open WebUI talks to the provider itself. Register the
   * `OAuthRedirectUri` output at the provider.
   *
   * @default - email and password only
   */
  readonly signIn?: SignIn;

  /**
   * Chat models only some people may use: per model, the Open WebUI groups whose members see it
   * and get answers from it (admins always do); every other chat model is open to every user.
   * With `signIn`, its `groupClaim` can keep each user's groups in step with the identity
   * provider.
   *
   * @default - every chat model is open to every user
   */
  readonly modelAccess?: ModelAccess[];

  /**
   * The IPv4 ranges allowed to reach the load balancer.
   *
   * @default ['0.0.0.0/0'], with a warning; with `internetFacing: false` or `cloudFront`, the VPC's CIDR range
   */
  readonly allowedCidrs?: string[];

  /**
   * Whether the load balancer is reachable from the internet. With `false` it is internal: it
   * lives in the private subnets (`taskSubnets` by default) and answers only inside the VPC and the
   * networks connected to it (VPN, Direct Connect, Transit Gateway), an intranet-only app. Give
   * those networks' ranges in `allowedCidrs`. With `true` and no `certificate` (nor `domainName`)
   * the app is served over plain HTTP, with a warning.
   *
   * @default - true when the load balancer is not behind CloudFront (see `cloudFront`)
   */
  readonly internetFacing?: boolean;

  /**
   * Whether an Amazon CloudFront distribution fronts the app. The load balancer is then internal,
   * with no public address: CloudFront reaches it through a CloudFront VPC origin (the VPC needs
   * an internet gateway, which the created VPC has). Viewers get HTTPS on the distribution's
   * `*.cloudfront.net` name without any certificate, or on `domainName`.
   *
   * CloudFront reads certificates and web ACLs in us-east-1 only: with `domainName`, the construct
   * creates the certificate when the stack is in us-east-1, else pass `certificate` from
   * us-east-1; `waf` needs the stack in us-east-1, else pass `webAclArn` of a CLOUDFRONT web ACL.
   * `allowedCidrs` does not apply (restrict viewers with the web ACL). Nothing is cached.
   *
   * CloudFront is the default when nothing else gives the app HTTPS: without `certificate`,
   * `domainName`, `hostedZone`, `internetFacing`, `allowedCidrs`, `waf`, `wafRateLimit` and
   * `webAclArn`, so that `new BedrockImageChat(stack, 'Chat')` serves HTTPS only. Set it to `false`
   * for the load balancer alone.
   *
   * @default - true when none of the load balancer's own settings above is given, else false
   */
  readonly cloudFront?: boolean;

  /**
   * How much the deployment runs: tasks and their size, the database, and Redis when Open WebUI
   * runs more than one task (see `DeploymentSize` for the table). The props below override single
   * values of the size.
   *
   * @default DeploymentSize.SMALL
   */
  readonly size?: DeploymentSize;

  /**
   * The CPU units of an Open WebUI task (1024 = 1 vCPU), with `openWebUIMemoryLimitMiB` a valid Fargate pair.
   *
   * @default - from `size`: 1024, 2048 or 4096
   */
  readonly openWebUICpu?: number;

  /**
   * The memory of an Open WebUI task, in MiB.
   *
   * @default - from `size`: 2048, 4096 or 8192
   */
  readonly openWebUIMemoryLimitMiB?: number;

  /**
   * How many Open WebUI tasks run (scaled on CPU, and on requests per task through the load
   * balancer). Above one task, Redis is added (see `OpenWebUIServiceProps.scaling`).
   *
   * @default - from `size`: 1, 2-6 or 3-10 tasks
   */
  readonly openWebUIScaling?: TaskScaling;

  /**
   * The CPU units of a LiteLLM task (1024 = 1 vCPU).
   *
   * @default - from `size`: 1024, 1024 or 2048
   */
  readonly litellmCpu?: number;

  /**
   * The memory of a LiteLLM task, in MiB.
   *
   * @default - from `size`: 2048, 2048 or 4096
   */
  readonly litellmMemoryLimitMiB?: number;

  /**
   * How many LiteLLM tasks run, scaled on CPU.
   *
   * @default - from `size`: 1-2, 2-6 or 2-10 tasks
   */
  readonly litellmScaling?: TaskScaling;

  /**
   * Where the files users upload live: an EFS file system or an S3 bucket (see `FileStorage`).
   *
   * @default FileStorage.EFS
   */
  readonly fileStorage?: FileStorage;

  /**
   * The daily AWS Backup plan of the database and the file system, in its own vault, with an
   * optional copy to another region (see `DataBackupOptions`).
   *
   * @default - daily at 03:00 UTC, kept 7 days, no copy
   */
  readonly backup?: DataBackupOptions;

  /**
   * Alarms (with an optional SNS topic or email) and a CloudWatch dashboard.
   *
   * @default - alarms and dashboard, notifying nobody
   */
  readonly monitoring?: MonitoringOptions;

  /**
   * Fewer tasks outside working hours: both services scale to no task (one with `keepOneTask`) at
   * `stop` and back at `start`, in the schedule's time zone. With no task the load balancer
   * answers with a fixed "closed" page instead of a bare 503. The database, Redis and the load
   * balancer keep running (and costing).
   *
   * @default - the same tasks around the clock
   */
  readonly offHours?: OffHoursSchedule;

  /**
   * Whether LiteLLM's tasks run on Fargate Spot (see `LiteLLMServiceProps.spot`).
   *
   * @default false
   */
  readonly litellmSpot?: boolean;

  /**
   * Whether Open WebUI's tasks beyond the first run on Fargate Spot (see `OpenWebUIServiceProps.spot`).
   *
   * @default false
   */
  readonly openWebUISpot?: boolean;

  /**
   * The instance type of the PostgreSQL database.
   *
   * @default - from `size`: db.t4g.small, db.t4g.medium or db.m7g.large
   */
  readonly databaseInstanceType?: ec2.InstanceType;

  /**
   * Whether the database has a standby in a second availability zone (RDS Multi-AZ).
   *
   * @default - from `size`: false for SMALL, true for MEDIUM and LARGE
   */
  readonly databaseMultiAz?: boolean;

  /**
   * The node type of Redis (only created with more than one Open WebUI task), as an instance
   * type: `ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.SMALL)` is `cache.t4g.small`.
   *
   * @default - from `size`: cache.t4g.micro, cache.t4g.micro or cache.t4g.small
   */
  readonly redisNodeType?: ec2.InstanceType;

  /**
   * The Bedrock models LiteLLM serves: at least one chat and one embedding model, and an image
   * model for image generation.
   *
   * @default - models the tasks can call from the stack's region with the chosen `egress` (see
   * `LiteLLMServiceProps.models`): Claude Haiku 4.5, Titan Text Embeddings v2, and Stable Image
   * Core v1.1 in us-west-2 where it is reachable; elsewhere chat only, with a warning
   */
  readonly models?: BedrockModel[];

  /**
   * Chat model providers outside Bedrock with an OpenAI-compatible API (for example a regional
   * model), served through LiteLLM next to the Bedrock models as `<provider name>/<model>`.
   * They are on the internet: they need `egress`.
   *
   * @default - Bedrock only
   */
  readonly providers?: OpenAICompatibleProvider[];

  /**
   * The model Open WebUI generates images with; one of `models`.
   *
   * @default - the first image model in `models` (none: image generation is off)
   */
  readonly imageModel?: BedrockModel;

  /**
   * The model Open WebUI embeds documents with; one of `models`.
   *
   * @default - the first embedding model in `models`
   */
  readonly embeddingModel?: BedrockModel;

  /**
   * The image size Open WebUI asks for, as `WIDTHxHEIGHT`; it must be a size the image model can
   * make (see `OpenWebUIServiceProps.imageSize`).
   *
   * @default '1024x1024'
   */
  readonly imageSize?: string;

  /**
   * Whether chat models use Open WebUI's native function calling, which offers the model its 27
   * built-in tools (0.12.4) on every turn and lets it decide whether to draw (see
   * `OpenWebUIServiceProps.nativeFunctionCalling`).
   *
   * @default false
   */
  readonly nativeFunctionCalling?: boolean;

  /**
   * The email of the first Open WebUI admin. The password is generated; its secret's ARN is a
   * stack output.
   *
   * @default 'admin@example.com'
   */
  readonly adminEmail?: string;

  /**
   * What happens to the database and file system when they leave the stack.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * How long container and flow logs are kept.
   *
   * @default logs.RetentionDays.THREE_MONTHS
   */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * A private chat and image-generation app on AWS: Open WebUI behind an internet-facing
 * Application Load Balancer, a LiteLLM proxy and Amazon Bedrock, on ECS Fargate in private
 * subnets.
 *
 * `new BedrockImageChat(stack, 'Chat')` deploys everything with secure defaults. The parts are
 * public properties, for alarms, grants and extensions.
 */
export class BedrockImageChat extends Construct {
  /** The VPC. */
  public readonly vpc: ec2.IVpc;

  /** The VPC created by this construct; undefined when you passed `vpc`. */
  public readonly privateVpc?: PrivateBedrockVpc;

  /** The ECS cluster. */
  public readonly cluster: ecs.Cluster;

  /** The LiteLLM proxy. */
  public readonly litellm: LiteLLMService;

  /** Open WebUI. */
  public readonly openWebUI: OpenWebUIService;

  /** The internet-facing load balancer (its DNS name is where `domainName` points). */
  public readonly loadBalancer: elbv2.ApplicationLoadBalancer;

  /** The listener that forwards to Open WebUI (HTTPS when a certificate is given). */
  public readonly listener: elbv2.ApplicationListener;

  /** The alarms (empty with `monitoring.alarms: false`). */
  public readonly alarms: cloudwatch.Alarm[];

  /** The topic the alarms notify, when one was given or created for `monitoring.alarmEmail`. */
  public readonly alarmTopic?: sns.ITopic;

  /** The CloudWatch dashboard; undefined with `monitoring.dashboard: false`. */
  public readonly dashboard?: cloudwatch.Dashboard;

  /** The CloudFront distribution in front of the load balancer, with `cloudFront: true`. */
  public readonly distribution?: cloudfront.Distribution;

  /** The bucket of the load balancer's access logs; undefined when the stack has no region. */
  public readonly accessLogsBucket?: s3.IBucket;

  /**
   * The Amazon Cognito user pool created for sign-in by `SignIn.newCognitoUserPool()`; undefined
   * with any other sign-in.
   */
  public readonly userPool?: cognito.IUserPool;

  /**
   * The URL of the app: `https://<domainName>`; else, behind CloudFront (the default without a
   * certificate), `https://<distribution domain name>`; else the load balancer's DNS name
   * (`http://` only when you turned CloudFront off and gave no certificate).
   */
  public readonly url: string;

  constructor(scope: Construct, id: string, props: BedrockImageChatProps = {}) {
    super(scope, id);
    // What TypeScript checks and JavaScript does not, before anything reads it.
    validateEnumValue('egress', props.egress, InternetEgress, 'InternetEgress');
    validateEnumValue('size', props.size, DeploymentSize, 'DeploymentSize');
    validateEnumValue('fileStorage', props.fileStorage, FileStorage, 'FileStorage');
    validateLogRetention('logRetention', props.logRetention);
    validateModelList('models', props.models);
    const cloudFrontByDefault = props.cloudFront === undefined && noLoadBalancerChoice(props);
    const cloudFront = props.cloudFront ?? cloudFrontByDefault;
    if (cloudFront) validateCdn(this, props);
    const internetFacing = props.internetFacing ?? !cloudFront;
    if (props.allowedCidrs !== undefined) validateCidrs(props.allowedCidrs);
    const logRetention = props.logRetention ?? logs.RetentionDays.THREE_MONTHS;

    const egress = props.egress ?? InternetEgress.NONE;
    const enableExecuteCommand = props.enableExecuteCommand ?? false;
    const network = createChatNetwork(this, {
      vpc: props.vpc,
      egress: props.egress,
      maxAzs: props.maxAzs,
      endpointsInOneAz: props.endpointsInOneAz,
      loadBalancerSubnets: props.loadBalancerSubnets,
      taskSubnets: props.taskSubnets,
      databaseSubnets: props.databaseSubnets,
      internetFacing,
      cloudFront: { on: cloudFront, byDefault: cloudFrontByDefault },
    }, { egress, logRetention, enableExecuteCommand });
    this.vpc = network.vpc;
    this.privateVpc = network.privateVpc;
    const serviceOptions = { egress, cpuArchitecture: props.cpuArchitecture, enableExecuteCommand };

    this.cluster = new ecs.Cluster(this, 'Cluster', {
      vpc: this.vpc,
      containerInsightsV2: ecs.ContainerInsights.ENABLED,
    });

    const sizeName = props.size ?? DeploymentSize.SMALL;
    const size = SIZES[sizeName];
    const sizeDefaults = `the ${sizeName} size's`;
    const litellmScaling = props.litellmScaling ?? { minTasks: size.litellm.minTasks, maxTasks: size.litellm.maxTasks };
    const openWebUIScaling = props.openWebUIScaling ?? { minTasks: size.openWebUI.minTasks, maxTasks: size.openWebUI.maxTasks };
    // Checked here, so that an error names the prop as the user wrote it (not the services' `scaling`).
    const litellmRange = taskRange('litellmScaling', litellmScaling);
    const openWebUIRange = taskRange('openWebUIScaling', openWebUIScaling);
    validateTaskSize('LiteLLMService', props.litellmCpu, props.litellmMemoryLimitMiB, size.litellm, 1024,
      { cpu: 'litellmCpu', memory: 'litellmMemoryLimitMiB', defaults: sizeDefaults });
    validateTaskSize('OpenWebUIService', props.openWebUICpu, props.openWebUIMemoryLimitMiB, size.openWebUI, 2048,
      { cpu: 'openWebUICpu', memory: 'openWebUIMemoryLimitMiB', defaults: sizeDefaults });
    this.litellm = new LiteLLMService(this, 'LiteLLM', {
      ...serviceOptions,
      cluster: this.cluster,
      cpu: props.litellmCpu ?? size.litellm.cpu,
      memoryLimitMiB: props.litellmMemoryLimitMiB ?? size.litellm.memoryLimitMiB,
      scaling: litellmScaling,
      spot: props.litellmSpot,
      models: props.models,
      providers: props.providers,
      image: props.litellmImage,
      vpcSubnets: props.taskSubnets,
      logRetention,
    });
    const frontDoorOptions: FrontDoorOptions = {
      vpc: this.vpc,
      internetFacing,
      subnets: props.loadBalancerSubnets
        ?? (internetFacing ? { subnetType: ec2.SubnetType.PUBLIC } : props.taskSubnets ?? defaultTaskSubnets(this.vpc)),
      // An internal load balancer answers inside the VPC (and the networks routed to it) by default.
      allowedCidrs: props.allowedCidrs ?? (internetFacing ? ['0.0.0.0/0'] : [this.vpc.vpcCidrBlock]),
      certificate: props.certificate,
      domainName: props.domainName,
      hostedZone: props.hostedZone,
      contentSecurityPolicy: props.contentSecurityPolicy,
      waf: props.waf,
      wafRateLimit: props.wafRateLimit,
      webAclArn: props.webAclArn,
      cloudFront,
      logRetention,
    };
    const frontDoor = createFrontDoor(this, frontDoorOptions);
    this.loadBalancer = frontDoor.loadBalancer;
    this.accessLogsBucket = frontDoor.accessLogsBucket;
    this.distribution = frontDoor.distribution;
    // The address users open; Open WebUI needs it for links, OAuth redirects, CORS and secure cookies.
    this.url = frontDoor.url;

    this.openWebUI = new OpenWebUIService(this, 'OpenWebUI', {
      ...serviceOptions,
      cluster: this.cluster,
      image: props.openWebUIImage,
      vpcSubnets: props.taskSubnets,
      databaseSubnets: props.databaseSubnets,
      litellm: this.litellm,
      imageModel: props.imageModel,
      embeddingModel: props.embeddingModel,
      imageSize: props.imageSize,
      nativeFunctionCalling: props.nativeFunctionCalling,
      adminEmail: props.adminEmail,
      cpu: props.openWebUICpu ?? size.openWebUI.cpu,
      memoryLimitMiB: props.openWebUIMemoryLimitMiB ?? size.openWebUI.memoryLimitMiB,
      scaling: openWebUIScaling,
      databaseInstanceType: props.databaseInstanceType ?? size.databaseInstanceType,
      databaseMultiAz: props.databaseMultiAz ?? size.databaseMultiAz,
      redisNodeType: props.redisNodeType ?? size.redisNodeType,
      spot: props.openWebUISpot,
      backup: props.backup,
      fileStorage: props.fileStorage,
      signIn: props.signIn,
      modelAccess: props.modelAccess,
      publicUrl: this.url,
      removalPolicy: props.removalPolicy,
      logRetention,
    });
    this.userPool = this.openWebUI.userPool;
    if (this.privateVpc) {
      this.privateVpc.allowEndpointAccessFrom(this.litellm);
      this.privateVpc.allowEndpointAccessFrom(this.openWebUI);
    }

    const { listener, targetGroup } = serveOpenWebUI(this, frontDoor, frontDoorOptions, this.openWebUI, OpenWebUIService.PORT);
    this.listener = listener;
    if (props.offHours !== undefined) {
      scheduleOffHours(this, props.offHours, [
        { scalable: this.openWebUI, ...openWebUIRange },
        { scalable: this.litellm, ...litellmRange },
      ], listener, targetGroup);
    }

    const operations = createOperations(this, {
      ...props.monitoring,
      litellm: this.litellm,
      openWebUI: this.openWebUI,
      loadBalancer: this.loadBalancer,
      targetGroup,
      databaseInstanceType: props.databaseInstanceType ?? size.databaseInstanceType,
    });
    this.alarms = operations.alarms;
    this.alarmTopic = operations.alarmTopic;
    this.dashboard = operations.dashboard;

    this.addOutputs(props.signIn !== undefined);
  }

  /** The stack outputs: the URL, the redirect URI to register, and where the first admin's and the proxy's secrets are. */
  private addOutputs(signIn: boolean): void {
    new CfnOutput(this, 'Url', { value: this.url, description: 'URL of the chat app' });
    if (signIn) {
      new CfnOutput(this, 'OAuthRedirectUri', {
        value: `${this.url}${OIDC_CALLBACK_PATH}`,
        description: 'Redirect URI to register at the identity provider',
      });
    }
    new CfnOutput(this, 'AdminEmail', { value: this.openWebUI.adminEmail, description: 'Email of the first admin account' });
    new CfnOutput(this, 'AdminCredentialsSecretArn', {
      value: this.openWebUI.adminSecret.secretArn,
      description: 'Secrets Manager secret with the first admin password (key: password)',
    });
    new CfnOutput(this, 'LiteLLMMasterKeySecretArn', {
      value: this.litellm.masterKey.secretArn,
      description: 'Secrets Manager secret with the LiteLLM master key (sk-...)',
    });
  }
}

function validateCidrs(cidrs: string[]): void {
  if (Token.isUnresolved(cidrs)) {
    throw new Error(
      'allowedCidrs is a list token (a deploy-time list); the load balancer gets one security group rule per range, so the number of ranges must be known at synth. Pass an array whose items may each be a token, for example [param.valueAsString]',
    );
  }
  if (cidrs.length === 0) {
    throw new Error('allowedCidrs is empty, so nobody could reach the app; list the IPv4 ranges of your users, for example [\'203.0.113.0/24\']');
  }
  for (const cidr of cidrs) {
    if (Token.isUnresolved(cidr)) continue;
    const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
    if (!match || match.slice(1, 5).some((o) => Number(o) > 255) || Number(match[5]) > 32) {
      throw new Error(`allowedCidrs contains '${cidr}', which is not an IPv4 CIDR range; use a form like '203.0.113.0/24'`);
    }
  }
}

/**
 * HTTPS from the one-line default: without a certificate, a domain or a choice that only applies
 * to the load balancer (its reach, its ranges, its web ACL), CloudFront fronts an internal load
 * balancer and gives the app `https://<id>.cloudfront.net` with CloudFront's certificate. The
 * alternative, an internet-facing load balancer without a certificate, would send passwords and
 * chats over plain HTTP.
 */
function noLoadBalancerChoice(props: BedrockImageChatProps): boolean {
  const loadBalancerChoices = [
    props.certificate, props.domainName, props.hostedZone, props.internetFacing, props.allowedCidrs, props.waf, props.wafRateLimit, props.webAclArn,
  ];
  return loadBalancerChoices.every((choice) => choice === undefined);
}
