/**
 * The model catalog's data: one row per `BedrockModel` catalog member. Refreshing the catalog is a
 * change to this table (and, for a new row, one `public static readonly` line in
 * `bedrock-model.ts`); the model and region tables of docs/models.md are generated from it
 * (`npx projen docs:models`).
 *
 * Sources, checked on CATALOG_CHECKED_ON: the Bedrock user guide (model cards, "Regional
 * availability", "Supported cross-Region inference profiles"), the model lifecycle page, and the
 * model list and deprecation dates of the pinned LiteLLM release
 * (`litellm/model_prices_and_context_window_backup.json` of 1.110.2).
 *
 * The Claude 5 generation (checked 2026-12-03): Sonnet 5 is here, on Converse as its AWS model card
 * and AWS's launch post show. Opus 5, and Haiku, Sonnet and Opus 5.5 are not: the pinned LiteLLM
 * sends them to Converse, and no AWS page read says Bedrock serves them there (Anthropic documents
 * its newer models on the Messages API, and LiteLLM's map also lists the 5.5 models under its
 * separate `bedrock_mantle` provider). A row goes in once its model card lists the API LiteLLM calls.
 *
 * Facts that decide the region-aware defaults (see `default-models.ts`):
 * - Stability's text-to-image models (Stable Image Core and Ultra v1.1, SD3.5 Large) are served on
 *   demand in us-west-2 only. Bedrock's `us.stability.*` inference profiles exist only for
 *   Stability's image-editing services (upscale, inpaint, remove background, ...), not for these
 *   models: `us.stability.stable-image-core-v1:1` is rejected as an invalid model identifier.
 * - Nova Canvas v1 and Titan Image Generator v2, the image models of the other regions, are past
 *   their end of life. So no Active image model is reachable from outside us-west-2 without
 *   internet egress.
 */

/** The date (YYYY-MM-DD) the rows below were last checked. Lifecycle states are as of this date, never the wall clock. */
export const CATALOG_CHECKED_ON = '2026-12-03';

/**
 * A Bedrock runtime API, as a model card's "APIs supported" names it: `INVOKE` (InvokeModel and
 * InvokeModelWithResponseStream), `CONVERSE` (Converse and ConverseStream), `MESSAGES` (the
 * Anthropic Messages API) and `CHAT_COMPLETIONS` (the OpenAI-compatible API).
 */
export type BedrockApi = 'INVOKE' | 'CONVERSE' | 'MESSAGES' | 'CHAT_COMPLETIONS';

/** The Bedrock runtime API each route of the pinned LiteLLM calls (`BedrockModelInfo.get_bedrock_route`). */
export const API_OF_LITELLM_ROUTE: Record<string, BedrockApi> = {
  converse: 'CONVERSE',
  invoke: 'INVOKE',
  mantle: 'MESSAGES',
  chat_completions: 'CHAT_COMPLETIONS',
};

/** How a catalog model is invoked. */
export type CatalogAccess = 'FOUNDATION_MODEL' | 'GEOGRAPHIC_INFERENCE_PROFILE' | 'GLOBAL_INFERENCE_PROFILE';

