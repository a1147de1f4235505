import * as fs from 'fs';
import * as path from 'path';
import { Inventory } from './inventory';
import { BedrockModel } from '../bedrock-model';

/** A model a deployment would call: what LiteLLM is given, and the region it is invoked in. */
export interface ModelUse {
  /** How the user named it (a catalog name, an id, or the LiteLLM model name of a template). */
  readonly label: string;
  /** The model id, system inference profile id, or ARN (provisioned, custom, application profile) that is invoked. */
  readonly id: string;
  readonly region: string;
}

export interface Finding {
  readonly model: string;
  readonly region: string;
  /** `ok`, `warning` (works today, plan a change) or `error` (a call would fail). */
  readonly status: 'ok' | 'warning' | 'error';
  readonly message: string;
  /** How to fix it (empty when ok). */
  readonly fix: string;
}

/** The catalog's members by name (`ANTHROPIC_CLAUDE_HAIKU_4_5_GLOBAL`). */
export function catalogByName(): Map<string, BedrockModel> {
  return new Map(Object.entries(BedrockModel).filter((e): e is [string, BedrockModel] => e[1] instanceof BedrockModel));
}

/**
 * The uses of models given on the command line: catalog names (invoked where the catalog says,
 * else in `region`) or raw ids and ARNs (invoked in `region`).
 */
export function usesFromNames(names: string[], region: string): ModelUse[] {
  const catalog = catalogByName();
  return names.map((name) => {
    const model = catalog.get(name) ?? catalog.get(name.toUpperCase().replace(/[-.:]/g, '_'));
    if (model === undefined) {
      if (/^[A-Z0-9_]+$/.test(name)) {
        throw new UsageError(`'${name}' is not a catalog model; use a catalog name (${[...catalog.keys()].slice(0, 3).join(', ')}, ...) or a Bedrock model id`);
      }
      return { label: name, id: name, region };
    }
    return { label: name, id: model.modelArn ?? model.modelId, region: model.region ?? region };
  });
}

/**
 * The uses of models in a synthesized template: the LiteLLM configuration staged beside it in the
 * cloud assembly. A value known only at deploy time (`os.environ/...`) cannot be checked.
 */
export function usesFromTemplate(templateFile: string, region: string): { uses: ModelUse[]; skipped: string[] } {
  const template = JSON.parse(fs.readFileSync(templateFile, 'utf-8'));
  const config = stagedLiteLLMConfig(template, path.dirname(templateFile));
  if (config === undefined) {
    throw new UsageError(`${templateFile} holds no LiteLLM service with a staged configuration; pass the template of a stack with a LiteLLMService, from its cdk.out directory`);
  }
  const uses: ModelUse[] = [];
  const skipped: string[] = [];
  for (const entry of config.model_list ?? []) {
    const params = entry.litellm_params ?? {};
    const id = String(params.model_id ?? String(params.model ?? '').replace(/^bedrock\/((converse|invoke)\/)?/, ''));
    if (!String(params.model ?? '').startsWith('bedrock/')) continue;
    if ([id, entry.model_name, params.aws_region_name].some((v) => String(v ?? '').startsWith('os.environ/'))) {
      skipped.push(String(entry.model_name));
      continue;
    }
    uses.push({ label: String(entry.model_name), id, region: params.aws_region_name ?? region });
  }
  return { uses, skipped };
}

/** The LiteLLM configuration a template's LiteLLM container loads, read from the assembly's assets. */
export function stagedLiteLLMConfig(template: any, assemblyDir: string): any | undefined {
  const containers = Object.values<any>(template.Resources ?? {})
    .filter((r) => r.Type === 'AWS::ECS::TaskDefinition')
    .flatMap((r) => r.Properties?.ContainerDefinitions ?? []);
  for (const c of containers) {
    const key = (c.Environment ?? []).find((e: any) => e.Name === 'LITELLM_CONFIG_BUCKET_OBJECT_KEY')?.Value;
    if (typeof key !== 'string') continue;
    for (const entry of fs.readdirSync(assemblyDir)) {
      const candidate = path.join(assemblyDir, entry, key);
      if (entry.startsWith('asset.') && fs.existsSync(candidate)) return JSON.parse(fs.readFileSync(candidate, 'utf-8'));
    }
  }
  return undefined;
}

