/**
 * Capacity benchmark: how many users one task of each size serves. Open WebUI and LiteLLM each run
 * held to a task size's CPU and memory (cgroup v1, one of this machine's cores per vCPU, scaled by
 * `--scale`); the Bedrock stand-in answers as a model does (the first words after `--first-ms`, then
 * a word every `--word-ms`; an image after `--image-ms`), and runs with the load generator outside
 * the limits. Users are ramped level by level; at each level every user does what a person does in
 * a sitting, pausing `--think-ms` (0.5-1.5 times it) between steps as a person reads and types:
 * signs in and loads the model list, uploads a document and waits for it to be read, sends
 * `--chats` messages in one chat through a browser's socket (the first one about the document, each
 * later one carrying the chat's history, with the title, tags and follow-up suggestions the browser
 * asks for), then asks for an image. The users of a level arrive within one pause of each other
 * and are all in their sitting at once. The ramp stops at the first level where
 * the first words' p95 passes 2 s, an image's p95 passes 15 s or anything fails.
 *
 * Writes docs/capacity.md (the report: machine, quotas, figures) and docs/capacity.json, and draws
 * docs/capacity.png with matplotlib (.venv-bench). Needs root (cgroups). Asserts nothing.
 *
 *   npx projen bench:capacity [--sizes SMALL,MEDIUM,LARGE] [--scale 0.5] [--users 2,4,6,8,12,16,24,32]
 *        [--chats 3] [--think-ms 5000] [--first-ms 700] [--word-ms 25] [--embed-ms 150] [--image-ms 7000]
 *        [--environment NAME=VALUE,...] [--all-levels]
 *        [--profile SECONDS] [--out docs/capacity]
 */
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { BrowserSocket } from './browser-socket';
import { ContractDeployment, synthContractDeployment } from './contract-stack';
import { solidPng } from './fake-aws';
import { ADMIN_PASSWORD, callAs, LocalStack, LocalStackOptions, signIn } from './local-stack';
import { openWebUIContainer } from './open-webui';
import { sampleProcessesNamed } from './processes';
import { TaskLimits, TaskSize } from './task-limits';
import { percentile, timed } from './timing';
import { BedrockModel, BedrockModelKind, DeploymentSize } from '../../src';
import { SIZES } from '../../src/private/sizes';

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const SIZE_NAMES = option('sizes', 'SMALL,MEDIUM,LARGE').split(',').filter((n) => n !== '') as DeploymentSize[];
/**
 * Task pairs to compare with the deployed ones, as `OPENWEBUI_CPU/MiB+LITELLM_CPU/MiB[@SHARE]`: full
 * task sizes, held to SHARE of their CPU (default `--scale`), for pairs larger than this machine.
 */
const CANDIDATES = option('candidates', '').split(',').filter((c) => c !== '');
const SCALE = Number(option('scale', '1'));
const LEVELS = option('users', '2,4,6,8,12,16,24,32').split(',').map(Number);
const CHATS = Number(option('chats', '3'));
const FIRST_MS = Number(option('first-ms', '700'));
const WORD_MS = Number(option('word-ms', '25'));
const IMAGE_MS = Number(option('image-ms', '7000'));
const EMBED_MS = Number(option('embed-ms', '150'));
const PROFILE_SECONDS = Number(option('profile', '0'));
/** How long a user reads and types between two steps, on average (each pause is 0.5-1.5 times it). */
const THINK_MS = Number(option('think-ms', '5000'));
const OUT = path.resolve(option('out', 'docs/capacity'));
/** Run every level of `--users`, past the first that fails (to compare settings at fixed levels). */
const ALL_LEVELS = args.includes('--all-levels');
/** Unless `--no-full-check`, the first configuration is measured again at its full CPU, to check the scaling. */
const FULL_CHECK = SCALE < 1 && !args.includes('--no-full-check');
/** Open WebUI settings to try (for example `ENABLE_FOLLOW_UP_GENERATION=False`), over the deployment's. */
const ENVIRONMENT: Record<string, string> = Object.fromEntries(option('environment', '').split(',').filter((e) => e !== '').map((e) => {
  const at = e.indexOf('=');
  return [e.substring(0, at), e.substring(at + 1)];
}));

