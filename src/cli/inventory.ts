import {
  BedrockClient,
  FoundationModelSummary,
  GetFoundationModelAvailabilityCommand,
  InferenceProfileSummary,
  ListFoundationModelsCommand,
  paginateListCustomModels,
  paginateListInferenceProfiles,
  paginateListProvisionedModelThroughputs,
} from '@aws-sdk/client-bedrock';

/** What the account can use in one region, as the Bedrock control plane lists it. */

export type ModelKind = 'chat' | 'image' | 'embedding';

export interface ModelRow {
  readonly modelId: string;
  readonly modelArn: string;
  readonly name: string;
  readonly provider: string;
  readonly kind: ModelKind;
  /** ACTIVE or LEGACY. */
  readonly lifecycle: string;
  /** YYYY-MM-DD, when announced. */
  readonly endOfLife?: string;
  /** Whether the model can be invoked by its own id (otherwise through an inference profile only). */
  readonly onDemand: boolean;
  /** The system inference profiles that route to this model. */
  readonly profiles: string[];
  /** `granted`, `not granted` (with why) or `unknown` (the availability call was refused). */
  readonly access: string;
}

export interface ProfileRow {
  readonly id: string;
  readonly arn: string;
  readonly name: string;
  readonly type: 'SYSTEM_DEFINED' | 'APPLICATION';
  readonly status: string;
  /** The foundation model ids it routes to (from the models' ARNs). */
  readonly modelIds: string[];
}

export interface ProvisionedRow {
  readonly name: string;
  readonly arn: string;
  readonly modelArn: string;
  readonly status: string;
  readonly modelUnits: number;
}

export interface CustomModelRow {
  readonly name: string;
  readonly arn: string;
  readonly baseModel: string;
  readonly status: string;
}

export interface Inventory {
  readonly region: string;
  readonly models: ModelRow[];
  readonly profiles: ProfileRow[];
  readonly provisioned: ProvisionedRow[];
  readonly customModels: CustomModelRow[];
}

/** Tells the user what the command is waiting for (a spinner on a terminal, nothing otherwise). */
export interface Progress {
  update(text: string): void;
}

/** How many availability calls run at once (one per model; Bedrock throttles bursts). */
const AVAILABILITY_CONCURRENCY = 4;

/** The model's id from a foundation-model ARN (`arn:aws:bedrock:<region>::foundation-model/<id>`). */
export function modelIdOfArn(arn: string): string {
  return arn.substring(arn.lastIndexOf('/') + 1);
}

function kindOf(m: FoundationModelSummary): ModelKind | undefined {
  const out = m.outputModalities ?? [];
  if (out.includes('IMAGE')) return 'image';
  if (out.includes('EMBEDDING')) return 'embedding';
  if (out.includes('TEXT')) return 'chat';
  return undefined;
}

const day = (d: Date | undefined) => (d === undefined ? undefined : d.toISOString().substring(0, 10));

/** Lists everything the `models` and `doctor` commands need, every listing to its last page. */
export async function fetchInventory(client: BedrockClient, region: string, progress: Progress, checkAccess = true): Promise<Inventory> {
  progress.update(`listing foundation models in ${region}`);
  const listed = (await client.send(new ListFoundationModelsCommand({}))).modelSummaries ?? [];

  progress.update(`listing inference profiles in ${region}`);
  const profiles: ProfileRow[] = [];
  for (const type of ['SYSTEM_DEFINED', 'APPLICATION'] as const) {
    for await (const page of paginateListInferenceProfiles({ client }, { typeEquals: type })) {
      profiles.push(...(page.inferenceProfileSummaries ?? []).map((p) => profileRow(p, type)));
    }
  }

  progress.update(`listing provisioned throughputs and custom models in ${region}`);
  const provisioned: ProvisionedRow[] = [];
  for await (const page of paginateListProvisionedModelThroughputs({ client }, {})) {
    provisioned.push(...(page.provisionedModelSummaries ?? []).map((p) => ({
      name: p.provisionedModelName ?? '',
      arn: p.provisionedModelArn ?? '',
      modelArn: p.modelArn ?? '',
      status: p.status ?? 'unknown',
      modelUnits: p.modelUnits ?? 0,
    })));
  }
  const customModels: CustomModelRow[] = [];
  for await (const page of paginateListCustomModels({ client }, {})) {
    customModels.push(...(page.modelSummaries ?? []).map((m) => ({
      name: m.modelName ?? '',
      arn: m.modelArn ?? '',
      baseModel: m.baseModelName ?? modelIdOfArn(m.baseModelArn ?? ''),
      status: m.modelStatus ?? 'unknown',
    })));
  }

  const usable = listed.filter((m) => kindOf(m) !== undefined);
  const access = new Map<string, string>();
  if (checkAccess) {
    let done = 0;
    const queue = [...usable];
    const worker = async () => {
      for (let m = queue.shift(); m !== undefined; m = queue.shift()) {
        access.set(m.modelId!, await accessOf(client, m.modelId!));
        progress.update(`checking model access in ${region} (${++done}/${usable.length})`);
      }
    };
    await Promise.all(Array.from({ length: AVAILABILITY_CONCURRENCY }, worker));
  }

  const models: ModelRow[] = usable.map((m) => ({
    modelId: m.modelId!,
    modelArn: m.modelArn ?? '',
    name: m.modelName ?? m.modelId!,
    provider: m.providerName ?? '',
    kind: kindOf(m)!,
    lifecycle: m.modelLifecycle?.status ?? 'ACTIVE',
    endOfLife: day(m.modelLifecycle?.endOfLifeTime),
    onDemand: (m.inferenceTypesSupported ?? []).includes('ON_DEMAND'),
    profiles: profiles.filter((p) => p.type === 'SYSTEM_DEFINED' && p.modelIds.includes(m.modelId!)).map((p) => p.id),
    access: access.get(m.modelId!) ?? 'unknown',
  })).sort((a, b) => a.kind.localeCompare(b.kind) || a.provider.localeCompare(b.provider) || a.modelId.localeCompare(b.modelId));
  return { region, models, profiles, provisioned, customModels };
}

function profileRow(p: InferenceProfileSummary, type: 'SYSTEM_DEFINED' | 'APPLICATION'): ProfileRow {
  return {
    id: p.inferenceProfileId ?? '',
    arn: p.inferenceProfileArn ?? '',
    name: p.inferenceProfileName ?? '',
    type,
    status: p.status ?? 'unknown',
    modelIds: [...new Set((p.models ?? []).map((m) => modelIdOfArn(m.modelArn ?? '')))],
  };
}

/** Whether the account may invoke a model: authorized, entitled, agreement accepted, served in the region. */
async function accessOf(client: BedrockClient, modelId: string): Promise<string> {
  try {
    const a = await client.send(new GetFoundationModelAvailabilityCommand({ modelId }));
    const missing = [
      a.authorizationStatus !== 'AUTHORIZED' ? 'not authorized' : '',
      a.entitlementAvailability !== 'AVAILABLE' ? 'no entitlement' : '',
      a.agreementAvailability?.status !== 'AVAILABLE' ? `agreement ${String(a.agreementAvailability?.status ?? 'missing').toLowerCase()}` : '',
      a.regionAvailability !== 'AVAILABLE' ? 'not in this region' : '',
    ].filter((s) => s !== '');
    return missing.length === 0 ? 'granted' : `not granted (${missing.join(', ')})`;
  } catch (e: any) {
    if (e?.name === 'AccessDeniedException' || e?.name === 'ValidationException' || e?.name === 'ResourceNotFoundException') return 'unknown';
    throw e;
  }
}
