import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { GUARDRAIL_ID, GUARDRAIL_VERSION, TASK_REGION } from './contract-stack';
import { FakeAws, solidPng } from './fake-aws';
import { LiteLLMProxy } from './litellm-proxy';
import { BedrockGuardrail, LiteLLMService } from '../../src';

/** The id and version the harness gives the deployed guardrail. */
export { GUARDRAIL_ID, GUARDRAIL_VERSION };

/** A running proxy with a guardrail, its stand-in, and the guardrail's messages from the template. */
export interface GuardrailProxy {
  readonly proxy: LiteLLMProxy;
  readonly fakeAws: FakeAws;
  readonly blockedInput: string;
  readonly blockedOutput: string;
  stop(): Promise<void>;
}

/**
 * Synthesizes a `LiteLLMService` with `BedrockGuardrail.create()` (in us-west-2, whose default
 * models include an image model) and starts the real proxy from it against the stand-in, which
 * serves ApplyGuardrail for the deployed guardrail and blocks `blockedWords`. Without the guardrail
 * (`withGuardrail: false`), the same service for comparison.
 */
export async function startGuardrailProxy(chatText: string, blockedWords: string[], withGuardrail = true): Promise<GuardrailProxy> {
  const assemblyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'contract-guardrail-'));
  const app = new App({ outdir: assemblyDir });
  const stack = new Stack(app, 'Guardrail', { env: { account: '111111111111', region: 'us-west-2' } });
  new LiteLLMService(stack, 'LiteLLM', { cluster: new ecs.Cluster(stack, 'Cluster'), guardrail: withGuardrail ? BedrockGuardrail.create() : undefined });
  const template = app.synth().getStackByName('Guardrail').template;
  const resources = Object.entries<any>(template.Resources);
  const [guardrailId, guardrail] = resources.find(([, r]) => r.Type === 'AWS::Bedrock::Guardrail') ?? ['', { Properties: {} }];
  const [versionId] = resources.find(([, r]) => r.Type === 'AWS::Bedrock::GuardrailVersion') ?? [''];
  const refs: Record<string, string> = {
    'AWS::Region': TASK_REGION,
    [`${guardrailId}.GuardrailId`]: GUARDRAIL_ID,
    [`${versionId}.Version`]: GUARDRAIL_VERSION,
  };
  for (const [id, resource] of resources) {
    if (resource.Type === 'AWS::S3::Bucket') refs[id] = `contract-${id.toLowerCase()}`;
  }
  const blockedInput: string = guardrail.Properties.BlockedInputMessaging;
  const blockedOutput: string = guardrail.Properties.BlockedOutputsMessaging;
  const fakeAws = await FakeAws.start({ chatText, png: solidPng(8, [10, 20, 30]), embeddingLength: 1024 });
  fakeAws.guardrail = {
    id: GUARDRAIL_ID, version: GUARDRAIL_VERSION, blockedWords, blockedInputMessage: blockedInput, blockedOutputsMessage: blockedOutput,
  };
  let proxy: LiteLLMProxy;
  try {
    proxy = await LiteLLMProxy.start({ template, assemblyDir, fakeAws, refs });
  } catch (e) {
    await fakeAws.stop();
    fs.rmSync(assemblyDir, { recursive: true, force: true });
    throw e;
  }
  return {
    proxy,
    fakeAws,
    blockedInput,
    blockedOutput,
    stop: async () => {
      await proxy.stop();
      await fakeAws.stop();
      fs.rmSync(assemblyDir, { recursive: true, force: true });
    },
  };
}
