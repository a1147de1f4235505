import { Arn, ArnFormat, Aws, Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { CATALOG, CATALOG_CHECKED_ON, isPastEndOfLife } from './private/catalog-data';

/**
 * What a Bedrock model is used for in the chat app.
 */
export enum BedrockModelKind {
  /** A text (and possibly vision) model served through `/v1/chat/completions`. */
  CHAT = 'CHAT',
  /** A text-to-image model served through `/v1/images/generations`. */
  IMAGE = 'IMAGE',
  /** A text embedding model served through `/v1/embeddings` (used by Open WebUI for RAG). */
  EMBEDDING = 'EMBEDDING',
}

/**
 * How a model is addressed when it is invoked.
 */
export enum BedrockModelAccess {
  /** On-demand invocation of a foundation model in one region. */
  FOUNDATION_MODEL = 'FOUNDATION_MODEL',
  /** A system-defined cross-region inference profile (`us.`, `eu.`, `apac.` prefixes). */
  GEOGRAPHIC_INFERENCE_PROFILE = 'GEOGRAPHIC_INFERENCE_PROFILE',
  /** The global cross-region inference profile (`global.` prefix). */
  GLOBAL_INFERENCE_PROFILE = 'GLOBAL_INFERENCE_PROFILE',
  /** An application inference profile created in your account (for cost allocation tags), by ARN. */
  APPLICATION_INFERENCE_PROFILE = 'APPLICATION_INFERENCE_PROFILE',
  /** Provisioned Throughput bought for a base or custom model, by ARN. */
  PROVISIONED_THROUGHPUT = 'PROVISIONED_THROUGHPUT',
  /** A custom (fine-tuned or imported) model or its on-demand deployment, by ARN. */
  CUSTOM_MODEL = 'CUSTOM_MODEL',
}

/**
 * The Bedrock lifecycle status of a model in the catalog.
 *
 * Bedrock moves models from Active to Legacy (closed to new customers, with an end-of-life date)
 * and then to end of life, after which calls fail. `GetFoundationModel` returns the current status.
 */
export enum BedrockModelLifecycle {
  /** The model provider is actively working on this version. */
  ACTIVE = 'ACTIVE',
  /** Closed to new customers; calls fail after the model's end-of-life date. */
  LEGACY = 'LEGACY',
  /** Past its end-of-life date (as of the catalog's checked date): Bedrock rejects calls. */
  END_OF_LIFE = 'END_OF_LIFE',
}

/**
 * Options for a model taken from the catalog or created with a factory.
 */
export interface BedrockModelOptions {
  /**
   * The name users see in Open WebUI (the LiteLLM `model_name`).
   *
   * Lowercase letters, digits, dots, dashes and underscores.
   *
   * @default - derived from the model id, for example `amazon.titan-embed-text-v2:0` becomes `titan-embed-text-v2`
   */
  readonly displayName?: string;

  /**
   * The region the model is invoked in.
   *
   * Set it only for a model that is not served in the stack's region. Without egress from the
   * VPC, a model in another region cannot be reached (VPC endpoints reach their own region only).
   *
   * @default - the stack's region (for a model given by ARN, the ARN's region)
   */
  readonly region?: string;
}

/**
 * Properties of a model for {@link BedrockModel.foundationModel}.
 */
export interface FoundationModelProps extends BedrockModelOptions {
  /**
   * The Bedrock model id, for example `amazon.nova-pro-v1:0`.
   */
  readonly modelId: string;

  /**
   * What the model is used for.
   */
  readonly kind: BedrockModelKind;
}

/**
 * Properties of a model for {@link BedrockModel.inferenceProfile}.
 */
export interface InferenceProfileProps extends BedrockModelOptions {
  /**
   * The system-defined inference profile id, for example `us.anthropic.claude-sonnet-4-5-20250929-v1:0`
   * or `global.anthropic.claude-haiku-4-5-20251001-v1:0`.
   */
  readonly profileId: string;

  /**
   * What the model is used for.
   */
  readonly kind: BedrockModelKind;

  /**
   * The regions the profile routes requests to. The task role is allowed to invoke the
   * foundation model in each of them. Ignored for a `global.` profile, which may route to any
   * commercial region.
   *
   * @default - required for a geographic profile; none for a global profile
   */
  readonly destinationRegions?: string[];
}

/**
 * Properties shared by the models given by ARN.
 */
export interface BedrockModelArnProps extends BedrockModelOptions {
  /**
   * The id of the foundation model behind the ARN, for example `amazon.nova-pro-v1:0`.
   *
   * LiteLLM picks the request format from it (it becomes `model: bedrock/<baseModelId>`, and the
   * ARN becomes `model_id`), and the task role may invoke this model where the ARN needs it.
   */
  readonly baseModelId: string;

  /**
   * What the model is used for.
   */
  readonly kind: BedrockModelKind;
}

/**
 * Properties of a model for {@link BedrockModel.applicationInferenceProfile}.
 */
export interface ApplicationInferenceProfileProps extends BedrockModelArnProps {
  /**
   * The ARN of the application inference profile, for example
   * `arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/abc123def456`.
   */
  readonly profileArn: string;

  /**
   * The regions the profile routes to: its own region for a profile copied from a foundation
   * model, the destination regions for one copied from a cross-region profile.
   *
   * @default - the profile's region
   */
  readonly destinationRegions?: string[];
}

/**
 * Properties of a model for {@link BedrockModel.provisionedThroughput}.
 */
export interface ProvisionedThroughputProps extends BedrockModelArnProps {
  /**
   * The ARN of the Provisioned Throughput, for example
   * `arn:aws:bedrock:us-east-1:111122223333:provisioned-model/abc123def456`.
   */
  readonly provisionedModelArn: string;
}

/**
 * Properties of a model for {@link BedrockModel.customModel}.
 */
export interface CustomModelProps extends BedrockModelArnProps {
  /**
   * The ARN of the custom model or of its on-demand deployment, for example
   * `arn:aws:bedrock:us-east-1:111122223333:custom-model-deployment/abc123def456`.
   */
  readonly customModelArn: string;
}

const GEOGRAPHIC_PREFIXES = ['us', 'eu', 'apac', 'us-gov', 'ca', 'jp', 'au'];
const MODEL_ID_PATTERN = /^[a-z0-9-]+\.[a-zA-Z0-9.:_-]+$/;
const DISPLAY_NAME_PATTERN = /^[a-z0-9][a-z0-9._-]{0,62}$/;
const REGION_PATTERN = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;
const ARN_PATTERN = /^arn:aws[a-z-]*:bedrock:([a-z0-9-]+):(\d{12}):([a-z-]+)\/([A-Za-z0-9.:_/-]+)$/;

/**
 * An Amazon Bedrock model that the LiteLLM proxy serves to Open WebUI.
 *
 * Take one from the catalog (`BedrockModel.ANTHROPIC_CLAUDE_HAIKU_4_5_GLOBAL`) or create one
 * with a factory: `foundationModel`, `inferenceProfile`, `applicationInferenceProfile`,
 * `provisionedThroughput` or `customModel`. `withOptions` returns a copy with another display
 * name or region.
 *
 * The catalog's regions and lifecycle data were checked against the Bedrock user guide on the
 * date in `lifecycleCheckedOn`; Bedrock changes them over time, so `GetFoundationModel` is the
 * source of truth.
 */
export class BedrockModel {
  // ---- Image models ----
  // The rows behind these members (ids, regions, lifecycle, dates) are in src/private/catalog-data.ts.

  /**
   * Stability AI Stable Image Core v1.1, served from us-west-2 only.
   *
   * The default image model where it is reachable (a stack in us-west-2, or any region with
   * internet egress): Active, fast, and the lowest-cost Stability model.
   */
  public static readonly STABILITY_STABLE_IMAGE_CORE_V1_1 = BedrockModel.fromCatalog('STABILITY_STABLE_IMAGE_CORE_V1_1');

  /**
   * Stability AI Stable Image Ultra v1.1, served from us-west-2 only: the highest-quality Stability model.
   */
  public static readonly STABILITY_STABLE_IMAGE_ULTRA_V1_1 = BedrockModel.fromCatalog('STABILITY_STABLE_IMAGE_ULTRA_V1_1');

  /**
   * Stability AI Stable Diffusion 3.5 Large, served from us-west-2 only.
   */
  public static readonly STABILITY_SD3_5_LARGE_V1 = BedrockModel.fromCatalog('STABILITY_SD3_5_LARGE_V1');

  /**
   * Amazon Nova Canvas v1 (us-east-1, eu-west-1, ap-northeast-1): past its end of life (2026-09-30).
   *
   * @deprecated Bedrock rejects calls to it since its end of life on 2026-09-30; use `STABILITY_STABLE_IMAGE_CORE_V1_1`.
   */
  public static readonly AMAZON_NOVA_CANVAS_V1 = BedrockModel.fromCatalog('AMAZON_NOVA_CANVAS_V1');

  /**
   * Amazon Titan Image Generator v2 (us-east-1, us-west-2): past its end of life (2026-06-30).
   *
   * @deprecated Bedrock rejects calls to it since its end of life on 2026-06-30; use `STABILITY_STABLE_IMAGE_CORE_V1_1`.
   */
  public static readonly AMAZON_TITAN_IMAGE_GENERATOR_V2 = BedrockModel.fromCatalog('AMAZON_TITAN_IMAGE_GENERATOR_V2');

  // ---- Chat models ----

  /**
   * Anthropic Claude Haiku 4.5 through the global cross-region inference profile.
   *
   * The default chat model: fast and low-cost, and the global profile can be called from any
   * commercial region, so the default works whatever region the stack is deployed to. Anthropic
   * names Haiku 5.5 its current Haiku; Bedrock's model card lists Haiku 4.5 as Active (read 2026-12-03).
   */
  public static readonly ANTHROPIC_CLAUDE_HAIKU_4_5_GLOBAL = BedrockModel.fromCatalog('ANTHROPIC_CLAUDE_HAIKU_4_5_GLOBAL');

  /**
   * Anthropic Claude Sonnet 5 through the global cross-region inference profile.
   *
   * More capable than Haiku 4.5 at twice its price per token; Anthropic's models need the
   * account's one-time use-case form before the first call.
   */
  public static readonly ANTHROPIC_CLAUDE_SONNET_5_GLOBAL = BedrockModel.fromCatalog('ANTHROPIC_CLAUDE_SONNET_5_GLOBAL');

  /**
   * Anthropic Claude Sonnet 4.6 through the global cross-region inference profile.
   */
  public static readonly ANTHROPIC_CLAUDE_SONNET_4_6_GLOBAL = BedrockModel.fromCatalog('ANTHROPIC_CLAUDE_SONNET_4_6_GLOBAL');

  /**
   * Anthropic Claude Opus 4.8 through the global cross-region inference profile: the most capable Claude model.
   */
  public static readonly ANTHROPIC_CLAUDE_OPUS_4_8_GLOBAL = BedrockModel.fromCatalog('ANTHROPIC_CLAUDE_OPUS_4_8_GLOBAL');

  /**
   * Anthropic Claude Sonnet 4.5 through the global cross-region inference profile.
   *
   * Legacy, with end of life on 2027-04-08: a stack that serves it gets a warning. Move to
   * `ANTHROPIC_CLAUDE_SONNET_4_6_GLOBAL`.
   */
  public static readonly ANTHROPIC_CLAUDE_SONNET_4_5_GLOBAL = BedrockModel.fromCatalog('ANTHROPIC_CLAUDE_SONNET_4_5_GLOBAL');

  /**
   * Anthropic Claude Opus 4.5 through the global cross-region inference profile.
   */
  public static readonly ANTHROPIC_CLAUDE_OPUS_4_5_GLOBAL = BedrockModel.fromCatalog('ANTHROPIC_CLAUDE_OPUS_4_5_GLOBAL');

  /**
   * Anthropic Claude 3.5 Sonnet v2 through the US cross-region inference profile: past its end of life (2026-03-01).
   *
   * @deprecated Bedrock rejects calls to it since its end of life on 2026-03-01; use `ANTHROPIC_CLAUDE_SONNET_4_6_GLOBAL`.
   */
  public static readonly ANTHROPIC_CLAUDE_3_5_SONNET_V2_US = BedrockModel.fromCatalog('ANTHROPIC_CLAUDE_3_5_SONNET_V2_US');

  /**
   * Amazon Nova 2 Lite through the global cross-region inference profile: a fast, low-cost
   * multimodal model with reasoning.
   */
  public static readonly AMAZON_NOVA_2_LITE_GLOBAL = BedrockModel.fromCatalog('AMAZON_NOVA_2_LITE_GLOBAL');

  /**
   * Amazon Nova Pro v1, on demand in the stack's region.
   */
  public static readonly AMAZON_NOVA_PRO_V1 = BedrockModel.fromCatalog('AMAZON_NOVA_PRO_V1');

  /**
   * Amazon Nova Lite v1, on demand in the stack's region.
   */
  public static readonly AMAZON_NOVA_LITE_V1 = BedrockModel.fromCatalog('AMAZON_NOVA_LITE_V1');

  /**
   * OpenAI gpt-oss-120b (open weights), on demand in the stack's region.
   */
  public static readonly OPENAI_GPT_OSS_120B = BedrockModel.fromCatalog('OPENAI_GPT_OSS_120B');

  /**
   * DeepSeek V3.2 (open weights) through the US cross-region inference profile.
   */
  public static readonly DEEPSEEK_V3_2_US = BedrockModel.fromCatalog('DEEPSEEK_V3_2_US');

  /**
   * Meta Llama 4 Maverick 17B Instruct (open weights) through the US cross-region inference profile.
   *
   * Legacy, with end of life on 2027-03-30: a stack that serves it gets a warning. Move to
   * `OPENAI_GPT_OSS_120B` or another Active model.
   */
  public static readonly META_LLAMA_4_MAVERICK_US = BedrockModel.fromCatalog('META_LLAMA_4_MAVERICK_US');

  // ---- Embedding models ----

  /**
   * Amazon Titan Text Embeddings v2 (1024 dimensions), in the stack's region.
   *
   * The default embedding model; Open WebUI uses it for document retrieval (RAG) so that it
   * never downloads an embedding model from the internet.
   */
  public static readonly AMAZON_TITAN_EMBED_TEXT_V2 = BedrockModel.fromCatalog('AMAZON_TITAN_EMBED_TEXT_V2');

  /**
   * Amazon Nova 2 Multimodal Embeddings, in us-east-1, asked for 1024-dimension vectors.
   *
   * Open WebUI embeds the text of documents with it; its default of 3072 dimensions is more than
   * pgvector can index, so LiteLLM requests 1024.
   */
  public static readonly AMAZON_NOVA_2_MULTIMODAL_EMBEDDINGS_V1 = BedrockModel.fromCatalog('AMAZON_NOVA_2_MULTIMODAL_EMBEDDINGS_V1');

  /**
   * A foundation model invoked on demand by its model id.
   *
   * @example
   * import { BedrockModel, BedrockModelKind } from 'cdk-bedrock-image-chat';
   *
   * const novaPro = BedrockModel.foundationModel({ modelId: 'amazon.nova-pro-v1:0', kind: BedrockModelKind.CHAT });
   */
  public static foundationModel(props: FoundationModelProps): BedrockModel {
    validateModelId('modelId', props.modelId);
    if (!Token.isUnresolved(props.modelId) && profilePrefixOf(props.modelId) !== undefined) {
      throw new Error(
        `modelId is '${props.modelId}', which is an inference profile id; use BedrockModel.inferenceProfile({ profileId: '${props.modelId}', ... }) instead`,
      );
    }
    return new BedrockModel({
      access: BedrockModelAccess.FOUNDATION_MODEL,
      modelId: props.modelId,
      foundationModelId: props.modelId,
      kind: props.kind,
      displayName: props.displayName,
      region: props.region,
    });
  }

  /**
   * A model invoked through a system-defined cross-region inference profile.
   *
   * Newer models (recent Claude models among them) can only be invoked on demand through an
   * inference profile; calling their base id fails with "on-demand throughput isn't supported".
   */
  public static inferenceProfile(props: InferenceProfileProps): BedrockModel {
    validateModelId('profileId', props.profileId);
    if (Token.isUnresolved(props.profileId)) {
      throw new Error(
        'profileId is a token; the profile id must be known at synth time to tell a global profile from a geographic one and to name the model behind it. Use BedrockModel.applicationInferenceProfile for a profile whose ARN is only known at deploy time',
      );
    }
    const prefix = profilePrefixOf(props.profileId);
    if (prefix === undefined) {
      throw new Error(
        `profileId is '${props.profileId}', which has no inference profile prefix; use one of global., ${GEOGRAPHIC_PREFIXES.join('., ')}. or BedrockModel.foundationModel for a plain model id`,
      );
    }
    const isGlobal = prefix === 'global';
    const destinationRegions = isGlobal ? [] : props.destinationRegions ?? [];
    if (!isGlobal && destinationRegions.length === 0) {
      throw new Error(
        `destinationRegions is empty for the geographic profile '${props.profileId}'; list the regions it routes to (for a us. profile, for example ['us-east-1', 'us-east-2', 'us-west-2'])`,
      );
    }
    destinationRegions.forEach((r) => validateRegion('destinationRegions', r));
    return new BedrockModel({
      access: isGlobal ? BedrockModelAccess.GLOBAL_INFERENCE_PROFILE : BedrockModelAccess.GEOGRAPHIC_INFERENCE_PROFILE,
      modelId: props.profileId,
      foundationModelId: props.profileId.substring(prefix.length + 1),
      kind: props.kind,
      displayName: props.displayName,
      region: props.region,
      destinationRegions,
    });
  }

  /**
   * A model invoked through an application inference profile, by ARN.
   *
   * LiteLLM is configured with `model: bedrock/<baseModelId>` and `model_id: <profileArn>`. The
   * task role may invoke the profile and the base model in each destination region.
   */
  public static applicationInferenceProfile(props: ApplicationInferenceProfileProps): BedrockModel {
    const arnRegion = validateArn('profileArn', props.profileArn, 'application-inference-profile');
    (props.destinationRegions ?? []).forEach((r) => validateRegion('destinationRegions', r));
    return BedrockModel.fromArn(BedrockModelAccess.APPLICATION_INFERENCE_PROFILE, props.profileArn, arnRegion, props, 'profile', props.destinationRegions);
  }

  /**
   * A model invoked through Provisioned Throughput, by ARN.
   *
   * LiteLLM is configured with `model: bedrock/<baseModelId>` and `model_id: <provisionedModelArn>`.
   * The task role may invoke that Provisioned Throughput only.
   */
  public static provisionedThroughput(props: ProvisionedThroughputProps): BedrockModel {
    const arnRegion = validateArn('provisionedModelArn', props.provisionedModelArn, 'provisioned-model');
    return BedrockModel.fromArn(BedrockModelAccess.PROVISIONED_THROUGHPUT, props.provisionedModelArn, arnRegion, props, 'provisioned');
  }

  /**
   * A custom (fine-tuned or imported) model or its on-demand deployment, by ARN.
   *
   * LiteLLM is configured with `model: bedrock/<baseModelId>` and `model_id: <customModelArn>`.
   * The task role may invoke that ARN only.
   */
  public static customModel(props: CustomModelProps): BedrockModel {
    const arnRegion = validateArn('customModelArn', props.customModelArn, 'custom-model', 'custom-model-deployment', 'imported-model');
    return BedrockModel.fromArn(BedrockModelAccess.CUSTOM_MODEL, props.customModelArn, arnRegion, props, 'custom');
  }

  private static fromArn(
    access: BedrockModelAccess,
    arn: string,
    arnRegion: string | undefined,
    props: BedrockModelArnProps,
    nameSuffix: string,
    destinationRegions?: string[],
  ): BedrockModel {
    validateModelId('baseModelId', props.baseModelId);
    const base = Token.isUnresolved(props.baseModelId) ? props.baseModelId : stripProfilePrefix(props.baseModelId);
    if (props.region !== undefined && arnRegion !== undefined && !Token.isUnresolved(props.region) && props.region !== arnRegion) {
      throw new Error(`region is '${props.region}', but the ARN '${arn}' is in ${arnRegion}; leave region out or make them match`);
    }
    return new BedrockModel({
      access,
      modelId: arn,
      foundationModelId: base,
      kind: props.kind,
      displayName: props.displayName ?? (Token.isUnresolved(base) ? undefined : `${defaultDisplayName(base)}-${nameSuffix}`),
      region: props.region ?? arnRegion,
      destinationRegions: destinationRegions ?? [],
      arn,
    });
  }

  private static fromCatalog(member: string): BedrockModel {
    const row = CATALOG[member];
    return new BedrockModel({
      access: BedrockModelAccess[row.access],
      modelId: row.modelId,
      foundationModelId: stripProfilePrefix(row.modelId),
      kind: BedrockModelKind[row.kind],
      displayName: row.displayName,
      region: row.fixedRegion,
      regions: row.regions,
      destinationRegions: row.destinationRegions,
      lifecycle: isPastEndOfLife(row) ? BedrockModelLifecycle.END_OF_LIFE : BedrockModelLifecycle[row.lifecycle],
      endOfLifeDate: row.endOfLifeDate,
      lifecycleCheckedOn: CATALOG_CHECKED_ON,
      successor: row.successor,
    });
  }

  /** How the model is addressed. */
  public readonly access: BedrockModelAccess;

  /** The id or ARN passed to Bedrock: a model id, an inference profile id, or an ARN. */
  public readonly modelId: string;

  /** The id of the foundation model behind the model id (the same as `modelId` for a foundation model). */
  public readonly foundationModelId: string;

  /** What the model is used for. */
  public readonly kind: BedrockModelKind;

  /** The name users see in Open WebUI (the LiteLLM `model_name`). */
  public readonly displayName: string;

  /**
   * The region the model is invoked in.
   *
   * @default - the stack's region
   */
  public readonly region?: string;

  /** The regions an inference profile routes to; empty for a single-region model and for a global profile. */
  public readonly destinationRegions: string[];

  /**
   * The regions the catalog lists as serving this model (as of `lifecycleCheckedOn`).
   *
   * Empty for a global profile (callable from any commercial region) and for a model created
   * with a factory (unknown).
   */
  public readonly regions: string[];

  /**
   * The Bedrock lifecycle status (as of `lifecycleCheckedOn`).
   *
   * @default - not recorded (a model created with a factory)
   */
  public readonly lifecycle?: BedrockModelLifecycle;

  /**
   * The end-of-life date of a Legacy model (YYYY-MM-DD), after which Bedrock rejects calls.
   *
   * @default - none announced
   */
  public readonly endOfLifeDate?: string;

  /**
   * The date (YYYY-MM-DD) the catalog's region and lifecycle data for this model were checked.
   *
   * @default - not recorded (a model created with a factory)
   */
  public readonly lifecycleCheckedOn?: string;

  /**
   * The ARN Bedrock is called with, for a model given by ARN: a Provisioned Throughput, a custom
   * model deployment or an application inference profile (`foundationModelId` is then its base
   * model).
   *
   * @default - none: the model is called by `modelId`
   */
  public readonly modelArn?: string;

  /** The catalog member to move to, for a Legacy or retired catalog model. @internal */
  public readonly _successor?: string;

  /** The vector length of a catalog embedding model. @internal */
  public readonly _embeddingDimensions?: number;

  /** The vector length LiteLLM asks a catalog embedding model for (`dimensions`). @internal */
  public readonly _requestedDimensions?: number;

  private constructor(props: {
    access: BedrockModelAccess;
    modelId: string;
    foundationModelId: string;
    kind: BedrockModelKind;
    displayName?: string;
    region?: string;
    destinationRegions?: string[];
    regions?: string[];
    lifecycle?: BedrockModelLifecycle;
    endOfLifeDate?: string;
    lifecycleCheckedOn?: string;
    arn?: string;
    successor?: string;
  }) {
    // A JavaScript caller can leave the kind out or misspell it; LiteLLM would then serve the
    // model with no mode.
    if (!(Object.values(BedrockModelKind) as string[]).includes(props.kind)) {
      throw new Error(`kind is ${JSON.stringify(props.kind)}, not a member of BedrockModelKind; use ${Object.keys(BedrockModelKind).map((k) => `BedrockModelKind.${k}`).join(', ')}`);
    }
    this.access = props.access;
    this.modelId = props.modelId;
    this.foundationModelId = props.foundationModelId;
    this.kind = props.kind;
    if (props.displayName === undefined && Token.isUnresolved(props.foundationModelId)) {
      throw new Error('displayName is required when the model id is a token, because the name users see cannot be derived from it at synth time');
    }
    this.displayName = props.displayName ?? defaultDisplayName(props.foundationModelId);
    this.region = props.region;
    this.destinationRegions = props.destinationRegions ?? [];
    this.regions = props.regions ?? [];
    this.lifecycle = props.lifecycle;
    this.endOfLifeDate = props.endOfLifeDate;
    this.lifecycleCheckedOn = props.lifecycleCheckedOn;
    this.modelArn = props.arn;
    this._successor = props.successor;
    // The vector lengths are facts of the foundation model: a model made with a factory (a
    // profile, an ARN) of a catalog embedding model gets the catalog's, like the member itself.
    const row = Token.isUnresolved(props.foundationModelId)
      ? undefined
      : Object.values(CATALOG).find((r) => stripProfilePrefix(r.modelId) === props.foundationModelId);
    this._embeddingDimensions = row?.embeddingDimensions;
    this._requestedDimensions = row?.requestedDimensions;
    validateDisplayName(this.displayName);
    if (this.region !== undefined) {
      validateRegion('region', this.region);
    }
  }

  /**
   * A copy of this model with another display name or region.
   */
  public withOptions(options: BedrockModelOptions): BedrockModel {
    return new BedrockModel({
      access: this.access,
      modelId: this.modelId,
      foundationModelId: this.foundationModelId,
      kind: this.kind,
      displayName: options.displayName ?? this.displayName,
      region: options.region ?? this.region,
      destinationRegions: this.destinationRegions,
      regions: this.regions,
      lifecycle: this.lifecycle,
      endOfLifeDate: this.endOfLifeDate,
      lifecycleCheckedOn: this.lifecycleCheckedOn,
      arn: this.modelArn,
      successor: this._successor,
    });
  }

  /**
   * The IAM resource ARNs that `bedrock:InvokeModel` needs for this model, as seen from `scope`'s stack.
   *
   * Never a wildcard: foundation-model ARNs for the model's region (and every destination region
   * of a profile), the inference profile's ARN, or the ARN the model was given by.
   */
  public invokeResourceArns(scope: IConstruct): string[] {
    const stack = Stack.of(scope);
    const region = this.region ?? stack.region;
    const foundationModelArn = (r: string) => `arn:${Aws.PARTITION}:bedrock:${r}::foundation-model/${this.foundationModelId}`;
    switch (this.access) {
      case BedrockModelAccess.FOUNDATION_MODEL:
        return [foundationModelArn(region)];
      case BedrockModelAccess.GEOGRAPHIC_INFERENCE_PROFILE:
        return [profileArn(stack, region, this.modelId), ...unique([region, ...this.destinationRegions]).map(foundationModelArn)];
      case BedrockModelAccess.GLOBAL_INFERENCE_PROFILE:
        // A global profile may route to any commercial region; AWS documents the region-less
        // foundation-model ARN for it in addition to the source region's ARNs.
        return [profileArn(stack, region, this.modelId), foundationModelArn(region), foundationModelArn('')];
      case BedrockModelAccess.APPLICATION_INFERENCE_PROFILE:
        return [this.modelId, ...unique([region, ...this.destinationRegions]).map(foundationModelArn)];
      case BedrockModelAccess.PROVISIONED_THROUGHPUT:
      case BedrockModelAccess.CUSTOM_MODEL:
        return [this.modelId];
      default:
        throw new Error(`unknown model access ${this.access}`);
    }
  }
}

function profileArn(stack: Stack, region: string, profileId: string): string {
  return Arn.format(
    { service: 'bedrock', region, resource: 'inference-profile', resourceName: profileId, arnFormat: ArnFormat.SLASH_RESOURCE_NAME },
    stack,
  );
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

function profilePrefixOf(id: string): string | undefined {
  const prefix = id.split('.')[0];
  return prefix === 'global' || GEOGRAPHIC_PREFIXES.includes(prefix) ? prefix : undefined;
}

function stripProfilePrefix(id: string): string {
  const prefix = profilePrefixOf(id);
  return prefix === undefined ? id : id.substring(prefix.length + 1);
}

function defaultDisplayName(foundationModelId: string): string {
  // amazon.titan-embed-text-v2:0 -> titan-embed-text-v2
  const withoutProvider = foundationModelId.substring(foundationModelId.indexOf('.') + 1);
  return withoutProvider.replace(/:\d+$/, '').toLowerCase().replace(/[^a-z0-9._-]/g, '-');
}

function validateModelId(prop: string, id: string): void {
  // A token (a deploy-time value) is never rejected: it reaches LiteLLM through the task's
  // environment (see renderLiteLLMConfig).
  if (!Token.isUnresolved(id) && !MODEL_ID_PATTERN.test(id)) {
    throw new Error(`${prop} is '${id}', which is not a Bedrock model id; expected a form like 'amazon.nova-pro-v1:0'`);
  }
}

/** Checks a Bedrock ARN of one of the given resource types; returns its region when known. */
function validateArn(prop: string, arn: string, ...resourceTypes: string[]): string | undefined {
  if (Token.isUnresolved(arn)) {
    return undefined;
  }
  const match = ARN_PATTERN.exec(arn);
  if (!match || !resourceTypes.includes(match[3])) {
    throw new Error(
      `${prop} is '${arn}', which is not a Bedrock ${resourceTypes.join(' or ')} ARN; expected a form like 'arn:aws:bedrock:us-east-1:111122223333:${resourceTypes[0]}/abc123def456'`,
    );
  }
  validateRegion(prop, match[1]);
  return match[1];
}

function validateDisplayName(name: string): void {
  if (!Token.isUnresolved(name) && !DISPLAY_NAME_PATTERN.test(name)) {
    throw new Error(
      `displayName is '${name}'; use 1-63 lowercase letters, digits, dots, dashes or underscores, starting with a letter or digit`,
    );
  }
}

function validateRegion(prop: string, region: string): void {
  if (!Token.isUnresolved(region) && !REGION_PATTERN.test(region)) {
    throw new Error(`${prop} is '${region}', which is not an AWS region name; expected a form like 'us-west-2'`);
  }
}
