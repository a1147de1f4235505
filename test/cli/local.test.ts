/**
 * `local`: the compose file is valid under the Compose Specification's JSON schema
 * (test/cli/compose-spec.json, compose-spec/compose-spec@170098b, Apache-2.0), runs the pinned
 * images, and holds the settings the constructs render; secrets are generated once and kept.
 * test/contract/local-setup.test.ts loads the LiteLLM file in the real LiteLLM.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import Ajv from 'ajv';
import { LiteLLMService, OpenWebUIService } from '../../src';
import { LOCAL_SECRETS, renderLocalSetup } from '../../src/cli/local';
import { CliIo, EXIT_OK, EXIT_USAGE, run } from '../../src/cli/main';

// The schema names draft 07 by an https:// URI that ajv does not know by that name; it is draft 07.
const { $schema: _draft, ...schema } = JSON.parse(fs.readFileSync(path.join(__dirname, 'compose-spec.json'), 'utf-8'));
const validate = new Ajv({ strict: false, allErrors: true, validateFormats: false }).compile(schema);

function io(): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t), interactive: false, env: {} };
}

let dir: string;
beforeEach(() => {
  dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'local-')), 'chat');
});

test('the compose file is valid under the Compose Specification schema', async () => {
  expect(await run(['local', '--region', 'us-west-2', '--dir', dir], io())).toBe(EXIT_OK);
  const compose = JSON.parse(fs.readFileSync(path.join(dir, 'compose.yaml'), 'utf-8'));
  const valid = validate(compose);
  expect(validate.errors ?? []).toEqual([]);
  expect(valid).toBe(true);
});

test('the schema check can fail: a service with an unknown key is refused', () => {
  const { compose } = renderLocalSetup({ region: 'us-west-2', port: 3000 });
  expect(validate({ ...compose, services: { ...compose.services, litellm: { ...compose.services.litellm, imagee: 'typo' } } })).toBe(false);
});

test('the pinned images, Open WebUI on localhost only, LiteLLM reached by its service name', () => {
  const { compose } = renderLocalSetup({ region: 'us-west-2', port: 3100 });
  expect(compose.services.litellm.image).toBe(LiteLLMService.DEFAULT_IMAGE);
  expect(compose.services['open-webui'].image).toBe(OpenWebUIService.DEFAULT_IMAGE);
  expect(compose.services['open-webui'].ports).toEqual(['127.0.0.1:3100:8080']);
  const env = compose.services['open-webui'].environment;
  expect(env).toMatchObject({ OPENAI_API_BASE_URL: 'http://litellm:4000/v1', ENABLE_SIGNUP: 'false', IMAGE_GENERATION_MODEL: 'stable-image-core', RAG_EMBEDDING_MODEL: 'titan-embed-text-v2' });
  // SQLite and Chroma in the volume, not the deployment's PostgreSQL.
  expect(Object.keys(env)).not.toContain('DATABASE_HOST');
  expect(Object.keys(env)).not.toContain('VECTOR_DB');
  // The user's credentials and region reach LiteLLM; no secret value is written into the file.
  expect(compose.services.litellm.environment).toMatchObject({ AWS_REGION: 'us-west-2', AWS_SESSION_TOKEN: '${AWS_SESSION_TOKEN:-}' });
  expect(compose.services.litellm.volumes).toContain('${HOME}/.aws:/aws:ro');
});

test('the models are the region\'s defaults with a laptop\'s internet access (Stability in us-west-2 from any region)', () => {
  const east = renderLocalSetup({ region: 'us-east-1', port: 3000 });
  expect(east.models).toEqual(['claude-haiku-4.5', 'stable-image-core', 'titan-embed-text-v2']);
  const image = east.litellmConfig.model_list.find((m: any) => m.model_name === 'stable-image-core');
  expect(image.litellm_params).toEqual({ model: 'bedrock/stability.stable-image-core-v1:1', aws_region_name: 'us-west-2' });
});

test('.env holds generated secrets, written once and kept on a second run; the profile is passed on', async () => {
  expect(await run(['local', '--region', 'eu-central-1', '--profile', 'chat-dev', '--dir', dir], io())).toBe(EXIT_OK);
  expect(JSON.parse(fs.readFileSync(path.join(dir, 'compose.yaml'), 'utf-8')).services.litellm.environment.AWS_PROFILE).toBe('chat-dev');
  const envFile = path.join(dir, '.env');
  const first = fs.readFileSync(envFile, 'utf-8');
  expect(first.split('\n').filter((l) => l).map((l) => l.split('=')[0])).toEqual(LOCAL_SECRETS);
  expect(first).toMatch(/^LITELLM_MASTER_KEY=sk-[\w-]{32}$/m);
  // Readable by the owner only.
  expect((fs.statSync(envFile).mode % 0o1000).toString(8)).toBe('600');
  const again = io();
  expect(await run(['local', '--region', 'eu-central-1', '--dir', dir], again)).toBe(EXIT_OK);
  expect(fs.readFileSync(envFile, 'utf-8')).toBe(first);
  expect(again.stdout.join('\n')).toContain(`wrote compose.yaml, litellm-config.yaml in ${dir}\n`);
  const compose = JSON.parse(fs.readFileSync(path.join(dir, 'compose.yaml'), 'utf-8'));
  expect(compose.services.litellm.environment.AWS_PROFILE).toBeUndefined();
  expect(compose.services.litellm.environment.AWS_REGION).toBe('eu-central-1');
});

test('a bad port is a usage error', async () => {
  const cli = io();
  expect(await run(['local', '--region', 'us-west-2', '--dir', dir, '--port', '70000'], cli)).toBe(EXIT_USAGE);
  expect(cli.stderr.join('\n')).toContain('--port is 70000; use a port number from 1 to 65535');
});