/** One catalog model. */
export interface CatalogEntry {
  /** The model's name as its provider writes it. */
  readonly name: string;
  readonly kind: 'CHAT' | 'IMAGE' | 'EMBEDDING';
  readonly access: CatalogAccess;
  /** The model id or system inference profile id passed to Bedrock. */
  readonly modelId: string;
  /**
   * The runtime APIs Bedrock serves this model on (its model card's "APIs supported"). LiteLLM
   * must call it through one of them: the route check (`test/upstream/bedrock-route.test.ts`) and
   * the Bedrock stand-in of the contract tests refuse any other.
   */
  readonly apis: BedrockApi[];
  /** The name users see in Open WebUI. */
  readonly displayName: string;
  /**
   * Where the model can be called from: the regions that serve it on demand, or the source
   * regions of a geographic profile. Empty for a global profile (any commercial region).
   */
  readonly regions: string[];
  /** The one region the model is always invoked in, whatever the stack's region (Stability's models). */
  readonly fixedRegion?: string;
  /** The regions a geographic profile routes to. */
  readonly destinationRegions?: string[];
  /** ACTIVE or LEGACY as announced; a LEGACY row whose end of life is on or before CATALOG_CHECKED_ON is past it. */
  readonly lifecycle: 'ACTIVE' | 'LEGACY';
  readonly endOfLifeDate?: string;
  /** The catalog member to move to once this one is Legacy or past its end of life. */
  readonly successor?: string;
  /** The length of the vectors an embedding model returns (as configured by this library). */
  readonly embeddingDimensions?: number;
  /** The vector length LiteLLM asks the model for (`dimensions`), for a model whose own default is another. */
  readonly requestedDimensions?: number;
  /**
   * Why this row's end of life differs from the `deprecation_date` of the pinned LiteLLM's model
   * map (`test/upstream/model-map.test.ts` fails on a difference without one).
   */
  readonly modelMapDifference?: string;
}

/**
 * Claude on bedrock-runtime: InvokeModel with the Anthropic Messages body, Converse, and the
 * Messages API (model cards of Haiku 4.5, Sonnet 4.5/4.6, Opus 4.5/4.8 and Sonnet 5).
 */
const CLAUDE_APIS: BedrockApi[] = ['INVOKE', 'CONVERSE', 'MESSAGES'];
const US_WEST_2 = ['us-west-2'];
const US_PROFILE = ['us-east-1', 'us-east-2', 'us-west-2'];
const NOVA_TEXT_REGIONS = [
  'us-east-1', 'us-east-2', 'us-west-2', 'us-gov-west-1',
  'ap-northeast-1', 'ap-northeast-2', 'ap-south-1', 'ap-southeast-1', 'ap-southeast-2',
  'eu-central-1', 'eu-north-1', 'eu-south-1', 'eu-south-2', 'eu-west-1', 'eu-west-3',
];

