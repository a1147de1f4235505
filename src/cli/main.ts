#!/usr/bin/env node
/**
 * `cdk-bedrock-image-chat`: discover Bedrock models, check a deployment's models before it
 * fails, run the app on a laptop, and estimate what a synthesized deployment costs.
 *
 * Exit codes: 0 all well; 1 `doctor` found a model that would fail; 2 bad input (arguments,
 * files); 3 an AWS call failed (credentials, region, access, throttling).
 */
import * as fs from 'fs';
import * as path from 'path';
import { BedrockClient } from '@aws-sdk/client-bedrock';
import { Command, CommanderError, Option } from 'commander';
import { createSpinner } from 'nanospinner';
import { updateCatalogFile } from './catalog-update';
import { estimateCost } from './cost';
import { diagnose, ModelUse, UsageError, usesFromNames, usesFromTemplate } from './doctor';
import { describeAwsError } from './errors';
import { fetchInventory, Inventory, Progress } from './inventory';
import { writeLocalSetup } from './local';
import { formatCost, formatFindings, formatInventory, modelsSnippet } from './output';

export const EXIT_OK = 0;
export const EXIT_PROBLEMS = 1;
export const EXIT_USAGE = 2;
export const EXIT_AWS = 3;

/** Where the CLI writes, so that tests can run it in-process. */
export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** Whether to show a spinner (a terminal on stderr). */
  readonly interactive: boolean;
  readonly env: Record<string, string | undefined>;
  /** Today, YYYY-MM-DD (end-of-life dates are compared with it); by default the clock's date. */
  readonly today?: string;
}

const processIo = (): CliIo => ({
  out: (t) => process.stdout.write(`${t}\n`),
  err: (t) => process.stderr.write(`${t}\n`),
  interactive: process.stderr.isTTY === true,
  env: process.env,
});

interface GlobalOptions {
  readonly region?: string;
  readonly profile?: string;
  readonly output: 'table' | 'json';
}