const FIRST_WORDS_LIMIT_MS = 2_000;
const IMAGE_LIMIT_MS = 15_000;
const REQUEST_TIMEOUT_MS = 120_000;
const USER_PASSWORD = 'Capacity-user-Pass-0123';
// About 60 words, the length of a short answer; the stand-in streams them one by one.
const CHAT_TEXT = Array.from({ length: 5 }, () => 'The harbour keeps its red boats in the north basin through the winter months.').join(' ');
/** The model the users chat with: the deployment's first chat model other than its task model. */
let chatModel: BedrockModel;
const BENCH_VENV = path.join(__dirname, '..', '..', '.venv-bench');

/** One user's sitting, timed. */
interface Sitting {
  readonly signInMs?: number;
  readonly documentMs?: number;
  readonly firstWordsMs: number[];
  readonly answerMs: number[];
  readonly imageMs?: number;
  readonly errors: string[];
}

interface Usage {
  /** CPU used, in percent of the task's quota, averaged over the level. */
  readonly cpuPercentOfQuota: number;
  /** The most memory the task's group held during the level (page cache included), MiB. */
  readonly peakMiB: number;
  readonly oomKills: number;
}

interface Level {
  readonly users: number;
  readonly seconds: number;
  readonly firstWords: { p50: number; p95: number };
  /** The first message of each chat (about the document) and the later ones, apart. */
  readonly firstWordsByTurn: { withDocument: { p50: number; p95: number }; later: { p50: number; p95: number } };
  readonly answer: { p50: number; p95: number };
  readonly image: { p50: number; p95: number };
  readonly signIn: { p95: number };
  readonly document: { p95: number };
  readonly errors: string[];
  /** Chat model calls: to the model the user chose, and to any other (the task model). */
  readonly modelCalls: { chatModel: number; otherChat: number; embeddings: number };
  readonly chatTurns: number;
  readonly openWebUI: Usage;
  readonly litellm: Usage;
  readonly postgresCpuPercent: number;
  readonly passed: boolean;
}

/** One pair of task sizes to measure: the sizes that deploy it (none for a candidate). */
interface Configuration {
  readonly label: string;
  readonly sizes: DeploymentSize[];
  /** The share of the tasks' CPU they are held to. */
  readonly scale: number;
  readonly openWebUI: TaskSize;
  readonly litellm: TaskSize;
}

interface SizeResult {
  readonly label: string;
  /** The share of the tasks' CPU they were held to. */
  readonly scale: number;
  /** The sizes that deploy these tasks (none: a candidate compared with them). */
  readonly sizes: DeploymentSize[];
  readonly litellm: TaskSize;
  readonly openWebUI: TaskSize;
  readonly levels: Level[];
  /** The most users of a level that passed (0 when none did). */
  readonly usersServed: number;
  /** The top functions of each service (py-spy), and at how many users they were sampled. */
  readonly profile?: { users: number; top: Record<string, string> };
}

const quantiles = (values: number[]) => ({ p50: percentile(values, 50), p95: percentile(values, 95) });

/** A person's pause: 0.5-1.5 times `THINK_MS`, so that users drift apart as people do. */
const think = () => new Promise((r) => setTimeout(r, THINK_MS * (0.5 + Math.random())));

