/**
 * Load benchmark (the design's NFR-004): 10, 25 and 50 concurrent users chatting with streamed
 * answers and generating images through Open WebUI -> LiteLLM -> a Bedrock stand-in that answers
 * after a fixed delay, on this machine. Reports time to first token and total latency (median and
 * p95), errors, the CPU and peak memory of each process, and what the stack adds over calling the
 * stand-in directly. Prints numbers and writes test-output/bench-load.json; asserts nothing.
 *
 * With `--size SMALL|MEDIUM|LARGE` each service runs held to one task of that size (cgroup v1 CPU
 * quota and memory limit, one of this machine's cores per vCPU; `--litellm 512/1024` or
 * `--openwebui 1024/2048` change one service's CPU units and MiB), and the report adds the CPU
 * seconds, the peak memory the kernel counted and the processes killed for memory, per task.
 *
 *   npx projen bench:load [--users 10,25,50] [--rounds 3] [--delay-ms 500] [--word-ms 0]
 *                         [--size SMALL] [--litellm CPU/MiB] [--openwebui CPU/MiB]
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { solidPng } from './fake-aws';
import { ADMIN_PASSWORD, LocalStack, signIn } from './local-stack';
import { sampleProcessGroup } from './processes';
import { TaskLimits, TaskSize } from './task-limits';
import { percentile, timed, Timing } from './timing';
import { BedrockModel, DeploymentSize } from '../../src';
import { SIZES } from '../../src/private/sizes';

/** The task sizes to hold the services to: `--size`, then `--litellm` and `--openwebui` overrides. */
function taskSizes(): { litellm: TaskSize; openWebUI: TaskSize } | undefined {
  if (SIZE === '') return undefined;
  const size = SIZES[SIZE as DeploymentSize];
  if (size === undefined) throw new Error(`--size is '${SIZE}'; use SMALL, MEDIUM or LARGE`);
  const parse = (name: string, fallback: TaskSize): TaskSize => {
    const value = option(name, '');
    if (value === '') return fallback;
    const [cpu, memoryLimitMiB] = value.split('/').map(Number);
    if (!(cpu > 0) || !(memoryLimitMiB > 0)) throw new Error(`--${name} is '${value}'; use CPU units and MiB, for example 512/1024`);
    return { cpu, memoryLimitMiB };
  };
  return { litellm: parse('litellm', size.litellm), openWebUI: parse('openwebui', size.openWebUI) };
}

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const DELAY_MS = Number(option('delay-ms', '500'));
const ROUNDS = Number(option('rounds', '3'));
const USER_LEVELS = option('users', '10,25,50').split(',').map(Number);
const WORD_MS = Number(option('word-ms', '0'));
const SIZE = option('size', '');
const REQUEST_TIMEOUT_MS = 120_000;
const CHAT_TEXT = 'The stand-in answers every question with these twelve words, one chunk per word.';

/** Samples the CPU and peak memory of the named process groups while a level runs. */
class ResourceMonitor {
  private readonly startTicks: Record<string, number> = {};
  private readonly peakRss: Record<string, number> = {};
  private readonly timer: NodeJS.Timeout;
  private readonly startedAt = performance.now();

  constructor(private readonly groups: Record<string, number>) {
    for (const [name, pgid] of Object.entries(groups)) {
      this.startTicks[name] = sampleProcessGroup(pgid).ticks;
      this.peakRss[name] = 0;
    }
    this.timer = setInterval(() => this.sample(), 250);
  }

  /** CPU in percent of one core, averaged over the run, and peak resident memory in MiB. */
  public stop(): Record<string, { cpuPercent: number; peakMiB: number }> {
    clearInterval(this.timer);
    this.sample();
    const seconds = (performance.now() - this.startedAt) / 1000;
    const result: Record<string, { cpuPercent: number; peakMiB: number }> = {};
    for (const [name, pgid] of Object.entries(this.groups)) {
      const ticks = sampleProcessGroup(pgid).ticks - this.startTicks[name];
      result[name] = { cpuPercent: (ticks / 100 / seconds) * 100, peakMiB: this.peakRss[name] / 1024 / 1024 };
    }
    return result;
  }

  private sample(): void {
    for (const [name, pgid] of Object.entries(this.groups)) {
      this.peakRss[name] = Math.max(this.peakRss[name], sampleProcessGroup(pgid).rssBytes);
    }
  }
}

