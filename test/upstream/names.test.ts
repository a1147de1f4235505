/**
 * Names cannot rot: every environment variable the constructs give the Open WebUI and LiteLLM
 * containers, and every key of the LiteLLM configuration they write, is read by the pinned
 * release's own source (the packages installed by `npx projen openwebui:venv` and
 * `npx projen litellm:venv`). An upgrade that renames or drops a setting fails here instead of
 * silently ignoring it.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Template } from 'aws-cdk-lib/assertions';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { BedrockImageChat, BedrockModel, BedrockModelKind, DeploymentSize, FileStorage, FrontDoor, InternetEgress, SignIn } from '../../src';
import { renderLiteLLMConfig } from '../../src/private/litellm-config';
import { MODEL_ACCESS_VARIABLE } from '../../src/private/open-webui-start';
import { catalogModels } from '../contract/contract-stack';
import { VENV } from '../contract/litellm-proxy';
import { OPENWEBUI_VENV } from '../contract/open-webui';
import { containers, newStack } from '../util';

/** The Python sources of an installed package, as one text. */
function sourcesOf(venv: string, packages: string[]): string {
  const lib = path.join(venv, 'lib');
  const python = fs.readdirSync(lib).find((d) => d.startsWith('python'))!;
  const texts: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.py')) texts.push(fs.readFileSync(full, 'utf-8'));
    }
  };
  for (const p of packages) walk(path.join(lib, python, 'site-packages', p));
  return texts.join('\n');
}

/** Whether `name` appears as a Python string literal (os.getenv('NAME'), config['name'], ...). */
function readsName(source: string, name: string): boolean {
  return source.includes(`'${name}'`) || source.includes(`"${name}"`);
}

// Everything the library can set: the default deployment plus the options that add variables
// (sign-in through an identity provider, with roles).
const stack = newStack();
new BedrockImageChat(stack, 'Chat');
const all = containers(Template.fromStack(stack));
const namesOf = (container: any) => [...(container.Environment ?? []), ...(container.Secrets ?? [])].map((e: any) => e.Name as string);
const oidcStack = newStack({ env: { account: '111111111111', region: 'us-west-2' } });
new BedrockImageChat(oidcStack, 'Chat', {
  signIn: SignIn.oidc({
    discoveryUrl: 'https://idp.example.com/.well-known/openid-configuration',
    clientId: 'chat',
    clientSecret: secretsmanager.Secret.fromSecretNameV2(oidcStack, 'OidcSecret', 'oidc'),
    allowedEmailDomains: ['example.com'],
    roleClaim: 'roles',
    adminRoles: ['admin'],
    groupClaim: 'groups',
  }),
  network: { egress: InternetEgress.NAT_GATEWAY },
  openWebUI: { modelAccess: [{ model: BedrockModel.ANTHROPIC_CLAUDE_HAIKU_4_5_GLOBAL, groups: ['staff'] }] },
  frontDoor: FrontDoor.loadBalancer({ domainName: 'chat.example.com', hostedZone: route53.HostedZone.fromHostedZoneAttributes(oidcStack, 'Zone', { hostedZoneId: 'Z0123456789ABC', zoneName: 'example.com' }) }),
});
const withSignIn = containers(Template.fromStack(oidcStack));
// Several Open WebUI tasks (MEDIUM), with files in S3: Redis and S3 storage. REDIS_ENDPOINT_* and REDIS_AUTH_TOKEN are read by the
// construct's start command, which exports what Open WebUI reads (REDIS_URL, WEBSOCKET_REDIS_URL).
const mediumStack = newStack({ env: { account: '111111111111', region: 'us-west-2' } });
new BedrockImageChat(mediumStack, 'Chat', { size: DeploymentSize.MEDIUM, fileStorage: FileStorage.S3 });
const medium = containers(Template.fromStack(mediumStack))['open-webui'];
const START_COMMAND_NAMES = ['REDIS_ENDPOINT_HOST', 'REDIS_ENDPOINT_PORT', 'REDIS_AUTH_TOKEN'];
// Read by the start command's database step (src/private/open-webui-start.ts), not by Open WebUI.
const START_STEP_NAMES = [MODEL_ACCESS_VARIABLE];
const exported = [...medium.Command[2].matchAll(/export (\w+)=/g)].map((m: RegExpMatchArray) => m[1]);

