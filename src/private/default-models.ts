import { Token } from 'aws-cdk-lib';
import { BedrockModel } from '../bedrock-model';

/** The models a deployment gets when it names none, for the stack's region and egress. */
export interface DefaultModels {
  /** A chat, an embedding and, where one is reachable, an image model. */
  readonly models: BedrockModel[];
  /** Why there is no image model, when there is none. */
  readonly noImageReason?: string;
}

/** The region that serves the Active text-to-image models (Stability's, on demand). */
export const IMAGE_MODEL_REGION = 'us-west-2';

/**
 * Picks a chat, an image and an embedding model the tasks can call from `region` with the chosen
 * egress, from the catalog (src/private/catalog-data.ts):
 *
 * - chat: Claude Haiku 4.5 through the global inference profile, callable from every commercial
 *   region. Chosen again on 2026-12-03 among the catalog's Active chat models: capable, the cheapest
 *   Claude in the catalog ($1 / $5 per million input / output tokens; Sonnet 5 is twice that), open
 *   to every customer after Anthropic's one-time use-case form, and reachable from every region the
 *   region table covers. Haiku 5.5 would be cheaper still but is not in the catalog (see the
 *   catalog data on the Claude 5 generation);
 * - embedding: Titan Text Embeddings v2 in the stack's region;
 * - image: Stable Image Core, which Bedrock serves in us-west-2 only and through no inference
 *   profile. A stack in us-west-2 calls it through its VPC endpoint; a stack elsewhere calls it
 *   only with internet egress. Otherwise there is no image model (chat and documents still work)
 *   and `noImageReason` says what would turn image generation on: never a silent NAT gateway.
 *
 * An environment-agnostic stack (region unknown at synth) gets all three, with Stable Image Core
 * in us-west-2; the region check then warns that it needs that region or egress.
 */
export function defaultModels(region: string, hasEgress: boolean, egressProp = 'egress'): DefaultModels {
  const chat = BedrockModel.ANTHROPIC_CLAUDE_HAIKU_4_5_GLOBAL;
  const embedding = BedrockModel.AMAZON_TITAN_EMBED_TEXT_V2;
  const image = BedrockModel.STABILITY_STABLE_IMAGE_CORE_V1_1;
  if (Token.isUnresolved(region) || region === IMAGE_MODEL_REGION || hasEgress) {
    return { models: [chat, image, embedding] };
  }
  return {
    models: [chat, embedding],
    noImageReason:
      `Image generation is off: no Active Bedrock image model can be called from ${region} without internet access ` +
      `(Stability's image models are served in ${IMAGE_MODEL_REGION} only, and VPC endpoints reach their own region; ` +
      'Nova Canvas and Titan Image Generator are past their end of life). Chat and documents work. To turn image generation on, ' +
      `deploy the stack to ${IMAGE_MODEL_REGION}, or set ${egressProp} to InternetEgress.NAT_GATEWAY (or EXISTING) so that the proxy calls ` +
      `Stable Image Core in ${IMAGE_MODEL_REGION} over the internet (image prompts then leave ${region}).`,
  };
}
