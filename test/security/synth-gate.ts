/**
 * Synthesizes every example configuration of the security gate into OUTDIR/<name>/, for cfn-lint
 * and checkov (.ci/gate.sh).
 *
 *   ts-node --project tsconfig.dev.json test/security/synth-gate.ts OUTDIR
 */
import * as fs from 'fs';
import * as path from 'path';
import { CONFIGURATIONS, synthesize } from './configurations';

const outdir = process.argv[2];
if (!outdir) throw new Error('usage: synth-gate.ts OUTDIR');
for (const name of Object.keys(CONFIGURATIONS)) {
  const dir = path.join(outdir, name);
  fs.rmSync(dir, { recursive: true, force: true });
  synthesize(name, dir);
  console.log(`${name}: ${fs.readdirSync(dir).filter((f) => f.endsWith('.template.json')).join(', ')}`);
}
