import { Token } from 'aws-cdk-lib';
import type { BedrockGuardrailConfig } from '../bedrock-guardrail';
import { BedrockModel, BedrockModelKind } from '../bedrock-model';

/** The `litellm_params` of one model. */
export interface LiteLLMParams {
  readonly model: string;
  /** The OpenAI-compatible base URL of a provider outside Bedrock. */
  readonly api_base?: string;
  /** Its API key, always `os.environ/NAME`. */
  readonly api_key?: string;
  readonly model_id?: string;
  readonly aws_region_name?: string;
  /** The vector length asked of an embedding model whose own default is another. */
  readonly dimensions?: number;
}

/** One entry of LiteLLM's `model_list`. */
export interface LiteLLMModelEntry {
  readonly model_name: string;
  readonly litellm_params: LiteLLMParams;
  readonly model_info: { readonly mode: string };
}

/**
 * How the proxy retries and bounds its calls to Bedrock (LiteLLM's `router_settings`; the names
 * are the arguments of `litellm.Router` in the pinned release).
 */
export interface LiteLLMRouterSettings {
  /** Retries of a failed call when `retry_policy` names no count for its error. */
  readonly num_retries: number;
  /** Retries per error type (LiteLLM's `RetryPolicy`). */
  readonly retry_policy: Readonly<Record<string, number>>;
  /** Seconds a call that is not streamed may take. */
  readonly timeout: number;
  /** Seconds a streamed call may wait for its answer to start or go on. */
  readonly stream_timeout: number;
}

/** One of LiteLLM's `guardrails` (its Bedrock guardrail hook, `guardrail: bedrock`). */
export interface LiteLLMGuardrailEntry {
  readonly guardrail_name: string;
  readonly litellm_params: {
    readonly guardrail: 'bedrock';
    /** `pre_call`: what users send, before the model; `post_call`: what the model answers. */
    readonly mode: 'pre_call' | 'post_call';
    readonly guardrailIdentifier: string;
    readonly guardrailVersion: string;
    /** On every request: chat, image prompts and the text of documents sent for embedding. */
    readonly default_on: true;
    /** A refusal is answered as the assistant's message (HTTP 200), which Open WebUI shows in the chat. */
    readonly disable_exception_on_block: true;
    readonly mask_request_content?: boolean;
    readonly mask_response_content?: boolean;
    readonly streaming_buffer_until_moderated?: boolean;
    readonly streaming_buffer_release_on_scan?: boolean;
    readonly streaming_sampling_rate?: number;
  };
}

/** The LiteLLM proxy configuration this library writes (a JSON document, which is valid YAML). */
export interface LiteLLMConfig {
  readonly model_list: LiteLLMModelEntry[];
  readonly litellm_settings: { readonly drop_params: boolean };
  readonly router_settings: LiteLLMRouterSettings;
  readonly general_settings: { readonly master_key: string };
  readonly guardrails?: LiteLLMGuardrailEntry[];
}

/**
 * How many streamed pieces of a chat answer the proxy holds back before it checks the answer so
 * far with the guardrail and passes the checked pieces on. Each check covers the whole answer so
 * far (Bedrock bills its text units), so fewer checks cost less and delay the first words more;
 * see the guardrail section of docs/security.md for what was measured.
 */
export const GUARDRAIL_STREAM_CHECK_EVERY = 10;

/**
 * Retries and timeouts, chosen for Bedrock behind Open WebUI (test/contract/litellm.failures.test.ts
 * proves each against the real proxy):
 *
 * - Throttling (`ThrottlingException`, HTTP 429) is the most common Bedrock error under load and
 *   often passes within seconds: retried 3 times, with the proxy's exponential backoff (the three
 *   waits took about 9 seconds in all in the contract test), before the user sees "Too many
 *   requests".
 * - Bedrock's 500 and 503 (`InternalServerException`, `ServiceUnavailableException`,
 *   `ModelNotReadyException`) are retried twice.
 * - A request Bedrock refuses (400: a content filter, a guardrail, a bad parameter; 403: no model
 *   access; 404) is never retried: the same request fails the same way, and the user should see
 *   why at once.
 * - A timed-out call is not retried: the user has waited the whole timeout already.
 * - A streamed chat must start and go on within 60 seconds: a silent stream is cut with an error
 *   instead of a spinner that never ends. A call that is not streamed (image generation, an
 *   embedding, a chat without streaming) may take 120 seconds: image models take up to about a
 *   minute for large sizes.
 */
export const ROUTER_SETTINGS: LiteLLMRouterSettings = {
  num_retries: 2,
  retry_policy: {
    RateLimitErrorRetries: 3,
    InternalServerErrorRetries: 2,
    ServiceUnavailableErrorRetries: 2,
    TimeoutErrorRetries: 0,
    BadRequestErrorRetries: 0,
    ContentPolicyViolationErrorRetries: 0,
    AuthenticationErrorRetries: 0,
    NotFoundErrorRetries: 0,
  },
  timeout: 120,
  stream_timeout: 60,
};

/** A rendered configuration and the container environment it reads deploy-time values from. */
export interface RenderedLiteLLMConfig {
  /** The configuration document; it never holds a token, so its hash is stable across synths. */
  readonly config: LiteLLMConfig;
  /** Variables the container must get, named in the document as `os.environ/NAME` (their values may be tokens). */
  readonly environment: Record<string, string>;
}

const MODES: Record<BedrockModelKind, string> = {
  [BedrockModelKind.CHAT]: 'chat',
  [BedrockModelKind.IMAGE]: 'image_generation',
  [BedrockModelKind.EMBEDDING]: 'embedding',
};

