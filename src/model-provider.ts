import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';

/**
 * A chat model provider outside Bedrock with an OpenAI-compatible API (a regional model such as
 * AI Singapore's SEA-LION, or any OpenAI-compatible endpoint). LiteLLM serves its models next to
 * the Bedrock ones, so Open WebUI still talks to one gateway with one key.
 */
export interface OpenAICompatibleProvider {
  /**
   * A short name for the provider, the prefix of its models' names in Open WebUI
   * (`<name>/<model>`): lowercase letters, digits and hyphens.
   */
  readonly name: string;

  /** The base URL of its OpenAI-compatible API, `https://...` (usually ending in `/v1`). */
  readonly baseUrl: string;

  /**
   * The API key, in Secrets Manager (the whole secret string). It reaches LiteLLM as an ECS
   * secret, and the configuration names only the variable (`os.environ/...`).
   */
  readonly apiKey: secretsmanager.ISecret;

  /** The ids of the provider's chat models to offer, as the provider names them. */
  readonly models: string[];
}
