/**
 * Who may use which chat model, in the template: every served chat model is open to every user
 * unless `modelAccess` keeps it for groups. The contract test `open-webui.colleagues.test.ts`
 * proves the same against the real Open WebUI.
 */
import { spawnSync } from 'child_process';
import { Template } from 'aws-cdk-lib/assertions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { BedrockImageChat, BedrockModel, LiteLLMService, ModelAccess, OpenWebUIService } from '../src';
import { containers, envOf, newStack } from './util';
import { USER_PERMISSIONS } from '../src/private/open-webui-environment';
import { MIGRATION_LOCK_ID, MODEL_ACCESS_VARIABLE } from '../src/private/open-webui-start';

const OPUS = BedrockModel.ANTHROPIC_CLAUDE_OPUS_4_5_GLOBAL;
const HAIKU = BedrockModel.ANTHROPIC_CLAUDE_HAIKU_4_5_GLOBAL;
const MODELS = [HAIKU, OPUS, BedrockModel.AMAZON_TITAN_EMBED_TEXT_V2, BedrockModel.STABILITY_STABLE_IMAGE_CORE_V1_1];

function webui(modelAccess?: ModelAccess[]): any {
  const stack = newStack();
  new BedrockImageChat(stack, 'Chat', { models: MODELS, openWebUI: { modelAccess } });
  return containers(Template.fromStack(stack))['open-webui'];
}

describe('the one-line default: every colleague can use every chat model', () => {
  const container = webui();

  test('no model is kept for a group', () => {
    expect(envOf(container)).not.toHaveProperty(MODEL_ACCESS_VARIABLE);
  });

  test('the start command gives every served chat model its access under the migration lock, then starts Open WebUI as its image does', () => {
    const [shell, flag, script] = container.Command;
    expect([shell, flag]).toEqual(['bash', '-c']);
    expect(script).toContain(`pg_advisory_lock(${MIGRATION_LOCK_ID})`);
    // The served chat models are the model ids Open WebUI is given for its one connection.
    expect(script).toContain('json.loads(os.environ["OPENAI_API_CONFIGS"])["0"]["model_ids"]');
    expect(JSON.parse(envOf(container).OPENAI_API_CONFIGS)['0'].model_ids).toEqual([HAIKU.displayName, OPUS.displayName]);
    expect(script).toContain('{"principal_type": "user", "principal_id": "*", "permission": "read"}');
    // The Python steps run inside python -c '...': no single quote in either, and the server last.
    const steps = script.split("python -c '").slice(1).map((step: string) => step.slice(0, step.indexOf("'")));
    expect(steps).toHaveLength(2);
    expect(steps[1]).toContain('uvicorn.Config("open_webui.main:app"');
    for (const step of steps) {
      const parsed = spawnSync('python3', ['-c', 'import ast, sys; ast.parse(sys.stdin.read())'], { input: step, timeout: 30_000 });
      expect(parsed.stderr.toString()).toBe('');
    }
    expect(script).toMatch(/\nexec python -c '[^']*'$/);
  });

  test("the model list is not opened to everyone by bypassing Open WebUI's access control", () => {
    expect(envOf(container)).not.toHaveProperty('BYPASS_MODEL_ACCESS_CONTROL');
  });

  test('users get the permissions decided for a private deployment', () => {
    expect(envOf(container)).toMatchObject(USER_PERMISSIONS);
    expect(USER_PERMISSIONS).toMatchObject({
      USER_PERMISSIONS_WORKSPACE_TOOLS_ACCESS: 'false',
      USER_PERMISSIONS_FEATURES_DIRECT_TOOL_SERVERS: 'false',
      USER_PERMISSIONS_CHAT_ALLOW_PUBLIC_SHARING: 'false',
      USER_PERMISSIONS_FEATURES_API_KEYS: 'false',
    });
  });
});

test('modelAccess keeps a model for its groups (the start step reads them as JSON)', () => {
  const container = webui([{ model: OPUS, groups: ['research', 'leads', 'research'] }]);
  expect(JSON.parse(envOf(container)[MODEL_ACCESS_VARIABLE])).toEqual({ [OPUS.displayName]: ['research', 'leads'] });
});

test('OpenWebUIService takes the same modelAccess', () => {
  const stack = newStack();
  const cluster = new ecs.Cluster(stack, 'Cluster');
  const litellm = new LiteLLMService(stack, 'LiteLLM', { cluster, models: MODELS });
  new OpenWebUIService(stack, 'WebUI', { cluster, litellm, modelAccess: [{ model: OPUS, groups: ["it's us"] }] });
  const env = envOf(containers(Template.fromStack(stack))['open-webui']);
  expect(JSON.parse(env[MODEL_ACCESS_VARIABLE])).toEqual({ [OPUS.displayName]: ["it's us"] });
});

describe('modelAccess errors name the entry, the value and the fix', () => {
  test.each<[string, any, RegExp]>([
    ['a model that is not served', [{ model: BedrockModel.AMAZON_NOVA_PRO_V1, groups: ['a'] }],
      /^openWebUI\.modelAccess\[0\]\.model is 'nova-pro', which is not among the chat models served \(claude-haiku-4\.5, claude-opus-4\.5\); add it to models, or leave it out of openWebUI\.modelAccess$/],
    ['an embedding model', [{ model: BedrockModel.AMAZON_TITAN_EMBED_TEXT_V2, groups: ['a'] }],
      /^openWebUI\.modelAccess\[0\]\.model is 'titan-embed-text-v2', which is not among the chat models served/],
    ['a model named twice', [{ model: OPUS, groups: ['a'] }, { model: OPUS, groups: ['b'] }],
      /^openWebUI\.modelAccess\[1\]\.model is 'claude-opus-4\.5', which an earlier entry of openWebUI\.modelAccess names already; give the model one entry with all its groups$/],
    ['no group', [{ model: OPUS, groups: [] }],
      /^openWebUI\.modelAccess\[0\]\.groups is \[\]; name at least one group whose members may use 'claude-opus-4\.5' \(admins always may\), or leave the model out of openWebUI\.modelAccess to open it to everyone$/],
    ['a group name with spaces around it', [{ model: OPUS, groups: ['research '] }],
      /^openWebUI\.modelAccess\[0\]\.groups holds "research "; a group name is a non-empty string without leading or trailing spaces/],
    ['a model id string instead of a model', [{ model: 'anthropic.claude-opus-4-5', groups: ['a'] }],
      /^openWebUI\.modelAccess\[0\]\.model is "anthropic\.claude-opus-4-5"; give a chat model of the catalog or of BedrockModel's factories/],
    ['one entry instead of a list', { model: OPUS, groups: ['a'] },
      /^openWebUI\.modelAccess is \{.*\}; give a list, for example \[\{ model: BedrockModel\.ANTHROPIC_CLAUDE_OPUS_4_5_GLOBAL, groups: \['research'\] \}\]$/],
    ['groups as a string', [{ model: OPUS, groups: 'research' }],
      /^openWebUI\.modelAccess\[0\]\.groups is "research"; name at least one group/],
  ])('%s', (_name, modelAccess, message) => {
    expect(() => webui(modelAccess)).toThrow(message);
  });
});