/** Checks each use against the inventory of its region. `today` is YYYY-MM-DD. */
export function diagnose(uses: ModelUse[], inventories: Map<string, Inventory>, today: string): Finding[] {
  return uses.map((use) => {
    const inventory = inventories.get(use.region);
    const finding = (status: Finding['status'], message: string, fix = ''): Finding => ({ model: use.label, region: use.region, status, message, fix });
    if (inventory === undefined) return finding('error', `no listing for ${use.region}`, 'check the region name');

    // A foundation model's ARN is checked as its id.
    if (use.id.startsWith('arn:') && use.id.includes(':foundation-model/')) {
      return diagnose([{ ...use, id: use.id.substring(use.id.lastIndexOf('/') + 1) }], inventories, today)[0];
    }
    if (use.id.startsWith('arn:')) return diagnoseArn(use, inventory, finding);

    const profile = inventory.profiles.find((p) => p.id === use.id);
    const modelIds = profile ? profile.modelIds : [use.id];
    if (!profile && /^(us|eu|apac|global|jp|au|ca|us-gov)\./.test(use.id)) {
      const others = inventory.profiles.filter((p) => p.type === 'SYSTEM_DEFINED' && p.id.endsWith(use.id.substring(use.id.indexOf('.')))).map((p) => p.id);
      return finding('error', `the inference profile ${use.id} is not offered in ${use.region}`,
        others.length > 0 ? `use ${others.join(' or ')} in ${use.region}` : 'deploy in a source region of the profile, or pick another model');
    }
    const models = modelIds.map((id) => inventory.models.find((m) => m.modelId === id)).filter((m) => m !== undefined);
    if (models.length === 0) {
      return finding('error', `${use.id} is not served in ${use.region}`, 'deploy in a region that serves it, use an inference profile that routes to it, or pick another model');
    }
    const model = models[0]!;
    if (!profile && !model.onDemand) {
      return finding('error', `${use.id} cannot be invoked on demand in ${use.region}`,
        model.profiles.length > 0 ? `use the inference profile ${model.profiles.join(' or ')}` : 'buy Provisioned Throughput or pick another model');
    }
    if (model.access !== 'granted' && model.access !== 'unknown') {
      return finding('error', `access to ${model.modelId} is ${model.access}`, 'request access to the model (Bedrock console, Model access) or accept its agreement, in this account and region');
    }
    if (model.endOfLife !== undefined && model.endOfLife <= today) {
      return finding('error', `${model.modelId} reached its end of life on ${model.endOfLife}`, 'move to a current model (see `models`)');
    }
    if (model.lifecycle === 'LEGACY') {
      return finding('warning', `${model.modelId} is Legacy${model.endOfLife ? `, end of life ${model.endOfLife}` : ''}`, 'plan the move to a current model (see `models`)');
    }
    return finding('ok', model.access === 'unknown' ? 'served; access could not be checked' : 'served, access granted');
  });
}

function diagnoseArn(use: ModelUse, inventory: Inventory, finding: (status: Finding['status'], message: string, fix?: string) => Finding): Finding {
  const arnRegion = use.id.split(':')[3];
  if (arnRegion !== '' && arnRegion !== use.region) {
    return finding('error', `${use.id} is in ${arnRegion}, but the model is invoked in ${use.region}`, `deploy in ${arnRegion} or set the model's region to ${arnRegion}`);
  }
  if (use.id.includes(':provisioned-model/')) {
    const p = inventory.provisioned.find((x) => x.arn === use.id);
    if (p === undefined) return finding('error', 'no such Provisioned Throughput in this account and region', 'check the ARN (see `models`)');
    if (p.status !== 'InService') return finding('error', `the Provisioned Throughput is ${p.status}, not InService`, 'wait until it is InService, or fix it in the Bedrock console');
    return finding('ok', `Provisioned Throughput InService, ${p.modelUnits} model ${p.modelUnits === 1 ? 'unit' : 'units'}`);
  }
  if (use.id.includes(':application-inference-profile/')) {
    const p = inventory.profiles.find((x) => x.arn === use.id);
    if (p === undefined) return finding('error', 'no such application inference profile in this account and region', 'check the ARN (see `models`)');
    return finding(p.status === 'ACTIVE' ? 'ok' : 'error', `application inference profile ${p.status}`, p.status === 'ACTIVE' ? '' : 'wait until it is ACTIVE');
  }
  if (use.id.includes(':custom-model/')) {
    const m = inventory.customModels.find((x) => x.arn === use.id);
    if (m === undefined) return finding('error', 'no such custom model in this account and region', 'check the ARN (see `models`)');
    return finding(m.status === 'Active' ? 'ok' : 'error', `custom model ${m.status}`, m.status === 'Active' ? '' : 'wait until it is Active');
  }
  return finding('warning', 'an ARN this command cannot check', '');
}

/** Bad input from the user (exit code 2). */
export class UsageError extends Error {
  public readonly name = 'UsageError';
}
