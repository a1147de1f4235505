import { createHash } from 'crypto';
import { Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import { Construct } from 'constructs';
import { BedrockModel, BedrockModelKind } from './bedrock-model';
import { InternetEgress } from './internet-egress';
import { OpenAICompatibleProvider } from './model-provider';
import { acknowledgeExecutionRole, acknowledgeRules, acknowledgeWildcards, AWS_MANAGED_KEY_REASON, cfnOf, ECS2_REASON, skipCheckov } from './private/acknowledgements';
import { defaultModels } from './private/default-models';
import { MASTER_KEY_ENV, providerKeyEnv, renderLiteLLMConfig } from './private/litellm-config';
import { createConfigStore, createMasterKey } from './private/litellm-store';
import { checkImageReachable, serviceImage } from './private/mirrored-image';
import { scaleOnCpu, spotStrategy, taskRange } from './private/scaling';
import { bedrockMetric, runningTasks } from './private/service-metrics';
import { defaultTaskSubnets, validateModels, validateProviders, validateTaskSize } from './private/validation';
import { ChatServiceOptions, TaskScaling } from './service-options';

const LITELLM_PORT = 4000;

/**
 * Properties of a {@link LiteLLMService}.
 */
export interface LiteLLMServiceProps extends ChatServiceOptions {
  /**
   * The ECS cluster to run the service in. Its VPC is the service's VPC.
   */
  readonly cluster: ecs.ICluster;

  /**
   * The Bedrock models the proxy serves.
   *
   * Needs at least one chat model and one embedding model, each with a unique display name; an
   * image model turns image generation on (without one, Open WebUI offers chat and documents only,
   * with a warning).
   *
   * @default - models the tasks can call from the stack's region with the chosen egress: Claude
   * Haiku 4.5 (global inference profile), Titan Text Embeddings v2 (in the stack's region), and
   * Stable Image Core v1.1 (served in us-west-2 only) when the stack is in us-west-2, has internet
   * egress or has no region; elsewhere no image model, with a warning that says how to get one.
   * The README's "Regions and default models" table lists them per region.
   */
  readonly models?: BedrockModel[];

  /**
   * Chat model providers outside Bedrock with an OpenAI-compatible API, served next to the
   * Bedrock models as `<provider name>/<model>`. They are on the internet, so they need `egress`.
   *
   * @default - Bedrock only
   */
  readonly providers?: OpenAICompatibleProvider[];

  /**
   * The container image of the proxy.
   *
   * @default - `ghcr.io/berriai/litellm:v1.110.2` (see `LiteLLMService.DEFAULT_IMAGE`), copied into a private ECR repository at deploy time
   */
  readonly image?: ecs.ContainerImage;

  /**
   * The Fargate CPU units of a task.
   *
   * @default 1024
   */
  readonly cpu?: number;

  /**
   * The memory of a task, in MiB.
   *
   * @default 2048
   */
  readonly memoryLimitMiB?: number;

  /**
   * The number of tasks, fixed. Use `scaling` for a count that follows the load.
   *
   * @default 1
   */
  readonly desiredCount?: number;

  /**
   * How many tasks run, scaled on CPU between `minTasks` and `maxTasks`. LiteLLM keeps no state
   * in its tasks, so any count works.
   *
   * @default - `desiredCount` tasks
   */
  readonly scaling?: TaskScaling;

  /**
   * Whether the tasks run on Fargate Spot, about 70 % cheaper, with a two-minute warning before
   * AWS takes one back (requests it is answering then fail; Open WebUI shows the error). LiteLLM
   * keeps no state, so every task may be Spot; keep `scaling.minTasks` at 2 or more where that
   * matters, as a replacement can wait for Spot capacity. The cluster must have the Fargate
   * capacity providers (enabled here on an `ecs.Cluster`; on an imported cluster, a synth warning
   * says to enable them).
   *
   * @default false
   */
  readonly spot?: boolean;

  /**
   * The subnets the tasks run in.
   *
   * @default - the VPC's private subnets (with egress if it has them, else isolated)
   */
  readonly vpcSubnets?: ec2.SubnetSelection;

  /**
   * The private DNS namespace the service registers in, as `litellm.<namespace>`.
   *
   * @default - a new private DNS namespace `bedrock-image-chat.internal` in the cluster's VPC
   */
  readonly namespace?: servicediscovery.IPrivateDnsNamespace;

  /**
   * How long the container logs are kept.
   *
   * @default logs.RetentionDays.THREE_MONTHS
   */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * A LiteLLM proxy on ECS Fargate that serves Amazon Bedrock models through an OpenAI-compatible API.
 *
 * - The configuration is a JSON document in a private S3 bucket, read by LiteLLM at start through
 *   `LITELLM_CONFIG_BUCKET_NAME` and `LITELLM_CONFIG_BUCKET_OBJECT_KEY`. Its key holds the hash of
 *   its content, so a model change rolls out new tasks and a rollback finds the old document.
 * - The master key is generated in Secrets Manager (it starts with `sk-`) and injected as an ECS secret.
 * - The task role may invoke only the configured models.
 * - Nothing can reach the proxy until you allow it: `litellm.connections.allowDefaultPortFrom(client)`.
 */
export class LiteLLMService extends Construct implements ec2.IConnectable, iam.IGrantable {
  /**
   * The LiteLLM image this library was verified with.
   *
   * `v1.110.2` is the PyPI release `litellm==1.110.2`, the newest stable release, outside every
   * advisory range the library tracks (among them CVE-2026-49468, the Host-header authentication
   * bypass fixed in 1.84.0, and the advisories fixed up to 1.93.1). Recent LiteLLM releases
   * (1.103 to 1.110 checked) tag their images `vX.Y.Z`, without the former `-stable` suffix.
   */
  public static readonly DEFAULT_IMAGE = 'ghcr.io/berriai/litellm:v1.110.2';

  /** The port the proxy listens on. */
  public static readonly PORT = LITELLM_PORT;

  /** The Fargate service. */
  public readonly service: ecs.FargateService;

  /** The task definition. */
  public readonly taskDefinition: ecs.FargateTaskDefinition;

  /** The master key (`sk-...`): the API key of the OpenAI-compatible endpoint. */
  public readonly masterKey: secretsmanager.ISecret;

  /** The models the proxy serves. */
  public readonly models: BedrockModel[];

  /** The bucket that holds the proxy configuration. */
  public readonly configBucket: s3.IBucket;

  /** The S3 key of the current configuration document. */
  public readonly configObjectKey: string;

  /** The base URL of the OpenAI-compatible API inside the VPC, for example `http://litellm.bedrock-image-chat.internal:4000/v1`. */
  public readonly apiBaseUrl: string;

  /** The log group of the proxy container. */
  public readonly logGroup: logs.ILogGroup;

  /** The security groups of the service. */
  public readonly connections: ec2.Connections;

  /** The task role, which may invoke the configured models. */
  public readonly grantPrincipal: iam.IPrincipal;

  /** The providers outside Bedrock the proxy serves. */
  public readonly providers: OpenAICompatibleProvider[];

  private _taskCount?: ecs.ScalableTaskCount;

  constructor(scope: Construct, id: string, props: LiteLLMServiceProps) {
    super(scope, id);
    validateTaskSize('LiteLLMService', props.cpu, props.memoryLimitMiB, { cpu: 1024, memoryLimitMiB: 2048 }, 1024);
    if (props.desiredCount !== undefined && !Token.isUnresolved(props.desiredCount) && props.desiredCount < 1) {
      throw new Error(`desiredCount is ${props.desiredCount}; LiteLLMService needs at least 1 task`);
    }
    if (props.desiredCount !== undefined && props.scaling !== undefined) {
      throw new Error(`desiredCount (${props.desiredCount}) and scaling are both set; give a fixed count with desiredCount, or a range with scaling`);
    }
    const range = props.scaling !== undefined ? taskRange('scaling', props.scaling) : undefined;

    const hasEgress = (props.egress ?? InternetEgress.NONE) !== InternetEgress.NONE;
    const defaults = props.models === undefined ? defaultModels(Stack.of(this).region, hasEgress) : undefined;
    this.models = props.models ?? defaults!.models;
    validateModels(this, this.models, hasEgress, defaults?.noImageReason);

    const vpc = props.cluster.vpc;
    this.providers = props.providers ?? [];
    validateProviders(this.providers, this.models, hasEgress);
    const { config, environment: modelEnvironment } = renderLiteLLMConfig(this.models, this.providers);
    const configJson = JSON.stringify(config);
    const configHash = createHash('sha256').update(configJson).digest('hex').substring(0, 16);

    const store = createConfigStore(this, config, `litellm/config-${configHash}.json`);
    const bucket = store.bucket;
    this.configBucket = bucket;
    this.configObjectKey = store.objectKey;
    const deployment = store.deployment;
    const { masterKey, keyPrefix } = createMasterKey(this);
    this.masterKey = masterKey;

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention ?? logs.RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const cpuArchitecture = props.cpuArchitecture ?? ecs.CpuArchitecture.ARM64;
    this.taskDefinition = new ecs.FargateTaskDefinition(this, 'TaskDefinition', {
      cpu: props.cpu ?? 1024,
      memoryLimitMiB: props.memoryLimitMiB ?? 2048,
      runtimePlatform: { cpuArchitecture, operatingSystemFamily: ecs.OperatingSystemFamily.LINUX },
    });
    this.grantPrincipal = this.taskDefinition.taskRole;

    const { image, copy: imageCopy } = serviceImage(this, props.image, LiteLLMService.DEFAULT_IMAGE, cpuArchitecture);
    const container = this.taskDefinition.addContainer('litellm', {
      image,
      // Keep the image's entrypoint (docker/prod_entrypoint.sh); the command replaces its CMD, so
      // the port is repeated here.
      command: ['--port', String(LITELLM_PORT)],
      portMappings: [{ containerPort: LITELLM_PORT, name: 'litellm' }],
      environment: {
        LITELLM_CONFIG_BUCKET_NAME: bucket.bucketName,
        LITELLM_CONFIG_BUCKET_OBJECT_KEY: this.configObjectKey,
        // Without it LiteLLM downloads its model price map from GitHub at start.
        LITELLM_LOCAL_MODEL_COST_MAP: 'True',
        AWS_REGION: Stack.of(this).region,
        AWS_DEFAULT_REGION: Stack.of(this).region,
        // Deploy-time model values (tokens), which the configuration reads as os.environ/NAME.
        ...modelEnvironment,
      },
      secrets: {
        [MASTER_KEY_ENV]: ecs.Secret.fromSecretsManager(this.masterKey),
        ...Object.fromEntries(this.providers.map((p, i) => [providerKeyEnv(i), ecs.Secret.fromSecretsManager(p.apiKey)])),
      },
      healthCheck: {
        // The image has Python but neither curl nor wget. /health/liveliness needs no key and calls
        // no model; /health calls every model and needs auth, so it must never be a probe.
        command: [
          'CMD-SHELL',
          `python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:${LITELLM_PORT}/health/liveliness', timeout=4)" || exit 1`,
        ],
        interval: Duration.seconds(30),
        timeout: Duration.seconds(5),
        retries: 3,
        startPeriod: Duration.seconds(60),
      },
      logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'litellm', logGroup: this.logGroup }),
      // A stopping task finishes the answers it is streaming.
      stopTimeout: Duration.seconds(120),
      readonlyRootFilesystem: false,
    });
    checkImageReachable(container, hasEgress);

    grantProxy(this, this.taskDefinition, bucket, this.models);
    skipCheckov(this.logGroup, { CKV_AWS_158: AWS_MANAGED_KEY_REASON });

    const namespace =
      props.namespace ??
      new servicediscovery.PrivateDnsNamespace(this, 'Namespace', {
        name: 'bedrock-image-chat.internal',
        vpc,
        description: 'Private names of cdk-bedrock-image-chat services',
      });

    this.service = new ecs.FargateService(this, 'Service', {
      cluster: props.cluster,
      taskDefinition: this.taskDefinition,
      desiredCount: range?.minTasks ?? props.desiredCount ?? 1,
      vpcSubnets: props.vpcSubnets ?? defaultTaskSubnets(vpc),
      enableExecuteCommand: props.enableExecuteCommand ?? false,
      assignPublicIp: false,
      circuitBreaker: { enable: true, rollback: true },
      ...(props.spot ? { capacityProviderStrategies: spotStrategy(this, props.cluster, 0) } : {}),
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      cloudMapOptions: {
        name: 'litellm',
        cloudMapNamespace: namespace,
        dnsRecordType: servicediscovery.DnsRecordType.A,
        dnsTtl: Duration.seconds(10),
      },
      propagateTags: ecs.PropagatedTagSource.SERVICE,
    });
    // Tasks must start only once their configuration and a valid master key exist.
    this.service.node.addDependency(deployment, keyPrefix);
    if (props.scaling !== undefined) this._taskCount = scaleOnCpu(this.service, props.scaling, range!);
    if (imageCopy) this.service.node.addDependency(imageCopy);

    this.connections = new ec2.Connections({
      securityGroups: this.service.connections.securityGroups,
      defaultPort: ec2.Port.tcp(LITELLM_PORT),
    });
    this.apiBaseUrl = `http://litellm.${namespace.namespaceName}:${LITELLM_PORT}/v1`;
  }

  /**
   * The names of the served models of one kind, as Open WebUI lists them: the Bedrock models'
   * display names and, for chat, the providers' models (`<provider name>/<model>`).
   */
  public modelNames(kind: BedrockModelKind): string[] {
    const bedrock = this.models.filter((m) => m.kind === kind).map((m) => m.displayName);
    return kind === BedrockModelKind.CHAT ? [...bedrock, ...this.providers.flatMap((p) => p.models.map((m) => `${p.name}/${m}`))] : bedrock;
  }

  /**
   * The scaling of the task count, for more scaling policies or schedules: there when `scaling`
   * lets the count vary, or when an off-hours schedule (`BedrockImageChat`'s `offHours`) scales
   * it; undefined for a fixed count.
   */
  public get taskCount(): ecs.ScalableTaskCount | undefined {
    return this._taskCount;
  }

  /**
   * The task count's scaling, created between `minTasks` and `maxTasks` when there is none yet
   * (for the off-hours schedule).
   * @internal
   */
  public _scalableTaskCount(minTasks: number, maxTasks: number): ecs.ScalableTaskCount {
    this._taskCount ??= this.service.autoScaleTaskCount({ minCapacity: minTasks, maxCapacity: maxTasks });
    return this._taskCount;
  }

  /** The average CPU utilization of the tasks (percent). */
  public metricCpuUtilization(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.service.metricCpuUtilization(props);
  }

  /** The average memory utilization of the tasks (percent). */
  public metricMemoryUtilization(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.service.metricMemoryUtilization(props);
  }

  /** The running tasks (Container Insights, which must be on in the cluster). */
  public metricRunningTasks(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return runningTasks(this.service, props);
  }

  /** The calls to a served model that Bedrock answered or refused (sum per 5 minutes; AWS/Bedrock `Invocations`). */
  public metricBedrockInvocations(model: BedrockModel, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return bedrockMetric(Stack.of(this), this.served(model), 'Invocations', cloudwatch.Stats.SUM, props);
  }

  /** The calls to a served model that Bedrock throttled (sum per 5 minutes; `InvocationThrottles`). */
  public metricBedrockThrottles(model: BedrockModel, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return bedrockMetric(Stack.of(this), this.served(model), 'InvocationThrottles', cloudwatch.Stats.SUM, props);
  }

  /** The calls to a served model that Bedrock refused as the caller's error, access denied among them (sum per 5 minutes; `InvocationClientErrors`). */
  public metricBedrockClientErrors(model: BedrockModel, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return bedrockMetric(Stack.of(this), this.served(model), 'InvocationClientErrors', cloudwatch.Stats.SUM, props);
  }

  /** How long a served model takes to answer (p90 per 5 minutes, milliseconds; `InvocationLatency`). */
  public metricBedrockLatency(model: BedrockModel, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return bedrockMetric(Stack.of(this), this.served(model), 'InvocationLatency', cloudwatch.Stats.p(90), props);
  }

  private served(model: BedrockModel): BedrockModel {
    if (!this.models.includes(model)) {
      throw new Error(`model is '${model.displayName}', which this LiteLLM service does not serve; served models: ${this.models.map((m) => m.displayName).join(', ')}`);
    }
    return model;
  }
}