/** The environment variable the master key is read from, inside the config (`os.environ/...`). */
export const MASTER_KEY_ENV = 'LITELLM_MASTER_KEY';

/**
 * The model string LiteLLM routes on: `bedrock/<model id>`, or for a model given by ARN
 * `bedrock/<base model id>` with the ARN as `model_id` (LiteLLM's docs, providers/bedrock).
 */
export function litellmModel(model: BedrockModel): string {
  return `bedrock/${model.modelArn === undefined ? model.modelId : model.foundationModelId}`;
}

/**
 * Renders the LiteLLM proxy configuration for the given models.
 *
 * - A model without a region is invoked in the task's region (`AWS_REGION`, set by ECS).
 * - A model given by ARN becomes `model: bedrock/<base model id>` plus `model_id: <ARN>`.
 * - A value that is a token (known only at deploy time, for example an ARN from another stack)
 *   is not written into the document: the document names an environment variable
 *   (`os.environ/BEDROCK_MODEL_<n>_<FIELD>`, which LiteLLM resolves when it loads the config) and
 *   the variable goes into `environment`, so CloudFormation resolves it into the task definition
 *   and a changed value starts new tasks.
 */
export function renderLiteLLMConfig(
  models: BedrockModel[],
  providers: ProviderModels[] = [],
  guardrail?: BedrockGuardrailConfig,
): RenderedLiteLLMConfig {
  const environment: Record<string, string> = {};
  const deployTime = (name: string, v: string): string => {
    if (!Token.isUnresolved(v)) {
      return v;
    }
    environment[name] = v;
    return `os.environ/${name}`;
  };
  const value = (index: number, field: string, v: string): string => deployTime(`BEDROCK_MODEL_${index}_${field}`, v);
  const providerEntries: LiteLLMModelEntry[] = providers.flatMap((p, i) => p.models.map((model) => ({
    model_name: `${p.name}/${model}`,
    litellm_params: {
      // LiteLLM's openai/ route: the model id as the provider names it, at the provider's URL.
      model: `openai/${model}`,
      api_base: deployTime(`PROVIDER_${i}_URL`, p.baseUrl),
      api_key: `os.environ/${providerKeyEnv(i)}`,
    },
    model_info: { mode: 'chat' },
  })));
  const config: LiteLLMConfig = {
    model_list: [...models.map((m, i) => ({
      model_name: value(i, 'NAME', m.displayName),
      litellm_params: {
        model: value(i, 'MODEL', litellmModel(m)),
        ...(m.modelArn !== undefined ? { model_id: value(i, 'ID', m.modelArn) } : {}),
        ...(m.region !== undefined ? { aws_region_name: value(i, 'REGION', m.region) } : {}),
        ...(m._requestedDimensions !== undefined ? { dimensions: m._requestedDimensions } : {}),
      },
      model_info: { mode: MODES[m.kind] },
    })), ...providerEntries],
    litellm_settings: {
      // Open WebUI sends OpenAI parameters (response_format, for one) that some Bedrock image
      // models reject; dropping unsupported parameters keeps image generation working.
      // See BerriAI/litellm#8488 and #10760.
      drop_params: true,
    },
    router_settings: ROUTER_SETTINGS,
    general_settings: {
      // The secret itself is injected by ECS from Secrets Manager; the config only names it.
      master_key: `os.environ/${MASTER_KEY_ENV}`,
    },
    ...(guardrail !== undefined ? { guardrails: guardrailEntries(guardrail, deployTime) } : {}),
  };
  return { config, environment };
}

/**
 * The guardrail twice: on what users send (`pre_call`: chat messages, image prompts, document
 * text for embeddings; a refusal means no model call) and on what chat models answer
 * (`post_call`). Both on every request (`default_on`): LiteLLM 1.110.2 applies guardrails named on
 * a model to chat only, not to image prompts. A streamed answer is held back and checked every
 * GUARDRAIL_STREAM_CHECK_EVERY pieces, and only checked pieces go on, unless the guardrail
 * anonymizes, when the proxy needs the whole answer to mask it.
 */
function guardrailEntries(guardrail: BedrockGuardrailConfig, deployTime: (name: string, v: string) => string): LiteLLMGuardrailEntry[] {
  const common = {
    guardrail: 'bedrock' as const,
    guardrailIdentifier: deployTime('GUARDRAIL_ID', guardrail.guardrailId),
    guardrailVersion: deployTime('GUARDRAIL_VERSION', guardrail.guardrailVersion),
    default_on: true as const,
    disable_exception_on_block: true as const,
  };
  return [
    { guardrail_name: 'bedrock-guardrail-input', litellm_params: { ...common, mode: 'pre_call', mask_request_content: true } },
    {
      guardrail_name: 'bedrock-guardrail-output',
      litellm_params: {
        ...common,
        mode: 'post_call',
        ...(guardrail.anonymizes
          ? { mask_response_content: true }
          : {
            streaming_buffer_until_moderated: true,
            streaming_buffer_release_on_scan: true,
            streaming_sampling_rate: GUARDRAIL_STREAM_CHECK_EVERY,
          }),
      },
    },
  ];
}

/** A provider outside Bedrock as the configuration needs it: name, base URL, model ids. */
export interface ProviderModels {
  readonly name: string;
  readonly baseUrl: string;
  readonly models: string[];
}

/** The environment variable the API key of the `index`-th provider is read from. */
export function providerKeyEnv(index: number): string {
  return `PROVIDER_${index}_API_KEY`;
}
