/**
 * The CLI as a process against a local server on 127.0.0.1 that speaks the Bedrock control-plane
 * API (the endpoint set by AWS_ENDPOINT_URL_BEDROCK): the real SDK client signs, paginates, retries
 * and parses, and the exit codes are what scripts see.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runCli, standInEnvironment } from './cli-process';
import { FakeBedrock, US_EAST_1, US_WEST_2 } from './fake-bedrock';

jest.setTimeout(180_000);

let bedrock: FakeBedrock;

beforeAll(async () => {
  bedrock = await FakeBedrock.start({ 'us-east-1': US_EAST_1, 'us-west-2': US_WEST_2 });
});

afterAll(async () => {
  await bedrock?.stop();
});

beforeEach(() => {
  bedrock.calls.length = 0;
  bedrock.failWith = undefined;
});

test('models: signed calls in the region, every page, parsed into the listing', async () => {
  const result = await runCli(['models', '--region', 'us-east-1', '--output', 'json'], standInEnvironment(bedrock.url));
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  const listing = JSON.parse(result.stdout);
  expect(listing.models.map((m: any) => m.modelId)).toEqual(expect.arrayContaining(US_EAST_1.models.map((m) => m.modelId)));
  expect(listing.models.find((m: any) => m.modelId === 'amazon.nova-canvas-v1:0')).toMatchObject({ kind: 'image', lifecycle: 'LEGACY', endOfLife: '2026-09-30' });
  expect(listing.models.find((m: any) => m.modelId === 'deepseek.v3-v1:0').access).toBe('not granted (agreement not_available)');
  expect(listing.profiles.filter((p: any) => p.type === 'SYSTEM_DEFINED')).toHaveLength(3);
  expect(listing.provisioned.map((p: any) => p.status)).toEqual(['InService', 'Creating']);
  expect(listing.customModels[0]).toMatchObject({ name: 'support-tuned', status: 'Active' });
  // Three system profiles at two a page: two pages, the second asked for with the first's token.
  const profilePages = bedrock.calls.filter((c) => c.path === '/inference-profiles' && c.query.get('type') === 'SYSTEM_DEFINED');
  expect(profilePages.map((c) => c.query.get('nextToken'))).toEqual([null, '2']);
  expect(new Set(bedrock.calls.map((c) => c.region))).toEqual(new Set(['us-east-1']));
});

test('doctor: reads a region per pinned model and exits 1 on a model that would fail', async () => {
  const result = await runCli(['doctor', '--region', 'us-east-1', 'ANTHROPIC_CLAUDE_HAIKU_4_5_GLOBAL', 'STABILITY_STABLE_IMAGE_CORE_V1_1', 'deepseek.v3-v1:0'], standInEnvironment(bedrock.url));
  expect(result.code).toBe(1);
  expect(result.stdout).toMatch(/ANTHROPIC_CLAUDE_HAIKU_4_5_GLOBAL +│ us-east-1 │ OK/);
  expect(result.stdout).toMatch(/STABILITY_STABLE_IMAGE_CORE_V1_1 +│ us-west-2 │ OK/);
  expect(result.stdout).toMatch(/deepseek.v3-v1:0 +│ us-east-1 │ ERROR +│ access to deepseek.v3-v1:0 is not granted/);
  expect(new Set(bedrock.calls.map((c) => c.region))).toEqual(new Set(['us-east-1', 'us-west-2']));
});

test('access denied: one line on stderr, exit 3, nothing on stdout', async () => {
  bedrock.failWith = { status: 403, type: 'AccessDeniedException', message: 'User: arn:aws:iam::111122223333:user/dev is not authorized to perform: bedrock:ListFoundationModels' };
  const result = await runCli(['models', '--region', 'us-east-1'], standInEnvironment(bedrock.url));
  expect(result.code).toBe(3);
  expect(result.stdout).toBe('');
  expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^error: access denied \(User: .* is not authorized to perform: bedrock:ListFoundationModels\): the CLI needs/)]);
});

test('throttling: the client retries (five attempts), then one line and exit 3', async () => {
  bedrock.failWith = { status: 400, type: 'ThrottlingException', message: 'Too many requests, please wait before trying again.' };
  const result = await runCli(['models', '--region', 'us-east-1'], standInEnvironment(bedrock.url));
  expect(result.code).toBe(3);
  expect(result.stderr.trim()).toMatch(/^error: Bedrock throttled the calls, still after retries/);
  expect(bedrock.calls.filter((c) => c.path === '/foundation-models')).toHaveLength(5);
});

test('no credentials anywhere: one line that says how to provide them, exit 3, no call made', async () => {
  const result = await runCli(['models', '--region', 'us-east-1'], { AWS_ENDPOINT_URL_BEDROCK: bedrock.url });
  expect(result.code).toBe(3);
  expect(result.stderr.trim()).toMatch(/^error: no AWS credentials found: set AWS_PROFILE or pass --profile/);
  expect(bedrock.calls).toHaveLength(0);
});

test('--profile reads the named profile of the shared files', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-profile-'));
  fs.writeFileSync(path.join(dir, 'credentials'), '[chat-admin]\naws_access_key_id = AKIAPROFILETEST00000\naws_secret_access_key = profile-secret\n');
  const result = await runCli(['models', '--region', 'us-east-1', '--profile', 'chat-admin', '--no-access'], {
    AWS_ENDPOINT_URL_BEDROCK: bedrock.url,
    AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'credentials'),
    AWS_CONFIG_FILE: path.join(dir, 'config'),
  });
  expect(result.code).toBe(0);
  expect(bedrock.calls.length).toBeGreaterThan(0);
  const other = await runCli(['models', '--region', 'us-east-1', '--profile', 'someone-else'], {
    AWS_ENDPOINT_URL_BEDROCK: bedrock.url,
    AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'credentials'),
    AWS_CONFIG_FILE: path.join(dir, 'config'),
  });
  expect(other.code).toBe(3);
  expect(other.stderr).toMatch(/^error: no AWS credentials found for profile someone-else: set AWS_PROFILE/);
});

test('without --region, the region comes from the profile\'s configuration', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-region-'));
  fs.writeFileSync(path.join(dir, 'config'), '[profile chat-west]\nregion = us-west-2\n');
  fs.writeFileSync(path.join(dir, 'credentials'), '[chat-west]\naws_access_key_id = AKIAPROFILETEST00000\naws_secret_access_key = profile-secret\n');
  const files = { AWS_CONFIG_FILE: path.join(dir, 'config'), AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'credentials') };
  const result = await runCli(['models', '--profile', 'chat-west', '--no-access', '--output', 'json'], { AWS_ENDPOINT_URL_BEDROCK: bedrock.url, ...files });
  expect(result.code).toBe(0);
  expect(JSON.parse(result.stdout).region).toBe('us-west-2');
  expect(new Set(bedrock.calls.map((c) => c.region))).toEqual(new Set(['us-west-2']));
  const none = await runCli(['models'], { AWS_ENDPOINT_URL_BEDROCK: bedrock.url, ...files });
  expect(none.code).toBe(2);
  expect(none.stderr.trim()).toBe('error: no region: pass --region, set AWS_REGION, or set a region in the profile');
});
