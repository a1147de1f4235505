import { Arn, ArnFormat, Aws, Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

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
   * @default - the stack's region
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

const PROFILE_PREFIXES = ['us', 'eu', 'apac', 'us-gov', 'ca', 'jp', 'au'];
const MODEL_ID_PATTERN = /^[a-z0-9-]+\.[a-zA-Z0-9.:_-]+$/;
const DISPLAY_NAME_PATTERN = /^[a-z0-9][a-z0-9._-]{0,62}$/;
const REGION_PATTERN = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;

/**
 * An Amazon Bedrock model that the LiteLLM proxy serves to Open WebUI.
 *
 * Take one from the catalog (`BedrockModel.ANTHROPIC_CLAUDE_HAIKU_4_5_GLOBAL`) or create one
 * with a factory (`BedrockModel.foundationModel(...)`, `BedrockModel.inferenceProfile(...)`).
 * `withOptions` returns a copy with another display name or region.
 */
export class BedrockModel {
  /**
   * Anthropic Claude Haiku 4.5 through the global cross-region inference profile.
   *
   * The default chat model: fast and low-cost, and the global profile can be called from any
   * commercial region, so the default works whatever region the stack is deployed to.
   */
  public static readonly ANTHROPIC_CLAUDE_HAIKU_4_5_GLOBAL = BedrockModel.inferenceProfile({
    profileId: 'global.anthropic.claude-haiku-4-5-20251001-v1:0',
    kind: BedrockModelKind.CHAT,
    displayName: 'claude-haiku-4.5',
  });

  /**
   * Stability AI Stable Image Core v1.1, served from us-west-2.
   *
   * The default image model: Active, and the lowest-cost Stability model. Amazon Nova Canvas and
   * Titan Image Generator v2 are Legacy with 2026 end-of-life dates and are never the default.
   */
  public static readonly STABILITY_STABLE_IMAGE_CORE_V1_1 = BedrockModel.foundationModel({
    modelId: 'stability.stable-image-core-v1:1',
    kind: BedrockModelKind.IMAGE,
    displayName: 'stable-image-core',
    region: 'us-west-2',
  });

  /**
   * Amazon Titan Text Embeddings v2, in the stack's region.
   *
   * The default embedding model; Open WebUI uses it for document retrieval (RAG) so that it
   * never downloads an embedding model from the internet.
   */
  public static readonly AMAZON_TITAN_EMBED_TEXT_V2 = BedrockModel.foundationModel({
    modelId: 'amazon.titan-embed-text-v2:0',
    kind: BedrockModelKind.EMBEDDING,
    displayName: 'titan-embed-text-v2',
  });

  /**
   * A foundation model invoked on demand by its model id.
   *
   * @example BedrockModel.foundationModel({ modelId: 'amazon.nova-pro-v1:0', kind: BedrockModelKind.CHAT })
   */
  public static foundationModel(props: FoundationModelProps): BedrockModel {
    validateModelId('modelId', props.modelId);
    const prefix = props.modelId.split('.')[0];
    if (PROFILE_PREFIXES.includes(prefix) || prefix === 'global') {
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
      destinationRegions: [],
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
    const [prefix, ...rest] = props.profileId.split('.');
    const isGlobal = prefix === 'global';
    if (!isGlobal && !PROFILE_PREFIXES.includes(prefix)) {
      throw new Error(
        `profileId is '${props.profileId}', which has no inference profile prefix; use one of global., ${PROFILE_PREFIXES.join('., ')}. or BedrockModel.foundationModel for a plain model id`,
      );
    }
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
      foundationModelId: rest.join('.'),
      kind: props.kind,
      displayName: props.displayName,
      region: props.region,
      destinationRegions,
    });
  }

  /** How the model is addressed. */
  public readonly access: BedrockModelAccess;

  /** The id passed to Bedrock: a model id or an inference profile id. */
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

  /** The regions a geographic inference profile routes to; empty for other models. */
  public readonly destinationRegions: string[];

  /** The model string LiteLLM routes on, `bedrock/<model id>`. */
  public readonly litellmModel: string;

  private constructor(props: {
    access: BedrockModelAccess;
    modelId: string;
    foundationModelId: string;
    kind: BedrockModelKind;
    displayName?: string;
    region?: string;
    destinationRegions: string[];
  }) {
    this.access = props.access;
    this.modelId = props.modelId;
    this.foundationModelId = props.foundationModelId;
    this.kind = props.kind;
    this.displayName = props.displayName ?? defaultDisplayName(props.foundationModelId);
    this.region = props.region;
    this.destinationRegions = props.destinationRegions;
    this.litellmModel = `bedrock/${props.modelId}`;
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
    });
  }

  /**
   * The IAM resource ARNs that `bedrock:InvokeModel` needs for this model, as seen from `scope`'s stack.
   */
  public invokeResourceArns(scope: IConstruct): string[] {
    const stack = Stack.of(scope);
    const region = this.region ?? stack.region;
    const foundationModelArn = (r: string) => `arn:${Aws.PARTITION}:bedrock:${r}::foundation-model/${this.foundationModelId}`;
    switch (this.access) {
      case BedrockModelAccess.FOUNDATION_MODEL:
        return [foundationModelArn(region)];
      case BedrockModelAccess.GEOGRAPHIC_INFERENCE_PROFILE:
        return [
          profileArn(stack, region, this.modelId),
          ...unique([region, ...this.destinationRegions]).map(foundationModelArn),
        ];
      case BedrockModelAccess.GLOBAL_INFERENCE_PROFILE:
        // A global profile may route to any commercial region; AWS documents the region-less
        // foundation-model ARN for it in addition to the source region's ARNs.
        return [profileArn(stack, region, this.modelId), foundationModelArn(region), foundationModelArn('')];
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

function defaultDisplayName(foundationModelId: string): string {
  // amazon.titan-embed-text-v2:0 -> titan-embed-text-v2
  const withoutProvider = foundationModelId.substring(foundationModelId.indexOf('.') + 1);
  return withoutProvider.replace(/:\d+$/, '').toLowerCase().replace(/[^a-z0-9._-]/g, '-');
}

function validateModelId(prop: string, id: string): void {
  if (Token.isUnresolved(id)) {
    throw new Error(`${prop} is a token; a model id must be known at synth time because it is written into the LiteLLM configuration`);
  }
  if (!MODEL_ID_PATTERN.test(id)) {
    throw new Error(`${prop} is '${id}', which is not a Bedrock model id; expected a form like 'amazon.nova-pro-v1:0'`);
  }
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