/** Runs the CLI with `argv` (without `node` and the script) and returns the exit code. */
export async function run(argv: string[], io: CliIo = processIo()): Promise<number> {
  let code = EXIT_OK;
  const program = new Command('cdk-bedrock-image-chat')
    .description('Bedrock models, deployment checks, a local setup and cost estimates for cdk-bedrock-image-chat')
    .addOption(new Option('--region <region>', 'AWS region (default: AWS_REGION, then the profile\'s region)'))
    .addOption(new Option('--profile <name>', 'AWS profile from the shared config (default: AWS_PROFILE, then the default chain)'))
    .addOption(new Option('--output <format>', 'output format').choices(['table', 'json']).default('table'))
    .exitOverride()
    .configureOutput({ writeOut: (t) => io.out(t.trimEnd()), writeErr: (t) => io.err(t.trimEnd()) })
    .showHelpAfterError();

  program.command('models')
    .description('List the chat, image and embedding models the account can use in a region, its inference profiles, provisioned throughputs and custom models, and print a ready-to-paste `models` list')
    .option('--no-access', 'skip the per-model access check (one call per model)')
    .option('--update-catalog <file>', 'also write the listing as catalog rows (JSON, merged with the file\'s rows of other regions)')
    .action(async (options: { access: boolean; updateCatalog?: string }) => {
      const g = program.opts<GlobalOptions>();
      const inventory = await withProgress(io, (p) => listInventory(g, io, p, options.access));
      const snippet = modelsSnippet(inventory);
      if (g.output === 'json') {
        io.out(JSON.stringify({ ...inventory, snippet }, null, 2));
      } else {
        io.out(formatInventory(inventory));
        io.out(`\nTypeScript:\n${snippet.typescript}\n\nPython:\n${snippet.python}`);
      }
      if (options.updateCatalog !== undefined) {
        const count = updateCatalogFile(options.updateCatalog, inventory);
        io.err(`wrote ${count} catalog rows to ${options.updateCatalog}`);
      }
    });

  program.command('doctor')
    .description('Check the models a deployment would use before deploying: served in the region, on-demand or through a profile, access granted, not Legacy or past end of life, Provisioned Throughput in service')
    .argument('[models...]', 'catalog names (ANTHROPIC_CLAUDE_HAIKU_4_5_GLOBAL), model or inference profile ids, or ARNs')
    .option('--template <file>', 'read the models from a synthesized template (its cdk.out directory holds the LiteLLM configuration)')
    .action(async (names: string[], options: { template?: string }) => {
      const g = program.opts<GlobalOptions>();
      const region = await requireRegion(g, io);
      if (names.length === 0 && options.template === undefined) throw new UsageError('name the models to check, or pass --template cdk.out/<stack>.template.json');
      const uses: ModelUse[] = usesFromNames(names, region);
      if (options.template !== undefined) {
        const fromTemplate = usesFromTemplate(readableFile(options.template), region);
        uses.push(...fromTemplate.uses);
        for (const s of fromTemplate.skipped) io.err(`skipped ${s}: its model is known only at deploy time`);
      }
      const regions = [...new Set(uses.map((u) => u.region))];
      const inventories = await withProgress(io, async (p) => {
        const found = new Map<string, Inventory>();
        for (const r of regions) found.set(r, await listInventory({ ...g, region: r }, io, p, true));
        return found;
      });
      const findings = diagnose(uses, inventories, io.today ?? new Date().toISOString().substring(0, 10));
      io.out(g.output === 'json' ? JSON.stringify(findings, null, 2) : formatFindings(findings));
      if (findings.some((f) => f.status === 'error')) code = EXIT_PROBLEMS;
    });

  program.command('local')
    .description('Write a Docker Compose file and a LiteLLM configuration that run the pinned Open WebUI and LiteLLM on this machine with your AWS credentials')
    .option('--dir <dir>', 'where to write compose.yaml, litellm-config.yaml and .env', 'bedrock-image-chat-local')
    .option('--port <port>', 'the port Open WebUI listens on', '3000')
    .action(async (options: { dir: string; port: string }) => {
      const g = program.opts<GlobalOptions>();
      const region = await requireRegion(g, io);
      const port = Number(options.port);
      if (!Number.isInteger(port) || port < 1 || port > 65535) throw new UsageError(`--port is ${options.port}; use a port number from 1 to 65535`);
      const written = writeLocalSetup({ dir: options.dir, region, profile: g.profile, port });
      if (g.output === 'json') {
        io.out(JSON.stringify(written, null, 2));
      } else {
        io.out([
          `wrote ${written.files.join(', ')} in ${options.dir}`,
          `models: ${written.models.join(', ')} (calling Bedrock with your AWS credentials${g.profile ? ` of profile ${g.profile}` : ''})`,
          `start:  cd ${options.dir} && docker compose up`,
          `open:   http://localhost:${port} and sign in as ${written.adminEmail} with WEBUI_ADMIN_PASSWORD from ${options.dir}/.env`,
        ].join('\n'));
      }
    });

  program.command('cost')
    .description('Estimate the monthly baseline of a synthesized deployment by resource (us-east-1 list prices; Bedrock usage not included)')
    .argument('<template>', 'a synthesized template, for example cdk.out/MyStack.template.json')
    .action((file: string) => {
      const g = program.opts<GlobalOptions>();
      const template = parseTemplate(readableFile(file));
      const estimate = estimateCost(template, g.region ?? regionOfTemplate(file) ?? io.env.AWS_REGION);
      io.out(g.output === 'json' ? JSON.stringify(estimate, null, 2) : formatCost(estimate));
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (e: any) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    if (e instanceof UsageError) {
      io.err(`error: ${e.message}`);
      return EXIT_USAGE;
    }
    io.err(`error: ${describeAwsError(e, program.opts<GlobalOptions>().profile)}`);
    return EXIT_AWS;
  }
}

/** The region: --region, then AWS_REGION or AWS_DEFAULT_REGION, then the profile's `region` setting. */
async function requireRegion(g: GlobalOptions, io: CliIo): Promise<string> {
  let region = g.region ?? io.env.AWS_REGION ?? io.env.AWS_DEFAULT_REGION;
  if (region === undefined) {
    const client = new BedrockClient({ profile: g.profile });
    region = await client.config.region().catch(() => undefined);
    client.destroy();
  }
  if (region === undefined) throw new UsageError('no region: pass --region, set AWS_REGION, or set a region in the profile');
  if (!/^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/.test(region)) throw new UsageError(`--region is '${region}', which is not a region name such as us-east-1`);
  return region;
}

async function listInventory(g: GlobalOptions, io: CliIo, progress: Progress, checkAccess: boolean): Promise<Inventory> {
  const region = await requireRegion(g, io);
  const client = new BedrockClient({ region, profile: g.profile, maxAttempts: 5, retryMode: 'adaptive' });
  try {
    return await fetchInventory(client, region, progress, checkAccess);
  } finally {
    client.destroy();
  }
}

/** Runs `work` with a spinner on stderr when it is a terminal. */
async function withProgress<T>(io: CliIo, work: (p: Progress) => Promise<T>): Promise<T> {
  if (!io.interactive) return work({ update: () => undefined });
  const spinner = createSpinner('asking Bedrock', { stream: process.stderr }).start();
  try {
    const result = await work({ update: (text) => spinner.update({ text }) });
    spinner.clear();
    return result;
  } catch (e) {
    spinner.stop();
    throw e;
  }
}

function readableFile(file: string): string {
  if (!fs.existsSync(file)) throw new UsageError(`${file} does not exist; synthesize first (cdk synth) and pass cdk.out/<stack>.template.json`);
  return file;
}

function parseJsonFile(file: string): any {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf-8'));
  } catch (e) {
    throw new UsageError(`${file} is not a JSON template: ${(e as Error).message}`);
  }
}

/** A synthesized CloudFormation template: JSON whose `Resources` are typed resources. */
function parseTemplate(file: string): { Resources: Record<string, any> } {
  const template = parseJsonFile(file);
  const resources = template?.Resources;
  const typed = resources !== null && typeof resources === 'object' && !Array.isArray(resources)
    && Object.values(resources).every((r: any) => typeof r?.Type === 'string');
  if (!typed || Object.keys(resources).length === 0) {
    throw new UsageError(`${file} is not a synthesized CloudFormation template (it has no Resources with a Type); `
      + 'synthesize first (cdk synth) and pass cdk.out/<stack>.template.json');
  }
  return template;
}

/**
 * The region a synthesized template is for: the environment its stack's entry in the cloud
 * assembly's `manifest.json` (beside the template) names, unless the stack is environment-agnostic.
 */
function regionOfTemplate(file: string): string | undefined {
  try {
    const manifest = JSON.parse(fs.readFileSync(path.join(path.dirname(file), 'manifest.json'), 'utf-8'));
    const stack = Object.values<any>(manifest.artifacts ?? {})
      .find((a) => a.type === 'aws:cloudformation:stack' && a.properties?.templateFile === path.basename(file));
    const region = /^aws:\/\/[^/]+\/(.+)$/.exec(stack?.environment ?? '')?.[1];
    return region !== undefined && region !== 'unknown-region' ? region : undefined;
  } catch {
    return undefined;
  }
}

if (require.main === module) {
  // The bundled SDK warns on Node.js 20 that its releases after January 2027 will need 22; this
  // CLI pins its SDK, so the warning would only be noise before every listing.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  void run(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
