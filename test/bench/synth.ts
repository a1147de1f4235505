/**
 * Benchmark (a script, not a test): synth time and peak memory of the default deployment
 * (`new BedrockImageChat(stack, 'Chat')`) against a baseline built from aws-cdk-lib's
 * ApplicationLoadBalancedFargateService (two services in one VPC), each in a fresh process,
 * several runs each, with medians and their ratio; the template's resource count and size against
 * CloudFormation's limits; the npm tarball's size if `dist/js` holds one. Prints numbers only.
 *
 *   npm run bench [-- --runs 5] [--write]
 *
 * With --write the table and the limits replace the synth cost block of docs/verification.md;
 * `synth-cost.test.ts` fails when that block's resource count is not the default deployment's.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { SYNTH_COST_MARKERS } from './synth-markers';
import { docPage, replaceBlock, rewritePage } from '../docs/doc-block';

const args = process.argv.slice(2);
const runsIndex = args.indexOf('--runs');
const RUNS = runsIndex >= 0 ? Number(args[runsIndex + 1]) : 5;
const WRITE = args.includes('--write');
const CFN_MAX_RESOURCES = 500;
const CFN_MAX_TEMPLATE_BYTES = 1_000_000; // for a template uploaded to S3, as cdk deploy does

interface Run { kind: string; seconds: number; maxRssMiB: number; resources: number; templateBytes: number }

function once(kind: string): Run {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `bench-${kind}-`));
  try {
    const out = execFileSync(
      path.join(__dirname, '..', '..', 'node_modules', '.bin', 'ts-node'),
      ['--transpile-only', '--project', path.join(__dirname, '..', '..', 'tsconfig.dev.json'), path.join(__dirname, 'synth-one.ts'), kind, outdir],
      { env: { ...process.env, JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: '20' }, timeout: 300_000 },
    ).toString();
    return JSON.parse(out.trim().split('\n').pop()!);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const results: Record<string, Run[]> = { library: [], baseline: [] };
for (let i = 0; i < RUNS; i++) {
  for (const kind of ['library', 'baseline']) results[kind].push(once(kind));
}
const lib = results.library;
const base = results.baseline;
const cpu = os.cpus();
const ratio = (f: (r: Run) => number) => (median(lib.map(f)) / median(base.map(f))).toFixed(2);
const report = [
  `Measured on ${new Date().toISOString().slice(0, 10)}: ${RUNS} runs each, alternating, each in a fresh process (${cpu.length} x ${cpu[0]?.model.trim() ?? 'CPU'}).`,
  '',
  '| | synth time, median (s) | peak memory, median (MiB) | resources | template size (KiB) |',
  '| --- | ---: | ---: | ---: | ---: |',
  ...([['`new BedrockImageChat(stack, \'Chat\')`', lib], ['2 x `ApplicationLoadBalancedFargateService`', base]] as const).map(([label, runs]) =>
    `| ${label} | ${median(runs.map((r) => r.seconds)).toFixed(2)} | ${median(runs.map((r) => r.maxRssMiB)).toFixed(0)} | ${runs[0].resources} | ${(runs[0].templateBytes / 1024).toFixed(0)} |`),
  '',
  `Library / baseline: synth time ${ratio((r) => r.seconds)} x, peak memory ${ratio((r) => r.maxRssMiB)} x. `
    + `CloudFormation limits: ${lib[0].resources} of ${CFN_MAX_RESOURCES} resources (${(100 * lib[0].resources / CFN_MAX_RESOURCES).toFixed(0)} %), `
    + `${(lib[0].templateBytes / 1024).toFixed(0)} KiB of ${CFN_MAX_TEMPLATE_BYTES / 1000} KB (${(100 * lib[0].templateBytes / CFN_MAX_TEMPLATE_BYTES).toFixed(0)} %).`,
];
console.log(report.join('\n'));
if (WRITE) rewritePage(docPage('verification.md'), (page) => replaceBlock(page, SYNTH_COST_MARKERS, report.join('\n')), 'synth cost written');
const tarballs = fs.existsSync('dist/js') ? fs.readdirSync('dist/js').filter((f) => f.endsWith('.tgz')) : [];
for (const t of tarballs) console.log(`npm tarball dist/js/${t}: ${(fs.statSync(path.join('dist/js', t)).size / 1024 / 1024).toFixed(1)} MiB`);
if (tarballs.length === 0) console.log('npm tarball: not built (run npx projen package:js first)');
