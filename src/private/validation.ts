import { Annotations, Stack, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { BedrockModel, BedrockModelKind } from '../bedrock-model';

/**
 * Checks the model list of a LiteLLM service: one model of each kind, unique display names, and
 * no model in a region the VPC endpoints cannot reach.
 */
export function validateModels(scope: Construct, models: BedrockModel[]): void {
  for (const kind of [BedrockModelKind.CHAT, BedrockModelKind.IMAGE, BedrockModelKind.EMBEDDING]) {
    if (!models.some((m) => m.kind === kind)) {
      throw new Error(
        `models has no ${kind} model (received: ${describe(models)}); add one, for example BedrockModel.${exampleOf(kind)}`,
      );
    }
  }
  const seen = new Set<string>();
  for (const m of models) {
    if (seen.has(m.displayName)) {
      throw new Error(
        `models has two models with the display name '${m.displayName}'; give one of them another name with model.withOptions({ displayName: '...' })`,
      );
    }
    seen.add(m.displayName);
  }

  // Interface endpoints reach their own region only, and the tasks have no other way out.
  const stackRegion = Stack.of(scope).region;
  for (const m of models) {
    if (m.region === undefined || Token.isUnresolved(m.region)) continue;
    if (Token.isUnresolved(stackRegion)) {
      Annotations.of(scope).addWarningV2(
        'cdk-bedrock-image-chat:modelRegion',
        `Model '${m.displayName}' (${m.modelId}) is invoked in ${m.region}, but the stack has no region set. The tasks reach Bedrock only through the VPC endpoint of the stack's region, so deploy this stack to ${m.region} or choose a model served in your region.`,
      );
    } else if (m.region !== stackRegion) {
      throw new Error(
        `models contains '${m.displayName}' (${m.modelId}) in region ${m.region}, but the stack is in ${stackRegion} and the tasks reach Bedrock only through the VPC endpoint of ${stackRegion}; deploy to ${m.region}, or choose a model served in ${stackRegion}`,
      );
    }
  }
}

/** Checks that a Fargate task has at least `minMemoryMiB` of memory. */
export function validateTaskSize(construct: string, cpu: number | undefined, memoryLimitMiB: number | undefined, minMemoryMiB: number): void {
  if (memoryLimitMiB !== undefined && !Token.isUnresolved(memoryLimitMiB) && memoryLimitMiB < minMemoryMiB) {
    throw new Error(`memoryLimitMiB is ${memoryLimitMiB}; ${construct} needs at least ${minMemoryMiB} MiB`);
  }
  if (cpu !== undefined && !Token.isUnresolved(cpu) && ![256, 512, 1024, 2048, 4096, 8192, 16384].includes(cpu)) {
    throw new Error(`cpu is ${cpu}; Fargate accepts 256, 512, 1024, 2048, 4096, 8192 or 16384 CPU units`);
  }
}

function describe(models: BedrockModel[]): string {
  return models.length === 0 ? 'none' : models.map((m) => `${m.displayName} (${m.kind})`).join(', ');
}

function exampleOf(kind: BedrockModelKind): string {
  switch (kind) {
    case BedrockModelKind.CHAT:
      return 'ANTHROPIC_CLAUDE_HAIKU_4_5_GLOBAL';
    case BedrockModelKind.IMAGE:
      return 'STABILITY_STABLE_IMAGE_CORE_V1_1';
    default:
      return 'AMAZON_TITAN_EMBED_TEXT_V2';
  }
}
