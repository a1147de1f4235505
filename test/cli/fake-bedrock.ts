import * as http from 'http';
import { AddressInfo } from 'net';

/**
 * A local stand-in for the Bedrock control plane (the REST-JSON API of `bedrock.<region>.amazonaws.com`)
 * on 127.0.0.1: ListFoundationModels, ListInferenceProfiles, ListProvisionedModelThroughputs,
 * ListCustomModels and GetFoundationModelAvailability, paginated two items a page so that every
 * listing takes several pages. It refuses unsigned requests, as Bedrock does, and records what it got.
 */

export interface FakeBedrockModel {
  readonly modelId: string;
  readonly modelName: string;
  readonly providerName: string;
  readonly output: 'TEXT' | 'IMAGE' | 'EMBEDDING';
  readonly inferenceTypes: string[];
  readonly lifecycle?: 'ACTIVE' | 'LEGACY';
  readonly endOfLife?: string;
  /** Access: `granted` (default) or an agreement that is not accepted. */
  readonly agreement?: 'AVAILABLE' | 'NOT_AVAILABLE';
}

export interface FakeBedrockData {
  readonly models: FakeBedrockModel[];
  /** System profiles: id -> the model ids it routes to. */
  readonly profiles: Record<string, string[]>;
  readonly applicationProfiles?: { name: string; arn: string; modelId: string }[];
  readonly provisioned?: { name: string; arn: string; modelId: string; status: string; units: number }[];
  readonly customModels?: { name: string; arn: string; baseModelId: string; status: string }[];
}

/** What a region serves in the tests and the sessions of docs/cli.md (facts of the catalog, trimmed). */
export const US_EAST_1: FakeBedrockData = {
  models: [
    { modelId: 'anthropic.claude-haiku-4-5-20251001-v1:0', modelName: 'Claude Haiku 4.5', providerName: 'Anthropic', output: 'TEXT', inferenceTypes: ['INFERENCE_PROFILE'] },
    { modelId: 'amazon.nova-pro-v1:0', modelName: 'Nova Pro', providerName: 'Amazon', output: 'TEXT', inferenceTypes: ['ON_DEMAND', 'INFERENCE_PROFILE'] },
    { modelId: 'meta.llama3-70b-instruct-v1:0', modelName: 'Llama 3 70B Instruct', providerName: 'Meta', output: 'TEXT', inferenceTypes: ['ON_DEMAND'], lifecycle: 'LEGACY', endOfLife: '2026-01-15' },
    { modelId: 'deepseek.v3-v1:0', modelName: 'DeepSeek-V3.1', providerName: 'DeepSeek', output: 'TEXT', inferenceTypes: ['ON_DEMAND'], agreement: 'NOT_AVAILABLE' },
    { modelId: 'amazon.nova-canvas-v1:0', modelName: 'Nova Canvas', providerName: 'Amazon', output: 'IMAGE', inferenceTypes: ['ON_DEMAND'], lifecycle: 'LEGACY', endOfLife: '2026-09-30' },
    { modelId: 'amazon.titan-embed-text-v2:0', modelName: 'Titan Text Embeddings V2', providerName: 'Amazon', output: 'EMBEDDING', inferenceTypes: ['ON_DEMAND'] },
  ],
  profiles: {
    'global.anthropic.claude-haiku-4-5-20251001-v1:0': ['anthropic.claude-haiku-4-5-20251001-v1:0'],
    'us.anthropic.claude-haiku-4-5-20251001-v1:0': ['anthropic.claude-haiku-4-5-20251001-v1:0'],
    'us.amazon.nova-pro-v1:0': ['amazon.nova-pro-v1:0'],
  },
  applicationProfiles: [{ name: 'chat-team-a', arn: 'arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/a1b2c3', modelId: 'amazon.nova-pro-v1:0' }],
  provisioned: [
    { name: 'nova-pro-pt', arn: 'arn:aws:bedrock:us-east-1:111122223333:provisioned-model/pt0001', modelId: 'amazon.nova-pro-v1:0', status: 'InService', units: 1 },
    { name: 'nova-pro-pt-new', arn: 'arn:aws:bedrock:us-east-1:111122223333:provisioned-model/pt0002', modelId: 'amazon.nova-pro-v1:0', status: 'Creating', units: 1 },
  ],
  customModels: [{ name: 'support-tuned', arn: 'arn:aws:bedrock:us-east-1:111122223333:custom-model/amazon.nova-lite-v1:0/cm0001', baseModelId: 'amazon.nova-lite-v1:0', status: 'Active' }],
};

/** us-west-2, where Stability's image models are served. */
export const US_WEST_2: FakeBedrockData = {
  models: [
    { modelId: 'stability.stable-image-core-v1:1', modelName: 'Stable Image Core 1.1', providerName: 'Stability AI', output: 'IMAGE', inferenceTypes: ['ON_DEMAND'] },
    { modelId: 'anthropic.claude-haiku-4-5-20251001-v1:0', modelName: 'Claude Haiku 4.5', providerName: 'Anthropic', output: 'TEXT', inferenceTypes: ['INFERENCE_PROFILE'] },
    { modelId: 'amazon.titan-embed-text-v2:0', modelName: 'Titan Text Embeddings V2', providerName: 'Amazon', output: 'EMBEDDING', inferenceTypes: ['ON_DEMAND'] },
  ],
  profiles: { 'global.anthropic.claude-haiku-4-5-20251001-v1:0': ['anthropic.claude-haiku-4-5-20251001-v1:0'] },
};