describe('Open WebUI reads every variable the construct sets', () => {
  // open_webui itself, and huggingface_hub for DO_NOT_TRACK (a library Open WebUI runs).
  const source = sourcesOf(OPENWEBUI_VENV, ['open_webui', 'huggingface_hub']);
  const names = [...new Set([
    ...namesOf(all['open-webui']), ...namesOf(withSignIn['open-webui']),
    ...namesOf(medium).filter((n) => !START_COMMAND_NAMES.includes(n)), ...exported,
  ])].filter((n) => !START_STEP_NAMES.includes(n));

  test('the start command of several tasks reads its own variables and exports the Redis URLs', () => {
    for (const name of START_COMMAND_NAMES) expect(medium.Command[2]).toContain(`\${${name}}`);
    expect(exported).toEqual(['REDIS_URL', 'WEBSOCKET_REDIS_URL']);
    expect(names).toEqual(expect.arrayContaining(['WEBSOCKET_MANAGER', 'ENABLE_WEBSOCKET_SUPPORT', 'REDIS_URL', 'WEBSOCKET_REDIS_URL', 'STORAGE_PROVIDER', 'S3_BUCKET_NAME', 'S3_REGION_NAME']));
  });

  test.each(START_STEP_NAMES)("the start command's database step reads its own variable %s, which the container sets", (name) => {
    expect(namesOf(withSignIn['open-webui'])).toContain(name);
    expect(withSignIn['open-webui'].Command[2]).toContain(`os.environ.get("${name}"`);
    expect(readsName(source, name)).toBe(false);
  });

  test('the container sets the variables this test checks', () => {
    expect(names.length).toBeGreaterThan(40);
    expect(names).toEqual(expect.arrayContaining([
      'OPENAI_API_CONFIGS', 'IMAGES_OPENAI_PARAMS', 'DEFAULT_MODEL_PARAMS', 'WEBUI_URL', 'OPENID_REDIRECT_URI', 'OAUTH_ADMIN_ROLES',
      'OAUTH_GROUPS_CLAIM', 'ENABLE_OAUTH_GROUP_MANAGEMENT', 'USER_PERMISSIONS_WORKSPACE_TOOLS_ACCESS',
    ]));
  });

  test.each(names)('%s', (name) => {
    expect(readsName(source, name)).toBe(true);
  });

  test('a name no release reads is caught (the check can fail)', () => {
    expect(readsName(source, 'IMAGES_OPENAI_API_PARAMS_TYPO')).toBe(false);
  });
});

describe('LiteLLM reads every variable and configuration key the construct sets', () => {
  const source = sourcesOf(VENV, ['litellm']);
  // BEDROCK_MODEL_<n>_<FIELD> variables are named by the configuration itself (os.environ/NAME).
  const names = namesOf(all.litellm).filter((n) => !/^BEDROCK_MODEL_\d+_/.test(n));

  test.each(names)('variable %s', (name) => {
    expect(readsName(source, name)).toBe(true);
  });

  // Every field the renderer writes: catalog models (some with a region) and one given by ARN.
  const provisioned = BedrockModel.provisionedThroughput({
    provisionedModelArn: 'arn:aws:bedrock:us-east-1:111122223333:provisioned-model/names0test',
    baseModelId: 'amazon.nova-lite-v1:0',
    kind: BedrockModelKind.CHAT,
    displayName: 'nova-lite-provisioned',
  });
  const guardrail = (anonymizes: boolean) => ({ guardrailId: 'abcd1234efgh', guardrailVersion: '1', guardrailArn: 'arn:aws:bedrock:us-west-2:111111111111:guardrail/abcd1234efgh', anonymizes });
  const { config } = renderLiteLLMConfig([...catalogModels(), provisioned], [], guardrail(false));
  const { config: anonymizing } = renderLiteLLMConfig([], [], guardrail(true));
  const keys = new Set<string>();
  const collect = (value: any) => {
    if (Array.isArray(value)) {value.forEach(collect);} else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        keys.add(k);
        collect(v);
      }
    }
  };
  collect(config);
  collect(anonymizing);
  test('the configuration has the keys this test checks', () => {
    expect([...keys]).toEqual(expect.arrayContaining([
      'model_id', 'aws_region_name', 'drop_params', 'master_key', 'guardrailIdentifier', 'streaming_buffer_release_on_scan', 'mask_response_content',
    ]));
  });
  test.each([...keys])('configuration key %s', (key) => {
    // Read as a string, or declared as a field of a settings class (LiteLLM's RetryPolicy is a
    // pydantic model: `RateLimitErrorRetries: int | None = None`).
    expect(readsName(source, key) || new RegExp(`^\\s+${key}\\s*:`, 'm').test(source)).toBe(true);
  });
  test('the field check finds declared fields only (it can fail)', () => {
    expect(new RegExp('^\\s+RateLimitErrorRetries\\s*:', 'm').test(source)).toBe(true);
    expect(new RegExp('^\\s+RateLimitErrorRetriez\\s*:', 'm').test(source)).toBe(false);
  });
});
