import { BedrockModel, BedrockModelKind } from '../bedrock-model';

/** One entry of LiteLLM's `model_list`. */
export interface LiteLLMModelEntry {
  readonly model_name: string;
  readonly litellm_params: { readonly model: string; readonly aws_region_name?: string };
  readonly model_info: { readonly mode: string };
}

/** The LiteLLM proxy configuration this library writes (a JSON document, which is valid YAML). */
export interface LiteLLMConfig {
  readonly model_list: LiteLLMModelEntry[];
  readonly litellm_settings: { readonly drop_params: boolean };
  readonly general_settings: { readonly master_key: string };
}

const MODES: Record<BedrockModelKind, string> = {
  [BedrockModelKind.CHAT]: 'chat',
  [BedrockModelKind.IMAGE]: 'image_generation',
  [BedrockModelKind.EMBEDDING]: 'embedding',
};

/** The environment variable the master key is read from, inside the config (`os.environ/...`). */
export const MASTER_KEY_ENV = 'LITELLM_MASTER_KEY';

/**
 * Renders the LiteLLM proxy configuration for the given models.
 *
 * A model without a region is invoked in the task's region (`AWS_REGION`, set by ECS), so the
 * document holds no CloudFormation tokens and its hash is stable across synths.
 */
export function renderLiteLLMConfig(models: BedrockModel[]): LiteLLMConfig {
  return {
    model_list: models.map((m) => ({
      model_name: m.displayName,
      litellm_params: {
        model: m.litellmModel,
        ...(m.region !== undefined ? { aws_region_name: m.region } : {}),
      },
      model_info: { mode: MODES[m.kind] },
    })),
    litellm_settings: {
      // Open WebUI sends OpenAI parameters (response_format, for one) that some Bedrock image
      // models reject; dropping unsupported parameters keeps image generation working.
      // See BerriAI/litellm#8488 and #10760.
      drop_params: true,
    },
    general_settings: {
      // The secret itself is injected by ECS from Secrets Manager; the config only names it.
      master_key: `os.environ/${MASTER_KEY_ENV}`,
    },
  };
}