async function sitting(stack: LocalStack, user: number): Promise<Sitting> {
  const url = stack.webui.url;
  // Users arrive within one pause of each other, not all in the same millisecond.
  await new Promise((r) => setTimeout(r, Math.random() * THINK_MS));
  const errors: string[] = [];
  const firstWordsMs: number[] = [];
  const answerMs: number[] = [];
  const fail = (what: string, e: unknown) => errors.push(`${what}: ${String(e).substring(0, 200)}`);
  let started = performance.now();
  let token: string;
  try {
    token = (await signIn(url, emailOf(user), USER_PASSWORD, REQUEST_TIMEOUT_MS)).token;
    const models = await callAs(url, token, '/api/models', undefined, REQUEST_TIMEOUT_MS);
    if (models.status !== 200) throw new Error(`/api/models: HTTP ${models.status}`);
    await models.text();
  } catch (e) {
    fail('sign-in', e);
    return { firstWordsMs, answerMs, errors };
  }
  const signInMs = performance.now() - started;

  await think();
  started = performance.now();
  let documentMs: number | undefined;
  let fileId: string | undefined;
  try {
    fileId = await uploadDocument(url, token, user);
    documentMs = performance.now() - started;
  } catch (e) {
    fail('document', e);
  }

  await think();
  const browser = await BrowserSocket.open(url, token);
  try {
    const history: { role: string; content: string }[] = [];
    let chatId: string | undefined;
    let parentId: string | undefined;
    for (let turn = 0; turn < CHATS; turn++) {
      const content = turn === 0 ? `What does my keeper's log say about the weather, user ${user}?` : `And what about question ${turn}?`;
      const sent = performance.now();
      try {
        const message = await browser.send(url, content, {
          model: chatModel.displayName,
          backgroundTasks: true,
          chatId,
          parentId,
          history,
          files: turn === 0 && fileId !== undefined ? [fileId] : undefined,
        });
        const end = await browser.answerEnd(message.messageId, REQUEST_TIMEOUT_MS);
        if (end?.data.data?.done !== true) throw new Error(`the answer ended with ${JSON.stringify(end?.data ?? 'nothing').substring(0, 150)}`);
        const first = browser.firstWordsAt(message.messageId);
        if (first === undefined) throw new Error('no streamed words');
        firstWordsMs.push(first - sent);
        answerMs.push(performance.now() - sent);
        chatId = message.chatId;
        parentId = message.messageId;
        history.push({ role: 'user', content }, { role: 'assistant', content: CHAT_TEXT });
        await think();
      } catch (e) {
        fail(`chat turn ${turn + 1}`, e);
        break;
      }
    }
  } finally {
    browser.close();
  }

  let imageMs: number | undefined;
  try {
    imageMs = (await timed(`${url}/api/v1/images/generations`, { prompt: `a lighthouse at dusk for user ${user}` },
      { authorization: `Bearer ${token}` }, REQUEST_TIMEOUT_MS)).total;
  } catch (e) {
    fail('image', e);
  }
  return { signInMs, documentMs, firstWordsMs, answerMs, imageMs, errors };
}