/**
 * The proxy's permissions: read its configuration documents, invoke exactly its models; and the
 * acknowledgements of its task definition and roles.
 */
function grantProxy(scope: Construct, taskDefinition: ecs.FargateTaskDefinition, bucket: s3.IBucket, models: BedrockModel[]): void {
  // LiteLLM reads its configuration with one s3:GetObject at start. Every deployment's document
  // stays readable, so that a task started from an earlier task definition (a rollback) starts.
  taskDefinition.addToTaskRolePolicy(
    new iam.PolicyStatement({ sid: 'ReadProxyConfiguration', actions: ['s3:GetObject'], resources: [bucket.arnForObjects('litellm/*')] }),
  );
  acknowledgeWildcards(
    taskDefinition.taskRole.node.findChild('DefaultPolicy'),
    'Read-only access to the configuration documents of this and earlier deployments of the proxy (their keys carry a content hash), in its own bucket.',
    (finding) => finding.startsWith('Resource::') && finding.endsWith('/litellm/*'),
  );
  acknowledgeExecutionRole(taskDefinition);
  acknowledgeRules(cfnOf(taskDefinition), {
    'AwsSolutions-ECS2': ECS2_REASON,
  });
  taskDefinition.addToTaskRolePolicy(
    new iam.PolicyStatement({
      sid: 'InvokeConfiguredBedrockModels',
      actions: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'],
      resources: [...new Set(models.flatMap((m) => m.invokeResourceArns(scope)))],
    }),
  );
}