/** The catalog, keyed by the `BedrockModel` member name; the order is the guide's. */
export const CATALOG: Record<string, CatalogEntry> = {
  // ---- Image models ----
  STABILITY_STABLE_IMAGE_CORE_V1_1: {
    name: 'Stability AI Stable Image Core v1.1',
    kind: 'IMAGE',
    access: 'FOUNDATION_MODEL',
    modelId: 'stability.stable-image-core-v1:1',
    apis: ['INVOKE'],
    displayName: 'stable-image-core',
    regions: US_WEST_2,
    fixedRegion: 'us-west-2',
    lifecycle: 'ACTIVE',
  },
  STABILITY_STABLE_IMAGE_ULTRA_V1_1: {
    name: 'Stability AI Stable Image Ultra v1.1',
    kind: 'IMAGE',
    access: 'FOUNDATION_MODEL',
    modelId: 'stability.stable-image-ultra-v1:1',
    apis: ['INVOKE'],
    displayName: 'stable-image-ultra',
    regions: US_WEST_2,
    fixedRegion: 'us-west-2',
    lifecycle: 'ACTIVE',
  },
  STABILITY_SD3_5_LARGE_V1: {
    name: 'Stability AI Stable Diffusion 3.5 Large',
    kind: 'IMAGE',
    access: 'FOUNDATION_MODEL',
    modelId: 'stability.sd3-5-large-v1:0',
    apis: ['INVOKE'],
    displayName: 'sd3.5-large',
    regions: US_WEST_2,
    fixedRegion: 'us-west-2',
    lifecycle: 'ACTIVE',
  },
  AMAZON_NOVA_CANVAS_V1: {
    name: 'Amazon Nova Canvas v1',
    kind: 'IMAGE',
    access: 'FOUNDATION_MODEL',
    modelId: 'amazon.nova-canvas-v1:0',
    apis: ['INVOKE'],
    displayName: 'nova-canvas',
    regions: ['us-east-1', 'eu-west-1', 'ap-northeast-1'],
    lifecycle: 'LEGACY',
    endOfLifeDate: '2026-09-30',
    successor: 'STABILITY_STABLE_IMAGE_CORE_V1_1',
  },
  AMAZON_TITAN_IMAGE_GENERATOR_V2: {
    name: 'Amazon Titan Image Generator v2',
    kind: 'IMAGE',
    access: 'FOUNDATION_MODEL',
    modelId: 'amazon.titan-image-generator-v2:0',
    apis: ['INVOKE'],
    displayName: 'titan-image-generator-v2',
    regions: ['us-east-1', 'us-west-2'],
    lifecycle: 'LEGACY',
    endOfLifeDate: '2026-06-30',
    successor: 'STABILITY_STABLE_IMAGE_CORE_V1_1',
  },

  // ---- Chat models ----
  ANTHROPIC_CLAUDE_HAIKU_4_5_GLOBAL: {
    name: 'Anthropic Claude Haiku 4.5',
    kind: 'CHAT',
    access: 'GLOBAL_INFERENCE_PROFILE',
    modelId: 'global.anthropic.claude-haiku-4-5-20251001-v1:0',
    apis: CLAUDE_APIS,
    displayName: 'claude-haiku-4.5',
    regions: [],
    lifecycle: 'ACTIVE',
  },
  ANTHROPIC_CLAUDE_SONNET_5_GLOBAL: {
    name: 'Anthropic Claude Sonnet 5',
    kind: 'CHAT',
    access: 'GLOBAL_INFERENCE_PROFILE',
    modelId: 'global.anthropic.claude-sonnet-5',
    apis: CLAUDE_APIS,
    displayName: 'claude-sonnet-5',
    regions: [],
    lifecycle: 'ACTIVE',
  },
  ANTHROPIC_CLAUDE_SONNET_4_6_GLOBAL: {
    name: 'Anthropic Claude Sonnet 4.6',
    kind: 'CHAT',
    access: 'GLOBAL_INFERENCE_PROFILE',
    modelId: 'global.anthropic.claude-sonnet-4-6',
    apis: CLAUDE_APIS,
    displayName: 'claude-sonnet-4.6',
    regions: [],
    lifecycle: 'ACTIVE',
  },
  ANTHROPIC_CLAUDE_OPUS_4_8_GLOBAL: {
    name: 'Anthropic Claude Opus 4.8',
    kind: 'CHAT',
    access: 'GLOBAL_INFERENCE_PROFILE',
    modelId: 'global.anthropic.claude-opus-4-8',
    apis: CLAUDE_APIS,
    displayName: 'claude-opus-4.8',
    regions: [],
    lifecycle: 'ACTIVE',
  },
  ANTHROPIC_CLAUDE_SONNET_4_5_GLOBAL: {
    name: 'Anthropic Claude Sonnet 4.5',
    kind: 'CHAT',
    access: 'GLOBAL_INFERENCE_PROFILE',
    modelId: 'global.anthropic.claude-sonnet-4-5-20250929-v1:0',
    apis: CLAUDE_APIS,
    displayName: 'claude-sonnet-4.5',
    regions: [],
    lifecycle: 'LEGACY',
    endOfLifeDate: '2027-04-08',
    successor: 'ANTHROPIC_CLAUDE_SONNET_4_6_GLOBAL',
  },
  ANTHROPIC_CLAUDE_OPUS_4_5_GLOBAL: {
    name: 'Anthropic Claude Opus 4.5',
    kind: 'CHAT',
    access: 'GLOBAL_INFERENCE_PROFILE',
    modelId: 'global.anthropic.claude-opus-4-5-20251101-v1:0',
    apis: CLAUDE_APIS,
    displayName: 'claude-opus-4.5',
    regions: [],
    lifecycle: 'ACTIVE',
  },
  ANTHROPIC_CLAUDE_3_5_SONNET_V2_US: {
    name: 'Anthropic Claude 3.5 Sonnet v2',
    kind: 'CHAT',
    access: 'GEOGRAPHIC_INFERENCE_PROFILE',
    modelId: 'us.anthropic.claude-3-5-sonnet-20241022-v2:0',
    apis: CLAUDE_APIS,
    displayName: 'claude-3.5-sonnet-v2',
    regions: US_PROFILE,
    destinationRegions: US_PROFILE,
    lifecycle: 'LEGACY',
    endOfLifeDate: '2026-03-01',
    successor: 'ANTHROPIC_CLAUDE_SONNET_4_6_GLOBAL',
    modelMapDifference: "Bedrock's model lifecycle page lists the end of life; LiteLLM 1.110.2's model map gives this profile no deprecation_date.",
  },
  AMAZON_NOVA_2_LITE_GLOBAL: {
    name: 'Amazon Nova 2 Lite',
    kind: 'CHAT',
    access: 'GLOBAL_INFERENCE_PROFILE',
    modelId: 'global.amazon.nova-2-lite-v1:0',
    apis: ['INVOKE', 'CONVERSE'],
    displayName: 'nova-2-lite',
    regions: [],
    lifecycle: 'ACTIVE',
  },
  AMAZON_NOVA_PRO_V1: {
    name: 'Amazon Nova Pro v1',
    kind: 'CHAT',
    access: 'FOUNDATION_MODEL',
    modelId: 'amazon.nova-pro-v1:0',
    apis: ['INVOKE', 'CONVERSE'],
    displayName: 'nova-pro',
    regions: NOVA_TEXT_REGIONS,
    lifecycle: 'ACTIVE',
  },
  AMAZON_NOVA_LITE_V1: {
    name: 'Amazon Nova Lite v1',
    kind: 'CHAT',
    access: 'FOUNDATION_MODEL',
    modelId: 'amazon.nova-lite-v1:0',
    apis: ['INVOKE', 'CONVERSE'],
    displayName: 'nova-lite',
    regions: NOVA_TEXT_REGIONS,
    lifecycle: 'ACTIVE',
  },
  OPENAI_GPT_OSS_120B: {
    name: 'OpenAI gpt-oss-120b',
    kind: 'CHAT',
    access: 'FOUNDATION_MODEL',
    modelId: 'openai.gpt-oss-120b-1:0',
    apis: ['INVOKE', 'CONVERSE', 'CHAT_COMPLETIONS'],
    displayName: 'gpt-oss-120b',
    regions: ['us-east-1', 'us-west-2'],
    lifecycle: 'ACTIVE',
  },
  DEEPSEEK_V3_2_US: {
    name: 'DeepSeek V3.2',
    kind: 'CHAT',
    access: 'GEOGRAPHIC_INFERENCE_PROFILE',
    modelId: 'us.deepseek.v3.2',
    apis: ['INVOKE', 'CONVERSE'],
    displayName: 'deepseek-v3.2',
    regions: US_PROFILE,
    destinationRegions: US_PROFILE,
    lifecycle: 'ACTIVE',
  },
  META_LLAMA_4_MAVERICK_US: {
    name: 'Meta Llama 4 Maverick 17B Instruct',
    kind: 'CHAT',
    access: 'GEOGRAPHIC_INFERENCE_PROFILE',
    modelId: 'us.meta.llama4-maverick-17b-instruct-v1:0',
    apis: ['INVOKE', 'CONVERSE'],
    displayName: 'llama4-maverick',
    regions: [...US_PROFILE, 'us-west-1'],
    destinationRegions: [...US_PROFILE, 'us-west-1'],
    lifecycle: 'LEGACY',
    endOfLifeDate: '2027-03-30',
    successor: 'OPENAI_GPT_OSS_120B',
  },

  // ---- Embedding models ----
  AMAZON_TITAN_EMBED_TEXT_V2: {
    name: 'Amazon Titan Text Embeddings v2',
    kind: 'EMBEDDING',
    access: 'FOUNDATION_MODEL',
    modelId: 'amazon.titan-embed-text-v2:0',
    apis: ['INVOKE'],
    displayName: 'titan-embed-text-v2',
    regions: [
      'us-east-1', 'us-east-2', 'us-west-2', 'us-gov-west-1', 'ca-central-1', 'sa-east-1',
      'ap-northeast-1', 'ap-northeast-2', 'ap-south-1', 'ap-southeast-2',
      'eu-central-1', 'eu-central-2', 'eu-west-1', 'eu-west-2', 'eu-west-3',
    ],
    lifecycle: 'ACTIVE',
    embeddingDimensions: 1024,
  },
  AMAZON_NOVA_2_MULTIMODAL_EMBEDDINGS_V1: {
    name: 'Amazon Nova 2 Multimodal Embeddings',
    kind: 'EMBEDDING',
    access: 'FOUNDATION_MODEL',
    modelId: 'amazon.nova-2-multimodal-embeddings-v1:0',
    apis: ['INVOKE'],
    displayName: 'nova-2-multimodal-embeddings',
    // Its default is 3072 dimensions, more than pgvector can index: ask for 1024.
    regions: ['us-east-1'],
    lifecycle: 'ACTIVE',
    embeddingDimensions: 1024,
    requestedDimensions: 1024,
  },
};

