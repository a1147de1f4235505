/**
 * The route check: for every catalog chat model, the Bedrock runtime API the pinned LiteLLM calls
 * for the model string this library configures (`bedrock/<model id>`) is one Bedrock serves the
 * model on (the row's `apis`, from its model card). LiteLLM picks Converse, InvokeModel, the
 * Messages API or the OpenAI-compatible API per model (`BedrockModelInfo.get_bedrock_route`), and a
 * model sent to an API Bedrock does not serve it on fails on every call, which no synth shows.
 *
 * Image and embedding models are always sent to InvokeModel by LiteLLM's image and embedding
 * handlers (the contract test sees it on the wire), so their rows must list INVOKE.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { BedrockModel } from '../../src';
import { API_OF_LITELLM_ROUTE, CATALOG } from '../../src/private/catalog-data';
import { litellmModel } from '../../src/private/litellm-config';
import { VENV } from '../contract/litellm-proxy';

const PYTHON = path.join(VENV, 'bin', 'python');

/** LiteLLM's route for each model string, asked of the installed release (map read locally, no network). */
function litellmRoutes(models: string[]): Record<string, string> {
  if (!fs.existsSync(PYTHON)) throw new Error(`${VENV} has no Python; run 'npx projen litellm:venv' first`);
  const script = [
    'import json, sys',
    'from litellm.llms.bedrock.common_utils import BedrockModelInfo',
    'print(json.dumps({m: BedrockModelInfo.get_bedrock_route(m) for m in json.loads(sys.argv[1])}))',
  ].join('\n');
  const out = execFileSync(PYTHON, ['-c', script, JSON.stringify(models)], {
    env: { PATH: process.env.PATH ?? '', LITELLM_LOCAL_MODEL_COST_MAP: 'True', HOME: process.env.HOME ?? '/tmp' },
    encoding: 'utf-8',
    timeout: 60_000,
  });
  return JSON.parse(out.trim().split('\n').pop()!);
}

const members = Object.entries(CATALOG);
const chat = members.filter(([, e]) => e.kind === 'CHAT');
const PINNED_TO_INVOKE = 'bedrock/invoke/global.anthropic.claude-haiku-4-5-20251001-v1:0';
const routes = litellmRoutes([...chat.map(([member]) => litellmModel((BedrockModel as any)[member] as BedrockModel)), PINNED_TO_INVOKE]);

test.each(chat)('%s: the pinned LiteLLM calls it on an API Bedrock serves it on', (member, entry) => {
  const route = routes[litellmModel((BedrockModel as any)[member] as BedrockModel)];
  const api = API_OF_LITELLM_ROUTE[route];
  expect({ member, route, api: api ?? `no Bedrock runtime API for route '${route}'` }).toEqual({ member, route, api: expect.any(String) });
  expect(entry.apis).toContain(api);
});

test.each(members.filter(([, e]) => e.kind !== 'CHAT'))('%s: image and embedding models are served on InvokeModel', (_member, entry) => {
  expect(entry.apis).toContain('INVOKE');
});

test('the check can fail: a model string LiteLLM sends elsewhere gets that route', () => {
  // `bedrock/invoke/...` pins InvokeModel; a row that listed CONVERSE only would fail above.
  expect(API_OF_LITELLM_ROUTE[routes[PINNED_TO_INVOKE]]).toBe('INVOKE');
});