export interface RecordedCall {
  readonly path: string;
  readonly query: URLSearchParams;
  readonly region?: string;
}

const PAGE_SIZE = 2;

export class FakeBedrock {
  public static async start(regions: Record<string, FakeBedrockData>): Promise<FakeBedrock> {
    const fake = new FakeBedrock(regions);
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  public readonly calls: RecordedCall[] = [];
  /** Answers every call with this error (for the error tests). */
  public failWith?: { status: number; type: string; message: string };
  private readonly server: http.Server;

  private constructor(private readonly regions: Record<string, FakeBedrockData>) {
    this.server = http.createServer((req, res) => this.handle(req, res));
    this.server.keepAliveTimeout = 1000;
  }

  public get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  public async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    // The signing region: Credential=<key>/<date>/<region>/bedrock/aws4_request.
    const region = /Credential=[^/]+\/\d+\/([^/]+)\/bedrock\/aws4_request/.exec(String(req.headers.authorization ?? ''))?.[1];
    this.calls.push({ path: url.pathname, query: url.searchParams, region });
    const json = (status: number, body: unknown, type?: string) => {
      res.writeHead(status, { 'content-type': 'application/json', ...(type ? { 'x-amzn-errortype': type } : {}) });
      res.end(JSON.stringify(body));
    };
    if (region === undefined) return json(403, { message: 'Missing Authentication Token' }, 'MissingAuthenticationTokenException');
    if (this.failWith) return json(this.failWith.status, { message: this.failWith.message }, this.failWith.type);
    const data = this.regions[region];
    if (data === undefined) return json(400, { message: `The region ${region} is not served by this stand-in` }, 'ValidationException');

    const page = <T>(items: T[]) => {
      const start = Number(url.searchParams.get('nextToken') ?? '0');
      const size = Number(url.searchParams.get('maxResults') ?? PAGE_SIZE);
      const next = start + Math.min(size, PAGE_SIZE);
      return { items: items.slice(start, next), nextToken: next < items.length ? String(next) : undefined };
    };
    const arn = (id: string) => `arn:aws:bedrock:${region}::foundation-model/${id}`;
    const availability = /^\/foundation-model-availability\/(.+)$/.exec(url.pathname);

    if (url.pathname === '/foundation-models') {
      return json(200, {
        modelSummaries: data.models.map((m) => ({
          modelArn: arn(m.modelId),
          modelId: m.modelId,
          modelName: m.modelName,
          providerName: m.providerName,
          inputModalities: ['TEXT'],
          outputModalities: [m.output],
          responseStreamingSupported: m.output === 'TEXT',
          inferenceTypesSupported: m.inferenceTypes,
          modelLifecycle: { status: m.lifecycle ?? 'ACTIVE', ...(m.endOfLife ? { endOfLifeTime: `${m.endOfLife}T00:00:00Z` } : {}) },
        })),
      });
    }
    if (url.pathname === '/inference-profiles') {
      const type = url.searchParams.get('type') ?? 'SYSTEM_DEFINED';
      const all = type === 'APPLICATION'
        ? (data.applicationProfiles ?? []).map((p) => ({ inferenceProfileId: p.arn.split('/').pop(), inferenceProfileArn: p.arn, inferenceProfileName: p.name, models: [{ modelArn: arn(p.modelId) }], type }))
        : Object.entries(data.profiles).map(([id, ids]) => ({
          inferenceProfileId: id,
          inferenceProfileName: id,
          inferenceProfileArn: `arn:aws:bedrock:${region}:111122223333:inference-profile/${id}`,
          models: ids.map((m) => ({ modelArn: arn(m) })),
          type,
        }));
      const { items, nextToken } = page(all.map((p) => ({ ...p, status: 'ACTIVE' })));
      return json(200, { inferenceProfileSummaries: items, nextToken });
    }
    if (url.pathname === '/provisioned-model-throughputs') {
      const { items, nextToken } = page((data.provisioned ?? []).map((p) => ({
        provisionedModelName: p.name,
        provisionedModelArn: p.arn,
        modelArn: arn(p.modelId),
        desiredModelArn: arn(p.modelId),
        foundationModelArn: arn(p.modelId),
        modelUnits: p.units,
        desiredModelUnits: p.units,
        status: p.status,
        creationTime: '2026-11-01T00:00:00Z',
        lastModifiedTime: '2026-11-01T00:00:00Z',
      })));
      return json(200, { provisionedModelSummaries: items, nextToken });
    }
    if (url.pathname === '/custom-models') {
      const { items, nextToken } = page((data.customModels ?? []).map((m) => ({
        modelArn: m.arn, modelName: m.name, creationTime: '2026-11-01T00:00:00Z', baseModelArn: arn(m.baseModelId), baseModelName: m.baseModelId, modelStatus: m.status,
      })));
      return json(200, { modelSummaries: items, nextToken });
    }
    if (availability) {
      const model = data.models.find((m) => m.modelId === decodeURIComponent(availability[1]));
      if (model === undefined) return json(404, { message: 'model not found' }, 'ResourceNotFoundException');
      return json(200, {
        modelId: model.modelId,
        agreementAvailability: { status: model.agreement ?? 'AVAILABLE' },
        authorizationStatus: 'AUTHORIZED',
        entitlementAvailability: 'AVAILABLE',
        regionAvailability: 'AVAILABLE',
      });
    }
    return json(404, { message: `${url.pathname} is not served by this stand-in` }, 'UnknownOperationException');
  }
}
