/**
 * `models` and `doctor` against a mocked Bedrock client (aws-sdk-client-mock): every listing is
 * read to its last page, each output format, and one-line errors with the documented exit codes.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  BedrockClient,
  GetFoundationModelAvailabilityCommand,
  ListCustomModelsCommand,
  ListFoundationModelsCommand,
  ListInferenceProfilesCommand,
  ListProvisionedModelThroughputsCommand,
} from '@aws-sdk/client-bedrock';
import { App, Stack } from 'aws-cdk-lib';
import { mockClient } from 'aws-sdk-client-mock';
import { BedrockImageChat } from '../../src';
import { describeAwsError } from '../../src/cli/errors';
import { CliIo, EXIT_AWS, EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, run } from '../../src/cli/main';
import { CatalogEntry, catalogEntryProblems } from '../../src/private/catalog-data';

// The SDK's Node.js 20 notice is not what these tests are about.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const bedrock = mockClient(BedrockClient);

const arn = (id: string) => `arn:aws:bedrock:us-east-1::foundation-model/${id}`;
const HAIKU = 'anthropic.claude-haiku-4-5-20251001-v1:0';
const TITAN = 'amazon.titan-embed-text-v2:0';
const CANVAS = 'amazon.nova-canvas-v1:0';

function io(): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t), interactive: false, env: {}, today: '2026-12-02' };
}

function awsError(name: string, message: string, status: number): Error {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });
}

beforeEach(() => {
  bedrock.reset();
  bedrock.on(ListFoundationModelsCommand).resolves({
    modelSummaries: [
      { modelId: HAIKU, modelArn: arn(HAIKU), providerName: 'Anthropic', outputModalities: ['TEXT'], inferenceTypesSupported: ['INFERENCE_PROFILE' as any], modelLifecycle: { status: 'ACTIVE' } },
      { modelId: TITAN, modelArn: arn(TITAN), providerName: 'Amazon', outputModalities: ['EMBEDDING'], inferenceTypesSupported: ['ON_DEMAND'], modelLifecycle: { status: 'ACTIVE' } },
      { modelId: CANVAS, modelArn: arn(CANVAS), providerName: 'Amazon', outputModalities: ['IMAGE'], inferenceTypesSupported: ['ON_DEMAND'], modelLifecycle: { status: 'LEGACY', endOfLifeTime: new Date('2027-03-31T00:00:00Z') } },
      // A speech model: not a chat, image or embedding model, so not listed.
      { modelId: 'amazon.nova-sonic-v1:0', modelArn: arn('amazon.nova-sonic-v1:0'), outputModalities: ['SPEECH' as any], inferenceTypesSupported: ['ON_DEMAND'] },
    ],
  });
  // Two pages of system profiles, one of application profiles.
  bedrock.on(ListInferenceProfilesCommand, { typeEquals: 'SYSTEM_DEFINED' }).resolves({
    inferenceProfileSummaries: [{ inferenceProfileId: `global.${HAIKU}`, inferenceProfileArn: 'arn:p1', inferenceProfileName: 'p1', status: 'ACTIVE', type: 'SYSTEM_DEFINED', models: [{ modelArn: arn(HAIKU) }] }],
    nextToken: 'page2',
  });
  bedrock.on(ListInferenceProfilesCommand, { typeEquals: 'SYSTEM_DEFINED', nextToken: 'page2' }).resolves({
    inferenceProfileSummaries: [{ inferenceProfileId: `us.${HAIKU}`, inferenceProfileArn: 'arn:p2', inferenceProfileName: 'p2', status: 'ACTIVE', type: 'SYSTEM_DEFINED', models: [{ modelArn: arn(HAIKU) }] }],
  });
  bedrock.on(ListInferenceProfilesCommand, { typeEquals: 'APPLICATION' }).resolves({ inferenceProfileSummaries: [] });
  bedrock.on(ListProvisionedModelThroughputsCommand).resolves({
    provisionedModelSummaries: [{ provisionedModelName: 'pt-a', provisionedModelArn: 'arn:aws:bedrock:us-east-1:111122223333:provisioned-model/a', modelArn: arn(TITAN), desiredModelArn: arn(TITAN), foundationModelArn: arn(TITAN), modelUnits: 1, desiredModelUnits: 1, status: 'InService', creationTime: new Date(), lastModifiedTime: new Date() }],
    nextToken: 't2',
  });
  bedrock.on(ListProvisionedModelThroughputsCommand, { nextToken: 't2' }).resolves({
    provisionedModelSummaries: [{ provisionedModelName: 'pt-b', provisionedModelArn: 'arn:aws:bedrock:us-east-1:111122223333:provisioned-model/b', modelArn: arn(TITAN), desiredModelArn: arn(TITAN), foundationModelArn: arn(TITAN), modelUnits: 2, desiredModelUnits: 2, status: 'Failed', creationTime: new Date(), lastModifiedTime: new Date() }],
  });
  bedrock.on(ListCustomModelsCommand).resolves({ modelSummaries: [] });
  bedrock.on(GetFoundationModelAvailabilityCommand).resolves({
    agreementAvailability: { status: 'AVAILABLE' }, authorizationStatus: 'AUTHORIZED', entitlementAvailability: 'AVAILABLE', regionAvailability: 'AVAILABLE',
  });
  bedrock.on(GetFoundationModelAvailabilityCommand, { modelId: TITAN }).resolves({
    agreementAvailability: { status: 'PENDING' }, authorizationStatus: 'AUTHORIZED', entitlementAvailability: 'AVAILABLE', regionAvailability: 'AVAILABLE',
  });
});

describe('models', () => {
  test('json: every page of every listing, kinds, on-demand or profile, lifecycle and access', async () => {
    const cli = io();
    expect(await run(['models', '--region', 'us-east-1', '--output', 'json'], cli)).toBe(EXIT_OK);
    const listing = JSON.parse(cli.stdout.join('\n'));
    expect(listing.models.map((m: any) => [m.modelId, m.kind, m.onDemand, m.lifecycle, m.access])).toEqual([
      [HAIKU, 'chat', false, 'ACTIVE', 'granted'],
      [TITAN, 'embedding', true, 'ACTIVE', 'not granted (agreement pending)'],
      [CANVAS, 'image', true, 'LEGACY', 'granted'],
    ]);
    expect(listing.models[0].profiles).toEqual([`global.${HAIKU}`, `us.${HAIKU}`]);
    expect(listing.models[2].endOfLife).toBe('2027-03-31');
    expect(listing.provisioned.map((p: any) => [p.name, p.status])).toEqual([['pt-a', 'InService'], ['pt-b', 'Failed']]);
    expect(bedrock.commandCalls(ListInferenceProfilesCommand)).toHaveLength(3);
    expect(bedrock.commandCalls(GetFoundationModelAvailabilityCommand)).toHaveLength(3);
  });

  test('table: one table per kind, then snippets that name catalog members', async () => {
    const cli = io();
    expect(await run(['models', '--region', 'us-east-1'], cli)).toBe(EXIT_OK);
    const text = cli.stdout.join('\n');
    expect(text).toMatch(/chat models in us-east-1:[\s\S]*image models in us-east-1:[\s\S]*embedding models in us-east-1:/);
    expect(text).toContain(`profile global.${HAIKU}, us.${HAIKU}`);
    expect(text).toContain('LEGACY (end 2027-03-31)');
    // Haiku through its global profile is a catalog member; Titan is not granted, Canvas is Legacy.
    expect(text).toContain('TypeScript:\nmodels: [\n  BedrockModel.ANTHROPIC_CLAUDE_HAIKU_4_5_GLOBAL,\n],');
    expect(text).toContain('Python:\nmodels=[\n    BedrockModel.ANTHROPIC_CLAUDE_HAIKU_4_5_GLOBAL,\n],');
  });

  test('--no-access skips the availability calls', async () => {
    const cli = io();
    expect(await run(['models', '--region', 'us-east-1', '--no-access', '--output', 'json'], cli)).toBe(EXIT_OK);
    expect(bedrock.commandCalls(GetFoundationModelAvailabilityCommand)).toHaveLength(0);
    expect(JSON.parse(cli.stdout.join('\n')).models[0].access).toBe('unknown');
  });

  test('--update-catalog writes catalog rows and merges another region into them', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'catalog-')), 'catalog.json');
    expect(await run(['models', '--region', 'us-east-1', '--update-catalog', file], io())).toBe(EXIT_OK);
    expect(await run(['models', '--region', 'eu-west-1', '--update-catalog', file], io())).toBe(EXIT_OK);
    const rows = JSON.parse(fs.readFileSync(file, 'utf-8'));
    const titan = rows.find((r: any) => r.modelId === TITAN);
    expect(titan).toMatchObject({ kind: 'EMBEDDING', access: 'FOUNDATION_MODEL', lifecycle: 'ACTIVE', regions: ['eu-west-1', 'us-east-1'] });
    // Haiku is invoked through its profiles only: one row per profile.
    expect(rows.find((r: any) => r.modelId === `global.${HAIKU}`)).toMatchObject({ kind: 'CHAT', access: 'GLOBAL_INFERENCE_PROFILE', regions: [] });
    expect(rows.find((r: any) => r.modelId === CANVAS)).toMatchObject({ lifecycle: 'LEGACY', endOfLifeDate: '2027-03-31', apis: ['INVOKE'] });
    // Every row is one the catalog table accepts, with the APIs to check against the model card.
    expect(rows.flatMap((r: CatalogEntry) => catalogEntryProblems(r).map((p) => `${r.modelId}: ${p}`))).toEqual([]);
    expect(rows.find((r: any) => r.modelId === `global.${HAIKU}`).apis).toEqual(['INVOKE', 'CONVERSE']);
  });

  test('--update-catalog keeps the APIs a reviewer set on a row', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'catalog-')), 'catalog.json');
    expect(await run(['models', '--region', 'us-east-1', '--update-catalog', file], io())).toBe(EXIT_OK);
    const reviewed = JSON.parse(fs.readFileSync(file, 'utf-8')).map((r: CatalogEntry) => (r.modelId === `global.${HAIKU}` ? { ...r, apis: ['CONVERSE', 'MESSAGES'] } : r));
    fs.writeFileSync(file, JSON.stringify(reviewed));
    expect(await run(['models', '--region', 'us-east-1', '--update-catalog', file], io())).toBe(EXIT_OK);
    expect(JSON.parse(fs.readFileSync(file, 'utf-8')).find((r: any) => r.modelId === `global.${HAIKU}`).apis).toEqual(['CONVERSE', 'MESSAGES']);
  });
});

describe('doctor', () => {
  test('reports each model that would fail and why, and exits 1', async () => {
    const cli = io();
    const code = await run(['doctor', '--region', 'us-east-1', '--output', 'json', 'ANTHROPIC_CLAUDE_HAIKU_4_5_GLOBAL', HAIKU, TITAN, CANVAS, 'eu.amazon.nova-pro-v1:0',
      'arn:aws:bedrock:us-east-1:111122223333:provisioned-model/b', 'arn:aws:bedrock:us-east-1:111122223333:provisioned-model/a', arn(HAIKU)], cli);
    expect(code).toBe(EXIT_PROBLEMS);
    const findings = JSON.parse(cli.stdout.join('\n'));
    expect(findings.map((f: any) => [f.model, f.status])).toEqual([
      ['ANTHROPIC_CLAUDE_HAIKU_4_5_GLOBAL', 'ok'],
      [HAIKU, 'error'],
      [TITAN, 'error'],
      [CANVAS, 'warning'],
      ['eu.amazon.nova-pro-v1:0', 'error'],
      ['arn:aws:bedrock:us-east-1:111122223333:provisioned-model/b', 'error'],
      ['arn:aws:bedrock:us-east-1:111122223333:provisioned-model/a', 'ok'],
      [arn(HAIKU), 'error'],
    ]);
    expect(findings[7].message).toBe(`${HAIKU} cannot be invoked on demand in us-east-1`);
    expect(findings[1].fix).toBe(`use the inference profile global.${HAIKU} or us.${HAIKU}`);
    expect(findings[2].message).toContain('agreement pending');
    expect(findings[5].message).toContain('Failed, not InService');
  });

  test('--template: the models of a synthesized deployment, each in the region it is invoked in', async () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'doctor-cdk-out-'));
    const app = new App({ outdir });
    new BedrockImageChat(new Stack(app, 'Chat', { env: { account: '111122223333', region: 'us-east-1' } }), 'Chat');
    app.synth();
    const cli = io();
    const code = await run(['doctor', '--region', 'us-east-1', '--output', 'json', '--template', path.join(outdir, 'Chat.template.json')], cli);
    fs.rmSync(outdir, { recursive: true, force: true });
    const findings = JSON.parse(cli.stdout.join('\n'));
    // The us-east-1 defaults: Claude Haiku 4.5 (global profile) and Titan (agreement pending here).
    expect(findings.map((f: any) => [f.model, f.region, f.status])).toEqual([
      ['claude-haiku-4.5', 'us-east-1', 'ok'],
      ['titan-embed-text-v2', 'us-east-1', 'error'],
    ]);
    expect(code).toBe(EXIT_PROBLEMS);
  });

  test('--template of a stack without LiteLLM is a usage error', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'doctor-')), 'Other.template.json');
    fs.writeFileSync(file, JSON.stringify({ Resources: {} }));
    const cli = io();
    expect(await run(['doctor', '--region', 'us-east-1', '--template', file], cli)).toBe(EXIT_USAGE);
    expect(cli.stderr.join('\n')).toContain('holds no LiteLLM service with a staged configuration');
  });

  test('a model past its end of life is an error, on the day itself', async () => {
    const cli = { ...io(), today: '2027-03-31' };
    expect(await run(['doctor', '--region', 'us-east-1', '--output', 'json', CANVAS], cli)).toBe(EXIT_PROBLEMS);
    expect(JSON.parse(cli.stdout.join('\n'))[0]).toMatchObject({ status: 'error', message: `${CANVAS} reached its end of life on 2027-03-31` });
  });

  test('exits 0 when every model is fine, and checks a pinned region in that region', async () => {
    const cli = io();
    expect(await run(['doctor', '--region', 'us-east-1', 'ANTHROPIC_CLAUDE_HAIKU_4_5_GLOBAL', 'STABILITY_STABLE_IMAGE_CORE_V1_1'], cli)).toBe(EXIT_PROBLEMS);
    // Stability's model is invoked in us-west-2, whose (mocked) listing lacks it.
    expect(cli.stdout.join('\n')).toMatch(/STABILITY_STABLE_IMAGE_CORE_V1_1 +│ us-west-2 │ ERROR/);
    expect(await run(['doctor', '--region', 'us-east-1', 'ANTHROPIC_CLAUDE_HAIKU_4_5_GLOBAL'], io())).toBe(EXIT_OK);
  });

  test('an unknown catalog name, no model and no region are usage errors (exit 2)', async () => {
    const unknown = io();
    expect(await run(['doctor', '--region', 'us-east-1', 'CLAUDE_9'], unknown)).toBe(EXIT_USAGE);
    expect(unknown.stderr.join('\n')).toContain("'CLAUDE_9' is not a catalog model");
    const none = io();
    expect(await run(['doctor', '--region', 'us-east-1'], none)).toBe(EXIT_USAGE);
    expect(none.stderr.join('\n')).toContain('name the models to check, or pass --template');
    const noRegion = io();
    expect(await run(['doctor', 'ANTHROPIC_CLAUDE_HAIKU_4_5_GLOBAL'], noRegion)).toBe(EXIT_USAGE);
    expect(noRegion.stderr.join('\n')).toContain('no region: pass --region, set AWS_REGION, or set a region in the profile');
    expect(bedrock.calls()).toHaveLength(0);
  });
});

describe('errors: one line, exit 3', () => {
  test.each([
    ['access denied', awsError('AccessDeniedException', 'User is not authorized to perform: bedrock:ListFoundationModels', 403), /^error: access denied \(User is not authorized.*\): the CLI needs bedrock:ListFoundationModels/],
    ['throttled after retries', awsError('ThrottlingException', 'Rate exceeded', 429), /^error: Bedrock throttled the calls, still after retries \(Rate exceeded\)/],
    ['no credentials', Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }), /^error: no AWS credentials found: set AWS_PROFILE or pass --profile/],
    ['invalid credentials', awsError('UnrecognizedClientException', 'The security token included in the request is invalid.', 403), /^error: AWS refused the credentials \(UnrecognizedClientException\)/],
  ])('%s', async (_label, error, expected) => {
    bedrock.on(ListFoundationModelsCommand).rejects(error);
    const cli = io();
    expect(await run(['models', '--region', 'us-east-1'], cli)).toBe(EXIT_AWS);
    expect(cli.stderr).toHaveLength(1);
    expect(cli.stderr[0]).toMatch(expected);
    expect(cli.stdout).toEqual([]);
  });

  test('an unknown region name fails to resolve: the message says to check the region', () => {
    const e = Object.assign(new Error('getaddrinfo ENOTFOUND bedrock.xx-nowhere-1.amazonaws.com'), { code: 'ENOTFOUND' });
    expect(describeAwsError(e)).toMatch(/^cannot reach Bedrock .*: check the region name/);
  });

  test('a malformed region is refused before any call (exit 2)', async () => {
    const cli = io();
    expect(await run(['models', '--region', 'virginia'], cli)).toBe(EXIT_USAGE);
    expect(cli.stderr.join('\n')).toContain("--region is 'virginia', which is not a region name such as us-east-1");
    expect(bedrock.calls()).toHaveLength(0);
  });
});

describe('help and usage', () => {
  test.each(['models', 'doctor', 'local', 'cost'])('%s --help describes the command and exits 0', async (command) => {
    const cli = io();
    expect(await run([command, '--help'], cli)).toBe(EXIT_OK);
    expect(cli.stdout.join('\n')).toContain(`Usage: cdk-bedrock-image-chat ${command}`);
  });

  test('an unknown command or option exits 2 with the help', async () => {
    const cli = io();
    expect(await run(['modles'], cli)).toBe(EXIT_USAGE);
    expect(cli.stderr.join('\n')).toMatch(/unknown command 'modles'/);
    expect(await run(['models', '--output', 'yaml'], io())).toBe(EXIT_USAGE);
  });
});
