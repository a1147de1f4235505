import { BedrockModel } from './bedrock-model';

/**
 * Who may use one chat model in Open WebUI: the members of named groups (and the admins).
 *
 * Every chat model not named in `modelAccess` is open to every user. A model named here is
 * listed, and answers, only for the members of its groups; admins see every model. The groups
 * are Open WebUI groups: they are created by name when missing, an admin puts users into them in
 * the admin panel, or, with `SignIn`'s `groupClaim`, each user's groups follow the identity
 * provider's claim at every sign-in.
 *
 * @example
 * import { BedrockModel, ModelAccess } from 'cdk-bedrock-image-chat';
 *
 * const opusForResearch: ModelAccess = { model: BedrockModel.ANTHROPIC_CLAUDE_OPUS_4_5_GLOBAL, groups: ['research'] };
 */
export interface ModelAccess {
  /** The chat model, one the LiteLLM service serves. */
  readonly model: BedrockModel;

  /**
   * The Open WebUI groups whose members may use the model, by name (with `groupClaim`, the
   * group names as the identity provider sends them).
   */
  readonly groups: string[];
}
