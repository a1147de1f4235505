/**
 * Benchmark: the latency the LiteLLM proxy adds in front of Bedrock.
 *
 * Starts the contract deployment's proxy (the real pinned LiteLLM) against the local Bedrock
 * stand-in, then times 50 streaming chat requests and 20 image requests through the proxy and
 * the same calls made straight to the stand-in. The difference is what the gateway adds; Bedrock's
 * own model time comes on top. Prints numbers; asserts nothing.
 *
 *   npx projen bench:gateway
 */
import * as fs from 'fs';
import { performance } from 'perf_hooks';
import { synthContractDeployment } from './contract-stack';
import { FakeAws, solidPng } from './fake-aws';
import { LiteLLMProxy, TEST_MASTER_KEY } from './litellm-proxy';
import { percentile, timed, Timing } from './timing';
import { BedrockModel } from '../../src';

const CHAT_REQUESTS = 50;
const IMAGE_REQUESTS = 20;
const WARMUP = 3;

async function series(n: number, run: () => Promise<Timing>): Promise<Timing[]> {
  for (let i = 0; i < WARMUP; i++) await run();
  const result: Timing[] = [];
  for (let i = 0; i < n; i++) result.push(await run());
  return result;
}

function row(label: string, proxied: number[], direct: number[]): string {
  const added = proxied.map((v, i) => v - direct[i]);
  const f = (v: number) => v.toFixed(1).padStart(8);
  return `${label.padEnd(34)}${f(percentile(proxied, 50))}${f(percentile(proxied, 95))}${f(percentile(direct, 50))}${f(percentile(direct, 95))}${f(percentile(added, 50))}${f(percentile(added, 95))}`;
}

async function main(): Promise<void> {
  const deployment = synthContractDeployment();
  const fakeAws = await FakeAws.start({ chatText: 'one two three four five six seven eight', png: solidPng(64, [10, 120, 200]), embeddingLength: 1024 });
  let proxy: LiteLLMProxy | undefined;
  try {
    const startedAt = performance.now();
    proxy = await LiteLLMProxy.start({ template: deployment.template, assemblyDir: deployment.assemblyDir, fakeAws, refs: deployment.refs });
    const startSeconds = (performance.now() - startedAt) / 1000;
    const auth = { authorization: `Bearer ${TEST_MASTER_KEY}` };
    const chatModel = BedrockModel.ANTHROPIC_CLAUDE_HAIKU_4_5_GLOBAL;
    const imageModel = BedrockModel.STABILITY_STABLE_IMAGE_CORE_V1_1;
    const messages = [{ role: 'user', content: 'Say eight words.' }];

    // Each proxied request is paired with the same Bedrock call made straight to the stand-in.
    const chatProxied: Timing[] = [];
    const chatDirect: Timing[] = [];
    await series(CHAT_REQUESTS, async () => {
      chatDirect.push(await timed(`${fakeAws.url}/model/${encodeURIComponent(chatModel.modelId)}/converse-stream`, { messages: [{ role: 'user', content: [{ text: 'Say eight words.' }] }] }));
      const t = await timed(`${proxy!.url}/v1/chat/completions`, { model: chatModel.displayName, stream: true, messages }, auth);
      chatProxied.push(t);
      return t;
    });
    const imageProxied: Timing[] = [];
    const imageDirect: Timing[] = [];
    await series(IMAGE_REQUESTS, async () => {
      imageDirect.push(await timed(`${fakeAws.url}/model/${encodeURIComponent(imageModel.modelId)}/invoke`, { prompt: 'a lighthouse' }));
      const t = await timed(`${proxy!.url}/v1/images/generations`, { model: imageModel.displayName, prompt: 'a lighthouse', n: 1, size: '1024x1024', response_format: 'b64_json' }, auth);
      imageProxied.push(t);
      return t;
    });
    // Drop the warm-up pairs.
    const last = <T>(values: T[], n: number) => values.slice(values.length - n);

    const cpus = fs.readFileSync('/proc/cpuinfo', 'utf-8').split('\n').filter((l) => l.startsWith('processor')).length;
    console.log(`LiteLLM gateway latency against a local Bedrock stand-in (${cpus} CPUs, litellm from .venv-litellm)`);
    console.log(`proxy start to /health/liveliness: ${startSeconds.toFixed(1)} s`);
    console.log('milliseconds                        via proxy         direct          added by proxy');
    console.log('                                    median     p95  median     p95  median     p95');
    console.log(row(`chat stream, first token (n=${CHAT_REQUESTS})`, last(chatProxied, CHAT_REQUESTS).map((t) => t.firstByte), last(chatDirect, CHAT_REQUESTS).map((t) => t.firstByte)));
    console.log(row(`chat stream, complete (n=${CHAT_REQUESTS})`, last(chatProxied, CHAT_REQUESTS).map((t) => t.total), last(chatDirect, CHAT_REQUESTS).map((t) => t.total)));
    console.log(row(`image, complete (n=${IMAGE_REQUESTS})`, last(imageProxied, IMAGE_REQUESTS).map((t) => t.total), last(imageDirect, IMAGE_REQUESTS).map((t) => t.total)));
  } finally {
    await proxy?.stop();
    await fakeAws.stop();
    fs.rmSync(deployment.assemblyDir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