interface LevelResult {
  readonly users: number;
  readonly chat: Timing[];
  readonly image: Timing[];
  readonly directChat: Timing[];
  readonly directImage: Timing[];
  readonly errors: string[];
  readonly seconds: number;
  readonly resources: Record<string, { cpuPercent: number; peakMiB: number }>;
  /** Per held task: CPU seconds, the kernel's peak memory count (MiB) and processes killed for memory. */
  readonly tasks?: Record<string, { cpuSeconds: number; peakMiB: number; oomKills: number }>;
}

async function runLevel(stack: LocalStack, token: string, users: number, limits?: Record<string, TaskLimits>): Promise<LevelResult> {
  const chat: Timing[] = [];
  const image: Timing[] = [];
  const errors: string[] = [];
  const auth = { authorization: `Bearer ${token}` };
  const chatModel = BedrockModel.ANTHROPIC_CLAUDE_HAIKU_4_5_GLOBAL;
  const imageModel = BedrockModel.STABILITY_STABLE_IMAGE_CORE_V1_1;
  const attempt = async (into: Timing[], run: () => Promise<Timing>) => {
    try {
      into.push(await run());
    } catch (e) {
      errors.push(String(e).substring(0, 200));
    }
  };

  const monitor = new ResourceMonitor({ 'Open WebUI': stack.webui.pid, 'LiteLLM': stack.proxy.pid, 'PostgreSQL': stack.postgres.pid });
  const cpuBefore = Object.fromEntries(Object.entries(limits ?? {}).map(([name, l]) => [name, l.cpuSeconds()]));
  for (const l of Object.values(limits ?? {})) l.resetPeakMemory();
  const started = performance.now();
  // Each user: ROUNDS streamed chats, then one image, one request at a time.
  await Promise.all(Array.from({ length: users }, async (_, u) => {
    for (let r = 0; r < ROUNDS; r++) {
      const body = { model: chatModel.displayName, stream: true, messages: [{ role: 'user', content: `user ${u} question ${r}` }] };
      await attempt(chat, () => timed(`${stack.webui.url}/api/chat/completions`, body, auth, REQUEST_TIMEOUT_MS));
    }
    await attempt(image, () => timed(`${stack.webui.url}/api/v1/images/generations`, { prompt: `a lighthouse for user ${u}` }, auth, REQUEST_TIMEOUT_MS));
  }));
  const seconds = (performance.now() - started) / 1000;
  const resources = monitor.stop();
  const tasks = limits === undefined ? undefined : Object.fromEntries(Object.entries(limits).map(([name, l]) =>
    [name, { cpuSeconds: l.cpuSeconds() - cpuBefore[name], peakMiB: l.peakMemoryMiB(), oomKills: l.oomKills() }]));

  // The same calls, at the same concurrency, straight to the stand-in: what Bedrock alone would take.
  const directChat: Timing[] = [];
  const directImage: Timing[] = [];
  const converse = `${stack.fakeAws.url}/model/${encodeURIComponent(chatModel.modelId)}/converse-stream`;
  const invoke = `${stack.fakeAws.url}/model/${encodeURIComponent(imageModel.modelId)}/invoke`;
  await Promise.all(Array.from({ length: users }, async (_, u) => {
    for (let r = 0; r < ROUNDS; r++) {
      await attempt(directChat, () => timed(converse, { messages: [{ role: 'user', content: [{ text: `user ${u} question ${r}` }] }] }, {}, REQUEST_TIMEOUT_MS));
    }
    await attempt(directImage, () => timed(invoke, { prompt: `a lighthouse for user ${u}` }, {}, REQUEST_TIMEOUT_MS));
  }));
  return { users, chat, image, directChat, directImage, errors, seconds, resources, tasks };
}

function ms(values: number[], p: number): string {
  return percentile(values, p).toFixed(0);
}