/**
 * What is wrong with a row of the catalog's format (empty when nothing): the rows of CATALOG and
 * the rows `cdk-bedrock-image-chat models --update-catalog` writes are held to the same checks.
 */
export function catalogEntryProblems(entry: CatalogEntry): string[] {
  const problems: string[] = [];
  const date = /^\d{4}-\d{2}-\d{2}$/;
  if (!entry.name || !entry.modelId || !entry.displayName) problems.push('name, modelId and displayName must not be empty');
  if (!['CHAT', 'IMAGE', 'EMBEDDING'].includes(entry.kind)) problems.push(`kind '${entry.kind}' is not CHAT, IMAGE or EMBEDDING`);
  if (!['FOUNDATION_MODEL', 'GEOGRAPHIC_INFERENCE_PROFILE', 'GLOBAL_INFERENCE_PROFILE'].includes(entry.access)) problems.push(`access '${entry.access}' is unknown`);
  if (!Array.isArray(entry.apis) || entry.apis.length === 0) problems.push('apis must name at least one Bedrock runtime API');
  for (const api of entry.apis ?? []) {
    if (!Object.values(API_OF_LITELLM_ROUTE).includes(api)) problems.push(`apis holds '${api}', which is not ${Object.values(API_OF_LITELLM_ROUTE).join(', ')}`);
  }
  if (!Array.isArray(entry.regions)) problems.push('regions must be a list');
  else if ((entry.access === 'GLOBAL_INFERENCE_PROFILE') !== (entry.regions.length === 0)) problems.push('regions must be empty for a global profile, and only then');
  if (!['ACTIVE', 'LEGACY'].includes(entry.lifecycle)) problems.push(`lifecycle '${entry.lifecycle}' is not ACTIVE or LEGACY`);
  if (entry.endOfLifeDate !== undefined && !date.test(entry.endOfLifeDate)) problems.push(`endOfLifeDate '${entry.endOfLifeDate}' is not YYYY-MM-DD`);
  if (entry.lifecycle === 'LEGACY' && entry.endOfLifeDate === undefined) problems.push('a LEGACY row needs its endOfLifeDate');
  return problems;
}

/** Whether a catalog row is past its end of life as of the catalog's checked date. */
export function isPastEndOfLife(entry: CatalogEntry): boolean {
  return entry.endOfLifeDate !== undefined && entry.endOfLifeDate <= CATALOG_CHECKED_ON;
}
