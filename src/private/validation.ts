import { Annotations, Duration, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { BedrockModel, BedrockModelAccess, BedrockModelKind, BedrockModelLifecycle } from '../bedrock-model';
import type { ModelAccess } from '../model-access';
import type { OpenAICompatibleProvider } from '../model-provider';

/**
 * Image model families whose native request format LiteLLM 1.110.2 knows
 * (litellm/llms/bedrock/image_generation/image_handler.py). Any other image model is sent the
 * Stable Diffusion XL v1 format.
 */
const LITELLM_IMAGE_FAMILIES = [/nova-canvas/, /titan-image/, /sd3/, /stable-image/];

/**
 * Checks the model list of a LiteLLM service: a chat and an embedding model, unique display names,
 * and no model in a region the VPC endpoints cannot reach. Warns when there is no image model
 * (image generation is off), about Legacy and retired models, models the catalog does not list in
 * the stack's region, and image models LiteLLM has no request format for.
 */
export function validateModels(
  scope: Construct, models: BedrockModel[], hasEgress: boolean, names: { models: string; egress: string }, noImageReason?: string,
): void {
  for (const kind of [BedrockModelKind.CHAT, BedrockModelKind.EMBEDDING]) {
    if (!models.some((m) => m.kind === kind)) {
      throw new Error(
        `${names.models} has no ${kind} model (received: ${describe(models)}); add one, for example BedrockModel.${exampleOf(kind)}`,
      );
    }
  }
  const seen = new Set<string>();
  for (const m of models) {
    if (Token.isUnresolved(m.displayName)) continue;
    if (seen.has(m.displayName)) {
      throw new Error(
        `${names.models} has two models with the display name '${m.displayName}'; give one of them another name with model.withOptions({ displayName: '...' })`,
      );
    }
    seen.add(m.displayName);
  }

  const stackRegion = Stack.of(scope).region;
  const annotations = Annotations.of(scope);
  if (!models.some((m) => m.kind === BedrockModelKind.IMAGE)) {
    annotations.addWarningV2(
      'cdk-bedrock-image-chat:noImageModel',
      noImageReason ?? `${names.models} has no image model, so image generation is off; add one, for example BedrockModel.${exampleOf(BedrockModelKind.IMAGE)}.`,
    );
  }
  for (const m of models) {
    checkRegion(scope, m, stackRegion, hasEgress, names);
    checkLifecycle(scope, m);
    const unknownImageFamily = !LITELLM_IMAGE_FAMILIES.some((f) => f.test(m.foundationModelId));
    if (m.kind === BedrockModelKind.IMAGE && !Token.isUnresolved(m.foundationModelId) && unknownImageFamily) {
      annotations.addWarningV2(
        'cdk-bedrock-image-chat:imageFamily',
        `Image model '${m.displayName}' (${m.foundationModelId}) is not Nova Canvas, Titan Image or a Stability SD3/Stable Image model; LiteLLM sends any other image model the Stable Diffusion XL v1 request format, which it may reject.`,
      );
    }
  }
}

/**
 * Warns about a Legacy model and about one past its end of life. Both use the catalog's checked
 * date, never the wall clock, so two synths on different days give the same output.
 */
function checkLifecycle(scope: Construct, m: BedrockModel): void {
  const instead = m._successor !== undefined ? `BedrockModel.${m._successor}` : 'an Active model';
  if (m.lifecycle === BedrockModelLifecycle.END_OF_LIFE) {
    Annotations.of(scope).addWarningV2(
      'cdk-bedrock-image-chat:modelEndOfLife',
      `Model '${m.displayName}' (${m.modelId}) reached its end of life on Amazon Bedrock on ${m.endOfLifeDate} (catalog checked ${m.lifecycleCheckedOn}): calls to it fail, unless the account was granted extended access. Move to ${instead}.`,
    );
  } else if (m.lifecycle === BedrockModelLifecycle.LEGACY) {
    Annotations.of(scope).addWarningV2(
      'cdk-bedrock-image-chat:legacyModel',
      `Model '${m.displayName}' (${m.modelId}) is Legacy on Amazon Bedrock, with end of life on ${m.endOfLifeDate ?? 'a date not yet announced'} (catalog checked ${m.lifecycleCheckedOn}). Legacy models are closed to new customers and calls fail after the end-of-life date; move to ${instead}.`,
    );
  }
}

function checkRegion(scope: Construct, m: BedrockModel, stackRegion: string, hasEgress: boolean, names: { models: string; egress: string }): void {
  const annotations = Annotations.of(scope);
  if (m.region !== undefined && !Token.isUnresolved(m.region)) {
    if (hasEgress) {
      // With internet egress the task calls the other region's public Bedrock endpoint.
      return;
    }
    // Interface endpoints reach their own region only, and the tasks have no other way out.
    if (Token.isUnresolved(stackRegion)) {
      annotations.addWarningV2(
        'cdk-bedrock-image-chat:modelRegion',
        `Model '${m.displayName}' (${m.modelId}) is invoked in ${m.region}, but the stack has no region set. The tasks reach Bedrock only through the VPC endpoint of the stack's region, so deploy this stack to ${m.region} or choose a model served in your region.`,
      );
    } else if (m.region !== stackRegion) {
      const chatOnly = m.kind === BedrockModelKind.IMAGE ? `, or leave the image model out of ${names.models} for a deployment without image generation` : '';
      throw new Error(
        `${names.models} contains '${m.displayName}' (${m.modelId}) in region ${m.region}, but the stack is in ${stackRegion} and, with ${names.egress} InternetEgress.NONE, the tasks reach Bedrock only through the VPC endpoint of ${stackRegion}; deploy to ${m.region}, choose a model served in ${stackRegion}, set ${names.egress} to InternetEgress.NAT_GATEWAY${chatOnly}`,
      );
    }
    return;
  }
  if (Token.isUnresolved(stackRegion)) return;
  // The region lists are catalog data that can go stale, so a mismatch is a warning, not an error.
  const callableFrom = m.access === BedrockModelAccess.GEOGRAPHIC_INFERENCE_PROFILE && m.regions.length === 0 ? m.destinationRegions : m.regions;
  if (callableFrom.length > 0 && !callableFrom.includes(stackRegion)) {
    annotations.addWarningV2(
      'cdk-bedrock-image-chat:modelNotInRegion',
      `Model '${m.displayName}' (${m.modelId}) is not listed as served in ${stackRegion}${m.lifecycleCheckedOn ? ` (catalog checked ${m.lifecycleCheckedOn})` : ''}; it is served in ${callableFrom.join(', ')}. Choose a model served in ${stackRegion}, or check the Bedrock console if AWS has added the region since.`,
    );
  }
}

/** The subnets tasks run in by default: the VPC's private subnets, with egress if it has them. */
export function defaultTaskSubnets(vpc: ec2.IVpc): ec2.SubnetSelection {
  return { subnetType: vpc.privateSubnets.length > 0 ? ec2.SubnetType.PRIVATE_WITH_EGRESS : ec2.SubnetType.PRIVATE_ISOLATED };
}

/** The memory sizes (MiB) Fargate offers for each task CPU size (units), from the ECS developer guide. */
const FARGATE_MEMORY: Record<number, number[]> = {
  256: [512, 1024, 2048],
  512: range(1024, 4096, 1024),
  1024: range(2048, 8192, 1024),
  2048: range(4096, 16384, 1024),
  4096: range(8192, 30720, 1024),
  8192: range(16384, 61440, 4096),
  16384: range(32768, 122880, 8192),
};

function range(from: number, to: number, step: number): number[] {
  return Array.from({ length: (to - from) / step + 1 }, (_, i) => from + i * step);
}

function describeSizes(sizes: number[]): string {
  return sizes.length <= 4 ? sizes.join(', ') : `${sizes[0]} to ${sizes[sizes.length - 1]} in steps of ${sizes[1] - sizes[0]}`;
}

/**
 * Checks a Fargate task size: a CPU size Fargate offers, a memory size Fargate offers with it (the
 * pair ECS would otherwise reject at deploy time), and at least `minMemoryMiB` for the container.
 * A token (a deploy-time value) is not checked.
 */
export function validateTaskSize(
  construct: string,
  cpu: number | undefined,
  memoryLimitMiB: number | undefined,
  defaults: { cpu: number; memoryLimitMiB: number },
  minMemoryMiB: number,
  names: { cpu: string; memory: string; defaults: string } = { cpu: 'cpu', memory: 'memoryLimitMiB', defaults: 'the default' },
): void {
  const effectiveCpu = cpu ?? defaults.cpu;
  const memory = memoryLimitMiB ?? defaults.memoryLimitMiB;
  const memoryLabel = memoryLimitMiB === undefined ? `${memory} (${names.defaults})` : `${memory}`;
  if (!Token.isUnresolved(effectiveCpu) && FARGATE_MEMORY[effectiveCpu] === undefined) {
    throw new Error(`${names.cpu} is ${effectiveCpu}; Fargate accepts ${Object.keys(FARGATE_MEMORY).join(', ')} CPU units`);
  }
  if (Token.isUnresolved(memory)) return;
  if (memory < minMemoryMiB) {
    throw new Error(`${names.memory} is ${memoryLabel}; ${construct} needs at least ${minMemoryMiB} MiB`);
  }
  if (!Token.isUnresolved(effectiveCpu) && !FARGATE_MEMORY[effectiveCpu].includes(memory)) {
    const fits = Object.entries(FARGATE_MEMORY).filter(([, sizes]) => sizes.includes(memory)).map(([c]) => c);
    throw new Error(
      `${names.memory} is ${memoryLabel}, which Fargate does not offer with ${names.cpu} ${effectiveCpu}${cpu === undefined ? ` (${names.defaults})` : ''}; `
      + `with ${effectiveCpu} CPU units use ${describeSizes(FARGATE_MEMORY[effectiveCpu])} MiB`
      + (fits.length > 0 ? `, or keep ${memory} MiB with ${names.cpu} ${fits.join(' or ')}` : ''),
    );
  }
}

/** Checks the automated backup retention of the database: RDS keeps 1 to 35 whole days (0 would turn backups off). */
export function validateBackupRetention(prop: string, retention: Duration | undefined): void {
  if (retention === undefined || Token.isUnresolved(retention.toMinutes({ integral: false }))) return;
  const days = retention.toHours({ integral: false }) / 24;
  if (!Number.isInteger(days) || days < 1 || days > 35) {
    throw new Error(
      `${prop} is ${retention.toHumanString()}; RDS keeps automated backups for 1 to 35 whole days (Duration.days(7) is the default), and 0 would turn them off`,
    );
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

/**
 * Checks the providers outside Bedrock: reachable (internet egress), named so that their models'
 * names are unique, an https base URL, at least one model each.
 */
export function validateProviders(
  names: { providers: string; egress: string }, providers: OpenAICompatibleProvider[], models: BedrockModel[], hasEgress: boolean,
): void {
  const prop = names.providers;
  if (providers.length > 0 && !hasEgress) {
    throw new Error(
      `${prop} is set (${providers.map((p) => p.name).join(', ')}), but ${names.egress} is InternetEgress.NONE: LiteLLM calls a provider outside Bedrock over the internet, which the VPC cannot reach. Set ${names.egress} to InternetEgress.NAT_GATEWAY (or EXISTING with your own VPC), or leave ${prop} out`,
    );
  }
  const seen = new Set<string>();
  for (const p of providers) {
    if (!Token.isUnresolved(p.name) && !/^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$/.test(p.name)) {
      throw new Error(`${prop} contains the name '${p.name}'; use 1-32 lowercase letters, digits and hyphens, for example 'sealion'`);
    }
    if (seen.has(p.name)) throw new Error(`${prop} contains the name '${p.name}' twice; give each provider its own name`);
    seen.add(p.name);
    if (!Token.isUnresolved(p.baseUrl) && !/^https:\/\/[^\s/]+(\/\S*)?$/.test(p.baseUrl)) {
      throw new Error(`${prop} '${p.name}' has baseUrl '${p.baseUrl}'; use the https URL of its OpenAI-compatible API, for example 'https://api.example.com/v1'`);
    }
    if (p.models.length === 0) {
      throw new Error(`${prop} '${p.name}' lists no models; name the chat models to offer, as the provider names them`);
    }
    for (const model of p.models) {
      const name = `${p.name}/${model}`;
      if (models.some((m) => m.displayName === name)) {
        throw new Error(`${prop} '${p.name}' serves '${model}' as '${name}', the display name of a Bedrock model too; rename the provider`);
      }
    }
  }
}

/**
 * Checks `modelAccess` against the chat models the proxy serves and returns the restricted models
 * as display name -> groups. Each entry names a served chat model once, with at least one group.
 */
export function validateModelAccess(
  names: { modelAccess: string; models: string }, modelAccess: ModelAccess[] | undefined, chatModels: BedrockModel[],
): Record<string, string[]> {
  if (modelAccess !== undefined && !Array.isArray(modelAccess)) {
    throw new Error(`${names.modelAccess} is ${JSON.stringify(modelAccess)}; give a list, for example [{ model: BedrockModel.ANTHROPIC_CLAUDE_OPUS_4_5_GLOBAL, groups: ['research'] }]`);
  }
  const restricted: Record<string, string[]> = {};
  (modelAccess ?? []).forEach((entry, i) => {
    const prop = `${names.modelAccess}[${i}]`;
    if (!(entry?.model instanceof BedrockModel)) {
      throw new Error(`${prop}.model is ${JSON.stringify(entry?.model)}; give a chat model of the catalog or of BedrockModel's factories, for example BedrockModel.ANTHROPIC_CLAUDE_OPUS_4_5_GLOBAL`);
    }
    const name = entry.model.displayName;
    const served = chatModels.map((m) => m.displayName);
    if (!served.includes(name)) {
      throw new Error(`${prop}.model is '${name}', which is not among the chat models served (${served.join(', ')}); add it to ${names.models}, or leave it out of ${names.modelAccess}`);
    }
    if (restricted[name] !== undefined) {
      throw new Error(`${prop}.model is '${name}', which an earlier entry of ${names.modelAccess} names already; give the model one entry with all its groups`);
    }
    const groups = entry.groups;
    if (!Array.isArray(groups) || groups.length === 0) {
      throw new Error(`${prop}.groups is ${JSON.stringify(groups)}; name at least one group whose members may use '${name}' (admins always may), or leave the model out of ${names.modelAccess} to open it to everyone`);
    }
    for (const group of groups) {
      if (Token.isUnresolved(group)) {
        throw new Error(`${prop}.groups holds a deploy-time value; group names must be known at synth time (they are written into the task's environment as JSON)`);
      }
      if (typeof group !== 'string' || group.trim() === '' || group.trim() !== group) {
        throw new Error(`${prop}.groups holds ${JSON.stringify(group)}; a group name is a non-empty string without leading or trailing spaces, as Open WebUI and the identity provider spell it`);
      }
    }
    restricted[name] = [...new Set(groups)];
  });
  return restricted;
}

/**
 * Checks a value of a string enum, which TypeScript checks but JavaScript (and a Python or Java
 * caller that builds the value from a string) does not: an unknown value would otherwise be
 * treated as some member or none and produce a broken template.
 */
export function validateEnumValue(prop: string, value: unknown, members: Record<string, string>, enumName: string): void {
  if (value === undefined || Object.values(members).includes(value as string)) return;
  throw new Error(
    `${prop} is ${JSON.stringify(value)}, not a member of ${enumName}; use ${Object.keys(members).map((k) => `${enumName}.${k}`).join(', ')}`,
  );
}

/** Checks a log retention: one of the periods CloudWatch Logs offers (logs.RetentionDays). */
export function validateLogRetention(prop: string, value: unknown): void {
  if (value === undefined || Token.isUnresolved(value)) return;
  const offered = Object.values(logs.RetentionDays).filter((v) => typeof v === 'number') as number[];
  if (!offered.includes(value as number)) {
    throw new Error(
      `${prop} is ${JSON.stringify(value)}, a period CloudWatch Logs does not offer; use a logs.RetentionDays member, for example logs.RetentionDays.THREE_MONTHS (days offered: ${offered.filter((d) => d > 0).join(', ')})`,
    );
  }
}

/** Checks a list of models given from JavaScript: an array of `BedrockModel`s. */
export function validateModelList(prop: string, models: unknown): void {
  if (models === undefined) return;
  if (!Array.isArray(models)) {
    throw new Error(`${prop} is ${JSON.stringify(models)}; give a list of models, for example [BedrockModel.ANTHROPIC_CLAUDE_HAIKU_4_5_GLOBAL, BedrockModel.AMAZON_TITAN_EMBED_TEXT_V2]`);
  }
  models.forEach((m, i) => {
    if (!(m instanceof BedrockModel)) {
      throw new Error(`${prop}[${i}] is ${JSON.stringify(m)}, which is not a BedrockModel; use a catalog member (BedrockModel.ANTHROPIC_CLAUDE_HAIKU_4_5_GLOBAL) or a factory (BedrockModel.foundationModel({ modelId, kind }))`);
    }
  });
}