function report(results: LevelResult[]): string {
  const lines: string[] = [];
  lines.push('| users | chat first token p50 / p95 (ms) | chat total p50 / p95 (ms) | image p50 / p95 (ms) | added by the stack, first token p50 / chat total p50 / image p50 (ms) | errors | Open WebUI CPU / peak MiB | LiteLLM CPU / peak MiB | PostgreSQL CPU / peak MiB |');
  lines.push('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of results) {
    const first = r.chat.map((t) => t.firstByte);
    const total = r.chat.map((t) => t.total);
    const img = r.image.map((t) => t.total);
    const added = [
      percentile(first, 50) - percentile(r.directChat.map((t) => t.firstByte), 50),
      percentile(total, 50) - percentile(r.directChat.map((t) => t.total), 50),
      percentile(img, 50) - percentile(r.directImage.map((t) => t.total), 50),
    ].map((v) => v.toFixed(0)).join(' / ');
    const res = (name: string) => `${r.resources[name].cpuPercent.toFixed(0)} % / ${r.resources[name].peakMiB.toFixed(0)}`;
    lines.push(`| ${r.users} | ${ms(first, 50)} / ${ms(first, 95)} | ${ms(total, 50)} / ${ms(total, 95)} | ${ms(img, 50)} / ${ms(img, 95)} | ${added} | ${r.errors.length} of ${r.users * (ROUNDS + 1)} | ${res('Open WebUI')} | ${res('LiteLLM')} | ${res('PostgreSQL')} |`);
  }
  if (results.some((r) => r.tasks !== undefined)) {
    lines.push('', '| users | task | CPU used (of its quota) | peak memory, kernel count (of its limit) | killed for memory |', '| ---: | --- | ---: | ---: | ---: |');
    for (const r of results) {
      for (const [name, t] of Object.entries(r.tasks ?? {})) {
        const size = (name === 'LiteLLM' ? taskSizes()!.litellm : taskSizes()!.openWebUI);
        const quota = size.cpu / 1024;
        lines.push(`| ${r.users} | ${name} | ${(t.cpuSeconds / r.seconds / quota * 100).toFixed(0)} % of ${quota} vCPU | `
          + `${t.peakMiB.toFixed(0)} of ${size.memoryLimitMiB} MiB | ${t.oomKills} |`);
      }
    }
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const sizes = taskSizes();
  if (sizes !== undefined && !TaskLimits.available()) throw new Error('--size needs cgroup v1 groups this user may create (/sys/fs/cgroup/cpu and memory, as root)');
  const limits = sizes === undefined ? undefined : { 'LiteLLM': TaskLimits.create('litellm', sizes.litellm), 'Open WebUI': TaskLimits.create('openwebui', sizes.openWebUI) };
  const startedAt = performance.now();
  const stack = await LocalStack.start({ chatText: CHAT_TEXT, png: solidPng(256, [30, 120, 200]), embeddingLength: 1024, delayMs: DELAY_MS },
    undefined, { limits: limits && { litellm: limits.LiteLLM, openWebUI: limits['Open WebUI'] } });
  stack.fakeAws.streamWordDelayMs = WORD_MS;
  try {
    if (limits !== undefined) {
      console.error(`both tasks started in ${((performance.now() - startedAt) / 1000).toFixed(1)} s; at start: `
        + Object.entries(limits).map(([name, l]) => `${name} ${l.cpuSeconds().toFixed(1)} CPU s, peak ${l.peakMemoryMiB().toFixed(0)} MiB`).join('; '));
    }
    const { token } = await signIn(stack.webui.url, stack.adminEmail, ADMIN_PASSWORD);
    // Warm up: the first requests load models and caches.
    await runLevel(stack, token, 2);
    const results: LevelResult[] = [];
    for (const users of USER_LEVELS) {
      results.push(await runLevel(stack, token, users, limits));
      console.error(`${users} users done`);
    }
    const cpu = os.cpus();
    console.log(`Load through Open WebUI -> LiteLLM -> Bedrock stand-in (answers after ${DELAY_MS} ms${WORD_MS > 0 ? `, then a word every ${WORD_MS} ms` : ''}); `
      + `each user sends ${ROUNDS} streamed chats, then asks for 1 image.`);
    if (sizes !== undefined) {
      console.log(`Held to task sizes (cgroup v1, one core per vCPU): LiteLLM ${sizes.litellm.cpu} CPU units / ${sizes.litellm.memoryLimitMiB} MiB, `
        + `Open WebUI ${sizes.openWebUI.cpu} / ${sizes.openWebUI.memoryLimitMiB} MiB${SIZE !== '' ? ` (--size ${SIZE})` : ''}.`);
    }
    console.log(`Machine: ${cpu.length} x ${cpu[0]?.model ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB; one Open WebUI worker, one LiteLLM worker, all on 127.0.0.1.`);
    console.log('CPU is percent of one core, averaged over the level; memory is the peak resident set of the process group.\n');
    console.log(report(results));
    for (const r of results.filter((x) => x.errors.length > 0)) {
      console.log(`\n${r.users} users, first errors:\n  ${r.errors.slice(0, 3).join('\n  ')}`);
    }
    const out = path.join(__dirname, '..', '..', 'test-output', 'bench-load.json');
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, JSON.stringify({ delayMs: DELAY_MS, wordMs: WORD_MS, rounds: ROUNDS, sizes, results }, null, 2));
  } finally {
    await stack.stop();
    for (const l of Object.values(limits ?? {})) l.remove();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