/** Uploads a short text document and waits until Open WebUI has read and embedded it; its file id. */
async function uploadDocument(url: string, token: string, user: number): Promise<string> {
  const form = new FormData();
  form.append('file', new Blob([`Keeper's log of user ${user}.\n\nThe keeper logs the weather at 19:00 every evening.\n`], { type: 'text/plain' }), `log-${user}.txt`);
  const res = await fetch(`${url}/api/v1/files/`, {
    method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`upload: HTTP ${res.status} ${text.substring(0, 150)}`);
  const id: string = JSON.parse(text).id;
  for (let i = 0; i < 240; i++) {
    const status = ((await (await callAs(url, token, `/api/v1/files/${id}/process/status`, undefined, REQUEST_TIMEOUT_MS)).json()) as any).status;
    if (status === 'completed') return id;
    if (status === 'failed') throw new Error('processing failed');
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error('not processed within 120 s');
}

const emailOf = (user: number) => `user${user}@capacity.example.com`;

/** Adds the users a level needs that do not exist yet (as the admin, untimed). */
async function addUsers(stack: LocalStack, adminToken: string, from: number, to: number): Promise<void> {
  for (let u = from; u < to; u++) {
    const res = await callAs(stack.webui.url, adminToken, '/api/v1/auths/add', { name: `User ${u}`, email: emailOf(u), password: USER_PASSWORD, role: 'user' });
    if (res.status !== 200) throw new Error(`adding user ${u}: HTTP ${res.status} ${await res.text()}`);
  }
}

/** Waits until the stand-in has had no call for two seconds (the background tasks of the last chats), at most 60 s. */
async function quiet(stack: LocalStack): Promise<void> {
  for (let seen = -1, still = 0, i = 0; i < 120 && still < 4; i++) {
    still = stack.fakeAws.requests.length === seen ? still + 1 : 0;
    seen = stack.fakeAws.requests.length;
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function runLevel(stack: LocalStack, users: number, limits: { openWebUI: TaskLimits; litellm: TaskLimits }): Promise<Level> {
  const cpuBefore = { openWebUI: limits.openWebUI.cpuSeconds(), litellm: limits.litellm.cpuSeconds() };
  const oomBefore = { openWebUI: limits.openWebUI.oomKills(), litellm: limits.litellm.oomKills() };
  const postgresBefore = sampleProcessesNamed('postgres').ticks;
  limits.openWebUI.resetPeakMemory();
  limits.litellm.resetPeakMemory();
  const callsBefore = stack.fakeAws.requests.length;
  const started = performance.now();
  const sittings = await Promise.all(Array.from({ length: users }, (_, u) => sitting(stack, u)));
  await quiet(stack);
  const seconds = (performance.now() - started) / 1000;
  const usage = (name: 'openWebUI' | 'litellm'): Usage => ({
    cpuPercentOfQuota: ((limits[name].cpuSeconds() - cpuBefore[name]) / seconds / (limits[name].size.cpu / 1024)) * 100,
    peakMiB: limits[name].peakMemoryMiB(),
    oomKills: limits[name].oomKills() - oomBefore[name],
  });
  const firstWords = quantiles(sittings.flatMap((s) => s.firstWordsMs));
  const image = quantiles(sittings.flatMap((s) => (s.imageMs === undefined ? [] : [s.imageMs])));
  const errors = sittings.flatMap((s) => s.errors);
  return {
    users,
    seconds,
    firstWords,
    answer: quantiles(sittings.flatMap((s) => s.answerMs)),
    image,
    signIn: { p95: percentile(sittings.flatMap((s) => (s.signInMs === undefined ? [] : [s.signInMs])), 95) },
    document: { p95: percentile(sittings.flatMap((s) => (s.documentMs === undefined ? [] : [s.documentMs])), 95) },
    errors,
    firstWordsByTurn: {
      withDocument: quantiles(sittings.flatMap((s) => s.firstWordsMs.slice(0, 1))),
      later: quantiles(sittings.flatMap((s) => s.firstWordsMs.slice(1))),
    },
    modelCalls: modelCalls(stack.fakeAws.requests.slice(callsBefore)),
    chatTurns: sittings.reduce((n, s) => n + s.firstWordsMs.length, 0),
    openWebUI: usage('openWebUI'),
    litellm: usage('litellm'),
    // Backends that ended took their ticks with them: a negative difference reads as 0.
    postgresCpuPercent: Math.max(0, ((sampleProcessesNamed('postgres').ticks - postgresBefore) / 100 / seconds) * 100),
    passed: errors.length === 0 && firstWords.p95 <= FIRST_WORDS_LIMIT_MS && image.p95 <= IMAGE_LIMIT_MS,
  };
}

function modelCalls(requests: { modelId?: string; operation?: string }[]): Level['modelCalls'] {
  const chat = requests.filter((r) => r.operation?.startsWith('converse'));
  return {
    chatModel: chat.filter((r) => r.modelId === chatModel.modelId).length,
    otherChat: chat.filter((r) => r.modelId !== chatModel.modelId).length,
    embeddings: requests.filter((r) => r.modelId !== undefined && /embed/.test(r.modelId)).length,
  };
}

/** Samples both services with py-spy for `seconds` while `users` users sit; the top functions of each. */
async function profile(stack: LocalStack, users: number, seconds: number): Promise<Record<string, string>> {
  const pySpy = path.join(BENCH_VENV, 'bin', 'py-spy');
  const result: Record<string, string> = {};
  const load = Promise.all(Array.from({ length: users }, (_, u) => sitting(stack, u)));
  await new Promise((r) => setTimeout(r, 3000));
  const targets = { 'Open WebUI': stack.webui.pid, 'LiteLLM': stack.proxy.pid };
  await Promise.all(Object.entries(targets).map(async ([name, pid]) => {
    const raw = path.join(os.tmpdir(), `capacity-${name.replace(' ', '')}-${process.pid}.txt`);
    await new Promise<void>((resolve) => {
      const p = spawn(pySpy, ['record', '--pid', String(pid), '--duration', String(seconds), '--format', 'raw', '--nonblocking', '-o', raw],
        { stdio: 'ignore' });
      p.on('exit', () => resolve());
    });
    result[name] = fs.existsSync(raw) ? topFunctions(fs.readFileSync(raw, 'utf-8')) : 'py-spy wrote nothing';
    fs.rmSync(raw, { force: true });
  }));
  await load;
  await quiet(stack);
  return result;
}

/** The frames of the server's own loop (asyncio, uvicorn, click): on every stack, so they say nothing. */
const LOOP_FRAMES = /\((asyncio|uvicorn|click|starlette\/middleware|anyio)\/|\((<string>|litellm_cli\/main\.py|litellm\/proxy\/proxy_cli\.py)|^<module>/;

/**
 * From py-spy's collapsed stacks: the 10 functions most often on the stack (inclusive, the
 * server's loop left out) and the 8 most often running themselves (exclusive), as shares of samples.
 */
function topFunctions(collapsed: string): string {
  const inclusive = new Map<string, number>();
  const exclusive = new Map<string, number>();
  let total = 0;
  for (const line of collapsed.split('\n')) {
    const match = /^(.*) (\d+)$/.exec(line);
    if (!match) continue;
    const count = Number(match[2]);
    total += count;
    const frames = match[1].split(';').map((f) => f.replace(/:\d+\)$/, ')'));
    for (const f of new Set(frames)) inclusive.set(f, (inclusive.get(f) ?? 0) + count);
    const leaf = frames[frames.length - 1];
    exclusive.set(leaf, (exclusive.get(leaf) ?? 0) + count);
  }
  const top = (m: Map<string, number>, n: number, skip: RegExp | undefined) => [...m.entries()].filter(([f]) => skip === undefined || !skip.test(f))
    .sort((a, b) => b[1] - a[1]).slice(0, n).map(([f, c]) => `${((c / total) * 100).toFixed(0).padStart(3)} %  ${f}`);
  return [`${total} samples while busy. On the stack:`, ...top(inclusive, 10, LOOP_FRAMES), 'Running itself:', ...top(exclusive, 8, undefined)].join('\n');
}

/** `--environment`: the variables the container sets, replaced, and the others, added. */
function settings(deployment: ContractDeployment): Pick<LocalStackOptions, 'deployment' | 'environment' | 'addedEnvironment'> {
  const set = new Set((openWebUIContainer(deployment.template).Environment ?? []).map((e: any) => e.Name));
  const pick = (inContainer: boolean) => Object.fromEntries(Object.entries(ENVIRONMENT).filter(([name]) => set.has(name) === inContainer));
  return { deployment, environment: pick(true), addedEnvironment: pick(false) };
}

function held(spec: TaskSize, scale: number): TaskSize {
  return { cpu: Math.round(spec.cpu * scale), memoryLimitMiB: spec.memoryLimitMiB };
}

/** The deployed sizes, those with the same tasks measured once, then the candidates. */
function configurations(): Configuration[] {
  const result: Configuration[] = [];
  const key = (c: { openWebUI: TaskSize; litellm: TaskSize }) =>
    JSON.stringify([c.openWebUI.cpu, c.openWebUI.memoryLimitMiB, c.litellm.cpu, c.litellm.memoryLimitMiB]);
  for (const size of SIZE_NAMES) {
    const spec = SIZES[size];
    const task = (t: TaskSize): TaskSize => ({ cpu: t.cpu, memoryLimitMiB: t.memoryLimitMiB });
    const tasks = { openWebUI: task(spec.openWebUI), litellm: task(spec.litellm) };
    const same = result.find((c) => key(c) === key(tasks));
    if (same !== undefined) same.sizes.push(size);
    else result.push({ label: '', sizes: [size], scale: SCALE, ...tasks });
  }
  for (const candidate of CANDIDATES) {
    const [pair, share] = candidate.split('@');
    const parts = pair.split('+').map((p) => p.split('/').map(Number));
    const scale = share === undefined ? SCALE : Number(share);
    if (parts.length !== 2 || parts.some((p) => p.length !== 2 || !(p[0] > 0) || !(p[1] > 0)) || !(scale > 0 && scale <= 1)) {
      throw new Error(`--candidates holds '${candidate}'; use OPENWEBUI_CPU/MiB+LITELLM_CPU/MiB[@SHARE], for example 2048/4096+1024/2048@0.5`);
    }
    result.push({ label: '', sizes: [], scale, openWebUI: { cpu: parts[0][0], memoryLimitMiB: parts[0][1] }, litellm: { cpu: parts[1][0], memoryLimitMiB: parts[1][1] } });
  }
  const labelled = result.map((c) => ({
    ...c, label: c.sizes.length > 0 ? c.sizes.join(', ') : `not deployed: ${c.openWebUI.cpu / 1024} vCPU / ${c.litellm.cpu / 1024} vCPU tasks`,
  }));
  // The check of the scaling: the first pair again, at its full CPU (its sizes are not repeated,
  // so the sizes table reads the measurement at `--scale`).
  if (FULL_CHECK && labelled.length > 0) labelled.push({ ...labelled[0], label: `${labelled[0].label}, at full CPU`, sizes: [], scale: 1 });
  return labelled;
}

async function measure(configuration: Configuration): Promise<SizeResult> {
  const size = configuration.label;
  const litellm = TaskLimits.create('litellm', held(configuration.litellm, configuration.scale));
  const openWebUI = TaskLimits.create('openwebui', held(configuration.openWebUI, configuration.scale));
  const deployment = synthContractDeployment();
  const stack = await LocalStack.start({ chatText: CHAT_TEXT, png: solidPng(256, [30, 120, 200]), embeddingLength: 1024, delayMs: FIRST_MS },
    undefined, { limits: { litellm, openWebUI }, ...settings(deployment) });
  stack.fakeAws.streamWordDelayMs = WORD_MS;
  stack.fakeAws.imageDelayMs = IMAGE_MS;
  stack.fakeAws.embeddingDelayMs = EMBED_MS;
  // The users chat with a model other than the task model, so the calls of each can be counted.
  const taskModel = stack.webui.env.TASK_MODEL_EXTERNAL;
  chatModel = stack.deployment.models.find((m) => m.kind === BedrockModelKind.CHAT && m.displayName !== taskModel)!;
  const levels: Level[] = [];
  let profiled: SizeResult['profile'];
  try {
    const { token } = await signIn(stack.webui.url, stack.adminEmail, ADMIN_PASSWORD);
    await addUsers(stack, token, 0, Math.max(...LEVELS));
    await runLevel(stack, 1, { litellm, openWebUI }); // warm-up: the first calls load models and caches
    for (const users of LEVELS) {
      const level = await runLevel(stack, users, { litellm, openWebUI });
      levels.push(level);
      console.error(`${size}: ${users} users: first words p95 ${level.firstWords.p95.toFixed(0)} ms, image p95 ${level.image.p95.toFixed(0)} ms, `
        + `${level.errors.length} errors; Open WebUI ${level.openWebUI.cpuPercentOfQuota.toFixed(0)} % of its CPU, LiteLLM ${level.litellm.cpuPercentOfQuota.toFixed(0)} %`);
      if (!level.passed && !ALL_LEVELS) break;
    }
    if (PROFILE_SECONDS > 0) {
      const knee = levels[levels.length - 1].users;
      profiled = { users: knee, top: await profile(stack, knee, PROFILE_SECONDS) };
    }
  } finally {
    await stack.stop();
    litellm.remove();
    openWebUI.remove();
  }
  const firstFailed = levels.findIndex((l) => !l.passed);
  const usersServed = Math.max(0, ...levels.slice(0, firstFailed < 0 ? levels.length : firstFailed).map((l) => l.users));
  const { sizes, scale } = configuration;
  return { label: size, sizes, scale, litellm: litellm.size, openWebUI: openWebUI.size, levels, usersServed, profile: profiled };
}

const vcpu = (t: TaskSize) => t.cpu / 1024;
const perTurn = (calls: number, turns: number) => (turns > 0 ? (calls / turns).toFixed(1) : '-');
const f0 = (n: number) => (Number.isFinite(n) ? n.toFixed(0) : '-');

function report(results: SizeResult[]): string {
  const cpu = os.cpus();
  const lines = [
    '# Capacity: users per task, measured',
    '',
    `Written by \`npx projen bench:capacity${args.length > 0 ? ` ${args.join(' ')}` : ''}\` on ${new Date().toISOString().substring(0, 10)}; `
      + 'the sizes table of docs/operations.md is rendered from docs/capacity.json (`npx projen docs:sizes`).',
    '',
    '![First words p95 against concurrent users](capacity.png)',
    '',
    `Machine: ${cpu.length} x ${cpu[0]?.model ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB. The real Open WebUI and LiteLLM run as one task each, `
      + 'held by cgroup v1 to a share of their task\'s CPU (one core per vCPU; "held to" in the tables) and to its whole memory, because this machine has two cores '
      + 'for both services, PostgreSQL, the Bedrock stand-in and the load generator, which run outside the limits. One uvicorn worker per service, as deployed.',
    `The stand-in answers as a model does: the first words after ${FIRST_MS} ms, then a word every ${WORD_MS} ms (${CHAT_TEXT.split(' ').length} words); `
      + `an embedding after ${EMBED_MS} ms; an image after ${FIRST_MS + IMAGE_MS} ms. Each user, pausing ${THINK_MS / 1000} s on average between steps (0.5-1.5 times it, `
      + 'as a person reads and types; the users of a level arrive within one pause): signs in and loads the model list, uploads a document and waits until it is read, '
      + `sends ${CHATS} messages in one chat through a browser's socket (the first about the document, the later ones with the chat's history; title, tags `
      + 'and follow-up suggestions asked for as the browser does), then asks for an image. A level passes when the first words\' p95 is within 2 s, the image\'s '
      + `p95 within 15 s and nothing failed. "Added by the stack" is the first words' p50 less the stand-in's ${FIRST_MS} ms.`,
    Object.keys(ENVIRONMENT).length > 0 ? `Open WebUI settings over the deployment's: ${Object.entries(ENVIRONMENT).map(([k, v]) => `\`${k}=${v}\``).join(', ')}.` : '',
    '',
    '| size | held to: Open WebUI / LiteLLM | users | first words p50 / p95 (ms) | added by the stack, p50 (ms) | p95: first message (with the document) / later ones (ms) '
      + '| answer p95 (ms) | image p95 (ms) | sign-in p95 (ms) | document read p95 (ms) '
      + '| model calls per chat turn: chosen / task model | errors | Open WebUI CPU (of quota) / peak MiB | LiteLLM CPU (of quota) / peak MiB | PostgreSQL CPU |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const r of results) {
    for (const l of r.levels) {
      lines.push(`| ${r.label} | ${vcpu(r.openWebUI)} vCPU, ${r.openWebUI.memoryLimitMiB} MiB / ${vcpu(r.litellm)} vCPU, ${r.litellm.memoryLimitMiB} MiB | ${l.users} `
        + `| ${f0(l.firstWords.p50)} / ${f0(l.firstWords.p95)}${l.firstWords.p95 > FIRST_WORDS_LIMIT_MS ? ' ✗' : ''} | ${f0(l.firstWords.p50 - FIRST_MS)} `
        + `| ${f0(l.firstWordsByTurn.withDocument.p95)} / ${f0(l.firstWordsByTurn.later.p95)} | ${f0(l.answer.p95)} `
        + `| ${f0(l.image.p95)}${l.image.p95 > IMAGE_LIMIT_MS ? ' ✗' : ''} | ${f0(l.signIn.p95)} | ${f0(l.document.p95)} `
        + `| ${perTurn(l.modelCalls.chatModel, l.chatTurns)} / ${perTurn(l.modelCalls.otherChat, l.chatTurns)} | ${l.errors.length}${l.errors.length > 0 ? ' ✗' : ''} `
        + `| ${f0(l.openWebUI.cpuPercentOfQuota)} % / ${f0(l.openWebUI.peakMiB)} | ${f0(l.litellm.cpuPercentOfQuota)} % / ${f0(l.litellm.peakMiB)} `
        + `| ${f0(l.postgresCpuPercent)} % |`);
    }
  }
  lines.push('', '## Users served', '',
    '| tasks | held to | users served | per vCPU held (both services) | per full task (users / share held) | peak memory at that level: Open WebUI / LiteLLM (MiB) |',
    '| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const r of results) {
    const at = r.levels.find((l) => l.users === r.usersServed);
    lines.push(`| ${r.label} | ${r.scale} x | ${r.usersServed} | ${(r.usersServed / (vcpu(r.openWebUI) + vcpu(r.litellm))).toFixed(1)} `
      + `| ${f0(r.usersServed / r.scale)} | ${at ? `${f0(at.openWebUI.peakMiB)} / ${f0(at.litellm.peakMiB)}` : '-'} |`);
  }
  lines.push('', '## How the figures extend', '');
  for (const r of results.filter((x) => x.sizes.length > 0)) {
    const sameHeld = results.filter((x) => x !== r && vcpu(x.openWebUI) === vcpu(r.openWebUI) && vcpu(x.litellm) === vcpu(r.litellm));
    const sameTasks = results.filter((x) => x !== r && vcpu(x.openWebUI) / x.scale === vcpu(r.openWebUI) / r.scale
      && vcpu(x.litellm) / x.scale === vcpu(r.litellm) / r.scale);
    lines.push(`- **${r.label}** (held to ${r.scale} x): ${r.usersServed} users per task pair, the figure the sizes table of docs/operations.md shows`
      + `${r.scale < 1 ? ` divided by ${r.scale}, an estimate` : ', measured without scaling'}.`
      + sameTasks.map((x) => ` The same tasks held to ${x.scale} x served ${x.usersServed}.`).join('')
      + sameHeld.map((x) => ` ${x.label} (${vcpu(x.openWebUI) / x.scale} vCPU / ${vcpu(x.litellm) / x.scale} vCPU tasks) held to the same CPU served ${x.usersServed}.`)
        .join(''));
  }
  lines.push('- **To several tasks**: the load balancer spreads users over the Open WebUI tasks and Open WebUI spreads calls over the LiteLLM tasks, '
    + 'so users grow with the task count until something the tasks share is the limit: PostgreSQL (its CPU is in the table above; each task holds '
    + 'at most 25 connections, checked against the instance class at synth) or, with several Open WebUI tasks, Redis, which relays each streamed '
    + 'word to the task that holds the browser\'s socket (proven with two tasks by `test/contract/open-webui.replicas.test.ts`, not measured under load '
    + 'here: this machine has no room for two tasks of each at a useful share).');
  lines.push('- **To Fargate**: a Fargate vCPU is not this machine\'s core, and Bedrock\'s own latency varies; read the users as a planning figure '
    + 'and watch the services\' CPU alarms and the first-token time in production.');
  for (const r of results.filter((x) => x.profile !== undefined)) {
    for (const [name, top] of Object.entries(r.profile!.top)) {
      lines.push('', `Where ${name} spends its CPU at ${r.profile!.users} users (${r.label}; py-spy, share of samples with the function on the stack):`, '', '```', top, '```');
    }
  }
  const failed = results.flatMap((r) => r.levels.filter((l) => l.errors.length > 0).map((l) => `${r.label}, ${l.users} users: ${l.errors.slice(0, 2).join('; ')}`));
  if (failed.length > 0) lines.push('', 'First errors:', '', ...failed.map((e) => `- ${e}`));
  return lines.join('\n');
}

/** Draws first-word p95 against users, one line per size, the 2 s goal marked, with matplotlib. */
function plot(results: SizeResult[], png: string): void {
  const python = path.join(BENCH_VENV, 'bin', 'python');
  const data = results.map((r) => ({
    label: `${r.label}: Open WebUI ${vcpu(r.openWebUI) / r.scale} vCPU, LiteLLM ${vcpu(r.litellm) / r.scale} vCPU tasks, held to ${r.scale} x`,
    users: r.levels.map((l) => l.users),
    p95: r.levels.map((l) => l.firstWords.p95 / 1000),
  }));
  const script = `
import json, sys
import matplotlib
matplotlib.use('Agg')
import matplotlib.pyplot as plt
data = json.loads(sys.argv[1])
fig, ax = plt.subplots(figsize=(8, 4.5), dpi=100)
for line in data:
    ax.plot(line['users'], line['p95'], marker='o', label=line['label'])
ax.axhline(2.0, color='red', linestyle='--', linewidth=1, label='goal: first words within 2 s')
ax.set_xlabel('concurrent users (each signs in, reads a document, chats, draws)')
ax.set_ylabel('first words, p95 (s)')
ax.set_title(sys.argv[3])
ax.set_ylim(bottom=0)
ax.grid(True, alpha=0.3)
ax.legend(fontsize=8)
fig.tight_layout()
fig.savefig(sys.argv[2])
`;
  const title = 'One task of each service, held to a share of its CPU (legend)';
  const run = spawnSync(python, ['-c', script, JSON.stringify(data), png, title], { encoding: 'utf-8', env: { ...process.env, MPLBACKEND: 'Agg' } });
  if (run.status !== 0) throw new Error(`matplotlib: ${run.stderr}`);
}

async function main(): Promise<void> {
  if (!TaskLimits.available()) throw new Error('bench:capacity needs cgroup v1 groups this user may create (/sys/fs/cgroup/cpu and memory, as root)');
  for (const s of SIZE_NAMES) if (SIZES[s] === undefined) throw new Error(`--sizes holds '${s}'; use SMALL, MEDIUM or LARGE`);
  if (!(SCALE > 0 && SCALE <= 1)) throw new Error(`--scale is '${SCALE}'; use a fraction of each size's CPU above 0, at most 1`);
  const results: SizeResult[] = [];
  for (const configuration of configurations()) results.push(await measure(configuration));
  const text = report(results);
  console.log(text);
  fs.mkdirSync(path.dirname(OUT), { recursive: true });
  fs.writeFileSync(`${OUT}.json`, JSON.stringify({ scale: SCALE, firstMs: FIRST_MS, wordMs: WORD_MS, imageMs: IMAGE_MS, chats: CHATS, environment: ENVIRONMENT, results }, null, 2));
  fs.writeFileSync(`${OUT}.md`, `${text}\n`);
  plot(results, `${OUT}.png`);
  console.log(`\nwrote ${OUT}.md, ${OUT}.json and ${OUT}.png`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
