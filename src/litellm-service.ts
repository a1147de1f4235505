import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import { Construct } from 'constructs';
import { BedrockGuardrail, BedrockGuardrailConfig } from './bedrock-guardrail';
import { BedrockModel, BedrockModelKind } from './bedrock-model';
import { ChatService } from './chat-service';
import { InternetEgress } from './internet-egress';
import { OpenAICompatibleProvider } from './model-provider';
import { defaultModels } from './private/default-models';
import { addLiteLLMContainer, LITELLM_PORT } from './private/litellm-task';
import { propName } from './private/prop-names';
import { spotStrategy, taskRange } from './private/scaling';
import { bedrockMetric, guardrailMetric } from './private/service-metrics';
import { createServiceTask, finishService } from './private/service-task';
import { LITELLM_TASK } from './private/sizes';
import { defaultTaskSubnets, validateModelList, validateModels, validateProviders } from './private/validation';
import { ChatServiceOptions, ServiceTaskOptions } from './service-options';

/**
 * The options of the LiteLLM proxy that `BedrockImageChat` takes as `litellm` and
 * `LiteLLMService` takes directly.
 */
export interface LiteLLMOptions extends ServiceTaskOptions {
  /**
   * Chat model providers outside Bedrock with an OpenAI-compatible API (for example a regional
   * model), served next to the Bedrock models as `<provider name>/<model>`. They are on the
   * internet, so they need egress.
   *
   * @default - Bedrock only
   */
  readonly providers?: OpenAICompatibleProvider[];

  /**
   * An Amazon Bedrock guardrail the proxy applies to what users send (chat messages, image
   * prompts, the text of documents sent for embedding), before any model sees it, and to what
   * chat models answer, before users see it. A refused message reaches no model, and the user
   * sees the guardrail's blocked message as the answer. The proxy's task role may call
   * `bedrock:ApplyGuardrail` on this guardrail only. For example `BedrockGuardrail.create()` (the
   * library's filters), or `BedrockGuardrail.fromGuardrailId({ guardrailId, guardrailVersion })`.
   *
   * @default - no guardrail
   */
  readonly guardrail?: BedrockGuardrail;
}

/**
 * Properties of a {@link LiteLLMService}.
 */
export interface LiteLLMServiceProps extends LiteLLMOptions, ChatServiceOptions {
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
   * The "Regions and default models" table of docs/models.md lists them per region.
   */
  readonly models?: BedrockModel[];

  /**
   * The subnets the tasks run in.
   *
   * @default - the VPC's private subnets (with egress if it has them, else isolated)
   */
  readonly taskSubnets?: ec2.SubnetSelection;

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
export class LiteLLMService extends ChatService {
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

  public readonly service: ecs.FargateService;
  public readonly taskDefinition: ecs.FargateTaskDefinition;
  public readonly logGroup: logs.ILogGroup;
  public readonly connections: ec2.Connections;

  /** The task role, which may invoke the configured models. */
  public readonly grantPrincipal: iam.IPrincipal;

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

  /** The providers outside Bedrock the proxy serves. */
  public readonly providers: OpenAICompatibleProvider[];

  /**
   * The guardrail the proxy applies: its id, version and ARN.
   *
   * @default - undefined: the proxy applies no guardrail
   */
  public readonly guardrail?: BedrockGuardrailConfig;

  constructor(scope: Construct, id: string, props: LiteLLMServiceProps) {
    super(scope, id);
    const name = (prop: string) => propName(props, prop);
    validateModelList(name('models'), props.models);
    const task = createServiceTask(this, {
      construct: 'LiteLLMService',
      names: { cpu: name('cpu'), memoryLimitMiB: name('memoryLimitMiB'), egress: name('egress'), image: name('image') },
      cpu: props.cpu,
      memoryLimitMiB: props.memoryLimitMiB,
      defaults: LITELLM_TASK,
      minMemoryLimitMiB: 1024,
      cpuArchitecture: props.cpuArchitecture,
      logRetention: props.logRetention,
      image: props.image,
      upstreamImage: LiteLLMService.DEFAULT_IMAGE,
      egress: props.egress,
    });
    this.taskDefinition = task.taskDefinition;
    this.logGroup = task.logGroup;
    this.grantPrincipal = this.taskDefinition.taskRole;
    const range = props.scaling !== undefined ? taskRange(name('scaling'), props.scaling) : undefined;

    const hasEgress = (props.egress ?? InternetEgress.NONE) !== InternetEgress.NONE;
    const defaults = props.models === undefined ? defaultModels(Stack.of(this).region, hasEgress, name('egress')) : undefined;
    this.models = props.models ?? defaults!.models;
    validateModels(this, this.models, hasEgress, { models: name('models'), egress: name('egress') }, defaults?.noImageReason);
    this.providers = props.providers ?? [];
    validateProviders({ providers: name('providers'), egress: name('egress') }, this.providers, this.models, hasEgress);

    this.guardrail = props.guardrail?.bind(this);
    const proxy = addLiteLLMContainer(this, task, { models: this.models, providers: this.providers, hasEgress, guardrail: this.guardrail });
    this.masterKey = proxy.masterKey;
    this.configBucket = proxy.configBucket;
    this.configObjectKey = proxy.configObjectKey;

    const vpc = props.cluster.vpc;
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
      desiredCount: range?.minTasks ?? 1,
      vpcSubnets: props.taskSubnets ?? defaultTaskSubnets(vpc),
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
    this.service.node.addDependency(...proxy.startsAfter);
    const scaling = props.scaling !== undefined ? { scaling: props.scaling, range: range! } : undefined;
    const finished = finishService(task, this.service, LITELLM_PORT, scaling);
    this.connections = finished.connections;
    this._taskCount = finished.taskCount;
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

  /**
   * The messages and answers the guardrail checked (sum per 5 minutes; AWS/Bedrock/Guardrails
   * `Invocations` of the applied version). Throws if the proxy applies no guardrail.
   */
  public metricGuardrailChecks(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return guardrailMetric(this.appliedGuardrail('metricGuardrailChecks'), 'Invocations', props);
  }

  /**
   * The messages and answers the guardrail refused or masked (sum per 5 minutes;
   * AWS/Bedrock/Guardrails `InvocationsIntervened` of the applied version). Throws if the proxy
   * applies no guardrail.
   */
  public metricGuardrailInterventions(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return guardrailMetric(this.appliedGuardrail('metricGuardrailInterventions'), 'InvocationsIntervened', props);
  }

  private appliedGuardrail(method: string): BedrockGuardrailConfig {
    if (this.guardrail === undefined) {
      throw new Error(`${method}() needs a guardrail, and this LiteLLM service applies none; set guardrail (for example BedrockGuardrail.create())`);
    }
    return this.guardrail;
  }

  private served(model: BedrockModel): BedrockModel {
    if (!this.models.includes(model)) {
      throw new Error(`model is '${model.displayName}', which this LiteLLM service does not serve; served models: ${this.models.map((m) => m.displayName).join(', ')}`);
    }
    return model;
  }
}
